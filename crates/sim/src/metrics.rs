//! Per-window metrics: what the charts and the CLI show.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCause {
    /// A bounded queue was full (HTTP 503).
    QueueFull,
    /// No answer within the client timeout.
    Timeout,
    /// Sent to an instance that is dead but not yet detected.
    InstanceDown,
    /// The load balancer has no healthy instance left.
    NoHealthyBackend,
    /// The user's session lived on a web instance that died.
    SessionLost,
    /// The shared session store is down.
    SessionStoreDown,
    /// A write while the database has no primary (failover in progress).
    NoPrimary,
    /// Sent to a data center that is down (a stale DNS answer).
    DcDown,
}

impl ErrorCause {
    /// Every cause, in a fixed order.
    pub const ALL: [ErrorCause; 8] = [
        ErrorCause::QueueFull,
        ErrorCause::Timeout,
        ErrorCause::InstanceDown,
        ErrorCause::NoHealthyBackend,
        ErrorCause::SessionLost,
        ErrorCause::SessionStoreDown,
        ErrorCause::NoPrimary,
        ErrorCause::DcDown,
    ];

    /// The snake_case name used in files and charts.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCause::QueueFull => "queue_full",
            ErrorCause::Timeout => "timeout",
            ErrorCause::InstanceDown => "instance_down",
            ErrorCause::NoHealthyBackend => "no_healthy_backend",
            ErrorCause::SessionLost => "session_lost",
            ErrorCause::SessionStoreDown => "session_store_down",
            ErrorCause::NoPrimary => "no_primary",
            ErrorCause::DcDown => "dc_down",
        }
    }
}

/// Failed requests, by cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErrorCounts {
    /// See [`ErrorCause::QueueFull`].
    pub queue_full: u64,
    /// See [`ErrorCause::Timeout`].
    pub timeout: u64,
    /// See [`ErrorCause::InstanceDown`].
    pub instance_down: u64,
    /// See [`ErrorCause::NoHealthyBackend`].
    pub no_healthy_backend: u64,
    /// See [`ErrorCause::SessionLost`].
    pub session_lost: u64,
    /// See [`ErrorCause::SessionStoreDown`].
    pub session_store_down: u64,
    /// See [`ErrorCause::NoPrimary`].
    pub no_primary: u64,
    /// See [`ErrorCause::DcDown`].
    pub dc_down: u64,
}

impl ErrorCounts {
    fn slot(&mut self, c: ErrorCause) -> &mut u64 {
        match c {
            ErrorCause::QueueFull => &mut self.queue_full,
            ErrorCause::Timeout => &mut self.timeout,
            ErrorCause::InstanceDown => &mut self.instance_down,
            ErrorCause::NoHealthyBackend => &mut self.no_healthy_backend,
            ErrorCause::SessionLost => &mut self.session_lost,
            ErrorCause::SessionStoreDown => &mut self.session_store_down,
            ErrorCause::NoPrimary => &mut self.no_primary,
            ErrorCause::DcDown => &mut self.dc_down,
        }
    }

    /// The count of one cause.
    pub fn get(&self, c: ErrorCause) -> u64 {
        let mut copy = *self;
        *copy.slot(c)
    }

    /// Counts one more failure of cause `c`.
    pub fn add(&mut self, c: ErrorCause) {
        *self.slot(c) += 1;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &ErrorCounts) {
        for c in ErrorCause::ALL {
            *self.slot(c) += other.get(c);
        }
    }

    /// All failures.
    pub fn total(&self) -> u64 {
        ErrorCause::ALL.iter().map(|&c| self.get(c)).sum()
    }

    /// (name, count) for every cause, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        ErrorCause::ALL
            .iter()
            .map(move |&c| (c.name(), self.get(c)))
    }
}

/// One component's figures over one window. Every field is always
/// serialized (absent figures as `null`): the worker sends windows to the page
/// with bincode, which cannot skip fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentWindow {
    /// Component id.
    pub id: String,
    /// Busy cores / available cores, time-averaged (0..1).
    pub utilization: f64,
    /// Requests waiting (not in service) at the end of the window.
    pub queue_len: u64,
    /// Requests waiting or in service, time-averaged.
    pub in_system_mean: f64,
    /// Requests that entered the component's queues per second.
    pub arrivals_rps: f64,
    /// Requests finished by the component per second.
    pub completions_rps: f64,
    /// Mean time from entering the component to leaving it (ms).
    pub sojourn_ms_mean: f64,
    /// Requests in the component (waiting or in service) at the end of the window.
    pub in_flight: u64,
    /// Instances (or nodes, shards) alive.
    pub instances_up: u32,
    /// Instances (or nodes, shards) in all, booting ones included.
    pub instances: u32,
    /// Cache or CDN hit ratio over the window.
    pub hit_ratio: Option<f64>,
    /// Mean replication lag of writes in the window (ms).
    pub replication_lag_ms: Option<f64>,
    /// Jobs waiting in a message queue at the end of the window.
    pub backlog: Option<u64>,
    /// 99th percentile of job latency (queue + service) over the window (ms).
    pub job_latency_ms_p99: Option<f64>,
    /// Utilization of each instance, node, replica or shard (stations only), by index.
    pub instance_utilization: Option<Vec<f64>>,
}

/// Metrics of one window of simulated time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowSnapshot {
    /// Window number, from 0.
    pub index: u64,
    /// Start (s).
    pub start_s: f64,
    /// End (s).
    pub end_s: f64,
    /// Median end-to-end latency of successful requests (ms).
    pub latency_ms_p50: f64,
    /// 95th percentile (ms).
    pub latency_ms_p95: f64,
    /// 99th percentile (ms).
    pub latency_ms_p99: f64,
    /// Largest (ms).
    pub latency_ms_max: f64,
    /// Mean (ms).
    pub latency_ms_mean: f64,
    /// Requests sent by users (retries included).
    pub arrivals: u64,
    /// Requests answered successfully.
    pub successes: u64,
    /// Requests that failed.
    pub failures: u64,
    /// Successes per second.
    pub throughput_rps: f64,
    /// Successes / finished requests (1 when none finished).
    pub availability: f64,
    /// Failures by cause.
    pub errors: ErrorCounts,
    /// Acknowledged writes lost at a failover in this window.
    pub lost_writes: u64,
    /// Reads that missed the reader's own latest write (read-your-writes violations).
    pub stale_reads: u64,
    /// Per component figures, in scenario order (data centers and autoscalers left out).
    pub components: Vec<ComponentWindow>,
}

/// Figures over a whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Simulated seconds.
    pub duration_s: f64,
    /// Median latency of successful requests (ms).
    pub latency_ms_p50: f64,
    /// 95th percentile (ms).
    pub latency_ms_p95: f64,
    /// 99th percentile (ms).
    pub latency_ms_p99: f64,
    /// Largest (ms).
    pub latency_ms_max: f64,
    /// Mean (ms).
    pub latency_ms_mean: f64,
    /// Requests sent.
    pub arrivals: u64,
    /// Successes.
    pub successes: u64,
    /// Failures.
    pub failures: u64,
    /// Successes per second.
    pub throughput_rps: f64,
    /// Successes / finished.
    pub availability: f64,
    /// Failures by cause.
    pub errors: ErrorCounts,
    /// Acknowledged writes lost at failovers.
    pub lost_writes: u64,
    /// Read-your-writes violations.
    pub stale_reads: u64,
    /// Per component means over the run.
    pub components: Vec<ComponentSummary>,
}

/// One component over a whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentSummary {
    /// Component id.
    pub id: String,
    /// Time-averaged utilization.
    pub utilization: f64,
    /// Time-averaged requests waiting or in service.
    pub in_system_mean: f64,
    /// Arrivals per second.
    pub arrivals_rps: f64,
    /// Mean sojourn (ms).
    pub sojourn_ms_mean: f64,
    /// Hit ratio over the run (caches, CDNs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<f64>,
    /// Mean replication lag (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_lag_ms: Option<f64>,
    /// Largest backlog seen at a window's end (message queues).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backlog_max: Option<u64>,
}

/// Largest latency a histogram records (1 h in µs); larger values count as this.
pub(crate) const HIST_MAX_US: u64 = 3_600_000_000;

/// A latency histogram in microseconds (1 µs .. 1 h, 3 significant digits).
///
/// It starts small and grows to the largest value recorded (record through
/// [`record_us`], which caps at [`HIST_MAX_US`]), so a window that saw only
/// short latencies costs little to clear and to read percentiles from; the
/// buckets, and so every percentile, are the same as with the full range.
pub(crate) fn new_histogram() -> Histogram<u64> {
    match Histogram::new(3) {
        Ok(h) => h,
        // 3 significant digits is a valid precision; this arm is unreachable.
        Err(_) => Histogram::new_with_bounds(1, HIST_MAX_US, 3).unwrap_or_else(|_| unreachable!()),
    }
}

/// Records `v` µs (at least 1, at most [`HIST_MAX_US`]) into `h`.
pub(crate) fn record_us(h: &mut Histogram<u64>, v: u64) {
    let v = v.clamp(1, HIST_MAX_US);
    // `record` grows the histogram to fit (`saturating_record` would clamp
    // to its current size instead); it cannot fail below HIST_MAX_US.
    if h.record(v).is_err() {
        h.saturating_record(v);
    }
}

/// End-to-end latencies of a window or a run: an HDR histogram for the
/// percentiles plus the exact sum for the mean.
#[derive(Debug, Clone)]
pub(crate) struct LatencyHist {
    hist: Histogram<u64>,
    sum_us: u128,
}

impl LatencyHist {
    /// An empty record.
    pub(crate) fn new() -> Self {
        Self {
            hist: new_histogram(),
            sum_us: 0,
        }
    }

    /// Records one latency (µs; at least 1, at most the histogram's 1 h).
    pub(crate) fn record(&mut self, latency_us: u64) {
        let v = latency_us.max(1);
        record_us(&mut self.hist, v);
        self.sum_us += u128::from(v);
    }

    /// Forgets everything recorded.
    pub(crate) fn reset(&mut self) {
        self.hist.reset();
        self.sum_us = 0;
    }

    /// (p50, p95, p99, max, mean) in ms; zeros when empty. The mean is exact.
    pub(crate) fn percentiles_ms(&self) -> (f64, f64, f64, f64, f64) {
        let n = self.hist.len();
        if n == 0 {
            return (0.0, 0.0, 0.0, 0.0, 0.0);
        }
        // One pass over the counts for the three quantiles (same values as value_at_quantile).
        let mut q = self
            .hist
            .value_at_quantiles([0.5, 0.95, 0.99])
            .map(|v| v as f64 / 1000.0);
        let (p50, p95, p99) = (
            q.next().unwrap_or(0.0),
            q.next().unwrap_or(0.0),
            q.next().unwrap_or(0.0),
        );
        let mean = self.sum_us as f64 / n as f64 / 1000.0;
        (p50, p95, p99, self.hist.max() as f64 / 1000.0, mean)
    }
}
