//! The page's side of the simulation worker (`crates/worker`).
//!
//! [`use_sim_link`] spawns the worker once, sends it the design on every
//! rebuild (`sim_rev`), play/pause and speed, and turns its replies into
//! reducer actions. Each batch of windows is acknowledged after it has been
//! dispatched (and so rendered), which bounds the batches in flight.
//!
//! Architecture invariant: the page never advances a simulation itself, and
//! evaluates no model: the analytic twin's figures come from the worker too
//! (`ToSim::Predict` → `FromSim::Predicted`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::worker::{Spawnable, WorkerBridge};
use scalelab_sim::{self as sim, Scenario};
use scalelab_worker::{FromSim, LoadError, SimWorker, ToSim, LOADER_PATH};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::compare::AbAction;
use crate::components::sweep::SweepEvent;
use crate::model;
use crate::state::{Action, AppState, NoticeKind, Prediction};

/// A handle to send requests to the simulation worker.
#[derive(Clone)]
pub struct SimLink {
    bridge: Rc<RefCell<Option<WorkerBridge<SimWorker>>>>,
}

impl std::fmt::Debug for SimLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SimLink")
    }
}

impl SimLink {
    /// Sends one request (dropped if the worker is gone).
    pub fn send(&self, msg: ToSim) {
        if let Some(bridge) = self.bridge.borrow().as_ref() {
            bridge.send(msg);
        }
    }

    /// Advances to the end of the current window.
    pub fn step(&self) {
        self.send(ToSim::Step);
    }

    /// Applies a fault or action now; the reply records it (or reports why not).
    pub fn apply(&self, action: &sim::Action) {
        match serde_json::to_string(action) {
            Ok(action_json) => self.send(ToSim::Apply { action_json }),
            Err(e) => gloo::console::error!(format!("action not sent: {e}")),
        }
    }

    /// Goes back to simulated second `t_s` (the reply drops the later windows).
    pub fn seek(&self, t_s: u64) {
        self.send(ToSim::Seek {
            t_ms: t_s.saturating_mul(1_000),
        });
    }

    /// Asks for chaos preset `kind` for `doc`; the reply replaces the timeline.
    pub fn chaos(&self, doc: &Scenario, kind: &str) {
        self.send(ToSim::Chaos {
            scenario_json: model::to_compact_json(doc),
            kind: kind.into(),
        });
    }

    /// Sets the total offered load, requests/s.
    pub fn set_traffic(&self, rps: f64) {
        self.send(ToSim::SetTraffic { rps });
    }
}

/// Turns one reply of the worker into reducer actions.
fn on_reply(
    reply: FromSim,
    gen: &Cell<u64>,
    dispatch: &UseReducerDispatcher<AppState>,
    link: &SimLink,
) {
    match reply {
        FromSim::Loaded { gen: g, result } if g == gen.get() => match result {
            Ok(()) => {}
            Err(LoadError::Scenario(msg) | LoadError::DesignB(msg)) => {
                dispatch.dispatch(Action::SimBuilt(Err(msg)))
            }
            Err(LoadError::Traffic(msg)) => dispatch.dispatch(Action::RejectInput(msg)),
        },
        FromSim::Advanced {
            gen: g,
            now_ms,
            windows,
            behind,
            worker_memory_bytes,
            windows_b,
            diff,
        } => {
            // Diagnostics for the soak bench: the worker's memory on <body>.
            let _ = gloo::utils::body()
                .set_attribute("data-worker-memory-bytes", &worker_memory_bytes.to_string());
            if g == gen.get() {
                // B first: A's windows redraw the charts with both.
                if let Some(windows_b) = windows_b {
                    let diff = diff.unwrap_or_default();
                    dispatch.dispatch(Action::Ab(AbAction::Advanced(windows_b, diff)));
                }
                dispatch.dispatch(Action::Advanced {
                    now_ms,
                    windows,
                    behind,
                });
            }
            link.send(ToSim::Ack { gen: g });
        }
        FromSim::Applied {
            gen: g,
            action_json,
            traffic_rps,
            at_s,
            result,
        } => match (action_json, traffic_rps, result) {
            // The page set the traffic level already; only a refusal needs telling.
            (_, Some(_), Err(msg)) => dispatch.dispatch(Action::RejectInput(msg)),
            (Some(json), None, Ok(())) if g == gen.get() => {
                if let Ok(a) = serde_json::from_str::<sim::Action>(&json) {
                    dispatch.dispatch(Action::Fault(a, at_s));
                }
            }
            (_, None, Err(msg)) if g == gen.get() => {
                dispatch.dispatch(Action::Notify(NoticeKind::Error, msg));
            }
            _ => {}
        },
        FromSim::Bench {
            events,
            sim_s,
            wall_ms,
            error,
        } => announce_bench(events, sim_s, wall_ms, error),
        FromSim::Cost {
            gen: g,
            cost_usd_per_month,
            cost_usd_per_million_requests,
        } if g == gen.get() => dispatch.dispatch(Action::Cost(
            cost_usd_per_month,
            cost_usd_per_million_requests,
        )),
        FromSim::Seeked {
            gen: g,
            now_ms,
            diff,
        } if g == gen.get() => dispatch.dispatch(Action::Ab(AbAction::Seeked(
            now_ms,
            diff.unwrap_or_default(),
        ))),
        FromSim::LoadedB {
            gen: g,
            result:
                Err(LoadError::DesignB(msg) | LoadError::Scenario(msg) | LoadError::Traffic(msg)),
        } if g == gen.get() => dispatch.dispatch(Action::Notify(NoticeKind::Error, msg)),
        FromSim::Chaos { result } => dispatch.dispatch(
            match result.and_then(|j| serde_json::from_str(&j).map_err(|e| e.to_string())) {
                Ok(timeline) => Action::Edit(crate::state::Edit::Timeline(timeline)),
                Err(msg) => Action::Notify(NoticeKind::Error, msg),
            },
        ),
        // The analytic twin runs in the worker (keeps the analytic model out of the page's wasm).
        FromSim::Predicted { gen: g, prediction } if g == gen.get() => {
            dispatch.dispatch(Action::SimBuilt(Ok(Prediction {
                capacity_rps: prediction.capacity_rps,
                latency_ms_mean: prediction.latency_ms_mean,
                bottleneck: prediction.bottleneck,
            })))
        }
        FromSim::Review { gen: g, findings } if g == gen.get() => {
            dispatch.dispatch(Action::Review(findings))
        }
        FromSim::Scored { result } => dispatch.dispatch(Action::Scored(Some(result))),
        FromSim::SweepProgress {
            gen, done, point, ..
        } => dispatch.dispatch(Action::Sweep(SweepEvent::Progress(gen, done, point))),
        FromSim::SweepDone { gen, result } => dispatch.dispatch(Action::Sweep(SweepEvent::Done(
            gen,
            result.map(|s| (s.knee_rps, s.analytic_max_rps)),
        ))),
        FromSim::SweepCancelled { gen, .. } => {
            dispatch.dispatch(Action::Sweep(SweepEvent::Cancelled(gen)))
        }
        FromSim::Loaded { .. }
        | FromSim::LoadedB { .. }
        | FromSim::Seeked { .. }
        | FromSim::Cost { .. }
        | FromSim::Predicted { .. }
        | FromSim::Review { .. } => {}
        FromSim::Exported {
            file_name,
            mime,
            text,
            ..
        } => crate::app::download(&file_name, &mime, &text),
    }
}

/// The benchmark hook's event names (e2e/bench/browser.mjs): the page
/// dispatches `scalelab-bench` with a JSON detail `{"scenario": "<scenario
/// JSON>", "duration_s": N}`; the app answers with `scalelab-bench-result`,
/// detail `{"events", "sim_s", "wall_ms", "error"}` (JSON text).
const BENCH_EVENT: &str = "scalelab-bench";
const BENCH_RESULT_EVENT: &str = "scalelab-bench-result";

/// A request of the benchmark hook.
#[derive(serde::Deserialize)]
struct BenchRequest {
    scenario: String,
    duration_s: f64,
}

/// Sends the worker's engine-only measurement back to the page's script.
fn announce_bench(events: u64, sim_s: f64, wall_ms: f64, error: Option<String>) {
    // Written out by hand: `json!` would pull serde_json's Value into the wasm.
    let error = serde_json::to_string(&error).unwrap_or_else(|_| "null".into());
    let detail =
        format!(r#"{{"events":{events},"sim_s":{sim_s},"wall_ms":{wall_ms},"error":{error}}}"#);
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail.into());
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(BENCH_RESULT_EVENT, &init) {
        let _ = gloo::utils::window().dispatch_event(&event);
    }
}

/// Listens for benchmark requests (a page script asks the worker to run the engine alone).
fn listen_for_bench(link: SimLink) -> gloo::events::EventListener {
    gloo::events::EventListener::new(&gloo::utils::window(), BENCH_EVENT, move |event| {
        let detail = event
            .dyn_ref::<web_sys::CustomEvent>()
            .and_then(|e| e.detail().as_string())
            .unwrap_or_default();
        match serde_json::from_str::<BenchRequest>(&detail) {
            Ok(r) => link.send(ToSim::Bench {
                scenario_json: r.scenario,
                duration_s: r.duration_s,
            }),
            Err(e) => announce_bench(0, 0.0, 0.0, Some(format!("bad bench request: {e}"))),
        }
    })
}

/// Spawns the simulation worker and keeps it in step with the state:
/// a rebuild loads the design, play/pause and speed are forwarded.
#[hook]
pub fn use_sim_link(state: &UseReducerHandle<AppState>) -> SimLink {
    let bridge = use_mut_ref(|| None::<WorkerBridge<SimWorker>>);
    let gen = (*use_state(|| Rc::new(Cell::new(0u64)))).clone();
    let link = SimLink {
        bridge: bridge.clone(),
    };

    {
        let dispatch = state.dispatcher();
        let link = link.clone();
        let gen = gen.clone();
        use_effect_with((), move |_| {
            let reply_link = link.clone();
            let spawned = SimWorker::spawner()
                .encoding::<scalelab_worker::shell::Wire>()
                .callback(move |reply| on_reply(reply, &gen, &dispatch, &reply_link))
                .spawn_with_loader(LOADER_PATH);
            *link.bridge.borrow_mut() = Some(spawned);
            let bench = listen_for_bench(link.clone());
            // Dropping the last bridge terminates the worker.
            move || {
                drop(bench);
                drop(link.bridge.borrow_mut().take());
            }
        });
    }

    {
        let link = link.clone();
        let doc = state.doc.clone();
        let ab = state.compare.as_ref().map(|c| {
            let (a, b) = c.designs(&state.doc);
            (a.clone(), b.clone())
        });
        let valid = state.validation.is_none();
        let traffic = state.traffic_override;
        let gen = gen.clone();
        use_effect_with(state.sim_rev, move |_| {
            gen.set(gen.get() + 1);
            if valid {
                let scenario_json = model::to_compact_json(&doc);
                // Answered by `Predicted` (the analytic twin), before `Loaded`.
                link.send(ToSim::Predict {
                    gen: gen.get(),
                    scenario_json: scenario_json.clone(),
                    traffic_rps: traffic,
                });
                link.send(ToSim::Load {
                    gen: gen.get(),
                    scenario_json: match &ab {
                        Some((a, _)) => model::to_compact_json(a),
                        None => scenario_json,
                    },
                    traffic_rps: traffic,
                });
                if let Some((_, b)) = &ab {
                    link.send(ToSim::LoadB {
                        gen: gen.get(),
                        scenario_json: Some(model::to_compact_json(b)),
                    });
                }
            }
        });
    }

    {
        let link = link.clone();
        use_effect_with(
            (state.running, state.speed, state.sim_rev),
            move |(running, speed, _)| {
                link.send(ToSim::Run {
                    running: *running,
                    speed: *speed,
                });
            },
        );
    }
    link
}
