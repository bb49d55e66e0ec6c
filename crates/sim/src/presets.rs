//! The chapter's scenarios, built in: the files of `scenarios/` at the
//! repository root (one source of truth), embedded compact by build.rs.

use crate::scenario::Scenario;

include!(concat!(env!("OUT_DIR"), "/presets.rs"));

/// Loads a built-in scenario by file name.
pub fn by_name(name: &str) -> Option<Scenario> {
    ALL.iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, text)| Scenario::from_json(text).ok())
}

/// Stage 1: users → one web server (4 cores, 10 ms mean service, ~400 requests/s capacity).
pub fn single_server() -> Scenario {
    // The file is part of the crate and tested to load; a broken file fails the tests.
    by_name("01-single-server.json")
        .unwrap_or_else(|| unreachable!("01-single-server.json is valid"))
}
