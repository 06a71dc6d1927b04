//! `errorbook check`: every problem in the site, nothing written.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;

use super::{count_line, use_color, Outcome};
use crate::diagnostics::{self, DiskSources};
use crate::site::{BuildOptions, Site};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
}

#[derive(Clone, Debug, Default, clap::Args)]
pub struct CheckArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Count warnings as errors: exit with 1 if there are any (for CI)
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let loaded = Site::load(&args.root, BuildOptions::default())?;
    let mut diagnostics = diagnostics::sorted(loaded.diagnostics);
    if args.strict {
        diagnostics::strict(&mut diagnostics);
    }
    match args.format {
        Format::Json => print!("{}", diagnostics::render_json(&diagnostics)),
        Format::Human => {
            let color = use_color(std::io::stdout().is_terminal());
            print!("{}", diagnostics::render_human(&diagnostics, &DiskSources(&args.root), color));
            match &loaded.site {
                Some(site) if diagnostics.is_empty() => {
                    println!("checked {} entries: no problems found", site.content.entries.len());
                }
                _ => println!("{}", count_line(&diagnostics)),
            }
        }
    }
    let failed = diagnostics.iter().any(crate::diagnostics::Diagnostic::is_error);
    Ok(if failed { Outcome::ContentErrors } else { Outcome::Success })
}
