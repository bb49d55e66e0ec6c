//! Design review: what a reviewer would point at in a design — single points
//! of failure, a hot tier, slow health checks, sessions kept in web servers,
//! a skewed shard key — each as a [`Finding`] that names the component, says
//! why it matters (an i18n key with arguments, so the page can show it in
//! any language; [`Text::english`] for the CLI) and carries a [`Fix`]: a
//! deterministic edit of the design that removes the finding.
//!
//! Load-dependent findings (hot tier, a cache whose loss would overload the
//! database, shard skew) come from the analytic twin ([`crate::analyze`]) at
//! the design's own traffic.

use crate::analytic::{analyze, Analysis};
use crate::error::SimError;
use crate::scenario::{
    limits, ComponentSpec, DatabaseSpec, Edge, HealthCheck, Scenario, Sessions, ShardKey,
    StationSpec,
};
use crate::sizes::InstanceSize;
use crate::Component;
use serde::{Deserialize, Serialize};

/// Analytic utilization at or above which a tier is reported as hot.
pub const HOT_UTILIZATION: f64 = 0.8;
/// Utilization a hot tier's fix aims for.
pub const TARGET_UTILIZATION: f64 = 0.6;
/// Expected failure-detection delay (s) above which a load balancer counts
/// as having no useful health checks.
pub const SLOW_DETECTION_S: f64 = 30.0;
/// Busiest shard's load ÷ the average shard's load at or above which a shard key is skewed.
pub const SKEW_RATIO: f64 = 1.5;
/// Most designs the analytic twin is asked about while searching one fix.
const MAX_CANDIDATES: usize = 80;

/// What a finding is about. The order is the order findings are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The design's only data center (with geo-DNS in front): its loss takes everything down.
    SingleDataCenter,
    /// A web tier, session store or worker pool with one instance.
    SingleInstance,
    /// A database without a read replica (nothing to fail over to).
    NoReplica,
    /// A cache whose failure would send more reads to the database than it can serve.
    CacheOverloadsDatabase,
    /// A tier the analytic twin puts at or above [`HOT_UTILIZATION`].
    HotTier,
    /// A load balancer whose health checks take longer than [`SLOW_DETECTION_S`] to notice a dead server.
    NoHealthCheck,
    /// A stateful web tier with more than one instance: a crash logs users out.
    StatefulSessions,
    /// A sharded database whose range shard key puts far more load on one shard.
    ShardSkew,
}

impl FindingKind {
    /// The kind as written in JSON and in i18n keys (`single_instance`…).
    pub fn slug(self) -> &'static str {
        match self {
            FindingKind::SingleDataCenter => "single_data_center",
            FindingKind::SingleInstance => "single_instance",
            FindingKind::NoReplica => "no_replica",
            FindingKind::CacheOverloadsDatabase => "cache_overloads_database",
            FindingKind::HotTier => "hot_tier",
            FindingKind::NoHealthCheck => "no_health_check",
            FindingKind::StatefulSessions => "stateful_sessions",
            FindingKind::ShardSkew => "shard_skew",
        }
    }
}

/// A sentence for the learner: an i18n key (`static/i18n/*.json`) and its
/// arguments (`{0}`, `{1}`… in the text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Text {
    /// The i18n key, e.g. `review.single_instance`.
    pub key: String,
    /// The arguments, already formatted (names, whole numbers).
    pub args: Vec<String>,
}

impl Text {
    fn new(key: &str, args: Vec<String>) -> Text {
        Text {
            key: key.to_string(),
            args,
        }
    }

    /// The sentence in English (the same text as `static/i18n/en.json`).
    pub fn english(&self) -> String {
        self.render(None)
    }

    /// The text with `template` (a translation of [`Text::key`] with `{0}`,
    /// `{1}`… placeholders), or in English when there is none.
    pub fn render(&self, template: Option<&str>) -> String {
        let template = template
            .or_else(|| english_template(&self.key))
            .unwrap_or(&self.key);
        fill(template, &self.args)
    }
}

/// `template` with `{0}`, `{1}`… replaced by `args` (the placeholders of every
/// UI text: the page's i18n tables, the review, the report).
pub fn fill(template: &str, args: &[impl AsRef<str>]) -> String {
    let mut s = template.to_string();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a.as_ref());
    }
    s
}

/// The English text of every review key (the CLI prints these; a test holds
/// them equal to `static/i18n/en.json`).
pub const ENGLISH: [(&str, &str); 16] = [
    ("review.single_data_center", "{0} is the only data center: if it goes down, the whole site is down."),
    ("review.single_instance", "{0} runs on a single instance: when it fails, every request that needs it fails."),
    ("review.no_replica", "{0} has no replica: when it fails, every read and write fails and there is nothing to fail over to."),
    ("review.cache_overloads_database", "If {0} fails, {1} gets {2} % of the reads it can serve: it would be overloaded."),
    ("review.hot_tier", "{0} runs at {1} % of its capacity: near 100 % its queues and latency grow fast."),
    ("review.no_health_check", "{0} notices a dead server only after about {1} s and keeps sending it requests until then."),
    ("review.stateful_sessions", "{0} keeps sessions in its servers: when one fails, its users are logged out."),
    ("review.shard_skew", "{0}'s busiest shard gets {1}× the average shard's load: range keys put popular neighbouring keys together."),
    ("review.fix.second_data_center", "Add data center {1} in {2} with a copy of {0}'s components."),
    ("review.fix.instances", "Run {0} on {1} instances."),
    ("review.fix.replicas", "Set {0}'s read replicas to {1}."),
    ("review.fix.size", "Resize {0} to {1}."),
    ("review.fix.shards", "Split {0} into {1} shards."),
    ("review.fix.health_check", "Probe every {1} s and mark a server down after {2} failed probes."),
    ("review.fix.session_store", "Keep {0}'s sessions in a shared session store."),
    ("review.fix.hash_key", "Shard {0} by a hash of the key."),
];

fn english_template(key: &str) -> Option<&'static str> {
    ENGLISH.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// A deterministic edit of a design: components replaced (same id), components
/// added, edges added. Applying it to the design it was found in gives the
/// corrected design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, in a sentence.
    pub text: Text,
    /// Components replaced, matched by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub update: Vec<Component>,
    /// Components added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<Component>,
    /// Edges added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connect: Vec<Edge>,
}

impl Fix {
    fn update(text: Text, c: Component) -> Fix {
        Fix {
            text,
            update: vec![c],
            add: Vec::new(),
            connect: Vec::new(),
        }
    }

    /// The design with the fix applied (unknown ids in `update` are skipped,
    /// edges already there are not added twice).
    pub fn apply(&self, s: &Scenario) -> Scenario {
        let mut next = s.clone();
        for c in &self.update {
            if let Some(slot) = next.components.iter_mut().find(|x| x.id == c.id) {
                *slot = c.clone();
            }
        }
        next.components.extend(self.add.iter().cloned());
        for e in &self.connect {
            if !next.edges.iter().any(|x| x.from == e.from && x.to == e.to) {
                next.edges.push(e.clone());
            }
        }
        next
    }

    /// The one component this fix replaces, when that is all it does (the
    /// page applies it as an ordinary "update component" edit).
    pub fn single_update(&self) -> Option<&Component> {
        match (
            &self.update[..],
            self.add.is_empty(),
            self.connect.is_empty(),
        ) {
            ([c], true, true) => Some(c),
            _ => None,
        }
    }
}

/// One thing the review found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What it is about.
    pub kind: FindingKind,
    /// The component it names (id).
    pub component: String,
    /// Why it matters, in a sentence.
    pub reason: Text,
    /// The edit that removes it.
    pub fix: Fix,
}

/// Reviews a design: every finding, ordered by kind, then by the component's
/// place in the design. A finding is listed only with a fix that validates.
pub fn review(s: &Scenario) -> Result<Vec<Finding>, SimError> {
    s.validate()?;
    let analysis = analyze(s)?;
    let mut found: Vec<(usize, Finding)> = Vec::new();
    for (i, c) in s.components.iter().enumerate() {
        let mut push = |f: Option<Finding>| {
            if let Some(f) = f {
                found.push((i, f));
            }
        };
        push(single_data_center(s, c));
        push(single_instance(s, c));
        push(no_replica(c));
        push(cache_overloads_database(s, c));
        push(hot_tier(s, &analysis, c));
        push(no_health_check(c));
        push(stateful_sessions(s, c));
        push(shard_skew(s, &analysis, c));
    }
    found.retain(|(_, f)| f.fix.apply(s).validate().is_ok());
    found.sort_by_key(|(i, f)| (f.kind, *i));
    Ok(found.into_iter().map(|(_, f)| f).collect())
}

/// The component's label, or its id when it has none.
fn name(c: &Component) -> String {
    if c.label.trim().is_empty() {
        c.id.clone()
    } else {
        c.label.clone()
    }
}

fn pct(u: f64) -> String {
    format!("{:.0}", u * 100.0)
}

fn finding(kind: FindingKind, c: &Component, args: Vec<String>, fix: Fix) -> Finding {
    Finding {
        kind,
        component: c.id.clone(),
        reason: Text::new(&format!("review.{}", kind.slug()), args),
        fix,
    }
}

/// An id not yet used in `s` (nor in `taken`), starting from `base`.
fn fresh_id(s: &Scenario, taken: &[String], base: &str) -> String {
    let used = |id: &str| s.component(id).is_some() || taken.iter().any(|t| t == id);
    if !used(base) {
        return base.to_string();
    }
    (2u32..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !used(id))
        .unwrap_or_else(|| base.to_string())
}

fn single_data_center(s: &Scenario, c: &Component) -> Option<Finding> {
    let ComponentSpec::DataCenter(dc) = &c.spec else {
        return None;
    };
    let dcs = s
        .components
        .iter()
        .filter(|x| matches!(x.spec, ComponentSpec::DataCenter(_)))
        .count();
    if dcs != 1 {
        return None;
    }
    let in_dc = |id: &str| s.component(id).and_then(|x| x.dc.as_deref()) == Some(&c.id);
    let is_dns = |id: &str| {
        s.component(id)
            .is_some_and(|x| matches!(x.spec, ComponentSpec::Dns(_)))
    };
    // Geo-DNS in front: a copy can take the users when this one is lost.
    if !s.edges.iter().any(|e| is_dns(&e.from) && in_dc(&e.to)) {
        return None;
    }
    let group: Vec<&Component> = s.components.iter().filter(|x| in_dc(&x.id)).collect();
    let mut taken = Vec::new();
    let mut renamed: Vec<(String, String)> = Vec::new();
    let dc_id = fresh_id(s, &taken, &format!("{}-2", c.id));
    taken.push(dc_id.clone());
    for x in &group {
        let id = fresh_id(s, &taken, &format!("{}-2", x.id));
        taken.push(id.clone());
        renamed.push((x.id.clone(), id));
    }
    let new_of = |id: &str| {
        renamed
            .iter()
            .find(|(o, _)| o == id)
            .map(|(_, n)| n.clone())
    };
    // A region with users but no data center yet, else a new one.
    let served: Vec<&str> = s
        .components
        .iter()
        .filter_map(|x| match &x.spec {
            ComponentSpec::DataCenter(d) => Some(d.region.as_str()),
            _ => None,
        })
        .collect();
    let region = s
        .components
        .iter()
        .filter_map(|x| match &x.spec {
            ComponentSpec::Users(u) => u.region.as_deref(),
            _ => None,
        })
        .find(|r| !served.contains(r))
        .map_or_else(|| format!("{}-2", dc.region), str::to_string);
    // Below the original: its height plus a gap.
    let ys: Vec<f64> = std::iter::once(c)
        .chain(group.iter().copied())
        .filter_map(|x| x.pos.map(|p| p.1))
        .collect();
    let dy = match (
        ys.iter().copied().reduce(f64::min),
        ys.iter().copied().reduce(f64::max),
    ) {
        (Some(lo), Some(hi)) => hi - lo + 180.0,
        _ => 0.0,
    };
    let shift = |p: Option<(f64, f64)>| p.map(|(x, y)| (x, y + dy));
    let label = |x: &Component, n: &str| {
        if x.label.trim().is_empty() {
            String::new()
        } else {
            format!("{} ({n})", x.label)
        }
    };
    let mut add = vec![Component {
        id: dc_id.clone(),
        label: label(c, &region),
        dc: None,
        pos: shift(c.pos),
        spec: ComponentSpec::DataCenter(crate::scenario::DataCenterSpec {
            region: region.clone(),
        }),
    }];
    for x in &group {
        let mut spec = x.spec.clone();
        if let ComponentSpec::Autoscaler(a) = &mut spec {
            if let Some(t) = new_of(&a.target) {
                a.target = t;
            }
        }
        add.push(Component {
            id: new_of(&x.id).unwrap_or_default(),
            label: label(x, &region),
            dc: Some(dc_id.clone()),
            pos: shift(x.pos),
            spec,
        });
    }
    let connect = s
        .edges
        .iter()
        .filter_map(|e| match (new_of(&e.from), new_of(&e.to)) {
            (Some(f), Some(t)) => Some(Edge {
                from: f,
                to: t,
                latency_ms: e.latency_ms,
            }),
            (None, Some(t)) if is_dns(&e.from) => Some(Edge {
                from: e.from.clone(),
                to: t,
                latency_ms: e.latency_ms,
            }),
            (Some(f), None) => Some(Edge {
                from: f,
                to: e.to.clone(),
                latency_ms: e.latency_ms,
            }),
            _ => None,
        })
        .collect();
    let text = Text::new(
        "review.fix.second_data_center",
        vec![name(c), dc_id.clone(), region],
    );
    Some(finding(
        FindingKind::SingleDataCenter,
        c,
        vec![name(c)],
        Fix {
            text,
            update: Vec::new(),
            add,
            connect,
        },
    ))
}

/// The autoscaler that scales `id`, if any.
fn autoscaler_of<'a>(s: &'a Scenario, id: &str) -> Option<&'a Component> {
    s.components
        .iter()
        .find(|x| matches!(&x.spec, ComponentSpec::Autoscaler(a) if a.target == id))
}

/// `c` with its instance count (instances, cache nodes) set to `n`.
fn with_instances(c: &Component, n: u32) -> Component {
    let mut c = c.clone();
    match &mut c.spec {
        ComponentSpec::WebTier(w) => w.instances = n,
        ComponentSpec::SessionStore(StationSpec { instances, .. }) => *instances = n,
        ComponentSpec::Workers(w) => w.instances = n,
        ComponentSpec::Cache(k) => k.nodes = n,
        _ => {}
    }
    c
}

fn instances_of(c: &Component) -> Option<u32> {
    match &c.spec {
        ComponentSpec::WebTier(w) => Some(w.instances),
        ComponentSpec::SessionStore(st) => Some(st.instances),
        ComponentSpec::Workers(w) => Some(w.instances),
        ComponentSpec::Cache(k) => Some(k.nodes),
        _ => None,
    }
}

/// A fix that sets `c`'s instances to `n`, raising its autoscaler's bounds to match.
fn set_instances_fix(s: &Scenario, c: &Component, n: u32) -> Fix {
    let mut fix = Fix::update(
        Text::new("review.fix.instances", vec![name(c), n.to_string()]),
        with_instances(c, n),
    );
    if let Some(a) = autoscaler_of(s, &c.id) {
        let mut a = a.clone();
        if let ComponentSpec::Autoscaler(spec) = &mut a.spec {
            if spec.min < n {
                spec.min = n;
                spec.max = spec.max.max(n);
                fix.update.push(a);
            }
        }
    }
    fix
}

fn single_instance(s: &Scenario, c: &Component) -> Option<Finding> {
    if matches!(c.spec, ComponentSpec::Cache(_)) || instances_of(c)? != 1 {
        return None;
    }
    let scaled = autoscaler_of(s, &c.id)
        .is_some_and(|a| matches!(&a.spec, ComponentSpec::Autoscaler(a) if a.min >= 2));
    if scaled {
        return None;
    }
    Some(finding(
        FindingKind::SingleInstance,
        c,
        vec![name(c)],
        set_instances_fix(s, c, 2),
    ))
}

fn with_db(c: &Component, f: impl FnOnce(&mut DatabaseSpec)) -> Component {
    let mut c = c.clone();
    if let ComponentSpec::Database(d) = &mut c.spec {
        f(d);
    }
    c
}

fn no_replica(c: &Component) -> Option<Finding> {
    let ComponentSpec::Database(d) = &c.spec else {
        return None;
    };
    if d.replicas > 0 {
        return None;
    }
    let fix = Fix::update(
        Text::new("review.fix.replicas", vec![name(c), "1".into()]),
        with_db(c, |d| d.replicas = 1),
    );
    Some(finding(FindingKind::NoReplica, c, vec![name(c)], fix))
}

/// The highest analytic utilization among `id`'s stations.
fn utilization(a: &Analysis, id: &str) -> Option<f64> {
    a.stations
        .iter()
        .filter(|st| {
            st.id == id
                || st
                    .id
                    .strip_prefix(id)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .map(|st| st.utilization)
        .reduce(f64::max)
}

/// `s` as if cache `cache` were down: its senders talk to the database behind it.
fn without_cache(s: &Scenario, cache: &str, db: &str) -> Scenario {
    let mut next = s.clone();
    // Its timeline may name the cache; only the steady state matters here.
    next.timeline.clear();
    next.components.retain(|c| c.id != cache);
    let mut edges: Vec<Edge> = Vec::new();
    for e in &s.edges {
        if e.from == cache {
            continue;
        }
        let mut e = e.clone();
        if e.to == cache {
            e.to = db.to_string();
        }
        if !edges.iter().any(|x| x.from == e.from && x.to == e.to) {
            edges.push(e);
        }
    }
    next.edges = edges;
    next
}

/// Candidate versions of a database or sharded database that serve more:
/// more replicas (or shards), then bigger sizes. Bounded in number.
fn db_candidates(c: &Component, writes_bound: bool) -> Vec<(Component, Text)> {
    let mut out = Vec::new();
    match &c.spec {
        ComponentSpec::Database(d) => {
            if !writes_bound {
                for r in d.replicas + 1..=64 {
                    out.push((
                        with_db(c, |d| d.replicas = r),
                        Text::new("review.fix.replicas", vec![name(c), r.to_string()]),
                    ));
                }
            }
            for size in InstanceSize::LADDER.into_iter().filter(|z| *z > d.size) {
                out.push((
                    with_db(c, |d| d.size = size),
                    Text::new("review.fix.size", vec![name(c), size_name(size)]),
                ));
            }
        }
        ComponentSpec::ShardedDatabase(d) => {
            let mut n = d.shards;
            while n < 256 {
                n = (n * 2).min(256);
                let mut x = c.clone();
                if let ComponentSpec::ShardedDatabase(d) = &mut x.spec {
                    d.shards = n;
                }
                out.push((
                    x,
                    Text::new("review.fix.shards", vec![name(c), n.to_string()]),
                ));
            }
            for size in InstanceSize::LADDER.into_iter().filter(|z| *z > d.size) {
                let mut x = c.clone();
                if let ComponentSpec::ShardedDatabase(d) = &mut x.spec {
                    d.size = size;
                }
                out.push((
                    x,
                    Text::new("review.fix.size", vec![name(c), size_name(size)]),
                ));
            }
        }
        _ => {}
    }
    out
}

fn size_name(z: InstanceSize) -> String {
    serde_json::to_value(z)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The first candidate (replacing component `id` in `base`) whose analytic
/// utilization for `id` is below `below`.
fn first_fit(
    base: &Scenario,
    id: &str,
    candidates: Vec<(Component, Text)>,
    below: f64,
) -> Option<(Component, Text)> {
    candidates.into_iter().take(MAX_CANDIDATES).find(|(c, _)| {
        let mut probe = base.clone();
        if let Some(slot) = probe.components.iter_mut().find(|x| x.id == id) {
            *slot = c.clone();
        }
        analyze(&probe)
            .ok()
            .and_then(|a| utilization(&a, id))
            .is_some_and(|u| u < below)
    })
}

fn cache_overloads_database(s: &Scenario, c: &Component) -> Option<Finding> {
    if !matches!(c.spec, ComponentSpec::Cache(_)) {
        return None;
    }
    let db_id = s.edges.iter().find(|e| e.from == c.id)?.to.clone();
    let db = s.component(&db_id)?;
    let down = without_cache(s, &c.id, &db_id);
    let u = utilization(&analyze(&down).ok()?, &db_id)?;
    if u < 1.0 {
        return None;
    }
    let (fixed, text) = first_fit(&down, &db_id, db_candidates(db, false), HOT_UTILIZATION)?;
    Some(finding(
        FindingKind::CacheOverloadsDatabase,
        c,
        vec![name(c), name(db), pct(u)],
        Fix::update(text, fixed),
    ))
}

fn hot_tier(s: &Scenario, a: &Analysis, c: &Component) -> Option<Finding> {
    let u = utilization(a, &c.id)?;
    if u < HOT_UTILIZATION {
        return None;
    }
    let fix = match &c.spec {
        ComponentSpec::Database(_) | ComponentSpec::ShardedDatabase(_) => {
            // A primary that is hot with replicas serves writes only: more replicas do not help.
            let writes_bound = a.stations.iter().any(|st| {
                st.id == format!("{}/primary", c.id) && st.utilization >= HOT_UTILIZATION
            });
            let (fixed, text) =
                first_fit(s, &c.id, db_candidates(c, writes_bound), TARGET_UTILIZATION).or_else(
                    || first_fit(s, &c.id, db_candidates(c, writes_bound), HOT_UTILIZATION),
                )?;
            Fix::update(text, fixed)
        }
        _ => {
            let n = instances_of(c)?;
            let want = (f64::from(n) * u / TARGET_UTILIZATION).ceil();
            let want = if want.is_finite() {
                (want as u32).clamp(n + 1, limits::INSTANCES)
            } else {
                limits::INSTANCES
            };
            if want <= n {
                return None;
            }
            let fix = set_instances_fix(s, c, want);
            let cooled = analyze(&fix.apply(s))
                .ok()
                .and_then(|a| utilization(&a, &c.id))
                .is_some_and(|u| u < HOT_UTILIZATION);
            if !cooled {
                return None;
            }
            fix
        }
    };
    Some(finding(FindingKind::HotTier, c, vec![name(c), pct(u)], fix))
}

/// Expected time (s) for a load balancer to notice a server that died at a random moment.
pub fn detection_delay_s(h: &HealthCheck) -> f64 {
    (f64::from(h.threshold.max(1)) - 1.0) * h.interval_ms / 1000.0 + h.interval_ms / 2000.0
}

fn no_health_check(c: &Component) -> Option<Finding> {
    let ComponentSpec::LoadBalancer(lb) = &c.spec else {
        return None;
    };
    let delay = detection_delay_s(&lb.health_check);
    if delay <= SLOW_DETECTION_S {
        return None;
    }
    let good = HealthCheck::default();
    let mut fixed = c.clone();
    if let ComponentSpec::LoadBalancer(l) = &mut fixed.spec {
        l.health_check = good;
    }
    let text = Text::new(
        "review.fix.health_check",
        vec![
            name(c),
            format!("{}", good.interval_ms / 1000.0),
            good.threshold.to_string(),
        ],
    );
    Some(finding(
        FindingKind::NoHealthCheck,
        c,
        vec![name(c), format!("{delay:.0}")],
        Fix::update(text, fixed),
    ))
}

fn stateful_sessions(s: &Scenario, c: &Component) -> Option<Finding> {
    let ComponentSpec::WebTier(w) = &c.spec else {
        return None;
    };
    if w.sessions != Sessions::Stateful || w.instances < 2 {
        return None;
    }
    let mut fixed = c.clone();
    if let ComponentSpec::WebTier(w) = &mut fixed.spec {
        w.sessions = Sessions::Stateless;
    }
    let text = Text::new("review.fix.session_store", vec![name(c)]);
    let has_store = s.edges.iter().any(|e| {
        e.from == c.id
            && s.component(&e.to)
                .is_some_and(|t| matches!(t.spec, ComponentSpec::SessionStore(_)))
    });
    let mut fix = Fix::update(text, fixed);
    if !has_store {
        // A store of two instances, so the fix adds no single point of failure.
        let id = fresh_id(s, &[], "sessions");
        fix.add.push(Component {
            id: id.clone(),
            label: "Session store".into(),
            dc: c.dc.clone(),
            pos: c.pos.map(|(x, y)| (x, y + 140.0)),
            spec: ComponentSpec::SessionStore(StationSpec {
                instances: 2,
                size: InstanceSize::Large,
                service: crate::dist::Distribution::Exponential { mean_ms: 0.3 },
                queue_capacity: 200,
            }),
        });
        fix.connect.push(Edge {
            from: c.id.clone(),
            to: id,
            latency_ms: None,
        });
    }
    Some(finding(
        FindingKind::StatefulSessions,
        c,
        vec![name(c)],
        fix,
    ))
}

/// Busiest shard's arrival rate ÷ the mean shard's, from the analysis.
fn shard_ratio(a: &Analysis, id: &str) -> Option<f64> {
    let prefix = format!("{id}/shard-");
    let rates: Vec<f64> = a
        .stations
        .iter()
        .filter(|st| st.id.starts_with(&prefix))
        .map(|st| st.arrival_rps)
        .collect();
    let mean = rates.iter().sum::<f64>() / rates.len().max(1) as f64;
    let max = rates.iter().copied().reduce(f64::max)?;
    (mean > 0.0).then(|| max / mean)
}

fn shard_skew(s: &Scenario, a: &Analysis, c: &Component) -> Option<Finding> {
    let ComponentSpec::ShardedDatabase(d) = &c.spec else {
        return None;
    };
    if d.shard_key != ShardKey::Range {
        // A hash already spreads keys evenly; one celebrity key is not a shard-key choice.
        return None;
    }
    let ratio = shard_ratio(a, &c.id)?;
    if ratio < SKEW_RATIO {
        return None;
    }
    let mut fixed = c.clone();
    if let ComponentSpec::ShardedDatabase(d) = &mut fixed.spec {
        d.shard_key = ShardKey::Hash;
    }
    let fix = Fix::update(Text::new("review.fix.hash_key", vec![name(c)]), fixed);
    let evened = analyze(&fix.apply(s))
        .ok()
        .and_then(|a| shard_ratio(&a, &c.id))
        .is_some_and(|r| r < SKEW_RATIO);
    if !evened {
        return None;
    }
    Some(finding(
        FindingKind::ShardSkew,
        c,
        vec![name(c), format!("{ratio:.1}")],
        fix,
    ))
}
