//! The command line: `serve` (the default), `preview`, `check`, `build` and `hash-password`. One
//! module per subcommand that has more than a line of work.

mod approve;
mod backup;
mod build;
mod check;
mod fact_check;
mod serve;
mod sessions;

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
    /// How log lines are written on standard error: `text` for people, `json` for one JSON object
    /// per line (for a log collector).
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        env = "HEALTHPRESS_LOG_FORMAT"
    )]
    log_format: LogFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default).
    Serve(ServeArgs),
    /// Load the content, print every problem, exit 1 if any is an error.
    Check(check::CheckArgs),
    /// Write the public site as static files, ready for any static host or CDN.
    Build(BuildArgs),
    /// Serve on this machine for editing: watches the content, editor area without login, loopback only.
    Preview(PreviewArgs),
    /// Read a password on standard input and print its argon2id hash, for the editors file.
    HashPassword,
    /// Approve an article's text as it is now: readers see this copy until it is approved again.
    Approve(approve::ApproveArgs),
    /// Take an article off every public surface at once (a safety recall) until it is approved again.
    Withdraw(approve::WithdrawArgs),
    /// Send an article back to its editors with a note of what needs changing (readers see no change).
    RequestChanges(approve::RequestChangesArgs),
    /// End editors' sessions (`revoke --user NAME | --all`) or clear a sign-in lockout (`unlock NAME`).
    Sessions(sessions::SessionsArgs),
    /// Make a signed, expiring link for an expert to read one article's draft and comment, without an account.
    FactCheckLink(fact_check::FactCheckArgs),
    /// Write a consistent copy of the SQLite database, while the server runs (PostgreSQL: pg_dump).
    Backup(backup::BackupArgs),
    /// Put a backup back in place of the SQLite database, with the server stopped (PostgreSQL: pg_restore).
    Restore(backup::RestoreArgs),
}

#[derive(Args, Clone)]
pub struct ContentArg {
    /// The content folder.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
}

/// Where reader feedback, editor sessions and rate limits are kept.
#[derive(Args, Clone)]
pub struct StoreArgs {
    /// Folder for the SQLite database (`healthpress.db`), created on first start. Not used with
    /// `--database`.
    #[arg(
        long,
        value_name = "DIR",
        default_value = "data",
        env = "HEALTHPRESS_DATA"
    )]
    pub data: PathBuf,
    /// A PostgreSQL database instead (postgres://USER:PASSWORD@HOST:PORT/DATABASE), shared by every
    /// replica.
    #[arg(
        long,
        value_name = "URL",
        env = "HEALTHPRESS_DATABASE_URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
    /// The secret that keys the client hashes in rate limits, kept out of the database so a copy of
    /// it reveals no address: a file of at least 32 random bytes (`openssl rand -hex 32`), the same
    /// for every replica. Needed with `--database`; with SQLite, `client-key` in `--data` is made on
    /// first start if this is not given.
    #[arg(long, value_name = "FILE", env = "HEALTHPRESS_CLIENT_KEY_FILE")]
    pub client_key: Option<PathBuf>,
}

impl StoreArgs {
    /// `--client-key`, else the generated one (SQLite only).
    pub fn key(&self) -> crate::store::ClientKey {
        crate::store::ClientKey::choose(self.client_key.as_deref())
    }
}

#[derive(Args, Clone)]
pub struct BuildArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// The folder to write (created; an earlier export there is replaced).
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,
}

#[derive(Args, Clone)]
pub struct PreviewArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// Address to listen on: loopback only.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// Address to listen on [default: 127.0.0.1:8080, or 0.0.0.0:$PORT when PORT is set].
    #[arg(long, value_name = "HOST:PORT", env = "HEALTHPRESS_ADDR")]
    pub addr: Option<String>,
    /// Editors file (TOML `[editors]` name = "$argon2id$..."): turns on the editor area at /editor/.
    #[arg(long, value_name = "FILE", env = "HEALTHPRESS_EDITORS")]
    pub editors: Option<std::path::PathBuf>,
    /// Reload the content when it changes on disk.
    #[arg(long)]
    pub watch: bool,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub workers: Option<u16>,
    /// A reverse proxy in front of the server (IP address; repeat for several). Only requests from
    /// these addresses have their `X-Forwarded-For` read, to find the client's address.
    #[arg(
        long = "trusted-proxy",
        value_name = "IP",
        env = "HEALTHPRESS_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Connections each worker holds open at once; past it, new connections wait to be accepted.
    #[arg(long, value_name = "N", default_value_t = 1000, env = "HEALTHPRESS_MAX_CONNECTIONS",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Connections one client address (an IPv6 /64) may hold open at once; more are answered 503
    /// and closed. Trusted proxies are not capped. 0 turns the cap off.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 64,
        env = "HEALTHPRESS_MAX_CONNECTIONS_PER_CLIENT"
    )]
    pub max_connections_per_client: u32,
    /// Seconds a connection's answer may wait unsent because the client does not read it (or
    /// stay unacknowledged) before the connection is closed. 0 leaves the system default.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30,
        env = "HEALTHPRESS_WRITE_TIMEOUT"
    )]
    pub write_timeout: u64,
    /// Serve Prometheus metrics at http://HOST:PORT/metrics, on a listener of their own (never the
    /// public one): keep it on loopback or a private network.
    #[arg(long, value_name = "HOST:PORT", env = "HEALTHPRESS_METRICS_ADDR")]
    pub metrics_addr: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

impl ServeArgs {
    /// `--addr`, else `HEALTHPRESS_ADDR`, else `0.0.0.0:$PORT`, else `127.0.0.1:8080`.
    pub fn address(&self) -> Result<String, String> {
        resolve_address(self.addr.as_deref(), std::env::var("PORT").ok().as_deref())
    }
}

/// The address from `--addr`/`HEALTHPRESS_ADDR` if given, else from `PORT`, else the default.
fn resolve_address(addr: Option<&str>, port: Option<&str>) -> Result<String, String> {
    if let Some(addr) = addr {
        return Ok(addr.to_string());
    }
    match port {
        Some(port) => match port.parse::<u16>() {
            Ok(port) => Ok(format!("0.0.0.0:{port}")),
            Err(_) => Err(format!("PORT={port:?} is not a port number")),
        },
        None => Ok("127.0.0.1:8080".to_string()),
    }
}

/// Runs `work` on the store `args` name (opened, then closed), for the commands that change it:
/// prints what `work` says it did, or the error.
pub(crate) fn on_store(
    args: &StoreArgs,
    work: impl AsyncFnOnce(&crate::store::Store) -> Result<String, String>,
) -> ExitCode {
    let location = match crate::store::Location::choose(args.database.as_deref(), &args.data) {
        Ok(location) => location,
        Err(message) => return fail(&message),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the runtime: {e}")),
    };
    runtime.block_on(async {
        let store = match crate::store::Store::open_with_key(&location, &args.key()).await {
            Ok(store) => store,
            Err(message) => return fail(&message),
        };
        let done = work(&store).await;
        store.close().await;
        match done {
            Ok(message) => {
                println!("{message}");
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        }
    })
}

/// Prints `error: message` and fails.
pub(crate) fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// Parses the command line and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(args) => serve::execute(&args),
        Command::Check(args) => check::execute(&args),
        Command::Build(args) => build::execute(&args.content.content, &args.out),
        Command::Preview(args) => serve::preview(&args),
        Command::HashPassword => hash_password(),
        Command::Approve(args) => approve::approve(&args),
        Command::Withdraw(args) => approve::withdraw(&args),
        Command::RequestChanges(args) => approve::request_changes(&args),
        Command::Sessions(args) => sessions::execute(&args),
        Command::FactCheckLink(args) => fact_check::execute(&args),
        Command::Backup(args) => backup::backup(&args),
        Command::Restore(args) => backup::restore(&args),
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => logs.try_init(),
        LogFormat::Json => logs.json().flatten_event(true).try_init(),
    };
}

/// `healthpress hash-password`: one line from standard input, its hash on standard output.
fn hash_password() -> ExitCode {
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        eprintln!("could not read a password from standard input");
        return ExitCode::FAILURE;
    }
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        eprintln!("the password is empty: type one, then Enter");
        return ExitCode::FAILURE;
    }
    match crate::web::editor::auth::hash_password(password) {
        Ok(hash) => {
            println!("{hash}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::resolve_address;

    #[test]
    fn address_comes_from_addr_then_port_then_the_default() {
        assert_eq!(
            resolve_address(Some("127.0.0.1:9000"), Some("7000")).unwrap(),
            "127.0.0.1:9000"
        );
        assert_eq!(resolve_address(None, Some("7000")).unwrap(), "0.0.0.0:7000");
        assert_eq!(resolve_address(None, None).unwrap(), "127.0.0.1:8080");
        assert!(
            resolve_address(None, Some("http"))
                .unwrap_err()
                .contains("not a port number")
        );
    }
}
