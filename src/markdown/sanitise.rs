//! The allow-list sanitiser (`ammonia`) every rendered body passes through: no script, event handler,
//! `javascript:`/`data:` URL, iframe, form or style reaches a page.

use std::borrow::Cow;
use std::sync::LazyLock;

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id"])
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
        .add_allowed_classes("span", ["visually-hidden"]);
    b
});

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
        assert!(out.contains("<h2>x</h2>"), "{out}");
        assert!(out.contains("<h2 id=\"ok-1\">y</h2>"), "{out}");
    }
}
