//! Finding entries by what a reader types (`errorbook explain`, the MCP server's `get_entry`):
//! a code, a `category/slug` or an alias; for anything else the nearest codes, by the rule
//! search's "did you mean" follows.

use super::near;
use crate::content::Entry;

/// What a query for a code found.
#[derive(Debug)]
pub enum Lookup<'a> {
    One(&'a Entry),
    /// Several entries have this code (in different categories).
    Shared(Vec<&'a Entry>),
    /// Nothing matched; the nearest entries, best first (possibly none).
    Unknown(Vec<&'a Entry>),
}

/// Finds the entries for `query`: by code (case-insensitive), then by `category/slug`, then by
/// an exact alias.
pub fn lookup<'a>(entries: &'a [std::sync::Arc<Entry>], query: &str) -> Lookup<'a> {
    let wanted = query.trim().to_lowercase();
    let wanted_code = crate::content::CodeKey::of(query);
    let by = |key: &dyn Fn(&Entry) -> bool| -> Vec<&'a Entry> {
        entries.iter().map(|e| &**e).filter(|e| key(e)).collect()
    };
    let mut found = match &wanted_code {
        None => Vec::new(),
        Some(wanted) => by(&|e| crate::content::CodeKey::of(&e.code).as_ref() == Some(wanted)),
    };
    if found.is_empty() {
        found = by(&|e| *e.id() == wanted);
    }
    if found.is_empty() {
        found = by(&|e| e.aliases.iter().any(|a| a.trim().to_lowercase() == wanted));
    }
    match found.len() {
        0 => Lookup::Unknown(nearest(entries, &wanted)),
        1 => Lookup::One(found[0]),
        _ => Lookup::Shared(found),
    }
}

/// The entries whose code (or slug) is closest to `wanted`, best first: the rule search's "did
/// you mean" follows too ([`near::suggest`]), over the entries in the index's order.
fn nearest<'a>(entries: &'a [std::sync::Arc<Entry>], wanted: &str) -> Vec<&'a Entry> {
    let mut ordered: Vec<(String, &Entry)> =
        entries.iter().map(|e| (format!("{}/{}/", e.category, e.slug), &**e)).collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0));
    let keys: Vec<near::EntryKeys> = ordered
        .iter()
        .map(|(_, e)| near::EntryKeys { code: near::code_key(&e.code), slug: near::code_key(&e.slug) })
        .collect();
    near::suggest(wanted, &keys).into_iter().map(|i| ordered[i].1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<std::sync::Arc<Entry>> {
        crate::content::entry::two_categories_for_test("aliases: [Service Unavailable]\n").1
    }

    fn check_lookup(query: &str, expected: &str) {
        let entries = entries();
        let got = match lookup(&entries, query) {
            Lookup::One(e) => format!("one {}", e.id()),
            Lookup::Shared(es) => {
                format!("shared {}", es.iter().map(|e| e.id().as_str()).collect::<Vec<_>>().join(" "))
            }
            Lookup::Unknown(es) => {
                format!("unknown {}", es.iter().map(|e| e.id().as_str()).collect::<Vec<_>>().join(" "))
            }
        };
        assert_eq!(got, expected, "{query}");
    }

    #[test]
    fn finds_entries_by_code_id_or_alias() {
        check_lookup("503", "one http/503");
        check_lookup(" HTTP/503 ", "one http/503");
        check_lookup("service unavailable", "one http/503");
        check_lookup("enospc", "shared http/enospc linux/enospc");
        check_lookup("5003", "unknown http/503");
        check_lookup("zzzzzzzzzzzz", "unknown ");
    }

    #[test]
    fn a_code_of_punctuation_alone_is_found_as_written() {
        let (config, mut entries) = crate::content::entry::two_categories_for_test("");
        let text =
            "---\ncode: \"!!!\"\ntitle: T\nsummary: S.\nseverity: major\nupdated: 2026-06-14\n---\nBody.\n";
        for (category, slug) in [("http", "bang"), ("linux", "bang")] {
            let entry = crate::content::entry::parse_for_test(text, category, slug, &config);
            entries.push(std::sync::Arc::new(entry));
        }
        let ids = |query: &str| match lookup(&entries, query) {
            Lookup::Shared(found) => found.iter().map(|e| e.id().to_string()).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        assert_eq!(ids(" !!! "), ["http/bang", "linux/bang"]);
        assert!(matches!(lookup(&entries, "!!?"), Lookup::Unknown(_)));
    }
}
