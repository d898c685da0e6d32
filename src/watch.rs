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

/// The files under `dir` (hidden entries left out) modified at or after `since`: what changed while
/// the content was being loaded, before [`watch`] started.
pub fn changed_since(dir: &Path, since: std::time::SystemTime) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .is_some_and(|modified| modified >= since)
        })
        .map(|e| e.into_path())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_changed_since_a_moment_are_found_and_hidden_ones_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("articles/old/article.toml");
        std::fs::create_dir_all(old.parent().unwrap()).unwrap();
        std::fs::write(&old, "title = \"Old\"").unwrap();
        let long_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        let since = std::time::SystemTime::now() - Duration::from_secs(60);
        let new = dir.path().join("articles/new/patient.md");
        std::fs::create_dir_all(new.parent().unwrap()).unwrap();
        std::fs::write(&new, "Text").unwrap();
        let hidden = dir.path().join(".git/index");
        std::fs::create_dir_all(hidden.parent().unwrap()).unwrap();
        std::fs::write(&hidden, "x").unwrap();
        assert_eq!(changed_since(dir.path(), since), vec![new]);
    }
}
