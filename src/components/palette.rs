//! The component palette: every kind of the chapter, with icon and a one-line
//! description. Items are dragged onto the canvas with pointer events (mouse,
//! pen, touch); Enter or a double click adds one in the middle of the canvas.

use yew::prelude::*;

use super::icons::{icon, Kind};
use crate::i18n::Tr;

/// The palette column: `on_start` when a drag starts (kind, client x,
/// client y); `on_add` adds a component without dragging (keyboard, double
/// click). A function rather than a component (it has no state of its own):
/// a component's machinery cost the wasm more than it saved.
pub fn palette(tr: &Tr, on_start: &Callback<(Kind, f64, f64)>, on_add: &Callback<Kind>) -> Html {
    html! {
        <aside class="palette" aria-label={tr.t("palette.title")}>
            <div class="panel-title">
                <span>{ tr.t("palette.title") }</span>
                <span class="count">{ Kind::ALL.len() }</span>
            </div>
            <ul class="palette-list">
                { for Kind::ALL.iter().map(|&kind| {
                    let name = tr.t(&format!("kind.{}.name", kind.slug()));
                    let desc = tr.t(&format!("kind.{}.desc", kind.slug()));
                    let on_start = on_start.clone();
                    let onpointerdown = Callback::from(move |e: PointerEvent| {
                        if e.button() != 0 { return; }
                        e.prevent_default();
                        on_start.emit((kind, f64::from(e.client_x()), f64::from(e.client_y())));
                    });
                    let add = on_add.clone();
                    let onkeydown = Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " { e.prevent_default(); add.emit(kind); }
                    });
                    let add = on_add.clone();
                    let ondblclick = Callback::from(move |_: MouseEvent| add.emit(kind));
                    html! {
                        <li class={classes!("palette-item", format!("kind-{}", kind.slug()))}
                            title={format!("{name} — {desc}")} tabindex="0" role="button"
                            data-kind={kind.slug()} data-testid={format!("palette-{}", kind.slug())}
                            {onpointerdown} {onkeydown} {ondblclick}>
                            <span class="palette-icon">{ icon(kind, "icon", None) }</span>
                            <span class="palette-text">
                                <span class="palette-name">{ name }</span>
                                <span class="palette-desc">{ desc }</span>
                            </span>
                        </li>
                    }
                }) }
            </ul>
            <p class="palette-hint">{ tr.t("palette.hint") }</p>
        </aside>
    }
}
