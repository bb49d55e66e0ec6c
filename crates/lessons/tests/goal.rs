//! The goal checker and the solution edits on hand-made inputs.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report

use scalelab_lessons::{apply_all, check, lessons, Edit, EditError, Goal, Metric, Unit};
use scalelab_sim::{ComponentWindow, ErrorCounts, WindowSnapshot};

fn window(i: u64, ok: u64, bad: u64, p99: f64, db_util: f64) -> WindowSnapshot {
    WindowSnapshot {
        index: i,
        start_s: i as f64,
        end_s: i as f64 + 1.0,
        latency_ms_p50: p99 / 4.0,
        latency_ms_p95: p99 / 2.0,
        latency_ms_p99: p99,
        latency_ms_max: p99 * 2.0,
        latency_ms_mean: p99 / 3.0,
        arrivals: ok + bad,
        successes: ok,
        failures: bad,
        throughput_rps: ok as f64,
        availability: if ok + bad == 0 {
            1.0
        } else {
            ok as f64 / (ok + bad) as f64
        },
        errors: ErrorCounts {
            queue_full: bad,
            ..ErrorCounts::default()
        },
        lost_writes: 0,
        stale_reads: 0,
        components: vec![ComponentWindow {
            id: "db".into(),
            utilization: db_util,
            queue_len: 0,
            in_system_mean: 0.0,
            arrivals_rps: 0.0,
            completions_rps: 0.0,
            sojourn_ms_mean: 0.0,
            in_flight: 0,
            instances_up: 2,
            instances: 2,
            hit_ratio: None,
            replication_lag_ms: None,
            backlog: None,
            job_latency_ms_p99: None,
            instance_utilization: Some(vec![db_util / 2.0, db_util * 1.5]),
        }],
    }
}

fn goal(json: &str) -> Goal {
    serde_json::from_str(json).unwrap()
}

#[test]
fn availability_is_the_ratio_over_the_span_not_the_mean_of_windows() {
    // 1,000 requests all fine, then 10 requests all failed: mean of windows would be 50%.
    let w = vec![window(0, 1000, 0, 50.0, 0.5), window(1, 0, 10, 50.0, 0.5)];
    let g = goal(
        r#"{ "all": [ { "metric": "availability", "op": ">=", "value": 0.99, "over": { "from_s": 0, "to_s": 2 } } ] }"#,
    );
    let st = check(&g, &w);
    let m = st.conditions[0].measured.unwrap();
    assert!((m - 1000.0 / 1010.0).abs() < 1e-12);
    assert!(st.passed && st.complete);
}

#[test]
fn a_span_not_yet_simulated_is_incomplete_and_never_passes() {
    let g = goal(
        r#"{ "all": [ { "metric": "latency_ms_p99", "op": "<=", "value": 200, "over": { "from_s": 0, "to_s": 10 } } ] }"#,
    );
    let w: Vec<WindowSnapshot> = (0..5).map(|i| window(i, 100, 0, 80.0, 0.5)).collect();
    let st = check(&g, &w);
    assert!(!st.complete && !st.passed);
    assert!(
        st.conditions[0].holds,
        "holds so far: the live view shows it green"
    );
    assert_eq!(st.conditions[0].windows, 5);
    let st = check::<WindowSnapshot>(&g, &[]);
    assert_eq!(st.conditions[0].measured, None);
    assert!(!st.conditions[0].holds);
}

#[test]
fn windows_outside_the_span_are_ignored_and_latency_takes_the_worst_window() {
    let g = goal(
        r#"{ "all": [ { "metric": "latency_ms_p99", "op": "<=", "value": 200, "over": { "from_s": 2, "to_s": 4 } } ] }"#,
    );
    let p99 = [900.0, 900.0, 100.0, 150.0, 900.0];
    let w: Vec<WindowSnapshot> = (0..5)
        .map(|i| window(i, 100, 0, p99[i as usize], 0.5))
        .collect();
    let st = check(&g, &w);
    assert_eq!(st.conditions[0].measured, Some(150.0));
    assert!(st.passed);
}

#[test]
fn component_metrics_errors_and_explicit_aggregation() {
    let w: Vec<WindowSnapshot> = (0..4)
        .map(|i| window(i, 100, i, 50.0, 0.2 * (i + 1) as f64))
        .collect();
    let g = goal(
        r#"{ "all": [
        { "metric": "utilization", "component": "db", "op": "<=", "value": 0.6, "over": { "from_s": 0, "to_s": 4 } },
        { "metric": "utilization", "component": "db", "agg": "max", "op": "<=", "value": 0.6, "over": { "from_s": 0, "to_s": 4 } },
        { "metric": "max_instance_utilization", "component": "db", "agg": "last", "op": "<", "value": 1.3, "over": { "from_s": 0, "to_s": 4 } },
        { "metric": "errors", "cause": "queue_full", "op": "<=", "value": 6, "over": { "from_s": 0, "to_s": 4 } },
        { "metric": "errors", "cause": "no_primary", "op": "<=", "value": 0, "over": { "from_s": 0, "to_s": 4 } },
        { "metric": "hit_ratio", "component": "db", "op": ">=", "value": 0.0, "over": { "from_s": 0, "to_s": 4 } },
        { "metric": "instances_up", "component": "nowhere", "op": ">=", "value": 1, "over": { "from_s": 0, "to_s": 4 } }
    ] }"#,
    );
    let st = check(&g, &w);
    let m: Vec<Option<f64>> = st.conditions.iter().map(|c| c.measured).collect();
    assert!((m[0].unwrap() - 0.5).abs() < 1e-12, "mean utilization");
    assert!((m[1].unwrap() - 0.8).abs() < 1e-12, "max utilization");
    assert!(
        (m[2].unwrap() - 1.2).abs() < 1e-12,
        "busiest instance of the last window"
    );
    assert_eq!(m[3], Some(6.0), "0 + 1 + 2 + 3 queue_full errors");
    assert_eq!(m[4], Some(0.0));
    assert_eq!(m[5], None, "a database has no hit ratio");
    assert_eq!(m[6], None, "no such component");
    let holds: Vec<bool> = st.conditions.iter().map(|c| c.holds).collect();
    assert_eq!(holds, [true, false, true, true, true, false, false]);
    assert!(!st.passed);
}

#[test]
fn progress_lines_read_like_the_ui_shows_them() {
    let g = goal(
        r#"{ "all": [
        { "metric": "availability", "op": ">=", "value": 0.999, "over": { "from_s": 20, "to_s": 60 } },
        { "metric": "errors", "cause": "no_primary", "op": "<=", "value": 800, "over": { "from_s": 0, "to_s": 60 } },
        { "metric": "utilization", "component": "db", "op": "<=", "value": 0.4, "over": { "from_s": 0, "to_s": 60 } }
    ] }"#,
    );
    assert_eq!(
        g.all[0].progress(Some(0.992)),
        "availability 99.20% / goal ≥ 99.90%"
    );
    assert_eq!(
        g.all[1].progress(Some(2400.0)),
        "errors (no_primary) 2,400 / goal ≤ 800"
    );
    assert_eq!(g.all[2].progress(None), "db utilization – / goal ≤ 40.0%");
    assert_eq!(Metric::LatencyMsP99.unit(), Unit::Ms);
    assert_eq!(Unit::Rps.format(12345.4), "12,345 rps");
    assert_eq!(g.run_s(), 60.0);
}

#[test]
fn goals_round_trip_through_json() {
    for l in lessons() {
        let text = serde_json::to_string(&l.goal).unwrap();
        assert_eq!(serde_json::from_str::<Goal>(&text).unwrap(), l.goal);
        let text = serde_json::to_string(&l.solution).unwrap();
        assert_eq!(
            serde_json::from_str::<Vec<Edit>>(&text).unwrap(),
            l.solution
        );
    }
    let bad = r#"{ "all": [ { "metric": "availability", "op": "=>", "value": 1, "over": { "from_s": 0, "to_s": 1 } } ] }"#;
    assert!(serde_json::from_str::<Goal>(bad).is_err());
}

#[test]
fn edits_name_what_is_wrong() {
    let s = lessons()[0].scenario.clone();
    let one = |json: &str| -> Result<(), EditError> {
        let e: Edit = serde_json::from_str(json).unwrap();
        apply_all(&s, &[e]).map(|_| ())
    };
    assert_eq!(
        one(r#"{ "edit": "set", "component": "nope", "param": "size", "value": "large" }"#),
        Err(EditError::NoComponent("nope".into()))
    );
    assert_eq!(
        one(r#"{ "edit": "set", "component": "web", "param": "service/mean_ms/x", "value": 1 }"#),
        Err(EditError::NoParam("service/mean_ms/x".into()))
    );
    assert!(matches!(
        one(r#"{ "edit": "set", "component": "web", "param": "size", "value": "huge" }"#),
        Err(EditError::Invalid(_))
    ));
    assert!(matches!(
        one(r#"{ "edit": "set", "component": "web", "param": "colour", "value": 1 }"#),
        Err(EditError::Invalid(_))
    ));
    assert!(matches!(
        one(r#"{ "edit": "remove_edge", "from": "web", "to": "users" }"#),
        Err(EditError::Invalid(_))
    ));
    assert!(
        one(r#"{ "edit": "set", "component": "web", "param": "size", "value": "x2large" }"#)
            .is_ok()
    );
    // Removing a component takes its edges and timeline actions with it.
    let mut s4 = lessons()[3].scenario.clone();
    Edit::RemoveComponent { id: "web".into() }
        .apply(&mut s4)
        .unwrap();
    assert!(s4.edges.iter().all(|e| e.from != "web" && e.to != "web"));
    assert!(s4.timeline.is_empty());
}

#[test]
fn every_lesson_runs_long_enough_to_decide_its_goal() {
    for l in lessons() {
        assert!(
            l.scenario.duration_s >= l.goal.run_s(),
            "{}: the scenario's duration must cover the goal",
            l.id
        );
        for c in &l.goal.all {
            assert!(c.over.from_s < c.over.to_s, "{}: an empty span", l.id);
            assert_eq!(
                c.metric.needs_component(),
                c.component.is_some(),
                "{}: {:?} and its component",
                l.id,
                c.metric
            );
        }
    }
}

#[test]
fn an_act_step_lands_on_the_timeline_and_runs() {
    let l = &lessons()[0];
    let e: Edit = serde_json::from_str(
        r#"{ "edit": "act", "at_s": 3, "action": { "do": "fail", "component": "web", "instance": 0 } }"#,
    )
    .unwrap();
    let s = apply_all(&l.scenario, &[e]).unwrap();
    assert_eq!(s.timeline.len(), 1);
    let w = scalelab_lessons::run(&s, 5.0).unwrap();
    assert_eq!(w.len(), 5);
    assert!(
        w[4].successes == 0 && w[4].failures > 0,
        "the server is down from 3 s"
    );
}
