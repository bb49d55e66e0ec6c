//! Inline SVG icons for component kinds (24×24, stroke-based, `currentColor`).

use yew::prelude::*;
use yew::virtual_dom::{AttributeOrProperty, Attributes, Listeners, VTag};

use AttributeOrProperty::Static as S;

/// A component kind of the chapter, as shown in the palette and on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Traffic source.
    Users,
    /// Name resolution / geo routing.
    Dns,
    /// Edge cache for static assets.
    Cdn,
    /// Spreads requests over instances.
    LoadBalancer,
    /// Web / application servers.
    WebTier,
    /// Shared session storage.
    SessionStore,
    /// Key-value cache.
    Cache,
    /// Primary + replicas.
    Database,
    /// Database split by key.
    ShardedDb,
    /// Async job queue.
    MessageQueue,
    /// Job consumers.
    Workers,
    /// A region's group of components.
    DataCenter,
    /// Scales a tier on utilization.
    Autoscaler,
}

impl Kind {
    /// Every kind, in palette order.
    pub const ALL: [Kind; 13] = [
        Kind::Users,
        Kind::Dns,
        Kind::Cdn,
        Kind::LoadBalancer,
        Kind::WebTier,
        Kind::SessionStore,
        Kind::Cache,
        Kind::Database,
        Kind::ShardedDb,
        Kind::MessageQueue,
        Kind::Workers,
        Kind::DataCenter,
        Kind::Autoscaler,
    ];

    /// Stable CSS-friendly slug.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Users => "users",
            Kind::Dns => "dns",
            Kind::Cdn => "cdn",
            Kind::LoadBalancer => "lb",
            Kind::WebTier => "web",
            Kind::SessionStore => "session",
            Kind::Cache => "cache",
            Kind::Database => "db",
            Kind::ShardedDb => "shards",
            Kind::MessageQueue => "mq",
            Kind::Workers => "workers",
            Kind::DataCenter => "dc",
            Kind::Autoscaler => "autoscaler",
        }
    }
}

/// An SVG element of an icon: its tag and attributes.
type Shape = (&'static str, &'static [(&'static str, AttributeOrProperty)]);

/// The shapes of each kind's icon (inside a 24×24 view box), in
/// [`Kind::ALL`] order. A table rather than markup: the same elements, built
/// by one loop ([`paths`]) instead of code for each.
#[rustfmt::skip]
const SHAPES: [&[Shape]; 13] = [
    // Users
    &[
        ("circle", &[("cx", S("9")), ("cy", S("8")), ("r", S("3.2"))]),
        ("path", &[("d", S("M3 20c0-3.3 2.7-6 6-6s6 2.7 6 6"))]),
        ("circle", &[("cx", S("17")), ("cy", S("9")), ("r", S("2.4"))]),
        ("path", &[("d", S("M16.5 14.2c2.6.2 4.5 2.6 4.5 5.8"))]),
    ],
    // Dns
    &[
        ("circle", &[("cx", S("12")), ("cy", S("12")), ("r", S("9"))]),
        ("path", &[("d", S("M3 12h18"))]),
        ("path", &[("d", S("M12 3c2.6 2.5 3.8 5.5 3.8 9s-1.2 6.5-3.8 9c-2.6-2.5-3.8-5.5-3.8-9S9.4 5.5 12 3z"))]),
    ],
    // Cdn
    &[
        ("path", &[("d", S("M7 18h10.5a4 4 0 0 0 .6-8A6 6 0 0 0 6.6 9.2 4.4 4.4 0 0 0 7 18z"))]),
        ("path", &[("d", S("M12 11v4M10 13l2 2 2-2"))]),
    ],
    // LoadBalancer
    &[
        ("circle", &[("cx", S("12")), ("cy", S("5")), ("r", S("2.2"))]),
        ("path", &[("d", S("M12 7.2V11M12 11l-7 6M12 11v6M12 11l7 6"))]),
        ("rect", &[("x", S("3")), ("y", S("17")), ("width", S("4")), ("height", S("4")), ("rx", S("1"))]),
        ("rect", &[("x", S("10")), ("y", S("17")), ("width", S("4")), ("height", S("4")), ("rx", S("1"))]),
        ("rect", &[("x", S("17")), ("y", S("17")), ("width", S("4")), ("height", S("4")), ("rx", S("1"))]),
    ],
    // WebTier
    &[
        ("rect", &[("x", S("3")), ("y", S("4")), ("width", S("18")), ("height", S("7")), ("rx", S("2"))]),
        ("rect", &[("x", S("3")), ("y", S("13")), ("width", S("18")), ("height", S("7")), ("rx", S("2"))]),
        ("path", &[("d", S("M7 7.5h.01M7 16.5h.01M11 7.5h6M11 16.5h6"))]),
    ],
    // SessionStore
    &[
        ("rect", &[("x", S("4")), ("y", S("10")), ("width", S("16")), ("height", S("11")), ("rx", S("2"))]),
        ("path", &[("d", S("M8 10V7a4 4 0 0 1 8 0v3"))]),
        ("path", &[("d", S("M12 14v3"))]),
    ],
    // Cache
    &[
        ("path", &[("d", S("M13 2 4 14h7l-1 8 9-12h-7l1-8z"))]),
    ],
    // Database
    &[
        ("ellipse", &[("cx", S("12")), ("cy", S("5.5")), ("rx", S("7.5")), ("ry", S("2.8"))]),
        ("path", &[("d", S("M4.5 5.5v13c0 1.5 3.4 2.8 7.5 2.8s7.5-1.3 7.5-2.8v-13"))]),
        ("path", &[("d", S("M4.5 12c0 1.5 3.4 2.8 7.5 2.8s7.5-1.3 7.5-2.8"))]),
    ],
    // ShardedDb
    &[
        ("ellipse", &[("cx", S("7")), ("cy", S("6")), ("rx", S("4")), ("ry", S("1.8"))]),
        ("path", &[("d", S("M3 6v11c0 1 1.8 1.8 4 1.8s4-.8 4-1.8V6"))]),
        ("ellipse", &[("cx", S("17")), ("cy", S("6")), ("rx", S("4")), ("ry", S("1.8"))]),
        ("path", &[("d", S("M13 6v11c0 1 1.8 1.8 4 1.8s4-.8 4-1.8V6"))]),
    ],
    // MessageQueue
    &[
        ("rect", &[("x", S("2.5")), ("y", S("7")), ("width", S("19")), ("height", S("10")), ("rx", S("2"))]),
        ("path", &[("d", S("M7 7v10M11.5 7v10M16 7v10"))]),
    ],
    // Workers
    &[
        ("circle", &[("cx", S("12")), ("cy", S("12")), ("r", S("3"))]),
        ("path", &[("d", S("M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1"))]),
    ],
    // DataCenter
    &[
        ("path", &[("d", S("M3 21V9l6-4v16M9 21V3l12 5v13M3 21h18"))]),
        ("path", &[("d", S("M12.5 9h.01M12.5 13h.01M12.5 17h.01M16.5 11h.01M16.5 15h.01"))]),
    ],
    // Autoscaler
    &[
        ("path", &[("d", S("M4 20l5-5 4 3 7-9"))]),
        ("path", &[("d", S("M15 9h5v5"))]),
        ("path", &[("d", S("M4 4v16h16"))]),
    ],
];

/// Paths of an icon (inside a 24×24 view box).
fn paths(kind: Kind) -> Html {
    // `Kind`'s variants are declared in `Kind::ALL` order.
    SHAPES[kind as usize]
        .iter()
        .map(|(tag, attrs)| {
            // What `html!` makes of an element with static attributes.
            Html::from(VTag::__new_other(
                AttrValue::Static(tag),
                NodeRef::default(),
                None,
                Attributes::Static(attrs),
                Listeners::None,
                Html::default(),
            ))
        })
        .collect()
}

/// A component-kind icon as inline SVG: `class` is its whole class
/// attribute (`icon`, or `icon` and a placement class), `place` its (x, y,
/// size) when nested in another SVG. A function rather than a component:
/// it has no state, and a component's machinery cost the wasm ~2 KB.
pub fn icon(kind: Kind, class: &'static str, place: Option<(f64, f64, f64)>) -> Html {
    let (x, y, size) = match place {
        Some((x, y, s)) => (
            Some(x.to_string()),
            Some(y.to_string()),
            Some(s.to_string()),
        ),
        None => (None, None, None),
    };
    html! {
        <svg {class} viewBox="0 0 24 24" aria-hidden="true"
            x={x} y={y} width={size.clone()} height={size}
            fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round">
            { paths(kind) }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kinds_are_declared_in_palette_order() {
        // `paths` indexes its table by the variant's number.
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i, "{k:?}");
        }
    }
}
