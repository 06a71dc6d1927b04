//! Runs the browser's search engine under node (`tests/js/engine-cli.mjs`), for the unit tests
//! of `src/search` and the CLI tests, each of which includes this file with `#[path]`.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// Runs `node tests/js/engine-cli.mjs ARGS...` and returns what it printed; `None`, after saying
/// so, when node is not installed (and not in CI, where node must be there). Panics with the
/// engine's output when it fails.
pub fn run(args: &[&OsStr]) -> Option<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/engine-cli.mjs");
    let output = match Command::new("node").arg(&script).args(args).output() {
        Ok(output) => output,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED: node is not installed, so the search engine could not be run");
            return None;
        }
        Err(err) => panic!("could not run node: {err}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the engine under node failed:\n{stdout}{stderr}");
    Some(stdout)
}
