//! The page's building blocks.

pub mod canvas;
pub mod challenges;
pub mod charts;
pub mod fault_track;
pub mod icons;
pub mod inspector;
pub mod lessons;
pub mod palette;
pub mod readout;
pub mod review;
pub mod run_bar;
pub mod sweep;
pub mod toolbar;
