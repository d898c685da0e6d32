//! `healthpress approve` and `healthpress withdraw`: bind an approval to the text approved, or take
//! an article off the public site at once (see [`crate::content::approval`]).

use crate::content::{Date, Moment, approval, approve_article_as, request_article_changes};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Clone)]
pub struct ApproveArgs {
    /// The article's slug (its folder under `articles/`).
    pub slug: String,
    /// A reviewer id from `reviewers.toml` (repeat for several).
    #[arg(long = "reviewer", value_name = "ID", required = true)]
    pub reviewers: Vec<String>,
    /// What changed, for readers ("What changed") and the change feed. A second approval may
    /// leave it out to keep the first reviewer's note.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// The content folder.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Record the approval now, and make the text live at this time (UTC): a date (midnight) or a
    /// date and time to the minute, such as 2026-12-10T09:00Z. Until then readers keep the
    /// previous approved text.
    #[arg(long, value_name = "YYYY-MM-DD[THH:MMZ]", value_parser = parse_moment)]
    pub publish_on: Option<Moment>,
    /// The date of the approval (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// Approve only if the working files are still these (the fingerprint an article's editor page
    /// shows beside its Approve button): refused if they changed since the reviewer read them.
    #[arg(long, value_name = "sha256:...")]
    pub fingerprint: Option<String>,
}

#[derive(Args, Clone)]
pub struct WithdrawArgs {
    /// The article's slug.
    pub slug: String,
    /// Why it is withdrawn (kept in the record, for editors).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The content folder.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
}

fn parse_moment(text: &str) -> Result<Moment, String> {
    Moment::parse(text).ok_or_else(|| {
        format!(
            "{text:?} is not a date such as 2026-12-10 or a time in UTC such as 2026-12-10T09:00Z"
        )
    })
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse_iso(text).ok_or_else(|| format!("{text:?} is not a date such as 2026-11-27"))
}

pub fn approve(args: &ApproveArgs) -> ExitCode {
    let date = args.date.unwrap_or_else(Date::today);
    if date > Date::today() {
        eprintln!("error: the date {} is in the future", date.iso());
        return ExitCode::FAILURE;
    }
    let asked = approval::Approving {
        slug: &args.slug,
        reviewers: &args.reviewers,
        note: &args.note,
        date,
        expected: args.fingerprint.as_deref(),
        publish_at: args.publish_on,
    };
    match approve_article_as(&args.content, &asked) {
        Ok((approved, warnings)) => {
            for w in &warnings {
                println!("{w}");
            }
            println!("{}", approved_sentence(&args.slug, &approved));
            ExitCode::SUCCESS
        }
        Err(refused) => {
            eprintln!("{refused}");
            eprintln!("not approved");
            ExitCode::FAILURE
        }
    }
}

/// What an approval did, in a sentence for the person who approved.
pub fn approved_sentence(slug: &str, approved: &approval::Approved) -> String {
    let a = approved.approval();
    match approved {
        approval::Approved::Published(_) => {
            let when = match a.publish_at {
                Some(at) => format!(
                    "readers keep the previous text until {}, then see this text",
                    at.in_words()
                ),
                None => "readers now see this text".to_string(),
            };
            format!(
                "approved `{slug}` on {} by {} ({}); {when}",
                a.date.iso(),
                a.reviewers.join(", "),
                a.fingerprint
            )
        }
        approval::Approved::First {
            required, replaced, ..
        } => {
            let earlier = replaced.as_ref().map_or(String::new(), |r| {
                format!(
                    " It replaces the first approval by {} of {}, whose text has changed since.",
                    r.reviewers.join(", "),
                    r.date.iso()
                )
            });
            format!(
                "recorded the first approval of `{slug}` by {} ({}); nothing is published yet: this article needs {required} different reviewers to approve the same text.{earlier}",
                a.reviewers.join(", "),
                a.fingerprint
            )
        }
    }
}

pub fn withdraw(args: &WithdrawArgs) -> ExitCode {
    match approval::withdraw(&args.content, &args.slug, &args.reason, Date::today()) {
        Ok(w) => {
            println!(
                "withdrew `{}` on {}: it is off every public surface until it is approved again",
                args.slug,
                w.date.iso()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Args, Clone)]
pub struct RequestChangesArgs {
    /// The article's slug.
    pub slug: String,
    /// The reviewer asking, an id from `reviewers.toml`.
    #[arg(long, value_name = "ID")]
    pub reviewer: String,
    /// What needs changing, for the editors (kept with the article; readers never see it).
    #[arg(long, value_name = "TEXT")]
    pub note: String,
    /// The content folder.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Only if the working files are still these (the fingerprint the article's editor page shows).
    #[arg(long, value_name = "sha256:...")]
    pub fingerprint: Option<String>,
}

pub fn request_changes(args: &RequestChangesArgs) -> ExitCode {
    match request_article_changes(
        &args.content,
        &args.slug,
        &args.reviewer,
        &args.note,
        Date::today(),
        args.fingerprint.as_deref(),
    ) {
        Ok(request) => {
            println!(
                "changes requested for `{}` by {} on {}: editors see it until the working files change",
                args.slug,
                request.reviewer,
                request.date.iso()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
