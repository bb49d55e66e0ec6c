//! The cost model: each price model computed independently from the price
//! file (`data/prices.json`, read here as plain JSON) and compared with
//! `monthly_cost`.

use scalelab_sim::cost::{
    monthly_cost, monthly_cost_at, size_curve, CostItem, Prices, PRICE_FIELDS,
};
use scalelab_sim::sizes::InstanceSize;
use scalelab_sim::{presets, Scenario};
use serde_json::Value;

const FILE: &str = include_str!("../data/prices.json");
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

fn file() -> Value {
    serde_json::from_str(FILE).expect("prices.json is JSON")
}

fn price(key: &str) -> f64 {
    let v = file();
    let mut x = &v;
    for part in key.split('.') {
        x = &x[part];
    }
    x.as_f64()
        .unwrap_or_else(|| panic!("prices.json has no number at {key}"))
}

fn month_s() -> f64 {
    price("hours_per_month") * 3600.0
}

fn scenario(json: &str) -> Scenario {
    Scenario::from_json(json).unwrap_or_else(|e| panic!("test scenario: {e}"))
}

/// The sum of the lines of `item` for component `id`.
fn line(s: &Scenario, id: &str, item: CostItem) -> f64 {
    monthly_cost(s, &Prices::LIST)
        .expect("priced")
        .lines
        .iter()
        .filter(|l| l.component == id && l.item == item)
        .map(|l| l.usd_per_month)
        .sum()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn the_list_is_the_price_file() {
    let v = file();
    assert!(!v["source"].as_str().unwrap_or("").is_empty());
    assert!(!v["as_of"].as_str().unwrap_or("").is_empty());
    let list = serde_json::to_value(Prices::LIST).expect("serializable");
    let Value::Object(m) = &list else {
        panic!("an object")
    };
    for (k, x) in m {
        match x {
            Value::Object(sub) => {
                for (sk, sx) in sub {
                    assert_eq!(v[k][sk].as_f64(), sx.as_f64(), "prices.json field {k}.{sk}");
                }
            }
            _ => assert_eq!(v[k].as_f64(), x.as_f64(), "prices.json field {k}"),
        }
    }
    // The size ladder reads the same list.
    for size in InstanceSize::LADDER {
        let name = serde_json::to_value(size).expect("a name");
        let hourly = price(&format!(
            "instance_usd_per_hour.{}",
            name.as_str().expect("a string")
        ));
        let monthly = (hourly * price("hours_per_month") * 100.0).round() / 100.0;
        assert_eq!(size.spec().price_usd_per_month, monthly, "{size:?}");
    }
}

#[test]
fn instances_cost_their_size_price_times_count() {
    let s = scenario(
        r#"{"version":1,"components":[
        {"id":"u","spec":{"kind":"users","users":100,"requests_per_user_per_s":1}},
        {"id":"web","spec":{"kind":"web_tier","instances":3,"size":"large"}},
        {"id":"db","spec":{"kind":"database","replicas":2,"size":"xlarge"}}],
        "edges":[{"from":"u","to":"web"},{"from":"web","to":"db"}]}"#,
    );
    let hours = price("hours_per_month");
    let large = (price("instance_usd_per_hour.large") * hours * 100.0).round() / 100.0;
    let xlarge = (price("instance_usd_per_hour.xlarge") * hours * 100.0).round() / 100.0;
    assert!(close(line(&s, "web", CostItem::Instances), 3.0 * large));
    // Primary + 2 replicas.
    assert!(close(line(&s, "db", CostItem::Instances), 3.0 * xlarge));
    // Storage: 10,000 keys × 4 KiB is far below the smallest volume.
    let storage = 3.0 * price("storage_min_gb_per_node") * price("storage_usd_per_gb_month");
    assert!(close(line(&s, "db", CostItem::Storage), storage));
    // Egress: 100 rps of 4 KiB responses for a month.
    let egress = 100.0 * month_s() * 4.0 * 1024.0 / GIB * price("internet_egress_usd_per_gb");
    assert!(close(line(&s, "u", CostItem::InternetEgress), egress));
    let b = monthly_cost(&s, &Prices::LIST).expect("priced");
    let sum: f64 = b.lines.iter().map(|l| l.usd_per_month).sum();
    assert!(close(b.cost_usd_per_month, sum));
    assert!(close(
        b.cost_usd_per_month,
        3.0 * large + 3.0 * xlarge + storage + egress
    ));
    let per_million = b.cost_usd_per_month / (100.0 * month_s() / 1e6);
    assert!(close(
        b.cost_usd_per_million_requests.expect("traffic"),
        per_million
    ));
}

#[test]
fn one_more_web_instance_costs_one_instance_price() {
    let base = presets::by_name("04-load-balancer.json").expect("stage 4");
    let mut more = base.clone();
    let mut size = InstanceSize::Medium;
    for c in &mut more.components {
        if let scalelab_sim::ComponentSpec::WebTier(w) = &mut c.spec {
            w.instances += 1;
            size = w.size;
            break;
        }
    }
    let a = monthly_cost(&base, &Prices::LIST).expect("priced");
    let b = monthly_cost(&more, &Prices::LIST).expect("priced");
    let name = serde_json::to_value(size).expect("a name");
    let hourly = price(&format!(
        "instance_usd_per_hour.{}",
        name.as_str().unwrap_or("")
    ));
    let monthly = (hourly * price("hours_per_month") * 100.0).round() / 100.0;
    assert!((b.cost_usd_per_month - a.cost_usd_per_month - monthly).abs() < 1e-6);
}

#[test]
fn cache_memory_costs_per_gb() {
    // 262,144 keys × 4 KiB = exactly 1 GiB.
    let s = scenario(
        r#"{"version":1,"components":[
        {"id":"u","spec":{"kind":"users","users":10,"requests_per_user_per_s":1}},
        {"id":"web","spec":{"kind":"web_tier"}},
        {"id":"cache","spec":{"kind":"cache","nodes":2,"size":"small","capacity_keys":524288}},
        {"id":"db","spec":{"kind":"database"}}],
        "edges":[{"from":"u","to":"web"},{"from":"web","to":"cache"},{"from":"cache","to":"db"}]}"#,
    );
    let mem = 2.0 * price("cache_memory_usd_per_gb_month");
    assert!(close(line(&s, "cache", CostItem::CacheMemory), mem));
    let small =
        (price("instance_usd_per_hour.small") * price("hours_per_month") * 100.0).round() / 100.0;
    assert!(close(line(&s, "cache", CostItem::Instances), 2.0 * small));
}

#[test]
fn cdn_costs_per_gb_served_and_static_leaves_egress() {
    let s = scenario(
        r#"{"version":1,"components":[
        {"id":"u","spec":{"kind":"users","users":1000,"requests_per_user_per_s":1,
          "mix":{"static":0.5,"read":0.5,"write":0,"async":0}}},
        {"id":"cdn","spec":{"kind":"cdn"}},
        {"id":"web","spec":{"kind":"web_tier","instances":4}}],
        "edges":[{"from":"u","to":"cdn"},{"from":"u","to":"web"},{"from":"cdn","to":"web"}]}"#,
    );
    let static_rps = 500.0;
    let gb = static_rps * month_s() * 50.0 * 1024.0 / GIB;
    assert!(close(
        line(&s, "cdn", CostItem::CdnTransfer),
        gb * price("cdn_usd_per_gb")
    ));
    let req = static_rps * month_s() / 1e6 * price("cdn_usd_per_million_requests");
    assert!(close(line(&s, "cdn", CostItem::CdnRequests), req));
    // Only the 500 rps of reads leave the data center as responses.
    let egress = 500.0 * month_s() * 4.0 * 1024.0 / GIB * price("internet_egress_usd_per_gb");
    assert!(close(line(&s, "u", CostItem::InternetEgress), egress));
}

#[test]
fn writes_replicate_between_data_centers_and_crossing_edges_pay() {
    // Two data centers, a database in each: every write crosses once to the other.
    let two_dcs = r#"{"version":1,"components":[
        {"id":"east","spec":{"kind":"data_center","region":"us-east"}},
        {"id":"west","spec":{"kind":"data_center","region":"us-west"}},
        {"id":"ue","spec":{"kind":"users","users":200,"requests_per_user_per_s":1,"region":"us-east",
          "mix":{"static":0,"read":0.75,"write":0.25,"async":0}}},
        {"id":"uw","spec":{"kind":"users","users":100,"requests_per_user_per_s":1,"region":"us-west",
          "mix":{"static":0,"read":0.9,"write":0.1,"async":0}}},
        {"id":"web-e","dc":"east","spec":{"kind":"web_tier","instances":2}},
        {"id":"web-w","dc":"west","spec":{"kind":"web_tier","instances":2}},
        {"id":"db-e","dc":"east","spec":{"kind":"database"}},
        {"id":"db-w","dc":"west","spec":{"kind":"database"}}],
        "edges":[{"from":"ue","to":"web-e"},{"from":"uw","to":"web-w"},
                 {"from":"web-e","to":"db-e"},{"from":"web-w","to":"db-w"}]}"#;
    let s = scenario(two_dcs);
    let per_write = month_s() * 4.0 * 1024.0 / GIB * price("transfer_between_dcs_usd_per_gb");
    assert!(close(
        line(&s, "db-e", CostItem::TransferBetweenDcs),
        50.0 * per_write
    ));
    assert!(close(
        line(&s, "db-w", CostItem::TransferBetweenDcs),
        10.0 * per_write
    ));
    // One data center only: nothing crosses.
    let one = scenario(&two_dcs.replace(r#""dc":"west""#, r#""dc":"east""#));
    assert_eq!(line(&one, "db-e", CostItem::TransferBetweenDcs), 0.0);
    // The west web tier uses the east database: its 100 rps cross with request and response.
    let crossing = scenario(
        &two_dcs
            .replace(
                r#"{"from":"web-w","to":"db-w"}"#,
                r#"{"from":"web-w","to":"db-e"}"#,
            )
            .replace(
                r#",
        {"id":"db-w","dc":"west","spec":{"kind":"database"}}"#,
                "",
            ),
    );
    let edge = 100.0 / 2.0 * month_s() * (1.0 + 4.0) * 1024.0 / GIB
        * price("transfer_between_dcs_usd_per_gb");
    // db-e receives 300 rps from two senders: half of it is on the crossing edge.
    assert!(close(
        line(&crossing, "web-w", CostItem::TransferBetweenDcs),
        3.0 * edge
    ));
    assert_eq!(line(&crossing, "db-e", CostItem::TransferBetweenDcs), 0.0);
}

#[test]
fn a_scenario_may_carry_its_own_prices() {
    let base = presets::by_name("02-separate-database.json").expect("stage 2");
    let mut text: Value = serde_json::from_str(&base.to_json()).expect("json");
    text["prices"] = serde_json::json!({ "instance_usd_per_hour": { "large": 1.0 }, "internet_egress_usd_per_gb": 0 });
    let s = Scenario::from_json(&text.to_string()).expect("loads with prices");
    let p = s.prices.expect("prices kept");
    assert_eq!(p.instance_usd_per_hour.large, 1.0);
    // Fields left out keep the list price.
    assert_eq!(
        p.instance_usd_per_hour.medium,
        price("instance_usd_per_hour.medium")
    );
    assert_eq!(p.cdn_usd_per_gb, price("cdn_usd_per_gb"));
    // Round trip.
    assert_eq!(Scenario::from_json(&s.to_json()).expect("round trip"), s);
    let b = monthly_cost(&s, &Prices::LIST).expect("priced");
    assert!(b.lines.iter().all(|l| l.item != CostItem::InternetEgress));
    // Stage 2's web server and database are `large`: 1 $/h × 730 h each.
    let large_instances: f64 = b
        .lines
        .iter()
        .filter(|l| l.item == CostItem::Instances && l.unit_usd == 730.0)
        .map(|l| l.quantity)
        .sum();
    assert_eq!(large_instances, 2.0, "{:?}", b.lines);
    // A file without prices writes none.
    assert!(!base.to_json().contains("\"prices\""));
    // Bad prices are refused with the field named.
    text["prices"] = serde_json::json!({ "cdn_usd_per_gb": -1 });
    let e = Scenario::from_json(&text.to_string()).expect_err("negative price");
    assert!(e.to_string().contains("cdn_usd_per_gb"), "{e}");
    text["prices"] = serde_json::json!({ "cdn_per_gb": 1 });
    let e = Scenario::from_json(&text.to_string()).expect_err("unknown price");
    assert!(e.to_string().contains("cdn_per_gb"), "{e}");
}

#[test]
fn cost_scales_with_traffic_and_every_stage_is_priced() {
    for (name, _) in presets::ALL {
        let s = presets::by_name(name).expect("preset");
        let b = monthly_cost(&s, &Prices::LIST).expect("priced");
        assert!(b.cost_usd_per_month > 0.0, "{name}");
        let double = monthly_cost_at(&s, &Prices::LIST, 2.0 * s.offered_rps()).expect("priced");
        // Instances do not change with traffic; egress does.
        assert!(double.cost_usd_per_month > b.cost_usd_per_month, "{name}");
    }
    assert!(monthly_cost_at(&presets::single_server(), &Prices::LIST, f64::NAN).is_err());
}

#[test]
fn the_size_curve_ends_at_its_ceiling() {
    let rows = size_curve(&Prices::LIST);
    assert_eq!(rows.len(), InstanceSize::LADDER.len());
    assert!(rows
        .windows(2)
        .all(|w| w[1].usd_per_month > w[0].usd_per_month && w[1].capacity > w[0].capacity));
    assert_eq!(rows.iter().filter(|r| r.ceiling).count(), 1);
    assert!(rows
        .last()
        .is_some_and(|r| r.ceiling && r.size == InstanceSize::X2large));
}

#[test]
fn price_fields_name_every_price_once() {
    // Every leaf of the price list is one field of the table, read from the right place.
    let list = serde_json::to_value(Prices::LIST).expect("serializable");
    let mut leaves = 0;
    for x in list.as_object().expect("an object").values() {
        leaves += x.as_object().map_or(1, |sub| sub.len());
    }
    assert_eq!(PRICE_FIELDS.len(), leaves);
    for (i, f) in PRICE_FIELDS.iter().enumerate() {
        assert_eq!(f.get(&Prices::LIST), price(f.name), "{}", f.name);
        assert!(
            PRICE_FIELDS[..i].iter().all(|g| g.name != f.name),
            "{}",
            f.name
        );
        assert!(!f.unit.is_empty());
        // Writing through it changes that field alone, and check() names it when bad.
        let mut p = Prices::LIST;
        *(f.at)(&mut p) = -1.0;
        let e = p.check().expect_err("a negative price");
        assert!(e.to_string().contains(f.name), "{e}");
        let others = PRICE_FIELDS.iter().filter(|g| g.name != f.name);
        assert!(others.clone().all(|g| g.get(&p) == g.get(&Prices::LIST)));
    }
}

#[test]
fn a_scenario_writes_only_its_changed_prices() {
    let mut s = presets::by_name("02-separate-database.json").expect("stage 2");
    let mut p = Prices::LIST;
    p.instance_usd_per_hour.medium = 0.25;
    p.cdn_usd_per_gb = 0.0;
    s.prices = Some(p);
    let v: Value = serde_json::from_str(&s.to_json()).expect("json");
    assert_eq!(
        v["prices"],
        serde_json::json!({ "cdn_usd_per_gb": 0.0, "instance_usd_per_hour": { "medium": 0.25 } })
    );
    assert_eq!(Scenario::from_json(&s.to_json()).expect("round trip"), s);
    // The list itself as an override writes an empty object and reads back the same.
    s.prices = Some(Prices::LIST);
    let v: Value = serde_json::from_str(&s.to_json()).expect("json");
    assert_eq!(v["prices"], serde_json::json!({}));
    assert_eq!(Scenario::from_json(&s.to_json()).expect("round trip"), s);
}
