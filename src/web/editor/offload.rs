//! Slow editor work (sandbox renders, word diffs) on the blocking thread pool, so no editor request
//! can stall the async workers that answer readers.

use super::EditorError;
use actix_web::web;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// At most this many slow editor jobs (sandbox renders, word diffs) run at once, each on the
/// blocking pool; a request waits at most [`QUEUE_WAIT`] for its turn.
const JOB_SLOTS: usize = 2;
const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// How long one job (a render with readability and coaching, or a diff) may take before the editor
/// is told so. Inputs are capped too: the sandbox by its form limit (512 KiB), diffs by a deadline.
const JOB_BUDGET: Duration = Duration::from_secs(5);

static SLOTS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(JOB_SLOTS)));

/// Runs `work` on the blocking thread pool, never on the async workers that answer readers: at
/// most [`JOB_SLOTS`] at once, each within [`JOB_BUDGET`] (a job over it goes on in the
/// background, holding its slot, so slow requests cannot pile up).
pub(super) async fn off_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, EditorError> {
    let busy = || EditorError::Refused("the editor area is busy: try again in a moment".into());
    let slot = tokio::time::timeout(QUEUE_WAIT, SLOTS.clone().acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    let job = web::block(move || {
        let _slot = slot;
        work()
    });
    match tokio::time::timeout(JOB_BUDGET, job).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(EditorError::Render(e.to_string())),
        Err(_) => Err(EditorError::Refused(format!(
            "this took longer than {} s: shorten the text, or try again",
            JOB_BUDGET.as_secs()
        ))),
    }
}
