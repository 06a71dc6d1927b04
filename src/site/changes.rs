//! What an edit touches: the pages to render again after some entries changed.
//!
//! The preview server renders everything once, then, after an edit to entries alone, only the
//! changed entries, the entries that show their titles (`related`), and, when what listings
//! show of an entry changed, the listings it appears on. Global files (search index, sitemap,
//! feed, data API) are always rendered.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::content::{tag_slug, Content, Entry, EntryId, Link, Text};
use crate::diagnostics::Span;

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
    pub entries: BTreeSet<EntryId>,
    /// Category ids whose pages are rendered again.
    pub categories: BTreeSet<String>,
    /// Tag slugs whose pages are rendered again.
    pub tags: BTreeSet<String>,
    /// The home page and the tags index.
    pub listings: bool,
    /// The files that list every entry (sitemap, feed, data API index, redirect pages): false
    /// when the changed entries differ only in the text their own pages show.
    pub globals: bool,
    /// Entries, categories and tags that no longer have a page.
    pub removed: BTreeSet<Removed>,
}

/// What an edit took away.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Removed {
    Entry(EntryId),
    Category(String),
    /// By its slug.
    Tag(String),
}

impl Removed {
    /// The output folder of its page: `http/503/`, `http/`, `tags/nginx/`.
    pub fn folder(&self) -> String {
        match self {
            Removed::Entry(id) => format!("{id}/"),
            Removed::Category(category) => format!("{category}/"),
            Removed::Tag(slug) => format!("tags/{slug}/"),
        }
    }

    pub fn entry(&self) -> Option<&EntryId> {
        match self {
            Removed::Entry(id) => Some(id),
            _ => None,
        }
    }

    /// Whether the last build wrote `path` for what is gone: a file of its folder, or an
    /// entry's data API document.
    fn made(&self, path: &str) -> bool {
        path.starts_with(&self.folder())
            || self.entry().is_some_and(|id| path == super::api::document_path(id))
    }
}

/// The files of the last build that a partial render (`Scope::Only`) leaves stale, so the
/// preview takes them out before laying the new files over the old.
#[derive(Debug, Default)]
pub struct Stale {
    /// Every redirect page of the last build, when the redirects are written again: a code or
    /// path may no longer lead anywhere.
    redirects: BTreeSet<String>,
    removed: Vec<Removed>,
}

impl Stale {
    /// What `changes` leaves stale of the last build, made from `last`.
    pub fn of(changes: &Changes, last: &Content) -> Stale {
        let redirects = match changes.globals {
            true => super::redirects::plan(&last.config, &last.entries)
                .keys()
                .map(|page| crate::content::redirects::output_file(page))
                .collect(),
            false => BTreeSet::new(),
        };
        Stale { redirects, removed: changes.removed.iter().cloned().collect() }
    }

    pub fn contains(&self, path: &str) -> bool {
        // The search index is always written whole; its shards may be renamed.
        self.redirects.contains(path)
            || self.removed.iter().any(|removed| removed.made(path))
            || crate::search::is_index_file(path)
    }
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

    /// Whether any category page is rendered.
    pub fn some_category(&self) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Only(changes) => !changes.categories.is_empty(),
        }
    }

    /// Whether any tag page is rendered.
    pub fn some_tag(&self) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Only(changes) => !changes.tags.is_empty(),
        }
    }

    pub fn listings(&self) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Only(changes) => changes.listings,
        }
    }

    pub fn globals(&self) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Only(changes) => changes.globals,
        }
    }

    pub fn is_everything(&self) -> bool {
        matches!(self, Scope::Everything)
    }
}

/// The versions of each entry in two lists sorted by (category, slug), as loading sorts them:
/// (before, after), either missing. An unchanged file hands the same entry to the next load, so
/// most pairs are told equal by their address alone, without reading the entries.
fn pairs<'a>(
    old: &'a [Arc<Entry>],
    new: &'a [Arc<Entry>],
) -> impl Iterator<Item = (Option<&'a Entry>, Option<&'a Entry>)> {
    let key = |e: &'a Arc<Entry>| (e.category.as_str(), e.slug.as_str());
    let (mut old, mut new) = (old.iter().peekable(), new.iter().peekable());
    std::iter::from_fn(move || match (old.peek(), new.peek()) {
        (Some(a), Some(b)) if Arc::ptr_eq(a, b) => {
            old.next();
            new.next();
            Some((None, None))
        }
        (Some(a), Some(b)) => match key(a).cmp(&key(b)) {
            std::cmp::Ordering::Equal => Some((old.next().map(|e| &**e), new.next().map(|e| &**e))),
            std::cmp::Ordering::Less => Some((old.next().map(|e| &**e), None)),
            std::cmp::Ordering::Greater => Some((None, new.next().map(|e| &**e))),
        },
        (Some(_), None) => Some((old.next().map(|e| &**e), None)),
        (None, Some(_)) => Some((None, new.next().map(|e| &**e))),
        (None, None) => None,
    })
    .filter(|(was, is)| was.is_some() || is.is_some())
}

/// An entry without what only its own page shows (its Markdown sections, and where in its file
/// things are written): what the files listing every entry may read of it. A field added to
/// entries counts here unless it is cleared below.
fn outline(entry: &Entry) -> Entry {
    let spanless = |links: &[Link]| {
        links.iter().map(|l| Link { target: l.target.clone(), span: Span::default() }).collect()
    };
    Entry {
        quick_fix: None,
        causes: None,
        steps: Vec::new(),
        verify: Vec::new(),
        faq: Vec::new(),
        body: Text::default(),
        links: Vec::new(),
        vars: Default::default(),
        var_spans: Vec::new(),
        packed: None,
        related: spanless(&entry.related),
        redirect_from: spanless(&entry.redirect_from),
        replaced_by: entry
            .replaced_by
            .as_ref()
            .map(|l| Link { target: l.target.clone(), span: Span::default() }),
        ..entry.clone()
    }
}

impl Changes {
    pub fn between(old: &Content, new: &Content) -> Changes {
        let mut changes = Changes::default();
        let mut relisted = BTreeSet::new();
        // Categories and tags a changed entry still has: they keep their pages.
        let mut present_categories: BTreeSet<&str> = BTreeSet::new();
        let mut present_tags: BTreeSet<String> = BTreeSet::new();
        for (was, is) in pairs(&old.entries, &new.entries) {
            if let (Some(was), Some(is)) = (was, is) {
                if was == is {
                    continue;
                }
            }
            let id = was.or(is).map(|e| e.id().clone()).unwrap_or_default();
            if let Some(is) = is {
                present_categories.insert(is.category.as_str());
                present_tags.extend(is.tags.iter().map(|t| tag_slug(t)));
            }
            match (was, is) {
                (Some(was), Some(is)) if outline(was) == outline(is) => {}
                _ => changes.globals = true,
            }
            match (was, is) {
                (Some(was), Some(is)) if was.listed() == is.listed() => {}
                _ => {
                    changes.listings = true;
                    relisted.insert(id.clone());
                    for entry in was.iter().chain(is.iter()) {
                        changes.categories.insert(entry.category.clone());
                        changes.tags.extend(entry.tags.iter().map(|t| tag_slug(t)));
                    }
                }
            }
            if is.is_some() {
                changes.entries.insert(id.clone());
            } else {
                changes.removed.insert(Removed::Entry(id.clone()));
            }
        }
        if relisted.is_empty() {
            return changes;
        }
        // Entries that show a changed entry's title among their related entries.
        for entry in &new.entries {
            if entry.related.iter().any(|r| relisted.contains(r.target.as_str())) {
                changes.entries.insert(entry.id().clone());
            }
        }
        // A category or tag a changed entry left may have no entry left.
        let left_categories: Vec<String> =
            changes.categories.iter().filter(|c| !present_categories.contains(c.as_str())).cloned().collect();
        let left_tags: Vec<String> = changes.tags.difference(&present_tags).cloned().collect();
        if !left_categories.is_empty() {
            let categories: BTreeSet<&str> = new.entries.iter().map(|e| e.category.as_str()).collect();
            for category in left_categories.into_iter().filter(|c| !categories.contains(c.as_str())) {
                changes.removed.insert(Removed::Category(category));
                changes.listings = true;
            }
        }
        if !left_tags.is_empty() {
            let tags: BTreeSet<String> =
                new.entries.iter().flat_map(|e| e.tags.iter().map(|t| tag_slug(t))).collect();
            for tag in left_tags.into_iter().filter(|t| !tags.contains(t)) {
                changes.removed.insert(Removed::Tag(tag));
                changes.listings = true;
            }
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::SiteConfig;

    fn entry(category: &str, slug: &str, title: &str, tags: &[&str], related: &[&str]) -> Entry {
        let text = format!(
            "---\ncode: \"{slug}\"\ntitle: {title}\nsummary: s\nseverity: major\nupdated: 2026-01-01\n---\nbody\n"
        );
        let mut entry = crate::content::entry::parse_for_test(&text, category, slug, &test_config());
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
        Content {
            config: test_config(),
            entries: entries.into_iter().map(Arc::new).collect(),
            outputs: Arc::default(),
        }
    }

    #[test]
    fn a_body_edit_touches_its_page_only() {
        let a = entry("http", "500", "A", &["x"], &[]);
        let b = entry("http", "502", "B", &[], &["http/500"]);
        let mut edited = a.clone();
        edited.body.markdown = "new body".into();
        let changes = Changes::between(&content(vec![a, b.clone()]), &content(vec![edited, b]));
        assert_eq!(changes.entries.iter().map(EntryId::as_str).collect::<Vec<_>>(), ["http/500"]);
        assert!(!changes.listings);
        assert!(changes.categories.is_empty() && changes.tags.is_empty(), "no listing shows the body");
        assert!(!changes.globals, "no file listing every entry shows it either");
        assert!(changes.removed.is_empty());
    }

    #[test]
    fn shared_entries_edits_additions_and_removals_are_told_apart() {
        let a = Arc::new(entry("http", "500", "A", &[], &[]));
        let b = Arc::new(entry("http", "502", "B", &[], &[]));
        let c = Arc::new(entry("linux", "eacces", "C", &["perm"], &[]));
        let mut edited = (*b).clone();
        edited.body.markdown = "new body".into();
        let d = Arc::new(entry("linux", "enospc", "D", &[], &[]));
        let old = Content { config: test_config(), entries: vec![a.clone(), b, c], outputs: Arc::default() };
        let new =
            Content { config: test_config(), entries: vec![a, Arc::new(edited), d], outputs: Arc::default() };
        let changes = Changes::between(&old, &new);
        assert_eq!(
            changes.entries.iter().map(EntryId::as_str).collect::<Vec<_>>(),
            ["http/502", "linux/enospc"]
        );
        assert_eq!(
            changes.removed.iter().map(Removed::folder).collect::<Vec<_>>(),
            ["linux/eacces/", "tags/perm/"]
        );
        assert!(changes.listings && changes.globals);
        assert_eq!(changes.categories, BTreeSet::from(["linux".to_owned()]));
    }

    #[test]
    fn a_tag_taken_off_loses_its_page_only_when_no_entry_has_it() {
        let a = entry("http", "500", "A", &["only-here", "Shared Tag"], &[]);
        let b = entry("http", "502", "B", &["shared-tag"], &[]);
        let mut retagged = a.clone();
        retagged.tags = vec!["other".into()];
        let changes = Changes::between(&content(vec![a, b.clone()]), &content(vec![retagged, b]));
        assert_eq!(changes.removed.iter().map(Removed::folder).collect::<Vec<_>>(), ["tags/only-here/"]);
        assert_eq!(
            changes.tags,
            BTreeSet::from(["only-here".to_owned(), "other".to_owned(), "shared-tag".to_owned()])
        );
    }

    #[test]
    fn a_moved_line_is_no_change_but_a_new_date_or_redirect_is() {
        let mut a = entry("http", "500", "A", &["x"], &["http/502"]);
        a.redirect_from = vec![Link { target: "/old/".into(), span: Span::new(9, 3, 5) }];
        let b = entry("http", "502", "B", &[], &[]);
        let before = content(vec![a.clone(), b.clone()]);

        let mut moved = a.clone();
        moved.related[0].span = Span::new(12, 5, 10);
        moved.redirect_from[0].span = Span::new(14, 3, 5);
        moved.steps = vec![crate::content::Step { title: "Restart".into(), body: Text::default() }];
        let changes = Changes::between(&before, &content(vec![moved, b.clone()]));
        assert!(!changes.globals, "{changes:?}");

        let mut dated = a.clone();
        dated.updated = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        assert!(
            Changes::between(&before, &content(vec![dated, b.clone()])).globals,
            "the sitemap and feed show dates"
        );

        let mut redirected = a;
        redirected.redirect_from[0].target = "/older/".into();
        assert!(Changes::between(&before, &content(vec![redirected, b])).globals, "redirect pages");
    }

    #[test]
    fn a_new_title_reaches_the_entries_that_show_it() {
        let a = entry("http", "500", "A", &[], &[]);
        let b = entry("http", "502", "B", &[], &["http/500"]);
        let renamed = entry("http", "500", "A renamed", &[], &[]);
        let changes = Changes::between(&content(vec![a, b.clone()]), &content(vec![renamed, b]));
        assert_eq!(changes.entries.iter().map(EntryId::as_str).collect::<Vec<_>>(), ["http/500", "http/502"]);
        assert!(changes.listings);
        assert!(changes.globals);
        assert_eq!(changes.categories, BTreeSet::from(["http".to_owned()]));
    }

    #[test]
    fn a_deleted_entry_removes_its_page_and_emptied_listings() {
        let a = entry("http", "500", "A", &["only-here"], &[]);
        let b = entry("linux", "enospc", "B", &[], &[]);
        let changes = Changes::between(&content(vec![a, b.clone()]), &content(vec![b]));
        assert_eq!(
            changes.removed,
            BTreeSet::from([
                Removed::Entry(EntryId::new("http", "500")),
                Removed::Category("http".to_owned()),
                Removed::Tag("only-here".to_owned())
            ])
        );
        assert!(changes.entries.is_empty());
    }

    #[test]
    fn stale_files_are_those_of_what_is_gone_and_the_search_index() {
        let a = entry("http", "500", "A", &["only-here"], &[]);
        let b = entry("linux", "enospc", "B", &[], &[]);
        let last = content(vec![a, b.clone()]);
        let changes = Changes::between(&last, &content(vec![b]));
        let stale = Stale::of(&changes, &last);
        for path in [
            "http/500/index.html",
            "api/http/500.json",
            "http/index.html",
            "tags/only-here/index.html",
            "search/meta.js",
        ] {
            assert!(stale.contains(path), "{path}");
        }
        for path in [
            "linux/enospc/index.html",
            "api/linux/enospc.json",
            "api/http/5000.json",
            "tags/other/index.html",
        ] {
            assert!(!stale.contains(path), "{path}");
        }
    }
}
