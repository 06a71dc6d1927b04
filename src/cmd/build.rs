//! `errorbook build`: check, render, publish only what changed, report one summary line.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};

use super::progress::BuildProgress;
use super::{count_line, plural, report, Outcome};
use crate::content::config::scaffold_base_url_warning;
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::site::cache::{BuildState, Recorded, SnippetPack};
use crate::site::{self, BuildOptions, CacheStats, Site};

#[derive(Clone, Debug, Default, clap::Args)]
pub struct BuildArgs {
    /// The site's folder (holding site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: <root>/public]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Publish under this URL instead of site.yaml's base_url
    #[arg(long, value_name = "URL", value_parser = base_url)]
    pub base_url: Option<String>,
    /// Include entries marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Link to index.html files so the site works opened from disk
    #[arg(long)]
    pub offline: bool,
    /// Replace an output folder that errorbook did not create
    #[arg(long)]
    pub force: bool,
    /// Where to keep highlighted snippets and the last build's fingerprint [default: <root>/.errorbook-cache]
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the cache: highlight everything and rebuild every file
    #[arg(long)]
    pub no_cache: bool,
    /// Count warnings as errors: build nothing and exit with 1 if there are any (for CI)
    #[arg(long)]
    pub strict: bool,
}

/// What of the command line changes what a build writes, beside the files it reads: part of
/// the key of the last build's fingerprint.
#[derive(Debug)]
struct Settings<'a> {
    out: &'a Path,
    base_url: Option<&'a str>,
    drafts: bool,
    offline: bool,
    strict: bool,
}

impl<'a> Settings<'a> {
    fn of(args: &'a BuildArgs, out: &'a Path) -> Settings<'a> {
        let BuildArgs { base_url, drafts, offline, strict, .. } = args;
        Settings { out, base_url: base_url.as_deref(), drafts: *drafts, offline: *offline, strict: *strict }
    }

    /// Each setting a part of its own, so no two settings give the same key.
    fn key(&self) -> String {
        let flags = [self.base_url.is_some(), self.drafts, self.offline, self.strict].map(u8::from);
        let out = self.out.as_os_str().as_encoded_bytes();
        crate::digest::of(&[out, self.base_url.unwrap_or_default().as_bytes(), &flags]).hex()
    }
}

/// `--base-url`: refused as a usage error, with the reason, unless it can be the site's base.
fn base_url(value: &str) -> std::result::Result<String, String> {
    match crate::url_policy::base_url(value) {
        Ok(()) => Ok(value.to_owned()),
        Err(refusal) => Err(format!("the URL {}; {}", refusal.problem(), refusal.help())),
    }
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
        let settings = Settings::of(args, &resolved_out);
        BuildState::new(&cache_dir, &args.root, &resolved_out, &settings.key())
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

    let Some((site, diagnostics)) = load_site(args, &out)? else {
        return Ok(Outcome::ContentErrors);
    };

    let pack = if args.no_cache { None } else { open_snippet_pack(&cache_dir) };
    let progress = BuildProgress::new();
    let mut stats = site::RenderStats::default();
    let published = site::publish(&lock, |sink| {
        let snippets = pack.as_deref().map(|p| p as &dyn markdown::SnippetStore);
        stats = site
            .render_with(sink, site::RenderOptions { progress: &progress, snippets, ..Default::default() })?;
        Ok(())
    });
    progress.finish();
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
    print_summary(&stats, &published, cache, &out, started);
    Ok(Outcome::Success)
}

/// Loads and checks the site and reports its diagnostics, sorted; `None` when it has errors
/// (said, and nothing is built).
fn load_site(args: &BuildArgs, out: &Path) -> Result<Option<(Site, Vec<Diagnostic>)>> {
    let options = BuildOptions {
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        offline: args.offline,
        pack_texts: true,
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
        return Ok(None);
    };
    Ok(Some((site, diagnostics)))
}

/// The cache of highlighted snippets; a build without it only takes longer.
fn open_snippet_pack(cache_dir: &Path) -> Option<Arc<SnippetPack>> {
    match SnippetPack::open(cache_dir) {
        Ok(pack) => Some(Arc::new(pack)),
        Err(error) => {
            eprintln!("warning: highlighting without a cache: {error:#}");
            None
        }
    }
}

/// The one line a successful build ends with.
fn print_summary(
    stats: &site::RenderStats,
    published: &site::PublishStats,
    cache: Option<CacheStats>,
    out: &Path,
    started: Instant,
) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_changes_the_key() {
        let args = BuildArgs::default();
        let out = Path::new("/site/public");
        let key = |args: &BuildArgs| Settings::of(args, out).key();
        let plain = key(&args);
        assert_eq!(plain, key(&BuildArgs::default()), "the same settings give the same key");
        let others = [
            BuildArgs { base_url: Some(String::new()), ..BuildArgs::default() },
            BuildArgs { base_url: Some("https://e.org/".to_owned()), ..BuildArgs::default() },
            BuildArgs { drafts: true, ..BuildArgs::default() },
            BuildArgs { offline: true, ..BuildArgs::default() },
            BuildArgs { strict: true, ..BuildArgs::default() },
        ];
        let mut keys: Vec<String> = others.iter().map(key).collect();
        keys.push(plain);
        keys.push(Settings::of(&args, Path::new("/site/out")).key());
        let distinct: std::collections::BTreeSet<&String> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
    }
}
