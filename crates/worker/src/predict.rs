//! The analytic twin's headline figures for the page: capacity, mean latency
//! and the bottleneck. They are computed here, in the worker, so the page's
//! wasm does not carry the analytic model (`scalelab_sim::analyze`).

use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::{analyze, Scenario};
use serde::{Deserialize, Serialize};

/// What the analytic twin predicts for a design at its offered load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Largest sustainable total rate, rps.
    pub capacity_rps: Option<f64>,
    /// Mean end-to-end latency, ms (only when finite and positive).
    pub latency_ms_mean: Option<f64>,
    /// The station that saturates first.
    pub bottleneck: Option<String>,
}

/// The analytic twin's figures for `doc` with its users scaled to
/// `traffic_rps` requests/s in total (if given). When the scaled design has
/// no analysis (e.g. the override overloads it past what the model can say),
/// the design's own load is analysed instead; no analysis gives no figures.
pub fn predict(doc: &Scenario, traffic_rps: Option<f64>) -> Prediction {
    let mut scaled = doc.clone();
    if let Some(rps) = traffic_rps {
        let base = doc.offered_rps();
        for c in &mut scaled.components {
            if let ComponentSpec::Users(u) = &mut c.spec {
                if base > 0.0 {
                    u.requests_per_user_per_s *= rps / base;
                }
            }
        }
    }
    let now = analyze(&scaled).ok().or_else(|| analyze(doc).ok());
    Prediction {
        capacity_rps: now.as_ref().and_then(|a| a.max_sustainable_rps),
        latency_ms_mean: now
            .as_ref()
            .map(|a| a.latency_ms_mean)
            .filter(|v| v.is_finite() && *v > 0.0),
        bottleneck: now.and_then(|a| a.bottleneck),
    }
}

/// [`predict`] for a design sent as JSON; JSON that is not a scenario has no figures.
pub fn predict_json(scenario_json: &str, traffic_rps: Option<f64>) -> Prediction {
    serde_json::from_str::<Scenario>(scenario_json)
        .map(|doc| predict(&doc, traffic_rps))
        .unwrap_or_default()
}
