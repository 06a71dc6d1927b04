//! `site.yaml`: the site's settings.

use serde::Deserialize;

use super::yaml::{self, Document};
use crate::diagnostics::{Diagnostic, Span};

pub const SITE_FILE: &str = "site.yaml";
pub const DEFAULT_SEVERITIES: [&str; 5] = ["blocker", "critical", "major", "minor", "info"];

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    description: String,
    language: Option<String>,
    disclosure: String,
    authors: serde_yaml::Mapping,
    categories: serde_yaml::Mapping,
    severities: Option<Vec<String>>,
}

const KNOWN: &[&str] =
    &["title", "base_url", "description", "language", "disclosure", "authors", "categories", "severities"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub description: String,
    pub language: String,
    pub disclosure: String,
    /// Sorted by id.
    pub authors: Vec<(String, Author)>,
    /// In the order of `site.yaml`.
    pub categories: Vec<(String, CategoryConfig)>,
    pub severities: Vec<String>,
}

impl SiteConfig {
    pub fn author(&self, id: &str) -> Option<&Author> {
        self.authors.iter().find(|(key, _)| key == id).map(|(_, a)| a)
    }

    pub fn category(&self, id: &str) -> Option<&CategoryConfig> {
        self.categories.iter().find(|(key, _)| key == id).map(|(_, c)| c)
    }

    /// The path part of `base_url`: `/` or `/kb/`.
    pub fn base_path(&self) -> &str {
        base_path(&self.base_url)
    }
}

/// The path of an absolute URL, always starting and ending with `/`.
pub fn base_path(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    url[after_scheme..].find('/').map_or("/", |i| &url[after_scheme + i..])
}

/// Adds the trailing slash a base URL needs for joining.
pub fn normalize_base_url(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

pub fn is_http_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
}

/// Parses `site.yaml`; returns `None` when it has errors (all of them reported).
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<SiteConfig> {
    let doc = Document { file: SITE_FILE, text, first_line: 1 };
    let (raw, keys) = yaml::parse::<RawConfig>(doc, KNOWN, "site.yaml", diagnostics)?;
    let key = |name: &str| keys.iter().find(|k| k.name == name);
    let value_span = |name: &str| key(name).map_or(Span::file_start(), |k| k.value);
    let before = diagnostics.len();

    let mut missing = |name: &str, example: &str| {
        diagnostics.push(
            Diagnostic::error(SITE_FILE, Span::file_start(), format!("missing required field `{name}`"))
                .with_help(format!("add `{name}: {example}` to site.yaml")),
        );
    };
    if raw.title.is_none() {
        missing("title", "My Error KB");
    }
    if raw.base_url.is_none() {
        missing("base_url", "https://example.org/");
    }
    let base_url = normalize_base_url(raw.base_url.as_deref().unwrap_or("/"));
    if raw.base_url.is_some() && !is_http_url(&base_url) {
        diagnostics.push(
            Diagnostic::error(
                SITE_FILE,
                value_span("base_url"),
                "`base_url` must be an absolute http or https URL",
            )
            .with_label("not an http(s) URL")
            .with_help("write the address the site is published at, for example `https://example.org/kb/`"),
        );
    }

    let authors = typed_map::<Author>(&raw.authors, doc, key("authors"), "author", diagnostics);
    let mut authors = authors.unwrap_or_default();
    authors.sort_by(|a, b| a.0.cmp(&b.0));
    let categories =
        typed_map::<CategoryConfig>(&raw.categories, doc, key("categories"), "category", diagnostics)
            .unwrap_or_default();
    for (id, _) in &categories {
        if !super::is_valid_name(id) {
            diagnostics.push(
                Diagnostic::error(
                    SITE_FILE,
                    yaml::locate(doc, key("categories"), id),
                    format!("category id `{id}` has characters outside a-z, 0-9, `.`, `_`, `-`"),
                )
                .with_help("use the category folder's name, in lowercase"),
            );
        }
    }
    let severities =
        raw.severities.unwrap_or_else(|| DEFAULT_SEVERITIES.iter().map(|s| (*s).to_owned()).collect());
    if severities.is_empty() {
        diagnostics.push(
            Diagnostic::error(SITE_FILE, value_span("severities"), "`severities` is empty")
                .with_help("list at least one severity, or remove the field to use the default list"),
        );
    }

    (diagnostics.len() == before).then(|| SiteConfig {
        title: raw.title.unwrap_or_default(),
        base_url,
        description: raw.description,
        language: raw.language.unwrap_or_else(|| "en".to_owned()),
        disclosure: raw.disclosure,
        authors,
        categories,
        severities,
    })
}

/// Reads a `id: {fields}` mapping, keeping its order and reporting each bad item.
fn typed_map<T: serde::de::DeserializeOwned>(
    mapping: &serde_yaml::Mapping,
    doc: Document<'_>,
    key: Option<&yaml::Key>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<(String, T)>> {
    let mut items = Vec::new();
    let mut ok = true;
    for (id, value) in mapping {
        let id = match id {
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
        };
        match serde_yaml::from_value::<T>(value.clone()) {
            Ok(item) => items.push((id, item)),
            Err(error) => {
                ok = false;
                let message = error.to_string();
                diagnostics.push(
                    Diagnostic::error(
                        SITE_FILE,
                        yaml::locate(doc, key, &id),
                        format!("{what} `{id}`: {message}"),
                    )
                    .with_help(format!("write the {what} as `{id}: {{ name: … }}`")),
                );
            }
        }
    }
    ok.then_some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_errors(text: &str, expected: &[&str]) {
        let mut diagnostics = Vec::new();
        let config = parse(text, &mut diagnostics);
        let got: Vec<String> = crate::diagnostics::sorted(diagnostics)
            .iter()
            .map(|d| format!("{}:{}: {}", d.span.line, d.span.column, d.message))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(config.is_some(), expected.is_empty());
    }

    #[test]
    fn reads_a_full_config_in_order() {
        let mut diagnostics = Vec::new();
        let config = parse(
            "title: KB\nbase_url: https://example.org/kb\ncategories:\n  zeta: { name: Z }\n  alpha: { name: A, description: first }\nauthors:\n  jdoe: { name: Jane Doe, role: Curator }\n",
            &mut diagnostics,
        )
        .unwrap();
        assert!(diagnostics.is_empty());
        assert_eq!(config.base_url, "https://example.org/kb/");
        assert_eq!(config.base_path(), "/kb/");
        let ids: Vec<_> = config.categories.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["zeta", "alpha"]);
        assert_eq!(config.author("jdoe").unwrap().role.as_deref(), Some("Curator"));
        assert_eq!(config.severities.len(), 5);
    }

    #[test]
    fn reports_bad_settings() {
        check_errors(
            "title: KB\nbase_url: ftp://x\ntitel: y\n",
            &[
                "2:11: `base_url` must be an absolute http or https URL",
                "3:1: unknown field `titel` in site.yaml",
            ],
        );
        check_errors("base_url: https://e.org\n", &["1:1: missing required field `title`"]);
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://e.org/"), "/");
        assert_eq!(base_path("https://e.org/a/b/"), "/a/b/");
        assert_eq!(base_path("https://e.org"), "/");
    }
}
