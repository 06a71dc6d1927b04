//! `errorbook triage [FILE|-]`: the entries a log mentions, like grep: exit 0 when something
//! matched, 1 when nothing did.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use super::{report, use_color, Outcome};
use crate::content::{self, LoadOptions, SnippetChecks};
use crate::search::triage::{self, Matcher};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
}

#[derive(Clone, Debug, Default, clap::Args)]
pub struct TriageArgs {
    /// The log to read; standard input when it is `-` or left out
    pub file: Option<PathBuf>,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Read in blocks this large: fewer system calls on a big log.
const READ_BUFFER: usize = 256 * 1024;

pub fn run(args: &TriageArgs) -> Result<Outcome> {
    let file = args.file.as_ref().filter(|f| f.as_os_str() != "-");
    let input: Box<dyn io::Read> = match file {
        Some(path) => {
            if path.is_dir() {
                bail!("`{}` is a folder; give a log file, or `-` for standard input", path.display());
            }
            Box::new(File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?)
        }
        None => Box::new(io::stdin().lock()),
    };
    let mut diagnostics = Vec::new();
    let Some(content) = content::load(
        &args.root,
        LoadOptions { snippets: SnippetChecks::Skip, ..LoadOptions::default() },
        &mut diagnostics,
    )?
    else {
        report(&args.root, &crate::diagnostics::sorted(diagnostics));
        bail!("the site has errors; `errorbook check` lists them");
    };
    let skipped = diagnostics.iter().filter(|d| d.is_error()).count();
    if skipped > 0 {
        eprintln!(
            "note: files with errors were left out ({}); `errorbook check` lists them",
            super::plural(skipped, "error")
        );
    }
    let matcher = Matcher::new(&content.config, &content.entries);
    let mut scan = matcher.scan();
    let name = file.map_or_else(|| "standard input".to_owned(), |p| format!("`{}`", p.display()));
    triage::read_lines(BufReader::with_capacity(READ_BUFFER, input), |_, line| scan.line(line))
        .with_context(|| format!("cannot read {name}"))?;
    let lines = scan.lines();
    let found = scan.finish();
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&found)? + "\n",
        Format::Human => {
            crate::site::triage::render_human(&found, lines, use_color(io::stdout().is_terminal()))
        }
    };
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        // A reader that stops early (`| head`) is no failure of ours.
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => return Err(error.into()),
        _ => {}
    }
    Ok(if found.is_empty() { Outcome::NothingFound } else { Outcome::Success })
}
