//! Replays the fuzzers' seeds (`fuzz/seeds/<target>/`) and saved regressions (`fuzz/regressions/<target>-*`)
//! through the same property checks the fuzz targets run, so `cargo test` keeps them passing without a
//! nightly toolchain or cargo-fuzz. The checks are `healthpress_testkit::fuzz`, which the fuzz targets run.
//!
//! A regression input that shows a bug not fixed yet is listed in `KNOWN_BUGS` and has its own
//! `#[ignore]`d test below; once the bug is fixed, remove it from the list and drop the `#[ignore]`.

use healthpress_testkit::fuzz;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Regression files (in `fuzz/regressions/`) for bugs reported but not yet fixed.
const KNOWN_BUGS: &[&str] = &[];

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Markdown,
    Loader,
}

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `dir` whose names start with `prefix`, sorted; hidden files are skipped.
fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = file_name(p);
            name.starts_with(prefix) && !name.starts_with('.')
        })
        .collect();
    out.sort();
    out
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// How long one input may take, as the fuzzers' `-timeout=5`: a slower input is a hang.
const TIME_BUDGET: Duration = Duration::from_secs(5);

/// Runs one input through a target's check on its own thread (with the loader's 64 MiB stack), in a
/// fresh content folder, turning a panic or an input slower than [`TIME_BUDGET`] into an error naming
/// the file. A slow input's thread is left to finish in the background.
fn replay(target: Target, path: &Path) -> Result<(), String> {
    let data = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let content = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    fuzz::prepare_content_dir(content.path()).map_err(|e| format!("content folder: {e}"))?;
    let content_dir = content.path().to_path_buf();
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| match target {
                Target::Markdown => fuzz::check_markdown(&data),
                Target::Loader => fuzz::check_loader(&content_dir, &data),
            }));
            let _ = send.send(outcome.map_err(|panic| {
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            }));
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    let started = Instant::now();
    match receive.recv_timeout(TIME_BUDGET) {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(problem))) => Err(format!("{}: {problem}", path.display())),
        Ok(Err(panic)) => Err(format!("{}: panicked: {panic}", path.display())),
        Err(RecvTimeoutError::Timeout) => {
            // The check still runs in its folder: keep the folder rather than delete it under it.
            let _ = content.keep();
            Err(format!(
                "{}: still running after {:?} (a hang)",
                path.display(),
                started.elapsed()
            ))
        }
        Err(RecvTimeoutError::Disconnected) => Err(format!(
            "{}: the check ended without a result",
            path.display()
        )),
    }
}

/// Replays every seed of `target` and every regression for it that is not a known, unfixed bug.
fn replay_all(target: Target, name: &str) {
    let mut inputs = files(&fuzz_dir().join("seeds").join(name), "");
    assert!(!inputs.is_empty(), "no seeds for {name}");
    inputs.extend(
        files(&fuzz_dir().join("regressions"), &format!("{name}-"))
            .into_iter()
            .filter(|p| !KNOWN_BUGS.contains(&file_name(p))),
    );
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|p| replay(target, p).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} {name} inputs failed:\n\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n\n")
    );
}

/// Replays one regression by name.
fn replay_regression(target: Target, file: &str) {
    let path = fuzz_dir().join("regressions").join(file);
    if let Err(problem) = replay(target, &path) {
        panic!("{problem}");
    }
}

#[test]
fn markdown_seeds_and_regressions_pass() {
    replay_all(Target::Markdown, "markdown");
}

#[test]
fn loader_seeds_and_regressions_pass() {
    replay_all(Target::Loader, "loader");
}

#[test]
fn every_regression_names_its_target() {
    for path in files(&fuzz_dir().join("regressions"), "") {
        let name = file_name(&path);
        assert!(
            name.starts_with("markdown-") || name.starts_with("loader-"),
            "{name}: regression files are named <target>-<short-name>"
        );
    }
    for bug in KNOWN_BUGS {
        assert!(
            fuzz_dir().join("regressions").join(bug).is_file(),
            "KNOWN_BUGS lists {bug}, which is not in fuzz/regressions/"
        );
    }
}

/// Fixed: `&#xE000;`/`&#xE001;` in Markdown decoded to the pipeline's citation placeholder characters,
/// so author text became markup after sanitising (`<a href="#ref-x"/onclick/">`). Placeholders now
/// carry a nonce, and stray placeholder characters are replaced.
#[test]
fn markdown_entity_placeholder_attr_injection() {
    replay_regression(
        Target::Markdown,
        "markdown-entity-placeholder-attr-injection",
    );
}

/// Fixed: the same bug through `load_site`.
#[test]
fn loader_entity_placeholder_attr_injection() {
    replay_regression(Target::Loader, "loader-entity-placeholder-attr-injection");
}

/// Fixed: 20,000 nested blockquotes (20 KB of `>`) took time quadratic in the nesting depth in the
/// sanitiser; bodies nested more than 100 levels are now refused before sanitising.
#[test]
fn markdown_deep_blockquote_quadratic() {
    replay_regression(Target::Markdown, "markdown-deep-blockquote-quadratic");
}

/// Fixed: 20,000 nested `<div>`s of raw HTML (100 KB), the same quadratic time.
#[test]
fn markdown_deep_html_nesting_quadratic() {
    replay_regression(Target::Markdown, "markdown-deep-html-nesting-quadratic");
}

/// Fixed: 20,000 repeated `## h` headings (100 KB) took about 15 s in a release build, since each
/// heading tried every `h-2`, `h-3`, ... already taken; the next suffix per id is now remembered.
#[test]
fn markdown_repeated_headings_quadratic() {
    replay_regression(Target::Markdown, "markdown-repeated-headings-quadratic");
}
