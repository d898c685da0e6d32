//! Checks shared by healthpress's integration tests and its fuzz targets (`fuzz/`), so both test
//! exactly the same properties:
//!
//! - [`html`]: the HTML safety oracle, on html5ever's tokenizer. [`check_body`] for a sanitised body
//!   about to be inserted into a page, [`check_page`] for a whole page as served.
//! - [`fuzz`]: the fuzz targets' properties, which `tests/fuzz_regressions.rs` replays on every seed
//!   and saved regression.

pub mod fuzz;
pub mod html;

pub use html::{Unsafe, check_body, check_page};
