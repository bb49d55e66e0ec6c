//! The cost model: what a design costs per month at public cloud list prices,
//! line by line, and per million requests at its offered load. See docs/cost.md.
//!
//! Every price comes from one file, `crates/sim/data/prices.json` (named source
//! and date), turned into constants by build.rs; the instance-size ladder
//! ([`crate::sizes`]) reads its prices from the same list. A scenario may carry
//! its own `prices` (any field left out keeps the list price).
//!
//! Traffic volumes come from the analytic twin's steady-state rates at the
//! scenario's base offered load (load shapes and the fault timeline are
//! ignored: a month is priced at the design's nominal load), with the mean
//! sizes below.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analytic::analyze_with_rates;
use crate::error::SimError;
use crate::scenario::{ComponentSpec, Scenario};
use crate::sizes::InstanceSize;

include!(concat!(env!("OUT_DIR"), "/prices.rs"));

/// Where the list prices come from (from `data/prices.json`).
pub const PRICES_SOURCE: &str = PRICE_SOURCE;
/// The date the list prices were read (from `data/prices.json`).
pub const PRICES_AS_OF: &str = PRICE_AS_OF;

/// Mean size of a request sent to a data center, bytes (1 KiB: headers and a small body).
pub const REQUEST_BYTES: f64 = 1024.0;
/// Mean size of a dynamic response (read, write, async acknowledgement), bytes
/// (4 KiB: a compressed JSON or HTML fragment).
pub const RESPONSE_BYTES: f64 = 4.0 * 1024.0;
/// Mean size of a static object (image, script), bytes (50 KiB).
pub const STATIC_OBJECT_BYTES: f64 = 50.0 * 1024.0;
/// Mean size of one stored key's record (cache value, database row, replicated write), bytes (4 KiB).
pub const RECORD_BYTES: f64 = 4.0 * 1024.0;
/// Bytes in a GB as cloud bills count them (GiB).
pub const GB_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;
/// Queue API requests per async job: send, receive, delete.
pub const QUEUE_REQUESTS_PER_JOB: f64 = 3.0;

/// Hourly price of each instance size, US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SizePrices {
    /// `small` (1 core).
    pub small: f64,
    /// `medium` (2 cores).
    pub medium: f64,
    /// `large` (4 cores).
    pub large: f64,
    /// `xlarge` (8 cores).
    pub xlarge: f64,
    /// `x2large` (16 cores).
    pub x2large: f64,
}

impl Default for SizePrices {
    fn default() -> Self {
        Prices::LIST.instance_usd_per_hour
    }
}

/// A price list. In a scenario every field is optional: a missing one keeps
/// the list price of `data/prices.json`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Prices {
    /// Hours billed per month.
    pub hours_per_month: f64,
    /// Price of one instance per hour, by size (web, session store, cache node, database node, worker).
    pub instance_usd_per_hour: SizePrices,
    /// Cache memory, per GB held per month (on top of the cache nodes).
    pub cache_memory_usd_per_gb_month: f64,
    /// Database storage, per GB per month and node.
    pub storage_usd_per_gb_month: f64,
    /// Smallest storage volume per database node, GB.
    pub storage_min_gb_per_node: f64,
    /// CDN, per GB served to users.
    pub cdn_usd_per_gb: f64,
    /// CDN, per million requests.
    pub cdn_usd_per_million_requests: f64,
    /// Data sent from a data center to users on the internet, per GB.
    pub internet_egress_usd_per_gb: f64,
    /// Data sent between data centers (regions), per GB.
    pub transfer_between_dcs_usd_per_gb: f64,
    /// A load balancer, per hour.
    pub load_balancer_usd_per_hour: f64,
    /// DNS, per hosted zone and month.
    pub dns_usd_per_zone_month: f64,
    /// DNS, per million queries (geo routing).
    pub dns_usd_per_million_queries: f64,
    /// Message queue, per million API requests.
    pub queue_usd_per_million_requests: f64,
}

impl Default for Prices {
    fn default() -> Self {
        Prices::LIST
    }
}

impl Prices {
    /// The list prices of `data/prices.json`.
    pub const LIST: Prices = Prices {
        hours_per_month: PRICE_HOURS_PER_MONTH,
        instance_usd_per_hour: SizePrices {
            small: PRICE_INSTANCE_USD_PER_HOUR_SMALL,
            medium: PRICE_INSTANCE_USD_PER_HOUR_MEDIUM,
            large: PRICE_INSTANCE_USD_PER_HOUR_LARGE,
            xlarge: PRICE_INSTANCE_USD_PER_HOUR_XLARGE,
            x2large: PRICE_INSTANCE_USD_PER_HOUR_X2LARGE,
        },
        cache_memory_usd_per_gb_month: PRICE_CACHE_MEMORY_USD_PER_GB_MONTH,
        storage_usd_per_gb_month: PRICE_STORAGE_USD_PER_GB_MONTH,
        storage_min_gb_per_node: PRICE_STORAGE_MIN_GB_PER_NODE,
        cdn_usd_per_gb: PRICE_CDN_USD_PER_GB,
        cdn_usd_per_million_requests: PRICE_CDN_USD_PER_MILLION_REQUESTS,
        internet_egress_usd_per_gb: PRICE_INTERNET_EGRESS_USD_PER_GB,
        transfer_between_dcs_usd_per_gb: PRICE_TRANSFER_BETWEEN_DCS_USD_PER_GB,
        load_balancer_usd_per_hour: PRICE_LOAD_BALANCER_USD_PER_HOUR,
        dns_usd_per_zone_month: PRICE_DNS_USD_PER_ZONE_MONTH,
        dns_usd_per_million_queries: PRICE_DNS_USD_PER_MILLION_QUERIES,
        queue_usd_per_million_requests: PRICE_QUEUE_USD_PER_MILLION_REQUESTS,
    };

    /// Hourly price of one instance of `size`.
    pub fn instance_usd_per_hour(&self, size: InstanceSize) -> f64 {
        let p = &self.instance_usd_per_hour;
        match size {
            InstanceSize::Small => p.small,
            InstanceSize::Medium => p.medium,
            InstanceSize::Large => p.large,
            InstanceSize::Xlarge => p.xlarge,
            InstanceSize::X2large => p.x2large,
        }
    }

    /// Monthly price of one instance of `size`, rounded to the cent.
    pub fn instance_usd_per_month(&self, size: InstanceSize) -> f64 {
        cents(self.instance_usd_per_hour(size) * self.hours_per_month)
    }

    /// Seconds in a billed month.
    pub fn seconds_per_month(&self) -> f64 {
        self.hours_per_month * 3600.0
    }

    /// Checks every price: a finite number ≥ 0 (hours per month in (0, 744]).
    pub fn check(&self) -> Result<(), SimError> {
        for f in &PRICE_FIELDS {
            let v = f.get(self);
            if f.name == "hours_per_month" {
                if !(v.is_finite() && v > 0.0 && v <= 744.0) {
                    return Err(SimError::invalid(
                        "prices",
                        f.name,
                        format!("must be in (0, 744] (got {v})"),
                    ));
                }
            } else if !(v.is_finite() && (0.0..=MAX_PRICE_USD).contains(&v)) {
                return Err(SimError::invalid(
                    "prices",
                    f.name,
                    format!("must be a price between 0 and {MAX_PRICE_USD} (got {v})"),
                ));
            }
        }
        Ok(())
    }
}

/// One field of the price list: its path, its unit and where it lives
/// (the page's price editor and [`Prices::check`] walk [`PRICE_FIELDS`]).
#[derive(Debug, Clone, Copy)]
pub struct PriceField {
    /// Its path in the price list (`instance_usd_per_hour.medium`).
    pub name: &'static str,
    /// Its unit (`$/hour`, `$/GB`…).
    pub unit: &'static str,
    /// The field inside a price list.
    pub at: fn(&mut Prices) -> &mut f64,
}

impl PriceField {
    /// Its value in `prices`.
    pub fn get(&self, prices: &Prices) -> f64 {
        *(self.at)(&mut prices.clone())
    }
}

/// Every field of the price list, instance sizes first (smallest first).
pub const PRICE_FIELDS: [PriceField; 17] = [
    PriceField {
        name: "instance_usd_per_hour.small",
        unit: "$/hour",
        at: |p| &mut p.instance_usd_per_hour.small,
    },
    PriceField {
        name: "instance_usd_per_hour.medium",
        unit: "$/hour",
        at: |p| &mut p.instance_usd_per_hour.medium,
    },
    PriceField {
        name: "instance_usd_per_hour.large",
        unit: "$/hour",
        at: |p| &mut p.instance_usd_per_hour.large,
    },
    PriceField {
        name: "instance_usd_per_hour.xlarge",
        unit: "$/hour",
        at: |p| &mut p.instance_usd_per_hour.xlarge,
    },
    PriceField {
        name: "instance_usd_per_hour.x2large",
        unit: "$/hour",
        at: |p| &mut p.instance_usd_per_hour.x2large,
    },
    PriceField {
        name: "cache_memory_usd_per_gb_month",
        unit: "$/GB-month",
        at: |p| &mut p.cache_memory_usd_per_gb_month,
    },
    PriceField {
        name: "storage_usd_per_gb_month",
        unit: "$/GB-month",
        at: |p| &mut p.storage_usd_per_gb_month,
    },
    PriceField {
        name: "storage_min_gb_per_node",
        unit: "GB",
        at: |p| &mut p.storage_min_gb_per_node,
    },
    PriceField {
        name: "cdn_usd_per_gb",
        unit: "$/GB",
        at: |p| &mut p.cdn_usd_per_gb,
    },
    PriceField {
        name: "cdn_usd_per_million_requests",
        unit: "$/M req",
        at: |p| &mut p.cdn_usd_per_million_requests,
    },
    PriceField {
        name: "internet_egress_usd_per_gb",
        unit: "$/GB",
        at: |p| &mut p.internet_egress_usd_per_gb,
    },
    PriceField {
        name: "transfer_between_dcs_usd_per_gb",
        unit: "$/GB",
        at: |p| &mut p.transfer_between_dcs_usd_per_gb,
    },
    PriceField {
        name: "load_balancer_usd_per_hour",
        unit: "$/hour",
        at: |p| &mut p.load_balancer_usd_per_hour,
    },
    PriceField {
        name: "dns_usd_per_zone_month",
        unit: "$/zone-month",
        at: |p| &mut p.dns_usd_per_zone_month,
    },
    PriceField {
        name: "dns_usd_per_million_queries",
        unit: "$/M queries",
        at: |p| &mut p.dns_usd_per_million_queries,
    },
    PriceField {
        name: "queue_usd_per_million_requests",
        unit: "$/M req",
        at: |p| &mut p.queue_usd_per_million_requests,
    },
    PriceField {
        name: "hours_per_month",
        unit: "h",
        at: |p| &mut p.hours_per_month,
    },
];

/// Writes a scenario's `prices` with only the fields that differ from the
/// list (so a design keeps following the list for the rest); read back, the
/// missing fields take the list price again.
pub fn serialize_overrides<S: serde::Serializer>(
    prices: &Option<Prices>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let p = prices.unwrap_or(Prices::LIST);
    let mut sizes = std::collections::BTreeMap::new();
    let mut m = s.serialize_map(None)?;
    for f in &PRICE_FIELDS {
        let v = f.get(&p);
        if v.to_bits() == f.get(&Prices::LIST).to_bits() {
            continue;
        }
        match f.name.strip_prefix("instance_usd_per_hour.") {
            Some(size) => {
                sizes.insert(size, v);
            }
            None => m.serialize_entry(f.name, &v)?,
        }
    }
    if !sizes.is_empty() {
        m.serialize_entry("instance_usd_per_hour", &sizes)?;
    }
    m.end()
}

/// Largest accepted unit price, US dollars.
pub const MAX_PRICE_USD: f64 = 1_000_000.0;

fn cents(usd: f64) -> f64 {
    (usd * 100.0).round() / 100.0
}

/// What a cost line pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostItem {
    /// Instances (web, session store, cache nodes, database nodes, workers).
    Instances,
    /// Memory held by a cache.
    CacheMemory,
    /// Database storage volumes.
    Storage,
    /// Static bytes a CDN serves.
    CdnTransfer,
    /// Requests a CDN serves.
    CdnRequests,
    /// Responses sent from the data centers to users.
    InternetEgress,
    /// Bytes between data centers: writes replicated to the other data centers' databases, edges that cross.
    TransferBetweenDcs,
    /// Load balancer hours.
    LoadBalancer,
    /// DNS hosted zone.
    DnsZone,
    /// DNS queries.
    DnsQueries,
    /// Message queue API requests.
    QueueRequests,
}

/// One line of the bill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// The component it belongs to.
    pub component: String,
    /// What it pays for.
    pub item: CostItem,
    /// How much of it per month, in `unit`s.
    pub quantity: f64,
    /// The unit (`instance-month`, `GB`, `million requests`…).
    pub unit: String,
    /// Price of one unit, US dollars.
    pub unit_usd: f64,
    /// quantity × unit price, US dollars per month.
    pub usd_per_month: f64,
}

/// A design's monthly bill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostBreakdown {
    /// Every non-zero line, in component order.
    pub lines: Vec<CostLine>,
    /// The sum of the lines, US dollars per month.
    pub cost_usd_per_month: f64,
    /// The offered load the month is priced at, requests/s.
    pub offered_rps: f64,
    /// The monthly cost divided by the requests of a month at `offered_rps`,
    /// per million requests; `None` when there is no traffic.
    pub cost_usd_per_million_requests: Option<f64>,
    /// Where the list prices come from.
    pub prices_source: String,
    /// When the list prices were read.
    pub prices_as_of: String,
}

/// The monthly cost of `scenario` at its base offered load
/// ([`Scenario::offered_rps`]). `prices` is the base list; the scenario's
/// own `prices`, if any, replace it.
pub fn monthly_cost(scenario: &Scenario, prices: &Prices) -> Result<CostBreakdown, SimError> {
    let p = scenario.prices.as_ref().unwrap_or(prices);
    p.check()?;
    let (_, rates) = analyze_with_rates(scenario)?;
    let g = scenario.validate()?;
    let comps = &scenario.components;
    let month_s = p.seconds_per_month();
    let gb_per_month = |rps: f64, bytes: f64| rps * month_s * bytes / GB_BYTES;
    let mut lines = Vec::new();
    let mut line = |id: &str, item: CostItem, quantity: f64, unit: &str, unit_usd: f64| {
        let usd = quantity * unit_usd;
        if usd > 0.0 {
            lines.push(CostLine {
                component: id.to_string(),
                item,
                quantity,
                unit: unit.to_string(),
                unit_usd,
                usd_per_month: usd,
            });
        }
    };
    // Data centers that hold a database: each database replicates its writes to the others.
    let db_dcs: Vec<usize> = {
        let mut v: Vec<usize> = comps
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(
                    c.spec,
                    ComponentSpec::Database(_) | ComponentSpec::ShardedDatabase(_)
                )
            })
            .filter_map(|(i, _)| g.dc[i])
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let keys = scenario.workload.keys as f64;
    for (i, c) in comps.iter().enumerate() {
        let id = c.id.as_str();
        let instances = |n: u32, size: InstanceSize| (f64::from(n), p.instance_usd_per_month(size));
        let [_, _, wr, asy] = rates[i];
        match &c.spec {
            ComponentSpec::Users(u) => {
                let rate = u.offered_rps();
                let m = &u.mix;
                let tot = m.static_share + m.read + m.write + m.async_share;
                let static_rps = if tot > 0.0 {
                    rate * m.static_share / tot
                } else {
                    0.0
                };
                let via_cdn = g.out[i]
                    .iter()
                    .any(|&t| matches!(comps[t].spec, ComponentSpec::Cdn(_)));
                let egress_gb = gb_per_month(rate - static_rps, RESPONSE_BYTES)
                    + if via_cdn {
                        0.0
                    } else {
                        gb_per_month(static_rps, STATIC_OBJECT_BYTES)
                    };
                line(
                    id,
                    CostItem::InternetEgress,
                    egress_gb,
                    "GB",
                    p.internet_egress_usd_per_gb,
                );
            }
            ComponentSpec::Dns(d) => {
                line(id, CostItem::DnsZone, 1.0, "zone", p.dns_usd_per_zone_month);
                // Each user asks again when its cached answer expires (never more often than it sends requests).
                let qps: f64 = g.inn[i]
                    .iter()
                    .filter_map(|&u| match &comps[u].spec {
                        ComponentSpec::Users(us) => {
                            let per_user = if d.ttl_s > 0.0 {
                                us.requests_per_user_per_s.min(1.0 / d.ttl_s)
                            } else {
                                us.requests_per_user_per_s
                            };
                            Some(us.users as f64 * per_user)
                        }
                        _ => None,
                    })
                    .sum();
                line(
                    id,
                    CostItem::DnsQueries,
                    qps * month_s / 1e6,
                    "million queries",
                    p.dns_usd_per_million_queries,
                );
            }
            ComponentSpec::Cdn(_) => {
                let static_rps: f64 = g.inn[i]
                    .iter()
                    .filter_map(|&u| match &comps[u].spec {
                        ComponentSpec::Users(us) => {
                            let m = &us.mix;
                            let tot = m.static_share + m.read + m.write + m.async_share;
                            (tot > 0.0).then(|| us.offered_rps() * m.static_share / tot)
                        }
                        _ => None,
                    })
                    .sum();
                line(
                    id,
                    CostItem::CdnTransfer,
                    gb_per_month(static_rps, STATIC_OBJECT_BYTES),
                    "GB",
                    p.cdn_usd_per_gb,
                );
                line(
                    id,
                    CostItem::CdnRequests,
                    static_rps * month_s / 1e6,
                    "million requests",
                    p.cdn_usd_per_million_requests,
                );
            }
            ComponentSpec::LoadBalancer(_) => line(
                id,
                CostItem::LoadBalancer,
                p.hours_per_month,
                "hour",
                p.load_balancer_usd_per_hour,
            ),
            ComponentSpec::WebTier(w) => {
                let (q, u) = instances(w.instances, w.size);
                line(id, CostItem::Instances, q, "instance-month", u);
            }
            ComponentSpec::SessionStore(s) => {
                let (q, u) = instances(s.instances, s.size);
                line(id, CostItem::Instances, q, "instance-month", u);
            }
            ComponentSpec::Workers(w) => {
                let (q, u) = instances(w.instances, w.size);
                line(id, CostItem::Instances, q, "instance-month", u);
            }
            ComponentSpec::Cache(cs) => {
                let (q, u) = instances(cs.nodes, cs.size);
                line(id, CostItem::Instances, q, "instance-month", u);
                line(
                    id,
                    CostItem::CacheMemory,
                    cs.capacity_keys as f64 * RECORD_BYTES / GB_BYTES,
                    "GB-month",
                    p.cache_memory_usd_per_gb_month,
                );
            }
            ComponentSpec::Database(d) => {
                let nodes = 1 + d.replicas;
                let (q, u) = instances(nodes, d.size);
                line(id, CostItem::Instances, q, "instance-month", u);
                let per_node = (keys * RECORD_BYTES / GB_BYTES).max(p.storage_min_gb_per_node);
                line(
                    id,
                    CostItem::Storage,
                    per_node * f64::from(nodes),
                    "GB-month",
                    p.storage_usd_per_gb_month,
                );
            }
            ComponentSpec::ShardedDatabase(d) => {
                let (q, u) = instances(d.shards, d.size);
                line(id, CostItem::Instances, q, "instance-month", u);
                let per_node = (keys / f64::from(d.shards.max(1)) * RECORD_BYTES / GB_BYTES)
                    .max(p.storage_min_gb_per_node);
                line(
                    id,
                    CostItem::Storage,
                    per_node * f64::from(d.shards),
                    "GB-month",
                    p.storage_usd_per_gb_month,
                );
            }
            ComponentSpec::MessageQueue(_) => line(
                id,
                CostItem::QueueRequests,
                asy * QUEUE_REQUESTS_PER_JOB * month_s / 1e6,
                "million requests",
                p.queue_usd_per_million_requests,
            ),
            ComponentSpec::DataCenter(_) | ComponentSpec::Autoscaler(_) => {}
        }
        // Between data centers: a database's writes go to the databases of every
        // other data center (asynchronous replication); a request on an edge that
        // crosses data centers carries its request and response (the receiver's
        // load split evenly over its senders).
        let mut cross_gb = 0.0;
        if matches!(
            c.spec,
            ComponentSpec::Database(_) | ComponentSpec::ShardedDatabase(_)
        ) {
            if let Some(own) = g.dc[i] {
                let others = db_dcs.iter().filter(|&&d| d != own).count() as f64;
                cross_gb += gb_per_month(wr * others, RECORD_BYTES);
            }
        }
        for &t in &g.out[i] {
            if let (Some(a), Some(b)) = (g.dc[i], g.dc[t]) {
                if a != b {
                    let into_t: f64 = rates[t].iter().sum();
                    let senders = g.inn[t].len().max(1) as f64;
                    cross_gb += gb_per_month(into_t / senders, REQUEST_BYTES + RESPONSE_BYTES);
                }
            }
        }
        line(
            id,
            CostItem::TransferBetweenDcs,
            cross_gb,
            "GB",
            p.transfer_between_dcs_usd_per_gb,
        );
    }
    let total: f64 = lines.iter().map(|l| l.usd_per_month).sum();
    let offered = scenario.offered_rps();
    let per_million = (offered > 0.0).then(|| total / (offered * month_s / 1e6));
    Ok(CostBreakdown {
        lines,
        cost_usd_per_month: total,
        offered_rps: offered,
        cost_usd_per_million_requests: per_million,
        prices_source: PRICES_SOURCE.to_string(),
        prices_as_of: PRICES_AS_OF.to_string(),
    })
}

/// [`monthly_cost`] with the users scaled to a total offered load of `offered_rps`
/// (each users component keeps its share), as the page's traffic control does.
pub fn monthly_cost_at(
    scenario: &Scenario,
    prices: &Prices,
    offered_rps: f64,
) -> Result<CostBreakdown, SimError> {
    if !(offered_rps.is_finite() && offered_rps >= 0.0) {
        return Err(SimError::invalid(
            "traffic",
            "requests_per_s",
            format!("must be a rate ≥ 0 (got {offered_rps})"),
        ));
    }
    monthly_cost(&crate::sweep::at_load(scenario, offered_rps), prices)
}

/// One step of the vertical-scaling ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeRow {
    /// The size.
    pub size: InstanceSize,
    /// Cores per instance.
    pub cores: u32,
    /// Service speed per core relative to `small`.
    pub speed: f64,
    /// Capacity relative to one `small` instance (cores × speed).
    pub capacity: f64,
    /// Price per instance and month, US dollars.
    pub usd_per_month: f64,
    /// Price per unit of capacity (per `small`-equivalent), US dollars per month.
    pub usd_per_month_per_capacity: f64,
    /// The largest size there is: vertical scaling stops here.
    pub ceiling: bool,
}

/// The price curve along the size ladder and its ceiling, smallest first.
pub fn size_curve(prices: &Prices) -> Vec<SizeRow> {
    let last = InstanceSize::LADDER.len() - 1;
    InstanceSize::LADDER
        .iter()
        .enumerate()
        .map(|(k, &size)| {
            let sp = size.spec();
            let capacity = f64::from(sp.cores) * sp.speed;
            let usd = prices.instance_usd_per_month(size);
            SizeRow {
                size,
                cores: sp.cores,
                speed: sp.speed,
                capacity,
                usd_per_month: usd,
                usd_per_month_per_capacity: usd / capacity,
                ceiling: k == last,
            }
        })
        .collect()
}
