//! `scalelab bench`: the measurement command. Timing with the wall clock is
//! allowed here (and only here): the core itself never reads the time.
//!
//! Three measurements in one run:
//! 1. engine events/s on the single-server design at 90% of its capacity;
//! 2. a bare `BinaryHeap` hold loop with as many pending events as the engine
//!    had on average (pop the earliest, push one at a random exponential
//!    increment), the ceiling an event-list-bound engine could reach;
//! 3. customers/s on an M/M/4 station (λ = 320/s, μ = 100/s per core), with
//!    its simulated mean sojourn next to the Erlang C value.

use crate::load::InputError;
use crate::table::{int, num, Table};
use scalelab_sim::analytic::mmc_wait_s;
use scalelab_sim::rng::Stream;
use scalelab_sim::{presets, ComponentSpec, Scenario, Simulation};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Instant;

/// Fraction of the single-server design's capacity offered in the engine run.
const ENGINE_LOAD: f64 = 0.9;
/// M/M/c parameters: arrival rate (1/s), service rate per core (1/s), cores.
const MMC_LAMBDA: f64 = 320.0;
const MMC_MU: f64 = 100.0;
const MMC_C: u32 = 4;
/// Customers simulated in the M/M/c run.
const MMC_CUSTOMERS: f64 = 200_000.0;

/// Results of one `bench` run.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchResult {
    /// Events the engine processed.
    pub engine_events: u64,
    /// Wall-clock seconds the engine took.
    pub engine_s: f64,
    /// Mean number of pending events in the engine's queue (sampled).
    pub pending_mean: u64,
    /// Wall-clock seconds of the bare heap loop (same number of events).
    pub heap_s: f64,
    /// Customers served in the M/M/c run.
    pub mmc_customers: u64,
    /// Wall-clock seconds of the M/M/c run.
    pub mmc_s: f64,
    /// Simulated mean sojourn at the station (ms).
    pub mmc_sojourn_ms: f64,
    /// Simulated mean end-to-end latency (ms; equals the sojourn with a zero-latency network).
    pub mmc_latency_ms: f64,
    /// Erlang C mean sojourn (ms).
    pub mmc_expected_ms: f64,
}

/// The single-server preset at [`ENGINE_LOAD`] of its analytic capacity.
fn engine_scenario() -> Result<Scenario, InputError> {
    let mut s = presets::single_server();
    let a =
        scalelab_sim::analyze(&s).map_err(|e| InputError(format!("scalelab: bench model: {e}")))?;
    let capacity = a
        .max_sustainable_rps
        .ok_or_else(|| InputError("scalelab: bench model: no capacity figure".into()))?;
    for c in &mut s.components {
        if let ComponentSpec::Users(u) = &mut c.spec {
            let users = u.users.max(1);
            u.users = users;
            u.requests_per_user_per_s = ENGINE_LOAD * capacity / users as f64;
        }
    }
    s.duration_s = scalelab_sim::scenario::limits::DURATION_S;
    Ok(s)
}

/// The M/M/4 model: users → one `large` web instance (4 cores at speed 1.1,
/// so a mean of 11 ms on a `small` core is 10 ms, μ = 100/s per core), an
/// unbounded-in-practice queue, no network latency, no client timeout.
fn mmc_scenario() -> Result<Scenario, InputError> {
    let doc = serde_json::json!({
        "version": scalelab_sim::SCENARIO_VERSION,
        "name": "bench M/M/4",
        "seed": 1,
        "duration_s": MMC_CUSTOMERS / MMC_LAMBDA,
        "network": { "same_dc_ms": 0.0, "user_to_region_ms": 0.0, "cross_region_ms": 0.0 },
        "components": [
            { "id": "users", "spec": { "kind": "users", "users": 320, "requests_per_user_per_s": MMC_LAMBDA / 320.0,
              "mix": { "static": 0.0, "read": 1.0, "write": 0.0, "async": 0.0 }, "client_timeout_ms": 0.0 } },
            { "id": "web", "spec": { "kind": "web_tier", "instances": 1, "size": "large",
              "service": { "dist": "exponential", "mean_ms": 1100.0 / MMC_MU }, "queue_capacity": 1_000_000 } }
        ],
        "edges": [ { "from": "users", "to": "web" } ]
    });
    Scenario::from_json(&doc.to_string())
        .map_err(|e| InputError(format!("scalelab: bench model: {e}")))
}

/// Runs the engine until at least `events` events; returns (events, seconds, mean pending).
fn bench_engine(events: u64) -> Result<(u64, f64, u64), InputError> {
    let scenario = engine_scenario()?;
    let mut sim = Simulation::new(&scenario)
        .map_err(|e| InputError(format!("scalelab: bench model: {e}")))?;
    let (mut samples, mut pending_sum) = (0u64, 0u64);
    let start = Instant::now();
    while sim.events_processed() < events {
        sim.advance_ms(10_000);
        samples += 1;
        pending_sum += sim.pending_events() as u64;
        if sim.now_us() >= 86_400_000_000 {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let pending = pending_sum
        .checked_div(samples)
        .unwrap_or_else(|| sim.in_flight() + 1);
    Ok((sim.events_processed(), secs, pending.max(1)))
}

/// A heap entry like the engine's: ordered by (time, insertion sequence) only.
#[derive(Debug, Clone, Copy)]
struct HeapEntry {
    time_us: u64,
    seq: u64,
    payload: (u32, u32),
}

impl PartialEq for HeapEntry {
    fn eq(&self, other: &Self) -> bool {
        (self.time_us, self.seq) == (other.time_us, other.seq)
    }
}
impl Eq for HeapEntry {}
impl PartialOrd for HeapEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap, the earliest must come first.
        (other.time_us, other.seq).cmp(&(self.time_us, self.seq))
    }
}

/// The hold model on a bare `BinaryHeap`: `pending` events kept, `events`
/// times pop the earliest and push one at now + Exp(mean 1 ms). Returns seconds.
pub fn bench_heap(pending: u64, events: u64) -> f64 {
    let mut rng = Stream::new(7, 0);
    let mean_us = 1_000.0;
    let mut heap = BinaryHeap::with_capacity(pending as usize + 1);
    let mut seq = 0u64;
    for _ in 0..pending {
        let time_us = rng.exponential(mean_us) as u64;
        heap.push(HeapEntry {
            time_us,
            seq,
            payload: (seq as u32, 0),
        });
        seq += 1;
    }
    let mut check = 0u64;
    let start = Instant::now();
    for _ in 0..events {
        let Some(e) = heap.pop() else { break };
        check = check.wrapping_add(u64::from(e.payload.0));
        let time_us = e.time_us + rng.exponential(mean_us) as u64;
        heap.push(HeapEntry {
            time_us,
            seq,
            payload: (seq as u32, e.payload.1 ^ 1),
        });
        seq += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    black_box(check);
    secs
}

/// Runs the M/M/c model to its end.
fn bench_mmc() -> Result<(u64, f64, f64, f64), InputError> {
    let scenario = mmc_scenario()?;
    let mut sim = Simulation::new(&scenario)
        .map_err(|e| InputError(format!("scalelab: bench model: {e}")))?;
    let start = Instant::now();
    let summary = sim.run_to_end();
    let secs = start.elapsed().as_secs_f64();
    let sojourn = summary
        .components
        .iter()
        .find(|c| c.id == "web")
        .map_or(f64::NAN, |c| c.sojourn_ms_mean);
    Ok((summary.successes, secs, sojourn, summary.latency_ms_mean))
}

/// Runs every measurement.
pub fn run(events: u64) -> Result<BenchResult, InputError> {
    if events == 0 {
        return Err(InputError("scalelab: --events must be at least 1".into()));
    }
    if events > 1_000_000_000 {
        return Err(InputError(
            "scalelab: --events must be at most 1,000,000,000".into(),
        ));
    }
    let (engine_events, engine_s, pending_mean) = bench_engine(events)?;
    let heap_s = bench_heap(pending_mean, engine_events);
    let (mmc_customers, mmc_s, mmc_sojourn_ms, mmc_latency_ms) = bench_mmc()?;
    let mmc_expected_ms = (mmc_wait_s(MMC_C, MMC_LAMBDA, MMC_MU) + 1.0 / MMC_MU) * 1_000.0;
    Ok(BenchResult {
        engine_events,
        engine_s,
        pending_mean,
        heap_s,
        mmc_customers,
        mmc_s,
        mmc_sojourn_ms,
        mmc_latency_ms,
        mmc_expected_ms,
    })
}

fn per_s(n: u64, secs: f64) -> String {
    if secs > 0.0 {
        int((n as f64 / secs).round() as u64)
    } else {
        "-".to_string()
    }
}

/// The bench table.
pub fn report(r: &BenchResult) -> String {
    let mut t = Table::new(["measure", "value"]);
    let build = if cfg!(debug_assertions) {
        "debug (use --release for real figures)"
    } else {
        "optimized"
    };
    t.row(["build".to_string(), build.to_string()]);
    t.row([
        "engine: model".to_string(),
        format!(
            "01-single-server at {:.0}% of capacity",
            ENGINE_LOAD * 100.0
        ),
    ]);
    t.row(["engine: events".to_string(), int(r.engine_events)]);
    t.row([
        "engine: mean pending events".to_string(),
        int(r.pending_mean),
    ]);
    t.row(["engine: wall time s".to_string(), num(r.engine_s, 3)]);
    t.row([
        "engine: events/s".to_string(),
        per_s(r.engine_events, r.engine_s),
    ]);
    t.row([
        "bare BinaryHeap: events/s".to_string(),
        per_s(r.engine_events, r.heap_s),
    ]);
    let ratio = if r.engine_s > 0.0 {
        r.heap_s / r.engine_s
    } else {
        f64::NAN
    };
    t.row(["engine / bare heap".to_string(), num(ratio, 3)]);
    t.row([
        "M/M/4 (λ=320, μ=100): customers".to_string(),
        int(r.mmc_customers),
    ]);
    t.row(["M/M/4: wall time s".to_string(), num(r.mmc_s, 3)]);
    t.row([
        "M/M/4: customers/s".to_string(),
        per_s(r.mmc_customers, r.mmc_s),
    ]);
    t.row([
        "M/M/4: mean sojourn ms, simulated".to_string(),
        num(r.mmc_sojourn_ms, 3),
    ]);
    t.row([
        "M/M/4: mean latency ms, simulated".to_string(),
        num(r.mmc_latency_ms, 3),
    ]);
    t.row([
        "M/M/4: mean sojourn ms, Erlang C".to_string(),
        num(r.mmc_expected_ms, 3),
    ]);
    let diff = (r.mmc_sojourn_ms / r.mmc_expected_ms - 1.0) * 100.0;
    t.row([
        "M/M/4: simulated vs Erlang C".to_string(),
        format!("{:+.2} %", diff),
    ]);
    t.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_load() {
        assert!(engine_scenario().is_ok());
        assert!(mmc_scenario().is_ok());
    }

    #[test]
    fn heap_loop_runs() {
        assert!(bench_heap(10, 1_000) >= 0.0);
    }
}
