//! Determinism across platforms: every built-in scenario, run for its first
//! seconds, gives the digest recorded in `digests.txt` — natively and in the
//! browser (wasm-bindgen-test in headless Chromium). Equal digests mean
//! bit-identical window metrics.
//!
//! After a deliberate change to the model, regenerate the file natively with
//! `UPDATE_DIGESTS=1 cargo test -p scalelab-sim --test determinism`.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report

use scalelab_sim::{presets, Scenario, Simulation};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("digests.txt");
/// Simulated seconds per scenario (stage 13 runs ~1 M events/s of simulated time).
const SECONDS: f64 = 6.0;

fn digests() -> Vec<(String, String)> {
    presets::ALL
        .iter()
        .map(|(name, text)| {
            let s = Scenario::from_json(text).expect("preset loads");
            let mut sim = Simulation::new(&s).expect("preset builds");
            sim.advance_ms((SECONDS.min(s.duration_s) * 1000.0) as u64);
            (name.to_string(), format!("{:016x}", sim.digest()))
        })
        .collect()
}

fn golden() -> Vec<(String, String)> {
    GOLDEN
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_scenario_gives_the_recorded_digest() {
    let got = digests();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("UPDATE_DIGESTS").is_some() {
        let mut text =
            String::from("# scenario digest-of-first-6-seconds (see tests/determinism.rs)\n");
        for (n, d) in &got {
            text.push_str(&format!("{n} {d}\n"));
        }
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/digests.txt"),
            text,
        )
        .expect("write digests");
        return;
    }
    assert_eq!(got, golden(), "digests differ from tests/digests.txt");
}
