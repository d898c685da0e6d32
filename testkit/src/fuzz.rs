//! The fuzz targets' properties (`fuzz/fuzz_targets/*.rs`), also replayed on every seed and saved
//! regression by `tests/fuzz_regressions.rs`:
//!
//! - [`check_markdown`]: renders one Markdown source and checks the result.
//! - [`LoaderCase`] / [`check_loader`]: splits one input into content files, loads them as a site
//!   with `load_site` and checks every rendered body of what loaded.
//!
//! Every rendered body must pass [`check_body`](crate::check_body).

use healthpress::content::load_site;
use healthpress::markdown::{Rendered, render};
use std::fs;
use std::io;
use std::path::Path;

/// Citation keys the Markdown target treats as having a reference.
pub const KNOWN_KEYS: &[&str] = &["a", "b", "smith-2020"];

/// Checks one rendered body: safe HTML, and citations only of known keys, each listed once.
pub fn check_rendered(
    rendered: &Rendered,
    is_known_key: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    crate::check_body(&rendered.html).map_err(|e| e.to_string())?;
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

/// The `markdown_time` target's budget: a fixed allowance plus this much per KiB of input. Linear
/// work stays far below it (about 1.5 ms per KiB in a release build); quadratic work on a few
/// tens of KiB goes over it.
pub const TIME_BASE: std::time::Duration = std::time::Duration::from_millis(250);
pub const TIME_PER_KIB: std::time::Duration = std::time::Duration::from_millis(20);

/// The `markdown_time` target's property: rendering `data` (if UTF-8) takes no more than
/// [`TIME_BASE`] plus [`TIME_PER_KIB`] for each KiB, scaled by `slowdown` (a sanitiser build is
/// several times slower than a release build).
pub fn check_markdown_time(data: &[u8], slowdown: u32) -> Result<(), String> {
    let Ok(source) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let kib = u32::try_from(data.len().div_ceil(1024)).unwrap_or(u32::MAX);
    let budget = (TIME_BASE + TIME_PER_KIB * kib) * slowdown.max(1);
    let started = std::time::Instant::now();
    let _ = render(source, &|key: &str| KNOWN_KEYS.contains(&key));
    let took = started.elapsed();
    if took > budget {
        return Err(format!(
            "{} bytes took {took:?}, over the budget of {budget:?}",
            data.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_input_splits_on_separator_lines() {
        let case = LoaderCase::split(b"toml\n%%%\npatient\n%%%\npro");
        let names: Vec<_> = case.files.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, &LOADER_FILES[..3]);
        assert_eq!(case.files[1].1, b"patient");
        assert_eq!(case.files[2].1, b"pro");
    }

    #[test]
    fn unsafe_rendering_fails_the_markdown_property() {
        let unsafe_html = Rendered {
            html: "<p onclick=\"x\">y</p>".into(),
            ..render("y", &|_| false).0
        };
        assert!(check_rendered(&unsafe_html, &|_| false).is_err());
        assert_eq!(check_markdown(b"<script>alert(1)</script> [@a]"), Ok(()));
    }
}
