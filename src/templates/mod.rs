//! The built-in theme (Tera templates and static assets compiled into the binary), the site's
//! overrides, and the types handed to templates.
//!
//! A site's `templates/<name>` replaces the built-in template of the same name; every other
//! template keeps its default. Reading the override files is the site stage's job: this module
//! receives their text and never touches the file system.

pub mod context;

use tera::Tera;

use crate::diagnostics::{Diagnostic, Span};

/// A built-in template: its file name, and its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltInTemplate {
    pub name: &'static str,
    pub text: &'static str,
}

/// The built-in templates, by file name.
pub const DEFAULT_TEMPLATES: &[BuiltInTemplate] = &[
    BuiltInTemplate { name: "404.html", text: include_str!("../../templates/404.html") },
    BuiltInTemplate { name: "base.html", text: include_str!("../../templates/base.html") },
    BuiltInTemplate { name: "category.html", text: include_str!("../../templates/category.html") },
    BuiltInTemplate { name: "entry.html", text: include_str!("../../templates/entry.html") },
    BuiltInTemplate { name: "index.html", text: include_str!("../../templates/index.html") },
    BuiltInTemplate { name: "macros.html", text: include_str!("../../templates/macros.html") },
    BuiltInTemplate { name: "search.html", text: include_str!("../../templates/search.html") },
    BuiltInTemplate { name: "tag.html", text: include_str!("../../templates/tag.html") },
    BuiltInTemplate { name: "tags.html", text: include_str!("../../templates/tags.html") },
];

/// A built-in static file: its path in the output, and its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltInAsset {
    pub path: &'static str,
    pub bytes: &'static [u8],
}

/// The built-in static files, by output path.
pub const DEFAULT_ASSETS: &[BuiltInAsset] = &[
    BuiltInAsset { path: "assets/errorbook.css", bytes: include_bytes!("../../static/assets/errorbook.css") },
    BuiltInAsset { path: "assets/errorbook.js", bytes: include_bytes!("../../static/assets/errorbook.js") },
    BuiltInAsset {
        path: "assets/copy-markdown.js",
        bytes: include_bytes!("../../static/assets/copy-markdown.js"),
    },
    BuiltInAsset { path: "assets/favicon.svg", bytes: include_bytes!("../../static/assets/favicon.svg") },
    BuiltInAsset { path: "assets/search.css", bytes: include_bytes!("../../static/assets/search.css") },
    // The search engine and its UI are two files in the repository (the engine also runs under
    // node) and one script in a site, so search needs no module loading from `file://`.
    BuiltInAsset {
        path: "assets/search.js",
        bytes: concat!(
            include_str!("../../static/assets/search/engine.js"),
            include_str!("../../static/assets/search/ui.js")
        )
        .as_bytes(),
    },
];

/// The element ids the built-in templates write, which heading ids of Markdown must not take
/// (those of other pages too, so a template that moves a part to the entry page stays valid).
/// Numbered ones (`step-1`, `verify-1`, `faq-1`) are reserved by [`entry_page_ids`] for as
/// many as the entry has; the home page's `cat-<id>` never meets an entry's Markdown.
pub const ENTRY_PAGE_IDS: &[&str] = &[
    "aliases-label",
    "causes",
    "causes-title",
    "details",
    "details-title",
    "faq",
    "faq-title",
    "main",
    "not-found-q",
    "not-found-suggestions",
    "quick-fix",
    "quick-fix-title",
    "related",
    "related-title",
    "search-page-category",
    "search-page-form",
    "search-page-hint",
    "search-page-input",
    "search-page-more",
    "search-page-results",
    "search-page-severity",
    "search-page-product",
    "search-page-status",
    "site-search-input",
    "site-search-results",
    "sources",
    "sources-title",
    "steps",
    "steps-title",
    "vars-title",
    "verify",
    "verify-title",
];

/// The element id of the input for placeholder `name` on an entry's page (reserved by the
/// page for each placeholder the entry declares).
pub fn var_input_id(name: &str) -> String {
    format!("var-{name}")
}

/// Every id the built-in templates give the page of an entry with this many steps, checklist
/// items and questions.
pub fn entry_page_ids(steps: usize, verify: usize, faq: usize) -> Vec<String> {
    let mut ids: Vec<String> = ENTRY_PAGE_IDS.iter().map(|id| (*id).to_owned()).collect();
    ids.extend((1..=steps).map(|n| format!("step-{n}")));
    ids.extend((1..=verify).map(|n| format!("verify-{n}")));
    ids.extend((1..=faq).map(|n| format!("faq-{n}")));
    ids
}

/// A template of the site's `templates/`, put in place of the built-in one of the same name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Override {
    /// The file name, `404.html`.
    pub name: String,
    pub text: String,
    /// The path diagnostics name, `templates/404.html`.
    pub display: String,
}

/// A compiled set of templates.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Compiles the built-in templates with `overrides` put in place of the defaults of the
    /// same name. Extra templates a site adds are compiled too, so its overrides can include or
    /// extend them.
    pub fn new(overrides: &[Override]) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: Vec<Override> = DEFAULT_TEMPLATES
            .iter()
            .filter(|template| !overrides.iter().any(|o| o.name == template.name))
            .map(|BuiltInTemplate { name, text }| Override {
                name: (*name).to_owned(),
                text: (*text).to_owned(),
                display: format!("built-in template {name}"),
            })
            .collect();
        sources.extend(overrides.iter().cloned());
        sources.sort();

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default escaper also turns `/` into `&#x2F;`, which makes every URL unreadable.
        tera.set_escape_fn(escape_html);
        let pairs: Vec<(&str, &str)> = sources.iter().map(|o| (o.name.as_str(), o.text.as_str())).collect();
        if let Err(error) = tera.add_raw_templates(pairs) {
            // Tera names the template at fault in quotes; blame its file.
            let message = error_chain(&error);
            let display = sources
                .iter()
                .find(|o| {
                    message.contains(&format!("'{}'", o.name)) || message.contains(&format!("\"{}\"", o.name))
                })
                .map_or("templates/", |o| o.display.as_str());
            return Err(vec![template_error(display, &error)]);
        }
        Ok(Templates { tera })
    }

    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, String> {
        self.tera.render(name, context).map_err(|error| error_chain(&error))
    }
}

fn escape_html(text: &str) -> String {
    crate::markdown::escape(text)
}

fn template_error(display: &str, error: &tera::Error) -> Diagnostic {
    let help = "fix the template, or delete it to use the built-in one";
    if let Some((span, expected)) = syntax_position(error) {
        let expected = expected.trim_end_matches('.');
        return Diagnostic::error(display, span, format!("template syntax error: {expected}"))
            .with_label("here")
            .with_help(help);
    }
    Diagnostic::error(
        display,
        Span::file_start(),
        format!("template error: {}", lowercase_first(&error_chain(error))),
    )
    .with_help(help)
}

/// Tera reports a syntax error as a small frame: ` --> L:C` and a line `= expected …`.
fn syntax_position(error: &tera::Error) -> Option<(Span, String)> {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push('\n');
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    let position = text.lines().find_map(|line| line.trim().strip_prefix("--> "))?;
    let (line, column) = position.trim().split_once(':')?;
    let span = Span::new(line.parse().ok()?, column.parse().ok()?, 1);
    let expected = text.lines().find_map(|line| line.trim().strip_prefix("= "))?;
    Some((span, expected.to_owned()))
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

/// Tera nests the useful part of an error in its sources.
fn error_chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `id="…"` of the built-in templates is reserved, or one of the numbered ids
    /// `entry_page_ids` adds, or a home-page category.
    #[test]
    fn every_id_of_the_built_in_templates_is_reserved() {
        let numbered = [
            "step-{{ step.number }}",
            "{{ item.id }}",
            "{{ v.id }}",
            "cat-{{ c.id }}",
            "cat-{{ c.id }}-title",
        ];
        let mut seen = 0;
        for BuiltInTemplate { name, text } in DEFAULT_TEMPLATES {
            for (at, _) in text.match_indices(" id=\"") {
                let value = &text[at + 5..];
                let value = &value[..value.find('"').unwrap()];
                seen += 1;
                assert!(
                    ENTRY_PAGE_IDS.contains(&value) || numbered.contains(&value),
                    "id `{value}` of {name} is not reserved"
                );
            }
        }
        assert!(seen >= ENTRY_PAGE_IDS.len());
        let ids = entry_page_ids(2, 1, 1);
        for id in ["main", "step-1", "step-2", "verify-1", "faq-1"] {
            assert!(ids.iter().any(|i| i == id), "{id}");
        }
        assert!(!ids.iter().any(|i| i == "step-3"));
    }

    fn over(name: &str, text: &str) -> Override {
        Override { name: name.to_owned(), text: text.to_owned(), display: format!("templates/{name}") }
    }

    #[test]
    fn an_override_replaces_one_template() {
        let overrides = [over("404.html", "custom {{ 1 + 1 }}")];
        let templates = Templates::new(&overrides).unwrap();
        assert_eq!(templates.render("404.html", &tera::Context::new()).unwrap(), "custom 2");
    }

    #[test]
    fn a_broken_override_is_blamed_on_its_file() {
        let overrides = [over("tag.html", "{% if %}")];
        let errors = Templates::new(&overrides).err().unwrap();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, "templates/tag.html");
        assert!(errors[0].message.starts_with("template syntax error: expected"), "{}", errors[0].message);
        assert_eq!((errors[0].span.line, errors[0].span.column), (1, 7));
    }
}
