//! The capacity sweep panel: "how far does this design go?" A header button
//! opens it; from / to / steps are prefilled from the analytic twin's
//! maximum (`scalelab_sim::sweep::default_range`); "Run sweep" asks the
//! worker (`ToSim::Sweep`), which runs the design at each load on its own
//! simulations and reports each step; the panel shows a progress bar, a
//! Cancel button, a chart of p99 and availability against the offered load
//! (knee and analytic maximum marked) and a table of the steps. The design
//! is never changed by a sweep.

use std::rc::Rc;

use scalelab_sim::sweep::{
    default_duration_s, default_range, SweepPoint, SweepRange, SERVED_SHARE,
};
use scalelab_sim::Scenario;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::i18n::Tr;
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

/// What [`sweep_panel`] shows and does.
#[derive(PartialEq)]
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

/// `text` with `&`, `<`, `>` and `"` escaped for HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The panel's texts as HTML: above the inputs (title, hint), above the
/// chart (error, progress, legend) and below it (summary, table of steps).
/// Written out as text because one `html!` element per cell costs the
/// page's wasm more; every text is escaped. The inputs and buttons stay
/// `html!` nodes, so they are not replaced while a sweep reports progress.
fn report_html(
    tr: &Tr,
    v: &SweepView,
    doc: &Scenario,
    defaults: &SweepRange,
    bad: bool,
) -> [String; 3] {
    use std::fmt::Write;
    let head = format!(
        r#"<h2>{}</h2><p class="insp-tip">{}</p>"#,
        esc(&tr.t("sweep.title")),
        esc(&tr.f("sweep.hint", &[&format_number(defaults.duration_s)]))
    );
    let mut h = String::new();
    let error = bad
        .then(|| tr.t("sweep.bad_input"))
        .or_else(|| v.error.clone());
    if let Some(e) = error {
        let _ = write!(
            h,
            r#"<p class="insp-tip error" id="sweep-error">{}</p>"#,
            esc(&e)
        );
    }
    if v.total > 0 {
        let _ = write!(
            h,
            r#"<progress id="sweep-progress" max="{}" value="{}" aria-label="{}"></progress>"#,
            v.total,
            v.done,
            esc(&tr.t("sweep.progress"))
        );
        let key = if v.cancelled {
            "sweep.cancelled"
        } else {
            "sweep.steps_done"
        };
        let _ = write!(
            h,
            r#"<p class="insp-tip" id="sweep-status">{}</p>"#,
            esc(&tr.f(key, &[&v.done.to_string(), &v.total.to_string()]))
        );
    }
    h.push_str(r#"<ul class="legend">"#);
    for (class, key) in [
        ("s-p99", "sweep.p99"),
        ("s-avail", "sweep.availability"),
        ("s-marker dashed", "sweep.knee"),
        ("s-cap dashed", "sweep.analytic_max"),
    ] {
        let _ = write!(
            h,
            r#"<li><i class="swatch {class}"></i>{}</li>"#,
            esc(&tr.t(key))
        );
    }
    h.push_str("</ul>");
    let top = std::mem::take(&mut h);
    if !v.running && v.error.is_none() && !v.cancelled && v.total > 0 {
        let text = match (v.knee_rps, v.analytic_max_rps) {
            (Some(k), Some(m)) => tr.f(
                "sweep.knee_vs_max",
                &[
                    &format_number(k),
                    &format_number(m),
                    &format_number(((k - m) / m * 100.0).round()),
                ],
            ),
            (Some(k), None) => tr.f("sweep.knee_only", &[&format_number(k)]),
            (None, _) => tr.t("sweep.no_knee"),
        };
        let _ = write!(h, r#"<p id="sweep-summary">{}</p>"#, esc(&text));
    }
    let _ = write!(
        h,
        r#"<p class="insp-tip">{}</p>"#,
        esc(&tr.t("sweep.knee_def"))
    );
    if v.points.is_empty() {
        return [head, top, h];
    }
    h.push_str(r#"<table id="sweep-table" class="sweep-table"><thead><tr>"#);
    for key in [
        "sweep.col.offered",
        "sweep.col.served",
        "sweep.p99",
        "sweep.availability",
        "sweep.col.bottleneck",
    ] {
        let _ = write!(h, "<th>{}</th>", esc(&tr.t(key)));
    }
    h.push_str("</tr></thead><tbody>");
    for p in &v.points {
        let mut class = String::from("sweep-row");
        if v.knee_rps == Some(p.offered_rps) {
            class.push_str(" knee");
        }
        if p.throughput_rps < SERVED_SHARE * p.offered_rps {
            class.push_str(" over");
        }
        let id = p.bottleneck.as_deref().unwrap_or_default();
        let name = doc
            .component(id)
            .map_or(id, |c| if c.label.is_empty() { &c.id } else { &c.label });
        let _ = write!(
            h,
            r#"<tr class="{class}" data-offered-rps="{}" data-p99-ms="{}" data-availability="{}" data-bottleneck="{}"><td>{}</td><td>{}</td><td>{}</td><td>{:.2} %</td><td>{} · {:.0} %</td></tr>"#,
            p.offered_rps,
            p.latency_ms_p99,
            p.availability,
            esc(id),
            format_number(p.offered_rps),
            format_number(p.throughput_rps),
            format_latency(p.latency_ms_p99),
            p.availability * 100.0,
            esc(name),
            p.utilization_max * 100.0,
        );
    }
    h.push_str("</tbody></table>");
    [head, top, h]
}

/// The sweep panel's state (held by [`super::review::HeaderPanels`]): open,
/// a bad range typed, the chart's canvas.
pub type SweepState = (UseStateHandle<bool>, UseStateHandle<bool>, NodeRef);

/// Draws the sweep chart on `chart_ref`'s canvas (the panel's effect, run
/// when the view changes or the panel opens).
pub fn draw_chart(chart_ref: &NodeRef, view: &SweepView) {
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
}

/// The sweep button and, when open, its panel (its texts from [`report_html`]).
pub fn sweep_panel(tr: &Tr, props: &SweepProps, state: &SweepState) -> Html {
    let (open, bad, chart_ref) = state.clone();
    let v = &props.view;
    let defaults = default_range(props.capacity_rps, props.doc.offered_rps());

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
    let attr = |x: Option<f64>| x.map(|x| x.to_string());
    let [head, top, bottom] = report_html(tr, v, &props.doc, &defaults, *bad);
    html! {
        <div class="review sweep">
            <button id="sweep-button" class="btn" aria-expanded={open.to_string()} onclick={toggle}>
                { tr.t("sweep.open") }
            </button>
            if *open {
                <section id="sweep-panel" class="review-panel sweep-panel" aria-label={tr.t("sweep.title")}
                    data-state={v.state()} data-done={v.done.to_string()} data-total={v.total.to_string()}
                    data-knee-rps={attr(v.knee_rps)} data-analytic-max-rps={attr(v.analytic_max_rps)}>
                    { Html::from_html_unchecked(head.into()) }
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
                    { Html::from_html_unchecked(top.into()) }
                    <canvas id="sweep-chart" ref={chart_ref} class="chart-canvas tall" role="img" aria-label={tr.t("sweep.chart")} />
                    { Html::from_html_unchecked(bottom.into()) }
                </section>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(rps: f64) -> SweepPoint {
        SweepPoint {
            offered_rps: rps,
            throughput_rps: rps,
            latency_ms_p99: 80.0,
            availability: 1.0,
            bottleneck: Some("web".into()),
            utilization_max: 0.5,
        }
    }

    #[test]
    fn replies_of_an_older_sweep_change_nothing() {
        let v = SweepView::default().after(SweepEvent::Started(1, 3));
        let v = v.after(SweepEvent::Progress(1, 1, point(100.0)));
        let v = v.after(SweepEvent::Started(2, 2));
        assert!(v.points.is_empty() && v.running && v.total == 2);
        let v = v.after(SweepEvent::Progress(1, 2, point(200.0)));
        let v = v.after(SweepEvent::Done(1, Ok((Some(1.0), None))));
        assert!(v.points.is_empty() && v.running, "{v:?}");
        let v = v.after(SweepEvent::Progress(2, 1, point(300.0)));
        let v = v.after(SweepEvent::Done(2, Ok((Some(300.0), Some(320.0)))));
        assert_eq!((v.state(), v.done, v.knee_rps), ("done", 1, Some(300.0)));
    }

    #[test]
    fn cancel_and_errors_end_the_sweep() {
        let v = SweepView::default().after(SweepEvent::Started(1, 3));
        let v = v.after(SweepEvent::Progress(1, 1, point(100.0)));
        let c = v.after(SweepEvent::Cancelled(1));
        assert_eq!((c.state(), c.points.len()), ("cancelled", 1));
        // A late progress after the cancel is dropped.
        assert_eq!(c.after(SweepEvent::Progress(1, 2, point(200.0))), c);
        let e = v.after(SweepEvent::Done(1, Err("sweep: to must be …".into())));
        assert_eq!(e.state(), "error");
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(esc(r#"<b a="1">&"#), "&lt;b a=&quot;1&quot;&gt;&amp;");
    }
}
