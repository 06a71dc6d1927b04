//! The nearest codes: one rule for `errorbook explain`'s suggestions, for the "did you mean"
//! of an empty search and for the code typos search forgives.
//!
//! Codes and slugs are compared by their code key ([`code_key`]: letters and digits,
//! lowercased), so `ORA-00942`, `ora 00942` and the slug `ora-00942` are one key. The engine
//! (`static/assets/search/engine.js`) holds the same functions and reads the numbers of
//! [`RULE`] from `meta.js`; `search::tests::the_engine_finds_the_nearest_codes_as_explain`
//! holds the two equal over generated codes and queries.

use serde::Serialize;

pub(crate) use super::text::code_key;

/// The numbers of the rule, written into `meta.js` for the engine.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// An entry is suggested when its code or slug is at least this similar to the query
    /// (similarity: 1 − edits / the longer key's length).
    pub min_similarity: f64,
    /// A code key inside the query key, or the query key inside a code key, counts as this
    /// similar at least.
    pub contained: f64,
    /// At most this many suggestions.
    pub suggestions: usize,
    /// A query whose key is longer than this is no code: no suggestions, no typos.
    pub max_key_chars: usize,
    /// Typos search forgives: `[chars, edits]`, a query key of at least `chars` characters
    /// meets a code key up to `edits` edits away (the last pair that applies counts).
    pub typo_edits: [[usize; 2]; 2],
}

pub const RULE: Rule = Rule {
    min_similarity: 0.34,
    contained: 0.75,
    suggestions: 3,
    max_key_chars: 64,
    typo_edits: [[5, 1], [10, 2]],
};

/// Edits between `a` and `b`: insertions, deletions, substitutions and swaps of neighbours
/// (optimal string alignment), counted in characters.
pub fn distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    // Row i lives at i % 3: the current one, the previous one and the one before (for swaps).
    let mut rows = vec![vec![0usize; width]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (cur, prev, back) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[prev][j] + 1).min(rows[cur][j - 1] + 1).min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[back][j - 2] + 1);
            }
            rows[cur][j] = best;
        }
    }
    rows[a.len() % 3][b.len()]
}

/// 1 − edits / the longer length; 0 when either key is empty.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = a.len().max(b.len());
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    1.0 - distance(&a, &b) as f64 / longest as f64
}

/// How close an entry (its code key and slug key) is to the query key `wanted`.
pub fn closeness(wanted: &str, code: &str, slug: &str) -> f64 {
    let mut score = similarity(wanted, code).max(similarity(wanted, slug));
    if !wanted.is_empty() && !code.is_empty() && (code.contains(wanted) || wanted.contains(code)) {
        score = score.max(RULE.contained);
    }
    score
}

/// The keys of an entry that a query is compared with: of its code, and of its slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryKeys {
    pub code: String,
    pub slug: String,
}

/// The entries to suggest for the query `query` (as typed), best first: indexes into
/// `entries`, which come in the index's order (by `category/slug/`). Ties go to the earlier
/// entry.
pub fn suggest(query: &str, entries: &[EntryKeys]) -> Vec<usize> {
    let wanted = code_key(query);
    if wanted.is_empty() || wanted.chars().count() > RULE.max_key_chars {
        return Vec::new();
    }
    let mut scored: Vec<(f64, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, keys)| (closeness(&wanted, &keys.code, &keys.slug), i))
        .filter(|(score, _)| *score >= RULE.min_similarity)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(RULE.suggestions).map(|(_, i)| i).collect()
}

/// The edits search forgives between the query key `wanted` and a code key, when it forgives
/// them: a different key, within the edits its length allows, with the same digits in the same
/// order (`503` never meets `502`, `ora00943` never `ora00942`).
pub fn typo(wanted: &str, code: &str) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (wanted.chars().collect(), code.chars().collect());
    let budget =
        RULE.typo_edits.iter().filter(|[chars, _]| a.len() >= *chars).map(|[_, edits]| *edits).next_back()?;
    let digits = |s: &[char]| s.iter().filter(|c| c.is_ascii_digit()).copied().collect::<Vec<char>>();
    if a == b
        || a.len().abs_diff(b.len()) > budget
        || digits(&a) != digits(&b)
        || a.len() > RULE.max_key_chars
    {
        return None;
    }
    Some(distance(&a, &b)).filter(|d| *d <= budget)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> usize {
        distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>())
    }

    #[test]
    fn distance_counts_edits_and_swaps() {
        assert_eq!(d("", ""), 0);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", ""), 3);
        assert_eq!(d("econnrefused", "econrefused"), 1);
        assert_eq!(d("crashloopbackoff", "crashloopbakoff"), 1);
        assert_eq!(d("ab", "ba"), 1, "a swap is one edit");
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("ca", "abc"), 3, "optimal string alignment edits no swapped pair again");
    }

    #[test]
    fn typos_keep_digits_and_need_length() {
        assert_eq!(typo("econrefused", "econnrefused"), Some(1));
        assert_eq!(typo("crashlopbakoff", "crashloopbackoff"), Some(2), "long keys forgive two");
        assert_eq!(typo("etimdout", "etimedout"), Some(1));
        assert_eq!(typo("etmdout", "etimedout"), None, "two edits are too many for a short key");
        assert_eq!(typo("503", "502"), None);
        assert_eq!(typo("ora00943", "ora00942"), None, "a digit is never a typo");
        assert_eq!(typo("ora0942", "ora00942"), None);
        assert_eq!(typo("econnrefused", "econnrefused"), None, "the same key is no typo");
    }

    #[test]
    fn suggestions_are_the_closest_codes_and_slugs() {
        let entries: Vec<EntryKeys> = [
            ("500", "500"),
            ("502", "502"),
            ("503", "503"),
            ("504", "504"),
            ("econnrefused", "econnrefused"),
        ]
        .iter()
        .map(|(c, s)| EntryKeys { code: c.to_string(), slug: s.to_string() })
        .collect();
        assert_eq!(suggest("5033", &entries), [2, 0, 1]);
        assert_eq!(suggest("ECONREFUSED", &entries), [4]);
        assert_eq!(suggest("zzzzzzzz", &entries), [] as [usize; 0]);
        assert_eq!(suggest("-", &entries), [] as [usize; 0], "no key, no suggestion");
    }
}
