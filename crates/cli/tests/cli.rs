//! Runs the built `scalelab` binary and checks its output and exit codes.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_scalelab");

/// The repository's first scenario.
fn single_server() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/01-single-server.json")
}

fn scalelab(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Writes `text` to a fresh file under the temp dir (unique per test and process).
fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scalelab-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn scenario_text() -> String {
    std::fs::read_to_string(single_server()).unwrap()
}

#[test]
fn run_is_byte_identical_across_runs() {
    let f = single_server();
    let a = scalelab(&["run", f.to_str().unwrap(), "--duration-s", "20"]);
    let b = scalelab(&["run", f.to_str().unwrap(), "--duration-s", "20"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let text = stdout(&a);
    for needle in [
        "p99",
        "throughput rps",
        "availability",
        "utilization",
        "digest",
        "web_tier",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

#[test]
fn seed_changes_the_run() {
    let f = single_server();
    let f = f.to_str().unwrap();
    let a = scalelab(&["run", f, "--duration-s", "5", "--seed", "1"]);
    let b = scalelab(&["run", f, "--duration-s", "5", "--seed", "2"]);
    assert!(a.status.success() && b.status.success());
    assert_ne!(a.stdout, b.stdout);
}

#[test]
fn run_json_has_the_fields() {
    let f = single_server();
    let o = scalelab(&[
        "run",
        f.to_str().unwrap(),
        "--duration-s",
        "10",
        "--json",
        "--windows",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for field in [
        "digest",
        "seed",
        "latency_ms_p50",
        "latency_ms_p95",
        "latency_ms_p99",
        "latency_ms_max",
        "latency_ms_mean",
        "throughput_rps",
        "availability",
        "errors",
        "lost_writes",
        "stale_reads",
        "components",
    ] {
        assert!(v.get(field).is_some(), "missing {field}");
    }
    assert_eq!(v["duration_s"].as_f64(), Some(10.0));
    assert_eq!(v["digest"].as_str().map(str::len), Some(16));
    assert_eq!(v["windows"].as_array().map(Vec::len), Some(10));
    let web = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "web")
        .unwrap();
    let u = web["utilization"].as_f64().unwrap();
    assert!(u > 0.3 && u < 0.7, "utilization {u}");
    // Without --windows there is no series.
    let o = scalelab(&["run", f.to_str().unwrap(), "--duration-s", "2", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.get("windows").is_none());
}

#[test]
fn truncated_json_names_line_and_column() {
    let text = scenario_text();
    let f = temp_file("truncated.json", &text[..text.len() / 2]);
    let o = scalelab(&["run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let prefix = format!("{}:", f.display());
    assert!(err.starts_with(&prefix), "{err}");
    // FILE:LINE:COLUMN: message
    let rest = &err[prefix.len()..];
    let mut parts = rest.splitn(3, ':');
    let line: usize = parts.next().unwrap().parse().unwrap();
    let column: usize = parts.next().unwrap().parse().unwrap();
    assert!(line > 1 && column > 0, "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unknown_kind_is_named() {
    let f = temp_file(
        "kind.json",
        &scenario_text().replace("\"web_tier\"", "\"web_server_farm\""),
    );
    let o = scalelab(&["validate", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("web_server_farm"), "{}", stderr(&o));
}

#[test]
fn wrong_version_is_refused() {
    let f = temp_file(
        "version.json",
        &scenario_text().replace("\"version\": 1", "\"version\": 99"),
    );
    let o = scalelab(&["run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("version"), "{}", stderr(&o));
}

#[test]
fn semantic_error_names_component_and_field() {
    let f = temp_file(
        "zero.json",
        &scenario_text().replace("\"instances\": 1", "\"instances\": 0"),
    );
    let o = scalelab(&["run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("'web'") && err.contains("instances"), "{err}");
}

#[test]
fn empty_and_missing_files_exit_2() {
    let f = temp_file("empty.json", "");
    let o = scalelab(&["run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty"), "{}", stderr(&o));
    let o = scalelab(&["validate", "/no/such/scenario.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/no/such/scenario.json"));
}

#[test]
fn bad_arguments_exit_2_without_panic() {
    let f = single_server();
    let f = f.to_str().unwrap();
    for args in [
        vec!["run", f, "--duration-s", "-5"],
        vec!["run", f, "--duration-s", "0"],
        vec!["run", f, "--duration-s", "nan"],
        vec!["run", f, "--duration-s", "1e9"],
        vec!["run", f, "--seed", "abc"],
        vec!["run", f, "--windows"],
        vec!["run"],
        vec!["frobnicate"],
        vec!["run", f, "--bogus"],
        vec!["bench", "--events", "0"],
        vec![],
    ] {
        let o = scalelab(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            !err.is_empty() && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn validate_ok() {
    let o = scalelab(&["validate", single_server().to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "ok: Stage 1 · Single server (2 components, 1 edges)\n"
    );
}

#[test]
fn schema_is_json_with_components() {
    let o = scalelab(&["schema"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["properties"].get("components").is_some());
    assert!(stdout(&o).contains("web_tier"));
}

#[test]
fn analyze_names_the_bottleneck() {
    let f = single_server();
    let o = scalelab(&["analyze", f.to_str().unwrap()]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("bottleneck") && text.contains("web"),
        "{text}"
    );
    let o = scalelab(&["analyze", f.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["bottleneck"], "web");
    let max = v["max_sustainable_rps"].as_f64().unwrap();
    assert!((max - 400.0).abs() < 1.0, "{max}");
}

#[test]
fn sweep_csv_has_one_row_per_step_and_bad_ranges_exit_2() {
    let o = scalelab(&[
        "sweep",
        single_server().to_str().unwrap(),
        "--from",
        "100",
        "--to",
        "600",
        "--steps",
        "6",
        "--duration-s",
        "20",
        "--csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "offered_rps,throughput_rps,latency_ms_p99,availability,bottleneck,utilization_max"
    );
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 6, "{text}");
    let offered: Vec<f64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(offered, vec![100.0, 200.0, 300.0, 400.0, 500.0, 600.0]);
    for r in &rows {
        assert_eq!(r.len(), 6);
        let served: f64 = r[1].parse().unwrap();
        assert!(
            served > 0.0 && served <= r[0].parse::<f64>().unwrap() * 1.1,
            "{r:?}"
        );
    }
    let bad = scalelab(&[
        "sweep",
        single_server().to_str().unwrap(),
        "--from",
        "500",
        "--to",
        "100",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("to"), "{}", stderr(&bad));
}

#[test]
fn cost_prints_the_bill_and_json_lines_sum_to_the_total() {
    let file = single_server();
    let o = scalelab(&["cost", file.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let total = v["cost_usd_per_month"].as_f64().unwrap();
    let sum: f64 = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["usd_per_month"].as_f64().unwrap())
        .sum();
    assert!(
        total > 0.0 && (total - sum).abs() < 1e-6,
        "{total} vs {sum}"
    );
    assert!(v["cost_usd_per_million_requests"].as_f64().unwrap() > 0.0);
    let text = scalelab(&["cost", file.to_str().unwrap()]);
    assert!(text.status.success());
    let t = stdout(&text);
    assert!(t.contains("total:") && t.contains("<- ceiling"), "{t}");
    let bad = temp_file(
        "bad-prices.json",
        &scenario_text().replacen('{', r#"{"prices":{"cdn_usd_per_gb":-1},"#, 1),
    );
    let o = scalelab(&["cost", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cdn_usd_per_gb"), "{}", stderr(&o));
}

#[test]
fn review_lists_findings_with_their_fixes() {
    let file = single_server();
    let o = scalelab(&["review", file.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = v.as_array().unwrap();
    let web = findings
        .iter()
        .find(|f| f["kind"] == "single_instance")
        .expect("stage 1's one web server is a single point of failure");
    assert_eq!(web["reason"]["key"], "review.single_instance");
    assert_eq!(web["fix"]["update"][0]["spec"]["instances"], 2);
    let text = scalelab(&["review", file.to_str().unwrap()]);
    assert!(text.status.success());
    let t = stdout(&text);
    assert!(
        t.contains("(single_instance): ")
            && t.contains("runs on a single instance")
            && t.contains("  fix: Run "),
        "{t}"
    );
    let bad = temp_file("review-bad.json", "{");
    assert_eq!(
        scalelab(&["review", bad.to_str().unwrap()]).status.code(),
        Some(2)
    );
}
