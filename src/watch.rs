//! Watches the content folder and reloads the site on change (debounced), so an edit shows at once.

use crate::web::AppState;
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer, notify};
use std::sync::Arc;
use std::time::Duration;

/// How long the content must stay quiet before a reload, so one save (often several file events)
/// reloads once.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// Starts watching `state`'s content folder. Reloads run on the watcher's thread; keep the returned
/// watcher alive for as long as reloads are wanted.
pub fn watch(state: Arc<AppState>) -> notify::Result<Debouncer<notify::RecommendedWatcher>> {
    let dir = state.content_dir().to_path_buf();
    let mut debouncer = new_debouncer(DEBOUNCE, move |result: DebounceEventResult| match result {
        Ok(events) if !events.is_empty() => {
            if let Err(e) = state.reload() {
                tracing::error!("{e}");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::error!("watching the content folder failed: {e}"),
    })?;
    debouncer
        .watcher()
        .watch(&dir, notify::RecursiveMode::Recursive)?;
    tracing::info!("watching {} for changes", dir.display());
    Ok(debouncer)
}
