//! One entry file (`<slug>.md` with front matter, or `<slug>.yaml`) into an [`Entry`].

use chrono::NaiveDate;
use serde::Deserialize;

use super::config::{url_problem, Author, SiteConfig};
use super::places::{check_markdown_urls, Places};
use super::{review, Difficulty, Entry, EntryId, Faq, Link, ProductRange, Source, Status, Step, Text};
use crate::diagnostics::{did_you_mean, Diagnostic, Explanation, Span};
use crate::markdown::{self, vars, Var, Vars};
use crate::url_policy::{self, Kind};
use crate::yaml::{self, Document, Field, Key};

const TITLE_LIMIT: usize = 100;
const SUMMARY_LIMIT: usize = 200;
pub const TODO_MARKER: &str = "TODO";

/// A code may be written unquoted (`code: 503`); it is text all the same.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Integer(i64),
    Float(f64),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::Text(s) => s,
            Scalar::Integer(n) => n.to_string(),
            Scalar::Float(n) => n.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AuthorRef {
    Id(String),
    /// Read as a mapping first: serde would also build an `Author` from a list.
    Inline(serde_yaml::Mapping),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    title: String,
    #[serde(default)]
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFaq {
    q: String,
    a: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    url: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawEntry {
    code: Option<Scalar>,
    title: Option<String>,
    summary: Option<String>,
    severity: Option<String>,
    category: Option<String>,
    difficulty: Option<String>,
    fixable_percent: Option<i64>,
    fix_minutes: Option<i64>,
    updated: Option<Scalar>,
    author: Option<AuthorRef>,
    sources: Vec<RawSource>,
    aliases: Vec<String>,
    tags: Vec<String>,
    related: Vec<String>,
    redirect_from: Vec<String>,
    quick_fix: Option<String>,
    causes: Option<String>,
    steps: Vec<RawStep>,
    verify: Vec<String>,
    faq: Vec<RawFaq>,
    draft: bool,
    reviewed: Option<Scalar>,
    status: Option<String>,
    replaced_by: Option<String>,
    applies_to: Option<serde_yaml::Mapping>,
    vars: Option<serde_yaml::Mapping>,
    body: Option<String>,
}

const fn field(name: &'static str, expects: &'static str, help: &'static str) -> Field {
    Field { name, expects, help }
}

/// The fields of an entry, with what each holds and how to write it.
const FIELDS: &[Field] = &[
    field("code", "text", "write it like `code: \"503\"`"),
    field("title", "text", "write it like `title: HTTP 503 Service Unavailable`"),
    field(
        "summary",
        "one line of text",
        "write it like `summary: The server cannot take the request right now.`",
    ),
    field("severity", "text", "write it like `severity: major`"),
    field("category", "text", "write it like `category: http`"),
    field("difficulty", "text", "write it like `difficulty: intermediate`"),
    field("fixable_percent", "a whole number from 0 to 100", "write it like `fixable_percent: 90`"),
    field("fix_minutes", "a whole number of minutes", "write it like `fix_minutes: 15`"),
    field("updated", "a date", "write the date as YYYY-MM-DD, such as `updated: 2026-06-14`"),
    field(
        "author",
        "an author id or `{ name, role, url }`",
        "write an id from `authors` in site.yaml, such as `author: jdoe`, or `author: { name: Jane Doe }`",
    ),
    field(
        "sources",
        "a list of `{ title, url }`",
        "write each source as `- title: …` with `url: https://…` on the next line, indented",
    ),
    field("aliases", "a list of text", "write it like `aliases: [\"Service Unavailable\"]`"),
    field("tags", "a list of text", "write it like `tags: [nginx, kubernetes]`"),
    field("related", "a list of `category/slug`", "write it like `related: [http/502, http/504]`"),
    field("redirect_from", "a list of site paths", "write it like `redirect_from: [/503/]`"),
    field("quick_fix", "Markdown text", "write `quick_fix: |` and the Markdown on indented lines below it"),
    field("causes", "Markdown text", "write `causes: |` and the Markdown on indented lines below it"),
    field(
        "steps",
        "a list of `{ title, body }`",
        "write each step as `- title: …` with `body: |` and its Markdown on the lines below, indented",
    ),
    field("verify", "a list of text", "write it like `verify: [\"The page loads again.\"]`"),
    field(
        "faq",
        "a list of `{ q, a }`",
        "write each question as `- q: …` with `a: …` on the next line, indented",
    ),
    field("draft", "true or false", "write it like `draft: true`"),
    field("reviewed", "a date", "write the date as YYYY-MM-DD, such as `reviewed: 2026-06-14`"),
    field("status", "text", "write it like `status: deprecated`"),
    field("replaced_by", "a `category/slug`", "write it like `replaced_by: http/503`"),
    field(
        "applies_to",
        "a mapping of product to version range",
        "write it like `applies_to: { nginx: \">=1.19\" }`, quoting each range",
    ),
    field(
        "vars",
        "a mapping of placeholder name to default value",
        "write it like `vars: { namespace: default, deployment: myapp }`",
    ),
];

/// `body` is a field only in `<slug>.yaml` entries; in Markdown it is the text after the front matter.
const BODY_FIELD: Field =
    field("body", "Markdown text", "write `body: |` and the Markdown on indented lines below it");

/// The name of every field an entry may have, `body` (the text after the front matter) last.
pub fn field_names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().chain([&BODY_FIELD]).map(|field| field.name)
}

/// The lists whose items are one line of text each, with how a message names one item.
const ONE_LINE_LISTS: &[(&str, &str)] = &[
    ("aliases", "an alias"),
    ("tags", "a tag"),
    ("sources", "a source's title"),
    ("steps", "a step's title"),
    ("faq", "a question"),
];

/// Which form an entry file has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Markdown,
    Yaml,
}

/// Where an entry file sits: its display path, category and slug.
pub struct Location<'a> {
    pub file: &'a str,
    pub category: &'a str,
    pub slug: &'a str,
    pub format: Format,
}

/// An entry as far as it could be read, for the checks that look at several entries.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub entry: Entry,
    /// `false` when the file has errors: the entry is then incomplete and must not be published.
    pub complete: bool,
    /// Where `code` is written, to point at it when another entry has the same code.
    pub code_span: Span,
    /// Where each of the entry's `tags` is written, in their order.
    pub tag_spans: Vec<Span>,
}

/// Parses one entry; every problem found is pushed to `diagnostics`. Returns `None` when the
/// file has errors.
pub fn parse(
    text: &str,
    location: &Location<'_>,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    parse_partial(text, location, config, diagnostics).filter(|p| p.complete).map(|p| p.entry)
}

/// An entry of `content/<category>/<slug>.md` holding `text`, for tests of later stages; a
/// file with errors panics with its diagnostics.
#[cfg(test)]
pub(crate) fn parse_for_test(text: &str, category: &str, slug: &str, config: &SiteConfig) -> Entry {
    let location = Location { file: "x.md", category, slug, format: Format::Markdown };
    let mut diagnostics = Vec::new();
    let entry = parse(text, &location, config, &mut diagnostics);
    entry.unwrap_or_else(|| panic!("{diagnostics:?}"))
}

/// A site of two categories, `http` and `linux`, with three entries for tests of lookups by
/// code: `http/503` (its front matter ending with `extra_503`), and `http/enospc` and
/// `linux/enospc`, which share the code `ENOSPC`.
#[cfg(test)]
pub(crate) fn two_categories_for_test(extra_503: &str) -> (SiteConfig, Vec<std::sync::Arc<Entry>>) {
    let mut diagnostics = Vec::new();
    let config = super::config::parse(
        "title: KB\nbase_url: https://e.org/\ncategories:\n  http: { name: HTTP }\n  linux: { name: Linux }\n",
        &mut diagnostics,
    )
    .unwrap_or_else(|| panic!("{diagnostics:?}"));
    let entry = |category: &str, slug: &str, code: &str, extra: &str| {
        let text = format!(
            "---\ncode: \"{code}\"\ntitle: Error {code}\nsummary: What {code} means.\nseverity: major\nupdated: 2026-06-14\n{extra}---\n"
        );
        std::sync::Arc::new(parse_for_test(&text, category, slug, &config))
    };
    let entries = vec![
        entry("http", "503", "503", extra_503),
        entry("http", "enospc", "ENOSPC", ""),
        entry("linux", "enospc", "ENOSPC", ""),
    ];
    (config, entries)
}

/// Like [`parse`], but also returns what could be read of an entry with errors, so that the
/// checks across entries can run on it too. `None` only when the front matter could not be read
/// at all.
pub fn parse_partial(
    text: &str,
    location: &Location<'_>,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Parsed> {
    let errors = |d: &Vec<Diagnostic>| d.iter().filter(|d| d.is_error()).count();
    let before = errors(diagnostics);
    let file = location.file;
    let (front, body) = match location.format {
        Format::Yaml => (Document { file, text, first_line: 1 }, None),
        Format::Markdown => {
            let (front, body) = split_front_matter(file, text, diagnostics)?;
            (front, Some(body))
        }
    };
    let mut known: Vec<Field> = FIELDS.to_vec();
    if location.format == Format::Yaml {
        known.push(BODY_FIELD);
    }
    let parsed = yaml::parse::<RawEntry>(front, &known, "an entry", diagnostics)?;
    let raw = parsed.value;
    let mut checker =
        Checker { doc: front, keys: &parsed.keys, dropped: &parsed.dropped, config, diagnostics };
    let body = match body {
        Some(body) => body,
        None => Text {
            markdown: raw.body.clone().unwrap_or_default(),
            line: checker.key("body").map_or(1, |k| k.block_line),
        },
    };
    let code_span = checker.value_span("code");
    let entry = checker.build(raw, location, body);
    let tag_spans = entry.tags.iter().map(|tag| checker.locate("tags", tag)).collect();
    let complete = errors(diagnostics) == before;
    Some(Parsed { entry, complete, code_span, tag_spans })
}

/// Splits `---` front matter from the Markdown body.
fn split_front_matter<'a>(
    file: &'a str,
    text: &'a str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Document<'a>, Text)> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text_no_bom.find('\n').map_or(text_no_bom.len(), |i| i + 1);
    if text_no_bom[..first_line_end].trim_end() != "---" {
        diagnostics.push(
            Diagnostic::error(file, Span::new(1, 1, 0), "missing front matter")
                .with_label("an entry starts with a `---` line")
                .with_help("start the file with `---`, the entry's fields (code, title, summary, severity, updated), and another `---`"),
        );
        return None;
    }
    let rest = &text_no_bom[first_line_end..];
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let front = Document { file, text: &rest[..offset], first_line: 2 };
            let body_start = offset + line.len();
            let body = Text { markdown: rest[body_start..].to_owned(), line: index + 3 };
            return Some((front, body));
        }
        offset += line.len();
    }
    diagnostics.push(
        Diagnostic::error(file, Span::new(1, 1, 3), "front matter is not closed")
            .with_label("opened here")
            .with_help("add a line with `---` after the last field, before the Markdown body"),
    );
    None
}

struct Checker<'a, 'd> {
    doc: Document<'a>,
    keys: &'a [Key],
    /// Fields that are present but could not be read (already reported).
    dropped: &'a [String],
    config: &'a SiteConfig,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    fn key(&self, name: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.name == name)
    }

    fn value_span(&self, name: &str) -> Span {
        self.key(name).map_or(Span::new(self.doc.first_line, 1, 0), |k| {
            if k.value.len == 0 {
                k.span
            } else {
                k.value
            }
        })
    }

    fn locate(&self, name: &str, needle: &str) -> Span {
        yaml::locate(self.doc, self.key(name), needle)
    }

    fn error(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(self.doc.file, span, message).with_help(help));
    }

    fn warning(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(self.doc.file, span, message).with_help(help));
    }

    fn required<T>(&mut self, value: Option<T>, name: &str, what: &str) -> Option<T> {
        if value.is_some() || self.dropped.iter().any(|d| d == name) {
            return value;
        }
        if let Some(key) = self.key(name) {
            let span = key.span;
            self.error(span, format!("`{name}` is empty"), format!("write {what} after `{name}:`"));
            return None;
        }
        // A misspelt key is already reported as an unknown field with this name as suggestion.
        let names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        let misspelt = self.keys.iter().any(|k| {
            !names.contains(&k.name.as_str()) && did_you_mean(&k.name, names.iter().copied()) == Some(name)
        });
        if !misspelt {
            self.error(
                Span::file_start(),
                format!("missing required field `{name}`"),
                format!("add `{name}:` with {what}"),
            );
        }
        None
    }

    fn text(&self, name: &str, markdown: Option<String>) -> Option<Text> {
        markdown.filter(|m| !m.trim().is_empty()).map(|markdown| Text {
            markdown,
            line: self.key(name).map_or(self.doc.first_line, |k| k.block_line),
        })
    }

    /// `author`: inline, or an id of site.yaml's `authors`.
    fn author(&mut self, author: Option<AuthorRef>) -> Option<Author> {
        match author {
            None => None,
            Some(AuthorRef::Inline(mapping)) => {
                match serde_yaml::from_value::<Author>(serde_yaml::Value::Mapping(mapping)) {
                    Ok(author) => {
                        if let Some(Explanation { message, help }) =
                            author.url.as_deref().and_then(|url| url_problem("author URL", url))
                        {
                            let url = author.url.as_deref().unwrap_or_default();
                            self.error(self.locate("author", url), message, help);
                        }
                        Some(author)
                    }
                    Err(error) => {
                        let Explanation { message, help } =
                            yaml::explain_type_error("author", &error.to_string(), None, None);
                        let span = match yaml::backticked(&message).first() {
                            Some(name) if message.starts_with("unknown field") => self.locate("author", name),
                            _ => self.value_span("author"),
                        };
                        self.error(span, message, help);
                        None
                    }
                }
            }
            Some(AuthorRef::Id(id)) => {
                let found = self.config.author(&id).cloned();
                if found.is_none() {
                    let ids: Vec<&str> = self.config.authors.iter().map(|a| a.id.as_str()).collect();
                    let help = match did_you_mean(&id, ids.iter().copied()) {
                        Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
                        None if ids.is_empty() => "add the author under `authors:` in site.yaml".to_owned(),
                        None => format!(
                            "add the author under `authors:` in site.yaml, or use one of: {}",
                            ids.join(", ")
                        ),
                    };
                    self.error(self.value_span("author"), format!("unknown author \"{id}\""), help);
                }
                found
            }
        }
    }

    /// `sources`: each an http(s) URL with a title.
    fn sources(&mut self, raw_sources: Vec<RawSource>) -> Vec<Source> {
        let mut sources = Vec::new();
        for source in raw_sources {
            let checked = url_policy::check(&source.url);
            if let Err(
                refusal @ (url_policy::Refusal::Invisible(_)
                | url_policy::Refusal::Backslash
                | url_policy::Refusal::Fullwidth
                | url_policy::Refusal::UserInfo
                | url_policy::Refusal::BadHost(_)
                | url_policy::Refusal::BadPort(_)),
            ) = &checked
            {
                self.error(
                    self.locate("sources", &source.url),
                    format!("source URL \"{}\" {}", url_policy::shown(&source.url), refusal.problem()),
                    refusal.help(),
                );
            } else if checked != Ok(Kind::Web) {
                self.error(
                    self.locate("sources", &source.url),
                    format!("source URL \"{}\" is not an http(s) URL", url_policy::shown(&source.url)),
                    source_url_help(&source.url),
                );
            } else if source.title.trim().is_empty() {
                self.error(
                    self.locate("sources", &source.url),
                    format!("source \"{}\" has an empty title", source.url),
                    "give the source the title readers know it by, such as `title: RFC 9110`",
                );
            }
            sources.push(Source { title: source.title, url: source.url });
        }
        sources
    }

    /// Validates every field and makes the entry.
    ///
    /// Each group of fields has a method of its own; they run in one fixed order, so
    /// diagnostics at the same place always come out in the same order.
    fn build(&mut self, mut raw: RawEntry, location: &Location<'_>, body: Text) -> Entry {
        let [code, title, summary, severity, updated] = self.required_fields(&mut raw);
        self.check_one_line_fields(code.as_deref(), title.as_deref(), summary.as_deref());
        if let Some(severity) = &severity {
            self.check_enum(
                "severity",
                severity,
                &self.config.severities.iter().map(String::as_str).collect::<Vec<_>>(),
            );
        }
        if let Some(difficulty) = &raw.difficulty {
            self.check_enum("difficulty", difficulty, &Difficulty::ALL.map(Difficulty::as_str));
        }
        let (fixable_percent, fix_minutes) = self.effort(raw.fixable_percent, raw.fix_minutes);
        let (updated, reviewed) = self.dates(updated, raw.reviewed);
        let (status, replaced_by) = self.status(raw.status.as_deref(), raw.replaced_by);
        let applies_to = raw.applies_to.map(|m| self.applies_to(m)).unwrap_or_default();
        let (vars, var_spans) = raw.vars.map(|m| self.vars(m)).unwrap_or_default();
        if let Some(category) = &raw.category {
            self.check_category(category, location.category);
        }
        let author = self.author(raw.author);
        let sources = self.sources(raw.sources);
        let tags = self.tags(raw.tags);
        let related = self.links("related", raw.related);
        self.check_redirect_paths(&raw.redirect_from);
        let redirect_from = self.links("redirect_from", raw.redirect_from);
        self.check_list_item_controls(&raw.aliases, &tags, &sources, &raw.steps, &raw.faq);
        let (steps, verify, faq) = self.how_to_fix(raw.steps, raw.verify, raw.faq, status);

        Entry {
            id: EntryId::new(location.category, location.slug),
            file: location.file.to_owned(),
            category: location.category.to_owned(),
            slug: location.slug.to_owned(),
            code: code.unwrap_or_default(),
            title: title.unwrap_or_default(),
            summary: summary.unwrap_or_default(),
            severity: severity.unwrap_or_default(),
            difficulty: raw.difficulty.as_deref().and_then(Difficulty::parse),
            fixable_percent,
            fix_minutes,
            updated: updated.unwrap_or_default(),
            author,
            sources,
            aliases: raw.aliases,
            tags,
            related,
            redirect_from,
            quick_fix: self.text("quick_fix", raw.quick_fix),
            causes: self.text("causes", raw.causes),
            steps,
            verify,
            faq,
            draft: raw.draft,
            reviewed,
            status,
            replaced_by,
            applies_to,
            vars,
            var_spans,
            body,
            links: Vec::new(),
            packed: None,
        }
    }

    /// The fields every entry must have, taken out of `raw` in the order their absence is
    /// reported; `None` for each that is missing or empty.
    fn required_fields(&mut self, raw: &mut RawEntry) -> [Option<String>; 5] {
        let severities = format!("one of: {}", self.config.severities.join(", "));
        [
            (
                "code",
                raw.code.take().map(Scalar::into_string),
                "the error code as it appears, such as \"503\"",
            ),
            ("title", raw.title.take(), "the name of the error as readers know it"),
            ("summary", raw.summary.take(), "one line that says what the error means"),
            ("severity", raw.severity.take(), severities.as_str()),
            (
                "updated",
                raw.updated.take().map(Scalar::into_string),
                "the date of the last review, as YYYY-MM-DD",
            ),
        ]
        .map(|(name, value, what)| self.required(value, name, what))
    }

    /// `code`, `title` and `summary`: text that is not blank, holds no control character and
    /// fits search results.
    fn check_one_line_fields(&mut self, code: Option<&str>, title: Option<&str>, summary: Option<&str>) {
        if code.is_some_and(|code| code.trim().is_empty()) {
            self.error(
                self.value_span("code"),
                "`code` is empty",
                "write the error code as it appears, for example \"503\"",
            );
        }
        for (name, value) in [("code", code), ("title", title), ("summary", summary)] {
            if let Some(value) = value {
                self.check_no_controls(name, value);
            }
        }
        if let Some(title) = title {
            self.check_length("title", title, TITLE_LIMIT);
        }
        if let Some(summary) = summary {
            if summary.trim().contains('\n') {
                self.error(
                    self.value_span("summary"),
                    "`summary` must be one line",
                    "shorten the summary to a single sentence; the details go in `causes` or the body",
                );
            }
            self.check_length("summary", summary, SUMMARY_LIMIT);
        }
    }

    /// `fixable_percent` and `fix_minutes`; a value out of range is reported and left out.
    fn effort(
        &mut self,
        fixable_percent: Option<i64>,
        fix_minutes: Option<i64>,
    ) -> (Option<u8>, Option<u32>) {
        let fixable_percent = fixable_percent.and_then(|percent| {
            let ok = (0..=100).contains(&percent);
            if !ok {
                self.error(
                    self.value_span("fixable_percent"),
                    format!("`fixable_percent` is {percent}, outside 0–100"),
                    "give the share of cases the steps fix, as a whole number from 0 to 100",
                );
            }
            u8::try_from(percent).ok().filter(|_| ok)
        });
        let fix_minutes = fix_minutes.and_then(|minutes| {
            let ok = minutes > 0;
            if !ok {
                self.error(
                    self.value_span("fix_minutes"),
                    format!("`fix_minutes` must be positive, found {minutes}"),
                    "give the typical time to fix in whole minutes, for example 15",
                );
            }
            u32::try_from(minutes).ok().filter(|_| ok)
        });
        (fixable_percent, fix_minutes)
    }

    /// `updated` and `reviewed` read as dates, and the review checked against both.
    fn dates(
        &mut self,
        updated: Option<String>,
        reviewed: Option<Scalar>,
    ) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let [updated, reviewed] = [("updated", updated), ("reviewed", reviewed.map(Scalar::into_string))]
            .map(|(name, text)| text.and_then(|text| self.date(name, &text)));
        if let Some(reviewed) = reviewed {
            self.check_review(reviewed, updated);
        }
        (updated, reviewed)
    }

    /// `status`, current when not written, and `replaced_by`, which a current entry should not have.
    fn status(&mut self, status: Option<&str>, replaced_by: Option<String>) -> (Status, Option<Link>) {
        let status = match status {
            None => Status::Current,
            Some(text) => Status::parse(text).unwrap_or_else(|| {
                let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                self.check_enum("status", text, &names);
                Status::Current
            }),
        };
        let replaced_by = replaced_by.map(|target| Link { span: self.value_span("replaced_by"), target });
        if let (Some(link), Status::Current) = (&replaced_by, status) {
            self.warning(
                link.span,
                "`replaced_by` is set but the entry's `status` is current",
                "add `status: deprecated` (still met, on its way out) or `status: retired` (no longer met), or remove `replaced_by`",
            );
        }
        (status, replaced_by)
    }

    /// `category` is optional, and when written must be the folder the file is in.
    fn check_category(&mut self, category: &str, folder: &str) {
        if category != folder {
            self.error(
                self.value_span("category"),
                format!("`category` is \"{category}\" but the file is in the `{folder}` folder"),
                format!("move the file to content/{category}/ or remove the `category` field"),
            );
        }
    }

    /// `tags`: each needs a letter or digit for its page's address; a repeated tag is kept once.
    fn tags(&mut self, raw_tags: Vec<String>) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for tag in raw_tags {
            if super::tag_slug(&tag).is_empty() {
                self.error(
                    self.locate("tags", &tag),
                    format!("tag \"{tag}\" has no letters or digits"),
                    "use tags made of words, such as `nginx` or `load-balancer`",
                );
            } else if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags
    }

    /// The targets of a list field with where each is written, for the checks across entries.
    fn links(&self, name: &str, targets: Vec<String>) -> Vec<Link> {
        targets.into_iter().map(|target| Link { span: self.locate(name, &target), target }).collect()
    }

    fn check_redirect_paths(&mut self, paths: &[String]) {
        for path in paths {
            if !path.starts_with('/') {
                self.error(
                    self.locate("redirect_from", path),
                    format!("redirect path \"{path}\" must start with `/`"),
                    format!(
                        "write it as a path from the root of the site: \"/{}\"",
                        path.trim_start_matches("./")
                    ),
                );
            }
        }
    }

    /// One-line texts of lists: their control characters would reach feeds, Markdown copies
    /// and terminals as they are, like those of the title.
    fn check_list_item_controls(
        &mut self,
        aliases: &[String],
        tags: &[String],
        sources: &[Source],
        steps: &[RawStep],
        faq: &[RawFaq],
    ) {
        let items: Vec<(&str, &str)> = aliases
            .iter()
            .map(|a| ("aliases", a.as_str()))
            .chain(tags.iter().map(|t| ("tags", t.as_str())))
            .chain(sources.iter().map(|s| ("sources", s.title.as_str())))
            .chain(steps.iter().map(|s| ("steps", s.title.as_str())))
            .chain(faq.iter().map(|f| ("faq", f.q.as_str())))
            .collect();
        let found: Vec<(&str, Span, char)> = items
            .iter()
            .filter_map(|&(name, text)| {
                let (at, c) = text.char_indices().find(|&(_, c)| c.is_control() && c != '\t' && c != '\n')?;
                let head = text[..at].trim();
                // A short head could be found in the field's name itself: point at the field then.
                let span =
                    if head.chars().count() < 3 { self.value_span(name) } else { self.locate(name, head) };
                Some((name, span, c))
            })
            .collect();
        for (name, span, c) in found {
            let what =
                ONE_LINE_LISTS.iter().find(|&&(list, _)| list == name).map_or("an item", |&(_, what)| what);
            self.error(
                span,
                format!("{what} in `{name}` holds a control character (U+{:04X})", u32::from(c)),
                "remove it: control characters show as nothing or as garbage, and act on terminals",
            );
        }
    }

    /// `steps`, `verify` and `faq` with the line their Markdown starts on; an entry still met
    /// without steps or checks is warned about.
    fn how_to_fix(
        &mut self,
        raw_steps: Vec<RawStep>,
        raw_verify: Vec<String>,
        raw_faq: Vec<RawFaq>,
        status: Status,
    ) -> (Vec<Step>, Vec<Text>, Vec<Faq>) {
        let block_line = |name: &str| self.key(name).map_or(1, |k| k.block_line);
        let (steps_line, verify_line, faq_line) =
            (block_line("steps"), block_line("verify"), block_line("faq"));
        let steps: Vec<Step> = raw_steps
            .into_iter()
            .map(|step| Step { title: step.title, body: Text { markdown: step.body, line: steps_line } })
            .collect();
        let verify: Vec<Text> =
            raw_verify.into_iter().map(|item| Text { markdown: item, line: verify_line }).collect();
        let faq: Vec<Faq> = raw_faq
            .into_iter()
            .map(|item| Faq { question: item.q, answer: Text { markdown: item.a, line: faq_line } })
            .collect();
        let absent = |name: &str| !self.dropped.iter().any(|d| d == name);
        // A retired entry's page is a tombstone: it has no steps to take any more.
        let retired = status == Status::Retired;
        if steps.is_empty() && absent("steps") && !retired {
            self.warning(
                Span::new(1, 1, 0),
                "the entry has no `steps`",
                "add numbered steps under `steps:` so readers know how to fix the error",
            );
        }
        if verify.is_empty() && absent("verify") && !retired {
            self.warning(
                Span::new(1, 1, 0),
                "the entry has no `verify` checklist",
                "add checks under `verify:` so readers can confirm the fix worked",
            );
        }
        (steps, verify, faq)
    }

    /// `vars`: placeholder names and their defaults, in the order written, with where each
    /// name is written.
    fn vars(&mut self, mapping: serde_yaml::Mapping) -> (Vars, Vec<Span>) {
        let mut declared: Vec<Var> = Vec::new();
        let mut spans = Vec::new();
        for (key, value) in mapping {
            let Some(name) = scalar_text(&key) else {
                self.error(
                    self.value_span("vars"),
                    "`vars` keys must be placeholder names",
                    "write it like `vars: { namespace: default }`",
                );
                continue;
            };
            // A name on a line of its own (block style), or inside `{ … }` (flow style).
            let key = self.key("vars");
            let child = yaml::locate_child(self.doc, key, &name);
            let span = if Some(child) == key.map(|k| k.span) { self.locate("vars", &name) } else { child };
            if !vars::is_valid_name(&name) {
                let lower = name.trim().to_lowercase().replace([' ', '.'], "_");
                let help = if vars::is_valid_name(&lower) {
                    format!("write it as `{lower}`: lowercase letters, digits, `_` and `-`, starting with a letter")
                } else {
                    format!(
                        "use lowercase letters, digits, `_` and `-`, starting with a letter, at most {} characters, such as `namespace`",
                        vars::NAME_LIMIT
                    )
                };
                self.error(span, format!("placeholder name `{name}` is not a valid name"), help);
                continue;
            }
            let Some(default) = scalar_text(&value) else {
                let message = if value.is_null() {
                    format!("placeholder `{name}` has no default value")
                } else {
                    format!("the default of placeholder `{name}` must be one value, not a list or mapping")
                };
                self.error(
                    span,
                    message,
                    format!("give the value most readers would use, such as `{name}: default`; readers type their own on the page"),
                );
                continue;
            };
            let after_name = Span::new(span.line, span.column + span.len, 0);
            let value_span =
                if default.is_empty() { span } else { yaml::locate_after(self.doc, after_name, &default) };
            let length = default.chars().count();
            let problem = if default.trim().is_empty() {
                Some(("is empty".to_owned(), "give the value most readers would use: snippets show it until the reader types their own".to_owned()))
            } else if default.contains(['\n', '\r']) {
                Some((
                    "is more than one line".to_owned(),
                    "a placeholder stands for one value inside a command; write it on one line".to_owned(),
                ))
            } else if default.chars().any(char::is_control) {
                Some(("holds a control character".to_owned(), "write the default as plain text".to_owned()))
            } else if length > vars::DEFAULT_LIMIT {
                Some((
                    format!("is {length} characters long, over {}", vars::DEFAULT_LIMIT),
                    "a placeholder stands for one value, such as a name or an address; shorten the default"
                        .to_owned(),
                ))
            } else if !vars::find(&default).is_empty() {
                Some((
                    "holds a placeholder".to_owned(),
                    "write the default as the value itself: placeholders are not read inside defaults"
                        .to_owned(),
                ))
            } else {
                None
            };
            if let Some((problem, help)) = problem {
                self.error(value_span, format!("the default of placeholder `{name}` {problem}"), help);
                continue;
            }
            declared.push(Var { name, default });
            spans.push(span);
        }
        (Vars::new(declared), spans)
    }

    /// One-line fields reach terminals, feeds and Markdown copies as they are: an escape or a
    /// bell in them would act on a reader's terminal or garble the text.
    fn check_no_controls(&mut self, name: &str, value: &str) {
        if let Some(c) = value.chars().find(|&c| c.is_control() && c != '\n' && c != '\t') {
            self.error(
                self.value_span(name),
                format!("`{name}` holds a control character (U+{:04X})", u32::from(c)),
                "remove it: control characters show as nothing or as garbage, and act on terminals",
            );
        }
    }

    fn check_length(&mut self, name: &str, value: &str, limit: usize) {
        let length = value.chars().count();
        if length > limit {
            self.warning(
                self.value_span(name),
                format!("`{name}` is {length} characters long, over {limit}"),
                format!("keep the {name} under {limit} characters so it fits search results"),
            );
        }
    }

    /// `updated` or `reviewed`, read as a date; a problem is reported at the field.
    fn date(&mut self, name: &str, text: &str) -> Option<NaiveDate> {
        let parsed = parse_date(text);
        if parsed.is_none() {
            let (message, help) = if is_date_shaped(text) {
                (format!("`{name}` is not a real date: {}", text.trim()), why_not_a_date(text))
            } else {
                (
                    format!("`{name}` must be a date written as YYYY-MM-DD, found \"{text}\""),
                    "write the year, month and day with dashes, such as 2026-06-14".to_owned(),
                )
            };
            self.error(self.value_span(name), message, help);
        }
        use chrono::Datelike;
        if let Some(date) = parsed.filter(|d| d.year() < 1970) {
            self.error(
                self.value_span(name),
                format!("`{name}` is {date}, before 1970"),
                "write the real date, such as 2026-06-14",
            );
            return None;
        }
        parsed
    }

    /// A review date in the future, or older than site.yaml's `review_every`.
    fn check_review(&mut self, reviewed: NaiveDate, updated: Option<NaiveDate>) {
        let today = review::today();
        let span = self.value_span("reviewed");
        // A day of slack: the author's today may be tomorrow in UTC.
        let tomorrow = today.checked_add_days(chrono::Days::new(1)).unwrap_or(today);
        if reviewed > tomorrow {
            self.warning(
                span,
                format!("`reviewed` is {reviewed}, a date still to come"),
                format!(
                    "write the date the entry was checked against its sources, today at the latest ({today})"
                ),
            );
        } else if let Some(due) = review::due(reviewed, self.config.review_every) {
            if due < today {
                let days = (today - reviewed).num_days();
                self.warning(
                    span,
                    format!(
                        "the entry was last reviewed {days} days ago, over `review_every` ({} days)",
                        self.config.review_every
                    ),
                    format!("check the entry against its sources and commands, then set `reviewed: {today}`"),
                );
            }
        }
        if let Some(updated) = updated {
            if reviewed < updated {
                self.warning(
                    span,
                    format!("`reviewed` ({reviewed}) is older than `updated` ({updated})"),
                    "review the entry after changing it, and set `reviewed` to that day",
                );
            }
        }
    }

    /// `applies_to`: product names and version ranges, sorted by product.
    fn applies_to(&mut self, mapping: serde_yaml::Mapping) -> Vec<ProductRange> {
        let mut products: Vec<ProductRange> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in mapping {
            let Some(product) = scalar_text(&key) else {
                self.error(
                    self.value_span("applies_to"),
                    "`applies_to` keys must be product names",
                    "write it like `applies_to: { nginx: \">=1.19\" }`",
                );
                continue;
            };
            let span = self.locate("applies_to", &product);
            if let Err(problem) = review::check_product(&product) {
                self.error(span, format!("product name \"{product}\" {problem}"), review::PRODUCT_HELP);
                continue;
            }
            if seen.iter().any(|p: &String| p.eq_ignore_ascii_case(&product)) {
                self.error(
                    span,
                    format!("product `{product}` appears twice in `applies_to`"),
                    "give each product one range; join comparisons with a comma, such as \">=1.19, <1.27\"",
                );
                continue;
            }
            seen.push(product.clone());
            let serde_yaml::Value::String(range) = value else {
                self.error(
                        span,
                        format!("the version range of `{product}` must be quoted text"),
                        format!("quote the range, such as `{product}: \">=1.20\"`: unquoted, YAML reads a version like 1.20 as the number 1.2"),
                    );
                continue;
            };
            if let Err(problem) = review::check_range(&range) {
                let span = self.locate("applies_to", &range);
                self.error(
                    span,
                    format!("version range \"{range}\" of `{product}` {problem}"),
                    review::RANGE_HELP,
                );
                continue;
            }
            products.push(ProductRange { product, range: range.trim().to_owned() });
        }
        products.sort_by_key(|p| p.product.to_lowercase());
        products
    }

    fn check_enum(&mut self, name: &str, value: &str, allowed: &[&str]) {
        if allowed.contains(&value) {
            return;
        }
        let same_but_case = allowed.iter().find(|a| a.eq_ignore_ascii_case(value.trim()));
        let help = match (same_but_case, did_you_mean(value, allowed.iter().copied())) {
            (Some(exact), _) => format!("write it in lowercase: \"{exact}\""),
            (None, Some(suggestion)) => format!("did you mean \"{suggestion}\"?"),
            (None, None) if name == "severity" => format!(
                "use one of: {}; or, to use \"{value}\" across the site, add it to `severities` in site.yaml",
                allowed.join(", ")
            ),
            (None, None) => format!("use one of: {}", allowed.join(", ")),
        };
        self.diagnostics.push(
            Diagnostic::error(self.doc.file, self.value_span(name), format!("unknown {name} \"{value}\""))
                .with_label(format!("expected one of: {}", allowed.join(", ")))
                .with_help(help),
        );
    }
}

/// A YAML scalar as the text it was written as, for keys and values that should be text.
fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What to do about a source URL that is not http(s), depending on what it is.
fn source_url_help(url: &str) -> String {
    let trimmed = url.trim();
    let scheme = trimmed.split_once(':').map(|(s, _)| s.to_ascii_lowercase()).filter(|s| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    match scheme.as_deref() {
        Some("javascript" | "vbscript" | "data") => format!(
            "a `{}:` URL runs in the reader's browser and is never allowed; link the page where the source is published",
            scheme.unwrap_or_default()
        ),
        Some("file") => "a `file:` URL points at a file on one computer; link a copy on the web instead".to_owned(),
        Some("http" | "https") => {
            "the address has no host; write it in full, such as https://www.rfc-editor.org/rfc/rfc9110".to_owned()
        }
        Some(_) => "link a page readers can open in a browser, with an address starting with https://".to_owned(),
        None if trimmed.contains('.') && !trimmed.starts_with('/') && !trimmed.contains(' ') => {
            format!("did you mean \"https://{}\"?", trimmed.trim_start_matches('/'))
        }
        None => "link sources with a full address starting with https:// or http://".to_owned(),
    }
}

/// A strict `YYYY-MM-DD` date that exists in the calendar.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    is_date_shaped(text).then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()
}

/// Why a `YYYY-MM-DD` that does not parse is not a date: the month or the day is out of range.
fn why_not_a_date(text: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let text = text.trim();
    let year: i32 = text[..4].parse().unwrap_or(0);
    let month: u32 = text[5..7].parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return format!("there is no month {month:02}; months run from 01 to 12");
    }
    let next = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let days = NaiveDate::from_ymd_opt(next.0, next.1, 1)
        .and_then(|first| first.pred_opt())
        .map_or(31, |last| chrono::Datelike::day(&last));
    format!("{} {year} has {days} days; pick a day from 01 to {days}", MONTHS[month as usize - 1])
}

/// Four digits, two and two, with dashes between them, whether or not the date exists.
fn is_date_shaped(text: &str) -> bool {
    let text = text.trim();
    let shape = |(i, b): (usize, u8)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() };
    text.len() == 10 && text.bytes().enumerate().all(shape)
}

/// Markdown links and code fences of every Markdown field, with their place in the file;
/// also warns about code languages the highlighter does not know and, outside drafts, leftover
/// TODO markers. Returns the fenced code blocks, for the snippet checks.
pub fn scan_markdown(
    entry: &mut Entry,
    source: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<crate::snippets::Fenced> {
    let texts = texts_of(entry);
    let mut places = Places::new(source);
    let mut links = Vec::new();
    let mut blocks = Vec::new();
    for text in texts {
        let scan = markdown::scan(&text.markdown);
        check_markdown_urls(&entry.file, text, &scan, &mut places, diagnostics);
        blocks.extend(scan.code_blocks.into_iter().map(|block| crate::snippets::Fenced {
            text_line: text.line,
            info: block.info,
            code: block.code,
        }));
        // A link the URL rule refuses is reported as such, not again as a broken link.
        for link in scan.links.into_iter().filter(|link| url_policy::check(link).is_ok()) {
            links.push(Link { span: places.find(text.line, &link), target: link });
        }
        for lang in scan.unknown_languages {
            diagnostics.push(
                Diagnostic::warning(&entry.file, places.fence(text.line, &lang), format!("unknown code block language `{lang}`"))
                    .with_help("the block is shown as plain text; use a language the highlighter knows, such as bash, console, yaml, json, sql or python, or `text`"),
            );
        }
    }
    entry.links = links;
    check_placeholders(entry, &texts_of(entry), &mut places, diagnostics);
    let todo = source.lines().enumerate().find(|(_, l)| l.contains(TODO_MARKER));
    if let Some((index, line)) = todo.filter(|_| !entry.draft) {
        let column = line[..line.find(TODO_MARKER).unwrap_or(0)].chars().count() + 1;
        diagnostics.push(
            Diagnostic::warning(
                &entry.file,
                Span::new(index + 1, column, TODO_MARKER.len()),
                "the entry still has a TODO marker",
            )
            .with_help("replace the placeholder text before publishing"),
        );
    }
    blocks
}

/// The Markdown fields of an entry, in page order (FAQ questions aside: they are one line).
fn texts_of(entry: &Entry) -> Vec<&Text> {
    let mut texts: Vec<&Text> = Vec::new();
    texts.extend(entry.quick_fix.as_ref());
    texts.extend(entry.causes.as_ref());
    texts.extend(entry.steps.iter().map(|s| &s.body));
    texts.extend(entry.verify.iter());
    texts.extend(entry.faq.iter().map(|f| &f.answer));
    texts.push(&entry.body);
    texts
}

/// Placeholders used in code but not declared in `vars` (errors: the page would show a
/// command that does not run), and declared ones no code uses (warnings).
fn check_placeholders(
    entry: &Entry,
    texts: &[&Text],
    places: &mut Places<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut used: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for text in texts {
        for found in vars::uses_in_markdown(&text.markdown) {
            used.insert(found.name.to_owned());
            if entry.vars.default_of(found.name).is_some() {
                continue;
            }
            let offset = text.markdown[..found.range.start].matches('\n').count();
            let written = &text.markdown[found.range.clone()];
            let span = places.find_near(text.line, offset, written);
            let help = match did_you_mean(found.name, entry.vars.names()) {
                Some(near) => format!("did you mean `<<{near}>>`?"),
                None => format!(
                    "declare it with its default, like `vars: {{ {}: value }}`; if the text is not a placeholder, write it with spaces: `<< {} >>`",
                    found.name, found.name
                ),
            };
            diagnostics.push(
                Diagnostic::error(
                    &entry.file,
                    span,
                    format!("placeholder `{written}` is not declared in `vars`"),
                )
                .with_label("used here")
                .with_help(help),
            );
        }
    }
    for text in texts {
        for found in vars::uses_in_prose(&text.markdown) {
            let offset = text.markdown[..found.range.start].matches('\n').count();
            let written = &text.markdown[found.range.clone()];
            diagnostics.push(prose_placeholder(
                entry,
                places.find_near(text.line, offset, written),
                written,
                found.name,
            ));
        }
    }
    // FAQ questions are inline Markdown too; they have no line of their own, so the place is
    // found from the question's text.
    for faq in &entry.faq {
        for found in vars::uses_in_prose(&faq.question) {
            let written = &faq.question[found.range.clone()];
            let head: String = faq.question[..found.range.start].chars().rev().take(24).collect();
            let head: String = head.chars().rev().collect();
            let head = head.trim_start();
            let from = if head.is_empty() { 1 } else { places.find(1, head).line };
            let span = places.find(from, written);
            diagnostics.push(prose_placeholder(entry, span, written, found.name));
        }
    }
    for (Var { name, .. }, span) in entry.vars.iter().zip(&entry.var_spans) {
        if !used.contains(name) {
            diagnostics.push(
                Diagnostic::warning(&entry.file, *span, format!("placeholder `{name}` is declared but no code uses it"))
                    .with_label("declared here")
                    .with_help(format!(
                        "write `<<{name}>>` in a code block or inline code where the reader's value goes, or remove `{name}` from `vars`"
                    )),
            );
        }
    }
}

/// A `<<name>>` written outside code: not a placeholder, and lost from the page.
fn prose_placeholder(entry: &Entry, span: Span, written: &str, name: &str) -> Diagnostic {
    Diagnostic::warning(
        &entry.file,
        span,
        format!("`{written}` is outside code: it is not filled in, and the page shows `<>` (Markdown reads `<{name}>` as an HTML tag)"),
    )
    .with_label("outside code")
    .with_help(format!(
        "write it as inline code, `` `{written}` ``, to show the reader's value; or as `\\<\\<{name}>>` to show the text itself"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn config() -> SiteConfig {
        let mut diagnostics = Vec::new();
        let text = "title: T\nbase_url: https://example.org/\nauthors:\n  jdoe: { name: Jane Doe }\ncategories:\n  http: { name: HTTP }\n";
        super::super::config::parse(text, &mut diagnostics).expect("a valid site.yaml")
    }

    pub(super) fn location(format: Format) -> Location<'static> {
        let file = if format == Format::Yaml { "content/http/500.yaml" } else { "content/http/500.md" };
        Location { file, category: "http", slug: "500", format }
    }

    /// The diagnostics of one Markdown entry, as `line:column: message`.
    fn diagnostics_of(text: &str) -> Vec<String> {
        let mut diagnostics = Vec::new();
        if let Some(mut parsed) =
            parse_partial(text, &location(Format::Markdown), &config(), &mut diagnostics)
        {
            scan_markdown(&mut parsed.entry, text, &mut diagnostics);
        }
        crate::diagnostics::sorted(diagnostics)
            .iter()
            .map(|d| format!("{}:{}: {}", d.span.line, d.span.column, d.message))
            .collect()
    }

    const GOOD: &str = "code: \"500\"\ntitle: T\nsummary: S\nseverity: major\nupdated: 2026-06-14\nsteps:\n  - title: A\n    body: B\nverify:\n  - V\n";

    #[test]
    fn the_lists_of_one_line_texts_are_fields() {
        for (name, _) in ONE_LINE_LISTS {
            assert!(FIELDS.iter().any(|f| f.name == *name), "{name} is not in FIELDS");
        }
    }

    #[test]
    fn a_good_entry_has_no_diagnostics() {
        assert_eq!(diagnostics_of(&format!("---\n{GOOD}---\nBody\n")), Vec::<String>::new());
    }

    #[test]
    fn a_misspelt_required_field_is_reported_once() {
        let text = format!("---\n{}---\n", GOOD.replace("severity:", "sevrity:"));
        assert_eq!(diagnostics_of(&text), ["5:1: unknown field `sevrity` in an entry"]);
    }

    #[test]
    fn a_mistyped_field_does_not_hide_the_others() {
        let text = format!("---\n{GOOD}fix_minutes: soon\ndifficulty: hard\n---\n");
        assert_eq!(
            diagnostics_of(&text),
            [
                "12:14: `fix_minutes` must be a whole number of minutes, found \"soon\"",
                "13:13: unknown difficulty \"hard\"",
            ]
        );
    }

    #[test]
    fn markdown_problems_point_at_their_own_place() {
        let text = format!("---\n{GOOD}---\n[a](/http/404/) and [b](/http/404/)\n\n~~~ klingon\nx\n~~~\n");
        assert_eq!(diagnostics_of(&text), ["15:5: unknown code block language `klingon`"]);
        // Links are checked against the other entries in `content::load`; here, only their places.
        let mut diagnostics = Vec::new();
        let mut parsed =
            parse_partial(&text, &location(Format::Markdown), &config(), &mut diagnostics).unwrap();
        scan_markdown(&mut parsed.entry, &text, &mut diagnostics);
        let spans: Vec<Span> = parsed.entry.links.iter().map(|l| l.span).collect();
        assert_eq!(spans, [Span::new(13, 5, 10), Span::new(13, 25, 10)]);
    }

    #[test]
    fn control_characters_in_lists_of_one_line_texts_are_errors() {
        let text = format!(
            "---\n{}aliases: [\"ok\", \"bad\\e[2J\"]\ntags: [\"t\\a\"]\nfaq:\n  - q: \"Why\\x9b?\"\n    a: Because.\n---\n",
            GOOD.replace("  - title: A", "  - title: \"Restart\\x07\"")
        );
        assert_eq!(
            diagnostics_of(&text),
            [
                "8:13: a step's title in `steps` holds a control character (U+0007)",
                "12:18: an alias in `aliases` holds a control character (U+001B)",
                "13:7: a tag in `tags` holds a control character (U+0007)",
                "15:9: a question in `faq` holds a control character (U+009B)",
            ]
        );
    }

    #[test]
    fn control_characters_in_one_line_fields_are_errors() {
        let text = format!("---\n{}---\n", GOOD.replace("title: T", "title: \"\\e]0;x\\a T\""));
        assert_eq!(diagnostics_of(&text), ["3:8: `title` holds a control character (U+001B)"]);
        let text = format!("---\n{}---\n", GOOD.replace("summary: S", "summary: \"S\\x9b\""));
        assert_eq!(diagnostics_of(&text), ["4:10: `summary` holds a control character (U+009B)"]);
    }

    #[test]
    fn placeholders_must_be_declared_and_used() {
        let text = format!(
            "---\n{GOOD}vars: {{ ns: default, unused: x, deploy: web }}\nquick_fix: \"`kubectl -n <<ns>> <<nope>> <<deplyo>>`\"\n---\n`<<ns>>` and <<prose>>\n"
        );
        let with_faq = format!(
            "---\n{GOOD}vars: {{ ns: default }}\nquick_fix: \"`<<ns>>`\"\nfaq:\n  - q: \"Why not in <<ns>>?\"\n    a: Because.\n---\n"
        );
        assert_eq!(
            diagnostics_of(&with_faq),
            ["15:20: `<<ns>>` is outside code: it is not filled in, and the page shows `<>` (Markdown reads `<ns>` as an HTML tag)"]
        );
        assert_eq!(
            diagnostics_of(&text),
            [
                "12:22: placeholder `unused` is declared but no code uses it",
                "12:33: placeholder `deploy` is declared but no code uses it",
                "13:32: placeholder `<<nope>>` is not declared in `vars`",
                "13:41: placeholder `<<deplyo>>` is not declared in `vars`",
                "15:14: `<<prose>>` is outside code: it is not filled in, and the page shows `<>` (Markdown reads `<prose>` as an HTML tag)",
            ]
        );
        let mut diagnostics = Vec::new();
        let entry = parse(&text, &location(Format::Markdown), &config(), &mut diagnostics).unwrap();
        let declared: Vec<(&str, &str)> =
            entry.vars.iter().map(|v| (v.name.as_str(), v.default.as_str())).collect();
        assert_eq!(declared, [("ns", "default"), ("unused", "x"), ("deploy", "web")]);
        assert_eq!(entry.var_spans[0], Span::new(12, 9, 2));
    }

    #[test]
    fn placeholder_names_and_defaults_are_checked() {
        let text = format!(
            "---\n{GOOD}vars:\n  Ns: a\n  ok: \"\"\n  deep: [1]\n  port: 8080\nquick_fix: \"`<<port>>`\"\n---\n"
        );
        assert_eq!(
            diagnostics_of(&text),
            [
                "13:3: placeholder name `Ns` is not a valid name",
                "14:3: the default of placeholder `ok` is empty",
                "15:3: the default of placeholder `deep` must be one value, not a list or mapping",
            ]
        );
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(why_not_a_date("2026-02-30"), "February 2026 has 28 days; pick a day from 01 to 28");
        assert_eq!(why_not_a_date("2024-02-30"), "February 2024 has 29 days; pick a day from 01 to 29");
        assert_eq!(why_not_a_date("2026-13-01"), "there is no month 13; months run from 01 to 12");
        assert_eq!(why_not_a_date("2026-04-00"), "April 2026 has 30 days; pick a day from 01 to 30");
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2026-02-29").is_none());
        assert!(parse_date("2026-6-14").is_none());
        assert!(is_date_shaped("2026-02-30"));
        assert!(!is_date_shaped("14/06/2026"));
    }

    #[test]
    fn source_url_help_fits_the_mistake() {
        assert!(source_url_help("JavaScript:alert(1)").contains("never allowed"));
        assert_eq!(source_url_help("www.example.org/a"), "did you mean \"https://www.example.org/a\"?");
        assert!(source_url_help("file:///etc/x").contains("`file:`"));
        assert!(source_url_help("ftp://e.org/x").starts_with("link a page"));
    }
}

/// No input makes parsing panic, and every outcome is an entry or a diagnostic.
#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::tests::{config, location};
    use super::*;

    /// Pieces of front matter, valid and broken, to build YAML-like text from.
    fn yaml_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("---\n".to_owned()),
            Just("\n".to_owned()),
            Just("  ".to_owned()),
            Just("- ".to_owned()),
            Just(": ".to_owned()),
            Just("code: \"503\"\n".to_owned()),
            Just("title: T\n".to_owned()),
            Just("summary: S\n".to_owned()),
            Just("severity: major\n".to_owned()),
            Just("updated: 2026-02-30\n".to_owned()),
            Just("steps:\n  - title: a\n    body: |\n      ```bash\n      x\n      ```\n".to_owned()),
            Just("verify: [a, b]\n".to_owned()),
            Just("related: [http/1]\n".to_owned()),
            Just("sources:\n  - { title: x, url: \"javascript:1\" }\n".to_owned()),
            Just("author: { name: A, nmae: B }\n".to_owned()),
            Just("faq:\n  - q: x\n".to_owned()),
            Just("&a x\n*a\n".to_owned()),
            Just("!!binary x\n".to_owned()),
            Just("? [a]\n: 1\n".to_owned()),
            Just("\t".to_owned()),
            Just("\u{feff}".to_owned()),
            "[a-z_]{1,12}: ".prop_map(|s| s),
            "[ -~]{0,16}".prop_map(|s| s),
            any::<String>().prop_map(|s| s.chars().take(8).collect()),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    fn check_outcome(text: &str, format: Format) {
        let location = location(format);
        let mut diagnostics = Vec::new();
        let entry = parse(text, &location, &config(), &mut diagnostics);
        let has_errors = diagnostics.iter().any(Diagnostic::is_error);
        assert_eq!(entry.is_some(), !has_errors, "{diagnostics:#?}");

        let mut partial_diagnostics = Vec::new();
        if let Some(mut parsed) = parse_partial(text, &location, &config(), &mut partial_diagnostics) {
            scan_markdown(&mut parsed.entry, text, &mut partial_diagnostics);
        }
        let lines = text.lines().count().max(1);
        for d in &partial_diagnostics {
            assert_eq!(d.file, location.file);
            assert!(d.span.line >= 1 && d.span.column >= 1, "{d:?}");
            assert!(d.span.line <= lines + 1, "line {} of {lines}: {d:?}", d.span.line);
            assert!(!d.message.is_empty() && !d.message.ends_with('.'), "{d:?}");
            assert!(!d.message.starts_with(char::is_uppercase), "{d:?}");
            assert!(d.help.is_some(), "every problem says how to fix it: {d:?}");
        }
        // Rendering the report never panics either.
        struct One<'a>(&'a str);
        impl crate::diagnostics::SourceLookup for One<'_> {
            fn source(&self, _file: &str) -> Option<String> {
                Some(self.0.to_owned())
            }
        }
        let _ = crate::diagnostics::render_human(&partial_diagnostics, &One(text), false);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_give_a_result_or_a_diagnostic(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
            let text = String::from_utf8_lossy(&bytes);
            check_outcome(&text, Format::Markdown);
            check_outcome(&text, Format::Yaml);
        }

        #[test]
        fn yaml_like_front_matter_gives_a_result_or_a_diagnostic(front in yaml_like(), body in "[ -~\n]{0,64}") {
            check_outcome(&format!("---\n{front}\n---\n{body}"), Format::Markdown);
            check_outcome(&front, Format::Yaml);
        }
    }
}
