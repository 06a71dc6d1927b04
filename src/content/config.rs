//! `site.yaml`: the site's settings.

use serde::Deserialize;

use crate::diagnostics::did_you_mean;
use crate::diagnostics::{Diagnostic, Explanation, Span};
use crate::url_policy::{self, Kind};
use crate::yaml::{self, Document, Field};

pub const SITE_FILE: &str = "site.yaml";
/// The address `errorbook init` writes into site.yaml; `build` warns while it is still there.
pub const SCAFFOLD_BASE_URL: &str = "https://kb.example.com/";
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

/// `feed:` — the Atom feed (docs/publishing.md).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// How many of the most recently updated entries the feed lists.
    pub entries: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { entries: 20 }
    }
}

/// `structured_data:` — the optional JSON-LD types (docs/publishing.md). Both are off by default:
/// search engines no longer show FAQ and HowTo results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StructuredData {
    /// `FAQPage` from an entry's `faq`.
    pub faq: bool,
    /// `HowTo` from an entry's `steps`.
    pub howto: bool,
}

/// `organization:` — who publishes the site, for structured data. Defaults to the site's title
/// and `base_url`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    /// An absolute URL, or a path on the site such as `/assets/logo.png`.
    #[serde(default)]
    pub logo: Option<String>,
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
    feed: FeedConfig,
    structured_data: StructuredData,
    short_links: bool,
    organization: Option<Organization>,
    snippets: serde_yaml::Value,
    review_every: Option<i64>,
    checklist_hours: Option<i64>,
}

const fn field(name: &'static str, expects: &'static str, help: &'static str) -> Field {
    Field { name, expects, help }
}

const KNOWN: &[Field] = &[
    field("title", "text", "write it like `title: Example Error KB`"),
    field("base_url", "text", "write it like `base_url: https://example.org/kb/`"),
    field("description", "text", "write it like `description: Fixes for the errors our services raise.`"),
    field("language", "text", "write it like `language: en`"),
    field("disclosure", "Markdown text", "write `disclosure: |` and the Markdown on indented lines below it"),
    field(
        "authors",
        "a mapping of author ids",
        "write one author per line, indented under `authors:`, like `jdoe: { name: Jane Doe, role: Curator }`",
    ),
    field(
        "categories",
        "a mapping of category ids",
        "write one category per line, indented under `categories:`, like `http: { name: HTTP, description: … }`",
    ),
    field("severities", "a list of text", "write it like `severities: [blocker, critical, major, minor, info]`"),
    field("feed", "a mapping", "write it like `feed: { entries: 20 }`"),
    field("structured_data", "a mapping of true/false", "write it like `structured_data: { faq: false, howto: false }`"),
    field("short_links", "true or false", "write it like `short_links: true`"),
    field("organization", "a mapping", "write it like `organization: { name: Example Inc., url: https://example.org/ }`"),
    field("review_every", "a whole number of days", "write it like `review_every: 365`"),
    field("checklist_hours", "a whole number of hours", "write it like `checklist_hours: 24`"),
    field("snippets", "a mapping", "write it like `snippets: { destructive: [{ pattern: \"helm uninstall\", reason: \"removes a release\" }] }`"),
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// Where `base_url` is written in site.yaml.
    pub base_url_span: Span,
    pub description: String,
    pub language: String,
    pub disclosure: String,
    /// Sorted by id.
    pub authors: Vec<SiteAuthor>,
    /// In the order of `site.yaml`.
    pub categories: Vec<SiteCategory>,
    pub severities: Vec<String>,
    pub feed: FeedConfig,
    pub structured_data: StructuredData,
    /// `/503/` leads to `/http/503/` for every code that only one entry has.
    pub short_links: bool,
    pub organization: Option<Organization>,
    /// `snippets:`: the site's own destructive-command rules (docs/snippets.md).
    pub snippets: crate::snippets::Settings,
    /// Days after `reviewed` that an entry is overdue for review.
    pub review_every: u32,
    /// Hours a reader's ticks on a verification checklist are kept; older ones are cleared
    /// when the page loads.
    pub checklist_hours: u32,
}

/// An author of `authors:` in site.yaml, with the id entries name it by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteAuthor {
    pub id: String,
    pub author: Author,
}

/// A category of `categories:` in site.yaml, with its id (the name of its folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteCategory {
    pub id: String,
    pub category: CategoryConfig,
}

impl SiteConfig {
    pub fn author(&self, id: &str) -> Option<&Author> {
        self.authors.iter().find(|a| a.id == id).map(|a| &a.author)
    }

    pub fn category(&self, id: &str) -> Option<&CategoryConfig> {
        self.categories.iter().find(|c| c.id == id).map(|c| &c.category)
    }

    /// The path part of `base_url`: `/` or `/kb/`.
    pub fn base_path(&self) -> &str {
        base_path(&self.base_url)
    }
}

/// The hours checklist ticks are kept when site.yaml does not say (`checklist_hours`).
pub const DEFAULT_CHECKLIST_HOURS: u32 = 24;

/// The path of an absolute URL, always starting and ending with `/`.
pub fn base_path(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    url[after_scheme..].find('/').map_or("/", |i| &url[after_scheme + i..])
}

/// Adds the trailing slash a base URL needs for joining.
pub fn normalize_base_url(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

/// What is wrong with a URL of site.yaml or of an entry's fields that goes into a page as it
/// is, by [`url_policy::check`]: the message (naming the URL as `what`) and the help.
pub fn url_problem(what: &str, url: &str) -> Option<Explanation> {
    let refusal = url_policy::check(url).err()?;
    Some(Explanation {
        message: format!("{what} \"{}\" {}", url_policy::shown(url), refusal.problem()),
        help: refusal.help(),
    })
}

/// Parses `site.yaml`; returns `None` when it has errors (all of them reported).
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<SiteConfig> {
    let doc = Document { file: SITE_FILE, text, first_line: 1 };
    let errors = |d: &Vec<Diagnostic>| d.iter().filter(|d| d.is_error()).count();
    let before = errors(diagnostics);
    let parsed = yaml::parse::<RawConfig>(doc, KNOWN, "site.yaml", diagnostics)?;
    let (raw, keys) = (parsed.value, parsed.keys);
    let key = |name: &str| keys.iter().find(|k| k.name == name);
    let value_span = |name: &str| key(name).map_or(Span::file_start(), |k| k.value);

    let required = [
        ("title", raw.title.is_some(), "Example Error KB"),
        ("base_url", raw.base_url.is_some(), "https://example.org/"),
    ];
    for (name, present, example) in required {
        // A field that could not be read is already reported.
        if !present && !parsed.dropped.iter().any(|d| d == name) {
            diagnostics.push(
                Diagnostic::error(SITE_FILE, Span::file_start(), format!("missing required field `{name}`"))
                    .with_help(format!("add `{name}: {example}` to site.yaml")),
            );
        }
    }
    let base_url = normalize_base_url(raw.base_url.as_deref().unwrap_or("/"));
    if let Some(url) = raw.base_url.as_deref() {
        check_base_url(url, value_span("base_url"), diagnostics);
    }
    let authors = authors(&raw.authors, doc, key("authors"), diagnostics);
    let categories =
        typed_map::<CategoryConfig>(&raw.categories, doc, key("categories"), "category", diagnostics)
            .into_iter()
            .map(|(id, category)| SiteCategory { id, category })
            .collect();
    check_category_ids(&raw.categories, doc, key("categories"), diagnostics);
    let severities =
        raw.severities.unwrap_or_else(|| DEFAULT_SEVERITIES.iter().map(|s| (*s).to_owned()).collect());
    if severities.is_empty() {
        diagnostics.push(
            Diagnostic::error(SITE_FILE, value_span("severities"), "`severities` is empty")
                .with_help("list at least one severity, or remove the field to use the default list"),
        );
    }

    if raw.feed.entries == 0 {
        diagnostics.push(
            Diagnostic::error(SITE_FILE, value_span("feed"), "`feed.entries` must be at least 1")
                .with_help("write how many recent entries the feed lists, like `feed: { entries: 20 }`"),
        );
    }
    let organization = raw.organization.as_ref();
    if let Some(url) = organization.and_then(|o| o.url.as_deref()) {
        check_organization_url(url, yaml::locate(doc, key("organization"), url), diagnostics);
    }
    if let Some(logo) = organization.and_then(|o| o.logo.as_deref()) {
        check_organization_logo(logo, yaml::locate(doc, key("organization"), logo), diagnostics);
    }
    check_disclosure(doc, key("disclosure"), &raw.disclosure, diagnostics);

    let snippets = crate::snippets::settings::parse(&raw.snippets, doc, key("snippets"), diagnostics);
    let review_every = REVIEW_EVERY.read(raw.review_every, value_span("review_every"), diagnostics);
    let checklist_hours =
        CHECKLIST_HOURS.read(raw.checklist_hours, value_span("checklist_hours"), diagnostics);

    (errors(diagnostics) == before).then(|| SiteConfig {
        title: raw.title.unwrap_or_default(),
        base_url,
        base_url_span: value_span("base_url"),
        description: raw.description,
        language: raw.language.unwrap_or_else(|| "en".to_owned()),
        disclosure: raw.disclosure,
        authors,
        categories,
        severities,
        feed: raw.feed,
        structured_data: raw.structured_data,
        short_links: raw.short_links,
        organization: raw.organization,
        snippets,
        review_every,
        checklist_hours,
    })
}

/// `base_url` must be an absolute http(s) URL that links can be joined to.
fn check_base_url(url: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) {
    let Err(refusal) = url_policy::base_url(url) else { return };
    let diagnostic = match refusal {
        url_policy::Refusal::NotAbsolute => {
            Diagnostic::error(SITE_FILE, span, "`base_url` must be an absolute http or https URL")
                .with_label("not an http(s) URL")
        }
        _ => Diagnostic::error(SITE_FILE, span, format!("`base_url` {}", refusal.problem())),
    };
    diagnostics.push(diagnostic.with_help(refusal.help()));
}

/// `authors`, sorted by id; an author's URL goes into pages as it is, so it must pass the URL rules.
fn authors(
    mapping: &serde_yaml::Mapping,
    doc: Document<'_>,
    key: Option<&yaml::Key>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<SiteAuthor> {
    let mut authors = typed_map::<Author>(mapping, doc, key, "author", diagnostics);
    for (id, author) in &authors {
        let Some(url) = author.url.as_deref() else { continue };
        if let Some(Explanation { message, help }) = url_problem(&format!("URL of author `{id}`"), url) {
            let at_id = yaml::locate_child(doc, key, id);
            let mut span = yaml::locate_after(doc, at_id, url);
            if span == at_id {
                // Written with escapes: point at the field instead.
                span = yaml::locate_after(doc, at_id, "url:");
                span.len = span.len.min(3);
            }
            diagnostics.push(Diagnostic::error(SITE_FILE, span, message).with_help(help));
        }
    }
    authors.sort_by(|a, b| a.0.cmp(&b.0));
    authors.into_iter().map(|(id, author)| SiteAuthor { id, author }).collect()
}

/// A category id is the name of its folder under content/, so it follows the rules of names.
fn check_category_ids(
    mapping: &serde_yaml::Mapping,
    doc: Document<'_>,
    key: Option<&yaml::Key>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for id in mapping.keys().filter_map(serde_yaml::Value::as_str) {
        if !super::is_valid_name(id) {
            diagnostics.push(
                Diagnostic::error(
                    SITE_FILE,
                    yaml::locate_child(doc, key, id),
                    format!("category id `{id}` has characters outside a-z, 0-9, `.`, `_`, `-`"),
                )
                .with_help(format!(
                    "a category id is the name of its folder under content/; rename it to `{}`",
                    super::suggest_name(id)
                )),
            );
        }
    }
}

/// `organization.url` goes into structured data as the publisher's address: an http(s) URL.
fn check_organization_url(url: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) {
    match url_policy::check(url) {
        Ok(Kind::Web) => {}
        Err(
            refusal @ (url_policy::Refusal::Invisible(_)
            | url_policy::Refusal::UserInfo
            | url_policy::Refusal::BadHost(_)
            | url_policy::Refusal::BadPort(_)),
        ) => diagnostics.push(
            Diagnostic::error(
                SITE_FILE,
                span,
                format!("`organization.url` \"{}\" {}", url_policy::shown(url), refusal.problem()),
            )
            .with_help(refusal.help()),
        ),
        _ => diagnostics.push(
            Diagnostic::error(SITE_FILE, span, "`organization.url` must be an absolute http or https URL")
                .with_help("write the organization's address, for example `https://example.org/`"),
        ),
    }
}

/// `organization.logo`: an http(s) URL or a path from the root of the site.
fn check_organization_logo(logo: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) {
    match url_policy::check(logo) {
        Ok(Kind::Web) => {}
        Ok(Kind::Relative) if logo.starts_with('/') => {}
        Err(refusal) => diagnostics.push(
            Diagnostic::error(
                SITE_FILE,
                span,
                format!("`organization.logo` \"{}\" {}", url_policy::shown(logo), refusal.problem()),
            )
            .with_help(refusal.help()),
        ),
        Ok(_) => diagnostics.push(
            Diagnostic::error(
                SITE_FILE,
                span,
                format!(
                    "`organization.logo` \"{}\" is neither an http(s) URL nor a path on the site",
                    url_policy::shown(logo)
                ),
            )
            .with_help(
                "write an https:// address, or a path from the root of the site such as /assets/logo.png",
            ),
        ),
    }
}

/// A setting that is a whole number within bounds, with its default and how to write it.
struct Bounded {
    name: &'static str,
    range: std::ops::RangeInclusive<u32>,
    default: u32,
    help: &'static str,
}

const REVIEW_EVERY: Bounded = Bounded {
    name: "review_every",
    range: 1..=36_500,
    default: super::review::DEFAULT_REVIEW_DAYS,
    help: "give the days an entry may go unreviewed, from 1 to 36500, such as `review_every: 365`",
};

const CHECKLIST_HOURS: Bounded = Bounded {
    name: "checklist_hours",
    range: 1..=8_760,
    default: DEFAULT_CHECKLIST_HOURS,
    help: "give the hours a reader's checklist ticks are kept, from 1 to 8760, such as `checklist_hours: 24`",
};

impl Bounded {
    /// The value as written, or the default when it is not written or out of bounds (reported).
    fn read(&self, value: Option<i64>, span: Span, diagnostics: &mut Vec<Diagnostic>) -> u32 {
        let Some(value) = value else { return self.default };
        u32::try_from(value).ok().filter(|v| self.range.contains(v)).unwrap_or_else(|| {
            diagnostics.push(
                Diagnostic::error(SITE_FILE, span, format!("`{}` is {value}", self.name))
                    .with_help(self.help),
            );
            self.default
        })
    }
}

/// A warning while `base_url` is still the address the scaffold wrote: every link, the sitemap
/// and the feed would point at a site that is not there.
pub fn scaffold_base_url_warning(config: &SiteConfig) -> Option<Diagnostic> {
    (config.base_url == SCAFFOLD_BASE_URL).then(|| {
        Diagnostic::warning(SITE_FILE, config.base_url_span, "`base_url` is still the example address of a new site")
            .with_label("not where the site is published")
            .with_help("write the address readers will open, such as `base_url: https://errors.example.org/`, or build with --base-url")
    })
}

/// The URLs of `disclosure`, which every entry page shows, go by the rule of entries' Markdown.
fn check_disclosure(
    doc: Document<'_>,
    key: Option<&yaml::Key>,
    markdown: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if markdown.is_empty() {
        return;
    }
    let text = super::Text { markdown: markdown.to_owned(), line: key.map_or(1, |k| k.block_line) };
    let scan = crate::markdown::scan(markdown);
    let mut places = super::places::Places::new(doc.text);
    super::places::check_markdown_urls(SITE_FILE, &text, &scan, &mut places, diagnostics);
}

/// Reads an `id: { fields }` mapping, keeping its order; every bad item is reported and left out.
fn typed_map<T: serde::de::DeserializeOwned>(
    mapping: &serde_yaml::Mapping,
    doc: Document<'_>,
    key: Option<&yaml::Key>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, T)> {
    let mut items = Vec::new();
    for (id, value) in mapping {
        let id = match id {
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
        };
        let error = match serde_yaml::from_value::<T>(value.clone()) {
            Ok(item) => {
                items.push((id, item));
                continue;
            }
            Err(error) => error.to_string(),
        };
        let at_id = yaml::locate_child(doc, key, &id);
        let names = yaml::backticked(&error);
        let example = match value {
            serde_yaml::Value::String(name) => format!("{id}: {{ name: {name} }}"),
            _ => format!("{id}: {{ name: … }}"),
        };
        let (span, message, help) = if error.starts_with("unknown field") {
            let unknown = names.first().copied().unwrap_or("?");
            let allowed = &names[1.min(names.len())..];
            let help = match did_you_mean(unknown, allowed.iter().copied()) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!("remove it; the fields of {what} are: {}", allowed.join(", ")),
            };
            (
                yaml::locate_after(doc, at_id, unknown),
                format!("unknown field `{unknown}` in {what} `{id}`"),
                help,
            )
        } else if error.starts_with("missing field") {
            let missing = names.first().copied().unwrap_or("?");
            (
                at_id,
                format!("{what} `{id}` has no `{missing}`"),
                format!("add `{missing}: …`, like `{example}`"),
            )
        } else {
            let found = yaml::kind_of(value);
            let found = match value {
                serde_yaml::Value::String(text) => format!("\"{text}\""),
                _ => found.to_owned(),
            };
            (
                at_id,
                format!("{what} `{id}` must be a mapping of fields, found {found}"),
                format!("write it like `{example}`"),
            )
        };
        diagnostics.push(Diagnostic::error(SITE_FILE, span, message).with_help(help));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounded_settings_are_fields() {
        for bounded in [REVIEW_EVERY, CHECKLIST_HOURS] {
            assert!(KNOWN.iter().any(|f| f.name == bounded.name), "{} is not in KNOWN", bounded.name);
        }
    }

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
        let ids: Vec<_> = config.categories.iter().map(|c| c.id.as_str()).collect();
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
    fn checklist_hours_default_to_a_day_and_stay_in_range() {
        let mut diagnostics = Vec::new();
        let config = parse("title: KB\nbase_url: https://e.org/\n", &mut diagnostics).unwrap();
        assert_eq!(config.checklist_hours, 24);
        let config =
            parse("title: KB\nbase_url: https://e.org/\nchecklist_hours: 2\n", &mut diagnostics).unwrap();
        assert_eq!(config.checklist_hours, 2);
        check_errors(
            "title: KB\nbase_url: https://e.org/\nchecklist_hours: 0\n",
            &["3:18: `checklist_hours` is 0"],
        );
        check_errors(
            "title: KB\nbase_url: https://e.org/\nchecklist_hours: 9000\n",
            &["3:18: `checklist_hours` is 9000"],
        );
    }

    #[test]
    fn a_base_url_must_be_able_to_be_a_base() {
        for (url, message) in [
            ("https://e.org/kb/?x=1#y", "`base_url` has a query (`?…`)"),
            ("https://e.org/kb/#y", "`base_url` has a fragment (`#…`)"),
            ("\"https://e.org/k b/\"", "`base_url` has a space in it"),
            ("https://e.org/kb/../x/", "`base_url` has a `.` or `..` path segment"),
            ("https://e.org:99999/", "`base_url` has an invalid port `99999`"),
            ("https://u:p@e.org/", "`base_url` has a user name or password before the host"),
            ("/kb/", "`base_url` must be an absolute http or https URL"),
        ] {
            check_errors(&format!("title: KB\nbase_url: {url}\n"), &[&format!("2:11: {message}")]);
        }
        for url in ["https://e.org", "https://e.org/kb", "https://e.org/kb/", "http://[::1]:8080/x/"] {
            check_errors(&format!("title: KB\nbase_url: {url}\n"), &[]);
        }
    }

    #[test]
    fn urls_of_authors_and_the_organization_follow_the_url_rule() {
        check_errors(
            "title: KB\nbase_url: https://e.org/\nauthors:\n  a: { name: A, url: \"javascript:x\" }\n  b: { name: B, url: /people/b/ }\n  c: { name: C, url: \"mailto:c@e.org\" }\norganization: { name: O, url: \"https://e.org/\", logo: logo.png }\ndisclosure: |\n  [x](data:text/html,x)\n",
            &[
                "4:23: URL of author `a` \"javascript:x\" uses the `javascript:` scheme",
                "7:55: `organization.logo` \"logo.png\" is neither an http(s) URL nor a path on the site",
                "9:7: link URL \"data:text/html,x\" uses the `data:` scheme",
            ],
        );
    }

    #[test]
    fn the_scaffold_address_is_flagged_for_builds() {
        let scaffold = include_str!("../cmd/scaffold/site.yaml");
        assert!(
            scaffold.contains(&format!("base_url: {SCAFFOLD_BASE_URL}\n")),
            "the scaffold writes the address"
        );
        let config = parse(scaffold, &mut Vec::new()).unwrap();
        let warning = scaffold_base_url_warning(&config).expect("a warning");
        assert_eq!(warning.span, Span::new(3, 11, SCAFFOLD_BASE_URL.len()));
        assert_eq!(warning.message, "`base_url` is still the example address of a new site");
        let config = parse("title: T\nbase_url: https://example.org/\n", &mut Vec::new()).unwrap();
        assert!(scaffold_base_url_warning(&config).is_none());
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://e.org/"), "/");
        assert_eq!(base_path("https://e.org/a/b/"), "/a/b/");
        assert_eq!(base_path("https://e.org"), "/");
    }
}
