//! YAML with positions: typed parsing that reports every bad field at its line and column.
//!
//! serde stops at the first error and a parsed `Value` carries no positions, so this module
//! scans the top-level keys of a block-style document itself. Each key's block is then
//! deserialized on its own when the whole document does not fit the type, which yields one
//! located diagnostic per bad field instead of one per file.

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::diagnostics::{did_you_mean, Diagnostic, Span};

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

/// Parses `doc` as a `T` whose fields are all optional, reporting syntax errors, unknown keys
/// (with a suggestion) and every mistyped field. `known` lists the accepted keys.
pub fn parse<T: DeserializeOwned>(
    doc: Document<'_>,
    known: &[&str],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(T, Vec<Key>)> {
    let value: Value = match serde_yaml::from_str(doc.text) {
        Ok(value) => value,
        Err(error) => {
            diagnostics.push(syntax_error(doc, &error));
            return None;
        }
    };
    let mapping = match value {
        Value::Mapping(mapping) => mapping,
        Value::Null => serde_yaml::Mapping::new(),
        other => {
            diagnostics.push(
                Diagnostic::error(
                    doc.file,
                    Span::new(doc.first_line, 1, 0),
                    format!("expected {what} as a mapping of `key: value` fields, found {}", kind_of(&other)),
                )
                .with_help("write one `key: value` pair per line"),
            );
            return None;
        }
    };
    let keys = scan_keys(doc);
    let key_span =
        |name: &str| keys.iter().find(|k| k.name == name).map_or(Span::new(doc.first_line, 1, 0), |k| k.span);

    let mut known_fields = serde_yaml::Mapping::new();
    let mut ok = true;
    for (key, field) in mapping {
        let Value::String(name) = &key else {
            ok = false;
            diagnostics.push(Diagnostic::error(
                doc.file,
                Span::new(doc.first_line, 1, 0),
                format!("field names must be text, found {}", kind_of(&key)),
            ));
            continue;
        };
        if known.contains(&name.as_str()) {
            known_fields.insert(key, field);
            continue;
        }
        let mut diagnostic =
            Diagnostic::error(doc.file, key_span(name), format!("unknown field `{name}` in {what}"));
        diagnostic = match did_you_mean(name, known.iter().copied()) {
            Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
            None => diagnostic.with_help(format!("known fields: {}", known.join(", "))),
        };
        diagnostics.push(diagnostic);
    }

    match serde_yaml::from_value::<T>(Value::Mapping(known_fields)) {
        Ok(parsed) if ok => Some((parsed, keys)),
        Ok(_) => None,
        Err(whole_error) => {
            let before = diagnostics.len();
            for key in keys.iter().filter(|k| known.contains(&k.name.as_str())) {
                let block = &doc.text[key.block.clone()];
                if let Err(error) = serde_yaml::from_str::<T>(block) {
                    let span = error.location().map_or(key.span, |location| {
                        Span::new(key.block_line + location.line() - 1, location.column(), 1)
                    });
                    diagnostics.push(type_error(doc.file, span, &error));
                }
            }
            if diagnostics.len() == before {
                diagnostics.push(type_error(doc.file, Span::new(doc.first_line, 1, 0), &whole_error));
            }
            None
        }
    }
}

fn syntax_error(doc: Document<'_>, error: &serde_yaml::Error) -> Diagnostic {
    let span = error.location().map_or(Span::new(doc.first_line, 1, 0), |location| {
        Span::new(doc.first_line + location.line() - 1, location.column(), 1)
    });
    Diagnostic::error(doc.file, span, format!("invalid YAML: {}", without_location(error)))
        .with_help("check the indentation and quoting around this point; quote values that contain `: ` or start with a special character")
}

fn type_error(file: &str, span: Span, error: &serde_yaml::Error) -> Diagnostic {
    let message = without_location(error);
    let help = if message.contains("missing field") {
        "add the missing field"
    } else if message.contains("unknown field") {
        "remove the field or fix its name"
    } else {
        "change the value to the expected type"
    };
    Diagnostic::error(file, span, message).with_help(help)
}

/// serde_yaml appends " at line L column C"; the diagnostic shows the position itself.
fn without_location(error: &serde_yaml::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(index) => text[..index].to_owned(),
        None => text,
    };
    text.replace("invalid type: ", "wrong type: ")
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

    fn check(text: &str, expected: &[&str]) {
        let doc = Document { file: "f.yaml", text, first_line: 2 };
        let mut diagnostics = Vec::new();
        let parsed = parse::<Sample>(doc, &["name", "count", "items"], "the test", &mut diagnostics);
        let got: Vec<String> = crate::diagnostics::sorted(diagnostics)
            .iter()
            .map(|d| format!("{}:{}: {}", d.span.line, d.span.column, d.message))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(parsed.is_some(), expected.is_empty());
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
                "3:8: count: wrong type: string \"lots\", expected u32",
                "6:5: items[1]: missing field `title`",
                "7:1: unknown field `nmae` in the test",
            ],
        );
    }

    #[test]
    fn reports_syntax_errors_with_their_position() {
        check("name: x\ncount: [1,\n", &["4:1: invalid YAML: did not find expected node content"]);
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
