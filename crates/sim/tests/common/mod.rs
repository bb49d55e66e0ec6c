//! Helpers shared by the integration tests: small scenarios built in code.
#![allow(dead_code)]

use scalelab_sim::dist::Distribution;
use scalelab_sim::scenario::*;
use scalelab_sim::sizes::InstanceSize;

/// Users sending `rps` reads straight to one web tier, no timeout.
pub fn users(id: &str, rps: f64) -> Component {
    Component {
        id: id.into(),
        label: String::new(),
        dc: None,
        pos: None,
        spec: ComponentSpec::Users(UsersSpec {
            users: 1_000,
            requests_per_user_per_s: rps / 1_000.0,
            mix: Mix {
                static_share: 0.0,
                read: 1.0,
                write: 0.0,
                async_share: 0.0,
            },
            region: None,
            load: LoadShape::Constant,
            client_timeout_ms: 0.0,
            retries: 0,
            retry_backoff_ms: 100.0,
        }),
    }
}

/// A web tier of `instances` × `size` with `service`.
pub fn web(
    id: &str,
    instances: u32,
    size: InstanceSize,
    service: Distribution,
    queue: u32,
) -> Component {
    Component {
        id: id.into(),
        label: String::new(),
        dc: None,
        pos: None,
        spec: ComponentSpec::WebTier(WebTierSpec {
            instances,
            size,
            service,
            queue_capacity: queue,
            sessions: Sessions::Stateless,
            boot_s: 30.0,
        }),
    }
}

/// An edge.
pub fn edge(from: &str, to: &str) -> Edge {
    Edge {
        from: from.into(),
        to: to.into(),
        latency_ms: None,
    }
}

/// A scenario with zero network latency (so station figures are the end-to-end ones).
pub fn scenario(
    components: Vec<Component>,
    edges: Vec<Edge>,
    seed: u64,
    duration_s: f64,
) -> Scenario {
    Scenario {
        version: scalelab_sim::SCENARIO_VERSION,
        name: "test".into(),
        description: String::new(),
        seed,
        duration_s,
        window_ms: 1_000,
        slo: Slo::default(),
        workload: Workload::default(),
        network: Network {
            same_dc_ms: 0.0,
            user_to_region_ms: 0.0,
            cross_region_ms: 0.0,
        },
        components,
        edges,
        timeline: vec![],
        prices: None,
    }
}

/// An M/M/c station as a scenario: users → web tier of one instance of `size`
/// (its cores are c), exponential service with mean `mean_ms` on a small core.
pub fn mmc(lambda: f64, size: InstanceSize, mean_ms: f64, seed: u64, duration_s: f64) -> Scenario {
    scenario(
        vec![
            users("users", lambda),
            web(
                "web",
                1,
                size,
                Distribution::Exponential { mean_ms },
                1_000_000,
            ),
        ],
        vec![edge("users", "web")],
        seed,
        duration_s,
    )
}

/// Relative error.
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// A built-in scenario by file name.
pub fn preset(name: &str) -> Scenario {
    scalelab_sim::presets::by_name(name).unwrap_or_else(|| panic!("preset {name} loads"))
}

/// The spec of component `id`, to modify.
pub fn spec_mut<'a>(s: &'a mut Scenario, id: &str) -> &'a mut ComponentSpec {
    &mut s
        .components
        .iter_mut()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no component {id}"))
        .spec
}

/// Runs to the end; returns the summary and every window.
pub fn run(s: &Scenario) -> (scalelab_sim::Summary, Vec<scalelab_sim::WindowSnapshot>) {
    let mut sim = scalelab_sim::Simulation::new(s).expect("valid scenario");
    let windows = sim.advance_ms((s.duration_s * 1000.0) as u64);
    (sim.summary(), windows)
}

/// Component `id`'s figures in window `w`.
pub fn comp<'a>(
    w: &'a scalelab_sim::WindowSnapshot,
    id: &str,
) -> &'a scalelab_sim::ComponentWindow {
    w.components
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no component {id}"))
}

/// Sets a users component's total rate (requests/s).
pub fn set_rate(s: &mut Scenario, id: &str, rps: f64) {
    if let ComponentSpec::Users(u) = spec_mut(s, id) {
        u.requests_per_user_per_s = rps / u.users as f64;
    }
}
