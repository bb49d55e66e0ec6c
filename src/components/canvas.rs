//! The topology editor (SVG): renders any scenario from its components and
//! edges, and edits it with pointer events (mouse, pen, touch): move (snap to
//! the grid), select (click, shift-click, shift-drag band), connect (drag from
//! a node's output port onto another node), pan (drag the background), zoom
//! (wheel, buttons, keyboard). Every finished gesture is one reducer action.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::{ComponentWindow, Scenario, WindowSnapshot};
use wasm_bindgen::JsCast;
use web_sys::{Element, SvgElement};
use yew::prelude::*;

use super::icons::{icon, Kind};
use crate::i18n::{use_tr, Tr};
use crate::model::{self, dc_frame, kind_of, pos_of, snap, DC_HEAD, NODE_H, NODE_W};
use crate::state::{format_compact, format_number, Action, Edit, View};

/// Properties of [`Topology`].
#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    /// The design.
    pub doc: Rc<Scenario>,
    /// The latest window.
    pub last: Option<Rc<WindowSnapshot>>,
    /// Selected component ids.
    pub selection: Vec<String>,
    /// Selected edge.
    pub selected_edge: Option<(String, String)>,
    /// Pan/zoom.
    pub view: View,
    /// Failed (component, instance) pairs.
    pub failed: Vec<(String, Option<u32>)>,
    /// Whether the clock runs (animates the edges).
    pub running: bool,
    /// Bumped when the view should fit the design.
    pub fit_rev: u64,
    /// Reducer dispatch.
    pub dispatch: Callback<Action>,
}

/// Mix two RGB triples.
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

/// A gesture in progress.
#[derive(Debug, Clone, PartialEq)]
enum Drag {
    Idle,
    Move {
        origins: Vec<(String, (f64, f64))>,
        start: (f64, f64),
        delta: (f64, f64),
        moved: bool,
        click: Option<String>,
    },
    Connect {
        from: String,
        start: (f64, f64),
        end: (f64, f64),
    },
    Pan {
        start_client: (f64, f64),
        start_pan: (f64, f64),
        moved: bool,
    },
    Band {
        start: (f64, f64),
        end: (f64, f64),
        add: bool,
    },
    /// Two touch points: zoom by their distance around their midpoint.
    Pinch {
        start_dist: f64,
        start_view: View,
    },
}

/// Distance and midpoint of the first two active pointers.
fn pinch_of(points: &[(i32, f64, f64)]) -> Option<(f64, (f64, f64))> {
    let (a, b) = (points.first()?, points.get(1)?);
    let d = ((a.1 - b.1).powi(2) + (a.2 - b.2).powi(2)).sqrt();
    Some((d.max(1.0), ((a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0)))
}

/// Whether a kind sends requests to others (has an output port).
fn has_output(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::SessionStore | Kind::Database | Kind::ShardedDb | Kind::DataCenter | Kind::Autoscaler
    )
}

/// Whether a kind receives requests (has an input port).
fn has_input(kind: Kind) -> bool {
    !matches!(kind, Kind::Users | Kind::DataCenter | Kind::Autoscaler)
}

/// A one-line summary of a component's configuration.
pub fn summary(tr: &Tr, spec: &ComponentSpec) -> String {
    use ComponentSpec as C;
    let size = |s: scalelab_sim::sizes::InstanceSize| {
        let sp = s.spec();
        tr.f("node.cores", &[&sp.cores.to_string()])
    };
    match spec {
        C::Users(u) => format!(
            "{} × {}/s = {} rps",
            format_compact(u.users as f64),
            format_number(u.requests_per_user_per_s),
            format_compact(u.offered_rps())
        ),
        C::Dns(d) => format!("TTL {} s", format_number(d.ttl_s)),
        C::Cdn(c) => tr.f(
            "node.objects",
            &[&format_compact(c.capacity_objects as f64)],
        ),
        C::LoadBalancer(l) => tr.t(match l.algorithm {
            scalelab_sim::scenario::Algorithm::RoundRobin => "alg.round_robin",
            scalelab_sim::scenario::Algorithm::LeastConnections => "alg.least_connections",
            scalelab_sim::scenario::Algorithm::Random => "alg.random",
            scalelab_sim::scenario::Algorithm::PowerOfTwo => "alg.power_of_two",
        }),
        C::WebTier(w) => format!("{} × {}", w.instances, size(w.size)),
        C::SessionStore(s) => format!("{} × {}", s.instances, size(s.size)),
        C::Cache(c) => tr.f(
            "node.cache",
            &[
                &c.nodes.to_string(),
                &format_compact(c.capacity_keys as f64),
            ],
        ),
        C::Database(d) => tr.f("node.replicas", &[&d.replicas.to_string()]),
        C::ShardedDatabase(d) => tr.f("node.shards", &[&d.shards.to_string()]),
        C::MessageQueue(q) => tr.f("node.capacity", &[&format_compact(f64::from(q.capacity))]),
        C::Workers(w) => format!("{} × {}", w.instances, size(w.size)),
        C::DataCenter(d) => d.region.clone(),
        C::Autoscaler(a) => format!("→ {} · {}–{}", a.target, a.min, a.max),
    }
}

/// Instances a node shows as pips: (count, label of instance 0).
fn pip_count(spec: &ComponentSpec, w: Option<&ComponentWindow>) -> u32 {
    use ComponentSpec as C;
    match spec {
        C::WebTier(_) | C::Workers(_) | C::SessionStore(_) | C::Cache(_) => {
            w.map(|w| w.instances).unwrap_or(match spec {
                C::WebTier(x) => x.instances,
                C::Workers(x) => x.instances,
                C::SessionStore(x) => x.instances,
                C::Cache(x) => x.nodes,
                _ => 1,
            })
        }
        C::Database(d) => w.map_or(1 + d.replicas, |w| w.instances),
        C::ShardedDatabase(d) => w.map_or(d.shards, |w| w.instances),
        _ => 0,
    }
}

fn closest_attr(target: Option<web_sys::EventTarget>, attr: &str) -> Option<String> {
    let el: Element = target?.dyn_into().ok()?;
    let hit = el.closest(&format!("[{attr}]")).ok()??;
    hit.get_attribute(attr)
}

/// Milliseconds between two steps of the edges' dashes: 20 a second. At the
/// fastest flow (28 px in 0.25 s) a step moves 5.6 px, under half the dash
/// pattern's 14 px, so the dashes never seem to run backwards.
const FLOW_TICK_MS: u32 = 50;

/// Moves each flowing edge's dashes to where its period (`data-period-ms`:
/// 28 px, two dash patterns, per period) puts them now.
///
/// A timer, not a CSS animation: a dash offset cannot be animated off the
/// main thread, and Chromium repainted the canvas on every frame (60 a
/// second) for a `steps()` animation, which took a fifth of a core beside
/// the simulating worker (docs/benchmarks.md, session 13).
fn step_flows(svg_ref: &NodeRef) {
    let Some(svg) = svg_ref.cast::<Element>() else {
        return;
    };
    let Ok(paths) = svg.query_selector_all(".edge-flow:not(.idle)") else {
        return;
    };
    let now_ms = gloo::utils::window().performance().map_or(0.0, |p| p.now()) as u64;
    for i in 0..paths.length() {
        let Some(path) = paths.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let period_ms = path
            .get_attribute("data-period-ms")
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(1_000)
            .max(1);
        let offset_px = now_ms * 28 / period_ms % 28;
        let _ = path.set_attribute("stroke-dashoffset", &format!("-{offset_px}"));
    }
}

/// The canvas.
#[function_component(Topology)]
pub fn topology(props: &TopologyProps) -> Html {
    let tr = use_tr();
    let svg_ref = use_node_ref();
    let drag = use_state(|| Drag::Idle);
    // Active pointers (id, client x, client y), for pinch zoom.
    let pointers = use_mut_ref(Vec::<(i32, f64, f64)>::new);
    let doc = props.doc.clone();

    // Canvas coordinates of a client point.
    let to_canvas = {
        let svg_ref = svg_ref.clone();
        let view = props.view;
        move |cx: f64, cy: f64| -> (f64, f64) {
            let (left, top) = svg_ref
                .cast::<Element>()
                .map(|e| {
                    let r = e.get_bounding_client_rect();
                    (r.left(), r.top())
                })
                .unwrap_or((0.0, 0.0));
            (
                (cx - left - view.pan.0) / view.zoom,
                (cy - top - view.pan.1) / view.zoom,
            )
        }
    };

    // Fit the design into the canvas when asked (preset loaded, first render).
    {
        let svg_ref = svg_ref.clone();
        let doc = doc.clone();
        let dispatch = props.dispatch.clone();
        use_effect_with(props.fit_rev, move |_| {
            if let Some(v) = fit_view(&svg_ref, &doc) {
                dispatch.emit(Action::SetView(v));
            }
        });
    }

    // The flowing edges' dashes move by a timer (`step_flows`) while the
    // clock runs, never when the learner asks for reduced motion.
    {
        let svg_ref = svg_ref.clone();
        use_effect_with(props.running, move |&running| {
            let reduce = gloo::utils::window()
                .match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
                .is_some_and(|m| m.matches());
            let timer = (running && !reduce).then(|| {
                gloo::timers::callback::Interval::new(FLOW_TICK_MS, move || step_flows(&svg_ref))
            });
            move || drop(timer)
        });
    }

    // Wheel zoom around the pointer (a non-passive listener, so the page does not scroll).
    {
        let svg_ref = svg_ref.clone();
        let dispatch = props.dispatch.clone();
        let view = props.view;
        use_effect_with(view, move |view| {
            let view = *view;
            let listener = svg_ref.cast::<Element>().map(|el| {
                let target = el.clone();
                EventListener::new_with_options(
                    &el,
                    "wheel",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::WheelEvent>() else {
                            return;
                        };
                        e.prevent_default();
                        let r = target.get_bounding_client_rect();
                        let (mx, my) = (
                            f64::from(e.client_x()) - r.left(),
                            f64::from(e.client_y()) - r.top(),
                        );
                        if e.ctrl_key() || e.delta_mode() != 0 || e.delta_y().abs() >= 1.0 {
                            let factor = (-e.delta_y() * 0.0015).exp().clamp(0.5, 2.0);
                            dispatch.emit(Action::SetView(zoom_at(view, factor, (mx, my))));
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }

    let onpointerdown = {
        let drag = drag.clone();
        let doc = doc.clone();
        let selection = props.selection.clone();
        let dispatch = props.dispatch.clone();
        let to_canvas = to_canvas.clone();
        let view = props.view;
        let svg_ref = svg_ref.clone();
        let pointers = pointers.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            {
                let mut ps = pointers.borrow_mut();
                ps.retain(|p| p.0 != e.pointer_id());
                ps.push((
                    e.pointer_id(),
                    f64::from(e.client_x()),
                    f64::from(e.client_y()),
                ));
                if let Some((d, _)) = pinch_of(&ps).filter(|_| ps.len() == 2) {
                    if let Some(el) = svg_ref.cast::<Element>() {
                        let _ = el.set_pointer_capture(e.pointer_id());
                    }
                    drag.set(Drag::Pinch {
                        start_dist: d,
                        start_view: view,
                    });
                    return;
                }
            }
            if let Some(el) = svg_ref.cast::<Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            if let Some(el) = svg_ref.cast::<SvgElement>() {
                let _ = el.focus();
            }
            let (cx, cy) = (f64::from(e.client_x()), f64::from(e.client_y()));
            let p = to_canvas(cx, cy);
            if let Some(from) = closest_attr(e.target(), "data-port-out") {
                drag.set(Drag::Connect {
                    from,
                    start: p,
                    end: p,
                });
                return;
            }
            if let Some(edge) = closest_attr(e.target(), "data-edge") {
                if let Some((f, t)) = edge.split_once('→') {
                    dispatch.emit(Action::SelectEdge(Some((f.to_string(), t.to_string()))));
                }
                drag.set(Drag::Idle);
                return;
            }
            if let Some(id) = closest_attr(e.target(), "data-node") {
                if e.shift_key() {
                    let mut sel = selection.clone();
                    if let Some(i) = sel.iter().position(|x| *x == id) {
                        sel.remove(i);
                    } else {
                        sel.push(id);
                    }
                    dispatch.emit(Action::Select(sel));
                    drag.set(Drag::Idle);
                    return;
                }
                let (ids, click) = if selection.contains(&id) {
                    (selection.clone(), Some(id.clone()))
                } else {
                    dispatch.emit(Action::Select(vec![id.clone()]));
                    (vec![id.clone()], None)
                };
                // Moving a data center moves its members too.
                let mut moving: Vec<String> = ids.clone();
                for c in &doc.components {
                    if c.dc.as_ref().is_some_and(|d| ids.contains(d)) && !moving.contains(&c.id) {
                        moving.push(c.id.clone());
                    }
                }
                let origins = moving
                    .iter()
                    .filter_map(|id| {
                        let i = doc.components.iter().position(|c| &c.id == id)?;
                        let p = match doc.components[i].spec {
                            ComponentSpec::DataCenter(_) => {
                                let (x, y, _, _) = dc_frame(&doc, i);
                                (x, y)
                            }
                            _ => pos_of(&doc, i),
                        };
                        Some((id.clone(), p))
                    })
                    .collect();
                drag.set(Drag::Move {
                    origins,
                    start: p,
                    delta: (0.0, 0.0),
                    moved: false,
                    click,
                });
                return;
            }
            if e.shift_key() {
                drag.set(Drag::Band {
                    start: p,
                    end: p,
                    add: true,
                });
            } else {
                drag.set(Drag::Pan {
                    start_client: (cx, cy),
                    start_pan: view.pan,
                    moved: false,
                });
            }
        })
    };

    let onpointermove = {
        let drag = drag.clone();
        let dispatch = props.dispatch.clone();
        let to_canvas = to_canvas.clone();
        let view = props.view;
        let pointers = pointers.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: PointerEvent| {
            let (cx, cy) = (f64::from(e.client_x()), f64::from(e.client_y()));
            for ptr in pointers.borrow_mut().iter_mut() {
                if ptr.0 == e.pointer_id() {
                    *ptr = (ptr.0, cx, cy);
                }
            }
            let p = to_canvas(cx, cy);
            match (*drag).clone() {
                Drag::Idle => {}
                Drag::Pinch {
                    start_dist,
                    start_view,
                } => {
                    if let Some((d, mid)) = pinch_of(&pointers.borrow()) {
                        let (left, top) = svg_ref.cast::<Element>().map_or((0.0, 0.0), |el| {
                            let r = el.get_bounding_client_rect();
                            (r.left(), r.top())
                        });
                        let at = (mid.0 - left, mid.1 - top);
                        let k = (start_view.zoom * d / start_dist).clamp(0.25, 3.0) / view.zoom;
                        dispatch.emit(Action::SetView(zoom_at(view, k, at)));
                    }
                }
                Drag::Move {
                    origins,
                    start,
                    moved,
                    click,
                    ..
                } => {
                    let delta = (p.0 - start.0, p.1 - start.1);
                    let moved = moved || delta.0.abs() + delta.1.abs() > 3.0;
                    drag.set(Drag::Move {
                        origins,
                        start,
                        delta,
                        moved,
                        click,
                    });
                }
                Drag::Connect { from, start, .. } => drag.set(Drag::Connect {
                    from,
                    start,
                    end: p,
                }),
                Drag::Pan {
                    start_client,
                    start_pan,
                    ..
                } => {
                    let pan = (
                        start_pan.0 + cx - start_client.0,
                        start_pan.1 + cy - start_client.1,
                    );
                    dispatch.emit(Action::SetView(View {
                        zoom: view.zoom,
                        pan,
                    }));
                    drag.set(Drag::Pan {
                        start_client,
                        start_pan,
                        moved: true,
                    });
                }
                Drag::Band { start, add, .. } => drag.set(Drag::Band { start, end: p, add }),
            }
        })
    };

    let onpointerup = {
        let drag = drag.clone();
        let doc = doc.clone();
        let dispatch = props.dispatch.clone();
        let selection = props.selection.clone();
        let pointers = pointers.clone();
        Callback::from(move |e: PointerEvent| {
            pointers.borrow_mut().retain(|p| p.0 != e.pointer_id());
            let state = (*drag).clone();
            drag.set(Drag::Idle);
            match state {
                Drag::Idle | Drag::Pinch { .. } => {}
                Drag::Move {
                    origins,
                    delta,
                    moved,
                    click,
                    ..
                } => {
                    if moved {
                        let moves: Vec<_> = origins
                            .into_iter()
                            .map(|(id, (x, y))| (id, (snap(x + delta.0), snap(y + delta.1))))
                            .collect();
                        dispatch.emit(Action::Edit(Edit::Move(moves)));
                    } else if let Some(id) = click {
                        dispatch.emit(Action::Select(vec![id]));
                    }
                }
                Drag::Connect { from, .. } => {
                    let target = gloo::utils::document()
                        .element_from_point(e.client_x() as f32, e.client_y() as f32)
                        .and_then(|el| el.closest("[data-node]").ok().flatten())
                        .and_then(|el| el.get_attribute("data-node"));
                    if let Some(to) = target {
                        if to != from {
                            dispatch.emit(Action::Edit(Edit::Connect { from, to }));
                        }
                    }
                }
                Drag::Pan { moved, .. } => {
                    if !moved {
                        dispatch.emit(Action::Select(Vec::new()));
                    }
                }
                Drag::Band { start, end, add } => {
                    let (x0, x1) = (start.0.min(end.0), start.0.max(end.0));
                    let (y0, y1) = (start.1.min(end.1), start.1.max(end.1));
                    let mut sel = if add { selection.clone() } else { Vec::new() };
                    for (i, c) in doc.components.iter().enumerate() {
                        if matches!(c.spec, ComponentSpec::DataCenter(_)) {
                            continue;
                        }
                        let (x, y) = pos_of(&doc, i);
                        let hit = x < x1 && x + NODE_W > x0 && y < y1 && y + NODE_H > y0;
                        if hit && !sel.contains(&c.id) {
                            sel.push(c.id.clone());
                        }
                    }
                    dispatch.emit(Action::Select(sel));
                }
            }
        })
    };

    let drag_now = (*drag).clone();
    let offset_of = |id: &str| -> (f64, f64) {
        match &drag_now {
            Drag::Move { origins, delta, .. } if origins.iter().any(|(o, _)| o == id) => *delta,
            _ => (0.0, 0.0),
        }
    };

    let last = props.last.clone();
    let window_of = move |id: &str| -> Option<ComponentWindow> {
        last.as_ref()
            .and_then(|w| w.components.iter().find(|c| c.id == id).cloned())
    };
    let is_failed = |id: &str, dc: Option<&String>| {
        props
            .failed
            .iter()
            .any(|(c, i)| i.is_none() && (c == id || dc.is_some_and(|d| d == c)))
    };
    let failed_instances = |id: &str| -> Vec<u32> {
        props
            .failed
            .iter()
            .filter(|(c, _)| c == id)
            .filter_map(|(_, i)| *i)
            .collect()
    };

    // Positions (with the drag offset) of every component.
    let positions: Vec<(f64, f64)> = (0..doc.components.len())
        .map(|i| {
            let (x, y) = pos_of(&doc, i);
            let (dx, dy) = offset_of(&doc.components[i].id);
            (x + dx, y + dy)
        })
        .collect();
    let index_of = |id: &str| doc.components.iter().position(|c| c.id == id);

    // Data-center frames.
    let frames = doc.components.iter().enumerate().filter(|(_, c)| matches!(c.spec, ComponentSpec::DataCenter(_))).map(|(i, c)| {
        let (mut x, mut y, w, h) = {
            // Frame around the members' (dragged) positions.
            let mut shifted = (*doc).clone();
            for (k, p) in positions.iter().enumerate() {
                shifted.components[k].pos = Some(*p);
            }
            dc_frame(&shifted, i)
        };
        let has_members = doc.components.iter().any(|m| m.dc.as_deref() == Some(&c.id));
        if !has_members {
            let (dx, dy) = offset_of(&c.id);
            let (ox, oy) = pos_of(&doc, i);
            x = ox + dx;
            y = oy + dy;
        }
        let region = match &c.spec { ComponentSpec::DataCenter(d) => d.region.clone(), _ => String::new() };
        let down = is_failed(&c.id, None);
        let selected = props.selection.contains(&c.id);
        let label = if c.label.is_empty() { c.id.clone() } else { c.label.clone() };
        html! {
            <g class={classes!("dc-frame", selected.then_some("selected"), down.then_some("down"))}
                data-node={c.id.clone()} data-testid={format!("node-{}", c.id)} data-kind="data_center"
                transform={format!("translate({x:.1},{y:.1})")}>
                <rect class="dc-box" width={format!("{w:.1}")} height={format!("{h:.1}")} rx="14" />
                <rect class="dc-head" width={format!("{w:.1}")} height={DC_HEAD.to_string()} rx="14" />
                { icon(Kind::DataCenter, "icon dc-icon", Some((10.0, 6.0, 16.0))) }
                <text x="32" y="19" class="dc-title">{ label }</text>
                <text x={format!("{:.1}", w - 10.0)} y="19" text-anchor="end" class="dc-region">
                    { if down { tr.t("node.down") } else { region } }
                </text>
                if !has_members {
                    <text x={format!("{:.1}", w / 2.0)} y={format!("{:.1}", h / 2.0 + 14.0)} text-anchor="middle" class="dc-hint">{ tr.t("canvas.dc_hint") }</text>
                }
            </g>
        }
    });

    // Edges.
    let indegree = |to: &str| doc.edges.iter().filter(|e| e.to == to).count().max(1) as f64;
    let edges = doc.edges.iter().filter_map(|e| {
        let (fi, ti) = (index_of(&e.from)?, index_of(&e.to)?);
        let (fx, fy) = positions[fi];
        let (tx, ty) = positions[ti];
        let (x1, y1) = (fx + NODE_W, fy + NODE_H / 2.0);
        let (x2, y2) = (tx, ty + NODE_H / 2.0);
        let dx = ((x2 - x1).abs() * 0.5).max(40.0);
        let d = format!("M {x1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {x2:.1} {y2:.1}", x1 + dx, x2 - dx);
        let rate = window_of(&e.to).map_or(0.0, |w| w.arrivals_rps / indegree(&e.to));
        let flowing = rate > 0.0;
        let secs = (0.25 + 30.0 / (rate + 15.0)).min(2.5);
        let width = (1.5 + rate.max(1.0).log10() * 0.6).min(4.5);
        let key = format!("{}→{}", e.from, e.to);
        let selected = props.selected_edge.as_ref().is_some_and(|(f, t)| *f == e.from && *t == e.to);
        let (mx, my) = (0.125 * x1 + 0.375 * (x1 + dx) + 0.375 * (x2 - dx) + 0.125 * x2, (y1 + y2) / 2.0);
        Some(html! {
            <g class={classes!("edge", selected.then_some("selected"))} data-edge={key.clone()} data-testid={format!("edge-{key}")}
                data-rate={format!("{rate:.1}")}>
                <path d={d.clone()} class="edge-hit" />
                <path d={d.clone()} class="edge-base" marker-end="url(#arrow)" />
                <path d={d} class={classes!("edge-flow", (!flowing).then_some("idle"))}
                    data-period-ms={format!("{:.0}", secs * 1000.0)} style={format!("stroke-width: {width:.1}")} />
                if flowing {
                    <text x={format!("{mx:.1}")} y={format!("{:.1}", my - 6.0)} text-anchor="middle" class="edge-rate">{ format!("{} rps", format_compact(rate)) }</text>
                }
            </g>
        })
    });

    // Autoscaler links (not request edges).
    let scaler_links = doc.components.iter().enumerate().filter_map(|(i, c)| {
        let ComponentSpec::Autoscaler(a) = &c.spec else { return None };
        let ti = index_of(&a.target)?;
        let (ax, ay) = positions[i];
        let (tx, ty) = positions[ti];
        Some(html! {
            <line class="scaler-link" x1={format!("{:.1}", ax + NODE_W / 2.0)} y1={format!("{:.1}", ay + NODE_H / 2.0)}
                x2={format!("{:.1}", tx + NODE_W / 2.0)} y2={format!("{:.1}", ty + NODE_H / 2.0)} />
        })
    });

    // Nodes.
    let nodes = doc.components.iter().enumerate().filter(|(_, c)| !matches!(c.spec, ComponentSpec::DataCenter(_))).map(|(i, c)| {
        let kind = kind_of(&c.spec);
        let (x, y) = positions[i];
        let w_owned = window_of(&c.id);
        let w = w_owned.as_ref();
        let station = w.is_some_and(|w| w.instance_utilization.is_some());
        let util = w.map_or(0.0, |w| w.utilization);
        let color = utilization_color(util);
        let down = is_failed(&c.id, c.dc.as_ref());
        let selected = props.selection.contains(&c.id);
        let label = if c.label.is_empty() { c.id.clone() } else { c.label.clone() };
        let pips = pip_count(&c.spec, w);
        let failed_inst = failed_instances(&c.id);
        let shown = pips.min(12);
        let pip_w = 8.0;
        let pip_els = (0..shown).map(|k| {
            let u = w.and_then(|w| w.instance_utilization.as_ref()).and_then(|v| v.get(k as usize)).copied().unwrap_or(0.0);
            let dead = down || failed_inst.contains(&k);
            let px = 12.0 + f64::from(k) * (pip_w + 3.0);
            html! {
                <rect x={format!("{px:.1}")} y="50" width={pip_w.to_string()} height="8" rx="2"
                    class={classes!("pip", dead.then_some("dead"))}
                    style={if dead || w.is_none() { String::new() } else { format!("fill: {}", utilization_color(u)) }}>
                    <title>{ format!("#{k} · {:.0}%", u * 100.0) }</title>
                </rect>
            }
        });
        let more = (pips > shown).then(|| html! {
            <text x={format!("{:.1}", 12.0 + f64::from(shown) * (pip_w + 3.0) + 2.0)} y="58" class="pip-more">{ format!("+{}", pips - shown) }</text>
        });
        let style = if station && !down { format!("stroke: {color}") } else { String::new() };
        let extra = w.and_then(|w| {
            w.hit_ratio.map(|h| format!("{:.0}% hit", h * 100.0))
                .or_else(|| w.backlog.map(|b| format!("{} {}", format_compact(b as f64), tr.t("node.backlog"))))
        });
        html! {
            <g class={classes!("node", format!("kind-{}", kind.slug()), selected.then_some("selected"), down.then_some("down"))}
                data-node={c.id.clone()} data-testid={format!("node-{}", c.id)} data-kind={model::kind_file_name(kind)}
                data-utilization={w.map(|w| format!("{:.3}", w.utilization))}
                data-instances-up={w.map(|w| w.instances_up.to_string())}
                transform={format!("translate({x:.1},{y:.1})")}>
                <rect class="node-box" width={NODE_W.to_string()} height={NODE_H.to_string()} rx="12" style={style} />
                if station && !down {
                    <rect class="node-tint" width={NODE_W.to_string()} height={NODE_H.to_string()} rx="12" style={format!("fill: {color}")} />
                }
                <rect x="10" y="10" width="26" height="26" rx="7" class="node-icon-bg" />
                { icon(kind, "icon node-icon", Some((14.0, 14.0, 18.0))) }
                <text x="42" y="22" class="node-title">{ truncate(&label, if station { 10 } else { 14 }) }</text>
                <text x="42" y="37" class="node-sub">{ truncate(&summary(&tr, &c.spec), 19) }</text>
                if station && !down {
                    <text x={(NODE_W - 8.0).to_string()} y="22" text-anchor="end" class="node-util" style={format!("fill: {color}")}>{ format!("{:.0}%", util * 100.0) }</text>
                }
                if down {
                    <text x={(NODE_W - 8.0).to_string()} y="22" text-anchor="end" class="node-down">{ tr.t("node.down") }</text>
                }
                { for pip_els }
                { for more }
                if let Some(extra) = extra {
                    <text x={(NODE_W - 8.0).to_string()} y="58" text-anchor="end" class="node-extra">{ extra }</text>
                }
                if has_input(kind) {
                    <circle class="port port-in" cx="0" cy={(NODE_H / 2.0).to_string()} r="5" />
                }
                if has_output(kind) {
                    <g class="port-out-hit" data-port-out={c.id.clone()} data-testid={format!("port-out-{}", c.id)}>
                        <circle class="port-halo" cx={NODE_W.to_string()} cy={(NODE_H / 2.0).to_string()} r="11" />
                        <circle class="port port-out" cx={NODE_W.to_string()} cy={(NODE_H / 2.0).to_string()} r="5.5" />
                    </g>
                }
                <title>{ format!("{} ({})", label, tr.t(&format!("kind.{}.name", kind.slug()))) }</title>
            </g>
        }
    });

    let overlay = match &drag_now {
        Drag::Connect { start, end, .. } => html! {
            <line class="connect-line" x1={format!("{:.1}", start.0)} y1={format!("{:.1}", start.1)}
                x2={format!("{:.1}", end.0)} y2={format!("{:.1}", end.1)} />
        },
        Drag::Band { start, end, .. } => html! {
            <rect class="band" x={format!("{:.1}", start.0.min(end.0))} y={format!("{:.1}", start.1.min(end.1))}
                width={format!("{:.1}", (end.0 - start.0).abs())} height={format!("{:.1}", (end.1 - start.1).abs())} />
        },
        _ => html! {},
    };

    let v = props.view;
    let zoom_btn = |factor: f64| {
        let dispatch = props.dispatch.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let (w, h) = svg_ref.cast::<Element>().map_or((800.0, 400.0), |e| {
                (f64::from(e.client_width()), f64::from(e.client_height()))
            });
            dispatch.emit(Action::SetView(zoom_at(v, factor, (w / 2.0, h / 2.0))));
        })
    };
    let on_fit = {
        let dispatch = props.dispatch.clone();
        let svg_ref = svg_ref.clone();
        let doc = doc.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(v) = fit_view(&svg_ref, &doc) {
                dispatch.emit(Action::SetView(v));
            }
        })
    };

    let grid = 20.0 * v.zoom;
    let bg_style = format!(
        "background-size: {grid:.2}px {grid:.2}px; background-position: {:.1}px {:.1}px",
        v.pan.0.rem_euclid(grid),
        v.pan.1.rem_euclid(grid)
    );
    let cursor = match drag_now {
        Drag::Pan { .. } => "grabbing",
        Drag::Move { moved: true, .. } => "grabbing",
        Drag::Connect { .. } => "crosshair",
        _ => "default",
    };

    html! {
        <section class="canvas card" aria-label={tr.t("canvas.title")}>
            <div class="canvas-tools">
                <button class="icon-btn" id="zoom-out" title={tr.t("canvas.zoom_out")} onclick={zoom_btn(1.0 / 1.2)}>{ "−" }</button>
                <span class="zoom-level">{ format!("{:.0}%", v.zoom * 100.0) }</span>
                <button class="icon-btn" id="zoom-in" title={tr.t("canvas.zoom_in")} onclick={zoom_btn(1.2)}>{ "+" }</button>
                <button class="icon-btn wide" id="zoom-fit" title={tr.t("canvas.fit")} onclick={on_fit}>{ tr.t("canvas.fit") }</button>
            </div>
            <svg id="topology" class="topology" ref={svg_ref} tabindex="0" style={format!("{bg_style}; cursor: {cursor}")}
                data-components={doc.components.len().to_string()} data-edges={doc.edges.len().to_string()}
                role="application" aria-label={tr.t("canvas.aria")}
                {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrow-head" />
                    </marker>
                </defs>
                <g transform={format!("translate({:.1},{:.1}) scale({:.4})", v.pan.0, v.pan.1, v.zoom)}>
                    { for frames }
                    { for scaler_links }
                    { for edges }
                    { for nodes }
                    { overlay }
                </g>
                if doc.components.is_empty() {
                    <text x="50%" y="46%" text-anchor="middle" class="canvas-empty">{ tr.t("canvas.empty") }</text>
                    <text x="50%" y="46%" dy="22" text-anchor="middle" class="canvas-empty-sub">{ tr.t("canvas.empty_sub") }</text>
                }
            </svg>
        </section>
    }
}

/// Shorten a label to `n` characters with an ellipsis.
fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Zoom by `factor` keeping the screen point `at` fixed.
pub fn zoom_at(v: View, factor: f64, at: (f64, f64)) -> View {
    let zoom = (v.zoom * factor).clamp(0.25, 3.0);
    let k = zoom / v.zoom;
    View {
        zoom,
        pan: (at.0 - (at.0 - v.pan.0) * k, at.1 - (at.1 - v.pan.1) * k),
    }
}

/// The view that shows the whole design in the canvas.
fn fit_view(svg_ref: &NodeRef, doc: &Scenario) -> Option<View> {
    let el = svg_ref.cast::<Element>()?;
    let (w, h) = (f64::from(el.client_width()), f64::from(el.client_height()));
    if w < 50.0 || h < 50.0 {
        return None;
    }
    if doc.components.is_empty() {
        return Some(View::default());
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (i, c) in doc.components.iter().enumerate() {
        let (x, y, cw, ch) = match c.spec {
            ComponentSpec::DataCenter(_) => dc_frame(doc, i),
            _ => {
                let (x, y) = pos_of(doc, i);
                (x, y, NODE_W, NODE_H)
            }
        };
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x + cw);
        y1 = y1.max(y + ch + 14.0);
    }
    let pad = 28.0;
    let zoom = ((w - 2.0 * pad) / (x1 - x0))
        .min((h - 2.0 * pad) / (y1 - y0))
        .clamp(0.25, 1.25);
    let pan = (
        (w - (x1 - x0) * zoom) / 2.0 - x0 * zoom,
        (h - (y1 - y0) * zoom) / 2.0 - y0 * zoom,
    );
    Some(View { zoom, pan })
}
