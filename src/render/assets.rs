//! Static assets, compiled into the binary and served under fingerprinted names
//! (`/static/style.3f2a9c1b0d.css`), so they can be cached for a year.

use sha2::{Digest, Sha256};

pub struct Asset {
    /// The name in `static/`, e.g. `style.css`.
    pub name: &'static str,
    /// The fingerprinted URL path, e.g. `/static/style.3f2a9c1b0d.css`.
    pub path: String,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

pub struct Assets {
    pub all: Vec<Asset>,
}

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/style.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../static/favicon.svg"),
    ),
    (
        "wording.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/wording.js"),
    ),
    (
        "editor.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/editor.js"),
    ),
];

/// The first 10 hex digits of the SHA-256 of `bytes`.
pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

impl Assets {
    pub fn load() -> Self {
        let all = FILES
            .iter()
            .map(|&(name, content_type, body)| {
                let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
                Asset {
                    name,
                    path: format!("/static/{stem}.{}.{ext}", fingerprint(body)),
                    content_type,
                    body,
                }
            })
            .collect();
        Assets { all }
    }

    /// The fingerprinted URL path of `name`; the plain path if there is no such asset.
    pub fn url(&self, name: &str) -> String {
        self.all
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.path.clone())
            .unwrap_or_else(|| format!("/static/{name}"))
    }

    /// The asset at a URL path, fingerprinted or plain.
    pub fn by_path(&self, path: &str) -> Option<&Asset> {
        self.all
            .iter()
            .find(|a| a.path == path || path.strip_prefix("/static/") == Some(a.name))
    }
}
