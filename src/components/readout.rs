//! The readout: stat cards with the latest window's figures, also exposed as
//! `data-*` attributes on `#readout` for tests and embedding pages.

use yew::prelude::*;

use crate::state::{format_latency, format_number, Point};

/// Properties of [`Readout`].
#[derive(Properties, PartialEq)]
pub struct ReadoutProps {
    /// Simulated time, s.
    pub sim_time_s: f64,
    /// The latest completed window.
    pub last: Option<Point>,
    /// Errors since reset.
    pub total_errors: u64,
    /// Errors since reset, by cause.
    pub errors_by_cause: Vec<(&'static str, u64)>,
    /// Target p99 latency, ms (colors the latency cards).
    #[prop_or_default]
    pub slo_p99_ms: Option<f64>,
}

/// Human label of an error cause.
fn cause_label(cause: &str) -> String {
    match cause {
        "queue_full" => "queue full (503)".into(),
        "timeout" => "client timeout".into(),
        "instance_down" => "instance down".into(),
        other => other.replace('_', " "),
    }
}

/// Latency is "good" within half the SLO, "warn" up to the SLO, "bad" beyond it.
fn latency_class(ms: f64, slo_ms: f64) -> &'static str {
    if ms <= slo_ms * 0.5 {
        "good"
    } else if ms <= slo_ms {
        "warn"
    } else {
        "bad"
    }
}

/// Stat cards for the latest window.
#[function_component(Readout)]
pub fn readout(props: &ReadoutProps) -> Html {
    let attr = |f: fn(&Point) -> f64| {
        props
            .last
            .as_ref()
            .map(|p| format!("{}", f(p)))
            .unwrap_or_default()
    };
    let p = props.last;
    let slo = props
        .slo_p99_ms
        .filter(|v| v.is_finite() && *v > 0.0)
        .unwrap_or(200.0);
    let lat = |f: fn(&Point) -> f64| p.map_or("–".to_string(), |p| format_latency(f(&p)));
    let avail = p.map(|p| p.availability);
    let avail_text = avail.map_or("–".into(), |a| format!("{:.2}%", a * 100.0));
    let avail_class = match avail {
        Some(a) if a >= 0.999 => "good",
        Some(a) if a >= 0.99 => "warn",
        Some(_) => "bad",
        None => "",
    };
    let causes = props
        .errors_by_cause
        .iter()
        .map(|(c, n)| format!("{} {}", format_number(*n as f64), cause_label(c)))
        .collect::<Vec<_>>()
        .join(", ");

    html! {
        <section id="readout" class="readout" aria-label="Latest window"
            data-sim-time-s={format!("{:.3}", props.sim_time_s)}
            data-latency-ms-p50={attr(|p| p.p50)}
            data-latency-ms-p95={attr(|p| p.p95)}
            data-latency-ms-p99={attr(|p| p.p99)}
            data-throughput-rps={attr(|p| p.throughput_rps)}
            data-errors={props.total_errors.to_string()}
            data-availability={attr(|p| p.availability)}>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-p50"></i>{ "p50 latency" }</span>
                <span class={classes!("stat-value", p.map(|p| latency_class(p.p50, slo)))}>{ lat(|p| p.p50) }</span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-p95"></i>{ "p95 latency" }</span>
                <span class={classes!("stat-value", p.map(|p| latency_class(p.p95, slo)))}>{ lat(|p| p.p95) }</span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-p99"></i>{ "p99 latency" }</span>
                <span class={classes!("stat-value", p.map(|p| latency_class(p.p99, slo)))}>{ lat(|p| p.p99) }</span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-thr"></i>{ "Throughput" }</span>
                <span class="stat-value">
                    { p.map_or("–".into(), |p| format_number(p.throughput_rps)) }
                    <small>{ " rps" }</small>
                </span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-err"></i>{ "Errors (total)" }</span>
                <span class={classes!("stat-value", (props.total_errors > 0).then_some("bad"))}>
                    { format_number(props.total_errors as f64) }
                </span>
                <span class="stat-sub" title={causes.clone()}>
                    { if causes.is_empty() { "none".to_string() } else { causes } }
                </span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-avail"></i>{ "Availability" }</span>
                <span class={classes!("stat-value", avail_class)}>{ avail_text }</span>
                <span class="stat-sub">{ "last 1 s window" }</span>
            </div>
        </section>
    }
}
