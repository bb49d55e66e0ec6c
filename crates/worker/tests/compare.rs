//! Compare mode (two designs in lockstep on common random numbers) and the
//! rewindable timeline (checkpoints, `Seek`), driven natively.
#![allow(clippy::unwrap_used)]

use scalelab_sim::compare::DiffRow;
use scalelab_sim::{presets, Scenario, WindowSnapshot};
use scalelab_worker::{FromSim, Session, ToSim};

fn preset(name: &str) -> Scenario {
    presets::by_name(name).unwrap()
}

/// A clock that never moves (only `Step` and `Seek` are used here).
fn clock() -> f64 {
    0.0
}

fn session(a: &Scenario, b: Option<&Scenario>, traffic_rps: Option<f64>) -> Session {
    let mut s = Session::new();
    let r = s.handle(
        ToSim::Load {
            gen: 1,
            scenario_json: serde_json::to_string(a).unwrap(),
            traffic_rps,
        },
        &mut clock,
    );
    assert!(
        matches!(r[0], FromSim::Loaded { result: Ok(()), .. }),
        "{r:?}"
    );
    if let Some(b) = b {
        let r = s.handle(
            ToSim::LoadB {
                gen: 1,
                scenario_json: Some(serde_json::to_string(b).unwrap()),
            },
            &mut clock,
        );
        assert!(
            matches!(r[0], FromSim::LoadedB { result: Ok(()), .. }),
            "{r:?}"
        );
    }
    s
}

/// One step (one window): (A's windows JSON, B's windows JSON, diff table).
fn step(s: &mut Session) -> (String, Option<String>, Option<Vec<DiffRow>>) {
    let r = s.handle(ToSim::Step, &mut clock);
    s.handle(ToSim::Ack { gen: 1 }, &mut clock);
    match r.into_iter().next().unwrap() {
        FromSim::Advanced {
            windows,
            windows_b,
            diff,
            ..
        } => (
            serde_json::to_string(&windows).unwrap(),
            windows_b.map(|w| serde_json::to_string(&w).unwrap()),
            diff,
        ),
        other => panic!("expected Advanced, got {other:?}"),
    }
}

fn steps(s: &mut Session, n: usize) -> Vec<(String, Option<String>)> {
    (0..n)
        .map(|_| {
            let (a, b, _) = step(s);
            (a, b)
        })
        .collect()
}

fn apply(s: &mut Session, json: &str) {
    let r = s.handle(
        ToSim::Apply {
            action_json: json.into(),
        },
        &mut clock,
    );
    assert!(
        matches!(r[0], FromSim::Applied { result: Ok(()), .. }),
        "{r:?}"
    );
}

fn windows(json: &str) -> Vec<WindowSnapshot> {
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_equal_to_b_gives_identical_windows_and_a_zero_difference() {
    let a = preset("05-database-replication.json");
    let mut s = session(&a, Some(&a), None);
    for i in 0..30 {
        let (wa, wb, diff) = step(&mut s);
        assert_eq!(Some(&wa), wb.as_ref(), "window {i}");
        assert_eq!(windows(&wa).len(), 1);
        let diff = diff.unwrap();
        assert_eq!(diff.len(), 9);
        assert_eq!(diff[8].key, "cost_usd_per_month");
        for row in diff {
            assert_eq!(row.a.to_bits(), row.b.to_bits(), "{}", row.key);
            assert_eq!(row.delta, 0.0);
            assert_eq!(row.b_better, None);
        }
    }
}

#[test]
fn changing_only_b_leaves_a_byte_identical_to_a_single_run() {
    // Stage 6 has a cache: B's holds 10× fewer keys. Also with a traffic override.
    for traffic in [None, Some(900.0)] {
        let a = preset("06-cache.json");
        let mut b = a.clone();
        for c in &mut b.components {
            if let scalelab_sim::ComponentSpec::Cache(k) = &mut c.spec {
                k.capacity_keys /= 10;
            }
        }
        let mut alone = session(&a, None, traffic);
        let mut both = session(&a, Some(&b), traffic);
        let single = steps(&mut alone, 25);
        let paired = steps(&mut both, 25);
        for (i, ((sa, none), (pa, pb))) in single.iter().zip(&paired).enumerate() {
            assert_eq!(sa, pa, "A's window {i} changed because of B");
            assert!(none.is_none());
            assert!(pb.is_some());
        }
        // Same requests: identical arrivals per window; different metrics.
        let arrivals = |w: &str| windows(w)[0].arrivals;
        assert!(paired
            .iter()
            .all(|(a, b)| arrivals(a) == arrivals(b.as_ref().unwrap())));
        assert!(
            paired.iter().any(|(a, b)| a != b.as_ref().unwrap()),
            "the smaller cache changes B's figures"
        );
    }
}

#[test]
fn adding_a_cache_in_b_keeps_a_and_the_traffic_and_shows_in_the_diff() {
    let a = preset("05-database-replication.json");
    let b = with_cache(&a, 2_000);
    let mut alone = session(&a, None, None);
    let mut both = session(&a, Some(&b), None);
    let mut last = None;
    for i in 0..40 {
        let (sa, _, _) = step(&mut alone);
        let (pa, pb, diff) = step(&mut both);
        assert_eq!(sa, pa, "window {i}");
        assert_eq!(
            windows(&pa)[0].arrivals,
            windows(pb.as_ref().unwrap())[0].arrivals
        );
        last = diff;
    }
    let diff = last.unwrap();
    for r in &diff {
        eprintln!(
            "{:>20} A {:>12.4} B {:>12.4} B-A {:>+12.4}",
            r.key, r.a, r.b, r.delta
        );
    }
    let row = |k: &str| diff.iter().find(|r| r.key == k).unwrap().clone();
    for r in &diff {
        assert_eq!(r.delta.to_bits(), (r.b - r.a).to_bits(), "{}", r.key);
    }
    // The cache is an extra line on B's bill.
    assert!(row("cost_usd_per_month").delta > 0.0);
    assert_eq!(row("cost_usd_per_month").b_better, Some(false));
    // The database is the bottleneck of stage 5: a cache in front of it lowers latency.
    assert!(row("p50_ms").delta < 0.0, "{:?}", row("p50_ms"));
    assert_eq!(row("p50_ms").b_better, Some(true));
}

/// `a` with a cache between the web tier and the database.
fn with_cache(a: &Scenario, capacity_keys: u64) -> Scenario {
    let mut b = a.clone();
    b.components.push(scalelab_sim::Component {
        id: "cache".into(),
        label: String::new(),
        dc: None,
        pos: None,
        spec: serde_json::from_str(&format!(
            r#"{{"kind": "cache", "capacity_keys": {capacity_keys}}}"#
        ))
        .unwrap(),
    });
    b.edges.retain(|e| !(e.from == "web" && e.to == "db"));
    for (from, to) in [("web", "cache"), ("cache", "db")] {
        b.edges.push(scalelab_sim::Edge {
            from: from.into(),
            to: to.into(),
            latency_ms: None,
        });
    }
    b
}

fn seek(s: &mut Session, t_ms: u64) -> f64 {
    match s.handle(ToSim::Seek { t_ms }, &mut clock).pop().unwrap() {
        FromSim::Seeked { now_ms, .. } => now_ms,
        other => panic!("expected Seeked, got {other:?}"),
    }
}

/// Steps from `from_s` to `to_s`, applying the learner's script on the way:
/// fail web#0 at 4 s, traffic 700 rps at 13 s, recover web#0 at 23 s.
fn scripted(s: &mut Session, from_s: u64, to_s: u64) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for t in from_s..to_s {
        match t {
            4 => apply(s, r#"{"do":"fail","component":"web","instance":0}"#),
            13 => {
                s.handle(ToSim::SetTraffic { rps: 700.0 }, &mut clock);
            }
            23 => apply(s, r#"{"do":"recover","component":"web","instance":0}"#),
            _ => {}
        }
        out.extend(steps(s, 1));
    }
    out
}

#[test]
fn seek_back_and_replay_is_bit_identical_with_faults_and_traffic() {
    let a = preset("05-database-replication.json");
    for b in [None, Some(with_cache(&a, 1_000))] {
        let mut s = session(&a, b.as_ref(), Some(400.0));
        let straight = scripted(&mut s, 0, 35);
        assert_eq!(s.simulation().unwrap().now_ms(), 35_000.0);
        let digest = s.simulation().unwrap().digest();
        // Back to a second before, between and after the actions (the
        // actions before it are replayed, those after it are the learner's
        // to do again), then on to 35 s.
        for t_s in [5u64, 27, 0, 13, 20] {
            assert_eq!(seek(&mut s, t_s * 1_000), (t_s * 1_000) as f64);
            let again = scripted(&mut s, t_s, 35);
            let first_diff = again
                .iter()
                .zip(&straight[t_s as usize..])
                .position(|(x, y)| x != y);
            assert_eq!(first_diff, None, "resumed at {t_s} s (b: {})", b.is_some());
            assert_eq!(s.simulation().unwrap().digest(), digest);
        }
        // Seek past now stays at now.
        assert_eq!(seek(&mut s, 99_000), 35_000.0);
    }
}

#[test]
fn actions_after_the_seek_target_are_forgotten() {
    let a = preset("05-database-replication.json");
    let mut s = session(&a, None, None);
    let mut clean = session(&a, None, None);
    steps(&mut s, 8);
    apply(&mut s, r#"{"do":"fail","component":"web","instance":1}"#);
    steps(&mut s, 6);
    seek(&mut s, 6_000);
    steps(&mut clean, 6);
    assert_eq!(
        steps(&mut s, 14),
        steps(&mut clean, 14),
        "no fail at 8 s any more"
    );
}

#[test]
fn checkpoints_are_bounded_and_seek_works_after_thinning() {
    let a = preset("04-load-balancer.json");
    let mut s = session(&a, None, None);
    s.set_checkpoint_bounds(2_000, 5, usize::MAX);
    let straight = steps(&mut s, 120);
    let times = s.checkpoint_times_ms();
    assert!(times.len() <= 5, "{times:?}");
    assert_eq!(times[0], 0);
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps.iter().all(|g| *g == gaps[0]),
        "evenly spread: {times:?}"
    );
    assert!(gaps[0] >= 2_000 * 8, "thinned more than once: {times:?}");
    assert_eq!(seek(&mut s, 37_000), 37_000.0);
    assert_eq!(&steps(&mut s, 83)[..], &straight[37..]);
    // The default bounds: a long run keeps at most MAX_CHECKPOINTS.
    let mut long = session(&a, None, None);
    for _ in 0..600 {
        step(&mut long);
    }
    assert!(long.checkpoint_times_ms().len() <= scalelab_worker::session::MAX_CHECKPOINTS);
}

#[test]
fn design_b_that_does_not_build_is_an_error() {
    let a = preset("05-database-replication.json");
    let mut s = session(&a, None, None);
    let mut bad = a.clone();
    bad.edges.push(scalelab_sim::Edge {
        from: "db".into(),
        to: "nowhere".into(),
        latency_ms: None,
    });
    let r = s.handle(
        ToSim::LoadB {
            gen: 1,
            scenario_json: Some(serde_json::to_string(&bad).unwrap()),
        },
        &mut clock,
    );
    match &r[0] {
        FromSim::LoadedB {
            result: Err(scalelab_worker::LoadError::DesignB(msg)),
            ..
        } => assert!(msg.contains("nowhere"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert!(s.simulation_b().is_none());
    let (_, b, diff) = step(&mut s);
    assert!(b.is_none() && diff.is_none());
}
