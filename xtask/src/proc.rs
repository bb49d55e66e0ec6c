//! Running child processes: the repository root, the tool `PATH`, banners,
//! and commands that echo themselves and turn a failure into an error message.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Result;

/// The repository root (the workspace directory that holds `xtask/`).
///
/// `cargo run` sets `CARGO_MANIFEST_DIR` for the process; the compile-time
/// value is only a fallback (a binary shared between two checkouts through one
/// `CARGO_TARGET_DIR` may have been built in the other one).
pub fn root() -> PathBuf {
    let xtask = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    xtask.parent().unwrap_or(&xtask).to_path_buf()
}

/// `$CARGO_HOME/bin`, where `cargo install` puts trunk and wasm-bindgen.
pub fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// `PATH` with the e2e npm binaries (binaryen's `wasm-opt` for trunk) and
/// `$CARGO_HOME/bin` in front, so freshly installed tools are found.
pub fn tool_path() -> OsString {
    let mut dirs = vec![root().join("e2e/node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command for `program`, run in the repository root with [`tool_path`].
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root()).env("PATH", tool_path());
    cmd
}

/// A `cargo` command (the same cargo that runs xtask).
pub fn cargo() -> Command {
    command(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Prints a step banner.
pub fn banner(title: &str) {
    println!("\n==> {title}");
    let _ = std::io::stdout().flush();
}

/// The command line of `cmd` as a shell-like string, for messages.
pub fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    let args = cmd.get_args().map(|a| {
        let a = a.to_string_lossy();
        if a.contains(' ') || a.is_empty() {
            format!("'{a}'")
        } else {
            a.into_owned()
        }
    });
    std::iter::once(program)
        .chain(args)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `cmd` with inherited stdio; a non-zero exit is an error.
pub fn exec(cmd: &mut Command) -> Result {
    let line = describe(cmd);
    println!("$ {line}");
    let _ = std::io::stdout().flush();
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Runs `cmd` like [`exec`], also appending to `kept` the stdout lines for
/// which `keep` is true (each line is still echoed as it arrives), whether or
/// not the command succeeds. Collects the summary lines of test runners.
pub fn exec_collecting(
    cmd: &mut Command,
    keep: impl Fn(&str) -> bool,
    kept: &mut Vec<String>,
) -> Result {
    let line = describe(cmd);
    println!("$ {line}");
    let _ = std::io::stdout().flush();
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if let Some(out) = child.stdout.take() {
        let mut stdout = std::io::stdout();
        for text in BufReader::new(out).lines().map_while(std::io::Result::ok) {
            let _ = writeln!(stdout, "{text}");
            let _ = stdout.flush();
            if keep(&text) {
                kept.push(text.trim().to_string());
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// The trimmed stdout of `program args` if it runs and succeeds (stderr is
/// discarded), `None` otherwise. For version probes.
pub fn stdout_of(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
