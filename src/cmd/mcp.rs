//! `errorbook mcp`: load the site once, then answer Model Context Protocol requests on standard
//! input and output until the client closes them. Standard output carries the protocol alone:
//! everything for a person goes to standard error.

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::{report, Outcome};
use crate::content::SnippetChecks;
use crate::mcp::{self, Server};
use crate::site::{BuildOptions, Site};

#[derive(Clone, Debug, Default, clap::Args)]
pub struct McpArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &McpArgs) -> Result<Outcome> {
    let loaded =
        Site::load(&args.root, BuildOptions { snippets: SnippetChecks::Skip, ..BuildOptions::default() })?;
    report(&args.root, &crate::diagnostics::sorted(loaded.diagnostics));
    let Some(site) = loaded.site else {
        bail!("the site has errors, so there is nothing to serve; `errorbook check` lists them");
    };
    let server = Server::new(site)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(mcp::serve_stdio(server))?;
    Ok(Outcome::Success)
}
