//! The lesson UI's state: one small reducer of its own (the app's reducer in
//! `src/state.rs` keeps the design; loading a lesson's scenario goes through
//! it as `Edit::Load`, like a preset).

use std::rc::Rc;

use yew::Reducible;

use super::LessonData;

/// What the lesson UI shows.
#[derive(Debug, Clone, Default)]
pub struct LessonState {
    /// The lessons and their text, once fetched.
    pub data: Option<Rc<LessonData>>,
    /// Why they could not be fetched.
    pub error: Option<String>,
    /// The lesson list is open.
    pub list_open: bool,
    /// The open lesson (index from 0).
    pub current: Option<usize>,
    /// The name of the open lesson's scenario (to show it in the page's language).
    pub scenario_name: String,
    /// The predict-first choice (from 1; 0 = none yet).
    pub choice: usize,
    /// The answer has been revealed (a choice was made and play pressed).
    pub revealed: bool,
    /// Ids of passed lessons (stored in localStorage).
    pub passed: Vec<String>,
    /// Solutions loaded since the lesson was opened (`data-solutions`, for tests).
    pub solutions: u32,
}

/// Everything that changes [`LessonState`].
#[derive(Debug, Clone)]
pub enum LessonAction {
    /// The lesson files arrived (or could not be fetched).
    Loaded(Result<Rc<LessonData>, String>),
    /// Open or close the list.
    ShowList(bool),
    /// Lesson `index`'s start scenario (named `name`) was loaded into the editor.
    Opened {
        /// Index from 0.
        index: usize,
        /// The scenario's name.
        name: String,
    },
    /// The solved scenario was loaded.
    SolutionLoaded,
    /// Close the lesson panel.
    Close,
    /// Pick a predict-first answer (ignored once revealed).
    Choose(usize),
    /// Reveal the answer.
    Reveal,
    /// A lesson passed (its id).
    Passed(String),
}

impl Reducible for LessonState {
    type Action = LessonAction;

    fn reduce(self: Rc<Self>, action: LessonAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            LessonAction::Loaded(Ok(data)) => s.data = Some(data),
            LessonAction::Loaded(Err(e)) => s.error = Some(e),
            LessonAction::ShowList(open) => s.list_open = open,
            LessonAction::Opened { index, name } => {
                s.current = Some(index);
                s.scenario_name = name;
                s.list_open = false;
                s.choice = 0;
                s.revealed = false;
                s.solutions = 0;
            }
            LessonAction::SolutionLoaded => s.solutions += 1,
            LessonAction::Close => s.current = None,
            LessonAction::Choose(c) if !s.revealed => s.choice = c,
            LessonAction::Choose(_) => {}
            LessonAction::Reveal => s.revealed = s.choice > 0,
            LessonAction::Passed(id) => {
                if !s.passed.contains(&id) {
                    s.passed.push(id);
                }
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_a_lesson_resets_the_question_and_closes_the_list() {
        let s = Rc::new(LessonState::default())
            .reduce(LessonAction::ShowList(true))
            .reduce(LessonAction::Opened {
                index: 3,
                name: "Lesson 4".into(),
            })
            .reduce(LessonAction::Choose(2))
            .reduce(LessonAction::Reveal)
            .reduce(LessonAction::Choose(1));
        assert_eq!((s.current, s.list_open), (Some(3), false));
        assert_eq!(
            (s.choice, s.revealed),
            (2, true),
            "no change after the reveal"
        );
        let s = s
            .reduce(LessonAction::SolutionLoaded)
            .reduce(LessonAction::Passed("04".into()))
            .reduce(LessonAction::Passed("04".into()));
        assert_eq!((s.solutions, s.passed.len()), (1, 1));
        let s = s.reduce(LessonAction::Opened {
            index: 4,
            name: String::new(),
        });
        assert_eq!((s.choice, s.revealed, s.solutions), (0, false, 0));
        assert!(
            !Rc::new(LessonState::default())
                .reduce(LessonAction::Reveal)
                .revealed
        );
    }
}
