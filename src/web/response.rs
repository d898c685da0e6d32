//! Prebuilt responses and how they are sent: strong ETags, `304 Not Modified`, `Last-Modified`, and
//! brotli or gzip chosen by `Accept-Encoding`. Each body is compressed at most once per encoding
//! (ahead of time by [`Prebuilt::compact`], which the snapshot runs before it is served, or lazily
//! for a page nothing compressed yet), never per request.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use std::io::{Read, Write};
use std::sync::OnceLock;
use std::time::SystemTime;

/// Public pages: fresh for 5 minutes, then served stale for up to a day while a cache revalidates.
pub const CACHE_PUBLIC: &str = "public, max-age=300, stale-while-revalidate=86400";
/// Fingerprinted assets never change under the same name.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Anything personal or editorial.
pub const CACHE_PRIVATE: &str = "private, no-store";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity = 0,
    Gzip = 1,
    Brotli = 2,
}

impl Encoding {
    fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
        }
    }
}

/// Bytes holding exactly `buffer`'s contents: a compressed page is kept for as long as its snapshot, so
/// the spare capacity left by growing the buffer is given back rather than kept with it.
fn exact(mut buffer: Vec<u8>) -> Bytes {
    buffer.shrink_to_fit();
    Bytes::from(buffer)
}

/// A response body built once per content load, with its validators. Once compressed, a page may
/// drop its uncompressed copy ([`Prebuilt::compact`]); the rare client that accepts no compression
/// then gets the gzip copy decompressed.
#[derive(Debug)]
pub struct Prebuilt {
    identity: arc_swap::ArcSwapOption<Bytes>,
    /// Text-like content, served compressed; decided once from the content type.
    compressible: bool,
    pub last_modified: Option<SystemTime>,
    /// Header values made once, so a request only copies them: the strong ETag per encoding (the
    /// identity body's is `"9f86d081884c7d65"`, the others add `-gzip` or `-br`), Last-Modified, and
    /// Content-Type and Cache-Control.
    etag_headers: [HeaderValue; 3],
    last_modified_header: Option<HeaderValue>,
    content_type_header: HeaderValue,
    cache_control_header: HeaderValue,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
}

impl Prebuilt {
    pub fn new(
        body: impl Into<Bytes>,
        content_type: &'static str,
        cache_control: &'static str,
    ) -> Self {
        let body = body.into();
        let etag = format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(&body));
        let tag = |suffix: &str| {
            let value = match suffix {
                "" => etag.clone(),
                s => format!("{}-{s}\"", etag.trim_end_matches('"')),
            };
            HeaderValue::from_str(&value).expect("hex digits make a valid header value")
        };
        Prebuilt {
            etag_headers: [tag(""), tag("gzip"), tag("br")],
            last_modified_header: None,
            content_type_header: HeaderValue::from_static(content_type),
            cache_control_header: HeaderValue::from_static(cache_control),
            identity: arc_swap::ArcSwapOption::from_pointee(body),
            compressible: ["text/", "application/xml", "application/json", "image/svg"]
                .iter()
                .any(|prefix| content_type.starts_with(prefix)),
            last_modified: None,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    pub fn with_last_modified(mut self, at: Option<SystemTime>) -> Self {
        self.last_modified = at;
        self.last_modified_header =
            at.and_then(|at| HeaderValue::from_str(&header::HttpDate::from(at).to_string()).ok());
        self
    }

    pub fn is_compressible(&self) -> bool {
        self.compressible
    }

    /// Whether the page is as small as it gets: compressed, without its uncompressed copy (or not
    /// compressible at all).
    pub fn is_compact(&self) -> bool {
        !self.compressible || self.identity.load().is_none()
    }

    pub fn content_type(&self) -> &HeaderValue {
        &self.content_type_header
    }

    /// The uncompressed body.
    pub fn body(&self) -> Bytes {
        if let Some(body) = self.identity.load_full() {
            return (*body).clone();
        }
        let mut out = Vec::new();
        let decoded = flate2::read::GzDecoder::new(&self.gzip()[..]).read_to_end(&mut out);
        debug_assert!(decoded.is_ok(), "our own gzip decodes");
        Bytes::from(out)
    }

    pub fn gzip(&self) -> &Bytes {
        self.gzip.get_or_init(|| {
            let body = self.body();
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
            // Writing to a Vec cannot fail.
            let _ = enc.write_all(&body);
            exact(enc.finish().unwrap_or_default())
        })
    }

    pub fn brotli(&self) -> &Bytes {
        self.brotli.get_or_init(|| {
            let body = self.body();
            let mut out = Vec::with_capacity(body.len() / 3);
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
            exact(out)
        })
    }

    /// Compresses now and drops the uncompressed copy, to hold each page in about a quarter of the
    /// memory. Pages that are not compressible keep theirs.
    pub fn compact(&self) {
        if self.is_compressible() {
            self.gzip();
            self.brotli();
            self.identity.store(None);
        }
    }

    /// The body in `encoding`.
    pub fn encoded(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Identity => self.body(),
            Encoding::Gzip => self.gzip().clone(),
            Encoding::Brotli => self.brotli().clone(),
        }
    }

    fn etag_header(&self, encoding: Encoding) -> &HeaderValue {
        &self.etag_headers[encoding as usize]
    }

    /// The strong ETag of the body in `encoding`: each representation has its own.
    pub fn etag_for(&self, encoding: Encoding) -> String {
        self.etag_header(encoding)
            .to_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The response to `req`: 304 when the client's copy is current, else the body in the best encoding.
    pub fn respond(&self, req: &HttpRequest, status: StatusCode) -> HttpResponse {
        let compressible = self.is_compressible();
        let encoding = if compressible {
            negotiate(req.headers().get(header::ACCEPT_ENCODING))
        } else {
            Encoding::Identity
        };
        let etag = self.etag_header(encoding);
        let not_modified =
            status == StatusCode::OK && self.not_modified(req, etag.to_str().unwrap_or_default());
        let mut response = if not_modified {
            HttpResponse::NotModified().finish()
        } else {
            HttpResponse::with_body(status, self.encoded(encoding)).map_into_boxed_body()
        };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, self.cache_control_header.clone());
        headers.insert(header::ETAG, etag.clone());
        if compressible {
            headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        }
        if let Some(lm) = &self.last_modified_header {
            headers.insert(header::LAST_MODIFIED, lm.clone());
        }
        if !not_modified {
            headers.insert(header::CONTENT_TYPE, self.content_type_header.clone());
            if encoding != Encoding::Identity {
                headers.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(encoding.token()),
                );
            }
        }
        response
    }

    fn not_modified(&self, req: &HttpRequest, etag: &str) -> bool {
        if let Some(inm) = req.headers().get(header::IF_NONE_MATCH) {
            let Ok(inm) = inm.to_str() else { return false };
            return inm
                .split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag);
        }
        let (Some(ims), Some(at)) = (
            req.headers().get(header::IF_MODIFIED_SINCE),
            self.last_modified,
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
}

/// Brotli if acceptable, else gzip, else identity; honours `q=0`.
pub fn negotiate(accept: Option<&HeaderValue>) -> Encoding {
    let Some(accept) = accept.and_then(|v| v.to_str().ok()) else {
        return Encoding::Identity;
    };
    let mut best = (Encoding::Identity, 0u16);
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
        if q <= 0.0 {
            continue;
        }
        let q = (q * 1000.0) as u16;
        let candidate = if name.eq_ignore_ascii_case("br") {
            Encoding::Brotli
        } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            Encoding::Gzip
        } else {
            continue;
        };
        // Higher q wins; on a tie brotli beats gzip.
        let better = q > best.1 || (q == best.1 && candidate == Encoding::Brotli);
        if better {
            best = (candidate, q);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(s: &str) -> Encoding {
        negotiate(Some(&HeaderValue::from_str(s).unwrap()))
    }

    #[test]
    fn negotiation_prefers_brotli_and_honours_q() {
        assert_eq!(negotiate(None), Encoding::Identity);
        assert_eq!(neg("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(neg("gzip"), Encoding::Gzip);
        assert_eq!(neg("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(neg("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(neg("identity"), Encoding::Identity);
        assert_eq!(neg("gzip;q=0"), Encoding::Identity);
        for odd in ["NaN", "nan", "inf", "-1", "2", "x", ""] {
            assert_eq!(neg(&format!("br;q={odd}")), Encoding::Identity, "q={odd}");
            assert_eq!(neg(&format!("br;q={odd}, gzip")), Encoding::Gzip, "q={odd}");
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
        brotli::BrotliDecompress(&mut &p.brotli()[..], &mut out).unwrap();
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
        assert_ne!(a.etag_for(Encoding::Gzip), a.etag_for(Encoding::Brotli));
        assert!(a.etag_for(Encoding::Gzip).ends_with("-gzip\""));
    }
}
