//! ScaleLab's lessons: the chapter "from one server to millions of users" as
//! thirteen guided, checkable lessons.
//!
//! Every lesson is data, not code: `lessons.json` (in this crate) holds for
//! each lesson its start scenario (a file in `scenarios/`), its goal, its
//! solution and the shape of its predict-first question; the text a learner
//! reads lives in `static/lessons/en.json` and `static/lessons/ko.json`,
//! keyed by lesson id and field, so translators never touch Rust. Everything
//! is embedded with `include_str!` (default feature `embedded`): no IO, no
//! clock, it builds for wasm32. Without `embedded` (the web app, which fetches
//! the same files at run time to keep its wasm small) use [`parse_lessons`],
//! [`progress_in`] and a [`TextTable`] parsed from a language file.
//!
//! ```
//! use scalelab_lessons::{lessons, text, check, run};
//! let lesson = &lessons()[0];
//! assert_eq!(lesson.number, 1);
//! assert!(text("ko", &lesson.id, "title").is_some());
//! let windows = run(&lesson.scenario, lesson.goal.run_s()).expect("the start scenario runs");
//! assert!(!check(&lesson.goal, &windows).passed, "every lesson starts failing its goal");
//! ```

pub mod edit;
pub mod goal;

pub use edit::{apply_all, Edit, EditError};
pub use goal::{check, Agg, Condition, ConditionStatus, Goal, GoalStatus, Metric, Op, Span, Unit};

use scalelab_sim::{Scenario, SimError, Simulation, WindowSnapshot};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
#[cfg(feature = "embedded")]
use std::sync::OnceLock;

/// The predict-first question's shape (its text is in the language files).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predict {
    /// Number of choices (text keys `predict.choice.1` … `predict.choice.N`).
    pub choices: usize,
    /// The right choice, from 1.
    pub answer: usize,
}

/// One lesson (serializable, e.g. to hand it to a worker or an embedding page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lesson {
    /// Stable id, e.g. `05-replication`; the key of the lesson's text.
    pub id: String,
    /// Position in the chapter, from 1.
    pub number: u32,
    /// File name of the start scenario (in `crates/lessons/scenarios/`).
    pub scenario_file: String,
    /// The scenario the learner starts from; it fails the goal.
    pub scenario: Scenario,
    /// The predict-first question.
    pub predict: Predict,
    /// Number of guided steps (text keys `step.1` … `step.N`).
    pub steps: usize,
    /// What must hold for the lesson to pass.
    pub goal: Goal,
    /// One way to pass: edits of the start scenario and timed actions.
    pub solution: Vec<Edit>,
}

impl Lesson {
    /// The start scenario with the solution applied.
    pub fn solved_scenario(&self) -> Result<Scenario, EditError> {
        apply_all(&self.scenario, &self.solution)
    }

    /// Every text key this lesson needs in each language, in reading order.
    pub fn text_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = ["title", "summary", "explanation", "predict.question"]
            .iter()
            .map(|k| (*k).to_string())
            .collect();
        keys.extend((1..=self.predict.choices).map(|i| format!("predict.choice.{i}")));
        keys.push("predict.reveal".into());
        keys.extend((1..=self.steps).map(|i| format!("step.{i}")));
        keys.push("goal".into());
        keys.push("solved".into());
        keys
    }
}

/// A lesson as written in `lessons.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonDef {
    id: String,
    scenario: String,
    predict: Predict,
    steps: usize,
    goal: Goal,
    solution: Vec<Edit>,
}

#[cfg(feature = "embedded")]
const LESSONS_JSON: &str = include_str!("../lessons.json");

/// The start scenarios, by file name.
#[cfg(feature = "embedded")]
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "01-single-server.json",
        include_str!("../scenarios/01-single-server.json"),
    ),
    (
        "02-separate-database.json",
        include_str!("../scenarios/02-separate-database.json"),
    ),
    (
        "03-vertical-vs-horizontal.json",
        include_str!("../scenarios/03-vertical-vs-horizontal.json"),
    ),
    (
        "04-load-balancer.json",
        include_str!("../scenarios/04-load-balancer.json"),
    ),
    (
        "05-replication.json",
        include_str!("../scenarios/05-replication.json"),
    ),
    ("06-cache.json", include_str!("../scenarios/06-cache.json")),
    ("07-cdn.json", include_str!("../scenarios/07-cdn.json")),
    (
        "08-stateless-web.json",
        include_str!("../scenarios/08-stateless-web.json"),
    ),
    (
        "09-data-centers.json",
        include_str!("../scenarios/09-data-centers.json"),
    ),
    (
        "10-message-queue.json",
        include_str!("../scenarios/10-message-queue.json"),
    ),
    (
        "11-autoscaling.json",
        include_str!("../scenarios/11-autoscaling.json"),
    ),
    (
        "12-sharding.json",
        include_str!("../scenarios/12-sharding.json"),
    ),
    (
        "13-millions-of-users.json",
        include_str!("../scenarios/13-millions-of-users.json"),
    ),
];

/// English lesson text.
#[cfg(feature = "embedded")]
pub const EN_JSON: &str = include_str!("../../../static/lessons/en.json");
/// Korean lesson text.
#[cfg(feature = "embedded")]
pub const KO_JSON: &str = include_str!("../../../static/lessons/ko.json");

/// Languages the lessons are written in.
pub const LANGS: [&str; 2] = ["en", "ko"];

/// Parses `lessons.json` with its start scenarios, looked up by file name
/// (`scenario("05-replication.json")` returns that file's text). This is how a
/// page that fetches the files at run time (feature `embedded` off) builds its lessons.
pub fn parse_lessons(
    lessons_json: &str,
    scenario: impl Fn(&str) -> Option<String>,
) -> Result<Vec<Lesson>, String> {
    let defs: Vec<LessonDef> =
        serde_json::from_str(lessons_json).map_err(|e| format!("lessons.json: {e}"))?;
    defs.into_iter()
        .enumerate()
        .map(|(i, d)| {
            let text = scenario(&d.scenario)
                .ok_or_else(|| format!("{}: no scenario file {}", d.id, d.scenario))?;
            let scenario =
                Scenario::from_json(&text).map_err(|e| format!("{}: {e}", d.scenario))?;
            Ok(Lesson {
                id: d.id,
                number: i as u32 + 1,
                scenario_file: d.scenario,
                scenario,
                predict: d.predict,
                steps: d.steps,
                goal: d.goal,
                solution: d.solution,
            })
        })
        .collect()
}

/// The scenario file names `lessons.json` refers to, in order (to fetch them).
pub fn scenario_files(lessons_json: &str) -> Result<Vec<String>, String> {
    let defs: Vec<LessonDef> =
        serde_json::from_str(lessons_json).map_err(|e| format!("lessons.json: {e}"))?;
    Ok(defs.into_iter().map(|d| d.scenario).collect())
}

#[cfg(feature = "embedded")]
fn load_lessons() -> Result<Vec<Lesson>, String> {
    parse_lessons(LESSONS_JSON, |name| {
        SCENARIOS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| (*t).to_string())
    })
}

/// Every lesson, in chapter order, or why the embedded data is broken.
/// (The crate's tests load it; a broken file fails them.)
#[cfg(feature = "embedded")]
pub fn try_lessons() -> Result<Vec<Lesson>, String> {
    load_lessons()
}

/// Every lesson, in chapter order (empty only if the embedded data is broken,
/// which the tests rule out).
#[cfg(feature = "embedded")]
pub fn lessons() -> Vec<Lesson> {
    load_lessons().unwrap_or_default()
}

/// The lesson with this id, or with this number (`"5"`).
#[cfg(feature = "embedded")]
pub fn lesson(id_or_number: &str) -> Option<Lesson> {
    lessons()
        .into_iter()
        .find(|l| l.id == id_or_number || l.number.to_string() == id_or_number)
}

/// A language file: lesson id → key → text.
pub type TextTable = BTreeMap<String, BTreeMap<String, String>>;

#[cfg(feature = "embedded")]
fn table(lang: &str) -> &'static TextTable {
    static EN: OnceLock<TextTable> = OnceLock::new();
    static KO: OnceLock<TextTable> = OnceLock::new();
    let (cell, src) = match lang {
        "ko" => (&KO, KO_JSON),
        _ => (&EN, EN_JSON),
    };
    cell.get_or_init(|| serde_json::from_str(src).unwrap_or_default())
}

/// A lesson's text in `lang` (`en` or `ko`; any other language reads English),
/// or `None` if the key is missing. Keys: see [`Lesson::text_keys`].
#[cfg(feature = "embedded")]
pub fn text(lang: &str, lesson_id: &str, key: &str) -> Option<&'static str> {
    table(lang)
        .get(lesson_id)
        .and_then(|m| m.get(key))
        .map(String::as_str)
}

/// The id under which the language files keep text shared by all lessons
/// (`metric.<metric key>` names and the word `goal`).
pub const COMMON_ID: &str = "_common";

/// A condition's live progress line in `lang`, e.g.
/// `availability 99.20% / goal ≥ 99.90%` or `가용성 99.20% / 목표 ≥ 99.90%`.
#[cfg(feature = "embedded")]
pub fn progress(lang: &str, condition: &Condition, measured: Option<f64>) -> String {
    let key = format!("metric.{}", condition.metric.key());
    let metric = text(lang, COMMON_ID, &key).unwrap_or(goal::metric_name(condition.metric));
    let goal_word = text(lang, COMMON_ID, "goal").unwrap_or("goal");
    condition.progress_with(measured, metric, goal_word)
}

/// [`progress`] with the words read from a language file parsed at run time
/// (`serde_json::from_str::<TextTable>(…)`).
pub fn progress_in(table: &TextTable, condition: &Condition, measured: Option<f64>) -> String {
    let common = table.get(COMMON_ID);
    let word = |k: &str| common.and_then(|m| m.get(k)).map(String::as_str);
    let metric = word(&format!("metric.{}", condition.metric.key()))
        .unwrap_or(goal::metric_name(condition.metric));
    condition.progress_with(measured, metric, word("goal").unwrap_or("goal"))
}

/// Every (lesson id, key) present in `lang`'s file, for translators' checks.
#[cfg(feature = "embedded")]
pub fn text_keys(lang: &str) -> Vec<(String, String)> {
    table(lang)
        .iter()
        .flat_map(|(id, m)| m.keys().map(move |k| (id.clone(), k.clone())))
        .collect()
}

/// Runs `scenario` headless for `seconds` of simulated time and returns its windows.
pub fn run(scenario: &Scenario, seconds: f64) -> Result<Vec<WindowSnapshot>, SimError> {
    let mut sim = Simulation::new(scenario)?;
    Ok(sim.advance_ms((seconds * 1000.0).round() as u64))
}
