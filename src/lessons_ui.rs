//! Lessons: the chapter's 13 stages as guided, checkable lessons (crate
//! `scalelab-lessons`). The lesson data and text are NOT in the wasm: they are
//! fetched at run time from `lessons/` (copied there by trunk, see index.html),
//! so translators edit `static/lessons/{en,ko}.json` only.
//!
//! One component, [`Lessons`], mounted once in the header (button, list dialog,
//! lesson panel) and once in embed mode (the goal only). It talks to the app
//! through the app's own reducer actions: opening a lesson loads its start
//! scenario with `Edit::Load`, "apply the solution" loads the solved scenario
//! the same way. The goal is checked live on the app's window history.
//! Passed lessons are kept in localStorage (`scalelab.lessons.passed`).

use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use scalelab_lessons::{check, parse_lessons, progress_in, scenario_files, Lesson, TextTable};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::state::{Action, Edit, History};

/// localStorage key: ids of the passed lessons.
const PASSED_KEY: &str = "scalelab.lessons.passed";

/// The fetched lessons and their text.
#[derive(Debug, PartialEq)]
struct Data {
    lessons: Vec<Lesson>,
    en: TextTable,
    ko: TextTable,
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let fail = |_| format!("{url}: network error");
    let resp = JsFuture::from(gloo::utils::window().fetch_with_str(url))
        .await
        .map_err(fail)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(fail)?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(fail)?)
        .await
        .map_err(fail)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

async fn load() -> Result<Data, String> {
    let index = fetch_text("lessons/lessons.json").await?;
    let mut files = Vec::new();
    for f in scenario_files(&index)? {
        let text = fetch_text(&format!("lessons/scenarios/{f}")).await?;
        files.push((f, text));
    }
    let lessons = parse_lessons(&index, |name| {
        files.iter().find(|(f, _)| f == name).map(|(_, t)| t.clone())
    })?;
    let table = |t: String| serde_json::from_str::<TextTable>(&t).map_err(|e| e.to_string());
    let en = table(fetch_text("lessons/en.json").await?)?;
    let ko = table(fetch_text("lessons/ko.json").await?)?;
    Ok(Data { lessons, en, ko })
}

/// A query parameter of the page URL.
fn query_param(name: &str) -> Option<String> {
    let search = gloo::utils::window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A solution step as an instructor reads it.
fn describe(e: &scalelab_lessons::Edit) -> String {
    use scalelab_lessons::Edit as E;
    match e {
        E::Set {
            component,
            param,
            value,
        } => format!("{component}: {param} = {value}"),
        E::SetScenario { param, value } => format!("{param} = {value}"),
        E::AddComponent { component } => format!("+ {}", component.id),
        E::RemoveComponent { id } => format!("− {id}"),
        E::AddEdge { from, to } => format!("+ {from} → {to}"),
        E::RemoveEdge { from, to } => format!("− {from} → {to}"),
        E::Act { at_s, action } => format!("t = {at_s} s: {action:?}"),
    }
}

/// Properties of [`Lessons`].
#[derive(Properties, PartialEq)]
pub struct LessonsProps {
    /// UI language.
    pub lang: Lang,
    /// The app's window history (since the last rebuild).
    pub history: History,
    /// The simulation clock is running.
    pub running: bool,
    /// The app's reducer.
    pub dispatch: Callback<Action>,
    /// Embed mode: only the lesson's goal.
    #[prop_or_default]
    pub embed: bool,
}

/// The lessons: header button, list, lesson panel (or, embedded, the goal).
#[function_component(Lessons)]
pub fn lessons(props: &LessonsProps) -> Html {
    let data = use_state(|| None::<Result<Rc<Data>, String>>);
    let current = use_state(|| None::<usize>);
    let list_open = use_state(|| false);
    let choice = use_state(|| None::<usize>);
    let revealed = use_state(|| false);
    let passed = use_state(|| LocalStorage::get::<Vec<String>>(PASSED_KEY).unwrap_or_default());

    // Open lesson `i`: load its start scenario through the app's load path.
    let open = {
        let (data, current, choice, revealed, list_open) = (
            data.clone(),
            current.clone(),
            choice.clone(),
            revealed.clone(),
            list_open.clone(),
        );
        let dispatch = props.dispatch.clone();
        Callback::from(move |i: usize| {
            if let Some(Ok(d)) = &*data {
                if let Some(l) = d.lessons.get(i) {
                    dispatch.emit(Action::Pause);
                    dispatch.emit(Action::Edit(Edit::Load(l.scenario.clone())));
                    current.set(Some(i));
                    choice.set(None);
                    revealed.set(false);
                    list_open.set(false);
                }
            }
        })
    };

    // Fetch the lessons once; then open `?lesson=N` if asked.
    {
        let data = data.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(load().await.map(Rc::new)));
            });
        });
    }
    {
        let open = open.clone();
        let loaded = matches!(&*data, Some(Ok(_)));
        use_effect_with(loaded, move |loaded| {
            if *loaded {
                if let Some(n) = query_param("lesson").and_then(|n| n.parse::<usize>().ok()) {
                    open.emit(n.saturating_sub(1));
                }
            }
        });
    }
    // The answer is revealed once a choice is made and the learner presses play.
    {
        let revealed = revealed.clone();
        use_effect_with((props.running, choice.is_some()), move |(run, chose)| {
            if *run && *chose {
                revealed.set(true);
            }
        });
    }

    let d = match &*data {
        Some(Ok(d)) => Some(d.clone()),
        _ => None,
    };
    let table = d.as_ref().map(|d| match props.lang {
        Lang::Ko => &d.ko,
        Lang::En => &d.en,
    });
    let t = |id: &str, key: &str| -> String {
        let get = |tb: &TextTable| tb.get(id).and_then(|m| m.get(key)).cloned();
        table
            .and_then(get)
            .or_else(|| d.as_ref().and_then(|d| get(&d.en)))
            .unwrap_or_else(|| key.trim_start_matches("ui.").replace('_', " "))
    };
    let ui = |key: &str| t(scalelab_lessons::COMMON_ID, key);

    let lesson = d
        .as_ref()
        .and_then(|d| current.and_then(|i| d.lessons.get(i)).cloned());

    // The live goal status, recomputed on every new window.
    let status = {
        let goal = lesson.as_ref().map(|l| l.goal.clone());
        let history = props.history.clone();
        use_memo((goal, history), |(goal, history)| {
            goal.as_ref().map(|g| {
                let windows: Vec<_> = history.windows.iter().map(|w| (**w).clone()).collect();
                check(g, &windows)
            })
        })
    };
    let now_passed = status.as_ref().as_ref().is_some_and(|s| s.passed);
    {
        let passed = passed.clone();
        let id = lesson.as_ref().map(|l| l.id.clone());
        use_effect_with((now_passed, id), move |(ok, id)| {
            if let (true, Some(id)) = (*ok, id) {
                if !passed.contains(id) {
                    let mut next = (*passed).clone();
                    next.push(id.clone());
                    let _ = LocalStorage::set(PASSED_KEY, &next);
                    passed.set(next);
                }
            }
        });
    }

    let goal_html = |l: &Lesson| {
        let st = (*status).clone();
        let complete = st.as_ref().is_some_and(|s| s.complete);
        let started = props.history.seen > 0;
        let (cls, msg) = if now_passed {
            ("passed", ui("ui.passed"))
        } else if complete {
            ("missed", ui("ui.missed"))
        } else if started {
            ("running", ui("ui.running"))
        } else {
            ("pending", ui("ui.pending"))
        };
        let tb = table.cloned().unwrap_or_default();
        html! {
            <div id="lesson-goal" class={classes!("lesson-goal", cls)} data-passed={now_passed.to_string()}
                data-complete={complete.to_string()} role="status">
                <div class="lesson-goal-head">
                    <span class="lesson-goal-label">{ ui("ui.goal") }</span>
                    <span class="lesson-goal-text">{ t(&l.id, "goal") }</span>
                </div>
                <ul class="lesson-conditions">
                    { for l.goal.all.iter().enumerate().map(|(i, c)| {
                        let cs = st.as_ref().and_then(|s| s.conditions.get(i).cloned());
                        let measured = cs.as_ref().and_then(|c| c.measured);
                        let state = match &cs {
                            Some(c) if c.windows == 0 => "wait",
                            Some(c) if c.holds => "ok",
                            Some(_) => "bad",
                            None => "wait",
                        };
                        html! {
                            <li class={classes!("cond", state)} data-state={state}>
                                <span class="cond-mark" aria-hidden="true">{ match state { "ok" => "✓", "bad" => "✗", _ => "·" } }</span>
                                { progress_in(&tb, c, measured) }
                            </li>
                        }
                    }) }
                </ul>
                <div id="lesson-verdict" class="lesson-verdict">{ msg }</div>
                if now_passed {
                    <p class="lesson-solved">{ t(&l.id, "solved") }</p>
                }
            </div>
        }
    };

    if props.embed {
        return match &lesson {
            Some(l) => html! {
                <div id="lesson-embed" class="lesson-embed" data-lesson={l.number.to_string()}>
                    <div class="lesson-embed-title">{ format!("{}. {}", l.number, t(&l.id, "title")) }</div>
                    { goal_html(l) }
                </div>
            },
            None => html! {},
        };
    }

    let toggle_list = {
        let list_open = list_open.clone();
        Callback::from(move |_: MouseEvent| list_open.set(!*list_open))
    };
    let button = html! {
        <button id="lessons-open" class={classes!("btn", "lessons-btn", current.is_some().then_some("active"))}
            onclick={toggle_list.clone()} aria-haspopup="dialog">
            { ui("ui.lessons") }
        </button>
    };

    let list = list_open.then(|| {
        let close = {
            let list_open = list_open.clone();
            Callback::from(move |_: MouseEvent| list_open.set(false))
        };
        let body = match &*data {
            None => html! { <p>{ ui("ui.loading") }</p> },
            Some(Err(e)) => html! { <p class="lesson-error">{ format!("{}: {e}", ui("ui.load_error").replace(": {0}", "")) }</p> },
            Some(Ok(d)) => html! {
                <ol id="lesson-list" class="lesson-list">
                    { for d.lessons.iter().enumerate().map(|(i, l)| {
                        let done = passed.contains(&l.id);
                        let open = open.clone();
                        html! {
                            <li data-lesson={l.number.to_string()} data-passed={done.to_string()}
                                class={classes!("lesson-item", (*current == Some(i)).then_some("current"))}>
                                <button class="lesson-link" onclick={Callback::from(move |_| open.emit(i))}>
                                    <span class="lesson-num">{ l.number }</span>
                                    <span class="lesson-item-text">
                                        <span class="lesson-item-title">{ t(&l.id, "title") }</span>
                                        <span class="lesson-item-summary">{ t(&l.id, "summary") }</span>
                                    </span>
                                    <span class={classes!("lesson-check", done.then_some("done"))}
                                        title={if done { ui("ui.done") } else { String::new() }}>{ if done { "✓" } else { "" } }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            },
        };
        html! {
            <div class="overlay" onclick={close.clone()}>
                <div id="lessons-dialog" class="dialog wide lessons-dialog" role="dialog" aria-modal="true"
                    onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                    <h2>{ ui("ui.list_title") }</h2>
                    { body }
                    <button class="btn" onclick={close}>{ ui("ui.close") }</button>
                </div>
            </div>
        }
    });

    let panel = lesson.as_ref().map(|l| {
        let i = current.unwrap_or(0);
        let n = d.as_ref().map_or(0, |d| d.lessons.len());
        let nav = |to: Option<usize>, id: &'static str, key: &str| {
            let open = open.clone();
            html! {
                <button id={id} class="btn" disabled={to.is_none()}
                    onclick={Callback::from(move |_| if let Some(j) = to { open.emit(j) })}>{ ui(key) }</button>
            }
        };
        let close = {
            let current = current.clone();
            Callback::from(move |_: MouseEvent| current.set(None))
        };
        let apply = {
            let dispatch = props.dispatch.clone();
            let l = l.clone();
            Callback::from(move |_: MouseEvent| {
                if let Ok(s) = l.solved_scenario() {
                    dispatch.emit(Action::Pause);
                    dispatch.emit(Action::Edit(Edit::Load(s)));
                }
            })
        };
        let picked = *choice;
        let right = picked == Some(l.predict.answer);
        html! {
            <aside id="lesson-panel" class="lesson-panel" data-lesson={l.number.to_string()} data-lesson-id={l.id.clone()}
                aria-label={t(&l.id, "title")}>
                <div class="lesson-top">
                    <span class="lesson-badge">{ ui("ui.lesson").replace("{0}", &l.number.to_string()) }</span>
                    <button class="notice-close" aria-label={ui("ui.close")} onclick={close}>{ "×" }</button>
                </div>
                <h2 id="lesson-title" class="lesson-title">{ t(&l.id, "title") }</h2>
                { goal_html(l) }
                <div class="lesson-text" id="lesson-explanation">
                    { for t(&l.id, "explanation").split("\n\n").map(|p| html! { <p>{ p.to_string() }</p> }) }
                </div>
                <section class="lesson-predict" id="lesson-predict">
                    <h3>{ ui("ui.predict") }</h3>
                    <p class="lesson-q">{ t(&l.id, "predict.question") }</p>
                    <div class="predict-choices" role="radiogroup">
                        { for (1..=l.predict.choices).map(|c| {
                            let choice = choice.clone();
                            let sel = picked == Some(c);
                            let verdict = (*revealed).then(|| if c == l.predict.answer { "answer" } else if sel { "wrong" } else { "" });
                            html! {
                                <button class={classes!("predict-choice", sel.then_some("selected"), verdict)} role="radio"
                                    aria-checked={sel.to_string()} data-choice={c.to_string()} disabled={*revealed}
                                    onclick={Callback::from(move |_| choice.set(Some(c)))}>
                                    { t(&l.id, &format!("predict.choice.{c}")) }
                                </button>
                            }
                        }) }
                    </div>
                    if *revealed {
                        <p id="predict-reveal" class={classes!("predict-reveal", if right { "right" } else { "wrong" })}>
                            <strong>{ if right { ui("ui.right") } else { ui("ui.wrong") } }</strong>{ " " }{ t(&l.id, "predict.reveal") }
                        </p>
                    } else {
                        <p class="lesson-hint">{ ui("ui.predict_hint") }</p>
                    }
                </section>
                <section class="lesson-steps">
                    <h3>{ ui("ui.steps") }</h3>
                    <ol>{ for (1..=l.steps).map(|s| html! { <li>{ t(&l.id, &format!("step.{s}")) }</li> }) }</ol>
                </section>
                <details class="lesson-solution">
                    <summary>{ ui("ui.solution") }</summary>
                    <p class="lesson-hint">{ ui("ui.solution_hint") }</p>
                    <ul class="mono">{ for l.solution.iter().map(|e| html! { <li>{ describe(e) }</li> }) }</ul>
                    <button id="lesson-apply-solution" class="btn btn-primary" onclick={apply}>{ ui("ui.solution") }</button>
                </details>
                <div class="lesson-nav">
                    { nav(i.checked_sub(1), "lesson-prev", "ui.prev") }
                    { nav((i + 1 < n).then_some(i + 1), "lesson-next", "ui.next") }
                </div>
            </aside>
        }
    });

    html! {
        <>
            { button }
            { for list }
            { for panel }
        </>
    }
}
