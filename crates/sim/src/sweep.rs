//! Capacity sweep: "how far does this design go?" Runs the design at rising
//! offered loads (the users components keep their shares) and finds the knee:
//! the highest load the design still serves. The fault timeline is left out:
//! the sweep measures the design as built, to compare with the analytic
//! twin's maximum sustainable rate.

use serde::{Deserialize, Serialize};

use crate::analytic::analyze;
use crate::engine::s_to_us;
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

/// Default settings for a design's sweep ([`default_range`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepRange {
    /// First (lowest) offered load, requests/s.
    pub from_rps: f64,
    /// Last (highest) offered load, requests/s.
    pub to_rps: f64,
    /// Number of loads.
    pub steps: u32,
    /// Simulated seconds per load.
    pub duration_s: f64,
}

/// Steps of a default sweep: 0.25 × to 1.75 × the reference load in steps of
/// 0.1 ×, so one step lands 5 % under the analytic maximum and the knee found
/// is within 10 % of it when the simulation agrees with the twin.
pub const DEFAULT_STEPS: u32 = 16;
/// Requests the highest step of a default sweep simulates (sets its duration).
pub const DEFAULT_REQUESTS_PER_STEP: f64 = 40_000.0;
/// Longest simulated time per step of a default sweep, s.
pub const DEFAULT_DURATION_S: f64 = 10.0;
/// Shortest simulated time per step of a default sweep, s.
pub const MIN_DEFAULT_DURATION_S: f64 = 1.0;

/// The default sweep for a design whose analytic maximum is
/// `analytic_max_rps` (else twice its offered load `offered_rps` stands in):
/// from a quarter to 1.75 × that load in [`DEFAULT_STEPS`] even steps, each
/// simulated long enough for [`DEFAULT_REQUESTS_PER_STEP`] requests at the
/// top (1 … 10 s), so a small design sweeps in about a second.
pub fn default_range(analytic_max_rps: Option<f64>, offered_rps: f64) -> SweepRange {
    let reference = analytic_max_rps
        .filter(|m| m.is_finite() && *m > 0.0)
        .unwrap_or(2.0 * offered_rps);
    let reference = if reference.is_finite() && reference > 0.0 {
        reference
    } else {
        100.0
    };
    // Whole requests/s above 10, tenths below (the page shows them as typed).
    let round = |v: f64| {
        let v = if v >= 10.0 {
            v.round()
        } else {
            (v * 10.0).round() / 10.0
        };
        v.clamp(0.1, limits::OFFERED_RPS)
    };
    let to_rps = round(1.75 * reference);
    SweepRange {
        from_rps: round(0.25 * reference).min(to_rps),
        to_rps,
        steps: DEFAULT_STEPS,
        duration_s: default_duration_s(to_rps),
    }
}

/// Simulated seconds per step of a sweep whose highest load is `to_rps`:
/// long enough for [`DEFAULT_REQUESTS_PER_STEP`] requests at it, 1 … 10 s.
pub fn default_duration_s(to_rps: f64) -> f64 {
    let d = DEFAULT_REQUESTS_PER_STEP / to_rps;
    if d.is_finite() {
        d.clamp(MIN_DEFAULT_DURATION_S, DEFAULT_DURATION_S)
    } else {
        DEFAULT_DURATION_S
    }
}

/// A sweep run one step at a time (the worker runs a slice of a step per
/// tick and reports each point as it comes); [`sweep`] runs it to the end.
/// Each step builds its own [`Simulation`] of the design at that load.
#[derive(Debug, Clone)]
pub struct SweepRun {
    scenario: Scenario,
    from_rps: f64,
    to_rps: f64,
    steps: u32,
    duration_s: f64,
    points: Vec<SweepPoint>,
    /// The step in progress.
    current: Option<Simulation>,
    analytic_max_rps: Option<f64>,
}

impl SweepRun {
    /// Checks the range and prepares a sweep of `steps` loads evenly from
    /// `from_rps` to `to_rps`, each simulated for `duration_s`.
    pub fn new(
        scenario: &Scenario,
        from_rps: f64,
        to_rps: f64,
        steps: u32,
        duration_s: f64,
    ) -> Result<Self, SimError> {
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
        let analytic_max_rps = analyze(&at_load(scenario, from_rps))
            .ok()
            .and_then(|a| a.max_sustainable_rps);
        Ok(Self {
            scenario: scenario.clone(),
            from_rps,
            to_rps,
            steps,
            duration_s,
            points: Vec::with_capacity(steps as usize),
            current: None,
            analytic_max_rps,
        })
    }

    /// Number of steps in the sweep.
    pub fn total_steps(&self) -> u32 {
        self.steps
    }

    /// Steps finished so far.
    pub fn done_steps(&self) -> u32 {
        self.points.len() as u32
    }

    /// Whether every step has finished.
    pub fn is_done(&self) -> bool {
        self.done_steps() >= self.steps
    }

    /// The points of the steps finished so far.
    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }

    /// The analytic twin's maximum sustainable rate for the design.
    pub fn analytic_max_rps(&self) -> Option<f64> {
        self.analytic_max_rps
    }

    /// The offered load of step `i` (0-based), requests/s.
    pub fn offered_rps(&self, i: u32) -> f64 {
        if self.steps == 1 {
            self.from_rps
        } else {
            self.from_rps + (self.to_rps - self.from_rps) * f64::from(i) / f64::from(self.steps - 1)
        }
    }

    /// Runs the step in progress (starting the next one if none is) for at
    /// most `slice_ms` more simulated ms; returns its point when it ends.
    /// `None` also once every step is done. Any slicing gives the same points.
    pub fn advance(&mut self, slice_ms: u64) -> Result<Option<SweepPoint>, SimError> {
        if self.is_done() {
            return Ok(None);
        }
        let rps = self.offered_rps(self.done_steps());
        let sim = match &mut self.current {
            Some(sim) => sim,
            None => {
                let mut s = at_load(&self.scenario, rps);
                s.duration_s = self.duration_s;
                let mut sim = Simulation::new(&s)?;
                // The summary is all a step needs.
                sim.set_history_limit(0);
                self.current.insert(sim)
            }
        };
        let end_us = s_to_us(self.duration_s);
        let target = sim
            .now_us()
            .saturating_add(slice_ms.saturating_mul(1_000))
            .min(end_us);
        let _ = sim.advance_to_us(target);
        if sim.now_us() < end_us {
            return Ok(None);
        }
        let summary = sim.summary();
        self.current = None;
        let busiest = summary
            .components
            .iter()
            .filter(|c| c.utilization.is_finite())
            .max_by(|a, b| a.utilization.total_cmp(&b.utilization));
        let point = SweepPoint {
            offered_rps: rps,
            throughput_rps: summary.throughput_rps,
            latency_ms_p99: summary.latency_ms_p99,
            availability: summary.availability,
            bottleneck: busiest.map(|c| c.id.clone()),
            utilization_max: busiest.map_or(0.0, |c| c.utilization),
        };
        self.points.push(point.clone());
        Ok(Some(point))
    }

    /// Runs the next step to its end; its point, or `None` when all are done.
    pub fn step(&mut self) -> Result<Option<SweepPoint>, SimError> {
        while !self.is_done() {
            if let Some(p) = self.advance(u64::MAX)? {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }

    /// The sweep over the steps finished so far: points, knee, analytic maximum.
    pub fn finish(self) -> Sweep {
        let knee_rps = knee(&self.points);
        Sweep {
            points: self.points,
            knee_rps,
            analytic_max_rps: self.analytic_max_rps,
        }
    }
}

/// The highest offered load served at it and at every lower step.
fn knee(points: &[SweepPoint]) -> Option<f64> {
    points
        .iter()
        .take_while(|p| p.throughput_rps >= SERVED_SHARE * p.offered_rps)
        .last()
        .map(|p| p.offered_rps)
}

/// Sweeps `steps` loads evenly from `from_rps` to `to_rps`, each simulated
/// for `duration_s` ([`SweepRun`] to the end). Deterministic: the same inputs
/// give the same sweep.
pub fn sweep(
    scenario: &Scenario,
    from_rps: f64,
    to_rps: f64,
    steps: u32,
    duration_s: f64,
) -> Result<Sweep, SimError> {
    let mut run = SweepRun::new(scenario, from_rps, to_rps, steps, duration_s)?;
    while run.step()?.is_some() {}
    Ok(run.finish())
}
