//! `scalelab`: ScaleLab's headless runner.
//!
//! ```text
//! scalelab run FILE [--seed N] [--duration-s S] [--json] [--windows]
//! scalelab analyze FILE [--json]
//! scalelab validate FILE
//! scalelab schema
//! scalelab bench [--events N] [--stage13-s S] [--reps R] [--json]
//! scalelab sweep FILE --from R1 --to R2 [--steps N] [--duration-s S] [--json|--csv]
//! scalelab cost FILE [--json]
//! scalelab review FILE [--json]
//! scalelab challenge CARD [FILE] [--json]
//! scalelab soak FILE [--duration-s S] [--every-s S] [--json]
//! ```
//!
//! Exit codes: 0 ok, 1 output could not be written, 2 bad input (message on
//! stderr naming the file and the line and column or the component and field).

mod args;
mod bench;
mod cost;
mod load;
mod report;
mod soak;
mod table;

use args::{Cli, Command};
use clap::Parser;
use load::{describe, load, InputError};
use scalelab_sim::scenario::limits;
use scalelab_sim::Simulation;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match execute(cli.command) {
        Ok(text) => write_stdout(&text),
        Err(e) => {
            // File problems start with `FILE:` (`FILE:LINE:COLUMN:` for JSON syntax).
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Writes `text` to stdout; a closed pipe (`| head`) is not an error.
fn write_stdout(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scalelab: cannot write the output: {e}");
            ExitCode::from(1)
        }
    }
}

/// The review's findings as text: one block per finding (kind, component,
/// reason, fix), or a line saying there are none.
fn review_text(findings: &[scalelab_sim::review::Finding]) -> String {
    if findings.is_empty() {
        return "No findings.\n".into();
    }
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "{} ({}): {}\n  fix: {}\n",
            f.component,
            f.kind.slug(),
            f.reason.english(),
            f.fix.text.english()
        ));
    }
    out
}

/// Runs one subcommand and returns what to print.
fn execute(cmd: Command) -> Result<String, InputError> {
    match cmd {
        Command::Run {
            file,
            seed,
            duration_s,
            json,
            windows,
        } => run(&file, seed, duration_s, json, windows),
        Command::Analyze { file, json } => {
            let scenario = load(&file)?;
            let analysis = scalelab_sim::analyze(&scenario).map_err(|e| describe(&file, &e))?;
            Ok(if json {
                report::to_json(&report::AnalyzeJson {
                    scenario: &scenario.name,
                    analysis: &analysis,
                })
            } else {
                report::analyze_text(&scenario, &analysis)
            })
        }
        Command::Validate { file } => {
            let s = load(&file)?;
            let name = if s.name.trim().is_empty() {
                file.display().to_string()
            } else {
                s.name.clone()
            };
            Ok(format!(
                "ok: {name} ({} components, {} edges)\n",
                s.components.len(),
                s.edges.len()
            ))
        }
        Command::Schema => {
            let schema = schemars::schema_for!(scalelab_sim::Scenario);
            Ok(report::to_json(&schema))
        }
        Command::Sweep {
            file,
            from,
            to,
            steps,
            duration_s,
            json,
            csv,
        } => load(&file).and_then(|s| {
            let d = duration_s.unwrap_or(s.duration_s);
            let r = scalelab_sim::sweep::sweep(&s, from, to, steps, d)
                .map_err(|e| describe(&file, &e))?;
            Ok(if json {
                report::to_json(&r)
            } else if csv {
                sweep_csv(&r)
            } else {
                sweep_table(&r)
            })
        }),
        Command::Review { file, json } => load(&file).and_then(|s| {
            let findings = scalelab_sim::review::review(&s).map_err(|e| describe(&file, &e))?;
            Ok(if json {
                report::to_json(&findings)
            } else {
                review_text(&findings)
            })
        }),
        Command::Cost { file, json } => load(&file).and_then(|s| {
            let prices = s.prices.unwrap_or(scalelab_sim::cost::Prices::LIST);
            let b =
                scalelab_sim::cost::monthly_cost(&s, &prices).map_err(|e| describe(&file, &e))?;
            Ok(if json {
                report::to_json(&b)
            } else {
                cost::table(&b, &prices)
            })
        }),
        Command::Challenge { card, file, json } => cost::challenge(&card, file.as_deref(), json),
        Command::Soak {
            file,
            duration_s,
            every_s,
            json,
        } => load(&file)
            .and_then(|s| soak::run(&s, duration_s, every_s))
            .map(|r| {
                if json {
                    report::to_json(&r)
                } else {
                    soak::report(&r)
                }
            }),
        Command::Bench {
            events,
            stage13_s,
            reps,
            only,
            json,
        } => bench::run(bench::BenchOptions {
            events,
            stage13_s,
            reps,
            only: only.as_deref(),
        })
        .map(|r| {
            if json {
                report::to_json(&r)
            } else {
                bench::report(&r)
            }
        }),
    }
}

/// `scalelab run`.
fn run(
    file: &Path,
    seed: Option<u64>,
    duration_s: Option<f64>,
    json: bool,
    windows: bool,
) -> Result<String, InputError> {
    if let Some(d) = duration_s {
        if !d.is_finite() || d <= 0.0 || d > limits::DURATION_S {
            return Err(InputError(format!(
                "scalelab: --duration-s must be a number of seconds above 0 and at most {} (got {d})",
                limits::DURATION_S
            )));
        }
    }
    if windows && !json {
        return Err(InputError("scalelab: --windows goes with --json".into()));
    }
    let mut scenario = load(file)?;
    if let Some(s) = seed {
        scenario.seed = s;
    }
    if let Some(d) = duration_s {
        scenario.duration_s = d;
    }
    let mut sim = Simulation::new(&scenario).map_err(|e| describe(file, &e))?;
    let summary = sim.run_to_end();
    let digest = sim.digest();
    let events = sim.events_processed();
    Ok(if json {
        report::to_json(&report::RunJson {
            scenario: &scenario.name,
            seed: scenario.seed,
            digest: format!("{digest:016x}"),
            events_processed: events,
            summary: &summary,
            windows: windows.then(|| sim.history().iter().collect()),
        })
    } else {
        report::run_text(&scenario, &summary, digest, events)
    })
}

/// The sweep as CSV, one row per step.
fn sweep_csv(r: &scalelab_sim::sweep::Sweep) -> String {
    let mut out = String::from(
        "offered_rps,throughput_rps,latency_ms_p99,availability,bottleneck,utilization_max\n",
    );
    for p in &r.points {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            p.offered_rps,
            p.throughput_rps,
            p.latency_ms_p99,
            p.availability,
            p.bottleneck.as_deref().unwrap_or(""),
            p.utilization_max
        ));
    }
    out
}

/// The sweep as a text table with the knee and the analytic maximum.
fn sweep_table(r: &scalelab_sim::sweep::Sweep) -> String {
    let mut out = format!(
        "{:>12} {:>12} {:>10} {:>9}  {:<12} {:>6}\n",
        "offered rps", "served rps", "p99 ms", "avail", "busiest", "util"
    );
    for p in &r.points {
        let knee = if r.knee_rps == Some(p.offered_rps) {
            "  <- knee"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:>12.1} {:>12.1} {:>10.1} {:>8.3}%  {:<12} {:>5.1}%{knee}\n",
            p.offered_rps,
            p.throughput_rps,
            p.latency_ms_p99,
            p.availability * 100.0,
            p.bottleneck.as_deref().unwrap_or("-"),
            p.utilization_max * 100.0
        ));
    }
    let rate = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.1} requests/s"));
    out.push_str(&format!(
        "knee (highest load served, >= {:.0}% of it completed): {}\nanalytic maximum sustainable rate: {}\n",
        scalelab_sim::sweep::SERVED_SHARE * 100.0,
        rate(r.knee_rps),
        rate(r.analytic_max_rps)
    ));
    out
}
