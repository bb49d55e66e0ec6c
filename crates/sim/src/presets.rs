//! The chapter's scenarios, built in: the same files as `scenarios/` at the
//! repository root (one source of truth).

use crate::scenario::Scenario;

/// (file name, JSON text) of every built-in scenario, in chapter order.
pub const ALL: &[(&str, &str)] = &[
    (
        "01-single-server.json",
        include_str!("../../../scenarios/01-single-server.json"),
    ),
    (
        "02-separate-database.json",
        include_str!("../../../scenarios/02-separate-database.json"),
    ),
    (
        "03-vertical-scaling.json",
        include_str!("../../../scenarios/03-vertical-scaling.json"),
    ),
    (
        "04-load-balancer.json",
        include_str!("../../../scenarios/04-load-balancer.json"),
    ),
    (
        "05-database-replication.json",
        include_str!("../../../scenarios/05-database-replication.json"),
    ),
    (
        "06-cache.json",
        include_str!("../../../scenarios/06-cache.json"),
    ),
    (
        "07-cdn.json",
        include_str!("../../../scenarios/07-cdn.json"),
    ),
    (
        "08-stateless-web.json",
        include_str!("../../../scenarios/08-stateless-web.json"),
    ),
    (
        "09-data-centers.json",
        include_str!("../../../scenarios/09-data-centers.json"),
    ),
    (
        "10-message-queue.json",
        include_str!("../../../scenarios/10-message-queue.json"),
    ),
    (
        "11-autoscaling.json",
        include_str!("../../../scenarios/11-autoscaling.json"),
    ),
    (
        "12-sharding.json",
        include_str!("../../../scenarios/12-sharding.json"),
    ),
    (
        "13-millions-of-users.json",
        include_str!("../../../scenarios/13-millions-of-users.json"),
    ),
];

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
