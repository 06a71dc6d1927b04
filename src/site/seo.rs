//! What crawlers and feed readers read: `sitemap.xml`, `robots.txt`, the Atom feed, and the
//! JSON-LD blocks of the home and entry pages (docs/publishing.md).
//!
//! JSON-LD goes into a `<script>` element, where the HTML parser ends the element at the first
//! `</script` whatever the JSON says. [`script_json`] therefore escapes `<`, `>` and `&` (and the
//! two line separators JavaScript rejects) as `\u` sequences: still the same JSON, but nothing an
//! entry contains can close the element.

use crate::markdown::vars::fill_markdown;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Result;
use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::{Sink, Site};
use crate::content::{tag_slug, Difficulty, Entry, SiteConfig};
use crate::markdown;

/// Writes `sitemap.xml`, `robots.txt` and `atom.xml`.
/// Writes the sitemap (unless `sitemap` is false), robots.txt and the feed.
pub(super) fn write(site: &Site, sink: &dyn Sink, sitemap: bool) -> Result<()> {
    let config = &site.content.config;
    let entries = &site.content.entries;
    if sitemap {
        sink.put_owned("sitemap.xml", self::sitemap(config, entries).into_bytes())?;
    }
    sink.put("robots.txt", robots(config).as_bytes())?;
    sink.put_owned("atom.xml", atom(config, entries).into_bytes())
}

fn entry_url(config: &SiteConfig, entry: &Entry) -> String {
    format!("{}{}/{}/", config.base_url, entry.category, entry.slug)
}

/// The bytes of an entry's id, `category/slug`, as an iterator.
fn id_bytes(entry: &Entry) -> impl Iterator<Item = &u8> {
    entry.category.as_bytes().iter().chain(b"/").chain(entry.slug.as_bytes())
}

fn category_name(config: &SiteConfig, id: &str) -> String {
    config.category(id).map_or_else(|| id.to_owned(), |c| c.name.clone())
}

/// A digest of what the sitemap shows of the entries (their pages, dates and tags); site.yaml
/// aside, an equal digest means an equal sitemap.
pub(super) fn sitemap_inputs(entries: &[std::sync::Arc<Entry>]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for entry in entries {
        (&entry.category, &entry.slug, entry.updated, &entry.tags).hash(&mut hasher);
    }
    hasher.finish()
}

/// Every page a search engine should index, with the date its newest entry was updated. The
/// search page and the 404 page are `noindex`, and redirects are not pages of their own.
fn sitemap(config: &SiteConfig, entries: &[std::sync::Arc<Entry>]) -> String {
    // Entry pages are one per entry; the home page, categories and tags take their newest.
    let newest = entries.iter().map(|e| e.updated).max();
    let mut categories: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    let mut tags: BTreeMap<String, NaiveDate> = BTreeMap::new();
    for entry in entries {
        let date = categories.entry(entry.category.as_str()).or_insert(entry.updated);
        *date = (*date).max(entry.updated);
        for tag in &entry.tags {
            let date = tags.entry(tag_slug(tag)).or_insert(entry.updated);
            *date = (*date).max(entry.updated);
        }
    }
    let mut pages: Vec<(String, Option<NaiveDate>)> =
        Vec::with_capacity(entries.len() + categories.len() + tags.len() + 2);
    pages.push((String::new(), newest));
    if newest.is_some() {
        pages.push(("tags/".to_owned(), newest));
    }
    pages.extend(categories.into_iter().map(|(category, date)| (format!("{category}/"), Some(date))));
    pages.extend(tags.into_iter().map(|(tag, date)| (format!("tags/{tag}/"), Some(date))));
    pages.extend(entries.iter().map(|e| (format!("{}/{}/", e.category, e.slug), Some(e.updated))));
    pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // Checks keep pages apart; should two still meet, one line with the newer date.
    pages.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 = kept.1.max(later.1);
        }
        same
    });
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (folder, date) in pages {
        let _ =
            write!(xml, "  <url><loc>{}</loc>", markdown::escape(&format!("{}{folder}", config.base_url)));
        if let Some(date) = date {
            use chrono::Datelike as _;
            let _ =
                write!(xml, "<lastmod>{:04}-{:02}-{:02}</lastmod>", date.year(), date.month(), date.day());
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn robots(config: &SiteConfig) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", config.base_url)
}

/// An Atom feed (RFC 4287) of the most recently updated entries; site.yaml's `feed.entries`
/// says how many.
fn atom(config: &SiteConfig, entries: &[std::sync::Arc<Entry>]) -> String {
    // Newest first, then by id (`category/slug`), compared without writing the ids out.
    let order = |a: &&Entry, b: &&Entry| b.updated.cmp(&a.updated).then_with(|| id_bytes(a).cmp(id_bytes(b)));
    let mut recent: Vec<&Entry> = entries.iter().map(|e| &**e).collect();
    let keep = config.feed.entries.min(recent.len());
    if keep < recent.len() {
        recent.select_nth_unstable_by(keep, order);
        recent.truncate(keep);
    }
    recent.sort_unstable_by(order);
    let e = markdown::escape;
    let stamp = |date: NaiveDate| format!("{}T00:00:00Z", date.format("%Y-%m-%d"));
    let publisher = config.organization.as_ref().map_or(config.title.as_str(), |o| o.name.as_str());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        e(&config.language)
    );
    let _ = writeln!(xml, "  <id>{}</id>", e(&config.base_url));
    let _ = writeln!(xml, "  <title>{}</title>", e(&config.title));
    if !config.description.is_empty() {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", e(&config.description));
    }
    let _ = writeln!(xml, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", e(&config.base_url));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}atom.xml\"/>",
        e(&config.base_url)
    );
    let newest =
        recent.first().map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |entry| stamp(entry.updated));
    let _ = writeln!(xml, "  <updated>{newest}</updated>");
    let _ = writeln!(xml, "  <author><name>{}</name></author>", e(publisher));
    let _ = writeln!(xml, "  <generator>errorbook</generator>");
    for entry in recent {
        let url = entry_url(config, entry);
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <id>{}</id>", e(&url));
        let _ = writeln!(xml, "    <title>{}</title>", e(&entry.headline()));
        let _ = writeln!(xml, "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", e(&url));
        let _ = writeln!(xml, "    <updated>{}</updated>", stamp(entry.updated));
        if let Some(author) = &entry.author {
            let _ = write!(xml, "    <author><name>{}</name>", e(&author.name));
            if let Some(url) = &author.url {
                let _ = write!(xml, "<uri>{}</uri>", e(url));
            }
            xml.push_str("</author>\n");
        }
        let _ = writeln!(
            xml,
            "    <category term=\"{}\" label=\"{}\"/>",
            e(&entry.category),
            e(&category_name(config, &entry.category))
        );
        let _ = writeln!(xml, "    <summary>{}</summary>", e(&entry.summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>`, `&`, U+2028 and U+2029
/// are written as `\u` escapes, so the text cannot end the element or start a comment.
pub fn script_json(value: &Value) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn organization_id(config: &SiteConfig) -> String {
    format!("{}#organization", config.base_url)
}

fn website_id(config: &SiteConfig) -> String {
    format!("{}#website", config.base_url)
}

/// An absolute URL from an absolute URL or a path on the site.
fn absolute(config: &SiteConfig, url: &str) -> String {
    match url.strip_prefix('/') {
        Some(path) if !url.starts_with("//") => format!("{}{path}", config.base_url),
        _ => url.to_owned(),
    }
}

fn organization(config: &SiteConfig) -> Value {
    let configured = config.organization.as_ref();
    let mut org = Map::new();
    org.insert("@context".into(), json!("https://schema.org"));
    org.insert("@type".into(), json!("Organization"));
    org.insert("@id".into(), json!(organization_id(config)));
    org.insert("name".into(), json!(configured.map_or(config.title.as_str(), |o| o.name.as_str())));
    org.insert("url".into(), json!(configured.and_then(|o| o.url.as_deref()).unwrap_or(&config.base_url)));
    if let Some(logo) = configured.and_then(|o| o.logo.as_deref()) {
        org.insert("logo".into(), json!(absolute(config, logo)));
    }
    Value::Object(org)
}

/// `WebSite` and `Organization`, for the home page.
pub(super) fn home_json_ld(config: &SiteConfig) -> Vec<String> {
    let mut website = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": website_id(config),
        "name": config.title,
        "url": config.base_url,
        "inLanguage": config.language,
        "publisher": { "@id": organization_id(config) },
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": format!("{}search/?q={{search_term_string}}", config.base_url),
            },
            "query-input": "required name=search_term_string",
        },
    });
    if !config.description.is_empty() {
        website["description"] = json!(config.description);
    }
    vec![script_json(&website), script_json(&organization(config))]
}

/// `TechArticle` and `BreadcrumbList` for an entry page, then `FAQPage` and `HowTo` when
/// site.yaml switches them on. The fix rate is never published as a rating.
pub(super) fn entry_json_ld(config: &SiteConfig, entry: &Entry) -> Vec<String> {
    let url = entry_url(config, entry);
    let category = category_name(config, &entry.category);
    let mut blocks = vec![
        script_json(&article(config, entry, &url, &category)),
        script_json(&breadcrumb(config, entry, &url, &category)),
    ];
    if config.structured_data.faq && !entry.faq.is_empty() {
        blocks.push(script_json(&faq_page(entry, &url)));
    }
    if config.structured_data.howto && !entry.steps.is_empty() {
        blocks.push(script_json(&how_to(entry, &url)));
    }
    blocks
}

/// The entry as a `TechArticle`.
fn article(config: &SiteConfig, entry: &Entry, url: &str, category: &str) -> Value {
    let updated = entry.updated.format("%Y-%m-%d").to_string();
    let publisher = organization(config);

    let mut article = Map::new();
    article.insert("@context".into(), json!("https://schema.org"));
    article.insert("@type".into(), json!("TechArticle"));
    article.insert("@id".into(), json!(format!("{url}#article")));
    article.insert("headline".into(), json!(entry.title));
    article.insert("description".into(), json!(entry.summary));
    article.insert("url".into(), json!(url));
    article.insert("mainEntityOfPage".into(), json!(url));
    article.insert("inLanguage".into(), json!(config.language));
    // Entries carry one date, `updated`: it is both the publication and the modification date.
    article.insert("datePublished".into(), json!(updated));
    article.insert("dateModified".into(), json!(updated));
    article.insert("articleSection".into(), json!(category));
    let author = match &entry.author {
        Some(author) => {
            let mut person = Map::new();
            person.insert("@type".into(), json!("Person"));
            person.insert("name".into(), json!(author.name));
            if let Some(role) = &author.role {
                person.insert("jobTitle".into(), json!(role));
            }
            if let Some(url) = &author.url {
                person.insert("url".into(), json!(url));
            }
            Value::Object(person)
        }
        None => json!({ "@id": organization_id(config) }),
    };
    article.insert("author".into(), author);
    let mut publisher_ref = publisher;
    if let Value::Object(map) = &mut publisher_ref {
        map.remove("@context");
    }
    article.insert("publisher".into(), publisher_ref);
    article.insert("isPartOf".into(), json!({ "@id": website_id(config) }));
    let mut keywords = vec![entry.code.clone()];
    keywords.extend(entry.tags.iter().cloned());
    article.insert("keywords".into(), json!(keywords.join(", ")));
    if !entry.sources.is_empty() {
        let citations: Vec<Value> = entry
            .sources
            .iter()
            .map(|s| json!({ "@type": "CreativeWork", "name": s.title, "url": s.url }))
            .collect();
        article.insert("citation".into(), Value::Array(citations));
    }
    match entry.difficulty {
        Some(Difficulty::Beginner) => {
            article.insert("proficiencyLevel".into(), json!("Beginner"));
        }
        Some(Difficulty::Advanced) => {
            article.insert("proficiencyLevel".into(), json!("Expert"));
        }
        Some(Difficulty::Intermediate) | None => {}
    }
    Value::Object(article)
}

/// The same three steps as the visible breadcrumb: Home › category › code.
fn breadcrumb(config: &SiteConfig, entry: &Entry, url: &str, category: &str) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            { "@type": "ListItem", "position": 1, "name": "Home", "item": config.base_url },
            {
                "@type": "ListItem",
                "position": 2,
                "name": category,
                "item": format!("{}{}/", config.base_url, entry.category),
            },
            { "@type": "ListItem", "position": 3, "name": entry.code, "item": url },
        ],
    })
}

/// The questions and answers, for `structured_data.faq`.
fn faq_page(entry: &Entry, url: &str) -> Value {
    let questions: Vec<Value> = entry
        .faq
        .iter()
        .map(|f| {
            json!({
                "@type": "Question",
                "name": f.question,
                "acceptedAnswer": { "@type": "Answer", "text": prose(&fill_markdown(&f.answer.markdown, &entry.vars)) },
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "@id": format!("{url}#faq"),
        "mainEntity": questions,
    })
}

/// The steps, for `structured_data.howto`.
fn how_to(entry: &Entry, url: &str) -> Value {
    let steps: Vec<Value> = entry
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let text = prose(&fill_markdown(&step.body.markdown, &entry.vars));
            json!({
                "@type": "HowToStep",
                "position": i + 1,
                "name": step.title,
                "text": if text.is_empty() { step.title.clone() } else { text },
                "url": format!("{url}#step-{}", i + 1),
            })
        })
        .collect();
    let mut howto = json!({
        "@context": "https://schema.org",
        "@type": "HowTo",
        "@id": format!("{url}#steps"),
        "name": entry.title,
        "description": entry.summary,
        "step": steps,
    });
    if let Some(minutes) = entry.fix_minutes {
        howto["totalTime"] = json!(format!("PT{minutes}M"));
    }
    howto
}

/// The words of a Markdown text as one line, for the text fields of structured data.
fn prose(markdown: &str) -> String {
    crate::markdown::plain_text(markdown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let value = json!({ "title": "</script><script>alert(1)</script> & <!-- \u{2028}\u{2029}" });
        let text = script_json(&value);
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!text.contains(forbidden), "{text} contains {forbidden:?}");
        }
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn prose_keeps_words_and_punctuation_together() {
        assert_eq!(prose("Yes, with **backoff**.\n\n- one\n- `two`"), "Yes, with backoff. one two");
    }

    #[test]
    fn site_paths_become_absolute() {
        let mut diagnostics = Vec::new();
        let config =
            crate::content::config::parse("title: T\nbase_url: https://e.org/kb/\n", &mut diagnostics)
                .unwrap();
        assert_eq!(absolute(&config, "/assets/logo.png"), "https://e.org/kb/assets/logo.png");
        assert_eq!(absolute(&config, "https://cdn.e.org/logo.png"), "https://cdn.e.org/logo.png");
    }

    #[test]
    fn the_feed_keeps_the_newest_entries_ordered_by_date_then_id() {
        let mut diagnostics = Vec::new();
        let config = crate::content::config::parse(
            "title: T\nbase_url: https://e.org/\nfeed: { entries: 3 }\n",
            &mut diagnostics,
        )
        .unwrap();
        let entry = |category: &str, slug: &str, date: &str| {
            let text = format!(
                "---\ncode: \"{slug}\"\ntitle: T {slug}\nsummary: S.\nseverity: major\nupdated: {date}\n---\nBody.\n"
            );
            std::sync::Arc::new(crate::content::entry::parse_for_test(&text, category, slug, &config))
        };
        // Same date: `http-x/…` comes before `http/…` as ids, though `http` is the shorter name.
        let entries = vec![
            entry("http", "b", "2026-06-14"),
            entry("http-x", "a", "2026-06-14"),
            entry("httpz", "c", "2026-06-14"),
            entry("linux", "old", "2025-01-01"),
            entry("linux", "new", "2026-07-01"),
        ];
        let xml = atom(&config, &entries);
        let ids: Vec<&str> = xml.match_indices("<id>https://e.org/").map(|(at, _)| &xml[at + 18..]).collect();
        let ids: Vec<&str> = ids.iter().skip(1).map(|rest| &rest[..rest.find('<').unwrap()]).collect();
        assert_eq!(ids, ["linux/new/", "http-x/a/", "http/b/"]);
    }
}
