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

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_run_resumed_from_a_checkpoint_is_bit_identical() {
    // Replication (pending writes in flight), and an LRU cache that evicts
    // (stage 6's with 200 keys: its recency order must survive the copy).
    let text = |name: &str| presets::ALL.iter().find(|(n, _)| *n == name).unwrap().1;
    let small_cache =
        text("06-cache.json").replace("\"capacity_keys\":2000", "\"capacity_keys\":200");
    assert_ne!(small_cache, text("06-cache.json"));
    for (name, json) in [
        (
            "05-database-replication.json",
            text("05-database-replication.json"),
        ),
        ("06-cache.json with 200 keys", small_cache.as_str()),
    ] {
        let s = Scenario::from_json(json).expect("valid");
        let mut straight = Simulation::new(&s).expect("valid");
        let mut first = straight.advance_ms(12_500);
        let checkpoint = straight.clone();
        first.extend(straight.advance_ms(17_500));
        // Resumed from a copy of the checkpoint (as the worker's rewind
        // does), and from the checkpoint itself: one copy, then two.
        let twice = checkpoint.clone();
        for (copies, mut resumed) in [(2, twice), (1, checkpoint)] {
            let mut again = Simulation::new(&s).expect("valid").advance_ms(12_500);
            again.extend(resumed.advance_ms(17_500));
            assert_eq!(first, again, "{name}, {copies} copies");
            assert_eq!(
                straight.digest(),
                resumed.digest(),
                "{name}, {copies} copies"
            );
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn common_random_numbers_adding_a_component_leaves_the_others_streams_alone() {
    // A: users → lb → web → db. B: the same plus a cache between web and db.
    // Arrivals, kinds and keys come from the users' own stream, so both runs see
    // exactly the same requests: the number of arrivals per window is identical.
    let a = scalelab_sim::presets::by_name("05-database-replication.json").expect("preset");
    let mut b = a.clone();
    b.components.push(scalelab_sim::Component {
        id: "cache".into(),
        label: String::new(),
        dc: None,
        pos: None,
        spec: serde_json::from_str(r#"{"kind": "cache", "capacity_keys": 500}"#).expect("spec"),
    });
    b.edges.retain(|e| !(e.from == "web" && e.to == "db"));
    b.edges.push(scalelab_sim::Edge {
        from: "web".into(),
        to: "cache".into(),
        latency_ms: None,
    });
    b.edges.push(scalelab_sim::Edge {
        from: "cache".into(),
        to: "db".into(),
        latency_ms: None,
    });
    let wa = Simulation::new(&a).expect("a").advance_ms(20_000);
    let wb = Simulation::new(&b).expect("b").advance_ms(20_000);
    let arrivals =
        |w: &[scalelab_sim::WindowSnapshot]| w.iter().map(|w| w.arrivals).collect::<Vec<_>>();
    assert_eq!(arrivals(&wa), arrivals(&wb));
    assert_ne!(wa, wb, "the cache does change the metrics");
}
