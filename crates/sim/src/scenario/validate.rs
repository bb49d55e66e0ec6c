//! Range and graph checks for a scenario. Produces the resolved [`Graph`].

use super::{ComponentSpec, Scenario};
use crate::dist::Distribution;
use crate::error::SimError;
use std::collections::BTreeMap;

/// Largest accepted values: generous for teaching, small enough that the
/// simulator's memory and time stay bounded.
pub mod limits {
    /// Users in one users component.
    pub const USERS: u64 = 10_000_000;
    /// Users of all users components together, and user ids handed out over
    /// a run (each user has per-user state: at 13 bytes, 130 MB at most).
    pub const TOTAL_USERS: u64 = 10_000_000;
    /// Requests per user per second.
    pub const REQUESTS_PER_USER_PER_S: f64 = 1_000.0;
    /// Total offered load of one users component (requests/s).
    pub const OFFERED_RPS: f64 = 2_000_000.0;
    /// Instances, replicas, nodes or shards of one component.
    pub const INSTANCES: u32 = 1_000;
    /// Waiting requests per instance.
    pub const QUEUE: u32 = 1_000_000;
    /// Data keys or static objects.
    pub const KEYS: u64 = 2_000_000;
    /// Characters of an id.
    pub const ID_CHARS: usize = 64;
    /// Characters of a label.
    pub const LABEL_CHARS: usize = 200;
    /// Components in a scenario.
    pub const COMPONENTS: usize = 500;
    /// Timeline actions.
    pub const ACTIONS: usize = 10_000;
    /// Simulated duration (s): one day.
    pub const DURATION_S: f64 = 86_400.0;
}

/// The scenario's graph with ids resolved to indices.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Component index by id (a BTreeMap: deterministic iteration).
    pub index: BTreeMap<String, usize>,
    /// Out-neighbours of each component, in file order.
    pub out: Vec<Vec<usize>>,
    /// In-neighbours of each component, in file order.
    pub inn: Vec<Vec<usize>>,
    /// Data-center index of each component, if it is in one.
    pub dc: Vec<Option<usize>>,
}

fn num(id: &str, field: &str, v: f64, lo: f64, hi: f64) -> Result<(), SimError> {
    if !v.is_finite() {
        return Err(SimError::invalid(
            id,
            field,
            format!("must be a number (got {v})"),
        ));
    }
    if v < lo || v > hi {
        return Err(SimError::invalid(
            id,
            field,
            format!("must be between {lo} and {hi} (got {v})"),
        ));
    }
    Ok(())
}

fn count(id: &str, field: &str, v: u64, lo: u64, hi: u64) -> Result<(), SimError> {
    if v < lo || v > hi {
        return Err(SimError::invalid(
            id,
            field,
            format!("must be between {lo} and {hi} (got {v})"),
        ));
    }
    Ok(())
}

fn dist(id: &str, field: &str, d: &Distribution) -> Result<(), SimError> {
    d.check().map_err(|r| SimError::invalid(id, field, r))
}

/// Which kinds may send requests to which (the editor uses it to accept or refuse a connection).
pub fn edge_allowed(from: &ComponentSpec, to: &ComponentSpec) -> bool {
    use ComponentSpec as C;
    matches!(
        (from, to),
        (
            C::Users(_),
            C::Dns(_) | C::Cdn(_) | C::LoadBalancer(_) | C::WebTier(_)
        ) | (C::Dns(_), C::LoadBalancer(_) | C::WebTier(_))
            | (C::Cdn(_), C::LoadBalancer(_) | C::WebTier(_) | C::Dns(_))
            | (C::LoadBalancer(_), C::WebTier(_))
            | (
                C::WebTier(_),
                C::SessionStore(_)
                    | C::Cache(_)
                    | C::Database(_)
                    | C::ShardedDatabase(_)
                    | C::MessageQueue(_)
            )
            | (C::Cache(_), C::Database(_) | C::ShardedDatabase(_))
            | (C::MessageQueue(_), C::Workers(_))
            | (C::Workers(_), C::Database(_) | C::ShardedDatabase(_))
    )
}

/// Runs every check; see the module docs.
pub fn validate(s: &Scenario) -> Result<Graph, SimError> {
    if s.version != crate::SCENARIO_VERSION {
        return Err(SimError::Version { found: s.version });
    }
    num(
        "scenario",
        "duration_s",
        s.duration_s,
        0.001,
        limits::DURATION_S,
    )?;
    count("scenario", "window_ms", s.window_ms, 10, 3_600_000)?;
    if let Some(p) = &s.prices {
        p.check()?;
    }
    num("slo", "availability", s.slo.availability, 0.0, 1.0)?;
    num(
        "slo",
        "latency_ms_p99",
        s.slo.latency_ms_p99,
        0.0,
        3_600_000.0,
    )?;
    let w = &s.workload;
    count("workload", "keys", w.keys, 1, limits::KEYS)?;
    num("workload", "zipf_s", w.zipf_s, 0.0, 5.0)?;
    num("workload", "hot_key_share", w.hot_key_share, 0.0, 1.0)?;
    count(
        "workload",
        "static_objects",
        w.static_objects,
        1,
        limits::KEYS,
    )?;
    num("workload", "static_zipf_s", w.static_zipf_s, 0.0, 5.0)?;
    let n = &s.network;
    num("network", "same_dc_ms", n.same_dc_ms, 0.0, 10_000.0)?;
    num(
        "network",
        "user_to_region_ms",
        n.user_to_region_ms,
        0.0,
        10_000.0,
    )?;
    num(
        "network",
        "cross_region_ms",
        n.cross_region_ms,
        0.0,
        10_000.0,
    )?;

    if s.components.is_empty() {
        return Err(SimError::topology("", "the design has no components"));
    }
    if s.components.len() > limits::COMPONENTS {
        return Err(SimError::topology(
            "",
            format!("at most {} components are allowed", limits::COMPONENTS),
        ));
    }
    if s.timeline.len() > limits::ACTIONS {
        return Err(SimError::invalid(
            "scenario",
            "timeline",
            format!("at most {} actions are allowed", limits::ACTIONS),
        ));
    }

    let mut index = BTreeMap::new();
    let mut total_users: u64 = 0;
    for (i, c) in s.components.iter().enumerate() {
        if c.id.is_empty() || c.id.chars().count() > limits::ID_CHARS {
            return Err(SimError::invalid(
                &c.id,
                "id",
                format!("an id must have 1 to {} characters", limits::ID_CHARS),
            ));
        }
        if c.label.chars().count() > limits::LABEL_CHARS {
            return Err(SimError::invalid(
                &c.id,
                "label",
                format!("a label has at most {} characters", limits::LABEL_CHARS),
            ));
        }
        if let Some((x, y)) = c.pos {
            num(&c.id, "pos", x, -1e6, 1e6)?;
            num(&c.id, "pos", y, -1e6, 1e6)?;
        }
        if index.insert(c.id.clone(), i).is_some() {
            return Err(SimError::invalid(
                &c.id,
                "id",
                "two components have this id",
            ));
        }
        check_spec(&c.id, &c.spec)?;
        if let ComponentSpec::Users(u) = &c.spec {
            total_users = total_users.saturating_add(u.users);
            if total_users > limits::TOTAL_USERS {
                return Err(SimError::invalid(
                    &c.id,
                    "users",
                    format!(
                        "the design has more than {} users in total",
                        limits::TOTAL_USERS
                    ),
                ));
            }
        }
    }

    // Data centers.
    let mut dc = vec![None; s.components.len()];
    for (i, c) in s.components.iter().enumerate() {
        if let Some(d) = &c.dc {
            match index.get(d) {
                Some(&j) if matches!(s.components[j].spec, ComponentSpec::DataCenter(_)) => {
                    if matches!(
                        c.spec,
                        ComponentSpec::DataCenter(_)
                            | ComponentSpec::Users(_)
                            | ComponentSpec::Cdn(_)
                    ) {
                        return Err(SimError::invalid(
                            &c.id,
                            "dc",
                            format!("{} cannot be placed in a data center", c.spec.kind_phrase()),
                        ));
                    }
                    dc[i] = Some(j);
                }
                Some(_) => {
                    return Err(SimError::invalid(
                        &c.id,
                        "dc",
                        format!("'{d}' is not a data center"),
                    ))
                }
                None => {
                    return Err(SimError::invalid(
                        &c.id,
                        "dc",
                        format!("no data center '{d}'"),
                    ))
                }
            }
        }
    }

    // Edges.
    let mut out = vec![Vec::new(); s.components.len()];
    let mut inn = vec![Vec::new(); s.components.len()];
    for e in &s.edges {
        let f = *index.get(&e.from).ok_or_else(|| {
            SimError::topology(
                &e.from,
                format!("an edge starts at '{}', which does not exist", e.from),
            )
        })?;
        let t = *index.get(&e.to).ok_or_else(|| {
            SimError::topology(
                &e.from,
                format!("an edge goes to '{}', which does not exist", e.to),
            )
        })?;
        if f == t {
            return Err(SimError::topology(
                &e.from,
                "an edge cannot connect a component to itself",
            ));
        }
        if let Some(l) = e.latency_ms {
            num(&e.from, "edges.latency_ms", l, 0.0, 10_000.0)?;
        }
        let (fs, ts) = (&s.components[f].spec, &s.components[t].spec);
        if out[f].contains(&t) {
            return Err(SimError::topology(
                &e.from,
                format!("there are two edges to '{}'", e.to),
            ));
        }
        if out[t].contains(&f) || !edge_allowed(fs, ts) {
            let why = if out[t].contains(&f) || edge_allowed(ts, fs) {
                "that edge points backwards and would form a cycle"
            } else {
                "these kinds cannot be connected"
            };
            return Err(SimError::topology(
                &e.from,
                format!(
                    "{} cannot send requests to {} ('{}'): {why}",
                    fs.kind_phrase(),
                    ts.kind_phrase(),
                    e.to
                ),
            ));
        }
        out[f].push(t);
        inn[t].push(f);
    }
    check_no_cycle(s, &out)?;
    check_shape(s, &index, &out, &inn)?;
    for (k, ta) in s.timeline.iter().enumerate() {
        num(
            "timeline",
            &format!("[{k}].at_s"),
            ta.at_s,
            0.0,
            limits::DURATION_S,
        )?;
        crate::sim::check_action(s, &index, &ta.action)?;
    }
    Ok(Graph {
        index,
        out,
        inn,
        dc,
    })
}

fn check_spec(id: &str, spec: &ComponentSpec) -> Result<(), SimError> {
    use ComponentSpec as C;
    let inst =
        |field: &str, v: u32| count(id, field, u64::from(v), 1, u64::from(limits::INSTANCES));
    let queue = |v: u32| {
        count(
            id,
            "queue_capacity",
            u64::from(v),
            0,
            u64::from(limits::QUEUE),
        )
    };
    match spec {
        C::Users(u) => {
            count(id, "users", u.users, 0, limits::USERS)?;
            num(
                id,
                "requests_per_user_per_s",
                u.requests_per_user_per_s,
                0.0,
                limits::REQUESTS_PER_USER_PER_S,
            )?;
            num(
                id,
                "requests_per_user_per_s",
                u.offered_rps(),
                0.0,
                limits::OFFERED_RPS,
            )
            .map_err(|_| {
                SimError::invalid(
                    id,
                    "requests_per_user_per_s",
                    format!(
                        "users × rate must be at most {} requests/s",
                        limits::OFFERED_RPS
                    ),
                )
            })?;
            let m = &u.mix;
            for (f, v) in [
                ("mix.static", m.static_share),
                ("mix.read", m.read),
                ("mix.write", m.write),
                ("mix.async", m.async_share),
            ] {
                num(id, f, v, 0.0, 1e6)?;
            }
            if m.static_share + m.read + m.write + m.async_share <= 0.0 {
                return Err(SimError::invalid(
                    id,
                    "mix",
                    "at least one request kind needs a share above 0",
                ));
            }
            num(
                id,
                "client_timeout_ms",
                u.client_timeout_ms,
                0.0,
                3_600_000.0,
            )?;
            count(id, "retries", u64::from(u.retries), 0, 10)?;
            num(id, "retry_backoff_ms", u.retry_backoff_ms, 0.0, 600_000.0)?;
            match u.load {
                super::LoadShape::Constant => {}
                super::LoadShape::Step { at_s, factor } => {
                    num(id, "load.at_s", at_s, 0.0, limits::DURATION_S)?;
                    num(id, "load.factor", factor, 0.0, 100.0)?;
                }
                super::LoadShape::Spike {
                    at_s,
                    duration_s,
                    factor,
                } => {
                    num(id, "load.at_s", at_s, 0.0, limits::DURATION_S)?;
                    num(id, "load.duration_s", duration_s, 0.0, limits::DURATION_S)?;
                    num(id, "load.factor", factor, 0.0, 100.0)?;
                }
                super::LoadShape::Diurnal {
                    period_s,
                    amplitude,
                } => {
                    num(id, "load.period_s", period_s, 1.0, limits::DURATION_S)?;
                    num(id, "load.amplitude", amplitude, 0.0, 0.99)?;
                }
            }
        }
        C::Dns(d) => num(id, "ttl_s", d.ttl_s, 0.0, 86_400.0)?,
        C::Cdn(c) => {
            count(id, "capacity_objects", c.capacity_objects, 1, limits::KEYS)?;
            num(id, "ttl_s", c.ttl_s, 0.0, 86_400.0 * 365.0)?;
            num(id, "edge_latency_ms", c.edge_latency_ms, 0.0, 10_000.0)?;
            num(id, "origin_latency_ms", c.origin_latency_ms, 0.0, 10_000.0)?;
        }
        C::LoadBalancer(l) => {
            num(
                id,
                "health_check.interval_ms",
                l.health_check.interval_ms,
                10.0,
                3_600_000.0,
            )?;
            count(
                id,
                "health_check.threshold",
                u64::from(l.health_check.threshold),
                1,
                100,
            )?;
            count(
                id,
                "health_check.rise",
                u64::from(l.health_check.rise),
                1,
                100,
            )?;
        }
        C::WebTier(w) => {
            inst("instances", w.instances)?;
            dist(id, "service", &w.service)?;
            queue(w.queue_capacity)?;
            num(id, "boot_s", w.boot_s, 0.0, 3_600.0)?;
        }
        C::SessionStore(st) => {
            inst("instances", st.instances)?;
            dist(id, "service", &st.service)?;
            queue(st.queue_capacity)?;
        }
        C::Cache(c) => {
            inst("nodes", c.nodes)?;
            count(id, "capacity_keys", c.capacity_keys, 1, limits::KEYS)?;
            num(id, "ttl_s", c.ttl_s, 0.0, 86_400.0 * 365.0)?;
            dist(id, "service", &c.service)?;
            queue(c.queue_capacity)?;
        }
        C::Database(d) => {
            count(id, "replicas", u64::from(d.replicas), 0, 64)?;
            dist(id, "read_service", &d.read_service)?;
            dist(id, "write_service", &d.write_service)?;
            dist(id, "replication_lag", &d.replication_lag)?;
            queue(d.queue_capacity)?;
            num(
                id,
                "failover.detection_s",
                d.failover.detection_s,
                0.0,
                3_600.0,
            )?;
            num(
                id,
                "failover.promotion_s",
                d.failover.promotion_s,
                0.0,
                3_600.0,
            )?;
        }
        C::ShardedDatabase(d) => {
            count(id, "shards", u64::from(d.shards), 1, 256)?;
            dist(id, "read_service", &d.read_service)?;
            dist(id, "write_service", &d.write_service)?;
            queue(d.queue_capacity)?;
            num(id, "migration_keys_per_s", d.migration_keys_per_s, 1.0, 1e7)?;
        }
        C::MessageQueue(q) => {
            count(
                id,
                "capacity",
                u64::from(q.capacity),
                1,
                u64::from(limits::QUEUE),
            )?;
            num(id, "publish_ms", q.publish_ms, 0.0, 10_000.0)?;
        }
        C::Workers(w) => {
            inst("instances", w.instances)?;
            dist(id, "service", &w.service)?;
            num(id, "boot_s", w.boot_s, 0.0, 3_600.0)?;
        }
        C::DataCenter(d) => {
            if d.region.trim().is_empty() || d.region.chars().count() > limits::ID_CHARS {
                return Err(SimError::invalid(
                    id,
                    "region",
                    "a region name has 1 to 64 characters",
                ));
            }
        }
        C::Autoscaler(a) => {
            num(id, "target_utilization", a.target_utilization, 0.05, 1.0)?;
            inst("min", a.min)?;
            inst("max", a.max)?;
            if a.min > a.max {
                return Err(SimError::invalid(id, "min", "min must not exceed max"));
            }
            num(id, "period_s", a.period_s, 1.0, 3_600.0)?;
            num(id, "stabilization_s", a.stabilization_s, 0.0, 86_400.0)?;
        }
    }
    Ok(())
}

fn check_no_cycle(s: &Scenario, out: &[Vec<usize>]) -> Result<(), SimError> {
    // Kahn's algorithm: anything left with in-degree > 0 is on a cycle.
    let n = out.len();
    let mut indeg = vec![0usize; n];
    for o in out {
        for &t in o {
            indeg[t] += 1;
        }
    }
    let mut stack: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut seen = 0;
    while let Some(i) = stack.pop() {
        seen += 1;
        for &t in &out[i] {
            indeg[t] -= 1;
            if indeg[t] == 0 {
                stack.push(t);
            }
        }
    }
    if seen < n {
        let i = (0..n).find(|&i| indeg[i] > 0).unwrap_or(0);
        return Err(SimError::topology(
            &s.components[i].id,
            "it is part of a cycle of edges",
        ));
    }
    Ok(())
}

fn check_shape(
    s: &Scenario,
    index: &BTreeMap<String, usize>,
    out: &[Vec<usize>],
    inn: &[Vec<usize>],
) -> Result<(), SimError> {
    use ComponentSpec as C;
    let kind = |i: usize| &s.components[i].spec;
    let mut has_users = false;
    for (i, c) in s.components.iter().enumerate() {
        let id = &c.id;
        let outs: Vec<&ComponentSpec> = out[i].iter().map(|&t| kind(t)).collect();
        let n_of = |f: fn(&ComponentSpec) -> bool| outs.iter().filter(|k| f(k)).count();
        match &c.spec {
            C::Users(_) => {
                has_users = true;
                let entries = n_of(|k| matches!(k, C::Dns(_) | C::LoadBalancer(_) | C::WebTier(_)));
                let cdns = n_of(|k| matches!(k, C::Cdn(_)));
                if entries + cdns == 0 {
                    return Err(SimError::topology(id, "users are not connected to anything: connect them to a web server, load balancer, DNS or CDN"));
                }
                if entries > 1 || cdns > 1 {
                    return Err(SimError::topology(id, "users connect to one entry point (DNS, load balancer or web tier) and at most one CDN"));
                }
            }
            C::Dns(_) if out[i].is_empty() => {
                return Err(SimError::topology(id, "DNS has no data center to send users to: connect it to a load balancer or web tier"))
            }
            C::Cdn(_) if out[i].len() != 1 => {
                return Err(SimError::topology(id, "a CDN needs exactly one origin (a load balancer, web tier or DNS)"))
            }
            C::LoadBalancer(_) if out[i].len() != 1 => {
                return Err(SimError::topology(id, "a load balancer needs exactly one web tier behind it"))
            }
            C::WebTier(_) => {
                for (label, f) in [
                    ("session store", (|k: &ComponentSpec| matches!(k, C::SessionStore(_))) as fn(&ComponentSpec) -> bool),
                    ("cache", |k| matches!(k, C::Cache(_))),
                    ("database", |k| matches!(k, C::Database(_) | C::ShardedDatabase(_))),
                    ("message queue", |k| matches!(k, C::MessageQueue(_))),
                ] {
                    if n_of(f) > 1 {
                        return Err(SimError::topology(id, format!("a web tier connects to at most one {label}")));
                    }
                }
                let has_db = n_of(|k| matches!(k, C::Database(_) | C::ShardedDatabase(_))) > 0;
                let cache_db = out[i].iter().any(|&t| matches!(kind(t), C::Cache(_)));
                if cache_db && has_db {
                    return Err(SimError::topology(id, "with a cache, connect the database behind the cache (web → cache → database), not to the web tier as well"));
                }
            }
            C::Cache(_) if out[i].len() != 1 => {
                return Err(SimError::topology(id, "a cache needs exactly one database behind it (read-through)"))
            }
            C::MessageQueue(_) if out[i].len() != 1 => {
                return Err(SimError::topology(id, "a message queue needs exactly one pool of workers"))
            }
            C::Workers(_) if out[i].len() > 1 => {
                return Err(SimError::topology(id, "workers write to at most one database"))
            }
            C::Autoscaler(a) => match index.get(&a.target) {
                Some(&t) if matches!(kind(t), C::WebTier(_) | C::Workers(_)) => {}
                Some(_) => return Err(SimError::invalid(id, "target", format!("'{}' is not a web tier or workers", a.target))),
                None => return Err(SimError::invalid(id, "target", format!("no component '{}'", a.target))),
            },
            _ => {}
        }
    }
    if !has_users {
        return Err(SimError::topology(
            "",
            "the design has no users: add a users component",
        ));
    }
    // Everything that serves requests must be reachable from some users.
    let mut reach = vec![false; s.components.len()];
    let mut stack: Vec<usize> = (0..s.components.len())
        .filter(|&i| matches!(kind(i), C::Users(_)))
        .collect();
    while let Some(i) = stack.pop() {
        if reach[i] {
            continue;
        }
        reach[i] = true;
        stack.extend(out[i].iter().copied());
    }
    for (i, c) in s.components.iter().enumerate() {
        let serves = !matches!(c.spec, C::DataCenter(_) | C::Autoscaler(_));
        if serves && !reach[i] {
            let why = if inn[i].is_empty() {
                "nothing sends requests to it"
            } else {
                "no users can reach it"
            };
            return Err(SimError::topology(
                &c.id,
                format!("it is not connected: {why}"),
            ));
        }
    }
    Ok(())
}
