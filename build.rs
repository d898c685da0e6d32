//! Decides whether the browser test suite can run here (Chromium and the suite's Node packages
//! installed), so `cargo test` reports it as ignored, with the reason, rather than as passed when it
//! cannot. `HEALTHPRESS_BROWSER_TESTS=required` always runs it (and it fails if it cannot). Release
//! builds do not look, so what is installed never changes (and never rebuilds) `cargo run --release`.
//!
//! The same for the PostgreSQL tests: they run when `HEALTHPRESS_TEST_DATABASE_URL` names a server
//! (or `HEALTHPRESS_POSTGRES_TESTS=required`, and then fail without one), else are listed as ignored.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    println!(
        "cargo::rustc-check-cfg=cfg(browser_missing, values(\"chromium\", \"packages\", \"release\"))"
    );
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=HEALTHPRESS_TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=HEALTHPRESS_POSTGRES_TESTS");
    let postgres_url = std::env::var("HEALTHPRESS_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty());
    if postgres_url || std::env::var("HEALTHPRESS_POSTGRES_TESTS").as_deref() == Ok("required") {
        println!("cargo::rustc-cfg=postgres_tests");
    }
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=HEALTHPRESS_BROWSER_TESTS");
    println!("cargo::rerun-if-env-changed=HEALTHPRESS_CHROMIUM");
    let required = std::env::var("HEALTHPRESS_BROWSER_TESTS").as_deref() == Ok("required");
    // Only the test profile looks for a browser: a release build (`cargo run --release`) never
    // depends on what is installed, so installing Chromium or the packages does not rebuild it.
    if std::env::var("PROFILE").as_deref() == Ok("release") && !required {
        println!("cargo::rustc-cfg=browser_missing=\"release\"");
        return;
    }
    let chromium =
        std::env::var("HEALTHPRESS_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let packages = "tests/browser/node_modules/playwright-core";
    // Watch what exists, or the folder it would appear in (watching a missing path reruns this every
    // build), so installing Chromium or the packages later is noticed.
    let watch = |path: &str, otherwise: &str| {
        let watched = if Path::new(path).exists() {
            path
        } else {
            otherwise
        };
        println!("cargo::rerun-if-changed={watched}");
    };
    let chromium_dir = Path::new(&chromium)
        .parent()
        .and_then(|p| p.to_str())
        .unwrap_or("/usr/bin")
        .to_string();
    watch(&chromium, &chromium_dir);
    watch(packages, "tests/browser");
    let (has_chromium, has_packages) =
        (Path::new(&chromium).exists(), Path::new(packages).exists());
    if required || (has_chromium && has_packages) {
        println!("cargo::rustc-cfg=browser_tests");
    }
    // So the ignore reason names what is missing, and only that.
    if !has_chromium {
        println!("cargo::rustc-cfg=browser_missing=\"chromium\"");
    }
    if !has_packages {
        println!("cargo::rustc-cfg=browser_missing=\"packages\"");
    }
}
