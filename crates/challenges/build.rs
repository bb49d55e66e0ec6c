//! Embeds the challenge cards (`challenges/*.json` at the repository root) in
//! compact form and lists them in `$OUT_DIR/cards.rs` (`ALL`, file-name order).

use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("../../challenges");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("challenges/ exists")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".json") && n != "index.json")
        .collect();
    names.sort();
    let mut list = String::from(
        "/// (file name, JSON text) of every card, in file-name order.\npub const ALL: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("readable card");
        // A file that is not JSON is embedded as it is: the tests report it.
        let compact = serde_json::from_str::<serde_json::Value>(&text)
            .map(|v| v.to_string())
            .unwrap_or(text);
        fs::write(out.join(name), compact).expect("write OUT_DIR");
        list.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"))),\n"
        ));
    }
    list.push_str("];\n");
    fs::write(out.join("cards.rs"), list).expect("write OUT_DIR");
}
