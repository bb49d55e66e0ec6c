//! `scalelab soak`: runs a scenario for a long simulated time and samples the
//! process's memory and the model's own bounded state along the way, so a
//! reviewer can see that memory stays flat (DESIGN: every queue, series and
//! log has a bound). Reads `/proc/self/status` (Linux); elsewhere RSS is absent.

use std::time::Instant;

use scalelab_sim::{Scenario, Simulation};
use serde::Serialize;

use crate::load::InputError;

/// One sample, taken after each `every_s` simulated seconds.
#[derive(Debug, Serialize)]
pub struct SoakSample {
    /// Simulated time, s.
    pub sim_s: f64,
    /// Wall time since the start, s.
    pub wall_s: f64,
    /// Resident set size of this process, KiB (Linux).
    pub rss_kib: Option<u64>,
    /// Events waiting in the event list.
    pub pending_events: usize,
    /// Requests in the system (all kinds).
    pub requests_in_flight: u64,
    /// Windows kept in the simulation's own history.
    pub history_windows: usize,
}

/// The soak's result.
#[derive(Debug, Serialize)]
pub struct SoakReport {
    /// The scenario's name.
    pub scenario: String,
    /// Samples, in order.
    pub samples: Vec<SoakSample>,
    /// Engine events over the whole run.
    pub events_processed: u64,
}

/// VmRSS of this process in KiB, from `/proc/self/status`.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `scenario` for `duration_s` simulated seconds, sampling every `every_s`.
pub fn run(scenario: &Scenario, duration_s: f64, every_s: f64) -> Result<SoakReport, InputError> {
    if !(duration_s.is_finite() && duration_s > 0.0 && every_s.is_finite() && every_s > 0.0) {
        return Err(InputError(format!(
            "scalelab soak: --duration-s and --every-s must be positive (got {duration_s}, {every_s})"
        )));
    }
    let mut s = scenario.clone();
    s.duration_s = s.duration_s.max(duration_s);
    let mut sim = Simulation::new(&s).map_err(|e| InputError(format!("scalelab soak: {e}")))?;
    // As the web worker runs it: the page keeps the windows, the simulation none.
    sim.set_history_limit(0);
    let started = Instant::now();
    let mut samples = Vec::new();
    let step_ms = (every_s * 1000.0) as u64;
    while sim.now_ms() < duration_s * 1000.0 {
        // The windows are dropped: the page keeps its own bounded history.
        let _ = sim.advance_ms(step_ms);
        samples.push(SoakSample {
            sim_s: sim.now_ms() / 1000.0,
            wall_s: started.elapsed().as_secs_f64(),
            rss_kib: rss_kib(),
            pending_events: sim.pending_events(),
            requests_in_flight: sim.in_flight(),
            history_windows: sim.history().len(),
        });
    }
    Ok(SoakReport {
        scenario: s.name.clone(),
        samples,
        events_processed: sim.events_processed(),
    })
}

/// The soak as a text table.
pub fn report(r: &SoakReport) -> String {
    let mut out = format!(
        "soak: {} ({} events)\n{:>8} {:>8} {:>10} {:>9} {:>10} {:>8}\n",
        r.scenario,
        r.events_processed,
        "sim s",
        "wall s",
        "RSS KiB",
        "pending",
        "in flight",
        "history"
    );
    for x in &r.samples {
        out.push_str(&format!(
            "{:>8.0} {:>8.1} {:>10} {:>9} {:>10} {:>8}\n",
            x.sim_s,
            x.wall_s,
            x.rss_kib.map_or("-".into(), |v| v.to_string()),
            x.pending_events,
            x.requests_in_flight,
            x.history_windows
        ));
    }
    out
}
