//! The simulation: components' runtime state, the routing rule of each kind,
//! faults and actions, and the metrics windows. One event at a time, in
//! (time, sequence) order, from one seed.

use crate::dist::Distribution;
use crate::engine::{ms_to_us, s_to_us, EventQueue, TimeUs};
use crate::error::SimError;
use crate::keys::Zipf;
use crate::metrics::{
    new_histogram, ComponentSummary, ComponentWindow, ErrorCause, ErrorCounts, LatencyHist,
    Summary, WindowSnapshot,
};
use crate::rng::Stream;
use crate::scenario::{
    limits, Action, Algorithm, ComponentSpec, Graph, LoadShape, Scenario, Sessions, ShardKey,
};
use crate::sizes::InstanceSize;
use crate::state::{Instance, KeyCache, Kind, Req, Slab, Stage, Stats};
use hdrhistogram::Histogram;
use std::collections::{BTreeMap, VecDeque};

/// How many finished windows the simulation keeps (a bounded ring).
pub const WINDOW_HISTORY: usize = 3_600;

const NONE16: u16 = u16::MAX;
/// Resharding moves keys in ticks of this length.
const MIGRATION_TICK_US: TimeUs = 10_000;
/// Restart time of one instance when it is resized.
const RESIZE_RESTART_US: TimeUs = 10_000_000;
/// Most pending replication entries kept per database (beyond, the oldest are
/// assumed applied: a bound on memory at extreme write rates × lags).
const MAX_PENDING_WRITES: usize = 1_000_000;

#[derive(Debug, Clone, Copy)]
enum Ev {
    Arrival {
        users: u16,
        gen: u32,
    },
    Retry {
        req: u32,
    },
    Hop {
        req: u32,
        comp: u16,
    },
    Done {
        comp: u16,
        inst: u16,
        req: u32,
        epoch: u32,
    },
    Respond {
        req: u32,
    },
    /// The earliest armed client timeout of users component `users`.
    Timeout {
        users: u16,
    },
    Probe {
        comp: u16,
    },
    Promote {
        comp: u16,
        epoch: u32,
    },
    Booted {
        comp: u16,
        inst: u16,
        epoch: u32,
    },
    Restart {
        comp: u16,
        inst: u16,
    },
    Autoscale {
        comp: u16,
    },
    Action {
        idx: u32,
    },
    Migrate {
        comp: u16,
        gen: u32,
    },
}

/// A request's client timeout, waiting in its users component's FIFO.
#[derive(Debug, Clone, Copy)]
struct PendingTimeout {
    deadline_us: TimeUs,
    /// The event sequence taken when the request was sent (its place among ties).
    seq: u64,
    req: u32,
    gen: u32,
}

impl PendingTimeout {
    /// Whether its request is still waiting for an answer (not answered,
    /// failed or timed out; its slab slot not reused).
    fn in_flight(&self, reqs: &Slab) -> bool {
        let r = &reqs.items[self.req as usize];
        r.gen == self.gen && !r.finished
    }
}

#[derive(Debug, Clone)]
struct UsersRt {
    base_rate_per_s: f64,
    users: u64,
    user_offset: u32,
    gen: u32,
    /// Cumulative mix thresholds: static, read, write (async is the rest).
    mix_cum: [f64; 3],
    timeout_us: TimeUs,
    /// Client timeouts of requests sent, in deadline order; the first one
    /// still in flight is armed as an event ([`Simulation::arm_timeout`]).
    timeouts: VecDeque<PendingTimeout>,
    /// Whether an [`Ev::Timeout`] is pending for this component.
    timeout_armed: bool,
    retries: u8,
    backoff_us: TimeUs,
    load: LoadShape,
    entry: Option<usize>,
    cdn: Option<usize>,
    rng: Stream,
}

#[derive(Debug, Clone)]
struct LbRt {
    target: usize,
    algorithm: Algorithm,
    interval_us: TimeUs,
    threshold: u32,
    rise: u32,
    sticky: bool,
    marked_up: Vec<bool>,
    fails: Vec<u32>,
    oks: Vec<u32>,
    rr: usize,
}

#[derive(Debug, Clone)]
struct CacheRt {
    nodes: Vec<KeyCache>,
    ttl_us: TimeUs,
    backend: usize,
}

#[derive(Debug, Clone)]
struct DbRt {
    read_service: Distribution,
    write_service: Distribution,
    lag: Distribution,
    detection_us: TimeUs,
    promotion_us: TimeUs,
    read_your_writes: bool,
    /// Index of the instance that is the primary, if any.
    primary: Option<usize>,
    /// Apply times of acknowledged writes not yet on the replicas.
    pending: VecDeque<TimeUs>,
    rr: usize,
    lost_writes_total: u64,
}

#[derive(Debug, Clone)]
struct ShardRt {
    shards: u32,
    key_mode: ShardKey,
    read_service: Distribution,
    write_service: Distribution,
    migration_keys_per_s: f64,
    /// (old shard count, keys moved so far) while resharding.
    migration: Option<(u32, f64)>,
    migration_gen: u32,
    keys: u64,
}

#[derive(Debug, Clone)]
enum Role {
    Users(Box<UsersRt>),
    Dns {
        ttl_us: TimeUs,
    },
    Cdn {
        cache: KeyCache,
        ttl_us: TimeUs,
        origin: usize,
        up: bool,
    },
    Lb(LbRt),
    Web {
        sessions: Sessions,
        store: Option<usize>,
        cache: Option<usize>,
        db: Option<usize>,
        mq: Option<usize>,
        rr: usize,
        boot_us: TimeUs,
    },
    SessionStore {
        rr: usize,
    },
    Cache(CacheRt),
    Db(Box<DbRt>),
    Sharded(ShardRt),
    Mq {
        capacity: u32,
        publish_us: TimeUs,
        workers: usize,
    },
    Workers {
        db: Option<usize>,
        boot_us: TimeUs,
    },
    DataCenter {
        down: bool,
    },
    Autoscaler {
        target: usize,
        target_util: f64,
        min: u32,
        max: u32,
        period_us: TimeUs,
        stabilization_us: TimeUs,
        last_busy: f64,
        last_cap: f64,
        history: VecDeque<(TimeUs, u32)>,
    },
}

#[derive(Debug, Clone)]
struct Comp {
    id: String,
    role: Role,
    dc: Option<usize>,
    /// Its region, as an index into the scenario's distinct region names.
    region: Option<u16>,
    /// Instances of a station (empty for routers).
    inst: Vec<Instance>,
    /// A shared FIFO (message queue → workers) instead of per-instance queues.
    shared: Option<VecDeque<u32>>,
    queue_cap: u32,
    service: Distribution,
    size: InstanceSize,
    rng: Stream,
    stats: Stats,
    /// The stats as they were at the start of the window (differences give the window's figures).
    mark: Stats,
    /// Jobs: latency histogram of the window (workers only).
    job_hist: Option<Histogram<u64>>,
    backlog_max: u64,
    /// Each instance's busy integral at the start of the window.
    mark_inst_busy: Vec<f64>,
    /// Where a shared-queue dispatch starts looking for a free instance.
    next_inst: usize,
}

/// Per-user state, allocated only for the features the design uses.
#[derive(Debug, Clone, Default)]
struct UserState {
    /// Geo-DNS and replicated database ([`UserRec`]), one record per user.
    rec: Vec<UserRec>,
    /// Stateful web tier: (instance + 1) << 16 | epoch (0 = no session).
    session: Vec<u32>,
}

/// What a request reads and writes of its user on its way: the geo-DNS
/// answer and the latest write. Packed into 13 bytes, so a request costs one
/// cache miss on its user instead of one per field: with 1 M users these
/// tables do not fit in the cache (docs/benchmarks.md, session 11).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, packed)]
struct UserRec {
    /// Replicated database: when the user's latest write is applied on replicas.
    last_write_apply_us: TimeUs,
    /// Geo-DNS: when the cached answer expires, ms.
    dns_expiry_ms: u32,
    /// Geo-DNS: the chosen entry's index + 1 (0 = none).
    dns_choice: u8,
}

#[derive(Debug, Clone, Default)]
struct WindowAcc {
    arrivals: u64,
    successes: u64,
    errors: ErrorCounts,
    lost_writes: u64,
    stale_reads: u64,
}

/// A running simulation of one scenario.
///
/// `Clone` is a checkpoint: a clone resumed later gives bit-identical windows
/// to the original run (the whole state, random streams included, is copied).
#[derive(Clone)]
pub struct Simulation {
    scenario: Scenario,
    graph: Graph,
    now_us: TimeUs,
    window_us: TimeUs,
    window_index: u64,
    events: EventQueue<Ev>,
    comps: Vec<Comp>,
    reqs: Slab,
    /// Key and static-object popularity: read-only tables, shared by every
    /// clone (the rewind checkpoints) instead of copied (2.4 MB at stage 13).
    keys: std::sync::Arc<Zipf>,
    statics: std::sync::Arc<Zipf>,
    hot_key_share: f64,
    /// Some component reads request keys (caches, CDNs, databases); without
    /// one, keys are not drawn (their stream is separate, so nothing shifts).
    keys_used: bool,
    key_rng: Stream,
    users: UserState,
    win: WindowAcc,
    win_hist: LatencyHist,
    total: WindowAcc,
    total_hist: LatencyHist,
    /// The consistency trace, when enabled ([`Simulation::enable_trace`]).
    trace: Option<crate::trace::Trace>,
    history_limit: usize,
    history: VecDeque<WindowSnapshot>,
    digest: u64,
    /// Events taken from the queue.
    events_processed: u64,
    /// Zero-delay hops and settled responses handled at once, without the queue.
    events_inline: u64,
    /// While [`Simulation::advance_to_us`] runs: the latest time its current
    /// step may reach (the window's last µs or the target); `None` outside
    /// it. A response due by then that nothing can change is settled at once
    /// ([`Simulation::respond_after`]).
    settle_until_us: Option<TimeUs>,
    /// User requests sent and not yet answered, failed or timed out.
    user_in_flight: u64,
    timeline: Vec<Action>,
    dc_down: Vec<bool>,
    /// One-way hop latencies, `from * n + to` ([`Simulation::hop_table`]).
    hops: Vec<HopUs>,
}

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("scenario", &self.scenario.name)
            .field("now_us", &self.now_us)
            .field("pending_events", &self.events.len())
            .finish()
    }
}

fn station_parts(spec: &ComponentSpec) -> Option<(u32, InstanceSize, Distribution, u32)> {
    use ComponentSpec as C;
    match spec {
        C::WebTier(w) => Some((w.instances, w.size, w.service, w.queue_capacity)),
        C::SessionStore(s) => Some((s.instances, s.size, s.service, s.queue_capacity)),
        C::Cache(c) => Some((c.nodes, c.size, c.service, c.queue_capacity)),
        C::Database(d) => Some((1 + d.replicas, d.size, d.read_service, d.queue_capacity)),
        C::ShardedDatabase(d) => Some((d.shards, d.size, d.read_service, d.queue_capacity)),
        C::Workers(w) => Some((w.instances, w.size, w.service, 0)),
        _ => None,
    }
}

/// Checks that an action addresses something that exists and makes sense.
pub(crate) fn check_action(
    s: &Scenario,
    index: &BTreeMap<String, usize>,
    a: &Action,
) -> Result<(), SimError> {
    use ComponentSpec as C;
    let id = a.component();
    let c = index.get(id).map(|&i| &s.components[i]).ok_or_else(|| {
        SimError::invalid("timeline", "component", format!("no component '{id}'"))
    })?;
    let bad = |why: &str| Err(SimError::invalid(id, "action", why.to_string()));
    match (a, &c.spec) {
        (Action::Fail { instance, .. } | Action::Recover { instance, .. }, spec) => {
            let n = match spec {
                C::Database(d) => 1 + d.replicas,
                other => station_parts(other).map(|p| p.0).unwrap_or(1),
            };
            if matches!(spec, C::Users(_) | C::Dns(_) | C::Autoscaler(_)) {
                return bad("users, DNS and autoscalers cannot fail");
            }
            // The largest count it can reach: its own, or what a scale action sets.
            let scaled = s
                .timeline
                .iter()
                .filter_map(|t| match &t.action {
                    Action::Scale {
                        component,
                        instances,
                    } if component == id => Some(*instances + 1),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            if let Some(k) = instance {
                if *k >= n.max(scaled) {
                    return bad(&format!("there is no instance {k} (it has {n})"));
                }
            }
            Ok(())
        }
        (Action::Scale { instances, .. }, C::WebTier(_) | C::Workers(_) | C::Database(_)) => {
            if *instances > limits::INSTANCES {
                return bad("too many instances");
            }
            if *instances == 0 && !matches!(c.spec, C::Database(_)) {
                return bad("a tier needs at least one instance");
            }
            Ok(())
        }
        (Action::Resize { .. }, C::WebTier(_)) => Ok(()),
        (Action::SetUsers { users, .. }, C::Users(_)) => {
            if *users > limits::USERS {
                return bad("too many users");
            }
            Ok(())
        }
        (Action::SetRequestRate { requests_per_s, .. }, C::Users(_)) => {
            if !requests_per_s.is_finite() || *requests_per_s < 0.0 {
                return bad("the request rate must be a number ≥ 0");
            }
            if *requests_per_s > limits::OFFERED_RPS {
                return bad("the request rate is too high (at most 2,000,000 requests/s)");
            }
            Ok(())
        }
        (Action::Reshard { shards, .. }, C::ShardedDatabase(_)) => {
            if *shards == 0 || *shards > 256 {
                return bad("shards must be between 1 and 256");
            }
            Ok(())
        }
        _ => bad(&format!(
            "this action does not apply to {}",
            c.spec.kind_phrase()
        )),
    }
}

fn shape_factor(load: &LoadShape, t_s: f64) -> f64 {
    match *load {
        LoadShape::Constant => 1.0,
        LoadShape::Step { at_s, factor } => {
            if t_s >= at_s {
                factor
            } else {
                1.0
            }
        }
        LoadShape::Spike {
            at_s,
            duration_s,
            factor,
        } => {
            if t_s >= at_s && t_s < at_s + duration_s {
                factor
            } else {
                1.0
            }
        }
        LoadShape::Diurnal {
            period_s,
            amplitude,
        } => 1.0 + amplitude * libm::sin(2.0 * std::f64::consts::PI * t_s / period_s),
    }
}

fn shape_max(load: &LoadShape) -> f64 {
    match *load {
        LoadShape::Constant => 1.0,
        LoadShape::Step { factor, .. } | LoadShape::Spike { factor, .. } => factor.max(1.0),
        LoadShape::Diurnal { amplitude, .. } => 1.0 + amplitude,
    }
}

impl Simulation {
    /// Builds a simulation of `scenario` (validated first).
    pub fn new(scenario: &Scenario) -> Result<Self, SimError> {
        let graph = scenario.validate()?;
        let seed = scenario.seed;
        let n = scenario.components.len();
        let mut comps = Vec::with_capacity(n);
        let mut user_offset: u64 = 0;
        // Region names, interned: hops compare indices, not strings.
        let mut regions: Vec<String> = Vec::new();
        let region_of = |i: usize| -> Option<String> {
            graph.dc[i].and_then(|d| match &scenario.components[d].spec {
                ComponentSpec::DataCenter(dc) => Some(dc.region.clone()),
                _ => None,
            })
        };
        for (i, c) in scenario.components.iter().enumerate() {
            let outs = &graph.out[i];
            let find = |f: fn(&ComponentSpec) -> bool| {
                outs.iter()
                    .copied()
                    .find(|&t| f(&scenario.components[t].spec))
            };
            use ComponentSpec as C;
            let role = match &c.spec {
                C::Users(u) => {
                    let m = &u.mix;
                    let tot = m.static_share + m.read + m.write + m.async_share;
                    let c1 = m.static_share / tot;
                    let c2 = c1 + m.read / tot;
                    let c3 = c2 + m.write / tot;
                    let rt = UsersRt {
                        base_rate_per_s: u.offered_rps(),
                        users: u.users,
                        user_offset: user_offset as u32,
                        gen: 0,
                        mix_cum: [c1, c2, c3],
                        timeout_us: ms_to_us(u.client_timeout_ms),
                        timeouts: VecDeque::new(),
                        timeout_armed: false,
                        retries: u.retries as u8,
                        backoff_us: ms_to_us(u.retry_backoff_ms),
                        load: u.load,
                        entry: find(|k| {
                            matches!(k, C::Dns(_) | C::LoadBalancer(_) | C::WebTier(_))
                        }),
                        cdn: find(|k| matches!(k, C::Cdn(_))),
                        rng: Stream::new(seed, 1_000 + id_hash(&c.id)),
                    };
                    user_offset += u.users;
                    Role::Users(Box::new(rt))
                }
                C::Dns(d) => Role::Dns {
                    ttl_us: s_to_us(d.ttl_s),
                },
                C::Cdn(cd) => Role::Cdn {
                    cache: KeyCache::new(cd.eviction, cd.capacity_objects),
                    ttl_us: if cd.ttl_s > 0.0 {
                        s_to_us(cd.ttl_s)
                    } else {
                        TimeUs::MAX / 2
                    },
                    origin: outs[0],
                    up: true,
                },
                C::LoadBalancer(l) => {
                    let target = outs[0];
                    let k = station_parts(&scenario.components[target].spec)
                        .map(|p| p.0)
                        .unwrap_or(1) as usize;
                    Role::Lb(LbRt {
                        target,
                        algorithm: l.algorithm,
                        interval_us: ms_to_us(l.health_check.interval_ms).max(1),
                        threshold: l.health_check.threshold,
                        rise: l.health_check.rise,
                        sticky: l.sticky,
                        marked_up: vec![true; k],
                        fails: vec![0; k],
                        oks: vec![0; k],
                        rr: 0,
                    })
                }
                C::WebTier(w) => Role::Web {
                    sessions: w.sessions,
                    store: find(|k| matches!(k, C::SessionStore(_))),
                    cache: find(|k| matches!(k, C::Cache(_))),
                    db: find(|k| matches!(k, C::Database(_) | C::ShardedDatabase(_))),
                    mq: find(|k| matches!(k, C::MessageQueue(_))),
                    rr: 0,
                    boot_us: s_to_us(w.boot_s),
                },
                C::SessionStore(_) => Role::SessionStore { rr: 0 },
                C::Cache(cs) => {
                    let per = cs.capacity_keys.div_ceil(u64::from(cs.nodes));
                    Role::Cache(CacheRt {
                        nodes: (0..cs.nodes)
                            .map(|_| KeyCache::new(cs.eviction, per))
                            .collect(),
                        ttl_us: if cs.ttl_s > 0.0 {
                            s_to_us(cs.ttl_s)
                        } else {
                            TimeUs::MAX / 2
                        },
                        backend: outs[0],
                    })
                }
                C::Database(d) => Role::Db(Box::new(DbRt {
                    read_service: d.read_service,
                    write_service: d.write_service,
                    lag: d.replication_lag,
                    detection_us: s_to_us(d.failover.detection_s),
                    promotion_us: s_to_us(d.failover.promotion_s),
                    read_your_writes: d.read_your_writes,
                    primary: Some(0),
                    pending: VecDeque::new(),
                    rr: 0,
                    lost_writes_total: 0,
                })),
                C::ShardedDatabase(d) => Role::Sharded(ShardRt {
                    shards: d.shards,
                    key_mode: d.shard_key,
                    read_service: d.read_service,
                    write_service: d.write_service,
                    migration_keys_per_s: d.migration_keys_per_s,
                    migration: None,
                    migration_gen: 0,
                    keys: scenario.workload.keys,
                }),
                C::MessageQueue(q) => Role::Mq {
                    capacity: q.capacity,
                    publish_us: ms_to_us(q.publish_ms),
                    workers: outs[0],
                },
                C::Workers(w) => Role::Workers {
                    db: find(|k| matches!(k, C::Database(_) | C::ShardedDatabase(_))),
                    boot_us: s_to_us(w.boot_s),
                },
                C::DataCenter(_) => Role::DataCenter { down: false },
                C::Autoscaler(a) => Role::Autoscaler {
                    target: graph.index[&a.target],
                    target_util: a.target_utilization,
                    min: a.min,
                    max: a.max,
                    period_us: s_to_us(a.period_s),
                    stabilization_us: s_to_us(a.stabilization_s),
                    last_busy: 0.0,
                    last_cap: 0.0,
                    history: VecDeque::new(),
                },
            };
            let (inst, size, service, queue_cap) = match station_parts(&c.spec) {
                Some((k, size, service, q)) => {
                    let spec = size.spec();
                    (
                        (0..k)
                            .map(|_| Instance::new(spec.cores, spec.speed, true))
                            .collect(),
                        size,
                        service,
                        q,
                    )
                }
                None => (
                    Vec::new(),
                    InstanceSize::Small,
                    Distribution::Constant { mean_ms: 0.0 },
                    0,
                ),
            };
            let shared = matches!(c.spec, C::Workers(_)).then(VecDeque::new);
            let region = match &c.spec {
                C::Users(u) => u.region.clone(),
                _ => region_of(i),
            }
            .map(|r| match regions.iter().position(|x| *x == r) {
                Some(k) => k as u16,
                None => {
                    regions.push(r);
                    (regions.len() - 1) as u16
                }
            });
            comps.push(Comp {
                id: c.id.clone(),
                role,
                dc: graph.dc[i],
                region,
                inst,
                shared,
                queue_cap,
                service,
                size,
                // Keyed by the id, not the position: adding a component elsewhere
                // does not shift this one's random sequence (common random numbers).
                rng: Stream::new(seed, 2_000 + id_hash(&c.id)),
                stats: Stats::default(),
                mark: Stats::default(),
                job_hist: matches!(c.spec, C::Workers(_)).then(new_histogram),
                backlog_max: 0,
                mark_inst_busy: Vec::new(),
                next_inst: 0,
            });
        }
        let wl = &scenario.workload;
        let mut sim = Simulation {
            graph,
            now_us: 0,
            window_us: scenario.window_ms * 1_000,
            window_index: 0,
            events: EventQueue::new(),
            comps,
            reqs: Slab::default(),
            keys: std::sync::Arc::new(Zipf::new(wl.keys, wl.zipf_s)),
            statics: std::sync::Arc::new(Zipf::new(wl.static_objects, wl.static_zipf_s)),
            hot_key_share: wl.hot_key_share,
            keys_used: scenario.components.iter().any(|c| {
                matches!(
                    c.spec,
                    ComponentSpec::Cache(_)
                        | ComponentSpec::Cdn(_)
                        | ComponentSpec::Database(_)
                        | ComponentSpec::ShardedDatabase(_)
                )
            }),
            key_rng: Stream::new(seed, 1),
            users: UserState::default(),
            win: WindowAcc::default(),
            win_hist: LatencyHist::new(),
            total: WindowAcc::default(),
            total_hist: LatencyHist::new(),
            history: VecDeque::new(),
            trace: None,
            history_limit: WINDOW_HISTORY,
            digest: 0xcbf2_9ce4_8422_2325,
            events_processed: 0,
            events_inline: 0,
            settle_until_us: None,
            user_in_flight: 0,
            timeline: Vec::new(),
            dc_down: vec![false; scenario.components.len()],
            scenario: scenario.clone(),
            hops: Vec::new(),
        };
        sim.hops = sim.hop_table();
        sim.size_user_state(user_offset);
        for i in 0..sim.comps.len() {
            sim.refresh_capacity(i);
            match sim.comps[i].role {
                Role::Users(_) => sim.schedule_arrival(i),
                Role::Lb(ref lb) => {
                    let first = lb.interval_us;
                    sim.events.push(first, Ev::Probe { comp: i as u16 });
                }
                Role::Autoscaler { period_us, .. } => {
                    sim.events.push(period_us, Ev::Autoscale { comp: i as u16 })
                }
                _ => {}
            }
        }
        let mut tl: Vec<(usize, &crate::scenario::TimedAction)> =
            scenario.timeline.iter().enumerate().collect();
        tl.sort_by(|a, b| a.1.at_s.total_cmp(&b.1.at_s).then(a.0.cmp(&b.0)));
        for (k, (_, ta)) in tl.iter().enumerate() {
            sim.events
                .push(s_to_us(ta.at_s), Ev::Action { idx: k as u32 });
        }
        sim.timeline = tl.into_iter().map(|(_, ta)| ta.action.clone()).collect();
        Ok(sim)
    }

    fn size_user_state(&mut self, total_users: u64) {
        let n = total_users as usize;
        let any = |f: &dyn Fn(&Role) -> bool| self.comps.iter().any(|c| f(&c.role));
        if any(&|r| matches!(r, Role::Dns { .. } | Role::Db(_))) {
            self.users.rec.resize(n, UserRec::default());
        }
        if any(&|r| {
            matches!(
                r,
                Role::Web {
                    sessions: Sessions::Stateful,
                    ..
                }
            )
        }) {
            self.users.session.resize(n, 0);
        }
    }

    /// The scenario being simulated.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Simulated time now, in ms.
    pub fn now_ms(&self) -> f64 {
        self.now_us as f64 / 1_000.0
    }

    /// Simulated time now, in µs.
    pub fn now_us(&self) -> TimeUs {
        self.now_us
    }

    /// Events scheduled and not yet processed.
    pub fn pending_events(&self) -> usize {
        self.events.len()
    }

    /// Events handled so far: those taken from the event queue plus the
    /// zero-delay hops and responses handled at once ([`Simulation::events_inline`]).
    pub fn events_processed(&self) -> u64 {
        self.events_processed + self.events_inline
    }

    /// Of [`Simulation::events_processed`], the zero-delay hops and responses
    /// handled at once, without going through the event queue.
    pub fn events_inline(&self) -> u64 {
        self.events_inline
    }

    /// Starts recording writes and replica reads (at most `max_events`, the
    /// rest only counted), for checking consistency figures independently.
    pub fn enable_trace(&mut self, max_events: usize) {
        self.trace = Some(crate::trace::Trace::new(max_events));
    }

    /// The recorded trace (empty unless enabled) and how many events did not fit.
    pub fn trace(&self) -> (&[crate::trace::TraceEvent], u64) {
        self.trace
            .as_ref()
            .map_or((&[][..], 0), |t| (&t.events[..], t.dropped))
    }

    /// Keeps at most `windows` finished windows in [`Simulation::history`]
    /// (default [`WINDOW_HISTORY`]; 0 keeps none, for callers that keep their own).
    pub fn set_history_limit(&mut self, windows: usize) {
        self.history_limit = windows;
        while self.history.len() > windows {
            self.history.pop_front();
        }
    }

    /// The finished windows kept (at most the history limit, oldest first).
    pub fn history(&self) -> &VecDeque<WindowSnapshot> {
        &self.history
    }

    /// FNV-1a digest of every figure of every finished window: equal digests mean bit-identical metrics.
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// Requests, jobs and background work held by the simulation right now.
    pub fn in_flight(&self) -> u64 {
        self.reqs.live
    }

    /// User requests sent and not yet finished (answered, failed or timed out).
    /// Conservation: arrivals = successes + failures + this.
    pub fn user_requests_in_flight(&self) -> u64 {
        self.user_in_flight
    }

    /// For each station instance: (component id, instance, waiting requests, queue bound).
    /// Tests use it to check that every queue stays within its bound.
    pub fn queue_lengths(&self) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        for c in &self.comps {
            for (k, i) in c.inst.iter().enumerate() {
                let bound = match c.role {
                    Role::Workers { .. } => 0,
                    _ => c.queue_cap as usize,
                };
                out.push((c.id.clone(), k, i.queue.len(), bound));
            }
            if let (Some(q), Role::Workers { .. }) = (&c.shared, &c.role) {
                let cap = self.comps.iter().find_map(|m| match m.role {
                    Role::Mq {
                        capacity, workers, ..
                    } if self.comps[workers].id == c.id => Some(capacity as usize),
                    _ => None,
                });
                out.push((c.id.clone(), usize::MAX, q.len(), cap.unwrap_or(usize::MAX)));
            }
        }
        out
    }

    /// The analytic twin's maximum sustainable request rate for the design as configured.
    pub fn capacity_rps(&self) -> Option<f64> {
        crate::analytic::analyze(&self.scenario)
            .ok()
            .and_then(|a| a.max_sustainable_rps)
    }

    /// Advances simulated time by `ms` and returns the windows finished meanwhile.
    pub fn advance_ms(&mut self, ms: u64) -> Vec<WindowSnapshot> {
        let target = self.now_us.saturating_add(ms.saturating_mul(1_000));
        self.advance_to_us(target)
    }

    /// Advances to `target_us` (if later than now) and returns the windows finished meanwhile.
    pub fn advance_to_us(&mut self, target_us: TimeUs) -> Vec<WindowSnapshot> {
        let mut out = Vec::new();
        loop {
            let window_end = (self.window_index + 1) * self.window_us;
            // Events due at a window's end run after it closes.
            let limit = if window_end <= target_us {
                window_end - 1
            } else {
                target_us
            };
            if let Some((t, ev)) = self.events.pop_at_or_before(limit) {
                self.now_us = t;
                self.events_processed += 1;
                self.settle_until_us = Some(limit);
                self.handle(ev);
            } else if window_end <= target_us {
                self.now_us = window_end;
                out.push(self.close_window());
            } else {
                break;
            }
        }
        self.settle_until_us = None;
        self.now_us = self.now_us.max(target_us);
        out
    }

    /// Runs to the scenario's duration and returns the summary of the whole run.
    pub fn run_to_end(&mut self) -> Summary {
        let end = s_to_us(self.scenario.duration_s);
        self.advance_to_us(end);
        self.summary()
    }

    /// Applies an action now (the UI's fail/recover buttons, traffic slider…).
    pub fn apply(&mut self, action: &Action) -> Result<(), SimError> {
        check_action(&self.scenario, &self.graph.index, action)?;
        self.do_action(action)
    }

    fn comp_index(&self, id: &str) -> Result<usize, SimError> {
        self.graph
            .index
            .get(id)
            .copied()
            .ok_or_else(|| SimError::invalid("action", "component", format!("no component '{id}'")))
    }
}

/// Folds every figure of a window into an FNV-1a digest (floats by their bits):
/// equal digests mean bit-identical windows.
fn digest_window(mut h: u64, w: &WindowSnapshot) -> u64 {
    let mut eat = |x: u64| {
        for b in x.to_le_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    let opt = |v: Option<f64>| v.map_or(u64::MAX, f64::to_bits);
    for x in [
        w.start_s,
        w.end_s,
        w.latency_ms_p50,
        w.latency_ms_p95,
        w.latency_ms_p99,
        w.latency_ms_max,
        w.latency_ms_mean,
        w.throughput_rps,
        w.availability,
    ] {
        eat(x.to_bits());
    }
    for x in [
        w.index,
        w.arrivals,
        w.successes,
        w.failures,
        w.lost_writes,
        w.stale_reads,
    ] {
        eat(x);
    }
    for (_, n) in w.errors.iter() {
        eat(n);
    }
    for c in &w.components {
        for b in c.id.bytes() {
            eat(u64::from(b));
        }
        for x in [
            c.utilization,
            c.in_system_mean,
            c.arrivals_rps,
            c.completions_rps,
            c.sojourn_ms_mean,
        ] {
            eat(x.to_bits());
        }
        for x in [
            c.queue_len,
            c.in_flight,
            u64::from(c.instances_up),
            u64::from(c.instances),
            c.backlog.unwrap_or(u64::MAX),
        ] {
            eat(x);
        }
        for x in [c.hit_ratio, c.replication_lag_ms, c.job_latency_ms_p99] {
            eat(opt(x));
        }
        for x in c.instance_utilization.iter().flatten() {
            eat(x.to_bits());
        }
    }
    h
}

/// A stable 64-bit hash of a component id (FNV-1a), to key its random stream.
fn id_hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    }) >> 1
}

/// A hop's one-way latency for a user in the destination's region (or any
/// hop that does not depend on the user) and for a user in another region.
#[derive(Debug, Clone, Copy)]
struct HopUs {
    same_us: TimeUs,
    cross_us: TimeUs,
}

/// Whether a balancer sends to instance `k` (`inst`): it marks it up (an instance
/// past the end of its health list is not) and it is active (not scaled in).
#[inline]
fn in_rotation(marked_up: &[bool], k: usize, inst: &Instance) -> bool {
    // `&`, not `&&`: both sides are plain loads, and no branch keeps
    // `least_loaded`'s scan branch-free.
    marked_up.get(k).copied().unwrap_or(false) & inst.active
}

/// The instance in rotation (marked up by the balancer, active) with the
/// fewest requests in service or queued; on a tie the first from `rr` on,
/// round the ring. One pass without division: each instance's (load, place
/// in the ring) is one integer, and the least wins; the pass stops after a
/// chunk of four that holds an idle instance in rotation.
fn least_loaded(tier: &[Instance], marked_up: &[bool], rr: usize) -> Option<usize> {
    let n = tier.len();
    if n == 0 {
        return None;
    }
    // (The balancer keeps `rr` below `n` unless the tier shrank: no division then.)
    let rr = if rr < n { rr } else { rr % n };
    // Ring order: `rr..n`, then `0..rr`.
    let (before, from_rr) = tier.split_at(rr);
    let mut best = u64::MAX;
    // In chunks, branch-free within each; after a chunk, an idle instance in
    // rotation ends the scan (no load is lower, and every instance not yet
    // seen comes later round the ring).
    // (Four: fewer instructions than chunks of 8 or 12, at a few more
    // mispredicted branches than 12; docs/benchmarks.md, session 10.)
    const CHUNK: usize = 4;
    let mut scan = |insts: &[Instance], first_k: usize, first_place: usize| -> bool {
        for (c, chunk) in insts.chunks(CHUNK).enumerate() {
            for (i, inst) in chunk.iter().enumerate() {
                let j = c * CHUNK + i;
                let k = first_k + j;
                let up = in_rotation(marked_up, k, inst);
                // Loads are bounded by queue capacities (u32); out of rotation: no candidate.
                let load = inst.load().min(u32::MAX as usize - 1) as u64;
                let out_of_rotation = u64::from(up).wrapping_sub(1); // all ones when out
                best = best.min((load << 32) | (first_place + j) as u64 | out_of_rotation);
            }
            if best >> 32 == 0 {
                return true;
            }
        }
        false
    };
    if !scan(from_rr, rr, 0) {
        scan(before, 0, n - rr);
    }
    (best != u64::MAX).then(|| {
        let k = best as u32 as usize + rr;
        if k < n {
            k
        } else {
            k - n
        }
    })
}

fn cross(a: &Option<u16>, b: &Option<u16>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x != y)
}

impl Simulation {
    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Arrival { users, gen } => self.on_arrival(users as usize, gen),
            Ev::Retry { req } => self.start_request(req),
            Ev::Hop { req, comp } => self.on_hop(req, comp as usize),
            Ev::Done {
                comp,
                inst,
                req,
                epoch,
            } => self.on_done(comp as usize, inst as usize, req, epoch),
            Ev::Respond { req } => self.on_respond(req, self.now_us),
            Ev::Timeout { users } => self.on_timeout(users as usize),
            Ev::Probe { comp } => self.on_probe(comp as usize),
            Ev::Promote { comp, epoch } => self.on_promote(comp as usize, epoch),
            Ev::Booted { comp, inst, epoch } => self.on_booted(comp as usize, inst as usize, epoch),
            Ev::Restart { comp, inst } => self.on_restart(comp as usize, inst as usize),
            Ev::Autoscale { comp } => self.on_autoscale(comp as usize),
            Ev::Action { idx } => {
                if let Some(a) = self.timeline.get(idx as usize).cloned() {
                    // Timeline actions were checked when the scenario loaded;
                    // one that no longer applies (e.g. a removed instance) is skipped.
                    let _ = self.do_action(&a);
                }
            }
            Ev::Migrate { comp, gen } => self.on_migrate(comp as usize, gen),
        }
    }

    // ----- users and requests -------------------------------------------

    fn schedule_arrival(&mut self, i: usize) {
        let now = self.now_us;
        if let Role::Users(u) = &mut self.comps[i].role {
            let max_rate = u.base_rate_per_s * shape_max(&u.load);
            if max_rate <= 0.0 {
                return;
            }
            let dt = ms_to_us(u.rng.exponential(1_000.0 / max_rate)).max(1);
            let gen = u.gen;
            // A users component's arrivals come in time order: a FIFO lane, not the heap.
            self.events.push_lane(
                i,
                now + dt,
                Ev::Arrival {
                    users: i as u16,
                    gen,
                },
            );
        }
    }

    fn on_arrival(&mut self, i: usize, gen: u32) {
        let t_s = self.now_us as f64 / 1e6;
        let (accept, kind_u, user, users_comp) = {
            let Role::Users(u) = &mut self.comps[i].role else {
                return;
            };
            if u.gen != gen {
                return;
            }
            let p = shape_factor(&u.load, t_s) / shape_max(&u.load);
            let accept = p >= 1.0 || u.rng.uniform() < p;
            let kind_u = u.rng.uniform();
            let user = u.user_offset + u.rng.below(u.users.max(1)) as u32;
            (accept && u.users > 0, kind_u, user, i as u16)
        };
        self.schedule_arrival(i);
        if !accept {
            return;
        }
        let Role::Users(u) = &self.comps[i].role else {
            return;
        };
        let kind = if kind_u < u.mix_cum[0] {
            Kind::Static
        } else if kind_u < u.mix_cum[1] {
            Kind::Read
        } else if kind_u < u.mix_cum[2] {
            Kind::Write
        } else {
            Kind::Async
        };
        let key = match kind {
            _ if !self.keys_used => 0,
            Kind::Static => self.statics.sample(&mut self.key_rng),
            _ => {
                if self.hot_key_share > 0.0 && self.key_rng.uniform() < self.hot_key_share {
                    0
                } else {
                    self.keys.sample(&mut self.key_rng)
                }
            }
        };
        let req = self.reqs.alloc(Req {
            gen: 0,
            kind,
            stage: Stage::Entry,
            key,
            user,
            users_comp,
            attempt: 0,
            finished: false,
            arrival_us: 0,
            back_us: 0,
            entered_us: 0,
            web_comp: NONE16,
            web_inst: NONE16,
            target_inst: NONE16,
            seen_write_us: 0,
            session: 0,
            service_slot: NONE16,
        });
        self.start_request(req);
    }

    fn start_request(&mut self, req: u32) {
        let now = self.now_us;
        let (users_comp, kind) = {
            let r = &mut self.reqs.items[req as usize];
            r.arrival_us = now;
            r.back_us = 0;
            r.finished = false;
            r.stage = Stage::Entry;
            r.target_inst = NONE16;
            r.session = self
                .users
                .session
                .get(r.user as usize)
                .copied()
                .unwrap_or(0);
            (r.users_comp as usize, r.kind)
        };
        self.win.arrivals += 1;
        self.total.arrivals += 1;
        self.user_in_flight += 1;
        let Role::Users(u) = &self.comps[users_comp].role else {
            return;
        };
        let (timeout_us, entry, cdn) = (u.timeout_us, u.entry, u.cdn);
        if timeout_us > 0 {
            let pending = PendingTimeout {
                deadline_us: now + timeout_us,
                seq: self.events.reserve_seq(),
                req,
                gen: self.reqs.items[req as usize].gen,
            };
            if let Role::Users(u) = &mut self.comps[users_comp].role {
                u.timeouts.push_back(pending);
                if !u.timeout_armed {
                    self.arm_timeout(users_comp);
                }
            }
        }
        let cdn_up = cdn.is_some_and(|c| matches!(self.comps[c].role, Role::Cdn { up: true, .. }));
        let next = match (kind, cdn, entry) {
            (Kind::Static, Some(c), _) if cdn_up => c,
            (_, _, Some(e)) => e,
            (_, Some(c), None) => {
                if cdn_up {
                    c
                } else if let Role::Cdn { origin, .. } = self.comps[c].role {
                    origin
                } else {
                    c
                }
            }
            (_, None, None) => return self.fail(req, ErrorCause::NoHealthyBackend),
        };
        self.hop(req, users_comp, next);
    }

    /// One-way network latency of a hop, from the regions of both ends: a
    /// look-up in the table [`Simulation::hop_table`] built once (edges,
    /// network and regions never change during a run).
    #[inline]
    fn latency_us(&self, req: u32, from: usize, to: usize) -> TimeUs {
        let h = self.hops[from * self.comps.len() + to];
        if h.same_us == h.cross_us {
            return h.same_us;
        }
        let users = self.reqs.items[req as usize].users_comp as usize;
        if cross(&self.comps[users].region, &self.comps[to].region) {
            h.cross_us
        } else {
            h.same_us
        }
    }

    /// Every hop's one-way latency, `from * n + to`: an edge's own
    /// `latency_ms` if set (the first such edge), else from the kinds and
    /// regions of both ends (a hop from the users or DNS into a region
    /// depends on the user's region: both values are kept).
    fn hop_table(&self) -> Vec<HopUs> {
        let n = self.comps.len();
        let net = &self.scenario.network;
        let mut table = Vec::with_capacity(n * n);
        for from in 0..n {
            for to in 0..n {
                let edge = self.scenario.edges.iter().find(|e| {
                    e.latency_ms.is_some()
                        && self.graph.index.get(&e.from) == Some(&from)
                        && self.graph.index.get(&e.to) == Some(&to)
                });
                let fixed = |ms: f64| HopUs {
                    same_us: ms_to_us(ms),
                    cross_us: ms_to_us(ms),
                };
                let to_region = &self.comps[to].region;
                let h = if let Some(e) = edge {
                    fixed(e.latency_ms.unwrap_or(0.0))
                } else {
                    match (&self.comps[from].role, &self.comps[to].role) {
                        (_, Role::Cdn { .. }) => fixed(match self.scenario.components[to].spec {
                            ComponentSpec::Cdn(c) => c.edge_latency_ms,
                            _ => 0.0,
                        }),
                        (Role::Cdn { .. }, _) => fixed(match self.scenario.components[from].spec {
                            ComponentSpec::Cdn(c) => c.origin_latency_ms,
                            _ => 0.0,
                        }),
                        (Role::Users(_), Role::Dns { .. }) => fixed(0.0),
                        (Role::Users(_) | Role::Dns { .. }, _) => HopUs {
                            same_us: ms_to_us(net.user_to_region_ms + 0.0),
                            cross_us: ms_to_us(net.user_to_region_ms + net.cross_region_ms),
                        },
                        _ => fixed(
                            net.same_dc_ms
                                + if cross(&self.comps[from].region, to_region) {
                                    net.cross_region_ms
                                } else {
                                    0.0
                                },
                        ),
                    }
                };
                table.push(h);
            }
        }
        table
    }

    /// Sends `req` forward from `from` to `to`; the response pays the same latency back.
    ///
    /// A hop that takes no time is handled at once instead of through the
    /// event queue (callers never touch `req` after a hop). The recursion
    /// this allows is bounded: the graph has no cycle, and a station ends it
    /// by queueing.
    fn hop(&mut self, req: u32, from: usize, to: usize) {
        let lat = self.latency_us(req, from, to);
        self.reqs.items[req as usize].back_us += lat;
        self.arrive_after(req, to, lat);
    }

    /// A round trip's outbound leg (session store): latency paid now, not on the response.
    fn side_hop(&mut self, req: u32, from: usize, to: usize) {
        let lat = self.latency_us(req, from, to);
        self.arrive_after(req, to, lat);
    }

    /// `req` reaches `to` after `lat_us`: now if that is zero, else by an event.
    /// Inlined into its two callers (`hop`, `side_hop`): natively 5 % more events per
    /// second, in wasm the same (docs/benchmarks.md, session 10).
    #[inline(always)]
    fn arrive_after(&mut self, req: u32, to: usize, lat_us: TimeUs) {
        if lat_us == 0 {
            self.events_inline += 1;
            return self.on_hop(req, to);
        }
        // One delay lane per distinct hop latency (FIFO, no heap).
        self.events.push_after(
            self.now_us,
            lat_us,
            Ev::Hop {
                req,
                comp: to as u16,
            },
        );
    }

    fn count_error(&mut self, cause: ErrorCause) {
        self.user_in_flight -= 1;
        self.win.errors.add(cause);
        self.total.errors.add(cause);
    }

    /// The request failed here with `cause`: counted at once, retried if the users retry.
    fn fail(&mut self, req: u32, cause: ErrorCause) {
        let r = &self.reqs.items[req as usize];
        let user_facing = !matches!(r.kind, Kind::Job | Kind::Internal);
        if user_facing && !r.finished {
            self.count_error(cause);
            self.maybe_retry(req);
        }
        self.reqs.release(req);
    }

    fn maybe_retry(&mut self, req: u32) {
        let r = self.reqs.items[req as usize].clone();
        let Role::Users(u) = &self.comps[r.users_comp as usize].role else {
            return;
        };
        if r.attempt >= u.retries {
            return;
        }
        let backoff = u.backoff_us.saturating_mul(1u64 << r.attempt.min(20));
        let new = self.reqs.alloc(Req {
            attempt: r.attempt + 1,
            ..r
        });
        self.events
            .push(self.now_us + backoff, Ev::Retry { req: new });
    }

    fn succeed(&mut self, req: u32) {
        let r = &self.reqs.items[req as usize];
        if matches!(r.kind, Kind::Job | Kind::Internal) {
            self.reqs.release(req);
            return;
        }
        if r.back_us == 0 {
            // The response takes no time on the wire: it arrives now.
            self.events_inline += 1;
            return self.on_respond(req, self.now_us);
        }
        self.respond_after(req, r.back_us);
    }

    /// `req`'s response reaches its user after `delay_us`.
    ///
    /// A response is a sink: it only counts the request (a success, unless
    /// it has timed out) and frees its record, and nothing reads those
    /// counts before the window closes. So when it is *settled* (it arrives
    /// within the current step of [`Simulation::advance_to_us`], hence in
    /// this window and before control returns, and its client timeout, if
    /// any, falls after it, so nothing can change its outcome), it is
    /// recorded now, at its arrival time, instead of through the queue. The
    /// figures are those of the queued response (the golden digests are
    /// unchanged); only the request's record is reused sooner.
    fn respond_after(&mut self, req: u32, delay_us: TimeUs) {
        let arrive_us = self.now_us + delay_us;
        if self.settle_until_us.is_some_and(|until| arrive_us <= until)
            && self.settled(req, arrive_us)
        {
            self.events_inline += 1;
            return self.on_respond(req, arrive_us);
        }
        // A response's delay is the sum of its path's hops: few distinct values.
        self.events
            .push_after(self.now_us, delay_us, Ev::Respond { req });
    }

    /// Whether `req`'s outcome is fixed if its response arrives at
    /// `arrive_us`: it has already timed out, or it has no client timeout,
    /// or the timeout is due after the response (on a tie the timeout,
    /// scheduled first, would win).
    fn settled(&self, req: u32, arrive_us: TimeUs) -> bool {
        let r = &self.reqs.items[req as usize];
        match &self.comps[r.users_comp as usize].role {
            Role::Users(u) => {
                r.finished || u.timeout_us == 0 || r.arrival_us + u.timeout_us > arrive_us
            }
            _ => false,
        }
    }

    /// `req`'s response reaches its user at `at_us`.
    fn on_respond(&mut self, req: u32, at_us: TimeUs) {
        let r = &self.reqs.items[req as usize];
        if !r.finished {
            let latency = at_us - r.arrival_us;
            self.win_hist.record(latency);
            self.total_hist.record(latency);
            self.win.successes += 1;
            self.total.successes += 1;
            self.user_in_flight -= 1;
        }
        self.reqs.release(req);
    }

    /// Arms the earliest pending timeout of users component `i` whose
    /// request is still in flight, with the sequence taken when it was sent,
    /// so it fires exactly where one event per request would have. Those of
    /// requests already answered are dropped unseen: most requests end long
    /// before their timeout, and would otherwise cost an event each.
    fn arm_timeout(&mut self, i: usize) {
        let Role::Users(u) = &mut self.comps[i].role else {
            return;
        };
        while let Some(t) = u.timeouts.front() {
            if t.in_flight(&self.reqs) {
                let ev = Ev::Timeout { users: i as u16 };
                self.events.push_reserved(t.deadline_us, t.seq, ev);
                u.timeout_armed = true;
                return;
            }
            u.timeouts.pop_front();
        }
        u.timeout_armed = false;
    }

    /// Users component `users`'s armed timeout is due: its request fails
    /// with `timeout` if it is still in flight; then the next one is armed.
    fn on_timeout(&mut self, users: usize) {
        let Role::Users(u) = &mut self.comps[users].role else {
            return;
        };
        if let Some(t) = u.timeouts.pop_front().filter(|t| t.in_flight(&self.reqs)) {
            self.reqs.items[t.req as usize].finished = true;
            self.count_error(ErrorCause::Timeout);
            self.maybe_retry(t.req);
        }
        self.arm_timeout(users);
    }
}

impl Simulation {
    // ----- routing: each component's own rule ---------------------------

    fn on_hop(&mut self, req: u32, comp: usize) {
        if self.comps[comp].inst.is_empty() {
            // Routers (DNS, CDN, load balancer, queue) count what passes through them.
            self.comps[comp].stats.arrivals += 1;
        }
        if let Some(d) = self.comps[comp].dc {
            if self.dc_down[d] {
                return self.fail(req, ErrorCause::DcDown);
            }
        }
        match &self.comps[comp].role {
            Role::Dns { .. } => match self.dns_resolve(req, comp) {
                Some(t) => self.hop(req, comp, t),
                None => self.fail(req, ErrorCause::DcDown),
            },
            Role::Cdn { .. } => self.cdn_arrive(req, comp),
            Role::Lb(_) => self.lb_arrive(req, comp),
            Role::Web { .. } => self.web_arrive(req, comp),
            Role::SessionStore { .. } => match self.pick_rr(comp) {
                Some(k) => self.enqueue(comp, k, req),
                None => self.fail(req, ErrorCause::SessionStoreDown),
            },
            Role::Cache(c) => {
                let node = (crate::rng::splitmix64(u64::from(self.reqs.items[req as usize].key))
                    % c.nodes.len() as u64) as usize;
                let backend = c.backend;
                if self.comps[comp].inst[node].serving() {
                    self.enqueue(comp, node, req);
                } else {
                    // A dead cache node: its reads go straight to the database.
                    self.hop(req, comp, backend);
                }
            }
            Role::Db(_) => self.db_arrive(req, comp),
            Role::Sharded(_) => {
                let key = self.reqs.items[req as usize].key;
                let shard = self.shard_of(comp, key);
                if self.comps[comp]
                    .inst
                    .get(shard)
                    .is_some_and(|i| i.serving())
                {
                    self.enqueue(comp, shard, req);
                } else {
                    self.fail(req, ErrorCause::InstanceDown);
                }
            }
            Role::Mq {
                capacity,
                publish_us,
                workers,
            } => {
                let (capacity, publish_us, workers) = (*capacity, *publish_us, *workers);
                let backlog = self.comps[workers].shared.as_ref().map_or(0, |q| q.len());
                if backlog >= capacity as usize {
                    return self.fail(req, ErrorCause::QueueFull);
                }
                // The user's request completes once the job is appended.
                let r = self.reqs.items[req as usize].clone();
                let job = self.reqs.alloc(Req {
                    kind: Kind::Job,
                    arrival_us: self.now_us,
                    finished: false,
                    ..r
                });
                self.respond_after(req, publish_us + r.back_us);
                self.shared_push(workers, job);
            }
            Role::Users(_)
            | Role::Workers { .. }
            | Role::DataCenter { .. }
            | Role::Autoscaler { .. } => {
                // Never a hop target (validation forbids it).
                self.fail(req, ErrorCause::NoHealthyBackend)
            }
        }
    }

    fn dns_resolve(&mut self, req: u32, dns: usize) -> Option<usize> {
        let Role::Dns { ttl_us } = self.comps[dns].role else {
            return None;
        };
        let user = self.reqs.items[req as usize].user as usize;
        let now_ms = (self.now_us / 1_000) as u32;
        let outs = &self.graph.out[dns];
        if let Some(&UserRec {
            dns_choice: c,
            dns_expiry_ms: exp,
            ..
        }) = self.users.rec.get(user)
        {
            if c != 0 && now_ms < exp {
                // A cached answer is used even if that data center died since.
                return outs.get(c as usize - 1).copied();
            }
        }
        let user_region = self.comps[self.reqs.items[req as usize].users_comp as usize].region;
        let healthy = |t: usize| self.comps[t].dc.is_none_or(|d| !self.dc_down[d]);
        let best = outs
            .iter()
            .enumerate()
            .filter(|(_, &t)| healthy(t))
            .min_by_key(|(k, &t)| (cross(&user_region, &self.comps[t].region), *k))
            .map(|(k, &t)| (k, t));
        let (k, t) = best?;
        if let Some(rec) = self.users.rec.get_mut(user) {
            rec.dns_choice = (k + 1).min(255) as u8;
            rec.dns_expiry_ms = now_ms.saturating_add((ttl_us / 1_000) as u32);
        }
        Some(t)
    }

    fn cdn_arrive(&mut self, req: u32, comp: usize) {
        let now = self.now_us;
        let (kind, key) = {
            let r = &self.reqs.items[req as usize];
            (r.kind, r.key)
        };
        let c = &mut self.comps[comp];
        let Role::Cdn {
            cache,
            ttl_us,
            origin,
            up,
        } = &mut c.role
        else {
            return;
        };
        let origin = *origin;
        if kind == Kind::Static && *up {
            c.stats.lookups += 1;
            if cache.get(key, now) {
                c.stats.hits += 1;
                return self.succeed(req);
            }
            cache.put(key, now.saturating_add(*ttl_us));
        }
        self.hop(req, comp, origin);
    }

    fn lb_arrive(&mut self, req: u32, comp: usize) {
        let user = self.reqs.items[req as usize].user as usize;
        let random_draws = match &self.comps[comp].role {
            Role::Lb(lb) if matches!(lb.algorithm, Algorithm::Random | Algorithm::PowerOfTwo) => {
                let rng = &mut self.comps[comp].rng;
                (rng.uniform(), rng.uniform())
            }
            _ => (0.0, 0.0),
        };
        let Role::Lb(lb) = &self.comps[comp].role else {
            return;
        };
        let target = lb.target;
        let tier = &self.comps[target].inst;
        let stateful = matches!(
            self.comps[target].role,
            Role::Web {
                sessions: Sessions::Stateful,
                ..
            }
        );
        let in_rotation = |k: usize| in_rotation(&lb.marked_up, k, &tier[k]);
        let n = tier.len();
        // Sticky: the instance holding the user's session, while it is in rotation.
        let mut choice = None;
        if lb.sticky || stateful {
            // The session cookie the request carries.
            {
                let s = self.reqs.items[req as usize].session;
                if s != 0 {
                    let k = (s >> 16) as usize - 1;
                    if k < n && in_rotation(k) {
                        choice = Some(k);
                    }
                }
            }
            if choice.is_none() && lb.sticky && !stateful {
                // Sticky without local sessions: a stable hash of the user.
                let m = (0..n).filter(|&k| in_rotation(k)).count();
                if m > 0 {
                    let nth = (crate::rng::splitmix64(user as u64) % m as u64) as usize;
                    choice = (0..n).filter(|&k| in_rotation(k)).nth(nth);
                }
            }
        }
        let (algorithm, rr) = (lb.algorithm, lb.rr);
        if choice.is_none() {
            choice = match algorithm {
                Algorithm::RoundRobin => (0..n).map(|j| (rr + j) % n).find(|&k| in_rotation(k)),
                Algorithm::LeastConnections => least_loaded(tier, &lb.marked_up, rr),
                Algorithm::Random | Algorithm::PowerOfTwo => {
                    let count = (0..n).filter(|&k| in_rotation(k)).count();
                    let nth = |u: f64| {
                        let a = ((u * count as f64) as usize).min(count.saturating_sub(1));
                        (0..n).filter(|&k| in_rotation(k)).nth(a)
                    };
                    let first = nth(random_draws.0);
                    if algorithm == Algorithm::PowerOfTwo {
                        match (first, nth(random_draws.1)) {
                            (Some(x), Some(y)) => Some(if tier[y].load() < tier[x].load() {
                                y
                            } else {
                                x
                            }),
                            (x, _) => x,
                        }
                    } else {
                        first
                    }
                }
            };
        }
        let Some(k) = choice else {
            return self.fail(req, ErrorCause::NoHealthyBackend);
        };
        if let Role::Lb(lb) = &mut self.comps[comp].role {
            lb.rr = (k + 1) % n.max(1);
        }
        self.reqs.items[req as usize].target_inst = k as u16;
        self.hop(req, comp, target);
    }

    /// Round robin over instances that can serve (routers that know health: session store).
    fn pick_rr(&mut self, comp: usize) -> Option<usize> {
        let n = self.comps[comp].inst.len();
        let start = match &mut self.comps[comp].role {
            Role::SessionStore { rr } => {
                *rr = (*rr + 1) % n.max(1);
                *rr
            }
            _ => 0,
        };
        (0..n)
            .map(|j| (start + j) % n)
            .find(|&k| self.comps[comp].inst[k].serving())
    }

    fn web_arrive(&mut self, req: u32, comp: usize) {
        let (stage, target, user, web_inst) = {
            let r = &self.reqs.items[req as usize];
            (r.stage, r.target_inst, r.user as usize, r.web_inst)
        };
        let Role::Web {
            sessions,
            store,
            rr,
            ..
        } = &self.comps[comp].role
        else {
            return;
        };
        let (sessions, store, rr) = (*sessions, *store, *rr);
        if stage == Stage::Session {
            // Back from the session store.
            let k = web_inst as usize;
            if !self.comps[comp].inst[k].up {
                return self.fail(req, ErrorCause::InstanceDown);
            }
            self.reqs.items[req as usize].stage = Stage::WebService;
            return self.enqueue(comp, k, req);
        }
        let n = self.comps[comp].inst.len();
        let k = if target != NONE16 {
            target as usize
        } else {
            // No load balancer: clients spread over every instance they know of, dead or not.
            let start = rr;
            let k = (0..n)
                .map(|j| (start + j) % n)
                .find(|&k| self.comps[comp].inst[k].present())
                .unwrap_or(0);
            if let Role::Web { rr, .. } = &mut self.comps[comp].role {
                *rr = (k + 1) % n.max(1);
            }
            k
        };
        self.reqs.items[req as usize].target_inst = NONE16;
        let inst = &self.comps[comp].inst[k];
        if !inst.up || !inst.present() {
            return self.fail(req, ErrorCause::InstanceDown);
        }
        if sessions == Sessions::Stateful {
            let mine = ((k as u32 + 1) << 16) | (inst.epoch & 0xFFFF);
            let carried = self.reqs.items[req as usize].session;
            if let Some(s) = self.users.session.get_mut(user) {
                if carried != 0 && carried != mine {
                    // The session it carries lived on an instance that died (or
                    // elsewhere): logged out.
                    if *s == carried {
                        *s = 0;
                    }
                    return self.fail(req, ErrorCause::SessionLost);
                }
                // A request sent without a session starts one here, even if
                // another request of the user started one elsewhere meanwhile
                // (the later response's cookie wins, as in a browser).
                *s = mine;
            }
        }
        {
            let r = &mut self.reqs.items[req as usize];
            r.web_comp = comp as u16;
            r.web_inst = k as u16;
        }
        if let (Sessions::Stateless, Some(st)) = (sessions, store) {
            self.reqs.items[req as usize].stage = Stage::Session;
            return self.side_hop(req, comp, st);
        }
        self.reqs.items[req as usize].stage = Stage::WebService;
        self.enqueue(comp, k, req);
    }

    fn db_arrive(&mut self, req: u32, comp: usize) {
        let (kind, user) = {
            let r = &self.reqs.items[req as usize];
            (r.kind, r.user as usize)
        };
        let now = self.now_us;
        let last_write = self
            .users
            .rec
            .get(user)
            .map_or(0, |r| r.last_write_apply_us);
        self.reqs.items[req as usize].seen_write_us = last_write;
        let c = &mut self.comps[comp];
        let Role::Db(db) = &mut c.role else { return };
        let insts = &c.inst;
        let primary_ok = db.primary.filter(|&p| insts[p].serving());
        if kind != Kind::Read {
            return match primary_ok {
                Some(p) => self.enqueue(comp, p, req),
                None => self.fail(req, ErrorCause::NoPrimary),
            };
        }
        let n = insts.len();
        let wants_primary = db.read_your_writes && last_write > now && primary_ok.is_some();
        let replica = if wants_primary {
            None
        } else {
            let start = db.rr;
            (0..n)
                .map(|j| (start + j) % n)
                .find(|&k| Some(k) != db.primary && insts[k].serving())
        };
        if let Some(k) = replica {
            db.rr = (k + 1) % n;
        }
        match replica.or(primary_ok) {
            Some(k) => self.enqueue(comp, k, req),
            None => self.fail(req, ErrorCause::InstanceDown),
        }
    }

    fn shard_of(&self, comp: usize, key: u32) -> usize {
        let Role::Sharded(s) = &self.comps[comp].role else {
            return 0;
        };
        let map = |shards: u32| -> usize {
            match s.key_mode {
                ShardKey::Hash => {
                    (crate::rng::splitmix64(u64::from(key)) % u64::from(shards)) as usize
                }
                ShardKey::Range => ((u64::from(key) * u64::from(shards)) / s.keys.max(1)) as usize,
            }
        };
        match s.migration {
            Some((old, moved)) if f64::from(key) >= moved => map(old),
            _ => map(s.shards),
        }
    }
}

impl Simulation {
    // ----- stations ------------------------------------------------------

    fn touch(&mut self, comp: usize, k: usize) {
        let now = self.now_us;
        let c = &mut self.comps[comp];
        c.stats.integrate(now);
        if let Some(i) = c.inst.get_mut(k) {
            i.touch(now);
        }
    }

    /// Puts `req` on instance `k` of `comp`: served at once if a core is free,
    /// queued if there is room, failed with `queue_full` otherwise.
    fn enqueue(&mut self, comp: usize, k: usize, req: u32) {
        self.touch(comp, k);
        let cap = self.comps[comp].queue_cap as usize;
        let c = &mut self.comps[comp];
        let inst = &mut c.inst[k];
        if inst.busy < inst.cores {
            c.stats.arrivals += 1;
            c.stats.nsys_now += 1;
            self.reqs.items[req as usize].entered_us = self.now_us;
            self.start_service(comp, k, req);
        } else if inst.queue.len() < cap {
            c.stats.arrivals += 1;
            c.stats.nsys_now += 1;
            inst.queue.push_back(req);
            self.reqs.items[req as usize].entered_us = self.now_us;
        } else {
            self.fail(req, ErrorCause::QueueFull);
        }
    }

    /// Appends a job to a worker pool's shared FIFO and starts it if a core is free.
    fn shared_push(&mut self, comp: usize, job: u32) {
        self.comps[comp].stats.integrate(self.now_us);
        let c = &mut self.comps[comp];
        c.stats.arrivals += 1;
        c.stats.nsys_now += 1;
        self.reqs.items[job as usize].entered_us = self.now_us;
        if let Some(q) = c.shared.as_mut() {
            q.push_back(job);
        }
        self.dispatch_shared(comp);
    }

    fn dispatch_shared(&mut self, comp: usize) {
        loop {
            let c = &self.comps[comp];
            if c.shared.as_ref().is_none_or(|q| q.is_empty()) {
                return;
            }
            // Free workers take jobs in turn, starting after the last one that took one.
            let n = c.inst.len();
            let start = c.next_inst;
            let Some(k) = (0..n)
                .map(|j| (start + j) % n)
                .find(|&k| c.inst[k].serving() && c.inst[k].busy < c.inst[k].cores)
            else {
                return;
            };
            self.comps[comp].next_inst = (k + 1) % n;
            let Some(job) = self.comps[comp].shared.as_mut().and_then(|q| q.pop_front()) else {
                return;
            };
            self.touch(comp, k);
            self.start_service(comp, k, job);
        }
    }

    fn start_service(&mut self, comp: usize, k: usize, req: u32) {
        let kind = self.reqs.items[req as usize].kind;
        let c = &mut self.comps[comp];
        let dist = match &c.role {
            Role::Db(db) => {
                if kind == Kind::Read {
                    db.read_service
                } else {
                    db.write_service
                }
            }
            Role::Sharded(s) => {
                if kind == Kind::Read {
                    s.read_service
                } else {
                    s.write_service
                }
            }
            _ => c.service,
        };
        let inst = &mut c.inst[k];
        let speed = inst.speed;
        inst.busy += 1;
        self.reqs.items[req as usize].service_slot =
            u16::try_from(inst.in_service.len()).unwrap_or(NONE16);
        inst.in_service.push(req);
        c.stats.busy_now += 1;
        let mean_scaled = dist.scaled(speed);
        let t = mean_scaled.sample_us(&mut c.rng);
        let epoch = inst.epoch;
        self.events.push(
            self.now_us + t,
            Ev::Done {
                comp: comp as u16,
                inst: k as u16,
                req,
                epoch,
            },
        );
    }

    fn on_done(&mut self, comp: usize, k: usize, req: u32, epoch: u32) {
        if self.comps[comp].inst[k].epoch != epoch {
            return; // the instance failed meanwhile: this work is void
        }
        self.touch(comp, k);
        let now = self.now_us;
        let entered = self.reqs.items[req as usize].entered_us;
        let c = &mut self.comps[comp];
        let inst = &mut c.inst[k];
        inst.busy -= 1;
        inst.served += 1;
        let slot = usize::from(self.reqs.items[req as usize].service_slot);
        let pos = if inst.in_service.get(slot) == Some(&req) {
            Some(slot)
        } else {
            inst.in_service.iter().position(|&r| r == req)
        };
        if let Some(pos) = pos {
            inst.in_service.swap_remove(pos);
            // The last one moved into its place.
            if let Some(&moved) = inst.in_service.get(pos) {
                self.reqs.items[moved as usize].service_slot = pos as u16;
            }
        }
        c.stats.busy_now -= 1;
        c.stats.nsys_now -= 1;
        c.stats.completions += 1;
        c.stats.sojourn_sum_us += (now - entered) as f64;
        if c.shared.is_some() {
            self.dispatch_shared(comp);
        } else if inst.up {
            if let Some(next) = inst.queue.pop_front() {
                self.start_service(comp, k, next);
            }
        }
        self.after_service(comp, k, req);
    }

    /// Where a request goes once `comp` has served it.
    fn after_service(&mut self, comp: usize, k: usize, req: u32) {
        let now = self.now_us;
        let (kind, key, user, seen_write_us) = {
            let r = &self.reqs.items[req as usize];
            (r.kind, r.key, r.user as usize, r.seen_write_us)
        };
        let has_replicas =
            matches!(self.comps[comp].role, Role::Db(_)) && self.db_replicas(comp) > 0;
        match &mut self.comps[comp].role {
            Role::Web { cache, db, mq, .. } => {
                let (cache, db, mq) = (*cache, *db, *mq);
                self.reqs.items[req as usize].stage = Stage::Backend;
                let db_behind = db.or_else(|| {
                    cache.and_then(|c| match &self.comps[c].role {
                        Role::Cache(rt) => Some(rt.backend),
                        _ => None,
                    })
                });
                match kind {
                    Kind::Read => match (cache, db_behind) {
                        (Some(c), _) => self.hop(req, comp, c),
                        (None, Some(d)) => self.hop(req, comp, d),
                        (None, None) => self.succeed(req),
                    },
                    Kind::Write | Kind::Async => {
                        if kind == Kind::Async {
                            if let Some(q) = mq {
                                return self.hop(req, comp, q);
                            }
                        }
                        if let Some(c) = cache {
                            self.invalidate(c, key);
                        }
                        match db_behind {
                            Some(d) => self.hop(req, comp, d),
                            None => self.succeed(req),
                        }
                    }
                    _ => self.succeed(req),
                }
            }
            Role::SessionStore { .. } => {
                let web = self.reqs.items[req as usize].web_comp as usize;
                self.side_hop(req, comp, web);
            }
            Role::Cache(rt) => {
                let backend = rt.backend;
                let expiry = now.saturating_add(rt.ttl_us);
                let hit = rt.nodes[k].get(key, now);
                if !hit {
                    rt.nodes[k].put(key, expiry);
                }
                let stats = &mut self.comps[comp].stats;
                stats.lookups += 1;
                if hit {
                    stats.hits += 1;
                    self.succeed(req);
                } else {
                    self.hop(req, comp, backend);
                }
            }
            Role::Db(db) => {
                if kind == Kind::Read {
                    // Stale: served by a replica that has not yet applied the user's
                    // latest write acknowledged before this read reached the database.
                    let by_replica = Some(k) != db.primary;
                    let stale = by_replica && seen_write_us > now;
                    if stale {
                        self.win.stale_reads += 1;
                        self.total.stale_reads += 1;
                    }
                    if let (Some(t), true) = (self.trace.as_mut(), by_replica) {
                        t.push(crate::trace::TraceEvent::ReplicaRead {
                            user: user as u32,
                            db: comp as u16,
                            arrived_us: self.reqs.items[req as usize].entered_us,
                            served_us: now,
                        });
                    }
                } else if has_replicas {
                    let lag_dist = db.lag;
                    let lag = lag_dist.sample_us(&mut self.comps[comp].rng);
                    let Role::Db(db) = &mut self.comps[comp].role else {
                        return;
                    };
                    let apply = now + lag;
                    if db.pending.len() >= MAX_PENDING_WRITES {
                        db.pending.pop_front();
                    }
                    // Keep `pending` sorted by apply time (lags may vary).
                    let pos = db.pending.partition_point(|&t| t <= apply);
                    db.pending.insert(pos, apply);
                    while db.pending.front().is_some_and(|&t| t <= now) {
                        db.pending.pop_front();
                    }
                    let stats = &mut self.comps[comp].stats;
                    stats.lag_sum_ms += lag as f64 / 1_000.0;
                    stats.lag_n += 1;
                    if kind == Kind::Write {
                        if let Some(r) = self.users.rec.get_mut(user) {
                            r.last_write_apply_us = { r.last_write_apply_us }.max(apply);
                        }
                        if let Some(t) = self.trace.as_mut() {
                            t.push(crate::trace::TraceEvent::Write {
                                user: user as u32,
                                db: comp as u16,
                                committed_us: now,
                                visible_us: apply,
                            });
                        }
                    }
                }
                self.succeed(req);
            }
            Role::Workers { db, .. } => {
                let db = *db;
                let arrival = self.reqs.items[req as usize].arrival_us;
                if let Some(h) = self.comps[comp].job_hist.as_mut() {
                    crate::metrics::record_us(h, now - arrival);
                }
                match db {
                    Some(d) => self.hop(req, comp, d),
                    None => self.reqs.release(req),
                }
            }
            _ => self.succeed(req),
        }
    }

    fn invalidate(&mut self, cache: usize, key: u32) {
        let c = &mut self.comps[cache];
        if let Role::Cache(rt) = &mut c.role {
            let node = (crate::rng::splitmix64(u64::from(key)) % rt.nodes.len() as u64) as usize;
            if c.inst[node].up {
                rt.nodes[node].invalidate(key);
            }
        }
    }

    /// Capacity (cores of serving instances) changed: bring the integral up to date.
    fn refresh_capacity(&mut self, comp: usize) {
        let now = self.now_us;
        let c = &mut self.comps[comp];
        c.stats.integrate(now);
        c.stats.cap_now = c
            .inst
            .iter()
            .filter(|i| i.serving())
            .map(|i| u64::from(i.cores))
            .sum();
    }

    /// Kills instance `k`: its queued and in-service requests fail with `cause`.
    fn fail_instance(&mut self, comp: usize, k: usize, cause: ErrorCause) {
        self.touch(comp, k);
        let c = &mut self.comps[comp];
        let inst = &mut c.inst[k];
        if !inst.up {
            return;
        }
        inst.up = false;
        inst.epoch = inst.epoch.wrapping_add(1);
        let victims: Vec<u32> = inst
            .in_service
            .drain(..)
            .chain(inst.queue.drain(..))
            .collect();
        c.stats.busy_now -= u64::from(inst.busy);
        c.stats.nsys_now -= victims.len() as u64;
        inst.busy = 0;
        if let Role::Cache(rt) = &mut c.role {
            rt.nodes[k].clear();
        }
        for r in victims {
            self.fail(r, cause);
        }
        self.refresh_capacity(comp);
    }

    fn recover_instance(&mut self, comp: usize, k: usize) {
        self.touch(comp, k);
        if let Some(i) = self.comps[comp].inst.get_mut(k) {
            i.up = true;
        }
        self.refresh_capacity(comp);
        self.dispatch_shared(comp);
    }
}

impl Simulation {
    /// Replica nodes of a database: present nodes other than the primary (dead ones included).
    fn db_replicas(&self, comp: usize) -> u32 {
        let primary = match &self.comps[comp].role {
            Role::Db(db) => db.primary,
            _ => return 0,
        };
        self.comps[comp]
            .inst
            .iter()
            .enumerate()
            .filter(|&(k, i)| Some(k) != primary && i.active)
            .count() as u32
    }
}

impl Simulation {
    // ----- control plane: health checks, failover, scaling, actions ------

    fn on_probe(&mut self, comp: usize) {
        let Role::Lb(lb) = &self.comps[comp].role else {
            return;
        };
        let target = lb.target;
        let health: Vec<bool> = self.comps[target]
            .inst
            .iter()
            .map(|i| i.up && i.active)
            .collect();
        let Role::Lb(lb) = &mut self.comps[comp].role else {
            return;
        };
        for (k, healthy) in health.into_iter().enumerate() {
            if k >= lb.marked_up.len() {
                lb.marked_up.push(false);
                lb.fails.push(0);
                lb.oks.push(0);
            }
            if healthy {
                lb.oks[k] += 1;
                lb.fails[k] = 0;
                if !lb.marked_up[k] && lb.oks[k] >= lb.rise {
                    lb.marked_up[k] = true;
                }
            } else {
                lb.fails[k] += 1;
                lb.oks[k] = 0;
                if lb.marked_up[k] && lb.fails[k] >= lb.threshold {
                    lb.marked_up[k] = false;
                }
            }
        }
        let next = self.now_us + lb.interval_us;
        self.events.push(next, Ev::Probe { comp: comp as u16 });
    }

    fn lbs_of(&self, tier: usize) -> Vec<usize> {
        (0..self.comps.len())
            .filter(|&i| matches!(&self.comps[i].role, Role::Lb(lb) if lb.target == tier))
            .collect()
    }

    fn set_lb_mark(&mut self, tier: usize, k: usize, up: bool) {
        for lb in self.lbs_of(tier) {
            if let Role::Lb(rt) = &mut self.comps[lb].role {
                while rt.marked_up.len() <= k {
                    rt.marked_up.push(false);
                    rt.fails.push(0);
                    rt.oks.push(0);
                }
                rt.marked_up[k] = up;
                rt.fails[k] = 0;
                rt.oks[k] = 0;
            }
        }
    }

    fn fail_db_primary(&mut self, comp: usize) {
        let now = self.now_us;
        let has_replicas = self.db_replicas(comp) > 0;
        let Role::Db(db) = &mut self.comps[comp].role else {
            return;
        };
        let Some(p) = db.primary else { return };
        // Acknowledged writes not yet applied on the replicas are lost.
        let lost = if has_replicas {
            db.pending.iter().filter(|&&t| t > now).count() as u64
        } else {
            0
        };
        db.pending.clear();
        db.primary = None;
        db.lost_writes_total += lost;
        let (det, pro) = (db.detection_us, db.promotion_us);
        self.win.lost_writes += lost;
        self.total.lost_writes += lost;
        self.fail_instance(comp, p, ErrorCause::NoPrimary);
        let epoch = self.comps[comp].inst[p].epoch;
        self.events.push(
            now + det + pro,
            Ev::Promote {
                comp: comp as u16,
                epoch,
            },
        );
    }

    fn on_promote(&mut self, comp: usize, _epoch: u32) {
        let Role::Db(db) = &self.comps[comp].role else {
            return;
        };
        if db.primary.is_some() {
            return;
        }
        // Every replica applies writes with the same lag, so the first live one
        // has the most applied writes.
        let Some(k) = self.comps[comp].inst.iter().position(|i| i.serving()) else {
            return;
        };
        if let Role::Db(db) = &mut self.comps[comp].role {
            db.primary = Some(k);
        }
    }

    fn on_booted(&mut self, comp: usize, k: usize, epoch: u32) {
        let Some(inst) = self.comps[comp].inst.get_mut(k) else {
            return;
        };
        if inst.epoch != epoch || !inst.booting {
            return;
        }
        inst.booting = false;
        inst.active = true;
        inst.up = true;
        self.refresh_capacity(comp);
        self.set_lb_mark(comp, k, true);
        self.dispatch_shared(comp);
    }

    fn on_restart(&mut self, comp: usize, k: usize) {
        let size = self.comps[comp].size.spec();
        self.fail_instance(comp, k, ErrorCause::InstanceDown);
        let inst = &mut self.comps[comp].inst[k];
        inst.cores = size.cores;
        inst.speed = size.speed;
        inst.active = false;
        inst.booting = true;
        let epoch = inst.epoch;
        self.events.push(
            self.now_us + RESIZE_RESTART_US,
            Ev::Booted {
                comp: comp as u16,
                inst: k as u16,
                epoch,
            },
        );
    }

    /// Sets the number of present instances of a web tier or worker pool.
    fn scale_to(&mut self, comp: usize, n: u32) {
        let boot_us = match self.comps[comp].role {
            Role::Web { boot_us, .. } | Role::Workers { boot_us, .. } => boot_us,
            _ => 0,
        };
        let spec = self.comps[comp].size.spec();
        let present = self.comps[comp].inst.iter().filter(|i| i.present()).count() as u32;
        if n > present {
            for _ in present..n {
                // Reuse a removed slot if there is one, so indices stay small.
                let slot = self.comps[comp]
                    .inst
                    .iter()
                    .position(|i| !i.present() && i.busy == 0 && i.queue.is_empty());
                let k = match slot {
                    Some(k) => {
                        self.comps[comp].inst[k] = Instance {
                            epoch: self.comps[comp].inst[k].epoch.wrapping_add(1),
                            last_us: self.now_us,
                            ..Instance::new(spec.cores, spec.speed, false)
                        };
                        k
                    }
                    None => {
                        let mut i = Instance::new(spec.cores, spec.speed, false);
                        i.last_us = self.now_us;
                        self.comps[comp].inst.push(i);
                        self.comps[comp].inst.len() - 1
                    }
                };
                self.set_lb_mark(comp, k, false);
                let epoch = self.comps[comp].inst[k].epoch;
                self.events.push(
                    self.now_us + boot_us,
                    Ev::Booted {
                        comp: comp as u16,
                        inst: k as u16,
                        epoch,
                    },
                );
            }
        } else {
            let mut excess = present - n;
            for k in (0..self.comps[comp].inst.len()).rev() {
                if excess == 0 {
                    break;
                }
                let inst = &mut self.comps[comp].inst[k];
                if inst.present() {
                    // Drains: no new work, what it holds finishes.
                    inst.active = false;
                    inst.booting = false;
                    excess -= 1;
                    self.set_lb_mark(comp, k, false);
                }
            }
        }
        self.refresh_capacity(comp);
    }

    fn on_autoscale(&mut self, a: usize) {
        let now = self.now_us;
        let Role::Autoscaler { target, .. } = self.comps[a].role else {
            return;
        };
        self.comps[target].stats.integrate(now);
        let (busy, cap) = (
            self.comps[target].stats.busy_int,
            self.comps[target].stats.cap_int,
        );
        // Utilization is measured over the instances that serve; booting ones
        // count as already asked for.
        let n = self.comps[target]
            .inst
            .iter()
            .filter(|i| i.present())
            .count() as u32;
        let serving = self.comps[target]
            .inst
            .iter()
            .filter(|i| i.serving())
            .count() as u32;
        let Role::Autoscaler {
            target_util,
            min,
            max,
            period_us,
            stabilization_us,
            last_busy,
            last_cap,
            history,
            ..
        } = &mut self.comps[a].role
        else {
            return;
        };
        let d_cap = cap - *last_cap;
        let u = if d_cap > 0.0 {
            (busy - *last_busy) / d_cap
        } else {
            0.0
        };
        *last_busy = busy;
        *last_cap = cap;
        let ratio = u / *target_util;
        let mut desired = if (ratio - 1.0).abs() <= 0.1 {
            serving
        } else {
            libm::ceil(f64::from(serving) * ratio) as u32
        };
        desired = desired.clamp(*min, *max);
        history.push_back((now, desired));
        while history
            .front()
            .is_some_and(|&(t, _)| t + *stabilization_us < now)
        {
            history.pop_front();
        }
        // Scale in only to the highest recommendation of a full stabilization window.
        let window_full = history
            .front()
            .is_some_and(|&(t, _)| t + *stabilization_us <= now + *period_us);
        let scale_in_to = if window_full {
            history.iter().map(|&(_, d)| d).max().unwrap_or(n)
        } else {
            n
        };
        let period = *period_us;
        let new_n = if desired > n {
            Some(desired)
        } else if scale_in_to < n {
            Some(scale_in_to)
        } else {
            None
        };
        self.events
            .push(now + period, Ev::Autoscale { comp: a as u16 });
        if let Some(m) = new_n {
            self.scale_to(target, m);
        }
    }

    fn on_migrate(&mut self, comp: usize, gen: u32) {
        let tick_s = MIGRATION_TICK_US as f64 / 1e6;
        let Role::Sharded(s) = &mut self.comps[comp].role else {
            return;
        };
        if s.migration_gen != gen {
            return;
        }
        let Some((old, moved)) = s.migration else {
            return;
        };
        let step = s.migration_keys_per_s * tick_s;
        let before = moved;
        let after = (moved + step).min(s.keys as f64);
        s.migration = Some((old, after));
        let done = after >= s.keys as f64;
        // One background write per 10 keys moved, to the old and the new shard.
        let ops = (libm::floor(after / 10.0) - libm::floor(before / 10.0)) as u64;
        let key = before as u32;
        let src = match s.key_mode {
            ShardKey::Hash => (crate::rng::splitmix64(u64::from(key)) % u64::from(old)) as usize,
            ShardKey::Range => ((u64::from(key) * u64::from(old)) / s.keys.max(1)) as usize,
        };
        if done {
            s.migration = None;
        }
        let shards = s.shards as usize;
        let dst = self.shard_of(comp, key);
        for _ in 0..ops {
            for shard in [src, dst] {
                if self.comps[comp]
                    .inst
                    .get(shard)
                    .is_some_and(|i| i.serving())
                {
                    let job = self.reqs.alloc(Req {
                        gen: 0,
                        kind: Kind::Internal,
                        stage: Stage::Backend,
                        key,
                        user: 0,
                        users_comp: 0,
                        attempt: 0,
                        finished: true,
                        arrival_us: self.now_us,
                        back_us: 0,
                        entered_us: 0,
                        web_comp: NONE16,
                        web_inst: NONE16,
                        target_inst: NONE16,
                        seen_write_us: 0,
                        session: 0,
                        service_slot: NONE16,
                    });
                    self.enqueue(comp, shard, job);
                }
            }
        }
        if done {
            for k in shards..self.comps[comp].inst.len() {
                self.comps[comp].inst[k].active = false;
            }
            self.refresh_capacity(comp);
        } else {
            self.events.push(
                self.now_us + MIGRATION_TICK_US,
                Ev::Migrate {
                    comp: comp as u16,
                    gen,
                },
            );
        }
    }

    fn instance_of(&self, comp: usize, instance: Option<u32>) -> Result<Option<usize>, SimError> {
        match instance {
            None => Ok(None),
            Some(k) if (k as usize) < self.comps[comp].inst.len() => Ok(Some(k as usize)),
            Some(k) => Err(SimError::invalid(
                &self.comps[comp].id,
                "instance",
                format!("there is no instance {k}"),
            )),
        }
    }

    fn do_action(&mut self, action: &Action) -> Result<(), SimError> {
        let comp = self.comp_index(action.component())?;
        match action {
            Action::Fail { instance, .. } => {
                let k = self.instance_of(comp, *instance)?;
                self.fail_target(comp, k, true);
            }
            Action::Recover { instance, .. } => {
                let k = self.instance_of(comp, *instance)?;
                self.fail_target(comp, k, false);
            }
            Action::Scale { instances, .. } => match &mut self.comps[comp].role {
                Role::Db(_) => {
                    let have = self.db_replicas(comp);
                    let spec = self.comps[comp].size.spec();
                    if *instances > have {
                        for _ in have..*instances {
                            let mut i = Instance::new(spec.cores, spec.speed, true);
                            i.last_us = self.now_us;
                            self.comps[comp].inst.push(i);
                        }
                    } else {
                        let mut excess = have - instances;
                        let primary = match &self.comps[comp].role {
                            Role::Db(db) => db.primary,
                            _ => None,
                        };
                        for k in (0..self.comps[comp].inst.len()).rev() {
                            if excess > 0 && Some(k) != primary && self.comps[comp].inst[k].active {
                                self.comps[comp].inst[k].active = false;
                                excess -= 1;
                            }
                        }
                    }
                    self.refresh_capacity(comp);
                }
                _ => self.scale_to(comp, *instances),
            },
            Action::Resize { size, .. } => {
                self.comps[comp].size = *size;
                let present: Vec<usize> = (0..self.comps[comp].inst.len())
                    .filter(|&k| self.comps[comp].inst[k].present())
                    .collect();
                for (j, k) in present.into_iter().enumerate() {
                    self.events.push(
                        self.now_us + j as u64 * RESIZE_RESTART_US,
                        Ev::Restart {
                            comp: comp as u16,
                            inst: k as u16,
                        },
                    );
                }
            }
            Action::SetUsers { users, .. } => {
                // New users get ids after everyone else's, so per-user state
                // only grows: the ids handed out over a run are bounded, as it.
                let total = self.total_user_ids();
                let Role::Users(u) = &mut self.comps[comp].role else {
                    return Ok(());
                };
                if *users > u.users && total.saturating_add(*users) > limits::TOTAL_USERS {
                    return Err(SimError::invalid(
                        &self.comps[comp].id,
                        "users",
                        format!(
                            "raising the users here would take more than {} user ids in this run",
                            limits::TOTAL_USERS
                        ),
                    ));
                }
                let rpu = if u.users > 0 {
                    u.base_rate_per_s / u.users as f64
                } else {
                    0.0
                };
                let per_user = match &self.scenario.components[comp].spec {
                    ComponentSpec::Users(s) if u.users == 0 => s.requests_per_user_per_s,
                    _ => rpu,
                };
                if *users > u.users {
                    u.user_offset = total as u32;
                }
                u.users = *users;
                u.base_rate_per_s = *users as f64 * per_user;
                u.gen = u.gen.wrapping_add(1);
                let need = u64::from(u.user_offset) + *users;
                if need > total {
                    self.size_user_state(need);
                }
                self.schedule_arrival(comp);
            }
            Action::SetRequestRate { requests_per_s, .. } => {
                let Role::Users(u) = &mut self.comps[comp].role else {
                    return Ok(());
                };
                u.base_rate_per_s = *requests_per_s;
                u.gen = u.gen.wrapping_add(1);
                self.schedule_arrival(comp);
            }
            Action::Reshard { shards, .. } => {
                let spec = self.comps[comp].size.spec();
                let now = self.now_us;
                let Role::Sharded(s) = &mut self.comps[comp].role else {
                    return Ok(());
                };
                let old = match s.migration {
                    Some((o, _)) => o,
                    None => s.shards,
                };
                s.shards = *shards;
                s.migration = Some((old, 0.0));
                s.migration_gen = s.migration_gen.wrapping_add(1);
                let gen = s.migration_gen;
                while self.comps[comp].inst.len() < *shards as usize {
                    let mut i = Instance::new(spec.cores, spec.speed, true);
                    i.last_us = now;
                    self.comps[comp].inst.push(i);
                }
                for k in 0..*shards as usize {
                    self.comps[comp].inst[k].active = true;
                    self.comps[comp].inst[k].booting = false;
                }
                self.refresh_capacity(comp);
                self.events.push(
                    now + MIGRATION_TICK_US,
                    Ev::Migrate {
                        comp: comp as u16,
                        gen,
                    },
                );
            }
        }
        Ok(())
    }

    fn total_user_ids(&self) -> u64 {
        self.comps
            .iter()
            .filter_map(|c| match &c.role {
                Role::Users(u) => Some(u64::from(u.user_offset) + u.users),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    /// Fails (`fail = true`) or recovers a component, one of its instances, or a data center.
    fn fail_target(&mut self, comp: usize, k: Option<usize>, fail: bool) {
        match &mut self.comps[comp].role {
            Role::DataCenter { down } => {
                *down = fail;
                self.dc_down[comp] = fail;
                let members: Vec<usize> = (0..self.comps.len())
                    .filter(|&i| self.comps[i].dc == Some(comp))
                    .collect();
                for m in members {
                    self.fail_target(m, None, fail);
                }
            }
            Role::Cdn { up, .. } => *up = !fail,
            Role::Db(db) => {
                let primary = db.primary;
                let targets: Vec<usize> = match k {
                    Some(k) => vec![k],
                    None if fail => primary.into_iter().collect(),
                    None => (0..self.comps[comp].inst.len()).collect(),
                };
                for t in targets {
                    if fail {
                        if Some(t) == primary {
                            self.fail_db_primary(comp);
                        } else {
                            self.fail_instance(comp, t, ErrorCause::InstanceDown);
                        }
                    } else if !self.comps[comp].inst[t].up {
                        self.recover_instance(comp, t);
                        let Role::Db(db) = &mut self.comps[comp].role else {
                            return;
                        };
                        if db.primary.is_none() {
                            let pro = db.promotion_us;
                            self.events.push(
                                self.now_us + pro,
                                Ev::Promote {
                                    comp: comp as u16,
                                    epoch: 0,
                                },
                            );
                        }
                    }
                }
                // A data center outage takes the replicas down too.
                if k.is_none() && fail && self.comps[comp].dc.is_some_and(|d| self.dc_down[d]) {
                    for t in 0..self.comps[comp].inst.len() {
                        self.fail_instance(comp, t, ErrorCause::InstanceDown);
                    }
                }
            }
            _ => {
                let targets: Vec<usize> = match k {
                    Some(k) => vec![k],
                    None => (0..self.comps[comp].inst.len()).collect(),
                };
                for t in targets {
                    if fail {
                        self.fail_instance(comp, t, ErrorCause::InstanceDown);
                    } else {
                        self.recover_instance(comp, t);
                    }
                }
            }
        }
    }
}

impl Simulation {
    // ----- metrics --------------------------------------------------------

    fn close_window(&mut self) -> WindowSnapshot {
        let now = self.now_us;
        let window_s = self.window_us as f64 / 1e6;
        let (p50, p95, p99, max, mean) = self.win_hist.percentiles_ms();
        let mut components = Vec::new();
        for c in &mut self.comps {
            c.stats.integrate(now);
            for i in &mut c.inst {
                i.touch(now);
            }
        }
        for ci in 0..self.comps.len() {
            if matches!(
                self.comps[ci].role,
                Role::DataCenter { .. } | Role::Autoscaler { .. }
            ) {
                continue;
            }
            let backlog = match self.comps[ci].role {
                Role::Mq { workers, .. } => Some(
                    self.comps[workers]
                        .shared
                        .as_ref()
                        .map_or(0, |q| q.len() as u64),
                ),
                _ => None,
            };
            let c = &mut self.comps[ci];
            let (s, m) = (&c.stats, &c.mark);
            let d_cap = s.cap_int - m.cap_int;
            let d_comp = s.completions - m.completions;
            let d_look = s.lookups - m.lookups;
            let queue_len: u64 = c.inst.iter().map(|i| i.queue.len() as u64).sum::<u64>()
                + c.shared.as_ref().map_or(0, |q| q.len() as u64);
            let in_flight = queue_len + c.inst.iter().map(|i| u64::from(i.busy)).sum::<u64>();
            let is_cacheish = matches!(c.role, Role::Cache(_) | Role::Cdn { .. });
            let job_p99 = c.job_hist.as_mut().map(|h| {
                let v = if h.is_empty() {
                    0.0
                } else {
                    h.value_at_quantile(0.99) as f64 / 1000.0
                };
                h.reset();
                v
            });
            let instance_utilization = (!c.inst.is_empty()).then(|| {
                c.inst
                    .iter()
                    .zip(c.mark_inst_busy.iter().chain(std::iter::repeat(&0.0)))
                    .map(|(i, &b0)| {
                        if i.cores > 0 {
                            ((i.busy_int - b0) / (f64::from(i.cores) * self.window_us as f64))
                                .clamp(0.0, 1.0)
                        } else {
                            0.0
                        }
                    })
                    .collect()
            });
            if let Some(b) = backlog {
                c.backlog_max = c.backlog_max.max(b);
            }
            components.push(ComponentWindow {
                id: c.id.clone(),
                utilization: if d_cap > 0.0 {
                    ((s.busy_int - m.busy_int) / d_cap).clamp(0.0, 1.0)
                } else {
                    0.0
                },
                queue_len,
                in_system_mean: (s.nsys_int - m.nsys_int) / self.window_us as f64,
                arrivals_rps: (s.arrivals - m.arrivals) as f64 / window_s,
                completions_rps: d_comp as f64 / window_s,
                sojourn_ms_mean: if d_comp > 0 {
                    (s.sojourn_sum_us - m.sojourn_sum_us) / d_comp as f64 / 1000.0
                } else {
                    0.0
                },
                in_flight,
                instances_up: c.inst.iter().filter(|i| i.serving()).count() as u32,
                instances: c.inst.iter().filter(|i| i.present()).count() as u32,
                hit_ratio: (is_cacheish && d_look > 0)
                    .then(|| (s.hits - m.hits) as f64 / d_look as f64),
                replication_lag_ms: match &c.role {
                    Role::Db(_) if s.lag_n > m.lag_n => {
                        Some((s.lag_sum_ms - m.lag_sum_ms) / (s.lag_n - m.lag_n) as f64)
                    }
                    _ => None,
                },
                backlog,
                job_latency_ms_p99: job_p99,
                instance_utilization,
            });
            c.mark = c.stats.clone();
            c.mark_inst_busy = c.inst.iter().map(|i| i.busy_int).collect();
        }
        let finished = self.win.successes + self.win.errors.total();
        let snap = WindowSnapshot {
            index: self.window_index,
            start_s: (now - self.window_us) as f64 / 1e6,
            end_s: now as f64 / 1e6,
            latency_ms_p50: p50,
            latency_ms_p95: p95,
            latency_ms_p99: p99,
            latency_ms_max: max,
            latency_ms_mean: mean,
            arrivals: self.win.arrivals,
            successes: self.win.successes,
            failures: self.win.errors.total(),
            throughput_rps: self.win.successes as f64 / window_s,
            availability: if finished > 0 {
                self.win.successes as f64 / finished as f64
            } else {
                1.0
            },
            errors: self.win.errors,
            lost_writes: self.win.lost_writes,
            stale_reads: self.win.stale_reads,
            components,
        };
        self.win = WindowAcc::default();
        self.win_hist.reset();
        self.window_index += 1;
        self.digest = digest_window(self.digest, &snap);
        if self.history_limit > 0 {
            if self.history.len() >= self.history_limit {
                self.history.pop_front();
            }
            self.history.push_back(snap.clone());
        }
        snap
    }

    /// Figures over the whole run so far.
    pub fn summary(&self) -> Summary {
        let now = self.now_us.max(1) as f64;
        let (p50, p95, p99, max, mean) = self.total_hist.percentiles_ms();
        let finished = self.total.successes + self.total.errors.total();
        let components = self
            .comps
            .iter()
            .filter(|c| !matches!(c.role, Role::DataCenter { .. } | Role::Autoscaler { .. }))
            .map(|c| {
                let mut s = c.stats.clone();
                s.integrate(self.now_us);
                ComponentSummary {
                    id: c.id.clone(),
                    utilization: if s.cap_int > 0.0 {
                        (s.busy_int / s.cap_int).clamp(0.0, 1.0)
                    } else {
                        0.0
                    },
                    in_system_mean: s.nsys_int / now,
                    arrivals_rps: s.arrivals as f64 / (now / 1e6),
                    sojourn_ms_mean: if s.completions > 0 {
                        s.sojourn_sum_us / s.completions as f64 / 1000.0
                    } else {
                        0.0
                    },
                    hit_ratio: (matches!(c.role, Role::Cache(_) | Role::Cdn { .. })
                        && s.lookups > 0)
                        .then(|| s.hits as f64 / s.lookups as f64),
                    replication_lag_ms: (matches!(c.role, Role::Db(_)) && s.lag_n > 0)
                        .then(|| s.lag_sum_ms / s.lag_n as f64),
                    backlog_max: matches!(c.role, Role::Mq { .. }).then_some(c.backlog_max),
                }
            })
            .collect();
        Summary {
            duration_s: self.now_us as f64 / 1e6,
            latency_ms_p50: p50,
            latency_ms_p95: p95,
            latency_ms_p99: p99,
            latency_ms_max: max,
            latency_ms_mean: mean,
            arrivals: self.total.arrivals,
            successes: self.total.successes,
            failures: self.total.errors.total(),
            throughput_rps: self.total.successes as f64 / (now / 1e6),
            availability: if finished > 0 {
                self.total.successes as f64 / finished as f64
            } else {
                1.0
            },
            errors: self.total.errors,
            lost_writes: self.total.lost_writes,
            stale_reads: self.total.stale_reads,
            components,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instances with these loads, all active.
    fn tier(loads: &[u32]) -> Vec<Instance> {
        loads
            .iter()
            .map(|&l| {
                let mut i = Instance::new(1, 1.0, true);
                i.busy = l;
                i
            })
            .collect()
    }

    /// The plain definition: round the ring from `rr`, the first instance in
    /// rotation with the least load.
    #[cfg(not(target_arch = "wasm32"))]
    fn least_loaded_by_definition(tier: &[Instance], up: &[bool], rr: usize) -> Option<usize> {
        let n = tier.len();
        (0..n)
            .map(|j| (rr + j) % n)
            .filter(|&k| in_rotation(up, k, &tier[k]))
            .min_by_key(|&k| tier[k].load())
    }

    // proptest is a native dev-dependency (the wasm tests run in Chromium).
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The one-pass scan chooses what the definition chooses, for any
        /// loads, health list (possibly shorter), scaled-in instances and
        /// rotation point (possibly past the end).
        #[test]
        fn least_loaded_chooses_as_the_definition(
            loads in proptest::collection::vec(0u32..4, 0..40),
            up in proptest::collection::vec(proptest::bool::weighted(0.8), 0..40),
            inactive in proptest::collection::vec(proptest::bool::weighted(0.1), 40),
            rr in 0usize..100,
        ) {
            let mut t = tier(&loads);
            for (inst, &off) in t.iter_mut().zip(&inactive) {
                inst.active = !off;
            }
            proptest::prop_assert_eq!(
                least_loaded(&t, &up, rr),
                least_loaded_by_definition(&t, &up, rr)
            );
        }
    }

    /// A clone (a rewind checkpoint) shares the read-only key tables.
    #[test]
    fn clones_share_the_key_tables() {
        let Some(s) = crate::presets::by_name("13-millions-of-users.json") else {
            panic!("stage 13 preset missing");
        };
        let Ok(a) = Simulation::new(&s) else {
            panic!("stage 13 does not build");
        };
        let b = a.clone();
        assert!(std::sync::Arc::ptr_eq(&a.keys, &b.keys));
        assert!(std::sync::Arc::ptr_eq(&a.statics, &b.statics));
        assert_eq!(a.keys.len(), 200_000);
    }

    #[test]
    fn least_loaded_breaks_ties_from_the_rotation_point_and_skips_instances_out_of_rotation() {
        let t = tier(&[2, 1, 3, 1, 1]);
        let up = [true; 5];
        assert_eq!(least_loaded(&t, &up, 0), Some(1));
        assert_eq!(least_loaded(&t, &up, 2), Some(3));
        assert_eq!(least_loaded(&t, &up, 4), Some(4));
        // Past the end wraps round, as `rr % n`.
        assert_eq!(least_loaded(&t, &up, 7), Some(3));
        // Marked down by the balancer, or scaled in: not a candidate.
        assert_eq!(
            least_loaded(&t, &[true, false, true, false, false], 1),
            Some(0)
        );
        let mut scaled_in = tier(&[2, 1, 3, 1, 1]);
        scaled_in[3].active = false;
        assert_eq!(least_loaded(&scaled_in, &up, 2), Some(4));
        // A shorter health list: the instances it lacks are not in rotation.
        assert_eq!(least_loaded(&t, &[true, false, true], 0), Some(0));
        assert_eq!(least_loaded(&t, &[false; 5], 0), None);
        assert_eq!(least_loaded(&[], &[], 0), None);
    }
}
