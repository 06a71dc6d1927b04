//! A site: load (read and validate everything), then build (render and publish).
//!
//! `load` is all `check` needs; `build` adds rendering and writing. Data flows one way:
//! content → markdown → templates → output, and each stage hands the next its result.

mod api;
pub mod cache;
mod changes;
pub mod explain;
mod failpoint;
mod llms;
mod output;
pub mod redirects;
mod render;
pub mod seo;
pub mod triage;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Result;

pub use cache::{check_cache_folder, CacheStats, DEFAULT_DIR as DEFAULT_CACHE_DIR};
pub use changes::{Changes, Removed, Scope, Stale};
pub use output::{
    check_output_folder, publish, resolve_path, MemorySink, OutputLock, PublishStats, Sink, MARKER,
};
pub use render::{RenderCache, RenderStats};

use crate::content::{self, Content, LoadOptions, ParseCache};
use crate::diagnostics::{display_path, Diagnostic, Span};
use crate::layout::fold_case;
use crate::templates::{Override, Templates};

/// Settings of one build, from the command line.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Relative links to `index.html` files, for reading the site from disk.
    pub offline: bool,
    pub snippets: content::SnippetChecks,
    /// Keep each entry's Markdown compressed from loading until its pages are made
    /// ([`content::Entry::pack_texts`]): for a build, which holds every entry while it renders.
    pub pack_texts: bool,
}

/// A loaded, valid site, ready to render.
pub struct Site {
    pub root: PathBuf,
    pub content: Content,
    pub templates: Arc<Templates>,
    /// The site's own `static/` files, sorted by path.
    pub static_files: Vec<StaticFile>,
    pub options: BuildOptions,
}

/// A file of the site's `static/` folder: its path in the output, and its bytes.
pub struct StaticFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The outcome of loading: the site when it has no errors, and every diagnostic either way.
pub struct Loaded {
    pub site: Option<Site>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Site {
    /// Reads and validates everything under `root`. `Err` is for plumbing failures only.
    pub fn load(root: &Path, options: BuildOptions) -> Result<Loaded> {
        Site::load_cached(root, options, &LoadCache::disabled())
    }

    /// [`Site::load`], parsing again only the entry files that changed since `cache` saw them,
    /// and compiling the templates again only when they changed.
    pub fn load_cached(root: &Path, options: BuildOptions, cache: &LoadCache) -> Result<Loaded> {
        let started = Instant::now();
        let mut diagnostics = Vec::new();
        let load_options = LoadOptions {
            drafts: options.drafts,
            snippets: options.snippets,
            pack_texts: options.pack_texts,
        };
        let content = content::load_cached(root, load_options, &mut diagnostics, &cache.content)?;
        log_stage("load content", started);

        let overrides = read_overrides(root, &mut diagnostics)?;
        let templates = match cache.templates(overrides) {
            Ok(templates) => Some(templates),
            Err(errors) => {
                diagnostics.extend(errors);
                None
            }
        };
        let static_files = read_static(root, &mut diagnostics)?;
        if let Some(content) = &content {
            check_static(&static_files, &content.outputs, &mut diagnostics);
        }

        let failed = diagnostics.iter().any(Diagnostic::is_error);
        let site = match (content, templates) {
            (Some(mut content), Some(templates)) if !failed => {
                if let Some(base_url) = &options.base_url {
                    content.config.base_url = content::config::normalize_base_url(base_url);
                }
                Some(Site { root: root.to_path_buf(), content, templates, static_files, options })
            }
            _ => None,
        };
        Ok(Loaded { site, diagnostics })
    }

    /// Renders every page and asset into `sink`.
    pub fn render(&self, sink: &dyn Sink) -> Result<RenderStats> {
        self.render_with(sink, RenderOptions::default())
    }

    /// Renders what `options` says into `sink`.
    pub fn render_with(&self, sink: &dyn Sink, options: RenderOptions<'_>) -> Result<RenderStats> {
        render::render(self, sink, options)
    }

    /// The search index a build writes, made without rendering a page: what programs that
    /// search the site in-process (`errorbook mcp`) load.
    pub fn search_index(&self) -> crate::search::IndexFiles {
        render::search_files(self)
    }

    /// The Markdown copy of entry `id` (`http/503`) exactly as a build writes it to the entry's
    /// `index.md`, or `None` when the site has no such entry.
    pub fn markdown_copy(&self, id: &str) -> Option<String> {
        render::markdown_copy(self, id)
    }

    /// The template context the page of entry `id` (`http/503`) is rendered with in a build,
    /// or `None` when the site has no such entry: what the template benchmark renders.
    pub fn entry_page_context(&self, id: &str) -> Option<tera::Context> {
        render::entry_page_context(self, id)
    }
}

/// What a render does beyond a whole build that keeps nothing (the default).
#[derive(Clone, Copy)]
pub struct RenderOptions<'a> {
    /// The pages to render again; every file that lists all entries is written whatever it says.
    pub scope: &'a Scope,
    /// What the previous render kept, reused and updated (the preview).
    pub cache: Option<&'a RenderCache>,
    /// Told how far the render got.
    pub progress: &'a dyn Progress,
    /// Where highlighted snippets are looked up and kept (the build's cache folder); without
    /// one, each process keeps them in memory.
    pub snippets: Option<&'a dyn crate::markdown::SnippetStore>,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        static EVERYTHING: Scope = Scope::Everything;
        RenderOptions { scope: &EVERYTHING, cache: None, progress: &NoProgress, snippets: None }
    }
}

/// What loading keeps between loads of one site, for the preview server: the parsed entry
/// files, and the templates as compiled from the site's overrides.
pub struct LoadCache {
    content: ParseCache,
    templates: Mutex<Option<(Vec<Override>, Arc<Templates>)>>,
    keep_templates: bool,
}

impl Default for LoadCache {
    fn default() -> Self {
        LoadCache { content: ParseCache::default(), templates: Mutex::default(), keep_templates: true }
    }
}

impl LoadCache {
    /// A cache that keeps nothing, for a single load.
    pub fn disabled() -> Self {
        LoadCache { content: ParseCache::disabled(), templates: Mutex::default(), keep_templates: false }
    }

    /// A cache that keeps only the compiled templates: every load reads and parses every
    /// content file again, whatever its size and time. For running many loads of small sites
    /// whose files change faster than file times can tell (the fuzz target).
    pub fn templates_only() -> Self {
        LoadCache { content: ParseCache::disabled(), templates: Mutex::default(), keep_templates: true }
    }

    /// See [`ParseCache::paths_changed`].
    pub fn paths_changed(&self, paths: &[PathBuf]) {
        self.content.paths_changed(paths);
    }

    /// See [`ParseCache::anything_changed`].
    pub fn anything_changed(&self) {
        self.content.anything_changed();
    }

    /// The templates compiled with these overrides: the last ones when the overrides are the
    /// same. Errors are not kept, so a broken template is reported on every load.
    fn templates(&self, overrides: Vec<Override>) -> std::result::Result<Arc<Templates>, Vec<Diagnostic>> {
        let mut kept = self.templates.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((sources, templates)) = kept.as_ref() {
            if *sources == overrides {
                return Ok(templates.clone());
            }
        }
        let templates = Arc::new(Templates::new(&overrides)?);
        if self.keep_templates {
            *kept = Some((overrides, templates.clone()));
        }
        Ok(templates)
    }
}

/// Hears how far a render got, for a progress display. Entry pages and data API documents are
/// the bulk of a build: `start` gives how many there will be, `advance` counts one done.
pub trait Progress: Sync {
    fn start(&self, total: usize);
    fn advance(&self);
}

/// Progress nobody watches.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total: usize) {}
    fn advance(&self) {}
}

/// `templates/*.html` of the site.
fn read_overrides(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Vec<Override>> {
    let dir = root.join("templates");
    let mut overrides = Vec::new();
    for path in site_files(root, &dir, diagnostics)? {
        let bytes = crate::fs::read_regular(&path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("`{}` is not UTF-8 text", path.display()))?;
        overrides.push(Override {
            name: display_path(&dir, &path),
            text,
            display: display_path(root, &path),
        });
    }
    Ok(overrides)
}

/// `static/**` of the site, to copy into the output over the built-in assets.
fn read_static(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Vec<StaticFile>> {
    let dir = root.join("static");
    let mut files = Vec::new();
    for path in site_files(root, &dir, diagnostics)? {
        files.push(StaticFile { path: display_path(&dir, &path), bytes: crate::fs::read_regular(&path)? });
    }
    Ok(files)
}

/// Reports every file of `static/` that would take the place of a file the build makes, need a
/// folder where the build writes a file, or be a folder of one. A static file may replace a
/// built-in asset, and add files anywhere else.
fn check_static(
    files: &[StaticFile],
    outputs: &content::outputs::Outputs,
    diagnostics: &mut Vec<Diagnostic>,
) {
    use std::collections::HashMap;
    let assets: HashMap<String, &str> =
        render::built_in_assets().map(|path| (fold_case(path), path)).collect();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for StaticFile { path, .. } in files {
        let key = fold_case(path);
        let case = ": the two differ only in case, which file systems that ignore case (macOS, Windows) do not tell apart";
        let problem = if let Some(&asset) = assets.get(&key) {
            (asset != path).then(|| format!("the built-in asset /{asset}{case}"))
        } else if key.starts_with("assets/") {
            // A built-in asset as a folder of this file, as the file writes it.
            let as_folder = key.match_indices('/').enumerate().find_map(|(parts, (end, _))| {
                let asset = assets.get(&key[..end])?;
                Some((asset, path.split('/').take(parts + 1).collect::<Vec<_>>().join("/")))
            });
            as_folder.map(|(asset, folder)| {
                format!(
                    "the built-in asset /{asset}: `{folder}` would have to be a file and a folder at once"
                )
            })
        } else {
            outputs.collision(path)
        };
        let problem = problem.or_else(|| Some(format!("the static file `static/{}`{case}", seen.get(&key)?)));
        seen.entry(key).or_insert(path);
        if let Some(other) = problem {
            diagnostics.push(
                Diagnostic::error(
                    format!("static/{path}"),
                    Span::file_start(),
                    format!("static file collides with {other}"),
                )
                .with_help(
                    "move or rename the file: `static/` may replace the built-in assets under `assets/` and add files of its own, but not the files the build makes; to change a page, override its template in `templates/`",
                ),
            );
        }
    }
}

/// The files under `dir` (the site's `templates/` or `static/`), sorted by path. A symbolic
/// link is followed when it leads to a file inside the site root; a link that leads elsewhere,
/// nowhere or round in a circle, a link to a folder and anything that is not a regular file
/// (a FIFO, which would block the read) are reported, never passed over in silence.
fn site_files(root: &Path, dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let canonical_root = std::fs::canonicalize(root)?;
    for item in walkdir::WalkDir::new(dir).sort_by_file_name().follow_links(false) {
        let item = item.map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", dir.display()))?;
        let path = item.path();
        let display = display_path(root, path);
        let mut kind = item.file_type();
        if item.path_is_symlink() && item.depth() > 0 {
            let link = crate::fs::follow_link(path, &canonical_root);
            if let Some(problem) = content::link_diagnostic(&display, &link) {
                diagnostics.push(problem);
                continue;
            }
            match std::fs::metadata(path) {
                Ok(meta) if meta.is_dir() => {
                    diagnostics.push(
                        Diagnostic::error(
                            display,
                            Span::file_start(),
                            "folder is a symbolic link, which errorbook does not follow",
                        )
                        .with_help("move the folder here instead of linking to it, or link to each file"),
                    );
                    continue;
                }
                Ok(meta) => kind = meta.file_type(),
                Err(error) => anyhow::bail!("failed to read `{}`: {error}", path.display()),
            }
        }
        if kind.is_dir() {
            continue;
        }
        if let Some(what) = crate::fs::describe_kind(kind) {
            diagnostics.push(
                Diagnostic::warning(
                    display,
                    Span::file_start(),
                    format!("file ignored: it is {what}, not a regular file"),
                )
                .with_help("put regular files here"),
            );
            continue;
        }
        files.push(path.to_path_buf());
    }
    Ok(files)
}

/// Per-stage timings, for `RUST_LOG`-style debugging with `ERRORBOOK_LOG=debug`.
pub(crate) fn log_stage(stage: &str, started: Instant) {
    if std::env::var_os("ERRORBOOK_LOG").is_some_and(|v| v == "debug") {
        eprintln!("debug: {stage}: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::layout::{Holds, RESERVED};

    fn entry(code: &str, extra: &str) -> String {
        format!(
            "---\ncode: \"{code}\"\ntitle: Error {code}\nsummary: What it means.\nseverity: major\nupdated: 2026-06-14\nsteps:\n  - title: Fix it\n    body: Do it.\nverify: [It works.]\n{extra}---\nBody.\n"
        )
    }

    /// A build keeps entries' texts packed until it renders them: it writes every file, byte
    /// for byte, that a render of the texts as read writes.
    #[test]
    fn a_site_with_packed_texts_renders_the_same_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let render = |pack_texts| {
            let options =
                BuildOptions { pack_texts, snippets: content::SnippetChecks::Skip, ..Default::default() };
            let site = Site::load(root, options).unwrap().site.expect("the bundled site is valid");
            assert_eq!(site.content.entries.iter().all(|e| e.packed.is_some()), pack_texts);
            let sink = MemorySink::default();
            site.render(&sink).unwrap();
            let id = site.content.entries[0].id().to_string();
            let one = (site.markdown_copy(&id), site.entry_page_context(&id).map(tera::Context::into_json));
            (sink.into_shared(), one)
        };
        let (plain, packed) = (render(false), render(true));
        assert!(plain.0.len() > 50, "the bundled site has pages");
        assert_eq!(plain.0.keys().collect::<Vec<_>>(), packed.0.keys().collect::<Vec<_>>());
        for (path, bytes) in &plain.0 {
            assert!(packed.0[path] == *bytes, "{path} differs");
        }
        assert!(plain.1 .0.is_some());
        assert_eq!(plain.1, packed.1);
    }

    /// The context the template benchmark renders is the one a build renders the page with.
    #[test]
    fn an_entry_page_context_renders_the_page_a_build_writes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/http")).unwrap();
        std::fs::write(
            root.join("site.yaml"),
            "title: T\nbase_url: https://example.org/\ncategories:\n  http: { name: HTTP }\n",
        )
        .unwrap();
        std::fs::write(
            root.join("content/http/503.md"),
            entry("503", "related: [http/502]\nfaq:\n  - q: Why?\n    a: Because.\n"),
        )
        .unwrap();
        std::fs::write(root.join("content/http/502.md"), entry("502", "")).unwrap();
        let site = Site::load(root, BuildOptions::default()).unwrap().site.expect("the site is valid");
        let sink = MemorySink::default();
        site.render(&sink).unwrap();
        let built = String::from_utf8(sink.into_shared()["http/503/index.html"].to_vec()).unwrap();
        let context = site.entry_page_context("http/503").expect("the site has http/503");
        let rendered = site.templates.render("entry.html", &context).unwrap();
        assert!(rendered.contains("Error 502"), "the related entry is on the page");
        assert_eq!(rendered, built);
        assert!(site.entry_page_context("http/404").is_none());
    }

    /// Every file a build writes is one of the build's own (the table of `layout`, which
    /// `content` checks pages against) or a page made from content; and every file of the table
    /// is written, so the table holds nothing the build no longer writes.
    #[test]
    fn every_file_a_build_writes_is_in_the_reserved_table_or_made_from_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nshort_links: true\nstructured_data: { faq: true, howto: true }\ncategories:\n  http: { name: HTTP }\n",
        );
        write(
            "content/http/503.md",
            &entry("503", "tags: [nginx]\nredirect_from: [/old/503.html, /moved/]\n"),
        );
        write("content/linux/eacces.md", &entry("EACCES", "tags: [permissions]\n"));
        write("static/assets/logo.svg", "<svg/>");
        let site = Site::load(&root, BuildOptions::default()).unwrap().site.expect("the site is valid");
        let out = dir.path().join("public");
        let lock = OutputLock::acquire(&out, |_| {}).unwrap();
        publish(&lock, |sink| site.render(sink).map(|_| ())).unwrap();

        let mut written = BTreeSet::new();
        for item in walkdir::WalkDir::new(&out).min_depth(1) {
            let item = item.unwrap();
            if item.file_type().is_file() {
                written.insert(display_path(&out, item.path()));
            }
        }
        let made_from_content = |path: &str| {
            let top = path.split('/').next().unwrap();
            ["http", "linux", "old", "moved", "503", "eacces"].contains(&top)
        };
        let reserved = |path: &str| {
            RESERVED.iter().any(|r| match r.holds {
                Holds::File => r.path == path,
                Holds::Folder | Holds::FolderOf(_) => path.starts_with(&format!("{}/", r.path)),
            })
        };
        for path in &written {
            assert!(reserved(path) || made_from_content(path), "`{path}` is in no table");
        }
        for r in RESERVED.iter().filter(|r| r.holds == Holds::File) {
            assert!(written.contains(r.path), "`{}` is reserved but not written", r.path);
        }
        for r in RESERVED.iter().filter(|r| r.holds != Holds::File) {
            assert!(written.iter().any(|p| p.starts_with(&format!("{}/", r.path))), "`{}/` is empty", r.path);
        }
        for page in
            ["http/index.html", "http/503/index.html", "old/503.html", "moved/index.html", "503/index.html"]
        {
            assert!(written.contains(page), "{page}");
        }
    }

    #[test]
    fn a_templates_only_cache_keeps_the_templates_and_reads_every_file_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/http")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: T\nbase_url: https://kb.example/\n").unwrap();
        let entry = |title: &str| {
            format!("---\ncode: \"E1\"\ntitle: {title}\nsummary: S.\nseverity: major\nupdated: 2026-06-14\nsteps:\n  - title: Fix it\n    body: Do it.\nverify:\n  - It works.\n---\n\nBody.\n")
        };
        let cache = LoadCache::templates_only();
        let mut kept = Vec::new();
        // Titles of the same length, written at once: size and time may not change.
        for title in ["First", "Other"] {
            std::fs::write(root.join("content/http/e1.md"), entry(title)).unwrap();
            let site = Site::load_cached(root, BuildOptions::default(), &cache).unwrap().site.expect("loads");
            assert_eq!(site.content.entries[0].title, title);
            kept.push(site.templates);
        }
        assert!(Arc::ptr_eq(&kept[0], &kept[1]), "the templates were compiled again");
        let disabled = LoadCache::disabled();
        let one = Site::load_cached(root, BuildOptions::default(), &disabled).unwrap().site.unwrap();
        let two = Site::load_cached(root, BuildOptions::default(), &disabled).unwrap().site.unwrap();
        assert!(!Arc::ptr_eq(&one.templates, &two.templates), "a disabled cache kept templates");
    }
}
