//! healthpress: a server-rendered patient-education website. Medical articles in Markdown, each in
//! wordings for different readers, with review status and numbered references.

pub mod cli;
pub mod coach;
pub mod content;
pub mod infobutton;
pub mod markdown;
pub mod memory;
pub mod messages;
pub mod metrics;
pub mod readability;
pub mod render;
pub mod search;
pub mod store;
pub mod watch;
pub mod web;

/// A fixed, seeded pseudo-random sequence (xorshift) for tests that generate many inputs.
#[cfg(test)]
pub(crate) fn pseudo_random(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
