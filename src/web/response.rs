//! Sending prebuilt pages: `304 Not Modified` for a current copy, and the gzip copy or the
//! uncompressed body chosen by `Accept-Encoding`, with the page's own validators and caching policy.

use crate::render::page::Prebuilt;
pub use crate::render::page::{CACHE_IMMUTABLE, CACHE_PRIVATE, CACHE_PUBLIC, Encoding};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use std::time::SystemTime;

/// Answers a request with a prebuilt page.
pub trait Respond {
    /// The response to `req`: 304 when the client's copy is current, else the body in the best encoding.
    fn respond(&self, req: &HttpRequest, status: StatusCode) -> HttpResponse;
}

impl Respond for Prebuilt {
    fn respond(&self, req: &HttpRequest, status: StatusCode) -> HttpResponse {
        let compressible = self.is_compressible();
        let encoding = if compressible {
            negotiate(req.headers().get(header::ACCEPT_ENCODING))
        } else {
            Encoding::Identity
        };
        let etag = self.etag_header(encoding);
        let not_modified =
            status == StatusCode::OK && not_modified(self, req, etag.to_str().unwrap_or_default());
        let mut response = if not_modified {
            HttpResponse::NotModified().finish()
        } else {
            HttpResponse::with_body(status, self.encoded(encoding)).map_into_boxed_body()
        };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, self.cache_control().clone());
        headers.insert(header::ETAG, etag.clone());
        if compressible {
            headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        }
        if let Some(lm) = self.last_modified_header() {
            headers.insert(header::LAST_MODIFIED, lm.clone());
        }
        if !not_modified {
            headers.insert(header::CONTENT_TYPE, self.content_type().clone());
            if encoding != Encoding::Identity {
                headers.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(encoding.token()),
                );
            }
        }
        response
    }
}

/// Whether the client's copy (`If-None-Match`, else `If-Modified-Since`) is current.
fn not_modified(page: &Prebuilt, req: &HttpRequest, etag: &str) -> bool {
    if let Some(inm) = req.headers().get(header::IF_NONE_MATCH) {
        let Ok(inm) = inm.to_str() else { return false };
        return inm
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag);
    }
    let (Some(ims), Some(at)) = (
        req.headers().get(header::IF_MODIFIED_SINCE),
        page.last_modified,
    ) else {
        return false;
    };
    let Some(since) = ims
        .to_str()
        .ok()
        .and_then(|s| s.parse::<header::HttpDate>().ok())
    else {
        return false;
    };
    SystemTime::from(since) >= at
}

/// Gzip if acceptable, else identity; honours `q=0`. A page keeps no brotli copy (see
/// [`crate::render::page`]), so a client offering brotli and gzip gets gzip.
pub fn negotiate(accept: Option<&HeaderValue>) -> Encoding {
    let Some(accept) = accept.and_then(|v| v.to_str().ok()) else {
        return Encoding::Identity;
    };
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        // A q-value is a number from 0 to 1; anything else (`NaN`, `inf`, `2`, text) is not acceptable.
        let q = match parts.find_map(|p| p.trim().strip_prefix("q=")) {
            None => 1.0,
            Some(q) => match q.trim().parse::<f32>() {
                Ok(q) if (0.0..=1.0).contains(&q) => q,
                _ => continue,
            },
        };
        if q > 0.0 && (name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip")) {
            return Encoding::Gzip;
        }
    }
    Encoding::Identity
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(s: &str) -> Encoding {
        negotiate(Some(&HeaderValue::from_str(s).unwrap()))
    }

    #[test]
    fn negotiation_picks_gzip_and_honours_q() {
        assert_eq!(negotiate(None), Encoding::Identity);
        assert_eq!(neg("gzip, deflate, br"), Encoding::Gzip);
        assert_eq!(neg("br"), Encoding::Identity);
        assert_eq!(neg("gzip"), Encoding::Gzip);
        assert_eq!(neg("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(neg("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(neg("identity"), Encoding::Identity);
        assert_eq!(neg("gzip;q=0"), Encoding::Identity);
        for odd in ["NaN", "nan", "inf", "-1", "2", "x", ""] {
            assert_eq!(neg(&format!("gzip;q={odd}")), Encoding::Identity, "q={odd}");
            assert_eq!(
                neg(&format!("gzip;q={odd}, x-gzip")),
                Encoding::Gzip,
                "q={odd}"
            );
        }
        assert_eq!(neg("GZIP"), Encoding::Gzip);
        assert_eq!(neg("x-gzip;q=0.5, BR;q=0.4"), Encoding::Gzip);
    }

    #[test]
    fn compressed_bodies_round_trip() {
        use std::io::Read;
        let p = Prebuilt::new(
            "<p>hello hello hello</p>".repeat(50),
            "text/html; charset=utf-8",
            CACHE_PUBLIC,
        );
        let mut out = String::new();
        flate2::read::GzDecoder::new(&p.gzip()[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out.as_bytes(), &p.body()[..]);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &p.brotli_now()[..], &mut out).unwrap();
        assert_eq!(out, &p.body()[..]);
        assert!(p.gzip().len() < p.body().len() / 4);
        let before = p.body();
        p.compact();
        assert_eq!(
            p.body(),
            before,
            "the body survives dropping the uncompressed copy"
        );
    }

    #[test]
    fn etags_differ_per_encoding_and_per_body() {
        let a = Prebuilt::new("a", "text/plain", CACHE_PUBLIC);
        let b = Prebuilt::new("b", "text/plain", CACHE_PUBLIC);
        let etag = a.etag_for(Encoding::Identity);
        assert_ne!(etag, b.etag_for(Encoding::Identity));
        assert!(etag.starts_with('"') && etag.ends_with('"'));
        assert!(a.etag_for(Encoding::Gzip).ends_with("-gzip\""));
    }
}
