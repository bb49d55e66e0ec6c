//! The engine's folds: a hop or a response that takes no time, and a
//! response that nothing can change before it arrives (a settled one), are
//! handled at once instead of through the event queue, and the figures are
//! the same as if they had been queued (the golden digests in
//! `tests/digests.txt` did not change when each fold came in); and client
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
    // Each request's arrival, hop in and service completion are queued; its
    // response (1 ms back, no client timeout) is settled at once unless it
    // arrives in the next window.
    let queued = sim.events_processed() - sim.events_inline();
    assert!(
        queued >= sum.arrivals + 2 * sum.successes,
        "{queued} {sum:?}"
    );
    assert!(sim.events_inline() <= sum.successes);
    assert!(sim.events_inline() > sum.successes * 9 / 10);
}

/// `s` run for `ms` simulated ms in one call, and again in steps of 1 µs
/// (a response then never arrives within the step that sent it, so none
/// is settled): (digest, settled or zero-delay events) of each.
fn one_call_and_microsteps(s: &scalelab_sim::Scenario, ms: u64) -> [(u64, u64); 2] {
    let mut one = Simulation::new(s).unwrap();
    one.advance_ms(ms);
    let mut steps = Simulation::new(s).unwrap();
    for t in 1..=ms * 1_000 {
        steps.advance_to_us(t);
    }
    [one, steps].map(|sim| (sim.digest(), sim.events_inline()))
}

#[test]
fn settled_responses_give_the_figures_of_queued_ones() {
    // Overloaded stage 5 with a 50 ms client timeout: many responses
    // arrive after their timeout, and must not be settled as successes.
    let mut s = preset("05-database-replication.json");
    for c in &mut s.components {
        if let scalelab_sim::ComponentSpec::Users(u) = &mut c.spec {
            u.client_timeout_ms = 50.0;
            u.users = 40_000;
        }
    }
    // Stage 10: the response to a queued job (publish time + the way back).
    let stage10 = preset("10-message-queue.json");
    for (s, ms) in [(s, 8_000), (stage10, 3_000)] {
        let [(digest_one, settled), (digest_steps, unsettled)] = one_call_and_microsteps(&s, ms);
        assert_eq!(digest_one, digest_steps, "{}", s.name);
        assert_eq!(unsettled, 0, "{}", s.name);
        assert!(settled > 1_000, "{}: {settled}", s.name);
    }
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
