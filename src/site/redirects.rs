//! Redirect pages: one for every path in an entry's `redirect_from`, and, when site.yaml sets
//! `short_links: true`, one per code (`/503/` → `/http/503/`).
//!
//! A redirect page works three ways: a `refresh` meta tag sends browsers on at once, the
//! canonical link tells search engines which page counts, and a plain link serves a reader
//! whose browser ignores both. `check` has already refused redirects and short links that would
//! take the place of another file.

use std::collections::BTreeMap;

use anyhow::Result;

use super::{Sink, Site};
use crate::content::outputs::short_link_groups;
use crate::content::redirects::{output_file, page_path, path_problem};
use crate::content::{Entry, SiteConfig};
use crate::markdown::escape;

/// Writes every redirect page; returns how many.
pub(super) fn write(site: &Site, sink: &dyn Sink) -> Result<usize> {
    let pages = plan(&site.content.config, &site.content.entries);
    for (page, entry) in &pages {
        let file = output_file(page);
        let html = redirect_page(&site.content.config, entry, &file, site.options.offline);
        sink.put(&file, html.as_bytes())?;
    }
    Ok(pages.len())
}

/// Every redirect page: its site path and the entry it leads to, sorted by path.
pub fn plan<'a>(config: &SiteConfig, entries: &'a [std::sync::Arc<Entry>]) -> BTreeMap<String, &'a Entry> {
    let mut redirects: BTreeMap<String, &Entry> = BTreeMap::new();
    for entry in entries {
        for redirect in &entry.redirect_from {
            let path = redirect.target.as_str();
            if path.starts_with('/') && path_problem(path).is_none() {
                redirects.entry(page_path(path)).or_insert(entry);
            }
        }
    }
    if config.short_links {
        // `check` has refused short links that would take the place of another file.
        for (slug, group) in short_link_groups(entries.iter().map(|e| &**e)) {
            // A code that several entries share has no single page to lead to.
            if let [entry] = group.as_slice() {
                redirects.entry(format!("/{slug}/")).or_insert(entry);
            }
        }
    }
    redirects
}

fn redirect_page(config: &SiteConfig, entry: &Entry, file: &str, offline: bool) -> String {
    let folder = format!("{}/{}/", entry.category, entry.slug);
    let root = if offline { "../".repeat(file.matches('/').count()) } else { config.base_path().to_owned() };
    let href = if offline { format!("{root}{folder}index.html") } else { format!("{root}{folder}") };
    // Named, so a browser passing through does not ask for a /favicon.ico the site lacks.
    let icon = escape(&format!("{root}assets/favicon.svg"));
    let canonical = format!("{}{folder}", config.base_url);
    let title = entry.headline();
    let (lang, href, canonical, title) =
        (escape(&config.language), escape(&href), escape(&canonical), escape(&title));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Moved: {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n<main>\n\
         <h1>This page has moved</h1>\n<p>It is now <a href=\"{href}\">{title}</a>.</p>\n</main>\n</body>\n</html>\n"
    )
}
