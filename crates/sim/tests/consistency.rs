//! Stale reads (read-your-writes violations) counted by the engine agree with
//! an independent recount from the per-request trace, and vanish when reads
//! of a user who just wrote go to the primary.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use scalelab_sim::dist::Distribution;
use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::trace::TraceEvent;
use scalelab_sim::{presets, Scenario, Simulation};

/// Stage 5 with a 500 ms replication lag, no fault timeline.
fn stage5(read_your_writes: bool) -> Scenario {
    let mut s = presets::by_name("05-database-replication.json").unwrap();
    s.timeline.clear();
    for c in &mut s.components {
        if let ComponentSpec::Database(d) = &mut c.spec {
            d.replication_lag = Distribution::Constant { mean_ms: 500.0 };
            d.read_your_writes = read_your_writes;
        }
    }
    s
}

/// Reads served by a replica before the replicas applied a write the same
/// user had committed by the time the read reached the database.
fn recount(trace: &[TraceEvent]) -> u64 {
    // Per (user, db): commit times in order and the running max of visible times.
    let mut writes: BTreeMap<(u32, u16), (Vec<u64>, Vec<u64>)> = BTreeMap::new();
    for e in trace {
        if let TraceEvent::Write {
            user,
            db,
            committed_us,
            visible_us,
        } = *e
        {
            let (commits, visible) = writes.entry((user, db)).or_default();
            let prev = visible.last().copied().unwrap_or(0);
            commits.push(committed_us);
            visible.push(prev.max(visible_us));
        }
    }
    trace
        .iter()
        .filter(|e| match **e {
            TraceEvent::ReplicaRead {
                user,
                db,
                arrived_us,
                served_us,
            } => writes.get(&(user, db)).is_some_and(|(commits, visible)| {
                let n = commits.partition_point(|&c| c <= arrived_us);
                n > 0 && visible[n - 1] > served_us
            }),
            TraceEvent::Write { .. } => false,
        })
        .count() as u64
}

fn run(s: &Scenario, seconds: u64) -> (u64, u64, usize) {
    let mut sim = Simulation::new(s).unwrap();
    sim.enable_trace(5_000_000);
    let windows = sim.advance_ms(seconds * 1000);
    let counted: u64 = windows.iter().map(|w| w.stale_reads).sum();
    let (trace, dropped) = sim.trace();
    assert_eq!(dropped, 0, "the trace kept every event");
    let reads = trace
        .iter()
        .filter(|e| matches!(e, TraceEvent::ReplicaRead { .. }))
        .count();
    (counted, recount(trace), reads)
}

#[test]
fn stale_reads_match_an_independent_recount_from_the_trace() {
    let (counted, recounted, reads) = run(&stage5(false), 60);
    println!("stale reads: engine {counted}, trace recount {recounted}, of {reads} replica reads");
    assert!(counted > 0, "500 ms of lag makes some reads stale");
    let diff = counted.abs_diff(recounted) as f64 / counted as f64;
    assert!(
        diff <= 0.01,
        "engine {counted} vs trace {recounted} ({:.2} %)",
        diff * 100.0
    );
}

#[test]
fn read_your_writes_sends_them_to_the_primary_and_none_is_stale() {
    let (counted, recounted, reads) = run(&stage5(true), 60);
    assert!(reads > 0, "replicas still serve the other reads");
    assert_eq!(counted, 0);
    assert_eq!(recounted, 0);
}
