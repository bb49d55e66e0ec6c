//! The reports of `run` and `analyze`, as text tables or JSON.
//!
//! Everything here is a pure function of the scenario and the simulation's
//! results: no clock, no paths beyond what the caller passes, so the same
//! file and seed give byte-identical output.

use crate::table::{int, num, opt, Table};
use scalelab_sim::metrics::ComponentSummary;
use scalelab_sim::{Analysis, Scenario, Summary, WindowSnapshot};
use serde::Serialize;

/// What `scalelab run --json` prints: the run's identity, then every
/// [`Summary`] field at the top level, then (with `--windows`) the windows.
#[derive(Debug, Serialize)]
pub struct RunJson<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// Seed the run used.
    pub seed: u64,
    /// FNV-1a digest of every window, 16 hex digits.
    pub digest: String,
    /// Engine events processed.
    pub events_processed: u64,
    /// The summary of the whole run.
    #[serde(flatten)]
    pub summary: &'a Summary,
    /// Per-window series (only with `--windows`; the core keeps the latest 3,600).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows: Option<Vec<&'a WindowSnapshot>>,
}

/// What `scalelab analyze --json` prints.
#[derive(Debug, Serialize)]
pub struct AnalyzeJson<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// The analytic twin's estimate (infinite figures print as `null`).
    #[serde(flatten)]
    pub analysis: &'a Analysis,
}

/// Pretty JSON of `value`, with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    // Serializing these plain structs cannot fail (string keys, no maps with other keys).
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// The component's kind name (`web_tier`, `cache`…), `-` if unknown.
fn kind_of<'a>(scenario: &'a Scenario, id: &str) -> &'a str {
    scenario.component(id).map_or("-", |c| c.spec.kind_name())
}

fn display_name(scenario: &Scenario) -> &str {
    if scenario.name.trim().is_empty() {
        "(unnamed)"
    } else {
        &scenario.name
    }
}

/// The text report of a finished run.
pub fn run_text(scenario: &Scenario, summary: &Summary, digest: u64, events: u64) -> String {
    let mut out = String::new();
    let mut head = Table::new(["scenario", display_name(scenario)]).left(1);
    head.row(["seed".to_string(), scenario.seed.to_string()]);
    head.row([
        "simulated".to_string(),
        format!("{} s", num(summary.duration_s, 3)),
    ]);
    head.row(["events".to_string(), int(events)]);
    head.row(["digest".to_string(), format!("{digest:016x}")]);
    out.push_str(&head.render());
    out.push('\n');

    let mut lat = Table::new(["latency (ms)", "p50", "p95", "p99", "max", "mean"]);
    lat.row([
        "successful requests".to_string(),
        num(summary.latency_ms_p50, 2),
        num(summary.latency_ms_p95, 2),
        num(summary.latency_ms_p99, 2),
        num(summary.latency_ms_max, 2),
        num(summary.latency_ms_mean, 2),
    ]);
    out.push_str(&lat.render());
    out.push('\n');

    let mut req = Table::new([
        "requests",
        "arrivals",
        "successes",
        "failures",
        "throughput rps",
        "availability",
        "lost writes",
        "stale reads",
    ]);
    req.row([
        "whole run".to_string(),
        int(summary.arrivals),
        int(summary.successes),
        int(summary.failures),
        num(summary.throughput_rps, 1),
        num(summary.availability, 6),
        int(summary.lost_writes),
        int(summary.stale_reads),
    ]);
    out.push_str(&req.render());
    out.push('\n');

    let mut errs = Table::new(["errors by cause", "count"]);
    let mut any = false;
    for (name, n) in summary.errors.iter() {
        if n > 0 {
            any = true;
            errs.row([name.to_string(), int(n)]);
        }
    }
    if any {
        out.push_str(&errs.render());
    } else {
        out.push_str("errors by cause: none\n");
    }
    out.push('\n');

    out.push_str(&components_text(scenario, &summary.components));
    out
}

fn components_text(scenario: &Scenario, comps: &[ComponentSummary]) -> String {
    let mut t = Table::new([
        "component",
        "kind",
        "utilization",
        "in system",
        "arrivals rps",
        "sojourn ms",
        "hit ratio",
        "repl lag ms",
        "backlog max",
    ])
    .left(1);
    let mut skipped = false;
    for c in comps {
        if matches!(kind_of(scenario, &c.id), "users" | "dns" | "load_balancer") {
            skipped = true;
            continue;
        }
        t.row([
            c.id.clone(),
            kind_of(scenario, &c.id).to_string(),
            num(c.utilization, 3),
            num(c.in_system_mean, 2),
            num(c.arrivals_rps, 1),
            num(c.sojourn_ms_mean, 2),
            opt(c.hit_ratio, 3),
            opt(c.replication_lag_ms, 1),
            c.backlog_max.map_or_else(|| "-".to_string(), int),
        ]);
    }
    let mut out = t.render();
    if skipped {
        out.push_str("(users, DNS and load balancers hold no queue and are left out; --json lists every component)\n");
    }
    out
}

/// The text report of the analytic twin.
pub fn analyze_text(scenario: &Scenario, a: &Analysis) -> String {
    let mut out = String::new();
    let mut head = Table::new(["scenario", display_name(scenario)]).left(1);
    head.row([
        "offered load".to_string(),
        format!("{} requests/s", num(a.offered_rps, 1)),
    ]);
    head.row([
        "bottleneck".to_string(),
        a.bottleneck
            .clone()
            .unwrap_or_else(|| "none (no station is loaded)".to_string()),
    ]);
    let max = match a.max_sustainable_rps {
        Some(m) if a.offered_rps > 0.0 => format!(
            "{} requests/s ({}x the offered load)",
            num(m, 1),
            num(m / a.offered_rps, 2)
        ),
        Some(m) => format!("{} requests/s", num(m, 1)),
        None => "-".to_string(),
    };
    head.row(["max sustainable".to_string(), max]);
    let saturated = a.stations.iter().any(|s| s.utilization >= 1.0);
    head.row([
        "mean latency".to_string(),
        if saturated {
            "unbounded (a station is saturated)".to_string()
        } else {
            format!("{} ms (network included)", num(a.latency_ms_mean, 2))
        },
    ]);
    out.push_str(&head.render());
    out.push('\n');

    let mut t = Table::new([
        "station",
        "instances",
        "cores",
        "arrivals rps",
        "capacity rps",
        "utilization",
        "wait ms",
        "sojourn ms",
        "",
    ])
    .left(8);
    for s in &a.stations {
        let sat = s.utilization >= 1.0;
        t.row([
            s.id.clone(),
            s.instances.to_string(),
            s.cores.to_string(),
            num(s.arrival_rps, 1),
            num(s.capacity_rps, 1),
            num(s.utilization, 3),
            if sat {
                "saturated".to_string()
            } else {
                num(s.wait_ms_mean, 3)
            },
            if sat {
                "saturated".to_string()
            } else {
                num(s.sojourn_ms_mean, 3)
            },
            if a.bottleneck.as_deref() == Some(s.id.as_str()) {
                "<- bottleneck"
            } else {
                ""
            }
            .to_string(),
        ]);
    }
    out.push_str(&t.render());
    if !a.hit_ratios.is_empty() {
        out.push('\n');
        let mut h = Table::new(["expected hit ratio (Che)", ""]);
        for (id, r) in &a.hit_ratios {
            h.row([id.clone(), num(*r, 3)]);
        }
        out.push_str(&h.render());
    }
    out
}
