//! Text that reaches XML (the change feed, the sitemap): XML 1.0 allows only some characters, and
//! one outside them makes the whole document unreadable to a feed reader.

/// Whether XML 1.0 allows `c` in text: tab, line feed, carriage return, and everything from U+0020
/// except U+FFFE and U+FFFF (Rust's `char` already excludes surrogates).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// A Unicode noncharacter (U+FDD0 to U+FDEF, and the last two code points of every plane): never
/// meant to be interchanged, so never accepted in content.
pub fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// The first character of `text` that XML 1.0 does not allow or that is a noncharacter, as
/// `U+XXXX` for a message.
pub fn unsafe_char(text: &str) -> Option<String> {
    text.chars()
        .find(|&c| !is_xml_char(c) || is_noncharacter(c))
        .map(|c| format!("U+{:04X}", c as u32))
}

/// `text` without the characters XML 1.0 does not allow: what the feed writes, whatever the
/// content holds.
pub fn xml_text(text: &str) -> String {
    text.chars().filter(|&c| is_xml_char(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_xml_characters_pass() {
        assert_eq!(unsafe_char("Take 5 mg\tdaily.\n"), None);
        assert_eq!(unsafe_char("note\u{FFFE}").as_deref(), Some("U+FFFE"));
        assert_eq!(unsafe_char("bell\u{7}").as_deref(), Some("U+0007"));
        assert_eq!(unsafe_char("\u{FDD0}").as_deref(), Some("U+FDD0"));
        assert_eq!(unsafe_char("\u{1FFFF}").as_deref(), Some("U+1FFFF"));
        assert_eq!(unsafe_char("Ærø é 中文 🙂"), None);
        assert_eq!(xml_text("a\u{FFFE}b\u{0}c\u{FFFF}"), "abc");
    }
}
