//! `cargo xtask fuzz [--cases N] [--seed S]`: the stable-Rust fuzzer of the
//! loader and the simulation (crates/fuzz), built with unwinding so every
//! panic is caught, reported with its seed and saved as a regression input.

use crate::proc::{banner, cargo, exec_collecting};
use crate::Result;

/// Inputs in the short run that is part of `cargo xtask test`.
pub const TEST_CASES: &str = "100000";

/// Runs the fuzzer; `args` are passed through (`--cases N`, `--seed S`).
/// The fuzzer's summary line is appended to `totals`.
pub fn run(args: &[String], totals: &mut Vec<String>) -> Result {
    banner(&format!(
        "fuzz: cargo run --profile fuzz -p scalelab-fuzz -- {}",
        args.join(" ")
    ));
    let mut lines = Vec::new();
    let result = exec_collecting(
        cargo()
            .args([
                "run",
                "--quiet",
                "--profile",
                "fuzz",
                "-p",
                "scalelab-fuzz",
                "--",
            ])
            .args(args),
        |line| line.starts_with("fuzz: "),
        &mut lines,
    );
    totals.extend(lines);
    result
}
