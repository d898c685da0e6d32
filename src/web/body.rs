//! Deadlines for request bodies. The HTTP layer times out a slow request head but not a slow body, so
//! a client could hold a connection open by sending one byte at a time; every body here must arrive
//! within [`BODY_DEADLINE`], with no gap longer than [`BODY_IDLE`].

use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use futures_util::Stream;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// The longest a whole request body may take to arrive.
pub const BODY_DEADLINE: Duration = Duration::from_secs(10);
/// The longest gap between two parts of a request body.
pub const BODY_IDLE: Duration = Duration::from_secs(5);

/// Middleware: gives the request body of every request that has one a deadline.
pub async fn deadline(
    mut req: ServiceRequest,
    next: Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if has_body(&req) {
        let payload = req.take_payload();
        let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
            Box::pin(Deadline::new(payload));
        req.set_payload(Payload::from(stream));
    }
    next.call(req).await
}

fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(actix_web::http::header::TRANSFER_ENCODING)
        || headers
            .get(actix_web::http::header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0")
}

/// A body stream that fails with `TimedOut` once its deadline or idle limit passes.
struct Deadline {
    inner: Payload,
    whole: Pin<Box<Sleep>>,
    idle: Pin<Box<Sleep>>,
    done: bool,
}

impl Deadline {
    fn new(inner: Payload) -> Self {
        let now = Instant::now();
        Deadline {
            inner,
            whole: Box::pin(tokio::time::sleep_until(now + BODY_DEADLINE)),
            idle: Box::pin(tokio::time::sleep_until(now + BODY_IDLE)),
            done: false,
        }
    }
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(bytes))) => {
                let next_idle = Instant::now() + BODY_IDLE;
                self.idle.as_mut().reset(next_idle);
                return Poll::Ready(Some(Ok(bytes)));
            }
            Poll::Ready(other) => {
                self.done = true;
                return Poll::Ready(other);
            }
            Poll::Pending => {}
        }
        if self.whole.as_mut().poll(cx).is_ready() || self.idle.as_mut().poll(cx).is_ready() {
            self.done = true;
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body arrived too slowly",
            )))));
        }
        Poll::Pending
    }
}

/// Whether `error` (from a body extractor) is a body that arrived too slowly.
pub fn timed_out(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(e) if e.kind() == std::io::ErrorKind::TimedOut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[actix_web::test]
    async fn a_pause_longer_than_the_gap_limit_ends_the_body() {
        let chunk = futures_util::stream::once(async { Ok(Bytes::from_static(b"audience=")) });
        let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
            Box::pin(chunk.chain(futures_util::stream::pending()));
        let mut body = Deadline::new(Payload::from(stream));
        let started = std::time::Instant::now();
        assert!(matches!(body.next().await, Some(Ok(_))));
        let end = body.next().await;
        assert!(matches!(&end, Some(Err(e)) if timed_out(e)), "{end:?}");
        let took = started.elapsed();
        assert!(took >= BODY_IDLE && took < BODY_DEADLINE, "{took:?}");
    }
}
