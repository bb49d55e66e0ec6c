//! Application state: a pure reducer in the style of yew's `function_todomvc`.
//!
//! The simulation itself lives outside the reducer (it is mutable and not
//! `Clone`); the reducer only keeps what the page shows: run controls, the
//! bounded chart history and the latest window's figures.

use std::collections::VecDeque;
use std::rc::Rc;

use yew::Reducible;

use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::{ComponentWindow, Scenario, WindowSnapshot};

/// How many one-second windows the charts keep.
pub const HISTORY_LEN: usize = 120;
/// Highest traffic the numeric field accepts, in requests per second.
pub const MAX_TRAFFIC_RPS: f64 = 1_000_000.0;
/// Upper end of the traffic slider, in requests per second.
pub const SLIDER_MAX_RPS: f64 = 2_000.0;
/// Traffic the page starts with, in requests per second.
pub const DEFAULT_TRAFFIC_RPS: f64 = 100.0;
/// Simulation speeds offered by the run bar (simulated seconds per wall second).
pub const SPEEDS: [u32; 3] = [1, 10, 100];

/// One chart sample: the figures of one completed window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// End of the window, simulated seconds.
    pub t_s: f64,
    /// Median latency, ms.
    pub p50: f64,
    /// 95th percentile latency, ms.
    pub p95: f64,
    /// 99th percentile latency, ms.
    pub p99: f64,
    /// Successful responses per second.
    pub throughput_rps: f64,
    /// Requests that arrived per second (offered load).
    pub offered_rps: f64,
    /// Errors in this window.
    pub errors: u64,
    /// Successes / finished requests in this window.
    pub availability: f64,
}

impl From<&WindowSnapshot> for Point {
    fn from(w: &WindowSnapshot) -> Self {
        let secs = (w.end_s - w.start_s).max(1e-9);
        Point {
            t_s: w.end_s,
            p50: w.latency_ms_p50,
            p95: w.latency_ms_p95,
            p99: w.latency_ms_p99,
            throughput_rps: w.throughput_rps,
            offered_rps: w.arrivals as f64 / secs,
            errors: w.errors.total(),
            availability: w.availability,
        }
    }
}

/// What the page shows about the web tier's configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct WebInfo {
    /// Component id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// Instances configured.
    pub instances: u32,
    /// Cores per instance.
    pub cores: u32,
    /// Mean service time per request on one core, ms (after the size's speed-up).
    pub service_ms: f64,
    /// Waiting-room bound per instance.
    pub queue_capacity: u32,
}

/// What the page shows about the loaded scenario (read once per simulation).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioInfo {
    /// Title.
    pub name: String,
    /// A few sentences for the learner.
    pub description: String,
    /// Target p99 latency, ms.
    pub slo_p99_ms: f64,
    /// Id of the traffic source.
    pub users_id: String,
    /// Initial offered traffic, rps.
    pub users_rps: f64,
    /// The (first) web tier.
    pub web: Option<WebInfo>,
    /// One-way network latency from users to the data center, ms.
    pub user_network_ms: f64,
}

impl ScenarioInfo {
    /// Read the figures the page needs from a scenario.
    pub fn from_scenario(scenario: &Scenario) -> ScenarioInfo {
        let mut info = ScenarioInfo {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            slo_p99_ms: scenario.slo.latency_ms_p99,
            users_id: "users".into(),
            users_rps: DEFAULT_TRAFFIC_RPS,
            web: None,
            user_network_ms: scenario.network.user_to_region_ms,
        };
        let mut found_users = false;
        for c in &scenario.components {
            match &c.spec {
                ComponentSpec::Users(u) if !found_users => {
                    found_users = true;
                    info.users_id = c.id.clone();
                    info.users_rps = u.users as f64 * u.requests_per_user_per_s;
                }
                ComponentSpec::WebTier(w) if info.web.is_none() => {
                    let size = w.size.spec();
                    info.web = Some(WebInfo {
                        id: c.id.clone(),
                        label: if c.label.is_empty() {
                            "Web server".into()
                        } else {
                            c.label.clone()
                        },
                        instances: w.instances,
                        cores: size.cores,
                        service_ms: w.service.mean_ms() / size.speed.max(1e-9),
                        queue_capacity: w.queue_capacity,
                    });
                }
                _ => {}
            }
        }
        info
    }
}

/// One component's figures over the latest window (what the canvas draws).
#[derive(Debug, Clone, PartialEq)]
pub struct NodeFigures {
    /// Component id in the scenario.
    pub id: String,
    /// Busy fraction of its cores, 0..1.
    pub utilization: f64,
    /// Requests waiting at the end of the window.
    pub queue_len: u64,
    /// Requests inside the component (waiting or in service).
    pub in_flight: u64,
    /// Instances up.
    pub instances_up: u32,
    /// Instances configured.
    pub instances: u32,
}

impl From<&ComponentWindow> for NodeFigures {
    fn from(c: &ComponentWindow) -> Self {
        NodeFigures {
            id: c.id.clone(),
            utilization: c.utilization,
            queue_len: c.queue_len,
            in_flight: c.in_flight,
            instances_up: c.instances_up,
            instances: c.instances,
        }
    }
}

/// Everything the page renders.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// Whether the simulation clock is running.
    pub running: bool,
    /// Simulated seconds per wall-clock second.
    pub speed: u32,
    /// Offered traffic, requests per second.
    pub traffic_rps: f64,
    /// Simulated time, seconds.
    pub sim_time_s: f64,
    /// The last [`HISTORY_LEN`] windows, oldest first.
    pub history: VecDeque<Point>,
    /// Number of windows received since the last reset (changes when the charts must redraw).
    pub windows_seen: u64,
    /// Errors since the last reset, all causes.
    pub total_errors: u64,
    /// Errors since the last reset, by cause (only causes seen so far).
    pub errors_by_cause: Vec<(&'static str, u64)>,
    /// Per-component figures of the latest completed window.
    pub nodes: Vec<NodeFigures>,
    /// Analytic capacity of the current topology, requests per second.
    pub capacity_rps: Option<f64>,
    /// The loaded scenario's figures.
    pub info: Option<Rc<ScenarioInfo>>,
    /// Message for rejected traffic input, shown next to the field.
    pub input_error: Option<String>,
    /// The simulation cannot keep up with the requested speed (compute-bound).
    pub behind: bool,
    /// Message when the simulation itself reported an error.
    pub sim_error: Option<String>,
    /// Bumped on every reset, so the frame loop restarts with the new simulation.
    pub generation: u64,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            running: false,
            speed: 1,
            traffic_rps: DEFAULT_TRAFFIC_RPS,
            sim_time_s: 0.0,
            history: VecDeque::with_capacity(HISTORY_LEN),
            windows_seen: 0,
            total_errors: 0,
            errors_by_cause: Vec::new(),
            nodes: Vec::new(),
            capacity_rps: None,
            info: None,
            input_error: None,
            behind: false,
            sim_error: None,
            generation: 0,
        }
    }
}

/// Every change to [`AppState`].
#[derive(Debug, Clone)]
pub enum Action {
    /// Start the clock.
    Play,
    /// Stop the clock.
    Pause,
    /// Back to t = 0 with a fresh simulation (keeps traffic and speed).
    Reset {
        /// Capacity of the fresh simulation.
        capacity_rps: Option<f64>,
        /// The fresh simulation's scenario figures.
        info: Rc<ScenarioInfo>,
    },
    /// Change the speed multiplier.
    SetSpeed(u32),
    /// Accept a new traffic rate (already validated and applied to the simulation).
    SetTraffic(f64),
    /// Reject a traffic input; the previous rate stays.
    RejectInput(String),
    /// The simulation advanced to `now_ms`, completing `windows`.
    Advanced {
        /// Simulated time after the step, ms.
        now_ms: f64,
        /// Windows completed during the step, oldest first.
        windows: Vec<WindowSnapshot>,
        /// The frame's compute budget ran out before the requested speed was met.
        behind: bool,
    },
    /// The simulation reported an error; the clock stops.
    SimFailed(String),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Play => {
                if s.sim_error.is_some() {
                    return self;
                }
                s.running = true;
            }
            Action::Pause => {
                s.running = false;
                s.behind = false;
            }
            Action::Reset { capacity_rps, info } => {
                s = AppState {
                    speed: s.speed,
                    traffic_rps: s.traffic_rps,
                    generation: s.generation + 1,
                    capacity_rps,
                    info: Some(info),
                    ..AppState::default()
                };
            }
            Action::SetSpeed(speed) => s.speed = speed.clamp(1, 1000),
            Action::SetTraffic(rps) => {
                s.traffic_rps = rps;
                s.input_error = None;
            }
            Action::RejectInput(msg) => s.input_error = Some(msg),
            Action::Advanced {
                now_ms,
                windows,
                behind,
            } => {
                s.sim_time_s = now_ms / 1000.0;
                s.behind = behind;
                for w in &windows {
                    if s.history.len() == HISTORY_LEN {
                        s.history.pop_front();
                    }
                    s.history.push_back(Point::from(w));
                    s.windows_seen += 1;
                    s.total_errors += w.errors.total();
                    for (cause, n) in w.errors.iter() {
                        if n == 0 {
                            continue;
                        }
                        match s.errors_by_cause.iter_mut().find(|(c, _)| *c == cause) {
                            Some((_, total)) => *total += n,
                            None => s.errors_by_cause.push((cause, n)),
                        }
                    }
                }
                if let Some(w) = windows.last() {
                    s.nodes = w.components.iter().map(NodeFigures::from).collect();
                }
            }
            Action::SimFailed(msg) => {
                s.running = false;
                s.sim_error = Some(msg);
            }
        }
        Rc::new(s)
    }
}

/// Parse what the learner typed into the traffic field.
///
/// Accepts plain numbers with optional thousands separators (`1,200`, `1_200`)
/// and an optional `rps` suffix. Rejects empty text, non-numbers, NaN,
/// infinities, negative rates and anything above [`MAX_TRAFFIC_RPS`], with a
/// message the learner can act on.
pub fn parse_traffic(text: &str) -> Result<f64, String> {
    let cleaned: String = text
        .trim()
        .trim_end_matches("rps")
        .trim_end_matches("/s")
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if cleaned.is_empty() {
        return Err("Enter a traffic rate in requests per second.".into());
    }
    let value: f64 = cleaned.parse().map_err(|_| {
        format!(
            "“{}” is not a number. Enter requests per second, e.g. 250.",
            text.trim()
        )
    })?;
    if !value.is_finite() {
        return Err("Traffic must be a finite number of requests per second.".into());
    }
    if value < 0.0 {
        return Err("Traffic can't be negative. Enter 0 or more requests per second.".into());
    }
    if value > MAX_TRAFFIC_RPS {
        return Err(format!(
            "{} rps is too much: ScaleLab simulates at most 1,000,000 requests per second.",
            format_number(value)
        ));
    }
    Ok(value)
}

/// Format a number for people: thousands separators, at most one decimal for small values.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v.abs() >= 1e12 {
        return format!("{v:.2e}");
    }
    let rounded = if v.abs() < 10.0 && v.fract() != 0.0 {
        return format!("{v:.1}");
    } else {
        v.round() as i64
    };
    let digits = rounded.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if rounded < 0 {
        out.insert(0, '-');
    }
    out
}

/// Format a latency in ms with a sensible unit.
pub fn format_latency(ms: f64) -> String {
    if !ms.is_finite() {
        "–".into()
    } else if ms >= 10_000.0 {
        format!("{:.0} s", ms / 1000.0)
    } else if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traffic_input_accepts_numbers() {
        assert_eq!(parse_traffic("250"), Ok(250.0));
        assert_eq!(parse_traffic(" 1,200 rps"), Ok(1200.0));
        assert_eq!(parse_traffic("0"), Ok(0.0));
        assert_eq!(parse_traffic("1000000"), Ok(1_000_000.0));
    }

    #[test]
    fn traffic_input_rejects_bad_values() {
        for bad in ["", "abc", "-5", "NaN", "inf", "1e9", "1000001", "12..3"] {
            assert!(parse_traffic(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn numbers_are_formatted_for_people() {
        assert_eq!(format_number(1_234_567.0), "1,234,567");
        assert_eq!(format_number(400.0), "400");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_latency(12.34), "12.3 ms");
        assert_eq!(format_latency(1500.0), "1.50 s");
    }

    #[test]
    fn reset_keeps_traffic_and_clears_history() {
        let s = Rc::new(AppState::default());
        let s = s.reduce(Action::SetTraffic(321.0));
        let s = s.reduce(Action::Advanced {
            now_ms: 5000.0,
            windows: vec![],
            behind: false,
        });
        let info = Rc::new(ScenarioInfo::from_scenario(
            &scalelab_sim::presets::single_server(),
        ));
        assert_eq!(info.web.as_ref().map(|w| w.cores), Some(4));
        let s = s.reduce(Action::Reset {
            capacity_rps: Some(400.0),
            info,
        });
        assert_eq!(s.traffic_rps, 321.0);
        assert_eq!(s.sim_time_s, 0.0);
        assert_eq!(s.generation, 1);
    }

    #[test]
    fn history_is_bounded_and_errors_accumulate() {
        let scenario = scalelab_sim::presets::single_server();
        let mut sim = scalelab_sim::Simulation::new(&scenario).expect("preset is valid");
        sim.apply(&scalelab_sim::Action::SetRequestRate {
            component: "users".into(),
            requests_per_s: 800.0,
        })
        .expect("valid rate");
        let mut s = Rc::new(AppState::default());
        let mut expected_errors = 0;
        for _ in 0..13 {
            let windows = sim.advance_ms(10_000);
            expected_errors += windows.iter().map(|w| w.errors.total()).sum::<u64>();
            s = s.reduce(Action::Advanced {
                now_ms: sim.now_ms(),
                windows,
                behind: false,
            });
        }
        assert_eq!(s.history.len(), HISTORY_LEN);
        assert_eq!(s.windows_seen, 130);
        assert_eq!(s.total_errors, expected_errors);
        assert!(s.total_errors > 0, "800 rps overloads a 400 rps server");
        let queue_full = s.errors_by_cause.iter().find(|(c, _)| *c == "queue_full");
        assert!(queue_full.is_some_and(|(_, n)| *n > 0));
        assert!(s.nodes.iter().any(|n| n.id == "web" && n.utilization > 0.9));
        let last = s.history.back().expect("history");
        assert!(last.p99 > last.p50 && last.availability < 0.9);
    }
}
