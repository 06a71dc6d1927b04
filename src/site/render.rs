//! Rendering a loaded site: contexts for every page, the templates, and the assets.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use anyhow::{anyhow, Result};
use rayon::prelude::*;
use tera::Context;

use super::{log_stage, Changes, Progress, Scope, Sink, Site};
use crate::content::{tag_slug, Entry, EntryId, Listed, SiteConfig, Status};
use crate::markdown::{self, LinkStyle, Part};
use crate::search::{self, SearchDoc};
use crate::templates::context::{
    AppliesTo, AuthorInfo, Category, CategoryRef, EntryPage, EntrySummary, FaqItem, PageInfo, SiteInfo,
    SourceInfo, StepInfo, TagCount, TagPage, TagRef, TocItem, VarInfo, VerifyItem,
};
use crate::templates::DEFAULT_ASSETS;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderStats {
    pub entries: usize,
    pub pages: usize,
}

/// How this build writes links: under `base_url`'s path, or relative for reading from disk.
struct Urls {
    base_url: String,
    base_path: String,
    offline: bool,
}

impl Urls {
    fn of(site: &Site) -> Urls {
        let config = &site.content.config;
        Urls {
            base_url: config.base_url.clone(),
            base_path: config.base_path().to_owned(),
            offline: site.options.offline,
        }
    }

    /// The prefix that leads to the site root from a page `depth` folders deep.
    fn root(&self, depth: usize) -> String {
        if self.offline {
            "../".repeat(depth)
        } else {
            self.base_path.clone()
        }
    }

    fn index_suffix(&self) -> &'static str {
        if self.offline {
            "index.html"
        } else {
            ""
        }
    }

    /// A folder page's href relative to the root: `http/503/` (or `http/503/index.html`).
    fn href(&self, folder: &str) -> String {
        format!("{folder}{}", self.index_suffix())
    }

    fn canonical(&self, folder: &str) -> String {
        format!("{}{folder}", self.base_url)
    }

    fn links(&self, depth: usize) -> LinkStyle {
        LinkStyle { root: self.root(depth), index_suffix: self.index_suffix().to_owned() }
    }
}

/// How deep an entry's Markdown copy sits: `<category>/<slug>/index.md`.
const COPY_DEPTH: usize = 2;

fn entry_folder(entry: &Entry) -> String {
    format!("{}/{}/", entry.category, entry.slug)
}

/// Everything shared by the pages of one build.
struct Shared<'a> {
    site: &'a Site,
    urls: Urls,
    base: Context,
    summaries: Arc<BTreeMap<EntryId, EntrySummary>>,
    /// Every entry by id, for the related entries of data API documents.
    by_id: BTreeMap<EntryId, &'a Entry>,
    /// `site` of the templates, kept when its disclosure has headings.
    site_info: Option<SiteInfo>,
    /// The Markdown copies of the entries rendered so far, by id, when `keep_copies`: a render
    /// of part of the site keeps them for `llms-full.txt`, while a render of all of it makes
    /// again the few hundred that file holds rather than hold all of them.
    copies: std::sync::Mutex<BTreeMap<EntryId, Arc<String>>>,
    keep_copies: bool,
    /// Where highlighted snippets are kept between builds, if anywhere.
    snippets: Option<&'a dyn markdown::SnippetStore>,
}

impl<'a> Shared<'a> {
    /// What every page of a render of `site` shares: the site, the navigation of `categories`
    /// and the version of the assets in their URLs.
    fn new(
        site: &'a Site,
        urls: Urls,
        summaries: Arc<BTreeMap<EntryId, EntrySummary>>,
        categories: &[Category],
        asset_version: &str,
        snippets: Option<&'a dyn markdown::SnippetStore>,
    ) -> Shared<'a> {
        let config = &site.content.config;
        let entries = &site.content.entries;
        let mut base = Context::new();
        let mut disclosure_ids = markdown::Ids::default();
        let site_info = SiteInfo {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: config.base_url.clone(),
            disclosure_html: markdown::render_in(
                &config.disclosure,
                Part::FIELD,
                &urls.links(2),
                &mut disclosure_ids,
            )
            .html,
            checklist_hours: config.checklist_hours,
            base_path: config.base_path().to_owned(),
        };
        base.insert("site", &site_info);
        // A disclosure with headings is rendered again on each entry page, after the entry's own
        // texts, so its heading ids are unique on that page too.
        let site_info = (disclosure_ids != markdown::Ids::default()).then_some(site_info);
        base.insert("index_suffix", urls.index_suffix());
        base.insert("asset_version", asset_version);
        let nav: Vec<Category> =
            categories.iter().map(|c| Category { entries: Vec::new(), ..c.clone() }).collect();
        base.insert("categories", &nav);
        base.insert("structured_data", &Vec::<String>::new());
        let by_id = entries.iter().map(|e| (e.id().clone(), &**e)).collect();
        Shared {
            site,
            urls,
            base,
            summaries,
            by_id,
            site_info,
            copies: Default::default(),
            keep_copies: false,
            snippets,
        }
    }

    fn config(&self) -> &SiteConfig {
        &self.site.content.config
    }

    fn llms(&self) -> super::llms::Context<'_> {
        super::llms::Context {
            config: self.config(),
            by_id: &self.by_id,
            links: super::llms::Links { base_url: self.urls.base_url.clone(), offline: self.urls.offline },
        }
    }

    fn context(&self, depth: usize, page: &PageInfo) -> Context {
        let mut context = self.base.clone();
        context.insert("root", &self.urls.root(depth));
        context.insert("page", page);
        context
    }

    fn page(&self, sink: &dyn Sink, template: &str, path: &str, context: &Context) -> Result<()> {
        let html = self
            .site
            .templates
            .render(template, context)
            .map_err(|e| anyhow!("failed to render `{path}` with {template}: {e}"))?;
        sink.put_owned(path, html.into_bytes())
    }
}

/// What a render can reuse from the previous render of the same site: the preview server keeps
/// one, so an edit does not make it extract and analyse the text of every entry again.
#[derive(Default)]
pub struct RenderCache {
    search: search::AnalysisCache,
    /// The search index of the last render, which an edit updates in place.
    live: std::sync::Mutex<Option<search::LiveIndex>>,
    /// Each entry's part of the data API index.
    api_parts: super::api::IndexParts,
    /// What listings show of each entry, by id, as the last render had them.
    summaries: std::sync::Mutex<Option<Arc<BTreeMap<EntryId, EntrySummary>>>>,
    /// The categories with their entries, as the last render had them.
    listing: std::sync::Mutex<Option<Listing>>,
    /// What the last sitemap showed, as [`super::seo::sitemap_inputs`] digests it.
    sitemap_inputs: std::sync::Mutex<Option<u64>>,
    /// Each entry's Markdown copy, by id, for `llms-full.txt`.
    copies: std::sync::Mutex<BTreeMap<EntryId, Arc<String>>>,
}

/// Categories with their entries in listing order, and each category as the template engine
/// takes it: the home page shows every entry, and turning ten thousand of them into template
/// values on every save would cost more than the rest of the save.
struct Listing {
    categories: Arc<Vec<Category>>,
    /// `values[i]`: `categories[i]` as a template value; `None` until asked for after a change.
    values: Vec<Option<tera::Value>>,
}

impl Listing {
    fn new(categories: Vec<Category>) -> Listing {
        Listing { values: vec![None; categories.len()], categories: Arc::new(categories) }
    }

    /// Moves the entries `changes` names to their new place (the pages of the others are
    /// untouched, and so is their order). False when that cannot give what [`categories`]
    /// would: a category appeared or emptied, or counts differ.
    fn update(
        &mut self,
        site: &Site,
        summaries: &BTreeMap<EntryId, EntrySummary>,
        urls: &Urls,
        changes: &Changes,
    ) -> bool {
        let counts = category_counts(site);
        if counts.len() != self.categories.len()
            || self.categories.iter().any(|c| counts.get(c.id.as_str()) != Some(&c.count))
        {
            return false;
        }
        let categories = Arc::make_mut(&mut self.categories);
        let removed = changes.removed.iter().filter_map(super::changes::Removed::entry);
        for id in changes.entries.iter().chain(removed).map(EntryId::as_str) {
            let href = urls.href(&format!("{id}/"));
            for (category, value) in categories.iter_mut().zip(&mut self.values) {
                if let Some(at) = category.entries.iter().position(|e| e.href == href) {
                    category.entries.remove(at);
                    *value = None;
                }
            }
            let Some(summary) = summaries.get(id) else { continue };
            let Some(at) = categories.iter().position(|c| c.id == summary.category.id) else {
                return false;
            };
            let key = listing_key(summary);
            let entries = &mut categories[at].entries;
            let place = entries.partition_point(|e| listing_key(e) < key);
            entries.insert(place, summary.clone());
            self.values[at] = None;
        }
        categories.iter().all(|c| c.entries.len() == c.count)
    }

    /// The categories as template values, taken out to be handed to the home page's context;
    /// [`RenderCache::put_home_values`] puts them back.
    fn take_values(&mut self) -> Vec<tera::Value> {
        self.values
            .iter_mut()
            .zip(self.categories.iter())
            .map(|(value, category)| value.take().unwrap_or_else(|| template_value(category)))
            .collect()
    }
}

/// Where an entry sits in its category's list: by code as people read it, then by address.
fn listing_key(summary: &EntrySummary) -> (Vec<(u8, String)>, &str) {
    (natural_key(&summary.code), &summary.href)
}

fn template_value<T: serde::Serialize>(value: &T) -> tera::Value {
    tera::to_value(value).unwrap_or_default()
}

impl RenderCache {
    /// What listings show of each entry: the last render's, with the entries `scope` names made
    /// again and removed ones taken out, or all made anew.
    fn summaries(
        &self,
        entries: &[Arc<Entry>],
        scope: &Scope,
        make: impl Fn(&Entry) -> EntrySummary,
    ) -> Arc<BTreeMap<EntryId, EntrySummary>> {
        let mut kept = self.summaries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let summaries = match (scope, kept.take()) {
            (Scope::Only(changes), Some(mut summaries)) => {
                let map = Arc::make_mut(&mut summaries);
                for id in changes.removed.iter().filter_map(super::changes::Removed::entry) {
                    map.remove(id);
                }
                for entry in entries.iter().filter(|e| changes.entries.contains(e.id().as_str())) {
                    map.insert(entry.id().clone(), make(entry));
                }
                summaries
            }
            _ => Arc::new(entries.iter().map(|e| (e.id().clone(), make(e))).collect()),
        };
        *kept = Some(summaries.clone());
        summaries
    }

    /// Whether the sitemap needs writing: always for a render of everything, otherwise only
    /// when an entry's page, date or tags changed since the last render.
    fn sitemap_changed(&self, site: &Site, scope: &Scope) -> bool {
        let inputs = super::seo::sitemap_inputs(&site.content.entries);
        let mut kept = self.sitemap_inputs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let same = !scope.is_everything() && *kept == Some(inputs);
        *kept = Some(inputs);
        !same
    }

    /// The categories with their entries: the last render's, with the entries `scope` names
    /// moved, or all made anew.
    fn categories(
        &self,
        site: &Site,
        summaries: &BTreeMap<EntryId, EntrySummary>,
        urls: &Urls,
        scope: &Scope,
    ) -> Arc<Vec<Category>> {
        let mut kept = self.listing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let (Scope::Only(changes), Some(listing)) = (scope, kept.as_mut()) {
            if listing.update(site, summaries, urls, changes) {
                return listing.categories.clone();
            }
        }
        let listing = Listing::new(categories(site, summaries, urls, true));
        let categories = listing.categories.clone();
        *kept = Some(listing);
        categories
    }

    /// The home page's `categories`, built from the values kept for the categories that did
    /// not change.
    fn take_home_values(&self) -> Option<Vec<tera::Value>> {
        let mut kept = self.listing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.as_mut().map(Listing::take_values)
    }

    fn put_home_values(&self, values: Vec<tera::Value>) {
        let mut kept = self.listing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(listing) = kept.as_mut().filter(|l| l.values.len() == values.len()) {
            listing.values = values.into_iter().map(Some).collect();
        }
    }

    /// The search index of `entries`: the last one updated with the entries `scope` names when
    /// the set of entries is the same, or a new one.
    fn search_index(
        &self,
        entries: &[Arc<Entry>],
        scope: &Scope,
        summaries: &BTreeMap<EntryId, EntrySummary>,
    ) -> search::IndexFiles {
        let mut live = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let (Scope::Only(changes), Some(index)) = (scope, live.as_mut()) {
            if changes.removed.is_empty() {
                let docs: Vec<SearchDoc> = entries
                    .iter()
                    .filter(|e| changes.entries.contains(e.id().as_str()))
                    .map(|e| search_doc(e, summaries))
                    .collect();
                if index.update(&docs) {
                    return index.files();
                }
            }
        }
        // The texts are made again rather than kept between saves: at 10,000 entries they would
        // hold 50 MB for the saves that index every entry again (a removal, a new template).
        let docs: Vec<SearchDoc> = entries.par_iter().map(|e| search_doc(e, summaries)).collect();
        let index = search::LiveIndex::new(&docs, Some(&self.search));
        let files = index.files();
        *live = Some(index);
        files
    }
}

/// Renders `scope` of `site` into `sink`.
///
/// Long on purpose: the stages of a render in the order they must run (what the cache keeps,
/// the listings, entries in parallel, the site-wide files), each a call to a function of its
/// own; what is left here is the order and the values the stages share.
pub fn render(site: &Site, sink: &dyn Sink, options: super::RenderOptions<'_>) -> Result<RenderStats> {
    let super::RenderOptions { scope, cache, progress, snippets } = options;
    let started = Instant::now();
    if let (Some(cache), Scope::Everything) = (cache, scope) {
        // What the parts show depends on site.yaml too.
        cache.api_parts.clear();
    }
    let config = &site.content.config;
    let urls = Urls::of(site);
    let entries = &site.content.entries;
    let summaries = match cache {
        Some(cache) => cache.summaries(entries, scope, |e| summary(e.listed(), config, &urls)),
        None => {
            Arc::new(entries.iter().map(|e| (e.id().clone(), summary(e.listed(), config, &urls))).collect())
        }
    };
    // Listings are the only pages that show a category's entries; the navigation counts them.
    let listed = scope.listings() || scope.some_category();
    let categories = match cache {
        Some(cache) => cache.categories(site, &summaries, &urls, scope),
        None => Arc::new(categories(site, &summaries, &urls, listed)),
    };
    let assets = assets(site);
    log_stage("assets", started);
    // The version in asset URLs covers the assets alone: the search index changes with every
    // edit, and naming it in every page would rewrite every page. The engine asks for the
    // index's description by the minute instead (see static/assets/search.js).
    let asset_version = asset_version(&assets);

    let mut shared = Shared::new(site, urls, summaries, &categories, &asset_version, snippets);
    shared.keep_copies = !scope.is_everything();

    let selected: Vec<&Entry> = entries.iter().filter(|e| scope.entry(e.id())).map(|e| &**e).collect();
    progress.start(selected.len() * 2);
    // The search index, the entry pages, the listings and the site-wide files do not depend on
    // each other: they share the cores, so a stretch of one that runs on one core leaves the
    // other to the rest.
    // The index's files go to the sink as soon as they are made rather than wait for the last
    // page: the index is done well before the pages (at 10,000 entries, a third of the way).
    let search_index = || -> Result<()> {
        let index = match cache {
            Some(cache) => cache.search_index(entries, scope, &shared.summaries),
            None => build_search_index(entries, &shared.summaries),
        };
        log_stage("search index", started);
        for search::IndexFile { path, bytes } in &index {
            sink.put_shared(path, bytes)?;
        }
        Ok(())
    };
    let entry_pages =
        || selected.par_iter().try_for_each(|entry| render_entry(&shared, entry, sink, progress));
    let site_wide = || -> Result<()> {
        if !scope.globals() {
            return Ok(());
        }
        sink.put("opensearch.xml", search::opensearch_xml(&config.title, &config.base_url).as_bytes())?;
        let (seo, (redirects, api)) = rayon::join(
            || super::seo::write(site, sink, cache.is_none_or(|cache| cache.sitemap_changed(site, scope))),
            || {
                let parts = cache.map(|c| &c.api_parts);
                rayon::join(|| super::redirects::write(site, sink), || super::api::write(site, sink, parts))
            },
        );
        seo.and(redirects.map(|_| ())).and(api)
    };
    let ((index, rendered), (listings, globals)) = rayon::join(
        || rayon::join(search_index, entry_pages),
        || rayon::join(|| render_listings(&shared, &categories, sink, scope, cache), site_wide),
    );
    rendered?;
    let pages = selected.len() + listings?;
    globals?;
    index?;
    write_llms(&shared, sink, scope, cache)?;
    log_stage("entry pages, listings, sitemap, feed, redirects and data API", started);

    if scope.is_everything() {
        for (path, bytes) in &assets {
            sink.put(path, bytes)?;
        }
    }
    log_stage("assets", started);
    Ok(RenderStats { entries: entries.len(), pages })
}

/// The search index a build of `site` writes, made without rendering a page.
pub(super) fn search_files(site: &Site) -> search::IndexFiles {
    let urls = Urls::of(site);
    let config = &site.content.config;
    let summaries: BTreeMap<EntryId, EntrySummary> =
        site.content.entries.iter().map(|e| (e.id().clone(), summary(e.listed(), config, &urls))).collect();
    build_search_index(&site.content.entries, &summaries)
}

/// The version in the URLs of `assets`: a hash of their bytes.
fn asset_version(assets: &[(String, Vec<u8>)]) -> String {
    format!("{:08x}", fnv1a(assets.iter().flat_map(|(_, bytes)| bytes.iter().copied())) as u32)
}

/// What a build of `site` renders the page of entry `id` (`http/503`) with, if the site has
/// that entry: the context `entry.html` is given.
pub(super) fn entry_page_context(site: &Site, id: &str) -> Option<Context> {
    let entry = site.content.entries.iter().find(|e| e.id() == id)?;
    let urls = Urls::of(site);
    let config = &site.content.config;
    let summaries: Arc<BTreeMap<EntryId, EntrySummary>> = Arc::new(
        site.content.entries.iter().map(|e| (e.id().clone(), summary(e.listed(), config, &urls))).collect(),
    );
    let categories = categories(site, &summaries, &urls, false);
    let asset_version = asset_version(&assets(site));
    let shared = Shared::new(site, urls, summaries, &categories, &asset_version, None);
    Some(entry_context(&shared, &entry.unpacked()).0)
}

/// The Markdown copy of the entry `id` (`http/503`) that a build of `site` writes to its
/// `index.md`, if the site has that entry.
pub(super) fn markdown_copy(site: &Site, id: &str) -> Option<String> {
    let by_id: BTreeMap<EntryId, &Entry> =
        site.content.entries.iter().map(|e| (e.id().clone(), &**e)).collect();
    let entry = *by_id.get(id)?;
    let urls = Urls::of(site);
    let llms = super::llms::Context {
        config: &site.content.config,
        by_id: &by_id,
        links: super::llms::Links { base_url: urls.base_url.clone(), offline: urls.offline },
    };
    Some(llms.entry_markdown(&entry.unpacked(), COPY_DEPTH))
}

/// An entry as listings show it, made from what [`Entry::listed`] says they show.
fn summary(entry: Listed<'_>, config: &SiteConfig, urls: &Urls) -> EntrySummary {
    EntrySummary {
        code: entry.code.to_owned(),
        title: entry.title.to_owned(),
        summary: entry.summary.to_owned(),
        severity: entry.severity.to_owned(),
        href: urls.href(&format!("{}/", entry.id)),
        category: CategoryRef {
            id: entry.category.to_owned(),
            name: config
                .category(entry.category)
                .map_or_else(|| entry.category.to_owned(), |c| c.name.clone()),
            href: urls.href(&format!("{}/", entry.category)),
        },
        status: entry.status.as_str(),
    }
}

/// Categories with entries: those of site.yaml in its order, then other folders by name. Each
/// holds its entries when `with_entries`, or else only counts them.
fn categories(
    site: &Site,
    summaries: &BTreeMap<EntryId, EntrySummary>,
    urls: &Urls,
    with_entries: bool,
) -> Vec<Category> {
    let config = &site.content.config;
    let mut by_id: BTreeMap<&str, Vec<EntrySummary>> = BTreeMap::new();
    let counts = category_counts(site);
    for entry in site.content.entries.iter().filter(|_| with_entries) {
        if let Some(summary) = summaries.get(entry.id().as_str()) {
            by_id.entry(entry.category.as_str()).or_default().push(summary.clone());
        }
    }
    let mut ordered: Vec<&str> =
        config.categories.iter().map(|c| c.id.as_str()).filter(|id| counts.contains_key(id)).collect();
    ordered.extend(counts.keys().copied().filter(|id| config.category(id).is_none()));
    ordered
        .into_iter()
        .map(|id| {
            let mut entries = by_id.remove(id).unwrap_or_default();
            entries.sort_by_cached_key(|e| (natural_key(&e.code), e.href.clone()));
            let configured = config.category(id);
            Category {
                id: id.to_owned(),
                name: configured.map_or_else(|| id.to_owned(), |c| c.name.clone()),
                description: configured.map(|c| c.description.clone()).unwrap_or_default(),
                href: urls.href(&format!("{id}/")),
                count: counts[id],
                entries,
            }
        })
        .collect()
}

/// How many entries each category has, by id.
fn category_counts(site: &Site) -> BTreeMap<&str, usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &site.content.entries {
        *counts.entry(entry.category.as_str()).or_default() += 1;
    }
    counts
}

/// A version range as the page shows it: `>=` as `≥`, `<=` as `≤`, `!=` as `≠`.
fn shown_range(range: &str) -> String {
    range.replace(">=", "≥").replace("<=", "≤").replace("!=", "≠")
}

/// Sorts codes as people read them: `42` before `404`, `E2` before `E10`.
fn natural_key(code: &str) -> Vec<(u8, String)> {
    let mut key = Vec::new();
    let mut chars = code.chars().peekable();
    while let Some(&c) = chars.peek() {
        let digits = c.is_ascii_digit();
        let mut part = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() != digits {
                break;
            }
            part.push(c.to_ascii_lowercase());
            chars.next();
        }
        if digits {
            let trimmed = part.trim_start_matches('0');
            key.push((0, format!("{trimmed:0>20}")));
        } else {
            key.push((1, part));
        }
    }
    key
}

/// The Markdown of one entry, rendered for its page.
struct EntryMarkdown {
    pub quick_fix: Option<String>,
    pub causes: Option<String>,
    pub steps: Vec<String>,
    pub verify: Vec<String>,
    pub faq: Vec<String>,
    /// The questions' inline Markdown.
    pub faq_questions: Vec<String>,
    pub body: markdown::Rendered,
}

impl EntryMarkdown {
    /// Renders the texts in the order the page shows them, so when two headings would have the
    /// same id the first on the page keeps it; `ids` holds the ids of the page's template.
    fn new(
        entry: &Entry,
        links: &LinkStyle,
        ids: &mut markdown::Ids,
        store: Option<&dyn markdown::SnippetStore>,
    ) -> EntryMarkdown {
        // Each text's headings nest under the template's heading it sits below: a section's
        // `<h2>`, or a step's or question's `<h3>`.
        // The entry's placeholders show in its code, in spans the page's inputs fill.
        let vars = &entry.vars;
        let field = |text: &crate::content::Text, part: Part, ids: &mut markdown::Ids| {
            markdown::render_vars(&text.markdown, part, links, ids, vars, store).html
        };
        let quick_fix = entry.quick_fix.as_ref().map(|t| field(t, Part::FIELD, ids));
        let causes = entry.causes.as_ref().map(|t| field(t, Part::FIELD, ids));
        let steps = entry.steps.iter().map(|s| field(&s.body, Part::ITEM_FIELD, ids)).collect();
        let verify = entry
            .verify
            .iter()
            .map(|v| markdown::render_inline_vars(&v.markdown, links, ids, vars, store))
            .collect();
        let body = markdown::render_vars(&entry.body.markdown, Part::Body, links, ids, vars, store);
        let mut faq = Vec::with_capacity(entry.faq.len());
        let mut faq_questions = Vec::with_capacity(entry.faq.len());
        for f in &entry.faq {
            faq_questions.push(markdown::render_inline_in(&f.question, links, ids));
            faq.push(field(&f.answer, Part::ITEM_FIELD, ids));
        }
        EntryMarkdown { quick_fix, causes, steps, verify, faq, faq_questions, body }
    }
}

/// The entry's page and its data API document.
fn render_entry(shared: &Shared<'_>, entry: &Entry, sink: &dyn Sink, progress: &dyn Progress) -> Result<()> {
    let entry = entry.unpacked();
    let entry: &Entry = &entry;
    let (context, toc) = entry_context(shared, entry);
    let folder = entry_folder(entry);
    shared.page(sink, "entry.html", &format!("{folder}index.html"), &context)?;
    let copy = shared.llms().entry_markdown(entry, COPY_DEPTH);
    sink.put(&format!("{folder}{}", super::llms::COPY_NAME), copy.as_bytes())?;
    if shared.keep_copies {
        let copies = &mut shared.copies.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        copies.insert(entry.id().clone(), Arc::new(copy));
    }
    progress.advance();
    super::api::write_document(shared.config(), &shared.by_id, entry, &toc, sink)?;
    progress.advance();
    Ok(())
}

/// What `entry.html` is rendered with for `entry`, and the headings of the entry's body.
///
/// Long on purpose: most of it is one struct literal, a few lines per field of the page;
/// split, the fields would only be farther from each other.
fn entry_context(shared: &Shared<'_>, entry: &Entry) -> (Context, Vec<markdown::Heading>) {
    let urls = &shared.urls;
    let mut ids = markdown::Ids::reserving(crate::templates::entry_page_ids(
        entry.steps.len(),
        entry.verify.len(),
        entry.faq.len(),
    ));
    entry.vars.names().for_each(|name| ids.reserve(crate::templates::var_input_id(name)));
    let html = EntryMarkdown::new(entry, &urls.links(2), &mut ids, shared.snippets);
    let mut steps_html = html.steps.into_iter();
    let mut verify_html = html.verify.into_iter();
    let mut faq_html = html.faq.into_iter();
    let mut question_html = html.faq_questions.into_iter();
    let page = EntryPage {
        summary: shared
            .summaries
            .get(entry.id().as_str())
            .cloned()
            .unwrap_or_else(|| summary(entry.listed(), shared.config(), urls)),
        slug: entry.slug.clone(),
        difficulty: entry.difficulty,
        fixable_percent: entry.fixable_percent,
        fix_minutes: entry.fix_minutes,
        updated: entry.updated.format("%Y-%m-%d").to_string(),
        updated_human: entry.updated.format("%B %Y").to_string(),
        reviewed: entry.reviewed.map(|d| d.format("%Y-%m-%d").to_string()),
        reviewed_human: entry.reviewed.map(|d| d.format("%B %-d, %Y").to_string()),
        replaced_by: entry
            .replaced_by
            .as_ref()
            .and_then(|r| shared.summaries.get(r.target.as_str()).cloned()),
        applies_to: entry
            .applies_to
            .iter()
            .map(|p| AppliesTo {
                product: p.product.clone(),
                range: p.range.clone(),
                shown: shown_range(&p.range),
            })
            .collect(),
        author: entry.author.as_ref().map(|a| AuthorInfo {
            name: a.name.clone(),
            role: a.role.clone(),
            url: a.url.clone(),
        }),
        sources: entry
            .sources
            .iter()
            .map(|s| SourceInfo { title: s.title.clone(), url: s.url.clone() })
            .collect(),
        aliases: entry.aliases.clone(),
        tags: entry
            .tags
            .iter()
            .map(|t| TagRef { name: t.clone(), href: urls.href(&format!("tags/{}/", tag_slug(t))) })
            .collect(),
        related: entry
            .related
            .iter()
            .filter_map(|r| shared.summaries.get(r.target.as_str()).cloned())
            .collect(),
        quick_fix_html: html.quick_fix.unwrap_or_default(),
        causes_html: html.causes.unwrap_or_default(),
        steps: entry
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepInfo {
                number: i + 1,
                title: s.title.clone(),
                body_html: steps_html.next().unwrap_or_default(),
            })
            .collect(),
        verify: entry
            .verify
            .iter()
            .enumerate()
            .map(|(i, _)| VerifyItem {
                id: format!("verify-{}", i + 1),
                html: verify_html.next().unwrap_or_default(),
            })
            .collect(),
        vars: entry
            .vars
            .iter()
            .map(|var| VarInfo {
                name: var.name.clone(),
                default: var.default.clone(),
                id: crate::templates::var_input_id(&var.name),
            })
            .collect(),
        body_html: html.body.html,
        toc: html.body.toc.iter().map(|h| TocItem { id: h.id.clone(), title: h.title.clone() }).collect(),
        faq: entry
            .faq
            .iter()
            .enumerate()
            .map(|(i, f)| FaqItem {
                id: format!("faq-{}", i + 1),
                question: f.question.clone(),
                question_html: question_html.next().unwrap_or_default(),
                answer_html: faq_html.next().unwrap_or_default(),
            })
            .collect(),
    };
    let folder = entry_folder(entry);
    let mut context = shared.context(
        2,
        &PageInfo {
            title: entry.headline().into_owned(),
            description: entry.summary.clone(),
            canonical: urls.canonical(&folder),
            kind: "entry",
        },
    );
    context.insert("entry", &page);
    if let Some(site) = &shared.site_info {
        let links = urls.links(2);
        let disclosure_html =
            markdown::render_in(&shared.config().disclosure, Part::FIELD, &links, &mut ids).html;
        context.insert("site", &SiteInfo { disclosure_html, ..site.clone() });
    }
    context.insert("structured_data", &super::seo::entry_json_ld(shared.config(), entry));
    (context, html.body.toc)
}

/// `llms.txt` and `llms-full.txt`, from the copies this render made and, for the entries it
/// did not render again, the ones the cache kept.
fn write_llms(
    shared: &Shared<'_>,
    sink: &dyn Sink,
    scope: &Scope,
    cache: Option<&RenderCache>,
) -> Result<()> {
    let fresh = std::mem::take(&mut *shared.copies.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    let mut copies = match (cache, scope) {
        (Some(cache), Scope::Only(_)) => {
            std::mem::take(&mut *cache.copies.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
        }
        _ => BTreeMap::new(),
    };
    copies.extend(fresh);
    let llms = shared.llms();
    // `llms-full.txt` stops at a size, so it holds the first few hundred entries' copies; the
    // cache keeps those alone (a copy it lacks is made again here, from the entry).
    let used: std::sync::Mutex<BTreeMap<EntryId, Arc<String>>> = Default::default();
    let copy = |entry: &Entry| {
        let made = copies.get(entry.id().as_str()).cloned();
        let made = made.unwrap_or_else(|| Arc::new(llms.entry_markdown(&entry.unpacked(), COPY_DEPTH)));
        let text = String::clone(&made);
        used.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(entry.id().clone(), made);
        text
    };
    let sections = llms_sections(shared.site);
    super::llms::write(&llms, &sections, copy, sink)?;
    if let Some(cache) = cache {
        *cache.copies.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            used.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    }
    Ok(())
}

/// The categories with their entries in listing order, as `llms.txt` lists them.
fn llms_sections(site: &Site) -> Vec<super::llms::Section<'_>> {
    let config = &site.content.config;
    let mut by_id: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for entry in &site.content.entries {
        by_id.entry(entry.category.as_str()).or_default().push(entry);
    }
    let mut ordered: Vec<&str> =
        config.categories.iter().map(|c| c.id.as_str()).filter(|id| by_id.contains_key(id)).collect();
    ordered.extend(by_id.keys().copied().filter(|id| config.category(id).is_none()));
    ordered
        .into_iter()
        .map(|id| {
            let mut entries = by_id.remove(id).unwrap_or_default();
            entries.sort_by_cached_key(|e| (natural_key(&e.code), entry_folder(e)));
            let configured = config.category(id);
            super::llms::Section {
                id,
                name: configured.map_or(id, |c| c.name.as_str()),
                description: configured.map_or("", |c| c.description.as_str()),
                entries,
            }
        })
        .collect()
}

/// Home, categories, tags, search and 404. Returns the number of pages written.
/// The category and tag pages `scope` names, in parallel. Returns the number of pages written.
fn render_groups(
    shared: &Shared<'_>,
    categories: &[Category],
    tags: &BTreeMap<String, TagPage>,
    sink: &dyn Sink,
    scope: &Scope,
) -> Result<usize> {
    let categories = categories
        .par_iter()
        .filter(|c| scope.category(&c.id))
        .map(|category| render_category(shared, category, sink))
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    let tags = tags
        .par_iter()
        .filter(|(slug, _)| scope.tag(slug))
        .map(|(slug, tag)| render_tag(shared, slug, tag, sink))
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(categories + tags)
}

fn render_listings(
    shared: &Shared<'_>,
    categories: &[Category],
    sink: &dyn Sink,
    scope: &Scope,
    cache: Option<&RenderCache>,
) -> Result<usize> {
    let config = shared.config();
    let urls = &shared.urls;
    if !scope.listings() {
        // Only category and tag pages of the changed entries.
        let tags = if scope.some_tag() { tag_pages(shared, scope).0 } else { BTreeMap::new() };
        return render_groups(shared, categories, &tags, sink, scope);
    }

    // The home page lists every entry: the longest page to render by far, so the other
    // listings go alongside it.
    let home = || -> Result<usize> {
        let started = Instant::now();
        let mut home = shared.context(
            0,
            &PageInfo {
                title: config.title.clone(),
                description: config.description.clone(),
                canonical: urls.canonical(""),
                kind: "home",
            },
        );
        home.insert("entry_count", &shared.site.content.entries.len());
        home.insert("structured_data", &super::seo::home_json_ld(config));
        let Some(values) = cache.and_then(RenderCache::take_home_values) else {
            home.insert("categories", categories);
            shared.page(sink, "index.html", "index.html", &home)?;
            log_stage("home page", started);
            return Ok(1);
        };
        // The kept values go into the context and come back out, never copied.
        let mut categories = tera::Map::new();
        categories.insert("categories".to_owned(), tera::Value::Array(values));
        home.extend(Context::from_value(tera::Value::Object(categories))?);
        let rendered = shared.page(sink, "index.html", "index.html", &home);
        if let (Some(cache), Some(tera::Value::Array(values))) = (cache, home.remove("categories")) {
            cache.put_home_values(values);
        }
        log_stage("home page", started);
        rendered.map(|()| 1)
    };
    let (home, others) = rayon::join(home, || other_listings(shared, categories, sink, scope));
    Ok(home? + others?)
}

/// The listings besides the home page: category and tag pages, the tag index, the search page
/// and the page for missing pages.
fn other_listings(
    shared: &Shared<'_>,
    categories: &[Category],
    sink: &dyn Sink,
    scope: &Scope,
) -> Result<usize> {
    let config = shared.config();
    let urls = &shared.urls;
    let (tags, counts) = tag_pages(shared, scope);
    let mut pages = render_groups(shared, categories, &tags, sink, scope)?;
    let mut context = shared.context(
        1,
        &PageInfo {
            title: "Tags".to_owned(),
            description: format!("Every tag of {}", config.title),
            canonical: urls.canonical("tags/"),
            kind: "tags",
        },
    );
    context.insert("tags", &counts);
    shared.page(sink, "tags.html", "tags/index.html", &context)?;
    pages += 1;

    let context = shared.context(
        1,
        &PageInfo {
            title: "Search".to_owned(),
            description: format!("Search {}", config.title),
            canonical: urls.canonical("search/"),
            kind: "search",
        },
    );
    shared.page(sink, "search.html", "search/index.html", &context)?;
    pages += 1;

    // Hosts serve 404.html at any depth, so its links cannot be relative to one folder.
    let mut context = shared.context(
        0,
        &PageInfo {
            title: "Page not found".to_owned(),
            description: config.description.clone(),
            canonical: urls.canonical("404.html"),
            kind: "not_found",
        },
    );
    if !urls.offline {
        context.insert("root", &urls.base_path);
    }
    shared.page(sink, "404.html", "404.html", &context)?;
    pages += 1;
    Ok(pages)
}

fn render_category(shared: &Shared<'_>, category: &Category, sink: &dyn Sink) -> Result<usize> {
    let folder = format!("{}/", category.id);
    let description = if category.description.is_empty() {
        format!("{} entries in {}", category.count, category.name)
    } else {
        category.description.clone()
    };
    let mut context = shared.context(
        1,
        &PageInfo {
            title: category.name.clone(),
            description,
            canonical: shared.urls.canonical(&folder),
            kind: "category",
        },
    );
    context.insert("category", category);
    shared.page(sink, "category.html", &format!("{folder}index.html"), &context)?;
    Ok(1)
}

/// The tags `scope` names with their entries, by slug, and every tag with its count.
fn tag_pages(shared: &Shared<'_>, scope: &Scope) -> (BTreeMap<String, TagPage>, Vec<TagCount>) {
    let mut pages: BTreeMap<String, TagPage> = BTreeMap::new();
    let mut counts: BTreeMap<String, TagCount> = BTreeMap::new();
    for entry in &shared.site.content.entries {
        let mut summary = None;
        for tag in &entry.tags {
            let slug = tag_slug(tag);
            let href = || shared.urls.href(&format!("tags/{slug}/"));
            counts
                .entry(slug.clone())
                .or_insert_with(|| TagCount { name: tag.clone(), href: href(), count: 0 })
                .count += 1;
            if !scope.tag(&slug) {
                continue;
            }
            // Only the pages rendered hold their entries.
            let Some(summary) = *summary.get_or_insert_with(|| shared.summaries.get(entry.id().as_str()))
            else {
                continue;
            };
            let page = pages.entry(slug.clone()).or_insert_with(|| TagPage {
                name: tag.clone(),
                href: href(),
                entries: Vec::new(),
            });
            page.entries.push(summary.clone());
        }
    }
    (pages, counts.into_values().collect())
}

fn render_tag(shared: &Shared<'_>, slug: &str, tag: &TagPage, sink: &dyn Sink) -> Result<usize> {
    let folder = format!("tags/{slug}/");
    let mut context = shared.context(
        2,
        &PageInfo {
            title: format!("Tagged “{}”", tag.name),
            description: format!("{} entries tagged {}", tag.entries.len(), tag.name),
            canonical: shared.urls.canonical(&folder),
            kind: "tag",
        },
    );
    context.insert("tag", tag);
    shared.page(sink, "tag.html", &format!("{folder}index.html"), &context)?;
    Ok(1)
}

/// The highlighting CSS, made at build time beside the built-in assets.
const HIGHLIGHT_CSS: &str = "assets/highlight.css";

/// The output paths of the built-in assets, which a site's static files may replace.
pub(super) fn built_in_assets() -> impl Iterator<Item = &'static str> {
    DEFAULT_ASSETS.iter().map(|asset| asset.path).chain([HIGHLIGHT_CSS])
}

/// Built-in assets with the site's static files laid over them, and the highlighting CSS.
fn assets(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files: BTreeMap<String, Vec<u8>> =
        DEFAULT_ASSETS.iter().map(|asset| (asset.path.to_owned(), asset.bytes.to_vec())).collect();
    files.insert(HIGHLIGHT_CSS.to_owned(), markdown::highlight_css().into_bytes());
    for file in &site.static_files {
        files.insert(file.path.clone(), file.bytes.clone());
    }
    files.into_iter().collect()
}

fn search_doc(entry: &Entry, summaries: &BTreeMap<EntryId, EntrySummary>) -> SearchDoc {
    SearchDoc { text: search_text(entry), ..search_doc_without_text(entry, summaries) }
}

/// The search index of `entries` with each entry's text made as its document is analysed, so
/// the texts of all entries are never held at once.
fn build_search_index(
    entries: &[Arc<Entry>],
    summaries: &BTreeMap<EntryId, EntrySummary>,
) -> search::IndexFiles {
    let docs: Vec<SearchDoc> = entries.par_iter().map(|e| search_doc_without_text(e, summaries)).collect();
    let by_href: HashMap<&str, &Entry> =
        docs.iter().map(|d| d.href.as_str()).zip(entries.iter().map(|e| &**e)).collect();
    search::build_index_with_texts(&docs, &|doc| {
        by_href.get(doc.href.as_str()).map_or_else(String::new, |e| search_text(&e.unpacked()))
    })
}

/// The Markdown texts of an entry that search reads: the causes, steps, body and FAQ.
fn search_parts(entry: &Entry) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for field in [&entry.quick_fix, &entry.causes].into_iter().flatten() {
        parts.push(&field.markdown);
    }
    for step in &entry.steps {
        parts.push(&step.title);
        parts.push(&step.body.markdown);
    }
    parts.push(&entry.body.markdown);
    for faq in &entry.faq {
        parts.push(&faq.question);
        parts.push(&faq.answer.markdown);
    }
    parts
}

/// The plain text of [`search_parts`], one space between parts.
fn search_text(entry: &Entry) -> String {
    let mut text = String::new();
    for markdown in search_parts(entry) {
        let plain = markdown::plain_text(markdown);
        if !plain.is_empty() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&plain);
        }
    }
    text
}

/// An entry's search document with an empty `text`.
fn search_doc_without_text(entry: &Entry, summaries: &BTreeMap<EntryId, EntrySummary>) -> SearchDoc {
    let summary = summaries.get(entry.id().as_str());
    SearchDoc {
        href: summary.map(|s| s.href.clone()).unwrap_or_default(),
        code: entry.code.clone(),
        title: entry.title.clone(),
        summary: entry.summary.clone(),
        category: entry.category.clone(),
        category_name: summary.map(|s| s.category.name.clone()).unwrap_or_default(),
        severity: entry.severity.clone(),
        aliases: entry.aliases.clone(),
        tags: entry.tags.clone(),
        demotion: match entry.status {
            Status::Current => 0,
            Status::Deprecated => 1,
            Status::Retired => 2,
        },
        products: entry.applies_to.iter().map(|p| p.product.clone()).collect(),
        text: String::new(),
    }
}

/// FNV-1a: a small, stable hash for cache-busting asset URLs.
fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_sort_naturally() {
        let mut codes = vec!["E10", "404", "E2", "42", "500", "ENOSPC", "EACCES"];
        codes.sort_by_key(|c| natural_key(c));
        assert_eq!(codes, ["42", "404", "500", "E2", "E10", "EACCES", "ENOSPC"]);
    }

    #[test]
    fn offline_roots_are_relative() {
        let urls = Urls { base_url: "https://e.org/kb/".into(), base_path: "/kb/".into(), offline: true };
        assert_eq!(urls.root(2), "../../");
        assert_eq!(urls.root(0), "");
        assert_eq!(urls.href("http/503/"), "http/503/index.html");
        let online = Urls { offline: false, ..urls };
        assert_eq!(online.root(2), "/kb/");
        assert_eq!(online.href("http/503/"), "http/503/");
        assert_eq!(online.canonical("http/503/"), "https://e.org/kb/http/503/");
    }
}
