//! One entry file (`<slug>.md` with front matter, or `<slug>.yaml`) into an [`Entry`].

use chrono::NaiveDate;
use serde::Deserialize;

use super::config::{is_http_url, Author, SiteConfig};
use super::yaml::{self, Document, Key};
use super::{Entry, Faq, Link, Source, Step, Text};
use crate::diagnostics::{did_you_mean, Diagnostic, Span};
use crate::markdown;

pub const DIFFICULTIES: [&str; 3] = ["beginner", "intermediate", "advanced"];
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
    Inline(Author),
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
    body: Option<String>,
}

const FIELDS: &[&str] = &[
    "code",
    "title",
    "summary",
    "severity",
    "category",
    "difficulty",
    "fixable_percent",
    "fix_minutes",
    "updated",
    "author",
    "sources",
    "aliases",
    "tags",
    "related",
    "redirect_from",
    "quick_fix",
    "causes",
    "steps",
    "verify",
    "faq",
    "draft",
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

/// Parses one entry; every problem found is pushed to `diagnostics`. Returns `None` only when
/// the file could not be understood at all.
pub fn parse(
    text: &str,
    location: &Location<'_>,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let file = location.file;
    let (front, body) = match location.format {
        Format::Yaml => (Document { file, text, first_line: 1 }, None),
        Format::Markdown => {
            let (front, body) = split_front_matter(file, text, diagnostics)?;
            (front, Some(body))
        }
    };
    let mut known: Vec<&str> = FIELDS.to_vec();
    if location.format == Format::Yaml {
        known.push("body");
    }
    let (raw, keys) = yaml::parse::<RawEntry>(front, &known, "an entry", diagnostics)?;
    let mut checker = Checker { doc: front, keys: &keys, config, diagnostics };
    let body = match body {
        Some(body) => body,
        None => Text {
            markdown: raw.body.clone().unwrap_or_default(),
            line: checker.key("body").map_or(1, |k| k.block_line),
        },
    };
    checker.build(raw, location, body)
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

    fn required<T>(&mut self, value: Option<T>, name: &str, example: &str) -> Option<T> {
        if value.is_none() {
            self.error(
                Span::new(self.doc.first_line.saturating_sub(1).max(1), 1, 0),
                format!("missing required field `{name}`"),
                format!("add `{name}: {example}`"),
            );
        }
        value
    }

    fn text(&self, name: &str, markdown: Option<String>) -> Option<Text> {
        markdown.filter(|m| !m.trim().is_empty()).map(|markdown| Text {
            markdown,
            line: self.key(name).map_or(self.doc.first_line, |k| k.block_line),
        })
    }

    fn build(&mut self, raw: RawEntry, location: &Location<'_>, body: Text) -> Option<Entry> {
        let before = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let code = self.required(raw.code.map(Scalar::into_string), "code", "\"503\"");
        let title = self.required(raw.title, "title", "HTTP 503 Service Unavailable");
        let summary = self.required(raw.summary, "summary", "one line that says what the error means");
        let severity = self.required(raw.severity, "severity", "major");
        let updated = self.required(raw.updated.map(Scalar::into_string), "updated", "2026-06-14");

        if let Some(code) = &code {
            if code.trim().is_empty() {
                self.error(
                    self.value_span("code"),
                    "`code` is empty",
                    "write the error code as it appears, for example \"503\"",
                );
            }
        }
        if let Some(title) = &title {
            self.check_length("title", title, TITLE_LIMIT);
        }
        if let Some(summary) = &summary {
            if summary.trim().contains('\n') {
                self.error(
                    self.value_span("summary"),
                    "`summary` must be one line",
                    "shorten the summary to a single sentence; the details go in `causes` or the body",
                );
            }
            self.check_length("summary", summary, SUMMARY_LIMIT);
        }
        if let Some(severity) = &severity {
            self.check_enum(
                "severity",
                severity,
                &self.config.severities.iter().map(String::as_str).collect::<Vec<_>>(),
            );
        }
        if let Some(difficulty) = &raw.difficulty {
            self.check_enum("difficulty", difficulty, &DIFFICULTIES);
        }
        let fixable_percent = raw.fixable_percent.and_then(|percent| {
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
        let fix_minutes = raw.fix_minutes.and_then(|minutes| {
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
        let updated = updated.and_then(|date| {
            let parsed = parse_date(&date);
            if parsed.is_none() {
                self.error(
                    self.value_span("updated"),
                    format!("`updated` is not a real date: \"{date}\""),
                    "write the date as YYYY-MM-DD, for example 2026-06-14",
                );
            }
            parsed
        });
        if let Some(category) = &raw.category {
            if category != location.category {
                self.error(
                    self.value_span("category"),
                    format!(
                        "`category` is \"{category}\" but the file is in the `{}` folder",
                        location.category
                    ),
                    format!("move the file to content/{category}/ or remove the `category` field"),
                );
            }
        }
        let author = match raw.author {
            None => None,
            Some(AuthorRef::Inline(author)) => Some(author),
            Some(AuthorRef::Id(id)) => {
                let found = self.config.author(&id).cloned();
                if found.is_none() {
                    let ids: Vec<&str> = self.config.authors.iter().map(|(id, _)| id.as_str()).collect();
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
        };
        let mut sources = Vec::new();
        for source in raw.sources {
            if !is_http_url(&source.url) {
                self.error(
                    self.locate("sources", &source.url),
                    format!("source URL \"{}\" is not an http(s) URL", source.url),
                    "link sources with an address starting with https:// or http://",
                );
            } else if source.title.trim().is_empty() {
                self.error(
                    self.locate("sources", &source.url),
                    "source has an empty title",
                    "give the source the title readers will recognise",
                );
            }
            sources.push(Source { title: source.title, url: source.url });
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in raw.tags {
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
        let mut related = Vec::new();
        for target in raw.related {
            related.push(Link { span: self.locate("related", &target), target });
        }
        for path in &raw.redirect_from {
            if !path.starts_with('/') {
                self.error(
                    self.locate("redirect_from", path),
                    format!("redirect path \"{path}\" must start with `/`"),
                    "write a path on this site, such as /503/",
                );
            }
        }
        let steps: Vec<Step> = raw
            .steps
            .into_iter()
            .map(|step| Step {
                title: step.title,
                body: Text { markdown: step.body, line: self.key("steps").map_or(1, |k| k.block_line) },
            })
            .collect();
        let verify_line = self.key("verify").map_or(1, |k| k.block_line);
        let verify: Vec<Text> =
            raw.verify.into_iter().map(|item| Text { markdown: item, line: verify_line }).collect();
        let faq_line = self.key("faq").map_or(1, |k| k.block_line);
        let faq: Vec<Faq> = raw
            .faq
            .into_iter()
            .map(|item| Faq { question: item.q, answer: Text { markdown: item.a, line: faq_line } })
            .collect();
        if steps.is_empty() {
            self.warning(
                Span::new(1, 1, 0),
                "the entry has no `steps`",
                "add numbered steps under `steps:` so readers know how to fix the error",
            );
        }
        if verify.is_empty() {
            self.warning(
                Span::new(1, 1, 0),
                "the entry has no `verify` checklist",
                "add checks under `verify:` so readers can confirm the fix worked",
            );
        }

        let entry = Entry {
            file: location.file.to_owned(),
            category: location.category.to_owned(),
            slug: location.slug.to_owned(),
            code: code.unwrap_or_default(),
            title: title.unwrap_or_default(),
            summary: summary.unwrap_or_default(),
            severity: severity.unwrap_or_default(),
            difficulty: raw.difficulty,
            fixable_percent,
            fix_minutes,
            updated: updated.unwrap_or_default(),
            author,
            sources,
            aliases: raw.aliases,
            tags,
            related,
            redirect_from: raw.redirect_from,
            quick_fix: self.text("quick_fix", raw.quick_fix),
            causes: self.text("causes", raw.causes),
            steps,
            verify,
            faq,
            draft: raw.draft,
            body,
            links: Vec::new(),
        };
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        (errors == before).then_some(entry)
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

    fn check_enum(&mut self, name: &str, value: &str, allowed: &[&str]) {
        if allowed.contains(&value) {
            return;
        }
        let help = match did_you_mean(value, allowed.iter().copied()) {
            Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
            None => format!("use one of: {}", allowed.join(", ")),
        };
        self.diagnostics.push(
            Diagnostic::error(self.doc.file, self.value_span(name), format!("unknown {name} \"{value}\""))
                .with_label(format!("expected one of: {}", allowed.join(", ")))
                .with_help(help),
        );
    }
}

/// A strict `YYYY-MM-DD` date that exists in the calendar.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(
            |(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            },
        );
    shape_ok.then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()
}

/// Markdown links and code fences of every Markdown field, with their place in the file;
/// also warns about code languages the highlighter does not know and leftover TODO markers.
pub fn scan_markdown(entry: &mut Entry, source: &str, diagnostics: &mut Vec<Diagnostic>) {
    let mut texts: Vec<&Text> = Vec::new();
    texts.extend(entry.quick_fix.as_ref());
    texts.extend(entry.causes.as_ref());
    texts.extend(entry.steps.iter().map(|s| &s.body));
    texts.extend(entry.verify.iter());
    texts.extend(entry.faq.iter().map(|f| &f.answer));
    texts.push(&entry.body);
    let mut links = Vec::new();
    for text in texts {
        let scan = markdown::scan(&text.markdown);
        for link in scan.links {
            links.push(Link { span: locate_from_line(source, text.line, &link), target: link });
        }
        for lang in scan.unknown_languages {
            diagnostics.push(
                Diagnostic::warning(&entry.file, locate_from_line(source, text.line, &format!("```{lang}")), format!("unknown code block language `{lang}`"))
                    .with_help("the block is shown as plain text; use a known language such as bash, console, yaml, json, sql or python, or `text`"),
            );
        }
    }
    entry.links = links;
    if let Some((index, line)) = source.lines().enumerate().find(|(_, l)| l.contains(TODO_MARKER)) {
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
}

/// The place of `needle` in `source` at or after `line`.
fn locate_from_line(source: &str, line: usize, needle: &str) -> Span {
    for (current, text) in (1..).zip(source.split_inclusive('\n')) {
        if current >= line {
            if let Some(index) = text.find(needle) {
                return Span::new(current, text[..index].chars().count() + 1, needle.chars().count());
            }
        }
    }
    Span::new(line, 1, 0)
}
