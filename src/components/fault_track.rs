//! The fault timeline editor: a track under the charts, on the charts' time
//! axis, with one marker per timed action of the design. The learner adds an
//! action (kind, target, value, time), drags a marker to another second,
//! moves a selected one with ← →, deletes it with Delete or ×, or replaces the
//! timeline with a chaos preset (written by the worker: `ToSim::Chaos`).
//! Every change is one undoable edit of the scenario (`Edit::Timeline`).

use std::rc::Rc;

use scalelab_sim::{Action as A, ComponentSpec as C, Scenario, TimedAction};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::Tr;
use crate::state::History;

/// The chaos presets' slugs (`scalelab_sim::chaos::ChaosKind::slug`).
const CHAOS: [&str; 4] = [
    "rolling_restart",
    "retry_storm",
    "dc_loss_at_peak",
    "cache_flush_at_peak",
];

/// Kinds of action the track adds.
const KINDS: [&str; 4] = ["fail", "recover", "rate", "scale"];

/// A target's name: `db primary`, `db replica 2`, `web #1`, `lb`.
fn target_name(tr: &Tr, doc: &Scenario, id: &str, instance: Option<u32>) -> String {
    let db = matches!(doc.component(id).map(|c| &c.spec), Some(C::Database(_)));
    match instance {
        None | Some(0) if db => tr.f("track.primary", &[id]),
        Some(i) if db => tr.f("track.replica", &[id, &i.to_string()]),
        Some(i) => format!("{id} #{i}"),
        None => id.to_string(),
    }
}

/// An action in words: `fail db primary`, `users: 1600 rps`.
fn describe(tr: &Tr, doc: &Scenario, a: &A) -> String {
    match a {
        A::Fail {
            component,
            instance,
        } => tr.f("track.fail", &[&target_name(tr, doc, component, *instance)]),
        A::Recover {
            component,
            instance,
        } => tr.f(
            "track.recover",
            &[&target_name(tr, doc, component, *instance)],
        ),
        A::SetRequestRate {
            component,
            requests_per_s,
        } => tr.f("track.rate", &[component, &format!("{requests_per_s:.0}")]),
        A::Scale {
            component,
            instances,
        } => tr.f("track.scale", &[component, &instances.to_string()]),
        other => tr.f("track.change", &[other.component()]),
    }
}

/// What `kind` can address in `doc`: (value `id` or `id#k`, label).
fn targets(tr: &Tr, doc: &Scenario, kind: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in &doc.components {
        let id = c.id.as_str();
        let mut add = |k: Option<u32>| {
            let v = k.map_or(id.to_string(), |k| format!("{id}#{k}"));
            out.push((v, target_name(tr, doc, id, k)));
        };
        match (kind, &c.spec) {
            ("rate", C::Users(_)) => add(None),
            ("scale", C::WebTier(_) | C::Workers(_) | C::Database(_)) => add(None),
            ("rate" | "scale", _) | (_, C::Users(_) | C::Dns(_) | C::Autoscaler(_)) => {}
            (_, C::Database(d)) => (0..=d.replicas).for_each(|k| add((k > 0).then_some(k))),
            (_, spec) => {
                add(None);
                let n = match spec {
                    C::WebTier(w) => w.instances,
                    C::Workers(w) => w.instances,
                    C::SessionStore(s) => s.instances,
                    C::Cache(c) => c.nodes,
                    _ => 0,
                };
                (0..n).for_each(|k| add(Some(k)));
            }
        }
    }
    out
}

/// The action `kind` on target `value` (`id` or `id#k`) with `number`.
fn build(kind: &str, value: &str, number: f64) -> Option<A> {
    let (id, k) = match value.split_once('#') {
        Some((id, k)) => (id.to_string(), Some(k.parse().ok()?)),
        None => (value.to_string(), None),
    };
    Some(match kind {
        "fail" => A::Fail {
            component: id,
            instance: k,
        },
        "recover" => A::Recover {
            component: id,
            instance: k,
        },
        "rate" => A::SetRequestRate {
            component: id,
            requests_per_s: number.max(0.0),
        },
        _ => A::Scale {
            component: id,
            instances: number.max(0.0) as u32,
        },
    })
}

/// What [`fault_track`] shows and does.
pub struct FaultTrackProps {
    /// The design.
    pub doc: Rc<Scenario>,
    /// The windows on the charts (their time axis).
    pub history: History,
    /// Replace the timeline (an undoable edit).
    pub on_edit: Callback<Vec<TimedAction>>,
    /// Ask for a chaos preset by slug.
    pub on_chaos: Callback<&'static str>,
}

/// The track's state, held by the app: the new action's kind, its second
/// (the design's middle at first), the selected marker, the marker being
/// dragged and the second it would drop at, and the target select, the
/// value field and the lane.
pub type TrackState = (
    UseStateHandle<&'static str>,
    UseStateHandle<f64>,
    UseStateHandle<Option<usize>>,
    Rc<std::cell::RefCell<Option<(usize, f64)>>>,
    NodeRef,
    NodeRef,
    NodeRef,
);

/// The marker (its index) an event happened on, if any.
fn marker_of(e: &Event) -> Option<(HtmlElement, usize)> {
    let el: HtmlElement = e.target_unchecked_into();
    let i = el.get_attribute("data-i")?.parse().ok()?;
    Some((el, i))
}

/// The fault timeline track. Pointer and key events are handled once on the
/// lane (markers carry `data-i`); a drag moves the marker's element and
/// commits one edit when the pointer is released.
/// A function rather than a component: its state ([`TrackState`]) is the
/// app's, and a component's machinery cost the wasm more than it saved.
pub fn fault_track(tr: &Tr, p: &FaultTrackProps, state: &TrackState) -> Html {
    let (kind, at, selected, drag, target_ref, value_ref, lane_ref) = state.clone();

    let (x0, x1) = crate::components::charts::x_range(&p.history.points(), p.doc.duration_s);
    let pct = move |t: f64| {
        format!(
            "left: {:.3}%",
            ((t - x0) / (x1 - x0) * 100.0).clamp(0.0, 100.0)
        )
    };
    let timeline = p.doc.timeline.clone();
    // The second under the pointer, whole, inside the axis.
    let second_at = {
        let lane = lane_ref.clone();
        move |client_x: i32| {
            let r = lane.cast::<Element>()?.get_bounding_client_rect();
            let f = (f64::from(client_x) - r.left()) / r.width().max(1.0);
            Some((x0 + f * (x1 - x0)).round().max(x0.ceil()).min(x1.floor()))
        }
    };
    // Marker `i` moved to `at_s`, or removed (`None`): one undoable edit.
    let edit = {
        let (on_edit, timeline, selected) = (p.on_edit.clone(), timeline.clone(), selected.clone());
        move |i: usize, at_s: Option<f64>| {
            let mut next = timeline.clone();
            match at_s {
                Some(t) if i < next.len() => next[i].at_s = t.max(0.0),
                None if i < next.len() => {
                    next.remove(i);
                    selected.set(None);
                }
                _ => return,
            }
            on_edit.emit(next);
        }
    };

    let down = {
        let (selected, drag) = (selected.clone(), drag.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some((el, i)) = marker_of(&e) {
                selected.set(Some(i));
                *drag.borrow_mut() = Some((i, f64::NAN));
                let _ = el.set_pointer_capture(e.pointer_id());
            }
        })
    };
    let moved = {
        let (drag, second_at) = (drag.clone(), second_at.clone());
        Callback::from(move |e: PointerEvent| {
            let mut d = drag.borrow_mut();
            if let (Some((el, _)), Some((i, _)), Some(s)) =
                (marker_of(&e), *d, second_at(e.client_x()))
            {
                let _ = el.set_attribute("style", &pct(s));
                *d = Some((i, s));
            }
        })
    };
    let up = {
        let (drag, edit, timeline) = (drag.clone(), edit.clone(), timeline.clone());
        Callback::from(move |_: PointerEvent| {
            if let Some((i, t)) = drag.borrow_mut().take() {
                if t.is_finite() && timeline.get(i).is_some_and(|a| a.at_s != t) {
                    edit(i, Some(t));
                }
            }
        })
    };
    let key = {
        let (edit, timeline) = (edit.clone(), timeline.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some((_, i)) = marker_of(&e) else { return };
            let was = timeline.get(i).map_or(0.0, |a| a.at_s);
            match e.key().as_str() {
                "ArrowLeft" => edit(i, Some((was - 1.0).round())),
                "ArrowRight" => edit(i, Some((was + 1.0).round())),
                "Delete" | "Backspace" => edit(i, None),
                _ => return,
            }
            // The page's own shortcuts (delete components, pan) must not see it.
            e.prevent_default();
            e.stop_propagation();
        })
    };
    // A click on the × deletes the selected marker; on the empty lane it
    // picks the second a new action is added at.
    let click = {
        let (at, second_at, edit, selected) =
            (at.clone(), second_at.clone(), edit.clone(), *selected);
        Callback::from(move |e: MouseEvent| {
            let el: Element = e.target_unchecked_into();
            if el.has_attribute("data-del") {
                if let Some(i) = selected {
                    edit(i, None);
                }
            } else if !el.has_attribute("data-i") {
                if let Some(s) = second_at(e.client_x()) {
                    at.set(s);
                }
            }
        })
    };
    let add = {
        let (on_edit, timeline, kind, at) = (p.on_edit.clone(), timeline.clone(), *kind, *at);
        let (target_ref, value_ref, selected) =
            (target_ref.clone(), value_ref.clone(), selected.clone());
        Callback::from(move |_: MouseEvent| {
            let target = target_ref.cast::<HtmlSelectElement>().map(|s| s.value());
            let number = value_ref
                .cast::<HtmlInputElement>()
                .map_or(0.0, |i| i.value_as_number());
            if let Some(action) = target.and_then(|t| build(kind, &t, number)) {
                let mut next = timeline.clone();
                next.push(TimedAction { at_s: at, action });
                selected.set(Some(next.len() - 1));
                on_edit.emit(next);
            }
        })
    };
    // The tools' selects and time field, in one listener.
    let change = {
        let (kind, at, on_chaos) = (kind.clone(), at.clone(), p.on_chaos.clone());
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let v = s.value();
            match s.id().as_str() {
                "track-kind" => kind.set(KINDS.into_iter().find(|k| *k == v).unwrap_or("fail")),
                "track-chaos" => {
                    if let Some(k) = CHAOS.into_iter().find(|k| *k == v) {
                        on_chaos.emit(k);
                    }
                    s.set_value("");
                }
                "track-at" => {
                    if let Some(v) = crate::state::parse_f64(v.trim()) {
                        at.set(v.round().max(0.0));
                    }
                }
                _ => {}
            }
        })
    };

    let sel = selected.filter(|i| *i < timeline.len());
    let markers = timeline.iter().enumerate().map(|(i, ta)| {
        let text = describe(tr, &p.doc, &ta.action);
        let label = tr.f("track.marker", &[&text, &ta.at_s.to_string()]);
        let class = match (matches!(ta.action, A::Fail { .. }), sel == Some(i)) {
            (true, true) => "track-marker fault selected",
            (true, false) => "track-marker fault",
            (false, true) => "track-marker selected",
            (false, false) => "track-marker",
        };
        html! {
            <button type="button" {class} style={pct(ta.at_s)} title={label.clone()} aria-label={label}
                data-i={i.to_string()} data-at-s={ta.at_s.to_string()} data-text={text}></button>
        }
    });
    // A tick every 10 s, on the seconds the charts label.
    let ticks = {
        let span = (x1 - x0).max(10.5);
        let first = (10.0 - x0.rem_euclid(10.0)).rem_euclid(10.0) / span;
        format!(
            "background-size: {:.4}% 100%; background-position: {:.4}% 0",
            1000.0 / span,
            first / (1.0 - 10.0 / span) * 100.0
        )
    };
    let number = match *kind {
        "rate" => Some(p.doc.offered_rps().round() * 2.0),
        "scale" => Some(2.0),
        _ => None,
    };
    html! {
        <section class="card track" id="fault-track" aria-label={tr.t("track.title")}
            data-actions={timeline.len().to_string()}>
            <div class="card-head">
                <h2>{ tr.t("track.title") }</h2>
                <div class="track-tools" onchange={change}>
                    <select id="track-kind" class="select" aria-label={tr.t("track.kind")}>
                        { for KINDS.iter().map(|k| html! {
                            <option value={*k} selected={*k == *kind}>{ tr.t(&format!("track.kind.{k}")) }</option>
                        }) }
                    </select>
                    <select id="track-target" class="select" ref={target_ref} aria-label={tr.t("track.target")}>
                        { for targets(tr, &p.doc, *kind).into_iter().map(|(v, l)| html! { <option value={v}>{ l }</option> }) }
                    </select>
                    if let Some(n) = number {
                        <input id="track-value" class="text-input num" type="number" min="0" ref={value_ref}
                            value={n.to_string()} aria-label={tr.t(&format!("track.value.{}", *kind))} />
                    }
                    <label class="track-at">{ tr.t("track.at") }
                        <input id="track-at" class="text-input num" type="number" min="0" step="1" value={at.to_string()} />
                    </label>
                    <button id="track-add" type="button" class="btn" onclick={add}>{ tr.t("track.add") }</button>
                    <select id="track-chaos" class="select" aria-label={tr.t("track.chaos")}>
                        <option value="" selected=true>{ tr.t("track.chaos") }</option>
                        { for CHAOS.iter().map(|k| html! { <option value={*k}>{ tr.t(&format!("track.chaos.{k}")) }</option> }) }
                    </select>
                </div>
            </div>
            <div class="track-lane" id="track-lane" ref={lane_ref} data-x0-s={x0.to_string()} data-x1-s={x1.to_string()}
                style={ticks}
                onpointerdown={down} onpointermove={moved} onpointerup={up.clone()} onpointercancel={up}
                onkeydown={key} onclick={click}>
                <span class="track-cursor" style={pct(*at)} aria-hidden="true"></span>
                { for markers }
                if let Some(i) = sel {
                    <button type="button" class="track-del" data-del="" style={pct(timeline[i].at_s)} aria-label={tr.t("track.delete")}
                        title={tr.t("track.delete")}>{ "×" }</button>
                }
                if timeline.is_empty() { <span class="track-empty">{ tr.t("track.empty") }</span> }
            </div>
            <p class="track-hint">{ tr.t("track.hint") }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_actions_round_trip() {
        let tr = Tr::new(crate::i18n::Lang::En);
        let doc = scalelab_sim::presets::by_name("05-database-replication.json").expect("stage 5");
        let fails = targets(&tr, &doc, "fail");
        assert!(
            fails.contains(&("db".into(), "db primary".into())),
            "{fails:?}"
        );
        assert!(fails.contains(&("db#2".into(), "db replica 2".into())));
        assert!(fails.contains(&("web#1".into(), "web #1".into())));
        assert!(!fails.iter().any(|(v, _)| v == "users"));
        let a = build("fail", "db", 0.0).expect("action");
        assert_eq!(describe(&tr, &doc, &a), "fail db primary");
        assert_eq!(
            build("fail", "web#1", 0.0),
            Some(A::Fail {
                component: "web".into(),
                instance: Some(1)
            })
        );
        assert_eq!(
            targets(&tr, &doc, "rate"),
            vec![("users".into(), "users".into())]
        );
        assert!(matches!(
            build("scale", "web", 5.0),
            Some(A::Scale { instances: 5, .. })
        ));
        assert_eq!(build("fail", "web#x", 0.0), None);
    }
}
