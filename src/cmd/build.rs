//! `errorbook build`: check, render, publish only what changed, report one summary line.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};

use super::progress::BuildProgress;
use super::{count_line, plural, report, Outcome};
use crate::content::config::{is_http_url, normalize_base_url};
use crate::markdown;
use crate::site::cache::{BuildState, Recorded, SnippetPack};
use crate::site::{self, BuildOptions, CacheStats, Site};

#[derive(Clone, Debug, Default)]
pub struct BuildArgs {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub offline: bool,
    pub force: bool,
    /// Defaults to `<root>/.errorbook-cache`.
    pub cache_dir: Option<PathBuf>,
    pub no_cache: bool,
}

pub fn run(args: &BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    if let Some(url) = &args.base_url {
        if !is_http_url(&normalize_base_url(url)) {
            bail!("--base-url `{url}` is not an absolute http(s) URL, such as https://example.org/kb/");
        }
    }
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    site::check_output_folder(&args.root, &out, args.force)?;
    let cache_dir = args.cache_dir.clone().unwrap_or_else(|| args.root.join(site::DEFAULT_CACHE_DIR));
    let resolved_out = site::resolve_nonexistent(&out)?;
    if !args.no_cache && site::resolve_nonexistent(&cache_dir)?.starts_with(&resolved_out) {
        bail!(
            "refusing to keep the cache in `{}`: it is inside the output folder, which every build rewrites; choose another --cache-dir",
            cache_dir.display()
        );
    }

    let state = (!args.no_cache).then(|| {
        let settings = format!("{resolved_out:?} {:?} {} {}", args.base_url, args.drafts, args.offline);
        BuildState::new(&cache_dir, &args.root, &resolved_out, &settings)
    });
    if let Some(recorded) = state.as_ref().and_then(|s| s.unchanged(&out)) {
        eprintln!(
            "nothing changed since the last build: {} and {} in `{}` are up to date ({:.2} s)",
            entries(recorded.entries),
            plural(recorded.pages, "page"),
            out.display(),
            started.elapsed().as_secs_f64()
        );
        return Ok(Outcome::Success);
    }
    if let Some(state) = &state {
        state.forget();
    }

    let options =
        BuildOptions { base_url: args.base_url.clone(), drafts: args.drafts, offline: args.offline };
    let loaded = Site::load(&args.root, options)?;
    let diagnostics = crate::diagnostics::sorted(loaded.diagnostics);
    report(&args.root, &diagnostics);
    let Some(site) = loaded.site else {
        eprintln!("build failed: {}; `{}` was left as it was", count_line(&diagnostics), out.display());
        return Ok(Outcome::ContentErrors);
    };

    let pack = if args.no_cache {
        None
    } else {
        match SnippetPack::open(&cache_dir) {
            Ok(pack) => Some(Arc::new(pack)),
            Err(error) => {
                eprintln!("warning: highlighting without a cache: {error:#}");
                None
            }
        }
    };
    markdown::use_snippet_store(pack.clone().map(|p| p as Arc<dyn markdown::SnippetStore>));
    let progress = BuildProgress::new();
    let mut stats = site::RenderStats::default();
    let published = site::publish(&out, |sink| {
        stats = site.render_with_progress(sink, &progress)?;
        Ok(())
    });
    progress.finish();
    markdown::use_snippet_store(None);
    let cache = finish_cache(pack);
    let published = published?;

    if let Some(state) = state.filter(|_| diagnostics.is_empty()) {
        let recorded = Recorded { entries: stats.entries, pages: stats.pages };
        if let Err(error) = state.record(&out, &recorded) {
            eprintln!("warning: the next build cannot skip work: {error:#}");
        }
    }
    let snippets = match cache {
        Some(c) => format!("; snippets: {} highlighted, {} reused", c.misses, c.hits),
        None => String::new(),
    };
    eprintln!(
        "built {} and {} into `{}` in {:.2} s ({} written, {} unchanged, {} removed{snippets})",
        entries(stats.entries),
        plural(stats.pages, "page"),
        out.display(),
        started.elapsed().as_secs_f64(),
        plural(published.written, "file"),
        published.unchanged,
        published.removed,
    );
    Ok(Outcome::Success)
}

fn entries(n: usize) -> String {
    if n == 1 {
        "1 entry".to_owned()
    } else {
        format!("{n} entries")
    }
}

/// Writes the snippet pack back; a failure costs only the next build's time. A pack found
/// damaged or tampered with is reported once, as a warning.
fn finish_cache(pack: Option<Arc<SnippetPack>>) -> Option<CacheStats> {
    let pack = pack?;
    if let Some(damage) = pack.damage() {
        eprintln!("warning: {damage}");
    }
    let pack = Arc::into_inner(pack)?;
    match pack.finish() {
        Ok(stats) => Some(stats),
        Err(error) => {
            eprintln!("warning: failed to update the highlighting cache: {error:#}");
            None
        }
    }
}
