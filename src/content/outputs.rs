//! The files a build makes from content, and the check that each of them is a file of its own.
//!
//! Every category page, entry page, data API document, tag page, redirect page and short link
//! becomes a file of the output. None of them may be a file the build writes for itself (the
//! table of [`crate::layout`]), another of them, a folder another one needs, or a name too long
//! for a file system. Paths are compared as file systems that ignore case (macOS, Windows)
//! compare them, so a site builds the same everywhere.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::redirects::{output_file, page_path, path_problem};
use super::{tag_slug, Entry, Read};
use crate::diagnostics::{Diagnostic, Span};
use crate::layout::{self, fold_case, Holds, Made, Reserved, MAX_NAME_BYTES, MAX_PATH_BYTES};

/// An entry file the build publishes: its display path, category and slug.
pub(super) struct Published<'a> {
    pub file: &'a str,
    pub category: &'a str,
    pub slug: &'a str,
}

/// Who makes a file of the output.
#[derive(Clone, Copy, Debug)]
enum Owner<'a> {
    Build(&'static Reserved),
    Category {
        id: &'a str,
    },
    Page {
        file: &'a str,
    },
    /// The entry's Markdown copy, `index.md` beside its page.
    Copy {
        file: &'a str,
    },
    Api {
        file: &'a str,
    },
    Tag {
        tag: &'a str,
        file: &'a str,
        span: Span,
    },
    Redirect {
        path: &'a str,
        file: &'a str,
        span: Span,
    },
    ShortLink {
        code: &'a str,
        file: &'a str,
        span: Span,
    },
}

struct Claim<'a> {
    /// The file, relative to the output folder: `http/503/index.html`.
    path: String,
    owner: Owner<'a>,
    /// The entry a page, redirect or short link leads to: two ways to the same entry at one
    /// path are one file, not a collision.
    leads_to: Option<&'a str>,
}

/// How a new file meets one that is already claimed.
enum Clash {
    /// The same file.
    Same,
    /// The new file is a folder of the other.
    FileIsFolder,
    /// A folder of the new file is the other file.
    FolderIsFile(String),
    /// The new file is inside a folder the build keeps for itself.
    Inside,
}

/// Where the claimed files and the folders they need are, by case-folded path.
#[derive(Debug, Default)]
struct Index {
    /// Claimed files: the claim.
    files: HashMap<String, usize>,
    /// Every folder a claimed file needs: the first claim that needs it.
    folders: HashMap<String, usize>,
    /// By claim: what the build writes there, when the claim is one of the build's own paths.
    build: Vec<Option<Holds>>,
}

impl Index {
    /// What a file at `path`, made by something of kind `made`, clashes with, if anything.
    fn clash(&self, path: &str, made: Option<Made>) -> Option<(usize, Clash)> {
        let key = fold_case(path);
        if let Some(&other) = self.files.get(&key) {
            return Some((other, Clash::Same));
        }
        if let Some(&other) = self.folders.get(&key) {
            return Some((other, Clash::FileIsFolder));
        }
        for (parts, (end, _)) in key.match_indices('/').enumerate() {
            let folder = &key[..end];
            if let Some(&other) = self.files.get(folder) {
                // The folder as the claim writes it: folding case keeps the parts apart.
                let written: Vec<&str> = path.split('/').take(parts + 1).collect();
                return Some((other, Clash::FolderIsFile(written.join("/"))));
            }
            if let Some(&other) = self.folders.get(folder) {
                let allowed = match self.build[other] {
                    Some(Holds::FolderOf(of)) => made == Some(of),
                    Some(Holds::Folder | Holds::File) => false,
                    None => true,
                };
                if !allowed {
                    return Some((other, Clash::Inside));
                }
            }
        }
        None
    }

    /// Records a claimed file at `path`, or (`folder`) a folder of the build's own.
    fn insert(&mut self, path: &str, build: Option<Holds>, folder: bool) {
        let index = self.build.len();
        let key = fold_case(path);
        if folder {
            self.folders.insert(key, index);
        } else {
            for (end, _) in key.match_indices('/') {
                if !self.folders.contains_key(&key[..end]) {
                    self.folders.insert(key[..end].to_owned(), index);
                }
            }
            self.files.entry(key).or_insert(index);
        }
        self.build.push(build);
    }
}

#[derive(Default)]
struct Tree<'a> {
    claims: Vec<Claim<'a>>,
    index: Index,
}

impl<'a> Tree<'a> {
    fn with_reserved() -> Self {
        let mut tree = Tree::default();
        for reserved in layout::RESERVED {
            let claim =
                Claim { path: reserved.path.to_owned(), owner: Owner::Build(reserved), leads_to: None };
            tree.index.insert(&claim.path, Some(reserved.holds), reserved.holds != Holds::File);
            tree.claims.push(claim);
        }
        tree
    }

    /// What `claim` clashes with, if anything.
    fn clash(&self, claim: &Claim<'_>) -> Option<(usize, Clash)> {
        self.index.clash(&claim.path, claim.owner.made())
    }

    fn insert(&mut self, claim: Claim<'a>) {
        self.index.insert(&claim.path, None, false);
        self.claims.push(claim);
    }

    /// What the tree holds, kept apart from the content it was made of.
    fn into_outputs(self) -> Outputs {
        let others = self.claims.iter().map(|c| (c.path.clone(), c.owner.other(&c.path))).collect();
        Outputs { index: self.index, others }
    }
}

/// Every file a build makes, as the check of content found them, for the files a site adds to
/// its output from elsewhere: what one of them would collide with.
#[derive(Debug, Default)]
pub struct Outputs {
    index: Index,
    /// By claim: its path, and how a collision names it.
    others: Vec<(String, String)>,
}

impl Outputs {
    /// What a file of the output at `path` (relative, `/` separators) that is not made from
    /// content would take the place of, or need as a folder, or be a folder of: "the sitemap,
    /// which the build writes at /sitemap.xml". Compared as file systems that ignore case do.
    pub fn collision(&self, path: &str) -> Option<String> {
        let (other, clash) = self.index.clash(path, None)?;
        let (other_path, other) = &self.others[other];
        Some(format!("{other}{}", detail(path, other_path, &clash)))
    }
}

impl Owner<'_> {
    fn made(&self) -> Option<Made> {
        match self {
            Owner::Api { .. } => Some(Made::ApiDocuments),
            Owner::Tag { .. } => Some(Made::TagPages),
            _ => None,
        }
    }

    /// The file and place a diagnostic about this owner points at.
    fn place(&self) -> (String, Span) {
        match *self {
            Owner::Build(_) => (String::new(), Span::file_start()),
            Owner::Category { id } => (format!("{}/{id}", super::CONTENT_DIR), Span::file_start()),
            Owner::Page { file } | Owner::Copy { file } | Owner::Api { file } => {
                (file.to_owned(), Span::file_start())
            }
            Owner::Tag { file, span, .. }
            | Owner::Redirect { file, span, .. }
            | Owner::ShortLink { file, span, .. } => (file.to_owned(), span),
        }
    }

    /// `content/http/500.md:8:8`, or the file alone for a whole file.
    fn position(&self) -> String {
        let (file, span) = self.place();
        if span.is_file_start() {
            file
        } else {
            format!("{file}:{}:{}", span.line, span.column)
        }
    }

    /// This owner as the subject of a message, with the site path of its file.
    fn subject(&self, path: &str) -> String {
        let at = shorten(&site_path(path));
        match *self {
            Owner::Build(reserved) => reserved.what.to_owned(),
            Owner::Category { id } => format!("category `{}`", shorten(id)),
            Owner::Page { .. } => format!("the page of this entry ({at})"),
            Owner::Copy { .. } => format!("the Markdown copy of this entry ({at})"),
            Owner::Api { .. } => format!("the data API document of this entry ({at})"),
            Owner::Tag { tag, .. } => format!("tag \"{}\" ({at})", shorten(tag)),
            Owner::Redirect { path, .. } => format!("redirect path \"{}\"", shorten(path)),
            Owner::ShortLink { code, .. } => format!("the short link of code \"{}\" ({at})", shorten(code)),
        }
    }

    /// This owner as the other side of a collision.
    fn other(&self, path: &str) -> String {
        let position = self.position();
        match *self {
            Owner::Build(reserved) if reserved.holds == Holds::File => {
                format!("{}, which the build writes at /{}", reserved.what, reserved.path)
            }
            Owner::Build(reserved) => {
                format!("{}, which the build writes under /{}/", reserved.what, reserved.path)
            }
            Owner::Category { id } => format!("the page of category `{}` ({position})", shorten(id)),
            Owner::Page { .. } => format!("the page of {position}"),
            Owner::Copy { .. } => format!("the Markdown copy of {position} (/{path})"),
            Owner::Api { .. } => format!("the data API document of {position}"),
            Owner::Tag { tag, .. } => format!("the page of tag \"{}\" ({position})", shorten(tag)),
            Owner::Redirect { path, .. } => format!("redirect path \"{}\" of {position}", shorten(path)),
            Owner::ShortLink { code, .. } => {
                format!(
                    "the short link of code \"{}\" ({}) of {position}",
                    shorten(code),
                    shorten(&site_path(path))
                )
            }
        }
    }

    /// How to resolve a collision of this owner with `other`.
    fn help(&self, other: &Owner<'_>) -> String {
        let build = matches!(other, Owner::Build(_));
        match self {
            Owner::Build(_) => String::new(),
            Owner::Category { id } => format!(
                "rename the folder content/{}; the build keeps these names for itself: {}",
                shorten(id),
                reserved_names()
            ),
            Owner::Page { .. } | Owner::Copy { .. } | Owner::Api { .. } if build => {
                "rename the file or its category folder, so the entry's files have places of their own".to_owned()
            }
            Owner::Page { .. } | Owner::Copy { .. } | Owner::Api { .. } => {
                "rename the file, so the entry's page has an address of its own".to_owned()
            }
            Owner::Tag { .. } if build => "rename the tag".to_owned(),
            Owner::Tag { .. } => "rename the tag, or the entry or category it collides with".to_owned(),
            Owner::Redirect { .. } => match other {
                Owner::Build(_) => format!("choose another path; the build keeps these for itself: {}", reserved_names()),
                Owner::Redirect { .. } => "keep the redirect in one of the two entries".to_owned(),
                _ => "a redirect cannot replace a page: remove it from `redirect_from`".to_owned(),
            },
            Owner::ShortLink { .. } => {
                "the code cannot have its short link: rename what it collides with, or set `short_links: false` in site.yaml"
                    .to_owned()
            }
        }
    }
}

/// The top-level names of the build's own files and folders, for help texts.
fn reserved_names() -> String {
    let top = layout::RESERVED.iter().filter(|r| !r.path.contains('/'));
    let names: Vec<String> = top
        .map(|r| if r.holds == Holds::File { r.path.to_owned() } else { format!("{}/", r.path) })
        .collect();
    names.join(", ")
}

/// `http/503/index.html` → `/http/503/`; `api/http/503.json` → `/api/http/503.json`.
fn site_path(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
        _ => format!("/{path}"),
    }
}

/// A value short enough to quote in a message.
fn shorten(text: &str) -> String {
    const KEEP: usize = 60;
    if text.chars().count() <= KEEP {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(KEEP - 1).collect();
        format!("{kept}…")
    }
}

/// Entries grouped by the short form of their code (`ERR_X` → `err_x`), for short links: a
/// group of one entry gets the short link `/<short form>/`. Every entry whose code is the same
/// code ([`super::CodeKey`]) is in the group of each of its short forms. Codes without letters
/// or digits have no short form.
pub fn short_link_groups<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
) -> BTreeMap<String, Vec<&'a Entry>> {
    // Entries whose codes are one code (`E_0308`, `e0308`) share every short form of it, so an
    // entry has its short link only when no other entry has its code, however written.
    let mut codes: BTreeMap<super::CodeKey, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        if let Some(key) = super::CodeKey::of(&entry.code) {
            codes.entry(key).or_default().push(entry);
        }
    }
    let mut groups: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for same_code in codes.values() {
        let slugs: BTreeSet<String> =
            same_code.iter().map(|entry| tag_slug(&entry.code)).filter(|slug| !slug.is_empty()).collect();
        for slug in slugs {
            groups.entry(slug).or_default().extend(same_code.iter().copied());
        }
    }
    for group in groups.values_mut() {
        group.sort_by(|a, b| a.id().cmp(b.id()));
    }
    groups
}

/// Reports every file made from content that takes the place of another, is inside a folder
/// the build keeps for itself, or has a name too long for a file system. `published` names
/// every entry file to publish (read or not), `reads` the entries read of them. Returns every
/// file found, for the check of files the site adds from elsewhere.
pub(super) fn check<'a>(
    published: &'a [Published<'a>],
    reads: &'a [Read],
    short_links: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Outputs {
    let mut tree = Tree::with_reserved();
    let ids: BTreeSet<String> = published.iter().map(|p| format!("{}/{}", p.category, p.slug)).collect();
    // Categories, then what each entry file makes, tag pages, redirects and short links.
    let refused = claim_categories(&mut tree, published, diagnostics);
    claim_entry_files(&mut tree, published, &ids, &refused, diagnostics);
    claim_tag_pages(&mut tree, reads, diagnostics);
    claim_redirects(&mut tree, reads, &ids, diagnostics);
    if short_links {
        check_short_links(&mut tree, reads, &ids, diagnostics);
    }
    tree.into_outputs()
}

/// The page of every category; returns the categories whose page could not be placed.
fn claim_categories<'a>(
    tree: &mut Tree<'a>,
    published: &'a [Published<'a>],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeSet<&'a str> {
    let categories: BTreeSet<&str> = published.iter().map(|p| p.category).collect();
    let mut refused = BTreeSet::new();
    for &id in &categories {
        let claim = Claim { path: format!("{id}/index.html"), owner: Owner::Category { id }, leads_to: None };
        if !add(tree, claim, diagnostics) {
            refused.insert(id);
        }
    }
    refused
}

/// The page, Markdown copy and data document of every entry file. The entries of a category
/// that collides with the build's own files (`refused`) are not reported again for the same
/// collision.
fn claim_entry_files<'a>(
    tree: &mut Tree<'a>,
    published: &'a [Published<'a>],
    ids: &'a BTreeSet<String>,
    refused: &BTreeSet<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for entry in published {
        let (category, slug, file) = (entry.category, entry.slug, entry.file);
        let id = ids.get(&format!("{category}/{slug}")).map(String::as_str);
        let claims = [
            Claim {
                path: format!("{category}/{slug}/index.html"),
                owner: Owner::Page { file },
                leads_to: id,
            },
            // Not a way to the entry like its page: nothing else may be written there.
            Claim {
                path: format!("{category}/{slug}/index.md"),
                owner: Owner::Copy { file },
                leads_to: None,
            },
            Claim { path: format!("api/{category}/{slug}.json"), owner: Owner::Api { file }, leads_to: None },
        ];
        let mut page_refused = false;
        for claim in claims {
            let quiet = refused.contains(category)
                && tree
                    .clash(&claim)
                    .is_some_and(|(other, _)| matches!(tree.claims[other].owner, Owner::Build(_)));
            let (page, copy) =
                (matches!(claim.owner, Owner::Page { .. }), matches!(claim.owner, Owner::Copy { .. }));
            if quiet {
                tree.insert(claim);
            } else if copy && page_refused {
                // The copy sits in the page's folder: what keeps the page from its place was
                // reported with the page.
            } else {
                let reported = diagnostics.len();
                add(tree, claim, diagnostics);
                page_refused |= page && diagnostics.len() > reported;
            }
        }
    }
}

/// Tag pages, at the first entry that has each tag.
fn claim_tag_pages<'a>(tree: &mut Tree<'a>, reads: &'a [Read], diagnostics: &mut Vec<Diagnostic>) {
    let mut tags: BTreeMap<String, (&str, &str, Span)> = BTreeMap::new();
    for read in reads {
        for (tag, span) in read.entry.tags.iter().zip(&read.tag_spans) {
            let slug = tag_slug(tag);
            if !slug.is_empty() {
                tags.entry(slug).or_insert((tag, &read.entry.file, *span));
            }
        }
    }
    for (slug, &(tag, file, span)) in &tags {
        let claim = Claim {
            path: format!("tags/{slug}/index.html"),
            owner: Owner::Tag { tag, file, span },
            leads_to: None,
        };
        add(tree, claim, diagnostics);
    }
}

/// The page of every redirect. Malformed redirects and an entry's own address are reported
/// with the entry's redirects.
fn claim_redirects<'a>(
    tree: &mut Tree<'a>,
    reads: &'a [Read],
    ids: &'a BTreeSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let id_of = |entry: &Entry| ids.get(entry.id().as_str()).map(String::as_str);
    for read in reads {
        let entry = &*read.entry;
        let own = format!("/{}/", entry.id());
        let mut seen = BTreeSet::new();
        for redirect in &entry.redirect_from {
            let path = redirect.target.as_str();
            if !path.starts_with('/') || path_problem(path).is_some() {
                continue;
            }
            let page = page_path(path);
            if page == own || !seen.insert(page) {
                continue;
            }
            let owner = Owner::Redirect { path, file: &entry.file, span: redirect.span };
            let claim = Claim { path: output_file(path), owner, leads_to: id_of(entry) };
            if add(tree, claim, diagnostics) && path.split('/').any(|part| part.starts_with('.')) {
                diagnostics.push(
                    Diagnostic::error(
                        &entry.file,
                        redirect.span,
                        format!("redirect path \"{}\" has a part that starts with `.`", shorten(path)),
                    )
                    .with_help("many web servers do not serve hidden files, and the build keeps `.errorbook-output` for itself: choose a path without them"),
                );
            }
        }
    }
}

/// Adds the short link of every code whose short form belongs to one entry.
fn check_short_links<'a>(
    tree: &mut Tree<'a>,
    reads: &'a [Read],
    ids: &'a BTreeSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let id_of = |entry: &Entry| ids.get(entry.id().as_str()).map(String::as_str);
    let spans: HashMap<&str, Span> = reads.iter().map(|r| (r.entry.file.as_str(), r.code_span)).collect();
    let short_link = |entry: &'a Entry| {
        let span = spans.get(entry.file.as_str()).copied().unwrap_or_default();
        Owner::ShortLink { code: &entry.code, file: &entry.file, span }
    };
    let code = |entry: &Entry| super::CodeKey::of(&entry.code);
    for (slug, group) in short_link_groups(reads.iter().map(|r| &*r.entry)) {
        let path = format!("{slug}/index.html");
        let [entry, others @ ..] = group.as_slice() else { continue };
        if others.is_empty() {
            let claim = Claim { path, owner: short_link(entry), leads_to: id_of(entry) };
            add(tree, claim, diagnostics);
            continue;
        }
        // One code in several categories has no single entry to lead to; two codes with one
        // short form would both need it.
        let first = short_link(entry);
        for &other in others.iter().filter(|other| code(other) != code(entry)) {
            let owner = short_link(other);
            let (file, span) = owner.place();
            diagnostics.push(
                Diagnostic::error(file, span, format!("{} collides with {}", owner.subject(&path), first.other(&path)))
                    .with_help("codes that differ only in case or punctuation share one short form; write the two codes alike, or set `short_links: false` in site.yaml"),
            );
        }
    }
}

/// Why a new entry `category/slug` could not have its files whatever else the site holds: its
/// category page, page or data API document would be a file or folder the build keeps for
/// itself, or its page would need its category page as a folder. The rules of [`check`], for
/// `new`, which asks before the entry exists.
pub fn new_entry_problem(category: &str, slug: &str) -> Option<String> {
    let mut tree = Tree::with_reserved();
    let file = format!("{}/{category}/{slug}.md", super::CONTENT_DIR);
    let claims = [
        Claim {
            path: format!("{category}/index.html"),
            owner: Owner::Category { id: category },
            leads_to: None,
        },
        Claim {
            path: format!("{category}/{slug}/index.html"),
            owner: Owner::Page { file: &file },
            leads_to: None,
        },
        Claim {
            path: format!("api/{category}/{slug}.json"),
            owner: Owner::Api { file: &file },
            leads_to: None,
        },
    ];
    for claim in claims {
        if let Some((other, clash)) = tree.clash(&claim) {
            let other = &tree.claims[other];
            return Some(format!(
                "{} would collide with {}{}",
                claim.owner.subject(&claim.path),
                other.owner.other(&other.path),
                detail(&claim.path, &other.path, &clash)
            ));
        }
        tree.insert(claim);
    }
    None
}

/// Adds `claim` to `tree`, or reports why it cannot be added; whether it was added.
fn add<'a>(tree: &mut Tree<'a>, claim: Claim<'a>, diagnostics: &mut Vec<Diagnostic>) -> bool {
    match tree.clash(&claim) {
        // Two ways to one entry at one path are one file (but not two paths that differ in case).
        Some((other, Clash::Same))
            if claim.leads_to.is_some()
                && tree.claims[other].leads_to == claim.leads_to
                && tree.claims[other].path == claim.path =>
        {
            false
        }
        None if too_long(&claim).is_none() => {
            tree.insert(claim);
            true
        }
        found => {
            diagnostics.extend(collision(tree, &claim, found));
            false
        }
    }
}

/// What is too long about a claim's path: the name, or the path as a whole.
fn too_long(claim: &Claim<'_>) -> Option<String> {
    if let Some(part) = layout::too_long_part(&claim.path) {
        return Some(format!(
            "would write a name of {} bytes (`{}`), over the {MAX_NAME_BYTES} bytes file systems allow",
            part.len(),
            shorten(part)
        ));
    }
    (claim.path.len() > MAX_PATH_BYTES).then(|| {
        format!(
            "would write a path of {} bytes, over the {MAX_PATH_BYTES} bytes a path of the output may have",
            claim.path.len()
        )
    })
}

/// The diagnostic for a claim that clashes (`found`) or is too long.
fn collision(tree: &Tree<'_>, claim: &Claim<'_>, found: Option<(usize, Clash)>) -> Option<Diagnostic> {
    let (file, span) = claim.owner.place();
    let subject = claim.owner.subject(&claim.path);
    let Some((other, clash)) = found else {
        let problem = too_long(claim)?;
        let help = match claim.owner {
            Owner::Api { .. } | Owner::Page { .. } | Owner::Copy { .. } => format!(
                "shorten the file name: the data API adds `.json`, so a slug has at most {} bytes",
                MAX_NAME_BYTES - ".json".len()
            ),
            Owner::ShortLink { .. } => {
                "set `short_links: false` in site.yaml, or shorten the code".to_owned()
            }
            _ => "shorten it".to_owned(),
        };
        return Some(Diagnostic::error(file, span, format!("{subject} {problem}")).with_help(help));
    };
    let other = &tree.claims[other];
    let detail = detail(&claim.path, &other.path, &clash);
    let message = format!("{subject} collides with {}{detail}", other.owner.other(&other.path));
    Some(Diagnostic::error(file, span, message).with_help(claim.owner.help(&other.owner)))
}

/// What a collision of a file at `path` with one at `other` is, when its kind does not say.
fn detail(path: &str, other: &str, clash: &Clash) -> String {
    match clash {
        Clash::Same if path != other => {
            ": the two differ only in case, which file systems that ignore case (macOS, Windows) do not tell apart"
                .to_owned()
        }
        Clash::FolderIsFile(folder) => format!(": `{}` would have to be a file and a folder at once", shorten(folder)),
        Clash::FileIsFolder => format!(": `{}` would have to be a file and a folder at once", shorten(path)),
        Clash::Same | Clash::Inside => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_code_written_two_ways_in_two_categories_has_no_short_link() {
        let (config, _) = crate::content::entry::two_categories_for_test("");
        let entry = |category: &str, slug: &str, code: &str| {
            let text = format!("---\ncode: \"{code}\"\ntitle: T\nsummary: S.\nseverity: major\nupdated: 2026-06-14\n---\nBody.\n");
            crate::content::entry::parse_for_test(&text, category, slug, &config)
        };
        let entries = [
            entry("http", "a", "E_0308"),
            entry("linux", "b", "E0308"),
            entry("linux", "c", "ENOSPC"),
            entry("http", "d", "!!!"),
        ];
        let groups = short_link_groups(&entries);
        let ids = |slug: &str| groups[slug].iter().map(|e| e.id().to_string()).collect::<Vec<_>>();
        assert_eq!(groups.keys().collect::<Vec<_>>(), ["e0308", "e_0308", "enospc"]);
        assert_eq!(ids("e0308"), ["http/a", "linux/b"]);
        assert_eq!(ids("e_0308"), ["http/a", "linux/b"]);
        assert_eq!(ids("enospc"), ["linux/c"]);
    }

    #[test]
    fn site_paths() {
        assert_eq!(site_path("index.html"), "/");
        assert_eq!(site_path("http/503/index.html"), "/http/503/");
        assert_eq!(site_path("api/http/503.json"), "/api/http/503.json");
        assert_eq!(site_path("old/index.html.bak"), "/old/index.html.bak");
    }

    #[test]
    fn reserved_names_come_from_the_table() {
        assert_eq!(
            reserved_names(),
            "index.html, 404.html, sitemap.xml, robots.txt, atom.xml, opensearch.xml, llms.txt, llms-full.txt, .errorbook-output, assets/, search/, api/, tags/"
        );
    }
}
