//! The messages between the page and the simulation worker.
//!
//! Scenarios, actions and windows travel as JSON strings inside these
//! messages: their serde shapes (optional fields, tagged enums) are JSON
//! shapes, while the envelope itself is encoded by gloo-worker (bincode).
//! Every reply names the generation (`gen`) of the simulation it belongs
//! to, so the page can drop replies about a design it has since replaced.

use scalelab_sim::compare::DiffRow;
use scalelab_sim::metrics::WindowSnapshot;
use serde::{Deserialize, Serialize};

/// A request from the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToSim {
    /// Build a new simulation of `scenario_json` (paused at t = 0),
    /// replacing the current one; `traffic_rps` overrides the offered load.
    Load {
        /// Generation number chosen by the page (increasing).
        gen: u64,
        /// The scenario, as JSON.
        scenario_json: String,
        /// Total requests/s spread over the users components, if overridden.
        traffic_rps: Option<f64>,
    },
    /// Play (`running`) or pause, at `speed` × real time (0 = as fast as possible).
    Run {
        /// Whether simulated time advances.
        running: bool,
        /// Simulated seconds per wall second; 0 means as fast as possible.
        speed: u32,
    },
    /// Advance to the end of the current window (while paused).
    Step,
    /// The analytic twin's figures for `scenario_json` with its users scaled to
    /// `traffic_rps` in total (if given); answered by `FromSim::Predicted`.
    Predict {
        /// Generation number of the design (as in `Load`).
        gen: u64,
        /// The scenario, as JSON.
        scenario_json: String,
        /// Total requests/s spread over the users components, if overridden.
        traffic_rps: Option<f64>,
    },
    /// Apply a timed-action now (fail, recover, scale…), as JSON of `scalelab_sim::Action`.
    Apply {
        /// The action, as JSON.
        action_json: String,
    },
    /// Set the total offered load (requests/s), spread over the users components.
    SetTraffic {
        /// Total requests/s.
        rps: f64,
    },
    /// Compare mode: run `scenario_json` as design B beside the loaded design
    /// A, in lockstep and on the same traffic (A's seed, workload and users);
    /// `None` leaves compare mode. Sent right after `Load` (a `Load` alone
    /// always runs A only).
    LoadB {
        /// Generation of the `Load` it belongs to.
        gen: u64,
        /// Design B, as JSON, or `None` for A alone.
        scenario_json: Option<String>,
    },
    /// Go back to simulated time `t_ms` (clamped to [0, now]): restore the
    /// latest checkpoint at or before it, replay the faults and traffic
    /// changes applied after it and before `t_ms`, and advance to `t_ms`:
    /// the state the run had when its clock first reached `t_ms`. Actions
    /// applied at or after `t_ms` are forgotten. Play continues from there.
    Seek {
        /// Target simulated time, ms.
        t_ms: u64,
    },
    /// Score `scenario_json` against the challenge card `card_json`
    /// (`scalelab_challenges::score`: the card's traffic, faults and budget).
    Score {
        /// The card, as JSON.
        card_json: String,
        /// The design, as JSON.
        scenario_json: String,
    },
    /// The page has rendered the `Advanced` batch of generation `gen`.
    Ack {
        /// Generation of the acknowledged batch.
        gen: u64,
    },
    /// Measure the engine alone: simulate `scenario_json` for `duration_s`
    /// without pacing and report events and wall time (benchmarks).
    Bench {
        /// The scenario, as JSON.
        scenario_json: String,
        /// Simulated seconds to run.
        duration_s: f64,
    },
    /// Write the chaos preset `kind` (`scalelab_sim::chaos::ChaosKind::slug`)
    /// for `scenario_json`; the reply is [`FromSim::Chaos`].
    Chaos {
        /// The design, as JSON.
        scenario_json: String,
        /// The preset's slug, e.g. `rolling_restart`.
        kind: String,
    },
    /// Export the metrics of every window run so far (since the last
    /// `Load`) as CSV; the reply is [`FromSim::Exported`].
    ExportCsv,
    /// Export a one-page printable HTML report of the loaded design and the
    /// run so far; the reply is [`FromSim::Exported`].
    ExportReport {
        /// The design's picture: the canvas's SVG markup.
        design_svg: String,
        /// The page's stylesheets (their text), so the picture is drawn as
        /// on the page.
        css: String,
        /// The page's language (`en`, `ko`).
        lang: String,
        /// The page's texts of the report's i18n keys (`report.*`,
        /// `review.*`), so the report is in the page's language.
        strings: Vec<(String, String)>,
    },
    /// Capacity sweep of `scenario_json` (`scalelab_sim::sweep::SweepRun`):
    /// `steps` loads evenly from `from_rps` to `to_rps`, `duration_s`
    /// simulated seconds each, run a slice per tick beside the loaded
    /// simulation (which it does not touch); answered by one
    /// [`FromSim::SweepProgress`] per step, then [`FromSim::SweepDone`]. A new
    /// sweep replaces one under way.
    Sweep {
        /// The sweep's number, chosen by the page (increasing).
        gen: u64,
        /// The design, as JSON.
        scenario_json: String,
        /// Lowest offered load, requests/s.
        from_rps: f64,
        /// Highest offered load, requests/s.
        to_rps: f64,
        /// Number of loads.
        steps: u32,
        /// Simulated seconds per load.
        duration_s: f64,
    },
    /// Stop the sweep under way at once; the reply is [`FromSim::SweepCancelled`].
    CancelSweep,
}

/// Why a `Load` failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LoadError {
    /// The scenario does not build (the core's message).
    Scenario(String),
    /// The traffic override was rejected (the core's message).
    Traffic(String),
    /// Design B does not build (the core's message).
    DesignB(String),
}

/// A reply from the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromSim {
    /// The outcome of `Load { gen, .. }`.
    Loaded {
        /// Generation of the load.
        gen: u64,
        /// Ok, or why the simulation could not be built.
        result: Result<(), LoadError>,
    },
    /// Simulated time moved: the new clock and the windows finished since the last batch.
    Advanced {
        /// Generation of the simulation.
        gen: u64,
        /// Simulated time now, ms.
        now_ms: f64,
        /// The finished windows. Typed, not JSON: gloo-worker's bincode carries
        /// them, so the page needs no JSON parser for its hottest message.
        windows: Vec<WindowSnapshot>,
        /// Compare mode: design B's windows over the same time.
        windows_b: Option<Vec<WindowSnapshot>>,
        /// Compare mode: the difference table so far.
        diff: Option<Vec<DiffRow>>,
        /// The requested speed could not be kept (the worker dropped time).
        behind: bool,
        /// The worker's wasm memory, bytes (filled in by the shell; 0 natively).
        worker_memory_bytes: u64,
    },
    /// The outcome of `LoadB`.
    LoadedB {
        /// Generation of the load.
        gen: u64,
        /// Ok, or why design B could not be built.
        result: Result<(), LoadError>,
    },
    /// Time went back (`Seek`): windows after `now_ms` no longer exist.
    Seeked {
        /// Generation of the simulation.
        gen: u64,
        /// Simulated time now, ms.
        now_ms: f64,
        /// Compare mode: the difference table at that moment.
        diff: Option<Vec<DiffRow>>,
    },
    /// The monthly cost of the loaded design at its traffic, sent after a
    /// successful `Load` and after each `SetTraffic` (`scalelab_sim::cost`).
    Cost {
        /// Generation of the simulation.
        gen: u64,
        /// Monthly cost at list prices (or the design's own), US dollars.
        cost_usd_per_month: f64,
        /// Cost per million requests at the offered load; `None` without traffic.
        cost_usd_per_million_requests: Option<f64>,
    },
    /// The outcome of `Score`: JSON of `scalelab_challenges::Score`, or why not.
    Scored {
        /// The score as JSON, or the core's message.
        result: Result<String, String>,
    },
    /// The outcome of `Apply` or `SetTraffic`.
    Applied {
        /// Generation of the simulation.
        gen: u64,
        /// What was asked: the action JSON, or `None` for a traffic change.
        action_json: Option<String>,
        /// The requests/s asked for, for a traffic change.
        traffic_rps: Option<f64>,
        /// Simulated time when it took effect, seconds.
        at_s: f64,
        /// Ok, or the core's message.
        result: Result<(), String>,
    },
    /// The outcome of `Bench`.
    Bench {
        /// Events the engine processed.
        events: u64,
        /// Simulated seconds run.
        sim_s: f64,
        /// Wall time spent, ms (`performance.now()` in the worker).
        wall_ms: f64,
        /// Why the bench could not run, if it could not.
        error: Option<String>,
    },
    /// The outcome of `Chaos`: the preset's timeline (JSON array of
    /// `scalelab_sim::TimedAction`), or the core's message.
    Chaos {
        /// The timeline as JSON, or why the design cannot take the preset.
        result: Result<String, String>,
    },
    /// The outcome of `Predict`: the analytic twin's figures (empty when it has none).
    Predicted {
        /// Generation of the design.
        gen: u64,
        /// Capacity, mean latency and bottleneck.
        prediction: crate::predict::Prediction,
    },
    /// The design review of the loaded design (`scalelab_sim::review`),
    /// sent after each successful `Load`.
    Review {
        /// Generation of the simulation.
        gen: u64,
        /// The findings, in the review's order.
        findings: Vec<ReviewItem>,
    },
    /// The outcome of `ExportCsv` or `ExportReport`: a file for the page to download.
    Exported {
        /// Generation of the simulation.
        gen: u64,
        /// Suggested file name, e.g. `metrics.csv`.
        file_name: String,
        /// Media type, e.g. `text/csv`.
        mime: String,
        /// The file's text.
        text: String,
    },
    /// A step of the sweep `gen` finished.
    SweepProgress {
        /// The sweep's number.
        gen: u64,
        /// Steps finished.
        done: u32,
        /// Steps in the sweep.
        total: u32,
        /// The step's figures.
        point: scalelab_sim::sweep::SweepPoint,
    },
    /// The sweep `gen` ended: every point, the knee and the analytic
    /// maximum, or why it could not run (the core's message).
    SweepDone {
        /// The sweep's number.
        gen: u64,
        /// The sweep, or the error.
        result: Result<scalelab_sim::sweep::Sweep, String>,
    },
    /// The sweep `gen` was cancelled after `done` steps.
    SweepCancelled {
        /// The sweep's number.
        gen: u64,
        /// Steps finished before it stopped.
        done: u32,
    },
}

/// One finding of the design review, ready for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// The finding's kind (`scalelab_sim::review::FindingKind::slug`).
    pub kind: String,
    /// The component it names (id).
    pub component: String,
    /// Why it matters: i18n key and arguments.
    pub reason: (String, Vec<String>),
    /// What the fix does: i18n key and arguments.
    pub fix_text: (String, Vec<String>),
    /// The fix: JSON of the one `Component` it replaces (an ordinary
    /// component update), or of the whole fixed `Scenario` when it adds
    /// components or edges (see `fix_is_design`).
    pub fix_json: String,
    /// Whether `fix_json` is a whole design rather than one component.
    pub fix_is_design: bool,
}
