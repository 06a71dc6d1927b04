//! The command line: parse arguments, run the command, map the outcome to an exit status
//! (0 success, 1 the content has errors or `triage` found nothing, 2 bad usage or an I/O failure).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
    Build(cmd::build::BuildArgs),
    /// Report every problem in the site; write nothing
    Check(cmd::check::CheckArgs),
    /// Build the site, serve it on loopback, rebuild and reload on every change
    Serve(cmd::serve::ServeArgs),
    /// Scaffold a new entry with every section
    New(cmd::new::NewArgs),
    /// Create a new site that builds as it is
    Init(cmd::init::InitArgs),
    /// Show the entry for an error code in the terminal
    Explain(cmd::explain::ExplainArgs),
    /// Find the entries a log mentions (exit 0 when some matched, 1 when none did)
    Triage(cmd::triage::TriageArgs),
    /// Answer AI assistants and other tools over the Model Context Protocol on standard input
    /// and output (tools: search, get_entry, triage)
    Mcp(cmd::mcp::McpArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Build(args) => cmd::build::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
        Command::New(args) => cmd::new::run(&args),
        Command::Init(args) => cmd::init::run(&args),
        Command::Explain(args) => cmd::explain::run(&args),
        Command::Triage(args) => cmd::triage::run(&args),
        Command::Mcp(args) => cmd::mcp::run(&args),
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
