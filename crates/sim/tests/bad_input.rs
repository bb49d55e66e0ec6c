//! The bad-input table: each row is a broken scenario and the message a learner gets.
//! docs/bad-input.md lists the same rows.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report
#![cfg(not(target_arch = "wasm32"))]

use scalelab_sim::{Scenario, SimError};

const BASE: &str = include_str!("../../../scenarios/04-load-balancer.json");

fn with(f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(BASE).expect("base parses");
    f(&mut v);
    v.to_string()
}

fn comp(v: &mut serde_json::Value, id: &str) -> serde_json::Value {
    v["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone()
}

fn set_comp(v: &mut serde_json::Value, id: &str, path: &[&str], value: serde_json::Value) {
    let arr = v["components"].as_array_mut().unwrap();
    let c = arr.iter_mut().find(|c| c["id"] == id).unwrap();
    let mut cur = c;
    for p in &path[..path.len() - 1] {
        cur = &mut cur[*p];
    }
    cur[path[path.len() - 1]] = value;
}

fn expect_err(text: &str, needles: &[&str]) -> SimError {
    let err = Scenario::from_json(text).expect_err("must be refused");
    let msg = err.to_string();
    for n in needles {
        assert!(msg.contains(n), "message {msg:?} lacks {n:?}");
    }
    err
}

#[test]
fn the_bad_input_table() {
    use serde_json::json;
    let rows: Vec<(&str, String, Vec<&str>)> = vec![
        ("empty file", String::new(), vec!["empty"]),
        (
            "truncated JSON",
            BASE[..BASE.len() / 2].to_string(),
            vec!["line", "column"],
        ),
        (
            "array instead of object",
            "[1, 2, 3]".into(),
            vec!["JSON object"],
        ),
        (
            "missing version",
            with(|v| {
                v.as_object_mut().unwrap().remove("version");
            }),
            vec!["version"],
        ),
        (
            "future version",
            with(|v| v["version"] = json!(2)),
            vec!["version 2"],
        ),
        (
            "unknown top-level field",
            with(|v| v["colour"] = json!("red")),
            vec!["unknown field", "colour"],
        ),
        (
            "unknown component kind",
            with(|v| set_comp(v, "web", &["spec", "kind"], json!("mainframe"))),
            vec!["mainframe"],
        ),
        (
            "unknown parameter",
            with(|v| set_comp(v, "web", &["spec", "turbo"], json!(true))),
            vec!["turbo"],
        ),
        (
            "duplicate ids",
            with(|v| {
                let c = comp(v, "web");
                v["components"].as_array_mut().unwrap().push(c);
            }),
            vec!["web", "two components"],
        ),
        (
            "edge to a missing id",
            with(|v| {
                v["edges"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"from": "web", "to": "ghost"}))
            }),
            vec!["ghost", "does not exist"],
        ),
        (
            "self-loop",
            with(|v| {
                v["edges"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"from": "web", "to": "web"}))
            }),
            vec!["itself"],
        ),
        (
            "cycle",
            with(|v| {
                v["edges"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"from": "web", "to": "lb"}))
            }),
            vec!["cycle"],
        ),
        (
            "invalid connection",
            with(|v| {
                v["edges"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"from": "users", "to": "db"}))
            }),
            vec!["users", "database"],
        ),
        (
            "unconnected component",
            with(|v| {
                v["components"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"id": "lonely", "spec": {"kind": "cache", "capacity_keys": 10}}))
            }),
            vec!["lonely"],
        ),
        (
            "negative service time",
            with(|v| set_comp(v, "web", &["spec", "service", "mean_ms"], json!(-5))),
            vec!["web", "service"],
        ),
        (
            "zero instances",
            with(|v| set_comp(v, "web", &["spec", "instances"], json!(0))),
            vec!["web", "instances"],
        ),
        (
            "10^6 instances",
            with(|v| set_comp(v, "web", &["spec", "instances"], json!(1_000_000))),
            vec!["web", "instances"],
        ),
        (
            "10^12 users",
            with(|v| set_comp(v, "users", &["spec", "users"], json!(1_000_000_000_000u64))),
            vec!["users", "users"],
        ),
        (
            "negative rate",
            with(|v| set_comp(v, "users", &["spec", "requests_per_user_per_s"], json!(-1))),
            vec!["requests_per_user_per_s"],
        ),
        (
            "huge number (Infinity)",
            with(|v| {
                set_comp(
                    v,
                    "users",
                    &["spec", "requests_per_user_per_s"],
                    json!(1e308),
                )
            }),
            vec!["requests_per_user_per_s"],
        ),
        (
            "NaN literal",
            BASE.replacen("\"mean_ms\": 8", "\"mean_ms\": NaN", 1),
            vec!["line"],
        ),
        (
            "1 MB label",
            with(|v| set_comp(v, "web", &["label"], json!("x".repeat(1 << 20)))),
            vec!["web", "label"],
        ),
        (
            "all-zero mix",
            with(|v| {
                set_comp(
                    v,
                    "users",
                    &["spec", "mix"],
                    json!({"static": 0, "read": 0, "write": 0, "async": 0}),
                )
            }),
            vec!["mix"],
        ),
        (
            "timeline on a missing component",
            with(|v| {
                v["timeline"] = json!([{"at_s": 1, "action": {"do": "fail", "component": "nope"}}])
            }),
            vec!["nope"],
        ),
        (
            "more than 10^7 users in total",
            with(|v| {
                set_comp(v, "users", &["spec", "users"], json!(6_000_000));
                let mut more = comp(v, "users");
                more["id"] = json!("more-users");
                v["components"].as_array_mut().unwrap().push(more);
                v["edges"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"from": "more-users", "to": "lb"}));
            }),
            vec!["more-users", "10000000 users in total"],
        ),
        (
            "no users",
            with(|v| {
                v["components"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|c| c["id"] != "users");
                v["edges"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|e| e["from"] != "users");
            }),
            vec!["users"],
        ),
    ];
    for (what, text, needles) in rows {
        let err = expect_err(&text, &needles);
        println!("{what:32} → {err}");
    }
}

#[test]
fn html_in_a_label_is_kept_as_plain_text() {
    // The core stores labels verbatim; the UI renders them as text nodes.
    let text = BASE.replace(
        "\"label\": \"Web tier\"",
        "\"label\": \"<script>alert(1)</script>\"",
    );
    let s = Scenario::from_json(&text).expect("a label may contain any text");
    assert_eq!(
        s.component("web").unwrap().label,
        "<script>alert(1)</script>"
    );
}

#[test]
fn runtime_actions_are_checked_too() {
    let s = Scenario::from_json(BASE).unwrap();
    let mut sim = scalelab_sim::Simulation::new(&s).unwrap();
    let bad = [
        scalelab_sim::Action::SetRequestRate {
            component: "users".into(),
            requests_per_s: f64::NAN,
        },
        scalelab_sim::Action::SetRequestRate {
            component: "users".into(),
            requests_per_s: -3.0,
        },
        scalelab_sim::Action::SetRequestRate {
            component: "web".into(),
            requests_per_s: 10.0,
        },
        scalelab_sim::Action::Fail {
            component: "web".into(),
            instance: Some(7),
        },
        scalelab_sim::Action::Scale {
            component: "web".into(),
            instances: 0,
        },
        scalelab_sim::Action::Fail {
            component: "nobody".into(),
            instance: None,
        },
    ];
    for a in bad {
        let r = sim.apply(&a);
        assert!(r.is_err(), "{a:?} must be refused");
    }
    sim.advance_ms(1_000);
}

/// Raising a users component's count gives its users fresh ids after
/// everyone else's (so no one inherits another's DNS answer or session).
/// Lowering and raising again, over and over, would hand out ids, and grow
/// the per-user state, without end: the ids a run hands out are bounded.
#[test]
fn raising_the_users_is_bounded_over_a_run() {
    let s = Scenario::from_json(&with(|v| {
        set_comp(v, "users", &["spec", "users"], serde_json::json!(3_000_000));
    }))
    .unwrap();
    let mut sim = scalelab_sim::Simulation::new(&s).unwrap();
    let set = |users| scalelab_sim::Action::SetUsers {
        component: "users".into(),
        users,
    };
    let mut refused = None;
    for cycle in 0..10 {
        sim.apply(&set(3_000_000)).unwrap();
        sim.advance_ms(50);
        // Each raise takes 4 M fresh ids after the highest in use: ids
        // 3–7 M, then 6–10 M, then 9–13 M, beyond the bound.
        if let Err(e) = sim.apply(&set(4_000_000)) {
            refused = Some((cycle, e.to_string()));
            break;
        }
        sim.advance_ms(50);
    }
    let (cycle, msg) = refused.expect("a raise is refused within 10 cycles");
    assert_eq!(cycle, 2, "the third raise goes beyond 10 M ids");
    assert!(msg.contains("10000000 user ids"), "{msg}");
    // Refused without a change: the run goes on with the 3 M users it had.
    sim.advance_ms(100);
    assert!(sim.events_processed() > 0);
}

/// A component's spec is read by a hand-written reader (`scenario/spec_de.rs`,
/// smaller wasm than serde's internally tagged enum); these are the messages,
/// with their positions, that serde's derived code gave, checked against it
/// when the reader was written.
#[test]
fn spec_messages_are_those_of_the_derived_reader() {
    let cases = [
        (r#"{"users":1}"#, "not a valid scenario (line 1, column 55): missing field `kind`"),
        (r#"{"kind":"users","kind":"users"}"#, "not a valid scenario (line 1, column 66): duplicate field `kind`"),
        (r#"{"kind":"mainframe"}"#, "not a valid scenario (line 1, column 63): unknown variant `mainframe`, expected one of `users`, `dns`, `cdn`, `load_balancer`, `web_tier`, `session_store`, `cache`, `database`, `sharded_database`, `message_queue`, `workers`, `data_center`, `autoscaler`"),
        (r#"{"kind":"load_balancer","algorithm":7}"#, "not a valid scenario (line 1, column 83): invalid type: integer `7`, expected string or map"),
        (r#"{"kind":"web_tier","service":{"dist":[]}}"#, "not a valid scenario (line 1, column 86): invalid type: sequence, expected string or map"),
        (r#"{"kind":"web_tier","size":{}}"#, "not a valid scenario (line 1, column 74): invalid value: map, expected map with a single key"),
        (r#"["data_center","us-east",3]"#, "not a valid scenario (line 1, column 72): invalid length 2, expected 1 element in sequence"),
        (r#"["users"]"#, "not a valid scenario (line 1, column 54): invalid length 0, expected struct UsersSpec with 8 elements"),
        (r#"[]"#, "not a valid scenario (line 1, column 46): missing field `kind`"),
        (r#"5"#, "not a valid scenario (line 1, column 45): invalid type: integer `5`, expected internally tagged enum ComponentSpec"),
        (r#"{"kind":"web_tier","instances":"x"}"#, "not a valid scenario (line 1, column 80): invalid type: string \"x\", expected u32"),
    ];
    for (spec, message) in cases {
        let text = format!(r#"{{"version":1,"components":[{{"id":"u","spec":{spec}}}]}}"#);
        let err = Scenario::from_json(&text).expect_err(spec);
        assert_eq!(err.to_string(), message, "{spec}");
    }
    // serde also reads the array form (kind, then the fields in order).
    let c: scalelab_sim::Component =
        serde_json::from_str(r#"{"id":"dc","spec":["data_center","us-east"]}"#)
            .expect("array form");
    assert!(matches!(&c.spec, scalelab_sim::ComponentSpec::DataCenter(d) if d.region == "us-east"));
}
