//! `scalelab bench`: the measurement command. Timing with the wall clock is
//! allowed here (and only here): the core itself never reads the time.
//!
//! Measurements in one run, each repeated `--reps` times (the short M/M/4 run
//! three times as often) with the engine and
//! its heap baseline interleaved (the machines are noisy; medians are reported):
//! 1. engine events/s on three models: stage 13 (`13-millions-of-users.json`,
//!    the first `--stage13-s` simulated seconds), the M/M/4 station below, and
//!    the single-server design at 90% of its capacity (`--events` events);
//! 2. for each, a bare `BinaryHeap` hold loop with as many pending events as
//!    the engine had on average (pop the earliest, push one at a random
//!    exponential increment) and as many events: the ceiling an
//!    event-list-bound engine could reach; the ratio is engine ÷ heap speed.
//!    (client timeouts are not pending events: only the earliest one still
//!    in flight is, see `Simulation::arm_timeout`);
//! 3. customers/s on an M/M/4 station (λ = 320/s, μ = 100/s per core,
//!    200 000 customers), with its simulated mean sojourn next to Erlang C.
//!
//! `--json` prints the figures for `cargo xtask bench`.

use crate::load::InputError;
use crate::table::{int, num, Table};
use scalelab_sim::analytic::mmc_wait_s;
use scalelab_sim::rng::Stream;
use scalelab_sim::{presets, ComponentSpec, Scenario, Simulation};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Instant;

/// Fraction of the single-server design's capacity offered in the engine run.
const ENGINE_LOAD: f64 = 0.9;
/// M/M/c parameters: arrival rate (1/s), service rate per core (1/s), cores.
pub const MMC_LAMBDA: f64 = 320.0;
pub const MMC_MU: f64 = 100.0;
pub const MMC_C: u32 = 4;
/// Customers simulated in the M/M/c run (on average: arrivals are Poisson over
/// `MMC_CUSTOMERS / MMC_LAMBDA` simulated seconds).
pub const MMC_CUSTOMERS: f64 = 200_000.0;
/// The M/M/c model is repeated this many times `--reps` (its runs are short).
const MMC_REP_FACTOR: u32 = 3;
/// The stage-13 scenario file.
const STAGE13: &str = "13-millions-of-users.json";

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchOptions<'a> {
    /// Engine events in the single-server run.
    pub events: u64,
    /// Simulated seconds of stage 13.
    pub stage13_s: f64,
    /// Repetitions of every measurement.
    pub reps: u32,
    /// Measure only this model (one of [`MODELS`]); `None`: all of them.
    /// `cargo xtask bench` pairs M/M/4 runs with SimPy's this way.
    pub only: Option<&'a str>,
}

/// The models `scalelab bench` measures, by their short names.
pub const MODELS: [&str; 3] = ["stage13", "mmc", "single_server"];

/// One engine model measured against the bare heap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EngineRow {
    /// Short name (`stage13`, `mmc`, `single_server`).
    pub model: String,
    /// What the model is.
    pub description: String,
    /// Simulated seconds per repetition.
    pub sim_s: f64,
    /// Events per repetition (from the queue plus those handled at once).
    pub events: u64,
    /// Of `events`, the zero-delay hops and responses handled at once,
    /// without the event queue.
    pub events_inline: u64,
    /// Mean pending events (sampled every `sample_ms` simulated ms).
    pub pending_mean: u64,
    /// Median engine events per wall second.
    pub engine_events_per_s: f64,
    /// Median bare-heap events per wall second.
    pub heap_events_per_s: f64,
    /// Median of engine ÷ heap speed (per repetition, the two measured back to back).
    pub ratio: f64,
    /// Every repetition's engine events/s.
    pub engine_events_per_s_all: Vec<f64>,
    /// Every repetition's ratio.
    pub ratio_all: Vec<f64>,
}

/// The M/M/4 model's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MmcRow {
    /// Arrival rate (1/s).
    pub lambda: f64,
    /// Service rate per server (1/s).
    pub mu: f64,
    /// Servers.
    pub c: u32,
    /// Customers served in one repetition.
    pub customers: u64,
    /// Median customers per wall second.
    pub customers_per_s: f64,
    /// Every repetition's customers/s.
    pub customers_per_s_all: Vec<f64>,
    /// Simulated mean sojourn at the station (ms).
    pub sojourn_ms: f64,
    /// Simulated mean end-to-end latency (ms; equals the sojourn with a zero-latency network).
    pub latency_ms: f64,
    /// Erlang C mean sojourn (ms).
    pub erlang_c_ms: f64,
}

/// Results of one `bench` run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchResult {
    /// `optimized` or `debug`.
    pub build: String,
    /// Repetitions of every measurement.
    pub reps: u32,
    /// The engine models, each against its bare heap.
    pub engines: Vec<EngineRow>,
    /// The M/M/4 customers/s and sojourn.
    pub mmc: MmcRow,
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

/// One timed engine run: events, wall seconds, mean pending events and the
/// finished simulation (for its summary).
struct EngineRun {
    events: u64,
    events_inline: u64,
    secs: f64,
    pending: u64,
    sim: Simulation,
}

/// Runs `scenario` from t = 0 in steps of `step_ms` simulated ms until
/// `end_ms` or `max_events`, sampling the pending events after every step.
/// Building the simulation is not timed.
fn run_engine(
    scenario: &Scenario,
    step_ms: u64,
    end_ms: u64,
    max_events: u64,
) -> Result<EngineRun, InputError> {
    let mut sim =
        Simulation::new(scenario).map_err(|e| InputError(format!("scalelab: bench model: {e}")))?;
    let (mut samples, mut pending_sum) = (0u64, 0u64);
    let start = Instant::now();
    while sim.events_processed() < max_events && sim.now_us() < end_ms * 1_000 {
        let step = step_ms.min(end_ms - sim.now_us() / 1_000).max(1);
        black_box(sim.advance_ms(step));
        samples += 1;
        pending_sum += sim.pending_events() as u64;
    }
    let secs = start.elapsed().as_secs_f64();
    let pending = pending_sum.checked_div(samples).unwrap_or(1).max(1);
    Ok(EngineRun {
        events: sim.events_processed(),
        events_inline: sim.events_inline(),
        secs,
        pending,
        sim,
    })
}

/// The median of `xs` (NaN when empty).
fn median(xs: &[f64]) -> f64 {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// `n / secs`, NaN when no time was measured.
fn rate(n: u64, secs: f64) -> f64 {
    if secs > 0.0 {
        n as f64 / secs
    } else {
        f64::NAN
    }
}

/// Measures one model `reps` times (engine, then the heap loop with the same
/// pending events and event count); `each` sees every finished run.
fn engine_row(
    model: &str,
    description: String,
    scenario: &Scenario,
    (step_ms, end_ms, max_events): (u64, u64, u64),
    reps: u32,
    mut each: impl FnMut(&mut EngineRun),
) -> Result<EngineRow, InputError> {
    let (mut engine, mut heap, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    let (mut events, mut events_inline, mut pending, mut sim_s) = (0, 0, 0, 0.0);
    for _ in 0..reps.max(1) {
        let mut run = run_engine(scenario, step_ms, end_ms, max_events)?;
        let heap_s = bench_heap(run.pending, run.events);
        engine.push(rate(run.events, run.secs));
        heap.push(rate(run.events, heap_s));
        ratio.push(if run.secs > 0.0 {
            heap_s / run.secs
        } else {
            f64::NAN
        });
        (events, events_inline, pending) = (run.events, run.events_inline, run.pending);
        sim_s = run.sim.now_us() as f64 / 1e6;
        each(&mut run);
    }
    Ok(EngineRow {
        model: model.to_string(),
        description,
        sim_s,
        events,
        events_inline,
        pending_mean: pending,
        engine_events_per_s: median(&engine),
        heap_events_per_s: median(&heap),
        ratio: median(&ratio),
        engine_events_per_s_all: engine,
        ratio_all: ratio,
    })
}

/// Runs every measurement.
pub fn run(opts: BenchOptions) -> Result<BenchResult, InputError> {
    let BenchOptions {
        events,
        stage13_s,
        reps,
        only,
    } = opts;
    if let Some(m) = only.filter(|m| !MODELS.contains(m)) {
        return Err(InputError(format!(
            "scalelab: --only must be one of {} (got `{m}`)",
            MODELS.join(", ")
        )));
    }
    let wanted = |model: &str| only.is_none_or(|m| m == model);
    if events == 0 {
        return Err(InputError("scalelab: --events must be at least 1".into()));
    }
    if events > 1_000_000_000 {
        return Err(InputError(
            "scalelab: --events must be at most 1,000,000,000".into(),
        ));
    }
    if !(stage13_s.is_finite() && stage13_s > 0.0 && stage13_s <= 3_600.0) {
        return Err(InputError(format!(
            "scalelab: --stage13-s must be above 0 and at most 3600 (got {stage13_s})"
        )));
    }
    if reps == 0 || reps > 100 {
        return Err(InputError(
            "scalelab: --reps must be between 1 and 100".into(),
        ));
    }
    let mut engines = Vec::new();
    if wanted("stage13") {
        let stage13 = presets::by_name(STAGE13)
            .ok_or_else(|| InputError(format!("scalelab: bench model: {STAGE13} does not load")))?;
        let stage13_ms = (stage13_s * 1_000.0).round().max(1.0) as u64;
        engines.push(engine_row(
            "stage13",
            format!("{STAGE13}, first {stage13_s} simulated s"),
            &stage13,
            (100, stage13_ms, u64::MAX),
            reps,
            |_| {},
        )?);
    }

    let (mut customers, mut customers_per_s) = (0, Vec::new());
    let (mut sojourn_ms, mut latency_ms) = (f64::NAN, f64::NAN);
    if wanted("mmc") {
        let mmc = mmc_scenario()?;
        let mmc_end_ms = (mmc.duration_s * 1_000.0).round() as u64;
        engines.push(engine_row(
            "mmc",
            format!(
                "M/M/{MMC_C} station, λ={MMC_LAMBDA}, μ={MMC_MU}, {} customers",
                MMC_CUSTOMERS
            ),
            &mmc,
            (100, mmc_end_ms, u64::MAX),
            // A run takes a tenth of a second: more of them steady the median.
            reps.saturating_mul(MMC_REP_FACTOR),
            |run| {
                let summary = run.sim.summary();
                customers = summary.successes;
                customers_per_s.push(rate(summary.successes, run.secs));
                sojourn_ms = summary
                    .components
                    .iter()
                    .find(|c| c.id == "web")
                    .map_or(f64::NAN, |c| c.sojourn_ms_mean);
                latency_ms = summary.latency_ms_mean;
            },
        )?);
    }

    if wanted("single_server") {
        let single = engine_scenario()?;
        engines.push(engine_row(
            "single_server",
            format!(
                "01-single-server at {:.0}% of capacity, {events} events",
                ENGINE_LOAD * 100.0
            ),
            &single,
            (10_000, 86_400_000, events),
            reps,
            |_| {},
        )?);
    }

    let erlang_c_ms = (mmc_wait_s(MMC_C, MMC_LAMBDA, MMC_MU) + 1.0 / MMC_MU) * 1_000.0;
    Ok(BenchResult {
        build: if cfg!(debug_assertions) {
            "debug".into()
        } else {
            "optimized".into()
        },
        reps,
        engines,
        mmc: MmcRow {
            lambda: MMC_LAMBDA,
            mu: MMC_MU,
            c: MMC_C,
            customers,
            customers_per_s: median(&customers_per_s),
            customers_per_s_all: customers_per_s,
            sojourn_ms,
            latency_ms,
            erlang_c_ms,
        },
    })
}

fn per_s(x: f64) -> String {
    if x.is_finite() {
        int(x.round() as u64)
    } else {
        "-".to_string()
    }
}

/// The bench table.
pub fn report(r: &BenchResult) -> String {
    let mut t = Table::new(["measure", "value"]);
    let build = if r.build == "debug" {
        "debug (use --release for real figures)"
    } else {
        "optimized"
    };
    t.row(["build".to_string(), build.to_string()]);
    t.row([
        "repetitions (medians shown)".to_string(),
        format!(
            "{} (M/M/4: {})",
            r.reps,
            r.reps.saturating_mul(MMC_REP_FACTOR)
        ),
    ]);
    for e in &r.engines {
        let m = &e.model;
        t.row([format!("{m}: model"), e.description.clone()]);
        t.row([format!("{m}: events per repetition"), int(e.events)]);
        t.row([
            format!("{m}: of which handled at once (zero-delay hops, responses)"),
            int(e.events_inline),
        ]);
        t.row([format!("{m}: mean pending events"), int(e.pending_mean)]);
        t.row([
            format!("{m}: engine events/s"),
            per_s(e.engine_events_per_s),
        ]);
        t.row([
            format!("{m}: bare BinaryHeap events/s"),
            per_s(e.heap_events_per_s),
        ]);
        t.row([format!("{m}: engine / bare heap"), num(e.ratio, 3)]);
    }
    let m = &r.mmc;
    if m.customers_per_s_all.is_empty() {
        // `--only` left the M/M/c model out.
        return t.render();
    }
    t.row([format!("M/M/{} customers", m.c), int(m.customers)]);
    t.row([
        format!("M/M/{}: customers/s", m.c),
        per_s(m.customers_per_s),
    ]);
    t.row([
        format!("M/M/{}: mean sojourn ms, simulated", m.c),
        num(m.sojourn_ms, 3),
    ]);
    t.row([
        format!("M/M/{}: mean latency ms, simulated", m.c),
        num(m.latency_ms, 3),
    ]);
    t.row([
        format!("M/M/{}: mean sojourn ms, Erlang C", m.c),
        num(m.erlang_c_ms, 3),
    ]);
    let diff = (m.sojourn_ms / m.erlang_c_ms - 1.0) * 100.0;
    t.row([
        format!("M/M/{}: simulated vs Erlang C", m.c),
        format!("{diff:+.2} %"),
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
        assert!(presets::by_name(STAGE13).is_some());
    }

    #[test]
    fn heap_loop_runs() {
        assert!(bench_heap(10, 1_000) >= 0.0);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    fn options(only: Option<&str>) -> BenchOptions<'_> {
        BenchOptions {
            events: 1_000,
            stage13_s: 0.01,
            reps: 1,
            only,
        }
    }

    #[test]
    fn only_measures_the_model_named() {
        let r = run(options(Some("mmc"))).expect("runs");
        let names: Vec<&str> = r.engines.iter().map(|e| e.model.as_str()).collect();
        assert_eq!(names, ["mmc"]);
        assert_eq!(r.mmc.customers_per_s_all.len(), MMC_REP_FACTOR as usize);
        assert!(r.mmc.customers > 190_000 && r.mmc.customers_per_s > 0.0);

        let r = run(options(Some("single_server"))).expect("runs");
        let names: Vec<&str> = r.engines.iter().map(|e| e.model.as_str()).collect();
        assert_eq!(names, ["single_server"]);
        assert!(r.mmc.customers_per_s_all.is_empty());
        assert!(
            !report(&r).contains("M/M/4 customers"),
            "no M/M/4 rows without its runs"
        );
    }

    #[test]
    fn only_refuses_an_unknown_model() {
        let e = run(options(Some("mm1"))).expect_err("not a model");
        assert_eq!(
            e.0,
            "scalelab: --only must be one of stage13, mmc, single_server (got `mm1`)"
        );
    }

    #[test]
    fn short_engine_run_counts_events() {
        let s = mmc_scenario().expect("model");
        let run = run_engine(&s, 100, 1_000, u64::MAX).expect("runs");
        assert!(run.events > 0 && run.pending >= 1);
        assert_eq!(run.sim.now_us(), 1_000_000);
    }
}
