//! The public site, rendered once per content load: every public URL's response body, ready to write.
//! Handlers only look pages up. A snapshot is immutable; a reload builds a new one and swaps it in.

use super::assets::Assets;
use super::page::{Encoding, Prebuilt};
use super::stages::{
    a_to_z, article_pages, changes_feed, homes, not_found_page, render_all, render_listings,
    review_board, sitemap_pages, topic_groups, topic_page, topics_index,
};
use super::views::{ErrorPage, Layout};
use crate::content::{Article, Site};
use crate::search::{self, SearchIndex};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

pub struct Snapshot {
    /// The content this snapshot was built from, drafts included: for editor tools, never rendered publicly.
    pub site: Arc<Site>,
    pub assets: Arc<Assets>,
    /// Public pages by URL path; shared with the snapshots before and after it where unchanged.
    pages: Pages,
    pub not_found: Arc<Prebuilt>,
    /// Filled once built: at once on small sites, in the background on large ones. Shared by the
    /// snapshots of incremental reloads, which update it in place.
    search: Arc<OnceLock<SearchIndex>>,
    /// Approved public articles by their clinical codes, for knowledge requests.
    pub codes: Arc<crate::infobutton::CodeIndex>,
}

/// Up to this many pages are indexed for search before serving starts; larger sites serve at once
/// and search becomes available when its index is built in the background.
const SEARCH_INDEX_IN_FOREGROUND: usize = 2_000;

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

/// Public pages by URL path. The paths are shared (`Arc<str>`) so that a reload's copy of the map
/// (made for every stage of an incremental reload) allocates its table only, not every path again.
pub type Pages = HashMap<Arc<str>, Arc<Prebuilt>>;

impl Snapshot {
    /// Renders every public page of `site` and indexes them for search. Unless `keep_bodies`, the
    /// wordings' HTML and text are released afterwards (see [`Site::release_bodies`]): the pages hold
    /// what readers get.
    pub fn build(
        mut site: Site,
        assets: Arc<Assets>,
        keep_bodies: bool,
    ) -> Result<Self, BuildError> {
        let (pages, docs) = if keep_bodies {
            let pages = render_all(&site, &assets)?;
            (pages, search::documents(&mut site, false))
        } else {
            render_releasing_bodies(&mut site, &assets)?
        };
        let not_found = Arc::new(not_found_page(&site, &assets)?);
        let synonyms = site.synonyms.clone();
        let languages: Vec<(String, Vec<Vec<String>>)> = site
            .config
            .languages
            .iter()
            .skip(1)
            .map(|l| (l.id.clone(), site.synonyms_in(&l.id).to_vec()))
            .collect();
        let audiences: Vec<String> = site.config.audiences.iter().map(|a| a.id.clone()).collect();
        let search = Arc::new(OnceLock::new());
        if docs.len() <= SEARCH_INDEX_IN_FOREGROUND {
            let index = SearchIndex::build_languages(docs, &audiences, &synonyms, &languages)
                .map_err(|e| BuildError(format!("the search index failed to build: {e}")))?;
            let _ = search.set(index);
        } else {
            let slot = Arc::clone(&search);
            let spawned = std::thread::Builder::new()
                .name("search-index".into())
                .spawn(move || {
                    let started = std::time::Instant::now();
                    // A large site's index lives in files the operating system pages in.
                    match SearchIndex::build_stored(
                        docs,
                        &audiences,
                        &synonyms,
                        &languages,
                        search::Storage::Files,
                    ) {
                        Ok(index) => {
                            let _ = slot.set(index);
                            // Not kept past here: the index goes when the last snapshot does.
                            drop(slot);
                            crate::memory::release_free_memory();
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
        let codes = Arc::new(crate::infobutton::CodeIndex::build(&site));
        Ok(Snapshot {
            site: Arc::new(site),
            assets,
            pages,
            not_found,
            search,
            codes,
        })
    }

    /// A full rebuild after `previous`: pages whose bytes did not change are taken from `previous`
    /// (already compressed); the rest are compressed here, before the snapshot is swapped in. The
    /// articles `kept` are last good versions carried over from `previous` (their files no longer
    /// load): their pages are `previous`'s, since their bodies may have been released.
    pub fn rebuild(
        site: Site,
        assets: Arc<Assets>,
        keep_bodies: bool,
        previous: &Snapshot,
        kept: &BTreeSet<String>,
    ) -> Result<Self, BuildError> {
        let mut snapshot = Self::build(site, assets, keep_bodies)?;
        for slug in kept {
            for path in article_page_paths(&snapshot.site, slug) {
                if let Some(page) = previous.pages.get(path.as_str()) {
                    snapshot.pages.insert(path.into(), page.clone());
                }
            }
        }
        reuse_unchanged(&mut snapshot.pages, &previous.pages);
        if same_bytes(&previous.not_found, &snapshot.not_found) {
            snapshot.not_found = previous.not_found.clone();
        }
        snapshot.compress_new();
        snapshot.not_found.compact();
        Ok(snapshot)
    }

    /// The first stage of an incremental reload: `site` differs from this snapshot's in the articles
    /// `changed` only. Their pages are rendered and compressed; every other page is shared. Listings
    /// still show the previous versions until [`Snapshot::with_home_and_a_to_z`] and
    /// [`Snapshot::other_listings`]. Returns, with the snapshot,
    /// the search documents of the changed articles (for [`Snapshot::update_search`]), taken before
    /// their bodies are released (unless `keep_bodies`).
    pub fn with_articles(
        &self,
        mut site: Site,
        changed: &BTreeSet<String>,
        keep_bodies: bool,
    ) -> Result<(Self, Vec<search::IndexDoc>), BuildError> {
        let articles: Vec<&Article> = changed
            .iter()
            .filter_map(|s| site.public_article(s))
            .collect();
        let fresh = article_pages(&site, &self.assets, &articles)?;
        let docs = articles
            .iter()
            .flat_map(|article| search::documents_of(&site.config, article))
            .collect();
        let mut pages = self.pages.clone();
        // Pages of the changed articles that are no longer rendered (a draft, a deleted article) go.
        for slug in changed {
            for path in article_page_paths(&site, slug) {
                if !fresh.iter().any(|(p, _)| *p == path) {
                    pages.remove(path.as_str());
                }
            }
        }
        insert_fresh(&mut pages, fresh);
        if !keep_bodies {
            site.release_bodies_of(changed);
        }
        let snapshot = Snapshot {
            site: Arc::new(site),
            assets: self.assets.clone(),
            pages,
            not_found: self.not_found.clone(),
            search: self.search.clone(),
            codes: self.codes.clone(),
        };
        Ok((snapshot, docs))
    }

    /// The listings readers browse first, home and the A to Z, made again (on a large site, where
    /// the other listings take seconds, these are published first). `letters` are the A to Z
    /// letters (ids) whose articles changed: on a split A to Z only their pages are made again.
    pub fn with_home_and_a_to_z(&self, letters: &BTreeSet<String>) -> Result<Self, BuildError> {
        let site = &*self.site;
        let public: Vec<&Article> = site.public_articles().collect();
        let mut pages = self.pages.clone();
        let mut fresh = homes(site, &self.assets, &public)?;
        // Splitting or joining the A to Z changes every letter's page.
        let was_split = pages.keys().any(|p| p.starts_with("/a-z/"));
        let split = crate::render::stages::az_is_split(&public);
        if was_split && !split {
            pages.retain(|path, _| !path.starts_with("/a-z/"));
        }
        // The other languages' letter pages are made whole (their titles have letters of their own).
        for lang in site.config.languages.iter().skip(1) {
            let letters = format!("{}/a-z/", site.config.prefix(&lang.id));
            pages.retain(|path, _| !path.starts_with(&letters));
        }
        let az = a_to_z(
            site,
            &self.assets,
            &public,
            (was_split == split).then_some(letters),
        )?;
        if split {
            for anchor in letters {
                let path = crate::render::stages::az_letter_path(anchor);
                if !az.iter().any(|(p, _)| *p == path) {
                    pages.remove(path.as_str());
                }
            }
        }
        fresh.extend(az);
        insert_fresh(&mut pages, fresh);
        Ok(self.with_pages(pages, self.codes.clone()))
    }

    /// The other listings of this snapshot's site (the topics index and the pages of `topics`, the
    /// sitemap, the change feed, the review board, and the index of clinical codes), the
    /// pages whose bytes changed already compressed: made without changing any snapshot, so a live
    /// server can make them while the next edit's pages are being made, and put them into whichever
    /// snapshot is live by then ([`Snapshot::with_other`]).
    pub fn other_listings(&self, topics: &BTreeSet<String>) -> Result<OtherListings, BuildError> {
        let site = &*self.site;
        let public: Vec<&Article> = site.public_articles().collect();
        let mut fresh = Vec::new();
        let mut gone = Vec::new();
        fresh.extend(sitemap_pages(site, &public)?);
        fresh.extend([
            ("/changes.atom".to_string(), changes_feed(site, &public)?),
            (
                "/reviewers".to_string(),
                review_board(site, &self.assets, &public)?,
            ),
        ]);
        let groups = topic_groups(&public);
        fresh.extend(topics_index(site, &self.assets, &groups)?);
        for slug in topics {
            match groups.get(slug) {
                Some((name, articles)) => {
                    fresh.extend(topic_page(site, &self.assets, slug, name, articles)?)
                }
                None => {
                    for lang in &site.config.languages {
                        gone.push(format!("{}/topics/{slug}", site.config.prefix(&lang.id)));
                    }
                }
            }
        }
        // The sitemap's parts are made again whole: a part may be gone, or new.
        gone.extend(
            self.pages
                .keys()
                .filter(|path| path.starts_with("/sitemaps/"))
                .filter(|path| !fresh.iter().any(|(p, _)| p.as_str() == &***path))
                .map(|path| path.to_string()),
        );
        Ok(OtherListings {
            fresh: compressed_changes(&self.pages, fresh),
            gone,
            codes: Arc::new(crate::infobutton::CodeIndex::build(site)),
        })
    }

    /// This snapshot with `listings` in place of its own (see [`Snapshot::other_listings`]).
    pub fn with_other(&self, listings: OtherListings) -> Self {
        let mut pages = self.pages.clone();
        for path in &listings.gone {
            pages.remove(path.as_str());
        }
        for (path, page) in listings.fresh {
            pages.insert(path.into(), Arc::new(page));
        }
        self.with_pages(pages, listings.codes)
    }

    /// This snapshot with `pages` and `codes` in place of its own.
    fn with_pages(&self, pages: Pages, codes: Arc<crate::infobutton::CodeIndex>) -> Self {
        Snapshot {
            site: self.site.clone(),
            assets: self.assets.clone(),
            pages,
            not_found: self.not_found.clone(),
            search: self.search.clone(),
            codes,
        }
    }

    /// The last stage of an incremental reload: the search documents of the articles `changed`
    /// replaced by `docs` (from [`Snapshot::with_articles`]). Waits for an index still being built
    /// in the background.
    pub fn update_search(
        &self,
        changed: &BTreeSet<String>,
        docs: Vec<search::IndexDoc>,
    ) -> Result<(), BuildError> {
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
    /// after the server starts). Uses all cores but one, so readers and reloads keep one.
    pub fn precompress(&self) {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .saturating_sub(1)
            .max(1);
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| self.compress_new()),
            Err(_) => self.compress_new(),
        }
        self.not_found.compact();
        crate::memory::release_free_memory();
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

    /// How many prebuilt pages the snapshot holds, and their bytes ([`Prebuilt::held_bytes`]).
    pub fn page_totals(&self) -> (usize, usize) {
        let bytes = self.pages.values().map(|p| p.held_bytes()).sum::<usize>()
            + self.not_found.held_bytes();
        (self.pages.len(), bytes)
    }

    /// Every public URL path with its page, sorted by path.
    pub fn pages(&self) -> Vec<(&str, &Prebuilt)> {
        let mut all: Vec<_> = self.pages.iter().map(|(k, v)| (&**k, &**v)).collect();
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

    /// [`Self::error_page`] in `lang`: its links and words in that language.
    pub fn error_page_in(&self, lang: &str, heading: &str, message: &str) -> ErrorPage {
        let layout = Layout::new(&self.site, &self.assets, heading, heading, None)
            .in_language(&self.site, lang, "/")
            .unlisted();
        ErrorPage {
            layout,
            heading: heading.into(),
            message: message.into(),
        }
    }
}

/// Listings made for a snapshot by [`Snapshot::other_listings`]: the pages whose bytes changed
/// (compressed), the paths no longer served, and the index of clinical codes.
pub struct OtherListings {
    fresh: Vec<(String, Prebuilt)>,
    gone: Vec<String>,
    codes: Arc<crate::infobutton::CodeIndex>,
}

/// Articles rendered, indexed and released together by [`render_releasing_bodies`].
const ARTICLES_PER_BATCH: usize = 1_000;

/// Every public page of `site` and the search documents of its articles, releasing each article's
/// bodies once its pages and documents are made: a batch of [`ARTICLES_PER_BATCH`] articles at a
/// time, so the bodies of all articles and the pages of all articles are never held at once (at
/// 100,000 articles, gigabytes each), and each batch's pages reuse the memory the last batch freed.
fn render_releasing_bodies(
    site: &mut Site,
    assets: &Assets,
) -> Result<(Pages, Vec<search::IndexDoc>), BuildError> {
    let mut pages = render_listings(site, assets)?;
    let slugs: Vec<String> = site.public_articles().map(|a| a.slug.clone()).collect();
    let mut docs = Vec::new();
    for batch in slugs.chunks(ARTICLES_PER_BATCH) {
        let articles: Vec<&Article> = batch
            .iter()
            .filter_map(|s| site.public_article(s))
            .collect();
        let fresh = article_pages(site, assets, &articles)?;
        pages.extend(
            fresh
                .into_iter()
                .map(|(path, page)| (Arc::from(path), Arc::new(page))),
        );
        docs.extend(search::documents_of_slugs(site, batch, true));
        site.release_bodies_of(batch);
    }
    Ok((pages, docs))
}

/// The paths of `slug`'s article pages: one per language and audience.
fn article_page_paths(site: &Site, slug: &str) -> Vec<String> {
    let config = &site.config;
    config
        .languages
        .iter()
        .flat_map(|lang| {
            let prefix = config.prefix(&lang.id);
            config
                .audiences
                .iter()
                .map(move |audience| format!("{prefix}/articles/{slug}/{}", audience.id))
        })
        .collect()
}

/// Puts freshly rendered pages into `pages`: where a path already holds a page with the same bytes,
/// that page stays (with its compressed copies); the others are compressed here, each on its own
/// thread without waiting for the shared thread pool (which may be busy compressing a whole site in
/// the background), and then swapped in.
fn insert_fresh(pages: &mut Pages, fresh: Vec<(String, Prebuilt)>) {
    for (path, page) in compressed_changes(pages, fresh) {
        pages.insert(path.into(), Arc::new(page));
    }
}

/// The pages of `fresh` whose bytes differ from those at the same path in `pages`, compressed.
fn compressed_changes(pages: &Pages, fresh: Vec<(String, Prebuilt)>) -> Vec<(String, Prebuilt)> {
    let changed: Vec<(String, Prebuilt)> = fresh
        .into_iter()
        .filter(|(path, page)| {
            !pages
                .get(path.as_str())
                .is_some_and(|old| same_bytes(old, page))
        })
        .collect();
    std::thread::scope(|scope| {
        for (_, page) in &changed {
            scope.spawn(|| page.compact());
        }
    });
    changed
}

/// Puts back, for every page of `pages` whose bytes equal those of the same path in `previous`, the
/// previous page itself, with its compressed copies.
fn reuse_unchanged(pages: &mut Pages, previous: &Pages) {
    for (path, page) in pages.iter_mut() {
        if let Some(old) = previous.get(path)
            && !Arc::ptr_eq(old, page)
            && same_bytes(old, page)
        {
            *page = old.clone();
        }
    }
}

/// Whether two pages send the same bytes the same way (same body hash and content type).
fn same_bytes(a: &Prebuilt, b: &Prebuilt) -> bool {
    a.etag_header(Encoding::Identity) == b.etag_header(Encoding::Identity)
        && a.content_type() == b.content_type()
}
