//! `cargo xtask bench`: the core's benchmarks, implemented by the CLI as
//! `scalelab bench` (release build); extra arguments are passed through.

use crate::proc::{banner, cargo, exec};
use crate::Result;

/// Runs `scalelab bench [args]` in release mode; its output is printed as is.
pub fn run(args: &[String]) -> Result {
    banner("bench: cargo run --release -p scalelab-cli --bin scalelab -- bench");
    exec(
        cargo()
            .args([
                "run",
                "--release",
                "-p",
                "scalelab-cli",
                "--bin",
                "scalelab",
                "--",
                "bench",
            ])
            .args(args),
    )
}
