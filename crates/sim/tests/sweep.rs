//! The capacity sweep finds the knee where the analytic twin says the design
//! saturates, and rejects bad ranges.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use scalelab_sim::{analyze, presets, sweep::sweep};

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
