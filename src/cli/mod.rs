//! The command line: `serve` (the default) and `check`. One module per subcommand.

mod check;
mod serve;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "healthpress",
    version,
    about = "A patient-education website: articles in wordings for each reader."
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no subcommand, `healthpress` serves.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default).
    Serve(ServeArgs),
    /// Load the content, print every problem, exit 1 if any is an error.
    Check(ContentArg),
}

#[derive(Args, Clone)]
pub struct ContentArg {
    /// The content folder.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
}

#[derive(Args, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// Address to listen on.
    #[arg(
        long,
        value_name = "HOST:PORT",
        env = "HEALTHPRESS_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: String,
}

/// Parses the command line and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(args) => serve::execute(&args),
        Command::Check(args) => check::execute(&args.content),
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
