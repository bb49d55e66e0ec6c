//! Runtime state of stations, instances, requests and caches.

use crate::engine::TimeUs;
use crate::scenario::Eviction;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// The caches' hasher: Fx (rustc-hash), fixed and fast on `u32` keys. No
/// map here is walked in hash order, so the hasher cannot change a result; a
/// fixed one also keeps their memory layout the same run to run.
pub(crate) type FixedState = rustc_hash::FxBuildHasher;

/// Request kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Static,
    Read,
    Write,
    Async,
    /// A job taken from a message queue (no user waits for it).
    Job,
    /// Background work (key migration while resharding).
    Internal,
}

/// Where a request is in its journey through a web tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Travelling forward along the entry path.
    Entry,
    /// At the session store for its web instance.
    Session,
    /// Back at the web instance, to be served.
    WebService,
    /// At the backends behind the web tier.
    Backend,
}

/// One request (or job) in flight. Lives in the slab until its work ends.
///
/// Aligned to 64 bytes, its size: a record is exactly one cache line, where
/// an 8-byte alignment let three in four straddle two (cachegrind, 3
/// simulated s of stage 13: 22 % fewer L1 misses; docs/benchmarks.md,
/// session 8).
#[derive(Debug, Clone)]
#[repr(align(64))]
pub(crate) struct Req {
    pub gen: u32,
    pub kind: Kind,
    pub stage: Stage,
    pub key: u32,
    pub user: u32,
    pub users_comp: u16,
    pub attempt: u8,
    /// The user gave up (timeout) or the request already failed: no response counts.
    pub finished: bool,
    pub arrival_us: TimeUs,
    /// One-way latency of the forward path so far: the response pays it back.
    pub back_us: TimeUs,
    /// When it entered the station it is at (for sojourn times).
    pub entered_us: TimeUs,
    pub web_comp: u16,
    pub web_inst: u16,
    /// Instance chosen upstream (by a load balancer) for the component it travels to.
    pub target_inst: u16,
    /// For a read at a database: when the user's latest acknowledged write is
    /// applied on the replicas, as known when the read arrived.
    pub seen_write_us: TimeUs,
    /// Stateful web tier: the user's session (as in `UserState::session`)
    /// when this attempt was sent, i.e. the cookie it carries; 0 = none.
    pub session: u32,
    /// While in service: its index in its instance's `in_service`, so a
    /// completion finds it without a search (checked before use; a search
    /// if it does not match).
    pub service_slot: u16,
}

/// A slab of requests with a free list: no allocation per request in steady state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Slab {
    pub items: Vec<Req>,
    free: Vec<u32>,
    pub live: u64,
}

impl Slab {
    pub fn alloc(&mut self, r: Req) -> u32 {
        self.live += 1;
        if let Some(i) = self.free.pop() {
            let gen = self.items[i as usize].gen.wrapping_add(1);
            self.items[i as usize] = Req { gen, ..r };
            i
        } else {
            self.items.push(r);
            (self.items.len() - 1) as u32
        }
    }

    pub fn release(&mut self, i: u32) {
        self.live -= 1;
        let r = &mut self.items[i as usize];
        r.gen = r.gen.wrapping_add(1);
        self.free.push(i);
    }
}

/// One instance (server, node, replica, shard) of a station.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub cores: u32,
    pub speed: f64,
    pub busy: u32,
    pub queue: VecDeque<u32>,
    pub in_service: Vec<u32>,
    /// Alive (not failed).
    pub up: bool,
    /// Booted and part of the tier (not removed by scale-in).
    pub active: bool,
    /// Starting up: joins the tier when its boot time is over.
    pub booting: bool,
    /// Cumulative core-µs busy, and when it was last brought up to date.
    pub busy_int: f64,
    pub last_us: TimeUs,
    /// Incremented at every failure: completions scheduled before it are void.
    pub epoch: u32,
    pub served: u64,
}

impl Instance {
    pub fn new(cores: u32, speed: f64, active: bool) -> Self {
        Instance {
            cores,
            speed,
            busy: 0,
            queue: VecDeque::new(),
            in_service: Vec::new(),
            up: true,
            active,
            booting: !active,
            busy_int: 0.0,
            last_us: 0,
            epoch: 0,
            served: 0,
        }
    }

    /// Can take new work.
    pub fn serving(&self) -> bool {
        self.up && self.active
    }

    /// Brings the busy-time integral up to `now`.
    pub fn touch(&mut self, now: TimeUs) {
        self.busy_int += f64::from(self.busy) * now.saturating_sub(self.last_us) as f64;
        self.last_us = now;
    }

    /// Still part of the tier (active or booting), i.e. not removed by scale-in.
    pub fn present(&self) -> bool {
        self.active || self.booting
    }

    pub fn load(&self) -> usize {
        self.busy as usize + self.queue.len()
    }
}

/// Time integrals and counters of a component, for utilization and Little's law.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stats {
    pub last_us: TimeUs,
    pub busy_now: u64,
    pub cap_now: u64,
    pub nsys_now: u64,
    /// Cumulative core-µs busy, core-µs available, request-µs in system.
    pub busy_int: f64,
    pub cap_int: f64,
    pub nsys_int: f64,
    pub arrivals: u64,
    pub completions: u64,
    pub sojourn_sum_us: f64,
    pub hits: u64,
    pub lookups: u64,
    pub lag_sum_ms: f64,
    pub lag_n: u64,
}

impl Stats {
    pub fn integrate(&mut self, now: TimeUs) {
        let dt = now.saturating_sub(self.last_us) as f64;
        if dt > 0.0 {
            self.busy_int += self.busy_now as f64 * dt;
            self.cap_int += self.cap_now as f64 * dt;
            self.nsys_int += self.nsys_now as f64 * dt;
        }
        self.last_us = now;
    }
}

/// A key cache with a capacity, an eviction policy and a per-entry TTL.
#[derive(Debug, Clone)]
pub(crate) enum KeyCache {
    /// schnellru's map (only ever walked in recency order, never in hash
    /// order: its hasher does not affect results). Its entries and their
    /// recency links live in the hash table's own buckets, so a look-up
    /// touches fewer cache lines than with a list of boxed nodes
    /// (docs/benchmarks.md, session 11); a clone keeps the same recency order.
    Lru(schnellru::LruMap<u32, TimeUs, schnellru::ByLength, FixedState>),
    Lfu(Lfu),
}

/// Least-frequently-used cache: ties broken by least recent use.
#[derive(Debug, Clone)]
pub(crate) struct Lfu {
    cap: usize,
    /// key -> (frequency, last-use tick, expiry)
    entries: HashMap<u32, (u64, u64, TimeUs), FixedState>,
    /// (frequency, last-use tick, key): the first is the victim.
    order: BTreeSet<(u64, u64, u32)>,
    tick: u64,
}

impl KeyCache {
    pub fn new(eviction: Eviction, capacity: u64) -> Self {
        let cap = capacity.max(1) as usize;
        match eviction {
            Eviction::Lru => KeyCache::Lru(schnellru::LruMap::with_hasher(
                schnellru::ByLength::new(u32::try_from(cap).unwrap_or(u32::MAX)),
                FixedState::default(),
            )),
            Eviction::Lfu => KeyCache::Lfu(Lfu {
                cap,
                entries: HashMap::with_hasher(FixedState::default()),
                order: BTreeSet::new(),
                tick: 0,
            }),
        }
    }

    /// Looks `key` up at `now`; a hit refreshes recency/frequency. Expired entries miss.
    pub fn get(&mut self, key: u32, now: TimeUs) -> bool {
        match self {
            KeyCache::Lru(c) => match c.get(&key) {
                Some(&mut exp) if exp > now => true,
                Some(_) => {
                    c.remove(&key);
                    false
                }
                None => false,
            },
            KeyCache::Lfu(c) => {
                c.tick += 1;
                let tick = c.tick;
                match c.entries.get_mut(&key) {
                    Some(e) if e.2 > now => {
                        c.order.remove(&(e.0, e.1, key));
                        e.0 += 1;
                        e.1 = tick;
                        c.order.insert((e.0, e.1, key));
                        true
                    }
                    Some(e) => {
                        c.order.remove(&(e.0, e.1, key));
                        c.entries.remove(&key);
                        false
                    }
                    None => false,
                }
            }
        }
    }

    /// Inserts `key` valid until `expiry`, evicting if full.
    pub fn put(&mut self, key: u32, expiry: TimeUs) {
        match self {
            KeyCache::Lru(c) => {
                c.insert(key, expiry);
            }
            KeyCache::Lfu(c) => {
                c.tick += 1;
                if let Some(e) = c.entries.get(&key).copied() {
                    c.order.remove(&(e.0, e.1, key));
                }
                if c.entries.len() >= c.cap && !c.entries.contains_key(&key) {
                    if let Some(victim) = c.order.pop_first() {
                        c.entries.remove(&victim.2);
                    }
                }
                c.entries.insert(key, (1, c.tick, expiry));
                c.order.insert((1, c.tick, key));
            }
        }
    }

    /// Drops `key` (a write invalidates it).
    pub fn invalidate(&mut self, key: u32) {
        match self {
            KeyCache::Lru(c) => {
                c.remove(&key);
            }
            KeyCache::Lfu(c) => {
                if let Some(e) = c.entries.remove(&key) {
                    c.order.remove(&(e.0, e.1, key));
                }
            }
        }
    }

    /// Empties the cache (a node restart).
    pub fn clear(&mut self) {
        match self {
            KeyCache::Lru(c) => c.clear(),
            KeyCache::Lfu(c) => {
                c.entries.clear();
                c.order.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_evicts_least_recent_and_honours_ttl() {
        let mut c = KeyCache::new(Eviction::Lru, 2);
        c.put(1, 100);
        c.put(2, 100);
        assert!(c.get(1, 0));
        c.put(3, 100); // evicts 2
        assert!(!c.get(2, 0));
        assert!(c.get(1, 0));
        assert!(!c.get(1, 100), "expired at its expiry time");
    }

    /// A copy (a checkpoint) keeps the recency order: both evict the same keys.
    #[test]
    fn a_cloned_lru_evicts_what_the_original_evicts() {
        let mut a = KeyCache::new(Eviction::Lru, 3);
        for k in [1, 2, 3] {
            a.put(k, 100);
        }
        assert!(a.get(1, 0)); // recency now, least recent first: 2, 3, 1
        let mut b = a.clone();
        for c in [&mut a, &mut b] {
            c.put(4, 100); // evicts 2
            c.put(5, 100); // evicts 3
            let kept: Vec<bool> = (1..=5).map(|k| c.get(k, 0)).collect();
            assert_eq!(kept, [true, false, false, true, true]);
        }
    }

    #[test]
    fn lfu_evicts_least_frequent() {
        let mut c = KeyCache::new(Eviction::Lfu, 2);
        c.put(1, 100);
        c.put(2, 100);
        assert!(c.get(1, 0));
        assert!(c.get(1, 0));
        assert!(c.get(2, 0));
        c.put(3, 100); // 2 used twice (put+get), 1 three times: evicts 2
        assert!(c.get(1, 0));
        assert!(!c.get(2, 0));
        c.invalidate(1);
        assert!(!c.get(1, 0));
    }

    // proptest is a native dev-dependency (the wasm tests run in Chromium).
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The LRU cache against the definition: a list in recency order,
        /// the most recent last; a hit (unexpired) moves the key last, an
        /// expired hit drops it, a put of a new key into a full cache drops
        /// the first. Random gets, puts, invalidations and clears.
        #[test]
        fn lru_behaves_as_the_definition(
            cap in 1u64..6,
            ops in proptest::collection::vec((0u8..10, 0u32..8, 0u64..50), 0..300),
        ) {
            let mut cache = KeyCache::new(Eviction::Lru, cap);
            let mut model: Vec<(u32, TimeUs)> = Vec::new();
            for (i, (op, key, t)) in ops.into_iter().enumerate() {
                let now = i as TimeUs;
                let pos = model.iter().position(|&(k, _)| k == key);
                match op {
                    0..=4 => {
                        let hit = match pos {
                            Some(p) => {
                                let e = model.remove(p);
                                if e.1 > now {
                                    model.push(e);
                                }
                                e.1 > now
                            }
                            None => false,
                        };
                        proptest::prop_assert_eq!(cache.get(key, now), hit, "get {} at {}", key, now);
                    }
                    5..=7 => {
                        cache.put(key, now + t);
                        match pos {
                            Some(p) => {
                                model.remove(p);
                            }
                            None if model.len() as u64 >= cap => {
                                model.remove(0);
                            }
                            None => {}
                        }
                        model.push((key, now + t));
                    }
                    8 => {
                        cache.invalidate(key);
                        if let Some(p) = pos {
                            model.remove(p);
                        }
                    }
                    _ => {
                        cache.clear();
                        model.clear();
                    }
                }
            }
            // What is left: the model's keys and no other (each probed on a
            // copy at t = 0, so no probe changes what the next one sees).
            for key in 0..8 {
                let kept = model.iter().any(|&(k, exp)| k == key && exp > 0);
                proptest::prop_assert_eq!(cache.clone().get(key, 0), kept, "key {} at the end", key);
            }
        }
    }

    /// A request record fills one cache line: a field more would make it
    /// two (128 bytes with the alignment), a cost to weigh, not to drift into.
    #[test]
    fn a_request_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<Req>(), 64);
        assert_eq!(std::mem::align_of::<Req>(), 64);
    }
}
