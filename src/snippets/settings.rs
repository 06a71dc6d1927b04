//! `snippets:` in site.yaml: destructive-command rules of the site's own, beside the built-in ones.
//!
//! ```yaml
//! snippets:
//!   destructive:
//!     - pattern: helm upgrade --force
//!       reason: replaces resources in place
//! ```

use serde_yaml::Value;

use super::rules::{self, Rule};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::yaml::{self, Document, Key};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The site's rules, after the built-in ones.
    pub destructive: Vec<Rule>,
}

impl Settings {
    /// Every destructive-command rule: the built-in ones, then the site's.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        rules::built_in().iter().chain(&self.destructive)
    }
}

const EXAMPLE: &str = "snippets: { destructive: [{ pattern: \"helm upgrade --force\", reason: \"replaces resources in place\" }] }";

/// Reads the value of `snippets:`; every problem is an error at its place in site.yaml.
pub fn parse(
    value: &Value,
    doc: Document<'_>,
    key: Option<&Key>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Settings {
    let mut settings = Settings::default();
    let at = |needle: &str| yaml::locate(doc, key, needle);
    let whole = key.map_or(crate::diagnostics::Span::file_start(), |k| k.span);
    let mapping = match value {
        Value::Null => return settings,
        Value::Mapping(mapping) => mapping,
        other => {
            diagnostics.push(
                Diagnostic::error(
                    doc.file,
                    whole,
                    format!("`snippets` must be a mapping, found {}", yaml::kind_of(other)),
                )
                .with_help(format!("write it like `{EXAMPLE}`")),
            );
            return settings;
        }
    };
    for (name, value) in mapping {
        let name = name.as_str().unwrap_or_default();
        if name != "destructive" {
            let help = match did_you_mean(name, ["destructive"]) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => "remove it; `snippets` has one field: destructive".to_owned(),
            };
            diagnostics.push(
                Diagnostic::error(
                    doc.file,
                    yaml::locate_child(doc, key, name),
                    format!("unknown field `{name}` in `snippets`"),
                )
                .with_help(help),
            );
            continue;
        }
        let Value::Sequence(items) = value else {
            diagnostics.push(
                Diagnostic::error(
                    doc.file,
                    yaml::locate_child(doc, key, name),
                    format!("`snippets.destructive` must be a list, found {}", yaml::kind_of(value)),
                )
                .with_help(
                    "write one `- pattern: …` with `reason: …` per rule, indented under `destructive:`",
                ),
            );
            continue;
        };
        for item in items {
            if let Some(rule) = parse_rule(item, doc, key, &at, diagnostics) {
                settings.destructive.push(rule);
            }
        }
    }
    settings
}

fn parse_rule(
    item: &Value,
    doc: Document<'_>,
    key: Option<&Key>,
    at: &dyn Fn(&str) -> crate::diagnostics::Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let whole = key.map_or(crate::diagnostics::Span::file_start(), |k| k.span);
    let Value::Mapping(fields) = item else {
        let written = item.as_str().unwrap_or_default();
        let span = if written.is_empty() { whole } else { at(written) };
        diagnostics.push(
            Diagnostic::error(doc.file, span, format!("a destructive rule must be a mapping, found {}", yaml::kind_of(item)))
                .with_help("write it like `- { pattern: \"helm upgrade --force\", reason: \"replaces resources in place\" }`"),
        );
        return None;
    };
    let mut pattern = None;
    let mut reason = None;
    for (name, value) in fields {
        let name = name.as_str().unwrap_or_default();
        let text = value.as_str().map(str::to_owned).or_else(|| match value {
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        match (name, text) {
            ("pattern", Some(text)) => pattern = Some(text),
            ("reason", Some(text)) => reason = Some(text),
            ("pattern" | "reason", None) => diagnostics.push(
                Diagnostic::error(
                    doc.file,
                    at(&format!("{name}:")),
                    format!("`{name}` of a destructive rule must be text, found {}", yaml::kind_of(value)),
                )
                .with_help(format!("write it like `{name}: \"…\"`")),
            ),
            _ => {
                let help = match did_you_mean(name, ["pattern", "reason"]) {
                    Some(suggestion) => format!("did you mean `{suggestion}`?"),
                    None => "remove it; a destructive rule has `pattern` and `reason`".to_owned(),
                };
                diagnostics.push(
                    Diagnostic::error(
                        doc.file,
                        at(&format!("{name}:")),
                        format!("unknown field `{name}` in a destructive rule"),
                    )
                    .with_help(help),
                );
            }
        }
    }
    let Some(pattern) = pattern else {
        let span = reason.as_deref().map_or(whole, at);
        diagnostics.push(
            Diagnostic::error(doc.file, span, "destructive rule has no `pattern`")
                .with_help("add the command it matches, like `pattern: \"helm upgrade --force\"`"),
        );
        return None;
    };
    let span = pattern_span(&pattern, reason.as_deref(), doc, at);
    let Some(reason) = reason.filter(|r| !r.trim().is_empty()) else {
        diagnostics.push(
            Diagnostic::error(doc.file, span, format!("destructive rule `{pattern}` has no `reason`"))
                .with_help("say what the command does, like `reason: \"replaces resources in place\"`; warnings and the page show it"),
        );
        return None;
    };
    match Rule::new(&pattern, &reason) {
        Ok(rule) => Some(rule),
        Err(problem) => {
            diagnostics.push(
                Diagnostic::error(doc.file, span, format!("destructive pattern `{pattern}` cannot be read: {problem}"))
                    .with_help("write the command's name, then its words and options, like `kubectl delete` or `rm -r|--recursive`; see docs/snippets.md"),
            );
            None
        }
    }
}

/// Where a rule's pattern is written; an empty one at the place of its value: the
/// `pattern:` with an empty value nearest to the rule's reason.
fn pattern_span(
    pattern: &str,
    reason: Option<&str>,
    doc: Document<'_>,
    at: &dyn Fn(&str) -> crate::diagnostics::Span,
) -> crate::diagnostics::Span {
    if !pattern.trim().is_empty() {
        return at(pattern);
    }
    let near = reason.filter(|r| !r.trim().is_empty()).map_or(0, |r| at(r).line);
    let empty_patterns = doc.text.lines().enumerate().filter_map(|(i, line)| {
        let key = line.find("pattern:")?;
        let value = line[key + "pattern:".len()..].trim();
        let before = line[..key].trim();
        (matches!(value, "" | "\"\"" | "''") && matches!(before, "" | "-")).then(|| {
            let column = line[..key].chars().count() + "pattern:".len() + 2;
            (doc.first_line + i, column)
        })
    });
    match empty_patterns.min_by_key(|(line, _)| line.abs_diff(near)) {
        Some((line, column)) => crate::diagnostics::Span::new(line, column, 0),
        None => at("pattern:"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) -> Settings {
        let doc = Document { file: "site.yaml", text, first_line: 1 };
        let keys = yaml::scan_keys(doc);
        let value: serde_yaml::Mapping = serde_yaml::from_str(text).unwrap();
        let mut diagnostics = Vec::new();
        let settings =
            parse(&value["snippets"], doc, keys.iter().find(|k| k.name == "snippets"), &mut diagnostics);
        let got: Vec<String> =
            diagnostics.iter().map(|d| format!("{}:{}: {}", d.span.line, d.span.column, d.message)).collect();
        assert_eq!(got, expected);
        settings
    }

    #[test]
    fn reads_rules_and_points_at_bad_ones() {
        let settings = check(
            "title: T\nsnippets:\n  destructive:\n    - pattern: helm upgrade --force\n      reason: replaces resources\n",
            &[],
        );
        assert_eq!(settings.destructive.len(), 1);
        assert_eq!(settings.rules().count(), rules::BUILT_IN.len() + 1);
        check("snippets:\n  destructiv: []\n", &["2:3: unknown field `destructiv` in `snippets`"]);
        check(
            "snippets:\n  destructive:\n    - pattern: \"-rf\"\n      reason: x\n    - pattern: kubectl cordon\n    - reason: y\n      patern: z\n",
            &[
                "3:17: destructive pattern `-rf` cannot be read: a pattern starts with the command's name, not the option `-rf`",
                "5:16: destructive rule `kubectl cordon` has no `reason`",
                "7:7: unknown field `patern` in a destructive rule",
                "6:15: destructive rule has no `pattern`",
            ],
        );
        check("snippets: [a]\n", &["1:1: `snippets` must be a mapping, found a list"]);
    }

    #[test]
    fn patterns_matching_everything_or_nothing_are_refused() {
        check(
            "snippets:\n  destructive:\n    - pattern: \"*\"\n      reason: x\n    - pattern: x=\n      reason: y\n    - pattern: \"\"\n      reason: z\n",
            &[
                "3:17: destructive pattern `*` cannot be read: `*` matches every command; start the pattern with the command's name, like `rm -r`",
                "5:16: destructive pattern `x=` cannot be read: `x=` is a variable assignment, not a command; start the pattern with the command's name, like `rm -r`",
                "7:16: destructive pattern `` cannot be read: the pattern is empty",
            ],
        );
    }
}
