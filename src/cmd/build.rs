//! `errorbook build`: check, render into a staging folder, swap it in.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Result};

use super::{count_line, plural, report, Outcome};
use crate::content::config::{is_http_url, normalize_base_url};
use crate::site::{self, BuildOptions, Site};

#[derive(Clone, Debug, Default)]
pub struct BuildArgs {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub offline: bool,
    pub force: bool,
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

    let options =
        BuildOptions { base_url: args.base_url.clone(), drafts: args.drafts, offline: args.offline };
    let loaded = Site::load(&args.root, options)?;
    let diagnostics = crate::diagnostics::sorted(loaded.diagnostics);
    report(&args.root, &diagnostics);
    let Some(site) = loaded.site else {
        eprintln!("build failed: {}; `{}` was left as it was", count_line(&diagnostics), out.display());
        return Ok(Outcome::ContentErrors);
    };
    let mut stats = site::RenderStats::default();
    let _published = site::publish(&out, |sink| {
        stats = site.render(sink)?;
        Ok(())
    })?;
    eprintln!(
        "built {} and {} into `{}` in {:.2} s",
        plural(stats.entries, "entry").replace("entrys", "entries"),
        plural(stats.pages, "page"),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Success)
}
