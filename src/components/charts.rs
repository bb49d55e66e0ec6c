//! Live charts drawn with plotters on `<canvas>` elements: latency percentiles
//! (log scale) with the analytic twin's mean dashed, throughput versus offered
//! load and capacity, and errors by cause with availability against the SLO.
//! Fault and action events are vertical markers. Redrawn only when a new
//! window arrives, the theme changes or the size changes.

use gloo::events::EventListener;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, MediaQueryList};
use yew::prelude::*;

use crate::i18n::Tr;
use crate::state::{format_latency, format_number, History, Marker, Point, HISTORY_LEN};

/// Font stack used on the canvases (matches the page's CSS).
const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";

/// Chart colors, read from CSS custom properties so light and dark themes apply.
#[derive(Debug, Clone, Copy)]
struct ChartColors {
    bg: RGBColor,
    grid: RGBColor,
    axis: RGBColor,
    text: RGBColor,
    p50: RGBColor,
    p95: RGBColor,
    p99: RGBColor,
    thr: RGBColor,
    offered: RGBColor,
    err: RGBColor,
    cap: RGBColor,
    avail: RGBColor,
    marker: RGBColor,
}

/// Parse `#rgb`, `#rrggbb` or `rgb(r, g, b)`.
fn parse_color(text: &str) -> Option<RGBColor> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix('#') {
        let hex: String = if hex.len() == 3 {
            hex.chars().flat_map(|c| [c, c]).collect()
        } else {
            hex.to_string()
        };
        if hex.len() != 6 {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        return Some(RGBColor(byte(0)?, byte(2)?, byte(4)?));
    }
    let inner = t
        .strip_prefix("rgb(")
        .or_else(|| t.strip_prefix("rgba("))?
        .trim_end_matches(')');
    let mut parts = inner
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(crate::state::parse_f64);
    Some(RGBColor(
        parts.next()??.round() as u8,
        parts.next()??.round() as u8,
        parts.next()??.round() as u8,
    ))
}

impl ChartColors {
    /// Read the `--chart-*` variables of the document root.
    #[inline(never)]
    fn from_css() -> ChartColors {
        let fallback = ChartColors {
            bg: RGBColor(255, 255, 255),
            grid: RGBColor(236, 238, 242),
            axis: RGBColor(200, 204, 212),
            text: RGBColor(100, 108, 122),
            p50: RGBColor(59, 130, 246),
            p95: RGBColor(168, 85, 247),
            p99: RGBColor(244, 63, 94),
            thr: RGBColor(16, 185, 129),
            offered: RGBColor(148, 163, 184),
            err: RGBColor(239, 68, 68),
            cap: RGBColor(245, 158, 11),
            avail: RGBColor(22, 163, 74),
            marker: RGBColor(99, 102, 241),
        };
        let window = gloo::utils::window();
        let Some(root) = gloo::utils::document().document_element() else {
            return fallback;
        };
        let Ok(Some(style)) = window.get_computed_style(&root) else {
            return fallback;
        };
        let read = |name: &str, dflt: RGBColor| {
            style
                .get_property_value(name)
                .ok()
                .and_then(|v| parse_color(&v))
                .unwrap_or(dflt)
        };
        ChartColors {
            bg: read("--chart-bg", fallback.bg),
            grid: read("--chart-grid", fallback.grid),
            axis: read("--chart-axis", fallback.axis),
            text: read("--chart-text", fallback.text),
            p50: read("--c-p50", fallback.p50),
            p95: read("--c-p95", fallback.p95),
            p99: read("--c-p99", fallback.p99),
            thr: read("--c-thr", fallback.thr),
            offered: read("--c-offered", fallback.offered),
            err: read("--c-err", fallback.err),
            cap: read("--c-cap", fallback.cap),
            avail: read("--good", fallback.avail),
            marker: read("--accent-2", fallback.marker),
        }
    }
}

/// Size the canvas' backing store to its CSS box × device pixel ratio; returns the ratio.
fn fit_canvas(canvas: &HtmlCanvasElement) -> f64 {
    let dpr = gloo::utils::window().device_pixel_ratio().clamp(1.0, 3.0);
    let w = (f64::from(canvas.client_width().max(200)) * dpr).round() as u32;
    let h = (f64::from(canvas.client_height().max(100)) * dpr).round() as u32;
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    dpr
}

/// The whole canvas, sized to its box at the device pixel ratio and cleared
/// to the background; and that ratio.
fn canvas_area(
    canvas: HtmlCanvasElement,
    c: &ChartColors,
) -> Result<(DrawingArea<CanvasBackend, plotters::coord::Shift>, f64), Box<dyn std::error::Error>> {
    let dpr = fit_canvas(&canvas);
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("canvas unavailable")?;
    let root = backend.into_drawing_area();
    root.fill(&c.bg)?;
    Ok((root, dpr))
}

/// Visible time range: the last [`HISTORY_LEN`] seconds, at least `span_s`
/// (the scenario's duration) and 30 s wide. The fault track uses it too, so
/// its markers line up with the charts.
pub(crate) fn x_range(points: &[Point], span_s: f64) -> (f64, f64) {
    let end = points.last().map_or(0.0, |p| p.t_s);
    let start = points
        .first()
        .map_or(0.0, |p| p.t_s - 1.0)
        .max(end - HISTORY_LEN as f64);
    (start, end.max(start + span_s.max(30.0)))
}

/// Compact latency label for the log axis: `0.5 ms`, `10 ms`, `1 s`.
fn axis_ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{} s", format_number((v / 100.0).round() / 10.0))
    } else if v >= 1.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

type Linear =
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>;

/// A chart with time on x and a linear y, its mesh and labels drawn.
#[allow(clippy::type_complexity)]
fn linear_chart<'a>(
    root: &'a DrawingArea<CanvasBackend, plotters::coord::Shift>,
    dpr: f64,
    x: (f64, f64),
    y: (f64, f64),
    y_labels: usize,
    y_fmt: &dyn Fn(&f64) -> String,
    c: &ChartColors,
) -> Result<ChartContext<'a, CanvasBackend, Linear>, Box<dyn std::error::Error>> {
    xy_chart(
        root,
        dpr,
        x,
        y,
        y_labels,
        &|v| format!("{v:.0} s"),
        y_fmt,
        c,
    )
}

/// A chart with linear x and y, its mesh and labels drawn (one function for
/// every chart, so plotters' generic code is compiled once).
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
fn xy_chart<'a>(
    root: &'a DrawingArea<CanvasBackend, plotters::coord::Shift>,
    dpr: f64,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    y_labels: usize,
    x_fmt: &dyn Fn(&f64) -> String,
    y_fmt: &dyn Fn(&f64) -> String,
    c: &ChartColors,
) -> Result<ChartContext<'a, CanvasBackend, Linear>, Box<dyn std::error::Error>> {
    let px = |v: f64| (v * dpr).round() as u32;
    let mut chart = ChartBuilder::on(root)
        .margin_top(px(10.0))
        .margin_right(px(16.0))
        .margin_left(px(4.0))
        .margin_bottom(px(2.0))
        .x_label_area_size(px(26.0))
        .y_label_area_size(px(58.0))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .bold_line_style(c.grid.stroke_width(px(1.0)))
        .light_line_style(c.bg)
        .axis_style(c.axis.stroke_width(px(1.0)))
        // `FontFamily::Name` directly: `(&str, size).into_font()` would match the
        // family with `to_lowercase`, pulling Unicode case tables into the wasm.
        .label_style(
            FontDesc::new(FontFamily::Name(FONT), 11.0 * dpr, FontStyle::Normal).color(&c.text),
        )
        .x_labels(7)
        .y_labels(y_labels)
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .draw()?;
    Ok(chart)
}

/// The time axis the charts share (and the fault track) and its event markers.
struct Axis<'a> {
    /// Visible time range, seconds ([`x_range`]).
    x: (f64, f64),
    /// Fault and action markers.
    markers: &'a [Marker],
}

/// Reads one figure of a chart point.
type Getter = fn(&Point) -> f64;

/// Design B's series (compare mode): dashed, in the color of A's.
fn draw_b<'a>(
    chart: &mut ChartContext<'a, CanvasBackend, Linear>,
    points_b: &[Point],
    series: &[(RGBColor, Getter)],
    dpr: f64,
) -> DrawResult {
    let px = |v: f64| (v * dpr).round() as u32;
    for (color, get) in series {
        chart.draw_series(DashedLineSeries::new(
            points_b.iter().map(|p| (p.t_s, get(p))),
            px(5.0),
            px(3.0),
            color.stroke_width(px(2.0)),
        ))?;
    }
    Ok(())
}

/// Draw the latency percentiles (log scale).
fn draw_latency(
    canvas: HtmlCanvasElement,
    points: &[Point],
    points_b: &[Point],
    slo_ms: Option<f64>,
    predicted_ms: Option<f64>,
    axis: &Axis,
    c: &ChartColors,
) -> DrawResult {
    let (root, dpr) = canvas_area(canvas, c)?;
    let px = |v: f64| (v * dpr).round() as u32;
    let (x0, x1) = axis.x;
    let finite = |v: f64| v.is_finite() && v > 0.0;
    let lo = points
        .iter()
        .map(|p| p.p50)
        .filter(|v| finite(*v))
        .fold(f64::INFINITY, f64::min);
    let hi = points
        .iter()
        .map(|p| p.p99)
        .filter(|v| finite(*v))
        .fold(0.0, f64::max);
    let y0 = if lo.is_finite() {
        10f64.powf((lo * 0.8).log10().floor()).max(0.1)
    } else {
        1.0
    };
    let slo_ms = slo_ms.filter(|v| finite(*v));
    let predicted_ms = predicted_ms.filter(|v| finite(*v));
    let y1 = (hi
        .max(slo_ms.unwrap_or(0.0))
        .max(predicted_ms.unwrap_or(0.0))
        * 1.6)
        .max(y0 * 100.0);
    // Plotted as log10(ms) on a linear axis: the same coordinate type as the
    // other charts, so plotters' drawing code is compiled once.
    let (l0, l1) = (y0.log10(), y1.log10());
    let lg = move |v: f64| if finite(v) { v.max(y0).log10() } else { l0 };
    let mut chart = linear_chart(
        &root,
        dpr,
        (x0, x1),
        (l0, l1),
        ((l1 - l0).round() as usize + 1).clamp(3, 7),
        &|v| axis_ms(10f64.powf(*v)),
        c,
    )?;
    for (v, color, dash) in [(slo_ms, c.cap, 6.0), (predicted_ms, c.p50, 3.0)] {
        if let Some(v) = v {
            chart.draw_series(DashedLineSeries::new(
                [(x0, lg(v)), (x1, lg(v))],
                px(dash),
                px(dash * 0.7),
                color.stroke_width(px(1.5)),
            ))?;
        }
    }
    draw_markers(&mut chart, axis.markers, (x0, x1), (l0, l1), c, dpr)?;
    for (color, get, width) in [
        (c.p50, (|p: &Point| p.p50) as fn(&Point) -> f64, 2.0),
        (c.p95, |p: &Point| p.p95, 2.0),
        (c.p99, |p: &Point| p.p99, 2.5),
    ] {
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (p.t_s, lg(get(p)))),
            color.stroke_width(px(width)),
        ))?;
    }
    let b: Vec<Point> = points_b
        .iter()
        .map(|p| Point {
            p50: lg(p.p50),
            p99: lg(p.p99),
            ..*p
        })
        .collect();
    draw_b(
        &mut chart,
        &b,
        &[(c.p50, |p| p.p50), (c.p99, |p| p.p99)],
        dpr,
    )?;
    if let Some(last) = points.last() {
        chart.draw_series(std::iter::once(Circle::new(
            (last.t_s, lg(last.p99)),
            px(3.5),
            c.p99.filled(),
        )))?;
    }
    root.present()?;
    Ok(())
}

/// Draw served throughput, offered load, capacity and errors per second.
fn draw_throughput(
    canvas: HtmlCanvasElement,
    history: &History,
    points: &[Point],
    points_b: &[Point],
    capacity: Option<f64>,
    axis: &Axis,
    c: &ChartColors,
) -> DrawResult {
    let (root, dpr) = canvas_area(canvas, c)?;
    let px = |v: f64| (v * dpr).round() as u32;
    let (x0, x1) = axis.x;
    let hi = points
        .iter()
        .flat_map(|p| [p.throughput_rps, p.offered_rps, p.errors as f64])
        .chain(capacity)
        .filter(|v| v.is_finite())
        .fold(10.0, f64::max);
    let mut chart = linear_chart(
        &root,
        dpr,
        (x0, x1),
        (0.0, hi * 1.15),
        5,
        &|v| format_number(*v),
        c,
    )?;
    if let Some(cap) = capacity.filter(|v| v.is_finite()) {
        chart.draw_series(DashedLineSeries::new(
            [(x0, cap), (x1, cap)],
            px(6.0),
            px(4.0),
            c.cap.stroke_width(px(1.5)),
        ))?;
    }
    draw_markers(&mut chart, axis.markers, (x0, x1), (0.0, hi * 1.15), c, dpr)?;
    chart.draw_series(AreaSeries::new(
        points.iter().map(|p| (p.t_s, p.throughput_rps)),
        0.0,
        c.thr.mix(0.12),
    ))?;
    chart.draw_series(DashedLineSeries::new(
        points.iter().map(|p| (p.t_s, p.offered_rps)),
        px(4.0),
        px(3.0),
        c.offered.stroke_width(px(1.5)),
    ))?;
    chart.draw_series(LineSeries::new(
        points.iter().map(|p| (p.t_s, p.throughput_rps)),
        c.thr.stroke_width(px(2.0)),
    ))?;
    draw_b(&mut chart, points_b, &[(c.thr, |p| p.throughput_rps)], dpr)?;
    let secs = |w: &scalelab_sim::WindowSnapshot| (w.end_s - w.start_s).max(1e-9);
    for cause in scalelab_sim::ErrorCause::ALL {
        if !history.windows.iter().any(|w| w.errors.get(cause) > 0) {
            continue;
        }
        chart.draw_series(LineSeries::new(
            history
                .windows
                .iter()
                .map(|w| (w.end_s, w.errors.get(cause) as f64 / secs(w))),
            cause_color(cause.name()).stroke_width(px(2.0)),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Vertical dashed lines at each marker's time inside the visible range.
fn draw_markers<DB: DrawingBackend, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    markers: &[Marker],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    c: &ChartColors,
    dpr: f64,
) -> DrawResult
where
    Y: Ranged<ValueType = f64>,
    DB::ErrorType: 'static,
{
    let px = |v: f64| (v * dpr).round() as u32;
    for m in markers.iter().filter(|m| m.t_s >= x0 && m.t_s <= x1) {
        let color = if m.fault { c.err } else { c.marker };
        chart.draw_series(DashedLineSeries::new(
            [(m.t_s, y0), (m.t_s, y1)],
            px(3.0),
            px(3.0),
            color.mix(0.8).stroke_width(px(1.5)),
        ))?;
    }
    Ok(())
}

/// Colors of error causes, in `ErrorCause::ALL` order.
const CAUSE_COLORS: [RGBColor; 8] = [
    RGBColor(239, 68, 68),
    RGBColor(245, 158, 11),
    RGBColor(236, 72, 153),
    RGBColor(168, 85, 247),
    RGBColor(14, 165, 233),
    RGBColor(20, 184, 166),
    RGBColor(132, 204, 22),
    RGBColor(100, 116, 139),
];

/// Color of a cause by name.
pub fn cause_color(name: &str) -> RGBColor {
    scalelab_sim::ErrorCause::ALL
        .iter()
        .position(|c| c.name() == name)
        .map_or(CAUSE_COLORS[7], |i| CAUSE_COLORS[i])
}

/// Availability per window against the SLO.
fn draw_availability(
    canvas: HtmlCanvasElement,
    points: &[Point],
    points_b: &[Point],
    slo: f64,
    axis: &Axis,
    c: &ChartColors,
) -> DrawResult {
    let (root, dpr) = canvas_area(canvas, c)?;
    let px = |v: f64| (v * dpr).round() as u32;
    let (x0, x1) = axis.x;
    let lo = points
        .iter()
        .map(|p| p.availability)
        .fold(slo.min(0.99), f64::min)
        .max(0.0);
    let lo = points_b
        .iter()
        .map(|p| p.availability)
        .fold(lo, f64::min)
        .max(0.0);
    let a0 = ((lo * 100.0 - 1.0).floor() / 100.0).max(0.0);
    let mut chart = linear_chart(
        &root,
        dpr,
        (x0, x1),
        (a0, 1.005),
        5,
        &|v| format!("{:.1}%", v * 100.0),
        c,
    )?;
    draw_markers(&mut chart, axis.markers, (x0, x1), (a0, 1.005), c, dpr)?;
    chart.draw_series(DashedLineSeries::new(
        [(x0, slo), (x1, slo)],
        px(6.0),
        px(4.0),
        c.cap.stroke_width(px(1.5)),
    ))?;
    chart.draw_series(AreaSeries::new(
        points.iter().map(|p| (p.t_s, p.availability.max(a0))),
        a0,
        c.avail.mix(0.10),
    ))?;
    chart.draw_series(LineSeries::new(
        points.iter().map(|p| (p.t_s, p.availability.max(a0))),
        c.avail.stroke_width(px(2.0)),
    ))?;
    draw_b(&mut chart, points_b, &[(c.avail, |p| p.availability)], dpr)?;
    root.present()?;
    Ok(())
}

/// Consistency per window: reads a replica served before it had the user's
/// own latest write (stale reads, a line) and acknowledged writes lost when a
/// primary failed (bars at the window they were lost in).
fn draw_consistency(
    canvas: HtmlCanvasElement,
    history: &History,
    axis: &Axis,
    c: &ChartColors,
) -> DrawResult {
    let (root, dpr) = canvas_area(canvas, c)?;
    let px = |v: f64| (v * dpr).round() as u32;
    let rows: Vec<(f64, f64, f64, f64)> = history
        .windows
        .iter()
        .map(|w| {
            (
                w.start_s,
                w.end_s,
                w.stale_reads as f64,
                w.lost_writes as f64,
            )
        })
        .collect();
    let (x0, x1) = axis.x;
    let top = rows.iter().map(|r| r.2.max(r.3)).fold(4.0, f64::max) * 1.15;
    let mut chart = linear_chart(
        &root,
        dpr,
        (x0, x1),
        (0.0, top),
        4,
        &|v| format_number(*v),
        c,
    )?;
    draw_markers(&mut chart, axis.markers, (x0, x1), (0.0, top), c, dpr)?;
    chart.draw_series(
        rows.iter()
            .filter(|r| r.3 > 0.0)
            .map(|r| Rectangle::new([(r.0, 0.0), (r.1, r.3)], c.err.mix(0.55).filled())),
    )?;
    chart.draw_series(LineSeries::new(
        rows.iter().map(|r| (r.1, r.2)),
        c.p95.stroke_width(px(2.0)),
    ))?;
    root.present()?;
    Ok(())
}

/// One half of the sweep chart: its area, y range, y labels, line colour and
/// which figure of a point it plots.
type SweepPanel<'a> = (
    &'a DrawingArea<CanvasBackend, plotters::coord::Shift>,
    (f64, f64),
    &'a dyn Fn(&f64) -> String,
    RGBColor,
    fn(&(f64, f64, f64)) -> f64,
);

/// The capacity sweep (src/components/sweep.rs): p99 latency (top) and
/// availability (bottom) against the offered load, `points` as (offered
/// rps, p99 ms, availability); the knee and the analytic maximum (`marks`)
/// as vertical dashed lines.
pub(crate) fn draw_sweep(
    canvas: HtmlCanvasElement,
    points: &[(f64, f64, f64)],
    (knee_rps, max_rps): (Option<f64>, Option<f64>),
) -> DrawResult {
    let c = ChartColors::from_css();
    let (root, dpr) = canvas_area(canvas, &c)?;
    let px = |v: f64| (v * dpr).round() as u32;
    let (_, h) = root.dim_in_pixel();
    let (top, bottom) = root.split_vertically(h / 2);
    let x1 = points
        .iter()
        .map(|p| p.0)
        .chain(max_rps)
        .fold(1.0, f64::max)
        * 1.04;
    let rate = |v: &f64| format!("{}/s", format_number(*v));
    let lines = [(knee_rps, c.marker), (max_rps, c.cap)];
    let p99_top = points.iter().map(|p| p.1).fold(10.0, f64::max) * 1.1;
    let a0 =
        ((points.iter().map(|p| p.2).fold(0.99, f64::min) * 100.0 - 1.0).floor() / 100.0).max(0.0);
    let ms = |v: &f64| axis_ms(*v);
    let percent = |v: &f64| format!("{:.0}%", v * 100.0);
    // Top: p99 from 0; bottom: availability from just under its lowest point.
    let panels: [SweepPanel; 2] = [
        (&top, (0.0, p99_top), &ms, c.p99, |p| p.1),
        (&bottom, (a0, 1.005), &percent, c.avail, |p| p.2),
    ];
    for (area, (y0, y1), y_fmt, color, y_of) in panels {
        let mut chart = xy_chart(area, dpr, (0.0, x1), (y0, y1), 4, &rate, y_fmt, &c)?;
        for (x, mark) in lines {
            if let Some(x) = x {
                chart.draw_series(DashedLineSeries::new(
                    [(x, y0), (x, y1)],
                    px(5.0),
                    px(3.0),
                    mark.stroke_width(px(1.5)),
                ))?;
            }
        }
        chart.draw_series(
            LineSeries::new(
                points.iter().map(|p| (p.0, y_of(p))),
                color.stroke_width(px(2.0)),
            )
            .point_size(px(3.0)),
        )?;
    }
    root.present()?;
    Ok(())
}

/// What [`charts`] shows.
pub struct ChartsProps {
    /// The window history.
    pub history: History,
    /// Analytic capacity, rps.
    pub capacity_rps: Option<f64>,
    /// Analytic mean latency, ms.
    pub predicted_latency_ms: Option<f64>,
    /// Target p99 latency (the SLO line), ms.
    pub slo_p99_ms: Option<f64>,
    /// Target availability.
    pub slo_availability: f64,
    /// Event markers.
    pub markers: Vec<Marker>,
    /// Design B's windows (compare mode), drawn dashed.
    pub history_b: Option<History>,
    /// Show the consistency chart (the design has a replicated database).
    pub consistency: bool,
    /// The scenario's duration: the time axis is at least this wide, s.
    pub span_s: f64,
}

/// The charts' canvases: latency, throughput, errors, consistency.
pub type ChartRefs = [NodeRef; 4];

/// The charts' hooks, in the app (the charts are a function, not a
/// component: a component's machinery cost the wasm more than it saved):
/// their canvases, and the effects that redraw them when a window arrives,
/// the color scheme or the window's size changes.
#[hook]
pub fn use_charts(props: &ChartsProps) -> ChartRefs {
    let latency_ref = use_node_ref();
    let throughput_ref = use_node_ref();
    let errors_ref = use_node_ref();
    let consistency_ref = use_node_ref();
    // Bumped when the color scheme or the window size changes.
    let redraw = use_state(|| 0u32);

    {
        let redraw = redraw.clone();
        use_effect_with((), move |_| {
            let bump = {
                let redraw = redraw.clone();
                move || redraw.set((*redraw).wrapping_add(1))
            };
            let window = gloo::utils::window();
            let resize = {
                let bump = bump.clone();
                EventListener::new(&window, "resize", move |_| bump())
            };
            let scheme = window
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
                .map(|mql: MediaQueryList| {
                    EventListener::new(mql.unchecked_ref(), "change", move |_| bump())
                });
            move || drop((resize, scheme))
        });
    }

    {
        let latency_ref = latency_ref.clone();
        let throughput_ref = throughput_ref.clone();
        let errors_ref = errors_ref.clone();
        let consistency_ref = consistency_ref.clone();
        let history = props.history.clone();
        let capacity = props.capacity_rps;
        let predicted = props.predicted_latency_ms;
        let slo = props.slo_p99_ms;
        let slo_a = props.slo_availability;
        let markers = props.markers.clone();
        let history_b = props.history_b.clone();
        let span_s = props.span_s;
        let deps = (
            span_s.to_bits(),
            props.history_b.clone(),
            props.history.clone(),
            *redraw,
            capacity.map(f64::to_bits),
            predicted.map(f64::to_bits),
            slo.map(f64::to_bits),
            props.markers.len(),
            props.consistency,
        );
        use_effect_with(deps, move |_| {
            let colors = ChartColors::from_css();
            let points = history.points();
            let points_b = history_b.as_ref().map(History::points).unwrap_or_default();
            let axis = Axis {
                x: x_range(&points, span_s),
                markers: &markers,
            };
            if let Some(canvas) = latency_ref.cast::<HtmlCanvasElement>() {
                if let Err(e) =
                    draw_latency(canvas, &points, &points_b, slo, predicted, &axis, &colors)
                {
                    gloo::console::warn!(format!("latency chart: {e}"));
                }
            }
            if let Some(canvas) = throughput_ref.cast::<HtmlCanvasElement>() {
                if let Err(e) = draw_throughput(
                    canvas, &history, &points, &points_b, capacity, &axis, &colors,
                ) {
                    gloo::console::warn!(format!("throughput chart: {e}"));
                }
            }
            if let Some(canvas) = errors_ref.cast::<HtmlCanvasElement>() {
                if let Err(e) = draw_availability(canvas, &points, &points_b, slo_a, &axis, &colors)
                {
                    gloo::console::warn!(format!("availability chart: {e}"));
                }
            }
            if let Some(canvas) = consistency_ref.cast::<HtmlCanvasElement>() {
                if let Err(e) = draw_consistency(canvas, &history, &axis, &colors) {
                    gloo::console::warn!(format!("consistency chart: {e}"));
                }
            }
        });
    }

    [latency_ref, throughput_ref, errors_ref, consistency_ref]
}

/// The live charts, drawn on the canvases of [`use_charts`].
pub fn charts(tr: &Tr, props: &ChartsProps, refs: &ChartRefs) -> Html {
    let [latency_ref, throughput_ref, errors_ref, consistency_ref] = refs.clone();
    let empty = props.history.windows.is_empty();
    let causes: Vec<&'static str> = scalelab_sim::ErrorCause::ALL
        .iter()
        .filter(|c| props.history.windows.iter().any(|w| w.errors.get(**c) > 0))
        .map(|c| c.name())
        .collect();
    html! {
        <div class="charts">
            <section class="chart card" aria-label={tr.t("chart.latency")}>
                <div class="card-head">
                    <h2>{ tr.t("chart.latency") }</h2>
                    <ul class="legend">
                        <li><i class="swatch s-p50"></i>{ "p50" }</li>
                        <li><i class="swatch s-p95"></i>{ "p95" }</li>
                        <li><i class="swatch s-p99"></i>{ "p99" }</li>
                        if props.predicted_latency_ms.is_some() {
                            <li><i class="swatch s-pred dashed"></i>{ tr.t("chart.predicted_mean") }</li>
                        }
                        if let Some(slo) = props.slo_p99_ms {
                            <li><i class="swatch s-cap dashed"></i>{ tr.f("chart.slo_p99", &[&format_latency(slo)]) }</li>
                        }
                        <li class="legend-note">{ tr.t("chart.log") }</li>
                    </ul>
                </div>
                <div class="chart-box">
                    <canvas id="latency-chart" ref={latency_ref} class="chart-canvas tall"
                        role="img" aria-label={tr.t("chart.latency")} />
                    if empty { <div class="chart-empty">{ tr.t("chart.press_play") }</div> }
                </div>
            </section>
            <section class="chart card" aria-label={tr.t("chart.throughput")}>
                <div class="card-head">
                    <h2>{ tr.t("chart.throughput") }</h2>
                    <ul class="legend">
                        <li><i class="swatch s-thr"></i>{ tr.t("chart.served") }</li>
                        <li><i class="swatch s-offered dashed"></i>{ tr.t("chart.offered") }</li>
                        <li><i class="swatch s-cap dashed"></i>{ tr.t("chart.capacity") }</li>
                        { for causes.iter().map(|c| {
                            let RGBColor(r, g, b) = cause_color(c);
                            html! { <li><i class="swatch" style={format!("background: rgb({r},{g},{b})")}></i>{ tr.f("chart.errors_of", &[&tr.t(&format!("cause.{c}"))]) }</li> }
                        }) }
                    </ul>
                </div>
                <div class="chart-box">
                    <canvas id="throughput-chart" ref={throughput_ref} class="chart-canvas"
                        role="img" aria-label={tr.t("chart.throughput")} />
                    if empty { <div class="chart-empty">{ tr.t("chart.waiting") }</div> }
                </div>
            </section>
            <section class="chart card wide" aria-label={tr.t("chart.errors")}>
                <div class="card-head">
                    <h2>{ tr.t("chart.errors") }</h2>
                    <ul class="legend">
                        <li><i class="swatch s-avail"></i>{ tr.t("chart.availability") }</li>
                        <li><i class="swatch s-cap dashed"></i>{ tr.f("chart.slo_avail", &[&format!("{:.2}%", props.slo_availability * 100.0)]) }</li>
                        if !props.markers.is_empty() {
                            <li><i class="swatch s-marker dashed"></i>{ tr.t("chart.events") }</li>
                        }
                    </ul>
                </div>
                <div class="chart-box">
                    <canvas id="errors-chart" ref={errors_ref} class="chart-canvas"
                        role="img" aria-label={tr.t("chart.errors")} />
                    if empty { <div class="chart-empty">{ tr.t("chart.waiting") }</div> }
                </div>
                if !props.markers.is_empty() {
                    <ol class="events" id="events">
                        { for props.markers.iter().rev().take(6).map(|m| html! {
                            <li class={classes!(m.fault.then_some("fault"))}>
                                <span class="event-t">{ format!("{:.1} s", m.t_s) }</span>{ m.text.clone() }
                            </li>
                        }) }
                    </ol>
                }
            </section>
            if props.consistency {
                <section class="chart card wide" id="consistency" aria-label={tr.t("chart.consistency")}
                    data-stale-reads={props.history.windows.iter().map(|w| w.stale_reads).sum::<u64>().to_string()}
                    data-lost-writes={props.history.windows.iter().map(|w| w.lost_writes).sum::<u64>().to_string()}>
                    <div class="card-head">
                        <h2>{ tr.t("chart.consistency") }</h2>
                        <ul class="legend">
                            <li><i class="swatch s-p95"></i>{ tr.t("chart.stale_reads") }</li>
                            <li><i class="swatch s-lost"></i>{ tr.t("chart.lost_writes") }</li>
                        </ul>
                    </div>
                    <div class="chart-box">
                        <canvas id="consistency-chart" ref={consistency_ref} class="chart-canvas short"
                            role="img" aria-label={tr.t("chart.consistency")} />
                        if empty { <div class="chart-empty">{ tr.t("chart.waiting") }</div> }
                    </div>
                </section>
            }
        </div>
    }
}
