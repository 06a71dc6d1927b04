//! YAML with positions: typed parsing that reports every bad field at its line and column.
//!
//! serde stops at the first error and a parsed `Value` carries no positions, so this module
//! scans the top-level keys of a block-style document itself. Each key's block is then
//! deserialized on its own when the whole document does not fit the type, which yields one
//! located diagnostic per bad field instead of one per file.

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::diagnostics::{did_you_mean, Diagnostic, Explanation, Span};

/// A YAML document inside a file: its text and the line of the file its first line is on.
#[derive(Clone, Copy)]
pub struct Document<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub first_line: usize,
}

/// A top-level `key: value` of a document, with positions in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    /// The key itself.
    pub span: Span,
    /// The scalar on the key's line, if any (empty for block values).
    pub value: Span,
    /// Byte range of the key's whole block (the key line and its indented continuation).
    pub block: std::ops::Range<usize>,
    /// The file line of the block's first line.
    pub block_line: usize,
}

/// Every top-level key of a block-style mapping, in document order.
pub fn scan_keys(doc: Document<'_>) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::new();
    let mut offset = 0;
    for (index, line) in doc.text.split_inclusive('\n').enumerate() {
        let line_number = doc.first_line + index;
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let top_level = content.chars().next().is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-');
        if !top_level || content == "---" || content == "..." {
            continue;
        }
        let Some((name, colon)) = split_key(content) else {
            continue;
        };
        if let Some(previous) = keys.last_mut() {
            previous.block.end = start;
        }
        let after = &content[colon + 1..];
        let value_text = strip_comment(after.trim_start());
        let value_start = colon + 1 + (after.len() - after.trim_start().len());
        let value_column = content[..value_start].chars().count() + 1;
        let value = Span::new(line_number, value_column, value_text.chars().count());
        keys.push(Key {
            span: Span::new(line_number, 1, name.chars().count()),
            name,
            value,
            block: start..doc.text.len(),
            block_line: line_number,
        });
    }
    keys
}

/// `key:` at the start of a line: the key (unquoted) and the byte index of its colon.
fn split_key(line: &str) -> Option<(String, usize)> {
    let quote = line.chars().next().filter(|c| *c == '"' || *c == '\'');
    if let Some(quote) = quote {
        let close = line[1..].find(quote)? + 1;
        let rest = &line[close + 1..];
        return rest.starts_with(':').then(|| (line[1..close].to_owned(), close + 1));
    }
    let colon = line
        .char_indices()
        .find(|&(i, c)| c == ':' && line[i + 1..].chars().next().is_none_or(char::is_whitespace))?
        .0;
    Some((line[..colon].trim_end().to_owned(), colon))
}

/// A scalar without a trailing ` # comment` (only outside quotes).
fn strip_comment(value: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in value.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return value[..i].trim_end(),
            None => {}
        }
        previous = c;
    }
    value.trim_end()
}

/// A field a document may have: its name, what it holds (for "must be …" messages) and how to
/// write it (the help of a mistyped value).
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub expects: &'static str,
    pub help: &'static str,
}

/// What [`parse`] made of a document.
#[derive(Debug)]
pub struct Parsed<T> {
    pub value: T,
    pub keys: Vec<Key>,
    /// Known fields that are present but could not be read. They are already reported, and
    /// `value` holds their defaults.
    pub dropped: Vec<String>,
}

/// Parses `doc` as a `T` whose fields are all optional (`#[serde(default)]`), reporting syntax
/// errors, unknown keys (with a suggestion) and every mistyped field. A mistyped field is
/// reported and left at its default so the other fields can still be checked; `None` only when
/// the document is not a mapping at all.
pub fn parse<T: DeserializeOwned>(
    doc: Document<'_>,
    fields: &[Field],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Parsed<T>> {
    let mapping = read_mapping(doc, what, diagnostics)?;
    let keys = scan_keys(doc);
    let known = known_fields(doc, mapping, &keys, fields, what, diagnostics);
    let (known, dropped) = drop_mistyped::<T>(doc, known, &keys, fields, diagnostics);
    match serde_yaml::from_value::<T>(Value::Mapping(known)) {
        Ok(value) => Some(Parsed { value, keys, dropped }),
        Err(error) => {
            let Explanation { message, help } = explain_type_error("", &error_text(&error), None, None);
            diagnostics
                .push(Diagnostic::error(doc.file, Span::new(doc.first_line, 1, 0), message).with_help(help));
            None
        }
    }
}

/// The document as a mapping (an empty document is an empty one); `None` when it is not valid
/// YAML or not a mapping.
fn read_mapping(
    doc: Document<'_>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<serde_yaml::Mapping> {
    if let Some(span) = too_deeply_nested(doc) {
        diagnostics.push(
            Diagnostic::error(
                doc.file,
                span,
                format!("invalid YAML: `[` and `{{` nested more than {MAX_FLOW_DEPTH} levels deep"),
            )
            .with_help("close the brackets opened before this point; no field needs this much nesting"),
        );
        return None;
    }
    let value: Value = match serde_yaml::from_str(doc.text) {
        Ok(value) => value,
        Err(error) => {
            let mut diagnostic = syntax_error(doc, &error);
            if is_repetition_error(&error) {
                diagnostic.span = repetition_line(doc);
            }
            diagnostics.push(diagnostic);
            return None;
        }
    };
    match value {
        Value::Mapping(mapping) => Some(mapping),
        Value::Null => Some(serde_yaml::Mapping::new()),
        other => {
            diagnostics.push(
                Diagnostic::error(
                    doc.file,
                    Span::new(doc.first_line, 1, 0),
                    format!("expected {what} as `key: value` fields, found {}", kind_of(&other)),
                )
                .with_help(
                    "write one `key: value` field per line, each starting at the beginning of the line",
                ),
            );
            None
        }
    }
}

/// The fields of `mapping` that `fields` names; every other key is reported.
fn known_fields(
    doc: Document<'_>,
    mapping: serde_yaml::Mapping,
    keys: &[Key],
    fields: &[Field],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> serde_yaml::Mapping {
    let find_key = |name: &str| keys.iter().find(|k| k.name == name);
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let mut known = serde_yaml::Mapping::new();
    for (key, field) in mapping {
        let Value::String(name) = &key else {
            let written = serde_yaml::to_string(&key).unwrap_or_default();
            let span = find_key(written.trim()).map_or(Span::new(doc.first_line, 1, 0), |k| k.span);
            diagnostics.push(
                Diagnostic::error(doc.file, span, format!("field names must be text, found {}", kind_of(&key)))
                    .with_help("field names are words such as `title`; to use a number as a value, write it after the field name"),
            );
            continue;
        };
        if names.contains(&name.as_str()) {
            known.insert(key, field);
            continue;
        }
        let span = find_key(name).map_or(Span::new(doc.first_line, 1, 0), |k| k.span);
        let help = match did_you_mean(name, names.iter().copied()) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("remove it; the fields of {what} are: {}", names.join(", ")),
        };
        diagnostics.push(
            Diagnostic::error(doc.file, span, format!("unknown field `{name}` in {what}")).with_help(help),
        );
    }
    known
}

/// The fields that read as their part of a `T`, and the names of those that do not (reported).
fn drop_mistyped<T: DeserializeOwned>(
    doc: Document<'_>,
    known: serde_yaml::Mapping,
    keys: &[Key],
    fields: &[Field],
    diagnostics: &mut Vec<Diagnostic>,
) -> (serde_yaml::Mapping, Vec<String>) {
    let mut dropped = Vec::new();
    if serde_yaml::from_value::<T>(Value::Mapping(known.clone())).is_ok() {
        return (known, dropped);
    }
    // One field at a time: every bad field is reported, and the good ones are kept.
    let mut good = serde_yaml::Mapping::new();
    for (key, field) in known {
        let name = key.as_str().unwrap_or_default().to_owned();
        let single: serde_yaml::Mapping = [(key.clone(), field.clone())].into_iter().collect();
        match serde_yaml::from_value::<T>(Value::Mapping(single)) {
            Ok(_) => {
                good.insert(key, field);
            }
            Err(error) => {
                let spec = fields.iter().find(|f| f.name == name);
                let key = keys.iter().find(|k| k.name == name);
                diagnostics.push(field_error::<T>(doc, key, spec, &name, &field, &error));
                dropped.push(name);
            }
        }
    }
    (good, dropped)
}

fn is_repetition_error(error: &serde_yaml::Error) -> bool {
    error.to_string().starts_with("repetition limit exceeded")
}

/// Where aliases first repeat values too many times: serde_yaml says no more than that it
/// happened, so this finds the first line whose addition makes the document's beginning fail
/// the same way, and points at the first alias on it (or at the line).
fn repetition_line(doc: Document<'_>) -> Span {
    // The byte offset where each line ends.
    let ends: Vec<usize> = doc
        .text
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            *offset += line.len();
            Some(*offset)
        })
        .collect();
    let fails = |lines: usize| {
        serde_yaml::from_str::<Value>(&doc.text[..ends[lines - 1]]).is_err_and(|e| is_repetition_error(&e))
    };
    // The whole document fails and none of it does not: the first line that makes the lines
    // before it fail is where an alias tips it over.
    let (mut good, mut bad) = (0, ends.len());
    if bad == 0 || !fails(bad) {
        return Span::new(doc.first_line, 1, 0);
    }
    while bad - good > 1 {
        let middle = (good + bad) / 2;
        if fails(middle) {
            bad = middle;
        } else {
            good = middle;
        }
    }
    let line = doc.first_line + bad - 1;
    let text = line_text(doc, line).unwrap_or("");
    let alias = text.char_indices().find(|&(i, c)| {
        c == '*' && text[i + 1..].chars().next().is_some_and(|n| n.is_alphanumeric() || n == '_' || n == '-')
    });
    match alias {
        Some((i, _)) => {
            let name = text[i + 1..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                .count();
            Span::new(line, text[..i].chars().count() + 1, name + 1)
        }
        None => Span::new(line, 1, text.chars().count()),
    }
}

/// The place of a byte offset of the document, as libyaml's "at position N" gives it.
fn offset_span(doc: Document<'_>, offset: usize) -> Option<Span> {
    let before = doc.text.get(..offset)?;
    let line = doc.first_line + before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some(Span::new(line, column, 1))
}

/// More nesting than any document needs. The YAML parser refuses 128 levels anyway, but takes
/// time that grows with the square of the depth to get there.
const MAX_FLOW_DEPTH: usize = 100;

/// Where `[` and `{` first nest deeper than [`MAX_FLOW_DEPTH`], counting from each unindented
/// line (a flow collection cannot continue there).
fn too_deeply_nested(doc: Document<'_>) -> Option<Span> {
    let mut depth = 0usize;
    for (line, text) in (doc.first_line..).zip(doc.text.lines()) {
        if text.starts_with(|c: char| !c.is_whitespace()) {
            depth = 0;
        }
        for (column, c) in (1..).zip(text.chars()) {
            match c {
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(Span::new(line, column, 1));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// The diagnostic for one field that does not fit its type, at the exact place in the file.
fn field_error<T: DeserializeOwned>(
    doc: Document<'_>,
    key: Option<&Key>,
    spec: Option<&Field>,
    name: &str,
    value: &Value,
    error: &serde_yaml::Error,
) -> Diagnostic {
    // The error of the field's own block carries a position; the one from the value does not.
    let located = key.and_then(|key| {
        let block = &doc.text[key.block.clone()];
        let error = serde_yaml::from_str::<T>(block).err()?;
        Some((key, error))
    });
    let (text, span) = match &located {
        Some((key, block_error)) => {
            let text = error_text(block_error);
            // An error at the very start of the block (an untagged enum says no more) is about
            // the value as a whole.
            let span = block_error.location().filter(|l| (l.line(), l.column()) != (1, 1)).map_or(
                key.value_or_key(),
                |location| {
                    let line = key.block_line + location.line().saturating_sub(1);
                    let column = location.column();
                    Span::new(line, column, value_len(line_text(doc, line).unwrap_or(""), column))
                },
            );
            (text, span)
        }
        None => (error_text(error), key.map_or(Span::new(doc.first_line, 1, 0), Key::value_or_key)),
    };
    let Explanation { message, help } = explain_type_error(name, &text, spec, Some(value));
    // An unknown or missing nested field: point at the key itself, or at the item.
    let span = match backticked(&text).first() {
        Some(field) if text.contains("unknown field") => {
            Span::new(span.line, span.column, field.chars().count())
        }
        Some(_) if text.contains("missing field") => Span::new(span.line, span.column, 0),
        _ => span,
    };
    Diagnostic::error(doc.file, span, message).with_help(help)
}

impl Key {
    /// The key's value when it is on the key's line, otherwise the key.
    fn value_or_key(&self) -> Span {
        if self.value.len == 0 {
            self.span
        } else {
            self.value
        }
    }
}

/// A serde error's text without serde_yaml's " at line L column C" (the diagnostic has its own).
fn error_text(error: &serde_yaml::Error) -> String {
    strip_positions(&error.to_string()).0
}

/// Removes every " at line L column C" from a serde_yaml message and returns the positions.
fn strip_positions(text: &str) -> (String, Vec<(usize, usize)>) {
    const MARK: &str = " at line ";
    let mut out = String::new();
    let mut positions = Vec::new();
    let mut rest = text;
    while let Some(index) = rest.find(MARK) {
        out.push_str(&rest[..index]);
        let after = &rest[index + MARK.len()..];
        let parsed = after.split_once(" column ").and_then(|(line, tail)| {
            let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
            Some((line.parse().ok()?, tail[..digits].parse().ok()?, &tail[digits..]))
        });
        match parsed {
            Some((line, column, tail)) => {
                positions.push((line, column));
                rest = tail;
            }
            None => {
                out.push_str(MARK);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, positions)
}

/// The words between backticks in a serde message: field names.
pub fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Turns serde's wording (`steps[0].body: invalid type: sequence, expected a string`) into the
/// message and help an author needs (`` `body` of item 1 of `steps` must be text, found a list ``).
pub fn explain_type_error(
    field: &str,
    text: &str,
    spec: Option<&Field>,
    value: Option<&Value>,
) -> Explanation {
    let (path, body) = match text.split_once(": ") {
        Some((path, body)) if is_path(path) => (path, body),
        _ => (field, text),
    };
    let place = describe_path(path);
    let nested = path != field;
    if let Some(rest) = body.strip_prefix("invalid type: ").or_else(|| body.strip_prefix("invalid value: ")) {
        let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, "another type"));
        let expected = match spec {
            Some(spec) if !nested => spec.expects.to_owned(),
            _ => describe_expected(expected),
        };
        let message = format!("{place} must be {expected}, found {}", describe_found(found));
        let help =
            spec.map_or_else(|| format!("change the value to {expected}"), |spec| spec.help.to_owned());
        return Explanation { message, help };
    }
    if let Some(rest) = body.strip_prefix("unknown field ") {
        let names = backticked(rest);
        let unknown = names.first().copied().unwrap_or("?");
        let allowed = &names[1.min(names.len())..];
        // `answer` for `a`, `question` for `q`: a short field name the unknown one starts with.
        let abbreviated = || {
            let mut prefixes = allowed.iter().copied().filter(|a| unknown.starts_with(a));
            prefixes.next().filter(|_| prefixes.next().is_none())
        };
        let help = match did_you_mean(unknown, allowed.iter().copied()).or_else(abbreviated) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None if allowed.is_empty() => "remove it".to_owned(),
            None => format!("remove it; the fields here are: {}", allowed.join(", ")),
        };
        return Explanation { message: format!("unknown field `{unknown}` in {place}"), help };
    }
    if let Some(rest) = body.strip_prefix("missing field ") {
        let missing = backticked(rest).first().copied().unwrap_or("?").to_owned();
        return Explanation {
            message: format!("{place} has no `{missing}`"),
            help: format!("add `{missing}: …` to it"),
        };
    }
    if body.contains("did not match any variant") {
        let found = value.map_or("another type", kind_of);
        let expects = spec.map_or("another type", |s| s.expects);
        let help = spec.map_or("change the value to the expected type", |s| s.help).to_owned();
        return Explanation { message: format!("{place} must be {expects}, found {found}"), help };
    }
    Explanation {
        message: format!("{place}: {body}"),
        help: "change the value to the expected type".to_owned(),
    }
}

/// `steps[0].body`, `tags[1]`, `fixable_percent`: a path serde_yaml puts before its message.
fn is_path(text: &str) -> bool {
    !text.is_empty()
        && text.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
}

/// `steps[0].body` → "`body` of item 1 of `steps`".
fn describe_path(path: &str) -> String {
    if path.is_empty() {
        return "the value".to_owned();
    }
    if let Some(open) = path.rfind('[').filter(|_| path.ends_with(']')) {
        let index: usize = path[open + 1..path.len() - 1].parse().unwrap_or(0);
        return format!("item {} of {}", index + 1, describe_path(&path[..open]));
    }
    match path.rsplit_once('.') {
        Some((parent, name)) => format!("`{name}` of {}", describe_path(parent)),
        None => format!("`{path}`"),
    }
}

/// serde's "expected …" in plain words.
fn describe_expected(expected: &str) -> String {
    let integer = |s: &str| {
        s.len() > 1
            && (s.starts_with('i') || s.starts_with('u'))
            && s[1..].bytes().all(|b| b.is_ascii_digit())
    };
    match expected {
        "a string" => "text".to_owned(),
        "a sequence" => "a list".to_owned(),
        "a boolean" => "true or false".to_owned(),
        "an integer" => "a whole number".to_owned(),
        "f32" | "f64" | "a float" => "a number".to_owned(),
        "a map" | "a YAML mapping" => "a mapping of `key: value` fields".to_owned(),
        s if integer(s) => "a whole number".to_owned(),
        s if s.starts_with("struct ") => "a mapping of `key: value` fields".to_owned(),
        s => s.to_owned(),
    }
}

/// serde's "invalid type: …" in plain words: the value as written, or its kind.
fn describe_found(found: &str) -> String {
    let literal = |prefix: &str| {
        found.strip_prefix(prefix).map(|rest| {
            let rest = rest.split(" as ").next().unwrap_or(rest);
            rest.trim_matches('`').to_owned()
        })
    };
    if let Some(text) = found.strip_prefix("string ") {
        return text.to_owned();
    }
    for prefix in ["floating point ", "integer ", "boolean "] {
        if let Some(value) = literal(prefix) {
            return value;
        }
    }
    match found {
        "sequence" => "a list".to_owned(),
        "map" => "a mapping".to_owned(),
        "unit value" => "nothing".to_owned(),
        other => other.to_owned(),
    }
}

/// Line `line` of the file (a document line), if the document has it.
fn line_text<'a>(doc: Document<'a>, line: usize) -> Option<&'a str> {
    doc.text.lines().nth(line.checked_sub(doc.first_line)?)
}

/// How many characters the value starting at `column` of `line` spans: a quoted string to its
/// closing quote, a `[…]` or `{…}` to its closing bracket, anything else to the end of the line
/// (without a trailing comment).
fn value_len(line: &str, column: usize) -> usize {
    let start = line.char_indices().nth(column.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let end = match first {
        '"' | '\'' => chars.find(|&(_, c)| c == first).map(|(i, c)| i + c.len_utf8()),
        '[' | '{' => {
            let mut depth = 1usize;
            chars
                .find(|&(_, c)| {
                    match c {
                        '[' | '{' => depth += 1,
                        ']' | '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map(|(i, c)| i + c.len_utf8())
        }
        _ => None,
    };
    let value = end.map_or_else(|| strip_comment(rest), |end| &rest[..end]);
    value.chars().count()
}

/// What a libyaml message means, in words an author can act on, with the place to point at.
fn syntax_error(doc: Document<'_>, error: &serde_yaml::Error) -> Diagnostic {
    let (text, positions) = strip_positions(&error.to_string());
    let to_span =
        |(line, column): (usize, usize)| Span::new(doc.first_line + line.saturating_sub(1), column.max(1), 1);
    let fallback = Span::new(doc.first_line, 1, 0);
    let at = error.location().map(|l| (l.line(), l.column())).or_else(|| positions.first().copied());
    let mut span = at.map_or(fallback, to_span);
    let opened = positions.get(1).copied().map(to_span);
    let (problem, context) = match text.split_once(", while ") {
        Some((problem, context)) => (problem, context),
        None => (text.as_str(), ""),
    };
    // Errors of libyaml's reader give a byte offset instead of a line and column.
    let (problem, position) = match problem.rsplit_once(" at position ") {
        Some((problem, offset)) => (problem, offset.parse().ok().and_then(|offset| offset_span(doc, offset))),
        None => (problem, None),
    };
    if let Some(position) = position {
        span = position;
    }
    let line = line_text(doc, span.line).unwrap_or("");
    let found = SyntaxProblem { problem, context, line, span, opened };
    let (span, message, help) = found.explain(doc);
    Diagnostic::error(doc.file, span, message).with_help(help)
}

/// The help of a syntax error no branch of [`SyntaxProblem::explain`] knows.
const GENERIC_SYNTAX_HELP: &str = "check the indentation and quoting around this point";

/// The messages of libyaml that need only words of their own: how the message starts, what it
/// means and what to do.
const PLAIN_SYNTAX_ERRORS: &[(&str, &str, &str)] = &[
    (
        "did not find expected '-' indicator",
        "invalid YAML: a line inside a list that is not a list item",
        "start every item with `- ` at the same indentation as the others",
    ),
    (
        "did not find expected key",
        "invalid YAML: unexpected text here",
        "a quoted value ends at its closing quote, and every field of a mapping needs the same indentation",
    ),
    (
        "recursion limit exceeded",
        "invalid YAML: values nested too deeply",
        "no field needs this much nesting; check the indentation and the `- ` of list items",
    ),
    (
        "repetition limit exceeded",
        "invalid YAML: aliases repeat values too many times",
        "write the values out instead of repeating them with `*` aliases",
    ),
    (
        "unknown anchor",
        "invalid YAML: `*` starts an alias unless the value is quoted",
        "put the whole value in quotes",
    ),
];

/// A libyaml error message taken apart, with the line it points at.
struct SyntaxProblem<'a> {
    problem: &'a str,
    /// What libyaml was reading (the part after ", while ").
    context: &'a str,
    line: &'a str,
    span: Span,
    /// Where what the error is about was opened (a quote, a bracket), when libyaml says.
    opened: Option<Span>,
}

impl SyntaxProblem<'_> {
    /// Where to point, what the problem means and what to do.
    fn explain(&self, doc: Document<'_>) -> (Span, String, String) {
        let problem = self.problem;
        if let Some(key) = problem.strip_prefix("duplicate entry with key ") {
            let key = key.trim_matches('"');
            let repeated = scan_keys(doc).into_iter().filter(|k| k.name == key).nth(1);
            return (
                repeated.map_or(self.span, |k| k.span),
                format!("field `{key}` appears twice"),
                "keep one of the two and delete the other".to_owned(),
            );
        }
        if problem.starts_with("found unexpected end of stream") && self.context.contains("quoted scalar") {
            return (
                self.opened.unwrap_or(self.span),
                "invalid YAML: this quoted value is never closed".to_owned(),
                "end the value with the same quote it starts with; to put a `\"` inside, write `\\\"` or use single quotes"
                    .to_owned(),
            );
        }
        if problem.starts_with("did not find expected ',' or ']'")
            || problem.starts_with("did not find expected ',' or '}'")
        {
            let (open, close) = if problem.ends_with("']'") { ('[', ']') } else { ('{', '}') };
            return (
                self.opened.unwrap_or(self.span),
                format!("invalid YAML: `{open}` is never closed"),
                format!("close it with `{close}` on the same line, and quote items that contain `,`, `[`, `]`, `{{` or `}}`"),
            );
        }
        let (message, help) = if problem.starts_with("found character that cannot start any token") {
            self.token_start()
        } else if problem.starts_with("control characters are not allowed") {
            let code = self.character().map_or(String::new(), |c| format!(" (U+{:04X})", u32::from(c)));
            (
                format!("invalid YAML: a control character{code} is not allowed here"),
                "delete it; most editors do not show it, and YAML allows only tabs, line breaks and printable characters"
                    .to_owned(),
            )
        } else if problem.starts_with("mapping values are not allowed") {
            self.mapping_value()
        } else if let Some(&(_, message, help)) =
            PLAIN_SYNTAX_ERRORS.iter().find(|(start, ..)| problem.starts_with(start))
        {
            (message.to_owned(), help.to_owned())
        } else {
            (format!("invalid YAML: {problem}"), GENERIC_SYNTAX_HELP.to_owned())
        };
        (self.span, message, help)
    }

    /// The character the error points at.
    fn character(&self) -> Option<char> {
        self.line.chars().nth(self.span.column.saturating_sub(1))
    }

    /// A character that cannot start a value: most often a tab, or a `@` or backtick unquoted.
    fn token_start(&self) -> (String, String) {
        match self.character() {
            Some('\t') => (
                "invalid YAML: a tab in the indentation".to_owned(),
                "indent with spaces only; YAML does not allow tabs there".to_owned(),
            ),
            Some(c) => (
                format!("invalid YAML: a value cannot start with `{c}` unless it is quoted"),
                "put the whole value in quotes".to_owned(),
            ),
            None => (format!("invalid YAML: {}", self.problem), GENERIC_SYNTAX_HELP.to_owned()),
        }
    }

    /// A `: ` where no mapping can start: most often inside a value that should be quoted.
    fn mapping_value(&self) -> (String, String) {
        let line = self.line;
        let before = line.chars().take(self.span.column.saturating_sub(1)).collect::<String>();
        match before.split_once(": ") {
            Some((key, value)) if !key.trim_start_matches([' ', '-']).trim().is_empty() => {
                let key = key.trim_start_matches([' ', '-']);
                let rest = line.chars().skip(before.chars().count()).collect::<String>();
                let whole = format!("{value}{rest}");
                let whole = strip_comment(whole.trim());
                let quoted = if whole.contains('"') {
                    format!("'{}'", whole.replace('\'', "''"))
                } else {
                    format!("\"{whole}\"")
                };
                (
                    "invalid YAML: a value that contains `: ` must be quoted".to_owned(),
                    format!("put the value in quotes: `{key}: {quoted}`"),
                )
            }
            _ => (
                "invalid YAML: a `key: value` where none is expected".to_owned(),
                "check the line above: a field needs a `:` after its name, and lines that belong together need the same indentation".to_owned(),
            ),
        }
    }
}

pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The position of `needle` in the file, searching from the start of `key`'s block; falls back
/// to the key itself. Used to point at one item of a list or nested mapping.
pub fn locate(doc: Document<'_>, key: Option<&Key>, needle: &str) -> Span {
    let Some(key) = key else {
        return Span::new(doc.first_line, 1, 0);
    };
    if needle.is_empty() {
        return key.span;
    }
    let block = &doc.text[key.block.clone()];
    let Some(index) = block.find(needle) else {
        return key.span;
    };
    let before = &block[..index];
    let line = key.block_line + before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Span::new(line, column, needle.chars().count())
}

/// Where a child key of `key`'s block (`  http: …` under `categories:`) is written; falls back to
/// the parent key.
pub fn locate_child(doc: Document<'_>, key: Option<&Key>, child: &str) -> Span {
    let Some(key) = key else {
        return Span::new(doc.first_line, 1, 0);
    };
    let block = &doc.text[key.block.clone()];
    for (line, text) in (key.block_line..).zip(block.lines()).skip(1) {
        let content = text.trim_start();
        let indent = text.len() - content.len();
        let matches =
            [child.to_owned(), format!("\"{child}\""), format!("'{child}'")].iter().any(|written| {
                content.strip_prefix(written.as_str()).is_some_and(|rest| rest.trim_start().starts_with(':'))
            });
        if indent > 0 && matches {
            let column = text[..indent].chars().count() + 1;
            return Span::new(
                line,
                column,
                content.split(':').next().unwrap_or(child).trim_end().chars().count(),
            );
        }
    }
    key.span
}

/// `needle` on the line of `span` after its start, or else on the lines that follow in the
/// document; falls back to `span`.
pub fn locate_after(doc: Document<'_>, span: Span, needle: &str) -> Span {
    for (line, text) in
        (doc.first_line..).zip(doc.text.lines()).skip(span.line.saturating_sub(doc.first_line))
    {
        let from = if line == span.line {
            text.char_indices().nth(span.column.saturating_sub(1)).map_or(text.len(), |(i, _)| i)
        } else {
            0
        };
        if let Some(index) = text[from..].find(needle) {
            let column = text[..from + index].chars().count() + 1;
            return Span::new(line, column, needle.chars().count());
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Default, Debug)]
    #[serde(default)]
    struct Sample {
        name: Option<String>,
        count: Option<u32>,
        items: Vec<Item>,
    }

    #[derive(Deserialize, Default, Debug)]
    #[allow(dead_code)]
    struct Item {
        title: String,
    }

    const FIELDS: &[Field] = &[
        Field { name: "name", expects: "text", help: "write it like `name: x`" },
        Field { name: "count", expects: "a whole number", help: "write it like `count: 3`" },
        Field { name: "items", expects: "a list of `{ title }`", help: "write each item as `- title: …`" },
    ];

    /// Parses `text` (as lines 2… of a file) and returns the diagnostics as `line:column: message`
    /// and the fields that were dropped.
    fn run(text: &str) -> (Vec<String>, Option<Parsed<Sample>>) {
        let doc = Document { file: "f.yaml", text, first_line: 2 };
        let mut diagnostics = Vec::new();
        let parsed = parse::<Sample>(doc, FIELDS, "the test", &mut diagnostics);
        let got = crate::diagnostics::sorted(diagnostics)
            .iter()
            .map(|d| format!("{}:{}: {}", d.span.line, d.span.column, d.message))
            .collect();
        (got, parsed)
    }

    fn check(text: &str, expected: &[&str]) {
        let (got, parsed) = run(text);
        assert_eq!(got, expected);
        let parsed = parsed.expect("a mapping is always read");
        assert_eq!(parsed.dropped.is_empty(), expected.is_empty());
    }

    fn check_syntax(text: &str, expected: &str, help: &str) {
        let doc = Document { file: "f.yaml", text, first_line: 1 };
        let mut diagnostics = Vec::new();
        assert!(parse::<Sample>(doc, FIELDS, "the test", &mut diagnostics).is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let d = &diagnostics[0];
        assert_eq!(format!("{}:{}: {}", d.span.line, d.span.column, d.message), expected);
        assert_eq!(d.help.as_deref(), Some(help));
    }

    #[test]
    fn accepts_a_good_document() {
        check("name: x\ncount: 3\nitems:\n  - title: a\n", &[]);
    }

    #[test]
    fn reports_every_bad_field_at_its_place() {
        check(
            "name: x\ncount: lots\nitems:\n  - title: a\n  - titel: b\nnmae: y\n",
            &[
                "3:8: `count` must be a whole number, found \"lots\"",
                "6:5: item 2 of `items` has no `title`",
                "7:1: unknown field `nmae` in the test",
            ],
        );
    }

    #[test]
    fn keeps_the_good_fields_of_a_document_with_bad_ones() {
        let (_, parsed) = run("name: x\ncount: [1]\nitems: {}\n");
        let parsed = parsed.unwrap();
        assert_eq!(parsed.value.name.as_deref(), Some("x"));
        assert_eq!(parsed.dropped, ["count", "items"]);
    }

    #[test]
    fn explains_nested_type_errors_in_plain_words() {
        let (got, _) = run("items:\n  - title: [a]\n  - {}\n");
        assert_eq!(
            got,
            ["3:12: `title` of item 1 of `items` must be text, found a list"],
            "serde reports the first bad item only"
        );
        assert_eq!(describe_path("steps[0].body"), "`body` of item 1 of `steps`");
        assert_eq!(describe_path("tags[3]"), "item 4 of `tags`");
        assert_eq!(describe_expected("struct Step"), "a mapping of `key: value` fields");
        assert_eq!(describe_expected("u32"), "a whole number");
        assert_eq!(describe_found("floating point `1.5`"), "1.5");
        assert_eq!(describe_found("integer `99999999999999999999` as u128"), "99999999999999999999");
    }

    #[test]
    fn syntax_errors_say_what_to_do() {
        check_syntax(
            "name: Error: the server failed\n",
            "1:12: invalid YAML: a value that contains `: ` must be quoted",
            "put the value in quotes: `name: \"Error: the server failed\"`",
        );
        check_syntax(
            "count: 1\nname: \"unclosed\n",
            "2:7: invalid YAML: this quoted value is never closed",
            "end the value with the same quote it starts with; to put a `\"` inside, write `\\\"` or use single quotes",
        );
        check_syntax(
            "items:\n\t- title: a\n",
            "2:1: invalid YAML: a tab in the indentation",
            "indent with spaces only; YAML does not allow tabs there",
        );
        check_syntax(
            "name: a\ncount: 1\nname: b\n",
            "3:1: field `name` appears twice",
            "keep one of the two and delete the other",
        );
        check_syntax(
            "items: [a, b\nname: x\n",
            "1:8: invalid YAML: `[` is never closed",
            "close it with `]` on the same line, and quote items that contain `,`, `[`, `]`, `{` or `}`",
        );
        check_syntax(
            "name: @home\n",
            "1:7: invalid YAML: a value cannot start with `@` unless it is quoted",
            "put the whole value in quotes",
        );
    }

    #[test]
    fn a_control_character_is_reported_where_it_is() {
        check_syntax(
            "name: x\ncount: 1\nitems: [\"é\0\"]\n",
            "3:11: invalid YAML: a control character (U+0000) is not allowed here",
            "delete it; most editors do not show it, and YAML allows only tabs, line breaks and printable characters",
        );
    }

    #[test]
    fn an_alias_bomb_is_reported_at_the_alias_that_tips_it_over() {
        let mut text =
            "name: x\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                .to_owned();
        for (name, previous) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            text.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 9].join(",")));
        }
        let started = std::time::Instant::now();
        check_syntax(
            &text,
            "6:8: invalid YAML: aliases repeat values too many times",
            "write the values out instead of repeating them with `*` aliases",
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    }

    #[test]
    fn reports_syntax_errors_with_their_position() {
        let (got, parsed) = run("name: x\ncount: [1,\n");
        assert_eq!(got, ["4:1: invalid YAML: did not find expected node content"]);
        assert!(parsed.is_none());
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let text = format!("name: x\ncount: {}\n", "[".repeat(100_000));
        let started = std::time::Instant::now();
        let (got, parsed) = run(&text);
        assert_eq!(got, ["3:108: invalid YAML: `[` and `{` nested more than 100 levels deep"]);
        assert!(parsed.is_none());
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
        // Ordinary nesting, and brackets in separate top-level fields, are fine.
        check(
            &format!("name: x\ncount: 3\nitems: {}{}\n", "[".repeat(3), "]".repeat(3)),
            &["4:9: item 1 of `items` must be a mapping of `key: value` fields, found a list"],
        );
    }

    #[test]
    fn value_lengths_cover_the_whole_value() {
        assert_eq!(value_len("tags: nginx # web", 7), 5);
        assert_eq!(value_len("a: \"x # y\" z", 4), 7);
        assert_eq!(value_len("a: [1, [2]] # c", 4), 8);
        assert_eq!(value_len("a:", 9), 0);
    }

    #[test]
    fn scans_keys_with_value_spans() {
        let doc = Document { file: "f", text: "a: 1 # one\n\"b c\": 'x # y'\nlist:\n  - 1\n", first_line: 1 };
        let keys = scan_keys(doc);
        let names: Vec<_> = keys.iter().map(|k| (k.name.as_str(), k.value)).collect();
        assert_eq!(
            names,
            [("a", Span::new(1, 4, 1)), ("b c", Span::new(2, 8, 7)), ("list", Span::new(3, 6, 0))]
        );
        assert_eq!(&doc.text[keys[2].block.clone()], "list:\n  - 1\n");
    }

    #[test]
    fn locates_nested_values() {
        let text = "a: 1\nsources:\n  - title: T\n    url: javascript:x\n";
        let doc = Document { file: "f", text, first_line: 10 };
        let keys = scan_keys(doc);
        assert_eq!(locate(doc, keys.get(1), "javascript:x"), Span::new(13, 10, 12));
    }
}
