//! The rewindable timeline in the core, natively and in the browser
//! (wasm-bindgen-test in headless Chromium, run by `cargo xtask test`): a run
//! that keeps bounded checkpoints ([`Rewind`]) and is resumed from one gives
//! bit-identical windows and digest to the uninterrupted run, also after the
//! store has been thinned.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report

use scalelab_sim::rewind::{approx_sim_bytes, Rewind};
use scalelab_sim::{presets, Simulation, WindowSnapshot};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Runs `name` for `seconds` one second at a time, offering a checkpoint
/// after each second; returns the windows, the final digest and the store.
fn run_with_checkpoints(
    name: &str,
    seconds: u64,
    every_ms: u64,
    max: usize,
) -> (Vec<WindowSnapshot>, u64, Rewind<Simulation>) {
    let s = presets::by_name(name).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    let mut rewind = Rewind::new(every_ms, max, usize::MAX);
    rewind.offer(0, 0, approx_sim_bytes(&sim), &sim);
    let mut windows = Vec::new();
    for t in 1..=seconds {
        windows.extend(sim.advance_ms(1_000));
        if t * 1_000 >= rewind.next_due_ms() {
            rewind.offer(t * 1_000, 0, approx_sim_bytes(&sim), &sim);
        }
        assert!(rewind.points().len() <= max);
    }
    (windows, sim.digest(), rewind)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn resumed_from_a_kept_checkpoint_is_bit_identical() {
    let (straight, digest, rewind) =
        run_with_checkpoints("05-database-replication.json", 30, 2_000, 4);
    let times: Vec<u64> = rewind.points().iter().map(|p| p.t_ms).collect();
    assert!(times.len() <= 4 && times.len() >= 2, "{times:?}");
    assert!(rewind.every_ms() > 2_000, "thinned: {times:?}");
    for target_s in [0u64, 7, 17, 29] {
        let cp = rewind.at_or_before(target_s * 1_000).unwrap();
        let mut sim = cp.state.clone();
        let from_s = (cp.t_ms / 1_000) as usize;
        let again = sim.advance_ms(30_000 - cp.t_ms);
        assert_eq!(
            &again[..],
            &straight[from_s..],
            "resumed at {} s",
            cp.t_ms / 1_000
        );
        assert_eq!(sim.digest(), digest);
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_fault_in_the_timeline_replays_the_same_after_a_rewind() {
    // Stage 5 fails the primary at 20 s: resume from a checkpoint before it.
    let (straight, digest, rewind) =
        run_with_checkpoints("05-database-replication.json", 26, 5_000, 8);
    let cp = rewind.at_or_before(15_000).unwrap();
    assert_eq!(cp.t_ms, 15_000);
    let mut sim = cp.state.clone();
    let again = sim.advance_ms(11_000);
    assert_eq!(&again[..], &straight[15..]);
    assert!(again.iter().map(|w| w.errors.total()).sum::<u64>() > 0);
    assert_eq!(sim.digest(), digest);
}
