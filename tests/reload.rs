//! Incremental reload: a change to one article's files re-renders that article's pages and the
//! listings that show it, shares every other prebuilt page, keeps the last good version of a broken
//! article, never publishes a draft, and leaves no uncompressed copy behind.

mod common;

use actix_web::web;
use common::{copy_dir, fixture};
use healthpress::web::{AppState, Options};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The state `serve --watch` runs (no editor area, so wordings' bodies are released once their
/// pages are built).
fn watched_state(dir: &Path) -> web::Data<AppState> {
    let state = AppState::open(
        dir,
        Options {
            keep_bodies: false,
            readability: false,
        },
    )
    .expect("loads");
    state.snapshot().precompress();
    web::Data::new(state)
}

fn site_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let root = dir.path().to_path_buf();
    (dir, root)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn body(state: &AppState, path: &str) -> String {
    let snapshot = state.snapshot();
    let page = snapshot
        .page(path)
        .unwrap_or_else(|| panic!("{path} is served"));
    String::from_utf8_lossy(&page.body()).into_owned()
}

fn slugs(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn an_edit_reloads_its_article_and_listings_and_shares_every_other_page() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let before = state.snapshot();
    edit(
        &root.join("articles/cramp-care/article.toml"),
        "title = \"Cramp care\"",
        "title = \"Cramp relief\"",
    );
    edit(
        &root.join("articles/cramp-care/patient.md"),
        "Stretch your calf",
        "Stretch your zzcalfmuscle",
    );
    state
        .reload_changed(&[root.join("articles/cramp-care/patient.md")])
        .unwrap();
    let after = state.snapshot();
    // The article's page and the listings show the change.
    assert!(body(&state, "/articles/cramp-care/patient").contains("<h1>Cramp relief</h1>"));
    assert!(body(&state, "/articles/cramp-care/patient").contains("zzcalfmuscle"));
    for listing in ["/", "/articles", "/topics/muscles", "/topics/sleep"] {
        let page = body(&state, listing);
        assert!(page.contains("Cramp relief"), "{listing}");
        assert!(!page.contains(">Cramp care<"), "{listing}");
    }
    assert!(!after.shares_page(&before, "/articles/cramp-care/patient"));
    assert!(!after.shares_page(&before, "/articles"));
    // Another article's pages are the very same prebuilt pages: same bytes, same ETag.
    for path in [
        "/articles/pending-topic/patient",
        "/articles/hostile/patient",
        "/pages/editorial-policy",
        "/robots.txt",
    ] {
        assert!(after.shares_page(&before, path), "{path} is shared");
        let (old, new) = (before.page(path).unwrap(), after.page(path).unwrap());
        assert_eq!(old.body(), new.body());
        assert_eq!(
            old.etag_for(healthpress::web::response::Encoding::Gzip),
            new.etag_for(healthpress::web::response::Encoding::Gzip)
        );
    }
    // Listings whose bytes did not change are shared too.
    assert!(
        after.shares_page(&before, "/topics/b-topic-b")
            || after.page("/topics/b-topic-b").is_none()
    );
    // Search finds the new text and not the old.
    let index = after.wait_for_search();
    let found = index.search("zzcalfmuscle", "patient", 10);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, "Cramp relief");
    assert!(
        index
            .search("\"stretch your calf\"", "patient", 10)
            .is_empty()
    );
    // Nothing is left uncompressed.
    assert!(
        after.is_compact(),
        "reloaded pages are compressed before they are swapped in"
    );
}

#[test]
fn a_broken_article_keeps_its_last_good_version_under_incremental_reload() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let before = state.snapshot();
    let toml = root.join("articles/cramp-care/article.toml");
    edit(&toml, "title = \"Cramp care\"", "title = ");
    state.reload_changed(std::slice::from_ref(&toml)).unwrap();
    let after = state.snapshot();
    assert!(body(&state, "/articles/cramp-care/patient").contains("<h1>Cramp care</h1>"));
    assert!(after.shares_page(&before, "/articles/pending-topic/patient"));
    let problems: Vec<String> = after
        .site
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("last good version of `cramp-care`")),
        "{problems:?}"
    );
    // Fixed again: the errors go and the new text shows.
    std::fs::write(
        &toml,
        std::fs::read_to_string(&toml).unwrap().replacen(
            "title = \n",
            "title = \"Cramp care again\"\n",
            1,
        ),
    )
    .unwrap();
    state.reload_changed(&[toml]).unwrap();
    let fixed = state.snapshot();
    assert!(body(&state, "/articles/cramp-care/patient").contains("<h1>Cramp care again</h1>"));
    assert!(
        !fixed
            .site
            .diagnostics
            .iter()
            .any(|d| d.to_string().contains("cramp-care") && d.is_error())
    );
}

/// Under `--watch` no wording keeps its body once its pages are built, after start-up or after a
/// reload (so memory does not grow with edits); an edited article is still found by its new words.
#[test]
fn reloads_keep_no_bodies_and_still_index_what_they_load() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let no_bodies = |state: &AppState| {
        let snapshot = state.snapshot();
        snapshot
            .site
            .articles
            .values()
            .flat_map(|a| a.wordings.iter())
            .all(|w| w.body.html.is_empty() && w.body.text.is_empty())
    };
    assert!(no_bodies(&state), "released after start-up");
    let patient = root.join("articles/cramp-care/patient.md");
    edit(
        &patient,
        "Stretch your calf",
        "Flex your foot upwards and stretch your calf",
    );
    state
        .reload_changed(std::slice::from_ref(&patient))
        .unwrap();
    assert!(body(&state, "/articles/cramp-care/patient").contains("Flex your foot upwards"));
    assert!(no_bodies(&state), "released after an incremental reload");
    let hits = state
        .snapshot()
        .wait_for_search()
        .search("upwards", "patient", 10);
    assert_eq!(
        hits.iter().map(|h| h.slug.as_str()).collect::<Vec<_>>(),
        ["cramp-care"],
        "the new words are indexed"
    );
}

/// A full reload (here after `site.toml` changes) while an article's files are broken keeps that
/// article's last good pages, whole, although its bodies were released.
#[test]
fn a_broken_article_keeps_its_last_good_pages_under_a_full_reload() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let good = body(&state, "/articles/cramp-care/patient");
    assert!(good.contains("Stretch your calf"));
    let toml = root.join("articles/cramp-care/article.toml");
    edit(&toml, "title = \"Cramp care\"", "title = ");
    let site_toml = root.join("site.toml");
    let text = std::fs::read_to_string(&site_toml).unwrap();
    std::fs::write(
        &site_toml,
        text.replacen("title = \"", "title = \"Renamed ", 1),
    )
    .unwrap();
    state.reload_changed(&[toml, site_toml]).unwrap();
    assert!(
        body(&state, "/").contains("Renamed "),
        "the reload went through"
    );
    assert_eq!(
        body(&state, "/articles/cramp-care/patient"),
        good,
        "the last good page, not one rendered from a released body"
    );
    assert!(
        state
            .snapshot()
            .site
            .diagnostics
            .iter()
            .any(|d| d.to_string().contains("last good version of `cramp-care`"))
    );
    let hits = state
        .snapshot()
        .wait_for_search()
        .search("cramp care", "patient", 10);
    assert!(
        hits.iter().any(|h| h.slug == "cramp-care"),
        "still found by its title"
    );
}

#[test]
fn an_article_turned_draft_or_deleted_leaves_every_public_surface() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let toml = root.join("articles/cramp-care/article.toml");
    edit(&toml, "status = \"approved\"", "status = \"draft\"");
    state.reload_changed(&[toml]).unwrap();
    let snapshot = state.snapshot();
    assert!(snapshot.page("/articles/cramp-care/patient").is_none());
    assert!(snapshot.page("/articles/cramp-care/professional").is_none());
    for listing in ["/", "/articles", "/topics/muscles", "/sitemap.xml"] {
        assert!(!body(&state, listing).contains("cramp-care"), "{listing}");
    }
    let index = snapshot.wait_for_search();
    assert!(
        index
            .search("stretch", "patient", 10)
            .iter()
            .all(|h| h.slug != "cramp-care")
    );
    // A deleted folder goes the same way, and a topic left empty loses its page.
    std::fs::remove_dir_all(root.join("articles/hostile")).unwrap();
    state
        .reload_changed(&[root.join("articles/hostile")])
        .unwrap();
    let snapshot = state.snapshot();
    assert!(snapshot.page("/articles/hostile/patient").is_none());
    assert!(snapshot.page("/topics/b-topic-b").is_none());
    assert!(!body(&state, "/topics").contains("topic</b>"));
    assert!(snapshot.is_compact());
}

#[test]
fn changes_outside_articles_rebuild_everything_and_compress_before_the_swap() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let before = state.snapshot();
    let site_toml = root.join("site.toml");
    let text = std::fs::read_to_string(&site_toml).unwrap();
    let retitled = text.replacen("title = \"", "title = \"Renamed ", 1);
    std::fs::write(&site_toml, retitled).unwrap();
    state.reload_changed(&[site_toml]).unwrap();
    let after = state.snapshot();
    assert!(body(&state, "/").contains("Renamed "));
    assert!(body(&state, "/articles/pending-topic/patient").contains("Renamed "));
    assert!(!after.shares_page(&before, "/articles/pending-topic/patient"));
    // Assets did not change: shared, compressed copies and all.
    let asset = before
        .pages()
        .into_iter()
        .find(|(path, _)| path.starts_with("/static/"))
        .unwrap()
        .0
        .to_string();
    assert!(after.shares_page(&before, &asset));
    assert!(after.is_compact());
    // Many articles at once also rebuild everything, and agree with a fresh load.
    state
        .reload_changed(
            &(0..60)
                .map(|n| root.join(format!("articles/a{n}/x.md")))
                .collect::<Vec<_>>(),
        )
        .unwrap();
    let fresh = AppState::load(&root).unwrap();
    for (path, page) in fresh.snapshot().pages() {
        assert_eq!(
            body(&state, path),
            String::from_utf8_lossy(&page.body()),
            "{path}"
        );
    }
}

#[test]
fn incremental_and_full_reloads_agree() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    edit(
        &root.join("articles/cramp-care/article.toml"),
        "topics = [\"Muscles\", \"Sleep\"]",
        "topics = [\"Muscles\", \"Night time\"]",
    );
    state.reload_articles(&slugs(&["cramp-care"])).unwrap();
    let fresh = AppState::load(&root).unwrap();
    let (ours, theirs) = (state.snapshot(), fresh.snapshot());
    let paths = |s: &healthpress::web::Snapshot| -> Vec<String> {
        s.pages().into_iter().map(|(p, _)| p.to_string()).collect()
    };
    assert_eq!(paths(&ours), paths(&theirs));
    for (path, page) in theirs.pages() {
        assert_eq!(
            ours.page(path).unwrap().body(),
            page.body(),
            "{path} after an incremental reload is what a fresh load makes"
        );
    }
}

#[test]
fn an_edit_that_leaves_a_listing_unchanged_keeps_that_listing_and_its_compressed_copies() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let before = state.snapshot();
    // The body only: no listing shows it.
    edit(
        &root.join("articles/cramp-care/patient.md"),
        "Stretch your calf",
        "Stretch your zzonlybody",
    );
    state
        .reload_changed(&[root.join("articles/cramp-care/patient.md")])
        .unwrap();
    let after = state.snapshot();
    assert!(body(&state, "/articles/cramp-care/patient").contains("zzonlybody"));
    assert!(!after.shares_page(&before, "/articles/cramp-care/patient"));
    for listing in [
        "/",
        "/articles",
        "/topics",
        "/topics/muscles",
        "/sitemap.xml",
    ] {
        assert!(after.shares_page(&before, listing), "{listing} is shared");
    }
    // The other wording of the same article did not change either.
    assert!(after.shares_page(&before, "/articles/cramp-care/professional"));
    assert!(after.is_compact());
}

/// Reloading an article whose files did not change does nothing: an approval in the editor area
/// reloads the article, and then the watcher sees the files the approval wrote.
#[test]
fn reloading_unchanged_files_again_does_nothing() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    edit(
        &root.join("articles/cramp-care/article.toml"),
        "topics = [\"Muscles\", \"Sleep\"]",
        "topics = [\"Muscles\", \"Night time\"]",
    );
    state.reload_articles(&slugs(&["cramp-care"])).unwrap();
    let once = state.snapshot();
    state.reload_articles(&slugs(&["cramp-care"])).unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&once, &state.snapshot()),
        "the same files are not loaded twice"
    );
    // Any change to the files, the approval record included, is loaded.
    healthpress::content::approve_article(
        &root,
        "cramp-care",
        &["rev-one".to_string()],
        "Topics renamed.",
        healthpress::content::Date::today(),
        None,
    )
    .unwrap();
    state.reload_articles(&slugs(&["cramp-care"])).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&once, &state.snapshot()));
    let page = state.snapshot();
    let body = String::from_utf8_lossy(
        &page
            .page("/articles/cramp-care/patient")
            .expect("the page")
            .body(),
    )
    .into_owned();
    assert!(body.contains("Topics renamed."), "the approval shows");
}

/// A live server makes an edit's pages, home and A to Z first, and its other listings and search
/// documents on another thread while the next edit's pages are made: listings made from an older
/// snapshot must not take back a later edit's pages, and the later edit's listings follow.
#[test]
fn listings_made_after_a_later_edit_keep_its_pages_and_its_own_listings_follow() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let cramp = root.join("articles/cramp-care/article.toml");
    let pending = root.join("articles/pending-topic/article.toml");
    edit(&cramp, "title = \"Cramp care\"", "title = \"Cramp relief\"");
    let first = state
        .reload_changed_first(std::slice::from_ref(&cramp))
        .unwrap()
        .expect("an article changed");
    // Its page, home and the A to Z show it at once; the topic pages not yet.
    assert!(body(&state, "/articles/cramp-care/patient").contains("<h1>Cramp relief</h1>"));
    assert!(body(&state, "/articles").contains("Cramp relief"));
    assert!(body(&state, "/topics/muscles").contains(">Cramp care<"));
    // A second edit, before the first one's listings are made.
    edit(
        &pending,
        "title = \"Pending topic\"",
        "title = \"Pending subject\"",
    );
    let second = state
        .reload_changed_first(std::slice::from_ref(&pending))
        .unwrap()
        .expect("an article changed");
    state.follow_up(first).unwrap();
    // The first edit's listings are in, and the second edit's pages were not taken back.
    assert!(body(&state, "/topics/muscles").contains("Cramp relief"));
    assert!(body(&state, "/articles/pending-topic/patient").contains("Pending subject"));
    assert!(body(&state, "/articles").contains("Pending subject"));
    state.follow_up(second).unwrap();
    let topic = body(&state, "/topics/muscles");
    assert!(topic.contains("Cramp relief") && topic.contains("Pending subject"));
    assert!(!topic.contains(">Cramp care<") && !topic.contains(">Pending topic<"));
    assert!(state.snapshot().is_compact());
    let snapshot = state.snapshot();
    let index = snapshot.wait_for_search();
    assert_eq!(index.search("relief", "patient", 10).len(), 1);
}

/// Listings made before a full reload are older than the ones it made: they are not put in.
#[test]
fn listings_made_before_a_full_reload_are_not_published_over_it() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let cramp = root.join("articles/cramp-care/article.toml");
    edit(&cramp, "title = \"Cramp care\"", "title = \"Cramp relief\"");
    let rest = state
        .reload_changed_first(std::slice::from_ref(&cramp))
        .unwrap()
        .expect("an article changed");
    let stale = state.prepare_listings(&slugs(&["muscles"])).unwrap();
    edit(
        &cramp,
        "title = \"Cramp relief\"",
        "title = \"Cramp comfort\"",
    );
    state.reload().unwrap();
    assert!(body(&state, "/topics/muscles").contains("Cramp comfort"));
    state.publish_listings(stale);
    assert!(body(&state, "/topics/muscles").contains("Cramp comfort"));
    assert!(!body(&state, "/topics/muscles").contains("Cramp relief"));
    // Nor do its search documents replace those the full reload indexed.
    state.follow_up(rest).unwrap();
    assert!(body(&state, "/topics/muscles").contains("Cramp comfort"));
    let snapshot = state.snapshot();
    let index = snapshot.wait_for_search();
    assert_eq!(index.search("comfort", "patient", 10).len(), 1);
    assert!(index.search("relief", "patient", 10).is_empty());
}

/// Follow-ups that queued up while one was being made are done as one: the listings and search
/// documents of every edit in them.
#[test]
fn follow_ups_done_as_one_show_every_edit_in_them() {
    let (_dir, root) = site_copy();
    let state = watched_state(&root);
    let cramp = root.join("articles/cramp-care/article.toml");
    let pending = root.join("articles/pending-topic/article.toml");
    edit(&cramp, "title = \"Cramp care\"", "title = \"Cramp relief\"");
    let first = state
        .reload_changed_first(std::slice::from_ref(&cramp))
        .unwrap()
        .expect("an article changed");
    edit(
        &pending,
        "title = \"Pending topic\"",
        "title = \"Pending subject\"",
    );
    let second = state
        .reload_changed_first(std::slice::from_ref(&pending))
        .unwrap()
        .expect("an article changed");
    state.follow_up(first.then(second)).unwrap();
    let topic = body(&state, "/topics/muscles");
    assert!(topic.contains("Cramp relief") && topic.contains("Pending subject"));
    let snapshot = state.snapshot();
    let index = snapshot.wait_for_search();
    assert_eq!(index.search("relief", "patient", 10).len(), 1);
    assert_eq!(index.search("subject", "patient", 10).len(), 1);
}
