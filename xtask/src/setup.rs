//! `cargo xtask setup`: installs whatever the build and the tests need and is
//! missing. Every check is a quick version probe, so a second run does nothing.
//!
//! - the `wasm32-unknown-unknown` target (rustup)
//! - trunk 0.21.x (`cargo install --locked`)
//! - wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version (it provides
//!   `wasm-bindgen-test-runner`; installed without `--locked` because its own
//!   lockfile names a crate version the registry lacks)
//! - the npm packages of `e2e/` (playwright-core, and binaryen whose `wasm-opt`
//!   trunk uses: Debian's wasm-opt is too old for current rustc output)
//! - Chromium and chromedriver from apt

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use crate::proc::{banner, cargo, command, exec, root, stdout_of};
use crate::Result;

/// The wasm target of the app and of the core's browser tests.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian's Chromium, driven by playwright-core and by chromedriver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's chromedriver, used by wasm-bindgen-test-runner.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The trunk release line the build is written for.
const TRUNK_SERIES: &str = "0.21";

/// Entry point of `cargo xtask setup`: installs every missing tool.
pub fn run() -> Result {
    banner("setup: toolchain, trunk, wasm-bindgen, npm packages, Chromium");
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    npm_packages()?;
    chromium()
}

fn wasm_target() -> Result {
    let installed = stdout_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("ok    rust target {WASM_TARGET}");
        return Ok(());
    }
    exec(command("rustup").args(["target", "add", WASM_TARGET]))
}

fn trunk() -> Result {
    let version = stdout_of("trunk", &["--version"]).unwrap_or_default();
    let wanted = format!("trunk {TRUNK_SERIES}.");
    if version.starts_with(&wanted) {
        println!("ok    {version}");
        return Ok(());
    }
    println!(
        "need  trunk {TRUNK_SERIES}.x (found: {})",
        or_none(&version)
    );
    println!("      installing with cargo: this takes several minutes");
    exec(cargo().args([
        "install",
        "--locked",
        "trunk",
        "--version",
        &format!("~{TRUNK_SERIES}"),
    ]))
}

fn wasm_bindgen() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    let cli = stdout_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = stdout_of("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    let matches = |found: &str| found.split_whitespace().nth(1) == Some(wanted.as_str());
    if matches(&cli) && matches(&runner) {
        println!("ok    {cli} (+ wasm-bindgen-test-runner), as in Cargo.lock");
        return Ok(());
    }
    println!(
        "need  wasm-bindgen-cli {wanted} from Cargo.lock (found: {})",
        or_none(&cli)
    );
    println!("      installing with cargo: this takes a few minutes");
    exec(cargo().args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &format!("={wanted}"),
    ]))
}

fn npm_packages() -> Result {
    let e2e = root().join("e2e");
    let modules = e2e.join("node_modules");
    // npm writes node_modules/.package-lock.json on every install: it is
    // current when it is newer than both manifests.
    let marker = modified(&modules.join(".package-lock.json"));
    let manifests = [e2e.join("package.json"), e2e.join("package-lock.json")];
    let fresh = marker.is_some_and(|m| manifests.iter().all(|f| modified(f) <= Some(m)))
        && modules.join("playwright-core").is_dir()
        && modules.join(".bin/wasm-opt").exists();
    if fresh {
        let wasm_opt = stdout_of("wasm-opt", &["--version"]).unwrap_or_default();
        println!("ok    e2e/node_modules ({})", or_none(&wasm_opt));
        return Ok(());
    }
    let verb = if e2e.join("package-lock.json").exists() {
        "ci"
    } else {
        "install"
    };
    exec(
        command("npm")
            .current_dir(&e2e)
            .args([verb, "--no-audit", "--no-fund"]),
    )
}

fn chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        let version = stdout_of(CHROMIUM, &["--version"]).unwrap_or_default();
        println!("ok    {} + chromedriver", or_none(&version));
        return Ok(());
    }
    println!("need  {CHROMIUM} and {CHROMEDRIVER}: installing from apt");
    let root_user = stdout_of("id", &["-u"]).as_deref() == Some("0");
    let apt = |args: &[&str]| -> Command {
        let mut cmd = if root_user {
            command("apt-get")
        } else {
            let mut c = command("sudo");
            c.arg("apt-get");
            c
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    exec(&mut apt(&["update"]))?;
    exec(&mut apt(&["install", "-y", "chromium", "chromium-driver"]))
}

/// The version of package `name` recorded in the workspace's Cargo.lock.
pub fn locked_version(name: &str) -> Result<String> {
    let lock_path = root().join("Cargo.lock");
    if !lock_path.exists() {
        // A checkout without a lockfile: let cargo resolve one.
        exec(cargo().args(["generate-lockfile"]))?;
    }
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("reading {}: {e}", lock_path.display()))?;
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() != wanted {
            continue;
        }
        let version = lines
            .next()
            .and_then(|l| l.trim().strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'));
        if let Some(version) = version {
            return Ok(version.to_string());
        }
    }
    Err(format!("package `{name}` not found in Cargo.lock"))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn or_none(found: &str) -> &str {
    if found.is_empty() {
        "none"
    } else {
        found
    }
}
