//! Live charts drawn with plotters on `<canvas>` elements: latency percentiles
//! (log scale) and throughput versus offered load with errors.
//! Redrawn only when a new window arrives, the theme changes or the size changes.

use std::collections::VecDeque;

use gloo::events::EventListener;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, MediaQueryList};
use yew::prelude::*;

use crate::state::{format_latency, format_number, Point, HISTORY_LEN};

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
        .map(|s| s.parse::<f64>().ok());
    Some(RGBColor(
        parts.next()??.round() as u8,
        parts.next()??.round() as u8,
        parts.next()??.round() as u8,
    ))
}

impl ChartColors {
    /// Read the `--chart-*` variables of the document root.
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

/// Visible time range: the last [`HISTORY_LEN`] seconds, at least 30 s wide.
fn x_range(points: &[Point]) -> (f64, f64) {
    let end = points.last().map_or(0.0, |p| p.t_s);
    let start = points
        .first()
        .map_or(0.0, |p| p.t_s - 1.0)
        .max(end - HISTORY_LEN as f64);
    (start, end.max(start + 30.0))
}

/// Compact latency label for the log axis: `0.5 ms`, `10 ms`, `1 s`.
fn axis_ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{} s", format_number(v / 1000.0))
    } else if v >= 1.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Draw the latency percentiles (log scale).
fn draw_latency(
    canvas: HtmlCanvasElement,
    points: &[Point],
    slo_ms: Option<f64>,
    c: &ChartColors,
) -> DrawResult {
    let dpr = fit_canvas(&canvas);
    let px = |v: f64| (v * dpr).round() as u32;
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("canvas unavailable")?;
    let root = backend.into_drawing_area();
    root.fill(&c.bg)?;
    let (x0, x1) = x_range(points);
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
    let y1 = (hi.max(slo_ms.unwrap_or(0.0)) * 1.6).max(y0 * 100.0);
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(10.0))
        .margin_right(px(16.0))
        .margin_left(px(4.0))
        .margin_bottom(px(2.0))
        .x_label_area_size(px(26.0))
        .y_label_area_size(px(58.0))
        .build_cartesian_2d(x0..x1, (y0..y1).log_scale())?;
    let label_font = (FONT, 11.0 * dpr).into_font().color(&c.text);
    chart
        .configure_mesh()
        .bold_line_style(c.grid.stroke_width(px(1.0)))
        .light_line_style(c.bg)
        .axis_style(c.axis.stroke_width(px(1.0)))
        .label_style(label_font)
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.0} s"))
        .y_label_formatter(&|v| axis_ms(*v))
        .draw()?;
    if let Some(slo) = slo_ms {
        chart.draw_series(DashedLineSeries::new(
            [(x0, slo), (x1, slo)],
            px(6.0),
            px(4.0),
            c.cap.stroke_width(px(1.5)),
        ))?;
    }
    let clamp = move |v: f64| if finite(v) { v.max(y0) } else { y0 };
    for (color, get, width) in [
        (c.p50, (|p: &Point| p.p50) as fn(&Point) -> f64, 2.0),
        (c.p95, |p: &Point| p.p95, 2.0),
        (c.p99, |p: &Point| p.p99, 2.5),
    ] {
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (p.t_s, clamp(get(p)))),
            color.stroke_width(px(width)),
        ))?;
    }
    if let Some(last) = points.last() {
        chart.draw_series(std::iter::once(Circle::new(
            (last.t_s, clamp(last.p99)),
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
    points: &[Point],
    capacity: Option<f64>,
    c: &ChartColors,
) -> DrawResult {
    let dpr = fit_canvas(&canvas);
    let px = |v: f64| (v * dpr).round() as u32;
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("canvas unavailable")?;
    let root = backend.into_drawing_area();
    root.fill(&c.bg)?;
    let (x0, x1) = x_range(points);
    let hi = points
        .iter()
        .flat_map(|p| [p.throughput_rps, p.offered_rps, p.errors as f64])
        .chain(capacity)
        .filter(|v| v.is_finite())
        .fold(10.0, f64::max);
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(10.0))
        .margin_right(px(16.0))
        .margin_left(px(4.0))
        .margin_bottom(px(2.0))
        .x_label_area_size(px(26.0))
        .y_label_area_size(px(58.0))
        .build_cartesian_2d(x0..x1, 0.0..hi * 1.15)?;
    chart
        .configure_mesh()
        .bold_line_style(c.grid.stroke_width(px(1.0)))
        .light_line_style(c.bg)
        .axis_style(c.axis.stroke_width(px(1.0)))
        .label_style((FONT, 11.0 * dpr).into_font().color(&c.text))
        .x_labels(7)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.0} s"))
        .y_label_formatter(&|v| format_number(*v))
        .draw()?;
    if let Some(cap) = capacity.filter(|v| v.is_finite()) {
        chart.draw_series(DashedLineSeries::new(
            [(x0, cap), (x1, cap)],
            px(6.0),
            px(4.0),
            c.cap.stroke_width(px(1.5)),
        ))?;
    }
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
    if points.iter().any(|p| p.errors > 0) {
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (p.t_s, p.errors as f64)),
            c.err.stroke_width(px(2.0)),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Properties of [`Charts`].
#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// The chart history, oldest first.
    pub history: VecDeque<Point>,
    /// Windows received since reset; a change means "redraw".
    pub windows_seen: u64,
    /// Reset counter; a change means "redraw".
    pub generation: u64,
    /// Analytic capacity, rps.
    pub capacity_rps: Option<f64>,
    /// Target p99 latency (the SLO line), ms.
    pub slo_p99_ms: Option<f64>,
}

/// The two live charts.
#[function_component(Charts)]
pub fn charts(props: &ChartsProps) -> Html {
    let latency_ref = use_node_ref();
    let throughput_ref = use_node_ref();
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
        let points: Vec<Point> = props.history.iter().copied().collect();
        let capacity = props.capacity_rps;
        let slo = props.slo_p99_ms;
        let deps = (
            props.windows_seen,
            props.generation,
            *redraw,
            capacity.map(f64::to_bits),
            slo.map(f64::to_bits),
        );
        use_effect_with(deps, move |_| {
            let colors = ChartColors::from_css();
            if let Some(canvas) = latency_ref.cast::<HtmlCanvasElement>() {
                if let Err(e) = draw_latency(canvas, &points, slo, &colors) {
                    gloo::console::warn!(format!("latency chart: {e}"));
                }
            }
            if let Some(canvas) = throughput_ref.cast::<HtmlCanvasElement>() {
                if let Err(e) = draw_throughput(canvas, &points, capacity, &colors) {
                    gloo::console::warn!(format!("throughput chart: {e}"));
                }
            }
        });
    }

    let empty = props.history.is_empty();
    html! {
        <div class="charts">
            <section class="chart card" aria-label="Latency chart">
                <div class="card-head">
                    <h2>{ "Latency" }</h2>
                    <ul class="legend" aria-label="Legend">
                        <li><i class="swatch s-p50"></i>{ "p50" }</li>
                        <li><i class="swatch s-p95"></i>{ "p95" }</li>
                        <li><i class="swatch s-p99"></i>{ "p99" }</li>
                        if let Some(slo) = props.slo_p99_ms {
                            <li><i class="swatch s-cap dashed"></i>{ format!("SLO p99 {}", format_latency(slo)) }</li>
                        }
                        <li class="legend-note">{ "log scale" }</li>
                    </ul>
                </div>
                <div class="chart-box">
                    <canvas id="latency-chart" ref={latency_ref} class="chart-canvas tall"
                        role="img" aria-label="Latency percentiles over simulated time" />
                    if empty { <div class="chart-empty">{ "Press Play to start the simulation" }</div> }
                </div>
            </section>
            <section class="chart card" aria-label="Throughput chart">
                <div class="card-head">
                    <h2>{ "Throughput & errors" }</h2>
                    <ul class="legend" aria-label="Legend">
                        <li><i class="swatch s-thr"></i>{ "served" }</li>
                        <li><i class="swatch s-offered dashed"></i>{ "offered" }</li>
                        <li><i class="swatch s-err"></i>{ "errors/s" }</li>
                        <li><i class="swatch s-cap dashed"></i>{ "capacity" }</li>
                    </ul>
                </div>
                <div class="chart-box">
                    <canvas id="throughput-chart" ref={throughput_ref} class="chart-canvas"
                        role="img" aria-label="Throughput, offered load and errors over simulated time" />
                    if empty { <div class="chart-empty">{ "Waiting for the first 1 s window" }</div> }
                </div>
            </section>
        </div>
    }
}
