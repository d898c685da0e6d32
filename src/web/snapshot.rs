//! The public site, rendered once per content load: every public URL's response body, ready to write.
//! Handlers only look pages up. A snapshot is immutable; a reload builds a new one and swaps it in.

use super::assets::Assets;
use super::views::{
    ArticleCard, ArticlePage, AudienceChoice, ErrorPage, HomePage, Layout, PlainPage,
};
use crate::content::{ReviewStatus, Site};
use actix_web::web::Bytes;
use askama::Template;
use std::collections::HashMap;
use std::sync::Arc;

pub const HTML: &str = "text/html; charset=utf-8";

/// A response body built ahead of time.
#[derive(Debug, Clone)]
pub struct Prebuilt {
    pub body: Bytes,
    pub content_type: &'static str,
}

impl Prebuilt {
    fn html(body: String) -> Self {
        Prebuilt {
            body: Bytes::from(body),
            content_type: HTML,
        }
    }
}

pub struct Snapshot {
    /// The content this snapshot was built from, drafts included: for editor tools, never rendered publicly.
    pub site: Arc<Site>,
    pub assets: Arc<Assets>,
    /// Public pages by URL path.
    pages: HashMap<String, Prebuilt>,
    pub not_found: Prebuilt,
}

impl Snapshot {
    /// Renders every public page of `site`.
    pub fn build(site: Arc<Site>, assets: Arc<Assets>) -> Result<Self, askama::Error> {
        let mut pages = HashMap::new();
        let config = &site.config;

        let mut cards: Vec<ArticleCard> = site
            .public_articles()
            .map(|a| ArticleCard {
                slug: a.slug.clone(),
                title: a.title.clone(),
                summary: a.summary.clone(),
                topics: a.topics.clone(),
                pending: a.review.status != ReviewStatus::Approved,
            })
            .collect();
        cards.sort_by_key(|c| c.title.to_lowercase());
        let description = config.description.clone();
        let home = HomePage {
            layout: Layout::new(
                &site,
                &assets,
                &config.title,
                description
                    .as_deref()
                    .unwrap_or("Health information reviewed by clinicians."),
                Some("/"),
            ),
            description,
            articles: cards,
            choice: AudienceChoice::new(&config.audiences, "/", None),
        };
        pages.insert("/".to_string(), Prebuilt::html(home.render()?));

        for article in site.public_articles() {
            for audience in &config.audiences {
                let Some(wording) = article.wording_for(config, &audience.id) else {
                    continue;
                };
                let page = ArticlePage::new(&site, &assets, article, audience, wording);
                pages.insert(
                    format!("/articles/{}/{}", article.slug, audience.id),
                    Prebuilt::html(page.render()?),
                );
            }
        }

        for page in site.pages.values() {
            let path = format!("/pages/{}", page.slug);
            let first_paragraph = page.body.text.split("\n\n").next().unwrap_or_default();
            let view = PlainPage {
                layout: Layout::new(&site, &assets, &page.title, first_paragraph, Some(&path)),
                body: page.body.html.clone(),
            };
            pages.insert(path, Prebuilt::html(view.render()?));
        }

        let not_found = ErrorPage {
            layout: Layout::new(&site, &assets, "Page not found", "Page not found", None),
            heading: "Page not found".into(),
            message:
                "We could not find that page. It may have moved, or the address may be mistyped."
                    .into(),
        };
        let not_found = Prebuilt::html(not_found.render()?);
        Ok(Snapshot {
            site,
            assets,
            pages,
            not_found,
        })
    }

    pub fn page(&self, path: &str) -> Option<&Prebuilt> {
        self.pages.get(path)
    }

    /// Every public URL path with its page, sorted by path.
    pub fn pages(&self) -> Vec<(&str, &Prebuilt)> {
        let mut all: Vec<_> = self.pages.iter().map(|(k, v)| (k.as_str(), v)).collect();
        all.sort_by_key(|(k, _)| *k);
        all
    }

    /// Whether `slug` is an article readers may see.
    pub fn is_public_article(&self, slug: &str) -> bool {
        self.site.public_article(slug).is_some()
    }

    pub fn error_page(&self, heading: &str, message: &str) -> ErrorPage {
        ErrorPage {
            layout: Layout::new(&self.site, &self.assets, heading, heading, None),
            heading: heading.into(),
            message: message.into(),
        }
    }
}
