//! Rendering: the content model made into the public site, one stage per output, with no web types.
//! Used by the server (`web`) and by `build --out`.
//!
//! The pipeline, as [`Snapshot::build`] runs it:
//! 1. **load**: [`crate::content::load_site`] reads the content folder into a [`crate::content::Site`];
//! 2. **render**: one function per output in [`stages`]: article pages, home, A to Z, topics and each
//!    topic, plain pages, sitemap, robots, assets, and the 404 page;
//! 3. **index**: [`crate::search::SearchIndex`] over what the article pages show;
//! 4. **compress**: each [`page::Prebuilt`] makes its gzip copy once
//!    ([`Snapshot::precompress`], or before the swap on a reload);
//! 5. **publish**: the web layer swaps the new [`Snapshot`] in atomically.
//!
//! A reload of a few articles runs the same stages for what changed only
//! ([`Snapshot::with_articles`], then [`Snapshot::with_home_and_a_to_z`], [`Snapshot::other_listings`]
//! with [`Snapshot::with_other`], and [`Snapshot::update_search`]),
//! sharing every other page with the snapshot before.

pub mod assets;
pub mod knowledge;
pub mod page;
mod snapshot;
pub mod stages;
pub mod views;

pub use snapshot::{BuildError, OtherListings, Snapshot};

/// The content type of every HTML page.
pub const HTML: &str = "text/html; charset=utf-8";
