//! The analytic twin: steady-state figures for a scenario from the traffic
//! equations and M/M/c (Erlang C) per station, with cache hit ratios from
//! Che's approximation. The simulation is held against it in the tests, and
//! the UI shows it beside the simulated figures.

use crate::error::SimError;
use crate::keys::{che_lru_hit_ratio, Zipf};
use crate::scenario::{ComponentSpec, Scenario, Sessions};
use serde::Serialize;

/// Steady-state estimate for one station (a group of identical instances).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StationEstimate {
    /// Component id (with `/primary`, `/replicas` or `/shard-N` for databases).
    pub id: String,
    /// Instances sharing the load evenly.
    pub instances: u32,
    /// Cores per instance (servers of each M/M/c queue).
    pub cores: u32,
    /// Offered load to the whole station (requests/s).
    pub arrival_rps: f64,
    /// Most the station can serve (requests/s).
    pub capacity_rps: f64,
    /// Offered / capacity.
    pub utilization: f64,
    /// Mean time in the station (wait + service), ms; infinite when saturated.
    pub sojourn_ms_mean: f64,
    /// Mean wait before service, ms.
    pub wait_ms_mean: f64,
}

/// The whole design's steady state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Total offered load (requests/s).
    pub offered_rps: f64,
    /// Every station.
    pub stations: Vec<StationEstimate>,
    /// The station that saturates first as traffic grows.
    pub bottleneck: Option<String>,
    /// Largest total request rate the design sustains (utilization < 1 everywhere).
    pub max_sustainable_rps: Option<f64>,
    /// Mean end-to-end latency of successful requests (ms), network included.
    pub latency_ms_mean: f64,
    /// Expected hit ratio of each cache or CDN (Che's approximation).
    pub hit_ratios: Vec<(String, f64)>,
}

/// Erlang C: probability that an arrival waits in an M/M/c queue with offered load a = λ/μ.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let c_f = f64::from(c);
    if a >= c_f {
        return 1.0;
    }
    // Sum a^k/k! for k < c, iteratively for stability.
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / f64::from(k);
        sum += term;
    }
    let last = term * a / c_f; // a^c / c!
    let top = last * c_f / (c_f - a);
    top / (sum + top)
}

/// Mean wait (s) in M/M/c with arrival rate `lambda`, service rate `mu` per server.
pub fn mmc_wait_s(c: u32, lambda: f64, mu: f64) -> f64 {
    let a = lambda / mu;
    if a >= f64::from(c) {
        return f64::INFINITY;
    }
    erlang_c(c, a) / (f64::from(c) * mu - lambda)
}

fn pmf_with_hot(z: &Zipf, hot: f64) -> Vec<f64> {
    (0..z.len())
        .map(|k| (1.0 - hot) * z.pmf(k) + if k == 0 { hot } else { 0.0 })
        .collect()
}

struct Load {
    /// (component index, station suffix, instances, cores, speed, mean service ms, rps)
    rows: Vec<(usize, String, u32, u32, f64, f64, f64)>,
}

/// Computes the analytic steady state of `scenario` at its base traffic (t = 0 shape factor 1).
pub fn analyze(scenario: &Scenario) -> Result<Analysis, SimError> {
    analyze_with_rates(scenario).map(|(a, _)| a)
}

/// [`analyze`] plus the offered rate into each component (index of
/// `scenario.components`) by request kind `[static, read, write, async]`,
/// requests/s. The cost model reads traffic volumes from it.
pub(crate) fn analyze_with_rates(
    scenario: &Scenario,
) -> Result<(Analysis, Vec<[f64; 4]>), SimError> {
    let g = scenario.validate()?;
    let comps = &scenario.components;
    let n = comps.len();
    // Offered rate into each component by request kind: [static, read, write, async].
    let mut into = vec![[0.0f64; 4]; n];
    let mut net_ms_weighted = 0.0;
    let mut offered = 0.0;
    let region = |i: usize| -> Option<&str> {
        match &comps[i].spec {
            ComponentSpec::Users(u) => u.region.as_deref(),
            _ => g.dc[i].and_then(|d| match &comps[d].spec {
                ComponentSpec::DataCenter(dc) => Some(dc.region.as_str()),
                _ => None,
            }),
        }
    };
    let cross = |a: Option<&str>, b: Option<&str>| matches!((a, b), (Some(x), Some(y)) if x != y);
    let net = &scenario.network;
    let wl = &scenario.workload;
    let keys = Zipf::new(wl.keys, wl.zipf_s);
    let key_pmf = pmf_with_hot(&keys, wl.hot_key_share);
    let statics = Zipf::new(wl.static_objects, wl.static_zipf_s);
    let static_pmf = pmf_with_hot(&statics, 0.0);
    let mut hit_ratios = Vec::new();

    // Static requests per second through each CDN, from every users component.
    let mut cdn_static_rps = vec![0.0; n];
    let mut cdn_hit: Vec<Option<f64>> = vec![None; n];
    for (ui, c) in comps.iter().enumerate() {
        if let ComponentSpec::Users(u) = &c.spec {
            let m = &u.mix;
            let share = m.static_share / (m.static_share + m.read + m.write + m.async_share);
            for &t in &g.out[ui] {
                if matches!(comps[t].spec, ComponentSpec::Cdn(_)) {
                    cdn_static_rps[t] += u.offered_rps() * share;
                }
            }
        }
    }
    for (ui, c) in comps.iter().enumerate() {
        let ComponentSpec::Users(u) = &c.spec else {
            continue;
        };
        let rate = u.offered_rps();
        offered += rate;
        let m = &u.mix;
        let tot = m.static_share + m.read + m.write + m.async_share;
        let shares = [
            m.static_share / tot,
            m.read / tot,
            m.write / tot,
            m.async_share / tot,
        ];
        let outs = &g.out[ui];
        let entry = outs
            .iter()
            .copied()
            .find(|&t| !matches!(comps[t].spec, ComponentSpec::Cdn(_)));
        let cdn = outs
            .iter()
            .copied()
            .find(|&t| matches!(comps[t].spec, ComponentSpec::Cdn(_)));
        // Resolve the entry to the component that actually receives the traffic (DNS picks the nearest).
        let resolve = |mut t: usize| -> usize {
            while let ComponentSpec::Dns(_) = comps[t].spec {
                let best = g.out[t]
                    .iter()
                    .copied()
                    .min_by_key(|&x| cross(region(ui), region(x)));
                match best {
                    Some(b) => t = b,
                    None => break,
                }
            }
            t
        };
        let mut static_rate = rate * shares[0];
        if let Some(cd) = cdn {
            if let ComponentSpec::Cdn(cs) = &comps[cd].spec {
                // The hit ratio depends on all static traffic through this CDN (TTL in requests).
                let h = *cdn_hit[cd].get_or_insert_with(|| {
                    let through = cdn_static_rps[cd];
                    let ttl_events = if cs.ttl_s > 0.0 {
                        through * cs.ttl_s
                    } else {
                        f64::INFINITY
                    };
                    let h = che_lru_hit_ratio(
                        &static_pmf,
                        cs.capacity_objects as f64,
                        ttl_events.max(1.0),
                    );
                    hit_ratios.push((comps[cd].id.clone(), h));
                    h
                });
                net_ms_weighted += static_rate * 2.0 * cs.edge_latency_ms;
                net_ms_weighted += static_rate * (1.0 - h) * 2.0 * cs.origin_latency_ms;
                static_rate *= 1.0 - h;
                let origin = resolve(g.out[cd][0]);
                into[origin][0] += static_rate;
            }
        }
        if let Some(e) = entry {
            let t = resolve(e);
            let user_ms = net.user_to_region_ms
                + if cross(region(ui), region(t)) {
                    net.cross_region_ms
                } else {
                    0.0
                };
            let non_static = rate * (shares[1] + shares[2] + shares[3]);
            net_ms_weighted +=
                2.0 * user_ms * (non_static + if cdn.is_none() { static_rate } else { 0.0 });
            if cdn.is_none() {
                into[t][0] += static_rate;
            }
            for k in 1..4 {
                into[t][k] += rate * shares[k];
            }
        }
    }
    // Push load down the layers in topological order (edges only go "down").
    let mut load = Load { rows: Vec::new() };
    let order = topo(&g.out);
    for &i in &order {
        let [st, rd, wr, asy] = into[i];
        let here = st + rd + wr + asy;
        match &comps[i].spec {
            ComponentSpec::LoadBalancer(_) | ComponentSpec::Dns(_) => {
                let t = g.out[i][0];
                let src = into[i];
                for (dst, v) in into[t].iter_mut().zip(src) {
                    *dst += v;
                }
            }
            ComponentSpec::WebTier(w) => {
                let sp = w.size.spec();
                load.rows.push((
                    i,
                    String::new(),
                    w.instances,
                    sp.cores,
                    sp.speed,
                    w.service.mean_ms(),
                    here,
                ));
                let find = |f: fn(&ComponentSpec) -> bool| {
                    g.out[i].iter().copied().find(|&t| f(&comps[t].spec))
                };
                let store = find(|k| matches!(k, ComponentSpec::SessionStore(_)));
                let cache = find(|k| matches!(k, ComponentSpec::Cache(_)));
                let db = find(|k| {
                    matches!(
                        k,
                        ComponentSpec::Database(_) | ComponentSpec::ShardedDatabase(_)
                    )
                });
                let mq = find(|k| matches!(k, ComponentSpec::MessageQueue(_)));
                if let (Sessions::Stateless, Some(s)) = (w.sessions, store) {
                    into[s][1] += here;
                    net_ms_weighted += here * 2.0 * net.same_dc_ms;
                }
                let db_behind = db.or_else(|| cache.map(|c| g.out[c][0]));
                if let Some(c) = cache {
                    into[c][1] += rd;
                    net_ms_weighted += rd * 2.0 * net.same_dc_ms;
                } else if let Some(d) = db_behind {
                    into[d][1] += rd;
                    net_ms_weighted += rd * 2.0 * net.same_dc_ms;
                }
                let (to_db_writes, to_mq) = if mq.is_some() {
                    (wr, asy)
                } else {
                    (wr + asy, 0.0)
                };
                if let Some(d) = db_behind {
                    into[d][2] += to_db_writes;
                    net_ms_weighted += to_db_writes * 2.0 * net.same_dc_ms;
                }
                if let Some(q) = mq {
                    into[q][3] += to_mq;
                    net_ms_weighted += to_mq * 2.0 * net.same_dc_ms;
                }
            }
            ComponentSpec::SessionStore(s) => {
                let sp = s.size.spec();
                load.rows.push((
                    i,
                    String::new(),
                    s.instances,
                    sp.cores,
                    sp.speed,
                    s.service.mean_ms(),
                    here,
                ));
            }
            ComponentSpec::Cache(c) => {
                let ttl_events = if c.ttl_s > 0.0 {
                    rd * c.ttl_s
                } else {
                    f64::INFINITY
                };
                let h = che_lru_hit_ratio(&key_pmf, c.capacity_keys as f64, ttl_events.max(1.0));
                hit_ratios.push((comps[i].id.clone(), h));
                let sp = c.size.spec();
                load.rows.push((
                    i,
                    String::new(),
                    c.nodes,
                    sp.cores,
                    sp.speed,
                    c.service.mean_ms(),
                    rd,
                ));
                let d = g.out[i][0];
                into[d][1] += rd * (1.0 - h);
                net_ms_weighted += rd * (1.0 - h) * 2.0 * net.same_dc_ms;
                into[d][2] += wr;
            }
            ComponentSpec::Database(d) => {
                let sp = d.size.spec();
                let (r_mean, w_mean) = (d.read_service.mean_ms(), d.write_service.mean_ms());
                if d.replicas > 0 {
                    load.rows.push((
                        i,
                        "/primary".into(),
                        1,
                        sp.cores,
                        sp.speed,
                        w_mean,
                        wr + asy,
                    ));
                    load.rows.push((
                        i,
                        "/replicas".into(),
                        d.replicas,
                        sp.cores,
                        sp.speed,
                        r_mean,
                        rd,
                    ));
                } else {
                    let tot = rd + wr + asy;
                    let mean = if tot > 0.0 {
                        (rd * r_mean + (wr + asy) * w_mean) / tot
                    } else {
                        r_mean
                    };
                    load.rows
                        .push((i, String::new(), 1, sp.cores, sp.speed, mean, tot));
                }
            }
            ComponentSpec::ShardedDatabase(d) => {
                let sp = d.size.spec();
                let mut share = vec![0.0; d.shards as usize];
                for (k, p) in key_pmf.iter().enumerate() {
                    let s = match d.shard_key {
                        crate::scenario::ShardKey::Hash => {
                            (crate::rng::splitmix64(k as u64) % u64::from(d.shards)) as usize
                        }
                        crate::scenario::ShardKey::Range => {
                            ((k as u64 * u64::from(d.shards)) / wl.keys.max(1)) as usize
                        }
                    };
                    share[s] += p;
                }
                let tot = rd + wr + asy;
                let mean = if tot > 0.0 {
                    (rd * d.read_service.mean_ms() + (wr + asy) * d.write_service.mean_ms()) / tot
                } else {
                    1.0
                };
                for (s, f) in share.iter().enumerate() {
                    load.rows.push((
                        i,
                        format!("/shard-{s}"),
                        1,
                        sp.cores,
                        sp.speed,
                        mean,
                        tot * f,
                    ));
                }
            }
            ComponentSpec::MessageQueue(_) => {
                let w = g.out[i][0];
                into[w][3] += asy;
            }
            ComponentSpec::Workers(w) => {
                let sp = w.size.spec();
                // One shared queue over every worker core: M/M/(instances × cores).
                load.rows.push((
                    i,
                    String::new(),
                    1,
                    sp.cores * w.instances,
                    sp.speed,
                    w.service.mean_ms(),
                    asy,
                ));
                if let Some(&d) = g.out[i].first() {
                    into[d][2] += asy;
                }
            }
            _ => {}
        }
    }
    let mut stations = Vec::new();
    let mut latency_weighted = net_ms_weighted;
    let mut max_rps: Option<f64> = None;
    let mut bottleneck = None;
    for (i, suffix, inst, cores, speed, mean_ms, rps) in load.rows {
        let id = format!("{}{}", comps[i].id, suffix);
        let mu = if mean_ms > 0.0 {
            speed * 1000.0 / mean_ms
        } else {
            f64::INFINITY
        };
        let capacity = f64::from(inst) * f64::from(cores) * mu;
        let lambda_i = rps / f64::from(inst.max(1));
        let wait_s = if mu.is_finite() {
            mmc_wait_s(cores, lambda_i, mu)
        } else {
            0.0
        };
        let service_s = if mu.is_finite() { 1.0 / mu } else { 0.0 };
        let sojourn_ms = (wait_s + service_s) * 1000.0;
        latency_weighted += rps * sojourn_ms;
        if rps > 0.0 && offered > 0.0 && capacity.is_finite() {
            let scale = capacity / rps * offered;
            if max_rps.is_none_or(|m| scale < m) {
                max_rps = Some(scale);
                bottleneck = Some(id.clone());
            }
        }
        stations.push(StationEstimate {
            id,
            instances: inst,
            cores,
            arrival_rps: rps,
            capacity_rps: capacity,
            utilization: if capacity > 0.0 { rps / capacity } else { 0.0 },
            sojourn_ms_mean: sojourn_ms,
            wait_ms_mean: wait_s * 1000.0,
        });
    }
    let analysis = Analysis {
        offered_rps: offered,
        stations,
        bottleneck,
        max_sustainable_rps: max_rps,
        latency_ms_mean: if offered > 0.0 {
            latency_weighted / offered
        } else {
            0.0
        },
        hit_ratios,
    };
    Ok((analysis, into))
}

fn topo(out: &[Vec<usize>]) -> Vec<usize> {
    let n = out.len();
    let mut indeg = vec![0usize; n];
    for o in out {
        for &t in o {
            indeg[t] += 1;
        }
    }
    let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = queue.pop_front() {
        order.push(i);
        for &t in &out[i] {
            indeg[t] -= 1;
            if indeg[t] == 0 {
                queue.push_back(t);
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_known_values() {
        // M/M/1: P(wait) = rho.
        assert!((erlang_c(1, 0.5) - 0.5).abs() < 1e-12);
        // M/M/2 with a = 1: C = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn mm1_wait_closed_form() {
        // W_q = rho / (mu - lambda).
        let (l, m) = (80.0, 100.0);
        assert!((mmc_wait_s(1, l, m) - 0.8 / 20.0).abs() < 1e-12);
    }
}
