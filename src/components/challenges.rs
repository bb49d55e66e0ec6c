//! The challenge panel: a header button, the list of cards (fetched from
//! `dist/challenges/` when first opened), a card's brief and requirements,
//! "Start design" / "Reference" (ordinary undoable loads) and "Check my
//! design" (`ToSim::Score` in the worker; the reply arrives as `scored`).
//! Cards and scores are read with the browser's `JSON.parse` (no serde code
//! in the page's wasm for them); a design goes back through `JSON.stringify`.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::i18n::Tr;

/// The card files in `challenges/` (copied into `dist/` by trunk).
const CARDS: [&str; 8] = [
    "01-launch-day",
    "02-server-crash",
    "03-read-heavy",
    "04-data-center-loss",
    "05-primary-failover",
    "06-flash-sale",
    "07-background-jobs",
    "08-nobody-logged-out",
];

/// What [`challenge_panel`] shows and does.
#[derive(PartialEq)]
pub struct ChallengeProps {
    /// The last score from the worker (`None`: none yet, or checking).
    pub scored: Option<Rc<Result<String, String>>>,
    /// Load a design (its JSON) as an undoable edit.
    pub on_load: Callback<String>,
    /// Score the current design against a card (the card's JSON).
    pub on_check: Callback<String>,
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, catch)]
    fn parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON)]
    fn stringify(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn reflect_get(target: &JsValue, key: &str) -> Result<JsValue, JsValue>;
}

/// A card: its file text and parsed JSON.
type Card = (Rc<str>, JsValue);

/// `v[key]`, or `undefined`.
fn at(v: &JsValue, key: &str) -> JsValue {
    reflect_get(v, key).unwrap_or(JsValue::UNDEFINED)
}

/// `v[a][b]` as a string (empty when absent).
fn text(v: &JsValue, a: &str, b: &str) -> String {
    at(&at(v, a), b).as_string().unwrap_or_default()
}

/// The items of an array (none when absent).
fn items(v: &JsValue) -> Vec<JsValue> {
    let n = at(v, "length").as_f64().unwrap_or(0.0) as usize;
    (0..n).map(|i| at(v, &i.to_string())).collect()
}

fn num(v: &JsValue) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// A goal value with its unit.
fn goal_value(metric: &str, v: f64) -> String {
    if metric == "availability" {
        format!("{} %", (v * 1000.0).round() / 10.0)
    } else if metric.ends_with("_ms_p99") {
        format!("{v} ms")
    } else {
        v.to_string()
    }
}

/// `$2,500` (cents only when there are some).
fn dollars(v: f64) -> String {
    let s = crate::components::readout::usd(v);
    s.strip_suffix(".00").map(str::to_string).unwrap_or(s)
}

/// One requirement in the page language: `p99 latency ≤ 250 ms (30–60 s)`.
fn requirement(tr: &Tr, r: &JsValue) -> String {
    let metric = at(r, "metric").as_string().unwrap_or_default();
    let mut name = tr.t(&format!("chal.m.{metric}"));
    if let Some(c) = at(r, "component").as_string() {
        name = format!("{c} {name}");
    }
    if let Some(c) = at(r, "cause").as_string() {
        name = format!("{name} ({c})");
    }
    let op = at(r, "op").as_string().unwrap_or_default();
    let op = match op.as_str() {
        ">=" => "≥",
        "<=" => "≤",
        o => o,
    };
    let over = at(r, "over");
    tr.f(
        "chal.req",
        &[
            &name,
            op,
            &goal_value(&metric, num(&at(r, "value"))),
            &num(&at(&over, "from_s")).to_string(),
            &num(&at(&over, "to_s")).to_string(),
        ],
    )
}

/// The challenge panel's state (held by [`super::review::HeaderPanels`]):
/// open, the cards once fetched, the picked card, checked.
pub type ChallengeState = (
    UseStateHandle<bool>,
    UseStateHandle<Option<Result<Rc<Vec<Card>>, String>>>,
    UseStateHandle<Option<usize>>,
    UseStateHandle<bool>,
);

/// The challenges button and, when open, its panel.
pub fn challenge_panel(tr: &Tr, props: &ChallengeProps, state: &ChallengeState) -> Html {
    let lang = tr.lang.code();
    let (open, cards, pick, checked) = state.clone();
    let toggle = {
        let (open, cards) = (open.clone(), cards.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(!*open);
            if cards.is_none() {
                let cards = cards.clone();
                spawn_local(async move {
                    let mut all = Vec::new();
                    for name in CARDS {
                        match crate::net::fetch_text(&format!("challenges/{name}.json")).await {
                            Ok(t) => match parse(&t) {
                                Ok(v) => all.push((Rc::from(t), v)),
                                Err(_) => return cards.set(Some(Err(format!("{name}: not JSON")))),
                            },
                            Err(e) => return cards.set(Some(Err(e))),
                        }
                    }
                    cards.set(Some(Ok(Rc::new(all))));
                });
            }
        })
    };
    let body = match cards.as_ref() {
        None => html! { <p class="insp-tip">{ tr.t("chal.loading") }</p> },
        Some(Err(e)) => html! { <p class="insp-tip">{ e.clone() }</p> },
        Some(Ok(list)) => match pick.and_then(|i| list.get(i).map(|c| (i, c.clone()))) {
            None => html! {
                <ul class="chal-list">
                { for list.iter().enumerate().map(|(i, (_, v))| {
                    let (pick, checked) = (pick.clone(), checked.clone());
                    html! { <li><button class="btn chal-card" data-card={CARDS[i]}
                        onclick={Callback::from(move |_| { pick.set(Some(i)); checked.set(false); })}>
                        { format!("{:02}. {}", i + 1, text(v, "title", lang)) }
                    </button></li> }
                }) }
                </ul>
            },
            Some((i, (card_text, v))) => {
                let reqs = items(&at(&v, "requirements"));
                let budget = at(&v, "budget_usd_per_month").as_f64();
                let load = |key: &'static str| {
                    let (v, on_load) = (v.clone(), props.on_load.clone());
                    Callback::from(move |_: MouseEvent| {
                        on_load.emit(stringify(&at(&v, key)).as_string().unwrap_or_default())
                    })
                };
                let check = {
                    let (on_check, checked) = (props.on_check.clone(), checked.clone());
                    Callback::from(move |_: MouseEvent| {
                        checked.set(true);
                        on_check.emit(card_text.to_string());
                    })
                };
                let back = {
                    let pick = pick.clone();
                    Callback::from(move |_: MouseEvent| pick.set(None))
                };
                let score = match (*checked, props.scored.as_deref()) {
                    (false, _) => html! {},
                    (true, None) => html! { <p class="insp-tip">{ tr.t("chal.checking") }</p> },
                    (true, Some(Err(e))) => html! { <p class="insp-tip">{ e.clone() }</p> },
                    (true, Some(Ok(json))) => {
                        let lines = items(&at(&parse(json).unwrap_or_default(), "lines"));
                        let ok = |l: &JsValue| at(l, "met").as_bool() == Some(true);
                        let met = lines.iter().filter(|l| ok(l)).count();
                        html! {
                            <div id="chal-score" class={classes!("chal-score", (met == lines.len()).then_some("passed"))}>
                                <p class="chal-total"><strong>{ tr.f("chal.total", &[&met.to_string(), &lines.len().to_string()]) }</strong></p>
                                <ul>
                                { for lines.iter().enumerate().map(|(k, l)| {
                                    let ok = ok(l);
                                    let goal = match reqs.get(k) {
                                        Some(r) => requirement(tr, r),
                                        None => tr.f("chal.budget", &[&dollars(budget.unwrap_or(0.0))]),
                                    };
                                    html! {
                                        <li class={classes!("chal-line", if ok { "met" } else { "missed" })}>
                                            <span class="mark">{ if ok { "✓" } else { "✗" } }</span>
                                            <span>{ goal }</span>
                                            <span class="mono">{ at(l, "measured_text").as_string().unwrap_or_default() }</span>
                                        </li>
                                    }
                                }) }
                                </ul>
                            </div>
                        }
                    }
                };
                html! {
                    <div class="chal-detail" data-card={CARDS[i]}>
                        <button class="btn chal-back" onclick={back}>{ tr.t("chal.back") }</button>
                        <h3>{ text(&v, "title", lang) }</h3>
                        <p class="insp-text">{ text(&v, "brief", lang) }</p>
                        <h4>{ tr.t("chal.goals") }</h4>
                        <ul class="chal-goals">
                            { for reqs.iter().map(|r| html! { <li>{ requirement(tr, r) }</li> }) }
                            if let Some(b) = budget { <li>{ tr.f("chal.budget", &[&dollars(b)]) }</li> }
                        </ul>
                        <div class="btn-group">
                            <button id="chal-start" class="btn" onclick={load("start")}>{ tr.t("chal.start") }</button>
                            <button id="chal-reference" class="btn" onclick={load("reference")}>{ tr.t("chal.reference") }</button>
                            <button id="chal-check" class="btn btn-primary" onclick={check}>{ tr.t("chal.check") }</button>
                        </div>
                        { score }
                    </div>
                }
            }
        },
    };
    html! {
        <div class="review chal">
            <button id="chal-button" class="btn" aria-expanded={open.to_string()} onclick={toggle}>
                { tr.t("chal.open") }
            </button>
            if *open {
                <section id="chal-panel" class="review-panel" aria-label={tr.t("chal.title")}>
                    <h2>{ tr.t("chal.title") }</h2>
                    { body }
                </section>
            }
        </div>
    }
}
