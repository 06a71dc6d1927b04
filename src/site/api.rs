//! The knowledge base as data: `api/entries.json` (every entry's metadata and URLs),
//! `api/<category>/<slug>.json` (one whole entry: fields, their Markdown and their plain text) and the
//! JSON Schema of both (`api/entries.schema.json`, `api/entry.schema.json`).
//!
//! The types below are a public contract, documented in docs/api.md. Adding a field keeps
//! [`SCHEMA_VERSION`]; removing or changing one raises it.

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Sink, Site};
use crate::content::{Difficulty, Entry, EntryId, SiteConfig, Text};
use crate::markdown::text::readable_text;
use crate::markdown::vars::fill_markdown;
use crate::markdown::Heading;

/// The version of the API's shape; every document carries it as `schema_version`.
/// Version 2 gives each field's plain `text` in place of its rendered `html`.
pub const SCHEMA_VERSION: u32 = 2;

const ENTRIES_SCHEMA: &str = include_str!("schema/entries.schema.json");
const ENTRY_SCHEMA: &str = include_str!("schema/entry.schema.json");

#[derive(Serialize)]
struct SiteRef<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct CategoryRef<'a> {
    id: &'a str,
    name: String,
}

/// An entry as `entries.json` lists it.
#[derive(Serialize)]
struct Summary<'a> {
    id: EntryId,
    category: CategoryRef<'a>,
    slug: &'a str,
    code: &'a str,
    title: &'a str,
    summary: &'a str,
    severity: &'a str,
    difficulty: Option<Difficulty>,
    fixable_percent: Option<u8>,
    fix_minutes: Option<u32>,
    updated: String,
    reviewed: Option<String>,
    status: &'static str,
    replaced_by: Option<&'a str>,
    /// Product → version range.
    applies_to: BTreeMap<&'a str, &'a str>,
    tags: &'a [String],
    aliases: &'a [String],
    /// The entry's page.
    url: String,
    /// This entry's document in the API.
    api_url: String,
}

#[derive(Serialize)]
struct Index<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    schema_version: u32,
    site: SiteRef<'a>,
    count: usize,
    entries: Vec<Summary<'a>>,
}

/// A Markdown field: as written (placeholders filled in) and as plain text.
#[derive(Serialize)]
struct Field {
    markdown: String,
    text: String,
}

impl Field {
    fn new(markdown: String) -> Field {
        let text = readable_text(&markdown);
        Field { markdown, text }
    }
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    role: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Source<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Related<'a> {
    id: EntryId,
    code: &'a str,
    title: &'a str,
    url: String,
    api_url: String,
}

#[derive(Serialize)]
struct Step<'a> {
    number: usize,
    title: &'a str,
    #[serde(flatten)]
    field: Field,
}

#[derive(Serialize)]
struct Check {
    id: String,
    #[serde(flatten)]
    field: Field,
}

#[derive(Serialize)]
struct Faq<'a> {
    id: String,
    question: &'a str,
    #[serde(flatten)]
    field: Field,
}

#[derive(Serialize)]
struct Section {
    id: String,
    title: String,
}

#[derive(Serialize)]
struct Body {
    #[serde(flatten)]
    field: Field,
    toc: Vec<Section>,
}

/// One whole entry.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    schema_version: u32,
    #[serde(flatten)]
    summary: Summary<'a>,
    file: &'a str,
    author: Option<Author<'a>>,
    sources: Vec<Source<'a>>,
    related: Vec<Related<'a>>,
    redirect_from: Vec<&'a str>,
    quick_fix: Option<Field>,
    causes: Option<Field>,
    steps: Vec<Step<'a>>,
    verify: Vec<Check>,
    faq: Vec<Faq<'a>>,
    /// Placeholder → default: the placeholders of the entry's code, which `markdown` and
    /// `text` show filled in.
    vars: BTreeMap<&'a str, &'a str>,
    body: Body,
}

/// Writes the index and the two schemas; rendering an entry's page writes its document.
pub(super) fn write(site: &Site, sink: &dyn Sink, parts: Option<&IndexParts>) -> Result<()> {
    let config = &site.content.config;
    let entries = &site.content.entries;
    let json = match parts {
        Some(parts) if !entries.is_empty() => {
            parts.index(config, &Index::head(config, entries.len()), entries)
        }
        _ => whole_index(config, entries),
    };
    sink.put_owned("api/entries.json", json)?;
    sink.put("api/entries.schema.json", &schema(config, ENTRIES_SCHEMA, "api/entries.schema.json"))?;
    sink.put("api/entry.schema.json", &schema(config, ENTRY_SCHEMA, "api/entry.schema.json"))
}

impl<'a> Index<'a> {
    /// The index without its entries.
    fn head(config: &'a SiteConfig, count: usize) -> Index<'a> {
        Index {
            schema: format!("{}api/entries.schema.json", config.base_url),
            schema_version: SCHEMA_VERSION,
            site: SiteRef {
                title: &config.title,
                description: &config.description,
                language: &config.language,
                base_url: &config.base_url,
            },
            count,
            entries: Vec::new(),
        }
    }
}

/// `entries.json`, written whole.
fn whole_index(config: &SiteConfig, entries: &[Arc<Entry>]) -> Vec<u8> {
    let mut index = Index::head(config, entries.len());
    index.entries = entries.iter().map(|e| summary(config, e)).collect();
    to_json(&index)
}

/// Each entry's part of `entries.json` as the last render wrote it, so the preview server writes
/// again only the parts of the entries that changed. Parts depend on `site.yaml` too: a render
/// of everything starts with [`IndexParts::clear`].
#[derive(Default)]
pub struct IndexParts {
    parts: std::sync::Mutex<Parts>,
}

/// In the order of the last render's entries: the entry a part was written from, and the part.
/// Holding the entry keeps its address from being reused, so the address names it.
type Parts = Vec<(Arc<Entry>, Arc<str>)>;

impl IndexParts {
    pub(super) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Parts> {
        self.parts.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `entries.json` with `head` (whose entry list is empty) around the entries' parts: the
    /// bytes [`to_json`] gives for the whole index.
    fn index(&self, config: &SiteConfig, head: &Index<'_>, entries: &[Arc<Entry>]) -> Vec<u8> {
        // The head's JSON ends with the empty list, its last member; the parts go between its
        // brackets.
        let mut head_json = serde_json::to_vec(head).unwrap_or_default();
        let tail: &[u8] = b"[]}";
        debug_assert!(head_json.ends_with(tail));
        head_json.truncate(head_json.len().saturating_sub(tail.len()));
        let mut kept = self.lock();
        // Mostly the same entries in the same places; when entries came or went, by address.
        let aligned = kept.len() == entries.len();
        let by_address: std::collections::HashMap<*const Entry, &Arc<str>> = if aligned {
            std::collections::HashMap::new()
        } else {
            kept.iter().map(|(entry, part)| (Arc::as_ptr(entry), part)).collect()
        };
        let parts: Parts = entries
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let kept_part = if aligned {
                    kept.get(i).filter(|(was, _)| Arc::ptr_eq(was, entry)).map(|(_, part)| part)
                } else {
                    by_address.get(&Arc::as_ptr(entry)).copied()
                };
                let part = kept_part.cloned().unwrap_or_else(|| {
                    Arc::from(serde_json::to_string(&summary(config, entry)).unwrap_or_default())
                });
                (entry.clone(), part)
            })
            .collect();
        drop(by_address);
        let size = head_json.len() + parts.iter().map(|(_, p)| p.len() + 1).sum::<usize>() + 4;
        let mut json = Vec::with_capacity(size);
        json.extend_from_slice(&head_json);
        json.push(b'[');
        for (i, (_, part)) in parts.iter().enumerate() {
            if i > 0 {
                json.push(b',');
            }
            json.extend_from_slice(part.as_bytes());
        }
        json.extend_from_slice(b"]}\n");
        *kept = parts;
        json
    }
}

/// Where an entry's document is written: `api/http/503.json`.
pub(super) fn document_path(id: &EntryId) -> String {
    format!("api/{id}.json")
}

/// Writes one entry's document; `toc` is its body's sections, as its page names them.
pub(super) fn write_document(
    config: &SiteConfig,
    by_id: &BTreeMap<EntryId, &Entry>,
    entry: &Entry,
    toc: &[Heading],
    sink: &dyn Sink,
) -> Result<()> {
    let path = document_path(entry.id());
    sink.put(&path, &to_json(&document(config, by_id, entry, toc)))
}

/// Data as compact JSON (programs read it; a reader's tool can indent it), ending with a newline.
fn to_json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// A built-in schema with its `$id` set to where this site publishes it, indented: people
/// read it.
fn schema(config: &SiteConfig, text: &str, path: &str) -> Vec<u8> {
    let mut value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("$id".to_owned(), Value::String(format!("{}{path}", config.base_url)));
    }
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn summary<'a>(config: &SiteConfig, entry: &'a Entry) -> Summary<'a> {
    Summary {
        id: entry.id().clone(),
        category: CategoryRef {
            id: &entry.category,
            name: config.category(&entry.category).map_or_else(|| entry.category.clone(), |c| c.name.clone()),
        },
        slug: &entry.slug,
        code: &entry.code,
        title: &entry.title,
        summary: &entry.summary,
        severity: &entry.severity,
        difficulty: entry.difficulty,
        fixable_percent: entry.fixable_percent,
        fix_minutes: entry.fix_minutes,
        updated: entry.updated.format("%Y-%m-%d").to_string(),
        reviewed: entry.reviewed.map(|d| d.format("%Y-%m-%d").to_string()),
        status: entry.status.as_str(),
        replaced_by: entry.replaced_by.as_ref().map(|l| l.target.as_str()),
        applies_to: entry.applies_to.iter().map(|p| (p.product.as_str(), p.range.as_str())).collect(),
        tags: &entry.tags,
        aliases: &entry.aliases,
        url: format!("{}{}/{}/", config.base_url, entry.category, entry.slug),
        api_url: format!("{}api/{}/{}.json", config.base_url, entry.category, entry.slug),
    }
}

fn document<'a>(
    config: &SiteConfig,
    entries: &BTreeMap<EntryId, &'a Entry>,
    entry: &'a Entry,
    toc: &[Heading],
) -> Document<'a> {
    // Placeholders show their defaults, as on a page before the reader types.
    let field = |markdown: &str| Field::new(fill_markdown(markdown, &entry.vars).into_owned());
    let optional = |text: &Option<Text>| text.as_ref().map(|t| field(&t.markdown));
    Document {
        schema: format!("{}api/entry.schema.json", config.base_url),
        schema_version: SCHEMA_VERSION,
        summary: summary(config, entry),
        file: &entry.file,
        author: entry.author.as_ref().map(|a| Author {
            name: &a.name,
            role: a.role.as_deref(),
            url: a.url.as_deref(),
        }),
        sources: entry.sources.iter().map(|s| Source { title: &s.title, url: &s.url }).collect(),
        related: entry
            .related
            .iter()
            // Like the page, leave out related entries that are not published (drafts).
            .filter_map(|r| entries.get(r.target.as_str()).copied())
            .map(|e| Related {
                id: e.id().clone(),
                code: &e.code,
                title: &e.title,
                url: format!("{}{}/{}/", config.base_url, e.category, e.slug),
                api_url: format!("{}api/{}/{}.json", config.base_url, e.category, e.slug),
            })
            .collect(),
        redirect_from: entry.redirect_from.iter().map(|r| r.target.as_str()).collect(),
        quick_fix: optional(&entry.quick_fix),
        causes: optional(&entry.causes),
        steps: entry
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| Step { number: i + 1, title: &s.title, field: field(&s.body.markdown) })
            .collect(),
        verify: entry
            .verify
            .iter()
            .enumerate()
            .map(|(i, v)| Check { id: format!("verify-{}", i + 1), field: field(&v.markdown) })
            .collect(),
        faq: entry
            .faq
            .iter()
            .enumerate()
            .map(|(i, f)| Faq {
                id: format!("faq-{}", i + 1),
                question: &f.question,
                field: field(&f.answer.markdown),
            })
            .collect(),
        vars: entry.vars.iter().map(|v| (v.name.as_str(), v.default.as_str())).collect(),
        body: Body {
            field: field(&entry.body.markdown),
            toc: toc.iter().map(|h| Section { id: h.id.clone(), title: h.title.clone() }).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(config: &SiteConfig, category: &str, slug: &str, extra: &str) -> Arc<Entry> {
        let text = format!(
            "---\ncode: \"{slug}\"\ntitle: Error \"{slug}\"\nsummary: What it means.\nseverity: major\nupdated: 2026-06-14\n{extra}---\nBody.\n"
        );
        Arc::new(crate::content::entry::parse_for_test(&text, category, slug, config))
    }

    #[test]
    fn the_index_from_parts_is_the_index_written_whole() {
        let mut diagnostics = Vec::new();
        let config =
            crate::content::config::parse("title: T\nbase_url: https://e.org/\n", &mut diagnostics).unwrap();
        let mut entries = vec![
            entry(&config, "http", "500", "tags: [nginx, \"Load Balancer\"]\naliases: [\"a\\nb\"]\n"),
            entry(&config, "http", "502", "fixable_percent: 90\nfix_minutes: 5\ndifficulty: beginner\n"),
            entry(&config, "linux", "enospc", ""),
        ];
        let parts = IndexParts::default();
        let whole = String::from_utf8(whole_index(&config, &entries)).unwrap();
        assert!(
            whole.starts_with("{\"$schema\":\"https://e.org/api/entries.schema.json\",\"schema_version\":2,")
        );
        assert_eq!(whole.find('\n'), Some(whole.len() - 1), "compact, one line: {whole}");
        assert_eq!(parts.index(&config, &Index::head(&config, 3), &entries), whole.as_bytes());
        entries[1] = entry(&config, "http", "502", "fixable_percent: 10\n");
        entries.remove(0);
        let got = parts.index(&config, &Index::head(&config, 2), &entries);
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(whole_index(&config, &entries)).unwrap()
        );
        // The same entries in the same places, one of them edited.
        entries[0] = entry(&config, "http", "502", "fixable_percent: 20\n");
        let got = parts.index(&config, &Index::head(&config, 2), &entries);
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(whole_index(&config, &entries)).unwrap()
        );
    }
}
