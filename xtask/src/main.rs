//! `cargo xtask`: ScaleLab's build and test glue (plain std, no dependencies).
//!
//! ```text
//! cargo xtask setup          install what is missing (idempotent, quick when present)
//! cargo xtask serve          setup, then trunk serve on http://127.0.0.1:8080
//! cargo xtask dist           setup, then a release build into dist/ (relative URLs), wasm size
//! cargo xtask test           THE test command: fmt, clippy, native tests, wasm tests in
//!                            Chromium, dist (size ceiling), end-to-end tests
//! cargo xtask e2e [FILTER]   setup, dist, then only the end-to-end tests
//! cargo xtask bench [--skip STEP,..]
//!                            every performance budget in one table (docs/benchmarks.md)
//! cargo xtask fuzz [ARGS]    the fuzzer (--cases N, --seed S)
//! ```

mod bench;
mod dist;
mod e2e;
mod fuzz;
mod json;
mod proc;
mod setup;
mod soak;
mod test;

use std::process::ExitCode;

/// Errors are messages for the person at the terminal.
pub type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup          install missing tools: wasm32 target, trunk 0.21, wasm-bindgen-cli
                 (Cargo.lock's version), e2e npm packages, Chromium + chromedriver
  serve          setup, then `trunk serve` on http://127.0.0.1:8080
  dist           setup, then release build into dist/ and print the wasm size
  test [--skip STEP,..]
                 fmt, clippy, native tests, wasm tests in headless Chromium,
                 dist (wasm gzip ceiling), end-to-end tests; stops at the first failure
                 (steps: setup fmt clippy native fuzz wasm dist e2e)
  e2e [FILTER]   setup, dist, then the end-to-end tests (files whose name contains FILTER)
  bench [--skip STEP,..]
                 every performance budget in one table: native engine vs a bare heap,
                 SimPy (venv in target/bench-venv), the release page in headless
                 Chromium, wasm size (steps: native simpy browser size); a missed
                 goal prints FAIL, only a step that cannot run fails the command
  soak [--sim-s S]
                 stage 13 at full load for S simulated seconds (default 3600), natively
                 and in headless Chromium; memory and DOM size, first vs last 10 minutes
  fuzz [--cases N] [--seed S]
                 feed N generated inputs to the loader and the simulation; any panic
                 fails and is saved under crates/fuzz/regressions/
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "setup" => setup::run(),
        "serve" => setup::run().and_then(|()| dist::serve()),
        "dist" => setup::run().and_then(|()| dist::build().map(drop)),
        "test" => test::run(rest),
        "e2e" => setup::run()
            .and_then(|()| dist::build())
            .and_then(|_| e2e::run(rest, &mut Vec::new())),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest, &mut Vec::new()),
        "soak" => setup::run().and_then(|()| soak::run(rest)),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask {command}: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}
