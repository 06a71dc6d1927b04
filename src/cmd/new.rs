//! `errorbook new CATEGORY/SLUG`: scaffold an entry with every field and section.

use std::path::PathBuf;

use anyhow::{bail, Result};

use super::Outcome;
use crate::content::{new_entry_problem, CONTENT_DIR, TODO_MARKER};

#[derive(Clone, Debug, clap::Args)]
pub struct NewArgs {
    /// Where the entry goes, as category/slug (for example http/503)
    pub id: String,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &NewArgs) -> Result<Outcome> {
    let (root, id) = (args.root.as_path(), args.id.as_str());
    let Some((category, slug)) = id.split_once('/') else {
        bail!("expected CATEGORY/SLUG, such as `http/503`, found `{id}`");
    };
    if !root.join(crate::content::config::SITE_FILE).is_file() {
        bail!("no `site.yaml` in `{}`; pass --root or create a site with `errorbook init`", root.display());
    }
    // The walk's own rules: a file it would not read is not created.
    if let Some(problem) = new_entry_problem(root, category, slug) {
        bail!("{problem}");
    }
    let dir = root.join(CONTENT_DIR).join(category);
    for extension in ["md", "yaml"] {
        let existing = dir.join(format!("{slug}.{extension}"));
        // A dangling link counts too: writing would create the file it points to.
        if existing.symlink_metadata().is_ok() {
            bail!("`{}` already exists; edit it, or choose another slug", existing.display());
        }
    }
    let path = dir.join(format!("{slug}.md"));
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    crate::fs::write(&path, scaffold(slug, &today).as_bytes())?;
    eprintln!(
        "created `{}` as a draft; replace every {TODO_MARKER}, remove `draft: true`, then run `errorbook check`",
        path.display()
    );
    Ok(Outcome::Success)
}

/// An entry with every field, placeholders marked TODO. It starts as a draft, left out of
/// builds; once `draft: true` is removed, `check` points at every TODO left.
fn scaffold(slug: &str, today: &str) -> String {
    format!(
        r#"---
draft: true
code: "{slug}"
title: "TODO: the error's name — what it means in a few words"
summary: "TODO: one line that says what the error means."
severity: major
difficulty: intermediate
fixable_percent: 80
fix_minutes: 15
updated: {today}
aliases:
  - "TODO: the exact message as it appears in logs"
tags: []
related: []
sources:
  - {{ title: "TODO: the authoritative source", url: "https://example.org/" }}
quick_fix: |
  TODO: the fastest fix, in two or three sentences.

  ```bash
  # TODO: the first command to run
  ```
causes: |
  TODO: what makes this error happen.
steps:
  - title: "TODO: the first thing to check"
    body: |
      TODO: why, and how.

      ```bash
      # TODO: commands
      ```
verify:
  - "TODO: how a reader confirms the fix worked"
faq:
  - q: "TODO: a question readers ask"
    a: |
      TODO: the answer.
---

## TODO: a section that explains the error in depth
"#
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_scaffold_has_every_field() {
        let text = super::scaffold("x", "2026-01-01");
        for field in [
            "code:",
            "title:",
            "summary:",
            "severity:",
            "difficulty:",
            "fixable_percent:",
            "fix_minutes:",
            "updated:",
            "aliases:",
            "tags:",
            "related:",
            "sources:",
            "quick_fix:",
            "causes:",
            "steps:",
            "verify:",
            "faq:",
            "draft: true",
        ] {
            assert!(text.contains(&format!("\n{field}")), "missing {field}");
        }
    }
}
