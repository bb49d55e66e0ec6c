//! The component palette: every kind of the chapter, with icon and one-line description.

use yew::prelude::*;

use super::icons::{Icon, Kind};

/// The palette column. Items are not draggable yet (stage 1 has a fixed topology).
#[function_component(Palette)]
pub fn palette() -> Html {
    html! {
        <aside class="palette" aria-label="Components">
            <div class="panel-title">
                <span>{ "Components" }</span>
                <span class="count">{ Kind::ALL.len() }</span>
            </div>
            <ul class="palette-list">
                { for Kind::ALL.iter().map(|&kind| html! {
                    <li class={classes!("palette-item", format!("kind-{}", kind.slug()))}
                        title={format!("{} — {}", kind.name(), kind.description())}
                        data-kind={kind.slug()}>
                        <span class="palette-icon"><Icon kind={kind} /></span>
                        <span class="palette-text">
                            <span class="palette-name">{ kind.name() }</span>
                            <span class="palette-desc">{ kind.description() }</span>
                        </span>
                    </li>
                }) }
            </ul>
            <p class="palette-hint">{ "Drag & drop arrives in the next stage." }</p>
        </aside>
    }
}
