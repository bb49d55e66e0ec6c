//! A rewindable timeline: periodic checkpoints of a run, bounded in number
//! and memory, and a log of the actions applied from outside the scenario
//! (faults, traffic changes), so any earlier moment can be rebuilt exactly.
//!
//! A checkpoint is a clone of the whole state (a [`crate::Simulation`] clone
//! resumes bit-identically). When the store is full, every other checkpoint
//! is dropped and the spacing doubles, so the kept ones stay evenly spread
//! over the run. To go back to `t`, restore the latest checkpoint at or
//! before `t`, replay the logged actions after it up to `t`, and advance to
//! `t`: the same state as the uninterrupted run had at `t`.

/// One kept moment of the run.
#[derive(Debug, Clone)]
pub struct Checkpoint<S> {
    /// Simulated time of the copy, ms.
    pub t_ms: u64,
    /// How many logged actions had been applied when it was taken.
    pub log_len: usize,
    /// Estimated size of the copy, bytes.
    pub bytes: usize,
    /// The copy.
    pub state: S,
}

/// Periodic checkpoints with a bound on their count and total size.
#[derive(Debug, Clone)]
pub struct Rewind<S> {
    every_ms: u64,
    max_count: usize,
    max_bytes: usize,
    points: Vec<Checkpoint<S>>,
}

impl<S: Clone> Rewind<S> {
    /// A store taking a checkpoint every `every_ms` simulated ms (at least
    /// 1), keeping at most `max_count` (at least 2) and about `max_bytes`.
    pub fn new(every_ms: u64, max_count: usize, max_bytes: usize) -> Self {
        Rewind {
            every_ms: every_ms.max(1),
            max_count: max_count.max(2),
            max_bytes,
            points: Vec::new(),
        }
    }

    /// Simulated time at which the next checkpoint is due, ms.
    pub fn next_due_ms(&self) -> u64 {
        self.points.last().map_or(0, |p| p.t_ms + self.every_ms)
    }

    /// Current spacing between checkpoints, ms (doubles at each thinning).
    pub fn every_ms(&self) -> u64 {
        self.every_ms
    }

    /// The kept checkpoints, oldest first.
    pub fn points(&self) -> &[Checkpoint<S>] {
        &self.points
    }

    /// Estimated bytes held.
    pub fn bytes(&self) -> usize {
        self.points.iter().map(|p| p.bytes).sum()
    }

    /// Keeps a copy of `state` at `t_ms` if one is due; `bytes` is its estimated size.
    pub fn offer(&mut self, t_ms: u64, log_len: usize, bytes: usize, state: &S) {
        if !self.points.is_empty() && t_ms < self.next_due_ms() {
            return;
        }
        self.points.push(Checkpoint {
            t_ms,
            log_len,
            bytes,
            state: state.clone(),
        });
        while self.points.len() > self.max_count
            || (self.points.len() > 2 && self.bytes() > self.max_bytes)
        {
            self.thin();
        }
    }

    /// Drops every other checkpoint (the first is always kept) and doubles the spacing.
    fn thin(&mut self) {
        let mut i = 0;
        self.points.retain(|_| {
            i += 1;
            i % 2 == 1
        });
        self.every_ms = self.every_ms.saturating_mul(2);
    }

    /// The latest checkpoint at or before `t_ms`.
    pub fn at_or_before(&self, t_ms: u64) -> Option<&Checkpoint<S>> {
        self.points.iter().rev().find(|p| p.t_ms <= t_ms)
    }

    /// Forgets the checkpoints after `t_ms` (the run is re-played from there).
    pub fn truncate_after(&mut self, t_ms: u64) {
        self.points.retain(|p| p.t_ms <= t_ms);
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.points.clear();
    }
}

/// A rough size of a simulation's state, bytes, for the checkpoint budget:
/// a fixed part, the pending events, the requests in flight, the per-user
/// state and the cache entries (each with a generous per-item size).
pub fn approx_sim_bytes(sim: &crate::Simulation) -> usize {
    use crate::scenario::ComponentSpec as C;
    let per_design: u64 = sim
        .scenario()
        .components
        .iter()
        .map(|c| match &c.spec {
            C::Users(u) => u.users.saturating_mul(16),
            C::Cache(k) => k.capacity_keys.saturating_mul(64),
            C::Cdn(k) => k.capacity_objects.saturating_mul(64),
            _ => 1_024,
        })
        .fold(0u64, u64::saturating_add);
    let live = (sim.pending_events() as u64)
        .saturating_mul(48)
        .saturating_add(sim.in_flight().saturating_mul(128));
    usize::try_from(per_design.saturating_add(live).saturating_add(64 * 1024)).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_is_bounded_and_thinning_keeps_them_even() {
        let mut r = Rewind::new(10, 4, usize::MAX);
        for t in (0..=1_000).step_by(1) {
            if t >= r.next_due_ms() {
                r.offer(t, 0, 1, &t);
            }
            assert!(r.points().len() <= 4);
        }
        let ts: Vec<u64> = r.points().iter().map(|p| p.t_ms).collect();
        assert_eq!(ts[0], 0);
        let gaps: Vec<u64> = ts.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.iter().all(|g| *g == r.every_ms()), "{ts:?}");
        assert!(r.every_ms() > 10);
    }

    #[test]
    fn bytes_are_bounded() {
        let mut r = Rewind::new(1, 1_000, 100);
        for t in 0..500 {
            r.offer(t, 0, 30, &t);
            assert!(r.bytes() <= 100 || r.points().len() <= 2);
        }
    }

    #[test]
    fn lookup_and_truncate() {
        let mut r = Rewind::new(10, 8, usize::MAX);
        for t in [0, 10, 20, 30] {
            r.offer(t, t as usize, 1, &t);
        }
        assert_eq!(r.at_or_before(25).map(|p| p.t_ms), Some(20));
        assert_eq!(r.at_or_before(30).map(|p| p.state), Some(30));
        r.truncate_after(15);
        assert_eq!(r.next_due_ms(), 20);
        assert_eq!(r.points().len(), 2);
    }
}
