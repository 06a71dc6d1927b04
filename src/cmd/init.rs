//! `errorbook init DIR`: a new site that checks clean and builds as it is.

use anyhow::{bail, Result};

use super::Outcome;

/// The files of a new site: path, contents.
const FILES: &[(&str, &str)] = &[
    (".gitignore", include_str!("scaffold/gitignore")),
    ("README.md", include_str!("scaffold/README.md")),
    ("content/http/429.md", include_str!("scaffold/entry.md")),
    ("site.yaml", include_str!("scaffold/site.yaml")),
];

#[derive(Clone, Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create (must be empty or missing)
    pub dir: std::path::PathBuf,
}

pub fn run(args: &InitArgs) -> Result<Outcome> {
    let dir = args.dir.as_path();
    if dir.exists() {
        if !dir.is_dir() {
            bail!("`{}` exists and is not a folder", dir.display());
        }
        let empty = std::fs::read_dir(dir)
            .map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            bail!("refusing to create a site in `{}`: the folder is not empty", dir.display());
        }
    }
    for (path, text) in FILES {
        crate::fs::write(&dir.join(path), text.as_bytes())?;
    }
    eprintln!("created a new site in `{}`", dir.display());
    eprintln!(
        "next: `errorbook build --root {}`, or `errorbook new http/503 --root {}`",
        dir.display(),
        dir.display()
    );
    Ok(Outcome::Success)
}
