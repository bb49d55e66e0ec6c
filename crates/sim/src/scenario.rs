//! The scenario format: a versioned JSON document holding the topology,
//! the traffic, a timeline of actions and the seed. See docs/scenario-format.md.
//!
//! Loading goes through [`Scenario::from_json`], which checks the version,
//! every field's range and the shape of the graph, and names the component
//! and field at fault in its error.

mod spec_de;
mod validate;

use crate::dist::Distribution;
use crate::error::SimError;
use crate::sizes::InstanceSize;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use validate::{edge_allowed, limits, Graph};

/// A whole design plus the traffic and the timeline to run it with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must equal [`crate::SCENARIO_VERSION`].
    pub version: u32,
    /// A short title.
    #[serde(default)]
    pub name: String,
    /// A few sentences on what the scenario shows.
    #[serde(default)]
    pub description: String,
    /// The seed every random draw derives from.
    #[serde(default = "d_seed")]
    pub seed: u64,
    /// How long `scalelab run` simulates, in seconds.
    #[serde(default = "d_duration_s")]
    pub duration_s: f64,
    /// Metrics window length in milliseconds.
    #[serde(default = "d_window_ms")]
    pub window_ms: u64,
    /// The service-level objective drawn on the charts.
    #[serde(default)]
    pub slo: Slo,
    /// Key popularity of data and static objects.
    #[serde(default)]
    pub workload: Workload,
    /// Network latencies between places.
    #[serde(default)]
    pub network: Network,
    /// The components of the design.
    pub components: Vec<Component>,
    /// Directed edges: requests flow from `from` to `to`.
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// Timed actions applied during the run (faults, scaling, traffic changes).
    #[serde(default)]
    pub timeline: Vec<TimedAction>,
    /// The design's own prices for the cost model; a field left out keeps the
    /// list price (`crates/sim/data/prices.json`), and no `prices` at all means
    /// the list. Written with only the fields that differ from the list.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::cost::serialize_overrides"
    )]
    pub prices: Option<crate::cost::Prices>,
}

fn d_seed() -> u64 {
    1
}
fn d_duration_s() -> f64 {
    60.0
}
fn d_window_ms() -> u64 {
    1000
}

/// The service-level objective.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Slo {
    /// Target availability (successes / finished requests), e.g. 0.999.
    pub availability: f64,
    /// Target 99th-percentile latency in ms.
    pub latency_ms_p99: f64,
}

impl Default for Slo {
    fn default() -> Self {
        Slo {
            availability: 0.999,
            latency_ms_p99: 500.0,
        }
    }
}

/// Which keys requests touch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Workload {
    /// Number of distinct data keys read and written.
    pub keys: u64,
    /// Zipf exponent of key popularity (0 = uniform).
    pub zipf_s: f64,
    /// Share of all reads and writes that go to one celebrity key (key 0).
    pub hot_key_share: f64,
    /// Number of distinct static objects (images, scripts) served.
    pub static_objects: u64,
    /// Zipf exponent of static object popularity.
    pub static_zipf_s: f64,
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            keys: 10_000,
            zipf_s: 0.9,
            hot_key_share: 0.0,
            static_objects: 1_000,
            static_zipf_s: 0.8,
        }
    }
}

/// Network latencies (one way, in ms).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Network {
    /// Between two components in the same data center (or with no data center).
    pub same_dc_ms: f64,
    /// From a user to a data center in the user's own region.
    pub user_to_region_ms: f64,
    /// Added when a hop crosses regions.
    pub cross_region_ms: f64,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            same_dc_ms: 0.5,
            user_to_region_ms: 20.0,
            cross_region_ms: 70.0,
        }
    }
}

/// One component on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Unique id, used by edges and actions.
    pub id: String,
    /// Display label (plain text; never rendered as markup).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The data center (a `data_center` component id) this component runs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dc: Option<String>,
    /// Canvas position (x, y) in canvas units; the simulation ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<(f64, f64)>,
    /// What the component is, with its parameters.
    pub spec: ComponentSpec,
}

/// Kinds of components and their parameters.
///
/// Read by a hand-written `Deserialize` (`scenario/spec_de.rs`): the same
/// format and messages as serde's internally tagged enums, in far less code.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComponentSpec {
    /// A population of users sending requests.
    Users(UsersSpec),
    /// Geo-DNS: sends each user to a data center.
    Dns(DnsSpec),
    /// Content delivery network for static objects.
    Cdn(CdnSpec),
    /// A load balancer in front of a web tier.
    LoadBalancer(LoadBalancerSpec),
    /// A tier of web servers.
    WebTier(WebTierSpec),
    /// A shared session store (key-value).
    SessionStore(StationSpec),
    /// A key-value cache in front of a database.
    Cache(CacheSpec),
    /// A database: one primary and N read replicas.
    Database(DatabaseSpec),
    /// A database split into shards.
    ShardedDatabase(ShardedDatabaseSpec),
    /// A message queue for asynchronous jobs.
    MessageQueue(MessageQueueSpec),
    /// Workers consuming a message queue.
    Workers(WorkersSpec),
    /// A data center in a region; components name it in their `dc` field.
    DataCenter(DataCenterSpec),
    /// An autoscaler for a web tier or a worker pool.
    Autoscaler(AutoscalerSpec),
}

impl ComponentSpec {
    /// The kind in words with its article, for messages ("a load balancer", "users").
    pub fn kind_phrase(&self) -> &'static str {
        match self {
            ComponentSpec::Users(_) => "users",
            ComponentSpec::Dns(_) => "a DNS",
            ComponentSpec::Cdn(_) => "a CDN",
            ComponentSpec::LoadBalancer(_) => "a load balancer",
            ComponentSpec::WebTier(_) => "a web tier",
            ComponentSpec::SessionStore(_) => "a session store",
            ComponentSpec::Cache(_) => "a cache",
            ComponentSpec::Database(_) => "a database",
            ComponentSpec::ShardedDatabase(_) => "a sharded database",
            ComponentSpec::MessageQueue(_) => "a message queue",
            ComponentSpec::Workers(_) => "workers",
            ComponentSpec::DataCenter(_) => "a data center",
            ComponentSpec::Autoscaler(_) => "an autoscaler",
        }
    }

    /// The kind's name as written in the file (`web_tier`, `cache`…).
    pub fn kind_name(&self) -> &'static str {
        match self {
            ComponentSpec::Users(_) => "users",
            ComponentSpec::Dns(_) => "dns",
            ComponentSpec::Cdn(_) => "cdn",
            ComponentSpec::LoadBalancer(_) => "load_balancer",
            ComponentSpec::WebTier(_) => "web_tier",
            ComponentSpec::SessionStore(_) => "session_store",
            ComponentSpec::Cache(_) => "cache",
            ComponentSpec::Database(_) => "database",
            ComponentSpec::ShardedDatabase(_) => "sharded_database",
            ComponentSpec::MessageQueue(_) => "message_queue",
            ComponentSpec::Workers(_) => "workers",
            ComponentSpec::DataCenter(_) => "data_center",
            ComponentSpec::Autoscaler(_) => "autoscaler",
        }
    }
}

/// The share of each request kind; normalized when loaded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Mix {
    /// Static assets (images, scripts): served by a CDN or the web tier.
    #[serde(rename = "static")]
    pub static_share: f64,
    /// Reads of a data key.
    pub read: f64,
    /// Writes of a data key.
    pub write: f64,
    /// Asynchronous jobs (published to a message queue).
    #[serde(rename = "async")]
    pub async_share: f64,
}

impl Default for Mix {
    fn default() -> Self {
        Mix {
            static_share: 0.0,
            read: 0.9,
            write: 0.1,
            async_share: 0.0,
        }
    }
}

/// How the offered load varies over time (a multiplier of the base rate).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(
    tag = "shape",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "RawLoadShape"
)]
pub enum LoadShape {
    /// The base rate all the time.
    #[default]
    Constant,
    /// The base rate, then `factor` × it from `at_s` on.
    Step {
        /// When the step happens (s).
        at_s: f64,
        /// Multiplier after the step.
        factor: f64,
    },
    /// `factor` × the base rate between `at_s` and `at_s + duration_s`.
    Spike {
        /// Start of the spike (s).
        at_s: f64,
        /// Length of the spike (s).
        duration_s: f64,
        /// Multiplier during the spike.
        factor: f64,
    },
    /// A day/night wave: 1 + amplitude × sin(2π t / period).
    Diurnal {
        /// Period of the wave (s).
        period_s: f64,
        /// Amplitude in [0, 1).
        amplitude: f64,
    },
}

/// A population of users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UsersSpec {
    /// Number of users.
    pub users: u64,
    /// Requests each user sends per second (Poisson).
    pub requests_per_user_per_s: f64,
    /// Share of each request kind.
    #[serde(default)]
    pub mix: Mix,
    /// The region the users are in (matches data centers' regions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Load shape over time.
    #[serde(default)]
    pub load: LoadShape,
    /// A request not answered within this time counts as a timeout (0 = never).
    #[serde(default = "d_timeout_ms")]
    pub client_timeout_ms: f64,
    /// How many times a failed request is retried (0 = no retries).
    #[serde(default)]
    pub retries: u32,
    /// Backoff before the first retry, doubled for each further one (ms).
    #[serde(default = "d_backoff_ms")]
    pub retry_backoff_ms: f64,
}

impl UsersSpec {
    /// This users component's offered load, requests/s (users × rate per user).
    pub fn offered_rps(&self) -> f64 {
        self.users as f64 * self.requests_per_user_per_s
    }
}

fn d_timeout_ms() -> f64 {
    5_000.0
}
fn d_backoff_ms() -> f64 {
    200.0
}

/// Geo-DNS.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DnsSpec {
    /// How long a user keeps a resolved answer (s).
    pub ttl_s: f64,
}

impl Default for DnsSpec {
    fn default() -> Self {
        DnsSpec { ttl_s: 60.0 }
    }
}

/// Cache eviction policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Eviction {
    /// Least recently used.
    #[default]
    Lru,
    /// Least frequently used.
    Lfu,
}

/// Content delivery network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CdnSpec {
    /// How many static objects each edge holds.
    pub capacity_objects: u64,
    /// How long an object stays valid at the edge (s; 0 = forever).
    pub ttl_s: f64,
    /// Eviction policy at the edge.
    pub eviction: Eviction,
    /// Latency from a user to the nearest edge (one way, ms).
    pub edge_latency_ms: f64,
    /// Latency from an edge to the origin (one way, ms).
    pub origin_latency_ms: f64,
}

impl Default for CdnSpec {
    fn default() -> Self {
        CdnSpec {
            capacity_objects: 500,
            ttl_s: 3600.0,
            eviction: Eviction::Lru,
            edge_latency_ms: 5.0,
            origin_latency_ms: 40.0,
        }
    }
}

/// Load-balancing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// Each instance in turn.
    #[default]
    RoundRobin,
    /// The instance with the fewest requests in it.
    LeastConnections,
    /// A random instance.
    Random,
    /// The less loaded of two random instances.
    PowerOfTwo,
}

/// Active health checks of a load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HealthCheck {
    /// Time between probes of each instance (ms).
    pub interval_ms: f64,
    /// Consecutive failed probes before an instance is marked down.
    pub threshold: u32,
    /// Consecutive good probes before an instance is marked up again.
    pub rise: u32,
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck {
            interval_ms: 2_000.0,
            threshold: 3,
            rise: 2,
        }
    }
}

/// Load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LoadBalancerSpec {
    /// How an instance is picked.
    pub algorithm: Algorithm,
    /// Health checks.
    pub health_check: HealthCheck,
    /// Keep each user on one instance (always on for a stateful tier).
    pub sticky: bool,
}

/// Where a web tier keeps sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sessions {
    /// In a shared session store (or none needed): a web instance can die without logging anyone out.
    #[default]
    Stateless,
    /// In the web instance's memory: its death logs its users out.
    Stateful,
}

fn d_instances() -> u32 {
    1
}
fn d_queue() -> u32 {
    200
}
fn d_boot_s() -> f64 {
    30.0
}
fn d_web_service() -> Distribution {
    Distribution::Exponential { mean_ms: 10.0 }
}
fn d_fast_service() -> Distribution {
    Distribution::Exponential { mean_ms: 0.5 }
}

/// A generic station: instances of a size with a service time and a bounded queue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StationSpec {
    /// Number of instances.
    #[serde(default = "d_instances")]
    pub instances: u32,
    /// Instance size.
    #[serde(default)]
    pub size: InstanceSize,
    /// Service time per request on a `small` core.
    #[serde(default = "d_fast_service")]
    pub service: Distribution,
    /// Requests waiting per instance beyond which new ones fail with `queue_full`.
    #[serde(default = "d_queue")]
    pub queue_capacity: u32,
}

/// Web server tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebTierSpec {
    /// Number of instances.
    #[serde(default = "d_instances")]
    pub instances: u32,
    /// Instance size (vertical scaling).
    #[serde(default)]
    pub size: InstanceSize,
    /// Service time per request on a `small` core.
    #[serde(default = "d_web_service")]
    pub service: Distribution,
    /// Waiting requests per instance beyond which new ones fail with `queue_full`.
    #[serde(default = "d_queue")]
    pub queue_capacity: u32,
    /// Where sessions live.
    #[serde(default)]
    pub sessions: Sessions,
    /// Time for a new instance to boot before it takes traffic (s).
    #[serde(default = "d_boot_s")]
    pub boot_s: f64,
}

/// Key-value cache.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CacheSpec {
    /// Number of cache nodes; keys are spread over them by hash.
    #[serde(default = "d_instances")]
    pub nodes: u32,
    /// Total capacity in keys (split evenly over the nodes).
    pub capacity_keys: u64,
    /// Eviction policy.
    #[serde(default)]
    pub eviction: Eviction,
    /// Entry lifetime (s; 0 = forever).
    #[serde(default)]
    pub ttl_s: f64,
    /// Node size.
    #[serde(default)]
    pub size: InstanceSize,
    /// Lookup time per request.
    #[serde(default = "d_fast_service")]
    pub service: Distribution,
    /// Waiting lookups per node beyond which new ones fail.
    #[serde(default = "d_big_queue")]
    pub queue_capacity: u32,
}

fn d_big_queue() -> u32 {
    1_000
}

/// Database profile: informs lessons and cost; both use the same queueing model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum DbProfile {
    /// Relational (SQL, joins, transactions).
    #[default]
    Relational,
    /// Non-relational (key-value, document, wide-column).
    Nosql,
}

/// Failover timing of a replicated database.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Failover {
    /// Time to notice that the primary is dead (s).
    pub detection_s: f64,
    /// Time to promote a replica once noticed (s).
    pub promotion_s: f64,
}

impl Default for Failover {
    fn default() -> Self {
        Failover {
            detection_s: 10.0,
            promotion_s: 5.0,
        }
    }
}

fn d_read_service() -> Distribution {
    Distribution::Exponential { mean_ms: 5.0 }
}
fn d_write_service() -> Distribution {
    Distribution::Exponential { mean_ms: 10.0 }
}
fn d_lag() -> Distribution {
    Distribution::Constant { mean_ms: 100.0 }
}

/// A database with a primary and read replicas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSpec {
    /// Relational or non-relational.
    #[serde(default)]
    pub profile: DbProfile,
    /// Number of read replicas (0 = the primary serves reads too).
    #[serde(default)]
    pub replicas: u32,
    /// Size of each node.
    #[serde(default)]
    pub size: InstanceSize,
    /// Service time of a read on a `small` core.
    #[serde(default = "d_read_service")]
    pub read_service: Distribution,
    /// Service time of a write on a `small` core.
    #[serde(default = "d_write_service")]
    pub write_service: Distribution,
    /// Waiting requests per node beyond which new ones fail.
    #[serde(default = "d_queue")]
    pub queue_capacity: u32,
    /// Asynchronous replication lag of each write.
    #[serde(default = "d_lag")]
    pub replication_lag: Distribution,
    /// Failover timing.
    #[serde(default)]
    pub failover: Failover,
    /// Send a user's reads to the primary while the user's own last write is not yet on the replicas.
    #[serde(default)]
    pub read_your_writes: bool,
}

/// How keys map to shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ShardKey {
    /// By a hash of the key: even spread.
    #[default]
    Hash,
    /// By key ranges: neighbouring (and popular) keys land together.
    Range,
}

/// A sharded database.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShardedDatabaseSpec {
    /// Number of shards.
    pub shards: u32,
    /// How keys map to shards.
    #[serde(default)]
    pub shard_key: ShardKey,
    /// Size of each shard node.
    #[serde(default)]
    pub size: InstanceSize,
    /// Service time of a read on a `small` core.
    #[serde(default = "d_read_service")]
    pub read_service: Distribution,
    /// Service time of a write on a `small` core.
    #[serde(default = "d_write_service")]
    pub write_service: Distribution,
    /// Waiting requests per shard beyond which new ones fail.
    #[serde(default = "d_queue")]
    pub queue_capacity: u32,
    /// Keys moved per second while resharding.
    #[serde(default = "d_migration_rate")]
    pub migration_keys_per_s: f64,
}

fn d_migration_rate() -> f64 {
    500.0
}

/// A message queue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MessageQueueSpec {
    /// Jobs the queue holds at most; publishing beyond fails with `queue_full`.
    pub capacity: u32,
    /// Time to append a job (ms).
    pub publish_ms: f64,
}

impl Default for MessageQueueSpec {
    fn default() -> Self {
        MessageQueueSpec {
            capacity: 100_000,
            publish_ms: 1.0,
        }
    }
}

fn d_job_service() -> Distribution {
    Distribution::Exponential { mean_ms: 100.0 }
}

/// Workers consuming a message queue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkersSpec {
    /// Number of worker instances.
    #[serde(default = "d_instances")]
    pub instances: u32,
    /// Worker size.
    #[serde(default)]
    pub size: InstanceSize,
    /// Time to process one job on a `small` core.
    #[serde(default = "d_job_service")]
    pub service: Distribution,
    /// Time for a new worker to boot (s).
    #[serde(default = "d_boot_s")]
    pub boot_s: f64,
}

/// A data center.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataCenterSpec {
    /// The region it is in (e.g. `us-east`).
    pub region: String,
}

/// An autoscaler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoscalerSpec {
    /// The web tier or worker pool it scales.
    pub target: String,
    /// Utilization it aims for (0..1).
    #[serde(default = "d_target_util")]
    pub target_utilization: f64,
    /// Fewest instances.
    #[serde(default = "d_instances")]
    pub min: u32,
    /// Most instances.
    #[serde(default = "d_max")]
    pub max: u32,
    /// How often it decides (s).
    #[serde(default = "d_period")]
    pub period_s: f64,
    /// Scale-in waits until lower recommendations held for this long (s).
    #[serde(default = "d_stabilization")]
    pub stabilization_s: f64,
}

fn d_target_util() -> f64 {
    0.6
}
fn d_max() -> u32 {
    20
}
fn d_period() -> f64 {
    15.0
}
fn d_stabilization() -> f64 {
    120.0
}

/// A directed edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    /// Sending component id.
    pub from: String,
    /// Receiving component id.
    pub to: String,
    /// One-way latency override (ms); by default it follows from the data centers' regions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
}

/// An action at a moment of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimedAction {
    /// When (s of simulated time).
    pub at_s: f64,
    /// What.
    pub action: Action,
}

/// Something done to a running simulation: a fault, a repair, scaling, traffic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "do",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "RawAction"
)]
pub enum Action {
    /// Fail a component. `instance`: a web/worker/session-store instance; for a
    /// database 0 is the primary and i ≥ 1 replica i; for a cache the node.
    /// Without `instance` the whole component fails (for a database: its primary).
    /// A `data_center` id fails every component in it.
    Fail {
        /// Component or data-center id.
        component: String,
        /// Which instance (see above).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance: Option<u32>,
    },
    /// Undo a failure (same addressing as `fail`).
    Recover {
        /// Component or data-center id.
        component: String,
        /// Which instance.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance: Option<u32>,
    },
    /// Set the instance count of a web tier or worker pool (new ones boot first),
    /// or the replica count of a database.
    Scale {
        /// Component id.
        component: String,
        /// New count.
        instances: u32,
    },
    /// Change the instance size of a web tier (a rolling restart).
    Resize {
        /// Component id.
        component: String,
        /// New size.
        size: InstanceSize,
    },
    /// Set the number of users of a users component.
    SetUsers {
        /// Users component id.
        component: String,
        /// New number of users.
        users: u64,
    },
    /// Set the total request rate of a users component (requests/s).
    SetRequestRate {
        /// Users component id.
        component: String,
        /// New total rate.
        requests_per_s: f64,
    },
    /// Change the shard count of a sharded database; keys move in the background.
    Reshard {
        /// Component id.
        component: String,
        /// New shard count.
        shards: u32,
    },
}

impl Action {
    /// The id the action addresses.
    pub fn component(&self) -> &str {
        match self {
            Action::Fail { component, .. }
            | Action::Recover { component, .. }
            | Action::Scale { component, .. }
            | Action::Resize { component, .. }
            | Action::SetUsers { component, .. }
            | Action::SetRequestRate { component, .. }
            | Action::Reshard { component, .. } => component,
        }
    }
}

/// The flat form of [`LoadShape`] read from JSON (smaller code than serde's
/// internally tagged enums; the format is the same).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLoadShape {
    shape: ShapeKind,
    at_s: Option<f64>,
    factor: Option<f64>,
    duration_s: Option<f64>,
    period_s: Option<f64>,
    amplitude: Option<f64>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum ShapeKind {
    Constant,
    Step,
    Spike,
    Diurnal,
}

/// `Ok(value)` of a required field, or the message naming it.
fn need(v: Option<f64>, what: &str, name: &str) -> Result<f64, String> {
    v.ok_or_else(|| format!("{what} needs `{name}`"))
}

impl TryFrom<RawLoadShape> for LoadShape {
    type Error = String;
    fn try_from(r: RawLoadShape) -> Result<Self, String> {
        let extra = |allowed: &[&str]| -> Result<(), String> {
            for (name, v) in [
                ("at_s", r.at_s),
                ("factor", r.factor),
                ("duration_s", r.duration_s),
                ("period_s", r.period_s),
                ("amplitude", r.amplitude),
            ] {
                if v.is_some() && !allowed.contains(&name) {
                    return Err(format!("`{name}` does not apply to this load shape"));
                }
            }
            Ok(())
        };
        Ok(match r.shape {
            ShapeKind::Constant => {
                extra(&[])?;
                LoadShape::Constant
            }
            ShapeKind::Step => {
                extra(&["at_s", "factor"])?;
                LoadShape::Step {
                    at_s: need(r.at_s, "a step", "at_s")?,
                    factor: need(r.factor, "a step", "factor")?,
                }
            }
            ShapeKind::Spike => {
                extra(&["at_s", "duration_s", "factor"])?;
                LoadShape::Spike {
                    at_s: need(r.at_s, "a spike", "at_s")?,
                    duration_s: need(r.duration_s, "a spike", "duration_s")?,
                    factor: need(r.factor, "a spike", "factor")?,
                }
            }
            ShapeKind::Diurnal => {
                extra(&["period_s", "amplitude"])?;
                LoadShape::Diurnal {
                    period_s: need(r.period_s, "a diurnal shape", "period_s")?,
                    amplitude: need(r.amplitude, "a diurnal shape", "amplitude")?,
                }
            }
        })
    }
}

/// The flat form of [`Action`] read from JSON (same format, smaller code).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    #[serde(rename = "do")]
    what: ActionKind,
    component: String,
    instance: Option<u32>,
    instances: Option<u32>,
    size: Option<InstanceSize>,
    users: Option<u64>,
    requests_per_s: Option<f64>,
    shards: Option<u32>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum ActionKind {
    Fail,
    Recover,
    Scale,
    Resize,
    SetUsers,
    SetRequestRate,
    Reshard,
}

impl TryFrom<RawAction> for Action {
    type Error = String;
    fn try_from(r: RawAction) -> Result<Self, String> {
        use ActionKind as K;
        let given = [
            (
                "instance",
                r.instance.is_some(),
                matches!(r.what, K::Fail | K::Recover),
            ),
            ("instances", r.instances.is_some(), r.what == K::Scale),
            ("size", r.size.is_some(), r.what == K::Resize),
            ("users", r.users.is_some(), r.what == K::SetUsers),
            (
                "requests_per_s",
                r.requests_per_s.is_some(),
                r.what == K::SetRequestRate,
            ),
            ("shards", r.shards.is_some(), r.what == K::Reshard),
        ];
        if let Some((name, _, _)) = given.iter().find(|(_, present, fits)| *present && !*fits) {
            return Err(format!("`{name}` does not apply to this action"));
        }
        let missing = |name: &str| format!("this action needs `{name}`");
        let component = r.component;
        Ok(match r.what {
            K::Fail => Action::Fail {
                component,
                instance: r.instance,
            },
            K::Recover => Action::Recover {
                component,
                instance: r.instance,
            },
            K::Scale => Action::Scale {
                component,
                instances: r.instances.ok_or_else(|| missing("instances"))?,
            },
            K::Resize => Action::Resize {
                component,
                size: r.size.ok_or_else(|| missing("size"))?,
            },
            K::SetUsers => Action::SetUsers {
                component,
                users: r.users.ok_or_else(|| missing("users"))?,
            },
            K::SetRequestRate => Action::SetRequestRate {
                component,
                requests_per_s: r.requests_per_s.ok_or_else(|| missing("requests_per_s"))?,
            },
            K::Reshard => Action::Reshard {
                component,
                shards: r.shards.ok_or_else(|| missing("shards"))?,
            },
        })
    }
}

/// Only the version, read first so a newer file gets the right message
/// (every other field is skipped, whatever it holds).
#[derive(Deserialize)]
struct VersionProbe {
    version: Option<VersionValue>,
}

/// A version as written: a whole number, or anything else (refused with a message).
#[derive(Deserialize)]
#[serde(untagged)]
enum VersionValue {
    Number(u64),
    Other(serde::de::IgnoredAny),
}

impl Scenario {
    /// Scales the users components to a total offered load of `rps`: each
    /// keeps its share of the design's own load (an even split when the
    /// design offers none); the number of users stays, their rate changes.
    pub fn scale_users_to(&mut self, rps: f64) {
        let base = self.offered_rps();
        let n = self
            .components
            .iter()
            .filter(|c| matches!(c.spec, ComponentSpec::Users(_)))
            .count()
            .max(1) as f64;
        for c in &mut self.components {
            if let ComponentSpec::Users(u) = &mut c.spec {
                let share = if base > 0.0 {
                    u.offered_rps() / base
                } else {
                    1.0 / n
                };
                u.requests_per_user_per_s = rps * share / (u.users.max(1) as f64);
            }
        }
    }

    /// The design's total offered load, requests/s, over all users components.
    pub fn offered_rps(&self) -> f64 {
        self.components
            .iter()
            .filter_map(|c| match &c.spec {
                ComponentSpec::Users(u) => Some(u.offered_rps()),
                _ => None,
            })
            .sum()
    }

    /// Parses and validates a scenario. Errors name the line and column for
    /// syntax, the component and field for everything else.
    pub fn from_json(text: &str) -> Result<Scenario, SimError> {
        let parse_err = |e: serde_json::Error| SimError::Parse {
            line: e.line(),
            column: e.column(),
            message: plain_serde_message(&e),
        };
        let trimmed = text.trim_start();
        if trimmed.is_empty() {
            return Err(SimError::Parse {
                line: 0,
                column: 0,
                message: "the file is empty".into(),
            });
        }
        // Syntax first (with line and column), then the shape.
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(parse_err)?;
        if !trimmed.starts_with('{') {
            return Err(SimError::Parse {
                line: 1,
                column: 1,
                message: "a scenario is a JSON object `{ ... }`".into(),
            });
        }
        let v: VersionProbe = serde_json::from_str(text).map_err(parse_err)?;
        match v.version {
            None | Some(VersionValue::Other(_)) => {
                return Err(SimError::invalid(
                    "scenario",
                    "version",
                    "missing or not a whole number",
                ))
            }
            Some(VersionValue::Number(found)) if found != u64::from(crate::SCENARIO_VERSION) => {
                return Err(SimError::Version {
                    found: u32::try_from(found).unwrap_or(u32::MAX),
                })
            }
            Some(VersionValue::Number(_)) => {}
        }
        let scenario: Scenario = serde_json::from_str(text).map_err(parse_err)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Pretty JSON of the scenario.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every range and the graph. Called by [`Scenario::from_json`] and
    /// by [`crate::Simulation::new`], so a scenario built in code is checked too.
    pub fn validate(&self) -> Result<Graph, SimError> {
        validate::validate(self)
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }
}

fn plain_serde_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // serde appends " at line L column C"; we report those separately.
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}
