//! `healthpress check`: every problem in the content folder, at once.

use crate::content::load_site;
use std::path::Path;
use std::process::ExitCode;

pub fn execute(content: &Path) -> ExitCode {
    let (diagnostics, articles) = match load_site(content) {
        Ok(site) => (site.diagnostics, site.articles.len()),
        Err(e) => (e.diagnostics, 0),
    };
    for d in &diagnostics {
        println!("{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    println!(
        "{}: {articles} article(s) loaded, {errors} error(s), {warnings} warning(s)",
        content.display()
    );
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
