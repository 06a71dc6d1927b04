//! Text from content on its way to a terminal.
//!
//! An entry's title, a file name or a value quoted back in a diagnostic can hold any character,
//! and a terminal acts on some of them: ESC and the C1 introducer U+009B start sequences that
//! move the cursor, clear the screen, set the window title or draw links; BEL rings; CR and
//! backspace write over what is shown; the bidirectional overrides make text read differently
//! from what it is. Everything printed for a person that carries such text goes through
//! [`visible`] or [`visible_line`], which swap each of those characters for a stand-in that
//! shows what it was (`\e`, `\x07`, `\u{9b}`, `\u{202e}`). errorbook's own colours are added
//! after, so they are never touched.

use std::borrow::Cow;

/// `text` with every control character shown as a stand-in, except newlines and tabs, which
/// lay text out. For blocks of text where a newline starts a line of the same block.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// `text` with every control character shown as a stand-in, newlines too (as `\n`): for one
/// line of output, such as a value quoted in a message, which must not start a line of its own.
/// Tabs stay.
pub fn visible_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Whether a terminal may act on `c` rather than draw it.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Arabic letter mark, left-to-right and right-to-left marks.
            '\u{061c}' | '\u{200e}' | '\u{200f}'
            // Line and paragraph separators, which some terminals take as a new line.
            | '\u{2028}' | '\u{2029}'
            // Bidirectional embeddings, overrides and isolates.
            | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// The private-use characters of the Basic Multilingual Plane. A renderer that marks its own
/// styles inside text with some of them (as `explain` does) passes text from content through
/// [`private_use_visible`] first, so the only such characters left are its own markers.
pub const PRIVATE_USE: std::ops::RangeInclusive<char> = '\u{e000}'..='\u{f8ff}';

/// `text` with every character of [`PRIVATE_USE`] shown as a stand-in (`\u{e001}`).
pub fn private_use_visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| PRIVATE_USE.contains(&c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if PRIVATE_USE.contains(&c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let kept = |c: char| c == '\t' || (keep_newlines && c == '\n');
    if !text.chars().any(|c| is_unsafe(c) && !kept(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe(c) || kept(c) {
            out.push(c);
            continue;
        }
        match c {
            '\x1b' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if u32::from(c) < 0x80 => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(text: &str, line: &str, block: &str) {
        assert_eq!(visible_line(text), line, "{text:?} as a line");
        assert_eq!(visible(text), block, "{text:?} as a block");
    }

    #[test]
    fn shows_what_a_terminal_would_act_on() {
        check("T \x1b]0;pwned\x07 \x1b[2J", "T \\e]0;pwned\\x07 \\e[2J", "T \\e]0;pwned\\x07 \\e[2J");
        check("a\u{9b}2Jb", "a\\u{9b}2Jb", "a\\u{9b}2Jb");
        check("over\rwrite\x08\x7f", "over\\rwrite\\x08\\x7f", "over\\rwrite\\x08\\x7f");
        check(
            "abc\u{202e}fed\u{2066}\u{200f}",
            "abc\\u{202e}fed\\u{2066}\\u{200f}",
            "abc\\u{202e}fed\\u{2066}\\u{200f}",
        );
        check("nul\0", "nul\\0", "nul\\0");
        check("x\u{2028}y", "x\\u{2028}y", "x\\u{2028}y");
        // Layout: a tab always stays; a newline only in a block.
        check("one\ttwo\nthree", "one\ttwo\\nthree", "one\ttwo\nthree");
    }

    #[test]
    fn private_use_characters_are_shown_as_stand_ins() {
        assert_eq!(private_use_visible("a\u{e001}b\u{f8ff}\u{e000}"), "a\\u{e001}b\\u{f8ff}\\u{e000}");
        assert!(matches!(private_use_visible("plain \u{d7ff}\u{f900} é"), Cow::Borrowed(_)));
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for text in ["", "plain", "HTTP 503 — Service Unavailable", "日本語 ✓ \u{a0} é", "back\\slash"]
        {
            assert!(matches!(visible_line(text), Cow::Borrowed(_)), "{text}");
            assert_eq!(visible(text), text);
        }
    }

    proptest! {
        #[test]
        fn output_never_holds_a_character_a_terminal_acts_on(text in "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{200e}\\u{2028}])*") {
            let line = visible_line(&text);
            prop_assert!(!line.chars().any(|c| is_unsafe(c) && c != '\t'), "{line:?}");
            let block = visible(&text);
            prop_assert!(!block.chars().any(|c| is_unsafe(c) && c != '\t' && c != '\n'), "{block:?}");
            // A block keeps its lines: the same count of newlines.
            prop_assert_eq!(block.matches('\n').count(), text.matches('\n').count());
        }

        #[test]
        fn text_without_such_characters_is_unchanged(text in "\\PC*") {
            prop_assume!(!text.chars().any(is_unsafe));
            prop_assert_eq!(visible_line(&text), text.as_str());
        }
    }
}
