//! A prebuilt page: a response body made once per content load, with its validators (a strong ETag per
//! encoding, Last-Modified), its content type and caching policy, and its gzip copy, made once
//! ([`Prebuilt::compact`], run in the background or before a reload's page is served, or lazily for a
//! page nothing compressed yet), never per request. Sending it is the web layer's work.
//!
//! A page keeps one compressed copy, gzip, which every client that compresses accepts. A brotli copy
//! as well would be about 8% smaller on these pages but double what each page holds and take several
//! times longer to make; the static export still writes one ([`Prebuilt::brotli_now`]).

use bytes::Bytes;
use http::HeaderValue;
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
}

impl Encoding {
    /// The `Content-Encoding` token.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Gzip => "gzip",
        }
    }
}

/// Bytes holding exactly `buffer`'s contents: a compressed page is kept for as long as its snapshot, so
/// the spare capacity left by growing the buffer is given back rather than kept with it.
fn exact(mut buffer: Vec<u8>) -> Bytes {
    buffer.shrink_to_fit();
    Bytes::from(buffer)
}

/// Above this size a body (a large listing, a sitemap of tens of thousands of URLs) is compressed
/// at gzip level 6 instead of 9 (and brotli quality 5 instead of 9 in the export): several times
/// faster, a few per cent larger, so a reload of a large site does not wait seconds on its listings.
const LARGE_BODY: usize = 256 * 1024;

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
    /// identity body's is `"9f86d081884c7d65"`, the gzip copy's adds `-gzip`), Last-Modified, and
    /// Content-Type and Cache-Control.
    etag_headers: [HeaderValue; 2],
    last_modified_header: Option<HeaderValue>,
    content_type_header: HeaderValue,
    cache_control_header: HeaderValue,
    gzip: OnceLock<Bytes>,
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
            etag_headers: [tag(""), tag("gzip")],
            last_modified_header: None,
            content_type_header: HeaderValue::from_static(content_type),
            cache_control_header: HeaderValue::from_static(cache_control),
            identity: arc_swap::ArcSwapOption::from_pointee(body),
            compressible: ["text/", "application/xml", "application/json", "image/svg"]
                .iter()
                .any(|prefix| content_type.starts_with(prefix)),
            last_modified: None,
            gzip: OnceLock::new(),
        }
    }

    pub fn with_last_modified(mut self, at: Option<SystemTime>) -> Self {
        self.last_modified = at;
        self.last_modified_header =
            at.and_then(|at| HeaderValue::from_str(&httpdate::fmt_http_date(at)).ok());
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

    /// The bytes this page holds now: its uncompressed copy, if kept, and its compressed ones.
    pub fn held_bytes(&self) -> usize {
        self.identity.load().as_ref().map_or(0, |b| b.len()) + self.gzip.get().map_or(0, Bytes::len)
    }

    pub fn content_type(&self) -> &HeaderValue {
        &self.content_type_header
    }

    pub fn cache_control(&self) -> &HeaderValue {
        &self.cache_control_header
    }

    /// The `Last-Modified` header value, when the page has a date.
    pub fn last_modified_header(&self) -> Option<&HeaderValue> {
        self.last_modified_header.as_ref()
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
            let level = if body.len() > LARGE_BODY { 6 } else { 9 };
            let mut enc =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
            // Writing to a Vec cannot fail.
            let _ = enc.write_all(&body);
            exact(enc.finish().unwrap_or_default())
        })
    }

    /// The body compressed with brotli now, for the static export: not kept.
    pub fn brotli_now(&self) -> Vec<u8> {
        let body = self.body();
        let mut out = Vec::with_capacity(body.len() / 3);
        // A window no larger than the page (a 4 MiB window for a 20 KB page only costs time
        // and memory setting it up), and the size known up front.
        let lgwin = (usize::BITS - body.len().max(1).leading_zeros()).clamp(16, 22) as i32;
        let params = brotli::enc::BrotliEncoderParams {
            quality: if body.len() > LARGE_BODY { 5 } else { 9 },
            lgwin,
            size_hint: body.len(),
            ..Default::default()
        };
        let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
        out
    }

    /// Compresses now and drops the uncompressed copy, to hold each page in about a quarter of the
    /// memory. Pages that are not compressible keep theirs.
    pub fn compact(&self) {
        if self.is_compressible() {
            self.gzip();
            self.identity.store(None);
        }
    }

    /// The body in `encoding`.
    pub fn encoded(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Identity => self.body(),
            Encoding::Gzip => self.gzip().clone(),
        }
    }

    /// The `ETag` header value of the body in `encoding`.
    pub fn etag_header(&self, encoding: Encoding) -> &HeaderValue {
        &self.etag_headers[encoding as usize]
    }

    /// The strong ETag of the body in `encoding`: each representation has its own.
    pub fn etag_for(&self, encoding: Encoding) -> String {
        self.etag_header(encoding)
            .to_str()
            .unwrap_or_default()
            .to_string()
    }
}
