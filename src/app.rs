//! The root component: wires the editor, inspector, run bar, charts, the
//! simulation worker ([`crate::sim_link`]), persistence (autosave,
//! import/export, share links), keyboard shortcuts, language and embed mode.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::file::callbacks::FileReader;
use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::compare::{compare_bar, AbAction, CompareBarProps};
use crate::components::canvas::{zoom_at, Topology};
use crate::components::charts::{charts, use_charts, ChartsProps};
use crate::components::icons::{icon, Kind};
use crate::components::inspector::{inspector, InspectorProps};
use crate::components::lessons::Lessons;
use crate::components::palette::palette;
use crate::components::readout::{readout, ReadoutProps};
use crate::components::run_bar::{run_bar, RunBarProps};
use crate::components::toolbar::{toolbar, ToolbarProps};
use crate::i18n::{Lang, Tr};
use crate::model::{self, NODE_H, NODE_W};
use crate::sim_link::use_sim_link;
use crate::state::{Action, AppState, Edit, NoticeKind, Point, View};
use scalelab_sim::{self as sim, Scenario};
use scalelab_worker::ToSim;

/// localStorage key of the autosaved design.
const SAVE_KEY: &str = "scalelab.design";
/// localStorage key of the language.
const LANG_KEY: &str = "scalelab.lang";

/// Mount the app on `#app-root` (or `<body>` if it is missing).
pub fn mount() {
    let root = gloo::utils::document().get_element_by_id("app-root");
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

/// A query parameter of the page URL.
pub(crate) fn query_param(name: &str) -> Option<String> {
    let search = gloo::utils::window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn current_hash() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// Remove the hash from the address bar without reloading.
fn clear_hash() {
    let w = gloo::utils::window();
    let loc = w.location();
    let url = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The language asked for: `?lang=`, else the remembered one, else English.
fn wanted_lang() -> Lang {
    query_param("lang")
        .and_then(|l| Lang::from_code(&l))
        .or_else(|| {
            LocalStorage::get::<String>(LANG_KEY)
                .ok()
                .and_then(|l| Lang::from_code(&l))
        })
        .unwrap_or(Lang::En)
}

/// Switches to `lang` once its table is there (Korean is fetched the first
/// time); remembers the choice. If the table cannot be fetched the page stays
/// in its language and says so.
fn switch_lang(dispatch: UseReducerDispatcher<AppState>, lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang.code());
    yew::platform::spawn_local(async move {
        match crate::i18n::load(lang).await {
            Ok(()) => dispatch.dispatch(Action::SetLang(lang)),
            Err(e) => dispatch.dispatch(Action::Notify(NoticeKind::Error, e)),
        }
    });
}

/// The first state: the autosaved design (or stage 1), then a share link if
/// the URL has one. English until another language's table has arrived.
fn initial_state() -> AppState {
    let lang = Lang::En;
    let saved = LocalStorage::raw()
        .get_item(SAVE_KEY)
        .ok()
        .flatten()
        .and_then(|text| model::load_design(&text).ok());
    let doc = saved.unwrap_or_else(model::single_server);
    let mut state = AppState::new(doc, lang);
    let hash = current_hash();
    if hash.contains("s=") {
        let next = open_share(Rc::new(state), &hash);
        clear_hash();
        state = (*next).clone();
    }
    // Instructor controls from the URL (`?readonly=1`, `?lock=`, `?hide=`),
    // set after the shared design is open: they pin that design.
    state.pins = Rc::new(crate::pins::Pins::from_page());
    state
}

/// Load the design of a share link, or say why not (the current design stays).
fn open_share(state: Rc<AppState>, hash: &str) -> Rc<AppState> {
    use yew::Reducible;
    let tr = Tr::new(state.lang);
    match model::from_share_fragment(hash) {
        Ok(doc) => state
            .reduce(open_action(doc, hash))
            .reduce(Action::Notify(NoticeKind::Info, tr.t("msg.link_opened"))),
        Err(e) => state.reduce(Action::Notify(
            NoticeKind::Error,
            tr.f("msg.link_bad", &[&e]),
        )),
    }
}

/// Opening a share link's design A: alone, or compared with its design B.
fn open_action(a: Scenario, hash: &str) -> Action {
    match model::b_from_share_fragment(hash) {
        Some(Ok(b)) => Action::Ab(AbAction::Open(Box::new((a, b)))),
        _ => Action::Edit(Edit::Load(a)),
    }
}

/// A label for a new component: the kind's name, numbered after the first.
fn new_label(tr: &Tr, doc: &Scenario, kind: Kind) -> String {
    let name = tr.t(&format!("kind.{}.name", kind.slug()));
    let id = model::fresh_id(doc, kind);
    match id.rsplit_once('-').and_then(|(_, n)| n.parse::<u32>().ok()) {
        Some(n) => format!("{name} {n}"),
        None => name,
    }
}

/// Trigger a download of `text` (of media type `mime`) as `name`.
pub(crate) fn download(name: &str, mime: &str, text: &str) {
    let blob = gloo::file::Blob::new_with_options(text, Some(mime));
    let url = gloo::file::ObjectUrl::from(blob);
    click_link(&url, name);
    // Keep the object URL alive a little, then let it go.
    gloo::timers::callback::Timeout::new(10_000, move || drop(url)).forget();
}

/// Click a temporary `<a href=url download=name>`.
fn click_link(url: &str, name: &str) {
    if let Ok(a) = gloo::utils::document().create_element("a") {
        let _ = a.set_attribute("href", url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
}

/// The canvas's SVG as markup, with a `viewBox` of what is on screen (so it scales in the report).
fn design_svg() -> Option<String> {
    let e = gloo::utils::document().get_element_by_id("topology")?;
    let copy: web_sys::Element = e.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let viewbox = format!("0 0 {} {}", e.client_width(), e.client_height());
    copy.set_attribute("viewBox", &viewbox).ok()?;
    Some(copy.outer_html())
}

/// The text of the page's stylesheets (for the report; one that cannot be
/// read is left out, and the picture is then drawn unstyled).
async fn page_css() -> String {
    let mut css = String::new();
    let Ok(links) = gloo::utils::document().query_selector_all("link[rel=stylesheet]") else {
        return css;
    };
    for i in 0..links.length() {
        let href = links
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("href"));
        if let Some(href) = href {
            css.push_str(&crate::net::fetch_text(&href).await.unwrap_or_default());
        }
    }
    css
}

/// Download every chart, stacked in one PNG (`scalelab-charts.png`).
fn download_charts_png() {
    let doc = gloo::utils::document();
    let Ok(list) = doc.query_selector_all("canvas.chart-canvas") else {
        return;
    };
    let charts: Vec<web_sys::HtmlCanvasElement> = (0..list.length())
        .filter_map(|i| list.get(i)?.dyn_into().ok())
        .filter(|c: &web_sys::HtmlCanvasElement| c.width() > 0 && c.height() > 0)
        .collect();
    let width = charts.iter().map(|c| c.width()).max().unwrap_or(0);
    let height: u32 = charts.iter().map(|c| c.height()).sum();
    let Some(out) = doc
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
    else {
        return;
    };
    out.set_width(width.max(1));
    out.set_height(height.max(1));
    let Some(ctx) = out
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    let mut y = 0.0;
    for c in &charts {
        let _ = ctx.draw_image_with_html_canvas_element(c, 0.0, y);
        y += f64::from(c.height());
    }
    if let Ok(url) = out.to_data_url() {
        click_link(&url, "scalelab-charts.png");
    }
}

/// The export file's name: the design's name in lower case, words joined by
/// `-`, keeping ASCII letters and digits and CJK/Hangul (ASCII checks keep the
/// Unicode letter tables out of the wasm). "Stage 1 · Single server" →
/// `stage-1--single-server.json`.
fn export_name(name: &str) -> String {
    let keep = |c: &char| c.is_ascii_alphanumeric() || *c == ' ' || *c >= '\u{3000}';
    let kept: String = name.chars().filter(keep).collect();
    format!(
        "{}.json",
        kept.trim().replace(' ', "-").to_ascii_lowercase()
    )
}

/// The ScaleLab page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let tr = Tr::new(state.lang);
    let embed = *use_memo((), |_| query_param("embed").is_some_and(|v| v != "0"));
    let fit_rev = use_state(|| 0u64);
    let ghost = use_state(|| None::<(Kind, f64, f64)>);
    let reader: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);
    let dialog = use_state(|| None::<(&'static str, String)>);
    // The toolbar's hidden file input (import).
    let file_ref = use_node_ref();
    // The fault track's state (src/components/fault_track.rs).
    let track_state = (
        use_state(|| "fail"),
        use_state(|| (state.doc.duration_s / 2.0).round()),
        use_state(|| None::<usize>),
        use_mut_ref(|| None::<(usize, f64)>),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    // The run bar's fields while the learner types in them.
    let run_drafts = (use_state(|| None::<String>), use_state(|| None::<String>));
    // The latest state, for long-lived listeners.
    let latest: Rc<RefCell<Rc<AppState>>> =
        use_mut_ref(|| Rc::new(AppState::new(model::empty_scenario(), Lang::En)));
    *latest.borrow_mut() = Rc::new((*state).clone());

    // The open lesson's (scenario name, translated title): the design's name
    // is shown in the page's language while it is the lesson's scenario.
    let lesson_title = use_state(|| None::<(String, String)>);
    let design_name = match &*lesson_title {
        Some((name, title)) if *name == state.doc.name => title.clone(),
        _ => state.doc.name.clone(),
    };

    // The simulation runs in a web worker, kept in step with the state.
    let link = use_sim_link(&state);

    // Autosave the design.
    {
        let doc = state.doc.clone();
        use_effect_with(state.doc_rev, move |rev| {
            if *rev > 0 {
                let _ = LocalStorage::raw().set_item(SAVE_KEY, &model::to_compact_json(&doc));
            }
        });
    }

    // The language asked for (fetched if it is not English).
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let lang = wanted_lang();
            let _ = LocalStorage::set(LANG_KEY, lang.code());
            if lang != Lang::En {
                switch_lang(dispatch, lang);
            }
        });
    }

    // Set <html lang> (the choice is remembered by `switch_lang`).
    use_effect_with(state.lang, |lang| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
    });

    // Fit the canvas when a design is loaded (preset, import, link) — and once at start.
    {
        let fit_rev = fit_rev.clone();
        use_effect_with(state.load_rev, move |rev| {
            if *rev > 0 {
                fit_rev.set(*fit_rev + 1);
            }
        });
    }

    // A share link pasted into the address bar of an open page.
    {
        let dispatch = state.dispatcher();
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let hash = current_hash();
                if !hash.contains("s=") {
                    return;
                }
                let tr = Tr::new(latest.borrow().lang);
                match model::from_share_fragment(&hash) {
                    Ok(doc) => {
                        dispatch.dispatch(open_action(doc, &hash));
                        dispatch
                            .dispatch(Action::Notify(NoticeKind::Info, tr.t("msg.link_opened")));
                    }
                    Err(e) => dispatch.dispatch(Action::Notify(
                        NoticeKind::Error,
                        tr.f("msg.link_bad", &[&e]),
                    )),
                }
                clear_hash();
            });
            move || drop(listener)
        });
    }

    // Import a file (picked or dropped).
    let on_import = {
        let dispatch = state.dispatcher();
        let reader = reader.clone();
        let lang = state.lang;
        Callback::from(move |file: web_sys::File| {
            let dispatch = dispatch.clone();
            let name = file.name();
            let file = gloo::file::File::from(file);
            let task = gloo::file::callbacks::read_as_text(&file, move |res| {
                let tr = Tr::new(lang);
                match res
                    .map_err(|e| e.to_string())
                    .and_then(|t| model::load_design(&t).map_err(|e| e.to_string()))
                {
                    Ok(doc) => {
                        dispatch.dispatch(Action::Edit(Edit::Load(doc)));
                        dispatch.dispatch(Action::Notify(
                            NoticeKind::Info,
                            tr.f("msg.imported", &[&name]),
                        ));
                    }
                    Err(e) => dispatch.dispatch(Action::Notify(
                        NoticeKind::Error,
                        tr.f("msg.import_bad", &[&name, &e]),
                    )),
                }
            });
            *reader.borrow_mut() = Some(task);
        })
    };

    // Drop a file anywhere on the page.
    {
        let on_import = on_import.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let opts = EventListenerOptions::enable_prevent_default();
            let over =
                EventListener::new_with_options(&window, "dragover", opts, |e| e.prevent_default());
            let drop_l = EventListener::new_with_options(&window, "drop", opts, move |e| {
                e.prevent_default();
                let Some(e) = e.dyn_ref::<web_sys::DragEvent>() else {
                    return;
                };
                if let Some(f) = e
                    .data_transfer()
                    .and_then(|d| d.files())
                    .and_then(|l| l.get(0))
                {
                    on_import.emit(f);
                }
            });
            move || drop((over, drop_l))
        });
    }

    // Palette drag: follow the pointer; drop on the canvas creates the component.
    {
        let ghost_state = ghost.clone();
        let dispatch = state.dispatcher();
        let latest = latest.clone();
        let active = ghost.is_some();
        use_effect_with(active, move |active| {
            let listeners = active.then(|| {
                let window = gloo::utils::window();
                let g = ghost_state.clone();
                let mv = EventListener::new(&window, "pointermove", move |e| {
                    if let (Some(e), Some((k, _, _))) = (e.dyn_ref::<web_sys::PointerEvent>(), *g) {
                        g.set(Some((k, f64::from(e.client_x()), f64::from(e.client_y()))));
                    }
                });
                let g = ghost_state.clone();
                let up = EventListener::new(&window, "pointerup", move |e| {
                    let kind = g.map(|(k, _, _)| k);
                    g.set(None);
                    let (Some(e), Some(kind)) = (e.dyn_ref::<web_sys::PointerEvent>(), kind) else {
                        return;
                    };
                    let Some(svg) = gloo::utils::document().get_element_by_id("topology") else {
                        return;
                    };
                    let r = svg.get_bounding_client_rect();
                    let (cx, cy) = (f64::from(e.client_x()), f64::from(e.client_y()));
                    if cx < r.left() || cx > r.right() || cy < r.top() || cy > r.bottom() {
                        return;
                    }
                    let st = latest.borrow().clone();
                    let v = st.view;
                    let x = (cx - r.left() - v.pan.0) / v.zoom - NODE_W / 2.0;
                    let y = (cy - r.top() - v.pan.1) / v.zoom - NODE_H / 2.0;
                    let tr = Tr::new(st.lang);
                    let label = new_label(&tr, &st.doc, kind);
                    dispatch.dispatch(Action::Edit(Edit::Add {
                        kind,
                        pos: (x, y),
                        label,
                    }));
                });
                let g = ghost_state.clone();
                let cancel = EventListener::new(&window, "pointercancel", move |_| g.set(None));
                (mv, up, cancel)
            });
            move || drop(listeners)
        });
    }

    let on_palette_start = {
        let ghost = ghost.clone();
        Callback::from(move |(k, x, y): (Kind, f64, f64)| ghost.set(Some((k, x, y))))
    };
    let on_palette_add = {
        let dispatch = state.dispatcher();
        let latest = latest.clone();
        Callback::from(move |kind: Kind| {
            let st = latest.borrow().clone();
            let (w, h) = gloo::utils::document()
                .get_element_by_id("topology")
                .map_or((600.0, 300.0), |e| {
                    (f64::from(e.client_width()), f64::from(e.client_height()))
                });
            let v = st.view;
            let n = st.doc.components.len() as f64;
            let x = (w / 2.0 - v.pan.0) / v.zoom - NODE_W / 2.0 + (n % 5.0) * 20.0;
            let y = (h / 2.0 - v.pan.1) / v.zoom - NODE_H / 2.0 + (n % 5.0) * 20.0;
            let label = new_label(&Tr::new(st.lang), &st.doc, kind);
            dispatch.dispatch(Action::Edit(Edit::Add {
                kind,
                pos: (x, y),
                label,
            }));
        })
    };

    let on_delete = {
        let dispatch = state.dispatcher();
        let latest = latest.clone();
        Callback::from(move |_: ()| {
            let st = latest.borrow().clone();
            let edges = st.selected_edge.clone().into_iter().collect::<Vec<_>>();
            if !st.selection.is_empty() || !edges.is_empty() {
                dispatch.dispatch(Action::Edit(Edit::Delete {
                    ids: st.selection.clone(),
                    edges,
                }));
            }
        })
    };

    // Keyboard shortcuts.
    {
        let dispatch = state.dispatcher();
        let latest = latest.clone();
        let on_delete = on_delete.clone();
        let dialog = dialog.clone();
        let fit_rev = fit_rev.clone();
        use_effect_with((), move |_| {
            let opts = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(
                &gloo::utils::document(),
                "keydown",
                opts,
                move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    let in_field = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| {
                            matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                        });
                    let key = e.key();
                    let ctrl = e.ctrl_key() || e.meta_key();
                    let st = latest.borrow().clone();
                    if key == "Escape" {
                        dialog.set(None);
                        dispatch.dispatch(Action::ToggleHelp(false));
                        if !in_field {
                            dispatch.dispatch(Action::Select(Vec::new()));
                        }
                        return;
                    }
                    if in_field {
                        return;
                    }
                    let mut handled = true;
                    match key.as_str() {
                        "z" | "Z" if ctrl && e.shift_key() => dispatch.dispatch(Action::Redo),
                        "z" | "Z" if ctrl => dispatch.dispatch(Action::Undo),
                        "y" | "Y" if ctrl => dispatch.dispatch(Action::Redo),
                        "a" | "A" if ctrl => dispatch.dispatch(Action::Select(
                            st.doc.components.iter().map(|c| c.id.clone()).collect(),
                        )),
                        "Delete" | "Backspace" => on_delete.emit(()),
                        "?" => dispatch.dispatch(Action::ToggleHelp(!st.help_open)),
                        "+" | "=" => dispatch.dispatch(Action::SetView(zoom_at(
                            st.view,
                            1.2,
                            (300.0, 200.0),
                        ))),
                        "-" | "_" => dispatch.dispatch(Action::SetView(zoom_at(
                            st.view,
                            1.0 / 1.2,
                            (300.0, 200.0),
                        ))),
                        "0" => fit_rev.set(*fit_rev + 1),
                        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => {
                            let step = if e.shift_key() { 120.0 } else { 40.0 };
                            let (dx, dy) = match key.as_str() {
                                "ArrowLeft" => (step, 0.0),
                                "ArrowRight" => (-step, 0.0),
                                "ArrowUp" => (0.0, step),
                                _ => (0.0, -step),
                            };
                            dispatch.dispatch(Action::SetView(View {
                                zoom: st.view.zoom,
                                pan: (st.view.pan.0 + dx, st.view.pan.1 + dy),
                            }));
                        }
                        " " if !ctrl => {
                            if st.running {
                                dispatch.dispatch(Action::Pause)
                            } else {
                                dispatch.dispatch(Action::Play)
                            }
                        }
                        _ => handled = false,
                    }
                    if handled {
                        e.prevent_default();
                    }
                },
            );
            move || drop(listener)
        });
    }

    let on_step = {
        let link = link.clone();
        Callback::from(move |_: ()| link.step())
    };

    let on_traffic = {
        let link = link.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |rps: f64| {
            // The field shows the new level at once; the worker reports a refusal.
            dispatch.dispatch(Action::SetTraffic(rps));
            link.set_traffic(rps);
        })
    };

    let on_fault = {
        let link = link.clone();
        Callback::from(move |a: sim::Action| link.apply(&a))
    };

    // A chapter scenario is fetched from dist/scenarios/ (not in the wasm);
    // if it cannot be, the design stays and a message says why.
    let on_preset = {
        let dispatch = state.dispatcher();
        let lang = state.lang;
        Callback::from(move |file: String| {
            if file.is_empty() {
                dispatch.dispatch(Action::Edit(Edit::Load(model::empty_scenario())));
                return;
            }
            let dispatch = dispatch.clone();
            yew::platform::spawn_local(async move {
                let loaded = crate::net::fetch_text(&format!("scenarios/{file}"))
                    .await
                    .and_then(|t| Scenario::from_json(&t).map_err(|e| e.to_string()));
                match loaded {
                    Ok(doc) => dispatch.dispatch(Action::Edit(Edit::Load(doc))),
                    Err(e) => {
                        let tr = Tr::new(lang);
                        let text = tr.f("msg.load_bad", &[&file, &e]);
                        dispatch.dispatch(Action::Notify(NoticeKind::Error, text));
                    }
                }
            });
        })
    };

    let on_export = {
        let dialog = dialog.clone();
        let doc = state.doc.clone();
        Callback::from(move |_: ()| dialog.set(Some(("export", doc.to_json()))))
    };
    let on_share = {
        let dialog = dialog.clone();
        let doc = state.doc.clone();
        let ab = state.compare.as_ref().map(|c| {
            let (a, b) = c.designs(&state.doc);
            (a.clone(), b.clone())
        });
        Callback::from(move |_: ()| {
            let loc = gloo::utils::window().location();
            let url = format!(
                "{}{}{}#{}",
                loc.origin().unwrap_or_default(),
                loc.pathname().unwrap_or_default(),
                loc.search()
                    .unwrap_or_default()
                    .replace("embed=1", "")
                    .trim_end_matches(['?', '&']),
                match &ab {
                    Some((a, b)) => model::share_fragment_ab(a, Some(b)),
                    None => model::share_fragment(&doc),
                }
            );
            let clip = gloo::utils::window().navigator().clipboard();
            let _ = clip.write_text(&url);
            dialog.set(Some(("share", url)));
        })
    };

    let d = state.dispatcher();
    let emit = Callback::from(move |a: Action| d.dispatch(a));
    let last = state.history.last().cloned();
    let last_point = last.as_ref().map(|w| Point::from(&**w));

    let notice = state.notice.as_ref().filter(|n| !n.text.is_empty()).map(|n| {
        let d = state.dispatcher();
        html! {
            <div id="notice" key={n.seq.to_string()} class={classes!("notice", if n.kind == NoticeKind::Error { "error" } else { "info" })}
                role={if n.kind == NoticeKind::Error { "alert" } else { "status" }} data-kind={if n.kind == NoticeKind::Error { "error" } else { "info" }}>
                <span>{ n.text.clone() }</span>
                <button class="notice-close" aria-label={tr.t("msg.dismiss")} onclick={Callback::from(move |_| d.dispatch(Action::DismissNotice))}>{ "×" }</button>
            </div>
        }
    });
    let status = html! {
        <div id="design-status" class={classes!("design-status", if state.validation.is_some() { "invalid" } else { "valid" })}
            data-valid={state.validation.is_none().to_string()}>
            if let Some(v) = &state.validation {
                <span class="status-dot"></span>{ tr.f("status.invalid", &[v]) }
            } else {
                <span class="status-dot"></span>
                { tr.t("status.valid") }
                if let Some(c) = state.prediction.capacity_rps {
                    { " · " }{ tr.f("status.capacity", &[&crate::state::format_number(c)]) }
                }
                if let Some(b) = &state.prediction.bottleneck {
                    { " · " }{ tr.f("status.bottleneck", &[b]) }
                }
            }
        </div>
    };

    let run_bar = run_bar(
        &tr,
        &RunBarProps {
            running: state.running,
            speed: state.speed,
            traffic_rps: state.traffic_rps(),
            base_rps: state.doc.offered_rps(),
            sim_time_s: state.sim_time_s,
            capacity_rps: state.prediction.capacity_rps,
            input_error: state.input_error.clone(),
            behind: state.behind,
            seed: state.doc.seed,
            runnable: state.validation.is_none(),
            on_play: {
                let d = state.dispatcher();
                Callback::from(move |_| d.dispatch(Action::Play))
            },
            on_pause: {
                let d = state.dispatcher();
                Callback::from(move |_| d.dispatch(Action::Pause))
            },
            on_step,
            on_reset: {
                let d = state.dispatcher();
                Callback::from(move |_| d.dispatch(Action::Reset))
            },
            on_speed: {
                let d = state.dispatcher();
                Callback::from(move |s| d.dispatch(Action::SetSpeed(s)))
            },
            on_traffic,
            on_reject: {
                let d = state.dispatcher();
                Callback::from(move |m| d.dispatch(Action::RejectInput(m)))
            },
            on_seed: {
                let d = state.dispatcher();
                Callback::from(move |s| d.dispatch(Action::Edit(Edit::Seed(s))))
            },
        },
        &run_drafts,
    );
    let topology = html! {
        <Topology
            doc={state.doc.clone()}
            last={last.clone()}
            selection={state.selection.clone()}
            selected_edge={state.selected_edge.clone()}
            view={state.view}
            failed={state.failed.clone()}
            running={state.running}
            fit_rev={*fit_rev}
            dispatch={emit.clone()}
        />
    };
    let readout = readout(
        &tr,
        &ReadoutProps {
            sim_time_s: state.sim_time_s,
            last: last_point,
            total_errors: state.total_errors,
            total_successes: state.total_successes,
            errors_by_cause: state.errors_by_cause.clone(),
            slo_p99_ms: Some(state.doc.slo.latency_ms_p99),
            slo_availability: Some(state.doc.slo.availability),
            cost: state.cost,
        },
    );
    let charts_props =
        ChartsProps {
            history: state.history.clone(),
            capacity_rps: state.prediction.capacity_rps,
            predicted_latency_ms: state.prediction.latency_ms_mean,
            slo_p99_ms: Some(state.doc.slo.latency_ms_p99),
            slo_availability: state.doc.slo.availability,
            markers: state.markers.clone(),
            history_b: state.compare.as_ref().map(|c| c.history_b.clone()),
            consistency: state.doc.components.iter().any(
                |c| matches!(&c.spec, scalelab_sim::ComponentSpec::Database(d) if d.replicas > 0),
            ),
            span_s: state.doc.duration_s,
        };
    let chart_refs = use_charts(&charts_props);
    let charts = charts(&tr, &charts_props, &chart_refs);
    let lessons = |embed: bool| {
        let t = lesson_title.clone();
        html! {
            <Lessons history={state.history.clone()} running={state.running} lang={state.lang} {embed}
                dispatch={emit.clone()} on_title={Callback::from(move |v| t.set(v))} />
        }
    };

    if embed {
        let loc = gloo::utils::window().location();
        let href = format!(
            "{}#{}",
            loc.pathname().unwrap_or_default(),
            model::share_fragment(&state.doc)
        );
        return html! {
            <ContextProvider<Tr> context={tr.clone()}>
                <div class="app embed" id="embed">
                    <div class="embed-head">
                        <span class="embed-title">{ design_name.clone() }</span>
                        <a id="open-full" class="btn" href={href} target="_blank" rel="noopener">{ tr.t("embed.open") }</a>
                    </div>
                    { run_bar }
                    // The lesson's title and goal when `?lesson=N` (src/components/lessons.rs).
                    { lessons(true) }
                    <div class="notice-slot" aria-live="polite">{ for notice.clone() }</div>
                    { topology }
                    { status }
                    { readout }
                    { charts }
                </div>
            </ContextProvider<Tr>>
        };
    }

    let track = crate::components::fault_track::fault_track(
        &tr,
        &crate::components::fault_track::FaultTrackProps {
            doc: state.doc.clone(),
            history: state.history.clone(),
            on_edit: {
                let d = state.dispatcher();
                Callback::from(move |t| d.dispatch(Action::Edit(Edit::Timeline(t))))
            },
            on_chaos: {
                let (link, doc) = (link.clone(), state.doc.clone());
                Callback::from(move |k: &'static str| link.chaos(&doc, k))
            },
        },
        &track_state,
    );
    let compare_bar = compare_bar(
        &tr,
        &CompareBarProps {
            compare: state.compare.clone(),
            sim_time_s: state.sim_time_s,
            first_s: state.history.windows.front().map_or(0.0, |w| w.start_s),
            on_ab: {
                let d = state.dispatcher();
                Callback::from(move |a| d.dispatch(Action::Ab(a)))
            },
            on_seek: {
                let link = link.clone();
                Callback::from(move |t| link.seek(t))
            },
        },
    );

    let ghost_el = ghost.map(|(k, x, y)| html! {
        <div class={classes!("drag-ghost", format!("kind-{}", k.slug()))} style={format!("left: {x:.0}px; top: {y:.0}px")}>
            <span class="palette-icon">{ icon(k, "icon", None) }</span>
            <span>{ tr.t(&format!("kind.{}.name", k.slug())) }</span>
        </div>
    });

    let help = state.help_open.then(|| {
        let d = state.dispatcher();
        let close = Callback::from(move |_: MouseEvent| d.dispatch(Action::ToggleHelp(false)));
        let rows = [
            ("Ctrl+Z", "help.undo"), ("Ctrl+Shift+Z / Ctrl+Y", "help.redo"), ("Delete", "help.delete"),
            ("Ctrl+A", "help.select_all"), ("Shift+click", "help.shift_click"), ("Shift+drag", "help.band"),
            ("+ / −", "help.zoom"), ("← ↑ → ↓", "help.pan"), ("0", "help.fit"), ("Space", "help.play"),
            ("?", "help.help"), ("Esc", "help.escape"),
        ];
        html! {
            <div class="overlay" onclick={close.clone()}>
                <div id="help-dialog" class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title"
                    onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                    <h2 id="help-title">{ tr.t("help.title") }</h2>
                    <table class="keys">
                        { for rows.iter().map(|(k, t)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ tr.t(t) }</td></tr> }) }
                    </table>
                    <p class="insp-tip">{ tr.t("help.edit") }</p>
                    <button class="btn" onclick={close}>{ tr.t("help.close") }</button>
                </div>
            </div>
        }
    });

    let dlg = (*dialog).clone().map(|(kind, text)| {
        let dialog_c = dialog.clone();
        let close = Callback::from(move |_: MouseEvent| dialog_c.set(None));
        let name = export_name(&state.doc.name);
        let text_c = text.clone();
        let dl = Callback::from(move |_: MouseEvent| download(&name, "application/json", &text_c));
        html! {
            <div class="overlay" onclick={close.clone()}>
                <div id={format!("{kind}-dialog")} class="dialog wide" role="dialog" aria-modal="true"
                    onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                    if kind == "share" {
                        <h2>{ tr.t("share.title") }</h2>
                        <p class="insp-text">{ tr.t("share.text") }</p>
                        <input id="share-link" class="text-input mono" readonly=true value={text.clone()}
                            onfocus={Callback::from(|e: FocusEvent| { let i: web_sys::HtmlInputElement = e.target_unchecked_into(); i.select(); })} />
                        <p class="insp-tip">{ tr.f("share.size", &[&text.len().to_string()]) }</p>
                    } else {
                        <h2>{ tr.t("export.title") }</h2>
                        <textarea id="export-json" class="text-input mono json" readonly=true value={text.clone()} />
                        <button id="download-json" class="btn btn-primary" onclick={dl}>{ tr.t("export.download") }</button>
                        <p class="insp-tip">{ tr.t("export.more") }</p>
                        <div class="btn-group">
                            <button id="export-png" class="btn" onclick={Callback::from(|_| download_charts_png())}>{ tr.t("export.png") }</button>
                            <button id="export-csv" class="btn" onclick={{ let l = link.clone(); Callback::from(move |_| l.send(ToSim::ExportCsv)) }}>{ tr.t("export.csv") }</button>
                            <button id="export-report" class="btn" onclick={{ let (l, tr) = (link.clone(), tr.clone()); Callback::from(move |_| {
                                let (l, svg) = (l.clone(), design_svg().unwrap_or_default());
                                let (lang, strings) = (tr.lang.code().into(), tr.entries(&["report.", "review."]));
                                wasm_bindgen_futures::spawn_local(async move {
                                    let css = page_css().await;
                                    l.send(ToSim::ExportReport { design_svg: svg, css, lang, strings });
                                });
                            }) }}>{ tr.t("export.report") }</button>
                        </div>
                    }
                    <button class="btn" id="dialog-close" onclick={close}>{ tr.t("help.close") }</button>
                </div>
            </div>
        }
    });

    let on_fix = {
        let (d, items) = (state.dispatcher(), state.review.clone());
        Callback::from(move |i: usize| {
            let Some(f) = items.get(i) else { return };
            let edit = if f.fix_is_design {
                Scenario::from_json(&f.fix_json).ok().map(Edit::Load)
            } else {
                serde_json::from_str(&f.fix_json).ok().map(Edit::Update)
            };
            if let Some(e) = edit {
                d.dispatch(Action::Edit(e));
            }
        })
    };
    let on_chal_load = {
        let d = state.dispatcher();
        Callback::from(move |json: String| match Scenario::from_json(&json) {
            Ok(doc) => d.dispatch(Action::Edit(Edit::Load(doc))),
            Err(e) => d.dispatch(Action::Notify(NoticeKind::Error, e.to_string())),
        })
    };
    let on_chal_check = {
        let (d, link, doc) = (state.dispatcher(), link.clone(), state.doc.clone());
        Callback::from(move |card_json: String| {
            d.dispatch(Action::Scored(None));
            link.send(ToSim::Score {
                card_json,
                scenario_json: doc.to_json(),
            });
        })
    };
    let on_sweep = {
        let (d, link, doc, gen) = (
            state.dispatcher(),
            link.clone(),
            state.doc.clone(),
            state.sweep.gen + 1,
        );
        Callback::from(
            move |(from_rps, to_rps, steps, duration_s): (f64, f64, u32, f64)| {
                d.dispatch(Action::Sweep(
                    crate::components::sweep::SweepEvent::Started(gen, steps),
                ));
                link.send(ToSim::Sweep {
                    gen,
                    scenario_json: model::to_compact_json(&doc),
                    from_rps,
                    to_rps,
                    steps,
                    duration_s,
                });
            },
        )
    };
    let selected_component = state.selection.len() == 1;
    html! {
        <ContextProvider<Tr> context={tr.clone()}>
        <div class={classes!("app", ghost.is_some().then_some("dragging"), state.pins.readonly.then_some("readonly"), state.pins.classes())}>
            <header class="app-header">
                <div class="brand">
                    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
                        <rect x="2" y="2" width="28" height="28" rx="8" class="brand-bg" />
                        <path d="M9 22 L14 15 L18 18 L23 10" class="brand-line" />
                        <circle cx="23" cy="10" r="2.2" class="brand-dot" />
                    </svg>
                    <div class="brand-text">
                        <h1>{ "ScaleLab" }</h1>
                        <p class="subtitle" id="design-name" title={state.doc.description.clone()} data-loads={state.load_rev.to_string()}>{ design_name.clone() }</p>
                    </div>
                    // Lessons (src/components/lessons.rs): header button, lesson list, lesson panel.
                    if !state.pins.hides("lessons") { { lessons(false) } }
                    if state.pins.any() {
                        <span class="pin-badge" id="pin-badge" title={tr.t(if state.pins.readonly { "pin.readonly" } else { "pin.badge" })}>
                            <svg class="lock-icon" viewBox="0 0 16 16" aria-hidden="true"><rect x="3" y="7" width="10" height="7" rx="1.5" /><path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" /></svg>{ " " }{ tr.t("pin.badge") }
                        </span>
                    }
                </div>
                { toolbar(&tr, &ToolbarProps {
                    can_undo: !state.undo.is_empty(),
                    can_redo: !state.redo.is_empty(),
                    lang: state.lang,
                    on_preset,
                    on_undo: { let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::Undo)) },
                    on_redo: { let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::Redo)) },
                    on_import,
                    on_export,
                    on_share,
                    on_help: { let d = state.dispatcher(); Callback::from(move |_| d.dispatch(Action::ToggleHelp(true))) },
                    on_lang: { let d = state.dispatcher(); Callback::from(move |l| switch_lang(d.clone(), l)) },
                }, &file_ref) }
                if state.compare.is_none() && !state.pins.readonly {
                    <crate::components::review::HeaderPanels
                        chal={crate::components::challenges::ChallengeProps { scored: state.scored.clone(), on_load: on_chal_load, on_check: on_chal_check }}
                        review={crate::components::review::ReviewProps { items: state.review.clone(), doc: state.doc.clone(), on_fix }}
                        sweep={crate::components::sweep::SweepProps { view: state.sweep.clone(), doc: state.doc.clone(),
                            capacity_rps: state.prediction.capacity_rps, on_run: on_sweep, on_cancel: { let l = link.clone(); Callback::from(move |()| l.send(ToSim::CancelSweep)) } }} />
                }
            </header>
            <div class="app-body">
                if !state.pins.hides("palette") { { palette(&tr, &on_palette_start, &on_palette_add) } }
                <main class="workspace">
                    { run_bar }
                    { compare_bar }
                    <div class="notice-slot" aria-live="polite">{ for notice.clone() }</div>
                    <div class={classes!("editor-row", selected_component.then_some("has-selection"))}>
                        <div class="editor-main">
                            { topology }
                            { status }
                        </div>
                        { inspector(&tr, &InspectorProps {
                            doc: state.doc.clone(),
                            selection: state.selection.clone(),
                            selected_edge: state.selected_edge.clone(),
                            history: state.history.clone(),
                            failed: state.failed.clone(),
                            field_error: state.field_error.clone(),
                            prediction: state.prediction.clone(),
                            can_fault: state.validation.is_none() && state.sim_time_s > 0.0,
                            on_update: { let d = state.dispatcher(); Callback::from(move |c| d.dispatch(Action::Edit(Edit::Update(c)))) },
                            on_delete,
                            on_fault,
                            on_slo: { let d = state.dispatcher(); Callback::from(move |(a, p)| d.dispatch(Action::Edit(Edit::Slo(a, p)))) },
                            on_prices: { let d = state.dispatcher(); Callback::from(move |p| d.dispatch(Action::Edit(Edit::Prices(p)))) },
                            pins: state.pins.clone(),
                        }) }
                    </div>
                    { readout }
                    { charts }
                    { track }
                </main>
            </div>
            <div class="overlays">
                { for ghost_el }
                { for help }
                { for dlg }
            </div>
        </div>
        </ContextProvider<Tr>>
    }
}

#[cfg(test)]
mod tests {
    use super::export_name;

    #[test]
    fn export_names_keep_words_and_drop_punctuation() {
        assert_eq!(
            export_name("Stage 1 · Single server"),
            "stage-1--single-server.json"
        );
        assert_eq!(export_name("내 설계: v2/3"), "내-설계-v23.json");
    }
}
