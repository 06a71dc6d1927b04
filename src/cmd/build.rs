//! `errorbook build`: check, render, publish only what changed, report one summary line.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};

use super::progress::BuildProgress;
use super::{count_line, plural, report, Outcome};
use crate::content::config::scaffold_base_url_warning;
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
    /// Warnings count as errors: nothing is built when there are any.
    pub strict: bool,
}

pub fn run(args: &BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    if let Some(url) = &args.base_url {
        if let Err(refusal) = crate::url_policy::base_url(url) {
            bail!("--base-url `{}` {}; {}", crate::url_policy::shown(url), refusal.problem(), refusal.help());
        }
    }
    // `out` is how the folder is named in messages; `resolved_out` is what is built.
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    let resolved_out = site::resolve_path(&out, false)?;
    site::check_output_folder(&args.root, &resolved_out, args.force)?;
    let cache_dir = args.cache_dir.clone().unwrap_or_else(|| args.root.join(site::DEFAULT_CACHE_DIR));
    if !args.no_cache {
        site::check_cache_folder(&args.root, &cache_dir, &resolved_out)?;
    }
    let lock = site::OutputLock::acquire(&resolved_out, |lock_file| {
        eprintln!(
            "waiting for another build into `{}` to finish (it holds `{}`)",
            out.display(),
            lock_file.display()
        );
    })?;
    for warning in lock.warnings() {
        eprintln!("warning: {warning}");
    }
    // Checked again: the folder may have changed while another build held the lock.
    site::check_output_folder(&args.root, &resolved_out, args.force)?;

    let state = (!args.no_cache).then(|| {
        let settings =
            format!("{resolved_out:?} {:?} {} {} {}", args.base_url, args.drafts, args.offline, args.strict);
        BuildState::new(&cache_dir, &args.root, &resolved_out, &settings)
    });
    if let Some(recorded) = state.as_ref().and_then(|s| s.unchanged(&resolved_out)) {
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

    let options = BuildOptions {
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        offline: args.offline,
        ..BuildOptions::default()
    };
    let loaded = Site::load(&args.root, options)?;
    let mut diagnostics = loaded.diagnostics;
    if args.base_url.is_none() {
        let config = loaded.site.as_ref().map(|site| &site.content.config);
        diagnostics.extend(config.and_then(scaffold_base_url_warning));
    }
    let mut diagnostics = crate::diagnostics::sorted(diagnostics);
    if args.strict {
        crate::diagnostics::strict(&mut diagnostics);
    }
    report(&args.root, &diagnostics);
    let failed = diagnostics.iter().any(crate::diagnostics::Diagnostic::is_error);
    let Some(site) = loaded.site.filter(|_| !failed) else {
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
    let published = site::publish(&lock, |sink| {
        stats = site.render_with_progress(sink, &progress)?;
        Ok(())
    });
    progress.finish();
    markdown::use_snippet_store(None);
    let cache = finish_cache(pack);
    let published = published?;
    for warning in &published.warnings {
        eprintln!("warning: {warning}");
    }

    if let Some(state) = state.filter(|_| diagnostics.is_empty()) {
        let recorded = Recorded { entries: stats.entries, pages: stats.pages };
        if let Err(error) = state.record(&resolved_out, &recorded) {
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
