//! Triage: which entries a whole log mentions (`errorbook triage`, docs/triage.md).
//!
//! A [`Matcher`] is built once from the entries; a [`Scan`] then reads lines one at a time and
//! tallies, per entry, how many lines matched and where. A line matches an entry in two ways:
//!
//! - **An alias**: the line's phrase (the analysis of [`super::text`], the same that makes a
//!   pasted line find its entry in the browser: words stemmed, timestamps, addresses, ids, paths
//!   and long numbers as placeholders) holds the phrase of one of the entry's aliases, token for
//!   token. A code with a space in it (`Cannot connect to the Docker daemon`) counts as an alias.
//!   All alias phrases are found in one pass of an Aho-Corasick automaton over the line's
//!   phrase, whatever their number; tokens that no alias holds are written as `?`, which keeps
//!   the text the automaton reads short.
//! - **A code in context**: a code with a letter (`ECONNREFUSED`, `ORA-00942`, `E0308`,
//!   `java.lang.OutOfMemoryError`) matches when its runs of letters and digits are whole,
//!   adjacent runs of one chunk of the line, in any case. A code of digits only (`503`, `53300`)
//!   matches only as a number of its own — the last run of its chunk, not after another number
//!   in the chunk (so never inside `1.503`, `10:05:03`, `v2.503.1`, `10.0.0.1:503` or a date) —
//!   that follows, within [`CONTEXT_TOKENS`] tokens, a word that says a code comes: one of
//!   [`CONTEXT_WORDS`] (`status`, `error`, `exit`, …) or a word of the entry's category (its
//!   id or name: `HTTP/1.1 503`, `smtp 503`). When a category word is there, only the entries of
//!   that category match; and a number right after [`NOT_CODE_WORDS`] (`port 503`, `line 503`)
//!   or right before [`UNIT_WORDS`] (`503 ms`) is never a code.
//!
//! Lines longer than [`MAX_LINE_BYTES`] are cut there and matched on their head; the rest of the
//! line is read and dropped, so no line, however long, is held whole.
//!
//! The browser finds the same entries in a pasted log: `index_data` writes what
//! `patterns_of` gives each entry, and the rules above, into `search/triage.js`, which the
//! engine (`static/assets/search/engine.js`, `triage`) matches lines with.

use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::text::{self, Kind, Phrase, PhraseToken};
use crate::content::{Entry, EntryId, SiteConfig};

/// Lines are matched on at most this many bytes; the rest of a longer line is dropped.
pub const MAX_LINE_BYTES: usize = 8192;

/// The line numbers kept for each entry found: the first ones.
pub const MAX_LINES: usize = 10;

/// How many tokens before a number are looked at for a word that makes it a code.
pub const CONTEXT_TOKENS: usize = 3;

/// Words that announce a code of digits, whatever the entry's category.
pub const CONTEXT_WORDS: [&str; 13] = [
    "code",
    "err",
    "errno",
    "error",
    "exit",
    "exited",
    "reply",
    "response",
    "returned",
    "sqlstate",
    "state",
    "status",
    "statuscode",
];

/// Words right after which a number is never a code.
pub const NOT_CODE_WORDS: [&str; 22] = [
    "attempt", "attempts", "bytes", "col", "column", "count", "duration", "elapsed", "id", "latency", "line",
    "pid", "port", "rate", "received", "retries", "sent", "size", "time", "took", "total", "version",
];

/// Units: a number right before one of these (`503 ms`, but not `503 bytes=12`, where the word
/// names a field) or right after one (`latency_ms=503`) is a measure, not a code.
pub const UNIT_WORDS: [&str; 38] = [
    "b",
    "byte",
    "bytes",
    "d",
    "day",
    "days",
    "gb",
    "gib",
    "h",
    "hour",
    "hours",
    "hr",
    "hrs",
    "kb",
    "kib",
    "mb",
    "mib",
    "millis",
    "milliseconds",
    "min",
    "mins",
    "minute",
    "minutes",
    "ms",
    "msec",
    "msecs",
    "ns",
    "percent",
    "s",
    "sec",
    "second",
    "seconds",
    "secs",
    "tb",
    "tib",
    "times",
    "us",
    "µs",
];

/// Distinct words whose stems a scan keeps before it starts over.
const MAX_MEMO: usize = 1 << 16;

/// How an entry was found; alias matches rank above code matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Alias,
    Code,
}

/// One entry a log mentions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    /// `category/slug`.
    pub entry: EntryId,
    pub code: String,
    pub title: String,
    pub url: String,
    /// How the entry was found: by an alias if any line matched one.
    #[serde(skip)]
    pub by: MatchKind,
    /// How many lines matched.
    pub count: u64,
    /// The first [`MAX_LINES`] of them, 1-based.
    pub lines: Vec<u64>,
}

/// An entry as the matcher knows it.
struct Target {
    entry: EntryId,
    code: String,
    title: String,
    url: String,
    /// Lowercase words of the category's id and name.
    category_words: Vec<String>,
}

/// What can be found in a log, built once from a site's entries.
pub struct Matcher {
    targets: Vec<Target>,
    /// Over ` token token ` alias phrases; pattern `i` is found for the targets `aliases[i]`.
    automaton: Option<AhoCorasick>,
    aliases: Vec<Vec<usize>>,
    /// How specific pattern `i` is: its tokens that are not placeholders.
    strengths: Vec<u32>,
    /// What an ASCII line must hold for anything to match in it (see [`Prefilter`]).
    prefilter: Prefilter,
    /// The tokens alias phrases hold, to their own text: anything else is written `?`.
    vocabulary: FxHashMap<String, Arc<str>>,
    /// Codes with a letter, by their first run: the runs, and the targets.
    token_codes: FxHashMap<String, Vec<(Vec<String>, usize)>>,
    /// Codes of digits only: the targets.
    number_codes: FxHashMap<String, Vec<usize>>,
}

impl Matcher {
    /// The matcher for `entries`, whose URLs are made from `config.base_url`.
    pub fn new(config: &SiteConfig, entries: &[Arc<Entry>]) -> Matcher {
        let mut entries: Vec<&Entry> = entries.iter().map(|e| &**e).collect();
        entries.sort_by_key(|e| e.id());
        let mut targets = Vec::new();
        let mut patterns: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut vocabulary = FxHashMap::default();
        let mut token_codes: FxHashMap<String, Vec<(Vec<String>, usize)>> = FxHashMap::default();
        let mut number_codes: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for entry in entries {
            let t = targets.len();
            let name = config.category(&entry.category).map_or("", |c| c.name.as_str());
            targets.push(Target {
                entry: entry.id().clone(),
                code: entry.code.clone(),
                title: entry.title.clone(),
                url: format!("{}{}/{}/", config.base_url, entry.category, entry.slug),
                category_words: category_words(&entry.category, name),
            });
            let found_by = patterns_of(&entry.code, &entry.aliases);
            match found_by.code {
                CodePattern::None => {}
                CodePattern::Number(code) => number_codes.entry(code).or_default().push(t),
                CodePattern::Runs(runs) => token_codes.entry(runs[0].clone()).or_default().push((runs, t)),
            }
            for tokens in found_by.phrases {
                for token in &tokens {
                    vocabulary.entry(token.clone()).or_insert_with(|| Arc::from(token.as_str()));
                }
                let targets = patterns.entry(format!(" {} ", tokens.join(" "))).or_default();
                if !targets.contains(&t) {
                    targets.push(t);
                }
            }
        }
        let mut patterns: Vec<(String, Vec<usize>)> = patterns.into_iter().collect();
        patterns.sort();
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::new(patterns.iter().map(|(p, _)| p)).expect("alias phrases make an automaton")
        });
        let strengths = patterns
            .iter()
            .map(|(p, _)| p.split_whitespace().filter(|t| !t.starts_with('<')).count() as u32)
            .collect();
        let prefilter = Prefilter::new(
            patterns.iter().map(|(p, _)| p.as_str()),
            token_codes.keys().map(String::as_str),
            number_codes.keys().map(String::as_str),
        );
        Matcher {
            targets,
            automaton,
            strengths,
            prefilter,
            aliases: patterns.into_iter().map(|(_, t)| t).collect(),
            vocabulary,
            token_codes,
            number_codes,
        }
    }

    /// A scan of one log with this matcher.
    pub fn scan(&self) -> Scan<'_> {
        Scan {
            matcher: self,
            memo: FxHashMap::default(),
            tokens: Vec::new(),
            arena: String::new(),
            haystack: String::new(),
            placed: Vec::new(),
            hits: Vec::new(),
            tallies: vec![Tally::default(); self.targets.len()],
            lines: 0,
        }
    }

    /// Everything `reader` mentions: [`read_lines`] and a [`Scan`] in one.
    pub fn find(&self, reader: impl BufRead) -> io::Result<Vec<Found>> {
        let mut scan = self.scan();
        read_lines(reader, |_, line| scan.line(line))?;
        Ok(scan.finish())
    }
}

/// A cheap test that most lines of a log fail: an ASCII line can match only if it holds, at the
/// start of a run of letters and digits, the *anchor* of an alias phrase (the longest of what
/// any token matching one of its words must begin with), or a code's first run or digits as a
/// whole run. Lines that fail are skipped without being analysed. It never skips a line that
/// would match: a word of the line meets a word of a phrase when their stems are equal, and a
/// stem is the word itself up to at most its last two letters (a property test holds the
/// stemmer to that). Lines with other characters than ASCII are always analysed, since
/// lowercasing them may change their bytes.
struct Prefilter {
    /// `None` when there is nothing to find: every line is analysed (and finds nothing).
    automaton: Option<AhoCorasick>,
    /// Whether anchor `i` must also end a run (a whole token, not a word's beginning).
    whole: Vec<bool>,
}

/// How many letters at the end of a stem may differ from the word it came from.
const STEM_TAIL: usize = 2;

impl Prefilter {
    fn new<'a>(
        phrases: impl Iterator<Item = &'a str>,
        token_codes: impl Iterator<Item = &'a str>,
        number_codes: impl Iterator<Item = &'a str>,
    ) -> Prefilter {
        let mut anchors: FxHashMap<String, bool> = FxHashMap::default();
        let mut add = |anchor: &str, whole: bool| {
            let kept = anchors.entry(anchor.to_owned()).or_insert(whole);
            *kept &= whole;
        };
        for phrase in phrases {
            let best = phrase.split_whitespace().filter_map(anchor_of).max_by_key(|(a, _)| a.len());
            let Some((anchor, whole)) = best else {
                // A phrase that guarantees nothing of a line: every line must be analysed.
                return Prefilter { automaton: None, whole: Vec::new() };
            };
            add(anchor, whole);
        }
        for code in token_codes.chain(number_codes) {
            add(code, true);
        }
        let mut anchors: Vec<(String, bool)> = anchors.into_iter().collect();
        anchors.sort();
        let automaton = (!anchors.is_empty()).then(|| {
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(anchors.iter().map(|(a, _)| a))
                .expect("anchors make an automaton")
        });
        Prefilter { automaton, whole: anchors.into_iter().map(|(_, w)| w).collect() }
    }

    fn may_match(&self, line: &str) -> bool {
        let Some(automaton) = &self.automaton else {
            return true;
        };
        if !line.is_ascii() {
            return true;
        }
        let bytes = line.as_bytes();
        let in_run = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
        automaton.find_overlapping_iter(line).any(|m| {
            let starts = m.start() == 0 || !in_run(m.start() - 1);
            starts && (!self.whole[m.pattern().as_usize()] || !in_run(m.end()))
        })
    }
}

/// What a token of an alias phrase guarantees of the line token it matches: the anchor, and
/// whether it is the whole token. Placeholders guarantee nothing.
fn anchor_of(token: &str) -> Option<(&str, bool)> {
    if token.starts_with('<') {
        None
    } else if token.bytes().all(|b| b.is_ascii_lowercase()) {
        // A stem: the word it came from begins with all of it but its last letters.
        let anchor = &token[..token.len().saturating_sub(STEM_TAIL)];
        (!anchor.is_empty()).then_some((anchor, false))
    } else {
        // Not stemmed (digits, other letters, or too short to stem): the token itself.
        Some((token, true))
    }
}

/// What an entry can be found by in a log: the phrases of its aliases (and of a code with a
/// space in it), and its code.
pub(super) struct Patterns {
    /// Phrase tokens, each list with a word in it; in the order of the aliases.
    pub(super) phrases: Vec<Vec<String>>,
    pub(super) code: CodePattern,
}

/// How a code is matched in context.
pub(super) enum CodePattern {
    /// No code, or one matched as a phrase.
    None,
    /// A code with a letter: its lowercase runs of letters and digits.
    Runs(Vec<String>),
    /// A code of digits only.
    Number(String),
}

/// The patterns of an entry with this code and these aliases: what [`Matcher`] looks for, and
/// what the search index writes for the browser's triage (`search/triage.js`).
pub(super) fn patterns_of(code: &str, aliases: &[String]) -> Patterns {
    let code = code.trim();
    let mut texts: Vec<&str> = aliases.iter().map(String::as_str).collect();
    let code = if code.contains(char::is_whitespace) {
        texts.push(code);
        CodePattern::None
    } else if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        CodePattern::Number(code.to_owned())
    } else {
        let runs = words(code);
        if runs.is_empty() {
            CodePattern::None
        } else {
            CodePattern::Runs(runs)
        }
    };
    let phrases = texts
        .into_iter()
        .map(text::phrase_tokens)
        // A phrase of numbers and placeholders only would match far too much.
        .filter(|tokens| tokens.iter().any(|t| !t.starts_with('<') && t.chars().any(char::is_alphabetic)))
        .collect();
    Patterns { phrases, code }
}

/// The words of a category (its id and its name) that make a number after them its code:
/// lowercase, sorted, each once.
pub(super) fn category_words(id: &str, name: &str) -> Vec<String> {
    let mut words = words(&format!("{id} {name}"));
    words.sort();
    words.dedup();
    words
}

/// The lowercase runs of letters and digits of `s`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

#[derive(Clone, Default)]
struct Tally {
    count: u64,
    by_alias: bool,
    lines: Vec<u64>,
    /// The last line counted, so a line that matches twice counts once.
    last: u64,
}

/// A match in the current line: the target, how, the tokens it covers and how specific it is.
#[derive(Clone, Copy, Debug)]
struct Hit {
    target: usize,
    by: MatchKind,
    first: usize,
    last: usize,
    strength: u32,
}

impl Hit {
    fn overlaps(&self, other: &Hit) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

/// How specific a code's run is, against an alias word: a code names one error where a word of
/// a message does not, so `SQLSTATE 53300` is about the code 53300, not about a message
/// `SQLSTATE <num>`, while a long message that quotes a code is about its own entry.
const CODE_RUN_STRENGTH: u32 = 2;

/// A scanned token of the current line: its chunk, kind and place in the arena.
#[derive(Clone, Copy)]
struct Scanned {
    chunk: usize,
    kind: Kind,
    start: usize,
    end: usize,
}

/// One log being read: feed it lines with [`Scan::line`], then take what it found.
pub struct Scan<'m> {
    matcher: &'m Matcher,
    /// Lowercase word → its stem when an alias phrase holds it.
    memo: FxHashMap<Box<str>, Option<Arc<str>>>,
    tokens: Vec<Scanned>,
    arena: String,
    haystack: String,
    /// Where each token written to `haystack` starts there, and its index in `tokens`.
    placed: Vec<(usize, usize)>,
    hits: Vec<Hit>,
    tallies: Vec<Tally>,
    lines: u64,
}

impl Scan<'_> {
    /// Reads the next line (without its line ending).
    pub fn line(&mut self, line: &str) {
        self.lines += 1;
        if !self.matcher.prefilter.may_match(line) {
            return;
        }
        self.tokens.clear();
        self.arena.clear();
        let (tokens, arena) = (&mut self.tokens, &mut self.arena);
        text::scan_chunks_with(line, |chunk, kind, text| {
            let start = arena.len();
            arena.push_str(text);
            tokens.push(Scanned { chunk, kind, start, end: arena.len() });
        });
        self.hits.clear();
        self.match_aliases();
        self.match_codes();
        self.drop_weaker();
        let number = self.lines;
        for hit in &self.hits {
            let tally = &mut self.tallies[hit.target];
            tally.by_alias |= hit.by == MatchKind::Alias;
            if tally.last == number {
                continue;
            }
            tally.last = number;
            tally.count += 1;
            if tally.lines.len() < MAX_LINES {
                tally.lines.push(number);
            }
        }
    }

    fn match_aliases(&mut self) {
        let Some(automaton) = &self.matcher.automaton else {
            return;
        };
        if self.memo.len() > MAX_MEMO {
            self.memo.clear();
        }
        self.haystack.clear();
        self.haystack.push(' ');
        self.placed.clear();
        let mut phrase = Phrase::default();
        for (index, token) in self.tokens.iter().enumerate() {
            let text = &self.arena[token.start..token.end];
            let written = match phrase.next(token.kind, text) {
                None => continue,
                Some(PhraseToken::Literal(literal)) => self.matcher.vocabulary.get(literal).map(|s| &**s),
                Some(PhraseToken::Word(word)) => {
                    if let Some(stem) = self.memo.get(word) {
                        stem.as_deref()
                    } else {
                        let stem = self.matcher.vocabulary.get(&text::word_term(word)).cloned();
                        self.memo.insert(word.into(), stem);
                        self.memo[word].as_deref()
                    }
                }
            };
            self.placed.push((self.haystack.len(), index));
            self.haystack.push_str(written.unwrap_or("?"));
            self.haystack.push(' ');
        }
        for found in automaton.find_overlapping_iter(&self.haystack) {
            // A pattern is ` a b `: it starts at the space before its first token.
            let first = self.placed.partition_point(|&(at, _)| at <= found.start());
            let last = self.placed.partition_point(|&(at, _)| at < found.end()) - 1;
            let (first, last) = (self.placed[first].1, self.placed[last].1);
            let pattern = found.pattern().as_usize();
            let strength = self.matcher.strengths[pattern];
            for &target in &self.matcher.aliases[pattern] {
                self.hits.push(Hit { target, by: MatchKind::Alias, first, last, strength });
            }
        }
    }

    fn match_codes(&mut self) {
        let tokens = &self.tokens;
        let text = |i: usize| &self.arena[tokens[i].start..tokens[i].end];
        for (i, token) in tokens.iter().enumerate() {
            match token.kind {
                Kind::Word | Kind::Number => {}
                Kind::Placeholder => continue,
            }
            if let Some(codes) = self.matcher.token_codes.get(text(i)) {
                for (runs, t) in codes {
                    let whole = runs.iter().enumerate().all(|(k, run)| {
                        tokens.get(i + k).is_some_and(|next| next.chunk == token.chunk && text(i + k) == run)
                    });
                    if whole {
                        let strength = CODE_RUN_STRENGTH * runs.len() as u32;
                        let last = i + runs.len() - 1;
                        self.hits.push(Hit { target: *t, by: MatchKind::Code, first: i, last, strength });
                    }
                }
            }
            if token.kind != Kind::Number {
                continue;
            }
            let Some(codes) = self.matcher.number_codes.get(text(i)) else {
                continue;
            };
            let last_of_chunk = tokens.get(i + 1).is_none_or(|next| next.chunk != token.chunk);
            let previous = i.checked_sub(1).map(|p| (tokens[p], text(p)));
            let after_number =
                previous.is_some_and(|(p, _)| p.chunk == token.chunk && p.kind == Kind::Number);
            let after_not_code = previous
                .is_some_and(|(_, word)| NOT_CODE_WORDS.contains(&word) || UNIT_WORDS.contains(&word));
            // A unit is not followed by a number: in `status=503 bytes=1234`, `bytes` names a field.
            let before_unit = tokens.get(i + 1).is_some_and(|next| {
                next.kind == Kind::Word
                    && UNIT_WORDS.contains(&text(i + 1))
                    && tokens.get(i + 2).is_none_or(|then| then.kind != Kind::Number)
            });
            if !last_of_chunk || after_number || after_not_code || before_unit {
                continue;
            }
            let before: Vec<&str> = (i.saturating_sub(CONTEXT_TOKENS)..i)
                .filter(|&p| tokens[p].kind == Kind::Word)
                .map(text)
                .collect();
            let in_category = |t: usize| {
                self.matcher.targets[t].category_words.iter().any(|w| before.contains(&w.as_str()))
            };
            let by_category: Vec<usize> = codes.iter().copied().filter(|&t| in_category(t)).collect();
            let hit =
                |target| Hit { target, by: MatchKind::Code, first: i, last: i, strength: CODE_RUN_STRENGTH };
            if !by_category.is_empty() {
                self.hits.extend(by_category.into_iter().map(hit));
            } else if before.iter().any(|w| CONTEXT_WORDS.contains(w)) {
                self.hits.extend(codes.iter().copied().map(hit));
            }
        }
    }

    /// Keeps, of matches that cover the same words, only the most specific: a line that holds
    /// `password authentication failed for user` is about the entry with that message, not
    /// about another entry's `authentication failed`.
    fn drop_weaker(&mut self) {
        if self.hits.len() < 2 {
            return;
        }
        let hits = &self.hits;
        let weaker: Vec<bool> = hits
            .iter()
            .map(|h| hits.iter().any(|g| g.target != h.target && g.strength > h.strength && g.overlaps(h)))
            .collect();
        let mut keep = weaker.iter().map(|w| !w);
        self.hits.retain(|_| keep.next().unwrap_or(true));
    }

    /// How many lines were read.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// The entries found, most relevant first: those found by an alias, then by more lines,
    /// then by an earlier first line, then by id.
    pub fn finish(self) -> Vec<Found> {
        let mut found: Vec<Found> = self
            .tallies
            .into_iter()
            .zip(&self.matcher.targets)
            .filter(|(tally, _)| tally.count > 0)
            .map(|(tally, target)| Found {
                entry: target.entry.clone(),
                code: target.code.clone(),
                title: target.title.clone(),
                url: target.url.clone(),
                by: if tally.by_alias { MatchKind::Alias } else { MatchKind::Code },
                count: tally.count,
                lines: tally.lines,
            })
            .collect();
        found.sort_by(|a, b| {
            a.by.cmp(&b.by)
                .then(b.count.cmp(&a.count))
                .then(a.lines.first().cmp(&b.lines.first()))
                .then_with(|| a.entry.cmp(&b.entry))
        });
        found
    }
}

/// The browser's share of triage, written as `search/triage.js` (docs/search.md): the patterns
/// of [`patterns_of`] and the rules of this module, so that the engine finds in a pasted log
/// what a [`Matcher`] finds in the same lines, and holds no copy of either.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct IndexData {
    /// Each entry, in order of `category/slug` (the order ties are broken in): its document
    /// number in the index and its category (in `categories`).
    entries: Vec<(usize, usize)>,
    /// The [`category_words`] of each category.
    categories: Vec<Vec<String>>,
    /// Alias phrases, their tokens joined by spaces, sorted, each with its entries.
    phrases: Vec<(String, Vec<usize>)>,
    /// Codes with a letter as their runs, sorted, each with its entries.
    codes: Vec<(Vec<String>, Vec<usize>)>,
    /// Codes of digits only, sorted, each with its entries.
    numbers: Vec<(String, Vec<usize>)>,
    context_tokens: usize,
    context_words: &'static [&'static str],
    not_code_words: &'static [&'static str],
    unit_words: &'static [&'static str],
    max_lines: usize,
    max_line_bytes: usize,
    code_run_strength: u32,
}

/// The triage data of `docs`, which are in index order.
pub(super) fn index_data(docs: &[&crate::search::SearchDoc]) -> IndexData {
    let mut order: Vec<(&str, usize)> =
        docs.iter().enumerate().map(|(i, d)| (entry_id(&d.href), i)).collect();
    order.sort();
    let mut category_ids: BTreeMap<(&str, &str), usize> =
        docs.iter().map(|d| ((d.category.as_str(), d.category_name.as_str()), 0)).collect();
    let categories = category_ids
        .iter_mut()
        .enumerate()
        .map(|(i, ((id, name), slot))| {
            *slot = i;
            category_words(id, name)
        })
        .collect();
    let mut entries = Vec::with_capacity(order.len());
    let mut phrases: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut codes: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    let mut numbers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (t, &(_, doc)) in order.iter().enumerate() {
        let d = docs[doc];
        entries.push((doc, category_ids[&(d.category.as_str(), d.category_name.as_str())]));
        let found_by = patterns_of(&d.code, &d.aliases);
        match found_by.code {
            CodePattern::None => {}
            CodePattern::Runs(runs) => codes.entry(runs).or_default().push(t),
            CodePattern::Number(code) => numbers.entry(code).or_default().push(t),
        }
        for tokens in found_by.phrases {
            let list = phrases.entry(tokens.join(" ")).or_default();
            if list.last() != Some(&t) {
                list.push(t);
            }
        }
    }
    IndexData {
        entries,
        categories,
        phrases: phrases.into_iter().collect(),
        codes: codes.into_iter().collect(),
        numbers: numbers.into_iter().collect(),
        context_tokens: CONTEXT_TOKENS,
        context_words: &CONTEXT_WORDS,
        not_code_words: &NOT_CODE_WORDS,
        unit_words: &UNIT_WORDS,
        max_lines: MAX_LINES,
        max_line_bytes: MAX_LINE_BYTES,
        code_run_strength: CODE_RUN_STRENGTH,
    }
}

/// `category/slug` of a document, from its href (`http/503/`, or `http/503/index.html` in an
/// offline build).
fn entry_id(href: &str) -> &str {
    href.strip_suffix("index.html").unwrap_or(href).trim_end_matches('/')
}

/// Calls `f` with each line of `reader` (1-based number, text without `\n` or `\r\n`), holding
/// at most [`MAX_LINE_BYTES`] of a line: a longer one is cut there (at a character boundary, or
/// with a replacement character) and the rest dropped. Bytes that are not UTF-8 are read as
/// replacement characters. Returns how many lines there were.
pub fn read_lines(mut reader: impl BufRead, mut f: impl FnMut(u64, &str)) -> io::Result<u64> {
    let mut line: Vec<u8> = Vec::new();
    let mut number = 0;
    // Whether the line being read has bytes, kept or dropped.
    let mut started = false;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            if started {
                number += 1;
                emit(number, &line, &mut f);
            }
            return Ok(number);
        }
        let (used, end) = match buffer.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, Some(i)),
            None => (buffer.len(), None),
        };
        let part = &buffer[..end.unwrap_or(used)];
        match end {
            // The common case: a whole line in the buffer, read where it lies.
            Some(_) if !started => {
                number += 1;
                emit(number, &part[..part.len().min(MAX_LINE_BYTES)], &mut f);
            }
            _ => {
                let room = MAX_LINE_BYTES - line.len();
                line.extend_from_slice(&part[..part.len().min(room)]);
                started = true;
                if end.is_some() {
                    number += 1;
                    emit(number, &line, &mut f);
                    line.clear();
                    started = false;
                }
            }
        }
        reader.consume(used);
    }
}

fn emit(number: u64, bytes: &[u8], f: &mut impl FnMut(u64, &str)) {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => f(number, text),
        Err(_) => f(number, &String::from_utf8_lossy(bytes)),
    }
}

#[cfg(test)]
mod tests;
