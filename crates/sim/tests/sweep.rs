//! The capacity sweep finds the knee where the analytic twin says the design
//! saturates, and rejects bad ranges.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use scalelab_sim::sweep::{default_range, sweep, SweepRun};
use scalelab_sim::{analyze, presets};

#[test]
fn stage4_knee_is_within_ten_percent_of_the_analytic_maximum() {
    let s = presets::by_name("04-load-balancer.json").unwrap();
    let max = analyze(&s).unwrap().max_sustainable_rps.unwrap();
    let r = sweep(&s, 0.5 * max, 1.5 * max, 21, 60.0).unwrap();
    assert_eq!(r.points.len(), 21);
    assert_eq!(r.analytic_max_rps, Some(max));
    let knee = r.knee_rps.unwrap();
    let off = (knee - max).abs() / max;
    assert!(
        off <= 0.10,
        "knee {knee:.0} vs analytic {max:.0} ({:.1} % off)",
        off * 100.0
    );
    // Past the knee the design stops keeping up, and the web tier is the busiest.
    let last = r.points.last().unwrap();
    assert!(last.throughput_rps < 0.8 * last.offered_rps, "{last:?}");
    assert_eq!(last.bottleneck.as_deref(), Some("web"));
    // Deterministic.
    assert_eq!(r, sweep(&s, 0.5 * max, 1.5 * max, 21, 60.0).unwrap());
}

#[test]
fn bad_ranges_are_errors() {
    let s = presets::by_name("01-single-server.json").unwrap();
    for (from, to, steps, d) in [
        (0.0, 10.0, 3, 10.0),
        (f64::NAN, 10.0, 3, 10.0),
        (10.0, 5.0, 3, 10.0),
        (10.0, 1e12, 3, 10.0),
        (10.0, 20.0, 0, 10.0),
        (10.0, 20.0, 1000, 10.0),
        (10.0, 20.0, 3, -1.0),
    ] {
        let e = sweep(&s, from, to, steps, d).unwrap_err().to_string();
        assert!(e.contains("sweep"), "{e}");
    }
}

#[test]
fn a_sweep_run_in_slices_gives_the_same_points_as_sweep() {
    let s = presets::by_name("04-load-balancer.json").unwrap();
    let whole = sweep(&s, 200.0, 2400.0, 5, 3.0).unwrap();
    let mut run = SweepRun::new(&s, 200.0, 2400.0, 5, 3.0).unwrap();
    assert_eq!(run.total_steps(), 5);
    let mut points = Vec::new();
    let mut calls = 0;
    // 70 ms slices do not divide 3 s: the last slice of each step is short.
    while !run.is_done() {
        calls += 1;
        if let Some(p) = run.advance(70).unwrap() {
            points.push(p);
            assert_eq!(run.done_steps() as usize, points.len());
        }
    }
    assert!(calls > 5 * 40, "{calls} slices");
    assert_eq!(run.advance(70).unwrap(), None);
    assert_eq!(points, whole.points);
    assert_eq!(run.finish(), whole);
}

#[test]
fn a_partial_run_finishes_with_the_points_so_far() {
    let s = presets::by_name("04-load-balancer.json").unwrap();
    let whole = sweep(&s, 200.0, 2400.0, 5, 3.0).unwrap();
    let mut run = SweepRun::new(&s, 200.0, 2400.0, 5, 3.0).unwrap();
    run.step().unwrap();
    run.step().unwrap();
    let part = run.finish();
    assert_eq!(part.points, whole.points[..2]);
    assert_eq!(part.analytic_max_rps, whole.analytic_max_rps);
}

#[test]
fn the_default_range_brackets_the_analytic_maximum() {
    let s = presets::by_name("04-load-balancer.json").unwrap();
    let max = analyze(&s).unwrap().max_sustainable_rps.unwrap();
    let d = default_range(Some(max), s.offered_rps());
    assert!(d.from_rps < 0.5 * max && d.to_rps >= 1.5 * max, "{d:?}");
    assert!((1.0..=10.0).contains(&d.duration_s), "{d:?}");
    let r = sweep(&s, d.from_rps, d.to_rps, d.steps, d.duration_s).unwrap();
    let knee = r.knee_rps.unwrap();
    assert!((knee - max).abs() / max <= 0.10, "knee {knee} vs {max}");
    // A big design gets short steps; no maximum falls back to the offered load.
    let big = default_range(Some(260_000.0), 100_000.0);
    assert_eq!(big.duration_s, 1.0);
    let none = default_range(None, 300.0);
    assert_eq!((none.from_rps, none.to_rps), (150.0, 1050.0));
    let nothing = default_range(Some(f64::NAN), 0.0);
    assert!(nothing.from_rps > 0.0 && nothing.to_rps >= nothing.from_rps);
}
