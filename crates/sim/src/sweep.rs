//! Capacity sweep: "how far does this design go?" Runs the design at rising
//! offered loads (the users components keep their shares) and finds the knee:
//! the highest load the design still serves. The fault timeline is left out:
//! the sweep measures the design as built, to compare with the analytic
//! twin's maximum sustainable rate.

use serde::{Deserialize, Serialize};

use crate::analytic::analyze;
use crate::error::SimError;
use crate::scenario::{limits, Scenario};
use crate::sim::Simulation;

/// A load is served when at least this share of it completes successfully.
pub const SERVED_SHARE: f64 = 0.97;
/// Most steps in one sweep.
pub const MAX_STEPS: u32 = 200;

/// One offered load and what the simulation made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Total offered load, requests/s.
    pub offered_rps: f64,
    /// Successful requests per second.
    pub throughput_rps: f64,
    /// p99 latency of successful requests, ms.
    pub latency_ms_p99: f64,
    /// Share of finished requests that succeeded.
    pub availability: f64,
    /// The busiest component (highest time-averaged utilization).
    pub bottleneck: Option<String>,
    /// Its utilization.
    pub utilization_max: f64,
}

/// The result of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// One point per step, in rising load.
    pub points: Vec<SweepPoint>,
    /// The highest offered load served (throughput ≥ [`SERVED_SHARE`] × offered
    /// at it and every lower step); `None` if even the first is not.
    pub knee_rps: Option<f64>,
    /// The analytic twin's maximum sustainable rate for the design.
    pub analytic_max_rps: Option<f64>,
}

/// `scenario` with its users scaled to a total of `rps` and no fault timeline.
pub(crate) fn at_load(scenario: &Scenario, rps: f64) -> Scenario {
    let mut s = scenario.clone();
    s.timeline.clear();
    s.scale_users_to(rps);
    s
}

/// Sweeps `steps` loads evenly from `from_rps` to `to_rps`, each simulated
/// for `duration_s`. Deterministic: the same inputs give the same sweep.
pub fn sweep(
    scenario: &Scenario,
    from_rps: f64,
    to_rps: f64,
    steps: u32,
    duration_s: f64,
) -> Result<Sweep, SimError> {
    let bad = |field: &str, why: String| Err(SimError::invalid("sweep", field, why));
    if !(from_rps.is_finite() && from_rps > 0.0) {
        return bad("from", format!("must be a positive rate, got {from_rps}"));
    }
    if !(to_rps.is_finite() && to_rps >= from_rps && to_rps <= limits::OFFERED_RPS) {
        return bad(
            "to",
            format!(
                "must be between from ({from_rps}) and {}, got {to_rps}",
                limits::OFFERED_RPS
            ),
        );
    }
    if !(1..=MAX_STEPS).contains(&steps) {
        return bad("steps", format!("must be 1 … {MAX_STEPS}, got {steps}"));
    }
    if !(duration_s.is_finite() && duration_s > 0.0 && duration_s <= limits::DURATION_S) {
        return bad(
            "duration_s",
            format!("must be in (0, {}], got {duration_s}", limits::DURATION_S),
        );
    }
    let mut points = Vec::with_capacity(steps as usize);
    for i in 0..steps {
        let rps = if steps == 1 {
            from_rps
        } else {
            from_rps + (to_rps - from_rps) * f64::from(i) / f64::from(steps - 1)
        };
        let mut s = at_load(scenario, rps);
        s.duration_s = duration_s;
        let summary = Simulation::new(&s)?.run_to_end();
        let busiest = summary
            .components
            .iter()
            .filter(|c| c.utilization.is_finite())
            .max_by(|a, b| a.utilization.total_cmp(&b.utilization));
        points.push(SweepPoint {
            offered_rps: rps,
            throughput_rps: summary.throughput_rps,
            latency_ms_p99: summary.latency_ms_p99,
            availability: summary.availability,
            bottleneck: busiest.map(|c| c.id.clone()),
            utilization_max: busiest.map_or(0.0, |c| c.utilization),
        });
    }
    let knee_rps = points
        .iter()
        .take_while(|p| p.throughput_rps >= SERVED_SHARE * p.offered_rps)
        .last()
        .map(|p| p.offered_rps);
    let analytic_max_rps = analyze(&at_load(scenario, from_rps))
        .ok()
        .and_then(|a| a.max_sustainable_rps);
    Ok(Sweep {
        points,
        knee_rps,
        analytic_max_rps,
    })
}
