//! Shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`) and by the replay test
//! (`tests/fuzz_regressions.rs`, which includes this file with `#[path]`), so both check exactly the
//! same properties:
//!
//! - [`check_html`]: a small HTML tokeniser that rejects anything a sanitised body must never contain
//!   (script and other active elements, event-handler attributes, `javascript:`/`vbscript:`/`data:` URLs,
//!   inline styles, unterminated tags or comments that would swallow the page around the body).
//! - [`check_markdown`]: renders one Markdown source and checks the result.
//! - [`LoaderCase`] / [`check_loader`]: splits one input into content files, loads them as a site with
//!   `load_site` and checks every rendered body of what loaded.
//!
//! Only `std` and `healthpress` are used, so the file compiles in both crates.

use healthpress::content::load_site;
use healthpress::markdown::{Rendered, render};
use std::fs;
use std::io;
use std::path::Path;

/// Citation keys the Markdown target treats as having a reference.
pub const KNOWN_KEYS: &[&str] = &["a", "b", "smith-2020"];

/// Elements that must never appear in a sanitised body: script, style and embedding elements,
/// foreign content (whose parsing rules differ), forms, and every raw-text or RCDATA element (inside
/// which the tokeniser below could not see tags the browser would, and vice versa).
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "option",
    "base",
    "meta",
    "link",
    "noscript",
    "template",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "title",
    "portal",
    "fencedframe",
];

/// Attributes that hold a URL a browser may navigate to or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "cite",
    "longdesc",
    "data",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "codebase",
    "archive",
];

/// Attributes that must never appear, whatever their value.
const FORBIDDEN_ATTRIBUTES: &[&str] = &["style", "srcdoc", "formaction"];

/// URL schemes that run code or carry their own document.
const FORBIDDEN_SCHEMES: &[&str] = &["javascript", "vbscript", "data"];

fn is_html_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Checks that `html`, a sanitised body about to be inserted into a page, is safe. Returns a
/// description of the first problem found.
///
/// The tokeniser follows the HTML tokenisation rules that matter here: text (so `&lt;script&gt;` is
/// only text), comments (`<!-- -->`, and bogus comments `<!x>`, `<?x>`, `</ x>`), start and end tags
/// with attributes, double-, single- and un-quoted attribute values (a `>` inside a quoted value does
/// not end the tag), and attribute names that start with `=` or contain `"`, `'`, `<`.
pub fn check_html(html: &str) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let lt = i + off;
        let at = |msg: String| Err(format!("{msg} (at byte {lt}: {:?})", excerpt(html, lt)));
        match b.get(lt + 1) {
            Some(b'!') => {
                if b[lt..].starts_with(b"<!--") {
                    let body = lt + 4;
                    // `<!-->` and `<!--->` are complete (empty) comments.
                    if b[body..].starts_with(b">") {
                        i = body + 1;
                    } else if b[body..].starts_with(b"->") {
                        i = body + 2;
                    } else {
                        match find_comment_end(b, body) {
                            Some(end) => i = end,
                            None => {
                                return at("comment never closed: it would swallow the page".into());
                            }
                        }
                    }
                } else {
                    match b[lt..].iter().position(|&c| c == b'>') {
                        Some(p) => i = lt + p + 1,
                        None => return at("bogus comment never closed".into()),
                    }
                }
            }
            Some(b'?') => match b[lt..].iter().position(|&c| c == b'>') {
                Some(p) => i = lt + p + 1,
                None => return at("bogus comment never closed".into()),
            },
            Some(b'/') => match b.get(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => match parse_tag(b, lt + 2) {
                    Ok(tag) => {
                        if FORBIDDEN_ELEMENTS.contains(&tag.name.as_str()) {
                            return at(format!("forbidden element end tag </{}>", tag.name));
                        }
                        i = tag.end;
                    }
                    Err(e) => return at(e),
                },
                Some(b'>') => i = lt + 3,
                Some(_) => match b[lt..].iter().position(|&c| c == b'>') {
                    Some(p) => i = lt + p + 1,
                    None => return at("bogus comment never closed".into()),
                },
                None => return at("`</` at the end of the body".into()),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let tag = match parse_tag(b, lt + 1) {
                    Ok(tag) => tag,
                    Err(e) => return at(e),
                };
                if FORBIDDEN_ELEMENTS.contains(&tag.name.as_str()) {
                    return at(format!("forbidden element <{}>", tag.name));
                }
                for (name, value) in &tag.attributes {
                    check_attribute(name, value.as_deref())
                        .or_else(|e| at(format!("<{}>: {e}", tag.name)))?;
                }
                i = tag.end;
            }
            // `<` followed by anything else is text.
            _ => i = lt + 1,
        }
    }
    Ok(())
}

fn excerpt(html: &str, at: usize) -> String {
    html.get(at..).unwrap_or("").chars().take(80).collect()
}

/// The index just past the end of a comment whose text starts at `from`: `-->` or `--!>`.
fn find_comment_end(b: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        if b[j..].starts_with(b"-->") {
            return Some(j + 3);
        }
        if b[j..].starts_with(b"--!>") {
            return Some(j + 4);
        }
        j += 1;
    }
    None
}

struct Tag {
    /// Lower-cased.
    name: String,
    /// Lower-cased names; values as written (character references not yet decoded).
    attributes: Vec<(String, Option<String>)>,
    /// Index just past the closing `>`.
    end: usize,
}

/// Parses a tag whose name starts at `start` (just past `<` or `</`).
fn parse_tag(b: &[u8], start: usize) -> Result<Tag, String> {
    let mut j = start;
    while j < b.len() && !is_html_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
        j += 1;
    }
    let name = lower(&b[start..j]);
    let mut attributes = Vec::new();
    loop {
        while j < b.len() && (is_html_space(b[j]) || b[j] == b'/') {
            j += 1;
        }
        match b.get(j) {
            None => {
                return Err(format!(
                    "tag <{name}> never closed: it would swallow the page"
                ));
            }
            Some(b'>') => {
                return Ok(Tag {
                    name,
                    attributes,
                    end: j + 1,
                });
            }
            Some(_) => {}
        }
        // Attribute name: a leading `=` belongs to the name.
        let name_start = j;
        j += 1;
        while j < b.len() && !is_html_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let attr_name = lower(&b[name_start..j]);
        let mut k = j;
        while k < b.len() && is_html_space(b[k]) {
            k += 1;
        }
        if b.get(k) != Some(&b'=') {
            attributes.push((attr_name, None));
            continue;
        }
        k += 1;
        while k < b.len() && is_html_space(b[k]) {
            k += 1;
        }
        let value = match b.get(k) {
            Some(&q @ (b'"' | b'\'')) => {
                let Some(len) = b[k + 1..].iter().position(|&c| c == q) else {
                    return Err(format!(
                        "attribute {attr_name} of <{name}>: quoted value never closed"
                    ));
                };
                let v = &b[k + 1..k + 1 + len];
                j = k + 1 + len + 1;
                v
            }
            _ => {
                let s = k;
                while k < b.len() && !is_html_space(b[k]) && b[k] != b'>' {
                    k += 1;
                }
                j = k;
                &b[s..k]
            }
        };
        attributes.push((attr_name, Some(String::from_utf8_lossy(value).into_owned())));
    }
}

fn lower(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_ascii_lowercase()
}

fn check_attribute(name: &str, value: Option<&str>) -> Result<(), String> {
    if name.starts_with("on") {
        return Err(format!("event-handler attribute `{name}`"));
    }
    if FORBIDDEN_ATTRIBUTES.contains(&name) {
        return Err(format!("forbidden attribute `{name}`"));
    }
    if let Some(value) = value
        && URL_ATTRIBUTES.contains(&name)
    {
        let decoded = decode_character_references(value);
        // Most hold one URL; `srcset` holds comma-separated `URL descriptor` candidates and `ping`
        // space-separated URLs (a comma or space inside an `href` is part of one relative URL).
        let urls: Vec<&str> = match name {
            "srcset" => decoded.split(',').collect(),
            "ping" => decoded.split_ascii_whitespace().collect(),
            _ => vec![decoded.as_str()],
        };
        for url in urls {
            let candidate = url.trim_start_matches(|c: char| c.is_ascii_whitespace());
            if let Some(scheme) = url_scheme(candidate)
                && FORBIDDEN_SCHEMES.contains(&scheme.as_str())
            {
                return Err(format!("`{scheme}:` URL in {name}={value:?}"));
            }
        }
    }
    Ok(())
}

/// The scheme of a URL as a browser's URL parser sees it: leading C0 controls and spaces stripped, tabs
/// and newlines removed anywhere, lower-cased; `None` for a relative URL.
fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let mut chars = scheme.chars();
    let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic());
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| scheme.to_ascii_lowercase())
}

/// Decodes numeric character references and the named ones that can hide a scheme (`&colon;`, `&Tab;`,
/// `&NewLine;`) or that the serialiser writes (`&amp;`, `&quot;`, ...). Named references are matched
/// case-insensitively, which decodes more than a browser would: never fewer dangerous URLs are seen.
fn decode_character_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        if let Some((c, len)) = numeric_reference(rest).or_else(|| named_reference(rest)) {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `&#106;`, `&#x6A;`, with or without the `;`: the character and the length consumed.
fn numeric_reference(s: &str) -> Option<(char, usize)> {
    let body = s.strip_prefix("&#")?;
    let (hex, digits_at) = match body.as_bytes().first() {
        Some(b'x' | b'X') => (true, 3),
        _ => (false, 2),
    };
    let digits: String = s[digits_at..]
        .chars()
        .take_while(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
        .collect();
    if digits.is_empty() {
        return None;
    }
    let mut len = digits_at + digits.len();
    if s[len..].starts_with(';') {
        len += 1;
    }
    let n = u32::from_str_radix(digits.trim_start_matches('0'), if hex { 16 } else { 10 })
        .unwrap_or(if digits.trim_start_matches('0').is_empty() {
            0
        } else {
            u32::MAX
        });
    let c = match n {
        0 => '\u{FFFD}',
        n => char::from_u32(n).unwrap_or('\u{FFFD}'),
    };
    Some((c, len))
}

fn named_reference(s: &str) -> Option<(char, usize)> {
    const NAMED: &[(&str, char)] = &[
        ("&colon;", ':'),
        ("&tab;", '\t'),
        ("&newline;", '\n'),
        ("&amp;", '&'),
        ("&amp", '&'),
        ("&lt;", '<'),
        ("&lt", '<'),
        ("&gt;", '>'),
        ("&gt", '>'),
        ("&quot;", '"'),
        ("&quot", '"'),
        ("&apos;", '\''),
        ("&nbsp;", '\u{a0}'),
        ("&nbsp", '\u{a0}'),
    ];
    let head = s.get(..s.len().min(12))?.to_ascii_lowercase();
    NAMED
        .iter()
        .find(|(name, _)| head.starts_with(name))
        .map(|&(name, c)| (c, name.len()))
}

/// Checks one rendered body: safe HTML, and citations only of known keys, each listed once.
pub fn check_rendered(
    rendered: &Rendered,
    is_known_key: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    check_html(&rendered.html)?;
    for (i, key) in rendered.citations.iter().enumerate() {
        if !is_known_key(key) {
            return Err(format!("citation of unknown key {key:?}"));
        }
        if rendered.citations[..i].contains(key) {
            return Err(format!("citation key {key:?} listed twice"));
        }
    }
    Ok(())
}

/// The `markdown` target's property for one input: non-UTF-8 input is skipped; otherwise `render` must
/// not panic and its output must pass [`check_rendered`].
pub fn check_markdown(data: &[u8]) -> Result<(), String> {
    let Ok(source) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let is_known = |key: &str| KNOWN_KEYS.contains(&key);
    let (rendered, _problems) = render(source, &is_known);
    check_rendered(&rendered, &is_known).map_err(|e| {
        format!(
            "{e}\n--- source ---\n{source}\n--- html ---\n{}",
            rendered.html
        )
    })
}

/// The sanitised HTML `render` makes of `data` (lossily decoded), for looking at an input by hand:
/// the fuzz targets print it when `HEALTHPRESS_FUZZ_SHOW` is set.
pub fn rendered_html(data: &[u8]) -> String {
    let source = String::from_utf8_lossy(data);
    render(&source, &|key: &str| KNOWN_KEYS.contains(&key))
        .0
        .html
}

/// `site.toml` of the loader target's content folder (as in `tests/fixtures/valid`).
pub const SITE_TOML: &str = r#"title = "Fixture Health"
base_url = "https://health.example.org"
default_audience = "patient"
show_pending = true

[[audiences]]
id = "patient"
label = "Patient or caregiver"
description = "Plain words."
max_grade = 8
disclaimer = "Talk to your own clinician about your care."

[[audiences]]
id = "professional"
label = "Healthcare professional"
description = "Clinical terms and doses."
disclaimer = "For healthcare professionals: use your clinical judgement."
"#;

/// `reviewers.toml` of the loader target's content folder (as in `tests/fixtures/valid`).
pub const REVIEWERS_TOML: &str = r#"[reviewers.rev-one]
name = "Dr Ada Reviewer"
credentials = "MD, Neurology"

[reviewers.rev-two]
name = "Sam Checker"
credentials = "PharmD"
"#;

/// Separates the files of one loader input: a line holding only `%%%`.
pub const SECTION_SEPARATOR: &[u8] = b"\n%%%\n";

/// The files the loader input is split into, in order; a file whose section is absent is not written.
pub const LOADER_FILES: &[&str] = &[
    "articles/fuzzed/article.toml",
    "articles/fuzzed/patient.md",
    "articles/fuzzed/professional.md",
    "pages/fuzzed.md",
];

/// One loader input, split into content files: `article.toml`, `patient.md`, `professional.md` and a page,
/// separated by lines `%%%` (a readable format, so seeds and regressions can be written and read by hand).
/// Sections past the fourth are ignored.
pub struct LoaderCase<'a> {
    pub files: Vec<(&'static str, &'a [u8])>,
}

impl<'a> LoaderCase<'a> {
    pub fn split(data: &'a [u8]) -> Self {
        let mut files = Vec::new();
        let mut rest = Some(data);
        for name in LOADER_FILES {
            let Some(section) = rest else { break };
            match find(section, SECTION_SEPARATOR) {
                Some(at) => {
                    files.push((*name, &section[..at]));
                    rest = Some(&section[at + SECTION_SEPARATOR.len()..]);
                }
                None => {
                    files.push((*name, section));
                    rest = None;
                }
            }
        }
        LoaderCase { files }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Makes `root` a content folder with the fixed `site.toml` and `reviewers.toml` (cheap when it already is).
pub fn prepare_content_dir(root: &Path) -> io::Result<()> {
    fs::create_dir_all(root.join("articles/fuzzed"))?;
    fs::create_dir_all(root.join("pages"))?;
    for (name, text) in [("site.toml", SITE_TOML), ("reviewers.toml", REVIEWERS_TOML)] {
        let path = root.join(name);
        if fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            fs::write(path, text)?;
        }
    }
    Ok(())
}

/// The `loader` target's property for one input: writes the input's files into `root` (a folder made by
/// [`prepare_content_dir`], reused between inputs), loads the site; `load_site` and the formatting of its
/// diagnostics must not panic, it must accept the fixed `site.toml`/`reviewers.toml`, and every body it rendered (the article's wordings, if
/// it loaded, and the page) must pass [`check_rendered`] against the article's references.
pub fn check_loader(root: &Path, data: &[u8]) -> Result<(), String> {
    let case = LoaderCase::split(data);
    for name in LOADER_FILES {
        match fs::remove_file(root.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot clear {name}: {e}")),
        }
    }
    for (name, bytes) in &case.files {
        fs::write(root.join(name), bytes).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    let site = load_site(root).map_err(|e| format!("the fixed site did not load: {e}"))?;
    // What `check` prints for each problem: formatting must not panic either.
    for diagnostic in &site.diagnostics {
        std::hint::black_box(diagnostic.to_string());
    }
    for page in site.pages.values() {
        check_rendered(&page.body, &|_| false).map_err(|e| format!("page {}: {e}", page.slug))?;
    }
    for article in site.articles.values() {
        let is_known = |key: &str| article.references.iter().any(|r| r.key == key);
        for wording in &article.wordings {
            check_rendered(&wording.body, &is_known).map_err(|e| {
                format!(
                    "article {} wording {}: {e}\n--- html ---\n{}",
                    article.slug, wording.audience, wording.body.html
                )
            })?;
        }
    }
    Ok(())
}

/// What `load_site` made of one loader input, for looking at inputs by hand: the loader target prints it
/// when `HEALTHPRESS_FUZZ_SHOW` is set.
pub fn loader_summary(root: &Path, data: &[u8]) -> String {
    if let Err(problem) = check_loader(root, data) {
        return format!("check failed: {problem}");
    }
    match load_site(root) {
        Err(e) => format!("site not loaded: {e}"),
        Ok(site) => {
            let mut out = format!(
                "articles loaded: {}, wordings: {}, pages: {}\n",
                site.articles.len(),
                site.articles
                    .values()
                    .map(|a| a.wordings.len())
                    .sum::<usize>(),
                site.pages.len()
            );
            for d in &site.diagnostics {
                out.push_str(&format!("  {d}\n"));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checker_accepts_safe_html() {
        for ok in [
            "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;</p>",
            "<a href=\"https://example.org/?q=javascript:x\" rel=\"noopener noreferrer\">x</a>",
            "<a href=\"#ref-a\"><span class=\"visually-hidden\">Reference </span>1</a>",
            "<img src=\"x.png\" alt=\"a > b onerror=alert(1)\">",
            "<p title='<script>'>x</p><!-- <script> --><br/>",
            // An unquoted value runs to whitespace or `>`: `/onerror=...` is part of `src`.
            "<img/src=x/onerror=alert(1)>",
            "1 < 2 and a<-b",
            "<a href=\",javascript:alert(1)\">relative</a><a href=\"x javascript:y\">z</a>",
            "<img srcset=\"a.png 1x, b.png 2x\">",
        ] {
            assert_eq!(check_html(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn checker_rejects_unsafe_html() {
        for bad in [
            "<script>alert(1)</script>",
            "<SCRIPT src=x></SCRIPT>",
            "<img src=x onerror=alert(1)>",
            "<img/src=\"x\"/onerror=alert(1)>",
            "<a href=\"#x\"/onmouseover\">x</a>",
            "<a href=\" JaVa&#x53;cript&colon;alert(1)\">x</a>",
            "<a href=\"java&#9;script:alert(1)\">x</a>",
            "<img src='data:image/svg+xml,x'>",
            "<a href=vbscript:x>x</a>",
            "<svg><circle/></svg>",
            "<math></math>",
            "<iframe></iframe>",
            "<form></form>",
            "<p style=\"color:red\">x</p>",
            "<p>x</p><a href=\"y\"",
            "<p>x<!-- open",
            "<img srcset=\"a.png 1x, javascript:x 2x\">",
        ] {
            assert!(check_html(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn loader_input_splits_on_separator_lines() {
        let case = LoaderCase::split(b"toml\n%%%\npatient\n%%%\npro");
        let names: Vec<_> = case.files.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, &LOADER_FILES[..3]);
        assert_eq!(case.files[1].1, b"patient");
        assert_eq!(case.files[2].1, b"pro");
    }
}
