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
            mix: Mix { static_share: 0.0, read: 1.0, write: 0.0, async_share: 0.0 },
            region: None,
            load: LoadShape::Constant,
            client_timeout_ms: 0.0,
            retries: 0,
            retry_backoff_ms: 100.0,
        }),
    }
}

/// A web tier of `instances` × `size` with `service`.
pub fn web(id: &str, instances: u32, size: InstanceSize, service: Distribution, queue: u32) -> Component {
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
    Edge { from: from.into(), to: to.into(), latency_ms: None }
}

/// A scenario with zero network latency (so station figures are the end-to-end ones).
pub fn scenario(components: Vec<Component>, edges: Vec<Edge>, seed: u64, duration_s: f64) -> Scenario {
    Scenario {
        version: scalelab_sim::SCENARIO_VERSION,
        name: "test".into(),
        description: String::new(),
        seed,
        duration_s,
        window_ms: 1_000,
        slo: Slo::default(),
        workload: Workload::default(),
        network: Network { same_dc_ms: 0.0, user_to_region_ms: 0.0, cross_region_ms: 0.0 },
        components,
        edges,
        timeline: vec![],
    }
}

/// An M/M/c station as a scenario: users → web tier of one instance of `size`
/// (its cores are c), exponential service with mean `mean_ms` on a small core.
pub fn mmc(lambda: f64, size: InstanceSize, mean_ms: f64, seed: u64, duration_s: f64) -> Scenario {
    scenario(
        vec![users("users", lambda), web("web", 1, size, Distribution::Exponential { mean_ms }, 1_000_000)],
        vec![edge("users", "web")],
        seed,
        duration_s,
    )
}

/// Relative error.
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}
