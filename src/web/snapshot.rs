//! The public site, rendered once per content load: every public URL's response body, ready to write.
//! Handlers only look pages up. A snapshot is immutable; a reload builds a new one and swaps it in.

use super::assets::Assets;
use super::response::{CACHE_IMMUTABLE, CACHE_PUBLIC, Encoding, Prebuilt};
use super::views::{
    ArticleCard, ArticlePage, AudienceChoice, AzPage, ErrorPage, HomePage, Layout, LetterGroup,
    PlainPage, Robots, Sitemap, SitemapUrl, TopicLink, TopicPage, TopicsPage,
};
use crate::content::{Article, Site};
use crate::markdown::slugify;
use crate::search::{self, SearchIndex};
use askama::Template;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
    /// Public pages by URL path; shared with the snapshots before and after it where unchanged.
    pages: HashMap<String, Arc<Prebuilt>>,
    pub not_found: Arc<Prebuilt>,
    /// Filled once built: at once on small sites, in the background on large ones. Shared by the
    /// snapshots of incremental reloads, which update it in place.
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

type Pages = HashMap<String, Arc<Prebuilt>>;

impl Snapshot {
    /// Renders every public page of `site` and indexes them for search. Unless `keep_bodies`, the
    /// wordings' HTML and text are released afterwards (see [`Site::release_bodies`]): the pages hold
    /// what readers get.
    pub fn build(
        mut site: Site,
        assets: Arc<Assets>,
        keep_bodies: bool,
    ) -> Result<Self, BuildError> {
        let pages = render_all(&site, &assets)?;
        let not_found = Arc::new(not_found_page(&site, &assets)?);
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

    /// A full rebuild after `previous`: pages whose bytes did not change are taken from `previous`
    /// (already compressed); the rest are compressed here, before the snapshot is swapped in.
    pub fn rebuild(
        site: Site,
        assets: Arc<Assets>,
        keep_bodies: bool,
        previous: &Snapshot,
    ) -> Result<Self, BuildError> {
        let mut snapshot = Self::build(site, assets, keep_bodies)?;
        reuse_unchanged(&mut snapshot.pages, &previous.pages);
        if previous.not_found.etag_for(Encoding::Identity)
            == snapshot.not_found.etag_for(Encoding::Identity)
        {
            snapshot.not_found = previous.not_found.clone();
        }
        snapshot.compress_new();
        snapshot.not_found.compact();
        Ok(snapshot)
    }

    /// The first stage of an incremental reload: `site` differs from this snapshot's in the articles
    /// `changed` only. Their pages are rendered and compressed; every other page is shared. Listings
    /// still show the previous versions until [`Snapshot::with_listings`].
    pub fn with_articles(
        &self,
        site: Site,
        changed: &BTreeSet<String>,
    ) -> Result<Self, BuildError> {
        let mut pages = self.pages.clone();
        for slug in changed {
            for audience in &site.config.audiences {
                pages.remove(&format!("/articles/{slug}/{}", audience.id));
            }
        }
        let articles: Vec<&Article> = changed
            .iter()
            .filter_map(|s| site.public_article(s))
            .collect();
        for (path, page) in article_pages(&site, &self.assets, &articles)? {
            page.compact();
            pages.insert(path, Arc::new(page));
        }
        Ok(Snapshot {
            site: Arc::new(site),
            assets: self.assets.clone(),
            pages,
            not_found: self.not_found.clone(),
            search: self.search.clone(),
        })
    }

    /// The second stage of an incremental reload: the listings (home, A to Z, the topics index, the
    /// pages of `topics`, the sitemap) rendered again from this snapshot's site and compressed.
    pub fn with_listings(&self, topics: &BTreeSet<String>) -> Result<Self, BuildError> {
        let site = &*self.site;
        let public: Vec<&Article> = site.public_articles().collect();
        let mut pages = self.pages.clone();
        let mut fresh = vec![
            ("/".to_string(), home(site, &self.assets, &public)?),
            (
                "/articles".to_string(),
                a_to_z(site, &self.assets, &public)?,
            ),
            ("/sitemap.xml".to_string(), sitemap_page(site, &public)?),
        ];
        let groups = topic_groups(&public);
        fresh.push((
            "/topics".to_string(),
            topics_index(site, &self.assets, &groups)?,
        ));
        for slug in topics {
            let path = format!("/topics/{slug}");
            match groups.get(slug) {
                Some((name, articles)) => {
                    fresh.push((path, topic_page(site, &self.assets, slug, name, articles)?))
                }
                None => {
                    pages.remove(&path);
                }
            }
        }
        let compressed: Vec<(String, Prebuilt)> = fresh
            .into_par_iter()
            .map(|(path, page)| {
                page.compact();
                (path, page)
            })
            .collect();
        for (path, page) in compressed {
            pages.insert(path, Arc::new(page));
        }
        reuse_unchanged(&mut pages, &self.pages);
        Ok(Snapshot {
            site: self.site.clone(),
            assets: self.assets.clone(),
            pages,
            not_found: self.not_found.clone(),
            search: self.search.clone(),
        })
    }

    /// The last stage of an incremental reload: the search documents of the articles `changed`
    /// replaced by what this snapshot shows. Waits for an index still being built in the background.
    pub fn update_search(&self, changed: &BTreeSet<String>) -> Result<(), BuildError> {
        let site = &*self.site;
        let docs = changed
            .iter()
            .filter_map(|slug| site.public_article(slug))
            .flat_map(|article| search::documents_of(&site.config, article))
            .collect();
        self.search
            .wait()
            .replace(changed, docs)
            .map_err(|e| BuildError(format!("the search index failed to update: {e}")))
    }

    /// The search index, once built.
    pub fn search(&self) -> Option<&SearchIndex> {
        self.search.get()
    }

    /// Waits for the search index (built in the background on large sites).
    pub fn wait_for_search(&self) -> &SearchIndex {
        self.search.wait()
    }

    pub fn page(&self, path: &str) -> Option<&Prebuilt> {
        self.pages.get(path).map(|p| &**p)
    }

    /// Whether `path` serves the very same prebuilt page (not a copy) in both snapshots.
    pub fn shares_page(&self, other: &Snapshot, path: &str) -> bool {
        match (self.pages.get(path), other.pages.get(path)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Compresses every page ahead of requests and drops the uncompressed copies (run in the background
    /// after the server starts).
    pub fn precompress(&self) {
        self.compress_new();
        self.not_found.compact();
        super::release_free_memory();
    }

    /// Compresses the pages that still hold an uncompressed copy.
    fn compress_new(&self) {
        self.pages
            .par_iter()
            .filter(|(_, page)| !page.is_compact())
            .for_each(|(_, page)| page.compact());
    }

    /// Whether every compressible page has dropped its uncompressed copy.
    pub fn is_compact(&self) -> bool {
        self.pages.values().all(|page| page.is_compact()) && self.not_found.is_compact()
    }

    /// Every public URL path with its page, sorted by path.
    pub fn pages(&self) -> Vec<(&str, &Prebuilt)> {
        let mut all: Vec<_> = self.pages.iter().map(|(k, v)| (k.as_str(), &**v)).collect();
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

/// Puts back, for every page of `pages` whose bytes equal those of the same path in `previous`, the
/// previous page itself, with its compressed copies.
fn reuse_unchanged(pages: &mut Pages, previous: &Pages) {
    for (path, page) in pages.iter_mut() {
        if let Some(old) = previous.get(path)
            && !Arc::ptr_eq(old, page)
            && old.etag_for(Encoding::Identity) == page.etag_for(Encoding::Identity)
            && old.content_type() == page.content_type()
        {
            *page = old.clone();
        }
    }
}

/// The topics of an article version, as the slugs of their pages.
pub fn topic_slugs(article: &Article) -> impl Iterator<Item = String> + '_ {
    article.topics.iter().map(|name| slugify(name))
}

/// Every public page of `site`, one stage per kind of output.
fn render_all(site: &Site, assets: &Assets) -> Result<Pages, BuildError> {
    let public: Vec<&Article> = site.public_articles().collect();
    let mut pages: Vec<(String, Prebuilt)> = vec![
        ("/".into(), home(site, assets, &public)?),
        ("/articles".into(), a_to_z(site, assets, &public)?),
    ];
    pages.extend(article_pages(site, assets, &public)?);
    let groups = topic_groups(&public);
    pages.push(("/topics".into(), topics_index(site, assets, &groups)?));
    let topic_pages: Result<Vec<(String, Prebuilt)>, BuildError> = groups
        .par_iter()
        .map(|(slug, (name, articles))| {
            Ok((
                format!("/topics/{slug}"),
                topic_page(site, assets, slug, name, articles)?,
            ))
        })
        .collect();
    pages.extend(topic_pages?);
    pages.extend(plain_pages(site, assets)?);
    pages.push(("/sitemap.xml".into(), sitemap_page(site, &public)?));
    pages.push(("/robots.txt".into(), robots(site)?));
    pages.extend(asset_pages(assets));
    Ok(pages
        .into_iter()
        .map(|(path, page)| (path, Arc::new(page)))
        .collect())
}

fn newest(public: &[&Article]) -> Option<std::time::SystemTime> {
    public
        .iter()
        .map(|a| a.updated)
        .max()
        .map(|d| d.to_system_time())
}

/// Home: every article on a small site; the most recently updated on a large one.
fn home(site: &Site, assets: &Assets, public: &[&Article]) -> Result<Prebuilt, BuildError> {
    let config = &site.config;
    let mut recent = public.to_vec();
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
    Ok(html(home.render()?).with_last_modified(newest(public)))
}

/// Every (article, audience) page of `articles`, rendered on every core.
fn article_pages(
    site: &Site,
    assets: &Assets,
    articles: &[&Article],
) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let config = &site.config;
    let rendered: Result<Vec<Vec<(String, Prebuilt)>>, askama::Error> = articles
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
    Ok(rendered?.into_iter().flatten().collect())
}

/// A to Z: every public article under the first letter of its title.
fn a_to_z(site: &Site, assets: &Assets, public: &[&Article]) -> Result<Prebuilt, BuildError> {
    let mut groups: Vec<LetterGroup> = Vec::new();
    let mut sorted = public.to_vec();
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
    Ok(html(az.render()?).with_last_modified(newest(public)))
}

/// Topic slug -> (name, its public articles sorted by title).
type TopicGroups<'a> = BTreeMap<String, (String, Vec<&'a Article>)>;

fn topic_groups<'a>(public: &[&'a Article]) -> TopicGroups<'a> {
    let mut topics: TopicGroups<'a> = BTreeMap::new();
    for article in public {
        for name in &article.topics {
            topics
                .entry(slugify(name))
                .or_insert_with(|| (name.clone(), Vec::new()))
                .1
                .push(article);
        }
    }
    for (_, articles) in topics.values_mut() {
        articles.sort_by_cached_key(|a| a.title.to_lowercase());
    }
    topics
}

/// The page of one topic.
fn topic_page(
    site: &Site,
    assets: &Assets,
    slug: &str,
    name: &str,
    articles: &[&Article],
) -> Result<Prebuilt, BuildError> {
    let path = format!("/topics/{slug}");
    let page = TopicPage {
        layout: Layout::new(
            site,
            assets,
            name,
            &format!("Articles about {name}."),
            Some(&path),
        ),
        cards: articles.iter().map(|a| ArticleCard::of(a)).collect(),
    };
    Ok(html(page.render()?))
}

/// `/topics`: every topic with its number of articles.
fn topics_index(
    site: &Site,
    assets: &Assets,
    groups: &TopicGroups<'_>,
) -> Result<Prebuilt, BuildError> {
    let mut links: Vec<TopicLink> = groups
        .iter()
        .map(|(slug, (name, articles))| TopicLink {
            name: name.clone(),
            slug: slug.clone(),
            count: articles.len(),
        })
        .collect();
    links.sort_by_key(|t| t.name.to_lowercase());
    let page = TopicsPage {
        layout: Layout::new(
            site,
            assets,
            "Topics",
            "Browse articles by topic.",
            Some("/topics"),
        ),
        topics: links,
    };
    Ok(html(page.render()?))
}

/// The plain pages, such as the editorial policy.
fn plain_pages(site: &Site, assets: &Assets) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    site.pages
        .values()
        .map(|page| {
            let path = format!("/pages/{}", page.slug);
            let first_paragraph = page.body.text.split("\n\n").next().unwrap_or_default();
            let view = PlainPage {
                layout: Layout::new(site, assets, &page.title, first_paragraph, Some(&path)),
                body: page.body.html.clone(),
            };
            Ok((path, html(view.render()?)))
        })
        .collect()
}

fn sitemap_page(site: &Site, public: &[&Article]) -> Result<Prebuilt, BuildError> {
    Ok(Prebuilt::new(
        sitemap(site, public)?,
        "application/xml; charset=utf-8",
        CACHE_PUBLIC,
    )
    .with_last_modified(newest(public)))
}

fn robots(site: &Site) -> Result<Prebuilt, BuildError> {
    let robots = Robots {
        base: site.config.base().to_string(),
    };
    Ok(Prebuilt::new(
        robots.render()?,
        "text/plain; charset=utf-8",
        CACHE_PUBLIC,
    ))
}

/// The stylesheet, icon and scripts, under their fingerprinted names and their plain names.
fn asset_pages(assets: &Assets) -> Vec<(String, Prebuilt)> {
    let mut pages = Vec::new();
    for asset in &assets.all {
        pages.push((
            asset.path.clone(),
            Prebuilt::new(asset.body, asset.content_type, CACHE_IMMUTABLE),
        ));
        // The plain name too, for links from outside; it can change, so it is cached briefly.
        pages.push((
            format!("/static/{}", asset.name),
            Prebuilt::new(asset.body, asset.content_type, CACHE_PUBLIC),
        ));
    }
    pages
}

fn not_found_page(site: &Site, assets: &Assets) -> Result<Prebuilt, BuildError> {
    let not_found = ErrorPage {
        layout: Layout::new(site, assets, "Page not found", "Page not found", None),
        heading: "Page not found".into(),
        message: "We could not find that page. It may have moved, or the address may be mistyped."
            .into(),
    };
    Ok(Prebuilt::new(
        not_found.render()?,
        HTML,
        "public, max-age=60",
    ))
}

/// `sitemap.xml`: home, browsing pages, plain pages, and every public wording (not the pages that fall
/// back to another wording, whose canonical URL is that wording's). Drafts never appear.
fn sitemap(site: &Site, public: &[&Article]) -> Result<String, askama::Error> {
    let base = site.config.base();
    let url = |path: &str, lastmod: Option<String>| SitemapUrl {
        loc: format!("{base}{path}"),
        lastmod,
    };
    let mut urls = vec![url("/", None), url("/articles", None), url("/topics", None)];
    for page in site.pages.values() {
        urls.push(url(&format!("/pages/{}", page.slug), None));
    }
    for article in public {
        for wording in &article.wordings {
            urls.push(url(
                &format!("/articles/{}/{}", article.slug, wording.audience),
                Some(article.updated.iso()),
            ));
        }
    }
    Sitemap { urls }.render()
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
