//! The allow-list sanitiser (`ammonia`): no script, event handler, `javascript:`/`data:` URL, iframe,
//! form or style reaches a page.
//!
//! Every body with raw HTML in it goes through the sanitiser. A body written in Markdown alone is
//! HTML that pulldown-cmark wrote itself, from a fixed set of tags with escaped text and attributes;
//! [`is_markdown_only`] checks that nothing in it is something the sanitiser would change (a URL
//! scheme outside the allow-list, an unsafe id, a heading class), and then only the `rel` the
//! sanitiser adds to links is added ([`with_link_rel`]), which saves most of the cost of loading a
//! large site. The tests check on generated bodies that the sanitiser, given such HTML, leaves the
//! same document.

use std::borrow::Cow;
use std::sync::LazyLock;

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some(LINK_REL))
        .add_generic_attributes(["id"])
        .attribute_filter(|_element, attribute, value| {
            if attribute == "id" && !is_safe_id(value) {
                return None;
            }
            Some(Cow::Borrowed(value))
        })
        .add_allowed_classes(
            "sup",
            ["cite", "footnote-reference", "footnote-definition-label"],
        )
        .add_allowed_classes("div", ["footnote-definition"])
        .add_allowed_classes("div", super::cards::div_classes())
        .add_allowed_classes("h2", ["care-card-heading"])
        .add_allowed_classes("h3", ["care-card-heading"])
        .add_allowed_classes("h4", ["care-card-heading"])
        .add_allowed_classes("h5", ["care-card-heading"])
        .add_allowed_classes("h6", ["care-card-heading"])
        .add_allowed_classes("span", ["visually-hidden", "care-card-kind"]);
    b
});

/// What the sanitiser sets on every link.
const LINK_REL: &str = "noopener noreferrer";

/// URL schemes a Markdown-only body may link to without the sanitiser; all are on its allow-list.
const PLAIN_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Whether `events` (after the renderer's own passes) hold Markdown only: no raw HTML, and nothing
/// the sanitiser would drop. `Event::InlineHtml` counts as raw unless it is a citation placeholder,
/// which raw HTML cannot be (inline HTML in a source always starts with `<`).
pub(super) fn is_markdown_only<'e, 'a: 'e>(
    mut events: impl Iterator<Item = &'e pulldown_cmark::Event<'a>>,
) -> bool {
    use pulldown_cmark::{Event, LinkType, Tag};
    events.all(|event| match event {
        Event::Html(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::TaskListMarker(_)
        | Event::Start(Tag::HtmlBlock | Tag::MetadataBlock(_)) => false,
        Event::InlineHtml(html) => super::citations::is_placeholder(html),
        Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) => id.as_deref().is_none_or(is_safe_id) && classes.is_empty() && attrs.is_empty(),
        Event::Start(Tag::FootnoteDefinition(id)) => is_safe_id(id),
        Event::Start(Tag::Link {
            link_type: LinkType::Email,
            dest_url,
            ..
        }) => is_plain_url(&format!("mailto:{dest_url}")),
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            is_plain_url(dest_url)
        }
        _ => true,
    })
}

/// Whether the sanitiser keeps `url` as pulldown-cmark writes it into `href` or `src`: the same test
/// it makes (a URL with an allowed scheme, or a relative one), on the same string.
fn is_plain_url(url: &str) -> bool {
    let mut written = String::with_capacity(url.len());
    if pulldown_cmark_escape::escape_href(&mut written, url).is_err() {
        return false;
    }
    // The attribute's value as an HTML parser reads it back.
    let value = written.replace("&amp;", "&").replace("&#x27;", "'");
    match url::Url::parse(&value) {
        Ok(parsed) => PLAIN_SCHEMES.contains(&parsed.scheme()),
        Err(e) => e == url::ParseError::RelativeUrlWithoutBase,
    }
}

/// Markdown-only HTML with the `rel` the sanitiser gives links. In such HTML every `<a href="` is a
/// link pulldown-cmark wrote (text and attribute values have their `<` escaped).
pub(super) fn with_link_rel(html: String) -> String {
    const LINK: &str = "<a href=\"";
    let mut links = memchr::memmem::find_iter(html.as_bytes(), LINK).peekable();
    if links.peek().is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut done = 0;
    for at in links {
        out.push_str(&html[done..at]);
        out.push_str("<a rel=\"");
        out.push_str(LINK_REL);
        out.push_str("\" href=\"");
        done = at + LINK.len();
    }
    out.push_str(&html[done..]);
    out
}

fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 120
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// Cleans HTML down to the allow-list.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::sanitise;
    use crate::markdown::render;

    #[test]
    fn scripts_handlers_and_dangerous_urls_are_removed() {
        let vectors = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<form action=/x><input name=a></form>",
            "<object data=x></object><embed src=x>",
            "<p onclick=\"alert(1)\">x</p>",
        ];
        for v in vectors {
            let out = sanitise(v).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onclick",
                "javascript:",
                "<iframe",
                "style=",
                "data:",
                "<form",
                "<input",
                "<object",
                "<embed",
                "<svg",
            ] {
                assert!(!out.contains(bad), "{v} -> {out}");
            }
        }
    }

    #[test]
    fn raw_html_in_markdown_is_sanitised() {
        let (r, _) = render(
            "Hi <script>alert(1)</script> <b onmouseover=x>bold</b>\n\n<iframe src=x></iframe>",
            &|_| false,
        );
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("onmouseover"));
        assert!(!r.html.contains("<iframe"));
        assert!(r.html.contains("<b>bold</b>"), "{}", r.html);
    }

    #[test]
    fn markdown_javascript_link_is_removed() {
        let (r, _) = render(
            "[x](javascript:alert(1)) ![i](data:image/svg+xml,abc)",
            &|_| false,
        );
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
    }

    #[test]
    fn unsafe_ids_and_unknown_classes_are_dropped() {
        let out = sanitise("<h2 id=\"a&quot;b c\" class=\"evil\">x</h2><h2 id=\"ok-1\">y</h2>");
        assert!(
            out.contains("<h2>x</h2>") || out.contains("<h2 class=\"\">x</h2>"),
            "{out}"
        );
        assert!(!out.contains("evil") && !out.contains("a&quot;b"), "{out}");
        assert!(out.contains("<h2 id=\"ok-1\">y</h2>"), "{out}");
    }
}
