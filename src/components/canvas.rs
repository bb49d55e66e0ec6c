//! The topology canvas (SVG): stage 1 is Users → one web server.
//! The server is colored by utilization and shows its cores and queue;
//! the edge animates while requests flow.

use yew::prelude::*;

use super::icons::{Icon, Kind};
use crate::state::{format_number, NodeFigures, WebInfo};

/// Properties of [`Topology`].
#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    /// Whether the clock runs (animates the edge).
    pub running: bool,
    /// Offered traffic, rps.
    pub traffic_rps: f64,
    /// Analytic capacity, rps.
    pub capacity_rps: Option<f64>,
    /// The web server's latest figures.
    pub web: Option<NodeFigures>,
    /// The web server's configuration.
    pub web_info: Option<WebInfo>,
    /// One-way network latency users → server, ms.
    #[prop_or_default]
    pub user_network_ms: Option<f64>,
    /// Errors in the latest window.
    pub window_errors: u64,
}

/// Mix two `#rrggbb`-like RGB triples.
fn mix(a: (f64, f64, f64), b: (f64, f64, f64), t: f64) -> (f64, f64, f64) {
    let t = t.clamp(0.0, 1.0);
    (
        a.0 + (b.0 - a.0) * t,
        a.1 + (b.1 - a.1) * t,
        a.2 + (b.2 - a.2) * t,
    )
}

/// Utilization color: green below 50 %, amber at 80 %, red from 95 %.
pub fn utilization_color(u: f64) -> String {
    const GREEN: (f64, f64, f64) = (34.0, 197.0, 94.0);
    const AMBER: (f64, f64, f64) = (245.0, 158.0, 11.0);
    const RED: (f64, f64, f64) = (239.0, 68.0, 68.0);
    let u = if u.is_finite() { u } else { 0.0 };
    let c = if u <= 0.5 {
        GREEN
    } else if u <= 0.8 {
        mix(GREEN, AMBER, (u - 0.5) / 0.3)
    } else {
        mix(AMBER, RED, (u - 0.8) / 0.15)
    };
    format!(
        "#{:02x}{:02x}{:02x}",
        c.0.round() as u8,
        c.1.round() as u8,
        c.2.round() as u8
    )
}

/// The canvas.
#[function_component(Topology)]
pub fn topology(props: &TopologyProps) -> Html {
    let util = props
        .web
        .as_ref()
        .map_or(0.0, |w| w.utilization.clamp(0.0, 1.0));
    let queue = props.web.as_ref().map_or(0, |w| w.queue_len);
    let in_flight = props.web.as_ref().map_or(0, |w| w.in_flight);
    let color = utilization_color(util);
    let info = props.web_info.clone().unwrap_or(WebInfo {
        id: "web".into(),
        label: "Web server".into(),
        instances: 1,
        cores: 4,
        service_ms: 10.0,
        queue_capacity: 200,
    });
    let total_cores = info.cores.saturating_mul(info.instances).clamp(1, 16);
    let busy_cores = ((util * f64::from(total_cores)).round() as u32).min(total_cores);
    let flowing = props.traffic_rps > 0.0;
    // Faster dashes for more traffic, between ~0.35 s and 2.4 s per cycle.
    let flow_secs = (0.35 + 40.0 / (props.traffic_rps + 18.0)).min(2.4);
    let edge_style = format!("animation-duration: {flow_secs:.2}s");
    let edge_class = classes!(
        "edge-flow",
        (!props.running || !flowing).then_some("paused"),
        (!flowing).then_some("idle")
    );
    let queue_bound = u64::from(info.queue_capacity.saturating_mul(info.instances)).max(1);
    let queue_frac = (queue as f64 / queue_bound as f64).clamp(0.0, 1.0);
    let overloaded = props.window_errors > 0;

    // Up to 16 core squares on one row, narrower when there are many.
    let pitch = (210.0 / f64::from(total_cores)).min(30.0);
    let core_w = (pitch - 6.0).max(6.0);
    let cores = (0..total_cores).map(|i| {
        let x = 454.0 + f64::from(i) * pitch;
        let busy = i < busy_cores;
        html! {
            <rect x={x.to_string()} y="112" width={core_w.to_string()} height="24" rx="5"
                class={classes!("core", busy.then_some("busy"))}
                style={if busy { format!("fill: {color}") } else { String::new() }} />
        }
    });

    html! {
        <section class="canvas card" aria-label="Topology">
            <div class="card-head">
                <h2>{ "Topology" }</h2>
                <span class="card-hint">
                    { format!("{} × {} cores · {:.0} ms mean service · queue up to {}",
                        info.instances, info.cores, info.service_ms, format_number(queue_bound as f64)) }
                </span>
            </div>
            <svg class="topology" viewBox="0 0 720 230" role="img"
                aria-label={format!("Users send {} requests per second to one web server at {:.0}% utilization", format_number(props.traffic_rps), util * 100.0)}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrow-head" />
                    </marker>
                </defs>
                // Edge users -> web
                <path d="M 214 115 L 420 115" class="edge-base" marker-end="url(#arrow)" />
                <path d="M 214 115 L 414 115" class={edge_class} style={edge_style} />
                <g class="edge-label">
                    <rect x="252" y="80" width="124" height="24" rx="12" />
                    <text x="314" y="96" text-anchor="middle">{ format!("{} rps", format_number(props.traffic_rps)) }</text>
                </g>
                if let Some(ms) = props.user_network_ms {
                    <text x="317" y="136" text-anchor="middle" class="edge-note">{ format!("internet · {ms:.0} ms each way") }</text>
                }
                if overloaded {
                    <g class="edge-error">
                        <path d="M 420 150 C 360 190, 280 190, 214 150" class="edge-reject" marker-end="url(#arrow)" />
                        <text x="317" y="200" text-anchor="middle">{ format!("503 queue full · {}/s", format_number(props.window_errors as f64)) }</text>
                    </g>
                }

                // Users node
                <g class="node node-users">
                    <rect x="44" y="65" width="170" height="100" rx="14" class="node-box" />
                    <rect x="60" y="80" width="34" height="34" rx="9" class="node-icon-bg" />
                    <Icon kind={Kind::Users} place={Some((67.0, 87.0, 20.0))} class="node-icon" />
                    <text x="102" y="95" class="node-title">{ "Users" }</text>
                    <text x="102" y="113" class="node-sub">{ "Poisson arrivals" }</text>
                    <text x="60" y="146" class="node-metric">{ format!("{} req/s", format_number(props.traffic_rps)) }</text>
                </g>

                // Web server node
                <g class="node node-web">
                    <rect x="420" y="30" width="260" height="170" rx="14" class="node-box util"
                        style={format!("stroke: {color}; --util-color: {color}")} />
                    <rect x="420" y="30" width="260" height="170" rx="14" class="node-tint" style={format!("fill: {color}")} />
                    <rect x="436" y="44" width="34" height="34" rx="9" class="node-icon-bg" />
                    <Icon kind={Kind::WebTier} place={Some((443.0, 51.0, 20.0))} class="node-icon" />
                    <text x="478" y="59" class="node-title">{ info.label.clone() }</text>
                    <text x="478" y="76" class="node-sub">
                        { format!("{} instance{} · {} cores", info.instances, if info.instances == 1 { "" } else { "s" }, info.cores) }
                    </text>
                    <text x="664" y="66" text-anchor="end" class="node-util" style={format!("fill: {color}")}>
                        { format!("{:.0}%", util * 100.0) }
                    </text>
                    <text x="454" y="104" class="node-caption">{ "Cores · " }<tspan class="strong">{ format!("{busy_cores}/{total_cores} busy") }</tspan></text>
                    { for cores }
                    <text x="454" y="160" class="node-caption">
                        { "Queue · " }<tspan class="strong">{ format!("{}/{}", format_number(queue as f64), format_number(queue_bound as f64)) }</tspan>
                    </text>
                    <text x="664" y="160" text-anchor="end" class="node-caption">
                        { format!("{} in flight", format_number(in_flight as f64)) }
                    </text>
                    <rect x="454" y="168" width="210" height="8" rx="4" class="queue-track" />
                    <rect x="454" y="168" width={format!("{:.1}", 210.0 * queue_frac)} height="8" rx="4"
                        class="queue-fill" style={format!("fill: {color}")} />
                </g>
            </svg>
        </section>
    }
}
