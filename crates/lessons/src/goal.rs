//! Goals: conditions on the metrics windows, checked live while a lesson runs.
//!
//! A [`Goal`] is a list of [`Condition`]s that must all hold. Each condition
//! reads one metric over a span of simulated time, aggregates it over the
//! windows in that span and compares it with a value:
//!
//! ```json
//! { "metric": "availability", "op": ">=", "value": 0.999, "over": { "from_s": 20, "to_s": 60 } }
//! { "metric": "utilization", "component": "db", "op": "<=", "value": 0.4, "over": { "from_s": 10, "to_s": 30 } }
//! { "metric": "errors", "cause": "no_primary", "op": "<=", "value": 800, "over": { "from_s": 15, "to_s": 35 } }
//! ```

use scalelab_sim::{ComponentWindow, ErrorCause, WindowSnapshot};
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;

/// A goal: every condition must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// The conditions, all required.
    pub all: Vec<Condition>,
}

/// What a condition measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Successes / finished requests (0..1).
    Availability,
    /// Median end-to-end latency (ms).
    LatencyMsP50,
    /// 95th percentile latency (ms).
    LatencyMsP95,
    /// 99th percentile latency (ms).
    LatencyMsP99,
    /// Successful requests per second.
    ThroughputRps,
    /// Failed requests (of one `cause`, or all).
    Errors,
    /// Acknowledged writes lost at a failover.
    LostWrites,
    /// Reads that missed the reader's own latest write.
    StaleReads,
    /// A component's utilization (0..1).
    Utilization,
    /// The busiest instance (node, replica, shard) of a component (0..1).
    MaxInstanceUtilization,
    /// Requests per second entering a component.
    ArrivalsRps,
    /// A cache's or CDN's hit ratio (0..1).
    HitRatio,
    /// Jobs waiting in a message queue.
    Backlog,
    /// 99th percentile job latency of a worker pool (ms).
    JobLatencyMsP99,
    /// Instances of a component that are up and serving.
    InstancesUp,
}

impl Metric {
    /// Every metric, in a fixed order.
    pub const ALL: [Metric; 15] = [
        Metric::Availability,
        Metric::LatencyMsP50,
        Metric::LatencyMsP95,
        Metric::LatencyMsP99,
        Metric::ThroughputRps,
        Metric::Errors,
        Metric::LostWrites,
        Metric::StaleReads,
        Metric::Utilization,
        Metric::MaxInstanceUtilization,
        Metric::ArrivalsRps,
        Metric::HitRatio,
        Metric::Backlog,
        Metric::JobLatencyMsP99,
        Metric::InstancesUp,
    ];

    /// The snake_case name used in goal files (`latency_ms_p99`).
    pub fn key(self) -> &'static str {
        match self {
            Metric::Availability => "availability",
            Metric::LatencyMsP50 => "latency_ms_p50",
            Metric::LatencyMsP95 => "latency_ms_p95",
            Metric::LatencyMsP99 => "latency_ms_p99",
            Metric::ThroughputRps => "throughput_rps",
            Metric::Errors => "errors",
            Metric::LostWrites => "lost_writes",
            Metric::StaleReads => "stale_reads",
            Metric::Utilization => "utilization",
            Metric::MaxInstanceUtilization => "max_instance_utilization",
            Metric::ArrivalsRps => "arrivals_rps",
            Metric::HitRatio => "hit_ratio",
            Metric::Backlog => "backlog",
            Metric::JobLatencyMsP99 => "job_latency_ms_p99",
            Metric::InstancesUp => "instances_up",
        }
    }

    /// True when the metric belongs to a component (`component` is required).
    pub fn needs_component(self) -> bool {
        matches!(
            self,
            Metric::Utilization
                | Metric::MaxInstanceUtilization
                | Metric::ArrivalsRps
                | Metric::HitRatio
                | Metric::Backlog
                | Metric::JobLatencyMsP99
                | Metric::InstancesUp
        )
    }

    /// How the windows of a span are combined unless the condition says otherwise.
    pub fn default_agg(self) -> Agg {
        match self {
            Metric::Availability => Agg::Ratio,
            Metric::LatencyMsP50
            | Metric::LatencyMsP95
            | Metric::LatencyMsP99
            | Metric::Backlog
            | Metric::JobLatencyMsP99 => Agg::Max,
            Metric::Errors | Metric::LostWrites | Metric::StaleReads => Agg::Sum,
            Metric::InstancesUp => Agg::Min,
            Metric::ThroughputRps
            | Metric::Utilization
            | Metric::MaxInstanceUtilization
            | Metric::ArrivalsRps
            | Metric::HitRatio => Agg::Mean,
        }
    }

    /// The unit the UI shows the value in.
    pub fn unit(self) -> Unit {
        match self {
            Metric::Availability
            | Metric::Utilization
            | Metric::MaxInstanceUtilization
            | Metric::HitRatio => Unit::Ratio,
            Metric::LatencyMsP50
            | Metric::LatencyMsP95
            | Metric::LatencyMsP99
            | Metric::JobLatencyMsP99 => Unit::Ms,
            Metric::ThroughputRps | Metric::ArrivalsRps => Unit::Rps,
            Metric::Errors
            | Metric::LostWrites
            | Metric::StaleReads
            | Metric::Backlog
            | Metric::InstancesUp => Unit::Count,
        }
    }
}

/// How a measured value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A share, shown as a percentage (0.992 → "99.2%").
    Ratio,
    /// Milliseconds.
    Ms,
    /// Requests per second.
    Rps,
    /// A count.
    Count,
}

impl Unit {
    /// The value formatted for a learner: `99.2%`, `180 ms`, `2,400 rps`, `32`.
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Ratio => {
                let p = v * 100.0;
                if (99.0..100.0).contains(&p) {
                    format!("{p:.2}%")
                } else {
                    format!("{p:.1}%")
                }
            }
            Unit::Ms => format!("{} ms", group(v)),
            Unit::Rps => format!("{} rps", group(v)),
            Unit::Count => group(v),
        }
    }
}

/// A whole number with thousands separators.
fn group(v: f64) -> String {
    let n = v.round();
    let neg = n < 0.0;
    let digits = format!("{:.0}", n.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// How the windows of a span are combined into one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agg {
    /// Successes / finished over the whole span (availability only).
    Ratio,
    /// Mean of the windows' values.
    Mean,
    /// Largest window value.
    Max,
    /// Smallest window value.
    Min,
    /// Sum of the windows' values.
    Sum,
    /// The last window's value.
    Last,
}

/// Comparison of the measured value with the condition's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// At least.
    #[serde(rename = ">=")]
    Ge,
    /// At most.
    #[serde(rename = "<=")]
    Le,
    /// More than.
    #[serde(rename = ">")]
    Gt,
    /// Less than.
    #[serde(rename = "<")]
    Lt,
}

impl Op {
    /// True when `measured op value`.
    pub fn holds(self, measured: f64, value: f64) -> bool {
        match self {
            Op::Ge => measured >= value,
            Op::Le => measured <= value,
            Op::Gt => measured > value,
            Op::Lt => measured < value,
        }
    }

    /// The operator as written (`>=` is shown as `≥`).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Lt => "<",
        }
    }
}

/// A span of simulated time, in seconds from the start of the run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// Start (s).
    pub from_s: f64,
    /// End (s).
    pub to_s: f64,
}

/// One condition of a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// What is measured.
    pub metric: Metric,
    /// The component, for component metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The error cause, for `errors` (all causes when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<ErrorCause>,
    /// The comparison.
    pub op: Op,
    /// The value compared with.
    pub value: f64,
    /// The span of simulated time the metric is read over.
    pub over: Span,
    /// How the windows are combined (the metric's default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agg: Option<Agg>,
}

/// A condition's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionStatus {
    /// The value measured so far over the span (`None` before its first window).
    pub measured: Option<f64>,
    /// The measured value satisfies the condition (so far).
    pub holds: bool,
    /// Every window of the span has been seen.
    pub complete: bool,
    /// Windows of the span seen.
    pub windows: usize,
}

/// A goal's state: `passed` once every condition is complete and holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalStatus {
    /// Every condition is complete and holds.
    pub passed: bool,
    /// Every condition's span has been simulated.
    pub complete: bool,
    /// One status per condition, in order.
    pub conditions: Vec<ConditionStatus>,
}

const EPS: f64 = 1e-9;

impl Goal {
    /// Simulated seconds needed to decide the goal: the latest end of a span.
    pub fn run_s(&self) -> f64 {
        self.all.iter().map(|c| c.over.to_s).fold(0.0, f64::max)
    }
}

impl Condition {
    /// The component's figures in a window, if the window has them.
    fn component_window<'a>(&self, w: &'a WindowSnapshot) -> Option<&'a ComponentWindow> {
        let id = self.component.as_deref()?;
        w.components.iter().find(|c| c.id == id)
    }

    /// The metric's value in one window (`None` when the window lacks it).
    fn window_value(&self, w: &WindowSnapshot) -> Option<f64> {
        Some(match self.metric {
            Metric::Availability => w.availability,
            Metric::LatencyMsP50 => w.latency_ms_p50,
            Metric::LatencyMsP95 => w.latency_ms_p95,
            Metric::LatencyMsP99 => w.latency_ms_p99,
            Metric::ThroughputRps => w.throughput_rps,
            Metric::Errors => match self.cause {
                Some(c) => w.errors.get(c) as f64,
                None => w.errors.total() as f64,
            },
            Metric::LostWrites => w.lost_writes as f64,
            Metric::StaleReads => w.stale_reads as f64,
            Metric::Utilization => self.component_window(w)?.utilization,
            Metric::MaxInstanceUtilization => {
                let c = self.component_window(w)?;
                match &c.instance_utilization {
                    Some(v) if !v.is_empty() => v.iter().copied().fold(0.0, f64::max),
                    _ => c.utilization,
                }
            }
            Metric::ArrivalsRps => self.component_window(w)?.arrivals_rps,
            Metric::HitRatio => self.component_window(w)?.hit_ratio?,
            Metric::Backlog => self.component_window(w)?.backlog? as f64,
            Metric::JobLatencyMsP99 => self.component_window(w)?.job_latency_ms_p99?,
            Metric::InstancesUp => f64::from(self.component_window(w)?.instances_up),
        })
    }

    /// Measures the condition over `windows` (any order; those outside the span are ignored).
    /// Windows may be owned or shared (`&[WindowSnapshot]`, `&[Rc<WindowSnapshot>]`).
    pub fn check<W: Borrow<WindowSnapshot>>(&self, windows: &[W]) -> ConditionStatus {
        let in_span: Vec<&WindowSnapshot> = windows
            .iter()
            .map(Borrow::borrow)
            .filter(|w| w.start_s >= self.over.from_s - EPS && w.end_s <= self.over.to_s + EPS)
            .collect();
        let complete = windows
            .iter()
            .any(|w| w.borrow().end_s >= self.over.to_s - EPS);
        let agg = self.agg.unwrap_or(self.metric.default_agg());
        let measured = if agg == Agg::Ratio {
            let ok: u64 = in_span.iter().map(|w| w.successes).sum();
            let bad: u64 = in_span.iter().map(|w| w.failures).sum();
            match (in_span.is_empty(), ok + bad) {
                (true, _) => None,
                (false, 0) => Some(1.0),
                (false, n) => Some(ok as f64 / n as f64),
            }
        } else {
            let values: Vec<f64> = in_span
                .iter()
                .filter_map(|w| self.window_value(w))
                .collect();
            if values.is_empty() {
                None
            } else {
                Some(match agg {
                    Agg::Mean | Agg::Ratio => values.iter().sum::<f64>() / values.len() as f64,
                    Agg::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    Agg::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
                    Agg::Sum => values.iter().sum(),
                    Agg::Last => values[values.len() - 1],
                })
            }
        };
        ConditionStatus {
            measured,
            holds: measured.is_some_and(|m| self.op.holds(m, self.value)),
            complete,
            windows: in_span.len(),
        }
    }

    /// "availability 99.20% / goal ≥ 99.90%" for a measured value (English;
    /// [`crate::progress`] reads the words from the language files).
    pub fn progress(&self, measured: Option<f64>) -> String {
        self.progress_with(measured, metric_name(self.metric), "goal")
    }

    /// A progress line with the metric's name and the word "goal" given.
    pub fn progress_with(&self, measured: Option<f64>, metric: &str, goal: &str) -> String {
        let unit = self.metric.unit();
        let name = match (&self.component, self.cause) {
            (Some(c), _) => format!("{c} {metric}"),
            (None, Some(cause)) => format!("{metric} ({})", cause.name()),
            (None, None) => metric.to_string(),
        };
        let now = measured.map_or_else(|| "–".to_string(), |m| unit.format(m));
        format!(
            "{name} {now} / {goal} {} {}",
            self.op.symbol(),
            unit.format(self.value)
        )
    }
}

/// The metric's name as shown in progress lines.
pub fn metric_name(m: Metric) -> &'static str {
    match m {
        Metric::Availability => "availability",
        Metric::LatencyMsP50 => "p50 latency",
        Metric::LatencyMsP95 => "p95 latency",
        Metric::LatencyMsP99 => "p99 latency",
        Metric::ThroughputRps => "throughput",
        Metric::Errors => "errors",
        Metric::LostWrites => "lost writes",
        Metric::StaleReads => "stale reads",
        Metric::Utilization => "utilization",
        Metric::MaxInstanceUtilization => "busiest instance",
        Metric::ArrivalsRps => "arrivals",
        Metric::HitRatio => "hit ratio",
        Metric::Backlog => "backlog",
        Metric::JobLatencyMsP99 => "job p99 latency",
        Metric::InstancesUp => "instances up",
    }
}

/// Checks `goal` against the windows seen so far (the live view) or of a whole run.
/// Windows may be owned or shared (`&[WindowSnapshot]`, `&[Rc<WindowSnapshot>]`).
pub fn check<W: Borrow<WindowSnapshot>>(goal: &Goal, windows: &[W]) -> GoalStatus {
    let conditions: Vec<ConditionStatus> = goal.all.iter().map(|c| c.check(windows)).collect();
    let complete = conditions.iter().all(|c| c.complete);
    GoalStatus {
        passed: complete && conditions.iter().all(|c| c.holds),
        complete,
        conditions,
    }
}
