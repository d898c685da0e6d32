//! healthpress: a server-rendered patient-education website. Medical articles in Markdown, each in
//! wordings for different readers, with review status and numbered references.

pub mod cli;
pub mod content;
pub mod markdown;
pub mod readability;
pub mod search;
pub mod watch;
pub mod web;
