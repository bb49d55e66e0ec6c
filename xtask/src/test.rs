//! `cargo xtask test`: the one test command. Steps, in order, stopping at the
//! first failure:
//!
//! 1. setup (install what is missing)
//! 2. `cargo fmt --all --check`
//! 3. `cargo clippy --workspace --all-targets -- -D warnings`
//! 4. native tests: `cargo test --workspace`
//! 5. a short fuzzing run (`cargo xtask fuzz --cases 100000`)
//! 6. the core's tests in headless Chromium:
//!    `cargo test -p scalelab-sim --tests --target wasm32-unknown-unknown`, run by
//!    wasm-bindgen-test-runner through chromedriver (capabilities in
//!    `xtask/webdriver.json`)
//! 7. the release web build into `dist/`, failing over the wasm gzip ceiling
//!    (the budget itself is a row of `cargo xtask bench`)
//! 8. the end-to-end tests (`node e2e/run.mjs`)
//!
//! The output ends with a summary: each step's time, then the test runners'
//! totals. `--skip fmt,clippy` skips steps (for local use; CI runs them all).

use std::time::{Duration, Instant};

use crate::dist::{self, kib, WASM_GZIP_BUDGET};
use crate::proc::{banner, cargo, exec, exec_collecting, root};
use crate::setup::{self, CHROMEDRIVER, WASM_TARGET};
use crate::{e2e, Result};

/// Names of the steps, for `--skip`.
pub const STEPS: [&str; 8] = [
    "setup", "fmt", "clippy", "native", "fuzz", "wasm", "dist", "e2e",
];

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed,
    Skipped,
}

/// Step names and times, and the summary lines of the test runners.
#[derive(Debug, Default)]
struct Report {
    skip: Vec<String>,
    steps: Vec<(&'static str, Duration, Outcome)>,
    totals: Vec<String>,
}

impl Report {
    /// Runs one step (unless skipped), recording its time and outcome.
    fn step(&mut self, name: &'static str, f: impl FnOnce(&mut Self) -> Result) -> Result {
        if self.skip.iter().any(|s| s == name) {
            self.steps.push((name, Duration::ZERO, Outcome::Skipped));
            return Ok(());
        }
        let started = Instant::now();
        let result = f(self);
        let outcome = if result.is_ok() {
            Outcome::Passed
        } else {
            Outcome::Failed
        };
        self.steps.push((name, started.elapsed(), outcome));
        result
    }

    fn print(&self, started: Instant, outcome: &Result) {
        banner("summary");
        for (name, took, result) in &self.steps {
            let mark = match result {
                Outcome::Passed => "ok  ",
                Outcome::Failed => "FAIL",
                Outcome::Skipped => "skip",
            };
            println!("  {mark} {name:<12} {:>7.1}s", took.as_secs_f64());
        }
        for line in &self.totals {
            println!("{line}");
        }
        let took = started.elapsed().as_secs_f64();
        let skipped = self.steps.iter().any(|s| s.2 == Outcome::Skipped);
        match outcome {
            Ok(()) if skipped => println!("xtask test: passed in {took:.0}s, SOME STEPS SKIPPED"),
            Ok(()) => println!("xtask test: all steps passed in {took:.0}s"),
            Err(_) => println!("xtask test: FAILED after {took:.0}s"),
        }
    }
}

/// Entry point of `cargo xtask test [--skip STEP[,STEP...]]`.
pub fn run(args: &[String]) -> Result {
    let mut skip = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--skip" => {
                let list = args.next().ok_or("--skip needs a step name")?;
                skip.extend(list.split(',').map(str::to_string));
            }
            other => return Err(format!("unknown argument `{other}` for test")),
        }
    }
    if let Some(bad) = skip.iter().find(|s| !STEPS.contains(&s.as_str())) {
        return Err(format!(
            "no step `{bad}`; the steps are {}",
            STEPS.join(", ")
        ));
    }
    let started = Instant::now();
    let mut report = Report {
        skip,
        ..Report::default()
    };
    let outcome = steps(&mut report);
    report.print(started, &outcome);
    outcome
}

fn steps(r: &mut Report) -> Result {
    r.step("setup", |_| setup::run())?;
    r.step("fmt", |_| {
        banner("fmt: cargo fmt --all --check");
        exec(cargo().args(["fmt", "--all", "--check"]))
    })?;
    r.step("clippy", |_| {
        banner("clippy: cargo clippy --workspace --all-targets -- -D warnings");
        exec(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    r.step("native", |r| {
        banner("native tests: cargo test --workspace");
        let mut lines = Vec::new();
        let result = exec_collecting(
            cargo().args(["test", "--workspace"]),
            is_libtest_total,
            &mut lines,
        );
        r.totals.push(format!("native tests: {}", add_up(&lines)));
        result
    })?;
    r.step("fuzz", |r| {
        crate::fuzz::run(
            &["--cases".to_string(), crate::fuzz::TEST_CASES.to_string()],
            &mut r.totals,
        )
    })?;
    r.step("wasm", |r| {
        banner("wasm tests of the core in headless Chromium: cargo test -p scalelab-sim --tests --target wasm32-unknown-unknown");
        let mut lines = Vec::new();
        let result = exec_collecting(&mut wasm_test_command(), is_libtest_total, &mut lines);
        r.totals
            .push(format!("wasm tests (Chromium): {}", add_up(&lines)));
        result
    })?;
    r.step("dist", |r| {
        let sizes = dist::build()?;
        for s in &sizes {
            r.totals.push(format!(
                "wasm size: {} raw {}, gzip {} (budget {}{}; ceiling {})",
                s.name,
                kib(s.raw),
                kib(s.gzip),
                kib(WASM_GZIP_BUDGET),
                if s.gzip > WASM_GZIP_BUDGET {
                    ": over, see cargo xtask bench"
                } else {
                    ""
                },
                kib(dist::WASM_GZIP_CEILING)
            ));
        }
        dist::check_budget(&sizes)
    })?;
    r.step("e2e", |r| e2e::run(&[], &mut r.totals))
}

/// `cargo test` of the core for wasm32, run in Chromium by wasm-bindgen-test-runner.
fn wasm_test_command() -> std::process::Command {
    let mut cmd = cargo();
    // `--tests`: unit and integration tests; doc tests already ran natively and
    // would each be another wasm binary to build.
    cmd.args([
        "test",
        "-p",
        "scalelab-sim",
        "--tests",
        "--target",
        WASM_TARGET,
    ])
    .env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
    .env("CHROMEDRIVER", CHROMEDRIVER)
    .env(
        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
        root().join("xtask/webdriver.json"),
    );
    // Chromium's first start on a small machine can be slow.
    if std::env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
        cmd.env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    }
    // Other drivers the runner would prefer over chromedriver.
    for var in [
        "GECKODRIVER",
        "GECKODRIVER_REMOTE",
        "SAFARIDRIVER",
        "SAFARIDRIVER_REMOTE",
        "CHROMEDRIVER_REMOTE",
        "NO_HEADLESS",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// libtest's per-binary total line: `test result: ok. 3 passed; 0 failed; ...`.
fn is_libtest_total(line: &str) -> bool {
    line.trim_start().starts_with("test result:")
}

/// Sums libtest total lines into `N passed, M failed, K ignored (S suites)`.
fn add_up(lines: &[String]) -> String {
    let (mut passed, mut failed, mut ignored) = (0u64, 0u64, 0u64);
    for line in lines {
        let body = line.split_once(". ").map_or(line.as_str(), |(_, b)| b);
        for part in body.split(';') {
            let mut words = part.split_whitespace();
            let n: u64 = words.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            match words.next() {
                Some("passed") => passed += n,
                Some("failed") => failed += n,
                Some("ignored") => ignored += n,
                _ => {}
            }
        }
    }
    format!(
        "{passed} passed, {failed} failed, {ignored} ignored ({} suites)",
        lines.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_up_libtest_totals() {
        let lines = [
            "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.5s",
            "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
        ]
        .map(String::from);
        assert!(lines.iter().all(|l| is_libtest_total(l)));
        assert_eq!(add_up(&lines), "5 passed, 1 failed, 1 ignored (3 suites)");
    }
}
