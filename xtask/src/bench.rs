//! `cargo xtask bench`: every performance budget in one table (figure,
//! measured value, goal, PASS/FAIL), all measured in the same run because the
//! machines are noisy. See docs/benchmarks.md.
//!
//! 1. native engine (`scalelab bench --json`, release build): events/s on
//!    stage 13 and on an M/M/4 model, each against a bare `BinaryHeap` loop
//!    with the same pending events;
//! 2. SimPy side by side (a venv under `target/bench-venv`, SimPy from PyPI):
//!    the same M/M/4 model, `e2e/bench/mmc_simpy.py`, in pairs of runs
//!    that alternate with ScaleLab's (`scalelab bench --only mmc`), so both
//!    halves of each ratio see the same machine;
//! 3. the release page in headless Chromium (`e2e/bench/browser.mjs`): stage
//!    13 at the fastest speed, frame intervals, simulated s per wall s, first
//!    render, and the page's and the worker's memory once the run reaches 10
//!    simulated minutes;
//! 4. size of the release `.wasm` (raw, gzip) and its five biggest
//!    contributors (`twiggy top`; twiggy is installed from crates.io into
//!    `target/bench-tools` if it is not on the PATH).
//!
//! A missed goal prints FAIL and still exits 0 (a measurement, not a test);
//! a step that cannot run at all makes the command fail after the table.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::dist::{self, kib, WASM_GZIP_BUDGET};
use crate::json::Json;
use crate::proc::{banner, cargo, command, describe, exec, root, stdout_of};
use crate::setup::{self, CHROMIUM};
use crate::Result;

/// Wall seconds of the browser measurement.
const BROWSER_SECONDS: u32 = 20;
/// Fresh page loads for the first-render figure (median).
const BROWSER_LOADS: u32 = 3;
/// Interleaved (ScaleLab, SimPy) pairs of M/M/4 runs (median ratio).
const SIMPY_PAIRS: u32 = 7;
/// `scalelab bench --reps` in each pair: 3 × 12 runs of M/M/4 at about
/// 50 ms each, about as long as SimPy's one run (2 to 3 s).
const SCALELAB_REPS_PER_PAIR: u32 = 12;
/// The stage-13 scenario.
const STAGE13: &str = "scenarios/13-millions-of-users.json";

/// One row of the table.
struct Row {
    figure: String,
    value: String,
    goal: String,
    /// `Some(true)` PASS, `Some(false)` FAIL, `None` no goal or not measured.
    pass: Option<bool>,
}

/// The table under construction, and the steps that could not run.
#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    broken: Vec<String>,
}

impl Report {
    fn row(&mut self, figure: &str, value: String, goal: &str, pass: Option<bool>) {
        self.rows.push(Row {
            figure: figure.to_string(),
            value,
            goal: goal.to_string(),
            pass,
        });
    }

    /// A figure with a "≥ goal" or "≤ goal" test; NaN is "not measured".
    fn check(&mut self, figure: &str, x: f64, shown: String, goal: &str, ok: impl Fn(f64) -> bool) {
        if x.is_nan() {
            self.row(figure, "not measured".into(), goal, None);
        } else {
            self.row(figure, shown, goal, Some(ok(x)));
        }
    }

    /// A figure without a goal.
    fn info(&mut self, figure: &str, value: String) {
        self.row(figure, value, "", None);
    }

    fn broken(&mut self, step: &str, why: String) {
        eprintln!("bench: {step} could not run: {why}");
        self.broken.push(format!("{step}: {why}"));
    }

    fn render(&self) -> String {
        let header = ["figure", "measured", "goal", "result"];
        let cells: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|r| {
                let result = match r.pass {
                    Some(true) => "PASS",
                    Some(false) => "FAIL",
                    None => "-",
                };
                [
                    r.figure.clone(),
                    r.value.clone(),
                    r.goal.clone(),
                    result.to_string(),
                ]
            })
            .collect();
        let mut width = header.map(|h| h.chars().count());
        for c in &cells {
            for (w, s) in width.iter_mut().zip(c) {
                *w = (*w).max(s.chars().count());
            }
        }
        let line = |c: [&str; 4]| {
            let mut s = String::new();
            for (i, (cell, w)) in c.iter().zip(width).enumerate() {
                let pad = w.saturating_sub(cell.chars().count());
                if i == 1 {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    if i < 3 {
                        s.push_str(&" ".repeat(pad));
                    }
                }
                if i < 3 {
                    s.push_str("  ");
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(header);
        out.push_str(&line(
            width.map(|w| "-".repeat(w)).each_ref().map(String::as_str),
        ));
        for c in &cells {
            out.push_str(&line(c.each_ref().map(String::as_str)));
        }
        out
    }
}

/// `cargo xtask bench [--skip STEP,..]` (steps: native simpy browser size).
pub fn run(args: &[String]) -> Result {
    let mut skip: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--skip" => skip.extend(
                it.next()
                    .ok_or("--skip needs a list of steps")?
                    .split(',')
                    .map(str::to_string),
            ),
            other => {
                return Err(format!(
                    "unknown argument `{other}` (usage: cargo xtask bench [--skip native,simpy,browser,size])"
                ))
            }
        }
    }
    let skipped = |s: &str| skip.iter().any(|x| x == s);
    let load = stdout_of("uptime", &[]).unwrap_or_else(|| "uptime unavailable".into());
    let mut r = Report::default();

    let native = if skipped("native") {
        None
    } else {
        match native_bench() {
            Ok(j) => Some(j),
            Err(e) => {
                r.broken("native bench", e);
                None
            }
        }
    };
    let simpy = if skipped("simpy") {
        None
    } else {
        match simpy_pairs() {
            Ok(j) => Some(j),
            Err(e) => {
                r.broken("SimPy", e);
                None
            }
        }
    };
    let mut sizes = None;
    let mut browser = None;
    if !(skipped("browser") && skipped("size")) {
        match setup::run().and_then(|()| dist_build()) {
            Ok(s) => {
                sizes = Some(s);
                if !skipped("browser") {
                    match browser_bench() {
                        Ok(j) => browser = Some(j),
                        Err(e) => r.broken("browser", e),
                    }
                }
            }
            Err(e) => r.broken("dist (release web build)", e),
        }
    }

    // 1. Native engine.
    if let Some(j) = &native {
        for e in j.get("engines").map(Json::items).unwrap_or_default() {
            let name = match e.str("model") {
                Some("stage13") => "stage 13",
                Some("mmc") => "M/M/4",
                _ => continue,
            };
            let eps = e.num("engine_events_per_s");
            // The median, and the range of the runs: on a shared machine
            // they spread by ±15 % (docs/benchmarks.md, session 13).
            let runs = numbers(e, "engine_events_per_s_all");
            let spread = match range(&runs) {
                Some((lo, hi)) if runs.len() > 1 => {
                    format!(" (runs {:.2}–{:.2})", lo / 1e6, hi / 1e6)
                }
                _ => String::new(),
            };
            r.check(
                &format!("native engine events/s, {name}"),
                eps,
                format!("{:.2} M{spread}", eps / 1e6),
                "≥ 10 M",
                |x| x >= 10e6,
            );
            r.check(
                &format!(
                    "  ÷ bare BinaryHeap ({} pending, {:.2} M/s)",
                    e.num("pending_mean"),
                    e.num("heap_events_per_s") / 1e6
                ),
                e.num("ratio"),
                format!("{:.2}", e.num("ratio")),
                "≥ 0.5",
                |x| x >= 0.5,
            );
        }
    }
    // 2. SimPy, against ScaleLab's runs interleaved with its own.
    if let Some(p) = &simpy {
        let ratios: Vec<f64> = p.ours.iter().zip(&p.theirs).map(|(a, b)| a / b).collect();
        let pairs = ratios.len();
        r.info(
            &format!("M/M/4 customers/s, ScaleLab (median of {pairs} pairs)"),
            format!("{:.0}", median(&p.ours)),
        );
        r.info(
            &format!(
                "M/M/4 customers/s, SimPy {} (median of {pairs} pairs)",
                p.simpy_version
            ),
            format!("{:.0}", median(&p.theirs)),
        );
        let ratio = median(&ratios);
        let spread = range(&ratios).map_or(String::new(), |(lo, hi)| {
            format!(" (pairs {lo:.1}–{hi:.1})")
        });
        r.check(
            "ScaleLab ÷ SimPy customers/s (median of the pairs' ratios)",
            ratio,
            format!("{ratio:.1}{spread}"),
            "≥ 50",
            |x| x >= 50.0,
        );
        r.info(
            "M/M/4 mean sojourn ms: ScaleLab / SimPy / Erlang C",
            format!(
                "{:.2} / {:.2} / {:.2}",
                p.ours_sojourn_ms, p.theirs_sojourn_ms, p.erlang_c_ms
            ),
        );
    }
    // 3. Browser.
    if let Some(b) = &browser {
        // The engine alone in the page's worker (the `scalelab-bench` hook).
        let rate = |key: &str| {
            let (events, wall_ms) = (
                b.num(&format!("{key}/events")),
                b.num(&format!("{key}/wall_ms")),
            );
            if b.str(&format!("{key}/error")).is_some() || wall_ms.is_nan() || wall_ms <= 0.0 {
                f64::NAN
            } else {
                events / (wall_ms / 1000.0)
            }
        };
        let mm4 = rate("engine_mm4");
        r.check(
            "wasm engine events/s, M/M/4 (engine alone, in the worker, median of 5)",
            mm4,
            format!("{:.2} M", mm4 / 1e6),
            "≥ 8 M",
            |x| x >= 8e6,
        );
        let s13 = rate("engine_stage13");
        r.info(
            "  wasm engine events/s, stage 13 (10 s; simulated s per wall s alone)",
            format!(
                "{:.2} M ({:.2}×)",
                s13 / 1e6,
                b.num("engine_stage13/sim_s") / (b.num("engine_stage13/wall_ms") / 1000.0)
            ),
        );
        let (t0, t1) = (b.num("sim_s_start"), b.num("sim_s_end"));
        match page_events(t0, t1) {
            Ok(Some(events)) => r.info(
                "  page: engine events per wall s (sim rate × native events, incl. UI)",
                format!("{:.2} M", events / b.num("wall_s") / 1e6),
            ),
            Ok(None) => {}
            Err(e) => r.broken("native event count for the page's interval", e),
        }
        let rate = b.num("sim_per_wall");
        r.check(
            &format!(
                "stage 13 simulated s per wall s (speed {}, {:.0} s → {:.0} s)",
                b.str("speed").unwrap_or("?"),
                t0,
                t1
            ),
            rate,
            format!("{rate:.2}×"),
            "≥ 10×",
            |x| x >= 10.0,
        );
        r.info(
            "  page main thread busy (Chromium's TaskDuration ÷ wall time)",
            format!("{:.0} %", b.num("main_thread_busy_share") * 100.0),
        );
        let p95 = b.num("raf_p95_ms");
        r.check(
            &format!(
                "rAF interval p95 ms ({} frames in {:.0} s, p50 {:.1})",
                b.num("raf_frames"),
                b.num("wall_s"),
                b.num("raf_p50_ms")
            ),
            p95,
            format!("{p95:.1}"),
            "≤ 17",
            |x| x <= 17.0,
        );
        let late = b.num("raf_late_share");
        r.check(
            "frames later than 25 ms",
            late,
            format!("{:.1} %", late * 100.0),
            "≤ 1 %",
            |x| x <= 0.01,
        );
        let fr = b.num("first_render_ms");
        r.check(
            &format!("first render ms (median of {BROWSER_LOADS} fresh loads)"),
            fr,
            format!("{fr:.0}"),
            "≤ 1000",
            |x| x <= 1000.0,
        );
        let at = b.num("memory/sim_s");
        for (what, key) in [
            ("JS heap", "js_heap_bytes"),
            ("page wasm memory", "page_wasm_bytes"),
            ("worker wasm memory", "worker_wasm_bytes"),
            ("DOM elements", "dom_elements"),
        ] {
            let x = b.num(&format!("memory/{key}"));
            let value = if key.ends_with("_bytes") {
                mib(x)
            } else {
                format!("{x}")
            };
            r.info(&format!("{what} at {at:.0} simulated s"), value);
        }
        if let Some(errors) = b.get("page_errors").filter(|e| !e.items().is_empty()) {
            r.info(
                "page errors during the run",
                format!("{}", errors.items().len()),
            );
        }
    }
    // 4. Size.
    if let Some(sizes) = &sizes {
        for s in sizes {
            r.info(&format!("wasm raw ({})", s.name), kib(s.raw));
            r.check(
                "wasm gzip -9",
                s.gzip as f64,
                kib(s.gzip),
                &format!("≤ {}", kib(WASM_GZIP_BUDGET)),
                |x| x <= WASM_GZIP_BUDGET as f64,
            );
        }
    }

    banner("bench: results");
    println!("load: {load}");
    println!("cpu: {}", cpu_summary());
    print!("{}", r.render());
    if sizes.is_some() {
        println!("\nbiggest contributors to the wasm (target/wasm32-unknown-unknown/wasm-release/scalelab.wasm,");
        println!("before wasm-bindgen and wasm-opt):");
        print!("{}", twiggy_top());
    }
    if r.broken.is_empty() {
        Ok(())
    } else {
        Err(format!("steps that could not run: {}", r.broken.join("; ")))
    }
}

/// `x` bytes as MiB, or "not measured".
fn mib(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1} MiB", x / 1_048_576.0)
    } else {
        "not measured".into()
    }
}

/// Runs `cmd`, echoing it and its stderr; returns its stdout parsed as JSON.
pub(crate) fn json_of(cmd: &mut Command) -> Result<Json> {
    let line = describe(cmd);
    println!("$ {line}");
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{line}` failed ({})", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // The JSON is the last non-empty line (or the whole output).
    Json::parse(&text)
        .or_else(|_| {
            Json::parse(
                text.lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or(""),
            )
        })
        .map_err(|e| format!("`{line}` printed no JSON: {e}"))
}

/// `scalelab` built in release mode.
pub(crate) fn scalelab() -> Command {
    let mut c = cargo();
    c.args([
        "run",
        "--release",
        "--quiet",
        "-p",
        "scalelab-cli",
        "--bin",
        "scalelab",
        "--",
    ]);
    c
}

fn native_bench() -> Result<Json> {
    banner("bench 1/4: native engine (scalelab bench --json, release build)");
    json_of(scalelab().args(["bench", "--json"]))
}

/// The venv's python, created and given SimPy when missing.
fn venv_python() -> Result<PathBuf> {
    let venv = root().join("target/bench-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        crate::proc::exec(command("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    let has_simpy = command(&python)
        .args(["-c", "import simpy"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_simpy {
        crate::proc::exec(command(&python).args(["-m", "pip", "install", "--quiet", "simpy"]))?;
    }
    Ok(python)
}

/// ScaleLab and SimPy on the same M/M/4 model, run in alternation.
struct SimpyPairs {
    /// ScaleLab's customers/s in each pair: all its M/M/4 runs' customers
    /// ÷ their wall time, as SimPy's one run is measured.
    ours: Vec<f64>,
    /// SimPy's customers/s in each pair (one run, seed 1 + the pair's index).
    theirs: Vec<f64>,
    /// ScaleLab's mean sojourn ms (the same in every run: one seed).
    ours_sojourn_ms: f64,
    /// SimPy's mean sojourn ms over the pairs (each run has its own seed).
    theirs_sojourn_ms: f64,
    /// The Erlang C mean sojourn ms of the model.
    erlang_c_ms: f64,
    /// SimPy's version, as its script reports it.
    simpy_version: String,
}

/// [`SIMPY_PAIRS`] pairs: ScaleLab's M/M/4 runs, then SimPy's, each pair
/// within a few seconds, so a slower or faster spell of this shared machine
/// weighs on both halves of the pair's ratio (docs/benchmarks.md, session 14).
fn simpy_pairs() -> Result<SimpyPairs> {
    banner(
        "bench 2/4: SimPy and ScaleLab in alternation, the same M/M/4 model (target/bench-venv)",
    );
    let python = venv_python()?;
    let (mut ours, mut theirs, mut sojourns) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ours_sojourn_ms, mut erlang_c_ms, mut simpy_version) = (f64::NAN, f64::NAN, None);
    for pair in 0..SIMPY_PAIRS {
        let reps = SCALELAB_REPS_PER_PAIR.to_string();
        let o = json_of(scalelab().args(["bench", "--json", "--only", "mmc", "--reps", &reps]))?;
        let t = json_of(command(&python).arg("e2e/bench/mmc_simpy.py").args([
            "--reps",
            "1",
            "--seed",
            &(1 + pair).to_string(),
        ]))?;
        let (a, b) = (
            time_mean(&numbers(&o, "mmc/customers_per_s_all")),
            t.num("customers_per_s"),
        );
        eprintln!(
            "pair {}: ScaleLab {a:.0}, SimPy {b:.0} customers/s: {:.1}×",
            pair + 1,
            a / b
        );
        ours.push(a);
        theirs.push(b);
        sojourns.push(t.num("sojourn_ms"));
        ours_sojourn_ms = o.num("mmc/sojourn_ms");
        erlang_c_ms = o.num("mmc/erlang_c_ms");
        simpy_version = t.str("simpy_version").map(str::to_string);
    }
    Ok(SimpyPairs {
        ours,
        theirs,
        ours_sojourn_ms,
        theirs_sojourn_ms: sojourns.iter().sum::<f64>() / sojourns.len() as f64,
        erlang_c_ms,
        simpy_version: simpy_version.unwrap_or_else(|| "?".into()),
    })
}

/// The numbers of the array at `path` in `j` (none if it is missing).
fn numbers(j: &Json, path: &str) -> Vec<f64> {
    j.at(path)
        .map(Json::items)
        .unwrap_or_default()
        .iter()
        .map(Json::as_f64)
        .filter(|x| !x.is_nan())
        .collect()
}

/// The median of `xs` (NaN when empty).
fn median(xs: &[f64]) -> f64 {
    let mut v: Vec<f64> = xs.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The rate over all of `rates`' runs when each run does the same work: their
/// harmonic mean (work × n ÷ the sum of the runs' times). NaN when empty.
fn time_mean(rates: &[f64]) -> f64 {
    rates.len() as f64 / rates.iter().map(|r| 1.0 / r).sum::<f64>()
}

/// The smallest and largest of `xs`.
fn range(xs: &[f64]) -> Option<(f64, f64)> {
    Some((
        xs.iter().copied().reduce(f64::min)?,
        xs.iter().copied().reduce(f64::max)?,
    ))
}

/// `cargo xtask dist`'s build into `dist/`, tried twice: another build of
/// `dist/` at the same moment (the machine is shared) makes trunk fail while
/// it swaps the directory in.
pub(crate) fn dist_build() -> Result<Vec<dist::WasmSize>> {
    dist::build().or_else(|e| {
        eprintln!("bench: {e}; trying the web build once more in 10 s");
        std::thread::sleep(std::time::Duration::from_secs(10));
        dist::build()
    })
}

/// Copies the files of `dist/` to `target/bench-dist` so that another build
/// of `dist/` during the measurement does not change what is served.
pub(crate) fn snapshot_dist() -> Result<PathBuf> {
    let to = root().join("target/bench-dist");
    let _ = fs::remove_dir_all(&to);
    copy_dir(&dist::dist_dir(), &to)?;
    Ok(to)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| format!("creating {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            fs::copy(&src, &dst).map_err(|e| format!("copying {}: {e}", src.display()))?;
        }
    }
    Ok(())
}

fn browser_bench() -> Result<Json> {
    banner("bench 3/4: the release page in headless Chromium (e2e/bench/browser.mjs)");
    let served = snapshot_dist()?;
    json_of(
        command("node")
            .arg("e2e/bench/browser.mjs")
            .arg("--dist")
            .arg(&served)
            .args(["--seconds", &BROWSER_SECONDS.to_string()])
            .args(["--loads", &BROWSER_LOADS.to_string()])
            .env("CHROMIUM", CHROMIUM),
    )
}

/// Events the engine processes between simulated seconds `t0` and `t1` of
/// stage 13 (native runs; the model is deterministic and bit-identical in
/// wasm), so the page's simulated rate converts to events/s. `None` when the
/// interval is empty or too long to recount quickly.
fn page_events(t0: f64, t1: f64) -> Result<Option<f64>> {
    if !(t0.is_finite() && t1.is_finite() && t1 > t0) || t1 > 300.0 {
        return Ok(None);
    }
    let count = |t: f64| -> Result<f64> {
        if t <= 0.0 {
            return Ok(0.0);
        }
        let j =
            json_of(scalelab().args(["run", STAGE13, "--json", "--duration-s", &format!("{t}")]))?;
        Ok(j.num("events_processed"))
    };
    Ok(Some(count(t1)? - count(t0)?))
}

/// The five biggest items of the pre-wasm-bindgen release wasm (`twiggy top`),
/// leaving out what the shipped file does not contain (wasm-bindgen's custom
/// section, the function-name table), and the five biggest crates (the items'
/// shallow bytes summed by the first path segment of their names). Or why not.
fn twiggy_top() -> String {
    let wasm = root().join("target/wasm32-unknown-unknown/wasm-release/scalelab.wasm");
    if !wasm.exists() {
        return format!("{} not found", wasm.display());
    }
    let twiggy = match twiggy() {
        Ok(t) => t,
        Err(e) => return format!("twiggy is not installed and could not be: {e}"),
    };
    let path = wasm.to_string_lossy();
    let Some(csv) = stdout_of(&twiggy, &["top", "-f", "csv", &path]) else {
        return format!("{twiggy} top -f csv {path} failed");
    };
    let items: Vec<(String, u64)> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f = csv_fields(line);
            Some((f.first()?.clone(), f.get(1)?.parse().ok()?))
        })
        .filter(|(name, _)| {
            // Not in the shipped file: wasm-bindgen removes its custom section
            // and the `__wbindgen_describe*` exports and functions, wasm-opt the names.
            !name.starts_with("custom section")
                && !name.contains("subsection")
                && !name.contains("__wbindgen_describe")
        })
        .collect();
    let total: u64 = items.iter().map(|(_, b)| b).sum();
    let mut crates: std::collections::BTreeMap<String, u64> = Default::default();
    for (name, bytes) in &items {
        *crates.entry(crate_of(name)).or_default() += bytes;
    }
    let mut crates: Vec<(String, u64)> = crates.into_iter().collect();
    crates.sort_by_key(|c| std::cmp::Reverse(c.1));
    let pct = |b: u64| b as f64 * 100.0 / total.max(1) as f64;
    let mut out = format!(
        "twiggy top (items; {} in code and data, names and wasm-bindgen descriptors left out):\n",
        kib(total)
    );
    for (name, bytes) in items.iter().take(5) {
        let short: String = name.chars().take(110).collect();
        out.push_str(&format!(
            "  {:>10}  {:5.1} %  {short}\n",
            kib(*bytes),
            pct(*bytes)
        ));
    }
    out.push_str("by crate (shallow bytes of the items whose names start with it):\n");
    for (name, bytes) in crates.iter().take(5) {
        out.push_str(&format!(
            "  {:>10}  {:5.1} %  {name}\n",
            kib(*bytes),
            pct(*bytes)
        ));
    }
    out
}

/// The CPU's model, core count and cache sizes (Linux's /proc and /sys), so
/// a table says what machine it comes from: stage 13 is bound by memory, and
/// its figures move with the caches (docs/benchmarks.md, session 12).
fn cpu_summary() -> String {
    let info = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| l.strip_prefix("model name")?.split(':').nth(1))
        .map_or("unknown CPU", str::trim);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut caches = Vec::new();
    for i in 0..8 {
        let dir = format!("/sys/devices/system/cpu/cpu0/cache/index{i}");
        let read = |f: &str| fs::read_to_string(format!("{dir}/{f}")).ok();
        let (Some(level), Some(kind), Some(size)) = (read("level"), read("type"), read("size"))
        else {
            break;
        };
        if kind.trim() != "Instruction" {
            caches.push(format!("L{} {}", level.trim(), size.trim()));
        }
    }
    let caches = if caches.is_empty() {
        "cache sizes unknown".to_string()
    } else {
        format!("{} (per cache instance)", caches.join(", "))
    };
    format!("{model}, {cores} cores; {caches}")
}

/// The `twiggy` to run: the one on the PATH, or the one in
/// `target/bench-tools`, installed there from crates.io the first time (about
/// two minutes), as SimPy is installed into `target/bench-venv`.
fn twiggy() -> Result<String> {
    if stdout_of("twiggy", &["--version"]).is_some() {
        return Ok("twiggy".into());
    }
    let tools = root().join("target/bench-tools");
    let local = tools.join("bin/twiggy").to_string_lossy().into_owned();
    if stdout_of(&local, &["--version"]).is_none() {
        banner("bench: installing twiggy into target/bench-tools (once)");
        exec(
            cargo()
                .args(["install", "--locked", "--quiet", "twiggy", "--root"])
                .arg(&tools),
        )?;
    }
    Ok(local)
}

/// The fields of one CSV line (double quotes, `""` inside them).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// The crate an item name belongs to: `<scalelab::app::App as …>::run` →
/// `scalelab`; data segments, tables and unnamed code keep their kind.
fn crate_of(name: &str) -> String {
    let n = name.trim_start_matches('<').trim_start_matches('&');
    match n.split_once("::") {
        Some((head, _)) if !head.contains(' ') => head.to_string(),
        _ if n.starts_with("data segment") => "data segments".into(),
        _ => n.split([' ', '[', '(']).next().unwrap_or(n).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_ranges_of_the_pairs() {
        assert_eq!(median(&[52.0, 47.5, 60.1]), 52.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(range(&[52.0, 47.5, 60.1]), Some((47.5, 60.1)));
        assert_eq!(range(&[]), None);
        // Two runs of the same work at 2 and 6 per s: 2 units in 1/2 + 1/6 s.
        assert_eq!(time_mean(&[2.0, 6.0]), 3.0);
        assert!(time_mean(&[]).is_nan());
        let j = Json::parse(r#"{"mmc": {"customers_per_s_all": [2.0, "x", 6.0]}}"#).expect("JSON");
        assert_eq!(numbers(&j, "mmc/customers_per_s_all"), [2.0, 6.0]);
        assert!(numbers(&j, "mmc/missing").is_empty());
    }

    #[test]
    fn table_marks_pass_fail_and_unmeasured() {
        let mut r = Report::default();
        r.check("a", 12.0, "12".into(), "≥ 10", |x| x >= 10.0);
        r.check("b", 2.0, "2".into(), "≥ 10", |x| x >= 10.0);
        r.check("c", f64::NAN, "-".into(), "≥ 10", |x| x >= 10.0);
        let t = r.render();
        assert!(
            t.contains("PASS") && t.contains("FAIL") && t.contains("not measured"),
            "{t}"
        );
        assert_eq!(t.lines().count(), 5);
    }

    #[test]
    fn twiggy_csv_and_crates() {
        assert_eq!(
            csv_fields(r#""a, ""b""",12,1.5,,"#),
            ["a, \"b\"", "12", "1.5", "", ""]
        );
        assert_eq!(
            crate_of("<scalelab::app::App as yew::X>::run::h1"),
            "scalelab"
        );
        assert_eq!(crate_of("serde_json::de::from_str::h2"), "serde_json");
        assert_eq!(crate_of("data segment \".rodata\""), "data segments");
        assert_eq!(crate_of("code[12]"), "code");
    }
}
