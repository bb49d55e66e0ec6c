//! Text exports of a run, written in the worker so the page only downloads
//! them: the metrics of every window as CSV, and a one-page printable HTML
//! report (the design's picture, key figures, the design review).

use std::collections::BTreeMap;

use scalelab_sim::review::Finding;
use scalelab_sim::{Scenario, Summary, WindowSnapshot};

/// The CSV's first line: one column per figure, units in the names.
pub const CSV_HEADER: &str = "window,start_s,end_s,arrivals,successes,failures,availability,\
throughput_rps,latency_ms_p50,latency_ms_p95,latency_ms_p99,latency_ms_max,latency_ms_mean,\
lost_writes,stale_reads,errors_queue_full,errors_timeout,errors_instance_down,\
errors_no_healthy_backend,errors_session_lost,errors_session_store_down,errors_no_primary,\
errors_dc_down";

/// One window as a CSV line (no line break). Numbers only, so nothing needs quoting.
pub fn csv_row(w: &WindowSnapshot) -> String {
    let e = &w.errors;
    format!(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
        w.index,
        w.start_s,
        w.end_s,
        w.arrivals,
        w.successes,
        w.failures,
        w.availability,
        w.throughput_rps,
        w.latency_ms_p50,
        w.latency_ms_p95,
        w.latency_ms_p99,
        w.latency_ms_max,
        w.latency_ms_mean,
        w.lost_writes,
        w.stale_reads,
        e.queue_full,
        e.timeout,
        e.instance_down,
        e.no_healthy_backend,
        e.session_lost,
        e.session_store_down,
        e.no_primary,
        e.dc_down,
    )
}

/// The header and one line per row, each ending in a line break.
pub fn csv<'a>(rows: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for r in rows {
        out.push_str(r);
        out.push('\n');
    }
    out
}

/// Text made safe to place in HTML (element content or a quoted attribute).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the report shows.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The design.
    pub scenario: &'a Scenario,
    /// The canvas as SVG markup (the page's own drawing, serialised by the browser).
    pub design_svg: &'a str,
    /// The run so far.
    pub summary: &'a Summary,
    /// Monthly cost (US dollars) and cost per million requests, if known.
    pub cost: Option<(f64, Option<f64>)>,
    /// The analytic twin's capacity (requests/s) and bottleneck, if known.
    pub capacity: Option<(f64, Option<&'a str>)>,
    /// The design review.
    pub findings: &'a [Finding],
    /// The page's stylesheets, so the design's picture looks as it does on the
    /// page (sent by the page: the worker does not carry a copy).
    pub css: &'a str,
    /// The language of the page (`en`, `ko`), for `<html lang>`.
    pub lang: &'a str,
    /// The page's texts for the report's labels and the review's sentences,
    /// by i18n key (`report.*`, `review.*`); English where a key is missing.
    pub strings: &'a BTreeMap<String, String>,
}

/// The report's labels in English, by i18n key: what a key the page did not
/// send falls back to (a test holds them equal to `static/i18n/en.json`).
pub const ENGLISH: [(&str, &str); 23] = [
    ("report.title", "ScaleLab report"),
    ("report.untitled", "ScaleLab design"),
    ("report.design", "Design"),
    ("report.figures", "Key figures"),
    ("report.simulated_time", "Simulated time"),
    ("report.requests", "Requests"),
    ("report.availability", "Availability"),
    ("report.throughput", "Throughput"),
    ("report.p50", "p50 latency"),
    ("report.p95", "p95 latency"),
    ("report.p99", "p99 latency"),
    ("report.errors", "Errors"),
    ("report.lost_writes", "Lost writes"),
    ("report.stale_reads", "Stale reads"),
    ("report.monthly_cost", "Monthly cost"),
    ("report.cost_per_million", "Cost per million requests"),
    ("report.capacity", "Analytic capacity"),
    ("report.bottleneck", "bottleneck: {0}"),
    ("report.slo", "SLO"),
    ("report.slo_value", "{0} % availability, p99 ≤ {1} ms"),
    ("review.title", "Design review"),
    (
        "review.none",
        "No findings: no single point of failure, hot tier or risky setting.",
    ),
    ("review.fix", "Fix"),
];

impl Report<'_> {
    /// The page's text of `key`, or its English.
    fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .map(String::as_str)
            .or_else(|| ENGLISH.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
            .unwrap_or(key)
            .to_string()
    }

    /// [`Report::t`] with `{0}`, `{1}`… replaced by `args`.
    fn f(&self, key: &str, args: &[&str]) -> String {
        scalelab_sim::review::fill(&self.t(key), args)
    }
}

/// `css` safe inside a `<style>` element: a `</style` in it (any case) cannot
/// close the element early.
fn style_text(css: &str) -> String {
    let lower = css.to_ascii_lowercase();
    let mut out = String::with_capacity(css.len());
    let mut from = 0;
    while let Some(i) = lower[from..].find("</style").map(|i| from + i) {
        out.push_str(&css[from..i]);
        out.push_str("<\\/style");
        from = i + "</style".len();
    }
    out.push_str(&css[from..]);
    out
}

/// Only the SVG element of `svg` (anything before or after it is dropped;
/// `<script` anywhere means no picture).
fn svg_only(svg: &str) -> &str {
    let lower = svg.to_ascii_lowercase();
    let (Some(start), Some(end)) = (lower.find("<svg"), lower.rfind("</svg>")) else {
        return "";
    };
    if lower.contains("<script") || end < start {
        return "";
    }
    &svg[start..end + "</svg>".len()]
}

/// The report as a standalone HTML page, in the page's language; printable on one page.
pub fn report_html(r: &Report) -> String {
    let s = r.summary;
    let title = if r.scenario.name.trim().is_empty() {
        r.t("report.untitled")
    } else {
        r.scenario.name.clone()
    };
    let mut figures: Vec<(String, String)> = vec![
        (
            r.t("report.simulated_time"),
            format!("{:.0} s", s.duration_s),
        ),
        (r.t("report.requests"), s.arrivals.to_string()),
        (
            r.t("report.availability"),
            format!("{:.3} %", s.availability * 100.0),
        ),
        (
            r.t("report.throughput"),
            format!("{:.1} rps", s.throughput_rps),
        ),
        (r.t("report.p50"), format!("{:.1} ms", s.latency_ms_p50)),
        (r.t("report.p95"), format!("{:.1} ms", s.latency_ms_p95)),
        (r.t("report.p99"), format!("{:.1} ms", s.latency_ms_p99)),
        (r.t("report.errors"), s.failures.to_string()),
        (r.t("report.lost_writes"), s.lost_writes.to_string()),
        (r.t("report.stale_reads"), s.stale_reads.to_string()),
    ];
    if let Some((month, per_m)) = r.cost {
        figures.push((r.t("report.monthly_cost"), format!("${month:.0}")));
        if let Some(m) = per_m {
            figures.push((r.t("report.cost_per_million"), format!("${m:.2}")));
        }
    }
    if let Some((cap, bottleneck)) = r.capacity {
        let b = bottleneck
            .map(|b| format!(" ({})", r.f("report.bottleneck", &[b])))
            .unwrap_or_default();
        figures.push((r.t("report.capacity"), format!("{cap:.0} rps{b}")));
    }
    let slo = &r.scenario.slo;
    figures.push((
        r.t("report.slo"),
        r.f(
            "report.slo_value",
            &[
                &format!("{:.2}", slo.availability * 100.0),
                &format!("{:.0}", slo.latency_ms_p99),
            ],
        ),
    ));
    let mut out = String::with_capacity(r.css.len() + r.design_svg.len() + 4096);
    let lang = if r.lang.chars().all(|c| c.is_ascii_alphabetic()) && !r.lang.is_empty() {
        r.lang
    } else {
        "en"
    };
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\n<title>"
    ));
    out.push_str(&escape_html(&title));
    out.push_str(&format!(
        " · {}</title>\n<style>\n",
        escape_html(&r.t("report.title"))
    ));
    out.push_str(&style_text(r.css));
    out.push_str(
        "\nhtml,body{height:auto;overflow:visible;background:#fff;color:#111}\
         body.report{max-width:900px;margin:24px auto;font:14px/1.45 system-ui,sans-serif}\
         .report h1{font-size:22px;margin:0 0 4px}.report h2{font-size:16px;margin:18px 0 6px}\
         .report .picture svg{width:100%;height:auto;max-height:420px;border:1px solid #ccd;border-radius:8px}\
         .report table{border-collapse:collapse}.report td{padding:2px 14px 2px 0}\
         .report td.v{font-variant-numeric:tabular-nums;font-weight:600}\
         .report li{margin:4px 0}.report .fix{color:#456}\
         @media print{body.report{margin:0}}\n</style></head>\n<body class=\"report\">\n<h1>",
    );
    out.push_str(&escape_html(&title));
    out.push_str("</h1>\n<p>");
    out.push_str(&escape_html(&r.scenario.description));
    out.push_str(&format!(
        "</p>\n<h2>{}</h2>\n<div class=\"picture\">",
        escape_html(&r.t("report.design"))
    ));
    out.push_str(svg_only(r.design_svg));
    out.push_str(&format!(
        "</div>\n<h2>{}</h2>\n<table id=\"figures\">\n",
        escape_html(&r.t("report.figures"))
    ));
    for (k, v) in &figures {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"v\">{}</td></tr>\n",
            escape_html(k),
            escape_html(v)
        ));
    }
    let text = |key: &str| r.strings.get(key).map(String::as_str);
    out.push_str(&format!(
        "</table>\n<h2>{}</h2>\n",
        escape_html(&r.t("review.title"))
    ));
    if r.findings.is_empty() {
        out.push_str(&format!(
            "<p id=\"findings\">{}</p>\n",
            escape_html(&r.t("review.none"))
        ));
    } else {
        out.push_str("<ul id=\"findings\">\n");
        for f in r.findings {
            out.push_str(&format!(
                "<li data-kind=\"{}\">{} <span class=\"fix\">{}: {}</span></li>\n",
                f.kind.slug(),
                escape_html(&f.reason.render(text(&f.reason.key))),
                escape_html(&r.t("review.fix")),
                escape_html(&f.fix.text.render(text(&f.fix.text.key)))
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    out
}
