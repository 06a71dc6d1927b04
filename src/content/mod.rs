//! The entry model: walking `content/`, reading front matter, and validating entries against
//! the site and each other. Renders nothing; every problem becomes a [`Diagnostic`].

pub mod config;
pub mod entry;
pub mod outputs;
mod places;
pub mod redirects;
pub mod review;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

pub use config::{Author, CategoryConfig, SiteAuthor, SiteCategory, SiteConfig};
pub use entry::{Format, TODO_MARKER};

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

/// A product an entry applies to, and the range of its versions (`nginx`, `>=1.19`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRange {
    pub product: String,
    pub range: String,
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
    /// `http/503`: how other entries refer to this one.
    pub id: EntryId,
    /// Path relative to the site root, e.g. `content/http/503.md`.
    pub file: String,
    pub category: String,
    pub slug: String,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub severity: String,
    pub difficulty: Option<Difficulty>,
    pub fixable_percent: Option<u8>,
    pub fix_minutes: Option<u32>,
    pub updated: NaiveDate,
    pub author: Option<Author>,
    pub sources: Vec<Source>,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// `category/slug` of related entries, as written.
    pub related: Vec<Link>,
    /// Site paths (`/503/`) that lead to this entry, as written.
    pub redirect_from: Vec<Link>,
    pub quick_fix: Option<Text>,
    pub causes: Option<Text>,
    pub steps: Vec<Step>,
    pub verify: Vec<Text>,
    pub faq: Vec<Faq>,
    pub draft: bool,
    /// When the entry was last checked against its sources; `check` warns once it is older
    /// than site.yaml's `review_every`.
    pub reviewed: Option<NaiveDate>,
    pub status: Status,
    /// The entry that takes this one's place, as written (`category/slug`).
    pub replaced_by: Option<Link>,
    /// Product → version range (`nginx` → `>=1.19`), sorted by product.
    pub applies_to: Vec<ProductRange>,
    /// Placeholders (`<<namespace>>` in code) and their defaults, in the order declared.
    pub vars: crate::markdown::Vars,
    /// Where each placeholder of `vars` is declared, in the same order.
    pub var_spans: Vec<Span>,
    pub body: Text,
    /// Site-absolute links (`/http/502/`) found in the entry's Markdown.
    pub links: Vec<Link>,
    /// The Markdown of every text, compressed, when [`Entry::pack_texts`] emptied the texts.
    pub(crate) packed: Option<PackedTexts>,
}

/// An entry's Markdown texts, one after another (each after its length), compressed: a build
/// holds every entry from loading until its pages are made, and the Markdown is most of an
/// entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PackedTexts {
    bytes: Box<[u8]>,
    /// How long the texts are together, with their lengths.
    plain_len: usize,
}

/// How much a reader needs to know to follow an entry's fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Beginner, Difficulty::Intermediate, Difficulty::Advanced];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Beginner => "beginner",
            Difficulty::Intermediate => "intermediate",
            Difficulty::Advanced => "advanced",
        }
    }

    pub fn parse(text: &str) -> Option<Difficulty> {
        Difficulty::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

impl std::fmt::Display for Difficulty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Whether an entry still describes an error readers meet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    #[default]
    Current,
    /// Still met, but on its way out: shown with a notice, ranked below current entries.
    Deprecated,
    /// No longer met: a tombstone page that stays findable and points to `replaced_by`.
    Retired,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Current, Status::Deprecated, Status::Retired];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Deprecated => "deprecated",
            Status::Retired => "retired",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl Entry {
    /// `http/503`: how other entries refer to this one.
    pub fn id(&self) -> &EntryId {
        &self.id
    }

    /// The entry's name where it stands alone (a browser tab, a feed, a link in a Markdown
    /// copy): its title, led by its code unless the title already names it, so that
    /// `HTTP 503 Service Unavailable` is not shown as `503 — HTTP 503 Service Unavailable`.
    pub fn headline(&self) -> std::borrow::Cow<'_, str> {
        if names_code(&self.title, &self.code) {
            std::borrow::Cow::Borrowed(&self.title)
        } else {
            std::borrow::Cow::Owned(format!("{} — {}", self.code, self.title))
        }
    }

    /// The Markdown of every text of the entry, in one order.
    fn markdown_mut(&mut self) -> Vec<&mut String> {
        let mut texts: Vec<&mut String> = Vec::new();
        texts.extend(self.quick_fix.as_mut().map(|t| &mut t.markdown));
        texts.extend(self.causes.as_mut().map(|t| &mut t.markdown));
        texts.extend(self.steps.iter_mut().map(|s| &mut s.body.markdown));
        texts.extend(self.verify.iter_mut().map(|t| &mut t.markdown));
        texts.extend(self.faq.iter_mut().map(|f| &mut f.answer.markdown));
        texts.push(&mut self.body.markdown);
        texts
    }

    /// Compresses the Markdown of every text and leaves the texts empty until
    /// [`Entry::unpacked`]: for a build, which reads an entry's Markdown only when it makes
    /// the entry's pages and search text, after every entry is loaded and checked.
    pub fn pack_texts(&mut self) {
        if self.packed.is_some() {
            return;
        }
        let mut plain = Vec::new();
        for text in self.markdown_mut() {
            let text = std::mem::take(text);
            plain.extend_from_slice(&u32::try_from(text.len()).expect("a text under 4 GiB").to_le_bytes());
            plain.extend_from_slice(text.as_bytes());
        }
        let bytes = crate::pack::compress(&plain).expect("bytes in memory compress");
        self.packed = Some(PackedTexts { bytes: bytes.into_boxed_slice(), plain_len: plain.len() });
    }

    /// The entry with its texts: itself, or a copy with the texts [`Entry::pack_texts`]
    /// compressed unpacked.
    pub fn unpacked(&self) -> std::borrow::Cow<'_, Entry> {
        let Some(packed) = &self.packed else { return std::borrow::Cow::Borrowed(self) };
        // Nothing but `pack_texts` wrote the frame; a failure to read it back is a bug.
        let plain = crate::pack::decompress(&packed.bytes, packed.plain_len)
            .unwrap_or_else(|| panic!("an entry's packed texts could not be read back"));
        let mut entry = Entry { packed: None, ..self.clone() };
        let mut rest = plain.as_slice();
        for text in entry.markdown_mut() {
            let (len, after) = rest.split_at(4);
            let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
            let (bytes, after) = after.split_at(len);
            *text = String::from_utf8(bytes.to_vec()).expect("packed from a string");
            rest = after;
        }
        std::borrow::Cow::Owned(entry)
    }

    /// What listings show of this entry.
    pub fn listed(&self) -> Listed<'_> {
        Listed {
            id: &self.id,
            category: &self.category,
            code: &self.code,
            title: &self.title,
            summary: &self.summary,
            severity: &self.severity,
            tags: &self.tags,
            status: self.status,
        }
    }
}

/// Whether `title` holds `code` as a word of its own, ignoring case: `CFG-0333: …` and
/// `HTTP 503 …` name their codes; `E5031 …` does not name `503`, nor `ECONNRESET` `RESET`.
fn names_code(title: &str, code: &str) -> bool {
    let code = code.trim();
    if code.is_empty() {
        return false;
    }
    let (title, code) = (title.to_lowercase(), code.to_lowercase());
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    title.match_indices(&code).any(|(at, _)| {
        !word(title[..at].chars().next_back()) && !word(title[at + code.len()..].chars().next())
    })
}

/// What the pages that list entries (category, tag and home pages, an entry's related
/// entries) show of one: they are made from this view alone, and the preview renders them
/// again exactly when an entry's view changes, so a field listings start to show cannot be
/// left out of that test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed<'a> {
    pub id: &'a EntryId,
    pub category: &'a str,
    pub code: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub severity: &'a str,
    /// The tag pages it is listed on.
    pub tags: &'a [String],
    pub status: Status,
}

/// An entry's `category/slug`, made once when the entry is read: the key of every map of
/// entries. Cloning it shares the text.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct EntryId(Arc<str>);

impl EntryId {
    pub fn new(category: &str, slug: &str) -> EntryId {
        EntryId(format!("{category}/{slug}").into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for EntryId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for EntryId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EntryId {
    /// Honours width and alignment, as `str` does (`explain` lines ids up in a column).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&self.0)
    }
}

impl PartialEq<str> for EntryId {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<String> for EntryId {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<EntryId> for String {
    fn eq(&self, other: &EntryId) -> bool {
        **self == *other.0
    }
}

/// Everything `content/` holds, validated. Entries are sorted by category, then slug.
#[derive(Debug)]
pub struct Content {
    pub config: SiteConfig,
    /// Shared with the preview's cache of parsed files, which hands the same entry to the next
    /// load when its file did not change.
    pub entries: Vec<Arc<Entry>>,
    /// Every file the build makes from content or for itself, for the check of `static/`.
    pub outputs: Arc<outputs::Outputs>,
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

pub use crate::slug::tag_slug;

/// One file found under `content/`.
struct Found {
    path: PathBuf,
    display: String,
    category: String,
    slug: String,
    format: Format,
}

/// The key that says whether two codes are the same code: lowercase letters and digits only, so
/// `ORA-00942`, `ora00942` and `Ora 00942` meet, and `E_0308` is `e0308`. The duplicate check,
/// `explain`, short links and search all compare codes by it.
pub fn code_key(code: &str) -> String {
    code.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()
}

/// Which code a code is, as the duplicate check, `explain` and short links tell codes apart:
/// by its [`code_key`], or, for a code with no letter or digit at all (`!!!`, `--`), by the
/// code itself, trimmed and in lowercase. Search matches only the first kind, since a query
/// of punctuation alone finds nothing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeKey {
    Letters(String),
    Literal(String),
}

impl CodeKey {
    /// The key of `code`; `None` for a blank code.
    pub fn of(code: &str) -> Option<CodeKey> {
        let key = code_key(code);
        if !key.is_empty() {
            return Some(CodeKey::Letters(key));
        }
        let literal = code.trim().to_lowercase();
        (!literal.is_empty()).then_some(CodeKey::Literal(literal))
    }
}

/// What loading needs to know beyond the files.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    pub snippets: SnippetChecks,
    /// Whether each entry's texts are compressed once it is read and checked
    /// ([`Entry::pack_texts`]).
    pub pack_texts: bool,
}

/// Whether loading has `bash` and `python3` read the snippets (the checks of docs/snippets.md
/// that start other programs). A build and `check` do; commands that only look entries up
/// (`triage`, `explain`, `mcp`) skip them: they would start hundreds of processes to report
/// warnings nobody asked for, and take a second before the first answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SnippetChecks {
    #[default]
    Run,
    Skip,
}

/// Parsed entry files kept between loads, so the preview server re-reads only the files that
/// changed. A file is parsed again when its size or modification time changes, and every
/// file is when site.yaml changes.
pub struct ParseCache {
    inner: std::sync::Mutex<CacheState>,
    /// A one-shot build keeps nothing: holding every parsed entry twice only costs memory.
    keep: bool,
}

#[derive(Default)]
struct CacheState {
    config: Option<SiteConfig>,
    files: std::collections::HashMap<PathBuf, CachedFile>,
    /// The last walk of `content/`.
    walk: Option<Arc<Walk>>,
    /// Whether files may have come or gone since the last walk: the next load walks again, and
    /// keeps the last walk if it finds the same.
    walk_stale: bool,
    /// The paths the watcher saw change, when it saw every change since the last load: the
    /// next load reads only these files again, and takes the others as they were.
    watched: Option<std::collections::HashSet<PathBuf>>,
    checked: Option<Arc<Checked>>,
}

/// What walking `content/` found: the entry files and the problems with the others.
struct Walk {
    found: Vec<Found>,
    diagnostics: Vec<Diagnostic>,
    paths: std::collections::HashSet<PathBuf>,
    /// The `category/slug` of every entry file.
    ids: BTreeSet<String>,
}

/// The last checks across entries. The next load reuses them when no file came or went and no
/// entry changed in what they read, as when an edit changes an entry's text: then only that
/// entry's links are checked again.
struct Checked {
    walk: Arc<Walk>,
    drafts: BTreeSet<EntryId>,
    /// Whether site.yaml asks for short links, which the checks of all entries read.
    short_links: bool,
    /// The entries checked, in order.
    reads: Vec<Read>,
    /// What the checks of all entries together found: duplicate codes, redirects.
    shared: Vec<Diagnostic>,
    /// The site path of every page.
    pages: Arc<BTreeSet<String>>,
    /// Every file the build makes.
    outputs: Arc<outputs::Outputs>,
    /// What the checks of each entry's links found, by entry.
    links: Vec<Vec<Diagnostic>>,
}

struct CachedFile {
    stamp: (u64, Option<std::time::SystemTime>),
    result: (Option<Read>, Vec<Diagnostic>),
}

/// An entry file as read: the entry, complete or not, and what the checks across entries need.
#[derive(Clone)]
struct Read {
    entry: Arc<Entry>,
    /// `false` when the file has errors: the entry is then not published.
    complete: bool,
    code_span: Span,
    tag_spans: Vec<Span>,
    /// The snippet checks that run for every entry at once.
    snippets: Arc<crate::snippets::Pending>,
}

impl Default for ParseCache {
    fn default() -> Self {
        ParseCache::new()
    }
}

impl ParseCache {
    /// A cache that keeps what it parses, for repeated loads of one site.
    pub fn new() -> Self {
        ParseCache { inner: std::sync::Mutex::default(), keep: true }
    }

    /// A cache that keeps nothing, for a single load.
    pub fn disabled() -> Self {
        ParseCache { inner: std::sync::Mutex::default(), keep: false }
    }

    /// Whether the cache keeps what it reads between loads.
    pub fn keeps(&self) -> bool {
        self.keep
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheState> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Tells the cache, from a file watcher that reports every change, which paths changed
    /// since the last load. When each of them is an entry file the last walk found, and still a
    /// file, the next load reads those files alone (the others are not even looked at); otherwise
    /// it walks `content/` again and compares every file's size and modification time.
    pub fn paths_changed(&self, paths: &[PathBuf]) {
        let mut state = self.lock();
        let Some(walk) = state.walk.clone() else {
            state.watched = None;
            return;
        };
        let named: std::collections::HashSet<PathBuf> = paths.iter().cloned().collect();
        if paths.iter().all(|path| walk.paths.contains(path) && path.is_file()) {
            state.watched = Some(named);
        } else {
            state.walk_stale = true;
            // A folder that moved holds files the watcher does not name one by one.
            state.watched = (!paths.iter().any(|path| path.is_dir())).then_some(named);
        }
    }

    /// Makes the next load walk `content/` and compare every file, as after lost watch events.
    pub fn anything_changed(&self) {
        let mut state = self.lock();
        state.walk = None;
        state.walk_stale = false;
        state.watched = None;
    }

    /// The entry files under `content/`: the last walk while no file may have come or gone, or
    /// when walking again finds the same.
    fn walk(&self, root: &Path, diagnostics: &mut Vec<Diagnostic>) -> anyhow::Result<Arc<Walk>> {
        let (last, stale) = {
            let state = self.lock();
            (state.walk.clone(), state.walk_stale)
        };
        if let (Some(walk), false) = (&last, stale) {
            diagnostics.extend(walk.diagnostics.iter().cloned());
            return Ok(walk.clone());
        }
        let mut found_diagnostics = Vec::new();
        let found = walk(root, &mut found_diagnostics)?;
        diagnostics.extend(found_diagnostics.iter().cloned());
        let same = last.filter(|last| {
            last.diagnostics == found_diagnostics
                && last.found.len() == found.len()
                && last.found.iter().zip(&found).all(|(a, b)| a.path == b.path)
        });
        let walk = match same {
            Some(last) => last,
            None => {
                let paths = if self.keep {
                    found.iter().map(|f| f.path.clone()).collect()
                } else {
                    Default::default()
                };
                let ids = found.iter().map(|f| format!("{}/{}", f.category, f.slug)).collect();
                Arc::new(Walk { found, diagnostics: found_diagnostics, paths, ids })
            }
        };
        if self.keep {
            let mut state = self.lock();
            state.walk = Some(walk.clone());
            state.walk_stale = false;
        }
        Ok(walk)
    }

    /// Forgets every file when the settings they were validated against changed.
    fn use_config(&self, config: &SiteConfig) {
        let mut state = self.lock();
        if state.config.as_ref() != Some(config) {
            state.files.clear();
            state.config = Some(config.clone());
        }
    }

    /// For each file, what the last load read of it when the watcher said it did not change
    /// since (see [`ParseCache::paths_changed`]); `None` for the files to look at.
    fn unchanged(&self, found: &[Found]) -> Vec<Option<(Option<Read>, Vec<Diagnostic>)>> {
        let mut state = self.lock();
        match state.watched.take() {
            Some(changed) => {
                // A changed file's last parse is stale even when this load does not parse it
                // (a duplicate slug keeps both twins out of it): a later load must read it again.
                for path in &changed {
                    state.files.remove(path);
                }
                found
                    .iter()
                    .map(|f| {
                        let cached = state.files.get(&f.path).filter(|_| !changed.contains(&f.path));
                        cached.map(|cached| cached.result.clone())
                    })
                    .collect()
            }
            None => found.iter().map(|_| None).collect(),
        }
    }

    fn get_or_parse(
        &self,
        path: &Path,
        parse: impl FnOnce() -> (Option<Read>, Vec<Diagnostic>),
    ) -> (Option<Read>, Vec<Diagnostic>) {
        if !self.keep {
            return parse();
        }
        let stamp = std::fs::metadata(path).map_or((0, None), |m| (m.len(), m.modified().ok()));
        if let Some(cached) = self.lock().files.get(path) {
            if cached.stamp == stamp && stamp.1.is_some() {
                return cached.result.clone();
            }
        }
        let result = parse();
        self.lock().files.insert(path.to_path_buf(), CachedFile { stamp, result: result.clone() });
        result
    }
}

/// Reads `site.yaml` and every entry, validating each and all of them together.
/// Plumbing failures (an unreadable folder) are `Err`; content problems are diagnostics.
pub fn load(
    root: &Path,
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> anyhow::Result<Option<Content>> {
    load_cached(root, options, diagnostics, &ParseCache::disabled())
}

/// [`load`], reusing the entries of `cache` whose files did not change.
pub fn load_cached(
    root: &Path,
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
    cache: &ParseCache,
) -> anyhow::Result<Option<Content>> {
    let site_file = root.join(config::SITE_FILE);
    if std::fs::symlink_metadata(&site_file).is_err() {
        anyhow::bail!(
            "no `site.yaml` in `{}`; run errorbook in a site's folder, pass --root, or create one with `errorbook init`",
            root.display()
        );
    }
    let config = match site_file_problem(root, &site_file) {
        Some(problem) => {
            diagnostics.push(problem);
            None
        }
        None => read_text(root, &site_file, diagnostics)?.and_then(|text| config::parse(&text, diagnostics)),
    };

    let walked = cache.walk(root, diagnostics)?;
    let found = &walked.found;
    let Some(config) = config else {
        return Ok(None);
    };

    cache.use_config(&config);
    let parsed: Vec<Read> = {
        use rayon::prelude::*;
        let known = cache.unchanged(found);
        let results: Vec<(Option<Read>, Vec<Diagnostic>)> = found
            .par_iter()
            .zip(known)
            .map(|(f, known)| {
                known.unwrap_or_else(|| {
                    cache.get_or_parse(&f.path, || {
                        let mut local = Vec::new();
                        let entry = read_entry(root, f, &config, options.pack_texts, &mut local);
                        (entry, local)
                    })
                })
            })
            .collect();
        if options.snippets == SnippetChecks::Run {
            diagnostics.extend(crate::snippets::check_pending(
                results.iter().filter_map(|(read, _)| read.as_ref()).map(|read| &*read.snippets),
            ));
        }
        results
            .into_iter()
            .filter_map(|(entry, local)| {
                diagnostics.extend(local);
                entry
            })
            .collect()
    };
    // Entries with errors take part in the checks across entries too, so one run reports
    // everything; only complete entries are published.
    let (mut parsed, drafts): (Vec<Read>, Vec<Read>) =
        parsed.into_iter().partition(|p| options.drafts || !p.entry.draft);
    let drafts: BTreeSet<EntryId> = drafts.iter().map(|p| p.entry.id().clone()).collect();
    parsed.sort_by(|a, b| {
        fn key(p: &Read) -> (&str, &str, &str) {
            (&p.entry.category, &p.entry.slug, &p.entry.file)
        }
        key(a).cmp(&key(b))
    });
    let last = cache.lock().checked.clone();
    let checked = validate_together(parsed, &walked, drafts, config.short_links, last.as_deref());
    diagnostics.extend(checked.shared.iter().cloned());
    diagnostics.extend(checked.links.iter().flatten().cloned());
    let parsed = checked.reads.clone();
    let outputs = checked.outputs.clone();
    if cache.keep {
        cache.lock().checked = Some(Arc::new(checked));
    }
    let entries = parsed.into_iter().filter(|p| p.complete).map(|p| p.entry).collect();
    Ok(Some(Content { config, entries, outputs }))
}

/// What keeps `site.yaml` from being read as a file, if anything: a folder, a FIFO (which is
/// never opened), a link that leads nowhere.
fn site_file_problem(root: &Path, site_file: &Path) -> Option<Diagnostic> {
    let is_link = std::fs::symlink_metadata(site_file).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let canonical_root = std::fs::canonicalize(root).ok()?;
        match crate::fs::follow_link(site_file, &canonical_root) {
            crate::fs::Link::Inside(_) | crate::fs::Link::Outside => {}
            link => return link_diagnostic(config::SITE_FILE, &link),
        }
    }
    let kind = crate::fs::not_regular(site_file)?;
    Some(
        Diagnostic::error(
            config::SITE_FILE,
            Span::file_start(),
            format!("site.yaml is not a regular file: it is {kind}"),
        )
        .with_help("make site.yaml a text file with the site's settings, such as `title:` and `base_url:`"),
    )
}

/// The diagnostic for a symbolic link that does not lead to something inside the site root;
/// `None` for one that does.
pub(crate) fn link_diagnostic(display: &str, link: &crate::fs::Link) -> Option<Diagnostic> {
    use crate::fs::Link;
    let (message, help) = match link {
        Link::Inside(_) => return None,
        Link::Outside => (
            "symbolic link leads outside the site root".to_owned(),
            "copy the file into the site instead of linking to it".to_owned(),
        ),
        Link::Dangling(target) => (
            format!("dangling symbolic link: it points to `{}`, which does not exist", target.display()),
            "restore what it points to, or remove the link".to_owned(),
        ),
        Link::Loop => (
            "symbolic link loop: following the link leads back to a link it came through".to_owned(),
            "replace the link with the file itself, or point it at a file in the site".to_owned(),
        ),
        Link::Unreadable(error) => (
            format!("symbolic link cannot be followed: {error}"),
            "replace the link with the file itself".to_owned(),
        ),
    };
    Some(Diagnostic::error(display, Span::file_start(), message).with_help(help))
}

fn read_entry(
    root: &Path,
    found: &Found,
    config: &SiteConfig,
    pack_texts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Read> {
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
    let mut parsed = entry::parse_partial(&text, &location, config, diagnostics)?;
    let blocks = entry::scan_markdown(&mut parsed.entry, &text, diagnostics);
    let snippets = crate::snippets::check_entry(
        &found.display,
        &found.category,
        &text,
        &blocks,
        &config.snippets,
        &parsed.entry.vars,
        diagnostics,
    );
    if pack_texts {
        parsed.entry.pack_texts();
    }
    Some(Read {
        entry: Arc::new(parsed.entry),
        complete: parsed.complete,
        code_span: parsed.code_span,
        tag_spans: parsed.tag_spans,
        snippets: Arc::new(snippets),
    })
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
    let bytes = crate::fs::read_regular(path)?;
    match String::from_utf8(bytes) {
        // A byte order mark is invisible in editors and means nothing in UTF-8.
        Ok(text) => Ok(Some(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        })),
        Err(error) => {
            let bytes = error.as_bytes();
            let offset = error.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&bytes[..offset]);
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            let byte = bytes.get(offset).copied().unwrap_or_default();
            diagnostics.push(
                Diagnostic::error(
                    display,
                    Span::new(line, column, 1),
                    format!("file is not valid UTF-8: byte 0x{byte:02X} at offset {offset}"),
                )
                .with_help("save the file with UTF-8 encoding; a stray byte like this usually comes from text saved as Latin-1 or Windows-1252"),
            );
            Ok(None)
        }
    }
}

/// Names the walk passes over without a word: editors' and tools' hidden files (`.git`,
/// `.DS_Store`, swap files).
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

const LINKED_FOLDER: &str = "category folder is a symbolic link, which errorbook does not follow";

/// Why the walk would not read an entry at `content/<category>/<slug>.md`, if it would not:
/// what `errorbook new` refuses, so it never writes a file that `check` passes over.
pub fn new_entry_problem(root: &Path, category: &str, slug: &str) -> Option<String> {
    for (what, name) in [("category", category), ("slug", slug)] {
        if is_hidden(name) {
            return Some(format!(
                "the {what} `{name}` starts with `.`: errorbook does not read hidden files and folders"
            ));
        }
        if !is_valid_name(name) {
            return Some(format!("the {what} `{name}` may only use a-z, 0-9, `.`, `_` and `-`"));
        }
    }
    let max = crate::layout::MAX_NAME_BYTES - ".json".len();
    if slug.len() > max {
        return Some(format!(
            "the slug is {} bytes long; the data API writes it as `<slug>.json`, so it may have at most {max}",
            slug.len()
        ));
    }
    if let Some(extension) = [".md", ".yaml"].into_iter().find(|e| slug.ends_with(e)) {
        return Some(format!(
            "the slug `{slug}` ends with `{extension}`, which would make `{slug}.md`: give the slug alone, without the extension"
        ));
    }
    // The layout of the output: a category or slug that would take the place of one of the
    // build's own files is refused here as `check` would refuse it later.
    if let Some(problem) = outputs::new_entry_problem(category, slug) {
        return Some(problem);
    }
    let folder = root.join(CONTENT_DIR).join(category);
    match std::fs::symlink_metadata(&folder) {
        Ok(meta) if meta.file_type().is_symlink() => {
            Some(format!("`{}`: {LINKED_FOLDER}; move the folder into content/ instead", folder.display()))
        }
        Ok(meta) if !meta.is_dir() => Some(format!("`{}` is not a folder", folder.display())),
        _ => None,
    }
}

/// Every entry file under `content/`, sorted by path. Files in the wrong place and names
/// outside `[a-z0-9._-]` are reported; symbolic links leading out of the site are refused.
///
/// Each item is refused at the first problem, in the order the docs give them: links, kind,
/// place, name, size.
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
    let mut walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
    while let Some(item) = walker.next() {
        let item = item.map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", content.display()))?;
        let display = display_path(root, item.path());
        let Some(kind) = kind_behind_link(&item, &display, &canonical_root, diagnostics) else {
            continue;
        };
        if kind.is_dir() {
            if check_folder(&item, display, diagnostics) {
                walker.skip_current_dir();
            }
            continue;
        }
        if let Some(what) = crate::fs::describe_kind(kind) {
            diagnostics.push(
                Diagnostic::warning(
                    display,
                    Span::file_start(),
                    format!("file ignored: it is {what}, not a regular file"),
                )
                .with_help("entries are regular `.md` or `.yaml` files"),
            );
            continue;
        }
        found.extend(entry_file(&item, display, diagnostics));
    }
    drop_same_slugs(&mut found, diagnostics);
    Ok(found)
}

/// The kind of a walked item, or of what it links to; `None` for a link that is refused
/// (reported) or leads nowhere.
fn kind_behind_link(
    item: &walkdir::DirEntry,
    display: &str,
    canonical_root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<std::fs::FileType> {
    if !item.path_is_symlink() {
        return Some(item.file_type());
    }
    let link = crate::fs::follow_link(item.path(), canonical_root);
    let target = match &link {
        crate::fs::Link::Inside(target) => std::fs::metadata(target).ok(),
        _ => None,
    };
    match (target, link_diagnostic(display, &link)) {
        (Some(target), None) => Some(target.file_type()),
        (_, problem) => {
            diagnostics.extend(problem);
            None
        }
    }
}

/// A folder of the walk: `content/` itself, a category, or a folder inside a category, whose
/// entries are not read. Returns whether the walk must skip what is inside it.
fn check_folder(item: &walkdir::DirEntry, display: String, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let depth = item.depth();
    let linked = item.path_is_symlink();
    if depth == 1 && linked {
        diagnostics.push(
            Diagnostic::error(display, Span::file_start(), LINKED_FOLDER)
                .with_help("move the folder into content/ instead of linking to it"),
        );
        return false;
    }
    if depth == 1 {
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
        return false;
    }
    if depth <= 1 {
        return false;
    }
    let parent = display.rsplit_once('/').map_or(CONTENT_DIR, |(parent, _)| parent);
    diagnostics.push(
        Diagnostic::error(&display, Span::file_start(), "entries in folders inside a category are not read")
            .with_help(format!("move the entries in {display}/ up into {parent}/")),
    );
    // Reported once for the folder, not again for every file in it. A linked folder is not
    // walked into anyway, and skipping at it would skip the folder that holds it.
    !linked
}

/// A regular file of the walk, when it is an entry in its place with a valid name.
fn entry_file(item: &walkdir::DirEntry, display: String, diagnostics: &mut Vec<Diagnostic>) -> Option<Found> {
    let path = item.path().to_path_buf();
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
            return None;
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
            return None;
        }
    };
    if item.depth() != 2 {
        diagnostics.push(
            Diagnostic::error(display, Span::file_start(), "entry is not inside a category folder")
                .with_help(format!("move it to content/<category>/{name}")),
        );
        return None;
    }
    let category =
        path.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if !is_valid_name(&category) {
        return None; // reported with the folder
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
        return None;
    }
    Some(Found { path, display, category, slug: stem.to_owned(), format })
}

/// `500.md` and `500.yaml` would publish the same page: the second is reported and dropped.
fn drop_same_slugs(found: &mut Vec<Found>, diagnostics: &mut Vec<Diagnostic>) {
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
}

pub(crate) fn suggest_name(name: &str) -> String {
    let slug = tag_slug(name);
    if slug.is_empty() {
        "a-name".to_owned()
    } else {
        slug
    }
}

/// The site paths every page of the site will have, for checking links.
pub fn page_paths<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> BTreeSet<String> {
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

/// Whether two reads of an entry are the same to the checks of all entries together.
fn same_to_shared_checks(a: &Read, b: &Read) -> bool {
    if Arc::ptr_eq(&a.entry, &b.entry) {
        return true;
    }
    let (x, y) = (&*a.entry, &*b.entry);
    a.complete == b.complete
        && a.code_span == b.code_span
        && a.tag_spans == b.tag_spans
        && x.file == y.file
        && x.category == y.category
        && x.slug == y.slug
        && x.code == y.code
        && x.tags == y.tags
        && x.redirect_from == y.redirect_from
        && x.draft == y.draft
        && x.status == y.status
        && x.replaced_by.as_ref().map(|l| &l.target) == y.replaced_by.as_ref().map(|l| &l.target)
}

/// Checks that need every entry: duplicate codes, redirects, related entries, and links.
/// `entries` are the entries to publish, complete or not; `walk` names every entry file and
/// `drafts` those left out as drafts. With the `last` checks, only what changed is checked.
fn validate_together(
    entries: Vec<Read>,
    walk: &Arc<Walk>,
    drafts: BTreeSet<EntryId>,
    short_links: bool,
    last: Option<&Checked>,
) -> Checked {
    let reusable = last.filter(|last| {
        Arc::ptr_eq(&last.walk, walk)
            && last.drafts == drafts
            && last.short_links == short_links
            && last.reads.len() == entries.len()
            && last.reads.iter().zip(&entries).all(|(a, b)| same_to_shared_checks(a, b))
    });
    let (shared, pages, outputs) = match reusable {
        Some(last) => (last.shared.clone(), last.pages.clone(), last.outputs.clone()),
        None => {
            let mut shared = Vec::new();
            let (pages, outputs) = check_shared(&entries, walk, &drafts, short_links, &mut shared);
            (shared, Arc::new(pages), outputs)
        }
    };
    // Retired entries and what replaces them, so a replacement is never itself a tombstone.
    let retired: BTreeMap<EntryId, Option<String>> = entries
        .iter()
        .filter(|r| r.entry.status == Status::Retired)
        .map(|r| (r.entry.id().clone(), r.entry.replaced_by.as_ref().map(|l| l.target.clone())))
        .collect();
    let links = entries
        .iter()
        .enumerate()
        .map(|(i, read)| match reusable {
            Some(last) if Arc::ptr_eq(&last.reads[i].entry, &read.entry) => last.links[i].clone(),
            _ => check_links(&read.entry, &walk.ids, &drafts, &pages, &retired),
        })
        .collect();
    Checked { walk: walk.clone(), drafts, short_links, reads: entries, shared, pages, outputs, links }
}

/// Duplicate codes, redirects and files of the output that would take another's place;
/// returns the site path of every page, and every file the build makes.
fn check_shared(
    entries: &[Read],
    walk: &Walk,
    drafts: &BTreeSet<EntryId>,
    short_links: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (BTreeSet<String>, Arc<outputs::Outputs>) {
    let mut codes: BTreeMap<(&str, CodeKey), &Entry> = BTreeMap::new();
    for parsed in entries {
        let entry = &parsed.entry;
        let Some(key) = CodeKey::of(&entry.code) else { continue };
        let key = (entry.category.as_str(), key);
        if let Some(first) = codes.get(&key) {
            let theirs = if first.code == entry.code {
                "has it too".to_owned()
            } else {
                format!(
                    "has \"{}\", the same code written otherwise (case and punctuation aside)",
                    first.code
                )
            };
            diagnostics.push(
                Diagnostic::error(
                    &entry.file,
                    parsed.code_span,
                    format!(
                        "duplicate code \"{}\" in category `{}`: {} {theirs}",
                        entry.code, entry.category, first.file
                    ),
                )
                .with_help("merge the two entries, or give this one its own code"),
            );
        } else {
            codes.insert(key, entry);
        }
    }
    let published: Vec<&Entry> = entries.iter().map(|p| &*p.entry).collect();
    let mut paths = page_paths(published.iter().copied());
    // Files that could not be read are reported on their own; links to them are not broken.
    for id in walk.ids.iter().filter(|id| !drafts.contains(id.as_str())) {
        if let Some((category, _)) = id.split_once('/') {
            paths.insert(format!("/{category}/"));
            paths.insert(format!("/{id}/"));
        }
    }
    redirects::check(&published, diagnostics);
    let files: Vec<outputs::Published<'_>> = walk
        .found
        .iter()
        .filter(|f| !drafts.contains(format!("{}/{}", f.category, f.slug).as_str()))
        .map(|f| outputs::Published { file: &f.display, category: &f.category, slug: &f.slug })
        .collect();
    let outputs = outputs::check(&files, entries, short_links, diagnostics);
    (paths, Arc::new(outputs))
}

/// An entry's related entries and links: `files` holds the `category/slug` of every entry file,
/// `drafts` those left out as drafts, `paths` the site path of every page.
fn check_links(
    entry: &Entry,
    files: &BTreeSet<String>,
    drafts: &BTreeSet<EntryId>,
    paths: &BTreeSet<String>,
    retired: &BTreeMap<EntryId, Option<String>>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for related in &entry.related {
        if related.target == *entry.id() {
            diagnostics.push(
                Diagnostic::error(&entry.file, related.span, "an entry cannot be related to itself")
                    .with_help("remove it from `related`"),
            );
        } else if !files.contains(&related.target) {
            let help = match did_you_mean(&related.target, files.iter().map(String::as_str)) {
                Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
                None => "write related entries as `category/slug` of an existing entry, such as `http/502`"
                    .to_owned(),
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
    if let Some(replacement) = &entry.replaced_by {
        let problem = if replacement.target == *entry.id() {
            Some((
                "an entry cannot be replaced by itself".to_owned(),
                "name the entry that takes its place".to_owned(),
            ))
        } else if drafts.contains(replacement.target.as_str()) {
            Some((
                format!("`replaced_by` names \"{}\", a draft, which is not published", replacement.target),
                format!("publish `{}` by removing `draft: true`, or name another entry", replacement.target),
            ))
        } else if !files.contains(&replacement.target) {
            let help = match did_you_mean(&replacement.target, files.iter().map(String::as_str)) {
                Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
                None => "write the replacement as `category/slug` of an existing entry, such as `http/503`"
                    .to_owned(),
            };
            Some((format!("`replaced_by` entry \"{}\" does not exist", replacement.target), help))
        } else {
            None
        };
        if let Some((message, help)) = problem {
            diagnostics.push(Diagnostic::error(&entry.file, replacement.span, message).with_help(help));
        } else if let Some(next) = retired.get(replacement.target.as_str()) {
            let help = match next {
                Some(next) if *next != *entry.id() => {
                    format!("point to the entry that replaces it: `replaced_by: {next}`")
                }
                _ => "point to an entry that is still current".to_owned(),
            };
            diagnostics.push(
                Diagnostic::warning(
                    &entry.file,
                    replacement.span,
                    format!("`replaced_by` names \"{}\", which is retired itself", replacement.target),
                )
                .with_help(help),
            );
        }
    }
    for link in &entry.links {
        let path = link.target.split(['#', '?']).next().unwrap_or("");
        let page = path.strip_suffix("index.html").unwrap_or(path);
        let folder = if page.ends_with('/') { page.to_owned() } else { format!("{page}/") };
        let last = page.rsplit('/').next().unwrap_or("");
        // A page, or a file such as /atom.xml or an image, which only the build can check.
        if paths.contains(&folder) || (!page.ends_with('/') && last.contains('.')) {
            continue;
        }
        let id = folder.trim_matches('/');
        let (message, help) = if drafts.contains(id) {
            (
                format!("link to \"{}\" leads to a draft, which is not published", link.target),
                format!("publish `{id}` by removing `draft: true`, or remove the link"),
            )
        } else {
            let help = match did_you_mean(&folder, paths.iter().map(String::as_str)) {
                Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
                None => "link to an entry as /<category>/<slug>/".to_owned(),
            };
            (format!("link to \"{}\" does not match any page", link.target), help)
        };
        diagnostics.push(Diagnostic::error(&entry.file, link.span, message).with_help(help));
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_that_names_its_code_is_not_led_by_it_again() {
        assert!(names_code("HTTP 503 Service Unavailable", "503"));
        assert!(names_code("CFG-0333: Attribute reset", "CFG-0333"));
        assert!(names_code("connection refused (econnrefused)", "ECONNREFUSED"));
        assert!(names_code("Fails with ORA-01017", "ORA-01017"));
        assert!(!names_code("E5031 from the loader", "503"));
        assert!(!names_code("ECONNRESET on idle sockets", "RESET"));
        assert!(!names_code("Service Unavailable", "503"));
        assert!(!names_code("Anything", " "));
    }

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
    fn an_entry_id_pads_like_a_str() {
        let id = EntryId::new("http", "503");
        assert_eq!(format!("[{id:10}]"), "[http/503  ]");
        assert_eq!(id, *"http/503");
    }

    fn entry_text(code: &str, extra: &str, body: &str) -> String {
        format!(
            "---\ncode: \"{code}\"\ntitle: Error {code}\nsummary: What it means.\nseverity: major\nupdated: 2026-06-14\n{extra}---\n{body}\n"
        )
    }

    #[test]
    fn packed_texts_unpack_to_the_entry_as_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: T\nbase_url: https://example.org/\n").unwrap();
        std::fs::create_dir_all(root.join("content/http")).unwrap();
        let extra = "quick_fix: Restart the **proxy**.\ncauses: |\n  - The pool is full.\n  - Ünïcode, 😀.\n\
            steps:\n  - title: One\n    body: Do this.\n  - title: Two\n    body: Then that.\n\
            verify:\n  - It answers.\nfaq:\n  - q: Why?\n    a: Because.\n";
        std::fs::write(root.join("content/http/502.md"), entry_text("502", extra, "## Body\n\nText é."))
            .unwrap();
        std::fs::write(root.join("content/http/503.md"), entry_text("503", "", "Body.")).unwrap();
        let entries_of = |pack_texts| {
            let mut diagnostics = Vec::new();
            let options = LoadOptions { pack_texts, ..LoadOptions::default() };
            let content = load(root, options, &mut diagnostics).unwrap().unwrap();
            assert!(!diagnostics.iter().any(Diagnostic::is_error), "{diagnostics:?}");
            content.entries
        };
        let (plain, packed) = (entries_of(false), entries_of(true));
        assert_eq!(plain.len(), 2);
        assert!(plain[0].steps.len() == 2 && plain[0].faq.len() == 1 && plain[0].causes.is_some());
        for (plain, packed) in plain.iter().zip(&packed) {
            assert!(plain.packed.is_none() && packed.packed.is_some());
            assert!(
                packed.body.markdown.is_empty() && packed.steps.iter().all(|s| s.body.markdown.is_empty())
            );
            assert_eq!(*packed.unpacked(), **plain);
            assert!(matches!(plain.unpacked(), std::borrow::Cow::Borrowed(_)));
        }
    }

    /// Loads `root` again with `cache` after `changed` changed, as the preview server does.
    fn reload(root: &Path, cache: &ParseCache, changed: &[&str]) -> (Vec<String>, Vec<String>) {
        let changed: Vec<PathBuf> = changed.iter().map(|name| root.join(name)).collect();
        cache.paths_changed(&changed);
        let mut diagnostics = Vec::new();
        let content = load_cached(root, LoadOptions::default(), &mut diagnostics, cache).unwrap().unwrap();
        let ids = content.entries.iter().map(|e| e.id().to_string()).collect();
        let errors = diagnostics.iter().filter(|d| d.is_error());
        (ids, errors.map(|d| format!("{}: {}", d.file, d.message)).collect())
    }

    #[test]
    fn a_reload_checks_short_links_again_when_site_yaml_turns_them_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let config = "title: T\nbase_url: https://example.org/\n";
        std::fs::write(root.join("site.yaml"), config).unwrap();
        std::fs::create_dir_all(root.join("content/http")).unwrap();
        std::fs::create_dir_all(root.join("content/web")).unwrap();
        std::fs::write(root.join("content/http/500.md"), entry_text("500", "", "Body.")).unwrap();
        std::fs::write(root.join("content/web/http.md"), entry_text("HTTP", "", "Body.")).unwrap();
        let cache = ParseCache::new();
        assert_eq!(reload(root, &cache, &[]).1, Vec::<String>::new());
        std::fs::write(root.join("site.yaml"), format!("{config}short_links: true\n")).unwrap();
        let (_, found) = reload(root, &cache, &["site.yaml"]);
        assert_eq!(
            found,
            ["content/web/http.md: the short link of code \"HTTP\" (/http/) collides with the page of category `http` (content/http)"]
        );
    }

    #[test]
    fn a_reload_checks_what_an_edit_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: T\nbase_url: https://example.org/\n").unwrap();
        std::fs::create_dir_all(root.join("content/http")).unwrap();
        let write = |name: &str, text: &str| std::fs::write(root.join(name), text).unwrap();
        write("content/http/500.md", &entry_text("500", "", "Body."));
        write("content/http/502.md", &entry_text("502", "related: [http/500]\n", "See [500](/http/500/)."));
        let cache = ParseCache::new();
        assert_eq!(reload(root, &cache, &[]), (vec!["http/500".into(), "http/502".into()], vec![]));

        // A broken link in a body: only that entry's links are checked again, and it is found.
        write("content/http/500.md", &entry_text("500", "", "Body, now linking to [x](/http/599/)."));
        let (_, found) = reload(root, &cache, &["content/http/500.md"]);
        assert_eq!(found, ["content/http/500.md: link to \"/http/599/\" does not match any page"]);

        // Fixed; then a code another entry has, which the checks of all entries find.
        write("content/http/500.md", &entry_text("500", "", "Body."));
        assert_eq!(reload(root, &cache, &["content/http/500.md"]).1, Vec::<String>::new());
        write("content/http/502.md", &entry_text("500", "related: [http/500]\n", "See [500](/http/500/)."));
        let (_, found) = reload(root, &cache, &["content/http/502.md"]);
        assert_eq!(
            found,
            ["content/http/502.md: duplicate code \"500\" in category `http`: content/http/500.md has it too"]
        );

        // The same code written another way is the same code.
        write("content/http/502.md", &entry_text("E_0308", "", "Body."));
        write("content/http/500.md", &entry_text("e0308", "", "Body."));
        let (_, found) = reload(root, &cache, &["content/http/500.md", "content/http/502.md"]);
        assert_eq!(
            found,
            ["content/http/502.md: duplicate code \"E_0308\" in category `http`: content/http/500.md has \"e0308\", the same code written otherwise (case and punctuation aside)"]
        );
        // Codes of punctuation alone are told apart as written.
        write("content/http/502.md", &entry_text("!!!", "", "Body."));
        write("content/http/500.md", &entry_text("!!?", "", "Body."));
        let (_, found) = reload(root, &cache, &["content/http/500.md", "content/http/502.md"]);
        assert_eq!(found, Vec::<String>::new());
        write("content/http/500.md", &entry_text(" !!! ", "", "Body."));
        let (_, found) = reload(root, &cache, &["content/http/500.md"]);
        assert_eq!(
            found,
            ["content/http/502.md: duplicate code \"!!!\" in category `http`: content/http/500.md has \" !!! \", the same code written otherwise (case and punctuation aside)"]
        );
        write("content/http/500.md", &entry_text("500", "", "Body."));

        // A new file is found although the watcher named another one.
        write("content/http/502.md", &entry_text("502", "related: [http/500]\n", "See [500](/http/500/)."));
        write("content/http/504.md", &entry_text("504", "related: [http/503]\n", "Body."));
        let (ids, found) = reload(root, &cache, &["content/http/502.md", "content/http/504.md"]);
        assert_eq!(ids, ["http/500", "http/502", "http/504"]);
        assert_eq!(found, ["content/http/504.md: related entry \"http/503\" does not exist"]);

        // An editor's scratch file that came and went: the folder holds the same files.
        write("content/http/4913", "");
        std::fs::remove_file(root.join("content/http/4913")).unwrap();
        write("content/http/502.md", &entry_text("502", "related: [http/500]\n", "Now [broken](/nowhere/)."));
        let (ids, found) = reload(root, &cache, &["content/http/4913", "content/http/502.md"]);
        assert_eq!(ids, ["http/500", "http/502", "http/504"]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|d| d.contains("link to \"/nowhere/\"")), "{found:?}");
        write("content/http/502.md", &entry_text("502", "related: [http/500]\n", "See [500](/http/500/)."));
        reload(root, &cache, &["content/http/502.md"]);

        // A folder moved away, a file edited there, the folder moved back: the edit is read.
        std::fs::rename(root.join("content/http"), root.join("content/web")).unwrap();
        let (ids, _) = reload(root, &cache, &["content/http", "content/web"]);
        assert_eq!(ids, ["web/500", "web/502", "web/504"]);
        write("content/web/500.md", &entry_text("500", "", "Edited away from home, see [x](/gone/)."));
        reload(root, &cache, &["content/web/500.md"]);
        std::fs::rename(root.join("content/web"), root.join("content/http")).unwrap();
        let (_, found) = reload(root, &cache, &["content/web", "content/http"]);
        assert!(found.iter().any(|d| d.contains("link to \"/gone/\"")), "{found:?}");
        write("content/http/500.md", &entry_text("500", "", "Body."));
        reload(root, &cache, &["content/http/500.md"]);

        // A deleted entry takes the pages that link to it down with it.
        std::fs::remove_file(root.join("content/http/500.md")).unwrap();
        let (ids, found) = reload(root, &cache, &["content/http/500.md"]);
        assert_eq!(ids, ["http/502", "http/504"]);
        assert!(found.iter().any(|d| d.contains("related entry \"http/500\" does not exist")), "{found:?}");
        assert!(
            found.iter().any(|d| d.contains("link to \"/http/500/\" does not match any page")),
            "{found:?}"
        );
    }
}

/// Whatever an entry file holds, loading a site ends in a result or a diagnostic.
#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    fn load_one(bytes: &[u8], name: &str) -> (anyhow::Result<Option<Content>>, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        std::fs::write(
            root.join("site.yaml"),
            "title: T\nbase_url: https://example.org/\ncategories:\n  http: { name: HTTP }\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("content/http")).unwrap();
        std::fs::write(root.join("content/http").join(name), bytes).unwrap();
        let mut diagnostics = Vec::new();
        let result = load(root, LoadOptions::default(), &mut diagnostics);
        (result, diagnostics)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn any_entry_file_loads_to_an_entry_or_a_diagnostic(
            bytes in prop_oneof![
                prop::collection::vec(any::<u8>(), 0..512),
                "---\n[ -~\n]{0,200}\n---\n[ -~\n]{0,100}".prop_map(String::into_bytes),
            ],
            yaml in any::<bool>(),
        ) {
            let name = if yaml { "500.yaml" } else { "500.md" };
            let (result, diagnostics) = load_one(&bytes, name);
            let content = result.expect("content problems are diagnostics, not failures").expect("site.yaml is valid");
            let has_errors = diagnostics.iter().any(Diagnostic::is_error);
            // An entry with errors is never published; one without is, unless it is a draft.
            if has_errors {
                prop_assert!(content.entries.is_empty(), "{:#?}", diagnostics);
            } else {
                prop_assert!(content.entries.len() <= 1);
            }
            for d in &diagnostics {
                prop_assert_eq!(d.file.as_str(), format!("content/http/{name}"));
            }
        }
    }
}
