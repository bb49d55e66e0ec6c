//! Errors the core returns for invalid input. Messages are written for a learner.

use std::fmt;

/// Everything that can be wrong with a scenario or an action.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// The text is not valid JSON or does not match the scenario format.
    Parse {
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// 1-based column of the problem (0 when unknown).
        column: usize,
        /// What serde said, in plain words.
        message: String,
    },
    /// The scenario's version is not the one this build reads.
    Version {
        /// The version found in the file.
        found: u32,
    },
    /// A component's field has a value outside its allowed range.
    Invalid {
        /// The component id (or a top-level section such as `workload`).
        component: String,
        /// The field name.
        field: String,
        /// Why the value is refused.
        reason: String,
    },
    /// The graph of components and edges is not a design the simulator can run.
    Topology {
        /// The component at fault, if one can be named.
        component: String,
        /// Why.
        reason: String,
    },
}

impl SimError {
    /// Shorthand for [`SimError::Invalid`].
    pub fn invalid(component: &str, field: &str, reason: impl Into<String>) -> Self {
        SimError::Invalid {
            component: component.to_string(),
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`SimError::Topology`].
    pub fn topology(component: &str, reason: impl Into<String>) -> Self {
        SimError::Topology {
            component: component.to_string(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Parse {
                line,
                column,
                message,
            } => {
                if *line > 0 {
                    write!(
                        f,
                        "not a valid scenario (line {line}, column {column}): {message}"
                    )
                } else {
                    write!(f, "not a valid scenario: {message}")
                }
            }
            SimError::Version { found } => write!(
                f,
                "this scenario has format version {found}, but this ScaleLab reads version {}",
                crate::SCENARIO_VERSION
            ),
            SimError::Invalid {
                component,
                field,
                reason,
            } => write!(f, "component '{component}', field '{field}': {reason}"),
            SimError::Topology { component, reason } => {
                if component.is_empty() {
                    write!(f, "design problem: {reason}")
                } else {
                    write!(f, "component '{component}': {reason}")
                }
            }
        }
    }
}

impl std::error::Error for SimError {}
