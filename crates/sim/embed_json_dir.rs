// Shared by the build scripts of `crates/sim` (the chapter's scenarios) and
// `crates/challenges` (the challenge cards), which `include!` it.

/// Embeds every `*.json` file of `dir` (but those named in `skip`) in compact
/// form, whitespace stripped, into `out`, and writes `out/list_file` with
/// `pub const ALL: &[(&str, &str)]`: (file name, JSON text) in file-name
/// order, documented by `doc`. A file that is not JSON is embedded as it is
/// (the crate's tests report it).
fn embed_json_dir(
    dir: &std::path::Path,
    out: &std::path::Path,
    list_file: &str,
    doc: &str,
    skip: &[&str],
) {
    use std::fs;
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".json") && !skip.contains(&n.as_str()))
        .collect();
    names.sort();
    let mut list = format!("/// {doc}\npub const ALL: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let compact = serde_json::from_str::<serde_json::Value>(&text)
            .map(|v| v.to_string())
            .unwrap_or(text);
        fs::write(out.join(name), compact).expect("write OUT_DIR");
        list.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"))),\n"
        ));
    }
    list.push_str("];\n");
    fs::write(out.join(list_file), list).expect("write OUT_DIR");
}
