//! Reading a scenario file and turning every failure into a message that
//! names the file (and the line and column, or the component and field).

use scalelab_sim::{Scenario, SimError};
use std::fmt;
use std::path::Path;

/// A failure the user can fix: printed on stderr, exit code 2.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// Formats a core error for `file`: `FILE:LINE:COLUMN: message` for JSON
/// problems with a position, `FILE: message` otherwise.
pub fn describe(file: &Path, err: &SimError) -> InputError {
    let name = file.display();
    match err {
        SimError::Parse {
            line,
            column,
            message,
        } if *line > 0 => InputError(format!("{name}:{line}:{column}: {message}")),
        SimError::Parse { message, .. } => InputError(format!("{name}: {message}")),
        other => InputError(format!("{name}: {other}")),
    }
}

/// Reads and validates the scenario in `file`.
pub fn load(file: &Path) -> Result<Scenario, InputError> {
    let bytes = std::fs::read(file)
        .map_err(|e| InputError(format!("{}: cannot read the file: {e}", file.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| InputError(format!("{}: the file is not UTF-8 text", file.display())))?;
    Scenario::from_json(&text).map_err(|e| describe(file, &e))
}
