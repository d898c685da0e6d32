//! `healthpress check`: every problem in the content folder, at once, for people or for CI.

use crate::content::{Diagnostic, Site, load_site};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// `file:line: severity: message`, one per line, then a summary.
    Text,
    /// A JSON array of `{path, line, severity, message}`; after the problems, one `note` per patient
    /// wording with its PEMAT pre-checks in a `pemat` array of `{item, name, result, reason}`.
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
    let (diagnostics, articles, pemat) = match load_site(&args.content) {
        Ok(site) => {
            let pemat = pemat_json(&site);
            let articles = site.articles.len();
            (site.into_diagnostics(), articles, pemat)
        }
        Err(e) => (e.diagnostics, 0, Vec::new()),
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
        Format::Json => println!("{}", to_json(&diagnostics, pemat)),
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One JSON entry per patient wording of the working files (what editors change), in slug order: a
/// `note` whose `pemat` array holds the wording's PEMAT pre-checks.
fn pemat_json(site: &Site) -> Vec<serde_json::Value> {
    let slugs: std::collections::BTreeSet<&String> =
        site.articles.keys().chain(site.working.keys()).collect();
    slugs
        .into_iter()
        .filter_map(|slug| site.working_article(slug))
        .flat_map(|article| &article.wordings)
        .filter_map(|wording| {
            let pemat = wording.pemat.as_ref()?;
            let items: Vec<_> = pemat
                .checks
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "item": c.item,
                        "name": c.name,
                        "result": c.outcome.as_str(),
                        "reason": c.reason,
                    })
                })
                .collect();
            Some(serde_json::json!({
                "path": wording.path.display().to_string(),
                "line": null,
                "severity": "note",
                "message": format!("PEMAT pre-checks: {}", pemat.summary()),
                "pemat": items,
            }))
        })
        .collect()
}

fn to_json(diagnostics: &[Diagnostic], pemat: Vec<serde_json::Value>) -> String {
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
        .chain(pemat)
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
}
