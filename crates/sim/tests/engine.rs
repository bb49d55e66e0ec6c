//! The engine's zero-delay fold: a hop or a response that takes no time is
//! handled at once instead of through the event queue, and the figures are
//! the same as if it had been queued (the golden digests in
//! `tests/digests.txt` did not change when the fold came in); and client
//! timeouts, of which only the earliest one still in flight is an event.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report

mod common;
use common::*;
use scalelab_sim::sizes::InstanceSize;
use scalelab_sim::Simulation;

#[test]
fn zero_latency_hops_and_responses_skip_the_queue() {
    // Users → one M/M/4 station, no network latency: each request's hop in
    // and its response are handled at once; only arrivals and service
    // completions go through the queue.
    let s = mmc(320.0, InstanceSize::Large, 11.0, 5, 30.0);
    let mut sim = Simulation::new(&s).unwrap();
    let sum = sim.run_to_end();
    assert!(sum.successes > 9_000, "{sum:?}");
    assert_eq!(sim.events_inline(), sum.arrivals + sum.successes);
    assert!(sim.events_processed() > sim.events_inline());
}

#[test]
fn hops_with_latency_still_go_through_the_queue() {
    let mut s = mmc(320.0, InstanceSize::Large, 11.0, 5, 30.0);
    s.network.user_to_region_ms = 1.0;
    let mut sim = Simulation::new(&s).unwrap();
    let sum = sim.run_to_end();
    assert!(sum.successes > 9_000);
    assert_eq!(sim.events_inline(), 0);
}

/// Stage 5 (replication; a timeout of `timeout_ms`, `users` users) run for 60 s: digest and events.
fn stage5(timeout_ms: f64, users: u64) -> (u64, u64, u64) {
    let mut s = preset("05-database-replication.json");
    for c in &mut s.components {
        if let scalelab_sim::ComponentSpec::Users(u) = &mut c.spec {
            u.client_timeout_ms = timeout_ms;
            u.users = users;
            u.retries = 0;
        }
    }
    let mut sim = Simulation::new(&s).unwrap();
    sim.advance_ms(60_000);
    let sum = sim.summary();
    (sim.digest(), sim.events_processed(), sum.errors.timeout)
}

#[test]
fn a_client_timeout_that_never_fires_costs_nothing() {
    // Answered requests leave no timeout event behind: the run is the same
    // as one without timeouts, event for event, but for the one armed
    // timeout check every few seconds.
    let (digest_off, events_off, _) = stage5(0.0, 1_000);
    let (digest_on, events_on, timeouts) = stage5(3_000.0, 1_000);
    assert_eq!(timeouts, 0);
    assert_eq!(
        digest_on, digest_off,
        "a timeout that never fires changes nothing"
    );
    assert!(events_on >= events_off);
    assert!(events_on - events_off <= 60, "{events_on} vs {events_off}");
    // Overloaded with a short timeout, timeouts do fire and change the run.
    let (digest_hot, _, timeouts) = stage5(50.0, 40_000);
    assert!(timeouts > 0);
    assert_ne!(digest_hot, stage5(0.0, 40_000).0);
}
