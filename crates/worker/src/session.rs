//! One simulation, paced in wall time: what the worker does with each
//! message and each tick. No browser API here: the caller passes the wall
//! clock (`performance.now()` in the worker, a fake clock in tests).

use std::collections::VecDeque;

use scalelab_sim::compare::{diff_table, monthly_costs, same_traffic, DiffRow};
use scalelab_sim::rewind::{approx_sim_bytes, Rewind};
use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::sweep::SweepRun;
use scalelab_sim::{Action, Scenario, Simulation, WindowSnapshot};

use crate::protocol::{FromSim, LoadError, ReviewItem, ToSim};

/// Wall ms between ticks while playing at a set speed (one display frame).
pub const TICK_MS: u32 = 16;
/// Wall ms of simulation per tick at a set speed.
pub const TICK_BUDGET_MS: f64 = 12.0;
/// Wall ms of simulation per tick at "as fast as possible" (ticks follow at once).
pub const MAX_SPEED_BUDGET_MS: f64 = 30.0;
/// Shortest wall ms between two batches at "as fast as possible": the
/// windows of several ticks go in one batch, so the page redraws ten times a
/// second rather than after every tick (its rendering shares the machine's
/// cores with the worker). Any message from the page but an ack sends what
/// is held first, so the page never acts on an older clock than it would.
pub const MAX_SPEED_BATCH_MS: f64 = 100.0;
/// Most windows in one batch at "as fast as possible" (a small design runs
/// thousands of simulated seconds per wall second): the page keeps the last
/// 120 windows and reads each batch whole, so a batch must fit in that ring
/// (the page checks this bound at compile time).
pub const MAX_BATCH_WINDOWS: usize = 60;
/// Longest wall gap a tick makes up for (a throttled tab does not burst).
pub const MAX_TICK_DT_MS: f64 = 100.0;
/// Longest simulated slice between two clock readings, ms.
pub const MAX_SLICE_MS: f64 = 200.0;
/// Batches sent but not yet acknowledged by the page before the worker waits.
pub const MAX_IN_FLIGHT: u32 = 3;
/// Simulated ms between checkpoints of a fresh run (the spacing doubles
/// each time the store fills up and is thinned).
pub const CHECKPOINT_EVERY_MS: u64 = 10_000;
/// Most checkpoints kept.
pub const MAX_CHECKPOINTS: usize = 24;
/// Most bytes (estimated) the checkpoints may hold; at least two are kept.
pub const MAX_CHECKPOINT_BYTES: usize = 96 << 20;
/// Wall ms of capacity sweep per tick (ticks follow at once while one is under way).
pub const SWEEP_BUDGET_MS: f64 = 30.0;
/// Most windows kept for the CSV export (a day of 1 s windows); older ones are dropped.
pub const MAX_CSV_ROWS: usize = 86_400;

/// Something applied to the running simulation from outside its scenario,
/// replayed when time goes back past it.
#[derive(Debug, Clone)]
enum Logged {
    Action(Action),
    Traffic(f64),
}

/// The state a checkpoint keeps: design A and, in compare mode, design B.
type Pair = (Simulation, Option<Simulation>);

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
    /// The traffic override given with `Load`.
    traffic_rps: Option<f64>,
    /// The offered load the cost is priced at: the latest `SetTraffic`, else
    /// the `Load` override, else the design's own.
    cost_rps: Option<f64>,
    /// Design B in compare mode (advanced in lockstep with A).
    b: Option<(Scenario, Simulation)>,
    /// Compare mode: A's and B's monthly cost, US dollars.
    cost_usd_per_month: Option<(f64, f64)>,
    /// Faults and traffic changes applied so far: (simulated µs, what).
    log: Vec<(u64, Logged)>,
    /// Periodic checkpoints for [`ToSim::Seek`].
    rewind: Option<Rewind<Pair>>,
    /// Every window sent since the load, as CSV lines with their end (ms);
    /// at most [`MAX_CSV_ROWS`], the oldest dropped first (O(1) a window).
    csv_rows: VecDeque<(u64, String)>,
    /// The design review of the loaded design.
    findings: Vec<scalelab_sim::review::Finding>,
    /// The capacity sweep under way and its number ([`ToSim::Sweep`]).
    sweep: Option<(u64, SweepRun)>,
    /// Measured wall ms per simulated ms of the sweep (moving average).
    sweep_cost_ms_per_sim_ms: f64,
    /// At the fastest speed: windows run but not sent yet (A's, B's), and
    /// whether time moved since the last batch.
    held: (Vec<WindowSnapshot>, Vec<WindowSnapshot>),
    holding: bool,
    /// Wall ms of the last batch sent.
    last_batch_wall_ms: f64,
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

    /// Design B's simulation, in compare mode.
    pub fn simulation_b(&self) -> Option<&Simulation> {
        self.b.as_ref().map(|(_, sim)| sim)
    }

    /// Simulated times of the checkpoints kept, ms (oldest first).
    pub fn checkpoint_times_ms(&self) -> Vec<u64> {
        self.rewind
            .as_ref()
            .map_or_else(Vec::new, |r| r.points().iter().map(|p| p.t_ms).collect())
    }

    /// Replaces the checkpoint store's bounds (tests use small ones); clears it.
    pub fn set_checkpoint_bounds(&mut self, every_ms: u64, max_count: usize, max_bytes: usize) {
        self.rewind = Some(Rewind::new(every_ms, max_count, max_bytes));
        self.checkpoint();
    }

    /// Whether a capacity sweep is under way.
    pub fn sweeping(&self) -> bool {
        self.sweep.is_some()
    }

    /// Wall ms until the next tick is due, or `None` while paused and not
    /// sweeping, and at the fastest speed while [`MAX_IN_FLIGHT`] batches wait
    /// for the page's ack (the ack wakes the worker: no polling).
    pub fn next_tick_ms(&self) -> Option<u32> {
        if self.sweeping() {
            return Some(0);
        }
        match (self.running(), self.speed) {
            (false, _) => None,
            (true, 0) if self.in_flight >= MAX_IN_FLIGHT => None,
            (true, 0) => Some(0),
            (true, _) => Some(TICK_MS),
        }
    }

    /// Handles one message from the page; returns the replies.
    pub fn handle(&mut self, msg: ToSim, clock: &mut dyn FnMut() -> f64) -> Vec<FromSim> {
        if matches!(msg, ToSim::Ack { .. }) {
            return self.handle_now(msg, clock);
        }
        let mut out: Vec<FromSim> = self.flush().into_iter().collect();
        out.extend(self.handle_now(msg, clock));
        out
    }

    /// The batch held at the fastest speed, if time moved since the last one.
    fn flush(&mut self) -> Option<FromSim> {
        if !std::mem::take(&mut self.holding) {
            return None;
        }
        let held = std::mem::take(&mut self.held);
        Some(self.advanced(held, false))
    }

    fn handle_now(&mut self, msg: ToSim, clock: &mut dyn FnMut() -> f64) -> Vec<FromSim> {
        match msg {
            ToSim::Load {
                gen,
                scenario_json,
                traffic_rps,
            } => {
                let result = self.load(gen, &scenario_json, traffic_rps);
                let ok = result.is_ok();
                self.cost_rps = traffic_rps;
                let mut out = vec![FromSim::Loaded { gen, result }];
                out.extend(ok.then(|| self.cost()).flatten());
                if ok {
                    out.push(self.review());
                }
                out
            }
            ToSim::Run { running, speed } => {
                self.running = running;
                self.speed = speed.min(1000);
                self.debt_ms = 0.0;
                self.last_tick_wall_ms = None;
                Vec::new()
            }
            ToSim::LoadB { gen, scenario_json } => vec![FromSim::LoadedB {
                gen,
                result: self.load_b(gen, scenario_json.as_deref()),
            }],
            ToSim::Seek { t_ms } => self.seek(t_ms).into_iter().collect(),
            ToSim::Step => self.step().into_iter().collect(),
            ToSim::Predict {
                gen,
                scenario_json,
                traffic_rps,
            } => vec![FromSim::Predicted {
                gen,
                prediction: crate::predict::predict_json(&scenario_json, traffic_rps),
            }],
            ToSim::Apply { action_json } => {
                let result = serde_json::from_str::<Action>(&action_json)
                    .map_err(|e| format!("not an action: {e}"))
                    .and_then(|a| self.apply(&a));
                vec![self.applied(Some(action_json), None, result)]
            }
            ToSim::SetTraffic { rps } => {
                let result = self.set_traffic(rps);
                if result.is_ok() {
                    self.cost_rps = Some(rps);
                }
                let mut out = vec![self.applied(None, Some(rps), result)];
                out.extend(self.cost());
                out
            }
            ToSim::Score {
                card_json,
                scenario_json,
            } => vec![FromSim::Scored {
                result: score(&card_json, &scenario_json),
            }],
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
            ToSim::Chaos {
                scenario_json,
                kind,
            } => vec![FromSim::Chaos {
                result: chaos(&scenario_json, &kind),
            }],
            ToSim::ExportCsv => vec![FromSim::Exported {
                gen: self.gen,
                file_name: "scalelab-metrics.csv".into(),
                mime: "text/csv".into(),
                text: crate::export::csv(self.csv_rows.iter().map(|(_, r)| r.as_str())),
            }],
            ToSim::ExportReport {
                design_svg,
                css,
                lang,
                strings,
            } => self
                .report(&design_svg, &css, &lang, strings.into_iter().collect())
                .into_iter()
                .collect(),
            ToSim::Sweep {
                gen,
                scenario_json,
                from_rps,
                to_rps,
                steps,
                duration_s,
            } => {
                self.sweep = None;
                let run = Scenario::from_json(&scenario_json)
                    .map_err(|e| e.to_string())
                    .and_then(|s| {
                        SweepRun::new(&s, from_rps, to_rps, steps, duration_s)
                            .map_err(|e| e.to_string())
                    });
                match run {
                    Ok(run) => {
                        self.sweep = Some((gen, run));
                        Vec::new()
                    }
                    Err(e) => vec![FromSim::SweepDone {
                        gen,
                        result: Err(e),
                    }],
                }
            }
            ToSim::CancelSweep => self
                .sweep
                .take()
                .map(|(gen, run)| FromSim::SweepCancelled {
                    gen,
                    done: run.done_steps(),
                })
                .into_iter()
                .collect(),
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
        let before_ms = self.sim.as_ref()?.now_ms();
        let mut windows = (Vec::new(), Vec::new());
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
            self.advance_both(step_ms, &mut windows);
            let spent = clock() - t;
            self.cost_ms_per_sim_ms =
                0.7 * self.cost_ms_per_sim_ms + 0.3 * (spent / step_ms as f64);
            self.debt_ms -= step_ms as f64;
            if max && self.held.0.len() + windows.0.len() >= MAX_BATCH_WINDOWS {
                self.debt_ms = 0.0;
                break;
            }
            if clock() - started > budget_ms {
                // Too slow for the requested speed: drop the rest rather than fall behind.
                behind = !max && self.debt_ms >= 1.0;
                self.debt_ms = 0.0;
                break;
            }
        }
        if windows.0.is_empty() && self.sim.as_ref()?.now_ms() == before_ms {
            return None;
        }
        if max {
            self.held.0.extend(windows.0);
            self.held.1.extend(windows.1);
            self.holding = true;
            let now = clock();
            if now - self.last_batch_wall_ms < MAX_SPEED_BATCH_MS
                && self.held.0.len() < MAX_BATCH_WINDOWS
            {
                return None;
            }
            self.last_batch_wall_ms = now;
            return self.flush();
        }
        Some(self.advanced(windows, behind))
    }

    /// Runs the capacity sweep under way for one tick: slices of its current
    /// step within [`SWEEP_BUDGET_MS`], at most one step; returns its
    /// progress and, after the last step (or an error), the result. The
    /// loaded simulation is not touched: each step builds its own.
    pub fn sweep_tick(&mut self, clock: &mut dyn FnMut() -> f64) -> Vec<FromSim> {
        let Some((gen, run)) = self.sweep.as_mut() else {
            return Vec::new();
        };
        let gen = *gen;
        let started = clock();
        let mut out = Vec::new();
        let mut failed = None;
        loop {
            let cost = if self.sweep_cost_ms_per_sim_ms > 0.0 {
                self.sweep_cost_ms_per_sim_ms.max(1e-5)
            } else {
                0.05
            };
            let left = SWEEP_BUDGET_MS - (clock() - started);
            let slice_ms = (left * 0.5 / cost).floor().clamp(1.0, 10_000.0) as u64;
            let t = clock();
            let stepped = run.advance(slice_ms);
            let spent = clock() - t;
            self.sweep_cost_ms_per_sim_ms =
                0.7 * self.sweep_cost_ms_per_sim_ms + 0.3 * (spent / slice_ms as f64);
            match stepped {
                Err(e) => {
                    failed = Some(e.to_string());
                    break;
                }
                Ok(Some(point)) => {
                    out.push(FromSim::SweepProgress {
                        gen,
                        done: run.done_steps(),
                        total: run.total_steps(),
                        point,
                    });
                    break;
                }
                Ok(None) if run.is_done() || clock() - started > SWEEP_BUDGET_MS => break,
                Ok(None) => {}
            }
        }
        if failed.is_some() || run.is_done() {
            if let Some((_, run)) = self.sweep.take() {
                out.push(FromSim::SweepDone {
                    gen,
                    result: failed.map_or_else(|| Ok(run.finish()), Err),
                });
            }
        }
        out
    }

    /// Advances A (and B) by `ms`, stopping at each checkpoint that falls due.
    fn advance_both(&mut self, ms: u64, out: &mut (Vec<WindowSnapshot>, Vec<WindowSnapshot>)) {
        let Some(sim) = self.sim.as_ref() else {
            return;
        };
        let mut now = sim.now_us() / 1_000;
        let end = now + ms;
        while now < end {
            let mut due = self.rewind.as_ref().map_or(u64::MAX, Rewind::next_due_ms);
            if due <= now {
                self.checkpoint();
                due = self.rewind.as_ref().map_or(u64::MAX, Rewind::next_due_ms);
            }
            let to = end.min(due.max(now + 1));
            let (Some(sim), b) = (self.sim.as_mut(), self.b.as_mut()) else {
                return;
            };
            out.0.extend(sim.advance_ms(to - now));
            if let Some((_, b)) = b {
                out.1.extend(b.advance_ms(to - now));
            }
            now = to;
            if to == due {
                self.checkpoint();
            }
        }
    }

    /// Offers the current state to the checkpoint store.
    fn checkpoint(&mut self) {
        let (Some(sim), Some(rewind)) = (self.sim.as_ref(), self.rewind.as_mut()) else {
            return;
        };
        let b = self.b.as_ref().map(|(_, b)| b);
        let bytes = approx_sim_bytes(sim) + b.map_or(0, approx_sim_bytes);
        // Cloned only when due (offer checks the time first).
        if sim.now_us() / 1_000 >= rewind.next_due_ms() || rewind.points().is_empty() {
            let pair: Pair = (sim.clone(), b.cloned());
            rewind.offer(sim.now_us() / 1_000, self.log.len(), bytes, &pair);
        }
    }

    /// Goes back to `t_ms` (see [`ToSim::Seek`]).
    fn seek(&mut self, t_ms: u64) -> Option<FromSim> {
        let now_us = self.sim.as_ref()?.now_us();
        let target_us = t_ms.saturating_mul(1_000).min(now_us);
        let target_ms = target_us / 1_000;
        let cp = self.rewind.as_ref()?.at_or_before(target_ms)?;
        let (sim, b) = cp.state.clone();
        let from = cp.log_len;
        self.sim = Some(sim);
        if let (Some((_, cur)), Some(b)) = (self.b.as_mut(), b) {
            *cur = b;
        }
        if let Some(r) = self.rewind.as_mut() {
            r.truncate_after(target_ms);
        }
        self.csv_rows.retain(|(end_ms, _)| *end_ms <= target_ms);
        let replay: Vec<(u64, Logged)> = self.log[from.min(self.log.len())..]
            .iter()
            // An action at exactly the target came after the clock reached it.
            .filter(|(t, _)| *t < target_us)
            .cloned()
            .collect();
        self.log.truncate(from.min(self.log.len()));
        let mut sink = (Vec::new(), Vec::new());
        for (t_us, what) in replay {
            let now_ms = self.sim.as_ref()?.now_us() / 1_000;
            self.advance_both((t_us / 1_000).saturating_sub(now_ms), &mut sink);
            let (Some(sim), b) = (self.sim.as_mut(), self.b.as_mut()) else {
                return None;
            };
            let (sub_a, sub_b) = (sim.now_us(), t_us);
            if sub_a < sub_b {
                let _ = sim.advance_to_us(sub_b);
                if let Some((_, b)) = b {
                    let _ = b.advance_to_us(sub_b);
                }
            }
            // Each logs itself again, at the same time.
            let _ = match &what {
                Logged::Action(a) => self.apply(a),
                Logged::Traffic(rps) => self.set_traffic(*rps),
            };
            sink.0.clear();
            sink.1.clear();
        }
        let now_ms = self.sim.as_ref()?.now_us() / 1_000;
        self.advance_both(target_ms.saturating_sub(now_ms), &mut sink);
        self.debt_ms = 0.0;
        self.last_tick_wall_ms = None;
        Some(FromSim::Seeked {
            gen: self.gen,
            now_ms: self.sim.as_ref()?.now_ms(),
            diff: self.diff(),
        })
    }

    /// The difference table of B against A so far, in compare mode.
    fn diff(&self) -> Option<Vec<DiffRow>> {
        let (sim, (_, b)) = (self.sim.as_ref()?, self.b.as_ref()?);
        Some(diff_table(
            &sim.summary(),
            &b.summary(),
            self.cost_usd_per_month,
        ))
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
        self.csv_rows.clear();
        self.findings.clear();
        self.b = None;
        self.log.clear();
        self.rewind = None;
        self.running = false;
        self.in_flight = 0;
        self.debt_ms = 0.0;
        self.last_tick_wall_ms = None;
        let scenario: Scenario = serde_json::from_str(scenario_json)
            .map_err(|e| LoadError::Scenario(format!("not a scenario: {e}")))?;
        let mut sim = Simulation::new(&scenario).map_err(|e| LoadError::Scenario(e.to_string()))?;
        self.findings = scalelab_sim::review::review(&scenario).unwrap_or_default();
        // The page keeps its own bounded history of the windows it receives.
        sim.set_history_limit(0);
        self.sim = Some(sim);
        self.scenario = Some(scenario);
        let traffic = match traffic_rps {
            Some(rps) => self.set_traffic(rps).map_err(LoadError::Traffic),
            None => Ok(()),
        };
        self.traffic_rps = traffic_rps;
        self.rewind = Some(Rewind::new(
            CHECKPOINT_EVERY_MS,
            MAX_CHECKPOINTS,
            MAX_CHECKPOINT_BYTES,
        ));
        self.checkpoint();
        traffic
    }

    /// Sets (or clears) design B; it starts from t = 0 together with A,
    /// which is rebuilt so both run from the same moment.
    fn load_b(&mut self, gen: u64, scenario_json: Option<&str>) -> Result<(), LoadError> {
        if gen != self.gen || self.scenario.is_none() {
            return Err(LoadError::DesignB("design A is not loaded".into()));
        }
        let a = self
            .scenario
            .clone()
            .ok_or_else(|| LoadError::DesignB("no design A".into()))?;
        self.b = None;
        if self.sim.as_ref().is_some_and(|s| s.now_us() > 0) {
            let traffic = self.traffic_rps;
            let json = serde_json::to_string(&a).map_err(|e| LoadError::DesignB(e.to_string()))?;
            self.load(gen, &json, traffic)?;
        }
        let Some(text) = scenario_json else {
            return Ok(());
        };
        let b: Scenario = serde_json::from_str(text)
            .map_err(|e| LoadError::DesignB(format!("not a scenario: {e}")))?;
        let b = same_traffic(&a, &b);
        self.cost_usd_per_month = monthly_costs(&a, &b);
        let mut sim = Simulation::new(&b).map_err(|e| LoadError::DesignB(e.to_string()))?;
        sim.set_history_limit(0);
        if let Some(rps) = self.traffic_rps {
            // B only: A already has its traffic (a second change would redraw its arrivals).
            scale_users(&b, &mut sim, rps).map_err(LoadError::Traffic)?;
        }
        self.b = Some((b, sim));
        // The checkpoints so far hold A alone.
        if let Some(r) = self.rewind.as_mut() {
            r.clear();
        }
        self.checkpoint();
        Ok(())
    }

    /// The loaded design's monthly cost at its current traffic.
    fn cost(&self) -> Option<FromSim> {
        let s = self.scenario.as_ref()?;
        let rps = self.cost_rps.unwrap_or_else(|| s.offered_rps());
        let bill =
            scalelab_sim::cost::monthly_cost_at(s, &scalelab_sim::cost::Prices::LIST, rps).ok()?;
        Some(FromSim::Cost {
            gen: self.gen,
            cost_usd_per_month: bill.cost_usd_per_month,
            cost_usd_per_million_requests: bill.cost_usd_per_million_requests,
        })
    }

    /// The review of the loaded design, for the page.
    fn review(&self) -> FromSim {
        let items = match self.scenario.as_ref() {
            Some(s) => review_items(s, &self.findings),
            None => Vec::new(),
        };
        FromSim::Review {
            gen: self.gen,
            findings: items,
        }
    }

    /// The printable report of the loaded design and the run so far.
    fn report(
        &self,
        design_svg: &str,
        css: &str,
        lang: &str,
        strings: std::collections::BTreeMap<String, String>,
    ) -> Option<FromSim> {
        let (scenario, sim) = (self.scenario.as_ref()?, self.sim.as_ref()?);
        let cost = match self.cost() {
            Some(FromSim::Cost {
                cost_usd_per_month,
                cost_usd_per_million_requests,
                ..
            }) => Some((cost_usd_per_month, cost_usd_per_million_requests)),
            _ => None,
        };
        let p = crate::predict::predict(scenario, self.cost_rps);
        let summary = sim.summary();
        let text = crate::export::report_html(&crate::export::Report {
            scenario,
            design_svg,
            summary: &summary,
            cost,
            capacity: p.capacity_rps.map(|c| (c, p.bottleneck.as_deref())),
            findings: &self.findings,
            css,
            lang,
            strings: &strings,
        });
        Some(FromSim::Exported {
            gen: self.gen,
            file_name: "scalelab-report.html".into(),
            mime: "text/html".into(),
            text,
        })
    }

    fn step(&mut self) -> Option<FromSim> {
        let window_ms = self.scenario.as_ref()?.window_ms.max(1);
        let now = self.sim.as_ref()?.now_us() / 1_000;
        let target = (now / window_ms + 1) * window_ms;
        let mut windows = (Vec::new(), Vec::new());
        self.advance_both(target.saturating_sub(now), &mut windows);
        Some(self.advanced(windows, false))
    }

    /// Applies `action` to A (and to B, when B has that component); logs it for rewinds.
    fn apply(&mut self, action: &Action) -> Result<(), String> {
        let Some(sim) = self.sim.as_mut() else {
            return Err("nothing is loaded".into());
        };
        sim.apply(action).map_err(|e| e.to_string())?;
        if let Some((_, b)) = self.b.as_mut() {
            // B may lack the component; A's outcome is what the page sees.
            let _ = b.apply(action);
        }
        self.log
            .push((sim.now_us(), Logged::Action(action.clone())));
        Ok(())
    }

    /// Scales every users component so the total offered load is `rps`
    /// (each keeps its share of the design's own load).
    fn set_traffic(&mut self, rps: f64) -> Result<(), String> {
        let (Some(scenario), Some(sim)) = (self.scenario.as_ref(), self.sim.as_mut()) else {
            return Ok(());
        };
        scale_users(scenario, sim, rps)?;
        if let Some((scenario, sim)) = self.b.as_mut() {
            scale_users(scenario, sim, rps)?;
        }
        let now = sim_now_us(self.sim.as_ref());
        self.log.push((now, Logged::Traffic(rps)));
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

    fn advanced(
        &mut self,
        (windows, windows_b): (Vec<WindowSnapshot>, Vec<WindowSnapshot>),
        behind: bool,
    ) -> FromSim {
        self.in_flight += 1;
        for w in &windows {
            if self.csv_rows.len() >= MAX_CSV_ROWS {
                self.csv_rows.pop_front();
            }
            let end_ms = (w.end_s * 1000.0).round() as u64;
            self.csv_rows.push_back((end_ms, crate::export::csv_row(w)));
        }
        FromSim::Advanced {
            gen: self.gen,
            now_ms: self.sim.as_ref().map_or(0.0, Simulation::now_ms),
            windows_b: self.b.is_some().then_some(windows_b),
            windows,
            diff: self.diff(),
            behind,
            worker_memory_bytes: 0,
        }
    }
}

fn sim_now_us(sim: Option<&Simulation>) -> u64 {
    sim.map_or(0, Simulation::now_us)
}

/// Scales every users component of `scenario` in `sim` so the total offered
/// load is `rps` (each keeps its share of the design's own load).
fn scale_users(scenario: &Scenario, sim: &mut Simulation, rps: f64) -> Result<(), String> {
    let users: Vec<(&str, f64)> = scenario
        .components
        .iter()
        .filter_map(|c| match &c.spec {
            ComponentSpec::Users(u) => Some((c.id.as_str(), u.offered_rps())),
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

/// The findings as the page receives them: texts as keys and arguments, the
/// fix as one component (an ordinary update) or as the whole fixed design.
pub fn review_items(s: &Scenario, findings: &[scalelab_sim::review::Finding]) -> Vec<ReviewItem> {
    findings
        .iter()
        .map(|f| {
            let one = f.fix.single_update();
            let fix_json = match one {
                Some(c) => serde_json::to_string(c),
                None => serde_json::to_string(&f.fix.apply(s)),
            }
            .unwrap_or_default();
            ReviewItem {
                kind: f.kind.slug().into(),
                component: f.component.clone(),
                reason: (f.reason.key.clone(), f.reason.args.clone()),
                fix_text: (f.fix.text.key.clone(), f.fix.text.args.clone()),
                fix_json,
                fix_is_design: one.is_none(),
            }
        })
        .collect()
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

/// Scores a design against a challenge card; the score as JSON.
fn score(card_json: &str, scenario_json: &str) -> Result<String, String> {
    let card = scalelab_challenges::Card::from_json(card_json)?;
    let design = Scenario::from_json(scenario_json).map_err(|e| e.to_string())?;
    let score = scalelab_challenges::score(&card, &design).map_err(|e| e.to_string())?;
    serde_json::to_string(&score).map_err(|e| e.to_string())
}

/// The chaos preset named `kind` for a design, as timeline JSON.
fn chaos(scenario_json: &str, kind: &str) -> Result<String, String> {
    let kind = scalelab_sim::chaos::ChaosKind::from_slug(kind)
        .ok_or_else(|| format!("no chaos preset '{kind}'"))?;
    let design = Scenario::from_json(scenario_json).map_err(|e| e.to_string())?;
    let script = scalelab_sim::chaos::chaos_script(&design, kind).map_err(|e| e.to_string())?;
    serde_json::to_string(&script).map_err(|e| e.to_string())
}
