//! The design-review panel: a header button with the number of findings and
//! a panel listing them (component, reason, a Fix button). The review itself
//! runs in the worker (`FromSim::Review`); a fix is an ordinary undoable edit.

use std::rc::Rc;

use scalelab_worker::ReviewItem;
use yew::prelude::*;

use super::challenges::{challenge_panel, ChallengeProps};
use super::sweep::{sweep_panel, SweepProps};
use crate::i18n::{use_tr, Tr};
use scalelab_sim::Scenario;

/// What [`review_panel`] shows and does.
#[derive(PartialEq)]
pub struct ReviewProps {
    /// The findings of the loaded design.
    pub items: Rc<Vec<ReviewItem>>,
    /// The design (for component names).
    pub doc: Rc<Scenario>,
    /// Apply the fix of finding `usize`.
    pub on_fix: Callback<usize>,
}

fn text(tr: &crate::i18n::Tr, (key, args): &(String, Vec<String>)) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tr.f(key, &args)
}

/// The review button and, when open, its panel; `open` is held by [`HeaderPanels`].
pub fn review_panel(tr: &Tr, props: &ReviewProps, open: &UseStateHandle<bool>) -> Html {
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let n = props.items.len();
    html! {
        <div class="review">
            <button id="review-button" class={classes!("btn", (n > 0).then_some("has-findings"))}
                aria-expanded={open.to_string()} onclick={toggle.clone()}>
                { tr.t("review.open") }<span class="count">{ n }</span>
            </button>
            if **open {
                <section id="review-panel" class="review-panel" aria-label={tr.t("review.title")}>
                    <h2>{ tr.t("review.title") }</h2>
                    if n == 0 {
                        <p class="insp-tip">{ tr.t("review.none") }</p>
                    } else {
                        <ul>
                        { for props.items.iter().enumerate().map(|(i, f)| {
                            let name = props.doc.component(&f.component)
                                .map(|c| if c.label.is_empty() { c.id.clone() } else { c.label.clone() })
                                .unwrap_or_else(|| f.component.clone());
                            let on_fix = props.on_fix.clone();
                            html! {
                                <li class="finding" data-kind={f.kind.clone()} data-component={f.component.clone()}>
                                    <strong>{ name }</strong>
                                    <p>{ text(tr, &f.reason) }</p>
                                    <button class="btn review-fix" onclick={Callback::from(move |_| on_fix.emit(i))}>{ tr.t("review.fix") }</button>
                                    <span class="insp-tip">{ text(tr, &f.fix_text) }</span>
                                </li>
                            }
                        }) }
                        </ul>
                        <p class="insp-tip">{ tr.t("review.hint") }</p>
                    }
                </section>
            }
        </div>
    }
}

/// Properties of [`HeaderPanels`].
#[derive(Properties, PartialEq)]
pub struct HeaderPanelsProps {
    /// The challenges.
    pub chal: ChallengeProps,
    /// The design review.
    pub review: ReviewProps,
    /// The capacity sweep.
    pub sweep: SweepProps,
}

/// The header's challenge, review and sweep panels. One component holds the
/// three panels' state (they are shown and hidden together, so their state
/// lives and goes as it did in three): a component's machinery cost the
/// wasm more than it saved.
#[function_component(HeaderPanels)]
pub fn header_panels(props: &HeaderPanelsProps) -> Html {
    let tr = use_tr();
    let chal = (
        use_state(|| false),
        use_state(|| None),
        use_state(|| None::<usize>),
        use_state(|| false),
    );
    let review_open = use_state(|| false);
    let sweep = (use_state(|| false), use_state(|| false), use_node_ref());
    {
        let chart_ref = sweep.2.clone();
        let view = props.sweep.view.clone();
        use_effect_with((view, *sweep.0), move |(view, _)| {
            super::sweep::draw_chart(&chart_ref, view)
        });
    }
    html! {
        <>
            { challenge_panel(&tr, &props.chal, &chal) }
            { review_panel(&tr, &props.review, &review_open) }
            { sweep_panel(&tr, &props.sweep, &sweep) }
        </>
    }
}
