//! `healthpress build`: write the public site as static files.

use crate::web::{AppState, export};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub fn execute(content: &Path, out: &Path) -> ExitCode {
    let started = Instant::now();
    let state = match AppState::load_for_export(content) {
        Ok(state) => state,
        Err(message) => {
            tracing::error!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let snapshot = state.snapshot();
    let mut last_report = Instant::now();
    let mut progress = |done: usize, total: usize| {
        if done == total || last_report.elapsed().as_millis() >= 500 {
            eprintln!("exported {done}/{total} pages");
            last_report = Instant::now();
        }
    };
    match export::export_site(&snapshot, out, &mut progress) {
        Ok(summary) => {
            eprintln!(
                "wrote {} files ({} KiB) to {} in {:.1} s",
                summary.files,
                summary.bytes / 1024,
                out.display(),
                started.elapsed().as_secs_f64()
            );
            // A static export cannot publish on its own later.
            let mut scheduled: Vec<(crate::content::Moment, &str)> = snapshot
                .site
                .records
                .iter()
                .filter_map(|(slug, r)| Some((r.scheduled.as_ref()?.publish_at?, slug.as_str())))
                .collect();
            scheduled.sort();
            if let Some((first, _)) = scheduled.first() {
                eprintln!(
                    "note: {} approval(s) are scheduled for later ({}); this export does not have them: build again after {}",
                    scheduled.len(),
                    scheduled
                        .iter()
                        .map(|(at, slug)| format!("{slug} at {}", at.iso()))
                        .collect::<Vec<_>>()
                        .join(", "),
                    first.in_words()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!("export to {} failed: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
