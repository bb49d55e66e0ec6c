//! A/B compare and the playhead on the page. The worker runs both designs
//! and computes the difference table (`crates/worker`, `scalelab_sim::compare`);
//! this module only keeps what it sent and renders it.
//!
//! In compare mode the canvas and inspector edit `AppState::doc`, which is
//! design A or B as the A/B toggle says; the other design waits in
//! [`Compare::other`]. The playhead sends `ToSim::Seek`; the worker's
//! `Seeked` reply drops the windows after that moment here.

use std::rc::Rc;

use scalelab_sim::compare::DiffRow;
use scalelab_sim::{Scenario, WindowSnapshot};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::Tr;
use crate::state::{format_number, AppState, History, HISTORY_LEN};

/// Compare mode's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    /// The design the canvas is not editing (A while B is edited, and back).
    pub other: Rc<Scenario>,
    /// The canvas edits B.
    pub editing_b: bool,
    /// B's windows.
    pub history_b: History,
    /// The difference table (B − A), as the worker last sent it.
    pub diff: Rc<Vec<DiffRow>>,
}

impl Compare {
    /// (A, B), given the design being edited.
    pub fn designs<'a>(&'a self, doc: &'a Rc<Scenario>) -> (&'a Rc<Scenario>, &'a Rc<Scenario>) {
        if self.editing_b {
            (&self.other, doc)
        } else {
            (doc, &self.other)
        }
    }
}

/// What compare mode and the playhead change.
#[derive(Debug, Clone)]
pub enum AbAction {
    /// Duplicate the design into B and edit B.
    Start,
    /// Edit B (`true`) or A.
    Side(bool),
    /// Leave compare mode, keeping A.
    End,
    /// Open a shared comparison: A and B.
    Open(Box<(Scenario, Scenario)>),
    /// B's windows and the difference table of a batch.
    Advanced(Vec<WindowSnapshot>, Vec<DiffRow>),
    /// Time went back to `now_ms`; the table as it was then.
    Seeked(f64, Vec<DiffRow>),
}

/// Applies `a` to the state.
pub fn reduce(s: &mut AppState, a: AbAction) {
    match a {
        AbAction::Start if s.compare.is_none() => {
            s.compare = Some(Compare {
                other: s.doc.clone(),
                editing_b: true,
                history_b: History::default(),
                diff: Rc::default(),
            });
            s.undo.clear();
            s.redo.clear();
            s.rebuild();
        }
        AbAction::Side(b) => {
            if let Some(c) = s.compare.as_mut() {
                if c.editing_b != b {
                    c.editing_b = b;
                    std::mem::swap(&mut c.other, &mut s.doc);
                    // One undo history per design would need two stacks: start afresh.
                    s.undo.clear();
                    s.redo.clear();
                    s.doc_rev += 1;
                    s.selection.clear();
                    s.selected_edge = None;
                }
            }
        }
        AbAction::End => {
            if let Some(c) = s.compare.take() {
                if c.editing_b {
                    s.doc = c.other;
                    s.doc_rev += 1;
                    s.selection.clear();
                }
                s.undo.clear();
                s.redo.clear();
                s.rebuild();
            }
        }
        AbAction::Open(ab) => {
            let (a, b) = *ab;
            s.compare = None;
            s.apply_edit(crate::state::Edit::Load(a));
            s.compare = Some(Compare {
                other: Rc::new(b),
                editing_b: false,
                history_b: History::default(),
                diff: Rc::default(),
            });
            s.rebuild();
        }
        AbAction::Advanced(windows, diff) => {
            if let Some(c) = s.compare.as_mut() {
                let hist = Rc::make_mut(&mut c.history_b.windows);
                for w in windows {
                    if hist.len() == HISTORY_LEN {
                        hist.pop_front();
                    }
                    hist.push_back(Rc::new(w));
                    c.history_b.seen += 1;
                }
                c.diff = Rc::new(diff);
            }
        }
        AbAction::Seeked(now_ms, diff) => {
            let t_s = now_ms / 1000.0;
            s.seek_to(t_s);
            if let Some(c) = s.compare.as_mut() {
                let hist = Rc::make_mut(&mut c.history_b.windows);
                while hist.back().is_some_and(|w| w.end_s > t_s) {
                    hist.pop_back();
                }
                c.history_b.seen += 1;
                c.diff = Rc::new(diff);
            }
        }
        AbAction::Start => {}
    }
}

/// What [`compare_bar`] shows and does.
pub struct CompareBarProps {
    /// Compare mode, if on.
    pub compare: Option<Compare>,
    /// Simulated time now, s.
    pub sim_time_s: f64,
    /// Earliest second the page still has windows for.
    pub first_s: f64,
    /// Compare actions.
    pub on_ab: Callback<AbAction>,
    /// Seek to a simulated second.
    pub on_seek: Callback<u64>,
}

/// The playhead, the compare buttons and the difference table. A function
/// rather than a component (it has no state of its own): a component's
/// machinery cost the wasm more than it saved.
pub fn compare_bar(tr: &Tr, props: &CompareBarProps) -> Html {
    let ab = |a: AbAction| props.on_ab.reform(move |_: MouseEvent| a.clone());
    let on_seek = props.on_seek.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        crate::state::parse_f64(&input.value()).map_or(0, |v| v.max(0.0) as u64)
    });
    let now = props.sim_time_s.floor();
    let side = |b: bool, on: bool, key: &str| {
        html! {
            <button id={if b { "side-b" } else { "side-a" }} class={classes!("btn", on.then_some("active"))}
                aria-pressed={on.to_string()} onclick={ab(AbAction::Side(b))}>{ tr.t(key) }</button>
        }
    };
    let table = props.compare.as_ref().filter(|c| !c.diff.is_empty()).map(|c| {
        html! {
            <table id="compare-table" class="compare-table">
                <thead><tr><th></th><th>{ "A" }</th><th>{ "B" }</th><th>{ "B − A" }</th></tr></thead>
                <tbody>
                { for c.diff.iter().map(|r| {
                    let cls = match r.b_better { Some(true) => "good", Some(false) => "bad", None => "" };
                    html! {
                        <tr data-key={r.key.clone()} data-a={r.a.to_string()} data-b={r.b.to_string()} data-delta={r.delta.to_string()}>
                            <th>{ tr.t(&format!("cmp.{}", r.key)) }</th>
                            <td>{ fmt(&r.key, r.a, false) }</td>
                            <td>{ fmt(&r.key, r.b, false) }</td>
                            <td class={cls}>{ fmt(&r.key, r.delta, true) }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        }
    });
    html! {
        <section class="compare-bar card" aria-label={tr.t("cmp.title")}>
            <div class="compare-row">
                <label class="field-label" for="playhead">{ tr.t("cmp.playhead") }</label>
                <input id="playhead" type="range" min={props.first_s.floor().to_string()} max={now.to_string()} step="1"
                    value={now.to_string()} onchange={on_seek} disabled={now <= props.first_s} />
                if let Some(c) = &props.compare {
                    <span class="ab-toggle" role="group" aria-label={tr.t("cmp.edit")}>
                        { side(false, !c.editing_b, "cmp.edit_a") }
                        { side(true, c.editing_b, "cmp.edit_b") }
                    </span>
                    <span class="legend-note">{ tr.t("cmp.dashed") }</span>
                    <button id="compare-end" class="btn" onclick={ab(AbAction::End)}>{ tr.t("cmp.end") }</button>
                } else {
                    <button id="compare" class="btn" title={tr.t("cmp.hint")} onclick={ab(AbAction::Start)}>{ tr.t("cmp.start") }</button>
                }
            </div>
            { for table }
        </section>
    }
}

/// A figure of the table; `signed` puts + on positive values.
fn fmt(key: &str, v: f64, signed: bool) -> String {
    let sign = if signed && v > 0.0 { "+" } else { "" };
    match key {
        "availability" => format!("{sign}{:.2} %", v * 100.0),
        k if k.ends_with("_ms") => format!("{sign}{v:.1} ms"),
        "cost_usd_per_month" => format!("{sign}${}", format_number(v.round())),
        _ => format!("{sign}{}", format_number(v)),
    }
}
