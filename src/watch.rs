//! Watches the content folder and reloads the site on change (debounced), so an edit shows at once.

use crate::web::AppState;
use notify_debouncer_full::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::sync::Arc;
use std::time::Duration;

/// How long the content must stay quiet before a reload, so one save (often several file events)
/// reloads once.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// Starts watching `state`'s content folder. Reloads run on the watcher's thread; keep the returned
/// watcher alive for as long as reloads are wanted.
pub fn watch(
    state: Arc<AppState>,
) -> notify::Result<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let dir = state.content_dir().to_path_buf();
    let mut debouncer =
        new_debouncer(
            DEBOUNCE,
            None,
            move |result: DebounceEventResult| match result {
                // Reading the files to reload them raises access events: only changes count, or every
                // reload would set off the next one.
                Ok(events)
                    if events
                        .iter()
                        .any(|e| !e.kind.is_access() && !e.kind.is_other()) =>
                {
                    if let Err(e) = state.reload() {
                        tracing::error!("{e}");
                    }
                }
                Ok(_) => {}
                Err(errors) => {
                    for e in errors {
                        tracing::error!("watching the content folder failed: {e}");
                    }
                }
            },
        )?;
    debouncer.watch(&dir, RecursiveMode::Recursive)?;
    tracing::info!("watching {} for changes", dir.display());
    Ok(debouncer)
}
