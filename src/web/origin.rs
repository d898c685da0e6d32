//! Where a request says it comes from and whom it is for: the `Host` a browser sent (against DNS
//! rebinding) and the `Origin` / `Sec-Fetch-Site` of a form post (against cross-site posts).

use actix_web::HttpRequest;
use actix_web::http::header;

/// The host name of a `Host` header value, without its port, in lower case; `None` when malformed.
fn host_name(host: &str) -> Option<String> {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        &host[..rest.find(']')? + 2]
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    (!name.is_empty() && name.len() <= 255).then(|| name.to_ascii_lowercase())
}

fn is_loopback_name(name: &str) -> bool {
    name == "localhost"
        || name == "[::1]"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the request's `Host` is one of this server's names: a loopback name (`localhost`,
/// `127.x.x.x`, `[::1]`), or the host of `base_url` when given. A request without `Host` (HTTP/1.0
/// from a script) passes: browsers always send one, and DNS rebinding needs a browser.
pub fn host_allowed(req: &HttpRequest, base_url: Option<&str>) -> bool {
    let Some(value) = req.headers().get(header::HOST) else {
        return true;
    };
    let Some(name) = value.to_str().ok().and_then(host_name) else {
        return false;
    };
    if is_loopback_name(&name) {
        return true;
    }
    base_url
        .and_then(|base| url::Url::parse(base).ok())
        .and_then(|base| base.host_str().map(str::to_ascii_lowercase))
        .is_some_and(|base_host| base_host == name)
}

/// Whether a browser says this request was not sent by this site itself: a `Sec-Fetch-Site` other
/// than `same-origin` (`same-site` is a sibling subdomain, which may be someone else's), or an
/// `Origin` that is not `base_url`'s origin (scheme, host and port). An `Origin` equal to the
/// request's own `Host` counts as same-origin only when that `Host` is a loopback name (`preview`,
/// or a server reached on this machine): a page on a domain rebound to this server's address sends
/// its own name as both, so matching them alone would let it post. Requests without either header
/// (older browsers, scripts) are not cross-site by this test.
pub fn is_cross_site(req: &HttpRequest, base_url: &str) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() != b"same-origin";
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Some(origin) = origin
        .to_str()
        .ok()
        .and_then(|o| url::Url::parse(o).ok())
        .filter(|o| o.host_str().is_some())
    else {
        // `Origin: null` (sandboxed frames, some redirects) and anything unreadable.
        return true;
    };
    let origin_authority = authority(&origin);
    let same_as_base = url::Url::parse(base_url)
        .is_ok_and(|b| b.scheme() == origin.scheme() && authority(&b) == origin_authority);
    let own_host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.trim().to_ascii_lowercase());
    let same_as_loopback_host = own_host.is_some_and(|h| {
        h == origin_authority && host_name(&h).is_some_and(|name| is_loopback_name(&name))
    });
    !(same_as_base || same_as_loopback_host)
}

/// `host[:port]` of a URL, the port only when it is not the scheme's default, as a `Host` header has it.
fn authority(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn with(headers: &[(&str, &str)]) -> HttpRequest {
        headers
            .iter()
            .fold(TestRequest::post(), |r, h| r.insert_header(*h))
            .to_http_request()
    }

    #[test]
    fn hosts() {
        let base = Some("https://health.example.org");
        for ok in [
            "localhost:8080",
            "127.0.0.1:8080",
            "127.1.2.3",
            "[::1]:8080",
            "LOCALHOST",
        ] {
            assert!(host_allowed(&with(&[("host", ok)]), None), "{ok}");
        }
        assert!(host_allowed(&with(&[("host", "health.example.org")]), base));
        assert!(host_allowed(
            &with(&[("host", "Health.Example.org:443")]),
            base
        ));
        for bad in [
            "attacker.example",
            "attacker.example:8080",
            "127.0.0.1.attacker.example",
            "localhost.attacker.example",
            "",
            "[::2]",
        ] {
            assert!(!host_allowed(&with(&[("host", bad)]), base), "{bad}");
        }
        assert!(host_allowed(&with(&[]), None));
    }

    #[test]
    fn cross_site_posts() {
        let base = "https://health.example.org";
        assert!(is_cross_site(
            &with(&[("sec-fetch-site", "cross-site")]),
            base
        ));
        assert!(!is_cross_site(
            &with(&[("sec-fetch-site", "same-origin")]),
            base
        ));
        assert!(!is_cross_site(&with(&[]), base));
        assert!(!is_cross_site(
            &with(&[("origin", "https://health.example.org")]),
            base
        ));
        assert!(!is_cross_site(
            &with(&[
                ("origin", "http://127.0.0.1:8080"),
                ("host", "127.0.0.1:8080")
            ]),
            base
        ));
        assert!(is_cross_site(
            &with(&[("origin", "https://evil.example")]),
            base
        ));
        assert!(is_cross_site(
            &with(&[
                ("origin", "http://127.0.0.1:9999"),
                ("host", "127.0.0.1:8080")
            ]),
            base
        ));
        assert!(is_cross_site(&with(&[("origin", "null")]), base));
    }

    #[test]
    fn only_same_origin_posts_pass() {
        let base = "https://health.example.org";
        // Sibling subdomains are same-site, not same-origin.
        assert!(is_cross_site(
            &with(&[("sec-fetch-site", "same-site")]),
            base
        ));
        assert!(is_cross_site(&with(&[("sec-fetch-site", "none")]), base));
        // A rebinding domain sends its own name as Host and Origin.
        assert!(is_cross_site(
            &with(&[
                ("origin", "http://rebind.example:8080"),
                ("host", "rebind.example:8080")
            ]),
            base
        ));
        // Another scheme or port than base_url's is another origin.
        assert!(is_cross_site(
            &with(&[("origin", "http://health.example.org")]),
            base
        ));
        assert!(is_cross_site(
            &with(&[("origin", "https://health.example.org:8443")]),
            base
        ));
        assert!(is_cross_site(
            &with(&[("origin", "https://www.health.example.org")]),
            base
        ));
        assert!(!is_cross_site(
            &with(&[("origin", "https://health.example.org")]),
            base
        ));
        assert!(!is_cross_site(
            &with(&[
                ("origin", "http://localhost:8080"),
                ("host", "localhost:8080")
            ]),
            base
        ));
    }
}
