//! Design review: each finding kind has a design that triggers it, and
//! applying its fix removes that finding and leaves a valid design.

use scalelab_sim::presets;
use scalelab_sim::review::{review, Finding, FindingKind, ENGLISH, HOT_UTILIZATION};
use scalelab_sim::scenario::{ComponentSpec, Sessions, ShardKey};
use scalelab_sim::{analyze, Scenario};

mod common;
use common::{preset as stage, spec_mut};

fn find(findings: &[Finding], kind: FindingKind, id: &str) -> Option<Finding> {
    findings
        .iter()
        .find(|f| f.kind == kind && f.component == id)
        .cloned()
}

/// The design triggers `kind` on `id`; its fix validates and removes it.
fn fix_removes(s: &Scenario, kind: FindingKind, id: &str) -> Scenario {
    let before = review(s).expect("reviewable");
    let f =
        find(&before, kind, id).unwrap_or_else(|| panic!("no {kind:?} on {id}; found {before:#?}"));
    let fixed = f.fix.apply(s);
    let text = fixed.to_json();
    let reloaded = Scenario::from_json(&text).expect("the fixed design validates");
    let after = review(&reloaded).expect("reviewable");
    assert!(
        find(&after, kind, id).is_none(),
        "{kind:?} on {id} is still there after {:?}",
        f.fix.text.english()
    );
    reloaded
}

#[test]
fn single_data_center_fix_adds_a_second_one_behind_the_dns() {
    // Stage 9 without its west data center.
    let mut s = stage("09-data-centers.json");
    let west = ["west", "lb-west", "web-west", "db-west"];
    s.components.retain(|c| !west.contains(&c.id.as_str()));
    s.edges
        .retain(|e| !west.contains(&e.from.as_str()) && !west.contains(&e.to.as_str()));
    s.timeline.clear();
    s.validate().expect("one data center is a valid design");
    let fixed = fix_removes(&s, FindingKind::SingleDataCenter, "east");
    let dcs: Vec<_> = fixed
        .components
        .iter()
        .filter_map(|c| match &c.spec {
            ComponentSpec::DataCenter(d) => Some(d.region.clone()),
            _ => None,
        })
        .collect();
    // The west users had no data center of their own: the copy goes there.
    assert_eq!(dcs, ["us-east", "us-west"]);
    let copies = fixed
        .components
        .iter()
        .filter(|c| c.dc.as_deref() == Some("east-2"))
        .count();
    assert_eq!(copies, 3, "LB, web tier and database copied");
    assert!(fixed
        .edges
        .iter()
        .any(|e| e.from == "dns" && e.to == "lb-east-2"));
    // Stage 9 itself has two data centers: no such finding.
    let stage9 = review(&stage("09-data-centers.json")).unwrap();
    assert!(stage9
        .iter()
        .all(|f| f.kind != FindingKind::SingleDataCenter));
}

#[test]
fn single_instance_fix_runs_two() {
    // Stage 8's session store has one instance.
    let s = stage("08-stateless-web.json");
    let fixed = fix_removes(&s, FindingKind::SingleInstance, "sessions");
    match &fixed.component("sessions").unwrap().spec {
        ComponentSpec::SessionStore(st) => assert_eq!(st.instances, 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_database_without_replica_gets_one() {
    let s = stage("04-load-balancer.json");
    let fixed = fix_removes(&s, FindingKind::NoReplica, "db");
    match &fixed.component("db").unwrap().spec {
        ComponentSpec::Database(d) => assert_eq!(d.replicas, 1),
        other => panic!("{other:?}"),
    }
    // The fix is one ordinary component update.
    let f = find(&review(&s).unwrap(), FindingKind::NoReplica, "db").unwrap();
    assert_eq!(f.fix.single_update().map(|c| c.id.as_str()), Some("db"));
}

#[test]
fn a_cache_whose_loss_overloads_the_database() {
    // Stage 6: 1,080 reads/s; without the cache the one large replica
    // (4 cores x 1.1 / 5 ms = 880 reads/s) would be overloaded.
    let s = stage("06-cache.json");
    let f = find(
        &review(&s).unwrap(),
        FindingKind::CacheOverloadsDatabase,
        "cache",
    )
    .expect("stage 6's cache is load-bearing");
    assert_eq!(f.reason.args[0], "Cache");
    assert_eq!(f.reason.args[1], "Database");
    let pct: f64 = f.reason.args[2].parse().unwrap();
    assert!(pct >= 100.0, "{pct}");
    let fixed = fix_removes(&s, FindingKind::CacheOverloadsDatabase, "cache");
    // The fix is more replicas, enough that the database survives without the cache.
    let ComponentSpec::Database(d) = &fixed.component("db").unwrap().spec else {
        panic!()
    };
    assert!(d.replicas >= 2, "{}", d.replicas);
    // A small read load does not make the cache load-bearing.
    let mut light = s.clone();
    if let ComponentSpec::Users(u) = spec_mut(&mut light, "users") {
        u.users = 1000;
    }
    let found = review(&light).unwrap();
    assert!(find(&found, FindingKind::CacheOverloadsDatabase, "cache").is_none());
}

#[test]
fn a_hot_tier_is_scaled_to_the_target_utilization() {
    // Stage 4 with the users scaled so the web tier is at 90 %.
    let mut s = stage("04-load-balancer.json");
    let u0 = analyze(&s).unwrap().stations[0].utilization;
    if let ComponentSpec::Users(u) = spec_mut(&mut s, "users") {
        u.users = (u.users as f64 * 0.9 / u0).round() as u64;
    }
    let a = analyze(&s).unwrap();
    let web = a.stations.iter().find(|st| st.id == "web").unwrap();
    assert!(web.utilization >= HOT_UTILIZATION, "{}", web.utilization);
    let f = find(&review(&s).unwrap(), FindingKind::HotTier, "web").unwrap();
    assert_eq!(f.reason.args[1], format!("{:.0}", web.utilization * 100.0));
    let fixed = fix_removes(&s, FindingKind::HotTier, "web");
    let after = analyze(&fixed).unwrap();
    let web = after.stations.iter().find(|st| st.id == "web").unwrap();
    assert!(web.utilization <= 0.6 + 1e-9, "{}", web.utilization);
    // Below the threshold: not hot.
    let calm = review(&stage("04-load-balancer.json")).unwrap();
    assert!(calm.iter().all(|f| f.kind != FindingKind::HotTier));
}

#[test]
fn a_hot_database_gets_replicas_or_a_bigger_size() {
    // Stage 2's database at four times the load.
    let mut s = stage("02-separate-database.json");
    let users = s
        .components
        .iter()
        .find(|c| matches!(c.spec, ComponentSpec::Users(_)))
        .unwrap()
        .id
        .clone();
    let db = s
        .components
        .iter()
        .find(|c| matches!(c.spec, ComponentSpec::Database(_)))
        .unwrap()
        .id
        .clone();
    for factor in [1u64, 2, 4, 8] {
        let mut t = s.clone();
        if let ComponentSpec::Users(u) = spec_mut(&mut t, &users) {
            u.users *= factor;
        }
        let a = analyze(&t).unwrap();
        let hot = a
            .stations
            .iter()
            .any(|st| st.id.starts_with(&db) && st.utilization >= HOT_UTILIZATION);
        if hot {
            fix_removes(&t, FindingKind::HotTier, &db);
            s = t;
            break;
        }
    }
    let a = analyze(&s).unwrap();
    assert!(
        a.stations
            .iter()
            .any(|st| st.id.starts_with(&db) && st.utilization >= HOT_UTILIZATION),
        "no load made the database hot"
    );
}

#[test]
fn slow_health_checks_are_replaced_by_the_default_ones() {
    let mut s = stage("04-load-balancer.json");
    if let ComponentSpec::LoadBalancer(l) = spec_mut(&mut s, "lb") {
        l.health_check.interval_ms = 60_000.0;
    }
    let f = find(&review(&s).unwrap(), FindingKind::NoHealthCheck, "lb").unwrap();
    // (3 - 1) x 60 s + 30 s.
    assert_eq!(f.reason.args[1], "150");
    fix_removes(&s, FindingKind::NoHealthCheck, "lb");
    // Stage 4's own checks notice a dead server in 5 s: fine.
    let ok = review(&stage("04-load-balancer.json")).unwrap();
    assert!(find(&ok, FindingKind::NoHealthCheck, "lb").is_none());
}

#[test]
fn sessions_in_web_servers_move_to_a_shared_store() {
    let mut s = stage("04-load-balancer.json");
    if let ComponentSpec::WebTier(w) = spec_mut(&mut s, "web") {
        w.sessions = Sessions::Stateful;
    }
    let fixed = fix_removes(&s, FindingKind::StatefulSessions, "web");
    let store = fixed
        .components
        .iter()
        .find(|c| matches!(c.spec, ComponentSpec::SessionStore(_)))
        .expect("a session store was added");
    assert!(fixed
        .edges
        .iter()
        .any(|e| e.from == "web" && e.to == store.id));
    // The added store is no new single point of failure.
    let after = review(&fixed).unwrap();
    assert!(find(&after, FindingKind::SingleInstance, &store.id).is_none());
    // One stateful instance has no one to lose sessions to.
    let mut one = s.clone();
    one.timeline.clear();
    if let ComponentSpec::WebTier(w) = spec_mut(&mut one, "web") {
        w.instances = 1;
    }
    assert!(find(&review(&one).unwrap(), FindingKind::StatefulSessions, "web").is_none());
}

#[test]
fn a_range_shard_key_on_popular_keys_is_skewed() {
    let mut s = stage("12-sharding.json");
    s.workload.hot_key_share = 0.0;
    s.workload.zipf_s = 0.9;
    if let ComponentSpec::ShardedDatabase(d) = spec_mut(&mut s, "shards") {
        d.shard_key = ShardKey::Range;
    }
    let f = find(&review(&s).unwrap(), FindingKind::ShardSkew, "shards").unwrap();
    let ratio: f64 = f.reason.args[1].parse().unwrap();
    assert!(ratio >= 1.5, "{ratio}");
    let fixed = fix_removes(&s, FindingKind::ShardSkew, "shards");
    let ComponentSpec::ShardedDatabase(d) = &fixed.component("shards").unwrap().spec else {
        panic!()
    };
    assert_eq!(d.shard_key, ShardKey::Hash);
}

#[test]
fn every_fix_on_every_stage_removes_its_finding() {
    let mut kinds = std::collections::BTreeSet::new();
    for (file, _) in presets::ALL {
        let s = stage(file);
        let findings = review(&s).unwrap();
        for f in &findings {
            kinds.insert(f.kind);
            let fixed = f.fix.apply(&s);
            fixed
                .validate()
                .unwrap_or_else(|e| panic!("{file}: {:?} fix invalid: {e}", f.kind));
            let after = review(&fixed).unwrap();
            assert!(
                find(&after, f.kind, &f.component).is_none(),
                "{file}: {:?} on {} survives its fix",
                f.kind,
                f.component
            );
        }
    }
    assert!(kinds.len() >= 3, "{kinds:?}");
}

#[test]
fn findings_are_ordered_and_deterministic() {
    for (file, _) in presets::ALL {
        let s = stage(file);
        let a = review(&s).unwrap();
        assert_eq!(a, review(&s).unwrap(), "{file}");
        let index = |id: &str| s.components.iter().position(|c| c.id == id).unwrap();
        for w in a.windows(2) {
            assert!(
                (w[0].kind, index(&w[0].component)) < (w[1].kind, index(&w[1].component)),
                "{file}: {:?} before {:?}",
                w[0],
                w[1]
            );
        }
    }
    // Stage 1: one web server, no replica.
    let s1 = review(&stage("01-single-server.json")).unwrap();
    assert!(s1.iter().any(|f| f.kind == FindingKind::SingleInstance));
}

#[test]
fn english_sentences_are_the_pages_english_and_fill_every_argument() {
    let en = include_str!("../../../static/i18n/en.json");
    let ko = include_str!("../../../static/i18n/ko.json");
    for (key, text) in ENGLISH {
        let quoted = serde_json::to_string(text).unwrap();
        assert!(
            en.contains(&format!("\"{key}\": {quoted}")),
            "static/i18n/en.json lacks {key}: {quoted}"
        );
        assert!(ko.contains(&format!("\"{key}\":")), "ko.json lacks {key}");
    }
    for (file, _) in presets::ALL {
        for f in review(&stage(file)).unwrap() {
            for t in [&f.reason, &f.fix.text] {
                let s = t.english();
                assert!(!s.contains('{') && !s.starts_with("review."), "{s}");
            }
        }
    }
}

#[test]
fn an_invalid_design_is_an_error() {
    let mut s = stage("04-load-balancer.json");
    s.edges.clear();
    assert!(review(&s).is_err());
}
