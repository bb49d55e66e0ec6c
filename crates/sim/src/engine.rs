//! The event queue: a binary heap keyed by (time in µs, insertion sequence),
//! so events at the same microsecond run in the order they were scheduled
//! (FIFO ties) and every run is reproducible.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Simulated time in microseconds since the start of the run.
pub type TimeUs = u64;

/// Microseconds in a millisecond.
pub const US_PER_MS: f64 = 1_000.0;

/// Converts milliseconds (f64, may be fractional) to whole microseconds.
pub fn ms_to_us(ms: f64) -> TimeUs {
    if ms.is_finite() && ms > 0.0 {
        libm::round(ms * US_PER_MS) as TimeUs
    } else {
        0
    }
}

/// Converts seconds to whole microseconds.
pub fn s_to_us(s: f64) -> TimeUs {
    ms_to_us(s * 1_000.0)
}

struct Entry<E> {
    time_us: TimeUs,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time_us == other.time_us && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap, we want the earliest first.
        (other.time_us, other.seq).cmp(&(self.time_us, self.seq))
    }
}

/// A future-event list with FIFO tie-breaking.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> std::fmt::Debug for EventQueue<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventQueue")
            .field("pending", &self.heap.len())
            .field("next_seq", &self.next_seq)
            .finish()
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(1024),
            next_seq: 0,
        }
    }

    /// Schedules `event` at `time_us`.
    #[inline]
    pub fn push(&mut self, time_us: TimeUs, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry {
            time_us,
            seq,
            event,
        });
    }

    /// The time of the earliest event.
    #[inline]
    pub fn peek_time(&self) -> Option<TimeUs> {
        self.heap.peek().map(|e| e.time_us)
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(TimeUs, E)> {
        self.heap.pop().map(|e| (e.time_us, e.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_fifo_on_ties() {
        let mut q = EventQueue::new();
        q.push(5, 'c');
        q.push(1, 'a');
        q.push(5, 'd');
        q.push(1, 'b');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['a', 'b', 'c', 'd']);
    }
}
