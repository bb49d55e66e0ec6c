//! The simulation held against queueing theory: M/M/1 and M/M/c closed forms,
//! Little's law, and the analytic twin.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use scalelab_sim::analytic::mmc_wait_s;
use scalelab_sim::sizes::InstanceSize;
use scalelab_sim::Simulation;

/// Runs an M/M/c model and returns (mean latency ms, utilization, component summary).
fn run_mmc(
    lambda: f64,
    size: InstanceSize,
    mean_ms: f64,
    seconds: f64,
) -> (f64, f64, scalelab_sim::metrics::ComponentSummary) {
    run_mmc_seed(lambda, size, mean_ms, seconds, 42)
}

/// As [`run_mmc`] with a given seed.
fn run_mmc_seed(
    lambda: f64,
    size: InstanceSize,
    mean_ms: f64,
    seconds: f64,
    seed: u64,
) -> (f64, f64, scalelab_sim::metrics::ComponentSummary) {
    let s = mmc(lambda, size, mean_ms, seed, seconds);
    let mut sim = Simulation::new(&s).expect("valid");
    let sum = sim.run_to_end();
    let web = sum
        .components
        .iter()
        .find(|c| c.id == "web")
        .expect("web")
        .clone();
    (sum.latency_ms_mean, web.utilization, web)
}

fn check_mmc(lambda: f64, size: InstanceSize, mean_ms: f64, seconds: f64) {
    check_mmc_runs(lambda, size, mean_ms, seconds, 1);
}

/// Averages `runs` independent seeded runs (heavy traffic needs many customers).
fn check_mmc_runs(lambda: f64, size: InstanceSize, mean_ms: f64, seconds: f64, runs: u64) {
    let spec = size.spec();
    let mu = spec.speed * 1000.0 / mean_ms;
    let c = spec.cores;
    let expect_w_ms = (mmc_wait_s(c, lambda, mu) + 1.0 / mu) * 1000.0;
    let expect_rho = lambda / (f64::from(c) * mu);
    let results: Vec<_> = (0..runs)
        .map(|k| run_mmc_seed(lambda, size, mean_ms, seconds, 42 + k))
        .collect();
    let w_ms = results.iter().map(|r| r.0).sum::<f64>() / runs as f64;
    let rho = results.iter().map(|r| r.1).sum::<f64>() / runs as f64;
    let web = results[0].2.clone();
    println!("M/M/{c} λ={lambda} μ={mu}: W sim {w_ms:.3} ms vs {expect_w_ms:.3} ms ({:.2}%), ρ sim {rho:.4} vs {expect_rho:.4}", 100.0 * rel(w_ms, expect_w_ms));
    assert!(
        rel(w_ms, expect_w_ms) < 0.03,
        "mean latency {w_ms} vs closed form {expect_w_ms}"
    );
    assert!(
        rel(rho, expect_rho) < 0.03,
        "utilization {rho} vs {expect_rho}"
    );
    // Little's law at the station: L = λ W.
    let little = web.arrivals_rps * web.sojourn_ms_mean / 1000.0;
    assert!(
        rel(web.in_system_mean, little) < 0.02,
        "L {} vs λW {}",
        web.in_system_mean,
        little
    );
}

#[test]
fn mm1_rho_050() {
    check_mmc(50.0, InstanceSize::Small, 10.0, 10_000.0);
}

#[test]
fn mm1_rho_080() {
    check_mmc(80.0, InstanceSize::Small, 10.0, 10_000.0);
}

#[test]
fn mm1_rho_095() {
    // Heavy traffic converges slowly: a long run.
    check_mmc_runs(95.0, InstanceSize::Small, 10.0, 80_000.0, 4);
}

#[test]
fn mm1_sojourn_is_one_over_mu_minus_lambda() {
    // The Foundation check: W = 1/(μ − λ) within 3%.
    let (w_ms, _, _) = run_mmc(70.0, InstanceSize::Small, 10.0, 4_000.0);
    let expect = 1000.0 / (100.0 - 70.0);
    assert!(rel(w_ms, expect) < 0.03, "W {w_ms} vs {expect}");
}

#[test]
fn mmc_c4() {
    // Large: 4 cores at speed 1.1.
    check_mmc(350.0, InstanceSize::Large, 10.0, 2_000.0);
}

#[test]
fn mmc_c16() {
    // X2large: 16 cores at speed 1.25.
    check_mmc(1_700.0, InstanceSize::X2large, 10.0, 1_000.0);
}

#[test]
fn analytic_twin_agrees_below_saturation() {
    let s = mmc(300.0, InstanceSize::Large, 10.0, 7, 2_000.0);
    let a = scalelab_sim::analyze(&s).expect("valid");
    let mut sim = Simulation::new(&s).expect("valid");
    let sum = sim.run_to_end();
    assert!(
        rel(sum.latency_ms_mean, a.latency_ms_mean) < 0.03,
        "sim {} vs twin {}",
        sum.latency_ms_mean,
        a.latency_ms_mean
    );
    let cap = a.max_sustainable_rps.expect("a capacity");
    assert!(rel(cap, 440.0) < 1e-9, "capacity {cap}");
    assert_eq!(a.bottleneck.as_deref(), Some("web"));
}
