//! One module per subcommand. Each only glues the stages together and reports.

pub mod build;
pub mod check;
pub mod explain;
pub mod init;
pub mod mcp;
pub mod new;
mod progress;
pub mod serve;
pub mod triage;

use std::io::IsTerminal;
use std::path::Path;

use crate::diagnostics::{self, Diagnostic, DiskSources};

/// How a command ended, for the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit status 0.
    Success,
    /// The content has errors: exit status 1.
    ContentErrors,
    /// A search found nothing (`triage`, like grep): exit status 1.
    NothingFound,
}

/// Color only on a terminal, and never with `NO_COLOR` set.
pub fn use_color(stream_is_terminal: bool) -> bool {
    // A terminal that says it is dumb cannot show escapes (Emacs shells, some CI consoles).
    stream_is_terminal
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// Prints diagnostics to stderr, as `build` and `serve` report them.
pub fn report(root: &Path, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let color = use_color(std::io::stderr().is_terminal());
    eprint!("{}", diagnostics::render_human(diagnostics, &DiskSources(root), color));
}

/// "2 errors, 1 warning".
pub fn count_line(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
