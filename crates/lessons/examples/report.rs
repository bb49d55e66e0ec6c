//! Prints every lesson's goal figures at the start and once solved:
//! `cargo run -p scalelab-lessons --release --example report [-- N]`.

use scalelab_lessons::{check, lessons, run, Lesson};

fn figures(l: &Lesson, solved: bool) -> Result<String, String> {
    let scenario = if solved {
        l.solved_scenario().map_err(|e| e.to_string())?
    } else {
        l.scenario.clone()
    };
    let windows = run(&scenario, l.goal.run_s()).map_err(|e| e.to_string())?;
    let status = check(&l.goal, &windows);
    let lines: Vec<String> = l
        .goal
        .all
        .iter()
        .zip(&status.conditions)
        .map(|(c, s)| c.progress(s.measured))
        .collect();
    Ok(format!(
        "{} {}",
        if status.passed { "PASS" } else { "fail" },
        lines.join("; ")
    ))
}

fn main() {
    let only: Option<u32> = std::env::args().nth(1).and_then(|a| a.parse().ok());
    for l in lessons() {
        if only.is_some_and(|n| n != l.number) {
            continue;
        }
        println!("{}", l.id);
        for solved in [false, true] {
            let label = if solved { "solved" } else { "start " };
            match figures(&l, solved) {
                Ok(f) => println!("  {label} {f}"),
                Err(e) => println!("  {label} error: {e}"),
            }
        }
    }
}
