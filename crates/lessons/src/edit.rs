//! Solution steps: small, data-driven edits of a scenario and timed actions,
//! the same moves a learner makes in the editor (so the UI can replay them
//! through its reducer).
//!
//! ```json
//! { "edit": "set", "component": "web", "param": "size", "value": "large" }
//! { "edit": "set", "component": "lb", "param": "health_check/interval_ms", "value": 1000 }
//! { "edit": "add_component", "component": { "id": "db", "spec": { "kind": "database" } } }
//! { "edit": "add_edge", "from": "web", "to": "db" }
//! { "edit": "remove_edge", "from": "users", "to": "web" }
//! { "edit": "act", "at_s": 0, "action": { "do": "scale", "component": "web", "instances": 3 } }
//! ```

use scalelab_sim::{Action, Component, Edge, Scenario, SimError, TimedAction};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One step of a lesson's solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Sets one parameter of a component's spec. `param` is a path into the
    /// spec with `/` between levels (`size`, `failover/detection_s`).
    Set {
        /// Component id.
        component: String,
        /// Parameter path inside the spec.
        param: String,
        /// The new value (as in the scenario file).
        value: Value,
    },
    /// Sets a scenario-wide parameter: a path from the top (`workload/zipf_s`, `network/same_dc_ms`).
    SetScenario {
        /// Parameter path from the top of the scenario.
        param: String,
        /// The new value.
        value: Value,
    },
    /// Adds a component.
    AddComponent {
        /// The component, as in the scenario file.
        #[serde(deserialize_with = "component_via_value")]
        component: Component,
    },
    /// Removes a component and every edge touching it.
    RemoveComponent {
        /// Component id.
        id: String,
    },
    /// Adds an edge `from → to`.
    AddEdge {
        /// Sending component id.
        from: String,
        /// Receiving component id.
        to: String,
    },
    /// Removes the edge `from → to`.
    RemoveEdge {
        /// Sending component id.
        from: String,
        /// Receiving component id.
        to: String,
    },
    /// Applies an action to the running simulation at `at_s` (added to the timeline).
    Act {
        /// When (s of simulated time; 0 = as the run starts).
        #[serde(default)]
        at_s: f64,
        /// What.
        action: Action,
    },
}

/// Why an edit could not be applied.
#[derive(Debug, Clone, PartialEq)]
pub enum EditError {
    /// No component with this id.
    NoComponent(String),
    /// The path does not lead to a parameter.
    NoParam(String),
    /// The edited scenario no longer parses or validates.
    Invalid(String),
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::NoComponent(id) => write!(f, "there is no component '{id}'"),
            EditError::NoParam(p) => write!(f, "there is no parameter '{p}'"),
            EditError::Invalid(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for EditError {}

impl From<SimError> for EditError {
    fn from(e: SimError) -> Self {
        EditError::Invalid(e.to_string())
    }
}

/// Sets `value` at the `/`-separated `path` inside `root`, creating the last key if absent.
fn set_path(root: &mut Value, path: &str, value: Value) -> Result<(), EditError> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let Some((last, inner)) = parts.split_last() else {
        return Err(EditError::NoParam(path.to_string()));
    };
    let mut at = root;
    for p in inner {
        at = at
            .get_mut(*p)
            .ok_or_else(|| EditError::NoParam(path.to_string()))?;
    }
    match at.as_object_mut() {
        Some(obj) => {
            obj.insert((*last).to_string(), value);
            Ok(())
        }
        None => Err(EditError::NoParam(path.to_string())),
    }
}

fn to_value<T: Serialize>(x: &T) -> Result<Value, EditError> {
    serde_json::to_value(x).map_err(|e| EditError::Invalid(e.to_string()))
}

/// A component inside this internally tagged enum: serde hands it over as its
/// private buffered content, which `ComponentSpec`'s own reader (it keeps each
/// field's JSON text) does not take; a `Value` in between does.
fn component_via_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Component, D::Error> {
    serde_json::from_value(Value::deserialize(d)?).map_err(serde::de::Error::custom)
}

fn from_value<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<T, EditError> {
    serde_json::from_value(v).map_err(|e| EditError::Invalid(format!("{what}: {e}")))
}

impl Edit {
    /// Applies the edit to `scenario` in place (not validated: see [`apply_all`]).
    pub fn apply(&self, scenario: &mut Scenario) -> Result<(), EditError> {
        match self {
            Edit::Set {
                component,
                param,
                value,
            } => {
                let c = scenario
                    .components
                    .iter_mut()
                    .find(|c| &c.id == component)
                    .ok_or_else(|| EditError::NoComponent(component.clone()))?;
                let mut spec = to_value(&c.spec)?;
                set_path(&mut spec, param, value.clone())?;
                c.spec = from_value(spec, component)?;
            }
            Edit::SetScenario { param, value } => {
                let mut all = to_value(&*scenario)?;
                set_path(&mut all, param, value.clone())?;
                *scenario = from_value(all, "scenario")?;
            }
            Edit::AddComponent { component } => {
                if scenario.component(&component.id).is_some() {
                    return Err(EditError::Invalid(format!(
                        "a component '{}' exists already",
                        component.id
                    )));
                }
                scenario.components.push(component.clone());
            }
            Edit::RemoveComponent { id } => {
                let before = scenario.components.len();
                scenario.components.retain(|c| &c.id != id);
                if scenario.components.len() == before {
                    return Err(EditError::NoComponent(id.clone()));
                }
                scenario.edges.retain(|e| &e.from != id && &e.to != id);
                scenario.timeline.retain(|t| t.action.component() != id);
            }
            Edit::AddEdge { from, to } => {
                for id in [from, to] {
                    if scenario.component(id).is_none() {
                        return Err(EditError::NoComponent(id.clone()));
                    }
                }
                if !scenario
                    .edges
                    .iter()
                    .any(|e| &e.from == from && &e.to == to)
                {
                    scenario.edges.push(Edge {
                        from: from.clone(),
                        to: to.clone(),
                        latency_ms: None,
                    });
                }
            }
            Edit::RemoveEdge { from, to } => {
                let before = scenario.edges.len();
                scenario.edges.retain(|e| !(&e.from == from && &e.to == to));
                if scenario.edges.len() == before {
                    return Err(EditError::Invalid(format!(
                        "there is no edge {from} → {to}"
                    )));
                }
            }
            Edit::Act { at_s, action } => scenario.timeline.push(TimedAction {
                at_s: *at_s,
                action: action.clone(),
            }),
        }
        Ok(())
    }
}

/// Applies every edit in order to a copy of `scenario` and validates the result.
pub fn apply_all(scenario: &Scenario, edits: &[Edit]) -> Result<Scenario, EditError> {
    let mut s = scenario.clone();
    for e in edits {
        e.apply(&mut s)?;
    }
    s.validate()?;
    Ok(s)
}
