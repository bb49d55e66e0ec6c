//! A/B comparison of two designs run on the same traffic.
//!
//! Both designs are simulated from the same seed. Arrival times, request
//! kinds, users and keys come from streams that do not depend on the design's
//! other components (the users' own stream keyed by their id, and one key
//! stream drawn once per arrival in arrival order), so A and B see the same
//! requests: common random numbers. [`same_traffic`] makes B use A's seed,
//! workload and users; [`diff_table`] says how B's figures differ from A's.

use serde::{Deserialize, Serialize};

use crate::metrics::Summary;
use crate::scenario::ComponentSpec;
use crate::Scenario;

/// One row of the difference table: a figure of A, of B, and `b − a`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffRow {
    /// Which figure: `p50_ms`, `p95_ms`, `p99_ms`, `availability`,
    /// `throughput_rps`, `errors`, `lost_writes`, `stale_reads`.
    pub key: String,
    /// A's value.
    pub a: f64,
    /// B's value.
    pub b: f64,
    /// `b − a` (its sign says which way B moved).
    pub delta: f64,
    /// Whether B is better than A on this figure (`None` when equal).
    pub b_better: Option<bool>,
}

/// The difference table of two runs' summaries over the same simulated time:
/// latency percentiles, availability, throughput, errors, lost writes and
/// stale reads, each with `b − a` and which side is better; then the monthly
/// cost (`cost_usd_per_month`, from [`monthly_costs`]) when given.
pub fn diff_table(
    a: &Summary,
    b: &Summary,
    cost_usd_per_month: Option<(f64, f64)>,
) -> Vec<DiffRow> {
    let cost = cost_usd_per_month.map(|(a, b)| ("cost_usd_per_month", a, b, false));
    // (key, a, b, higher is better)
    let rows: [(&str, f64, f64, bool); 8] = [
        ("p50_ms", a.latency_ms_p50, b.latency_ms_p50, false),
        ("p95_ms", a.latency_ms_p95, b.latency_ms_p95, false),
        ("p99_ms", a.latency_ms_p99, b.latency_ms_p99, false),
        ("availability", a.availability, b.availability, true),
        ("throughput_rps", a.throughput_rps, b.throughput_rps, true),
        ("errors", a.failures as f64, b.failures as f64, false),
        (
            "lost_writes",
            a.lost_writes as f64,
            b.lost_writes as f64,
            false,
        ),
        (
            "stale_reads",
            a.stale_reads as f64,
            b.stale_reads as f64,
            false,
        ),
    ];
    rows.iter()
        .copied()
        .chain(cost)
        .map(|(key, a, b, higher_better)| {
            let delta = b - a;
            DiffRow {
                key: key.to_string(),
                a,
                b,
                delta,
                b_better: (delta != 0.0 && delta.is_finite())
                    .then_some((delta > 0.0) == higher_better),
            }
        })
        .collect()
}

/// Both designs' monthly cost at list prices (at each design's own base
/// load), or `None` if either cannot be priced.
pub fn monthly_costs(a: &Scenario, b: &Scenario) -> Option<(f64, f64)> {
    let prices = crate::cost::Prices::default();
    let cost = |s: &Scenario| {
        crate::cost::monthly_cost(s, &prices)
            .ok()
            .map(|c| c.cost_usd_per_month)
    };
    Some((cost(a)?, cost(b)?))
}

/// B made comparable with A: A's seed, workload and users components (same
/// ids, same traffic); everything else is B's own design. Users components
/// that exist only in B are kept as they are.
pub fn same_traffic(a: &Scenario, b: &Scenario) -> Scenario {
    let mut out = b.clone();
    out.seed = a.seed;
    out.workload = a.workload;
    out.window_ms = a.window_ms;
    for c in &mut out.components {
        if !matches!(c.spec, ComponentSpec::Users(_)) {
            continue;
        }
        if let Some(ac) = a.component(&c.id) {
            if matches!(ac.spec, ComponentSpec::Users(_)) {
                c.spec = ac.spec.clone();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Simulation;

    #[test]
    fn signs_and_better_side() {
        let s = crate::presets::by_name("05-database-replication.json").expect("preset");
        let mut sim = Simulation::new(&s).expect("valid");
        let _ = sim.advance_ms(5_000);
        let a = sim.summary();
        let mut b = a.clone();
        b.latency_ms_p99 = a.latency_ms_p99 / 2.0;
        b.availability = a.availability - 0.1;
        b.lost_writes = a.lost_writes + 3;
        let rows = diff_table(&a, &b, Some((100.0, 80.0)));
        assert_eq!(rows.len(), 9);
        let cost = rows.last().expect("cost row");
        assert_eq!(
            (cost.key.as_str(), cost.delta, cost.b_better),
            ("cost_usd_per_month", -20.0, Some(true))
        );
        assert_eq!(diff_table(&a, &b, None).len(), 8);
        let row = |k: &str| rows.iter().find(|r| r.key == k).expect(k).clone();
        assert!(row("p99_ms").delta < 0.0);
        assert_eq!(row("p99_ms").b_better, Some(true));
        assert!((row("availability").delta + 0.1).abs() < 1e-12);
        assert_eq!(row("availability").b_better, Some(false));
        assert_eq!(row("lost_writes").delta, 3.0);
        assert_eq!(row("lost_writes").b_better, Some(false));
        assert_eq!(row("p50_ms").b_better, None);
    }

    #[test]
    fn a_cache_costs_money() {
        let a = crate::presets::by_name("05-database-replication.json").expect("preset");
        let b = crate::presets::by_name("06-cache.json").expect("preset");
        let (ca, cb) = monthly_costs(&a, &b).expect("priced");
        assert!(ca > 0.0 && cb > 0.0);
        assert_eq!(monthly_costs(&a, &a), Some((ca, ca)));
    }

    #[test]
    fn same_traffic_takes_a_seed_workload_and_users() {
        let a = crate::presets::by_name("05-database-replication.json").expect("preset");
        let mut b = a.clone();
        b.seed = a.seed + 1;
        b.workload.keys += 7;
        for c in &mut b.components {
            if let ComponentSpec::Users(u) = &mut c.spec {
                u.users *= 2;
            }
        }
        let fixed = same_traffic(&a, &b);
        assert_eq!(fixed, a);
    }
}
