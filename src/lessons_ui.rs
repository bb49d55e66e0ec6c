//! Lessons (crate `scalelab-lessons`): the Rust half. The wasm budget leaves
//! no room for the lesson pages, so they are split:
//!
//! - `static/lessons/lessons.js` (plain JS; it and the lesson data and text
//!   are fetched at run time, nothing of them is in the wasm) draws the lesson
//!   list, the lesson panel (explanation, predict-first question, steps,
//!   solution, previous/next) and the goal lines, keeps progress in
//!   localStorage and follows `?lesson=N`, `?embed=1` and `<html lang>`.
//! - [`view`] (mounted in the header and in embed mode) renders the "Lessons"
//!   button and checks the lesson's goal with `scalelab_lessons::check` on the
//!   app's window history at every render (every new window).
//!
//! They talk through two hidden elements. The script sets on `#lesson-bridge`
//! `data-goal` (the conditions, `;`-separated, each `metric op value from_s
//! to_s agg component cause`, `-` for none) and optionally `data-load` (a
//! scenario to load, start or solved), then clicks it; loading goes through
//! the app's reducer (`Edit::Load`), like a preset. [`view`] writes on
//! `#lesson-status` `data-goal` (`passed complete started` as `1`/`0`) and
//! `data-conds` (`state:measured` per condition, state `ok`/`bad`/`wait`).

use std::cell::RefCell;
use std::rc::Rc;

use scalelab_lessons::{check, Agg, Condition, Goal, Metric, Op, Span};
use scalelab_sim::{ErrorCause, Scenario, WindowSnapshot};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::state::{Action, Edit, History, NoticeKind};

/// A condition from `metric op value from_s to_s agg component cause`.
fn condition(text: &str) -> Option<Condition> {
    let f: Vec<&str> = text.split_whitespace().collect();
    let opt = |i: usize| f.get(i).filter(|s| **s != "-").copied();
    let num = |i: usize| f.get(i)?.parse::<f64>().ok();
    Some(Condition {
        metric: Metric::ALL.into_iter().find(|m| Some(m.key()) == opt(0))?,
        op: match opt(1)? {
            ">=" => Op::Ge,
            "<=" => Op::Le,
            ">" => Op::Gt,
            _ => Op::Lt,
        },
        value: num(2)?,
        over: Span {
            from_s: num(3)?,
            to_s: num(4)?,
        },
        agg: opt(5).map(|a| match a {
            "mean" => Agg::Mean,
            "max" => Agg::Max,
            "min" => Agg::Min,
            "sum" => Agg::Sum,
            "last" => Agg::Last,
            _ => Agg::Ratio,
        }),
        component: opt(6).map(str::to_string),
        cause: opt(7).and_then(|c| ErrorCause::ALL.into_iter().find(|e| e.name() == c)),
    })
}

/// The windows of the current run up to the goal's end: the app's history
/// keeps only the latest ones, and at full speed the goal's span scrolls out
/// of it within a second. (history rev, windows seen, windows kept)
type Seen = (u64, u64, Vec<Rc<WindowSnapshot>>);

thread_local! {
    /// The open lesson's goal (set by the script through `#lesson-bridge`).
    static GOAL: RefCell<Option<Goal>> = const { RefCell::new(None) };
    static SEEN: RefCell<Seen> = const { RefCell::new((0, 0, Vec::new())) };
}

/// The "Lessons" button (not in embed mode), the bridge and the live goal status.
pub fn view(
    history: &History,
    running: bool,
    lang: Lang,
    embed: bool,
    dispatch: &Callback<Action>,
) -> Html {
    let dispatch = dispatch.clone();
    let bridge = Callback::from(move |e: MouseEvent| {
        let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let goal = el.get_attribute("data-goal").unwrap_or_default();
        GOAL.with(|g| {
            *g.borrow_mut() = (!goal.is_empty()).then(|| Goal {
                all: goal.split(';').filter_map(condition).collect(),
            })
        });
        if let Some(text) = el.get_attribute("data-load") {
            el.remove_attribute("data-load").ok();
            match Scenario::from_json(&text) {
                Ok(doc) => {
                    dispatch.emit(Action::Pause);
                    dispatch.emit(Action::Edit(Edit::Load(doc)));
                }
                Err(e) => dispatch.emit(Action::Notify(NoticeKind::Error, e.to_string())),
            }
        }
    });
    let (mut conds, mut flags) = (String::new(), String::new());
    GOAL.with(|g| {
        if let Some(goal) = &*g.borrow() {
            let st = SEEN.with(|seen| {
                let (rev, n, kept) = &mut *seen.borrow_mut();
                if *rev != history.rev || history.seen < *n {
                    (*rev, *n) = (history.rev, 0);
                    kept.clear();
                }
                let new = (history.seen - *n) as usize;
                let end = goal.run_s() + 1e-6;
                let skip = history.windows.len().saturating_sub(new);
                kept.extend(
                    history
                        .windows
                        .iter()
                        .skip(skip)
                        .filter(|w| w.start_s < end)
                        .cloned(),
                );
                *n = history.seen;
                check(goal, kept)
            });
            for s in &st.conditions {
                let state = match (s.windows, s.holds) {
                    (0, _) => "wait",
                    (_, true) => "ok",
                    _ => "bad",
                };
                conds += &format!("{state}:{};", s.measured.unwrap_or(f64::NAN));
            }
            let started = running || history.seen > 0;
            flags = format!(
                "{} {} {}",
                st.passed as u8, st.complete as u8, started as u8
            );
        }
    });
    html! {
        <>
            if !embed {
                <button id="lessons-open" class="btn lessons-btn" aria-haspopup="dialog">
                    { if lang == Lang::Ko { "레슨" } else { "Lessons" } }
                </button>
            }
            <button id="lesson-bridge" hidden=true onclick={bridge} />
            <output id="lesson-status" hidden=true data-goal={flags} data-conds={conds} />
        </>
    }
}
