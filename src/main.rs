//! The command line: parse arguments, run the command, map the outcome to an exit status
//! (0 success, 1 the content has errors or `triage` found nothing, 2 bad usage or an I/O failure).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use errorbook::cmd::{self, Outcome};

// A build allocates many small strings on every core; mimalloc's per-thread heaps spend far
// less time in the allocator than the system one does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "errorbook",
    version,
    about = "Build a searchable static knowledge base of errors and their fixes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the site, then render it into the output folder
    Build {
        /// The site's folder (holding site.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Publish under this URL instead of site.yaml's base_url
        #[arg(long, value_name = "URL", value_parser = base_url)]
        base_url: Option<String>,
        /// Include entries marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Link to index.html files so the site works opened from disk
        #[arg(long)]
        offline: bool,
        /// Replace an output folder that errorbook did not create
        #[arg(long)]
        force: bool,
        /// Where to keep highlighted snippets and the last build's fingerprint [default: <root>/.errorbook-cache]
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
        /// Neither read nor write the cache: highlight everything and rebuild every file
        #[arg(long)]
        no_cache: bool,
        /// Count warnings as errors: build nothing and exit with 1 if there are any (for CI)
        #[arg(long)]
        strict: bool,
    },
    /// Report every problem in the site; write nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Count warnings as errors: exit with 1 if there are any (for CI)
        #[arg(long)]
        strict: bool,
    },
    /// Build the site, serve it on loopback, rebuild and reload on every change
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; anything but loopback makes the preview reachable by others.
        /// Requests must name loopback or this address (any IP address for 0.0.0.0 or ::)
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to listen on [default: 1111, or the next free one]
        #[arg(long)]
        port: Option<u16>,
        /// Include entries marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Scaffold a new entry with every section
    New {
        /// Where the entry goes, as category/slug (for example http/503)
        id: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site that builds as it is
    Init {
        /// The folder to create (must be empty or missing)
        dir: PathBuf,
    },
    /// Show the entry for an error code in the terminal
    Explain {
        /// The code (such as 503 or ENOSPC), or CATEGORY/SLUG when several entries share it
        code: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Find the entries a log mentions (exit 0 when some matched, 1 when none did)
    Triage {
        /// The log to read; standard input when it is `-` or left out
        file: Option<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
    /// Answer AI assistants and other tools over the Model Context Protocol on standard input
    /// and output (tools: search, get_entry, triage)
    Mcp {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
}

/// `--base-url`: refused as a usage error, with the reason, unless it can be the site's base.
fn base_url(value: &str) -> Result<String, String> {
    match errorbook::url_policy::base_url(value) {
        Ok(()) => Ok(value.to_owned()),
        Err(refusal) => Err(format!("the URL {}; {}", refusal.problem(), refusal.help())),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { root, out, base_url, drafts, offline, force, cache_dir, no_cache, strict } => {
            cmd::build::run(&cmd::build::BuildArgs {
                root,
                out,
                base_url,
                drafts,
                offline,
                force,
                cache_dir,
                no_cache,
                strict,
            })
        }
        Command::Check { root, format, strict } => {
            let format = match format {
                CheckFormat::Human => cmd::check::Format::Human,
                CheckFormat::Json => cmd::check::Format::Json,
            };
            cmd::check::run(&cmd::check::CheckArgs { root, format, strict })
        }
        Command::Serve { root, bind, port, drafts, open } => {
            cmd::serve::run(&errorbook::serve::ServeOptions {
                root,
                bind,
                port: port.unwrap_or(1111),
                port_explicit: port.is_some(),
                drafts,
                open,
            })
        }
        Command::New { id, root } => cmd::new::run(&root, &id),
        Command::Init { dir } => cmd::init::run(&dir),
        Command::Explain { code, root } => cmd::explain::run(&cmd::explain::ExplainArgs { root, code }),
        Command::Triage { file, root, format } => {
            let format = match format {
                CheckFormat::Human => cmd::triage::Format::Human,
                CheckFormat::Json => cmd::triage::Format::Json,
            };
            cmd::triage::run(&cmd::triage::TriageArgs { root, file, format })
        }
        Command::Mcp { root } => cmd::mcp::run(&cmd::mcp::McpArgs { root }),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::ContentErrors | Outcome::NothingFound) => ExitCode::from(1),
        Err(error) => {
            // The message may quote content (a file name, a template's text).
            eprintln!("error: {}", errorbook::terminal::visible(&format!("{error:#}")));
            ExitCode::from(2)
        }
    }
}
