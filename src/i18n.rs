//! English/Korean UI strings. The tables live in `static/i18n/{en,ko}.json`
//! (flat `"key": "text"` maps, so translators need no Rust). English is built
//! into the wasm, so the first render needs no fetch; Korean is copied into
//! `dist/i18n/` and fetched when it is chosen ([`load`]; the app switches
//! once it has arrived, and stays in English if it cannot be fetched).
//! `{0}`, `{1}`… in a text are replaced by arguments.

use std::cell::RefCell;
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
        let c = code.trim();
        if c.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if c.eq_ignore_ascii_case("ko") || c.eq_ignore_ascii_case("kr") {
            Some(Lang::Ko)
        } else {
            None
        }
    }
}

/// A table: (key, text) sorted by key.
pub(crate) type Table = Vec<(String, String)>;

/// Reads a JSON string starting after its opening quote; returns it and the rest.
pub(crate) fn json_string(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = (0..4).filter_map(|_| chars.next().map(|x| x.1)).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// Parses a flat `{"key": "text", …}` object (what the translation files are).
fn parse(text: &str) -> Table {
    let mut table = Table::new();
    let mut rest = text;
    while let Some(i) = rest.find('"') {
        let Some((key, after)) = json_string(&rest[i + 1..]) else {
            break;
        };
        let Some(j) = after.find('"') else { break };
        let Some((value, after)) = json_string(&after[j + 1..]) else {
            break;
        };
        table.push((key, value));
        rest = after;
    }
    sort_table(&mut table);
    table
}

/// Sorts a table by key (stable), for [`lookup`]. One function for the UI
/// and the lesson tables, so the sort is compiled once.
pub(crate) fn sort_table(table: &mut Table) {
    table.sort_by(|a, b| a.0.cmp(&b.0));
}

pub(crate) fn lookup<'a>(t: &'a Table, key: &str) -> Option<&'a String> {
    t.binary_search_by(|(k, _)| k.as_str().cmp(key))
        .ok()
        .map(|i| &t[i].1)
}

thread_local! {
    static EN: Rc<Table> = Rc::new(parse(include_str!("../static/i18n/en.json")));
    /// The Korean table, once fetched.
    static KO: RefCell<Option<Rc<Table>>> = const { RefCell::new(None) };
}

/// Makes `lang`'s table available (fetches `i18n/ko.json` the first time
/// Korean is asked for); an error says which file could not be read.
pub async fn load(lang: Lang) -> Result<(), String> {
    if lang == Lang::En || KO.with(|k| k.borrow().is_some()) {
        return Ok(());
    }
    let text = crate::net::fetch_text("i18n/ko.json").await?;
    let table = parse(&text);
    if table.is_empty() {
        return Err("i18n/ko.json: no entries".into());
    }
    KO.with(|k| *k.borrow_mut() = Some(Rc::new(table)));
    Ok(())
}

/// The strings of one language (cheap to clone; compared by language).
#[derive(Debug, Clone)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
    table: Rc<Table>,
    en: Rc<Table>,
}

impl PartialEq for Tr {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

impl Tr {
    /// The tables of `lang` (English until a fetched table is [`load`]ed).
    pub fn new(lang: Lang) -> Tr {
        let en = EN.with(Rc::clone);
        let table = match lang {
            Lang::En => en.clone(),
            Lang::Ko => KO
                .with(|k| k.borrow().clone())
                .unwrap_or_else(|| en.clone()),
        };
        Tr { lang, table, en }
    }

    /// The text of `key` (English if the language lacks it, the key itself if both do).
    pub fn t(&self, key: &str) -> String {
        lookup(&self.table, key)
            .or_else(|| lookup(&self.en, key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// Every (key, text) whose key starts with one of `prefixes`, in this
    /// language (English where it has no text of its own).
    pub fn entries(&self, prefixes: &[&str]) -> Vec<(String, String)> {
        self.en
            .iter()
            .filter(|(k, _)| prefixes.iter().any(|p| k.starts_with(p)))
            .map(|(k, _)| (k.clone(), self.t(k)))
            .collect()
    }

    /// The text of `key` with `{0}`, `{1}`… replaced by `args`.
    pub fn f(&self, key: &str, args: &[&str]) -> String {
        scalelab_sim::review::fill(&self.t(key), args)
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
        let has = |t: &Table, k: &str| lookup(t, k).is_some();
        let serde_en: std::collections::HashMap<String, String> =
            serde_json::from_str(include_str!("../static/i18n/en.json")).expect("en.json is JSON");
        assert_eq!(
            serde_en.len(),
            en.len(),
            "the small parser reads every entry"
        );
        for (k, v) in &serde_en {
            assert_eq!(lookup(&en, k), Some(v), "{k}");
        }
        let mut missing: Vec<_> = en.iter().map(|(k, _)| k).filter(|k| !has(&ko, k)).collect();
        missing.sort();
        assert!(missing.is_empty(), "missing in ko.json: {missing:?}");
        let mut extra: Vec<_> = ko.iter().map(|(k, _)| k).filter(|k| !has(&en, k)).collect();
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
            include_str!("components/lessons.rs"),
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
                        if lookup(&en, key).is_none() {
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
