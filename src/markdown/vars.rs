//! Placeholders: `<<name>>` in code, standing for a value the reader gives (`vars` in an
//! entry's front matter holds each name's default).
//!
//! A placeholder is `<<`, a name (a lowercase letter, then lowercase letters, digits, `_` and
//! `-`) and `>>`, with nothing in between: `<<namespace>>`. Only code is read for them, fenced
//! blocks and inline code spans alike; in prose `<<name>>` is text. The syntax is chosen not to
//! meet what snippets hold: `{{ }}` is Helm, Go, Jinja and Ansible, `${{ }}` GitHub Actions,
//! `${}` and `$()` the shell, `%name%` Windows. A here-document (`<<EOF`) has no closing `>>`,
//! and a delimiter written `<<eof>>file` becomes `<< eof >>file`.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The longest name a placeholder may have.
pub const NAME_LIMIT: usize = 32;
/// The longest default value, in characters.
pub const DEFAULT_LIMIT: usize = 100;

/// The placeholders an entry declares, in the order it declares them, with their defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Vars {
    list: Vec<Var>,
}

/// A placeholder an entry declares: its name, and its default.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Var {
    pub name: String,
    pub default: String,
}

impl Vars {
    /// Placeholders in the order given; a name given twice keeps its first default.
    pub fn new(vars: impl IntoIterator<Item = Var>) -> Vars {
        let mut list: Vec<Var> = Vec::new();
        for var in vars {
            if !list.iter().any(|v| v.name == var.name) {
                list.push(var);
            }
        }
        Vars { list }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The default of `name`, when the entry declares it.
    pub fn default_of(&self, name: &str) -> Option<&str> {
        self.list.iter().find(|v| v.name == name).map(|v| v.default.as_str())
    }

    /// The placeholders, in the order they were declared.
    pub fn iter(&self) -> impl Iterator<Item = &Var> {
        self.list.iter()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|v| v.name.as_str())
    }
}

/// Whether `name` may name a placeholder: a lowercase ASCII letter, then lowercase letters,
/// digits, `_` and `-`, at most [`NAME_LIMIT`] in all.
pub fn is_valid_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && name.len() <= NAME_LIMIT
        && bytes.all(is_name_byte)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
}

/// A placeholder written in a text: where (`<<` to `>>`, in bytes) and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use<'a> {
    pub range: Range<usize>,
    pub name: &'a str,
}

/// Every `<<name>>` in `text`, in order (names of any length, so a use too long to declare is
/// still found).
pub fn find(text: &str) -> Vec<Use<'_>> {
    let bytes = text.as_bytes();
    let mut uses = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("<<") {
        let start = at + found;
        let name_start = start + 2;
        let name_len = bytes[name_start..].iter().take_while(|b| is_name_byte(**b)).count();
        let name_end = name_start + name_len;
        let named = bytes.get(name_start).is_some_and(u8::is_ascii_lowercase);
        if named && bytes[name_end..].starts_with(b">>") {
            uses.push(Use { range: start..name_end + 2, name: &text[name_start..name_end] });
            at = name_end + 2;
        } else {
            at = start + 1;
        }
    }
    uses
}

/// `text` with every declared placeholder replaced by its default; undeclared ones stay.
pub fn fill<'a>(text: &'a str, vars: &Vars) -> Cow<'a, str> {
    if vars.is_empty() || !text.contains("<<") {
        return Cow::Borrowed(text);
    }
    let uses = find(text);
    replace(text, uses.iter().filter_map(|u| Some((u.range.clone(), vars.default_of(u.name)?))))
}

fn replace<'a, 'v>(text: &'a str, parts: impl Iterator<Item = (Range<usize>, &'v str)>) -> Cow<'a, str> {
    let mut out = String::new();
    let mut copied = 0;
    for (range, value) in parts {
        out.push_str(&text[copied..range.start]);
        out.push_str(value);
        copied = range.end;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Code with its declared placeholders filled in, and where each default now stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    pub code: String,
    /// Where each value stands, in order.
    pub values: Vec<FilledValue>,
}

/// A placeholder's value in filled code: its byte range, and the placeholder's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilledValue {
    pub range: Range<usize>,
    pub name: String,
}

/// `code` with every declared placeholder replaced by its default, and where the values are;
/// `None` when it has none.
pub fn fill_code(code: &str, vars: &Vars) -> Option<Filled> {
    fill_code_with(code, |name| vars.default_of(name))
}

/// [`fill_code`] with an undeclared placeholder replaced by its name, for checks that should
/// not report again what is reported as undeclared already.
pub fn fill_code_or_name(code: &str, vars: &Vars) -> Option<Filled> {
    fill_code_with(code, |name| Some(vars.default_of(name).unwrap_or(name)))
}

fn fill_code_with<'a>(code: &'a str, value: impl Fn(&'a str) -> Option<&'a str>) -> Option<Filled> {
    let mut out = String::with_capacity(code.len());
    let mut values = Vec::new();
    let mut copied = 0;
    for used in find(code) {
        let Some(default) = value(used.name) else {
            continue;
        };
        out.push_str(&code[copied..used.range.start]);
        let start = out.len();
        out.push_str(default);
        values.push(FilledValue { range: start..out.len(), name: used.name.to_owned() });
        copied = used.range.end;
    }
    if values.is_empty() {
        return None;
    }
    out.push_str(&code[copied..]);
    Some(Filled { code: out, values })
}

/// The placeholders of a Markdown text that stand in code (fenced and indented blocks, inline
/// code spans), with their byte ranges in `markdown`, in order.
pub fn uses_in_markdown(markdown: &str) -> Vec<Use<'_>> {
    if !markdown.contains("<<") {
        return Vec::new();
    }
    let mut uses = Vec::new();
    let mut in_block = false;
    let mut last_end = 0;
    for (event, range) in Parser::new_ext(markdown, super::parser_options()).into_offset_iter() {
        let code = match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_block = true;
                false
            }
            Event::End(TagEnd::CodeBlock) => {
                in_block = false;
                false
            }
            Event::Text(_) => in_block,
            Event::Code(_) => true,
            _ => false,
        };
        // A placeholder holds no space, backtick or line break, so every one inside the span
        // of a code event is code, whatever the span also covers (backticks, a quote's `>`).
        if code && range.start >= last_end {
            let slice = &markdown[range.clone()];
            uses.extend(find(slice).into_iter().map(|u| Use {
                range: range.start + u.range.start..range.start + u.range.end,
                name: u.name,
            }));
            last_end = range.end;
        }
    }
    uses
}

/// The placeholders of a Markdown text written outside code, in order. They are not filled in,
/// and Markdown reads `<name>` in them as an HTML tag, which the page drops: the reader sees
/// `<>`.
pub fn uses_in_prose(markdown: &str) -> Vec<Use<'_>> {
    if !markdown.contains("<<") {
        return Vec::new();
    }
    let code = uses_in_markdown(markdown);
    find(markdown).into_iter().filter(|u| !code.iter().any(|c| c.range == u.range)).collect()
}

/// A Markdown text with the declared placeholders of its code replaced by their defaults: what
/// readers without the page's inputs (the Markdown copy, `explain`, the data API) see.
pub fn fill_markdown<'a>(markdown: &'a str, vars: &Vars) -> Cow<'a, str> {
    if vars.is_empty() || !markdown.contains("<<") {
        return Cow::Borrowed(markdown);
    }
    let uses = uses_in_markdown(markdown);
    replace(markdown, uses.iter().filter_map(|u| Some((u.range.clone(), vars.default_of(u.name)?))))
}

/// The text of a placeholder's value on the page: a span the page's script fills with the
/// reader's value (as text), holding the default until then.
pub fn value_span(name: &str, value: &str) -> String {
    format!("<span class=\"var\" data-var=\"{}\">{}</span>", super::escape(name), super::escape(value))
}

/// Highlighted code (spans of `hl-` classes around escaped text, as `highlight` writes it)
/// with each of `values` (byte ranges of the code) wrapped in a [`value_span`]. A value inside
/// one run of text goes inside the spans around it; one that crosses a span's edge closes the
/// spans open there, and opens them again after it, so the value's span holds text alone.
pub fn mark_values(html: &str, code: &str, values: &[FilledValue]) -> String {
    let tokens = tokens(html);
    let mut out = String::with_capacity(html.len() + values.len() * 48);
    let mut stack: Vec<&str> = Vec::new();
    let mut values = values.iter().peekable();
    let mut index = 0;
    // A text token split by a value's start or end: the part still to write, and where it starts.
    let mut pending: Option<(usize, usize)> = None;
    loop {
        let (token, from) = match pending.take() {
            Some((i, from)) => (i, from),
            None if index < tokens.len() => {
                index += 1;
                (index - 1, tokens[index - 1].text_start())
            }
            None => break,
        };
        match &tokens[token] {
            Token::Open(tag) => {
                out.push_str(tag);
                stack.push(tag);
            }
            Token::Close => match stack.pop() {
                // A span opened again after a value and closed before any text: drop it, as
                // a span without text is markup the verifier refuses.
                Some(tag) if out.ends_with(tag) => out.truncate(out.len() - tag.len()),
                _ => out.push_str("</span>"),
            },
            Token::Text { html: piece, start, end } => {
                let Some(FilledValue { range, name }) = values.peek().filter(|v| v.range.start < *end) else {
                    out.push_str(text_part(piece, *start, from, *end));
                    continue;
                };
                let (range, name) = (range.clone(), name.clone());
                values.next();
                out.push_str(text_part(piece, *start, from, range.start.max(from)));
                // The tokens the value covers: does it cross the edge of a span?
                let mut last = token;
                while tokens[last].text_end().is_none_or(|e| e < range.end) && last + 1 < tokens.len() {
                    last += 1;
                }
                let crosses = tokens[token..=last].iter().any(|t| !matches!(t, Token::Text { .. }));
                let value = code.get(range.clone()).unwrap_or_default();
                if crosses {
                    // Spans opened right before the value hold nothing yet: drop them.
                    for tag in stack.iter().rev() {
                        if out.ends_with(tag) {
                            out.truncate(out.len() - tag.len());
                        } else {
                            out.push_str("</span>");
                        }
                    }
                    out.push_str(&value_span(&name, value));
                    for t in &tokens[token + 1..=last] {
                        match t {
                            Token::Open(tag) => stack.push(tag),
                            Token::Close => {
                                stack.pop();
                            }
                            Token::Text { .. } => {}
                        }
                    }
                    stack.iter().for_each(|tag| out.push_str(tag));
                } else {
                    out.push_str(&value_span(&name, value));
                }
                index = last + 1;
                if let Token::Text { end, .. } = tokens[last] {
                    if range.end < end {
                        pending = Some((last, range.end));
                    }
                }
            }
        }
    }
    out
}

/// What of a text token `piece` (the code from `start` to `end`) stands for code bytes `from`
/// to `to`: a plain run is the code itself, an entity is one byte of it.
fn text_part(piece: &str, start: usize, from: usize, to: usize) -> &str {
    if to <= from {
        return "";
    }
    if piece.starts_with('&') {
        return piece;
    }
    piece.get(from.saturating_sub(start)..to.saturating_sub(start)).unwrap_or_default()
}

enum Token<'a> {
    Open(&'a str),
    Close,
    /// Escaped text: a run of plain bytes, or one entity; `start..end` in the code.
    Text {
        html: &'a str,
        start: usize,
        end: usize,
    },
}

impl Token<'_> {
    fn text_start(&self) -> usize {
        match self {
            Token::Text { start, .. } => *start,
            _ => 0,
        }
    }

    fn text_end(&self) -> Option<usize> {
        match self {
            Token::Text { end, .. } => Some(*end),
            _ => None,
        }
    }
}

fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let (mut at, mut text) = (0, 0);
    while at < html.len() {
        let rest = &html[at..];
        if rest.starts_with("</span>") {
            tokens.push(Token::Close);
            at += "</span>".len();
        } else if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            tokens.push(Token::Open(&rest[..end]));
            at += end;
        } else if rest.starts_with('&') {
            let end = rest.find(';').map_or(rest.len(), |i| i + 1);
            tokens.push(Token::Text { html: &rest[..end], start: text, end: text + 1 });
            text += 1;
            at += end;
        } else {
            let end = rest.find(['<', '&']).unwrap_or(rest.len());
            tokens.push(Token::Text { html: &rest[..end], start: text, end: text + end });
            text += end;
            at += end;
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(range: Range<usize>, name: &str) -> FilledValue {
        FilledValue { range, name: name.to_owned() }
    }

    fn vars() -> Vars {
        Vars::new([
            Var { name: "namespace".to_owned(), default: "default".to_owned() },
            Var { name: "pod".to_owned(), default: "api-0".to_owned() },
        ])
    }

    #[test]
    fn names_are_lowercase_words() {
        for good in ["a", "namespace", "pod_name", "pod-name", "x1"] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in ["", "Namespace", "1x", "_x", "-x", "pod name", "pod.name", "é", &"a".repeat(33)] {
            assert!(!is_valid_name(bad), "{bad}");
        }
        assert!(is_valid_name(&"a".repeat(32)));
    }

    #[test]
    fn finds_placeholders_and_nothing_that_only_looks_alike() {
        let text = "kubectl -n <<namespace>> logs <<pod>> <<EOF <<<x>>> << a >> <<1>> <<ok-1_x>>";
        let found: Vec<&str> = find(text).iter().map(|u| u.name).collect();
        assert_eq!(found, ["namespace", "pod", "x", "ok-1_x"]);
        assert_eq!(find("a <<namespace>>")[0].range, 2..15);
        assert!(find("cat <<EOF>>out.txt").is_empty(), "an upper-case here-document is no placeholder");
        assert!(find("{{ .Values.namespace }} ${{ secrets.TOKEN }} $NS").is_empty());
    }

    #[test]
    fn fill_replaces_declared_names_only() {
        assert_eq!(fill("-n <<namespace>> <<other>> <<pod>>", &vars()), "-n default <<other>> api-0");
        assert!(matches!(fill("nothing here", &vars()), Cow::Borrowed(_)));
        // One pass: a default that looks like a placeholder is not read again.
        let tricky = Vars::new([
            Var { name: "a".to_owned(), default: "<<b>>".to_owned() },
            Var { name: "b".to_owned(), default: "x".to_owned() },
        ]);
        assert_eq!(fill("<<a>><<b>>", &tricky), "<<b>>x");
    }

    #[test]
    fn fill_code_says_where_each_value_is() {
        let filled = fill_code("kubectl -n <<namespace>> logs <<pod>> <<nope>>\n", &vars()).unwrap();
        assert_eq!(filled.code, "kubectl -n default logs api-0 <<nope>>\n");
        assert_eq!(filled.values, [value(11..18, "namespace"), value(24..29, "pod")]);
        assert_eq!(fill_code("no placeholder <<nope>>", &vars()), None);
        let checked = fill_code_or_name("-n <<namespace>> <<nope>>", &vars()).unwrap();
        assert_eq!(checked.code, "-n default nope");
    }

    #[test]
    fn only_code_in_markdown_has_placeholders() {
        let markdown = "Set <<namespace>> first.\n\n`kubectl -n <<namespace>>`\n\n```bash\nkubectl logs <<pod>>\n```\n\n> ```\n> <<pod>>\n> ```\n\n    <<namespace>> indented\n";
        let uses = uses_in_markdown(markdown);
        let names: Vec<&str> = uses.iter().map(|u| u.name).collect();
        assert_eq!(names, ["namespace", "pod", "pod", "namespace"]);
        for u in &uses {
            assert_eq!(&markdown[u.range.clone()], format!("<<{}>>", u.name));
        }
        assert_eq!(
            fill_markdown(markdown, &vars()),
            "Set <<namespace>> first.\n\n`kubectl -n default`\n\n```bash\nkubectl logs api-0\n```\n\n> ```\n> api-0\n> ```\n\n    default indented\n"
        );
    }

    #[test]
    fn placeholders_outside_code_are_told_apart() {
        let markdown = "Set <<ns>> here, `<<ns>>` there,\n\n    <<deploy>>\n\nand \\<\\<esc>> or <<pod>>.";
        let prose: Vec<&str> = uses_in_prose(markdown).iter().map(|u| u.name).collect();
        assert_eq!(prose, ["ns", "pod"]);
        let code: Vec<&str> = uses_in_markdown(markdown).iter().map(|u| u.name).collect();
        assert_eq!(code, ["ns", "deploy"]);
        assert!(uses_in_prose("no placeholders").is_empty());
    }

    #[test]
    fn a_value_inside_a_token_stays_inside_it() {
        let code = "echo \"default\"\n";
        let html = "<span class=\"hl-a\">echo <span class=\"hl-s\">&quot;default&quot;</span></span>\n";
        let marked = mark_values(html, code, &[value(6..13, "namespace")]);
        assert_eq!(
            marked,
            "<span class=\"hl-a\">echo <span class=\"hl-s\">&quot;<span class=\"var\" data-var=\"namespace\">default</span>&quot;</span></span>\n"
        );
    }

    #[test]
    fn a_value_across_tokens_closes_and_reopens_them() {
        let code = "a-b c\n";
        let html = "<span class=\"hl-x\">a</span>-<span class=\"hl-y\">b c</span>\n";
        let marked = mark_values(html, code, &[value(0..3, "v")]);
        assert_eq!(marked, "<span class=\"var\" data-var=\"v\">a-b</span><span class=\"hl-y\"> c</span>\n");
        assert_eq!(marked.matches("<span").count(), marked.matches("</span>").count());
        // A value within one token goes inside it, and the token goes on after it.
        let marked = mark_values(html, code, &[value(2..4, "v")]);
        assert_eq!(
            marked,
            "<span class=\"hl-x\">a</span>-<span class=\"hl-y\"><span class=\"var\" data-var=\"v\">b </span>c</span>\n"
        );
    }

    #[test]
    fn a_value_that_ends_where_a_span_ends_leaves_no_empty_span() {
        let code = "a-b c\n";
        let html = "<span class=\"hl-x\">a-</span><span class=\"hl-y\">b</span> c\n";
        // The value crosses the first span's edge and ends with the second span's text.
        let marked = mark_values(html, code, &[value(1..3, "v")]);
        assert_eq!(marked, "<span class=\"hl-x\">a</span><span class=\"var\" data-var=\"v\">-b</span> c\n");
        let plain = marked.replace("<span class=\"var\" data-var=\"v\">", "<span class=\"hl-s\">");
        assert_eq!(super::super::verify_highlighted(&plain, code), Ok(()));
    }

    #[test]
    fn values_with_characters_to_escape_are_escaped_once() {
        let code = "x <a&b> y";
        let html = super::super::escape(code);
        let marked = mark_values(&html, code, &[value(2..7, "v")]);
        assert_eq!(marked, "x <span class=\"var\" data-var=\"v\">&lt;a&amp;b&gt;</span> y");
    }

    #[test]
    fn several_values_in_one_run() {
        let code = "kubectl -n default logs api-0\n";
        let marked = mark_values(code, code, &[value(11..18, "namespace"), value(24..29, "pod")]);
        assert_eq!(
            marked,
            "kubectl -n <span class=\"var\" data-var=\"namespace\">default</span> logs <span class=\"var\" data-var=\"pod\">api-0</span>\n"
        );
    }
}
