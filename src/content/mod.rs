//! The entry model: walking `content/`, reading front matter, and validating entries against
//! the site and each other. Renders nothing; every problem becomes a [`Diagnostic`].

pub mod config;
pub mod entry;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use config::{Author, CategoryConfig, SiteConfig};
pub use entry::{Format, DIFFICULTIES, TODO_MARKER};

use crate::diagnostics::{did_you_mean, display_path, Diagnostic, Span};

pub const CONTENT_DIR: &str = "content";
/// Entry files larger than this are refused: no hand-written entry gets near it, and it keeps a
/// stray log dump from slowing every build.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A Markdown field and the file line it starts on (for diagnostics).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub markdown: String,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    pub body: Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Faq {
    pub question: String,
    pub answer: Text,
}

/// A reference to another page, with where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub target: String,
    pub span: Span,
}

/// One error entry, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the site root, e.g. `content/http/503.md`.
    pub file: String,
    pub category: String,
    pub slug: String,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub severity: String,
    pub difficulty: Option<String>,
    pub fixable_percent: Option<u8>,
    pub fix_minutes: Option<u32>,
    pub updated: NaiveDate,
    pub author: Option<Author>,
    pub sources: Vec<Source>,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// `category/slug` of related entries, as written.
    pub related: Vec<Link>,
    pub redirect_from: Vec<String>,
    pub quick_fix: Option<Text>,
    pub causes: Option<Text>,
    pub steps: Vec<Step>,
    pub verify: Vec<Text>,
    pub faq: Vec<Faq>,
    pub draft: bool,
    pub body: Text,
    /// Site-absolute links (`/http/502/`) found in the entry's Markdown.
    pub links: Vec<Link>,
}

impl Entry {
    /// `http/503`: how other entries refer to this one.
    pub fn id(&self) -> String {
        format!("{}/{}", self.category, self.slug)
    }
}

/// Everything `content/` holds, validated. Entries are sorted by category, then slug.
#[derive(Debug)]
pub struct Content {
    pub config: SiteConfig,
    pub entries: Vec<Entry>,
}

/// `[a-z0-9._-]+`: what category folders and slugs may be named.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

/// The URL form of a tag: `Load Balancer` → `load-balancer`.
pub fn tag_slug(tag: &str) -> String {
    let mut slug = String::new();
    for c in tag.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// One file found under `content/`.
struct Found {
    path: PathBuf,
    display: String,
    category: String,
    slug: String,
    format: Format,
}

/// What loading needs to know beyond the files.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// Reads `site.yaml` and every entry, validating each and all of them together.
/// Plumbing failures (an unreadable folder) are `Err`; content problems are diagnostics.
pub fn load(
    root: &Path,
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> anyhow::Result<Option<Content>> {
    let site_file = root.join(config::SITE_FILE);
    if !site_file.is_file() {
        anyhow::bail!(
            "no `site.yaml` in `{}`; run errorbook in a site's folder, pass --root, or create one with `errorbook init`",
            root.display()
        );
    }
    let site_text = read_text(root, &site_file, diagnostics)?;
    let config = site_text.and_then(|text| config::parse(&text, diagnostics));

    let found = walk(root, diagnostics)?;
    let Some(config) = config else {
        return Ok(None);
    };

    let parsed: Vec<Option<Entry>> = {
        use rayon::prelude::*;
        let results: Vec<(Option<Entry>, Vec<Diagnostic>)> = found
            .par_iter()
            .map(|f| {
                let mut local = Vec::new();
                let entry = read_entry(root, f, &config, &mut local);
                (entry, local)
            })
            .collect();
        results
            .into_iter()
            .map(|(entry, local)| {
                diagnostics.extend(local);
                entry
            })
            .collect()
    };
    let mut entries: Vec<Entry> = parsed.into_iter().flatten().collect();
    entries.retain(|e| options.drafts || !e.draft);
    entries.sort_by(|a, b| (&a.category, &a.slug, &a.file).cmp(&(&b.category, &b.slug, &b.file)));
    validate_together(&entries, diagnostics);
    Ok(Some(Content { config, entries }))
}

fn read_entry(
    root: &Path,
    found: &Found,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let text = match read_text(root, &found.path, diagnostics) {
        Ok(Some(text)) => text,
        Ok(None) => return None,
        Err(error) => {
            diagnostics.push(Diagnostic::error(&found.display, Span::file_start(), format!("{error:#}")));
            return None;
        }
    };
    let location = entry::Location {
        file: &found.display,
        category: &found.category,
        slug: &found.slug,
        format: found.format,
    };
    let mut parsed = entry::parse(&text, &location, config, diagnostics)?;
    entry::scan_markdown(&mut parsed, &text, diagnostics);
    Some(parsed)
}

/// Reads a file as UTF-8 text, refusing oversized files and invalid bytes with a diagnostic.
fn read_text(root: &Path, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> anyhow::Result<Option<String>> {
    let display = display_path(root, path);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        diagnostics.push(
            Diagnostic::error(
                display,
                Span::file_start(),
                format!("file is {size} bytes, over the limit of 1 MiB"),
            )
            .with_help("split the entry, or move long logs out of it"),
        );
        return Ok(None);
    }
    let bytes = crate::fs::read(path)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(error) => {
            let bytes = error.as_bytes();
            let offset = error.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&bytes[..offset]);
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            diagnostics.push(
                Diagnostic::error(
                    display,
                    Span::new(line, column, 0),
                    format!("file is not valid UTF-8 (invalid byte at offset {offset})"),
                )
                .with_help("save the file as UTF-8"),
            );
            Ok(None)
        }
    }
}

/// Every entry file under `content/`, sorted by path. Files in the wrong place and names
/// outside `[a-z0-9._-]` are reported; symbolic links leading out of the site are refused.
fn walk(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> anyhow::Result<Vec<Found>> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::warning(CONTENT_DIR, Span::file_start(), "the site has no `content` folder")
                .with_help("create content/<category>/<slug>.md, for example with `errorbook new http/503`"),
        );
        return Ok(Vec::new());
    }
    let canonical_root = std::fs::canonicalize(root)
        .map_err(|e| anyhow::anyhow!("failed to resolve `{}`: {e}", root.display()))?;
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for item in walker {
        let item = item.map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", content.display()))?;
        let path = item.path().to_path_buf();
        let display = display_path(root, &path);
        let depth = item.depth();
        let mut is_file = item.file_type().is_file();
        if item.path_is_symlink() {
            match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(&canonical_root) => is_file = target.is_file(),
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            display,
                            Span::file_start(),
                            "symbolic link leads outside the site root",
                        )
                        .with_help("copy the file into the site instead of linking to it"),
                    );
                    continue;
                }
            }
        }
        if depth == 1 && item.file_type().is_dir() {
            let name = item.file_name().to_string_lossy();
            if !is_valid_name(&name) {
                diagnostics.push(
                    Diagnostic::error(
                        display,
                        Span::file_start(),
                        format!("category folder `{name}` has characters outside a-z, 0-9, `.`, `_`, `-`"),
                    )
                    .with_help(format!("rename the folder to `{}`", suggest_name(&name))),
                );
            }
            continue;
        }
        if !is_file {
            if depth > 1 {
                diagnostics.push(
                    Diagnostic::error(display, Span::file_start(), "folders inside a category are not read")
                        .with_help("keep entries directly in content/<category>/"),
                );
            }
            continue;
        }
        let name = item.file_name().to_string_lossy().into_owned();
        let (stem, format) = match name.rsplit_once('.') {
            Some((stem, "md")) => (stem, Format::Markdown),
            Some((stem, "yaml")) => (stem, Format::Yaml),
            Some((_, "yml")) => {
                diagnostics.push(
                    Diagnostic::warning(
                        display,
                        Span::file_start(),
                        "file ignored: entries in YAML use the `.yaml` extension",
                    )
                    .with_help("rename the file to end in `.yaml`"),
                );
                continue;
            }
            _ => {
                diagnostics.push(
                    Diagnostic::warning(
                        display,
                        Span::file_start(),
                        "file ignored: entries are `.md` or `.yaml` files",
                    )
                    .with_help("move files that are not entries out of content/"),
                );
                continue;
            }
        };
        if depth != 2 {
            diagnostics.push(
                Diagnostic::error(display, Span::file_start(), "entry is not inside a category folder")
                    .with_help("move it to content/<category>/<slug>.md"),
            );
            continue;
        }
        let category = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !is_valid_name(&category) {
            continue; // reported with the folder
        }
        if !is_valid_name(stem) {
            diagnostics.push(
                Diagnostic::error(
                    &display,
                    Span::file_start(),
                    format!("slug `{stem}` has characters outside a-z, 0-9, `.`, `_`, `-`"),
                )
                .with_help(format!(
                    "rename the file to `{}.{}`",
                    suggest_name(stem),
                    if format == Format::Yaml { "yaml" } else { "md" }
                )),
            );
            continue;
        }
        found.push(Found { path, display, category, slug: stem.to_owned(), format });
    }
    // `500.md` and `500.yaml` would publish the same page.
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    found.retain(|f| match seen.get(&(f.category.clone(), f.slug.clone())) {
        Some(first) => {
            diagnostics.push(
                Diagnostic::error(
                    &f.display,
                    Span::file_start(),
                    format!("duplicate slug `{}/{}`: {first} has the same name", f.category, f.slug),
                )
                .with_help("keep one of the two files"),
            );
            false
        }
        None => {
            seen.insert((f.category.clone(), f.slug.clone()), f.display.clone());
            true
        }
    });
    Ok(found)
}

fn suggest_name(name: &str) -> String {
    let slug = tag_slug(name);
    if slug.is_empty() {
        "a-name".to_owned()
    } else {
        slug
    }
}

/// The site paths every page of the site will have, for checking links.
pub fn page_paths(entries: &[Entry]) -> BTreeSet<String> {
    let mut paths = BTreeSet::from(["/".to_owned(), "/search/".to_owned(), "/tags/".to_owned()]);
    for entry in entries {
        paths.insert(format!("/{}/", entry.category));
        paths.insert(format!("/{}/{}/", entry.category, entry.slug));
        for tag in &entry.tags {
            paths.insert(format!("/tags/{}/", tag_slug(tag)));
        }
    }
    paths
}

/// Checks that need every entry: duplicate codes, related entries, and links.
fn validate_together(entries: &[Entry], diagnostics: &mut Vec<Diagnostic>) {
    let ids: BTreeSet<String> = entries.iter().map(Entry::id).collect();
    let mut codes: BTreeMap<(&str, String), &Entry> = BTreeMap::new();
    for entry in entries {
        let key = (entry.category.as_str(), entry.code.to_lowercase());
        if let Some(first) = codes.get(&key) {
            diagnostics.push(
                Diagnostic::error(
                    &entry.file,
                    Span::file_start(),
                    format!(
                        "duplicate code \"{}\" in category `{}`: {} has it too",
                        entry.code, entry.category, first.file
                    ),
                )
                .with_help("merge the two entries, or give this one its own code"),
            );
        } else {
            codes.insert(key, entry);
        }
    }
    let paths = page_paths(entries);
    for entry in entries {
        for related in &entry.related {
            if related.target == entry.id() {
                diagnostics.push(
                    Diagnostic::error(&entry.file, related.span, "an entry cannot be related to itself")
                        .with_help("remove it from `related`"),
                );
            } else if !ids.contains(&related.target) {
                let help = match did_you_mean(&related.target, ids.iter().map(String::as_str)) {
                    Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
                    None => "write related entries as `category/slug` of an existing entry".to_owned(),
                };
                diagnostics.push(
                    Diagnostic::error(
                        &entry.file,
                        related.span,
                        format!("related entry \"{}\" does not exist", related.target),
                    )
                    .with_help(help),
                );
            }
        }
        for link in &entry.links {
            let path = link.target.split(['#', '?']).next().unwrap_or("");
            let normalized =
                if path.ends_with('/') || path.contains('.') { path.to_owned() } else { format!("{path}/") };
            if normalized.ends_with("/index.html") || paths.contains(&normalized) {
                continue;
            }
            let help = match did_you_mean(&normalized, paths.iter().map(String::as_str)) {
                Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
                None => "link to an entry as /<category>/<slug>/".to_owned(),
            };
            diagnostics.push(
                Diagnostic::error(
                    &entry.file,
                    link.span,
                    format!("link to \"{}\" does not match any page", link.target),
                )
                .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name("http"));
        assert!(is_valid_name("too-many_connections.v2"));
        assert!(!is_valid_name("HTTP"));
        assert!(!is_valid_name("a b"));
        assert!(!is_valid_name(".."));
        assert!(!is_valid_name(""));
    }

    #[test]
    fn tag_slugs() {
        assert_eq!(tag_slug("Load Balancer"), "load-balancer");
        assert_eq!(tag_slug("nginx"), "nginx");
        assert_eq!(tag_slug("C++ / Rust"), "c-rust");
        assert_eq!(tag_slug("!!!"), "");
    }
}
