//! An optional, bounded per-request trace of the events that decide
//! consistency: writes with the moment they become visible on the replicas,
//! and reads served by replicas. Tests use it to recount stale reads
//! independently of the engine's own per-user bookkeeping.

use serde::{Deserialize, Serialize};

use crate::engine::TimeUs;

/// One traced event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TraceEvent {
    /// A write committed on a database primary that has replicas.
    Write {
        /// The user who wrote.
        user: u32,
        /// The database (component index).
        db: u16,
        /// When the primary acknowledged it, µs.
        committed_us: TimeUs,
        /// When the replicas have applied it, µs.
        visible_us: TimeUs,
    },
    /// A read served by a replica (not the primary).
    ReplicaRead {
        /// The user who read.
        user: u32,
        /// The database (component index).
        db: u16,
        /// When the read reached the database, µs.
        arrived_us: TimeUs,
        /// When the replica answered it, µs.
        served_us: TimeUs,
    },
}

/// The trace: at most `limit` events, the rest counted as dropped.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trace {
    pub events: Vec<TraceEvent>,
    pub limit: usize,
    pub dropped: u64,
}

impl Trace {
    /// A trace that keeps up to `limit` events.
    pub fn new(limit: usize) -> Self {
        Self {
            events: Vec::new(),
            limit,
            dropped: 0,
        }
    }

    /// Records `e`, or counts it as dropped when full.
    pub fn push(&mut self, e: TraceEvent) {
        if self.events.len() < self.limit {
            self.events.push(e);
        } else {
            self.dropped += 1;
        }
    }
}
