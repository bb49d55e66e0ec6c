//! The readout: stat cards with the latest window's figures, also exposed as
//! `data-*` attributes on `#readout` for tests and embedding pages.

use yew::prelude::*;

use crate::i18n::Tr;
use crate::state::{format_latency, format_number, Point};

/// What [`readout`] shows.
pub struct ReadoutProps {
    /// Simulated time, s.
    pub sim_time_s: f64,
    /// The latest completed window.
    pub last: Option<Point>,
    /// Errors since reset.
    pub total_errors: u64,
    /// Successes since reset.
    pub total_successes: u64,
    /// Errors since reset, by cause.
    pub errors_by_cause: Vec<(&'static str, u64)>,
    /// Target p99 latency, ms (colors the latency cards).
    pub slo_p99_ms: Option<f64>,
    /// Target availability (0..1).
    pub slo_availability: Option<f64>,
    /// The design's monthly cost and cost per million requests, US dollars.
    pub cost: Option<(f64, Option<f64>)>,
}

/// `$1,234.56`.
pub(crate) fn usd(v: f64) -> String {
    let s = format!("{:.2}", v.abs());
    let (int, cents) = s.split_at(s.len() - 3);
    let mut out = String::from(if v < 0.0 { "-$" } else { "$" });
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out + cents
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

/// Stat cards for the latest window. A function rather than a component
/// (it has no state of its own): a component's machinery cost the wasm more
/// than it saved.
pub fn readout(tr: &Tr, props: &ReadoutProps) -> Html {
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
    let finished = props.total_successes + props.total_errors;
    let total_avail = (finished > 0).then(|| props.total_successes as f64 / finished as f64);
    let target = props.slo_availability.unwrap_or(0.999);
    let avail = p.map(|p| p.availability);
    let avail_text = avail.map_or("–".into(), |a| format!("{:.2}%", a * 100.0));
    let avail_class = match avail {
        Some(a) if a >= target => "good",
        Some(a) if a >= target - (1.0 - target) * 9.0 => "warn",
        Some(_) => "bad",
        None => "",
    };
    // Error budget: the share of allowed failures (1 − SLO) not yet used since reset.
    let budget = total_avail.map(|a| {
        let allowed = (1.0 - target).max(1e-9);
        ((allowed - (1.0 - a)) / allowed).max(-9.99)
    });
    let causes = props
        .errors_by_cause
        .iter()
        .map(|(c, n)| {
            format!(
                "{} {}",
                format_number(*n as f64),
                tr.t(&format!("cause.{c}"))
            )
        })
        .collect::<Vec<_>>()
        .join(", ");

    html! {
        <section id="readout" class="readout" aria-label={tr.t("readout.title")}
            data-sim-time-s={format!("{:.3}", props.sim_time_s)}
            data-latency-ms-p50={attr(|p| p.p50)}
            data-latency-ms-p95={attr(|p| p.p95)}
            data-latency-ms-p99={attr(|p| p.p99)}
            data-throughput-rps={attr(|p| p.throughput_rps)}
            data-offered-rps={attr(|p| p.offered_rps)}
            data-window-errors={attr(|p| p.errors as f64)}
            data-errors={props.total_errors.to_string()}
            data-availability={attr(|p| p.availability)}
            data-availability-total={total_avail.map(|a| a.to_string()).unwrap_or_default()}
            data-error-causes={props.errors_by_cause.iter().map(|(c, n)| format!("{c}:{n}")).collect::<Vec<_>>().join(",")}
            data-cost-usd-per-month={props.cost.map(|c| c.0.to_string()).unwrap_or_default()}
            data-cost-usd-per-million-requests={props.cost.and_then(|c| c.1).map(|v| v.to_string()).unwrap_or_default()}>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-p50"></i>{ tr.t("readout.p50") }</span>
                <span class={classes!("stat-value", p.map(|p| latency_class(p.p50, slo)))}>{ lat(|p| p.p50) }</span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-p95"></i>{ tr.t("readout.p95") }</span>
                <span class={classes!("stat-value", p.map(|p| latency_class(p.p95, slo)))}>{ lat(|p| p.p95) }</span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-p99"></i>{ tr.t("readout.p99") }</span>
                <span class={classes!("stat-value", p.map(|p| latency_class(p.p99, slo)))}>{ lat(|p| p.p99) }</span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-thr"></i>{ tr.t("readout.throughput") }</span>
                <span class="stat-value">
                    { p.map_or("–".into(), |p| format_number(p.throughput_rps)) }
                    <small>{ " rps" }</small>
                </span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-err"></i>{ tr.t("readout.errors") }</span>
                <span class={classes!("stat-value", (props.total_errors > 0).then_some("bad"))}>
                    { format_number(props.total_errors as f64) }
                </span>
                <span class="stat-sub" title={causes.clone()}>
                    { if causes.is_empty() { tr.t("readout.none") } else { causes } }
                </span>
            </div>
            <div class="stat">
                <span class="stat-label"><i class="swatch s-avail"></i>{ tr.t("readout.availability") }</span>
                <span class={classes!("stat-value", avail_class)}>{ avail_text }</span>
                <span class="stat-sub">
                    { match (total_avail, budget) {
                        (Some(a), Some(b)) => tr.f("readout.since_reset", &[&format!("{:.2}", a * 100.0), &format!("{:.0}", b * 100.0)]),
                        _ => tr.t("readout.window"),
                    } }
                </span>
            </div>
            <div class="stat" id="cost">
                <span class="stat-label">{ tr.t("readout.cost") }</span>
                <span class="stat-value" id="cost-month">{ props.cost.map_or("–".into(), |c| usd(c.0)) }</span>
                <span class="stat-sub" id="cost-per-million">
                    { props.cost.and_then(|c| c.1).map(|m| tr.f("readout.per_million", &[&usd(m)])).unwrap_or_default() }
                </span>
            </div>
        </section>
    }
}
