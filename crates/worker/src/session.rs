//! One simulation, paced in wall time: what the worker does with each
//! message and each tick. No browser API here: the caller passes the wall
//! clock (`performance.now()` in the worker, a fake clock in tests).

use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::{Action, Scenario, Simulation, WindowSnapshot};

use crate::protocol::{FromSim, LoadError, ToSim};

/// Wall ms between ticks while playing at a set speed (one display frame).
pub const TICK_MS: u32 = 16;
/// Wall ms of simulation per tick at a set speed.
pub const TICK_BUDGET_MS: f64 = 12.0;
/// Wall ms of simulation per tick at "as fast as possible" (ticks follow at once).
pub const MAX_SPEED_BUDGET_MS: f64 = 30.0;
/// Longest wall gap a tick makes up for (a throttled tab does not burst).
pub const MAX_TICK_DT_MS: f64 = 100.0;
/// Longest simulated slice between two clock readings, ms.
pub const MAX_SLICE_MS: f64 = 200.0;
/// Batches sent but not yet acknowledged by the page before the worker waits.
pub const MAX_IN_FLIGHT: u32 = 3;

/// The worker's state: the current simulation and how it is being played.
#[derive(Debug, Default)]
pub struct Session {
    gen: u64,
    scenario: Option<Scenario>,
    sim: Option<Simulation>,
    running: bool,
    speed: u32,
    /// Simulated ms owed but not yet run.
    debt_ms: f64,
    /// Measured wall ms per simulated ms (moving average).
    cost_ms_per_sim_ms: f64,
    last_tick_wall_ms: Option<f64>,
    in_flight: u32,
}

impl Session {
    /// A session with nothing loaded.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether simulated time is advancing.
    pub fn running(&self) -> bool {
        self.running && self.sim.is_some()
    }

    /// Batches sent and not yet acknowledged.
    pub fn in_flight(&self) -> u32 {
        self.in_flight
    }

    /// The simulation, if one is loaded.
    pub fn simulation(&self) -> Option<&Simulation> {
        self.sim.as_ref()
    }

    /// Wall ms until the next tick is due, or `None` while paused.
    pub fn next_tick_ms(&self) -> Option<u32> {
        self.running()
            .then_some(if self.speed == 0 { 0 } else { TICK_MS })
    }

    /// Handles one message from the page; returns the replies.
    pub fn handle(&mut self, msg: ToSim, clock: &mut dyn FnMut() -> f64) -> Vec<FromSim> {
        match msg {
            ToSim::Load {
                gen,
                scenario_json,
                traffic_rps,
            } => vec![FromSim::Loaded {
                gen,
                result: self.load(gen, &scenario_json, traffic_rps),
            }],
            ToSim::Run { running, speed } => {
                self.running = running;
                self.speed = speed.min(1000);
                self.debt_ms = 0.0;
                self.last_tick_wall_ms = None;
                Vec::new()
            }
            ToSim::Step => self.step().into_iter().collect(),
            ToSim::Apply { action_json } => {
                let result = serde_json::from_str::<Action>(&action_json)
                    .map_err(|e| format!("not an action: {e}"))
                    .and_then(|a| self.apply(&a));
                vec![self.applied(Some(action_json), None, result)]
            }
            ToSim::SetTraffic { rps } => {
                let result = self.set_traffic(rps);
                vec![self.applied(None, Some(rps), result)]
            }
            ToSim::Ack { gen } => {
                if gen == self.gen {
                    self.in_flight = self.in_flight.saturating_sub(1);
                }
                Vec::new()
            }
            ToSim::Bench {
                scenario_json,
                duration_s,
            } => vec![bench(&scenario_json, duration_s, clock)],
        }
    }

    /// Runs the simulated time owed since the last tick, within the tick's
    /// compute budget; returns the batch to send, if time moved.
    pub fn tick(&mut self, clock: &mut dyn FnMut() -> f64) -> Option<FromSim> {
        if !self.running() {
            return None;
        }
        let started = clock();
        let dt = self
            .last_tick_wall_ms
            .map_or(0.0, |last| (started - last).clamp(0.0, MAX_TICK_DT_MS));
        self.last_tick_wall_ms = Some(started);
        let max = self.speed == 0;
        if self.in_flight >= MAX_IN_FLIGHT {
            // The page has not drawn the last batches: wait rather than queue more.
            self.debt_ms = 0.0;
            return None;
        }
        let budget_ms = if max {
            MAX_SPEED_BUDGET_MS
        } else {
            TICK_BUDGET_MS
        };
        self.debt_ms += if max { 1e9 } else { dt * f64::from(self.speed) };
        let sim = self.sim.as_mut()?;
        let before_ms = sim.now_ms();
        let mut windows = Vec::new();
        let mut behind = false;
        while self.debt_ms >= 1.0 {
            // Slices sized from the measured cost, so one slice never blows the budget.
            let left = budget_ms - (clock() - started);
            let cost = if self.cost_ms_per_sim_ms > 0.0 {
                self.cost_ms_per_sim_ms.max(1e-4)
            } else {
                0.2
            };
            let by_cost = (left * 0.5 / cost).floor();
            let step_ms = self.debt_ms.floor().min(by_cost).clamp(1.0, MAX_SLICE_MS) as u64;
            let t = clock();
            windows.extend(sim.advance_ms(step_ms));
            let spent = clock() - t;
            self.cost_ms_per_sim_ms =
                0.7 * self.cost_ms_per_sim_ms + 0.3 * (spent / step_ms as f64);
            self.debt_ms -= step_ms as f64;
            if clock() - started > budget_ms {
                // Too slow for the requested speed: drop the rest rather than fall behind.
                behind = !max && self.debt_ms >= 1.0;
                self.debt_ms = 0.0;
                break;
            }
        }
        if windows.is_empty() && sim.now_ms() == before_ms {
            return None;
        }
        Some(self.advanced(windows, behind))
    }

    fn load(
        &mut self,
        gen: u64,
        scenario_json: &str,
        traffic_rps: Option<f64>,
    ) -> Result<(), LoadError> {
        self.gen = gen;
        self.sim = None;
        self.scenario = None;
        self.running = false;
        self.in_flight = 0;
        self.debt_ms = 0.0;
        self.last_tick_wall_ms = None;
        let scenario: Scenario = serde_json::from_str(scenario_json)
            .map_err(|e| LoadError::Scenario(format!("not a scenario: {e}")))?;
        let mut sim = Simulation::new(&scenario).map_err(|e| LoadError::Scenario(e.to_string()))?;
        // The page keeps its own bounded history of the windows it receives.
        sim.set_history_limit(0);
        self.sim = Some(sim);
        self.scenario = Some(scenario);
        match traffic_rps {
            Some(rps) => self.set_traffic(rps).map_err(LoadError::Traffic),
            None => Ok(()),
        }
    }

    fn step(&mut self) -> Option<FromSim> {
        let window_ms = self.scenario.as_ref()?.window_ms.max(1);
        let sim = self.sim.as_mut()?;
        let now = sim.now_ms() as u64;
        let target = (now / window_ms + 1) * window_ms;
        let windows = sim.advance_ms(target.saturating_sub(now));
        Some(self.advanced(windows, false))
    }

    fn apply(&mut self, action: &Action) -> Result<(), String> {
        match self.sim.as_mut() {
            Some(sim) => sim.apply(action).map_err(|e| e.to_string()),
            None => Err("nothing is loaded".into()),
        }
    }

    /// Scales every users component so the total offered load is `rps`
    /// (each keeps its share of the design's own load).
    fn set_traffic(&mut self, rps: f64) -> Result<(), String> {
        let (Some(scenario), Some(sim)) = (self.scenario.as_ref(), self.sim.as_mut()) else {
            return Ok(());
        };
        let users: Vec<(&str, f64)> = scenario
            .components
            .iter()
            .filter_map(|c| match &c.spec {
                ComponentSpec::Users(u) => {
                    Some((c.id.as_str(), u.users as f64 * u.requests_per_user_per_s))
                }
                _ => None,
            })
            .collect();
        let base: f64 = users.iter().map(|(_, r)| r).sum();
        let n = users.len().max(1) as f64;
        for (id, r) in users {
            let share = if base > 0.0 { r / base } else { 1.0 / n };
            sim.apply(&Action::SetRequestRate {
                component: id.to_string(),
                requests_per_s: rps * share,
            })
            .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn applied(
        &self,
        action_json: Option<String>,
        traffic_rps: Option<f64>,
        result: Result<(), String>,
    ) -> FromSim {
        FromSim::Applied {
            gen: self.gen,
            action_json,
            traffic_rps,
            at_s: self.sim.as_ref().map_or(0.0, |s| s.now_ms() / 1000.0),
            result,
        }
    }

    fn advanced(&mut self, windows: Vec<WindowSnapshot>, behind: bool) -> FromSim {
        self.in_flight += 1;
        FromSim::Advanced {
            gen: self.gen,
            now_ms: self.sim.as_ref().map_or(0.0, Simulation::now_ms),
            windows_json: windows_to_json(&windows),
            behind,
            worker_memory_bytes: 0,
        }
    }
}

/// Windows as a JSON array (what [`FromSim::Advanced`] carries).
pub fn windows_to_json(windows: &[WindowSnapshot]) -> String {
    // Serializing plain structs of numbers and strings cannot fail.
    serde_json::to_string(windows).unwrap_or_else(|_| "[]".into())
}

/// Simulates `scenario_json` for `duration_s` without pacing.
fn bench(scenario_json: &str, duration_s: f64, clock: &mut dyn FnMut() -> f64) -> FromSim {
    let built = serde_json::from_str::<Scenario>(scenario_json)
        .map_err(|e| format!("not a scenario: {e}"))
        .and_then(|s| Simulation::new(&s).map_err(|e| e.to_string()));
    let failed = |error: String| FromSim::Bench {
        events: 0,
        sim_s: 0.0,
        wall_ms: 0.0,
        error: Some(error),
    };
    let mut sim = match built {
        Ok(sim) => sim,
        Err(e) => return failed(e),
    };
    if !(duration_s.is_finite() && duration_s > 0.0 && duration_s <= 86_400.0) {
        return failed(format!(
            "duration_s must be in (0, 86400], got {duration_s}"
        ));
    }
    let started = clock();
    let _ = sim.advance_ms((duration_s * 1000.0) as u64);
    FromSim::Bench {
        events: sim.events_processed(),
        sim_s: sim.now_ms() / 1000.0,
        wall_ms: clock() - started,
        error: None,
    }
}
