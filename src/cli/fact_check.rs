//! `healthpress fact-check-link SLUG --days N`: a signed, expiring link to one article's working
//! text for an expert without an account (see the editor area's fact checks), in the store every
//! replica shares. `--revoke ID` withdraws one.

use super::fail;
use super::{ContentArg, StoreArgs};
use crate::store::now_ms;
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Clone)]
pub struct FactCheckArgs {
    /// The article's slug (its folder under `articles/`).
    pub slug: String,
    /// How many days the link works (1 to 90).
    #[arg(long, value_name = "N", default_value_t = crate::web::editor::fact_check::DEFAULT_DAYS)]
    pub days: u32,
    /// Who makes it, for the article's editor page (an editor's name).
    #[arg(long, value_name = "NAME", default_value = "command line")]
    pub by: String,
    /// Withdraw the link with this id (the editor page lists them) instead of making one.
    #[arg(long, value_name = "ID")]
    pub revoke: Option<String>,
    #[command(flatten)]
    pub content: ContentArg,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn execute(args: &FactCheckArgs) -> ExitCode {
    if !crate::content::is_slug(&args.slug)
        || !args
            .content
            .content
            .join("articles")
            .join(&args.slug)
            .is_dir()
    {
        return fail(&format!(
            "no article `{}` in {}",
            args.slug,
            args.content.content.display()
        ));
    }
    if let Err(message) = crate::web::editor::fact_check::check_days(&args.days.to_string()) {
        return fail(&message);
    }
    let by = args.by.trim();
    if by.is_empty() || by.chars().count() > 100 || by.chars().any(char::is_control) {
        return fail("--by must be a name of 1 to 100 characters");
    }
    let base_url = match std::fs::read_to_string(args.content.content.join("site.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| t.get("base_url")?.as_str().map(str::to_string))
    {
        Some(url) => url,
        None => return fail("site.toml has no base_url: fix it first (healthpress check)"),
    };
    super::on_store(&args.store, async |store| {
        match &args.revoke {
            Some(id) => store
                .revoke_fact_check_link(&args.slug, id, now_ms())
                .await
                .map(|done| {
                    if done {
                        format!(
                            "withdrew fact-check link {id} of `{}`: it now answers 410 Gone",
                            args.slug
                        )
                    } else {
                        format!("no open fact-check link {id} of `{}`", args.slug)
                    }
                }),
            None => store
                .create_fact_check_link(&args.slug, by, args.days, now_ms())
                .await
                .map(|link| {
                    format!(
                        "{}/fact-check/{}\nworks for {} day(s), until {}; link id {} (withdraw it with --revoke {})",
                        base_url.trim_end_matches('/'),
                        store.fact_check_token(&link),
                        args.days,
                        crate::web::editor::feedback::time_in_words(link.expires_ms),
                        link.id,
                        link.id
                    )
                }),
        }
        .map_err(|e| e.to_string())
    })
}
