//! Chaos presets: ready-made fault timelines for a design (rolling restarts,
//! a retry storm after a brief outage, a data-center loss during peak, a
//! cache flush at peak). [`chaos_script`] writes the timed actions for the
//! design's own components, in whole seconds over its `duration_s`; the
//! result replaces the design's timeline and passes [`Scenario::validate`].

use crate::error::SimError;
use crate::scenario::{Action, ComponentSpec, Scenario, TimedAction};

/// How much a preset's traffic peak raises each users component's rate.
pub const PEAK_FACTOR: f64 = 1.5;
/// How long the web tier is down in the retry-storm preset, seconds.
pub const OUTAGE_S: f64 = 5.0;

/// A chaos preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChaosKind {
    /// Every web instance fails and recovers in turn (one group at a time).
    RollingRestart,
    /// The web tiers are down for [`OUTAGE_S`] while users retry failed requests.
    RetryStorm,
    /// Traffic rises to [`PEAK_FACTOR`] × its rate, then a data center fails.
    DcLossAtPeak,
    /// Traffic rises to [`PEAK_FACTOR`] × its rate, then every cache fails
    /// for one second (losing its contents) and comes back cold.
    CacheFlushAtPeak,
}

impl ChaosKind {
    /// Every preset, in menu order.
    pub const ALL: [ChaosKind; 4] = [
        ChaosKind::RollingRestart,
        ChaosKind::RetryStorm,
        ChaosKind::DcLossAtPeak,
        ChaosKind::CacheFlushAtPeak,
    ];

    /// The preset's name in messages and menus (`rolling_restart`, …).
    pub fn slug(self) -> &'static str {
        match self {
            ChaosKind::RollingRestart => "rolling_restart",
            ChaosKind::RetryStorm => "retry_storm",
            ChaosKind::DcLossAtPeak => "dc_loss_at_peak",
            ChaosKind::CacheFlushAtPeak => "cache_flush_at_peak",
        }
    }

    /// The preset named `slug`, if there is one.
    pub fn from_slug(slug: &str) -> Option<ChaosKind> {
        ChaosKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// The timed actions of preset `kind` for design `s`, sorted by time.
///
/// Errors when the design is invalid or lacks what the preset needs (a web
/// tier, users with retries, a data center, a cache), naming the component
/// and field.
pub fn chaos_script(s: &Scenario, kind: ChaosKind) -> Result<Vec<TimedAction>, SimError> {
    s.validate()?;
    let d = s.duration_s;
    // Whole seconds inside the run, so the learner can move them by 1 s.
    let at = |share: f64| (d * share).round().clamp(0.0, d);
    let mut out: Vec<TimedAction> = Vec::new();
    let mut push = |at_s: f64, action: Action| out.push(TimedAction { at_s, action });
    let fail = |component: &str, instance: Option<u32>| Action::Fail {
        component: component.to_string(),
        instance,
    };
    let recover = |component: &str, instance: Option<u32>| Action::Recover {
        component: component.to_string(),
        instance,
    };
    let missing = |what: &str| {
        SimError::topology(
            "",
            format!(
                "the chaos preset '{}' needs {what}, and the design has none",
                kind.slug()
            ),
        )
    };
    let ids = |pick: fn(&ComponentSpec) -> Option<u32>| -> Vec<(String, u32)> {
        s.components
            .iter()
            .filter_map(|c| pick(&c.spec).map(|n| (c.id.clone(), n)))
            .collect()
    };
    let web = ids(|c| match c {
        ComponentSpec::WebTier(w) => Some(w.instances),
        _ => None,
    });
    let users: Vec<(String, f64)> = s
        .components
        .iter()
        .filter_map(|c| match &c.spec {
            ComponentSpec::Users(u) => Some((c.id.clone(), u.offered_rps())),
            _ => None,
        })
        .collect();
    // A traffic peak from `from` to `to` (back to each base rate at `to`).
    let peak = |push: &mut dyn FnMut(f64, Action), from: f64, to: f64| {
        for (id, rps) in &users {
            for (t, r) in [(from, rps * PEAK_FACTOR), (to, *rps)] {
                push(
                    t,
                    Action::SetRequestRate {
                        component: id.clone(),
                        requests_per_s: r,
                    },
                );
            }
        }
    };
    match kind {
        ChaosKind::RollingRestart => {
            let all: Vec<(String, u32)> = web
                .iter()
                .flat_map(|(id, n)| (0..*n).map(move |k| (id.clone(), k)))
                .collect();
            if all.is_empty() {
                return Err(missing("a web tier"));
            }
            let (start, end) = (at(0.25), at(0.75));
            // At least 2 s per step (1 s down, 1 s up); groups when needed.
            let steps = ((end - start) / 2.0).floor().max(1.0) as usize;
            let group = all.len().div_ceil(steps);
            let steps = all.len().div_ceil(group);
            let gap = ((end - start) / steps as f64).floor().max(2.0);
            let down = (gap / 2.0).floor().clamp(1.0, 10.0);
            for (j, chunk) in all.chunks(group).enumerate() {
                let t = start + j as f64 * gap;
                for (id, k) in chunk {
                    push(t, fail(id, Some(*k)));
                    push(t + down, recover(id, Some(*k)));
                }
            }
        }
        ChaosKind::RetryStorm => {
            if web.is_empty() {
                return Err(missing("a web tier"));
            }
            if users.is_empty() {
                return Err(missing("users"));
            }
            let retrying = s.components.iter().any(|c| match &c.spec {
                ComponentSpec::Users(u) => u.retries > 0,
                _ => false,
            });
            if !retrying {
                let id = &users[0].0;
                return Err(SimError::invalid(
                    id,
                    "retries",
                    "a retry storm needs users that retry failed requests: set retries above 0",
                ));
            }
            let t = at(1.0 / 3.0);
            for (id, _) in &web {
                push(t, fail(id, None));
                push((t + OUTAGE_S).min(d), recover(id, None));
            }
        }
        ChaosKind::DcLossAtPeak => {
            let dc = s
                .components
                .iter()
                .find(|c| matches!(c.spec, ComponentSpec::DataCenter(_)))
                .ok_or_else(|| missing("a data center"))?;
            peak(&mut push, at(0.25), at(0.85));
            push(at(0.4), fail(&dc.id, None));
            push(at(0.7), recover(&dc.id, None));
        }
        ChaosKind::CacheFlushAtPeak => {
            let caches = ids(|c| match c {
                ComponentSpec::Cache(c) => Some(c.nodes),
                _ => None,
            });
            if caches.is_empty() {
                return Err(missing("a cache"));
            }
            peak(&mut push, at(0.25), at(0.75));
            let t = at(0.4);
            for (id, _) in &caches {
                push(t, fail(id, None));
                push((t + 1.0).min(d), recover(id, None));
            }
        }
    }
    // A stable sort: at the same second, actions keep the order written.
    out.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    let mut check = s.clone();
    check.timeline = out;
    check.validate()?;
    Ok(check.timeline)
}
