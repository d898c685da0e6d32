//! Arbitrary bytes -> (if UTF-8) `healthpress::markdown::render`, timed. Property: one input takes no
//! more than a fixed allowance plus a budget per KiB (`healthpress_testkit::fuzz::check_markdown_time`),
//! so input shapes whose cost grows faster than their size (quadratic heading ids, nesting) fail
//! here even when they finish before libFuzzer's `-timeout`. `HEALTHPRESS_FUZZ_SLOWDOWN=N` scales
//! the budget (default 10, for a sanitiser build); run with `-max_len=65536` or more so that
//! quadratic shapes have room to show.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SLOWDOWN: LazyLock<u32> = LazyLock::new(|| {
    std::env::var("HEALTHPRESS_FUZZ_SLOWDOWN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
});

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = healthpress_testkit::fuzz::check_markdown_time(data, *SLOWDOWN) {
        panic!("slow rendering: {problem}");
    }
});
