//! Articles as editors review them: problems, reading levels, the wordings side by side section by
//! section, plain-language coaching, and each wording exactly as readers would get it, drafts
//! included.

use super::feedback::PageQuery;
use super::views::{
    EditorArticle, EditorArticlePage, ProblemView, SideBySide, WordingCoach, WordingStats,
    assignment, side_by_side,
};
use super::{Editor, EditorError, EditorState, article_of, editor_layout, html_page};
use crate::content::Date;
use crate::render::views::ArticlePage;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

pub(super) async fn article(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    editor: Editor,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, EditorError> {
    let page = query.number()?;
    let fact_check = if matches!(editors.access, super::auth::EditorAccess::Accounts(_)) {
        Some(
            super::fact_check::panel(
                &editors,
                &state.snapshot().site.config.base_url,
                &slug,
                query.fact_check.as_deref(),
            )
            .await,
        )
    } else {
        None
    };
    let snapshot = super::current_snapshot(&state, &editors, &slug).await?;
    let site = &snapshot.site;
    let problems: Vec<ProblemView> = site
        .diagnostics
        .iter()
        .filter(|d| article_of(site, &d.path).as_deref() == Some(slug.as_str()))
        .map(|d| ProblemView::of(d, &site.root))
        .collect();
    let approval =
        if site.working_article(&slug).is_some() || site.records.contains_key(slug.as_str()) {
            Some(super::approve::panel(site, &editors, &editor, &slug).await)
        } else {
            None
        };
    let Some(a) = site.working_article(slug.as_str()) else {
        if problems.is_empty() && approval.is_none() {
            return Err(super::not_found(&state));
        }
        let view = EditorArticle {
            slug: slug.clone(),
            title: format!("{slug} (does not load)"),
            status: "Not loaded",
            status_class: "error",
            public: false,
            problems,
            assignment: None,
            wordings: Vec::new(),
            side: SideBySide {
                columns: Vec::new(),
                rows: Vec::new(),
            },
            coaching: Vec::new(),
            approval,
            comments: super::feedback::comments(&editors.store, site, &slug, page).await,
            fact_check,
            translations: Vec::new(),
            translation_sides: Vec::new(),
        };
        return html_page(
            &EditorArticlePage {
                layout: editor_layout(&state, &view.title),
                editor: editor.bar("article"),
                view,
            },
            StatusCode::OK,
        );
    };
    let (status, status_class) = super::views::article_status(site, &a.slug, a.review.status);
    let view = EditorArticle {
        slug: a.slug.clone(),
        title: a.title.clone(),
        status,
        status_class,
        public: a.is_public(site.config.show_pending),
        problems,
        assignment: assignment(site, a, Date::today()),
        wordings: a
            .wordings
            .iter()
            .map(|w| WordingStats::of(site, w))
            .collect(),
        side: side_by_side(site, a),
        coaching: a
            .wordings
            .iter()
            .filter_map(|w| WordingCoach::of_wording(site, w))
            .collect(),
        approval,
        comments: super::feedback::comments(&editors.store, site, &slug, page).await,
        fact_check,
        translations: a
            .translations
            .iter()
            .map(|t| super::views::TranslationRow::of(site, a, t))
            .collect(),
        translation_sides: super::views::translations_side_by_side(site, a),
    };
    html_page(
        &EditorArticlePage {
            layout: editor_layout(&state, &a.title),
            editor: editor.bar("article"),
            view,
        },
        StatusCode::OK,
    )
}

/// A wording exactly as readers would get it, drafts included.
pub(super) async fn wording(
    state: web::Data<AppState>,
    editors: web::Data<EditorState>,
    _editor: Editor,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, EditorError> {
    let (slug, audience) = path.into_inner();
    let snapshot = super::current_snapshot(&state, &editors, &slug).await?;
    let site = &snapshot.site;
    // The working files, as readers would see them once approved.
    let (Some(a), Some(requested)) = (site.working_article(&slug), site.config.audience(&audience))
    else {
        return Err(super::not_found(&state));
    };
    let Some(w) = a.wording_for(&site.config, &audience) else {
        return Err(super::not_found(&state));
    };
    let mut page = ArticlePage::new(site, &snapshot.assets, a, requested, w);
    page.layout.live_reload = Some(snapshot.assets.url("editor.js"));
    html_page(&page, StatusCode::OK)
}
