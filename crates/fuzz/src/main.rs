//! `scalelab-fuzz --cases N [--seed S]`: feeds N generated inputs to the loader
//! and the simulation, catches every panic, saves the input that caused it
//! under crates/fuzz/regressions/, and exits 1 if there was any.

use scalelab_fuzz::{exercise, generate, Outcome};
use std::time::Instant;

fn arg(args: &[String], name: &str) -> Option<u64> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.replace('_', "").parse().ok())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cases = arg(&args, "--cases").unwrap_or(100_000);
    let seed = arg(&args, "--seed").unwrap_or(1);
    let out_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
    std::panic::set_hook(Box::new(|_| {})); // reported below, with the input
    let t0 = Instant::now();
    let (mut refused, mut ran, mut panics) = (0u64, 0u64, 0u64);
    for i in 0..cases {
        let input = generate(seed, i);
        match std::panic::catch_unwind(|| exercise(&input)) {
            Ok(Outcome::Refused) => refused += 1,
            Ok(Outcome::Ran) => ran += 1,
            Err(e) => {
                panics += 1;
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let path = out_dir.join(format!("seed{seed}-case{i}.json"));
                let _ = std::fs::write(&path, &input.text);
                eprintln!(
                    "PANIC at seed={seed} case={i} ({:?}): {msg}; input saved to {}",
                    input.strategy,
                    path.display()
                );
            }
        }
        if (i + 1) % 1_000_000 == 0 {
            eprintln!("{} cases, {:.0} s", i + 1, t0.elapsed().as_secs_f64());
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "fuzz: {cases} inputs (seed {seed}) in {secs:.1} s ({:.0}/s): {refused} refused with an error, {ran} loaded and ran, {panics} panics",
        cases as f64 / secs.max(1e-9)
    );
    if panics > 0 {
        std::process::exit(1);
    }
}
