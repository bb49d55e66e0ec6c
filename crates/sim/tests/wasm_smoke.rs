//! In-browser smoke test of the core's toolchain: compiled to wasm32 and run in
//! headless Chromium by `cargo xtask test` (wasm-bindgen-test-runner + chromedriver).
//!
//! It proves that the crate's serde/serde_json stack builds and runs inside a
//! browser; the engine's determinism tests (native vs wasm) belong beside it.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn serde_json_round_trip_in_the_browser() {
    let text = r#"{"seed": 42, "rates": [0.5, 1.25, 1e3], "name": "ScaleLab"}"#;
    let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    let rates = value["rates"].as_array().expect("rates is an array");
    let sum: f64 = rates.iter().filter_map(serde_json::Value::as_f64).sum();
    assert_eq!(sum, 1001.75);
    assert_eq!(value["seed"].as_u64(), Some(42));

    let again: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&value).expect("serializes"))
            .expect("round-trips");
    assert_eq!(again, value);
}
