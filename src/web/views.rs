//! Page structs, one per template, built from the content model. Rendering happens once per content
//! load (see [`super::snapshot`]), never per request.

use super::assets::Assets;
use crate::content::{Article, Audience, Reference, ReviewStatus, Site, Wording};
use askama::Template;

pub struct NavLink {
    pub href: String,
    pub label: String,
}

/// What the base layout needs.
pub struct Layout {
    pub site_title: String,
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub stylesheet: String,
    pub favicon: String,
    pub nav: Vec<NavLink>,
}

impl Layout {
    pub fn new(
        site: &Site,
        assets: &Assets,
        title: &str,
        description: &str,
        path: Option<&str>,
    ) -> Self {
        Layout {
            site_title: site.config.title.clone(),
            title: title.to_string(),
            description: description.to_string(),
            canonical: path.map(|p| format!("{}{p}", site.config.base())),
            stylesheet: assets.url("style.css"),
            favicon: assets.url("favicon.svg"),
            nav: site
                .pages
                .values()
                .map(|p| NavLink {
                    href: format!("/pages/{}", p.slug),
                    label: p.title.clone(),
                })
                .collect(),
        }
    }
}

pub struct AudienceOption {
    pub id: String,
    pub label: String,
    pub description: String,
    pub checked: bool,
}

/// The "Which best describes you?" form.
pub struct AudienceChoice {
    /// Where to go after choosing (validated again when the form comes back).
    pub next: String,
    pub options: Vec<AudienceOption>,
}

impl AudienceChoice {
    pub fn new(audiences: &[Audience], next: &str, current: Option<&str>) -> Self {
        AudienceChoice {
            next: next.to_string(),
            options: audiences
                .iter()
                .map(|a| AudienceOption {
                    id: a.id.clone(),
                    label: a.label.clone(),
                    description: a.description.clone(),
                    checked: current == Some(a.id.as_str()),
                })
                .collect(),
        }
    }
}

pub struct ArticleCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub pending: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub description: Option<String>,
    pub articles: Vec<ArticleCard>,
    pub choice: AudienceChoice,
}

pub struct Step {
    pub label: &'static str,
    /// `done`, `current` or `todo`: also the CSS class suffix.
    pub state: &'static str,
}

pub fn review_steps(status: ReviewStatus) -> Vec<Step> {
    ReviewStatus::STEPS
        .iter()
        .map(|&step| Step {
            label: step.label(),
            state: if step == status {
                "current"
            } else if status.reached(step) {
                "done"
            } else {
                "todo"
            },
        })
        .collect()
}

pub struct RefLink {
    pub label: &'static str,
    pub href: String,
}

pub struct RefView {
    pub number: usize,
    pub key: String,
    pub kind: &'static str,
    pub kind_class: String,
    pub title: String,
    pub source: String,
    pub year: i32,
    pub links: Vec<RefLink>,
}

impl RefView {
    fn new(number: usize, r: &Reference) -> Self {
        let mut links = Vec::new();
        if let Some(href) = r.doi_url() {
            links.push(RefLink { label: "DOI", href });
        }
        if let Some(href) = r.pubmed_url() {
            links.push(RefLink {
                label: "PubMed",
                href,
            });
        }
        if let Some(href) = &r.url {
            links.push(RefLink {
                label: "Source",
                href: href.clone(),
            });
        }
        RefView {
            number,
            key: r.key.clone(),
            kind: r.kind.label(),
            kind_class: r.kind.label().to_lowercase(),
            title: r.title.clone(),
            source: r.source.clone(),
            year: r.year,
            links,
        }
    }
}

pub struct ReviewerView {
    pub name: String,
    pub credentials: String,
}

pub struct ArticleView {
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub updated_iso: String,
    pub updated_words: String,
    pub pending: bool,
    pub has_policy: bool,
    pub fallback_notice: Option<String>,
    pub steps: Vec<Step>,
    pub reviewers: Vec<ReviewerView>,
    pub reviewed_on: Option<(String, String)>,
    pub next_review: Option<(String, String)>,
    pub body: String,
    pub references: Vec<RefView>,
    pub disclaimer: String,
}

const DEFAULT_DISCLAIMER: &str = "This information is for education. It does not replace advice from a health \
professional who knows you. If you are worried about your health, talk to your doctor, nurse or pharmacist.";

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub layout: Layout,
    pub view: ArticleView,
    pub choice: AudienceChoice,
}

impl ArticlePage {
    /// The page at `/articles/{slug}/{requested}`, showing `wording` (the requested one, or the nearest).
    pub fn new(
        site: &Site,
        assets: &Assets,
        article: &Article,
        requested: &Audience,
        wording: &Wording,
    ) -> Self {
        let shown = site.config.audience(&wording.audience).unwrap_or(requested);
        let fallback_notice = (shown.id != requested.id).then(|| {
            format!(
                "This article is not yet written for \u{201c}{}\u{201d}. You are reading the version for \u{201c}{}\u{201d}.",
                requested.label, shown.label
            )
        });
        let title = article.title_for(wording);
        let summary = article.summary_for(wording);
        let date = |d: Option<crate::content::Date>| d.map(|d| (d.iso(), d.in_words()));
        let view = ArticleView {
            title: title.to_string(),
            summary: summary.to_string(),
            topics: article.topics.clone(),
            updated_iso: article.updated.iso(),
            updated_words: article.updated.in_words(),
            pending: article.review.status != ReviewStatus::Approved,
            has_policy: site.pages.contains_key("editorial-policy"),
            fallback_notice,
            steps: review_steps(article.review.status),
            reviewers: article
                .review
                .reviewed_by
                .iter()
                .map(|r| ReviewerView {
                    name: r.name.clone(),
                    credentials: r.credentials.clone(),
                })
                .collect(),
            reviewed_on: date(article.review.reviewed_on),
            next_review: date(article.review.next_review),
            body: wording.body.html.clone(),
            references: article
                .cited_references(wording)
                .enumerate()
                .map(|(i, r)| RefView::new(i + 1, r))
                .collect(),
            disclaimer: shown
                .disclaimer
                .clone()
                .unwrap_or_else(|| DEFAULT_DISCLAIMER.to_string()),
        };
        let canonical = format!("/articles/{}/{}", article.slug, shown.id);
        ArticlePage {
            layout: Layout::new(site, assets, title, summary, Some(&canonical)),
            view,
            choice: AudienceChoice::new(
                &site.config.audiences,
                &format!("/articles/{}", article.slug),
                Some(&requested.id),
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "page.html")]
pub struct PlainPage {
    pub layout: Layout,
    pub body: String,
}

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub heading: String,
    pub message: String,
}
