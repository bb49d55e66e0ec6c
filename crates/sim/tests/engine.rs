//! The engine's zero-delay fold: a hop or a response that takes no time is
//! handled at once instead of through the event queue, and the figures are
//! the same as if it had been queued (the golden digests in
//! `tests/digests.txt` did not change when the fold came in).
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
