//! The analytic twin's figures for the page come from the worker
//! (`ToSim::Predict` → `FromSim::Predicted`), so the page's wasm does not
//! carry the analytic model.
#![allow(clippy::unwrap_used)]

use scalelab_sim::sizes::InstanceSize;
use scalelab_sim::{analyze, presets, ComponentSpec};
use scalelab_worker::{FromSim, Prediction, Session, ToSim};

fn predicted(scenario_json: String, traffic_rps: Option<f64>) -> (u64, Prediction) {
    let mut session = Session::new();
    let replies = session.handle(
        ToSim::Predict {
            gen: 7,
            scenario_json,
            traffic_rps,
        },
        &mut || 0.0,
    );
    assert_eq!(replies.len(), 1, "{replies:?}");
    match replies.into_iter().next().unwrap() {
        FromSim::Predicted { gen, prediction } => (gen, prediction),
        other => panic!("expected Predicted, got {other:?}"),
    }
}

fn stage1_json() -> String {
    presets::single_server().to_json()
}

/// Stage 1: one `large` web server (4 cores, 1.1× speed) with an 11 ms mean
/// service time serves at most 4 × 1.1 / 0.011 s = 400 requests/s.
#[test]
fn capacity_and_bottleneck_of_the_single_server() {
    let (gen, p) = predicted(stage1_json(), None);
    assert_eq!(gen, 7, "the reply names the design's generation");
    let size = InstanceSize::Large.spec();
    let expected = f64::from(size.cores) * size.speed * 1000.0 / 11.0;
    let capacity = p.capacity_rps.unwrap();
    assert!(
        (capacity - expected).abs() < 0.01 * expected,
        "capacity {capacity} rps, expected {expected}"
    );
    assert_eq!(p.bottleneck.as_deref(), Some("web"));
    // 200 rps on 4 cores: the mean is at least the 10 ms service time.
    let mean = p.latency_ms_mean.unwrap();
    assert!(mean >= 10.0, "mean latency {mean} ms");
}

/// The traffic override scales the users before the analysis: more load,
/// longer queues, a higher mean latency; the same figures as analysing the
/// design with its users scaled by hand.
#[test]
fn traffic_override_scales_the_users() {
    let base = predicted(stage1_json(), None).1;
    let busy = predicted(stage1_json(), Some(360.0)).1;
    assert!(
        busy.latency_ms_mean.unwrap() > base.latency_ms_mean.unwrap(),
        "{busy:?} vs {base:?}"
    );
    let mut by_hand = presets::single_server();
    for c in &mut by_hand.components {
        if let ComponentSpec::Users(u) = &mut c.spec {
            u.requests_per_user_per_s = 360.0 / u.users as f64;
        }
    }
    let a = analyze(&by_hand).unwrap();
    let mean = busy.latency_ms_mean.unwrap();
    assert!(
        (mean - a.latency_ms_mean).abs() < 1e-9 * a.latency_ms_mean,
        "{mean} vs {}",
        a.latency_ms_mean
    );
    assert_eq!(busy.capacity_rps, a.max_sustainable_rps);
}

/// JSON that is not a scenario gives no figures (and no panic).
#[test]
fn bad_json_has_no_figures() {
    let (gen, p) = predicted("{ not json".into(), Some(100.0));
    assert_eq!(gen, 7);
    assert_eq!(p, Prediction::default());
}
