//! Command-line arguments (parsed with clap's derive API).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// ScaleLab's headless runner: run, analyze, validate scenarios; print the
/// scenario JSON Schema; measure the engine.
#[derive(Debug, Parser)]
#[command(name = "scalelab", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario to its end and print the summary.
    Run {
        /// The scenario file (JSON).
        file: PathBuf,
        /// Use this seed instead of the scenario's.
        #[arg(long)]
        seed: Option<u64>,
        /// Simulate this many seconds instead of the scenario's `duration_s`.
        #[arg(long = "duration-s", allow_negative_numbers = true)]
        duration_s: Option<f64>,
        /// Print JSON instead of a text table.
        #[arg(long)]
        json: bool,
        /// With --json: add the per-window series.
        #[arg(long)]
        windows: bool,
    },
    /// Steady-state figures from the analytic twin (M/M/c per station).
    Analyze {
        /// The scenario file (JSON).
        file: PathBuf,
        /// Print JSON instead of a text table.
        #[arg(long)]
        json: bool,
    },
    /// Load and check a scenario without running it.
    Validate {
        /// The scenario file (JSON).
        file: PathBuf,
    },
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Capacity sweep: run the design (without its fault timeline) at rising
    /// loads and find the knee, next to the analytic maximum.
    Sweep {
        /// The scenario file (JSON).
        file: PathBuf,
        /// First total offered load, requests/s.
        #[arg(long, allow_negative_numbers = true)]
        from: f64,
        /// Last total offered load, requests/s.
        #[arg(long, allow_negative_numbers = true)]
        to: f64,
        /// Number of loads, evenly spaced.
        #[arg(long, default_value_t = 10)]
        steps: u32,
        /// Simulated seconds per load (default: the scenario's duration).
        #[arg(long = "duration-s", allow_negative_numbers = true)]
        duration_s: Option<f64>,
        /// Print JSON instead of a text table.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV (one row per step).
        #[arg(long)]
        csv: bool,
    },
    /// The design's monthly cost at list prices, line by line, and per
    /// million requests at its offered load.
    Cost {
        /// The scenario file (JSON).
        file: PathBuf,
        /// Print JSON instead of a text table.
        #[arg(long)]
        json: bool,
    },
    /// Review a design: single points of failure, hot tiers, slow health
    /// checks, sessions in web servers, shard skew; each finding with its fix.
    Review {
        /// The scenario file (JSON).
        file: PathBuf,
        /// Print JSON (the findings with their fixes as edits) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Score a design against a challenge card (its traffic, fault timeline,
    /// requirements and budget); without FILE, score the card's start and
    /// reference designs.
    Challenge {
        /// The card file (JSON, `challenges/NN-name.json`).
        card: PathBuf,
        /// The design (scenario JSON).
        file: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run a scenario for a long simulated time and sample memory and the
    /// model's bounded state (flat memory check).
    Soak {
        /// The scenario file (JSON).
        file: PathBuf,
        /// Simulated seconds to run.
        #[arg(long = "duration-s", default_value_t = 3600.0)]
        duration_s: f64,
        /// Simulated seconds between samples.
        #[arg(long = "every-s", default_value_t = 60.0)]
        every_s: f64,
        /// Print JSON instead of a text table.
        #[arg(long)]
        json: bool,
    },
    /// Measure the engine (stage 13, M/M/4, single server) against a bare
    /// binary heap, and an M/M/4 model against Erlang C.
    Bench {
        /// Engine events in the single-server run (its heap loop does as many).
        #[arg(long, default_value_t = 3_000_000)]
        events: u64,
        /// Simulated seconds of the stage-13 run.
        #[arg(long = "stage13-s", default_value_t = 4.0)]
        stage13_s: f64,
        /// Repetitions of every measurement (medians are reported).
        #[arg(long, default_value_t = 3)]
        reps: u32,
        /// Measure one model only: `stage13`, `mmc` or `single_server`.
        #[arg(long)]
        only: Option<String>,
        /// Print JSON instead of a text table.
        #[arg(long)]
        json: bool,
    },
}
