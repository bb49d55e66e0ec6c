//! The capacity sweep panel: "how far does this design go?" A header button
//! opens it; from / to / steps are prefilled from the analytic twin's
//! maximum (`scalelab_sim::sweep::default_range`); "Run sweep" asks the
//! worker (`ToSim::Sweep`), which runs the design at each load on its own
//! simulations and reports each step; the panel shows a progress bar, a
//! Cancel button, a chart of p99 and availability against the offered load
//! (knee and analytic maximum marked) and a table of the steps. The design
//! is never changed by a sweep.

use std::rc::Rc;

use scalelab_sim::sweep::{default_duration_s, default_range, SweepPoint, SERVED_SHARE};
use scalelab_sim::Scenario;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::i18n::use_tr;
use crate::state::{format_latency, format_number, parse_number};

/// What the page knows of the latest sweep.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepView {
    /// Number of the latest sweep started (replies of older ones are dropped).
    pub gen: u64,
    /// Whether it is under way.
    pub running: bool,
    /// Steps finished, and in all.
    pub done: u32,
    /// Steps in the sweep.
    pub total: u32,
    /// The steps' figures so far.
    pub points: Vec<SweepPoint>,
    /// The knee, once done.
    pub knee_rps: Option<f64>,
    /// The analytic twin's maximum, once done.
    pub analytic_max_rps: Option<f64>,
    /// It was cancelled.
    pub cancelled: bool,
    /// Why it could not run.
    pub error: Option<String>,
}

/// What happened to a sweep (the reducer's `Action::Sweep`).
#[derive(Debug, Clone, PartialEq)]
pub enum SweepEvent {
    /// The page asked for sweep `gen` of `total` steps.
    Started(u64, u32),
    /// Step `done` of sweep `gen` finished.
    Progress(u64, u32, SweepPoint),
    /// Sweep `gen` ended: knee and analytic maximum, or why not.
    Done(u64, Result<(Option<f64>, Option<f64>), String>),
    /// Sweep `gen` was cancelled.
    Cancelled(u64),
}

impl SweepView {
    /// The view after `event` (events of an older sweep change nothing).
    pub fn after(&self, event: SweepEvent) -> SweepView {
        let mut v = self.clone();
        match event {
            SweepEvent::Started(gen, total) => {
                v = SweepView {
                    gen,
                    running: true,
                    total,
                    ..SweepView::default()
                };
            }
            SweepEvent::Progress(gen, done, point) if gen == v.gen && v.running => {
                v.done = done;
                v.points.push(point);
            }
            SweepEvent::Done(gen, result) if gen == v.gen && v.running => {
                v.running = false;
                match result {
                    Ok((knee, max)) => {
                        v.knee_rps = knee;
                        v.analytic_max_rps = max;
                    }
                    Err(e) => v.error = Some(e),
                }
            }
            SweepEvent::Cancelled(gen) if gen == v.gen && v.running => {
                v.running = false;
                v.cancelled = true;
            }
            _ => {}
        }
        v
    }

    fn state(&self) -> &'static str {
        if self.running {
            "running"
        } else if self.error.is_some() {
            "error"
        } else if self.cancelled {
            "cancelled"
        } else if self.total > 0 {
            "done"
        } else {
            "idle"
        }
    }
}

/// Properties of [`SweepPanel`].
#[derive(Properties, PartialEq)]
pub struct SweepProps {
    /// The latest sweep.
    pub view: Rc<SweepView>,
    /// The design (component names, its offered load).
    pub doc: Rc<Scenario>,
    /// The analytic twin's maximum for the design, requests/s (the defaults).
    pub capacity_rps: Option<f64>,
    /// Start a sweep: from, to (requests/s), steps, seconds per step.
    pub on_run: Callback<(f64, f64, u32, f64)>,
    /// Stop the sweep under way.
    pub on_cancel: Callback<()>,
}

/// Value of the input with id `id`.
fn input_value(id: &str) -> String {
    use wasm_bindgen::JsCast;
    gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The sweep button and, when open, its panel.
#[function_component(SweepPanel)]
pub fn sweep_panel(props: &SweepProps) -> Html {
    let tr = use_tr();
    let open = use_state(|| false);
    let bad = use_state(|| false);
    let chart_ref = use_node_ref();
    let v = &props.view;
    let defaults = default_range(props.capacity_rps, props.doc.offered_rps());

    {
        let chart_ref = chart_ref.clone();
        let view = props.view.clone();
        use_effect_with((view, *open), move |(view, _)| {
            if let Some(canvas) = chart_ref.cast::<HtmlCanvasElement>() {
                let pts: Vec<(f64, f64, f64)> = view
                    .points
                    .iter()
                    .map(|p| (p.offered_rps, p.latency_ms_p99, p.availability))
                    .collect();
                let marks = (view.knee_rps, view.analytic_max_rps);
                if let Err(e) = crate::components::charts::draw_sweep(canvas, &pts, marks) {
                    gloo::console::warn!(format!("sweep chart: {e}"));
                }
            }
        });
    }

    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let run = {
        let (on_run, bad) = (props.on_run.clone(), bad.clone());
        Callback::from(move |_: MouseEvent| {
            let num = |id: &str| parse_number(&input_value(id)).ok();
            match (num("sweep-from"), num("sweep-to"), num("sweep-steps")) {
                (Some(from), Some(to), Some(steps)) if steps >= 1.0 && steps.fract() == 0.0 => {
                    bad.set(false);
                    on_run.emit((from, to, steps as u32, default_duration_s(to)));
                }
                _ => bad.set(true),
            }
        })
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };
    let name = |id: &str| {
        props
            .doc
            .component(id)
            .map(|c| {
                if c.label.is_empty() {
                    c.id.clone()
                } else {
                    c.label.clone()
                }
            })
            .unwrap_or_else(|| id.to_string())
    };
    let attr = |x: Option<f64>| x.map(|x| x.to_string());
    let served = |p: &SweepPoint| p.throughput_rps >= SERVED_SHARE * p.offered_rps;
    html! {
        <div class="review sweep">
            <button id="sweep-button" class="btn" aria-expanded={open.to_string()} onclick={toggle}>
                { tr.t("sweep.open") }
            </button>
            if *open {
                <section id="sweep-panel" class="review-panel sweep-panel" aria-label={tr.t("sweep.title")}
                    data-state={v.state()} data-done={v.done.to_string()} data-total={v.total.to_string()}
                    data-knee-rps={attr(v.knee_rps)} data-analytic-max-rps={attr(v.analytic_max_rps)}>
                    <h2>{ tr.t("sweep.title") }</h2>
                    <p class="insp-tip">{ tr.f("sweep.hint", &[&format_number(defaults.duration_s)]) }</p>
                    <div class="sweep-inputs">
                        <label>{ tr.t("sweep.from") }
                            <input id="sweep-from" class="text-input" inputmode="decimal" value={defaults.from_rps.to_string()} /></label>
                        <label>{ tr.t("sweep.to") }
                            <input id="sweep-to" class="text-input" inputmode="decimal" value={defaults.to_rps.to_string()} /></label>
                        <label>{ tr.t("sweep.steps") }
                            <input id="sweep-steps" class="text-input" inputmode="numeric" value={defaults.steps.to_string()} /></label>
                        <button id="sweep-run" class="btn btn-primary" disabled={v.running} onclick={run}>{ tr.t("sweep.run") }</button>
                        <button id="sweep-cancel" class="btn" disabled={!v.running} onclick={cancel}>{ tr.t("sweep.cancel") }</button>
                    </div>
                    if *bad { <p class="insp-tip error" id="sweep-error">{ tr.t("sweep.bad_input") }</p> }
                    if let Some(e) = &v.error { <p class="insp-tip error" id="sweep-error">{ e.clone() }</p> }
                    if v.total > 0 {
                        <progress id="sweep-progress" max={v.total.to_string()} value={v.done.to_string()}
                            aria-label={tr.t("sweep.progress")}></progress>
                        <span class="insp-tip">{ tr.f(if v.cancelled { "sweep.cancelled" } else { "sweep.steps_done" },
                            &[&v.done.to_string(), &v.total.to_string()]) }</span>
                    }
                    <ul class="legend">
                        <li><i class="swatch s-p99"></i>{ tr.t("sweep.p99") }</li>
                        <li><i class="swatch s-avail"></i>{ tr.t("sweep.availability") }</li>
                        <li><i class="swatch s-marker dashed"></i>{ tr.t("sweep.knee") }</li>
                        <li><i class="swatch s-cap dashed"></i>{ tr.t("sweep.analytic_max") }</li>
                    </ul>
                    <canvas id="sweep-chart" ref={chart_ref} class="chart-canvas tall" role="img" aria-label={tr.t("sweep.chart")} />
                    if !v.running && v.error.is_none() && !v.cancelled && v.total > 0 {
                        <p id="sweep-summary">{
                            match (v.knee_rps, v.analytic_max_rps) {
                                (Some(k), Some(m)) => tr.f("sweep.knee_vs_max", &[&format_number(k), &format_number(m),
                                    &format_number(((k - m) / m * 100.0).round())]),
                                (Some(k), None) => tr.f("sweep.knee_only", &[&format_number(k)]),
                                (None, _) => tr.t("sweep.no_knee"),
                            }
                        }</p>
                    }
                    <p class="insp-tip">{ tr.t("sweep.knee_def") }</p>
                    if !v.points.is_empty() {
                        <table id="sweep-table" class="sweep-table">
                            <thead><tr>
                                <th>{ tr.t("sweep.col.offered") }</th><th>{ tr.t("sweep.col.served") }</th>
                                <th>{ tr.t("sweep.p99") }</th><th>{ tr.t("sweep.availability") }</th>
                                <th>{ tr.t("sweep.col.bottleneck") }</th>
                            </tr></thead>
                            <tbody>
                            { for v.points.iter().map(|p| html! {
                                <tr class={classes!("sweep-row", (v.knee_rps == Some(p.offered_rps)).then_some("knee"), (!served(p)).then_some("over"))}
                                    data-offered-rps={p.offered_rps.to_string()} data-p99-ms={p.latency_ms_p99.to_string()}
                                    data-availability={p.availability.to_string()} data-bottleneck={p.bottleneck.clone()}>
                                    <td>{ format_number(p.offered_rps) }</td>
                                    <td>{ format_number(p.throughput_rps) }</td>
                                    <td>{ format_latency(p.latency_ms_p99) }</td>
                                    <td>{ format!("{:.2} %", p.availability * 100.0) }</td>
                                    <td>{ p.bottleneck.as_deref().map(name).unwrap_or_default() }
                                        { format!(" · {:.0} %", p.utilization_max * 100.0) }</td>
                                </tr>
                            }) }
                            </tbody>
                        </table>
                    }
                </section>
            }
        </div>
    }
}
