//! Answers to knowledge requests (see [`crate::infobutton`]) in the three formats record systems
//! ask for: Atom (`text/xml`), MedlinePlus Connect's JSON form of the same feed, and HTML.

use super::assets::Assets;
use super::views::{ErrorPage, Layout};
use crate::content::{Site, xml_text};
use crate::infobutton::{Entry, Request};
use askama::Template;
use serde_json::{Value, json};

/// One entry as the formats show it.
pub struct EntryView {
    pub title: String,
    pub url: String,
    pub summary: String,
    /// RFC 3339.
    pub updated: String,
    /// ISO date of the latest approval, or `none`.
    pub approved: String,
    /// The approval in a sentence.
    pub approval: String,
    pub reviewers: Vec<String>,
}

impl EntryView {
    fn of(entry: &Entry) -> Self {
        let approval = match entry.approved_on {
            Some(date) if entry.sample => format!(
                "Sample approval by fictional reviewers on {}: not a real clinical review.",
                date.in_words()
            ),
            Some(date) if entry.reviewers.is_empty() => format!("Approved on {}.", date.in_words()),
            Some(date) => format!(
                "Approved on {} by {}.",
                date.in_words(),
                entry.reviewers.join("; ")
            ),
            None => "Approved; no review date is recorded.".to_string(),
        };
        EntryView {
            title: xml_text(&entry.title),
            url: entry.url.clone(),
            summary: xml_text(&entry.summary),
            updated: entry
                .approved_on
                .map(|d| format!("{}T00:00:00Z", d.iso()))
                .unwrap_or_else(|| "2000-01-01T00:00:00Z".into()),
            approved: entry
                .approved_on
                .map(|d| d.iso())
                .unwrap_or_else(|| "none".into()),
            approval: xml_text(&approval),
            reviewers: entry.reviewers.iter().map(|r| xml_text(r)).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "infobutton.atom", escape = "html")]
struct KnowledgeFeed {
    site_title: String,
    base: String,
    subtitle: String,
    language: String,
    updated: String,
    id: String,
    /// The request echoed: (scheme, term).
    categories: Vec<(String, String)>,
    entries: Vec<EntryView>,
}

/// The request, echoed as the feed's categories, as the guide's response carries it.
fn categories(site: &Site, request: &Request) -> Vec<(String, String)> {
    let mut out = vec![
        ("mainSearchCriteria.v.c".to_string(), request.code.clone()),
        (
            "mainSearchCriteria.v.cs".to_string(),
            request.system.oid().to_string(),
        ),
    ];
    if let Some(dn) = &request.display {
        out.push(("mainSearchCriteria.v.dn".to_string(), dn.clone()));
    }
    out.push((
        "informationRecipient".to_string(),
        request
            .recipient
            .map(|r| r.code().to_string())
            .unwrap_or_else(|| {
                let audience = crate::infobutton::audience_for(site, None);
                match site.config.audience(audience).map(|a| a.readers) {
                    Some(crate::content::AudienceType::Clinician) => "PROV".to_string(),
                    _ => "PAT".to_string(),
                }
            }),
    ));
    out.push((
        "informationRecipient.languageCode.c".to_string(),
        request
            .language
            .clone()
            .unwrap_or_else(|| crate::infobutton::SITE_LANGUAGE.to_string()),
    ));
    out
}

fn subtitle(request: &Request, count: usize) -> String {
    let about = request.display.as_deref().unwrap_or(&request.code);
    match count {
        0 => format!(
            "No approved article for {} {} ({about}).",
            request.system.name(),
            request.code
        ),
        1 => format!(
            "1 approved article for {} {} ({about}).",
            request.system.name(),
            request.code
        ),
        n => format!(
            "{n} approved articles for {} {} ({about}).",
            request.system.name(),
            request.code
        ),
    }
}

/// The answer's identifier: the request itself, as a URL (the URL alone decides the answer).
fn feed_id(site: &Site, request: &Request) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(categories(site, request))
        .finish();
    format!("{}/infobutton?{query}", site.config.base())
}

fn newest(entries: &[EntryView]) -> String {
    entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into())
}

/// The Atom feed answering `request`.
pub fn atom(site: &Site, request: &Request, entries: &[Entry]) -> Result<String, askama::Error> {
    let views: Vec<EntryView> = entries.iter().map(EntryView::of).collect();
    KnowledgeFeed {
        site_title: xml_text(&site.config.title),
        base: site.config.base().to_string(),
        subtitle: xml_text(&subtitle(request, entries.len())),
        language: crate::infobutton::SITE_LANGUAGE.to_string(),
        updated: newest(&views),
        id: feed_id(site, request),
        categories: categories(site, request)
            .into_iter()
            .map(|(s, t)| (s, xml_text(&t)))
            .collect(),
        entries: views,
    }
    .render()
}

/// The same feed in the JSON form MedlinePlus Connect answers with: every text a `{"_value": ...}`
/// object, `entry` and `category` arrays.
pub fn json(site: &Site, request: &Request, entries: &[Entry]) -> String {
    let views: Vec<EntryView> = entries.iter().map(EntryView::of).collect();
    let language = crate::infobutton::SITE_LANGUAGE;
    let feed = json!({
        "feed": {
            "base": format!("{}/", site.config.base()),
            "lang": language,
            "title": { "_value": format!("{}: knowledge response", site.config.title), "type": "text" },
            "subtitle": { "_value": subtitle(request, entries.len()), "type": "text" },
            "author": { "name": { "_value": site.config.title }, "uri": { "_value": format!("{}/", site.config.base()) } },
            "updated": { "_value": newest(&views) },
            "id": { "_value": feed_id(site, request) },
            "category": categories(site, request)
                .into_iter()
                .map(|(scheme, term)| json!({ "scheme": scheme, "term": term }))
                .collect::<Vec<Value>>(),
            "entry": views.iter().map(|e| json!({
                "lang": language,
                "title": { "_value": e.title, "type": "text" },
                "link": [{ "href": e.url, "rel": "alternate", "type": "text/html", "title": e.title }],
                "id": [{ "_value": e.url }],
                "updated": [{ "_value": e.updated }],
                "summary": { "_value": e.summary, "type": "text" },
                "contributor": e.reviewers.iter().map(|r| json!({ "name": { "_value": r } })).collect::<Vec<Value>>(),
                "category": [{ "scheme": "approved", "term": e.approved, "label": e.approval }],
            })).collect::<Vec<Value>>(),
        }
    });
    feed.to_string()
}

#[derive(Template)]
#[template(path = "infobutton.html")]
struct KnowledgePage {
    layout: Layout,
    heading: String,
    intro: String,
    entries: Vec<EntryView>,
}

/// The HTML page listing several articles, or saying that none is approved for the code.
pub fn html(
    site: &Site,
    assets: &Assets,
    request: &Request,
    entries: &[Entry],
) -> Result<String, askama::Error> {
    let views: Vec<EntryView> = entries.iter().map(EntryView::of).collect();
    let about = request
        .display
        .clone()
        .unwrap_or_else(|| format!("{} {}", request.system.name(), request.code));
    let heading = if entries.is_empty() {
        format!("No reviewed article for {about} yet")
    } else {
        format!("Articles about {about}")
    };
    let intro = if entries.is_empty() {
        "This site has no approved article for this code. Only articles approved by a reviewer are offered here.".to_string()
    } else {
        "Each of these approved articles covers this code. Choose the one that fits.".to_string()
    };
    KnowledgePage {
        layout: Layout::new(site, assets, &heading, &heading, None),
        heading,
        intro,
        entries: views,
    }
    .render()
}

/// A request that cannot be answered, in its format: (media type, body).
pub fn bad_request(
    site: &Site,
    assets: &Assets,
    format: crate::infobutton::Format,
    message: &str,
) -> (&'static str, String) {
    use crate::infobutton::Format;
    match format {
        Format::Json => (
            "application/json",
            json!({ "error": { "status": 400, "message": message } }).to_string(),
        ),
        Format::Atom => (
            "text/xml; charset=utf-8",
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<error xmlns=\"urn:healthpress:infobutton\"><status>400</status><message>{}</message></error>\n",
                escape_xml(&xml_text(message))
            ),
        ),
        Format::Html => {
            let page = ErrorPage {
                layout: Layout::new(site, assets, "Bad request", "Bad request", None),
                heading: "This knowledge request cannot be answered".into(),
                message: message.into(),
            };
            (
                super::HTML,
                page.render().unwrap_or_else(|_| message.to_string()),
            )
        }
    }
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
