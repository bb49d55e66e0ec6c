//! Embeds the challenge cards (`challenges/*.json` at the repository root) in
//! compact form and lists them in `$OUT_DIR/cards.rs` (`ALL`, file-name order).

use std::{env, path::PathBuf};

include!("../sim/embed_json_dir.rs");

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("../../challenges");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    embed_json_dir(
        &dir,
        &out,
        "cards.rs",
        "(file name, JSON text) of every card, in file-name order.",
        &["index.json"],
    );
    println!("cargo:rerun-if-changed=../sim/embed_json_dir.rs");
}
