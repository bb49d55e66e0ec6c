//! ScaleLab's simulation worker.
//!
//! The page never runs the engine itself: it sends [`ToSim`] messages to a
//! web worker and receives [`FromSim`] replies, so a large scenario cannot
//! take frames away from the canvas and the charts.
//!
//! - [`protocol`]: the messages, plain serde types (bincode on the wire).
//! - [`session`]: the simulation, its pacing in wall time and the bound on
//!   batches in flight. Pure Rust, tested natively with a fake clock.
//! - [`shell`]: the gloo-worker [`Worker`](gloo_worker::Worker) that owns a
//!   session, reads the worker's clock and schedules ticks.
//!
//! Architecture invariant: the session is the only place that advances a
//! simulation in the web app; the page only renders what it receives.

pub mod export;
pub mod predict;
pub mod protocol;
pub mod session;
pub mod shell;

pub use predict::Prediction;
pub use protocol::{FromSim, LoadError, ReviewItem, ToSim};
pub use session::Session;
pub use shell::SimWorker;

/// The script that starts the worker (`static/scalelab-worker_loader.js`,
/// copied next to the page by trunk), relative to the page.
pub const LOADER_PATH: &str = "./scalelab-worker_loader.js";
