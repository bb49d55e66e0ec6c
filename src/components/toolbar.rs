//! The header toolbar: scenario menu (the chapter's presets and an empty
//! canvas), undo/redo, import/export JSON, share link, help and language.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{Lang, Tr};

/// What [`toolbar`] shows and does.
pub struct ToolbarProps {
    /// Whether there is something to undo.
    pub can_undo: bool,
    /// Whether there is something to redo.
    pub can_redo: bool,
    /// The UI language.
    pub lang: Lang,
    /// Load a preset by file name ("" = empty canvas).
    pub on_preset: Callback<String>,
    /// Undo.
    pub on_undo: Callback<()>,
    /// Redo.
    pub on_redo: Callback<()>,
    /// A file was picked for import.
    pub on_import: Callback<web_sys::File>,
    /// Export the design as JSON.
    pub on_export: Callback<()>,
    /// Make a share link.
    pub on_share: Callback<()>,
    /// Open the shortcuts dialog.
    pub on_help: Callback<()>,
    /// Switch language.
    pub on_lang: Callback<Lang>,
}

/// The chapter's scenarios: (file in `dist/scenarios/`, name). Only the
/// names are in the wasm; a pick fetches the file (a test checks this list
/// against `scenarios/`).
pub const PRESETS: [(&str, &str); 13] = [
    ("01-single-server.json", "Stage 1 · Single server"),
    ("02-separate-database.json", "Stage 2 · A separate database"),
    ("03-vertical-scaling.json", "Stage 3 · Vertical scaling"),
    (
        "04-load-balancer.json",
        "Stage 4 · Load balancer and a web tier",
    ),
    (
        "05-database-replication.json",
        "Stage 5 · Database replication and failover",
    ),
    ("06-cache.json", "Stage 6 · Cache"),
    ("07-cdn.json", "Stage 7 · CDN"),
    ("08-stateless-web.json", "Stage 8 · Stateless web tier"),
    ("09-data-centers.json", "Stage 9 · Data centers and geo-DNS"),
    (
        "10-message-queue.json",
        "Stage 10 · Message queue and workers",
    ),
    ("11-autoscaling.json", "Stage 11 · Metrics and autoscaling"),
    ("12-sharding.json", "Stage 12 · Database sharding"),
    ("13-millions-of-users.json", "Stage 13 · Millions of users"),
];

/// The toolbar; `file_ref` is the app's reference to the hidden file input.
/// A function rather than a component (it has no state of its own): a
/// component's machinery cost the wasm more than it saved.
pub fn toolbar(tr: &Tr, props: &ToolbarProps, file_ref: &NodeRef) -> Html {
    let on_select = {
        let cb = props.on_preset.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let v = s.value();
            s.set_value("-");
            if v != "-" {
                cb.emit(v);
            }
        })
    };
    let on_file = {
        let cb = props.on_import.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                cb.emit(f);
            }
            input.set_value("");
        })
    };
    let open_picker = {
        let file_ref = file_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = file_ref.cast::<HtmlInputElement>() {
                i.click();
            }
        })
    };
    let lang_btn = |l: Lang, text: &'static str| {
        let cb = props.on_lang.clone();
        let active = props.lang == l;
        html! {
            <button id={format!("lang-{}", l.code())} class={classes!("lang", active.then_some("active"))}
                aria-pressed={active.to_string()} onclick={Callback::from(move |_| cb.emit(l))}>{ text }</button>
        }
    };
    html! {
        <div class="toolbar">
            <select id="scenario-menu" class="select" onchange={on_select} aria-label={tr.t("menu.scenarios")}>
                <option value="-" selected=true>{ tr.t("menu.scenarios") }</option>
                <option value="">{ tr.t("menu.empty") }</option>
                { for PRESETS.iter().map(|(file, name)| html! {
                    <option value={*file}>{ *name }</option>
                }) }
            </select>
            <div class="btn-group">
                <button id="undo" class="btn icon" disabled={!props.can_undo} title={tr.t("menu.undo")}
                    aria-label={tr.t("menu.undo")} onclick={props.on_undo.reform(|_| ())}>
                    <svg viewBox="0 0 16 16" class="stroke" aria-hidden="true"><path d="M5 3 2 6l3 3" /><path d="M2 6h7.5a4 4 0 0 1 0 8H6" /></svg>
                </button>
                <button id="redo" class="btn icon" disabled={!props.can_redo} title={tr.t("menu.redo")}
                    aria-label={tr.t("menu.redo")} onclick={props.on_redo.reform(|_| ())}>
                    <svg viewBox="0 0 16 16" class="stroke" aria-hidden="true"><path d="M11 3l3 3-3 3" /><path d="M14 6H6.5a4 4 0 0 0 0 8H10" /></svg>
                </button>
            </div>
            <div class="btn-group">
                <button id="import" class="btn" onclick={open_picker} title={tr.t("menu.import_hint")}>{ tr.t("menu.import") }</button>
                <input id="import-file" ref={file_ref.clone()} type="file" accept=".json,application/json" hidden=true onchange={on_file} />
                <button id="export" class="btn" onclick={props.on_export.reform(|_| ())}>{ tr.t("menu.export") }</button>
                <button id="share" class="btn" onclick={props.on_share.reform(|_| ())}>{ tr.t("menu.share") }</button>
            </div>
            <button id="help" class="btn icon" title={tr.t("menu.help")} aria-label={tr.t("menu.help")}
                onclick={props.on_help.reform(|_| ())}>{ "?" }</button>
            <div class="lang-toggle" role="group" aria-label="Language">
                { lang_btn(Lang::En, "EN") }
                { lang_btn(Lang::Ko, "한국어") }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::PRESETS;

    #[test]
    fn the_menu_lists_every_chapter_scenario_by_its_name() {
        let all = scalelab_sim::presets::ALL;
        assert_eq!(all.len(), PRESETS.len());
        for ((file, name), (f, _)) in PRESETS.iter().zip(all) {
            assert_eq!(file, f);
            let doc = scalelab_sim::presets::by_name(f).expect("a valid preset");
            assert_eq!(*name, doc.name, "{f}");
        }
    }
}
