//! `healthpress sessions`: end editors' sessions at once, or clear a sign-in lockout, in the store
//! every replica shares (so it takes effect on all of them at their next request).

use super::StoreArgs;
use crate::store::now_ms;
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Args, Clone)]
pub struct SessionsArgs {
    #[command(subcommand)]
    pub action: SessionsAction,
}

#[derive(Subcommand, Clone)]
pub enum SessionsAction {
    /// End sessions now: one editor's (`--user NAME`) or everyone's (`--all`).
    Revoke {
        /// The editor whose sessions end.
        #[arg(
            long,
            value_name = "NAME",
            conflicts_with = "all",
            required_unless_present = "all"
        )]
        user: Option<String>,
        /// End every editor's sessions.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Clear the sign-in lockout of an editor: failed attempts counted so far no longer count.
    Unlock {
        /// The editor's name in the editors file.
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub fn execute(args: &SessionsArgs) -> ExitCode {
    let store = match &args.action {
        SessionsAction::Revoke { store, .. } | SessionsAction::Unlock { store, .. } => store,
    };
    super::on_store(store, async |store| {
        match &args.action {
            SessionsAction::Revoke { user, .. } => {
                store
                    .end_sessions(user.as_deref())
                    .await
                    .map(|n| match user {
                        Some(name) => {
                            format!("ended {n} session(s) of `{name}` in {}", store.describe())
                        }
                        None => format!("ended all {n} session(s) in {}", store.describe()),
                    })
            }
            SessionsAction::Unlock { name, .. } => store.unlock(name, now_ms()).await.map(|()| {
                format!("`{name}` may sign in again: earlier failed attempts no longer count")
            }),
        }
        .map_err(|e| e.to_string())
    })
}
