//! Arbitrary bytes split on `\n%%%\n` lines into `article.toml`, `patient.md`, `professional.md` and a
//! page, written into a content folder with a fixed valid `site.toml` and `reviewers.toml`, then
//! `healthpress::content::load_site`. Property: no panic; every body of what loaded passes the same
//! checks as the `markdown` target. With `HEALTHPRESS_FUZZ_SHOW=1` in the environment, what loaded and
//! the diagnostics are printed to standard error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::LazyLock;

/// One content folder per process, reused for every input (only the fuzzed files are rewritten).
static ROOT: LazyLock<PathBuf> = LazyLock::new(|| {
    let root = std::env::temp_dir().join(format!("healthpress-fuzz-loader-{}", std::process::id()));
    healthpress_testkit::fuzz::prepare_content_dir(&root).expect("cannot make the content folder");
    root
});

static SHOW: LazyLock<bool> = LazyLock::new(|| std::env::var_os("HEALTHPRESS_FUZZ_SHOW").is_some());

fuzz_target!(|data: &[u8]| {
    if *SHOW {
        eprintln!(
            "--- load ---\n{}--- end ---",
            healthpress_testkit::fuzz::loader_summary(&ROOT, data)
        );
    }
    if let Err(problem) = healthpress_testkit::fuzz::check_loader(&ROOT, data) {
        panic!("loader property failed: {problem}");
    }
});
