//! Application state: ONE reducer (an `Action` enum + `Reducible`, as yew's
//! `function_todomvc` does) holding the design being edited, its undo/redo
//! stacks, the selection, the view, and what the running simulation reported.
//!
//! The simulation itself lives outside the reducer (it is mutable and not
//! `Clone`); the app rebuilds it whenever `sim_rev` changes.

use std::collections::VecDeque;
use std::rc::Rc;

use yew::Reducible;

use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::{Component, Scenario, WindowSnapshot};

use crate::components::icons::Kind;
use crate::i18n::Lang;
use crate::model;

/// How many windows the charts keep.
pub const HISTORY_LEN: usize = 120;
// A batch of the worker must fit in the ring with room to spare: the lesson
// tracker and the charts read each batch's windows from it.
const _: () = assert!(scalelab_worker::session::MAX_BATCH_WINDOWS * 2 <= HISTORY_LEN);
/// How many undo steps are kept.
pub const UNDO_LEN: usize = 200;
/// How many event markers are kept.
pub const EVENTS_LEN: usize = 200;
/// Highest traffic the numeric field accepts, in requests per second.
pub const MAX_TRAFFIC_RPS: f64 = 2_000_000.0;
/// Simulation speeds offered by the run bar (0 = as fast as possible).
pub const SPEEDS: [u32; 5] = [1, 10, 100, 1000, 0];

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

/// The bounded window history, compared by a counter (cheap props).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Windows, oldest first.
    pub windows: Rc<VecDeque<Rc<WindowSnapshot>>>,
    /// Windows received since the last rebuild (changes on every push).
    pub seen: u64,
    /// Rebuild counter.
    pub rev: u64,
}

impl PartialEq for History {
    fn eq(&self, other: &Self) -> bool {
        self.seen == other.seen && self.rev == other.rev
    }
}

impl History {
    /// Chart points, oldest first.
    pub fn points(&self) -> Vec<Point> {
        self.windows.iter().map(|w| Point::from(&**w)).collect()
    }

    /// The latest window.
    pub fn last(&self) -> Option<&Rc<WindowSnapshot>> {
        self.windows.back()
    }
}

/// A vertical marker on the charts: a fault, a repair, a timeline action.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// When, simulated seconds.
    pub t_s: f64,
    /// What happened (plain text).
    pub text: String,
    /// A failure (red) or anything else (blue).
    pub fault: bool,
}

/// Kind of a message in the notice area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something was refused.
    Error,
    /// Something happened.
    Info,
}

/// A message for the learner.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Error or info.
    pub kind: NoticeKind,
    /// The text (plain; never markup).
    pub text: String,
    /// Counter, so the same text twice still shows.
    pub seq: u64,
}

/// Pan and zoom of the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// Scale factor.
    pub zoom: f64,
    /// Translation in screen pixels.
    pub pan: (f64, f64),
}

impl Default for View {
    fn default() -> Self {
        View {
            zoom: 1.0,
            pan: (20.0, 20.0),
        }
    }
}

/// What the analytic twin predicts for the design.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prediction {
    /// Largest sustainable total rate, rps.
    pub capacity_rps: Option<f64>,
    /// Mean end-to-end latency, ms.
    pub latency_ms_mean: Option<f64>,
    /// The station that saturates first.
    pub bottleneck: Option<String>,
}

/// An edit of the design. Every one is undoable.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Drop a new component of `kind` at `pos` (canvas units), with a label.
    Add {
        /// Kind.
        kind: Kind,
        /// Where.
        pos: (f64, f64),
        /// Display label.
        label: String,
    },
    /// Move components to new positions (already snapped).
    Move(Vec<(String, (f64, f64))>),
    /// Delete components and edges.
    Delete {
        /// Component ids.
        ids: Vec<String>,
        /// Edges (from, to).
        edges: Vec<(String, String)>,
    },
    /// Connect `from` → `to` (refused with a reason when not allowed).
    Connect {
        /// Sender.
        from: String,
        /// Receiver.
        to: String,
    },
    /// Replace a component (label, parameters, data center) — refused if a parameter is invalid.
    Update(Component),
    /// Set the seed.
    Seed(u64),
    /// Set the availability SLO and p99 target.
    Slo(f64, f64),
    /// Replace the whole design (preset, import, share link).
    Load(Scenario),
    /// Replace the timeline of timed actions (the fault track, a chaos preset).
    Timeline(Vec<scalelab_sim::TimedAction>),
    /// Set the design's own prices (`None`, or the list itself: the list prices).
    Prices(Option<scalelab_sim::cost::Prices>),
}

/// Everything that changes [`AppState`].
// An edit can carry a whole scenario; actions are few and short-lived, so
// their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Action {
    /// Edit the design (undoable).
    Edit(Edit),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Select components (replacing the selection).
    Select(Vec<String>),
    /// Select one edge.
    SelectEdge(Option<(String, String)>),
    /// Pan/zoom.
    SetView(View),
    /// Start the clock.
    Play,
    /// Stop the clock.
    Pause,
    /// Back to t = 0 with a fresh simulation (keeps traffic and speed).
    Reset,
    /// The app built a simulation for `sim_rev` (or could not).
    SimBuilt(Result<Prediction, String>),
    /// Change the speed multiplier (0 = as fast as possible).
    SetSpeed(u32),
    /// Accept a new total traffic rate (already applied to the simulation).
    SetTraffic(f64),
    /// The worker priced the design: US dollars per month, per million requests.
    Cost(f64, Option<f64>),
    /// The worker reviewed the loaded design.
    Review(Vec<scalelab_worker::ReviewItem>),
    /// A challenge score from the worker (JSON or why not); `None` while checking.
    Scored(Option<Result<String, String>>),
    /// A capacity sweep started, progressed or ended (src/components/sweep.rs).
    Sweep(crate::components::sweep::SweepEvent),
    /// Reject a traffic input; the previous rate stays.
    RejectInput(String),
    /// The simulation advanced to `now_ms`, completing `windows`.
    Advanced {
        /// Simulated time after the step, ms.
        now_ms: f64,
        /// Windows completed during the step, oldest first.
        windows: Vec<WindowSnapshot>,
        /// The worker's compute budget ran out before the requested speed was met.
        behind: bool,
    },
    /// A fail/recover applied to the running simulation by the learner, at simulated second `f64`.
    Fault(scalelab_sim::Action, f64),
    /// Compare mode and the playhead (`src/compare.rs`).
    Ab(crate::compare::AbAction),
    /// Show a message.
    Notify(NoticeKind, String),
    /// Hide the message.
    DismissNotice,
    /// Switch language.
    SetLang(Lang),
    /// Open or close the shortcuts dialog.
    ToggleHelp(bool),
}

/// Everything the page renders.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The design being edited.
    pub doc: Rc<Scenario>,
    /// Earlier designs (most recent last).
    pub undo: Vec<Rc<Scenario>>,
    /// Undone designs (most recent last).
    pub redo: Vec<Rc<Scenario>>,
    /// Bumped on every change of `doc` (autosave).
    pub doc_rev: u64,
    /// Bumped when the simulation must be rebuilt (design, seed, reset).
    pub sim_rev: u64,
    /// Bumped when a whole design is loaded (the canvas fits it into view).
    pub load_rev: u64,
    /// Why the design cannot run yet (the core's message), if it cannot.
    pub validation: Option<String>,
    /// Selected component ids.
    pub selection: Vec<String>,
    /// Selected edge.
    pub selected_edge: Option<(String, String)>,
    /// Canvas pan/zoom.
    pub view: View,
    /// The latest message.
    pub notice: Option<Notice>,
    /// A refused parameter: (component id, message).
    pub field_error: Option<(String, String)>,
    /// Whether the simulation clock is running.
    pub running: bool,
    /// Simulated seconds per wall-clock second (0 = as fast as possible).
    pub speed: u32,
    /// Traffic set with the run bar (total rps), overriding the design's.
    pub traffic_override: Option<f64>,
    /// Simulated time, seconds.
    pub sim_time_s: f64,
    /// The last [`HISTORY_LEN`] windows.
    pub history: History,
    /// Errors since the last rebuild, all causes.
    pub total_errors: u64,
    /// Successful requests since the last rebuild.
    pub total_successes: u64,
    /// Errors since the last rebuild, by cause (only causes seen so far).
    pub errors_by_cause: Vec<(&'static str, u64)>,
    /// Fault and action markers.
    pub markers: Vec<Marker>,
    /// Failed (component, instance) pairs; `None` = the whole component.
    pub failed: Vec<(String, Option<u32>)>,
    /// The analytic twin's figures.
    pub prediction: Prediction,
    /// The design's monthly cost (US dollars) and cost per million requests, from the worker.
    pub cost: Option<(f64, Option<f64>)>,
    /// The design review of the loaded design, from the worker.
    pub review: Rc<Vec<scalelab_worker::ReviewItem>>,
    /// The last challenge score (JSON of `scalelab_challenges::Score`, or why not).
    pub scored: Option<Rc<Result<String, String>>>,
    /// The latest capacity sweep (src/components/sweep.rs).
    pub sweep: Rc<crate::components::sweep::SweepView>,
    /// The simulation cannot keep up with the requested speed (compute-bound).
    pub behind: bool,
    /// Message for rejected traffic input.
    pub input_error: Option<String>,
    /// UI language.
    pub lang: Lang,
    /// The shortcuts dialog is open.
    pub help_open: bool,
    /// Instructor controls from the page URL (`src/pins.rs`): read-only, locks, hidden panels.
    pub pins: Rc<crate::pins::Pins>,
    seq: u64,
    /// Compare mode (`src/compare.rs`), if on.
    pub compare: Option<crate::compare::Compare>,
    /// Faults and actions recorded as markers, with their time (rebuilt on a seek).
    applied: Vec<(f64, scalelab_sim::Action)>,
}

impl AppState {
    /// A state holding `doc`.
    pub fn new(doc: Scenario, lang: Lang) -> AppState {
        let mut s = AppState {
            doc: Rc::new(doc),
            undo: Vec::new(),
            redo: Vec::new(),
            doc_rev: 0,
            sim_rev: 0,
            load_rev: 0,
            validation: None,
            selection: Vec::new(),
            selected_edge: None,
            view: View::default(),
            notice: None,
            field_error: None,
            running: false,
            speed: 1,
            traffic_override: None,
            sim_time_s: 0.0,
            history: History::default(),
            total_errors: 0,
            total_successes: 0,
            errors_by_cause: Vec::new(),
            markers: Vec::new(),
            failed: Vec::new(),
            prediction: Prediction::default(),
            cost: None,
            review: Rc::default(),
            scored: None,
            sweep: Rc::default(),
            behind: false,
            input_error: None,
            lang,
            help_open: false,
            pins: Rc::default(),
            seq: 0,
            compare: None,
            applied: Vec::new(),
        };
        s.revalidate();
        s
    }

    /// Total offered traffic in effect, rps.
    pub fn traffic_rps(&self) -> f64 {
        self.traffic_override
            .unwrap_or_else(|| self.doc.offered_rps())
    }

    fn revalidate(&mut self) {
        self.validation = self.doc.validate().err().map(|e| e.to_string());
    }

    fn notify(&mut self, kind: NoticeKind, text: String) {
        self.seq += 1;
        self.notice = Some(Notice {
            kind,
            text,
            seq: self.seq,
        });
    }

    /// Clear everything the last simulation reported and ask for a new one.
    pub(crate) fn rebuild(&mut self) {
        if let Some(c) = self.compare.as_mut() {
            c.history_b = History {
                rev: self.sim_rev + 1,
                ..History::default()
            };
            c.diff = Rc::default();
        }
        self.applied.clear();
        self.sim_rev += 1;
        self.sim_time_s = 0.0;
        self.history = History {
            rev: self.sim_rev,
            ..History::default()
        };
        self.total_errors = 0;
        self.total_successes = 0;
        self.errors_by_cause.clear();
        self.markers.clear();
        self.failed.clear();
        self.behind = false;
        self.prediction = Prediction::default();
        self.review = Rc::default();
        if self.validation.is_some() {
            self.running = false;
        }
    }

    /// Install a new design (after an edit), remembering the old one.
    fn commit(&mut self, next: Scenario, layout_only: bool) {
        if *self.doc == next {
            return;
        }
        self.undo.push(self.doc.clone());
        if self.undo.len() > UNDO_LEN {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.install(Rc::new(next), layout_only);
    }

    fn install(&mut self, doc: Rc<Scenario>, layout_only: bool) {
        let seed_or_topology_changed = !layout_only;
        self.doc = doc;
        self.doc_rev += 1;
        self.field_error = None;
        self.selection.retain(|id| self.doc.component(id).is_some());
        if let Some((f, t)) = &self.selected_edge {
            if !self.doc.edges.iter().any(|e| &e.from == f && &e.to == t) {
                self.selected_edge = None;
            }
        }
        self.revalidate();
        if seed_or_topology_changed {
            self.traffic_override = None;
            self.input_error = None;
            self.rebuild();
        }
    }

    pub(crate) fn apply_edit(&mut self, edit: Edit) {
        let doc = &*self.doc;
        match edit {
            Edit::Add { kind, pos, label } => {
                let mut c = model::new_component(doc, kind, pos, label);
                c.dc = model::dc_at(doc, (pos.0 + 1.0, pos.1 + 1.0), kind);
                let id = c.id.clone();
                let mut next = doc.clone();
                next.components.push(c);
                self.commit(next, false);
                self.selection = vec![id];
                self.selected_edge = None;
            }
            Edit::Move(moves) => {
                let mut next = doc.clone();
                for (id, p) in &moves {
                    if let Some(c) = next.components.iter_mut().find(|c| &c.id == id) {
                        c.pos = Some(*p);
                    }
                }
                // A component dropped inside another data center's frame joins it.
                let mut joined = false;
                let moving_dc = moves.iter().any(|(id, _)| {
                    next.component(id)
                        .is_some_and(|c| matches!(c.spec, ComponentSpec::DataCenter(_)))
                });
                if !moving_dc && moves.len() == 1 {
                    let (id, (x, y)) = &moves[0];
                    if let Some(i) = next.components.iter().position(|c| &c.id == id) {
                        let kind = model::kind_of(&next.components[i].spec);
                        let mut probe = next.clone();
                        probe.components[i].dc = None;
                        let centre = (x + model::NODE_W / 2.0, y + model::NODE_H / 2.0);
                        if let Some(dc) = model::dc_at(&probe, centre, kind) {
                            if next.components[i].dc.as_deref() != Some(dc.as_str()) {
                                next.components[i].dc = Some(dc);
                                joined = true;
                            }
                        }
                    }
                }
                self.commit(next, !joined);
            }
            Edit::Delete { ids, edges } => {
                let mut next = model::delete(doc, &ids);
                for (f, t) in &edges {
                    next = model::delete_edge(&next, f, t);
                }
                self.commit(next, false);
                self.selection.clear();
                self.selected_edge = None;
            }
            Edit::Connect { from, to } => match model::connect(doc, &from, &to) {
                Ok(next) => {
                    self.commit(next, false);
                    self.selected_edge = Some((from, to));
                }
                Err(why) => self.notify(NoticeKind::Error, why),
            },
            Edit::Update(c) => {
                let mut next = doc.clone();
                match next.components.iter_mut().find(|x| x.id == c.id) {
                    Some(slot) => *slot = c.clone(),
                    None => return,
                }
                match model::parameter_error(doc, &next) {
                    Some(e) => {
                        let text = e.to_string();
                        self.field_error = Some((c.id.clone(), text.clone()));
                        self.notify(NoticeKind::Error, text);
                    }
                    None => self.commit(next, false),
                }
            }
            Edit::Seed(seed) => {
                let mut next = doc.clone();
                next.seed = seed;
                self.commit(next, false);
            }
            Edit::Slo(availability, p99) => {
                let mut next = doc.clone();
                next.slo.availability = availability;
                next.slo.latency_ms_p99 = p99;
                match model::parameter_error(doc, &next) {
                    Some(e) => self.notify(NoticeKind::Error, e.to_string()),
                    None => self.commit(next, false),
                }
            }
            Edit::Timeline(timeline) => {
                let mut next = doc.clone();
                next.timeline = timeline;
                match model::parameter_error(doc, &next) {
                    Some(e) => self.notify(NoticeKind::Error, e.to_string()),
                    None => self.commit(next, false),
                }
            }
            Edit::Prices(prices) => {
                let mut next = doc.clone();
                next.prices = prices.filter(|p| *p != scalelab_sim::cost::Prices::LIST);
                match model::parameter_error(doc, &next) {
                    Some(e) => self.notify(NoticeKind::Error, e.to_string()),
                    None => self.commit(next, false),
                }
            }
            Edit::Load(s) => {
                self.commit(s, false);
                self.selection.clear();
                self.selected_edge = None;
                self.load_rev += 1;
            }
        }
    }

    /// Back to simulated second `t_s` (the worker went there): the windows,
    /// totals and markers after it are forgotten.
    pub(crate) fn seek_to(&mut self, t_s: f64) {
        self.sim_time_s = t_s;
        let hist = Rc::make_mut(&mut self.history.windows);
        while hist.back().is_some_and(|w| w.end_s > t_s) {
            let Some(w) = hist.pop_back() else { break };
            self.total_errors -= w.errors.total().min(self.total_errors);
            self.total_successes -= w.successes.min(self.total_successes);
            for (cause, n) in w.errors.iter() {
                if let Some((_, total)) = self.errors_by_cause.iter_mut().find(|(c, _)| *c == cause)
                {
                    *total -= n.min(*total);
                }
            }
        }
        self.errors_by_cause.retain(|(_, n)| *n > 0);
        self.history.seen += 1;
        let applied = std::mem::take(&mut self.applied);
        self.markers.clear();
        self.failed.clear();
        for (at, a) in applied.iter().filter(|(at, _)| *at <= t_s) {
            self.record(a, *at);
        }
    }

    fn record(&mut self, action: &scalelab_sim::Action, t_s: f64) {
        use scalelab_sim::Action as A;
        let (text, fault) = match action {
            A::Fail {
                component,
                instance,
            } => {
                self.failed.push((component.clone(), *instance));
                (describe_target("fail", component, *instance), true)
            }
            A::Recover {
                component,
                instance,
            } => {
                self.failed
                    .retain(|(c, i)| !(c == component && (instance.is_none() || i == instance)));
                (describe_target("recover", component, *instance), false)
            }
            A::Scale {
                component,
                instances,
            } => (format!("scale {component} → {instances}"), false),
            A::Resize { component, size } => (format!("resize {component} → {size:?}"), false),
            A::SetUsers { component, users } => (format!("{component}: {users} users"), false),
            A::SetRequestRate {
                component,
                requests_per_s,
            } => (format!("{component}: {requests_per_s:.0} rps"), false),
            A::Reshard { component, shards } => (format!("reshard {component} → {shards}"), false),
        };
        self.markers.push(Marker { t_s, text, fault });
        self.applied.push((t_s, action.clone()));
        if self.applied.len() > EVENTS_LEN {
            self.applied.remove(0);
        }
        if self.markers.len() > EVENTS_LEN {
            self.markers.remove(0);
        }
    }
}

fn describe_target(verb: &str, component: &str, instance: Option<u32>) -> String {
    match instance {
        Some(i) => format!("{verb} {component}#{i}"),
        None => format!("{verb} {component}"),
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(edit) => {
                let field = crate::components::inspector::field_value;
                match s.pins.refusal(&s.doc, &edit, field) {
                    Some(key) => {
                        let text = crate::i18n::Tr::new(s.lang).t(key);
                        s.notify(NoticeKind::Error, text);
                    }
                    None => s.apply_edit(edit),
                }
            }
            Action::Undo | Action::Redo if s.pins.readonly => {}
            Action::Undo => {
                if let Some(prev) = s.undo.pop() {
                    s.redo.push(s.doc.clone());
                    s.install(prev, false);
                }
            }
            Action::Redo => {
                if let Some(next) = s.redo.pop() {
                    s.undo.push(s.doc.clone());
                    s.install(next, false);
                }
            }
            Action::Select(ids) => {
                s.selection = ids;
                s.selected_edge = None;
            }
            Action::SelectEdge(e) => {
                s.selected_edge = e;
                s.selection.clear();
            }
            Action::SetView(v) => {
                s.view = View {
                    zoom: v.zoom.clamp(0.25, 3.0),
                    pan: v.pan,
                }
            }
            Action::Play => {
                if let Some(why) = &s.validation {
                    let text = format!("The design cannot run yet: {why}");
                    s.notify(NoticeKind::Error, text);
                    return Rc::new(s);
                }
                s.running = true;
            }
            Action::Pause => {
                s.running = false;
                s.behind = false;
            }
            Action::Reset => s.rebuild(),
            Action::SimBuilt(Ok(p)) => s.prediction = p,
            Action::Cost(month, per_million) => s.cost = Some((month, per_million)),
            Action::Review(items) => s.review = Rc::new(items),
            Action::Scored(r) => s.scored = r.map(Rc::new),
            Action::Sweep(e) => s.sweep = Rc::new(s.sweep.after(e)),
            Action::SimBuilt(Err(msg)) => {
                s.running = false;
                s.validation = Some(msg);
            }
            Action::SetSpeed(speed) => s.speed = speed.min(1000),
            Action::SetTraffic(rps) => {
                s.traffic_override = Some(rps);
                s.input_error = None;
            }
            Action::RejectInput(msg) => s.input_error = Some(msg),
            Action::Advanced {
                now_ms,
                windows,
                behind,
            } => {
                let before = s.sim_time_s;
                s.sim_time_s = now_ms / 1000.0;
                s.behind = behind;
                let timeline: Vec<_> = s
                    .doc
                    .timeline
                    .iter()
                    .filter(|a| a.at_s > before || (before == 0.0 && a.at_s == 0.0))
                    .filter(|a| a.at_s <= s.sim_time_s)
                    .cloned()
                    .collect();
                for a in timeline {
                    s.record(&a.action, a.at_s);
                }
                if !windows.is_empty() {
                    let hist = Rc::make_mut(&mut s.history.windows);
                    for w in windows {
                        s.total_errors += w.errors.total();
                        s.total_successes += w.successes;
                        for (cause, n) in w.errors.iter() {
                            if n == 0 {
                                continue;
                            }
                            match s.errors_by_cause.iter_mut().find(|(c, _)| *c == cause) {
                                Some((_, total)) => *total += n,
                                None => s.errors_by_cause.push((cause, n)),
                            }
                        }
                        if hist.len() == HISTORY_LEN {
                            hist.pop_front();
                        }
                        hist.push_back(Rc::new(w));
                        s.history.seen += 1;
                    }
                }
            }
            Action::Fault(a, at_s) => s.record(&a, at_s),
            Action::Ab(a) => crate::compare::reduce(&mut s, a),
            Action::Notify(kind, text) => s.notify(kind, text),
            Action::DismissNotice => s.notice = None,
            Action::SetLang(l) => s.lang = l,
            Action::ToggleHelp(open) => s.help_open = open,
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
    let value = parse_number(text).map_err(|e| match e {
        NumError::Empty => "Enter a traffic rate in requests per second.".to_string(),
        NumError::NotANumber => format!(
            "“{}” is not a number. Enter requests per second, e.g. 250.",
            text.trim()
        ),
    })?;
    if value < 0.0 {
        return Err("Traffic can't be negative. Enter 0 or more requests per second.".into());
    }
    if value > MAX_TRAFFIC_RPS {
        return Err(format!(
            "{} rps is too much: ScaleLab simulates at most 2,000,000 requests per second.",
            format_number(value)
        ));
    }
    Ok(value)
}

/// Why a number field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// Nothing typed.
    Empty,
    /// Not a finite number.
    NotANumber,
}

/// Parse a finite number, allowing thousands separators and a trailing unit
/// (`rps`, `ms`, `%`, `/s`, or any non-ASCII unit such as `초`; ASCII checks
/// keep the Unicode letter tables out of the wasm).
pub fn parse_number(text: &str) -> Result<f64, NumError> {
    let unit = |c: char| c.is_ascii_alphabetic() || !c.is_ascii() || matches!(c, '/' | '%' | ' ');
    let cleaned: String = text
        .trim()
        .trim_end_matches(unit)
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if cleaned.is_empty() {
        return Err(NumError::Empty);
    }
    let value = parse_f64(&cleaned).ok_or(NumError::NotANumber)?;
    if !value.is_finite() {
        return Err(NumError::NotANumber);
    }
    Ok(value)
}

/// `text` as `str::parse::<f64>` reads it: the same syntax (an optional
/// sign, then `inf`, `infinity` or `nan` in any case, or decimal digits with
/// an optional point and exponent; nothing else) and the same value. In the
/// browser the digits are converted by JavaScript's `parseFloat`, which rounds
/// to the nearest double as Rust does: core's decimal-to-float tables
/// (≈ 14 KB, nearly incompressible) stay out of the wasm.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let v = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else if decimal_syntax(body) {
        return Some(decimal_value(text));
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

/// Digits with an optional point (at least one digit), then an optional
/// exponent (`e` or `E`, an optional sign, at least one digit).
fn decimal_syntax(body: &str) -> bool {
    let b = body.as_bytes();
    let digits = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = digits(0);
    let mut n = i;
    if b.get(i) == Some(&b'.') {
        let f = digits(i + 1);
        i += 1 + f;
        n += f;
    }
    if n == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let e = digits(i);
        if e == 0 {
            return false;
        }
        i += e;
    }
    i == b.len()
}

/// The value of text of [`decimal_syntax`] (with its sign): JavaScript's
/// `parseFloat`, which on text of that syntax reads all of it, as `Number` does.
#[cfg(target_arch = "wasm32")]
fn decimal_value(text: &str) -> f64 {
    web_sys::js_sys::parse_float(text)
}

/// The value of text of [`decimal_syntax`] (with its sign).
#[cfg(not(target_arch = "wasm32"))]
fn decimal_value(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
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

/// Compact rate: 950, 12.3k, 1.2M.
pub fn format_compact(v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if v >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
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
    use scalelab_sim::presets;

    fn stage1() -> Rc<AppState> {
        Rc::new(AppState::new(presets::single_server(), Lang::En))
    }

    #[test]
    fn parse_f64_takes_what_rust_takes() {
        for t in [
            "0",
            "-0",
            "+1",
            "1.",
            ".5",
            "-.5",
            "1.5e3",
            "1.e5",
            "2E-3",
            "1e+2",
            "007",
            "1e400",
            "-1e400",
            "1e-400",
            "inf",
            "-Infinity",
            "+INF",
            "NaN",
            "-nan",
            "",
            "-",
            "+",
            ".",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1.5.2",
            "1,5",
            " 1",
            "1 ",
            "0x10",
            "1_000",
            "infinit",
            "++1",
            "--1",
            "1e5.5",
            "١",
            "1e-",
            "+.",
            "-.e1",
            "12345678901234567890123456789",
        ] {
            let rust = t.parse::<f64>().ok();
            let ours = parse_f64(t);
            assert_eq!(rust.map(f64::to_bits), ours.map(f64::to_bits), "{t:?}");
        }
    }

    #[test]
    fn traffic_input_accepts_numbers() {
        assert_eq!(parse_traffic("250"), Ok(250.0));
        assert_eq!(parse_traffic(" 1,200 rps"), Ok(1200.0));
        assert_eq!(parse_traffic("0"), Ok(0.0));
        assert_eq!(parse_traffic("1000000"), Ok(1_000_000.0));
    }

    #[test]
    fn traffic_input_rejects_bad_values() {
        assert_eq!(parse_traffic("1200 µs"), Ok(1200.0), "a non-ASCII unit");
        for bad in [
            "", "abc", "-5", "NaN", "inf", "1e9", "5000000", "12..3", "초",
        ] {
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
        assert_eq!(format_compact(125_000.0), "125k");
    }

    #[test]
    fn reset_keeps_traffic_and_clears_history() {
        let s = stage1();
        let s = s.reduce(Action::SetTraffic(321.0));
        let s = s.reduce(Action::Advanced {
            now_ms: 5000.0,
            windows: vec![],
            behind: false,
        });
        let rev = s.sim_rev;
        let s = s.reduce(Action::Reset);
        assert_eq!(s.traffic_rps(), 321.0);
        assert_eq!(s.sim_time_s, 0.0);
        assert_eq!(s.sim_rev, rev + 1);
    }

    #[test]
    fn edits_undo_and_redo_exactly() {
        let mut s = Rc::new(AppState::new(model::empty_scenario(), Lang::En));
        let start = s.doc.clone();
        for (k, x) in [(Kind::Users, 0.0), (Kind::WebTier, 200.0)] {
            s = s.reduce(Action::Edit(Edit::Add {
                kind: k,
                pos: (x, 0.0),
                label: String::new(),
            }));
        }
        s = s.reduce(Action::Edit(Edit::Connect {
            from: "users".into(),
            to: "web".into(),
        }));
        assert!(s.validation.is_none(), "{:?}", s.validation);
        let done = s.doc.clone();
        // A refused connection changes nothing.
        let before = s.doc.clone();
        s = s.reduce(Action::Edit(Edit::Connect {
            from: "web".into(),
            to: "users".into(),
        }));
        assert_eq!(s.doc, before);
        assert!(s
            .notice
            .as_ref()
            .is_some_and(|n| n.kind == NoticeKind::Error));
        for _ in 0..3 {
            s = s.reduce(Action::Undo);
        }
        assert_eq!(s.doc, start);
        for _ in 0..3 {
            s = s.reduce(Action::Redo);
        }
        assert_eq!(s.doc, done);
    }

    #[test]
    fn prices_are_an_undoable_edit_and_bad_ones_are_refused() {
        use scalelab_sim::cost::Prices;
        let s = stage1();
        let rev = s.sim_rev;
        let mut p = Prices::LIST;
        p.instance_usd_per_hour.medium = 0.25;
        let s = s.reduce(Action::Edit(Edit::Prices(Some(p))));
        assert_eq!(s.doc.prices, Some(p));
        assert_eq!(
            s.sim_rev,
            rev + 1,
            "the design is rebuilt (the worker prices it again)"
        );
        // The list itself is no override at all.
        let s = s.reduce(Action::Edit(Edit::Prices(Some(Prices::LIST))));
        assert_eq!(s.doc.prices, None);
        let s = s.reduce(Action::Undo);
        assert_eq!(s.doc.prices, Some(p));
        // A negative price is refused with the field named; the design keeps its prices.
        let mut bad = p;
        bad.cdn_usd_per_gb = -1.0;
        let s = s.reduce(Action::Edit(Edit::Prices(Some(bad))));
        assert_eq!(s.doc.prices, Some(p));
        assert!(s
            .notice
            .as_ref()
            .is_some_and(|n| n.kind == NoticeKind::Error && n.text.contains("cdn_usd_per_gb")));
        let s = s.reduce(Action::Undo);
        assert_eq!(s.doc.prices, None);
    }

    #[test]
    fn invalid_parameters_are_refused_and_the_design_kept() {
        let s = stage1();
        let mut c = s.doc.components[1].clone();
        if let ComponentSpec::WebTier(w) = &mut c.spec {
            w.instances = 0;
        }
        let before = s.doc.clone();
        let s = s.reduce(Action::Edit(Edit::Update(c)));
        assert_eq!(s.doc, before);
        assert!(s.field_error.is_some());
    }

    #[test]
    fn history_is_bounded_and_errors_accumulate() {
        let scenario = presets::single_server();
        let mut sim = scalelab_sim::Simulation::new(&scenario).expect("preset is valid");
        sim.apply(&scalelab_sim::Action::SetRequestRate {
            component: "users".into(),
            requests_per_s: 800.0,
        })
        .expect("valid rate");
        let mut s = stage1();
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
        assert_eq!(s.history.windows.len(), HISTORY_LEN);
        assert_eq!(s.history.seen, 130);
        assert_eq!(s.total_errors, expected_errors);
        assert!(s.total_errors > 0, "800 rps overloads a 400 rps server");
        let last = s.history.last().expect("history");
        assert!(last.latency_ms_p99 > last.latency_ms_p50 && last.availability < 0.9);
    }

    #[test]
    fn timeline_actions_become_markers() {
        let s = Rc::new(AppState::new(
            presets::by_name("04-load-balancer.json").expect("preset"),
            Lang::En,
        ));
        let s = s.reduce(Action::Advanced {
            now_ms: 25_000.0,
            windows: vec![],
            behind: false,
        });
        assert_eq!(s.markers.len(), 1);
        assert_eq!(s.failed, vec![("web".to_string(), Some(1))]);
    }
}
