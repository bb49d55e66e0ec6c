//! The event queue: a binary heap keyed by (time in µs, insertion sequence),
//! so events at the same microsecond run in the order they were scheduled
//! (FIFO ties) and every run is reproducible.

use std::cmp::Ordering;
use std::collections::VecDeque;

use dary_heap::QuaternaryHeap;

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

#[derive(Clone)]
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
///
/// Besides the heap it has *lanes*: FIFO queues for events scheduled with a
/// constant delay (client timeouts), whose times never decrease. A lane costs
/// O(1) per event instead of O(log n), and keeps the heap small. Order is the
/// same as if every event were in the heap: (time, sequence) across all.
#[derive(Clone)]
pub struct EventQueue<E> {
    heap: QuaternaryHeap<Entry<E>>,
    lanes: Vec<VecDeque<Entry<E>>>,
    next_seq: u64,
}

/// Where the earliest event is.
#[derive(Clone, Copy)]
enum Source {
    Heap,
    Lane(usize),
}

impl<E> std::fmt::Debug for EventQueue<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventQueue")
            .field("pending", &self.len())
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
            heap: QuaternaryHeap::with_capacity(1024),
            lanes: Vec::new(),
            next_seq: 0,
        }
    }

    /// Schedules `event` at `time_us` on FIFO lane `lane`. If the time is earlier
    /// than the lane's last event, it goes to the heap instead (order is kept either way).
    #[inline]
    pub fn push_lane(&mut self, lane: usize, time_us: TimeUs, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.lanes.len() <= lane {
            self.lanes.resize_with(lane + 1, VecDeque::new);
        }
        let entry = Entry {
            time_us,
            seq,
            event,
        };
        match self.lanes[lane].back() {
            Some(last) if last.time_us > time_us => self.heap.push(entry),
            _ => self.lanes[lane].push_back(entry),
        }
    }

    #[inline]
    fn earliest(&self) -> Option<(Source, TimeUs)> {
        let mut best = self.heap.peek().map(|e| (Source::Heap, e.time_us, e.seq));
        for (i, lane) in self.lanes.iter().enumerate() {
            if let Some(e) = lane.front() {
                if best.is_none_or(|(_, t, s)| (e.time_us, e.seq) < (t, s)) {
                    best = Some((Source::Lane(i), e.time_us, e.seq));
                }
            }
        }
        best.map(|(src, t, _)| (src, t))
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
        self.earliest().map(|(_, t)| t)
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(TimeUs, E)> {
        let entry = match self.earliest()?.0 {
            Source::Heap => self.heap.pop(),
            Source::Lane(i) => self.lanes[i].pop_front(),
        };
        entry.map(|e| (e.time_us, e.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(VecDeque::len).sum::<usize>()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    #[test]
    fn lanes_interleave_with_the_heap_in_time_then_sequence_order() {
        let mut q = EventQueue::new();
        q.push_lane(0, 3, 'b');
        q.push(3, 'c');
        q.push(1, 'a');
        q.push_lane(1, 5, 'e');
        q.push_lane(0, 4, 'd');
        q.push_lane(0, 2, 'x'); // earlier than the lane's tail: goes to the heap
        let order: Vec<(u64, char)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![(1, 'a'), (2, 'x'), (3, 'b'), (3, 'c'), (4, 'd'), (5, 'e')]
        );
    }
}
