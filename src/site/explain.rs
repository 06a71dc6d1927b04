//! `errorbook explain`: one entry as text for the terminal, the way `rustc --explain` shows an
//! error code: title, summary, quick fix, numbered steps and the verification checklist
//! (`search::lookup` finds the entry).
//!
//! Text in, text out: rendering never touches the terminal or the file system; `cmd::explain` decides on colour and the pager. Every line of the text passes
//! through [`terminal::visible_line`] (code blocks through [`terminal::visible`]) before our
//! colours are added, so nothing in an entry can send the terminal a control sequence.

use crate::content::{Entry, SiteConfig, Status, Text};
use crate::markdown::vars::fill_markdown;
use crate::markdown::{pieces, terminal_escaped, Piece};
use crate::terminal;

/// How the text is drawn.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// ANSI colours and highlighted snippets.
    pub color: bool,
    /// Picks the snippet theme when `color` is on.
    pub dark_background: bool,
    /// Paragraphs are wrapped to this many columns.
    pub width: usize,
}

impl Style {
    pub fn plain() -> Style {
        Style { color: false, dark_background: true, width: 80 }
    }
}

fn category_name(config: &SiteConfig, entry: &Entry) -> String {
    config.category(&entry.category).map_or_else(|| entry.category.clone(), |c| c.name.clone())
}

/// A list of entries, one a line: code, category, id and title.
pub fn list(config: &SiteConfig, entries: &[&Entry]) -> String {
    let code_width = entries.iter().map(|e| e.code.chars().count()).max().unwrap_or(0);
    let names: Vec<String> = entries.iter().map(|e| category_name(config, e)).collect();
    let name_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let id_width = entries.iter().map(|e| e.id().chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (entry, name) in entries.iter().zip(&names) {
        let line = format!(
            "  {:code_width$}  {name:name_width$}  {:id_width$}  {}",
            entry.code,
            entry.id(),
            entry.title
        );
        let line = terminal::visible_line(&line);
        out.push_str(own(&line).trim_end());
        out.push('\n');
    }
    out
}

/// The entry as the terminal shows it.
pub fn render(config: &SiteConfig, entry: &Entry, style: Style) -> String {
    let mut out = Writer { style, text: String::new() };
    out.line(&out.bold(&entry.title));
    let mut facts =
        vec![entry.code.clone(), category_name(config, entry), format!("severity: {}", entry.severity)];
    if let Some(difficulty) = &entry.difficulty {
        facts.push(format!("difficulty: {difficulty}"));
    }
    if let Some(percent) = entry.fixable_percent {
        facts.push(format!("{percent}% fixable"));
    }
    if let Some(minutes) = entry.fix_minutes {
        facts.push(format!("~{minutes} min"));
    }
    facts.push(format!("updated {}", entry.updated.format("%Y-%m-%d")));
    // One line of facts, broken between facts when it is too long.
    let mut line = String::new();
    for fact in facts {
        if !line.is_empty() && line.chars().count() + 3 + fact.chars().count() > style.width {
            out.line(&out.dim(&std::mem::take(&mut line)));
        }
        if !line.is_empty() {
            line.push_str(" · ");
        }
        line.push_str(&fact);
    }
    out.line(&out.dim(&line));
    out.blank();
    out.markdown(&entry.summary, 0);
    let retired = entry.status == Status::Retired;
    if entry.status != Status::Current {
        let replacement = entry
            .replaced_by
            .as_ref()
            .map(|r| format!(" See {}{}/.", config.base_url, r.target))
            .unwrap_or_default();
        let notice = if retired {
            format!("Retired: current versions no longer raise this error.{replacement}")
        } else {
            format!("Deprecated: this error is on its way out.{replacement}")
        };
        out.blank();
        out.paragraph(&out.bold(&notice), "", "");
        out.blank();
    }

    // Placeholders show their defaults; the entry's page lets readers type their own.
    let filled = |markdown: &str| fill_markdown(markdown, &entry.vars).into_owned();
    if let (Some(Text { markdown, .. }), false) = (&entry.quick_fix, retired) {
        out.heading("Quick fix");
        out.markdown(&filled(markdown), 0);
    }
    if !entry.steps.is_empty() && !retired {
        out.heading("How to fix it");
        for (i, step) in entry.steps.iter().enumerate() {
            let number = format!("{}.", i + 1);
            out.line(&format!("{number} {}", out.bold(&step.title)));
            out.blank();
            if !step.body.markdown.trim().is_empty() {
                out.markdown(&filled(&step.body.markdown), 3);
            }
        }
    }
    if !entry.verify.is_empty() && !retired {
        out.heading("How to verify the fix");
        for item in &entry.verify {
            out.paragraph(&inline(&filled(&item.markdown), style), "[ ] ", "    ");
        }
        out.blank();
    }
    out.line(&out.dim(&format!("The whole entry: {}{}/{}/", config.base_url, entry.category, entry.slug)));
    out.text
}

/// Text from content with its private-use characters as stand-ins, before any of our markers
/// (which are private-use characters) is put beside it: only our markers become colours.
fn own(text: &str) -> std::borrow::Cow<'_, str> {
    terminal::private_use_visible(text)
}

/// Text being written for the terminal.
struct Writer {
    style: Style,
    text: String,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const CODE: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";
/// Markers around styled text, replaced as a line is written: they take no column, and the
/// colours they stand for are added after the line's text is made safe. They are private-use
/// characters, which text from content never holds by then: [`own`] shows those as stand-ins.
const START_CODE: char = '\u{E001}';
const START_BOLD: char = '\u{E002}';
const END: char = '\u{E003}';
const START_DIM: char = '\u{E004}';
const MARKERS: [char; 4] = [START_CODE, START_BOLD, END, START_DIM];

impl Writer {
    /// `text` (from content or our own, never with markers) in bold.
    fn bold(&self, text: &str) -> String {
        format!("{START_BOLD}{}{END}", own(text))
    }

    /// `text` (from content or our own, never with markers) dimmed.
    fn dim(&self, text: &str) -> String {
        format!("{START_DIM}{}{END}", own(text))
    }

    /// Writes one line: its control characters as stand-ins, then the markers as colours (or
    /// dropped). Everything but code blocks is written here.
    fn line(&mut self, text: &str) {
        for c in terminal::visible_line(text).chars() {
            match (c, self.style.color) {
                (START_CODE, true) => self.text.push_str(CODE),
                (START_BOLD, true) => self.text.push_str(BOLD),
                (START_DIM, true) => self.text.push_str(DIM),
                (END, true) => self.text.push_str(RESET),
                (c, false) if MARKERS.contains(&c) => {}
                // Non-breaking spaces keep inline code whole while wrapping.
                ('\u{a0}', _) => self.text.push(' '),
                (c, _) => self.text.push(c),
            }
        }
        self.text.push('\n');
    }

    fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    fn heading(&mut self, title: &str) {
        self.blank();
        let underline = "-".repeat(title.chars().count());
        let title = self.bold(title);
        self.line(&title);
        let underline = self.dim(&underline);
        self.line(&underline);
        self.blank();
    }

    /// Wraps `text` (with inline markers) to the width, the first line after `first` and the
    /// others after `rest`.
    fn paragraph(&mut self, text: &str, first: &str, rest: &str) {
        let width = self.style.width.saturating_sub(rest.chars().count()).max(20);
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut used = 0;
        for word in text.split([' ', '\n']).filter(|w| !w.is_empty()) {
            let length = word.chars().filter(|c| !MARKERS.contains(c)).count();
            if used > 0 && used + 1 + length > width {
                lines.push(std::mem::take(&mut current));
                used = 0;
            }
            if used > 0 {
                current.push(' ');
                used += 1;
            }
            current.push_str(word);
            used += length;
        }
        if !current.is_empty() {
            lines.push(current);
        }
        for (i, line) in lines.iter().enumerate() {
            let prefix = if i == 0 { first } else { rest };
            self.line(&format!("{prefix}{line}"));
        }
    }

    /// A snippet, made safe before it is highlighted (the highlighter's colours are the only
    /// escapes in it) and written line by line.
    fn code_block(&mut self, lang: &str, code: &str, indent: usize) {
        let pad = " ".repeat(indent + 4);
        let code = code.replace("\r\n", "\n");
        let code = own(code.trim_end_matches('\n'));
        let code = terminal::visible(&code);
        let shown = if self.style.color {
            terminal_escaped(lang, &code, self.style.dark_background)
        } else {
            code.into_owned()
        };
        for line in shown.lines() {
            if !line.is_empty() {
                self.text.push_str(&pad);
                self.text.push_str(line);
            }
            self.text.push('\n');
        }
        self.blank();
    }

    /// Block-level Markdown, indented by `indent` columns.
    fn markdown(&mut self, markdown: &str, indent: usize) {
        let pad = " ".repeat(indent);
        let mut inline_text = String::new();
        let mut lists: Vec<Option<u64>> = Vec::new();
        let mut item_prefix: Option<String> = None;
        let mut links: Vec<String> = Vec::new();
        for piece in pieces(markdown) {
            let list_pad = " ".repeat(indent + lists.len() * 3);
            match piece {
                Piece::CodeBlock { lang, code } => {
                    self.flush(&mut inline_text, &mut item_prefix, &list_pad, &pad);
                    self.code_block(&lang, &code, indent + lists.len() * 3);
                }
                Piece::ListStart(start) => {
                    self.flush(&mut inline_text, &mut item_prefix, &list_pad, &pad);
                    lists.push(start);
                }
                Piece::ListEnd => {
                    self.flush(&mut inline_text, &mut item_prefix, &list_pad, &pad);
                    lists.pop();
                    if lists.is_empty() {
                        self.blank();
                    }
                }
                Piece::ItemStart => {
                    self.flush(&mut inline_text, &mut item_prefix, &list_pad, &pad);
                    let outer = " ".repeat(indent + lists.len().saturating_sub(1) * 3);
                    let marker = match lists.last_mut() {
                        Some(Some(n)) => {
                            let marker = format!("{n}.");
                            *n += 1;
                            marker
                        }
                        _ => "-".to_owned(),
                    };
                    item_prefix = Some(format!("{outer}{marker:<3}"));
                }
                Piece::BlockEnd { heading } => {
                    if heading {
                        inline_text.push(END);
                    }
                    let in_list = !lists.is_empty();
                    self.flush(&mut inline_text, &mut item_prefix, &list_pad, &pad);
                    if !in_list {
                        self.blank();
                    }
                }
                Piece::HeadingStart | Piece::StrongStart => inline_text.push(START_BOLD),
                Piece::StrongEnd => inline_text.push(END),
                Piece::Text(t) => inline_text.push_str(&own(&t)),
                Piece::Code(t) => push_code(&mut inline_text, &t, self.style),
                Piece::LinkStart { url } => links.push(own(&url).into_owned()),
                Piece::LinkEnd => {
                    if let Some(url) = links.pop() {
                        if !url.starts_with('#') {
                            inline_text.push_str(&format!(" ({url})"));
                        }
                    }
                }
                Piece::SoftBreak => inline_text.push(' '),
                Piece::HardBreak => inline_text.push('\n'),
                Piece::TableCellEnd => inline_text.push_str(" | "),
            }
        }
        self.flush(&mut inline_text, &mut item_prefix, &" ".repeat(indent), &pad);
    }

    fn flush(&mut self, text: &mut String, item_prefix: &mut Option<String>, list_pad: &str, pad: &str) {
        let content = std::mem::take(text).replace("| |", "|");
        let content = content.trim();
        if content.is_empty() {
            return;
        }
        match item_prefix.take() {
            Some(prefix) => {
                let rest = " ".repeat(prefix.chars().count());
                self.paragraph(content, &prefix, &rest);
            }
            None if list_pad.len() > pad.len() => self.paragraph(content, list_pad, list_pad),
            None => self.paragraph(content, pad, pad),
        }
    }
}

/// One line of inline Markdown (a checklist item) with markers for its styled parts.
fn inline(markdown: &str, style: Style) -> String {
    let mut text = String::new();
    for piece in pieces(markdown) {
        match piece {
            Piece::Text(t) => text.push_str(&own(&t)),
            Piece::Code(t) => push_code(&mut text, &t, style),
            Piece::StrongStart => text.push(START_BOLD),
            Piece::StrongEnd => text.push(END),
            Piece::SoftBreak | Piece::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Inline code: marked for colour, or between backticks; its spaces never break a line.
fn push_code(text: &mut String, code: &str, style: Style) {
    let (open, close) = if style.color { (START_CODE, END) } else { ('`', '`') };
    text.push(open);
    text.push_str(&own(code).replace(' ', "\u{a0}"));
    text.push(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (SiteConfig, Vec<std::sync::Arc<Entry>>) {
        crate::content::entry::two_categories_for_test(
            "aliases: [Service Unavailable]\nsteps:\n  - title: Restart\n    body: |\n      Run `systemctl restart app` now.\n\n      ```bash\n      # restart it\n      systemctl restart app\n      ```\nverify:\n  - \"`curl` returns **200**.\"\n",
        )
    }

    #[test]
    fn a_retired_entry_says_so_and_drops_its_fix() {
        let (config, entries) = site();
        let mut retired = (*entries[0]).clone();
        let current = render(&config, &retired, Style::plain());
        assert!(current.contains("How to fix it") && !current.contains("Retired"), "{current}");
        retired.status = Status::Retired;
        retired.replaced_by =
            Some(crate::content::Link { target: "http/504".into(), span: Default::default() });
        let text = render(&config, &retired, Style::plain()).replace('\n', " ");
        assert!(
            text.contains(
                "Retired: current versions no longer raise this error. See https://e.org/http/504/."
            ),
            "{text}"
        );
        assert!(!text.contains("How to fix it") && !text.contains("How to verify"), "{text}");
        retired.status = Status::Deprecated;
        let text = render(&config, &retired, Style::plain());
        assert!(
            text.contains("Deprecated: this error is on its way out.") && text.contains("How to fix it"),
            "{text}"
        );
    }

    #[test]
    fn plain_text_has_no_escapes_and_colour_highlights_snippets() {
        let (config, entries) = site();
        let plain = render(&config, &entries[0], Style::plain());
        assert!(!plain.contains('\x1b'));
        assert!(plain.contains("1. Restart\n\n   Run `systemctl restart app` now.\n"), "{plain}");
        assert!(plain.contains("       # restart it\n       systemctl restart app\n"), "{plain}");
        assert!(plain.contains("[ ] `curl` returns 200.\n"), "{plain}");

        let colour = render(&config, &entries[0], Style { color: true, dark_background: true, width: 80 });
        assert!(colour.contains("\x1b[38;2;"), "the snippet is highlighted with 24-bit colours");
        assert!(colour.contains(&format!("{CODE}curl{RESET}")), "inline code is coloured");
        assert!(colour.contains(&format!("{BOLD}200{RESET}")));
    }

    /// `text` without the colour sequences the renderer and the highlighter add (ESC `[`, digits
    /// and `;`, `m`).
    fn without_colours(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("\x1b[") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let length = after.find(|c: char| !c.is_ascii_digit() && c != ';').unwrap_or(after.len());
            if after[length..].starts_with('m') {
                rest = &after[length + 1..];
            } else {
                out.push_str("\x1b[");
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    proptest::proptest! {
        /// Whatever an entry holds, the text has no control character but newlines and the
        /// colours of our own.
        #[test]
        fn no_control_character_of_an_entry_reaches_the_terminal(
            parts in proptest::collection::vec("([\\x00-\\x1f\\x7f-\\u{9f}\\u{202e}\\u{e001}-\\u{e004}]|\\PC|`|```bash\n|\n|\\*\\*| ){0,40}", 8),
            color in proptest::bool::ANY,
        ) {
            let (mut config, entries) = site();
            let mut entry = (*entries[0]).clone();
            entry.code.clone_from(&parts[0]);
            entry.title.clone_from(&parts[1]);
            entry.summary.clone_from(&parts[2]);
            entry.quick_fix = Some(Text { markdown: parts[3].clone(), line: 1 });
            entry.steps[0].title.clone_from(&parts[4]);
            entry.steps[0].body.markdown = format!("{}\n\n```bash\n{}\n```\n", parts[5], parts[6]);
            entry.verify = vec![Text { markdown: parts[7].clone(), line: 1 }];
            entry.difficulty = Some(crate::content::Difficulty::Advanced);
            config.base_url = format!("{}/", parts[2]);
            let text = render(&config, &entry, Style { color, ..Style::plain() });
            let text = without_colours(&text);
            proptest::prop_assert!(!text.chars().any(|c| terminal::is_unsafe(c) && !matches!(c, '\n' | '\t')), "{text:?}");
            let listed = list(&config, &[&entry]);
            proptest::prop_assert!(!listed.chars().any(|c| terminal::is_unsafe(c) && !matches!(c, '\n' | '\t')), "{listed:?}");
        }
    }

    #[test]
    fn paragraphs_wrap_without_splitting_inline_code() {
        let mut out = Writer { style: Style { width: 30, ..Style::plain() }, text: String::new() };
        out.markdown("Run `a command with spaces` and then check the output again.", 0);
        assert_eq!(out.text, "Run `a command with spaces`\nand then check the output\nagain.\n\n");
    }
}
