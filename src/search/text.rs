//! Text analysis: how a string becomes search terms.
//!
//! The index builder and the browser engine (`static/assets/search/engine.js`) must analyse text
//! the same way, or a query would never meet the terms it should. The tables of this module
//! (stop words, joiners, limits, placeholders, the hash of code keys) are written into `meta.js` by
//! [`tables`], and the engine reads text with those. What is code on both sides is held equal
//! by the cases of `tests/search-vectors.json` and by a differential test that feeds thousands of
//! generated strings to both (`search::tests`).
//!
//! The scan cuts text into *chunks* (runs of letters, digits and the punctuation that holds
//! addresses, paths and timestamps together), recognises the variable parts of a log line —
//! URLs, e-mail addresses, UUIDs, IP addresses, dates, times, paths, hex ids — and turns each
//! into a placeholder. Everything else is cut into runs of letters and digits: numbers and words.
//! From that one scan come two streams:
//!
//! - [`terms`], what the index is made of: stemmed words without stop words, and short numbers;
//!   placeholders are left out.
//! - [`phrase_tokens`], what an alias is matched with as a phrase: every word, stemmed, short
//!   numbers as they are, long ones and variable parts as placeholders, runs of the same
//!   placeholder as one. The neighbouring pairs of an alias's phrase ([`bigrams`]) are indexed
//!   too, so that a pasted line finds the entries whose aliases it contains.

use serde::Serialize;

use super::fx::FxBuildHasher;
use super::stem::{self, stem};
use crate::digest::{per_thread, ThreadMemo};

/// What a scanned token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters, possibly with digits: `connection`, `e0308`.
    Word,
    /// ASCII digits only: `503`.
    Number,
    /// A variable part, such as `<ip>` or `<uuid>`; the text is the placeholder.
    Placeholder,
}

/// Words too common to tell entries apart; left out of the index, kept in phrases.
pub(crate) const STOP_WORDS: [&str; 72] = [
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by",
    "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "how", "i", "if", "in", "into",
    "is", "it", "its", "may", "more", "most", "must", "no", "not", "of", "on", "or", "our", "should", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "was", "we", "were", "what", "when", "where", "which", "while", "who", "will", "with",
    "would", "you",
];

/// Whether `word` is one of [`STOP_WORDS`]: a binary search in a sorted copy, since every word
/// of every entry is asked about.
fn is_stop_word(word: &str) -> bool {
    static SORTED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut words = STOP_WORDS.to_vec();
        words.sort_unstable();
        words
    });
    sorted.binary_search(&word).is_ok()
}

/// Numbers longer than this are ids, not codes, and stay out of the index.
pub(crate) const MAX_NUMBER_LEN: usize = 6;

/// Longer runs of letters and digits are tokens or blobs: one placeholder.
pub(crate) const MAX_WORD_LEN: usize = 40;

/// A run of hex digits this long or longer, with a digit and a letter, is an id: `<hex>`.
const MIN_HEX_ID_LEN: usize = 8;

/// Characters that may sit inside a chunk besides letters and digits. All ASCII.
const JOINERS: [char; 17] =
    ['.', ':', '/', '\\', '-', '_', '@', '#', '%', '+', '~', '*', '$', '&', '?', '!', '^'];

/// Punctuation that ends a sentence rather than holding a chunk together: trimmed off the end of
/// a chunk before it is read.
const TRAILING: [char; 4] = ['.', ':', '!', '?'];

/// The placeholders variable parts become, by what they stand for. Each begins with `<`, which
/// no word or number does: both analysers tell a placeholder by that.
#[derive(Clone, Copy, Serialize)]
pub(crate) struct Placeholders {
    pub url: &'static str,
    pub email: &'static str,
    pub uuid: &'static str,
    /// An IPv4 or IPv6 address, with or without a port or a prefix length.
    pub ip: &'static str,
    pub date: &'static str,
    pub time: &'static str,
    pub path: &'static str,
    /// `0x…`, or a run of hex digits long enough to be an id.
    pub hex: &'static str,
    /// A run of letters and digits longer than [`MAX_WORD_LEN`].
    pub id: &'static str,
    /// In a phrase, a number longer than [`MAX_PHRASE_NUMBER_LEN`].
    pub num: &'static str,
}

pub(crate) const PLACEHOLDERS: Placeholders = Placeholders {
    url: "<url>",
    email: "<email>",
    uuid: "<uuid>",
    ip: "<ip>",
    date: "<date>",
    time: "<time>",
    path: "<path>",
    hex: "<hex>",
    id: "<id>",
    num: "<num>",
};

/// 32-bit FNV-1a: the offset basis and the prime.
const FNV1A: [u32; 2] = [0x811c_9dc5, 0x0100_0193];

/// [`JOINERS`] as a bit set of ASCII code points, so the test of every character is one shift.
const JOINER_SET: u128 = {
    let mut set = 0u128;
    let mut i = 0;
    while i < JOINERS.len() {
        assert!(JOINERS[i].is_ascii(), "joiners are ASCII");
        set |= 1 << (JOINERS[i] as u32);
        i += 1;
    }
    set
};

/// Characters that may sit inside a chunk besides letters and digits.
fn is_joiner(c: char) -> bool {
    (c as u32) < 128 && JOINER_SET & (1 << (c as u32)) != 0
}

/// The tables of this module that the browser engine reads text with: `meta.js` carries them
/// (see [`super::index`]), so the engine never holds a copy of its own. What is code rather
/// than a table (the grammars of variable parts, the stemmer's steps) is held equal by the
/// shared vectors and by a differential test against the engine.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Tables {
    stop_words: &'static [&'static str],
    joiners: String,
    trailing: String,
    max_number_len: usize,
    max_phrase_number_len: usize,
    max_word_len: usize,
    min_hex_id_len: usize,
    /// The offset basis and the prime of [`fnv1a`].
    fnv1a: [u32; 2],
    placeholders: Placeholders,
    stem: stem::Rules,
}

/// The analysis tables, as `meta.js` carries them.
pub(crate) fn tables() -> Tables {
    Tables {
        stop_words: &STOP_WORDS,
        joiners: JOINERS.iter().collect(),
        trailing: TRAILING.iter().collect(),
        max_number_len: MAX_NUMBER_LEN,
        max_phrase_number_len: MAX_PHRASE_NUMBER_LEN,
        max_word_len: MAX_WORD_LEN,
        min_hex_id_len: MIN_HEX_ID_LEN,
        fnv1a: FNV1A,
        placeholders: PLACEHOLDERS,
        stem: stem::rules(),
    }
}

pub(crate) fn is_chunk_char(c: char) -> bool {
    c.is_alphanumeric() || is_joiner(c)
}

/// The chunks of `text`: maximal runs of chunk characters, lowercased.
pub(crate) fn chunks(text: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> + '_ {
    text.split(|c: char| !is_chunk_char(c)).filter(|s| !s.is_empty()).map(|chunk| {
        // Most chunks are lower-case ASCII already: no copy for them.
        if chunk.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            std::borrow::Cow::Borrowed(chunk)
        } else {
            std::borrow::Cow::Owned(chunk.to_lowercase())
        }
    })
}

/// Calls `f` with each token of `text`, in order, without allocating a token.
pub(crate) fn scan_with(text: &str, mut f: impl FnMut(Kind, &str)) {
    scan_chunks_with(text, |_, kind, text| f(kind, text));
}

/// [`scan_with`], also telling which chunk (counted from 0) each token comes from, so a caller
/// can tell `1.503` (one chunk) from `HTTP 503` (two).
pub(crate) fn scan_chunks_with(text: &str, mut f: impl FnMut(usize, Kind, &str)) {
    for (i, chunk) in chunks(text).enumerate() {
        let core = chunk.trim_end_matches(TRAILING);
        // Every variable part holds punctuation, but for `0x…`: plain words skip the checks.
        if core.contains(is_joiner) || core.starts_with("0x") {
            if let Some(placeholder) = classify(core) {
                f(i, Kind::Placeholder, placeholder);
                continue;
            }
        }
        for run in core.split(|c: char| !c.is_alphanumeric()).filter(|s| !s.is_empty()) {
            if run.bytes().all(|b| b.is_ascii_digit()) {
                f(i, Kind::Number, run);
            } else if is_hex_id(run) {
                f(i, Kind::Placeholder, PLACEHOLDERS.hex);
            } else if run.chars().count() > MAX_WORD_LEN {
                f(i, Kind::Placeholder, PLACEHOLDERS.id);
            } else {
                f(i, Kind::Word, run);
            }
        }
    }
}

/// The placeholder for a chunk that is a variable part as a whole.
fn classify(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return None;
    }
    let placeholder = if is_url(s) {
        PLACEHOLDERS.url
    } else if is_email(s) {
        PLACEHOLDERS.email
    } else if is_uuid(s) {
        PLACEHOLDERS.uuid
    } else if is_ipv4(s) || is_ipv6(s) {
        PLACEHOLDERS.ip
    } else if is_date(s) {
        PLACEHOLDERS.date
    } else if is_time(s) {
        PLACEHOLDERS.time
    } else if is_path(s) {
        PLACEHOLDERS.path
    } else if is_hex_literal(s) {
        PLACEHOLDERS.hex
    } else {
        return None;
    };
    Some(placeholder)
}

/// A byte cursor for the small grammars below.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor { s: s.as_bytes(), i: 0 }
    }

    fn done(&self) -> bool {
        self.i == self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Takes bytes while `f` holds, at most `max`; returns how many.
    fn take(&mut self, max: usize, f: impl Fn(u8) -> bool) -> usize {
        let start = self.i;
        while self.i - start < max && self.peek().is_some_and(&f) {
            self.i += 1;
        }
        self.i - start
    }

    fn digits(&mut self, min: usize, max: usize) -> bool {
        let n = self.take(max, |b| b.is_ascii_digit());
        n >= min
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn eat_any(&mut self, set: &[u8]) -> bool {
        match self.peek() {
            Some(b) if set.contains(&b) => {
                self.i += 1;
                true
            }
            _ => false,
        }
    }
}

/// `scheme://…`
fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    let mut bytes = scheme.bytes();
    !rest.is_empty()
        && bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+.-".contains(&b))
}

/// `local@domain.tld`
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    !local.is_empty()
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
        && !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-".contains(&b))
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_lowercase())
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit() && !b.is_ascii_uppercase(),
        })
}

fn is_hex_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// `10.0.0.1`, with an optional `:port` and `/prefix`.
fn is_ipv4(s: &str) -> bool {
    let mut c = Cursor::new(s);
    for i in 0..4 {
        if (i > 0 && !c.eat(b'.')) || !c.digits(1, 3) {
            return false;
        }
    }
    if c.eat(b':') && !c.digits(1, 5) {
        return false;
    }
    if c.eat(b'/') && !c.digits(1, 2) {
        return false;
    }
    c.done()
}

/// Hex groups joined by colons: `fe80::1`, `2001:db8:0:0:0:0:0:1`, `::ffff:10.0.0.1`.
fn is_ipv6(s: &str) -> bool {
    let colons = s.bytes().filter(|&b| b == b':').count();
    if colons < 2 || !(s.contains("::") || colons == 7) {
        return false;
    }
    let groups: Vec<&str> = s.split(':').collect();
    let last = groups.len() - 1;
    groups.iter().enumerate().all(|(i, g)| (g.len() <= 4 && is_hex_digits(g)) || (i == last && is_ipv4(g)))
        && s.bytes().any(|b| b.is_ascii_hexdigit())
}

/// `2026-06-14`, `2026/06/14`, `2026-06-14t10:12:01.5z`, or `14/jun/2026:10:12:01`.
fn is_date(s: &str) -> bool {
    let mut c = Cursor::new(s);
    if c.digits(4, 4) {
        let sep = c.peek();
        if !(c.eat_any(b"-/.") && c.digits(1, 2) && sep.is_some_and(|b| c.eat(b)) && c.digits(1, 2)) {
            return false;
        }
        if c.done() {
            return true;
        }
        return c.eat_any(b"t_")
            && !c.done()
            && s.as_bytes()[c.i..].iter().all(|b| b.is_ascii_digit() || b":.,+-z".contains(b));
    }
    let mut c = Cursor::new(s);
    c.digits(1, 2)
        && c.eat(b'/')
        && c.take(3, |b| b.is_ascii_lowercase()) == 3
        && c.eat(b'/')
        && c.digits(4, 4)
        && (c.done() || (c.eat(b':') && is_time(&s[c.i..])))
}

/// `10:12`, `10:12:01`, `10:12:01.123`, optionally ending in `z`.
fn is_time(s: &str) -> bool {
    let mut c = Cursor::new(s);
    if !(c.digits(1, 2) && c.eat(b':') && c.digits(2, 2)) {
        return false;
    }
    if c.eat(b':') && !c.digits(2, 2) {
        return false;
    }
    if c.eat_any(b".,") && !c.digits(1, 9) {
        return false;
    }
    c.eat(b'z');
    c.done()
}

/// An absolute or home-relative path (`/var/log/x`, `~/x`, `./x`, `c:\x`), or a relative one
/// that names a file (`src/main.rs:4:5`).
fn is_path(s: &str) -> bool {
    let b = s.as_bytes();
    let absolute = match b {
        [b'/', second, ..] => *second != b'/',
        [b'~' | b'.', b'/' | b'\\', ..] | [b'.', b'.', b'/' | b'\\', ..] => true,
        [b'\\', b'\\', _, ..] => true,
        [drive, b':', b'\\', ..] => drive.is_ascii_lowercase(),
        _ => false,
    };
    if absolute {
        return true;
    }
    // Relative: a slash, and a last segment like `name.ext`, before any `:line:column`.
    let file = s.trim_end_matches(|c: char| c == ':' || c.is_ascii_digit());
    let file = if file.len() < s.len() && s.as_bytes()[file.len()] == b':' { file } else { s };
    let Some((_, last)) = file.rsplit_once(['/', '\\']) else {
        return false;
    };
    let Some((name, ext)) = last.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
        && (1..=6).contains(&ext.len())
        && ext.as_bytes()[0].is_ascii_lowercase()
        && ext.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// `0x1f`
fn is_hex_literal(s: &str) -> bool {
    s.strip_prefix("0x").is_some_and(|h| !h.is_empty() && is_hex_digits(h))
}

/// A run like a hash or request id: eight or more hex digits with both a digit and a letter.
fn is_hex_id(run: &str) -> bool {
    run.len() >= MIN_HEX_ID_LEN
        && is_hex_digits(run)
        && run.bytes().any(|b| b.is_ascii_digit())
        && run.bytes().any(|b| b.is_ascii_lowercase())
}

/// The index term for a word: stemmed when it is plain ASCII letters.
pub(crate) fn word_term(word: &str) -> String {
    thread_local! {
        // A site's texts draw on a vocabulary of some thousands of words, each met thousands of
        // times: each thread stems a word once.
        static STEMS: ThreadMemo<String, FxBuildHasher> = Default::default();
    }
    per_thread(&STEMS, word, MAX_STEMS_KEPT, stem)
}

/// Words whose stems a thread keeps before it starts over.
const MAX_STEMS_KEPT: usize = 1 << 17;

/// The terms of `text`, in order, repeats kept.
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    scan_with(text, |kind, text| {
        if let Some(term) = term_of(kind, text) {
            out.push(term);
        }
    });
    out
}

/// The index term of one token, if it has one.
pub(crate) fn term_of(kind: Kind, text: &str) -> Option<String> {
    match kind {
        Kind::Word if text.chars().nth(1).is_some() && !is_stop_word(text) => Some(word_term(text)),
        Kind::Number if (2..=MAX_NUMBER_LEN).contains(&text.len()) => Some(text.to_owned()),
        _ => None,
    }
}

/// Numbers up to this long stay themselves in a phrase (status codes, exit codes, errno values);
/// longer ones (ports, process ids, sizes) become `<num>`.
pub(crate) const MAX_PHRASE_NUMBER_LEN: usize = 3;

/// The tokens of `text` as a phrase: words stemmed, long numbers and variable parts as
/// placeholders, and a run of one placeholder as one.
pub(crate) fn phrase_tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut phrase = Phrase::default();
    scan_with(text, |kind, text| match phrase.next(kind, text) {
        Some(PhraseToken::Word(word)) => out.push(word_term(word)),
        Some(PhraseToken::Literal(literal)) => out.push(literal.to_owned()),
        None => {}
    });
    out
}

/// A token as a phrase holds it, before its word (if any) is stemmed with [`word_term`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PhraseToken<'a> {
    /// A word, to be stemmed.
    Word(&'a str),
    /// A short number, or a placeholder (`<num>` for a long number): kept as it is.
    Literal(&'a str),
}

/// Turns scanned tokens into phrase tokens one at a time: the rules of [`phrase_tokens`], for a
/// caller that reads a stream of lines and keeps its own memo of stems (`search::triage`).
#[derive(Default)]
pub(crate) struct Phrase {
    /// The placeholder the last token was, if it was one: a run of one placeholder is one.
    last_placeholder: String,
}

impl Phrase {
    /// The phrase token for the next scanned token; `None` when it repeats the placeholder
    /// before it.
    pub(crate) fn next<'a>(&mut self, kind: Kind, text: &'a str) -> Option<PhraseToken<'a>> {
        let placeholder = match kind {
            Kind::Word => None,
            Kind::Number if text.len() <= MAX_PHRASE_NUMBER_LEN => None,
            Kind::Number => Some(PLACEHOLDERS.num),
            Kind::Placeholder => Some(text),
        };
        let Some(placeholder) = placeholder else {
            self.last_placeholder.clear();
            return Some(if kind == Kind::Word {
                PhraseToken::Word(text)
            } else {
                PhraseToken::Literal(text)
            });
        };
        if self.last_placeholder == placeholder {
            return None;
        }
        self.last_placeholder.clear();
        self.last_placeholder.push_str(placeholder);
        Some(PhraseToken::Literal(placeholder))
    }
}

/// The neighbouring pairs of a phrase, as index terms (`"live upstream"`), but for pairs of two
/// placeholders. A term never holds a space otherwise, and a pair sorts right after its first
/// word, so it usually lives in the vocabulary shard of that word.
pub(crate) fn bigrams(phrase: &[String]) -> Vec<String> {
    phrase
        .windows(2)
        .filter(|w| !(w[0].starts_with('<') && w[1].starts_with('<')))
        .map(|w| format!("{} {}", w[0], w[1]))
        .collect()
}

pub(crate) use crate::content::code_key;

/// 32-bit FNV-1a of the UTF-8 bytes of `s`; picks the shard a code key lives in.
pub(crate) fn fnv1a(s: &str) -> u32 {
    let [basis, prime] = FNV1A;
    s.bytes().fold(basis, |h, b| (h ^ u32::from(b)).wrapping_mul(prime))
}
