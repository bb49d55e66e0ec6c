//! Chaos presets: each writes actions the scenario validator accepts, and
//! each moves the run's figures the way the preset promises, measured against
//! the same design and seed without the preset.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use scalelab_sim::chaos::{chaos_script, ChaosKind, OUTAGE_S, PEAK_FACTOR};
use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::{presets, Action, ErrorCause, Scenario, SimError, Simulation, WindowSnapshot};

/// A chapter scenario without its own fault timeline.
fn stage(file: &str) -> Scenario {
    let mut s = presets::by_name(file).unwrap();
    s.timeline.clear();
    s
}

/// The design with `kind`'s script as its timeline.
fn with_chaos(s: &Scenario, kind: ChaosKind) -> Scenario {
    let mut c = s.clone();
    c.timeline = chaos_script(s, kind).unwrap();
    c
}

fn run(s: &Scenario) -> Vec<WindowSnapshot> {
    let mut sim = Simulation::new(s).unwrap();
    sim.advance_ms((s.duration_s * 1000.0) as u64)
}

fn errors(ws: &[WindowSnapshot], cause: ErrorCause) -> u64 {
    ws.iter().map(|w| w.errors.get(cause)).sum()
}

/// Windows ending in (from, to].
fn between(ws: &[WindowSnapshot], from: f64, to: f64) -> Vec<WindowSnapshot> {
    ws.iter()
        .filter(|w| w.end_s > from && w.end_s <= to)
        .cloned()
        .collect()
}

fn comp<'a>(w: &'a WindowSnapshot, id: &str) -> &'a scalelab_sim::ComponentWindow {
    w.components.iter().find(|c| c.id == id).unwrap()
}

#[test]
fn every_preset_on_every_stage_is_valid_or_names_what_is_missing() {
    for (name, _) in presets::ALL {
        let s = stage(name);
        for kind in ChaosKind::ALL {
            match chaos_script(&s, kind) {
                Ok(script) => {
                    assert!(!script.is_empty(), "{name} {kind:?}");
                    assert!(
                        script.windows(2).all(|p| p[0].at_s <= p[1].at_s),
                        "{name} {kind:?}: sorted by time"
                    );
                    assert!(script
                        .iter()
                        .all(|a| a.at_s.fract() == 0.0 && a.at_s <= s.duration_s));
                    let mut c = s.clone();
                    c.timeline = script.clone();
                    c.validate().unwrap();
                    assert_eq!(chaos_script(&s, kind).unwrap(), script, "deterministic");
                }
                Err(SimError::Topology { reason, .. }) => {
                    assert!(reason.contains(kind.slug()), "{name} {kind:?}: {reason}");
                    assert!(reason.contains("needs"), "{reason}");
                }
                Err(SimError::Invalid { field, reason, .. }) => {
                    assert_eq!(field, "retries", "{name} {kind:?}: {reason}");
                    assert!(reason.contains("needs"), "{reason}");
                }
                Err(e) => panic!("{name} {kind:?}: {e}"),
            }
        }
    }
    assert_eq!(
        ChaosKind::from_slug("retry_storm"),
        Some(ChaosKind::RetryStorm)
    );
    assert_eq!(ChaosKind::from_slug("nope"), None);
}

#[test]
fn missing_components_are_named() {
    let s5 = stage("05-database-replication.json");
    let e = chaos_script(&s5, ChaosKind::CacheFlushAtPeak).unwrap_err();
    assert!(e.to_string().contains("a cache"), "{e}");
    let e = chaos_script(&s5, ChaosKind::DcLossAtPeak).unwrap_err();
    assert!(e.to_string().contains("a data center"), "{e}");
    let e = chaos_script(&s5, ChaosKind::RetryStorm).unwrap_err();
    assert!(
        e.to_string().contains("users") && e.to_string().contains("retries"),
        "{e}"
    );
    let mut bad = s5.clone();
    bad.duration_s = -1.0;
    assert!(chaos_script(&bad, ChaosKind::RollingRestart).is_err());
}

#[test]
fn rolling_restart_takes_one_instance_down_at_a_time() {
    let s = stage("04-load-balancer.json");
    let c = with_chaos(&s, ChaosKind::RollingRestart);
    // Each of the three instances fails once and recovers once, in turn.
    for k in 0..3u32 {
        let count = |fail: bool| {
            c.timeline
                .iter()
                .filter(|t| match &t.action {
                    Action::Fail { instance, .. } => fail && *instance == Some(k),
                    Action::Recover { instance, .. } => !fail && *instance == Some(k),
                    _ => false,
                })
                .count()
        };
        assert_eq!((count(true), count(false)), (1, 1), "instance {k}");
    }
    let base = run(&s);
    let chaos = run(&c);
    let min_up = |ws: &[WindowSnapshot]| {
        ws.iter()
            .map(|w| comp(w, "web").instances_up)
            .min()
            .unwrap()
    };
    assert_eq!(min_up(&base), 3);
    assert_eq!(min_up(&chaos), 2, "never more than one down");
    let hurt = |ws: &[WindowSnapshot]| {
        errors(ws, ErrorCause::InstanceDown) + errors(ws, ErrorCause::SessionLost)
    };
    assert_eq!(hurt(&base), 0);
    eprintln!(
        "rolling restart: instance_down + session_lost {}",
        hurt(&chaos)
    );
    assert!(hurt(&chaos) > 0, "restarts cost requests or sessions");
}

#[test]
fn rolling_restart_groups_many_instances() {
    let s = stage("13-millions-of-users.json");
    let script = chaos_script(&s, ChaosKind::RollingRestart).unwrap();
    // 48 web instances in 60 s (from 30 s to 90 s): groups of two every 2 s.
    let fails = script
        .iter()
        .filter(|t| matches!(t.action, Action::Fail { .. }))
        .count();
    assert_eq!(fails, 48);
    let mut times: Vec<u64> = script
        .iter()
        .filter(|t| matches!(t.action, Action::Fail { .. }))
        .map(|t| t.at_s as u64)
        .collect();
    times.dedup();
    assert_eq!(times.len(), 24);
    assert!(script.iter().all(|t| t.at_s >= 30.0 && t.at_s <= 90.0));
}

#[test]
fn retry_storm_multiplies_arrivals_after_an_outage() {
    let mut s = stage("04-load-balancer.json");
    for c in &mut s.components {
        if let ComponentSpec::Users(u) = &mut c.spec {
            u.retries = 3;
            u.retry_backoff_ms = 200.0;
        }
    }
    let c = with_chaos(&s, ChaosKind::RetryStorm);
    let t = c.timeline[0].at_s;
    assert_eq!(t, 20.0);
    let base = run(&s);
    let chaos = run(&c);
    let arrivals = |ws: &[WindowSnapshot]| {
        between(ws, t, t + OUTAGE_S)
            .iter()
            .map(|w| w.arrivals)
            .sum::<u64>() as f64
    };
    let (a0, a1) = (arrivals(&base), arrivals(&chaos));
    eprintln!("retry storm: arrivals during the outage {a1} vs {a0} without it");
    assert!(a1 > 1.5 * a0, "retries add requests: {a1} vs {a0}");
    let e = |ws: &[WindowSnapshot]| {
        between(ws, t, t + OUTAGE_S)
            .iter()
            .map(|w| w.errors.total())
            .sum::<u64>()
    };
    assert_eq!(e(&base), 0);
    assert!(e(&chaos) > 0);
}

#[test]
fn dc_loss_at_peak_raises_traffic_then_fails_a_data_center() {
    let s = stage("09-data-centers.json");
    let c = with_chaos(&s, ChaosKind::DcLossAtPeak);
    let (peak_s, fail_s) = (s.duration_s * 0.25, (s.duration_s * 0.4).round());
    assert!(c.timeline.iter().any(|t| t.at_s == fail_s
        && t.action
            == Action::Fail {
                component: "east".into(),
                instance: None
            }));
    let base = run(&s);
    let chaos = run(&c);
    let offered = |ws: &[WindowSnapshot]| {
        between(ws, peak_s.round() + 1.0, fail_s)
            .iter()
            .map(|w| w.arrivals)
            .sum::<u64>() as f64
    };
    let ratio = offered(&chaos) / offered(&base);
    eprintln!(
        "dc loss: peak arrivals ratio {ratio}, dc_down errors {}",
        errors(&chaos, ErrorCause::DcDown)
    );
    assert!(
        (ratio - PEAK_FACTOR).abs() < 0.1,
        "the peak raises arrivals by {PEAK_FACTOR}: {ratio}"
    );
    assert_eq!(errors(&base, ErrorCause::DcDown), 0);
    assert_eq!(errors(&between(&chaos, 0.0, fail_s), ErrorCause::DcDown), 0);
    assert!(errors(&chaos, ErrorCause::DcDown) > 0);
}

#[test]
fn cache_flush_at_peak_sends_reads_to_the_database() {
    let s = stage("06-cache.json");
    let c = with_chaos(&s, ChaosKind::CacheFlushAtPeak);
    let t = (s.duration_s * 0.4).round();
    let base = run(&s);
    let chaos = run(&c);
    let db_rps = |ws: &[WindowSnapshot]| {
        let w = between(ws, t, t + 2.0);
        w.iter().map(|w| comp(w, "db").arrivals_rps).sum::<f64>() / w.len() as f64
    };
    let hit = |ws: &[WindowSnapshot], at: f64| {
        comp(&between(ws, at - 1.0, at)[0], "cache")
            .hit_ratio
            .unwrap()
    };
    eprintln!(
        "cache flush: hit ratio {} -> {}, db {} rps vs {} rps",
        hit(&chaos, t),
        hit(&chaos, t + 2.0),
        db_rps(&chaos),
        db_rps(&base)
    );
    // Just before the flush the cache is warm; just after it refills from cold.
    assert!(
        hit(&chaos, t + 2.0) < hit(&chaos, t),
        "{} vs {}",
        hit(&chaos, t + 2.0),
        hit(&chaos, t)
    );
    assert!(
        db_rps(&chaos) > 1.3 * db_rps(&base),
        "{} vs {}",
        db_rps(&chaos),
        db_rps(&base)
    );
}
