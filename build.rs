//! Decides whether the browser test suite can run here (Chromium and the suite's Node packages
//! installed), so `cargo test` reports it as ignored, with the reason, rather than as passed when it
//! cannot. `HEALTHPRESS_BROWSER_TESTS=required` always runs it (and it fails if it cannot).

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=HEALTHPRESS_BROWSER_TESTS");
    println!("cargo::rerun-if-env-changed=HEALTHPRESS_CHROMIUM");
    let chromium =
        std::env::var("HEALTHPRESS_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let packages = "tests/browser/node_modules/playwright-core";
    println!("cargo::rerun-if-changed={chromium}");
    println!("cargo::rerun-if-changed={packages}");
    let required = std::env::var("HEALTHPRESS_BROWSER_TESTS").as_deref() == Ok("required");
    if required || (Path::new(&chromium).exists() && Path::new(packages).exists()) {
        println!("cargo::rustc-cfg=browser_tests");
    }
}
