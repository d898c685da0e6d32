//! What every worker shares: the live site, i.e. the current snapshot (swapped atomically on reload)
//! and its reloads, and the search runner. The editor area keeps its own state
//! ([`super::editor::EditorState`]).

use super::Snapshot;
use crate::content::{ArticleReload, Diagnostic, LoadError, LoadOptions, Site, load_site_with};
use crate::render::BuildError;
use crate::render::assets::Assets;
use arc_swap::ArcSwap;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::broadcast;

/// How the state is set up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep each wording's HTML and text after the pages are built: the editor area reads them;
    /// dropped otherwise to save memory (reloads render the articles they load and keep the pages
    /// of the rest).
    pub keep_bodies: bool,
    /// Measure reading levels while loading (the editor area shows them; readers' pages do not).
    pub readability: bool,
}

pub struct AppState {
    current: ArcSwap<Snapshot>,
    content: PathBuf,
    /// `content` as the watcher may report it (symbolic links and `..` resolved), found once.
    canonical_content: PathBuf,
    assets: Arc<Assets>,
    keep_bodies: bool,
    readability: bool,
    /// Problems that stopped the last reload as a whole (e.g. a broken `site.toml`); the previous
    /// snapshot stays live meanwhile.
    reload_problems: Mutex<Vec<Diagnostic>>,
    /// Told of every successful reload (the live-reload stream listens).
    reloads: broadcast::Sender<u64>,
    /// One reload at a time: each starts from the snapshot the one before it left. Holds the stamp
    /// ([`crate::content::approval::article_stamp`]) of each article as its last reload read it, so
    /// a second reload of the same files (an approval in the editor area reloads the article, then
    /// the watcher sees the files it wrote) does nothing.
    reloading: Mutex<BTreeMap<String, String>>,
    /// Search updates waiting for an index still being built, and how many are queued.
    search_updates: Mutex<Option<SearchUpdates>>,
    /// How many full reloads have been published: listings made before the last one are stale.
    full_reloads: std::sync::atomic::AtomicU64,
    /// Runs searches off the async workers, a few at a time, within a time budget.
    pub searches: SearchRunner,
}

impl AppState {
    /// Loads the content folder with default options (no editor area, bodies released).
    pub fn load(content: &Path) -> Result<Self, SiteError> {
        Self::open(content, Options::default())
    }

    /// Loads the content folder and renders its pages for the static export (`healthpress build`):
    /// no form or box that needs a server (see [`crate::content::SiteConfig::static_export`]).
    pub fn load_for_export(content: &Path) -> Result<Self, SiteError> {
        Self::open_with(content, Options::default(), true)
    }

    /// Loads the content folder and renders the first snapshot, logging every content problem.
    pub fn open(content: &Path, options: Options) -> Result<Self, SiteError> {
        Self::open_with(content, options, false)
    }

    fn open_with(content: &Path, options: Options, static_export: bool) -> Result<Self, SiteError> {
        let started = Instant::now();
        let assets = Arc::new(Assets::load());
        let load = LoadOptions {
            readability: options.readability,
        };
        let mut site = load_site_with(content, load).map_err(SiteError::Content)?;
        site.config.static_export = static_export;
        log_problems(&site.diagnostics);
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "loaded {} article(s) from {} ({} public)",
            site.articles.len(),
            content.display(),
            site.public_articles().count()
        );
        let started = Instant::now();
        let snapshot = Snapshot::build(site, assets.clone(), options.keep_bodies)?;
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "rendered the public pages"
        );
        Ok(AppState {
            current: ArcSwap::from_pointee(snapshot),
            content: content.to_path_buf(),
            canonical_content: std::fs::canonicalize(content)
                .unwrap_or_else(|_| content.to_path_buf()),
            assets,
            keep_bodies: options.keep_bodies,
            readability: options.readability,
            reload_problems: Mutex::new(Vec::new()),
            reloads: broadcast::channel(16).0,
            reloading: Mutex::new(BTreeMap::new()),
            search_updates: Mutex::new(None),
            full_reloads: std::sync::atomic::AtomicU64::new(0),
            searches: SearchRunner::default(),
        })
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    pub fn content_dir(&self) -> &Path {
        &self.content
    }

    pub fn reload_problems(&self) -> Vec<Diagnostic> {
        self.reload_problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<u64> {
        self.reloads.subscribe()
    }

    /// Reloads the content folder and swaps the new snapshot in. An article that no longer loads keeps
    /// its last good version (with its errors still reported); if the site as a whole no longer loads,
    /// the current snapshot stays and the problems are kept for the editor dashboard.
    pub fn reload(&self) -> Result<(), SiteError> {
        let mut stamps = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        // Everything is read again: no article's earlier stamp stands for what is loaded now.
        stamps.clear();
        let started = Instant::now();
        let previous = self.snapshot();
        let mut site = match load_site_with(&self.content, self.load_options()) {
            Ok(site) => site,
            Err(e) => {
                crate::metrics::metrics().reload_failures.inc();
                log_problems(&e.diagnostics);
                *self
                    .reload_problems
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = e.diagnostics.clone();
                return Err(SiteError::Reload(e));
            }
        };
        let kept = keep_last_good(&mut site, &previous.site);
        log_problems(&site.diagnostics);
        let snapshot = Snapshot::rebuild(
            site,
            self.assets.clone(),
            self.keep_bodies,
            &previous,
            &kept,
        )?;
        // Counted before it is live: a follow-up that still sees the old count saw the old snapshot.
        self.full_reloads
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.publish(snapshot);
        drop(previous);
        crate::memory::release_free_memory();
        let metrics = crate::metrics::metrics();
        metrics.reloads.with_label_values(&["full"]).inc();
        metrics
            .reload_seconds
            .observe(started.elapsed().as_secs_f64());
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "content reloaded"
        );
        Ok(())
    }

    /// Reloads after the files `changed` changed: only the articles they belong to when that is all
    /// they touch (a few articles' folders), else everything.
    pub fn reload_changed(&self, changed: &[PathBuf]) -> Result<(), SiteError> {
        match self.reload_changed_first(changed)? {
            Some(rest) => self.follow_up(rest),
            None => Ok(()),
        }
    }

    /// [`AppState::reload_changed`] up to the point where the changed articles' pages, home and
    /// the A to Z are live; what is left (see [`Followup`]) is for [`AppState::follow_up`], which a
    /// live server runs on another thread, so the next edit need not wait for it.
    pub fn reload_changed_first(&self, changed: &[PathBuf]) -> Result<Option<Followup>, SiteError> {
        match self.changed_articles(changed) {
            Some(slugs) if !slugs.is_empty() => self.reload_articles_first(&slugs),
            Some(_) => Ok(None),
            None => self.reload().map(|()| None),
        }
    }

    /// The slugs of the article folders `paths` lie in; `None` when any lies elsewhere (the site's
    /// configuration, reviewers, plain pages) or too many articles changed at once to be worth it.
    fn changed_articles(&self, paths: &[PathBuf]) -> Option<BTreeSet<String>> {
        const MOST_ARTICLES: usize = 50;
        // An article is its working files and its approved copy (with the approval record).
        let approved = crate::content::approval::APPROVED_DIR;
        let roots = [
            self.content.join("articles"),
            self.canonical_content.join("articles"),
            self.content.join(approved),
            self.canonical_content.join(approved),
        ];
        let mut slugs = BTreeSet::new();
        for path in paths {
            let rest = roots.iter().find_map(|root| path.strip_prefix(root).ok())?;
            let slug = rest.components().next()?.as_os_str().to_str()?;
            if slug.starts_with('.') {
                // Hidden entries are not content.
                continue;
            }
            if !crate::content::is_slug(slug) {
                return None;
            }
            slugs.insert(slug.to_string());
        }
        (slugs.len() <= MOST_ARTICLES).then_some(slugs)
    }

    /// Reloads the articles `slugs` only: their pages are rendered, compressed and swapped in first,
    /// then the listings that show them (home, A to Z, topics, sitemap) and their search documents.
    /// Every other page is shared with the previous snapshot. An article that no longer loads keeps
    /// its last good version, as in [`AppState::reload`].
    pub fn reload_articles(&self, slugs: &BTreeSet<String>) -> Result<(), SiteError> {
        match self.reload_articles_first(slugs)? {
            Some(rest) => self.follow_up(rest),
            None => Ok(()),
        }
    }

    /// [`AppState::reload_articles`] up to the point where the articles' pages, home and the A to Z
    /// are live; `None` when none of them changed since its last reload.
    pub fn reload_articles_first(
        &self,
        slugs: &BTreeSet<String>,
    ) -> Result<Option<Followup>, SiteError> {
        let mut stamps = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        let fresh: Vec<(String, String)> = slugs
            .iter()
            .map(|slug| {
                let stamp = crate::content::approval::article_stamp(&self.content, slug);
                (slug.clone(), stamp)
            })
            .filter(|(slug, stamp)| stamps.get(slug) != Some(stamp))
            .collect();
        if fresh.is_empty() {
            return Ok(None);
        }
        let slugs: BTreeSet<String> = fresh.iter().map(|(slug, _)| slug.clone()).collect();
        let slugs = &slugs;
        let previous = self.snapshot();
        let mut site = (*previous.site).clone();
        let articles_dir = site.root.join("articles");
        let approved_dir = site.root.join(crate::content::approval::APPROVED_DIR);
        let dirs: Vec<PathBuf> = slugs
            .iter()
            .flat_map(|slug| [articles_dir.join(slug), approved_dir.join(slug)])
            .collect();
        site.diagnostics
            .retain(|d| !dirs.iter().any(|dir| lies_in(&d.path, dir)));
        // The problems of the reloaded articles, logged and then kept with the rest.
        let mut problems_now = Vec::new();
        let mut topics = BTreeSet::new();
        let mut letters = BTreeSet::new();
        // Articles whose files no longer load keep their last good version: its pages and search
        // documents stay as they are; the others are rendered again.
        let mut rendered = slugs.clone();
        for slug in slugs {
            let old = site.articles.get(slug).cloned();
            if let Some(old) = &old {
                topics.extend(crate::render::stages::topic_slugs(old));
                letters.insert(crate::render::stages::az_letter(old).1);
            }
            match crate::content::reload_article(&site, slug, self.load_options()) {
                ArticleReload::Loaded(folder, problems) => {
                    problems_now.extend(problems);
                    let folder = *folder;
                    match folder.public {
                        Some(article) => {
                            topics.extend(crate::render::stages::topic_slugs(&article));
                            letters.insert(crate::render::stages::az_letter(&article).1);
                            site.articles.insert(slug.clone(), Arc::new(article));
                        }
                        None => {
                            site.articles.remove(slug);
                        }
                    }
                    match folder.working {
                        Some(article) => {
                            site.working.insert(slug.clone(), Arc::new(article));
                        }
                        None => {
                            site.working.remove(slug);
                        }
                    }
                    match folder.record {
                        Some(record) => {
                            site.records.insert(slug.clone(), record);
                        }
                        None => {
                            site.records.remove(slug);
                        }
                    }
                }
                ArticleReload::Removed => {
                    site.articles.remove(slug);
                    site.working.remove(slug);
                    site.records.remove(slug);
                }
                ArticleReload::Failed(problems) => {
                    problems_now.extend(problems);
                    if old.is_none() {
                        site.articles.remove(slug);
                    } else {
                        problems_now.push(last_good_warning(&articles_dir.join(slug), slug));
                        rendered.remove(slug);
                    }
                }
            }
        }
        log_problems(&problems_now);
        site.diagnostics
            .extend(problems_now.into_iter().map(Arc::new));
        let (pages, docs) = previous.with_articles(site, &rendered, self.keep_bodies)?;
        let pages = Arc::new(pages);
        self.publish_arc(pages.clone());
        let pages_ms = started.elapsed().as_millis() as u64;
        // Home and the A to Z first: on a large site the other listings take seconds.
        let browsing = pages.with_home_and_a_to_z(&letters)?;
        self.current.store(Arc::new(browsing));
        let a_to_z_ms = started.elapsed().as_millis() as u64;
        drop(pages);
        drop(previous);
        let metrics = crate::metrics::metrics();
        metrics.reloads.with_label_values(&["articles"]).inc();
        metrics
            .reload_seconds
            .observe(started.elapsed().as_secs_f64());
        tracing::info!(pages_ms, a_to_z_ms, "reloaded {} article(s)", slugs.len());
        stamps.extend(fresh);
        Ok(Some(Followup {
            topics,
            slugs: rendered,
            docs,
            full_reloads: self.full_reloads.load(std::sync::atomic::Ordering::SeqCst),
        }))
    }

    /// Finishes an article reload (see [`AppState::reload_articles_first`]): the other listings
    /// (topics, sitemap, change feed, review board) made from the live snapshot and put into it,
    /// then the search documents replaced.
    pub fn follow_up(&self, rest: Followup) -> Result<(), SiteError> {
        let started = Instant::now();
        let listings = self.prepare_listings(&rest.topics)?;
        self.publish_listings(listings);
        let listings_ms = started.elapsed().as_millis() as u64;
        // A full reload since indexed every article afresh, in an index of its own.
        let live = self.snapshot();
        if self.full_reloads.load(std::sync::atomic::Ordering::SeqCst) == rest.full_reloads {
            self.update_search(live, &rest.slugs, rest.docs)?;
        }
        crate::memory::release_free_memory();
        tracing::info!(
            listings_ms,
            search_ms = started.elapsed().as_millis() as u64,
            "listings and search updated for {} article(s)",
            rest.slugs.len()
        );
        Ok(())
    }

    /// The other listings of the live snapshot, showing the latest version of every article,
    /// made without holding up reloads (which go on meanwhile).
    pub fn prepare_listings(&self, topics: &BTreeSet<String>) -> Result<Listings, SiteError> {
        let full_reloads = self.full_reloads.load(std::sync::atomic::Ordering::SeqCst);
        let listings = self.snapshot().other_listings(topics)?;
        Ok(Listings {
            listings,
            full_reloads,
        })
    }

    /// Puts `listings` into the live snapshot, unless a full reload came after they were made: it
    /// made every listing again, from newer content.
    pub fn publish_listings(&self, listings: Listings) {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        if self.full_reloads.load(std::sync::atomic::Ordering::SeqCst) != listings.full_reloads {
            return;
        }
        let live = self.snapshot().with_other(listings.listings);
        self.current.store(Arc::new(live));
    }

    /// Replaces the search documents of `slugs` with `docs` (what `snapshot` shows): at once when the
    /// index is built and nothing is queued, else in order on a background thread that waits for the
    /// index (built in the background on large sites), so a reload never waits for it.
    fn update_search(
        &self,
        snapshot: Arc<Snapshot>,
        slugs: &BTreeSet<String>,
        docs: Vec<crate::search::IndexDoc>,
    ) -> Result<(), SiteError> {
        let mut queue = self
            .search_updates
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let idle = queue
            .as_ref()
            .is_none_or(|(_, pending)| pending.load(std::sync::atomic::Ordering::SeqCst) == 0);
        if idle && snapshot.search().is_some() {
            return Ok(snapshot.update_search(slugs, docs)?);
        }
        if queue.is_none() {
            let (sender, updates) = std::sync::mpsc::channel::<SearchUpdate>();
            let pending = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let done = pending.clone();
            std::thread::Builder::new()
                .name("search-update".into())
                .spawn(move || {
                    for (snapshot, slugs, docs) in updates {
                        if let Err(e) = snapshot.update_search(&slugs, docs) {
                            tracing::error!("{e}");
                        }
                        done.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                    }
                })
                .map_err(|e| {
                    SiteError::Build(BuildError(format!("cannot start updating search: {e}")))
                })?;
            *queue = Some((sender, pending));
        }
        if let Some((sender, pending)) = queue.as_ref() {
            pending.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if sender.send((snapshot, slugs.clone(), docs)).is_err() {
                pending.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                return Err(SiteError::Build(BuildError(
                    "search updates stopped".into(),
                )));
            }
        }
        Ok(())
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            readability: self.readability,
        }
    }

    fn publish(&self, snapshot: Snapshot) {
        self.publish_arc(Arc::new(snapshot));
    }

    /// Swaps `snapshot` in and tells the editor pages.
    fn publish_arc(&self, snapshot: Arc<Snapshot>) {
        self.current.store(snapshot);
        self.reload_problems
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        let _ = self.reloads.send(0);
    }
}

/// What an article reload leaves to do once the articles' pages, home and the A to Z are live
/// ([`AppState::reload_articles_first`]): the other listings of the articles' topics, and their
/// search documents. Follow-ups queued one after another can be done as one ([`Followup::then`]).
pub struct Followup {
    topics: BTreeSet<String>,
    slugs: BTreeSet<String>,
    docs: Vec<crate::search::IndexDoc>,
    /// [`AppState::full_reloads`] when the pages were made.
    full_reloads: u64,
}

impl Followup {
    /// This follow-up and the later `next`, as one: the topics of both, and for each article the
    /// search documents of the later (none of this one's if a full reload came between them).
    pub fn then(mut self, next: Followup) -> Followup {
        self.topics.extend(next.topics);
        if next.full_reloads != self.full_reloads {
            self.slugs.clear();
            self.docs.clear();
            self.full_reloads = next.full_reloads;
        }
        self.docs.retain(|d| !next.slugs.contains(&d.slug));
        self.docs.extend(next.docs);
        self.slugs.extend(next.slugs);
        self
    }
}

/// Listings made by [`AppState::prepare_listings`], to publish with [`AppState::publish_listings`].
pub struct Listings {
    listings: crate::render::OtherListings,
    full_reloads: u64,
}

/// A reload's search update: the snapshot it belongs to, the articles it replaces, their documents.
type SearchUpdate = (
    Arc<Snapshot>,
    BTreeSet<String>,
    Vec<crate::search::IndexDoc>,
);

type SearchUpdates = (
    std::sync::mpsc::Sender<SearchUpdate>,
    Arc<std::sync::atomic::AtomicUsize>,
);

/// Why the content could not be loaded, or a reload did not go through.
#[derive(Debug)]
pub enum SiteError {
    /// The content folder as a whole does not load (e.g. a broken `site.toml`).
    Content(LoadError),
    /// On reload, the same: readers keep the last good content.
    Reload(LoadError),
    /// A page failed to render, or search failed to build or update.
    Build(BuildError),
}

impl std::fmt::Display for SiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SiteError::Content(e) => write!(f, "{e}"),
            SiteError::Reload(e) => {
                write!(
                    f,
                    "reload failed; still serving the last good content:\n{e}"
                )
            }
            SiteError::Build(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SiteError {}

impl From<BuildError> for SiteError {
    fn from(e: BuildError) -> Self {
        SiteError::Build(e)
    }
}

/// Runs searches on the blocking thread pool, so the async workers that answer every other request
/// never run one. At most half the cores search at once; a search waits at most [`Self::QUEUE_WAIT`]
/// for its turn and gets [`Self::BUDGET`] to finish, else the reader is told search is busy (the
/// search itself, bounded by [`crate::search::ReaderQuery`], still finishes in the background
/// and holds its slot until then, so slow searches cannot pile up).
pub struct SearchRunner {
    slots: Arc<tokio::sync::Semaphore>,
}

impl Default for SearchRunner {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        SearchRunner {
            slots: Arc::new(tokio::sync::Semaphore::new((cores / 2).max(1))),
        }
    }
}

impl SearchRunner {
    pub const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);
    pub const BUDGET: std::time::Duration = std::time::Duration::from_secs(2);

    /// Runs `work` on the search index, or gives `None` when search is not ready, busy or over its
    /// time budget.
    pub async fn run<T: Send + 'static>(
        &self,
        snapshot: Arc<Snapshot>,
        work: impl FnOnce(&crate::search::SearchIndex) -> T + Send + 'static,
    ) -> Option<T> {
        let metrics = crate::metrics::metrics();
        let waiting = Instant::now();
        let slot = tokio::time::timeout(Self::QUEUE_WAIT, self.slots.clone().acquire_owned()).await;
        metrics.search_wait.observe(waiting.elapsed().as_secs_f64());
        let Ok(Ok(slot)) = slot else {
            metrics.search_refused.inc();
            return None;
        };
        let search = actix_web::web::block(move || {
            let _slot = slot;
            snapshot.search().map(work)
        });
        match tokio::time::timeout(Self::BUDGET, search).await {
            Ok(Ok(found)) => found,
            _ => {
                metrics.search_refused.inc();
                None
            }
        }
    }
}

/// Puts back the last good version of every article that failed to load but still exists on disk,
/// and says which. Its bodies may have been released: the rebuild takes its pages from the previous
/// snapshot, and search finds it by its title, summary and topics until its files are fixed.
fn keep_last_good(site: &mut Site, previous: &Site) -> BTreeSet<String> {
    let mut kept = BTreeSet::new();
    let articles_dir = site.root.join("articles");
    for (slug, old) in &previous.articles {
        // Loaded in some form (working files, or a record that withdraws it), or gone: nothing to keep.
        if site.articles.contains_key(slug)
            || site.working.contains_key(slug)
            || site.records.contains_key(slug)
            || !articles_dir.join(slug).is_dir()
        {
            continue;
        }
        site.diagnostics
            .push(Arc::new(last_good_warning(&old.dir, slug)));
        site.articles.insert(slug.clone(), old.clone());
        kept.insert(slug.clone());
    }
    kept
}

fn last_good_warning(dir: &Path, slug: &str) -> Diagnostic {
    Diagnostic::warning(
        dir,
        None,
        format!(
            "readers still see the last good version of `{slug}` until the errors above are fixed"
        ),
    )
}

/// Whether `path` is `dir` or lies under it. Compared as bytes, which is many times quicker than
/// [`Path::starts_with`] over a large site's problems: both are joined onto the same content folder.
fn lies_in(path: &Path, dir: &Path) -> bool {
    let (path, dir) = (
        path.as_os_str().as_encoded_bytes(),
        dir.as_os_str().as_encoded_bytes(),
    );
    path.strip_prefix(dir).is_some_and(|rest| {
        rest.is_empty() || rest.first() == Some(&std::path::MAIN_SEPARATOR_STR.as_bytes()[0])
    })
}

fn log_problems<D: std::borrow::Borrow<Diagnostic>>(diagnostics: &[D]) {
    for d in diagnostics.iter().map(D::borrow) {
        if d.is_error() {
            tracing::error!("{d}");
        } else if !d.is_warning() {
            tracing::info!("{d}");
        } else {
            tracing::warn!("{d}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_lies_in_its_folder_and_not_in_one_whose_name_it_starts_with() {
        let dir = Path::new("/content/articles/cramp");
        assert!(lies_in(Path::new("/content/articles/cramp"), dir));
        assert!(lies_in(
            Path::new("/content/articles/cramp/patient.md"),
            dir
        ));
        assert!(!lies_in(
            Path::new("/content/articles/cramps/patient.md"),
            dir
        ));
        assert!(!lies_in(Path::new("/content/articles"), dir));
    }

    fn fixture() -> AppState {
        AppState::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"))
            .expect("the fixture loads")
    }

    #[actix_web::test]
    async fn searches_run_off_the_workers_and_are_refused_when_all_slots_stay_busy() {
        let state = fixture();
        let found = state
            .searches
            .run(state.snapshot(), |index| {
                index.search("stretch", "patient", 20)
            })
            .await
            .expect("a free slot answers");
        assert!(found.iter().any(|hit| hit.slug == "cramp-care"));
        // Every slot held (as by searches still running): the next one waits its turn, then gives up.
        let held = state
            .searches
            .slots
            .clone()
            .acquire_many_owned(state.searches.slots.available_permits() as u32)
            .await
            .unwrap();
        let started = Instant::now();
        let busy = state
            .searches
            .run(state.snapshot(), |index| {
                index.search("stretch", "patient", 20)
            })
            .await;
        assert!(busy.is_none());
        assert!(started.elapsed() >= SearchRunner::QUEUE_WAIT);
        drop(held);
        assert!(
            state
                .searches
                .run(state.snapshot(), |index| index
                    .search("stretch", "patient", 20))
                .await
                .is_some()
        );
    }
}
