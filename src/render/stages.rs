//! The render stage: one function per output of the public site. Each takes the content model and
//! gives prebuilt pages; none knows about HTTP.

use super::HTML;
use super::assets::Assets;
use super::page::{CACHE_IMMUTABLE, CACHE_PUBLIC, Prebuilt};
use super::snapshot::{BuildError, Pages};
use super::views::{
    ArticleCard, ArticlePage, AudienceChoice, AzLetter, AzPage, ChangesFeed, ErrorPage, FeedEntry,
    HomePage, Layout, LetterGroup, PlainPage, Robots, Sitemap, SitemapIndex, SitemapUrl, TopicLink,
    TopicPage, TopicsPage,
};
use crate::content::{Article, Site, xml_text};
use crate::markdown::slugify;
use askama::Template;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Home lists every article up to this many; beyond it, the most recently updated, with links to A to Z.
const HOME_LIMIT: usize = 24;

fn html(mut body: String) -> Prebuilt {
    body.shrink_to_fit();
    Prebuilt::new(body, HTML, CACHE_PUBLIC)
}

/// The topics of an article version, as the slugs of their pages.
pub fn topic_slugs(article: &Article) -> impl Iterator<Item = String> + '_ {
    article.topics.iter().map(|name| slugify(name))
}

/// Every public page of `site`, one stage per kind of output.
pub fn render_all(site: &Site, assets: &Assets) -> Result<Pages, BuildError> {
    let public: Vec<&Article> = site.public_articles().collect();
    let mut pages = render_listings(site, assets)?;
    for (path, page) in article_pages(site, assets, &public)? {
        pages.insert(Arc::from(path), Arc::new(page));
    }
    Ok(pages)
}

/// Every public page of `site` but the articles' own: the listings, plain pages, feeds, sitemaps
/// and assets.
pub fn render_listings(site: &Site, assets: &Assets) -> Result<Pages, BuildError> {
    let public: Vec<&Article> = site.public_articles().collect();
    let mut pages: Vec<(String, Prebuilt)> = homes(site, assets, &public)?;
    pages.extend(a_to_z(site, assets, &public, None)?);
    let groups = topic_groups(&public);
    pages.extend(topics_index(site, assets, &groups)?);
    let topic_pages: Result<Vec<Vec<(String, Prebuilt)>>, BuildError> = groups
        .par_iter()
        .map(|(slug, (name, articles))| topic_page(site, assets, slug, name, articles))
        .collect();
    pages.extend(topic_pages?.into_iter().flatten());
    pages.extend(plain_pages(site, assets)?);
    pages.extend(sitemap_pages(site, &public)?);
    pages.push(("/changes.atom".into(), changes_feed(site, &public)?));
    pages.push(("/reviewers".into(), review_board(site, assets, &public)?));
    pages.push(("/robots.txt".into(), robots(site)?));
    for lang in site.config.languages.iter().skip(1) {
        pages.push((
            not_found_path(&site.config.prefix(&lang.id)),
            not_found_page_in(site, assets, &lang.id)?,
        ));
    }
    pages.extend(asset_pages(assets));
    Ok(pages
        .into_iter()
        .map(|(path, page)| (Arc::from(path), Arc::new(page)))
        .collect())
}

fn newest(public: &[&Article]) -> Option<std::time::SystemTime> {
    public
        .iter()
        .map(|a| a.updated)
        .max()
        .map(|d| d.to_system_time())
}

/// The key of the home page showing the choice of `audience` (`/?audience=ID`): a URL of its own,
/// so caches keep each apart. Its cards link to that wording of each article.
pub fn home_key(audience: &str) -> String {
    format!("/?audience={audience}")
}

/// Home, as `/` and as each audience's `/?audience=ID`: every article on a small site; the most
/// recently updated on a large one.
pub fn homes(
    site: &Site,
    assets: &Assets,
    public: &[&Article],
) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let mut pages = Vec::new();
    let recent = most_recent(public);
    for lang in &site.config.languages {
        let prefix = site.config.prefix(&lang.id);
        let mut recent = recent.clone();
        recent.sort_by_cached_key(|a| collation_key(a.title_in(&lang.id), &lang.id));
        pages.push((
            format!("{prefix}/"),
            home(site, assets, public, &recent, None, &lang.id)?,
        ));
        for audience in &site.config.audiences {
            pages.push((
                format!("{prefix}{}", home_key(&audience.id)),
                home(site, assets, public, &recent, Some(&audience.id), &lang.id)?,
            ));
        }
    }
    Ok(pages)
}

/// The [`HOME_LIMIT`] articles of `public` updated last (ties by title): all of them on a small
/// site. Found without sorting them all, so a large site's home is made again quickly on each edit.
fn most_recent<'a>(public: &[&'a Article]) -> Vec<&'a Article> {
    let mut recent = public.to_vec();
    if recent.len() > HOME_LIMIT {
        let newest_first = |a: &&Article, b: &&Article| {
            b.updated
                .cmp(&a.updated)
                .then_with(|| a.title.cmp(&b.title))
        };
        recent.select_nth_unstable_by(HOME_LIMIT - 1, newest_first);
        recent.truncate(HOME_LIMIT);
    }
    recent
}

/// A home page in `lang`, for `audience` (or for readers who have not chosen): `recent` are the
/// articles it shows, in the order shown.
fn home(
    site: &Site,
    assets: &Assets,
    public: &[&Article],
    recent: &[&Article],
    audience: Option<&str>,
    lang: &str,
) -> Result<Prebuilt, BuildError> {
    let config = &site.config;
    let t = config.messages.of(lang);
    let description = config.description_in(lang).map(str::to_string);
    let home_description = t.get("home-description");
    let prefix = config.prefix(lang);
    let home = HomePage {
        layout: Layout::new(
            site,
            assets,
            &config.title,
            description.as_deref().unwrap_or(&home_description),
            Some("/"),
        )
        .in_language(site, lang, "/")
        .with_audience(audience),
        description,
        articles: recent
            .iter()
            .map(|a| {
                match audience {
                    Some(id) => ArticleCard::for_audience(a, id),
                    None => ArticleCard::of(a),
                }
                .in_language(config, a, lang)
            })
            .collect(),
        more: public.len() - recent.len(),
        total: public.len(),
        see_all: t.with("see-all", &[("total", &public.len().to_string())]),
        choice: AudienceChoice::in_language(config, &format!("{prefix}/"), audience, lang),
    };
    Ok(html(home.render()?).with_last_modified(newest(public)))
}

/// Every (article, audience) page of `articles`, rendered on every core.
pub fn article_pages(
    site: &Site,
    assets: &Assets,
    articles: &[&Article],
) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let config = &site.config;
    let render = |article: &&Article| {
        let mut out = Vec::with_capacity(config.audiences.len() * config.languages.len());
        for lang in &config.languages {
            let prefix = config.prefix(&lang.id);
            for audience in &config.audiences {
                // Readers of another language get the approved translation, else the source
                // wording with a notice in their language.
                let translation = article.public_translation(&lang.id, &audience.id);
                let Some(wording) = translation
                    .map(|t| &t.wording)
                    .or_else(|| article.wording_for(config, &audience.id))
                else {
                    continue;
                };
                let page = ArticlePage::in_language(
                    site,
                    assets,
                    article,
                    audience,
                    wording,
                    &lang.id,
                    translation.map(|t| &t.state),
                );
                // Sized for the body and the page around it, so the page is written without regrowing.
                let mut body = String::with_capacity(wording.body.html.len() + 16 * 1024);
                page.render_into(&mut body)?;
                out.push((
                    format!("{prefix}/articles/{}/{}", article.slug, audience.id),
                    html(body).with_last_modified(Some(article.updated.to_system_time())),
                ));
            }
        }
        Ok(out)
    };
    // Many articles on every core; the few of an incremental reload here, without waiting for the
    // shared thread pool.
    let rendered: Result<Vec<Vec<(String, Prebuilt)>>, askama::Error> = if articles.len() > 8 {
        articles.par_iter().map(render).collect()
    } else {
        articles.iter().map(render).collect()
    };
    Ok(rendered?.into_iter().flatten().collect())
}

/// Above this many public articles the A to Z is split, as large health libraries split theirs:
/// `/articles` lists the letters, and each letter has a page of its own, `/a-z/{letter}`.
pub const AZ_ONE_PAGE_LIMIT: usize = 500;

/// The letter an article is listed under in the A to Z ("#" for a title that starts with no
/// letter), and the id of that letter in URLs and anchors.
pub fn az_letter(article: &Article) -> (String, String) {
    az_letter_of(&article.title, "en")
}

/// [`az_letter`] of a title in `lang`: in Spanish, accented letters are listed under their plain
/// letter (Á under A) and Ñ is a letter of its own, after N.
fn az_letter_of(title: &str, lang: &str) -> (String, String) {
    let first = title
        .chars()
        .next()
        .map(|c| {
            let upper = c.to_uppercase().to_string();
            if is_spanish(lang) && upper != "Ñ" {
                deunicode::deunicode(&upper)
                    .chars()
                    .next()
                    .map(|c| c.to_string())
                    .unwrap_or(upper)
            } else {
                upper
            }
        })
        .unwrap_or_default();
    let letter = if !first.is_empty() && first.chars().all(|c| c.is_alphabetic()) {
        first
    } else {
        "#".to_string()
    };
    let anchor = letter_anchor(&letter);
    (letter, anchor)
}

fn is_spanish(lang: &str) -> bool {
    lang == "es" || lang.starts_with("es-")
}

/// What titles in `lang` sort by: lower case; in Spanish, accents folded (á as a) and ñ after n,
/// as Spanish dictionaries order words.
pub fn collation_key(title: &str, lang: &str) -> String {
    let lower = title.to_lowercase();
    if !is_spanish(lang) {
        return lower;
    }
    let mut key = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'ñ' => key.push_str("n~"),
            c if c.is_ascii() => key.push(c),
            c => key.push_str(deunicode::deunicode_char(c).unwrap_or("")),
        }
    }
    key
}

/// The path of a letter's page in a split A to Z.
pub fn az_letter_path(anchor: &str) -> String {
    format!("/a-z/{anchor}")
}

/// Whether the A to Z of `public` is split into a page per letter.
pub fn az_is_split(public: &[&Article]) -> bool {
    public.len() > AZ_ONE_PAGE_LIMIT
}

/// The A to Z: `/articles` with every public article under the first letter of its title, or, for a
/// site of more than [`AZ_ONE_PAGE_LIMIT`] articles, `/articles` listing the letters and a page per
/// letter. With `only` (letter ids), only those letters' pages are made (the index always is).
pub fn a_to_z(
    site: &Site,
    assets: &Assets,
    public: &[&Article],
    only: Option<&BTreeSet<String>>,
) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let mut pages = Vec::new();
    for (i, lang) in site.config.languages.iter().enumerate() {
        // Titles differ between languages, and so do their letters: the other languages' letter
        // pages are made whole.
        let only = if i == 0 { only } else { None };
        pages.extend(a_to_z_in(site, assets, public, only, &lang.id)?);
    }
    Ok(pages)
}

fn a_to_z_in(
    site: &Site,
    assets: &Assets,
    public: &[&Article],
    only: Option<&BTreeSet<String>>,
    lang: &str,
) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let config = &site.config;
    let t = config.messages.of(lang);
    let prefix = config.prefix(lang);
    let split = az_is_split(public);
    // Letter id -> (letter, how many articles, its first title), for the list of letters.
    let mut letters: BTreeMap<String, (String, usize, String)> = BTreeMap::new();
    // Each article with its letter, the letter's id and its title's collation key.
    let mut wanted: Vec<(&Article, String, String, String)> = Vec::new();
    for article in public {
        let (letter, anchor) = az_letter_of(article.title_in(lang), lang);
        let title = collation_key(article.title_in(lang), lang);
        match letters.get_mut(&anchor) {
            Some(entry) => {
                entry.1 += 1;
                if title < entry.2 {
                    entry.2.clone_from(&title);
                }
            }
            None => {
                letters.insert(anchor.clone(), (letter.clone(), 1, title.clone()));
            }
        }
        if !split || only.is_none_or(|o| o.contains(&anchor)) {
            wanted.push((article, letter, anchor, title));
        }
    }
    wanted.sort_by(|(a, _, _, a_key), (b, _, _, b_key)| {
        a_key.cmp(b_key).then_with(|| a.slug.cmp(&b.slug))
    });
    let mut groups: Vec<LetterGroup> = Vec::new();
    for (article, letter, anchor, _) in wanted {
        let card = ArticleCard::of(article).in_language(config, article, lang);
        match groups.iter_mut().find(|g| g.anchor == anchor) {
            Some(g) => g.articles.push(card),
            None => groups.push(LetterGroup {
                anchor,
                letter,
                articles: vec![card],
            }),
        }
    }
    // The letters in the order of their first titles, as the groups are shown.
    let mut letters: Vec<(String, (String, usize, String))> = letters.into_iter().collect();
    letters.sort_by(|a, b| (a.1).2.cmp(&(b.1).2));
    let letters: Vec<AzLetter> = letters
        .into_iter()
        .map(|(anchor, (letter, count, _))| AzLetter {
            href: if split {
                format!("{prefix}{}", az_letter_path(&anchor))
            } else {
                format!("#letter-{anchor}")
            },
            anchor,
            letter,
            count,
        })
        .collect();
    let last_modified = newest(public);
    let mut pages = Vec::new();
    let (index_groups, letter_groups) = if split {
        (Vec::new(), groups)
    } else {
        (groups, Vec::new())
    };
    let index = AzPage {
        layout: Layout::new(
            site,
            assets,
            &t.get("a-to-z-title"),
            &t.get("a-to-z-description"),
            Some("/articles"),
        )
        .in_language(site, lang, "/articles"),
        letters: letters.clone(),
        current: None,
        split,
        total: public.len(),
        groups: index_groups,
        choose: t.with("a-to-z-choose", &[("total", &public.len().to_string())]),
    };
    pages.push((
        format!("{prefix}/articles"),
        html(index.render()?).with_last_modified(last_modified),
    ));
    if split {
        for group in letter_groups {
            let title = format!("{}: {}", t.get("a-to-z-title"), group.letter);
            let path = az_letter_path(&group.anchor);
            let page = AzPage {
                layout: Layout::new(site, assets, &title, &title, Some(&path))
                    .in_language(site, lang, &path),
                letters: letters.clone(),
                current: Some(group.anchor.clone()),
                split,
                total: public.len(),
                groups: vec![group],
                choose: String::new(),
            };
            pages.push((
                format!("{prefix}{path}"),
                html(page.render()?).with_last_modified(last_modified),
            ));
        }
    }
    Ok(pages)
}

/// Topic slug -> (name, its public articles sorted by title).
pub type TopicGroups<'a> = BTreeMap<String, (String, Vec<&'a Article>)>;

pub fn topic_groups<'a>(public: &[&'a Article]) -> TopicGroups<'a> {
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
pub fn topic_page(
    site: &Site,
    assets: &Assets,
    slug: &str,
    name: &str,
    articles: &[&Article],
) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let path = format!("/topics/{slug}");
    let config = &site.config;
    let mut pages = Vec::new();
    for lang in &config.languages {
        let t = config.messages.of(&lang.id);
        let page = TopicPage {
            layout: Layout::new(
                site,
                assets,
                name,
                &t.with("topic-description", &[("topic", name)]),
                Some(&path),
            )
            .in_language(site, &lang.id, &path),
            cards: articles
                .iter()
                .map(|a| ArticleCard::of(a).in_language(config, a, &lang.id))
                .collect(),
        };
        pages.push((
            format!("{}{path}", config.prefix(&lang.id)),
            html(page.render()?),
        ));
    }
    Ok(pages)
}

/// `/topics`: every topic with its number of articles.
pub fn topics_index(
    site: &Site,
    assets: &Assets,
    groups: &TopicGroups<'_>,
) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let mut links: Vec<TopicLink> = groups
        .iter()
        .map(|(slug, (name, articles))| TopicLink {
            name: name.clone(),
            slug: slug.clone(),
            count: articles.len(),
        })
        .collect();
    links.sort_by_key(|t| t.name.to_lowercase());
    let config = &site.config;
    let mut pages = Vec::new();
    for lang in &config.languages {
        let t = config.messages.of(&lang.id);
        let page = TopicsPage {
            layout: Layout::new(
                site,
                assets,
                &t.get("topics-title"),
                &t.get("topics-description"),
                Some("/topics"),
            )
            .in_language(site, &lang.id, "/topics"),
            topics: links
                .iter()
                .map(|l| TopicLink {
                    name: l.name.clone(),
                    slug: l.slug.clone(),
                    count: l.count,
                })
                .collect(),
        };
        pages.push((
            format!("{}/topics", config.prefix(&lang.id)),
            html(page.render()?),
        ));
    }
    Ok(pages)
}

/// The plain pages, such as the editorial policy.
pub fn plain_pages(site: &Site, assets: &Assets) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let config = &site.config;
    let mut pages = Vec::new();
    for source in site.pages.values() {
        let path = format!("/pages/{}", source.slug);
        for lang in &config.languages {
            let page = source.in_language(&lang.id);
            let first_paragraph = page.body.text.split("\n\n").next().unwrap_or_default();
            let mut layout = Layout::new(site, assets, &page.title, first_paragraph, Some(&path))
                .in_language(site, &lang.id, &path);
            let untranslated = lang.id != config.source_language().id
                && !source.translations.contains_key(&lang.id);
            if untranslated {
                // The source text: search engines are sent to the source page.
                layout.canonical = Some(format!("{}{path}", config.base()));
            }
            layout.keep_alternates(|l| {
                !untranslated
                    && (l == config.source_language().id || source.translations.contains_key(l))
            });
            let t = config.messages.of(&lang.id);
            let view = PlainPage {
                layout,
                body: page.body.html.clone(),
                body_lang: untranslated.then(|| config.source_language().id.clone()),
                notice: untranslated.then(|| {
                    t.with(
                        "not-translated",
                        &[
                            ("language", &t.language_name(&lang.id)),
                            ("source", &t.language_name(&config.source_language().id)),
                        ],
                    )
                }),
            };
            pages.push((
                format!("{}{path}", config.prefix(&lang.id)),
                html(view.render()?),
            ));
        }
    }
    Ok(pages)
}

/// The most URLs one sitemap file may list (the sitemaps protocol's limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// `/sitemap.xml`, and on a site of more than [`SITEMAP_LIMIT`] URLs its parts `/sitemaps/{n}.xml`
/// (from 1) with `/sitemap.xml` the index of them, as the sitemaps protocol asks.
pub fn sitemap_pages(
    site: &Site,
    public: &[&Article],
) -> Result<Vec<(String, Prebuilt)>, BuildError> {
    let files = sitemap_files(
        site.config.base(),
        sitemap_urls(site, public),
        SITEMAP_LIMIT,
    )?;
    Ok(files
        .into_iter()
        .map(|(path, body)| {
            let page = Prebuilt::new(body, "application/xml; charset=utf-8", CACHE_PUBLIC)
                .with_last_modified(newest(public));
            (path, page)
        })
        .collect())
}

/// The sitemap files of `urls`, at most `limit` URLs a file: `/sitemap.xml` alone, or its parts
/// and `/sitemap.xml` as their index.
fn sitemap_files(
    base: &str,
    urls: Vec<SitemapUrl>,
    limit: usize,
) -> Result<Vec<(String, String)>, askama::Error> {
    if urls.len() <= limit {
        return Ok(vec![("/sitemap.xml".into(), Sitemap { urls }.render()?)]);
    }
    let mut files = Vec::new();
    let mut parts = Vec::new();
    let mut urls = urls.into_iter().peekable();
    let mut n = 0;
    while urls.peek().is_some() {
        n += 1;
        let chunk: Vec<SitemapUrl> = urls.by_ref().take(limit).collect();
        let path = format!("/sitemaps/{n}.xml");
        parts.push(format!("{base}{path}"));
        files.push((path, Sitemap { urls: chunk }.render()?));
    }
    files.push((
        "/sitemap.xml".into(),
        SitemapIndex { sitemaps: parts }.render()?,
    ));
    Ok(files)
}

/// `/reviewers`: every reviewer with their credentials, role, languages and declared interests, and
/// the public articles they approved, newest first.
pub fn review_board(
    site: &Site,
    assets: &Assets,
    public: &[&Article],
) -> Result<Prebuilt, BuildError> {
    use super::views::{BoardApproval, BoardMember, BoardPage};
    let default = &site.config.default_audience;
    let members: Vec<BoardMember> = site
        .reviewers
        .iter()
        .map(|(id, r)| {
            let mut approvals: Vec<(crate::content::Date, BoardApproval)> = Vec::new();
            for article in public
                .iter()
                .filter(|a| a.review.status == crate::content::ReviewStatus::Approved)
            {
                let mut dates: Vec<crate::content::Date> = article
                    .approvals
                    .iter()
                    .filter(|e| e.reviewers.iter().any(|x| x.id == *id))
                    .map(|e| e.date)
                    .collect();
                if article.approvals.is_empty()
                    && article.review.reviewed_by.iter().any(|x| x.id == *id)
                {
                    dates.extend(article.review.reviewed_on);
                }
                if let Some(latest) = dates.into_iter().max() {
                    approvals.push((
                        latest,
                        BoardApproval {
                            href: format!("/articles/{}/{default}", article.slug),
                            title: article.title.clone(),
                            date_iso: latest.iso(),
                            date_words: latest.in_words(),
                        },
                    ));
                }
            }
            approvals.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.title.cmp(&b.1.title)));
            BoardMember {
                id: id.clone(),
                name: r.name.clone(),
                credentials: r.credentials.clone(),
                role: r.role.clone().filter(|x| !x.trim().is_empty()),
                languages: (!r.languages.is_empty()).then(|| {
                    r.languages
                        .iter()
                        .map(|l| site.config.messages.source().language_name(l))
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
                interests: r
                    .declared_interests
                    .clone()
                    .filter(|x| !x.trim().is_empty())
                    .unwrap_or_else(|| "None declared".into()),
                sample: r.sample,
                approvals: approvals.into_iter().map(|(_, a)| a).collect(),
            }
        })
        .collect();
    let page = BoardPage {
        layout: Layout::new(
            site,
            assets,
            "Our reviewers",
            "The clinicians who review this site's articles, their declared interests and what they approved.",
            Some("/reviewers"),
        ),
        all_sample: !members.is_empty() && members.iter().all(|m| m.sample),
        members,
    };
    Ok(html(page.render()?))
}

/// Most entries in the change feed.
const FEED_ENTRIES: usize = 100;

/// `/changes.atom`: the approvals of every public article, newest first.
pub fn changes_feed(site: &Site, public: &[&Article]) -> Result<Prebuilt, BuildError> {
    let base = site.config.base();
    let default = &site.config.default_audience;
    let mut entries: Vec<(crate::content::Date, usize, FeedEntry)> = Vec::new();
    for article in public {
        let count = article.approvals.len();
        for (newest_first, approval) in article.approvals.iter().enumerate() {
            let number = count - newest_first;
            let page = format!("{base}/articles/{}/{default}", article.slug);
            entries.push((
                approval.date,
                number,
                FeedEntry {
                    title: if crate::content::sample_only(&approval.reviewers) {
                        format!(
                            "{} (sample approval by fictional reviewers, {})",
                            article.title,
                            approval.date.in_words()
                        )
                    } else {
                        format!("{} (reviewed {})", article.title, approval.date.in_words())
                    },
                    id: format!("{page}#approval-{number}"),
                    url: format!("{page}#changes"),
                    updated: format!("{}T00:00:00Z", approval.date.iso()),
                    reviewers: approval
                        .reviewers
                        .iter()
                        .map(|r| {
                            if r.sample {
                                format!("{} (fictional sample reviewer)", r.name)
                            } else {
                                r.name.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    note: approval.note.clone(),
                },
            ));
        }
    }
    entries.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.2.title.cmp(&b.2.title))
            .then_with(|| b.1.cmp(&a.1))
    });
    entries.truncate(FEED_ENTRIES);
    let updated = entries
        .first()
        .map(|(date, _, _)| format!("{}T00:00:00Z", date.iso()))
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".to_string());
    // Whatever the content holds, the feed stays well-formed XML.
    let entries = entries.into_iter().map(|(_, _, e)| FeedEntry {
        title: xml_text(&e.title),
        reviewers: xml_text(&e.reviewers),
        note: xml_text(&e.note),
        ..e
    });
    let feed = ChangesFeed {
        title: xml_text(&site.config.title),
        base: base.to_string(),
        updated,
        entries: entries.collect(),
    };
    Ok(Prebuilt::new(
        feed.render()?,
        "application/atom+xml; charset=utf-8",
        CACHE_PUBLIC,
    ))
}

pub fn robots(site: &Site) -> Result<Prebuilt, BuildError> {
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
pub fn asset_pages(assets: &Assets) -> Vec<(String, Prebuilt)> {
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

pub fn not_found_page(site: &Site, assets: &Assets) -> Result<Prebuilt, BuildError> {
    not_found_page_in(site, assets, &site.config.source_language().id)
}

/// Where the 404 page of a language other than the source is kept among the pages: `/es/404.html`.
pub fn not_found_path(prefix: &str) -> String {
    format!("{prefix}/404.html")
}

/// The 404 page in `lang`.
pub fn not_found_page_in(site: &Site, assets: &Assets, lang: &str) -> Result<Prebuilt, BuildError> {
    let t = site.config.messages.of(lang);
    let title = t.get("not-found-title");
    let layout = Layout::new(site, assets, &title, &title, None)
        .in_language(site, lang, "/")
        .unlisted();
    let not_found = ErrorPage {
        layout,
        heading: title,
        message: t.get("not-found-message"),
    };
    Ok(Prebuilt::new(
        not_found.render()?,
        HTML,
        "public, max-age=60",
    ))
}

/// `sitemap.xml`: home, browsing pages, plain pages, and every public wording (not the pages that fall
/// back to another wording, whose canonical URL is that wording's). Drafts never appear.
fn sitemap_urls(site: &Site, public: &[&Article]) -> Vec<SitemapUrl> {
    let config = &site.config;
    let base = config.base();
    let all: Vec<&str> = config.languages.iter().map(|l| l.id.as_str()).collect();
    // A page in each of `langs`, each listing the others as its alternates (with `x-default`,
    // the source) when there are several.
    let mut urls = Vec::new();
    let mut push = |path: &str, lastmod: Option<String>, langs: &[&str]| {
        let alternates: Vec<(String, String)> = if langs.len() > 1 {
            langs
                .iter()
                .map(|l| (l.to_string(), format!("{base}{}{path}", config.prefix(l))))
                .chain(std::iter::once((
                    "x-default".to_string(),
                    format!("{base}{path}"),
                )))
                .collect()
        } else {
            Vec::new()
        };
        for lang in langs {
            urls.push(SitemapUrl {
                loc: format!("{base}{}{path}", config.prefix(lang)),
                lastmod: lastmod.clone(),
                alternates: alternates.clone(),
            });
        }
    };
    push("/", None, &all);
    push("/articles", None, &all);
    push("/topics", None, &all);
    if az_is_split(public) {
        let letters: BTreeSet<String> = public.iter().map(|a| az_letter(a).1).collect();
        for anchor in letters {
            push(&az_letter_path(&anchor), None, &all[..1]);
        }
    }
    for page in site.pages.values() {
        let langs: Vec<&str> = all
            .iter()
            .copied()
            .filter(|l| *l == all[0] || page.translations.contains_key(*l))
            .collect();
        push(&format!("/pages/{}", page.slug), None, &langs);
    }
    if !site.reviewers.is_empty() {
        push("/reviewers", None, &all[..1]);
    }
    for article in public {
        for wording in &article.wordings {
            let langs: Vec<&str> = all
                .iter()
                .copied()
                .filter(|l| {
                    *l == all[0] || article.public_translation(l, &wording.audience).is_some()
                })
                .collect();
            push(
                &format!("/articles/{}/{}", article.slug, wording.audience),
                Some(article.updated.iso()),
                &langs,
            );
        }
    }
    urls
}

/// The id of a letter's section on the A to Z page: `a`; `u00c9` for a letter outside ASCII; `other` for
/// titles not starting with a letter (ids stay ASCII).
fn letter_anchor(letter: &str) -> String {
    match letter.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_lowercase().to_string(),
        // Each letter outside ASCII gets its own id (two such letters would share a transliteration).
        Some(c) if c.is_alphabetic() => format!("u{:04x}", c as u32),
        _ => "other".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{SitemapUrl, letter_anchor, sitemap_files};

    #[test]
    fn a_sitemap_over_the_limit_is_split_into_parts_under_an_index() {
        let urls = |n: usize| -> Vec<SitemapUrl> {
            (0..n)
                .map(|i| SitemapUrl {
                    loc: format!("https://h.example/articles/a{i}/patient"),
                    lastmod: None,
                    alternates: Vec::new(),
                })
                .collect()
        };
        let one = sitemap_files("https://h.example", urls(2), 2).unwrap();
        assert_eq!(one.len(), 1);
        assert!(one[0].1.contains("<urlset"));
        let files = sitemap_files("https://h.example", urls(5), 2).unwrap();
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/sitemaps/1.xml",
                "/sitemaps/2.xml",
                "/sitemaps/3.xml",
                "/sitemap.xml"
            ]
        );
        let index = roxmltree::Document::parse(&files[3].1).unwrap();
        let locs: Vec<&str> = index
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            locs,
            [
                "https://h.example/sitemaps/1.xml",
                "https://h.example/sitemaps/2.xml",
                "https://h.example/sitemaps/3.xml"
            ]
        );
        for (_, body) in &files[..3] {
            let part = roxmltree::Document::parse(body).unwrap();
            let n = part.descendants().filter(|n| n.has_tag_name("url")).count();
            assert!(n <= 2 && n > 0, "{body}");
        }
    }

    #[test]
    fn spanish_titles_sort_with_accents_folded_and_n_tilde_after_n() {
        use super::{az_letter_of, collation_key};
        let mut titles = vec![
            "Ñame",
            "Oído",
            "Nuez",
            "Ácido úrico",
            "Asma",
            "nz",
            "Úlcera",
        ];
        titles.sort_by_key(|t| collation_key(t, "es"));
        assert_eq!(
            titles,
            vec![
                "Ácido úrico",
                "Asma",
                "Nuez",
                "nz",
                "Ñame",
                "Oído",
                "Úlcera"
            ]
        );
        assert_eq!(az_letter_of("Ácido úrico", "es").0, "A");
        assert_eq!(az_letter_of("Ñame", "es").0, "Ñ");
        assert_eq!(az_letter_of("Úlcera", "es").0, "U");
        // English keeps a letter as written.
        assert_eq!(az_letter_of("Éclair", "en").0, "É");
    }

    #[test]
    fn every_letter_group_has_its_own_id() {
        assert_eq!(letter_anchor("E"), "e");
        assert_eq!(letter_anchor("É"), "u00c9");
        assert_eq!(letter_anchor("Ö"), "u00d6");
        assert_eq!(letter_anchor("#"), "other");
    }
}
