//! The root component: owns the simulation, drives it frame by frame and
//! lays out the palette, run bar, topology canvas, readout and charts.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

use crate::components::canvas::Topology;
use crate::components::charts::Charts;
use crate::components::palette::Palette;
use crate::components::readout::Readout;
use crate::components::run_bar::RunBar;
use scalelab_sim::{self as sim, Simulation};

use crate::state::{Action, AppState, ScenarioInfo};

/// Wall-clock compute budget per frame, ms.
const FRAME_BUDGET_MS: f64 = 8.0;
/// Longest wall-clock gap a frame may account for, ms (a backgrounded tab must not catch up for minutes).
const MAX_FRAME_DT_MS: f64 = 100.0;
/// Simulated ms advanced per call, so the compute budget is checked often.
const SLICE_MS: u64 = 10;

/// Mount the app on `#app-root` (or `<body>` if it is missing).
pub fn mount() {
    let root = gloo::utils::document().get_element_by_id("app-root");
    match root {
        Some(root) => {
            // Drop the static "Loading…" placeholder.
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

/// Build a fresh stage-1 simulation, offering `traffic_rps` (or the scenario's own rate).
fn new_simulation(traffic_rps: Option<f64>) -> Result<(Simulation, ScenarioInfo), String> {
    let scenario = sim::presets::single_server();
    let info = ScenarioInfo::from_scenario(&scenario);
    let mut simulation = Simulation::new(&scenario).map_err(|e| e.to_string())?;
    if let Some(rps) = traffic_rps {
        simulation
            .apply(&sim::Action::SetRequestRate {
                component: info.users_id.clone(),
                requests_per_s: rps,
            })
            .map_err(|e| e.to_string())?;
    }
    Ok((simulation, info))
}

/// Install a fresh simulation and tell the reducer; `traffic_rps: None` adopts the scenario's rate.
fn restart(
    slot: &RefCell<Option<Simulation>>,
    dispatch: &UseReducerDispatcher<AppState>,
    traffic_rps: Option<f64>,
) {
    match new_simulation(traffic_rps) {
        Ok((simulation, info)) => {
            let capacity_rps = simulation.capacity_rps();
            let initial_rps = info.users_rps;
            *slot.borrow_mut() = Some(simulation);
            dispatch.dispatch(Action::Reset {
                capacity_rps,
                info: Rc::new(info),
            });
            if traffic_rps.is_none() {
                dispatch.dispatch(Action::SetTraffic(initial_rps));
            }
        }
        Err(msg) => dispatch.dispatch(Action::SimFailed(msg)),
    }
}

/// Wall-clock milliseconds (`performance.now()`), 0 if unavailable.
fn now_wall_ms() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

/// Mutable driver state shared by the frame callbacks.
#[derive(Debug, Default)]
struct Driver {
    /// The pending frame request; dropping it cancels the loop.
    frame: Option<AnimationFrame>,
    /// Timestamp of the previous frame.
    last_ts: Option<f64>,
    /// Simulated ms owed but not yet advanced (sub-millisecond remainder).
    debt_ms: f64,
}

/// Run one frame: advance the simulation by the elapsed wall time × speed,
/// within the compute budget, report to the reducer and schedule the next frame.
fn on_frame(
    ts: f64,
    driver: Rc<RefCell<Driver>>,
    simulation: Rc<RefCell<Option<Simulation>>>,
    speed: Rc<Cell<u32>>,
    dispatch: UseReducerDispatcher<AppState>,
) {
    let dt = {
        let mut d = driver.borrow_mut();
        let dt = d
            .last_ts
            .map_or(0.0, |last| (ts - last).clamp(0.0, MAX_FRAME_DT_MS));
        d.last_ts = Some(ts);
        dt
    };
    let outcome = {
        let mut slot = simulation.borrow_mut();
        slot.as_mut().map(|simulation| {
            let mut d = driver.borrow_mut();
            d.debt_ms += dt * f64::from(speed.get());
            let started = now_wall_ms();
            let mut windows = Vec::new();
            let mut behind = false;
            while d.debt_ms >= 1.0 {
                let step = (d.debt_ms.floor() as u64).min(SLICE_MS);
                windows.extend(simulation.advance_ms(step));
                d.debt_ms -= step as f64;
                if now_wall_ms() - started > FRAME_BUDGET_MS {
                    // Too slow for the requested speed: drop the rest rather than fall behind.
                    d.debt_ms = 0.0;
                    behind = true;
                    break;
                }
            }
            (simulation.now_ms(), windows, behind)
        })
    };
    match outcome {
        Some((now_ms, windows, behind)) => dispatch.dispatch(Action::Advanced {
            now_ms,
            windows,
            behind,
        }),
        None => return,
    }
    let next = {
        let driver = driver.clone();
        move |ts| on_frame(ts, driver, simulation, speed, dispatch)
    };
    driver.borrow_mut().frame = Some(request_animation_frame(next));
}

/// The ScaleLab page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let simulation: Rc<RefCell<Option<Simulation>>> = use_mut_ref(|| None);
    // The frame loop reads the speed from here, so changing it needs no restart.
    let speed_cell: Rc<Cell<u32>> = (*use_state(|| Rc::new(Cell::new(1)))).clone();

    // Build the first simulation once.
    {
        let simulation = simulation.clone();
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| restart(&simulation, &dispatch, None));
    }

    speed_cell.set(state.speed);

    // Run the frame loop while playing; restart it after a reset.
    {
        let simulation = simulation.clone();
        let speed = speed_cell.clone();
        let dispatch = state.dispatcher();
        use_effect_with((state.running, state.generation), move |(running, _)| {
            let driver = Rc::new(RefCell::new(Driver::default()));
            if *running {
                let d = driver.clone();
                let first = move |ts| on_frame(ts, d, simulation, speed, dispatch);
                driver.borrow_mut().frame = Some(request_animation_frame(first));
            }
            move || {
                // Cancel the pending frame; this also breaks the loop's reference cycle.
                driver.borrow_mut().frame = None;
            }
        });
    }

    let on_play = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::Play))
    };
    let on_pause = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::Pause))
    };
    let on_reset = {
        let dispatch = state.dispatcher();
        let simulation = simulation.clone();
        let traffic = state.traffic_rps;
        Callback::from(move |_| restart(&simulation, &dispatch, Some(traffic)))
    };
    let on_speed = {
        let dispatch = state.dispatcher();
        Callback::from(move |speed: u32| dispatch.dispatch(Action::SetSpeed(speed)))
    };
    let on_traffic = {
        let dispatch = state.dispatcher();
        let simulation = simulation.clone();
        let users_id = state
            .info
            .as_ref()
            .map_or_else(|| "users".to_string(), |i| i.users_id.clone());
        Callback::from(move |rps: f64| {
            let result = match simulation.borrow_mut().as_mut() {
                Some(s) => s
                    .apply(&sim::Action::SetRequestRate {
                        component: users_id.clone(),
                        requests_per_s: rps,
                    })
                    .map_err(|e| e.to_string()),
                None => Ok(()),
            };
            match result {
                Ok(()) => dispatch.dispatch(Action::SetTraffic(rps)),
                Err(msg) => dispatch.dispatch(Action::RejectInput(msg)),
            }
        })
    };
    let on_reject = {
        let dispatch = state.dispatcher();
        Callback::from(move |msg: String| dispatch.dispatch(Action::RejectInput(msg)))
    };

    let web_info = state.info.as_ref().and_then(|i| i.web.clone());
    let web = web_info
        .as_ref()
        .and_then(|w| state.nodes.iter().find(|c| c.id == w.id).cloned());

    html! {
        <div class="app">
            <header class="app-header">
                <div class="brand">
                    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
                        <rect x="2" y="2" width="28" height="28" rx="8" class="brand-bg" />
                        <path d="M9 22 L14 15 L18 18 L23 10" class="brand-line" />
                        <circle cx="23" cy="10" r="2.2" class="brand-dot" />
                    </svg>
                    <div class="brand-text">
                        <h1>{ "ScaleLab" }</h1>
                        <p class="subtitle">{ "From one server to millions of users — a hands-on scaling simulator" }</p>
                    </div>
                </div>
                <div class="header-right">
                    <span class="stage-pill" title={state.info.as_ref().map(|i| i.description.clone())}>
                        { state.info.as_ref().map_or_else(|| "Stage 1 · Single server".to_string(), |i| i.name.clone()) }
                    </span>
                    <div class="lang-toggle" role="group" aria-label="Language">
                        <button class="lang active" aria-pressed="true">{ "EN" }</button>
                        <button class="lang" aria-pressed="false" disabled=true title="Korean coming soon">{ "KO" }</button>
                    </div>
                </div>
            </header>
            <div class="app-body">
                <Palette />
                <main class="workspace">
                    <RunBar
                        running={state.running}
                        speed={state.speed}
                        traffic_rps={state.traffic_rps}
                        sim_time_s={state.sim_time_s}
                        capacity_rps={state.capacity_rps}
                        input_error={state.input_error.clone()}
                        behind={state.behind}
                        {on_play} {on_pause} {on_reset} {on_speed} {on_traffic} {on_reject}
                    />
                    if let Some(msg) = &state.sim_error {
                        <div class="banner banner-error" role="alert">{ msg.clone() }</div>
                    }
                    <Topology
                        running={state.running}
                        traffic_rps={state.traffic_rps}
                        capacity_rps={state.capacity_rps}
                        web={web}
                        web_info={web_info}
                        user_network_ms={state.info.as_ref().map(|i| i.user_network_ms)}
                        window_errors={state.history.back().map_or(0, |p| p.errors)}
                    />
                    <Readout
                        sim_time_s={state.sim_time_s}
                        last={state.history.back().copied()}
                        total_errors={state.total_errors}
                        errors_by_cause={state.errors_by_cause.clone()}
                        slo_p99_ms={state.info.as_ref().map(|i| i.slo_p99_ms)}
                    />
                    <Charts
                        history={state.history.clone()}
                        windows_seen={state.windows_seen}
                        generation={state.generation}
                        capacity_rps={state.capacity_rps}
                        slo_p99_ms={state.info.as_ref().map(|i| i.slo_p99_ms)}
                    />
                </main>
            </div>
        </div>
    }
}
