//! ScaleLab simulation core.
//!
//! A deterministic, seeded, request-level discrete-event model of a web
//! system as it scales from one server to millions of users. The core knows
//! nothing of the UI: a [`Scenario`] goes in, [`WindowSnapshot`]s come out.
//!
//! ```
//! use scalelab_sim::{presets, Simulation};
//! let scenario = presets::single_server();
//! let mut sim = Simulation::new(&scenario).expect("the preset is valid");
//! let windows = sim.advance_ms(3_000);
//! assert_eq!(windows.len(), 3);
//! ```
//!
//! Architecture invariants (see ARCHITECTURE.md): no wall clock, no IO, no
//! threads; every random draw comes from the scenario's seed; every queue has
//! a bound; invalid input is an `Err`, never a panic.

pub mod analytic;
pub mod chaos;
pub mod compare;
pub mod cost;
pub mod dist;
pub mod engine;
pub mod error;
pub mod keys;
pub mod metrics;
pub mod presets;
pub mod review;
pub mod rewind;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod sizes;
mod state;
pub mod sweep;
pub mod trace;

pub use analytic::{analyze, Analysis, StationEstimate};
pub use error::SimError;
pub use metrics::{ComponentWindow, ErrorCause, ErrorCounts, Summary, WindowSnapshot};
pub use scenario::{Action, Component, ComponentSpec, Edge, Scenario, TimedAction};
pub use sim::Simulation;

/// The scenario format version this core reads and writes.
pub const SCENARIO_VERSION: u32 = 1;
