//! Content diagnostics: what is wrong in which file, where, and how to fix it.
//!
//! Every stage that reads content returns its result together with a list of [`Diagnostic`]s
//! instead of stopping at the first problem, so `check` reports everything in one run.
//! Rendering the code frame is left to `annotate-snippets`; this module only decides what
//! goes into it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::terminal;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file: 1-based line and column (in characters), and how many characters the
/// offending value spans (at least one caret is always drawn).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl Span {
    pub fn new(line: usize, column: usize, len: usize) -> Self {
        Span { line, column, len }
    }

    /// The start of a file, for problems that belong to the file as a whole (a bad name, a
    /// duplicate, a missing field). Such diagnostics are shown without a code frame unless
    /// they carry a label.
    pub fn file_start() -> Self {
        Span::new(1, 1, 0)
    }

    pub fn is_file_start(self) -> bool {
        self == Span::file_start()
    }
}

/// A problem told to an author: what is wrong, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub message: String,
    pub help: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub span: Span,
    pub severity: Severity,
    pub message: String,
    /// Shown under the caret.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            span,
            severity: Severity::Error,
            message: message.into(),
            label: None,
            help: None,
        }
    }

    pub fn warning(file: impl Into<String>, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, span, message) }
    }

    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (&self.file, self.span.line, self.span.column, self.severity, &self.message)
    }
}

/// Turns a path under the site root into the `content/http/503.md` form used in messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    parts.join("/")
}

/// Diagnostics in report order (file, line, column), without duplicates.
pub fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    diagnostics
}

/// `--strict`: every warning becomes an error.
pub fn strict(diagnostics: &mut [Diagnostic]) {
    for diagnostic in diagnostics {
        diagnostic.severity = Severity::Error;
    }
}

/// Reads source lines for code frames. Files that cannot be read simply get no frame.
pub trait SourceLookup {
    fn source(&self, file: &str) -> Option<String>;
}

/// Looks files up on disk under a site root.
pub struct DiskSources<'a>(pub &'a Path);

impl SourceLookup for DiskSources<'_> {
    fn source(&self, file: &str) -> Option<String> {
        let path: PathBuf = self.0.join(file);
        // Lossy, so a file with invalid UTF-8 still gets a frame: the bad byte shows as U+FFFD.
        // Only a regular file is opened: a diagnostic about a FIFO must not wait on it.
        crate::fs::read_regular(&path).ok().map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Renders diagnostics the way `check` prints them:
///
/// ```text
/// content/http/503.md:5:11: error: unknown severity "blocking"
///   |
/// 5 | severity: blocking
///   |           ^^^^^^^^ expected one of: blocker, critical, major, minor, info
/// help: did you mean "blocker"?
/// ```
pub fn render_human(diagnostics: &[Diagnostic], sources: &dyn SourceLookup, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    let mut cache: Option<(String, Option<String>)> = None;
    for diagnostic in diagnostics {
        let stale = cache.as_ref().is_none_or(|(file, _)| *file != diagnostic.file);
        if stale {
            cache = Some((diagnostic.file.clone(), sources.source(&diagnostic.file)));
        }
        let source = cache.as_ref().and_then(|(_, s)| s.as_deref());
        out.push_str(&render_one(diagnostic, source, &renderer));
        out.push('\n');
    }
    out
}

/// Every text of a diagnostic can quote content, so each goes through
/// [`terminal::visible_line`]: control characters show as stand-ins, and a newline in a quoted
/// value cannot start a line that looks like another diagnostic.
fn render_one(diagnostic: &Diagnostic, source: Option<&str>, renderer: &Renderer) -> String {
    let Span { line, column, .. } = diagnostic.span;
    let message = terminal::visible_line(&diagnostic.message);
    let label = diagnostic.label.as_deref().map(terminal::visible_line);
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let header = format!("{}:{line}:{column}", terminal::visible_line(&diagnostic.file));
    let whole_file = diagnostic.span.is_file_start() && diagnostic.label.is_none();
    let frame = source.filter(|_| !whole_file).and_then(|s| frame_for(s, diagnostic.span));
    let title = level.primary_title(message.as_ref());
    let mut report = Vec::new();
    match &frame {
        Some((text, range)) => {
            let mut annotation = AnnotationKind::Primary.span(range.clone());
            if let Some(label) = &label {
                annotation = annotation.label(label.as_ref());
            }
            report
                .push(title.element(Snippet::source(text.as_str()).line_start(line).annotation(annotation)));
        }
        None => report.push(Group::with_title(title)),
    }
    let mut rendered = renderer.render(&report);
    if frame.is_none() {
        if let Some(label) = &label {
            let _ = write!(rendered, "\n  = {label}");
        }
    }
    if let Some(help) = &diagnostic.help {
        let _ = write!(rendered, "\nhelp: {}", terminal::visible_line(help));
    }
    format!("{header}: {rendered}")
}

/// The line a span points at, its control characters shown as stand-ins, and the byte range
/// of the span inside it.
fn frame_for(source: &str, span: Span) -> Option<(String, std::ops::Range<usize>)> {
    if span.line == 0 {
        return None;
    }
    let text = source.lines().nth(span.line - 1)?;
    let start = byte_offset_of_column(text, span.column);
    let end = byte_offset_of_column(&text[start..], span.len + 1) + start;
    // An empty span still gets one caret: point at the character (or the end of the line).
    let end =
        if end == start { text[start..].chars().next().map_or(start, |c| start + c.len_utf8()) } else { end };
    // A stand-in is longer than what it stands for: the caret moves with the text it points at.
    let [before, inside, after] =
        [&text[..start], &text[start..end], &text[end..]].map(|part| terminal::visible_line(part));
    let start = before.len();
    let end = start + inside.len();
    Some((format!("{before}{inside}{after}"), start..end))
}

fn byte_offset_of_column(text: &str, column: usize) -> usize {
    text.char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(i, _)| i)
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
}

/// Renders diagnostics as the JSON array `check --format json` prints.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<_> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            file: &d.file,
            line: d.span.line,
            column: d.span.column,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    json.push('\n');
    json
}

/// The closest candidate to `input`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&input_lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.chars().count().max(3) / 3).max(1) + 1 && *distance > 0)
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct OneFile(&'static str);
    impl SourceLookup for OneFile {
        fn source(&self, _file: &str) -> Option<String> {
            Some(self.0.to_owned())
        }
    }

    fn check(diagnostic: &Diagnostic, source: &'static str, expected: &str) {
        let rendered = render_human(std::slice::from_ref(diagnostic), &OneFile(source), false);
        assert_eq!(rendered, expected, "\n--- got ---\n{rendered}");
    }

    #[test]
    fn renders_the_design_example() {
        let source = "---\ncode: \"503\"\ntitle: x\nsummary: y\nseverity: blocking\n---\n";
        let diagnostic =
            Diagnostic::error("content/http/503.md", Span::new(5, 11, 8), "unknown severity \"blocking\"")
                .with_label("expected one of: blocker, critical, major, minor, info")
                .with_help("did you mean \"blocker\"?");
        check(
            &diagnostic,
            source,
            "content/http/503.md:5:11: error: unknown severity \"blocking\"\n  |\n5 | severity: blocking\n  |           ^^^^^^^^ expected one of: blocker, critical, major, minor, info\nhelp: did you mean \"blocker\"?\n",
        );
    }

    #[test]
    fn renders_without_a_frame_when_the_line_is_missing() {
        let diagnostic =
            Diagnostic::warning("content/a/b.md", Span::new(40, 1, 0), "odd").with_help("fix it");
        check(&diagnostic, "one line\n", "content/a/b.md:40:1: warning: odd\nhelp: fix it\n");
    }

    #[test]
    fn quoted_content_cannot_reach_the_terminal_raw() {
        let source = "---\nseverity: \"\x1b[2J\u{9b}1m\\nfake\"\n---\n";
        let value = "\x1b[2J\u{9b}1m\nfake.md:1:1: error: forged";
        let diagnostic = Diagnostic::error(
            "content/\x07.md",
            Span::new(2, 11, 11),
            format!("unknown severity \"{value}\""),
        )
        .with_label(format!("not \"{value}\""))
        .with_help(format!("add \"{value}\" to `severities`"));
        check(
            &diagnostic,
            source,
            "content/\\x07.md:2:11: error: unknown severity \"\\e[2J\\u{9b}1m\\nfake.md:1:1: error: forged\"\n  |\n2 | severity: \"\\e[2J\\u{9b}1m\\nfake\"\n  |           ^^^^^^^^^^^^^^^^^ not \"\\e[2J\\u{9b}1m\\nfake.md:1:1: error: forged\"\nhelp: add \"\\e[2J\\u{9b}1m\\nfake.md:1:1: error: forged\" to `severities`\n",
        );
        let bare =
            Diagnostic::warning("a.md", Span::file_start(), "bad \"\x1b]8;;x\x07\"").with_label("\u{202e}x");
        check(&bare, "", "a.md:1:1: warning: bad \"\\e]8;;x\\x07\"\n  = \\u{202e}x\n");
    }

    #[test]
    fn json_has_the_documented_fields() {
        let diagnostic = Diagnostic::error("a.md", Span::new(2, 3, 1), "bad").with_help("do x");
        let json: serde_json::Value = serde_json::from_str(&render_json(&[diagnostic])).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{"file": "a.md", "line": 2, "column": 3, "severity": "error", "message": "bad", "help": "do x"}])
        );
    }

    #[test]
    fn strict_makes_every_warning_an_error() {
        let mut diagnostics = vec![
            Diagnostic::warning("a.md", Span::file_start(), "w"),
            Diagnostic::error("a.md", Span::file_start(), "e"),
        ];
        strict(&mut diagnostics);
        assert!(diagnostics.iter().all(Diagnostic::is_error));
    }

    #[test]
    fn suggests_near_misses_only() {
        let severities = ["blocker", "critical", "major", "minor", "info"];
        assert_eq!(did_you_mean("blocking", severities), Some("blocker"));
        assert_eq!(did_you_mean("sevrity", ["severity", "summary"]), Some("severity"));
        assert_eq!(did_you_mean("banana", severities), None);
    }
}
