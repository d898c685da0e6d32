//! The editor pages' live-reload stream (server-sent events), with a cap on open streams per session
//! and overall, so one signed-in client cannot hold the server's file descriptors.

use super::session::SESSION_COOKIE;
use super::{AppState, Editor, EditorState};
use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Open streams allowed for one session (or one Basic-auth user, or `preview`).
pub const MAX_STREAMS_PER_SESSION: usize = 4;
/// Open streams allowed in all.
pub const MAX_STREAMS: usize = 64;
/// How often an idle stream sends a keep-alive (which also finds closed connections) and checks its
/// session is still live.
const KEEP_ALIVE: Duration = Duration::from_secs(5);

/// Counts open live-reload streams.
#[derive(Default)]
pub struct EventStreams {
    open: Arc<Mutex<HashMap<String, usize>>>,
}

/// One open stream; closing it (dropping the ticket) frees its place.
pub struct StreamTicket {
    open: Arc<Mutex<HashMap<String, usize>>>,
    owner: String,
}

impl Drop for StreamTicket {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.owner) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.owner);
            }
        }
    }
}

impl EventStreams {
    /// A place for one more stream of `owner`, unless it or the server is at its cap.
    pub fn open(&self, owner: &str) -> Option<StreamTicket> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let total: usize = open.values().sum();
        let mine = open.get(owner).copied().unwrap_or(0);
        if total >= MAX_STREAMS || mine >= MAX_STREAMS_PER_SESSION {
            return None;
        }
        *open.entry(owner.to_string()).or_default() += 1;
        Some(StreamTicket {
            open: self.open.clone(),
            owner: owner.to_string(),
        })
    }

    /// Streams open now.
    pub fn count(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .sum()
    }
}

struct Stream {
    receiver: tokio::sync::broadcast::Receiver<u64>,
    editors: web::Data<EditorState>,
    /// The session the stream belongs to, if it came with one: the stream ends with it.
    session: Option<String>,
    _ticket: StreamTicket,
}

/// Server-sent events: `reload` after each content reload, and a comment every 5 s to keep the
/// connection open. A stream ends when its session does (sign-out or expiry).
pub async fn events(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    req: HttpRequest,
    editor: Editor,
) -> HttpResponse {
    let session = match req.cookie(SESSION_COOKIE) {
        Some(c) if matches!(editors.live_session(c.value()).await, Ok(Some(_))) => {
            Some(c.value().to_string())
        }
        _ => None,
    };
    let owner = match &session {
        Some(token) => format!("session:{token}"),
        None => format!("user:{}", editor.user),
    };
    let Some(ticket) = editors.event_streams.open(&owner) else {
        return HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, "30"))
            .content_type("text/plain; charset=utf-8")
            .body("Too many live-reload streams are open; close some editor tabs.");
    };
    let stream = Stream {
        receiver: state.subscribe(),
        editors: editors.clone(),
        session,
        _ticket: ticket,
    };
    let stream = futures_util::stream::unfold(stream, |mut stream| async move {
        let message: &'static [u8] =
            match tokio::time::timeout(KEEP_ALIVE, stream.receiver.recv()).await {
                Ok(Ok(_)) | Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {
                    b"event: reload\ndata: changed\n\n"
                }
                Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return None,
                Err(_) => b": keep-alive\n\n",
            };
        if let Some(token) = &stream.session
            && !matches!(stream.editors.live_session(token).await, Ok(Some(_)))
        {
            return None;
        }
        Some((
            Ok::<_, actix_web::Error>(Bytes::from_static(message)),
            stream,
        ))
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(stream)
}
