//! Page structs, one per template, built from the content model. Rendering happens once per content
//! load (see [`super::stages`]), never per request.

use super::assets::Assets;
use crate::content::{Article, Audience, AudienceType, Reference, ReviewStatus, Site, Wording};
use crate::markdown::slugify;
use crate::messages::Catalog;
use askama::Template;
use std::sync::Arc;

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
    pub script: String,
    pub nav: Vec<NavLink>,
    /// Open Graph type: `website`, or `article` on article pages.
    pub og_type: &'static str,
    /// The audience whose wording the page shows, carried by the search form.
    pub audience: Option<String>,
    /// Editor pages: the script that reloads the page when content changes.
    pub live_reload: Option<String>,
    /// Editor pages: use the full width of the window rather than the readers' column.
    pub wide: bool,
    /// `site.toml`'s `notice`, shown as a banner on every page (escaped, as plain text).
    pub notice: Option<String>,
    /// `site.toml`'s `tagline`, in the footer.
    pub tagline: Option<String>,
    /// A page of the static export: nothing on it may need the server.
    pub static_export: bool,
    /// Where to turn in an emergency (`site.toml`'s `emergency`).
    pub emergency: String,
    /// The question already asked, shown in the follow-up box (on `/ask`; empty elsewhere).
    pub follow_up: String,
    /// The page's language (`<html lang>`), a `[[languages]]` id.
    pub lang: String,
    /// The site's words in the page's language.
    pub t: Arc<Catalog>,
    /// What the page's own links start with: nothing in the source language, `/es` in Spanish.
    pub prefix: String,
    /// The title of the "what changed" feed.
    pub feed_title: String,
    /// `hreflang` alternates: this page in every language, and `x-default`.
    pub alternates: Vec<Alternate>,
    /// The header's links to this page in the other languages.
    pub languages: Vec<LanguageLink>,
}

/// The plain pages (in `lang`, under its prefix) and the review board, as the header and footer
/// link them.
fn nav_links(site: &Site, lang: &str) -> Vec<NavLink> {
    let prefix = site.config.prefix(lang);
    site.pages
        .values()
        .map(|p| NavLink {
            href: format!("{prefix}/pages/{}", p.slug),
            label: p.title_in(lang).to_string(),
        })
        .chain((!site.reviewers.is_empty()).then(|| NavLink {
            href: "/reviewers".to_string(),
            label: site.config.messages.of(lang).get("nav-reviewers"),
        }))
        .collect()
}

/// One `<link rel="alternate" hreflang>`.
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

/// A link to the page in one language, in that language's own name.
pub struct LanguageLink {
    pub lang: String,
    pub label: String,
    pub href: String,
    pub current: bool,
}

impl Layout {
    pub fn new(
        site: &Site,
        assets: &Assets,
        title: &str,
        description: &str,
        path: Option<&str>,
    ) -> Self {
        let t = site.config.messages.source();
        Layout {
            lang: t.lang().to_string(),
            prefix: String::new(),
            feed_title: t.with("changes-feed-title", &[("site", &site.config.title)]),
            alternates: Vec::new(),
            languages: Vec::new(),
            t,
            site_title: site.config.title.clone(),
            title: title.to_string(),
            description: description.to_string(),
            canonical: path.map(|p| format!("{}{p}", site.config.base())),
            stylesheet: assets.url("style.css"),
            favicon: assets.url("favicon.svg"),
            script: assets.url("wording.js"),
            og_type: "website",
            audience: None,
            live_reload: None,
            wide: false,
            notice: site.config.notice.clone(),
            tagline: site.config.tagline.clone(),
            static_export: site.config.static_export,
            emergency: site.config.emergency().to_string(),
            follow_up: String::new(),
            nav: nav_links(site, &site.config.source_language().id),
        }
    }

    /// Keeps only the alternates in the languages for which `written_in` holds (and `x-default`),
    /// and none when the page is written in one language only: a page not yet translated is the
    /// source page's, not a version of its own.
    pub fn keep_alternates(&mut self, written_in: impl Fn(&str) -> bool) {
        self.alternates
            .retain(|a| a.hreflang == "x-default" || written_in(&a.hreflang));
        if self.alternates.len() <= 2 {
            self.alternates.clear();
        }
    }

    /// A page that is no page of its own (an error): no canonical URL, alternates or language links.
    pub fn unlisted(mut self) -> Self {
        self.canonical = None;
        self.alternates.clear();
        self.languages.clear();
        self
    }

    /// The page in `lang`, at `path` (its path in the source language, e.g. `/articles`), which
    /// exists in every language: its links, canonical URL, `hreflang` alternates and the header's
    /// language links follow. On a site of one language, only the canonical URL changes.
    pub fn in_language(mut self, site: &Site, lang: &str, path: &str) -> Self {
        let config = &site.config;
        let t = config.messages.of(lang);
        self.lang = t.lang().to_string();
        self.prefix = config.prefix(lang);
        self.canonical = Some(format!("{}{}{path}", config.base(), self.prefix));
        self.feed_title = t.with("changes-feed-title", &[("site", &config.title)]);
        self.description = match self.description.as_str() {
            d if Some(d) == config.description.as_deref() => {
                config.description_in(lang).unwrap_or(d).to_string()
            }
            d => d.to_string(),
        };
        self.notice = config.notice_in(lang).map(str::to_string);
        self.tagline = config.tagline_in(lang).map(str::to_string);
        self.emergency = config.emergency_in(lang).to_string();
        self.nav = nav_links(site, lang);
        if config.languages.len() > 1 {
            let url = |l: &str| format!("{}{}{path}", config.base(), config.prefix(l));
            self.alternates = config
                .languages
                .iter()
                .map(|l| Alternate {
                    hreflang: l.id.clone(),
                    href: url(&l.id),
                })
                .chain(std::iter::once(Alternate {
                    hreflang: "x-default".to_string(),
                    href: url(&config.source_language().id),
                }))
                .collect();
            self.languages = config
                .languages
                .iter()
                .map(|l| LanguageLink {
                    lang: l.id.clone(),
                    label: l.label.clone(),
                    href: format!("{}{path}", config.prefix(&l.id)),
                    current: l.id == lang,
                })
                .collect();
        }
        self.t = t;
        self
    }

    /// A page with no canonical URL of its own (search results, answers): its alternates and
    /// language links stay.
    pub fn without_canonical(mut self) -> Self {
        self.canonical = None;
        self.alternates.clear();
        self
    }

    /// Marks the page as showing `audience`'s wording of an article.
    pub fn for_article(mut self, audience: &str) -> Self {
        self.og_type = "article";
        self.audience = Some(audience.to_string());
        self
    }

    pub fn with_audience(mut self, audience: Option<&str>) -> Self {
        self.audience = audience.map(str::to_string);
        self
    }

    /// Shows `question` in the follow-up box.
    pub fn with_follow_up(mut self, question: &str) -> Self {
        self.follow_up = question.to_string();
        self
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
    /// For the static export, which has no server to post the form to: each wording's own URL
    /// (the same page in that wording), shown as links instead of the form.
    pub links: Vec<(String, String, bool)>,
}

impl AudienceChoice {
    /// The choice in `lang`: the audiences' labels and descriptions in that language.
    pub fn in_language(
        config: &crate::content::SiteConfig,
        next: &str,
        current: Option<&str>,
        lang: &str,
    ) -> Self {
        let mut choice = Self::new(&config.audiences, next, current);
        for (option, audience) in choice.options.iter_mut().zip(&config.audiences) {
            let text = config.audience_text(audience, lang);
            option.label = text.label.unwrap_or_default();
            option.description = text.description.unwrap_or_default();
        }
        choice
    }

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
            links: Vec::new(),
        }
    }

    /// The wordings of an article as links (label, URL, whether it is the one shown), for the export.
    pub fn with_links(mut self, slug: &str, audiences: &[Audience], current: &str) -> Self {
        self.links = audiences
            .iter()
            .map(|a| {
                (
                    a.label.clone(),
                    format!("/articles/{slug}/{}", a.id),
                    a.id == current,
                )
            })
            .collect();
        self
    }
}

/// A topic as a link: its name and the slug of its page.
pub struct TopicLink {
    pub name: String,
    pub slug: String,
    pub count: usize,
}

impl TopicLink {
    pub fn of(name: &str) -> Self {
        TopicLink {
            name: name.to_string(),
            slug: slugify(name),
            count: 0,
        }
    }
}

pub struct ArticleCard {
    pub slug: String,
    /// Where the card links: the article (which opens the reader's wording), or one wording.
    pub href: String,
    pub title: String,
    pub summary: String,
    pub topics: Vec<TopicLink>,
    pub pending: bool,
    /// The language of its title and summary, when not the page's (an article not yet translated).
    pub lang: Option<String>,
}

impl ArticleCard {
    pub fn of(article: &Article) -> Self {
        ArticleCard {
            slug: article.slug.clone(),
            href: format!("/articles/{}", article.slug),
            title: article.title.clone(),
            summary: article.summary.clone(),
            topics: article.topics.iter().map(|t| TopicLink::of(t)).collect(),
            pending: article.review.status != ReviewStatus::Approved,
            lang: None,
        }
    }

    /// The card as readers of `lang` see it: links under the language's prefix, the title and
    /// summary in that language where the article has them.
    pub fn in_language(
        mut self,
        config: &crate::content::SiteConfig,
        article: &Article,
        lang: &str,
    ) -> Self {
        if lang == config.source_language().id {
            return self;
        }
        self.href = format!("{}{}", config.prefix(lang), self.href);
        match article
            .translated
            .get(lang)
            .and_then(|t| t.title.as_deref())
        {
            Some(title) => {
                self.title = title.to_string();
                self.summary = article.summary_in(lang).to_string();
            }
            None => self.lang = Some(config.source_language().id.clone()),
        }
        self
    }

    /// The card of `article` linking to its wording for `audience`.
    pub fn for_audience(article: &Article, audience: &str) -> Self {
        let mut card = Self::of(article);
        card.href = format!("/articles/{}/{audience}", article.slug);
        card
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub description: Option<String>,
    pub articles: Vec<ArticleCard>,
    /// How many public articles are not listed on the home page.
    pub more: usize,
    pub total: usize,
    pub choice: AudienceChoice,
    /// "See all 120 articles from A to Z".
    pub see_all: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub query: String,
    pub audience_label: String,
    pub searched: bool,
    pub hits: Vec<crate::search::Hit>,
    /// The label of each hit's audience where it matched only in another wording.
    pub found_in: Vec<Option<String>>,
    /// Readers' words (`synonyms.toml`) searched as well as the query's own, e.g. "leg cramp" for
    /// "charley horse".
    pub also_searched: Vec<String>,
    /// How many articles matched, in words.
    pub result_count: String,
}

impl SearchPage {
    pub fn new(
        site: &Site,
        assets: &Assets,
        lang: &str,
        query: String,
        audience: &Audience,
        hits: Vec<crate::search::Hit>,
    ) -> Self {
        let t = site.config.messages.of(lang);
        let title = if query.is_empty() {
            t.get("search-title")
        } else {
            t.with("search-title-query", &[("query", &query)])
        };
        let label = |a: &Audience| {
            site.config
                .audience_text(a, lang)
                .label
                .unwrap_or_else(|| a.label.clone())
        };
        let found_in = hits
            .iter()
            .map(|hit| {
                hit.other_wording
                    .then(|| site.config.audience(&hit.audience))
                    .flatten()
                    .map(|a| t.with("search-found-in", &[("audience", &label(a))]))
            })
            .collect();
        let synonyms = site.synonyms_in(lang);
        let also_searched = also_searched(synonyms, &query);
        let audience_label = label(audience);
        let result_count = if hits.is_empty() {
            t.with("search-none", &[("query", &query)])
        } else {
            t.count(
                "search-count",
                hits.len(),
                &[("query", &query), ("audience", &audience_label)],
            )
        };
        SearchPage {
            layout: Layout::new(site, assets, &title, &t.get("search-description"), None)
                .in_language(site, lang, "/search")
                .without_canonical()
                .with_audience(Some(&audience.id)),
            also_searched,
            searched: !query.is_empty(),
            query,
            audience_label,
            hits,
            found_in,
            result_count,
        }
    }
}

/// Most of a group's other terms named on the results page.
const MOST_ALSO_SEARCHED: usize = 4;

/// The other terms of each synonym group one of whose terms is in `query` (as whole words, a
/// plural `s` aside, as the search's stemming treats them), to say what was searched.
fn also_searched(groups: &[Vec<String>], query: &str) -> Vec<String> {
    let words = |text: &str| -> Vec<String> {
        text.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.strip_suffix('s')
                    .filter(|s| s.len() > 2)
                    .unwrap_or(w)
                    .to_string()
            })
            .collect()
    };
    let asked = words(query);
    let mut out: Vec<String> = Vec::new();
    for group in groups {
        let found = group.iter().find(|term| {
            let term = words(term);
            !term.is_empty() && asked.windows(term.len()).any(|w| w == &term[..])
        });
        let Some(found) = found else { continue };
        for term in group
            .iter()
            .filter(|t| *t != found)
            .take(MOST_ALSO_SEARCHED)
        {
            if !out.contains(term) {
                out.push(term.clone());
            }
        }
    }
    out
}

/// One passage answering a follow-up question, as shown.
pub struct AnswerView {
    pub article_title: String,
    pub heading: String,
    /// The article page at the section.
    pub href: String,
    pub paragraphs: Vec<String>,
    pub references: Vec<RefView>,
    /// Where the references are listed in full on the article page.
    pub article_href: String,
    /// The article's approval is a sample, by fictional reviewers.
    pub sample: bool,
}

/// `/ask`: passages of reviewed articles that answer a reader's question, or a plain "no answer".
#[derive(Template)]
#[template(path = "ask.html")]
pub struct AskPage {
    pub layout: Layout,
    pub question: String,
    pub asked: bool,
    pub audience_label: String,
    pub answers: Vec<AnswerView>,
    /// Whether any approved article exists to answer from.
    pub any_reviewed: bool,
    /// Whether any answer comes from a sample approval (fictional reviewers).
    pub any_sample: bool,
    /// "Your question: ..."
    pub question_heading: String,
    /// What the answers are, in words ("These 3 passages from our reviewed articles ...").
    pub answers_about: String,
}

impl AskPage {
    pub fn new(
        site: &Site,
        assets: &Assets,
        lang: &str,
        question: String,
        audience: &Audience,
        passages: Vec<crate::search::Passage>,
    ) -> Self {
        let t = site.config.messages.of(lang);
        let prefix = site.config.prefix(lang);
        let question_heading = t.with("ask-your-question", &[("question", &question)]);
        let title = if question.is_empty() {
            t.get("ask-title")
        } else {
            question_heading.clone()
        };
        let answers: Vec<AnswerView> = passages
            .into_iter()
            .filter_map(|p| {
                let article = site.articles.get(&p.slug)?;
                let article_href = format!("{prefix}/articles/{}/{}", p.slug, p.audience);
                let href = if p.section.is_empty() {
                    article_href.clone()
                } else {
                    format!("{article_href}#{}", p.section)
                };
                Some(AnswerView {
                    article_title: p.title,
                    heading: p.heading,
                    href,
                    paragraphs: p
                        .text
                        .split("\n\n")
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect(),
                    references: p
                        .cites
                        .iter()
                        .filter_map(|(n, key)| {
                            article.reference(key).map(|r| RefView::new(*n, r, &t))
                        })
                        .collect(),
                    article_href,
                    sample: crate::content::sample_only(&article.review.reviewed_by),
                })
            })
            .collect();
        let any_sample = answers.iter().any(|a: &AnswerView| a.sample);
        let audience_label = site
            .config
            .audience_text(audience, lang)
            .label
            .unwrap_or_else(|| audience.label.clone());
        let answers_about = if answers.is_empty() {
            t.get("ask-none")
        } else {
            t.count(
                "ask-found",
                answers.len(),
                &[
                    ("sample", if any_sample { "yes" } else { "no" }),
                    ("audience", &audience_label),
                ],
            )
        };
        AskPage {
            layout: Layout::new(site, assets, &title, &t.get("ask-description"), None)
                .in_language(site, lang, "/ask")
                .without_canonical()
                .with_audience(Some(&audience.id))
                .with_follow_up(&question),
            question_heading,
            answers_about,
            asked: !question.is_empty(),
            question,
            audience_label,
            answers,
            any_sample,
            any_reviewed: site
                .articles
                .values()
                .any(|a| a.review.status == ReviewStatus::Approved),
        }
    }
}

#[derive(Template)]
#[template(path = "topics.html")]
pub struct TopicsPage {
    pub layout: Layout,
    pub topics: Vec<TopicLink>,
}

#[derive(Template)]
#[template(path = "topic.html")]
pub struct TopicPage {
    pub layout: Layout,
    pub cards: Vec<ArticleCard>,
}

pub struct LetterGroup {
    pub letter: String,
    pub anchor: String,
    pub articles: Vec<ArticleCard>,
}

/// A letter in the A to Z's list of letters.
#[derive(Clone)]
pub struct AzLetter {
    pub letter: String,
    pub anchor: String,
    /// Its section on the one page, or its own page when the A to Z is split.
    pub href: String,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "az.html")]
pub struct AzPage {
    pub layout: Layout,
    pub letters: Vec<AzLetter>,
    /// The letter this page shows, on a split A to Z's letter page.
    pub current: Option<String>,
    /// One page per letter (a large site), else one page of everything.
    pub split: bool,
    /// Public articles in all.
    pub total: usize,
    pub groups: Vec<LetterGroup>,
    /// "120 articles. Choose the first letter ...", on a split A to Z.
    pub choose: String,
}

pub struct Step {
    pub label: String,
    /// `done`, `current` or `todo`: also the CSS class suffix.
    pub state: &'static str,
}

pub fn review_steps(status: ReviewStatus, t: &Catalog) -> Vec<Step> {
    ReviewStatus::STEPS
        .iter()
        .map(|&step| Step {
            label: t.get(step.message_key()),
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
    pub label: String,
    pub href: String,
}

pub struct RefView {
    pub number: usize,
    pub key: String,
    pub kind: String,
    pub kind_class: String,
    pub title: String,
    pub source: String,
    pub year: i32,
    pub links: Vec<RefLink>,
}

impl RefView {
    pub fn new(number: usize, r: &Reference, t: &Catalog) -> Self {
        let mut links = Vec::new();
        if let Some(href) = r.doi_url() {
            links.push(RefLink {
                label: "DOI".to_string(),
                href,
            });
        }
        if let Some(href) = r.pubmed_url() {
            links.push(RefLink {
                label: "PubMed".to_string(),
                href,
            });
        }
        if let Some(href) = &r.url {
            links.push(RefLink {
                label: t.get("ref-source"),
                href: href.clone(),
            });
        }
        RefView {
            number,
            key: r.key.clone(),
            kind: t.get(r.kind.message_key()),
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
    /// A made-up sample reviewer: the page says so beside the name.
    pub sample: bool,
}

pub struct ArticleView<'a> {
    /// The article's slug and the audience of this page's URL, for the feedback form.
    pub slug: String,
    pub audience: String,
    pub title: String,
    pub summary: String,
    pub topics: Vec<TopicLink>,
    /// schema.org `MedicalWebPage`, escaped for a `<script type="application/ld+json">` element.
    pub json_ld: String,
    pub updated_iso: String,
    pub updated_words: String,
    pub pending: bool,
    pub has_policy: bool,
    pub fallback_notice: Option<String>,
    pub steps: Vec<Step>,
    /// The review step reached, in words ("Under review").
    pub status: String,
    pub reviewers: Vec<ReviewerView>,
    /// Some reviewer is a made-up sample: the compact review line says so once, in these words.
    pub sample_reviewers: Option<String>,
    /// A translation's notice: a sample translation, or one that follows an earlier source text.
    pub translation_notice: Option<TranslationNotice>,
    /// The language of the title, summary and body when it is not the page's (the source wording
    /// shown to readers of a language it is not yet translated into).
    pub body_lang: Option<String>,
    /// The language the reviewers' notes ("What changed") are written in, when not the page's.
    pub notes_lang: Option<String>,
    pub reviewed_on: Option<(String, String)>,
    pub next_review: Option<(String, String)>,
    /// The wording's sanitised HTML, with the section switches (see `section_switches`) after each
    /// heading the other wordings share; borrowed where there are none: pages are many and bodies large.
    pub body: std::borrow::Cow<'a, str>,
    pub references: Vec<RefView>,
    /// What the evidence grades beside citations mean, one line per system used (professional
    /// wordings only: patient wordings do not show grades).
    pub grade_key: Vec<String>,
    pub disclaimer: String,
    /// Every approval's note, newest first ("What changed").
    pub changes: Vec<ChangeView>,
    /// When an approved article was due for review, if that day has passed.
    pub review_due: Option<String>,
}

/// A translation's notice above its text.
pub struct TranslationNotice {
    /// "This translation follows the English version of 3 May 2026 ...", or empty.
    pub text: String,
    /// The source page's change log, when the source has moved on.
    pub changes_href: Option<String>,
    pub source_lang: String,
    /// A sample translation (`sample = true` in `[translations.<lang>]`).
    pub sample: bool,
}

/// One approval of an article's text, as "What changed" lists it.
pub struct ChangeView {
    pub date_iso: String,
    pub date_words: String,
    pub reviewers: String,
    pub note: String,
    /// A sample approval: by fictional reviewers only.
    pub sample: bool,
    /// "Approved by ...", in the page's language.
    pub by: String,
}

impl ChangeView {
    pub fn of(entry: &crate::content::approval::ApprovalEntry) -> Self {
        Self::in_words(entry, &crate::messages::Messages::english().source())
    }

    pub fn in_words(entry: &crate::content::approval::ApprovalEntry, t: &Catalog) -> Self {
        let reviewers = entry
            .reviewers
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let sample = crate::content::sample_only(&entry.reviewers);
        ChangeView {
            date_iso: entry.date.iso(),
            date_words: t.date(entry.date),
            by: t.with(
                if sample {
                    "sample-approval-by"
                } else {
                    "approved-by"
                },
                &[("reviewers", &reviewers)],
            ),
            reviewers,
            note: entry.note.clone(),
            sample,
        }
    }
}

/// The wording's body with, after each section heading (`<h2 id>`) that another wording of the
/// article shares, a small form to read that section in the other wording: it remembers the choice
/// as the "Which best describes you?" form does and opens the other wording at the same section, so a
/// reader deep in the article keeps their place, with or without JavaScript.
fn section_switches<'a>(
    site: &Site,
    article: &Article,
    wording: &'a Wording,
    lang: &str,
) -> std::borrow::Cow<'a, str> {
    let t = site.config.messages.of(lang);
    let prefix = site.config.prefix(lang);
    let html = wording.body.html.as_str();
    if site.config.static_export {
        return std::borrow::Cow::Borrowed(html);
    }
    // Each other wording readers of `lang` get, with its button's words (escaped), made once.
    let others: Vec<(&Audience, &Wording, String)> = site
        .config
        .audiences
        .iter()
        .filter(|a| a.id != wording.audience)
        .filter_map(|a| {
            let label = site.config.audience_text(a, lang).label.unwrap_or_default();
            let button = escape_html(&t.with("section-switch", &[("audience", &label)]));
            article
                .public_translation(lang, &a.id)
                .map(|t| &t.wording)
                .or_else(|| article.wording(&a.id))
                .map(|w| (a, w, button))
        })
        .collect();
    let mut out = String::new();
    let mut copied = 0;
    for heading in wording.body.headings.iter().filter(|h| h.level == 2) {
        let shared: Vec<(&Audience, &str)> = others
            .iter()
            .filter(|(_, w, _)| w.body.headings.iter().any(|h| h.id == heading.id))
            .map(|(a, _, button)| (*a, button.as_str()))
            .collect();
        if shared.is_empty() {
            continue;
        }
        let open = format!("<h2 id=\"{}\"", heading.id);
        let Some(start) = html[copied..].find(&open).map(|i| i + copied) else {
            continue;
        };
        let Some(end) = html[start..]
            .find("</h2>")
            .map(|i| i + start + "</h2>".len())
        else {
            continue;
        };
        out.push_str(&html[copied..end]);
        copied = end;
        for (audience, label) in shared {
            out.push_str(&format!(
                "\n<form class=\"section-switch\" method=\"post\" action=\"/audience\"><input type=\"hidden\" name=\"next\" value=\"{prefix}/articles/{slug}\"><input type=\"hidden\" name=\"section\" value=\"{id}\"><input type=\"hidden\" name=\"audience\" value=\"{aud}\"><button type=\"submit\" class=\"link-button\">{label}</button></form>",
                slug = article.slug,
                id = heading.id,
                aud = audience.id,
            ));
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage<'a> {
    pub layout: Layout,
    pub view: ArticleView<'a>,
    pub choice: AudienceChoice,
}

impl<'a> ArticlePage<'a> {
    /// The page at `/articles/{slug}/{requested}`, showing `wording` (the requested one, or the nearest).
    pub fn new(
        site: &Site,
        assets: &Assets,
        article: &Article,
        requested: &Audience,
        wording: &'a Wording,
    ) -> Self {
        let source = site.config.source_language().id.clone();
        Self::in_language(site, assets, article, requested, wording, &source, None)
    }

    /// The page in `lang` at `{prefix}/articles/{slug}/{requested}`: `wording` is the approved
    /// translation (`translation` says where it stands against its source), or the source wording
    /// for a language it is not yet translated into.
    pub fn in_language(
        site: &Site,
        assets: &Assets,
        article: &Article,
        requested: &Audience,
        wording: &'a Wording,
        lang: &str,
        translation: Option<&crate::content::TranslationState>,
    ) -> Self {
        let config = &site.config;
        let t = config.messages.of(lang);
        let shown = config.audience(&wording.audience).unwrap_or(requested);
        let label = |a: &Audience| {
            config
                .audience_text(a, lang)
                .label
                .unwrap_or_else(|| a.label.clone())
        };
        let fallback_notice = (shown.id != requested.id).then(|| {
            t.with(
                "not-written-for",
                &[("requested", &label(requested)), ("shown", &label(shown))],
            )
        });
        let source_lang = config.source_language();
        let translated = wording.lang != source_lang.id;
        let not_translated = lang != wording.lang;
        let (title, summary) = if translated {
            (
                wording
                    .title
                    .as_deref()
                    .unwrap_or_else(|| article.title_in(lang)),
                wording
                    .summary
                    .as_deref()
                    .unwrap_or_else(|| article.summary_in(lang)),
            )
        } else {
            (article.title_for(wording), article.summary_for(wording))
        };
        let source_name = t.language_name(&source_lang.id);
        let language_name = t.language_name(lang);
        let path = format!("/articles/{}/{}", article.slug, shown.id);
        let canonical = if not_translated {
            // The same text as the source page: search engines are sent there.
            path.clone()
        } else {
            format!("{}{path}", config.prefix(lang))
        };
        let sample = article.translated.get(lang).is_some_and(|t| t.sample);
        let translation_notice = if not_translated && lang != source_lang.id {
            Some(TranslationNotice {
                text: t.with(
                    "not-translated",
                    &[("language", &language_name), ("source", &source_name)],
                ),
                changes_href: None,
                source_lang: source_lang.id.clone(),
                sample: false,
            })
        } else {
            match translation {
                Some(crate::content::TranslationState::OutOfDate { follows, updated }) => {
                    let text = match (follows, updated) {
                        (Some(f), Some(u)) => t.with(
                            "translation-out-of-date",
                            &[
                                ("source", &source_name),
                                ("follows", &t.date(*f)),
                                ("updated", &t.date(*u)),
                            ],
                        ),
                        _ => t.with(
                            "translation-out-of-date-undated",
                            &[("source", &source_name)],
                        ),
                    };
                    Some(TranslationNotice {
                        text,
                        changes_href: Some(format!("{path}#changes")),
                        source_lang: source_lang.id.clone(),
                        sample,
                    })
                }
                Some(_) if sample => Some(TranslationNotice {
                    text: String::new(),
                    changes_href: None,
                    source_lang: source_lang.id.clone(),
                    sample,
                }),
                _ => None,
            }
        };
        let date = |d: Option<crate::content::Date>| d.map(|d| (d.iso(), t.date(d)));
        let shown_text = config.audience_text(shown, lang);
        let view = ArticleView {
            slug: article.slug.clone(),
            audience: requested.id.clone(),
            title: title.to_string(),
            summary: summary.to_string(),
            topics: article.topics.iter().map(|t| TopicLink::of(t)).collect(),
            json_ld: json_ld(site, article, wording, shown, &canonical, (title, summary)),
            updated_iso: article.updated.iso(),
            updated_words: t.date(article.updated),
            pending: article.review.status != ReviewStatus::Approved,
            has_policy: site.pages.contains_key("editorial-policy"),
            fallback_notice,
            translation_notice,
            body_lang: not_translated.then(|| wording.lang.clone()),
            notes_lang: (lang != source_lang.id).then(|| source_lang.id.clone()),
            steps: review_steps(article.review.status, &t),
            status: if article.review.status == ReviewStatus::Approved
                && crate::content::sample_only(&article.review.reviewed_by)
            {
                t.get("status-sample-approved")
            } else {
                t.get(article.review.status.message_key())
            },
            reviewers: article
                .review
                .reviewed_by
                .iter()
                .map(|r| ReviewerView {
                    name: r.name.clone(),
                    credentials: r.credentials.clone(),
                    sample: r.sample,
                })
                .collect(),
            sample_reviewers: match article
                .review
                .reviewed_by
                .iter()
                .filter(|r| r.sample)
                .count()
            {
                0 => None,
                1 => Some(t.get("fictional-reviewer")),
                _ => Some(t.get("fictional-reviewers")),
            },
            reviewed_on: date(article.review.reviewed_on),
            next_review: date(article.review.next_review),
            body: section_switches(site, article, wording, lang),
            references: article
                .cited_references(wording)
                .enumerate()
                .map(|(i, r)| RefView::new(i + 1, r, &t))
                .collect(),
            grade_key: if shown.readers == AudienceType::Clinician {
                let mut systems: Vec<&str> = Vec::new();
                for (grade, _) in &wording.body.grades {
                    if !systems.contains(&grade.system()) {
                        systems.push(grade.system());
                    }
                }
                t.grade_key(&systems)
            } else {
                Vec::new()
            },
            disclaimer: shown_text
                .disclaimer
                .unwrap_or_else(|| t.get("default-disclaimer")),
            changes: article
                .approvals
                .iter()
                .map(|e| ChangeView::in_words(e, &t))
                .collect(),
            review_due: article
                .review
                .next_review
                .filter(|due| {
                    article.review.status == ReviewStatus::Approved
                        && *due < crate::content::Date::today()
                })
                .map(|due| t.with("review-due", &[("date", &t.date(due))])),
        };
        let next = format!("{}/articles/{}", config.prefix(lang), article.slug);
        let mut layout = Layout::new(site, assets, title, summary, Some(&canonical))
            .in_language(site, lang, &path)
            .for_article(&shown.id);
        layout.canonical = Some(format!("{}{canonical}", config.base()));
        layout.keep_alternates(|l| {
            l == source_lang.id || article.public_translation(l, &shown.id).is_some()
        });
        ArticlePage {
            layout,
            view,
            choice: AudienceChoice::in_language(config, &next, Some(&requested.id), lang)
                .with_links(&article.slug, &config.audiences, &shown.id),
        }
    }
}

#[derive(Template)]
#[template(path = "page.html")]
pub struct PlainPage {
    pub layout: Layout,
    pub body: String,
    /// The body's language when it is not the page's (a page not yet translated).
    pub body_lang: Option<String>,
    /// Says the page is not yet translated, in the reader's language.
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub heading: String,
    pub message: String,
}

/// schema.org `MedicalWebPage` for one wording, as JSON safe to place inside a `<script>` element.
fn json_ld(
    site: &Site,
    article: &Article,
    wording: &Wording,
    shown: &Audience,
    path: &str,
    texts: (&str, &str),
) -> String {
    use serde::Serialize;
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
        name: &'a str,
        description: &'a str,
        url: String,
        #[serde(rename = "inLanguage")]
        in_language: &'a str,
        #[serde(rename = "datePublished")]
        date_published: String,
        #[serde(rename = "dateModified")]
        date_modified: String,
        #[serde(rename = "lastReviewed", skip_serializing_if = "Option::is_none")]
        last_reviewed: Option<String>,
        about: &'a [String],
        audience: Readers,
        citation: Vec<Citation<'a>>,
        #[serde(rename = "reviewedBy", skip_serializing_if = "Vec::is_empty")]
        reviewed_by: Vec<Person<'a>>,
        publisher: Named<'a>,
    }
    #[derive(Serialize)]
    struct Readers {
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "audienceType", skip_serializing_if = "Option::is_none")]
        audience_type: Option<&'static str>,
    }
    #[derive(Serialize)]
    struct Named<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: &'a str,
    }
    #[derive(Serialize)]
    struct Person<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: &'a str,
        #[serde(rename = "hasCredential")]
        has_credential: Named<'a>,
        url: String,
    }
    #[derive(Serialize)]
    struct Citation<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: &'a str,
        publisher: &'a str,
        #[serde(rename = "datePublished")]
        date_published: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    }
    let page = Page {
        context: "https://schema.org",
        kind: "MedicalWebPage",
        name: texts.0,
        description: texts.1,
        url: format!("{}{path}", site.config.base()),
        in_language: &wording.lang,
        date_published: article.review.reviewed_on.unwrap_or(article.updated).iso(),
        date_modified: article.updated.iso(),
        // A sample approval is no review: search engines are not told of one.
        last_reviewed: article
            .review
            .reviewed_on
            .filter(|_| !crate::content::sample_only(&article.review.reviewed_by))
            .map(|on| on.iso()),
        about: &article.topics,
        audience: match shown.readers {
            AudienceType::Clinician => Readers {
                kind: "MedicalAudience",
                audience_type: Some("Clinician"),
            },
            AudienceType::Patient => Readers {
                kind: "Patient",
                audience_type: None,
            },
        },
        citation: article
            .cited_references(wording)
            .map(|r| Citation {
                kind: "CreativeWork",
                name: &r.title,
                publisher: &r.source,
                date_published: r.year.to_string(),
                url: r
                    .doi_url()
                    .or_else(|| r.url.clone())
                    .or_else(|| r.pubmed_url()),
            })
            .collect(),
        // Made-up sample reviewers are not offered to search engines as people who reviewed the page.
        reviewed_by: article
            .review
            .reviewed_by
            .iter()
            .filter(|r| !r.sample)
            .map(|r| Person {
                kind: "Person",
                name: &r.name,
                has_credential: Named {
                    kind: "EducationalOccupationalCredential",
                    name: &r.credentials,
                },
                url: format!("{}/reviewers#reviewer-{}", site.config.base(), r.id),
            })
            .collect(),
        publisher: Named {
            kind: "Organization",
            name: &site.config.title,
        },
    };
    // `</script>` or `<!--` inside a string must not end the element early.
    let json = serde_json::to_string(&page).unwrap_or_default();
    let mut safe = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    safe
}

/// `/changes.atom`: every approval of a public article's text, newest first (Atom, RFC 4287).
#[derive(Template)]
#[template(path = "changes.atom", escape = "html")]
pub struct ChangesFeed {
    pub title: String,
    pub base: String,
    /// RFC 3339.
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

pub struct FeedEntry {
    pub title: String,
    pub url: String,
    pub id: String,
    pub updated: String,
    pub reviewers: String,
    pub note: String,
}

/// `sitemap.xml` on a site of more than [`crate::render::stages::SITEMAP_LIMIT`] URLs: the index of
/// its parts, `/sitemaps/{n}.xml`.
#[derive(Template)]
#[template(path = "sitemap_index.xml")]
pub struct SitemapIndex {
    /// Full URLs of the parts (escaped by the template).
    pub sitemaps: Vec<String>,
}

/// `sitemap.xml`.
#[derive(Template)]
#[template(path = "sitemap.xml")]
pub struct Sitemap {
    pub urls: Vec<SitemapUrl>,
}

pub struct SitemapUrl {
    /// The page's full URL (escaped by the template).
    pub loc: String,
    /// `YYYY-MM-DD`.
    pub lastmod: Option<String>,
    /// The page in every language it exists in, `x-default` last: (hreflang, full URL).
    pub alternates: Vec<(String, String)>,
}

/// `robots.txt`.
#[derive(Template)]
#[template(path = "robots.txt")]
pub struct Robots {
    /// `base_url` without its trailing slash.
    pub base: String,
}

/// One reviewer on the review board.
pub struct BoardMember {
    pub id: String,
    pub name: String,
    pub credentials: String,
    pub role: Option<String>,
    /// The languages they review, in words ("English").
    pub languages: Option<String>,
    /// Their declaration, or "None declared".
    pub interests: String,
    pub sample: bool,
    /// The articles they approved, newest first.
    pub approvals: Vec<BoardApproval>,
}

pub struct BoardApproval {
    pub href: String,
    pub title: String,
    pub date_iso: String,
    pub date_words: String,
}

/// `/reviewers`: the review board.
#[derive(Template)]
#[template(path = "reviewers.html")]
pub struct BoardPage {
    pub layout: Layout,
    pub members: Vec<BoardMember>,
    /// Every reviewer is a made-up sample.
    pub all_sample: bool,
}
