//! Arbitrary bytes -> (if UTF-8) `healthpress::markdown::render`, with citation keys `a`, `b` and
//! `smith-2020` known. Property: no panic, no hang, and the HTML passes `check_rendered` (no script,
//! event handler, dangerous URL, inline style or active element; citations only of known keys).
//! With `HEALTHPRESS_FUZZ_SHOW=1` in the environment, each input's HTML is printed to standard error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SHOW: LazyLock<bool> = LazyLock::new(|| std::env::var_os("HEALTHPRESS_FUZZ_SHOW").is_some());

fuzz_target!(|data: &[u8]| {
    if *SHOW {
        eprintln!(
            "--- html ---\n{}\n--- end ---",
            healthpress_testkit::fuzz::rendered_html(data)
        );
    }
    if let Err(problem) = healthpress_testkit::fuzz::check_markdown(data) {
        panic!("unsafe rendering: {problem}");
    }
});
