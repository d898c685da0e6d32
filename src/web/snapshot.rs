//! The public site, rendered once per content load: every public URL's response body, ready to write.
//! Handlers only look pages up. A snapshot is immutable; a reload builds a new one and swaps it in.

use super::assets::Assets;
use super::response::{CACHE_IMMUTABLE, CACHE_PUBLIC, Prebuilt};
use super::views::{
    ArticleCard, ArticlePage, AudienceChoice, AzPage, ErrorPage, HomePage, Layout, LetterGroup,
    PlainPage, TopicLink, TopicPage, TopicsPage,
};
use crate::content::{Article, Site};
use crate::markdown::slugify;
use crate::search::{self, SearchIndex};
use askama::Template;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

pub const HTML: &str = "text/html; charset=utf-8";

fn html(mut body: String) -> Prebuilt {
    body.shrink_to_fit();
    Prebuilt::new(body, HTML, CACHE_PUBLIC)
}

pub struct Snapshot {
    /// The content this snapshot was built from, drafts included: for editor tools, never rendered publicly.
    pub site: Arc<Site>,
    pub assets: Arc<Assets>,
    /// Public pages by URL path.
    pages: HashMap<String, Prebuilt>,
    pub not_found: Prebuilt,
    /// Filled once built: at once on small sites, in the background on large ones.
    search: Arc<OnceLock<SearchIndex>>,
}

/// Up to this many pages are indexed for search before serving starts; larger sites serve at once
/// and search becomes available when its index is built in the background.
const SEARCH_INDEX_IN_FOREGROUND: usize = 2_000;

/// Home lists every article up to this many; beyond it, the most recently updated, with links to A to Z.
const HOME_LIMIT: usize = 24;

/// Build failures: a template that would not render, or a search index that would not build.
#[derive(Debug)]
pub struct BuildError(pub String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<askama::Error> for BuildError {
    fn from(e: askama::Error) -> Self {
        BuildError(format!("a page failed to render: {e}"))
    }
}

impl Snapshot {
    /// Renders every public page of `site` and indexes them for search. Unless `keep_bodies`, the
    /// wordings' HTML and text are released afterwards (see [`Site::release_bodies`]): the pages hold
    /// what readers get.
    pub fn build(
        mut site: Site,
        assets: Arc<Assets>,
        keep_bodies: bool,
    ) -> Result<Self, BuildError> {
        let (pages, not_found) = Self::render_pages(&site, &assets)?;
        let docs = search::documents(&mut site, !keep_bodies);
        let search = Arc::new(OnceLock::new());
        if docs.len() <= SEARCH_INDEX_IN_FOREGROUND {
            let index = SearchIndex::build(docs)
                .map_err(|e| BuildError(format!("the search index failed to build: {e}")))?;
            let _ = search.set(index);
        } else {
            let slot = Arc::clone(&search);
            let spawned = std::thread::Builder::new()
                .name("search-index".into())
                .spawn(move || {
                    let started = std::time::Instant::now();
                    match SearchIndex::build(docs) {
                        Ok(index) => {
                            let _ = slot.set(index);
                            super::release_free_memory();
                            tracing::info!(
                                elapsed_ms = started.elapsed().as_millis() as u64,
                                "search index ready"
                            );
                        }
                        Err(e) => tracing::error!("the search index failed to build: {e}"),
                    }
                });
            if let Err(e) = spawned {
                return Err(BuildError(format!("the search index could not start: {e}")));
            }
        }
        if !keep_bodies {
            site.release_bodies();
        }
        Ok(Snapshot {
            site: Arc::new(site),
            assets,
            pages,
            not_found,
            search,
        })
    }

    fn render_pages(
        site: &Site,
        assets: &Assets,
    ) -> Result<(HashMap<String, Prebuilt>, Prebuilt), BuildError> {
        let mut pages = HashMap::new();
        let config = &site.config;
        let mut add = |path: String, page: Prebuilt| {
            pages.insert(path, page);
        };
        let public: Vec<&Article> = site.public_articles().collect();
        let newest = public
            .iter()
            .map(|a| a.updated)
            .max()
            .map(|d| d.to_system_time());

        // Home: every article on a small site; the most recently updated on a large one.
        let mut recent = public.clone();
        if recent.len() > HOME_LIMIT {
            recent.sort_by(|a, b| {
                b.updated
                    .cmp(&a.updated)
                    .then_with(|| a.title.cmp(&b.title))
            });
            recent.truncate(HOME_LIMIT);
        }
        recent.sort_by_cached_key(|a| a.title.to_lowercase());
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
            articles: recent.iter().map(|a| ArticleCard::of(a)).collect(),
            more: public.len() - recent.len(),
            total: public.len(),
            choice: AudienceChoice::new(&config.audiences, "/", None),
        };
        add("/".into(), html(home.render()?).with_last_modified(newest));

        // Every (article, audience) page, rendered on every core.
        let rendered: Result<Vec<Vec<(String, Prebuilt)>>, askama::Error> = public
            .par_iter()
            .map(|article| {
                let mut out = Vec::with_capacity(config.audiences.len());
                for audience in &config.audiences {
                    let Some(wording) = article.wording_for(config, &audience.id) else {
                        continue;
                    };
                    let page = ArticlePage::new(site, assets, article, audience, wording);
                    // Sized for the body and the page around it, so the page is written without regrowing.
                    let mut body = String::with_capacity(wording.body.html.len() + 16 * 1024);
                    page.render_into(&mut body)?;
                    out.push((
                        format!("/articles/{}/{}", article.slug, audience.id),
                        html(body).with_last_modified(Some(article.updated.to_system_time())),
                    ));
                }
                Ok(out)
            })
            .collect();
        for (path, page) in rendered?.into_iter().flatten() {
            add(path, page);
        }

        // A to Z.
        let mut groups: Vec<LetterGroup> = Vec::new();
        let mut sorted = public.clone();
        sorted.sort_by_cached_key(|a| a.title.to_lowercase());
        for article in sorted {
            let first = article
                .title
                .chars()
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default();
            let letter = if first.chars().all(|c| c.is_alphabetic()) {
                first
            } else {
                "#".to_string()
            };
            match groups.last_mut() {
                Some(g) if g.letter == letter => g.articles.push(ArticleCard::of(article)),
                _ => groups.push(LetterGroup {
                    anchor: letter_anchor(&letter),
                    letter,
                    articles: vec![ArticleCard::of(article)],
                }),
            }
        }
        let az = AzPage {
            layout: Layout::new(
                site,
                assets,
                "Articles A to Z",
                "Every article, from A to Z.",
                Some("/articles"),
            ),
            groups,
        };
        add(
            "/articles".into(),
            html(az.render()?).with_last_modified(newest),
        );

        // Topics, and a page per topic.
        let mut topics: BTreeMap<String, (String, Vec<&Article>)> = BTreeMap::new();
        for article in &public {
            for name in &article.topics {
                topics
                    .entry(slugify(name))
                    .or_insert_with(|| (name.clone(), Vec::new()))
                    .1
                    .push(article);
            }
        }
        // One page per topic, rendered on every core (a large site's topics list thousands of cards).
        let topic_pages: Result<Vec<(String, Prebuilt, TopicLink)>, askama::Error> = topics
            .into_iter()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(slug, (name, mut articles))| {
                articles.sort_by_cached_key(|a| a.title.to_lowercase());
                let path = format!("/topics/{slug}");
                let page = TopicPage {
                    layout: Layout::new(
                        site,
                        assets,
                        &name,
                        &format!("Articles about {name}."),
                        Some(&path),
                    ),
                    cards: articles.iter().map(|a| ArticleCard::of(a)).collect(),
                };
                let link = TopicLink {
                    name,
                    slug,
                    count: articles.len(),
                };
                Ok((path, html(page.render()?), link))
            })
            .collect();
        let mut links = Vec::new();
        for (path, page, link) in topic_pages? {
            add(path, page);
            links.push(link);
        }
        links.sort_by_key(|t| t.name.to_lowercase());
        let topics_page = TopicsPage {
            layout: Layout::new(
                site,
                assets,
                "Topics",
                "Browse articles by topic.",
                Some("/topics"),
            ),
            topics: links,
        };
        add("/topics".into(), html(topics_page.render()?));

        for page in site.pages.values() {
            let path = format!("/pages/{}", page.slug);
            let first_paragraph = page.body.text.split("\n\n").next().unwrap_or_default();
            let view = PlainPage {
                layout: Layout::new(site, assets, &page.title, first_paragraph, Some(&path)),
                body: page.body.html.clone(),
            };
            add(path, html(view.render()?));
        }

        add(
            "/sitemap.xml".into(),
            Prebuilt::new(
                sitemap(site, &public),
                "application/xml; charset=utf-8",
                CACHE_PUBLIC,
            )
            .with_last_modified(newest),
        );
        add(
            "/robots.txt".into(),
            Prebuilt::new(
                format!(
                    "User-agent: *\nAllow: /\nDisallow: /editor/\n\nSitemap: {}/sitemap.xml\n",
                    config.base()
                ),
                "text/plain; charset=utf-8",
                CACHE_PUBLIC,
            ),
        );

        for asset in &assets.all {
            add(
                asset.path.clone(),
                Prebuilt::new(asset.body, asset.content_type, CACHE_IMMUTABLE),
            );
            // The plain name too, for links from outside; it can change, so it is cached briefly.
            add(
                format!("/static/{}", asset.name),
                Prebuilt::new(asset.body, asset.content_type, CACHE_PUBLIC),
            );
        }

        let not_found = ErrorPage {
            layout: Layout::new(site, assets, "Page not found", "Page not found", None),
            heading: "Page not found".into(),
            message:
                "We could not find that page. It may have moved, or the address may be mistyped."
                    .into(),
        };
        let not_found = Prebuilt::new(not_found.render()?, HTML, "public, max-age=60");
        Ok((pages, not_found))
    }

    /// The search index, once built.
    pub fn search(&self) -> Option<&SearchIndex> {
        self.search.get()
    }

    pub fn page(&self, path: &str) -> Option<&Prebuilt> {
        self.pages.get(path)
    }

    /// Compresses every page ahead of requests and drops the uncompressed copies (run in the background
    /// after the server starts).
    pub fn precompress(&self) {
        self.pages.par_iter().for_each(|(_, page)| page.compact());
        self.not_found.compact();
        super::release_free_memory();
    }

    /// Every public URL path with its page, sorted by path.
    pub fn pages(&self) -> Vec<(&str, &Prebuilt)> {
        let mut all: Vec<_> = self.pages.iter().map(|(k, v)| (k.as_str(), v)).collect();
        all.sort_by_key(|(k, _)| *k);
        all
    }

    pub fn error_page(&self, heading: &str, message: &str) -> ErrorPage {
        ErrorPage {
            layout: Layout::new(&self.site, &self.assets, heading, heading, None),
            heading: heading.into(),
            message: message.into(),
        }
    }
}

/// `sitemap.xml`: home, browsing pages, plain pages, and every public wording (not the pages that fall
/// back to another wording, whose canonical URL is that wording's). Drafts never appear.
fn sitemap(site: &Site, public: &[&Article]) -> String {
    let base = site.config.base();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, lastmod: Option<String>| {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(&format!("{base}{path}")));
        xml.push_str("</loc>");
        if let Some(d) = lastmod {
            xml.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        xml.push_str("</url>\n");
    };
    url("/", None);
    url("/articles", None);
    url("/topics", None);
    for page in site.pages.values() {
        url(&format!("/pages/{}", page.slug), None);
    }
    for article in public {
        for wording in &article.wordings {
            url(
                &format!("/articles/{}/{}", article.slug, wording.audience),
                Some(article.updated.iso()),
            );
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The id of a letter's section on the A to Z page: `a`, or `other` for titles not starting with a letter
/// or starting with a letter outside ASCII (ids stay ASCII).
fn letter_anchor(letter: &str) -> String {
    let slug = slugify(letter);
    if slug.is_empty() {
        "other".into()
    } else {
        slug
    }
}
