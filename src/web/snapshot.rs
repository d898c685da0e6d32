//! The public site, rendered once per content load: every public URL's response body, ready to write.
//! Handlers only look pages up. A snapshot is immutable; a reload builds a new one and swaps it in.

use super::assets::Assets;
use super::response::{CACHE_IMMUTABLE, CACHE_PUBLIC, Prebuilt};
use super::views::{
    ArticleCard, ArticlePage, AudienceChoice, ErrorPage, HomePage, Layout, PlainPage,
};
use crate::content::{ReviewStatus, Site};
use askama::Template;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

pub const HTML: &str = "text/html; charset=utf-8";

fn html(body: String) -> Prebuilt {
    Prebuilt::new(body, HTML, CACHE_PUBLIC)
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
    /// Renders every public page of `site`. The wordings' HTML and text are released afterwards (see
    /// [`Site::release_bodies`]): the pages hold what readers get, and memory stays bounded on large sites.
    pub fn build(mut site: Site, assets: Arc<Assets>) -> Result<Self, askama::Error> {
        let (pages, not_found) = Self::render_pages(&site, &assets)?;
        site.release_bodies();
        Ok(Snapshot {
            site: Arc::new(site),
            assets,
            pages,
            not_found,
        })
    }

    fn render_pages(
        site: &Site,
        assets: &Assets,
    ) -> Result<(HashMap<String, Prebuilt>, Prebuilt), askama::Error> {
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
                site,
                assets,
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
        let newest = site.public_articles().map(|a| a.updated).max();
        pages.insert(
            "/".to_string(),
            html(home.render()?).with_last_modified(newest.map(|d| d.to_system_time())),
        );

        // Every (article, audience) page, rendered on every core.
        let articles: Vec<_> = site.public_articles().collect();
        let rendered: Result<Vec<Vec<(String, Prebuilt)>>, askama::Error> = articles
            .par_iter()
            .map(|article| {
                let mut out = Vec::with_capacity(config.audiences.len());
                for audience in &config.audiences {
                    let Some(wording) = article.wording_for(config, &audience.id) else {
                        continue;
                    };
                    let page = ArticlePage::new(site, assets, article, audience, wording);
                    out.push((
                        format!("/articles/{}/{}", article.slug, audience.id),
                        html(page.render()?)
                            .with_last_modified(Some(article.updated.to_system_time())),
                    ));
                }
                Ok(out)
            })
            .collect();
        pages.extend(rendered?.into_iter().flatten());

        for page in site.pages.values() {
            let path = format!("/pages/{}", page.slug);
            let first_paragraph = page.body.text.split("\n\n").next().unwrap_or_default();
            let view = PlainPage {
                layout: Layout::new(site, assets, &page.title, first_paragraph, Some(&path)),
                body: page.body.html.clone(),
            };
            pages.insert(path, html(view.render()?));
        }

        let not_found = ErrorPage {
            layout: Layout::new(site, assets, "Page not found", "Page not found", None),
            heading: "Page not found".into(),
            message:
                "We could not find that page. It may have moved, or the address may be mistyped."
                    .into(),
        };
        let not_found = Prebuilt::new(not_found.render()?, HTML, "public, max-age=60");
        for asset in &assets.all {
            let cache = CACHE_IMMUTABLE;
            pages.insert(
                asset.path.clone(),
                Prebuilt::new(asset.body, asset.content_type, cache),
            );
            // The plain name too, for links from outside; it can change, so it is cached briefly.
            pages.insert(
                format!("/static/{}", asset.name),
                Prebuilt::new(asset.body, asset.content_type, CACHE_PUBLIC),
            );
        }
        Ok((pages, not_found))
    }

    pub fn page(&self, path: &str) -> Option<&Prebuilt> {
        self.pages.get(path)
    }

    /// Compresses every page ahead of requests (run in the background after the server starts).
    pub fn precompress(&self) {
        self.pages
            .par_iter()
            .for_each(|(_, page)| page.precompress());
        self.not_found.precompress();
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
