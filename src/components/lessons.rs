//! The lesson UI: the header's "Lessons" button, the lesson list (title,
//! summary, a check mark per passed lesson), the lesson panel (goal with live
//! lines, explanation, predict-first question, steps, solution,
//! previous/next) and, in embed mode, the compact goal box. Data and text:
//! [`crate::lessons`]; state: [`crate::lessons::state`].
//!
//! A lesson's scenario is fetched and loaded through the app's reducer
//! (`Edit::Load`, undoable like a preset); a failed fetch leaves the design
//! as it was and shows a message. The goal is checked at every new window;
//! when its span is over the clock stops, and a pass is stored.
//!
//! `?lesson=N` opens lesson N. `#lesson-status` (hidden) carries the goal's
//! state for tests and embedding pages: `data-goal` = `passed complete
//! started` as `1`/`0`, `data-conds` = `state:measured;` per condition (state
//! `ok`/`bad`/`wait`); `#lesson-panel` has `data-lesson` (number),
//! `data-lesson-id` and `data-solutions` (solutions loaded since it opened).

use std::rc::Rc;

use gloo::events::EventListener;
use scalelab_lessons::{ConditionStatus, GoalStatus};
use scalelab_sim::Scenario;
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::i18n::{Lang, Tr};
use crate::lessons::state::{LessonAction, LessonState};
use crate::lessons::{load, store_passed, stored_passed, GoalTracker, LessonData, DIR};
use crate::state::{Action, Edit, History, NoticeKind};

/// Properties of [`Lessons`].
#[derive(Properties, PartialEq)]
pub struct LessonsProps {
    /// The app's window history (the goal is checked on it).
    pub history: History,
    /// The clock is running.
    pub running: bool,
    /// The page's language.
    pub lang: Lang,
    /// Embed mode: only the open lesson's title and goal, in the layout.
    pub embed: bool,
    /// The app's reducer.
    pub dispatch: Callback<Action>,
    /// The open lesson's (scenario name, title in the page's language), so
    /// the page can show the design's name translated.
    pub on_title: Callback<Option<(String, String)>>,
}

/// Fetches `lessons/<dir>/<file>` as a scenario.
async fn fetch_scenario(dir: &str, file: &str) -> Result<Scenario, String> {
    let text = crate::net::fetch_text(&format!("{DIR}{dir}/{file}")).await?;
    Scenario::from_json(&text).map_err(|e| format!("{file}: {e}"))
}

/// Loads lesson `i`'s start scenario (or its solved one) into the editor
/// through the app's reducer; if it cannot be fetched the design stays and a
/// message says why.
async fn load_lesson(
    data: Rc<LessonData>,
    i: usize,
    solution: bool,
    lang: Lang,
    d: UseReducerDispatcher<LessonState>,
    app: Callback<Action>,
) {
    let Some(e) = data.lessons.get(i) else {
        return;
    };
    let dir = if solution { "solutions" } else { "scenarios" };
    match fetch_scenario(dir, &e.scenario).await {
        Ok(doc) => {
            let name = doc.name.clone();
            app.emit(Action::Pause);
            app.emit(Action::Edit(Edit::Load(doc)));
            // A fresh run even when the design was already this one.
            app.emit(Action::Reset);
            d.dispatch(if solution {
                LessonAction::SolutionLoaded
            } else {
                LessonAction::Opened { index: i, name }
            });
        }
        Err(err) => {
            let tr = Tr::new(lang);
            let text = tr.f("msg.load_bad", &[&data.text(lang, &e.id, "title"), &err]);
            app.emit(Action::Notify(NoticeKind::Error, text));
        }
    }
}

/// A condition's state word: `wait` (no window of its span yet), `ok`, `bad`.
fn cond_state(c: &ConditionStatus) -> &'static str {
    match (c.windows, c.holds) {
        (0, _) => "wait",
        (_, true) => "ok",
        _ => "bad",
    }
}

/// The lesson button, list and panel (or the embed goal box).
#[function_component(Lessons)]
pub fn lessons(props: &LessonsProps) -> Html {
    let state = use_reducer(|| LessonState {
        passed: stored_passed(),
        ..LessonState::default()
    });
    let tracker = use_mut_ref(GoalTracker::default);
    let lang = props.lang;

    // Fetch the lesson files once; then `?lesson=N` opens lesson N.
    {
        let d = state.dispatcher();
        let app = props.dispatch.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let data = load().await.map(Rc::new);
                d.dispatch(LessonAction::Loaded(data.clone()));
                let n = crate::app::query_param("lesson").and_then(|n| n.parse::<usize>().ok());
                if let (Ok(data), Some(n)) = (data, n) {
                    if (1..=data.lessons.len()).contains(&n) {
                        load_lesson(data, n - 1, false, lang, d, app).await;
                    }
                }
            });
        });
    }

    // Load lesson i's start scenario (or its solution) into the editor.
    let fetch_into_editor = {
        let d = state.dispatcher();
        let app = props.dispatch.clone();
        let data = state.data.clone();
        Callback::from(move |(i, solution): (usize, bool)| {
            if let Some(data) = data.clone() {
                spawn_local(load_lesson(data, i, solution, lang, d.clone(), app.clone()));
            }
        })
    };
    let open = fetch_into_editor.reform(|i: usize| (i, false));

    // Escape closes the list.
    {
        let d = state.dispatcher();
        use_effect_with(state.list_open, move |open| {
            let listener = open.then(|| {
                EventListener::new(&gloo::utils::document(), "keydown", move |e| {
                    if e.dyn_ref::<web_sys::KeyboardEvent>()
                        .is_some_and(|k| k.key() == "Escape")
                    {
                        d.dispatch(LessonAction::ShowList(false));
                    }
                })
            });
            move || drop(listener)
        });
    }

    let data = state.data.clone();
    let current = state
        .current
        .zip(data.as_ref())
        .and_then(|(i, d)| Some((i, d.lessons.get(i)?)));
    let status: Option<GoalStatus> =
        current.map(|(i, e)| tracker.borrow_mut().check(i, &e.goal, &props.history));
    let started = props.running || props.history.seen > 0;

    // React to the goal: store a pass, stop the clock once the span is over,
    // reveal the predicted answer once a choice is made and the run started.
    {
        let d = state.dispatcher();
        let app = props.dispatch.clone();
        let passed = status.as_ref().is_some_and(|s| s.passed);
        let complete = status.as_ref().is_some_and(|s| s.complete);
        let reveal = started && state.choice > 0 && !state.revealed;
        let id = current.map(|(_, e)| e.id.clone());
        let stored = state.passed.clone();
        let running = props.running;
        use_effect_with(
            (state.current, passed, complete, reveal),
            move |(_, passed, complete, reveal)| {
                if let (true, Some(id)) = (*passed, id) {
                    if !stored.contains(&id) {
                        let mut all = stored;
                        all.push(id.clone());
                        store_passed(&all);
                        d.dispatch(LessonAction::Passed(id));
                    }
                }
                if *complete && running {
                    app.emit(Action::Pause);
                }
                if *reveal {
                    d.dispatch(LessonAction::Reveal);
                }
            },
        );
    }

    // The design's name in the page's language while a lesson is open.
    {
        let title = current.zip(data.as_ref()).map(|((i, e), d)| {
            let badge = d.ui(lang, "ui.lesson").replace("{0}", &(i + 1).to_string());
            let title = d.text(lang, &e.id, "title");
            (state.scenario_name.clone(), format!("{badge} · {title}"))
        });
        let on_title = props.on_title.clone();
        use_effect_with(title, move |t| on_title.emit(t.clone()));
    }

    let (flags, conds) = match &status {
        Some(st) => (
            format!(
                "{} {} {}",
                st.passed as u8, st.complete as u8, started as u8
            ),
            st.conditions
                .iter()
                .map(|c| format!("{}:{};", cond_state(c), c.measured.unwrap_or(f64::NAN)))
                .collect::<String>(),
        ),
        None => Default::default(),
    };
    let status_el = html! {
        <output id="lesson-status" hidden=true data-goal={flags} data-conds={conds} />
    };

    let goal = match (current, &data, &status) {
        (Some((_, e)), Some(d), Some(st)) => {
            let text = |k: &str| d.text(lang, &e.id, k);
            let ui = |k: &str| d.ui(lang, k);
            let cls = if st.passed {
                "passed"
            } else if st.complete {
                "missed"
            } else if started {
                "running"
            } else {
                "pending"
            };
            let lines = e.goal.all.iter().zip(&st.conditions).map(|(c, s)| {
                let word = cond_state(s);
                let mark = match word {
                    "ok" => "✓",
                    "bad" => "✗",
                    _ => "·",
                };
                html! {
                    <li class={format!("cond {word}")} data-state={word}>
                        <span class="cond-mark">{ mark }</span>{ d.progress(lang, c, s.measured) }
                    </li>
                }
            });
            html! {
                <div id="lesson-goal">
                    <div class={format!("lesson-goal {cls}")} data-passed={st.passed.to_string()} data-complete={st.complete.to_string()}>
                        <div class="lesson-goal-head">
                            <span class="lesson-goal-label">{ ui("ui.goal") }</span>
                            <span class="lesson-goal-text">{ text("goal") }</span>
                        </div>
                        <ul class="lesson-conditions">{ for lines }</ul>
                        <div id="lesson-verdict" class="lesson-verdict">{ ui(&format!("ui.{cls}")) }</div>
                        if st.passed {
                            <p class="lesson-solved">{ text("solved") }</p>
                        }
                    </div>
                </div>
            }
        }
        _ => Html::default(),
    };

    if props.embed {
        let panel = current.zip(data.as_ref()).map(|((i, e), d)| html! {
            <aside id="lesson-panel" class="lesson-panel embed" data-lesson={(i + 1).to_string()} data-lesson-id={e.id.clone()}>
                <h2 id="lesson-title" class="lesson-title">{ format!("{}. {}", i + 1, d.text(lang, &e.id, "title")) }</h2>
                { goal }
            </aside>
        });
        return html! { <>{ for panel }{ status_el }</> };
    }

    let show_list = |open: bool| {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(LessonAction::ShowList(open)))
    };
    let label = data.as_ref().map_or_else(
        || {
            (if lang == Lang::Ko {
                "레슨"
            } else {
                "Lessons"
            })
            .to_string()
        },
        |d| d.ui(lang, "ui.lessons"),
    );
    let body: web_sys::Element = gloo::utils::body().into();

    let list = state.list_open.then(|| {
        let ui = |k: &str, fallback: &str| data.as_ref().map_or_else(|| fallback.to_string(), |d| d.ui(lang, k));
        let items = match &data {
            Some(d) => d.lessons.iter().enumerate().map(|(i, e)| {
                let done = state.passed.contains(&e.id);
                let (open, s) = (open.clone(), state.dispatcher());
                html! {
                    <li class={if state.current == Some(i) { "lesson-item current" } else { "lesson-item" }}
                        data-lesson={(i + 1).to_string()} data-passed={done.to_string()}>
                        <button class="lesson-link" onclick={Callback::from(move |_| {
                            // Closed at once, so a message about a failed fetch is seen.
                            s.dispatch(LessonAction::ShowList(false));
                            open.emit(i);
                        })}>
                            <span class="lesson-num">{ i + 1 }</span>
                            <span class="lesson-item-text">
                                <span class="lesson-item-title">{ d.text(lang, &e.id, "title") }</span>
                                <span class="lesson-item-summary">{ d.text(lang, &e.id, "summary") }</span>
                            </span>
                            <span class={if done { "lesson-check done" } else { "lesson-check" }}
                                title={if done { d.ui(lang, "ui.done") } else { String::new() }}>
                                { if done { "✓" } else { "" } }
                            </span>
                        </button>
                    </li>
                }
            }).collect::<Html>(),
            None => html! {
                <li class={if state.error.is_some() { "lesson-error" } else { "" }}>
                    { state.error.as_ref().map_or_else(|| "Loading…".to_string(), |e| format!("The lessons could not be loaded: {e}")) }
                </li>
            },
        };
        create_portal(
            html! {
                <div id="lessons-dialog-overlay" class="overlay lessons-overlay" onclick={show_list(false)}>
                    <div id="lessons-dialog" class="dialog wide lessons-dialog" role="dialog" aria-modal="true"
                        onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                        <h2>{ ui("ui.list_title", "Lessons") }</h2>
                        <ol id="lesson-list" class="lesson-list">{ items }</ol>
                        <button class="btn" onclick={show_list(false)}>{ ui("ui.close", "Close") }</button>
                    </div>
                </div>
            },
            body.clone(),
        )
    });

    let panel = current.zip(data.as_ref()).map(|((i, e), d)| {
        let text = |k: &str| d.text(lang, &e.id, k);
        let ui = |k: &str| d.ui(lang, k);
        let n = d.lessons.len();
        let choose = |c: usize| {
            let s = state.dispatcher();
            Callback::from(move |_: MouseEvent| s.dispatch(LessonAction::Choose(c)))
        };
        let (choice, revealed, answer) = (state.choice, state.revealed, e.predict.answer);
        let choices = (1..=e.predict.choices).map(|c| {
            let sel = choice == c;
            let verdict = match (revealed, c == answer, sel) {
                (true, true, _) => " answer",
                (true, false, true) => " wrong",
                _ => "",
            };
            html! {
                <button class={format!("predict-choice{}{verdict}", if sel { " selected" } else { "" })} role="radio"
                    aria-checked={sel.to_string()} data-arg={c.to_string()} disabled={revealed} onclick={choose(c)}>
                    { text(&format!("predict.choice.{c}")) }
                </button>
            }
        });
        let nav = |to: Option<usize>, id: &'static str, key: &str| {
            let open = open.clone();
            let to = to.filter(|t| *t < n);
            html! {
                <button {id} class="btn" disabled={to.is_none()}
                    onclick={Callback::from(move |_| if let Some(t) = to { open.emit(t) })}>{ ui(key) }</button>
            }
        };
        let close = {
            let s = state.dispatcher();
            Callback::from(move |_: MouseEvent| s.dispatch(LessonAction::Close))
        };
        let apply = fetch_into_editor.reform(move |_: MouseEvent| (i, true));
        let right = choice == answer;
        create_portal(
            html! {
                // Keyed by lesson: a new lesson gets a fresh panel (solution folded, scrolled to the top).
                <aside key={e.id.clone()} id="lesson-panel" class="lesson-panel" data-lesson={(i + 1).to_string()}
                    data-lesson-id={e.id.clone()} data-solutions={state.solutions.to_string()}>
                    <div class="lesson-top">
                        <span class="lesson-badge">{ ui("ui.lesson").replace("{0}", &(i + 1).to_string()) }</span>
                        <button class="notice-close" aria-label={ui("ui.close")} onclick={close}>{ "×" }</button>
                    </div>
                    <h2 id="lesson-title" class="lesson-title">{ text("title") }</h2>
                    { goal.clone() }
                    <div class="lesson-text" id="lesson-explanation">
                        { for text("explanation").split("\n\n").map(|p| html! { <p>{ p.to_string() }</p> }) }
                    </div>
                    <section class="lesson-predict" id="lesson-predict">
                        <h3>{ ui("ui.predict") }</h3>
                        <p class="lesson-q">{ text("predict.question") }</p>
                        <div class="predict-choices" role="radiogroup">{ for choices }</div>
                        if revealed {
                            <p id="predict-reveal" class={if right { "predict-reveal right" } else { "predict-reveal wrong" }}>
                                <strong>{ ui(if right { "ui.right" } else { "ui.wrong" }) }</strong>{ " " }{ text("predict.reveal") }
                            </p>
                        } else {
                            <p class="lesson-hint">{ ui("ui.predict_hint") }</p>
                        }
                    </section>
                    <section class="lesson-steps">
                        <h3>{ ui("ui.steps") }</h3>
                        <ol>{ for (1..=e.steps).map(|k| html! { <li>{ text(&format!("step.{k}")) }</li> }) }</ol>
                    </section>
                    <details class="lesson-solution">
                        <summary>{ ui("ui.solution") }</summary>
                        <p class="lesson-hint">{ ui("ui.solution_hint") }</p>
                        <ul class="mono">{ for e.solution.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
                        <button id="lesson-apply-solution" class="btn btn-primary" onclick={apply}>{ ui("ui.solution") }</button>
                    </details>
                    <div class="lesson-nav">
                        { nav(i.checked_sub(1), "lesson-prev", "ui.prev") }
                        { nav(Some(i + 1), "lesson-next", "ui.next") }
                    </div>
                </aside>
            },
            body.clone(),
        )
    });

    html! {
        <>
            <button id="lessons-open" class={if state.list_open { "btn lessons-btn active" } else { "btn lessons-btn" }}
                aria-haspopup="dialog" onclick={show_list(!state.list_open)}>{ label }</button>
            { for list }
            { for panel }
            { status_el }
        </>
    }
}
