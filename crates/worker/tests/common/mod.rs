//! Helpers shared by the worker's session tests.
#![allow(dead_code)] // each test file uses its own subset

use std::cell::Cell;

use scalelab_sim::presets;

/// The text of a built-in scenario (`"04-load-balancer.json"`).
pub fn scenario_json(name: &str) -> String {
    presets::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| (*text).to_string())
        .unwrap()
}

/// A wall clock that moves only when told to (`advance`), plus `per_read_ms` per reading.
pub struct FakeClock {
    now_ms: Cell<f64>,
    per_read_ms: f64,
}

impl FakeClock {
    pub fn new(per_read_ms: f64) -> Self {
        Self {
            now_ms: Cell::new(1000.0),
            per_read_ms,
        }
    }

    pub fn advance(&self, ms: f64) {
        self.now_ms.set(self.now_ms.get() + ms);
    }

    /// The time now, without moving it.
    pub fn peek(&self) -> f64 {
        self.now_ms.get()
    }

    pub fn read(&self) -> f64 {
        self.advance(self.per_read_ms);
        self.now_ms.get()
    }
}
