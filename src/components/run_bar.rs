//! The run bar: play / pause / step / reset, traffic (slider + numeric field,
//! scaling every users component), speed, seed and the simulated clock.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::Tr;
use crate::state::{format_number, parse_traffic, SPEEDS};

/// What [`run_bar`] shows and does.
pub struct RunBarProps {
    /// Whether the clock runs.
    pub running: bool,
    /// Speed multiplier (0 = as fast as possible).
    pub speed: u32,
    /// Current traffic, rps.
    pub traffic_rps: f64,
    /// The design's own traffic, rps (sets the slider's range).
    pub base_rps: f64,
    /// Simulated time, s.
    pub sim_time_s: f64,
    /// Analytic capacity, rps (marks the slider).
    pub capacity_rps: Option<f64>,
    /// Message for a rejected traffic input.
    pub input_error: Option<String>,
    /// The simulation runs slower than the requested speed.
    pub behind: bool,
    /// The scenario's seed.
    pub seed: u64,
    /// Whether the design can run.
    pub runnable: bool,
    /// Start the clock.
    pub on_play: Callback<()>,
    /// Stop the clock.
    pub on_pause: Callback<()>,
    /// Advance one window.
    pub on_step: Callback<()>,
    /// Restart from t = 0.
    pub on_reset: Callback<()>,
    /// New speed.
    pub on_speed: Callback<u32>,
    /// New (valid) traffic.
    pub on_traffic: Callback<f64>,
    /// Rejected traffic input, with the message to show.
    pub on_reject: Callback<String>,
    /// New seed.
    pub on_seed: Callback<u64>,
}

/// Format simulated time as `m:ss.s` (or `h:mm:ss`).
fn format_clock(t_s: f64) -> String {
    let t = t_s.max(0.0);
    let total = t.floor() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, t % 60.0);
    if h > 0 {
        format!("{h}:{m:02}:{:02}", s.floor() as u64)
    } else {
        format!("{m}:{s:04.1}")
    }
}

/// A round slider maximum above `v`: 2,000 at least.
fn slider_max(base: f64) -> f64 {
    let want = (base * 4.0).max(2_000.0);
    let mag = 10f64.powf(want.log10().floor());
    ((want / mag).ceil() * mag).min(2_000_000.0)
}

/// The text the learner is typing into the traffic and the seed fields
/// (the app's state: [`run_bar`] is a function, not a component).
pub type Drafts = (
    UseStateHandle<Option<String>>,
    UseStateHandle<Option<String>>,
);

/// The run bar. A function rather than a component: its only state, the
/// fields' drafts, is the app's, and a component's machinery cost the wasm
/// more than it saved.
pub fn run_bar(tr: &Tr, props: &RunBarProps, (draft, seed_draft): &Drafts) -> Html {
    // While the learner edits the numeric field its text is theirs; otherwise it shows the rate.
    let max = slider_max(props.base_rps);
    let step = if max <= 2_000.0 { 10.0 } else { max / 200.0 };

    let on_slider = {
        let on_traffic = props.on_traffic.clone();
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = parse_traffic(&input.value()) {
                draft.set(None);
                on_traffic.emit(v);
            }
        })
    };
    let on_field_input = {
        let on_traffic = props.on_traffic.clone();
        let on_reject = props.on_reject.clone();
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            match parse_traffic(&text) {
                Ok(v) => on_traffic.emit(v),
                Err(msg) => on_reject.emit(msg),
            }
            draft.set(Some(text));
        })
    };
    let on_field_change = {
        let draft = draft.clone();
        Callback::from(move |_: Event| draft.set(None))
    };
    let on_field_key = {
        let draft = draft.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                draft.set(None);
            }
        })
    };
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(v) = select.value().parse::<u32>() {
                cb.emit(v);
            }
        })
    };
    let on_seed_input = {
        let seed_draft = seed_draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            seed_draft.set(Some(input.value()));
        })
    };
    let on_seed_change = {
        let cb = props.on_seed.clone();
        let on_reject = props.on_reject.clone();
        let seed_draft = seed_draft.clone();
        let tr = tr.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match input.value().trim().parse::<u64>() {
                Ok(v) => {
                    seed_draft.set(None);
                    cb.emit(v);
                }
                Err(_) => on_reject.emit(tr.t("run.seed_error")),
            }
        })
    };

    let field_text = (**draft)
        .clone()
        .unwrap_or_else(|| format_number(props.traffic_rps).replace(',', ""));
    let slider_value = props.traffic_rps.min(max);
    let load_pct = props
        .capacity_rps
        .filter(|c| *c > 0.0)
        .map(|c| props.traffic_rps / c * 100.0);
    let load_class = match load_pct {
        Some(p) if p >= 100.0 => "over",
        Some(p) if p >= 80.0 => "hot",
        _ => "ok",
    };
    let capacity_mark = props.capacity_rps.filter(|c| *c <= max).map(|c| {
        let pct = c / max * 100.0;
        html! { <span class="slider-mark" style={format!("left: {pct:.2}%")} title={tr.t("run.capacity")}></span> }
    });
    let play = props.on_play.reform(|_: MouseEvent| ());
    let pause = props.on_pause.reform(|_: MouseEvent| ());
    let step_cb = props.on_step.reform(|_: MouseEvent| ());
    let reset = props.on_reset.reform(|_: MouseEvent| ());

    html! {
        <section class="run-bar card" aria-label={tr.t("run.title")}>
            <div class="run-buttons">
                <button id="play" class={classes!("btn", "btn-primary", props.running.then_some("active"))}
                    onclick={play} disabled={props.running} title={tr.t("run.play_hint")} aria-label={tr.t("run.play")}>
                    <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5v11l9-5.5z" /></svg>
                    <span>{ tr.t("run.play") }</span>
                </button>
                <button id="pause" class="btn" onclick={pause} disabled={!props.running} title={tr.t("run.pause")} aria-label={tr.t("run.pause")}>
                    <svg viewBox="0 0 16 16" aria-hidden="true"><rect x="3.5" y="2.5" width="3" height="11" rx="0.8" /><rect x="9.5" y="2.5" width="3" height="11" rx="0.8" /></svg>
                    <span>{ tr.t("run.pause") }</span>
                </button>
                <button id="step" class="btn icon" onclick={step_cb} disabled={props.running || !props.runnable} title={tr.t("run.step")} aria-label={tr.t("run.step")}>
                    <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 2.5v11l7-5.5z" /><rect x="11" y="2.5" width="2.2" height="11" rx="0.6" /></svg>
                </button>
                <button id="reset" class="btn icon" onclick={reset} title={tr.t("run.reset")} aria-label={tr.t("run.reset")}>
                    <svg viewBox="0 0 16 16" aria-hidden="true" class="stroke"><path d="M3 8a5 5 0 1 0 1.6-3.7" /><path d="M3 2.5v3h3" /></svg>
                </button>
            </div>
            <div class="traffic">
                <label for="traffic-rps" class="field-label">
                    { tr.t("run.traffic") }
                    if let Some(p) = load_pct {
                        <span class={classes!("load-badge", load_class)}>{ tr.f("run.of_capacity", &[&format!("{p:.0}")]) }</span>
                    }
                </label>
                <div class="traffic-controls">
                    <div class="slider-wrap">
                        <input id="traffic-rps" type="range" min="0" max={max.to_string()} step={step.to_string()}
                            value={slider_value.to_string()} oninput={on_slider}
                            aria-label={tr.t("run.traffic_aria")} />
                        { for capacity_mark }
                    </div>
                    <div class={classes!("num-field", props.input_error.is_some().then_some("invalid"))}>
                        <input id="traffic-rps-input" type="text" inputmode="decimal" autocomplete="off"
                            value={field_text} oninput={on_field_input} onchange={on_field_change} onkeydown={on_field_key}
                            aria-label={tr.t("run.traffic_aria")}
                            aria-invalid={props.input_error.is_some().to_string()}
                            aria-describedby="input-error" />
                        <span class="unit">{ "rps" }</span>
                    </div>
                </div>
                <div id="input-error" class="input-error" role="alert" hidden={props.input_error.is_none()}>
                    { props.input_error.clone().unwrap_or_default() }
                </div>
            </div>
            <div class="speed">
                <label for="speed" class="field-label">{ tr.t("run.speed") }</label>
                <select id="speed" class="select" onchange={on_speed}>
                    { for SPEEDS.iter().map(|&s| html! {
                        <option value={s.to_string()} selected={s == props.speed}>
                            { if s == 0 { tr.t("run.max") } else { format!("{s}×") } }
                        </option>
                    }) }
                </select>
            </div>
            <div class="seed">
                <label for="seed" class="field-label">{ tr.t("run.seed") }</label>
                <input id="seed" class="text-input seed-input" type="text" inputmode="numeric"
                    value={(**seed_draft).clone().unwrap_or_else(|| props.seed.to_string())}
                    oninput={on_seed_input} onchange={on_seed_change} />
            </div>
            <div class="clock" aria-label={tr.t("run.time")}>
                <span class="field-label">{ tr.t("run.time") }</span>
                <span class="clock-value" id="sim-clock">
                    <span class={classes!("run-dot", props.running.then_some("on"))}></span>
                    { format_clock(props.sim_time_s) }
                </span>
                if props.behind {
                    <span class="behind" title={tr.t("run.behind_hint")}>{ tr.t("run.behind") }</span>
                }
            </div>
        </section>
    }
}
