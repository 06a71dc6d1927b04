//! `errorbook serve`: build, serve on loopback, rebuild and reload on change.

use std::path::PathBuf;

use anyhow::Result;

use super::Outcome;
use crate::serve::{self, ServeOptions};

#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The address to listen on; anything but loopback makes the preview reachable by others.
    /// Requests must name loopback or this address (any IP address for 0.0.0.0 or ::)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port to listen on [default: 1111, or the next free one]
    #[arg(long)]
    pub port: Option<u16>,
    /// Include entries marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: &ServeArgs) -> Result<Outcome> {
    serve::run(&ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port.unwrap_or(1111),
        port_explicit: args.port.is_some(),
        drafts: args.drafts,
        open: args.open,
    })?;
    Ok(Outcome::Success)
}
