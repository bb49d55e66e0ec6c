//! The end-to-end tests: `node e2e/run.mjs`, which serves `dist/` on 127.0.0.1,
//! drives Debian's Chromium through playwright-core and runs `e2e/tests/*.mjs`.
//! Screenshots land in `e2e/artifacts/`.

use crate::proc::{banner, command, exec_collecting};
use crate::setup::CHROMIUM;
use crate::Result;

/// Runs the e2e tests whose file names contain one of `filters` (all if none);
/// appends the runner's totals and failure lines to `summary`.
pub fn run(filters: &[String], summary: &mut Vec<String>) -> Result {
    banner("e2e: node e2e/run.mjs (headless Chromium, dist/ served on 127.0.0.1)");
    exec_collecting(
        command("node")
            .arg("e2e/run.mjs")
            .args(filters)
            .env("CHROMIUM", CHROMIUM),
        |line| {
            let total = line.starts_with("e2e: ") && line.contains(" passed, ");
            total || line.starts_with("  FAIL ")
        },
        summary,
    )
}
