//! Watches a folder and reports which files changed (debounced), so an edit shows at once. Knows
//! nothing of what is done with the changes: the caller passes what to do.

use notify_debouncer_full::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the content must stay quiet before a reload, so one save (often several file events)
/// reloads once.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// Starts watching `dir`; calls `on_change` with the paths that changed, on the watcher's thread, once
/// per burst of changes. Keep the returned watcher alive for as long as changes are wanted.
pub fn watch(
    dir: &Path,
    on_change: impl Fn(&[PathBuf]) + Send + 'static,
) -> notify::Result<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let mut debouncer =
        new_debouncer(
            DEBOUNCE,
            None,
            move |result: DebounceEventResult| match result {
                Ok(events) => {
                    // Reading the files to reload them raises access events: only changes count, or every
                    // reload would set off the next one.
                    let mut paths: Vec<PathBuf> = events
                        .iter()
                        .filter(|e| !e.kind.is_access() && !e.kind.is_other())
                        .flat_map(|e| e.paths.iter().cloned())
                        .collect();
                    paths.sort();
                    paths.dedup();
                    if !paths.is_empty() {
                        on_change(&paths);
                    }
                }
                Err(errors) => {
                    for e in errors {
                        tracing::error!("watching for changes failed: {e}");
                    }
                }
            },
        )?;
    debouncer.watch(dir, RecursiveMode::Recursive)?;
    tracing::info!("watching {} for changes", dir.display());
    Ok(debouncer)
}
