//! Content: the model of a site and the loader that reads it from a content folder.

pub mod clock;
mod codes;
mod date;
mod diagnostic;
mod load;
mod model;
mod reviews;
mod sources;
mod xml;

pub use clock::Moment;
pub use codes::{Code, CodeSystem};
pub use date::Date;
pub use diagnostic::{Diagnostic, Severity, line_of};
pub use load::approval;
pub use load::{
    ArticleReload, Folder, LoadError, LoadOptions, Refused, approve_article, approve_article_as,
    is_slug, load_site, load_site_with, reload_article, request_article_changes,
};
pub use model::*;
pub use reviews::{QueueEntry, Waiting, review_queue};
pub use sources::{SourceAlert, SourceConcern, source_alerts};
pub use xml::{unsafe_char, xml_text};
