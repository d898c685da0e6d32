//! The static export: every public page as a file, byte for byte the body the server sends, with
//! `.gz` and `.br` copies beside each compressible file for hosts that serve precompressed files.

use super::Snapshot;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Marks a folder as an export, so a later export may replace it.
pub const MARKER: &str = ".healthpress-export";

/// Where the body of URL `path` goes under `out`: `/` -> `index.html`, `/articles/a/b` ->
/// `articles/a/b/index.html`, `/static/style.1a2b.css` -> `static/style.1a2b.css`.
pub fn file_for(out: &Path, path: &str) -> PathBuf {
    let rel = path.trim_start_matches('/');
    let last = rel.rsplit('/').next().unwrap_or_default();
    if rel.is_empty() {
        out.join("index.html")
    } else if last.contains('.') {
        out.join(rel)
    } else {
        out.join(rel).join("index.html")
    }
}

pub struct ExportSummary {
    pub files: usize,
    pub bytes: u64,
}

/// Writes the public site of `snapshot` into `out`. `progress(done, total)` is called as files are written.
pub fn export_site(
    snapshot: &Snapshot,
    out: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> io::Result<ExportSummary> {
    prepare(out)?;
    let pages = snapshot.pages();
    let total = pages.len();
    let mut summary = ExportSummary { files: 0, bytes: 0 };
    let mut write = |file: PathBuf, bytes: &[u8]| -> io::Result<()> {
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&file, bytes)?;
        summary.files += 1;
        summary.bytes += bytes.len() as u64;
        Ok(())
    };
    for (done, (path, page)) in pages.iter().enumerate() {
        // A page keyed by its query (the home page of one audience's choice) has no file of its own.
        if path.contains('?') {
            progress(done + 1, total);
            continue;
        }
        let file = file_for(out, path);
        write(file.clone(), &page.body())?;
        if page.is_compressible() {
            write(with_suffix(&file, "gz"), page.gzip())?;
            write(with_suffix(&file, "br"), &page.brotli_now())?;
        }
        progress(done + 1, total);
    }
    write(out.join("404.html"), &snapshot.not_found.body())?;
    write(
        out.join(HEADERS_FILE),
        headers_file(snapshot.site.config.is_https()).as_bytes(),
    )?;
    // `/articles/{slug}` picks a wording by cookie on the server; a static host sends the default wording.
    let default = &snapshot.site.config.default_audience;
    let config = &snapshot.site.config;
    let prefixes: Vec<String> = config
        .languages
        .iter()
        .map(|l| config.prefix(&l.id))
        .collect();
    for (prefix, article) in prefixes
        .iter()
        .flat_map(|p| snapshot.site.public_articles().map(move |a| (p, a)))
    {
        let target = format!("{prefix}/articles/{}/{default}", article.slug);
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redirecting</title>\
             <meta http-equiv=\"refresh\" content=\"0; url={target}\"><link rel=\"canonical\" href=\"{target}\"></head>\
             <body><p><a href=\"{target}\">Continue to the article</a></p></body></html>"
        );
        write(
            file_for(out, &format!("{prefix}/articles/{}", article.slug)),
            html.as_bytes(),
        )?;
    }
    Ok(summary)
}

/// The security headers for static hosts that read a `_headers` file (Netlify, Cloudflare Pages);
/// SECURITY.md gives the same lines for nginx.
pub const HEADERS_FILE: &str = "_headers";

/// The `_headers` file: every path gets the headers the server sends (Content-Security-Policy among
/// them, which keeps external images and scripts off exported pages too).
pub fn headers_file(https: bool) -> String {
    let mut text = String::from("/*\n");
    for (name, value) in super::security_header_list(https) {
        text.push_str("  ");
        text.push_str(name.as_str());
        text.push_str(": ");
        text.push_str(value.to_str().unwrap_or_default());
        text.push('\n');
    }
    text
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates `out`, or empties it if it holds an earlier export; refuses any other non-empty folder.
fn prepare(out: &Path) -> io::Result<()> {
    if out.exists() {
        let empty = fs::read_dir(out)?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} is not empty and is not an earlier export: choose an empty or new folder",
                    out.display()
                ),
            ));
        }
        fs::remove_dir_all(out)?;
    }
    fs::create_dir_all(out)?;
    fs::write(out.join(MARKER), "")
}

#[cfg(test)]
mod tests {
    use super::file_for;
    use std::path::Path;

    #[test]
    fn url_paths_map_to_files() {
        let out = Path::new("/o");
        assert_eq!(file_for(out, "/"), Path::new("/o/index.html"));
        assert_eq!(
            file_for(out, "/articles/a/patient"),
            Path::new("/o/articles/a/patient/index.html")
        );
        assert_eq!(
            file_for(out, "/static/style.12ab.css"),
            Path::new("/o/static/style.12ab.css")
        );
    }
}
