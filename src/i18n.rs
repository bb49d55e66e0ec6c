//! English/Korean UI strings. The tables live in `static/i18n/{en,ko}.json`
//! (flat `"key": "text"` maps, so translators need no Rust); they are built
//! into the wasm so the first render is already in the right language.
//! `{0}`, `{1}`… in a text are replaced by arguments.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Korean.
    Ko,
}

impl Lang {
    /// The code used in `?lang=` and localStorage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// Parses `en` / `ko`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ko" | "kr" => Some(Lang::Ko),
            _ => None,
        }
    }
}

fn parse(text: &str) -> HashMap<String, String> {
    serde_json::from_str(text).unwrap_or_default()
}

thread_local! {
    static EN: Rc<HashMap<String, String>> = Rc::new(parse(include_str!("../static/i18n/en.json")));
    static KO: Rc<HashMap<String, String>> = Rc::new(parse(include_str!("../static/i18n/ko.json")));
}

/// The strings of one language (cheap to clone; compared by language).
#[derive(Debug, Clone)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
    table: Rc<HashMap<String, String>>,
    en: Rc<HashMap<String, String>>,
}

impl PartialEq for Tr {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

impl Tr {
    /// The tables of `lang`.
    pub fn new(lang: Lang) -> Tr {
        let en = EN.with(Rc::clone);
        let table = match lang {
            Lang::En => en.clone(),
            Lang::Ko => KO.with(Rc::clone),
        };
        Tr { lang, table, en }
    }

    /// The text of `key` (English if the language lacks it, the key itself if both do).
    pub fn t(&self, key: &str) -> String {
        self.table
            .get(key)
            .or_else(|| self.en.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The text of `key` with `{0}`, `{1}`… replaced by `args`.
    pub fn f(&self, key: &str, args: &[&str]) -> String {
        let mut s = self.t(key);
        for (i, a) in args.iter().enumerate() {
            s = s.replace(&format!("{{{i}}}"), a);
        }
        s
    }
}

/// The current language's strings (from the context the app provides).
#[hook]
pub fn use_tr() -> Tr {
    use_context::<Tr>().unwrap_or_else(|| Tr::new(Lang::En))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let en = parse(include_str!("../static/i18n/en.json"));
        let ko = parse(include_str!("../static/i18n/ko.json"));
        assert!(en.len() > 50, "en.json parses");
        let mut missing: Vec<_> = en.keys().filter(|k| !ko.contains_key(*k)).collect();
        missing.sort();
        assert!(missing.is_empty(), "missing in ko.json: {missing:?}");
        let mut extra: Vec<_> = ko.keys().filter(|k| !en.contains_key(*k)).collect();
        extra.sort();
        assert!(extra.is_empty(), "only in ko.json: {extra:?}");
    }

    #[test]
    fn every_key_used_in_the_sources_exists() {
        let en = parse(include_str!("../static/i18n/en.json"));
        let sources = [
            include_str!("app.rs"),
            include_str!("components/canvas.rs"),
            include_str!("components/charts.rs"),
            include_str!("components/inspector.rs"),
            include_str!("components/palette.rs"),
            include_str!("components/readout.rs"),
            include_str!("components/run_bar.rs"),
            include_str!("components/toolbar.rs"),
        ];
        let mut missing = Vec::new();
        for src in sources {
            for pat in ["tr.t(\"", "tr.f(\""] {
                for part in src.split(pat).skip(1) {
                    if let Some(end) = part.find('"') {
                        let key = &part[..end];
                        if !en.contains_key(key) {
                            missing.push(key.to_string());
                        }
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "keys missing in en.json: {missing:?}");
    }
}
