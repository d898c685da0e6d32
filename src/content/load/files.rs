//! Reading content files: UTF-8 text with a size limit and no symbolic links, folder listings, TOML
//! with errors on the right line, and `+++` front matter.

use super::is_slug;
use super::problems::Problems;
use crate::content::{Diagnostic, line_of};
use serde::de::DeserializeOwned;
use std::fs;
use std::path::{Path, PathBuf};

/// Content files larger than this are refused rather than read.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// What a symbolic link in the content folder is told.
pub(super) const SYMLINK_REFUSED: &str =
    "is a symbolic link: content must be regular files and folders inside the content folder";

/// Reads a content file as UTF-8 text, refusing symlinks, oversized files and invalid encodings.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let meta = fs::symlink_metadata(path)
        .map_err(|e| Diagnostic::error(path, None, format!("cannot read file: {e}")))?;
    if meta.file_type().is_symlink() {
        return Err(Diagnostic::error(
            path,
            None,
            "is a symbolic link: content files must be regular files inside the content folder",
        ));
    }
    if !meta.is_file() {
        return Err(Diagnostic::error(path, None, "is not a regular file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            None,
            format!(
                "is {} bytes, over the limit of {MAX_FILE_BYTES}: split it into smaller articles",
                meta.len()
            ),
        ));
    }
    let bytes = fs::read(path)
        .map_err(|e| Diagnostic::error(path, None, format!("cannot read file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = line_of(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
        Diagnostic::error(
            path,
            Some(line),
            format!("is not valid UTF-8 (byte {valid}): save the file as UTF-8"),
        )
    })
}

/// Parses TOML into `T`, turning errors into a diagnostic on the right line (`first_line` is the
/// line of the file on which `text` starts).
pub(super) fn parse_toml<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start) + first_line - 1);
        let message = e.message().trim().to_string();
        Diagnostic::error(path, line, format!("invalid TOML: {message}"))
    })
}

/// The line of `text` (which starts on line `first_line` of its file) on which `span` starts.
pub(super) fn span_line(
    text: &str,
    span: std::ops::Range<usize>,
    first_line: usize,
) -> Option<usize> {
    Some(line_of(text, span.start) + first_line - 1)
}

/// A Markdown file split into its optional `+++` TOML front matter and its body.
pub(super) struct FrontMatter<'a> {
    pub(super) toml: Option<&'a str>,
    pub(super) body: &'a str,
    /// 1-based line on which the body starts.
    pub(super) body_line: usize,
}

pub(super) fn split_front_matter<'a>(
    path: &Path,
    text: &'a str,
) -> Result<FrontMatter<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Ok(FrontMatter {
            toml: None,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body = &rest[offset + line.len()..];
            return Ok(FrontMatter {
                toml: Some(&rest[..offset]),
                body,
                body_line: line_of(text, text.len() - body.len()),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        Some(1),
        "front matter opened with `+++` is never closed: add a line `+++` after it",
    ))
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum EntryKind {
    Dir,
    MarkdownFile,
}

/// The entries of `dir` named by a slug, sorted; anything else is reported. Hidden files are skipped.
pub(super) fn list_entries(
    dir: &Path,
    kind: EntryKind,
    problems: &mut Problems,
) -> Vec<(String, PathBuf)> {
    // The folder itself, like everything in it, must not lead outside the content folder.
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        problems.error(dir, None, SYMLINK_REFUSED);
        return Vec::new();
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            problems.error(dir, None, format!("cannot read folder: {e}"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            problems.error(&path, None, "file name is not UTF-8: rename it");
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_symlink() {
            problems.error(&path, None, SYMLINK_REFUSED);
            continue;
        }
        let slug = match kind {
            EntryKind::Dir if file_type.is_dir() => name,
            EntryKind::MarkdownFile if file_type.is_file() => match name.strip_suffix(".md") {
                Some(stem) => stem,
                None => {
                    problems.warning(&path, None, "is not a .md file and is ignored");
                    continue;
                }
            },
            _ => {
                problems.warning(&path, None, "unexpected entry here; it is ignored");
                continue;
            }
        };
        // `<slug>.<lang>.md`: a page in one of the site's other languages (see `load_pages`).
        let translated = matches!(kind, EntryKind::MarkdownFile)
            && slug.split_once('.').is_some_and(|(base, lang)| {
                is_slug(base)
                    && !lang.is_empty()
                    && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !is_slug(slug) && !translated {
            problems.error(
                &path,
                None,
                format!("name {slug:?} is not a slug: rename it using only a-z, 0-9 and -"),
            );
            continue;
        }
        out.push((slug.to_string(), path));
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_with_body_line() {
        let text = "+++\ntitle = \"x\"\n+++\nBody\n";
        let fm = split_front_matter(Path::new("a.md"), text).unwrap();
        assert_eq!(fm.toml, Some("title = \"x\"\n"));
        assert_eq!(fm.body, "Body\n");
        assert_eq!(fm.body_line, 4);
        let none = split_front_matter(Path::new("a.md"), "Just body").unwrap();
        assert!(none.toml.is_none());
        assert!(split_front_matter(Path::new("a.md"), "+++\ntitle = 1\n").is_err());
    }
}
