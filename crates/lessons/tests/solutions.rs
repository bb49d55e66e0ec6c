//! `solutions/NN-*.json`: each lesson's start scenario with its solution edits
//! applied (`Lesson::solved_scenario`), as files. The web app fetches them for
//! its "apply the solution" button instead of carrying the edit code in its
//! wasm. This test checks that every file matches the edits; run it with
//! `UPDATE_SOLUTIONS=1` to (re)write the files after changing a lesson.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report
#![cfg(not(target_arch = "wasm32"))]

use scalelab_lessons::lessons;
use scalelab_sim::Scenario;
use std::path::Path;

#[test]
fn solution_files_match_the_solution_edits() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("solutions");
    let update = std::env::var_os("UPDATE_SOLUTIONS").is_some();
    for l in lessons() {
        let solved = l.solved_scenario().unwrap();
        let path = dir.join(&l.scenario_file);
        if update {
            std::fs::write(&path, solved.to_json() + "\n").unwrap();
        }
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_SOLUTIONS=1)", path.display()));
        let file = Scenario::from_json(&text).unwrap();
        assert_eq!(
            file,
            solved,
            "{} is stale: run with UPDATE_SOLUTIONS=1",
            path.display()
        );
    }
}
