//! What an edit touches: the pages to render again after some entries changed.
//!
//! The preview server renders everything once, then, after an edit to entries alone, only the
//! changed entries, the entries that show their titles (`related`), and the listings they
//! appear on. Global files (search index, sitemap, feed, data API) are always rendered.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::{tag_slug, Content, Entry};

/// Which pages a render produces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    Everything,
    Only(Changes),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Entry ids (`http/503`) whose pages are rendered again.
    pub entries: BTreeSet<String>,
    /// Category ids whose pages are rendered again.
    pub categories: BTreeSet<String>,
    /// Tag slugs whose pages are rendered again.
    pub tags: BTreeSet<String>,
    /// The home page and the tags index.
    pub listings: bool,
    /// Entries, categories and tags that no longer have a page, as output folders
    /// (`http/503/`, `http/`, `tags/nginx/`).
    pub removed: BTreeSet<String>,
}

impl Scope {
    pub fn entry(&self, id: &str) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Only(changes) => changes.entries.contains(id),
        }
    }

    pub fn category(&self, id: &str) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Only(changes) => changes.categories.contains(id),
        }
    }

    pub fn tag(&self, slug: &str) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Only(changes) => changes.tags.contains(slug),
        }
    }

    pub fn listings(&self) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Only(changes) => changes.listings,
        }
    }

    pub fn is_everything(&self) -> bool {
        matches!(self, Scope::Everything)
    }
}

/// What listings show of an entry; when this changes, its listings change too.
fn listed(entry: &Entry) -> (&str, &str, &str, &str, &[String]) {
    (&entry.code, &entry.title, &entry.summary, &entry.severity, &entry.tags)
}

impl Changes {
    pub fn between(old: &Content, new: &Content) -> Changes {
        let before: BTreeMap<String, &Entry> = old.entries.iter().map(|e| (e.id(), e)).collect();
        let after: BTreeMap<String, &Entry> = new.entries.iter().map(|e| (e.id(), e)).collect();
        let mut changes = Changes::default();
        let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let mut relisted = BTreeSet::new();
        for id in ids {
            let (was, is) = (before.get(id), after.get(id));
            if was == is {
                continue;
            }
            for entry in was.iter().chain(is.iter()) {
                changes.categories.insert(entry.category.clone());
                changes.tags.extend(entry.tags.iter().map(|t| tag_slug(t)));
            }
            match (was, is) {
                (Some(was), Some(is)) if listed(was) == listed(is) => {}
                _ => {
                    changes.listings = true;
                    relisted.insert(id.clone());
                }
            }
            if is.is_some() {
                changes.entries.insert(id.clone());
            } else {
                changes.removed.insert(format!("{id}/"));
            }
        }
        // Entries that show a changed entry's title among their related entries.
        for entry in &new.entries {
            if entry.related.iter().any(|r| relisted.contains(&r.target)) {
                changes.entries.insert(entry.id());
            }
        }
        let categories: BTreeSet<&str> = new.entries.iter().map(|e| e.category.as_str()).collect();
        let tags: BTreeSet<String> =
            new.entries.iter().flat_map(|e| e.tags.iter().map(|t| tag_slug(t))).collect();
        for category in &changes.categories {
            if !categories.contains(category.as_str()) {
                changes.removed.insert(format!("{category}/"));
                changes.listings = true;
            }
        }
        for tag in &changes.tags {
            if !tags.contains(tag) {
                changes.removed.insert(format!("tags/{tag}/"));
                changes.listings = true;
            }
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Link, SiteConfig};

    fn entry(category: &str, slug: &str, title: &str, tags: &[&str], related: &[&str]) -> Entry {
        let text = format!(
            "---\ncode: \"{slug}\"\ntitle: {title}\nsummary: s\nseverity: major\nupdated: 2026-01-01\n---\nbody\n"
        );
        let config = test_config();
        let location = crate::content::entry::Location {
            file: "x.md",
            category,
            slug,
            format: crate::content::Format::Markdown,
        };
        let mut diagnostics = Vec::new();
        let mut entry = crate::content::entry::parse(&text, &location, &config, &mut diagnostics).unwrap();
        entry.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        entry.related =
            related.iter().map(|r| Link { target: (*r).to_owned(), span: Default::default() }).collect();
        entry
    }

    fn test_config() -> SiteConfig {
        let mut diagnostics = Vec::new();
        crate::content::config::parse("title: T\nbase_url: https://e.org/\n", &mut diagnostics).unwrap()
    }

    fn content(entries: Vec<Entry>) -> Content {
        Content { config: test_config(), entries }
    }

    #[test]
    fn a_body_edit_touches_its_page_and_its_listings_only() {
        let a = entry("http", "500", "A", &["x"], &[]);
        let b = entry("http", "502", "B", &[], &["http/500"]);
        let mut edited = a.clone();
        edited.body.markdown = "new body".into();
        let changes = Changes::between(&content(vec![a, b.clone()]), &content(vec![edited, b]));
        assert_eq!(changes.entries, BTreeSet::from(["http/500".to_owned()]));
        assert!(!changes.listings);
        assert!(changes.removed.is_empty());
    }

    #[test]
    fn a_new_title_reaches_the_entries_that_show_it() {
        let a = entry("http", "500", "A", &[], &[]);
        let b = entry("http", "502", "B", &[], &["http/500"]);
        let renamed = entry("http", "500", "A renamed", &[], &[]);
        let changes = Changes::between(&content(vec![a, b.clone()]), &content(vec![renamed, b]));
        assert_eq!(changes.entries, BTreeSet::from(["http/500".to_owned(), "http/502".to_owned()]));
        assert!(changes.listings);
    }

    #[test]
    fn a_deleted_entry_removes_its_page_and_emptied_listings() {
        let a = entry("http", "500", "A", &["only-here"], &[]);
        let b = entry("linux", "enospc", "B", &[], &[]);
        let changes = Changes::between(&content(vec![a, b.clone()]), &content(vec![b]));
        assert_eq!(
            changes.removed,
            BTreeSet::from(["http/".to_owned(), "http/500/".to_owned(), "tags/only-here/".to_owned()])
        );
        assert!(changes.entries.is_empty());
    }
}
