//! Inline SVG icons for component kinds (24×24, stroke-based, `currentColor`).

use yew::prelude::*;

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

/// Paths of an icon (inside a 24×24 view box).
fn paths(kind: Kind) -> Html {
    match kind {
        Kind::Users => html! { <>
            <circle cx="9" cy="8" r="3.2" />
            <path d="M3 20c0-3.3 2.7-6 6-6s6 2.7 6 6" />
            <circle cx="17" cy="9" r="2.4" />
            <path d="M16.5 14.2c2.6.2 4.5 2.6 4.5 5.8" />
        </> },
        Kind::Dns => html! { <>
            <circle cx="12" cy="12" r="9" />
            <path d="M3 12h18" />
            <path d="M12 3c2.6 2.5 3.8 5.5 3.8 9s-1.2 6.5-3.8 9c-2.6-2.5-3.8-5.5-3.8-9S9.4 5.5 12 3z" />
        </> },
        Kind::Cdn => html! { <>
            <path d="M7 18h10.5a4 4 0 0 0 .6-8A6 6 0 0 0 6.6 9.2 4.4 4.4 0 0 0 7 18z" />
            <path d="M12 11v4M10 13l2 2 2-2" />
        </> },
        Kind::LoadBalancer => html! { <>
            <circle cx="12" cy="5" r="2.2" />
            <path d="M12 7.2V11M12 11l-7 6M12 11v6M12 11l7 6" />
            <rect x="3" y="17" width="4" height="4" rx="1" />
            <rect x="10" y="17" width="4" height="4" rx="1" />
            <rect x="17" y="17" width="4" height="4" rx="1" />
        </> },
        Kind::WebTier => html! { <>
            <rect x="3" y="4" width="18" height="7" rx="2" />
            <rect x="3" y="13" width="18" height="7" rx="2" />
            <path d="M7 7.5h.01M7 16.5h.01M11 7.5h6M11 16.5h6" />
        </> },
        Kind::SessionStore => html! { <>
            <rect x="4" y="10" width="16" height="11" rx="2" />
            <path d="M8 10V7a4 4 0 0 1 8 0v3" />
            <path d="M12 14v3" />
        </> },
        Kind::Cache => html! { <>
            <path d="M13 2 4 14h7l-1 8 9-12h-7l1-8z" />
        </> },
        Kind::Database => html! { <>
            <ellipse cx="12" cy="5.5" rx="7.5" ry="2.8" />
            <path d="M4.5 5.5v13c0 1.5 3.4 2.8 7.5 2.8s7.5-1.3 7.5-2.8v-13" />
            <path d="M4.5 12c0 1.5 3.4 2.8 7.5 2.8s7.5-1.3 7.5-2.8" />
        </> },
        Kind::ShardedDb => html! { <>
            <ellipse cx="7" cy="6" rx="4" ry="1.8" />
            <path d="M3 6v11c0 1 1.8 1.8 4 1.8s4-.8 4-1.8V6" />
            <ellipse cx="17" cy="6" rx="4" ry="1.8" />
            <path d="M13 6v11c0 1 1.8 1.8 4 1.8s4-.8 4-1.8V6" />
        </> },
        Kind::MessageQueue => html! { <>
            <rect x="2.5" y="7" width="19" height="10" rx="2" />
            <path d="M7 7v10M11.5 7v10M16 7v10" />
        </> },
        Kind::Workers => html! { <>
            <circle cx="12" cy="12" r="3" />
            <path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1" />
        </> },
        Kind::DataCenter => html! { <>
            <path d="M3 21V9l6-4v16M9 21V3l12 5v13M3 21h18" />
            <path d="M12.5 9h.01M12.5 13h.01M12.5 17h.01M16.5 11h.01M16.5 15h.01" />
        </> },
        Kind::Autoscaler => html! { <>
            <path d="M4 20l5-5 4 3 7-9" />
            <path d="M15 9h5v5" />
            <path d="M4 4v16h16" />
        </> },
    }
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
