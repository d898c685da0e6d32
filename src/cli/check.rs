//! `healthpress check`: every problem in the content folder, at once, for people or for CI.

use crate::content::{Diagnostic, load_site};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// `file:line: severity: message`, one per line, then a summary.
    Text,
    /// A JSON array of `{path, line, severity, message}`.
    Json,
}

#[derive(Args, Clone)]
pub struct CheckArgs {
    /// The content folder.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
}

pub fn execute(args: &CheckArgs) -> ExitCode {
    let (diagnostics, articles) = match load_site(&args.content) {
        Ok(site) => (site.diagnostics, site.articles.len()),
        Err(e) => (e.diagnostics, 0),
    };
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.iter().filter(|d| d.is_warning()).count();
    let notes = diagnostics.len() - errors - warnings;
    match args.format {
        Format::Text => {
            for d in &diagnostics {
                println!("{d}");
            }
            println!(
                "{}: {articles} article(s) loaded, {errors} error(s), {warnings} warning(s), {notes} note(s)",
                args.content.display()
            );
        }
        Format::Json => println!("{}", to_json(&diagnostics)),
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn to_json(diagnostics: &[Diagnostic]) -> String {
    let list: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "path": d.path.display().to_string(),
                "line": d.line,
                "severity": d.severity.as_str(),
                "message": d.message,
            })
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
}
