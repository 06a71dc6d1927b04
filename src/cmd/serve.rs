//! `errorbook serve`: build, serve on loopback, rebuild and reload on change.

use anyhow::Result;

use super::Outcome;
use crate::serve::{self, ServeOptions};

pub fn run(options: &ServeOptions) -> Result<Outcome> {
    serve::run(options)?;
    Ok(Outcome::Success)
}
