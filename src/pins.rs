//! Instructor controls, read from the page URL (so a share link or a lesson
//! link can carry them):
//!
//! - `?readonly=1`: a pinned view for slides: the design cannot be edited
//!   (the simulation still runs, faults can still be injected), the palette
//!   and the editing buttons are hidden.
//! - `?lock=web.instances,db,*.service`: locked parameters. `ID.FIELD` locks
//!   one numeric field of one component (the field ids are the inspector's,
//!   e.g. `instances`, `service`, `capacity_keys`); `*.FIELD` locks that field
//!   on every component; a bare `ID` locks the whole component (no edit, no
//!   delete). Locked fields show a lock and cannot be changed.
//! - `?hide=palette,inspector,charts,lessons,toolbar`: hidden panels.
//!
//! The reducer asks [`Pins::refusal`] before every edit, so a lock holds
//! whatever part of the UI the edit comes from.

use scalelab_sim::Scenario;

use crate::state::Edit;

/// What the page's URL pins.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pins {
    /// No edits at all.
    pub readonly: bool,
    /// (component id or `*`, field id or `None` for the whole component).
    locks: Vec<(String, Option<String>)>,
    /// Hidden panel names.
    hidden: Vec<String>,
}

/// Decodes the few escapes a comma-separated list may carry in a URL.
fn unescape(v: &str) -> String {
    v.replace("%2C", ",")
        .replace("%2c", ",")
        .replace("%2A", "*")
        .replace("%2a", "*")
        .replace("%20", " ")
        .replace('+', " ")
}

fn list(v: Option<&str>) -> Vec<String> {
    v.map(unescape)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Pins {
    /// Reads the values of `?readonly=`, `?lock=` and `?hide=`.
    pub fn from_query(readonly: Option<&str>, lock: Option<&str>, hide: Option<&str>) -> Pins {
        let locks = list(lock)
            .into_iter()
            .map(|item| match item.split_once('.') {
                Some((comp, field)) => (comp.to_string(), Some(field.to_string())),
                None => (item, None),
            })
            .collect();
        Pins {
            readonly: readonly.is_some_and(|v| v != "0" && v != "false"),
            locks,
            hidden: list(hide),
        }
    }

    /// Reads the pins of the current page URL.
    pub fn from_page() -> Pins {
        use crate::app::query_param;
        Pins::from_query(
            query_param("readonly").as_deref(),
            query_param("lock").as_deref(),
            query_param("hide").as_deref(),
        )
    }

    /// Whether any pin is set (the page then shows a "pinned" badge).
    pub fn any(&self) -> bool {
        self.readonly || !self.locks.is_empty() || !self.hidden.is_empty()
    }

    /// Whether the whole component `comp` is locked (or the view is read-only).
    pub fn component_locked(&self, comp: &str) -> bool {
        self.readonly
            || self
                .locks
                .iter()
                .any(|(c, f)| f.is_none() && (c == comp || c == "*"))
    }

    /// Whether field `field` of component `comp` is locked.
    pub fn field_locked(&self, comp: &str, field: &str) -> bool {
        self.component_locked(comp)
            || self
                .locks
                .iter()
                .any(|(c, f)| (c == comp || c == "*") && f.as_deref() == Some(field))
    }

    /// Whether panel `name` is hidden.
    pub fn hides(&self, name: &str) -> bool {
        self.hidden.iter().any(|h| h == name) || (self.readonly && name == "palette")
    }

    /// CSS classes for the page's root: `hide-<panel>` for each hidden panel.
    pub fn classes(&self) -> Vec<String> {
        self.hidden.iter().map(|h| format!("hide-{h}")).collect()
    }

    /// The i18n key of the reason `edit` is refused, if it is. `field_value`
    /// reads a numeric field of a component by its inspector id.
    pub fn refusal(
        &self,
        doc: &Scenario,
        edit: &Edit,
        field_value: impl Fn(&scalelab_sim::ComponentSpec, &str) -> Option<f64>,
    ) -> Option<&'static str> {
        if self.readonly {
            return Some("pin.readonly");
        }
        match edit {
            Edit::Update(c) => {
                if self.component_locked(&c.id) {
                    return Some("pin.locked");
                }
                let old = doc.component(&c.id)?;
                let changed = self.locks.iter().any(|(comp, field)| {
                    let Some(field) = field else { return false };
                    (comp == &c.id || comp == "*")
                        && field_value(&old.spec, field).map(f64::to_bits)
                            != field_value(&c.spec, field).map(f64::to_bits)
                });
                changed.then_some("pin.locked")
            }
            Edit::Delete { ids, .. } => ids
                .iter()
                .any(|id| self.component_locked(id))
                .then_some("pin.locked"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalelab_sim::{Component, ComponentSpec};

    fn stage4() -> Scenario {
        Scenario::from_json(include_str!("../scenarios/04-load-balancer.json")).expect("stage 4")
    }

    fn instances(spec: &ComponentSpec, field: &str) -> Option<f64> {
        match (spec, field) {
            (ComponentSpec::WebTier(w), "instances") => Some(f64::from(w.instances)),
            _ => None,
        }
    }

    fn web(doc: &Scenario) -> Component {
        doc.components
            .iter()
            .find(|c| matches!(c.spec, ComponentSpec::WebTier(_)))
            .cloned()
            .expect("a web tier")
    }

    fn with_instances(c: &Component, n: u32) -> Component {
        let mut c = c.clone();
        if let ComponentSpec::WebTier(w) = &mut c.spec {
            w.instances = n;
        }
        c
    }

    #[test]
    fn parses_the_query() {
        let p = Pins::from_query(
            Some("1"),
            Some("web.instances%2Cdb,*.service"),
            Some("palette"),
        );
        assert!(p.readonly);
        assert!(p.field_locked("web", "instances"));
        assert!(!Pins::from_query(None, Some("web.instances"), None).field_locked("web", "queue"));
        assert!(p.component_locked("db"));
        assert!(p.field_locked("cache", "service"));
        assert!(p.hides("palette") && !p.hides("charts"));
        assert!(!Pins::from_query(Some("0"), None, None).any());
    }

    #[test]
    fn a_locked_field_refuses_a_change_of_it_only() {
        let doc = stage4();
        let w = web(&doc);
        let n = instances(&w.spec, "instances").expect("instances") as u32;
        let pins = Pins::from_query(None, Some(&format!("{}.instances", w.id)), None);
        let change = Edit::Update(with_instances(&w, n + 1));
        assert_eq!(pins.refusal(&doc, &change, instances), Some("pin.locked"));
        let mut relabel = w.clone();
        relabel.label = "renamed".into();
        assert_eq!(pins.refusal(&doc, &Edit::Update(relabel), instances), None);
        // Another component's lock does not hold this one.
        let other = Pins::from_query(None, Some("nobody.instances"), None);
        assert_eq!(other.refusal(&doc, &change, instances), None);
    }

    #[test]
    fn a_locked_component_cannot_be_edited_or_deleted() {
        let doc = stage4();
        let w = web(&doc);
        let pins = Pins::from_query(None, Some(&w.id), None);
        let delete = Edit::Delete {
            ids: vec![w.id.clone()],
            edges: vec![],
        };
        assert_eq!(pins.refusal(&doc, &delete, instances), Some("pin.locked"));
        assert_eq!(
            pins.refusal(&doc, &Edit::Update(w.clone()), instances),
            Some("pin.locked")
        );
    }

    #[test]
    fn readonly_refuses_every_edit() {
        let doc = stage4();
        let pins = Pins::from_query(Some("1"), None, None);
        assert_eq!(
            pins.refusal(&doc, &Edit::Seed(3), instances),
            Some("pin.readonly")
        );
        assert_eq!(
            pins.refusal(&doc, &Edit::Move(vec![]), instances),
            Some("pin.readonly")
        );
        assert_eq!(
            Pins::default().refusal(&doc, &Edit::Seed(3), instances),
            None
        );
    }
}
