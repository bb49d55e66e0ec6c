//! Replays every input the fuzzer ever saved (crates/fuzz/regressions/) and a
//! short fresh run: none may panic.

use scalelab_fuzz::{exercise, generate, Input, Strategy};

#[test]
fn saved_crashes_no_longer_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.path().extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            exercise(&Input {
                text,
                strategy: Strategy::Bytes,
                actions: vec![],
            });
        }
    }
}

#[test]
fn a_short_fresh_run_does_not_panic() {
    for i in 0..2_000 {
        exercise(&generate(7, i));
    }
}
