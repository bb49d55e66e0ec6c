//! Lessons in the app (crate `scalelab-lessons`, feature `embedded` off).
//!
//! The lesson data and text are not in the wasm: trunk copies
//! `crates/lessons/lessons.json`, its `scenarios/` and `solutions/` and
//! `static/lessons/{en,ko}.json` into `dist/lessons/`, and [`load`] fetches
//! them at run time, so translators and lesson authors never touch Rust. The
//! goal is checked with the crate's [`check`](scalelab_lessons::check) and
//! its lines are written by `Condition::progress_with`, in the text files' words.
//!
//! - this module: the fetched data ([`LessonData`]), its text lookup, the
//!   windows a goal is checked on ([`GoalTracker`]) and the stored progress;
//! - [`state`]: the lesson UI's own reducer (list open, current lesson,
//!   predict-first choice, passed lessons);
//! - `components/lessons.rs`: the header button, the list, the lesson panel,
//!   the goal box (also the embed goal box) and the `#lesson-status` element.

pub mod state;

use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use scalelab_lessons::{check, Condition, Goal, GoalStatus, Predict, COMMON_ID};
use scalelab_sim::WindowSnapshot;
use serde::Deserialize;

use crate::i18n::{lookup, Lang, Table};
use crate::state::History;

/// Folder (relative to the page) the lesson files are copied into.
pub const DIR: &str = "lessons/";
/// localStorage key of the ids of passed lessons (a JSON array).
pub const PASSED_KEY: &str = "scalelab.lessons.passed";

/// One lesson as written in `lessons.json`.
#[derive(Debug, Deserialize)]
pub struct Entry {
    /// Stable id, the key of the lesson's text.
    pub id: String,
    /// File name of the start (and solved) scenario.
    pub scenario: String,
    /// The predict-first question's shape.
    pub predict: Predict,
    /// Number of guided steps.
    pub steps: usize,
    /// What must hold for the lesson to pass.
    pub goal: Goal,
    /// The solution's steps as short text (`edit: set, component: web, …`),
    /// filled by [`solution_texts`]: they are only shown (the app loads
    /// `solutions/<file>`, made from them), and reading them with serde (as
    /// `scalelab_lessons::Edit`, raw values or a visitor) costs ~1.5 KB of wasm.
    #[serde(skip)]
    pub solution: Vec<String>,
}

/// The steps of every `"solution": [ … ]` array in `lessons.json`, in file
/// order, each `{ … }` shown without quotes and with single spaces. A
/// bracket count that skips strings, so the arrays' values may be anything.
fn solution_texts(json: &str) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    for (at, _) in json.match_indices("\"solution\"") {
        let Some(open) = json[at..].find('[') else {
            break;
        };
        let (mut steps, mut depth, mut start) = (Vec::new(), 0, 0);
        let (mut in_str, mut escaped) = (false, false);
        for (i, c) in json[at + open..].char_indices() {
            let i = at + open + i;
            match (in_str, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (_, false, '"') => in_str = !in_str,
                (false, _, '[' | '{') => {
                    depth += 1;
                    if depth == 2 {
                        start = i;
                    }
                }
                (false, _, ']' | '}') => {
                    depth -= 1;
                    if depth == 1 && c == '}' {
                        let step = &json[start + 1..i];
                        let words: Vec<&str> = step.split_whitespace().collect();
                        steps.push(words.join(" ").replace('"', ""));
                    }
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        all.push(steps);
    }
    all
}

/// The lessons and their text in both languages.
#[derive(Debug)]
pub struct LessonData {
    /// Every lesson, in chapter order.
    pub lessons: Vec<Entry>,
    /// English text (`lesson id/key` → text).
    pub en: Table,
    /// Korean text.
    pub ko: Table,
}

/// Parses a lesson text file (`{ "id": { "key": "text", … }, … }`) into the
/// UI's sorted table, keyed `id/key`, with the UI table's string reader
/// (maps of maps, by serde or by hand, cost ~2 KB more wasm).
fn parse_text(text: &str) -> Option<Table> {
    let mut table = Table::new();
    let (mut rest, mut depth) = (text, 0);
    let (mut id, mut key) = (String::new(), None::<String>);
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ':');
        match rest.chars().next() {
            None => break,
            Some('{') => depth += 1,
            Some('}') => depth -= 1,
            Some('"') => {
                let (s, after) = crate::i18n::json_string(&rest[1..])?;
                rest = after;
                match (depth, key.take()) {
                    (1, None) => id = s,
                    (2, None) => key = Some(s),
                    (2, Some(k)) => table.push((format!("{id}/{k}"), s)),
                    _ => return None,
                }
                continue;
            }
            Some(_) => return None,
        }
        rest = &rest[1..];
    }
    crate::i18n::sort_table(&mut table);
    (depth == 0).then_some(table)
}

impl LessonData {
    /// Parses the three files (`lessons.json`, `en.json`, `ko.json`).
    pub fn parse(lessons: &str, en: &str, ko: &str) -> Result<LessonData, String> {
        let table = |name: &str, text: &str| {
            parse_text(text).ok_or_else(|| format!("{DIR}{name}: not a lesson text file"))
        };
        let mut entries: Vec<Entry> =
            serde_json::from_str(lessons).map_err(|e| format!("{DIR}lessons.json: {e}"))?;
        for (e, steps) in entries.iter_mut().zip(solution_texts(lessons)) {
            e.solution = steps;
        }
        Ok(LessonData {
            lessons: entries,
            en: table("en.json", en)?,
            ko: table("ko.json", ko)?,
        })
    }

    /// A lesson's text in `lang` (English if missing there, else the key
    /// itself without its `ui.` prefix).
    pub fn text(&self, lang: Lang, id: &str, key: &str) -> String {
        let k = format!("{id}/{key}");
        let table = match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        };
        lookup(table, &k)
            .or_else(|| lookup(&self.en, &k))
            .cloned()
            .unwrap_or_else(|| key.trim_start_matches("ui.").to_string())
    }

    /// A condition's live line in `lang` ("availability 99.20% / goal ≥
    /// 99.90%"), written by the crate with the words of the text files.
    pub fn progress(&self, lang: Lang, c: &Condition, measured: Option<f64>) -> String {
        let metric = self.ui(lang, &format!("metric.{}", c.metric.key()));
        c.progress_with(measured, &metric, &self.ui(lang, "goal"))
    }

    /// Text shared by all lessons (`ui.goal`, `ui.prev`, …).
    pub fn ui(&self, lang: Lang, key: &str) -> String {
        self.text(lang, COMMON_ID, key)
    }
}

/// Fetches and parses the lesson files.
pub async fn load() -> Result<LessonData, String> {
    use crate::net::fetch_text;
    let lessons = fetch_text(&format!("{DIR}lessons.json")).await?;
    let en = fetch_text(&format!("{DIR}en.json")).await?;
    let ko = fetch_text(&format!("{DIR}ko.json")).await?;
    LessonData::parse(&lessons, &en, &ko)
}

/// The ids of passed lessons, from localStorage (a JSON array of strings,
/// read with the UI table's string reader rather than serde).
pub fn stored_passed() -> Vec<String> {
    let raw = LocalStorage::raw().get_item(PASSED_KEY).ok().flatten();
    parse_ids(raw.as_deref().unwrap_or("[]"))
}

/// `["a", "b"]` → the strings (nothing if it is not such an array).
fn parse_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = text.trim().strip_prefix('[').unwrap_or("");
    while let Some(i) = rest.find('"') {
        let Some((id, after)) = crate::i18n::json_string(&rest[i + 1..]) else {
            break;
        };
        ids.push(id);
        rest = after;
    }
    ids
}

/// Saves the ids of passed lessons (private mode: kept for this page only).
/// Ids are lesson ids from `lessons.json` (letters, digits, `-`).
pub fn store_passed(ids: &[String]) {
    let list: Vec<String> = ids.iter().map(|i| format!("{i:?}")).collect();
    let _ = LocalStorage::raw().set_item(PASSED_KEY, &format!("[{}]", list.join(",")));
}

/// The windows of the current run up to the goal's end: the app's history
/// keeps only the latest ones, and at full speed the goal's span scrolls out
/// of it within a second. Reset when the lesson or the run changes.
#[derive(Debug, Default)]
pub struct GoalTracker {
    /// (lesson, history rev) the windows belong to.
    key: (usize, u64),
    /// Windows of the history already taken.
    seen: u64,
    /// The windows kept.
    kept: Vec<Rc<WindowSnapshot>>,
}

impl GoalTracker {
    /// Takes the new windows of `history` and checks lesson `lesson`'s goal on
    /// every window of this run so far.
    pub fn check(&mut self, lesson: usize, goal: &Goal, history: &History) -> GoalStatus {
        if self.key != (lesson, history.rev) || history.seen < self.seen {
            *self = GoalTracker {
                key: (lesson, history.rev),
                ..GoalTracker::default()
            };
        }
        let new = (history.seen - self.seen) as usize;
        let end = goal.run_s() + 1e-6;
        let skip = history.windows.len().saturating_sub(new);
        self.kept.extend(
            history
                .windows
                .iter()
                .skip(skip)
                .filter(|w| w.start_s < end)
                .cloned(),
        );
        self.seen = history.seen;
        check(goal, &self.kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> LessonData {
        LessonData::parse(
            include_str!("../../crates/lessons/lessons.json"),
            include_str!("../../static/lessons/en.json"),
            include_str!("../../static/lessons/ko.json"),
        )
        .expect("the lesson files parse")
    }

    #[test]
    fn the_lesson_files_parse_and_match_the_crate() {
        let d = data();
        let crate_lessons = scalelab_lessons::lessons();
        assert_eq!(d.lessons.len(), crate_lessons.len());
        for (e, l) in d.lessons.iter().zip(&crate_lessons) {
            assert_eq!(
                (&e.id, &e.scenario, &e.goal),
                (&l.id, &l.scenario_file, &l.goal)
            );
            assert_eq!(e.solution.len(), l.solution.len(), "{}", e.id);
        }
        assert_eq!(
            d.lessons[0].solution[0],
            "edit: set, component: web, param: size, value: large"
        );
        assert!(d.lessons[1].solution[0].starts_with("edit: add_component, component: { id: db,"));
    }

    #[test]
    fn the_text_reader_reads_what_serde_reads() {
        for text in [
            include_str!("../../static/lessons/en.json"),
            include_str!("../../static/lessons/ko.json"),
        ] {
            let serde: scalelab_lessons::TextTable = serde_json::from_str(text).expect("JSON");
            let mut flat: Table = serde
                .iter()
                .flat_map(|(id, m)| m.iter().map(move |(k, v)| (format!("{id}/{k}"), v.clone())))
                .collect();
            flat.sort();
            assert_eq!(parse_text(text), Some(flat));
        }
        assert_eq!(parse_text(r#"{"a": {"b": 1}}"#), None, "only strings");
        assert_eq!(parse_text(r#"{"a": {"b": "c"}"#), None, "unbalanced");
    }

    #[test]
    fn stored_ids_are_a_json_array() {
        let ids = parse_ids(r#"["01-single-server", "04-load-balancer"]"#);
        assert_eq!(ids, ["01-single-server", "04-load-balancer"]);
        assert!(parse_ids("garbage").is_empty() && parse_ids("[]").is_empty());
    }

    #[test]
    fn text_falls_back_to_english_then_the_key() {
        let d = data();
        let id = &d.lessons[4].id;
        assert_ne!(d.text(Lang::Ko, id, "title"), d.text(Lang::En, id, "title"));
        assert_eq!(d.ui(Lang::En, "ui.prev"), "← Previous");
        assert_eq!(d.ui(Lang::Ko, "ui.no_such_key"), "no_such_key");
        let goal = &d.lessons[0].goal.all[0];
        for lang in ["en", "ko"] {
            let l = Lang::from_code(lang).expect("a language");
            assert_eq!(
                d.progress(l, goal, Some(0.992)),
                scalelab_lessons::progress(lang, goal, Some(0.992)),
                "the same lines as the crate's"
            );
        }
    }

    #[test]
    fn the_tracker_keeps_the_goal_span_and_resets_with_the_run() {
        let lesson = &scalelab_lessons::lessons()[0];
        let windows = scalelab_lessons::run(&lesson.scenario, lesson.goal.run_s())
            .expect("the start scenario runs");
        let mut history = History {
            rev: 1,
            ..History::default()
        };
        let mut t = GoalTracker::default();
        for w in windows {
            let list = Rc::make_mut(&mut history.windows);
            if list.len() == 3 {
                list.pop_front();
            }
            list.push_back(Rc::new(w));
            history.seen += 1;
            t.check(0, &lesson.goal, &history);
        }
        let st = t.check(0, &lesson.goal, &history);
        assert!(
            st.complete && !st.passed,
            "the start design misses its goal"
        );
        history.rev = 2;
        history.seen = 0;
        Rc::make_mut(&mut history.windows).clear();
        assert!(!t.check(0, &lesson.goal, &history).complete, "a new run");
    }
}
