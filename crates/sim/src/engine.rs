//! The event queue: a 4-ary heap plus FIFO lanes, keyed by (time in µs, insertion sequence),
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

/// A pending event and its place in the total order.
#[derive(Clone)]
struct Entry<E> {
    key: Key,
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn time_us(&self) -> TimeUs {
        (self.key >> 64) as TimeUs
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
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
        // Reversed: the heap is a max-heap, we want the earliest first.
        // One integer compare: time, then sequence (FIFO on ties).
        other.key.cmp(&self.key)
    }
}

/// Most delay lanes ([`EventQueue::push_after`]) a queue opens; events with
/// other delays go to the heap.
pub const MAX_DELAY_LANES: usize = 16;

/// A delay lane of an [`EventQueue`] ([`EventQueue::delay_lane`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DelayLane(u32);

impl DelayLane {
    /// No lane: the heap.
    const HEAP: DelayLane = DelayLane(u32::MAX);
}

/// Slots of the queue's memo of delays and their lanes ([`EventQueue::delay_lane`]).
const DELAY_MEMO: usize = 64;

/// Event sources: the heap and up to `SOURCES - 1` lanes (a named lane
/// asked for beyond them is the heap: same order, no lane's speed).
const SOURCES: usize = 32;

/// `EventQueue::named`'s mark for a named lane that could not open.
const IN_HEAP: u32 = u32::MAX - 1;

/// An event's place in the total order: time in the high 64 bits, insertion
/// sequence in the low 64 bits (one integer compare orders by time, then FIFO).
type Key = u128;

/// The key of an empty source: later than any event.
const EMPTY: Key = Key::MAX;

#[inline]
fn key(time_us: TimeUs, seq: u64) -> Key {
    (Key::from(time_us) << 64) | Key::from(seq)
}

/// A future-event list with FIFO tie-breaking.
///
/// Besides the heap it has *lanes*: FIFO queues for events whose times
/// never decrease. Named lanes ([`EventQueue::push_lane`], each users
/// component's next arrival) are chosen by the caller; delay lanes
/// ([`EventQueue::push_after`], network hops and responses) are one per
/// distinct delay, since `now + d` never decreases for a fixed `d`. A lane
/// costs O(1) per event instead of O(log n), and keeps the heap small. Order is the same as if every event were in the heap:
/// (time, sequence) across all.
///
/// The key of every source's earliest event (the heap's top, each lane's
/// front) is kept in one fixed array, and a winner tree over it names the
/// earliest source: a pop replays log2(sources) matches (at most five)
/// instead of scanning every source (docs/benchmarks.md, session 7).
#[derive(Clone)]
pub struct EventQueue<E> {
    heap: QuaternaryHeap<Entry<E>>,
    /// Lanes, named and delay, in the order they were opened.
    lanes: Vec<VecDeque<Entry<E>>>,
    /// `heads[0]`: the heap's earliest key; `heads[1 + i]`: lane `i`'s front
    /// ([`EMPTY`] when empty or not opened yet).
    heads: [Key; SOURCES],
    /// A winner tree over `heads`: `winner[p]` is the source with the
    /// earliest key below node `p` (leaf `(1 << levels) + s` is source `s`), so
    /// the earliest source is `winner[1]` and a changed head costs
    /// log2(sources) compares instead of a scan of every source.
    winner: [u8; 2 * SOURCES],
    /// The tree's depth: `1 << levels` leaves, at least one per open source.
    levels: u32,
    /// The lane of each named lane id (`u32::MAX`: not opened yet).
    named: Vec<u32>,
    /// The delay of each delay lane (at most [`MAX_DELAY_LANES`]) and its lane.
    delays: Vec<(TimeUs, u32)>,
    /// Delays asked for lately and their lanes, direct-mapped by a hash of
    /// the delay: most pushes find their lane here, without searching
    /// `delays` (docs/benchmarks.md, session 11).
    delay_memo: [(TimeUs, DelayLane); DELAY_MEMO],
    next_seq: u64,
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
            heads: [EMPTY; SOURCES],
            // One source (the heap): its leaf is the root.
            winner: [0; 2 * SOURCES],
            levels: 0,
            named: Vec::new(),
            delays: Vec::new(),
            delay_memo: [(TimeUs::MAX, DelayLane::HEAP); DELAY_MEMO],
            next_seq: 0,
        }
    }

    /// Opens a lane, or returns `None` if all `SOURCES - 1` are open.
    fn open_lane(&mut self) -> Option<u32> {
        if 1 + self.lanes.len() >= SOURCES {
            return None;
        }
        self.lanes.push(VecDeque::with_capacity(256));
        if 1 + self.lanes.len() > 1 << self.levels {
            // One more level (a lane opens a few times per run): rebuilt
            // from the heads; sources not opened yet are empty.
            self.levels += 1;
            let width = 1usize << self.levels;
            for s in 0..width {
                self.winner[width + s] = s as u8;
            }
            for p in (1..width).rev() {
                self.winner[p] = self.match_of(p);
            }
        }
        Some((self.lanes.len() - 1) as u32)
    }

    /// The winner of node `p`'s match: the earlier of its children's
    /// winners (the left one on a tie; only two empty sources tie). The
    /// masks only let the compiler drop the bounds checks.
    #[inline(always)]
    fn match_of(&self, p: usize) -> u8 {
        const NODES: usize = 2 * SOURCES - 1;
        let (a, b) = (
            self.winner[(2 * p) & NODES],
            self.winner[(2 * p + 1) & NODES],
        );
        let b_first =
            self.heads[b as usize & (SOURCES - 1)] < self.heads[a as usize & (SOURCES - 1)];
        if b_first {
            b
        } else {
            a
        }
    }

    /// Source `s`'s head changed: replays the matches on its path to the root.
    #[inline(always)]
    fn update(&mut self, s: usize) {
        // A loop of constant length per depth (unrolled, no exit to predict).
        match self.levels {
            0 => {}
            1 => self.replay::<1>(s),
            2 => self.replay::<2>(s),
            3 => self.replay::<3>(s),
            4 => self.replay::<4>(s),
            _ => self.replay::<5>(s),
        }
    }

    #[inline(always)]
    fn replay<const LEVELS: u32>(&mut self, s: usize) {
        let mut p = ((1 << LEVELS) + s) / 2;
        for _ in 0..LEVELS {
            self.winner[p & (2 * SOURCES - 1)] = self.match_of(p);
            p /= 2;
        }
    }

    /// Appends `entry` to `lane`, or to the heap if it is earlier than the
    /// lane's last event (order is kept either way).
    #[inline(always)]
    fn push_to_lane(&mut self, lane: usize, entry: Entry<E>) {
        let q = &mut self.lanes[lane];
        match q.back() {
            Some(last) if last.time_us() > entry.time_us() => self.push_to_heap(entry),
            Some(_) => q.push_back(entry),
            None => {
                self.heads[1 + lane] = entry.key;
                q.push_back(entry);
                self.update(1 + lane);
            }
        }
    }

    #[inline]
    fn push_to_heap(&mut self, entry: Entry<E>) {
        let k = entry.key;
        if k < self.heads[0] {
            self.heads[0] = k;
            self.update(0);
        }
        self.heap.push(entry);
    }

    #[inline]
    fn entry(&mut self, time_us: TimeUs, event: E) -> Entry<E> {
        let seq = self.next_seq;
        self.next_seq += 1;
        Entry {
            key: key(time_us, seq),
            event,
        }
    }

    /// Schedules `event` at `time_us` on FIFO lane `lane`. If the time is earlier
    /// than the lane's last event, it goes to the heap instead (order is kept either way).
    #[inline]
    pub fn push_lane(&mut self, lane: usize, time_us: TimeUs, event: E) {
        let entry = self.entry(time_us, event);
        if self.named.len() <= lane {
            self.named.resize(lane + 1, u32::MAX);
        }
        if self.named[lane] == u32::MAX {
            self.named[lane] = self.open_lane().unwrap_or(IN_HEAP);
        }
        match self.named[lane] {
            IN_HEAP => self.push_to_heap(entry),
            l => self.push_to_lane(l as usize, entry),
        }
    }

    /// Schedules `event` at `now_us + delay_us` on the delay lane of
    /// `delay_us` (opened on first use, up to [`MAX_DELAY_LANES`]; the heap
    /// after that). `now_us` must never decrease from one call to the next
    /// (simulated time); if it did, the event would go to the heap, so order
    /// is kept either way.
    #[inline(always)]
    pub fn push_after(&mut self, now_us: TimeUs, delay_us: TimeUs, event: E) {
        let lane = self.delay_lane(delay_us);
        self.push_after_on(lane, now_us, delay_us, event);
    }

    /// The delay lane of `delay_us`, opened on first use (up to
    /// [`MAX_DELAY_LANES`]); [`DelayLane::HEAP`] after that. Remembered in
    /// `delay_memo`, so a delay used again costs one look instead of a
    /// search of the open lanes.
    #[inline(always)]
    fn delay_lane(&mut self, delay_us: TimeUs) -> DelayLane {
        let slot = (delay_us.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % DELAY_MEMO;
        match self.delay_memo[slot] {
            (d, lane) if d == delay_us => lane,
            _ => {
                let lane = self.find_or_open_delay_lane(delay_us);
                self.delay_memo[slot] = (delay_us, lane);
                lane
            }
        }
    }

    /// [`EventQueue::delay_lane`] without the memo.
    #[inline(never)]
    fn find_or_open_delay_lane(&mut self, delay_us: TimeUs) -> DelayLane {
        match self.delays.iter().find(|&&(d, _)| d == delay_us) {
            Some(&(_, lane)) => DelayLane(lane),
            None if self.delays.len() < MAX_DELAY_LANES => match self.open_lane() {
                Some(lane) => {
                    self.delays.push((delay_us, lane));
                    DelayLane(lane)
                }
                None => DelayLane::HEAP,
            },
            None => DelayLane::HEAP,
        }
    }

    /// [`EventQueue::push_after`] on `lane`, from [`EventQueue::delay_lane`]
    /// for the same delay. Any lane keeps the order (an event earlier than
    /// the lane's last goes to the heap); the right one keeps the heap small.
    #[inline(always)]
    fn push_after_on(&mut self, lane: DelayLane, now_us: TimeUs, delay_us: TimeUs, event: E) {
        let entry = self.entry(now_us + delay_us, event);
        if (lane.0 as usize) < self.lanes.len() {
            self.push_to_lane(lane.0 as usize, entry);
        } else {
            self.push_to_heap(entry);
        }
    }

    /// The source (0: the heap, 1 + i: lane i) of the earliest event, and its key.
    #[inline]
    fn earliest(&self) -> (usize, Key) {
        let s = self.winner[1] as usize & (SOURCES - 1);
        (s, self.heads[s])
    }

    /// Schedules `event` at `time_us`.
    #[inline]
    pub fn push(&mut self, time_us: TimeUs, event: E) {
        let entry = self.entry(time_us, event);
        self.push_to_heap(entry);
    }

    /// Takes the next sequence number now for an event that
    /// [`EventQueue::push_reserved`] schedules later: among events at the
    /// same time it keeps the place it would have had if pushed now.
    #[inline]
    pub fn reserve_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Schedules `event` at `time_us` with a sequence from
    /// [`EventQueue::reserve_seq`]. The order is as if it had been pushed
    /// when the sequence was reserved, provided (`time_us`, `seq`) is not
    /// earlier than the last event popped.
    #[inline]
    pub fn push_reserved(&mut self, time_us: TimeUs, seq: u64, event: E) {
        self.push_to_heap(Entry {
            key: key(time_us, seq),
            event,
        });
    }

    /// The time of the earliest event.
    #[inline]
    pub fn peek_time(&self) -> Option<TimeUs> {
        match self.earliest() {
            (_, EMPTY) => None,
            (_, k) => Some((k >> 64) as TimeUs),
        }
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(TimeUs, E)> {
        self.pop_at_or_before(TimeUs::MAX)
    }

    /// Removes and returns the earliest event if it is due at or before
    /// `limit_us` (one look for both the check and the pop).
    #[inline]
    pub fn pop_at_or_before(&mut self, limit_us: TimeUs) -> Option<(TimeUs, E)> {
        let (src, k) = self.earliest();
        if k == EMPTY || (k >> 64) as TimeUs > limit_us {
            return None;
        }
        let entry = if src == 0 {
            let e = self.heap.pop();
            self.heads[0] = self.heap.peek().map_or(EMPTY, |e| e.key);
            e
        } else {
            let q = &mut self.lanes[src - 1];
            let e = q.pop_front();
            self.heads[src] = q.front().map_or(EMPTY, |e| e.key);
            e
        };
        self.update(src);
        entry.map(|e| (e.time_us(), e.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(VecDeque::len).sum::<usize>()
    }

    /// Number of events in the heap proper (not in a lane).
    pub fn heap_len(&self) -> usize {
        self.heap.len()
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
        q.push_after(0, 3, 'b');
        q.push(3, 'c');
        q.push(1, 'a');
        q.push_lane(1, 5, 'e');
        q.push_after(1, 3, 'd');
        q.push_after(0, 2, 'x');
        q.push_lane(1, 4, 'y'); // earlier than the lane's tail: goes to the heap
        let order: Vec<(u64, char)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (1, 'a'),
                (2, 'x'),
                (3, 'b'),
                (3, 'c'),
                (4, 'd'),
                (4, 'y'),
                (5, 'e')
            ]
        );
    }

    /// An event pushed late with a reserved sequence pops where it would
    /// have popped had it been pushed when the sequence was taken.
    #[test]
    fn a_reserved_sequence_keeps_its_place_among_ties() {
        let mut q = EventQueue::new();
        q.push(7, 'a');
        let seq = q.reserve_seq();
        q.push(7, 'c');
        q.push_after(2, 5, 'd');
        q.push(3, 'x');
        assert_eq!(q.pop(), Some((3, 'x')));
        q.push_reserved(7, seq, 'b');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['a', 'b', 'c', 'd']);
    }

    /// A queue fed through `push_after` pops exactly what a plain heap of
    /// the same pushes pops: (time, sequence) order, including ties, more
    /// distinct delays than lanes, and a `now` that goes back.
    #[test]
    fn delay_lanes_pop_in_the_same_order_as_the_heap_alone() {
        let mut lanes = EventQueue::new();
        let mut heap = EventQueue::new();
        let mut now = 0;
        let mut x: u64 = 12345;
        let mut popped = (Vec::new(), Vec::new());
        for id in 0..20_000u32 {
            x = crate::rng::splitmix64(x);
            // 24 distinct delays (some share a time with another lane), plain
            // pushes too; lanes open one by one while events pop.
            let delay = (x % (1 + u64::from(id) / 500).min(24)) * 5;
            match (x >> 8) % 4 {
                0 => {
                    lanes.push(now + (x >> 16) % 300, id);
                    heap.push(now + (x >> 16) % 300, id);
                }
                1 if id % 1000 == 0 && now > 50 => {
                    // `now` going back: still in order (to the heap).
                    lanes.push_after(now - 50, delay, id);
                    heap.push(now - 50 + delay, id);
                }
                _ => {
                    lanes.push_after(now, delay, id);
                    heap.push(now + delay, id);
                }
            }
            if (x >> 20).is_multiple_of(3) {
                let limit = now + (x >> 24) % 4;
                popped.0.extend(lanes.pop_at_or_before(limit));
                popped.1.extend(heap.pop_at_or_before(limit));
                if let Some(&(t, _)) = popped.1.last() {
                    now = now.max(t);
                }
            }
        }
        assert!(lanes.heap_len() < heap.heap_len());
        assert_eq!(lanes.len(), heap.len());
        popped.0.extend(std::iter::from_fn(|| lanes.pop()));
        popped.1.extend(std::iter::from_fn(|| heap.pop()));
        assert_eq!(popped.0.len(), 20_000);
        assert_eq!(popped.0, popped.1);
    }

    /// `push_after_on` keeps (time, sequence) order whatever lane it is
    /// given: the lane of the delay, another delay's lane, or the heap.
    #[test]
    fn any_delay_lane_keeps_the_order() {
        let (mut lanes, mut heap) = (EventQueue::new(), EventQueue::new());
        let open: Vec<DelayLane> = [3, 7, 20].iter().map(|&d| lanes.delay_lane(d)).collect();
        let mut x: u64 = 99;
        let (mut now, mut popped) = (0, (Vec::new(), Vec::new()));
        for id in 0..10_000u32 {
            x = crate::rng::splitmix64(x);
            let delay = [3, 7, 20, 1][(x % 4) as usize];
            let lane = match (x >> 8) % 5 {
                0..=2 => lanes.delay_lane(delay),
                3 => open[((x >> 16) % 3) as usize],
                _ => DelayLane::HEAP,
            };
            lanes.push_after_on(lane, now, delay, id);
            heap.push(now + delay, id);
            if (x >> 24).is_multiple_of(2) {
                popped.0.extend(lanes.pop());
                popped.1.extend(heap.pop());
                now = popped.1.last().map_or(now, |&(t, _)| now.max(t));
            }
        }
        popped.0.extend(std::iter::from_fn(|| lanes.pop()));
        popped.1.extend(std::iter::from_fn(|| heap.pop()));
        assert_eq!(popped.0.len(), 10_000);
        assert_eq!(popped.0, popped.1);
    }

    /// More named lanes than the tree has sources: the extra ones use the
    /// heap, and the order is still (time, sequence).
    #[test]
    fn named_lanes_beyond_the_sources_keep_the_order() {
        let (mut lanes, mut heap) = (EventQueue::new(), EventQueue::new());
        let mut x: u64 = 7;
        let mut popped = (Vec::new(), Vec::new());
        for id in 0..5_000u32 {
            x = crate::rng::splitmix64(x);
            let t = u64::from(id) + x % 50;
            lanes.push_lane((x >> 8) as usize % (2 * SOURCES), t, id);
            heap.push(t, id);
            if id % 3 == 0 {
                popped.0.extend(lanes.pop());
                popped.1.extend(heap.pop());
            }
        }
        assert_eq!(lanes.lanes.len(), SOURCES - 1);
        popped.0.extend(std::iter::from_fn(|| lanes.pop()));
        popped.1.extend(std::iter::from_fn(|| heap.pop()));
        assert_eq!(popped.0.len(), 5_000);
        assert_eq!(popped.0, popped.1);
    }

    #[test]
    fn pop_at_or_before_leaves_later_events() {
        let mut q = EventQueue::new();
        q.push_after(10, 5, 'b');
        q.push(12, 'a');
        assert_eq!(q.pop_at_or_before(11), None);
        assert_eq!(q.pop_at_or_before(15), Some((12, 'a')));
        assert_eq!(q.pop_at_or_before(14), None);
        assert_eq!(q.pop_at_or_before(15), Some((15, 'b')));
        assert!(q.is_empty());
    }
}
