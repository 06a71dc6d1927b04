//! `errorbook explain CODE`: one entry in the terminal, paged and coloured on a terminal, plain
//! text otherwise.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{bail, Result};

use super::{report, use_color, Outcome};
use crate::content::{self, LoadOptions, SnippetChecks};
use crate::search::lookup::{lookup, Lookup};
use crate::site::explain::{self, Style};
use crate::terminal;

#[derive(Clone, Debug, Default, clap::Args)]
pub struct ExplainArgs {
    /// The code (such as 503 or ENOSPC), or CATEGORY/SLUG when several entries share it
    pub code: String,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &ExplainArgs) -> Result<Outcome> {
    let mut diagnostics = Vec::new();
    let Some(content) = content::load(
        &args.root,
        LoadOptions { snippets: SnippetChecks::Skip, ..LoadOptions::default() },
        &mut diagnostics,
    )?
    else {
        report(&args.root, &crate::diagnostics::sorted(diagnostics));
        return Ok(Outcome::ContentErrors);
    };
    let config = &content.config;
    let terminal = std::io::stdout().is_terminal();
    let text = match lookup(&content.entries, &args.code) {
        Lookup::One(entry) => {
            let style = Style { color: use_color(terminal), dark_background: dark_background(), width: 80 };
            explain::render(config, entry, style)
        }
        Lookup::Shared(entries) => format!(
            "{} entries have the code \"{}\":\n\n{}\nshow one with `errorbook explain CATEGORY/SLUG`, for example `errorbook explain {}`\n",
            entries.len(),
            // The code as the entries write it, when they all write it alike.
            terminal::visible_line(if entries.iter().all(|e| e.code == entries[0].code) {
                &entries[0].code
            } else {
                args.code.trim()
            }),
            explain::list(config, &entries),
            entries[0].id()
        ),
        Lookup::Unknown(nearest) => {
            let mut message = format!("no entry has the code \"{}\"", terminal::visible_line(args.code.trim()));
            if nearest.is_empty() {
                message.push_str(
                    "\nhelp: no code comes close; write the code as the error shows it (case does not matter), or CATEGORY/SLUG",
                );
            } else {
                message.push_str("\nhelp: the nearest codes are:\n");
                message.push_str(explain::list(config, &nearest).trim_end());
            }
            let skipped = diagnostics.iter().filter(|d| d.is_error()).count();
            if skipped > 0 {
                message.push_str(&format!(
                    "\nnote: files with errors were left out ({}); `errorbook check` lists them",
                    super::plural(skipped, "error")
                ));
            }
            bail!(message);
        }
    };
    if terminal {
        page(&text)?;
    } else {
        print!("{text}");
    }
    Ok(Outcome::Success)
}

/// A terminal's background is taken as dark unless `COLORFGBG` says otherwise.
fn dark_background() -> bool {
    let Ok(value) = std::env::var("COLORFGBG") else {
        return true;
    };
    let background = value.rsplit(';').next().and_then(|b| b.parse::<u8>().ok());
    !matches!(background, Some(7 | 15))
}

/// Shows `text` through `$PAGER` (`less` when it is unset); prints it when the pager is empty,
/// `cat`, or cannot be started, and on a dumb terminal.
fn page(text: &str) -> Result<()> {
    // A dumb terminal cannot run a pager (`less` asks to press RETURN there): print instead.
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let pager =
        if dumb { String::new() } else { std::env::var("PAGER").unwrap_or_else(|_| "less".to_owned()) };
    let mut words = pager.split_whitespace();
    let Some(program) = words.next().filter(|p| *p != "cat") else {
        print!("{text}");
        return Ok(());
    };
    let mut command = Command::new(program);
    command.args(words).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        // Quit when the text fits on one screen, let colours through, keep the text on screen.
        command.env("LESS", "FRX");
    }
    let Ok(mut child) = command.spawn() else {
        print!("{text}");
        return Ok(());
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The reader may quit the pager before reading everything: not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait()?;
    Ok(())
}
