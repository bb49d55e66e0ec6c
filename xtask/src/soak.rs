//! `cargo xtask soak [--sim-s S]`: stage 13 at full load for S simulated
//! seconds (default 3600), natively (`scalelab soak`, the process's RSS) and
//! in headless Chromium (`e2e/bench/browser.mjs --soak-sim-s`: JS heap, the
//! page's and the worker's wasm memory, DOM elements). Prints each series and
//! compares the first and the last 10 simulated minutes. A measurement, not a
//! test: growth prints GROWS, only a step that cannot run fails the command.

use crate::bench::{dist_build, json_of, scalelab, snapshot_dist};
use crate::json::Json;
use crate::proc::{banner, command};
use crate::setup::CHROMIUM;
use crate::Result;

/// The stage-13 scenario.
const STAGE13: &str = "scenarios/13-millions-of-users.json";
/// Growth from the first to the last sample above this share is reported.
const FLAT_TOLERANCE: f64 = 0.10;

/// Mean of `key` over the samples of the first and of the last 10 minutes.
fn first_last(samples: &[Json], key: &str) -> (f64, f64) {
    let end = samples.last().map_or(0.0, |s| s.num("sim_s"));
    let mean = |keep: &dyn Fn(f64) -> bool| {
        let v: Vec<f64> = samples
            .iter()
            .filter(|s| keep(s.num("sim_s")))
            .map(|s| s.num(key))
            .filter(|x| x.is_finite())
            .collect();
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    (mean(&|t| t <= 600.0), mean(&|t| t > end - 600.0))
}

fn verdict(first: f64, last: f64) -> &'static str {
    if !(first.is_finite() && last.is_finite()) {
        "not measured"
    } else if last <= first * (1.0 + FLAT_TOLERANCE) {
        "flat"
    } else {
        "GROWS"
    }
}

fn print_series(samples: &[Json], keys: &[(&str, &str, f64)]) {
    print!("{:>8} {:>8}", "sim s", "wall s");
    for (_, title, _) in keys {
        print!(" {title:>16}");
    }
    println!();
    for s in samples {
        print!("{:>8.0} {:>8.1}", s.num("sim_s"), s.num("wall_s"));
        for (key, _, scale) in keys {
            print!(" {:>16.1}", s.num(key) / scale);
        }
        println!();
    }
    println!("first 10 min vs last 10 min (mean of the samples):");
    for (key, title, scale) in keys {
        let (a, b) = first_last(samples, key);
        println!(
            "  {title:<16} {:>12.1} -> {:>12.1}  {}",
            a / scale,
            b / scale,
            verdict(a, b)
        );
    }
}

/// Runs the soak.
pub fn run(args: &[String]) -> Result {
    let mut sim_s = 3600.0;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sim-s" => {
                sim_s = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|v: &f64| *v >= 600.0)
                    .ok_or("--sim-s needs a number of seconds ≥ 600")?;
            }
            other => return Err(format!("soak: unknown argument `{other}`")),
        }
    }
    let every = "300";
    banner(&format!(
        "soak 1/2: native, stage 13 for {sim_s} simulated s"
    ));
    let native = json_of(scalelab().args([
        "soak",
        STAGE13,
        "--duration-s",
        &sim_s.to_string(),
        "--every-s",
        every,
        "--json",
    ]))?;
    print_series(
        native.get("samples").map_or(&[], Json::items),
        &[
            ("rss_kib", "RSS MiB", 1024.0),
            ("pending_events", "pending events", 1.0),
            ("requests_in_flight", "in flight", 1.0),
        ],
    );
    banner(&format!(
        "soak 2/2: headless Chromium, stage 13 for {sim_s} simulated s"
    ));
    dist_build()?;
    let served = snapshot_dist()?;
    let browser = json_of(
        command("node")
            .arg("e2e/bench/browser.mjs")
            .arg("--dist")
            .arg(&served)
            .args(["--loads", "1", "--soak-sim-s", &sim_s.to_string()])
            .env("CHROMIUM", CHROMIUM),
    )?;
    print_series(
        browser.get("soak").map_or(&[], Json::items),
        &[
            ("js_heap_bytes", "JS heap MiB", 1_048_576.0),
            ("page_wasm_bytes", "page wasm MiB", 1_048_576.0),
            ("worker_wasm_bytes", "worker wasm MiB", 1_048_576.0),
            ("dom_elements", "DOM elements", 1.0),
        ],
    );
    Ok(())
}
