use std::sync::Arc;

use super::*;
use crate::content::{Entry, SiteConfig};

fn config() -> SiteConfig {
    let yaml = "title: T\nbase_url: https://e.org/kb/\ncategories:\n  http: { name: HTTP }\n  smtp: { name: SMTP }\n  linux: { name: Linux }\n  oracle: { name: Oracle Database }\n";
    let mut diagnostics = Vec::new();
    crate::content::config::parse(yaml, &mut diagnostics).unwrap()
}

fn entry(config: &SiteConfig, category: &str, slug: &str, code: &str, aliases: &[&str]) -> Arc<Entry> {
    let aliases: Vec<String> = aliases.iter().map(|a| format!("{a:?}")).collect();
    let text = format!(
        "---\ncode: {code:?}\ntitle: Title of {slug}\nsummary: What it means.\nseverity: major\nupdated: 2026-06-14\naliases: [{}]\n---\nBody.\n",
        aliases.join(", ")
    );
    Arc::new(crate::content::entry::parse_for_test(&text, category, slug, config))
}

fn matcher() -> Matcher {
    let config = config();
    let entries = vec![
        entry(
            &config,
            "http",
            "503",
            "503",
            &["Service Unavailable", "no live upstreams while connecting to upstream"],
        ),
        entry(&config, "smtp", "503", "503", &["bad sequence of commands"]),
        entry(&config, "linux", "econnrefused", "ECONNREFUSED", &["Connection refused"]),
        entry(&config, "oracle", "ora-00942", "ORA-00942", &[]),
        entry(&config, "linux", "docker", "Cannot connect to the Docker daemon", &[]),
        entry(&config, "linux", "numbers", "404", &["10.0.0.1:503"]),
    ];
    Matcher::new(&config, &entries)
}

/// `entry` and the lines it matched, for every entry found in `log`, in order.
fn found(log: &str) -> Vec<(String, MatchKind, u64, Vec<u64>)> {
    matcher()
        .find(log.as_bytes())
        .unwrap()
        .into_iter()
        .map(|f| (f.entry.to_string(), f.by, f.count, f.lines))
        .collect()
}

fn ids(log: &str) -> Vec<String> {
    found(log).into_iter().map(|f| f.0).collect()
}

#[test]
fn an_alias_matches_after_normalisation() {
    // Other timestamps, addresses, ids and plurals than the alias has: the same phrase.
    let log = "2026/06/14 10:12:01 [error] 31#31: *5 no live upstream while connecting to upstreams, client: 10.0.0.1\n";
    assert_eq!(found(log), [("http/503".to_owned(), MatchKind::Alias, 1, vec![1])]);
    assert_eq!(ids("Service   UNAVAILABLE (retry later)"), ["http/503"]);
    // Words of the alias, but not as the alias's phrase.
    assert!(ids("the service is now available").is_empty());
    assert!(ids("unavailable service").is_empty());
}

#[test]
fn a_code_with_a_space_is_matched_as_a_phrase() {
    assert_eq!(
        ids("docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock."),
        ["linux/docker"]
    );
}

#[test]
fn an_alias_of_numbers_and_placeholders_only_is_left_out() {
    assert!(ids("dial 10.9.8.7:1234 failed").is_empty());
}

#[test]
fn a_code_with_a_letter_matches_as_whole_runs_of_one_chunk() {
    assert_eq!(ids("Error: connect ECONNREFUSED 127.0.0.1:5432"), ["linux/econnrefused"]);
    assert_eq!(ids("errno=econnrefused"), ["linux/econnrefused"]);
    assert_eq!(ids("ORA-00942: table or view does not exist"), ["oracle/ora-00942"]);
    assert_eq!(ids("java.sql.SQLException: ORA-00942"), ["oracle/ora-00942"]);
    for log in ["XECONNREFUSED", "ECONNREFUSEDX", "ORA 00942", "ORA-009421", "ORA00942"] {
        assert!(ids(log).is_empty(), "{log}");
    }
}

#[test]
fn a_number_is_a_code_only_in_context() {
    assert_eq!(ids("upstream returned status=503"), ["http/503", "smtp/503"]);
    // A word of the category picks that category's entry.
    assert_eq!(ids("\"GET /api HTTP/1.1\" 503 1234"), ["http/503"]);
    assert_eq!(ids("smtp reply 503"), ["smtp/503"]);
    assert_eq!(ids("Error 503:"), ["http/503", "smtp/503"]);
    // No word that announces a code, or one that says it is something else.
    for log in ["retrying in 503 ms", "listening on port 503", "error at line 503", "http worker count 4 503"]
    {
        assert!(ids(log).is_empty(), "{log}");
    }
    // A measure: a number before a unit, or after a word that counts or times.
    for log in [
        "response time 503 ms",
        "status: ok, took 503 ms",
        "error count 503",
        "status 503 bytes sent",
        "request took 503",
        "error latency 503 us",
        "error rate 503 percent",
        "response time 503 milliseconds",
        "HTTP 503 days",
        "HTTP latency_ms=503",
        "http response_time=503",
        "http bytes_sent=503",
        "http retries=503",
    ] {
        assert!(ids(log).is_empty(), "{log}");
    }
    assert_eq!(ids("status 503 served in 12 ms"), ["http/503", "smtp/503"], "a unit after another number");
    assert_eq!(ids("status=503 bytes=1234"), ["http/503", "smtp/503"], "a field named like a unit");
}

#[test]
fn a_number_inside_a_timestamp_address_or_version_is_never_a_code() {
    for log in [
        "2026-06-14T10:12:01.503Z status ok",
        "status 10:05:03",
        "HTTP 10.0.0.1:503",
        "status 1.503",
        "error v2.503.1",
        "HTTP 503.2",
        "status 5030",
        "status 503ms",
        "error /var/503",
        "status 14/Jun/2026:10:12:01",
        "error code 0x503",
    ] {
        assert!(ids(log).is_empty(), "{log}: {:?}", ids(log));
    }
}

#[test]
fn repeated_lines_are_grouped_under_one_entry() {
    let line = "Error: connect ECONNREFUSED 127.0.0.1:5432\n";
    let log = format!("start\n{}", line.repeat(25));
    let found = found(&log);
    assert_eq!(found.len(), 1);
    let (entry, by, count, lines) = &found[0];
    assert_eq!((entry.as_str(), *by, *count), ("linux/econnrefused", MatchKind::Code, 25));
    assert_eq!(*lines, (2..2 + MAX_LINES as u64).collect::<Vec<_>>());
    // A line that matches an entry twice (its code and an alias) counts once, as an alias.
    let found = super::tests::found("ECONNREFUSED: Connection refused\n");
    assert_eq!(found, [("linux/econnrefused".to_owned(), MatchKind::Alias, 1, vec![1])]);
}

#[test]
fn alias_matches_rank_above_code_matches_then_more_lines_first() {
    let log = "\
status=503 error
ORA-00942
ORA-00942
ORA-00942
Service Unavailable
Connection refused
Connection refused
ORA-00942
";
    assert_eq!(
        found(log),
        [
            // As many lines as the next, but an earlier first one.
            ("http/503".to_owned(), MatchKind::Alias, 2, vec![1, 5]),
            ("linux/econnrefused".to_owned(), MatchKind::Alias, 2, vec![6, 7]),
            ("oracle/ora-00942".to_owned(), MatchKind::Code, 4, vec![2, 3, 4, 8]),
            ("smtp/503".to_owned(), MatchKind::Code, 1, vec![1]),
        ]
    );
}

#[test]
fn json_has_the_documented_fields() {
    let found = matcher().find("Connection refused".as_bytes()).unwrap();
    let json = serde_json::to_value(&found).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "entry": "linux/econnrefused",
            "code": "ECONNREFUSED",
            "title": "Title of econnrefused",
            "url": "https://e.org/kb/linux/econnrefused/",
            "count": 1,
            "lines": [1],
        }])
    );
}

/// Lines of `reader`, as `read_lines` hands them out.
fn lines_of(bytes: &[u8], capacity: usize) -> (u64, Vec<(u64, String)>) {
    let mut out = Vec::new();
    let reader = std::io::BufReader::with_capacity(capacity, bytes);
    let n = read_lines(reader, |number, line| out.push((number, line.to_owned()))).unwrap();
    (n, out)
}

#[test]
fn lines_are_read_whatever_the_buffer_and_the_line_endings() {
    let bytes = b"one\r\ntwo\n\nthree";
    let expected: Vec<(u64, String)> =
        [(1, "one"), (2, "two"), (3, ""), (4, "three")].map(|(n, l)| (n, l.to_owned())).to_vec();
    for capacity in [1, 2, 3, 5, 64] {
        assert_eq!(lines_of(bytes, capacity), (4, expected.clone()), "capacity {capacity}");
    }
    assert_eq!(lines_of(b"", 8), (0, vec![]));
    assert_eq!(lines_of(b"a\n", 8), (1, vec![(1, "a".to_owned())]));
    // Bytes that are not UTF-8 become replacement characters.
    assert_eq!(lines_of(b"bad \xff byte\n", 8).1, [(1, "bad \u{fffd} byte".to_owned())]);
}

#[test]
fn a_long_line_is_cut_and_matched_on_its_head() {
    let long = format!("Connection refused {}\nnext\n", "x".repeat(3 * MAX_LINE_BYTES));
    for capacity in [7, 1024, 1 << 20] {
        let (n, lines) = lines_of(long.as_bytes(), capacity);
        assert_eq!(n, 2);
        assert_eq!(lines[0].1.len(), MAX_LINE_BYTES, "capacity {capacity}");
        assert_eq!(lines[1], (2, "next".to_owned()));
    }
    assert_eq!(ids(&long), ["linux/econnrefused"]);
    // What lies past the cut is not read.
    let tail = format!("{} Connection refused\n", "x ".repeat(MAX_LINE_BYTES));
    assert!(ids(&tail).is_empty());
}

fn specific_matcher() -> Matcher {
    let config = config();
    let entries = vec![
        entry(&config, "linux", "auth", "AUTHFAIL", &["authentication failed"]),
        entry(&config, "linux", "pg-password", "28P01", &["password authentication failed for user"]),
        entry(&config, "linux", "pg-hba", "28000", &["SQLSTATE 28000"]),
        entry(&config, "linux", "too-many", "53300", &[]),
    ];
    Matcher::new(&config, &entries)
}

#[test]
fn of_matches_over_the_same_words_only_the_most_specific_counts() {
    let matcher = specific_matcher();
    let find = |log: &str| -> Vec<String> {
        matcher.find(log.as_bytes()).unwrap().into_iter().map(|f| f.entry.to_string()).collect()
    };
    // The longer message holds the shorter one: only its entry is meant.
    assert_eq!(find("FATAL: password authentication failed for user \"app\""), ["linux/pg-password"]);
    // Alone, the shorter message still finds its entry.
    assert_eq!(find("git: authentication failed"), ["linux/auth"]);
    // A code beats a message whose other word is a placeholder where the code stands.
    assert_eq!(find("SQLSTATE 53300"), ["linux/too-many"]);
    assert_eq!(find("SQLSTATE 28000"), ["linux/pg-hba"]);
    // Matches over different words of one line are both kept.
    assert_eq!(find("authentication failed; later SQLSTATE 53300"), ["linux/auth", "linux/too-many"]);
}

/// Every suffix the stemmer's steps look at, so generated words reach every rule.
const SUFFIXES: [&str; 62] = [
    "ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization", "ation",
    "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "logi", "icate", "ative",
    "alize", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant",
    "ement", "ment", "ent", "ion", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "sses",
    "ies", "ss", "s", "eed", "ed", "ing", "at", "bl", "iz", "y", "e", "ll",
];

proptest::proptest! {
    #[test]
    fn a_word_begins_with_the_anchor_of_its_stem(
        base in "[a-z]{0,9}",
        tail in proptest::collection::vec(proptest::sample::select(&SUFFIXES[..]), 0..4),
    ) {
        let word = base + &tail.concat();
        proptest::prop_assume!(!word.is_empty());
        let stem = crate::search::stem::stem(&word);
        if let Some((anchor, whole)) = anchor_of(&stem) {
            proptest::prop_assert!(word.starts_with(anchor), "{word} → {stem}, anchor {anchor}");
            proptest::prop_assert!(!whole || word == anchor, "{word} → {stem}, whole anchor {anchor}");
        }
    }
}

/// The bundled site's entries.
fn demo() -> (SiteConfig, Vec<Arc<Entry>>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut diagnostics = Vec::new();
    let content = crate::content::load(root, crate::content::LoadOptions::default(), &mut diagnostics)
        .unwrap()
        .expect("the bundled site loads");
    (content.config, content.entries)
}

#[test]
fn the_prefilter_never_drops_a_line_that_matches() {
    let (config, entries) = demo();
    let with = Matcher::new(&config, &entries);
    let mut without = Matcher::new(&config, &entries);
    without.prefilter = Prefilter { automaton: None, whole: Vec::new() };
    let mut lines: Vec<String> = Vec::new();
    for entry in &entries {
        let messages = entry.aliases.iter().chain([&entry.code, &entry.title]);
        for message in messages {
            lines.push(message.clone());
            lines.push(message.to_uppercase());
            lines.push(format!("2026-12-01T10:00:00Z pod-7 error: {message} (code {})", entry.code));
            // Each word inflected, as a log may word a message differently.
            for suffix in ["s", "ed", "ing", "ation", "ly", "ness", "e", "y"] {
                let inflected: Vec<String> = message.split(' ').map(|w| format!("{w}{suffix}")).collect();
                lines.push(inflected.join(" "));
            }
            // Each word cut short by one and two letters.
            for cut in [1, 2] {
                let short: Vec<&str> = message
                    .split(' ')
                    .map(|w| w.char_indices().rev().nth(cut - 1).map_or(w, |(i, _)| &w[..i]))
                    .collect();
                lines.push(short.join(" "));
            }
        }
    }
    lines.extend(
        [
            "status=503 upstream_response_time=0.012",
            "HTTP/1.1\" 503 0 \"-\"",
            "exit code 137",
            "nothing here at all",
            "",
            "Ошибка: connection refused (ECONNREFUSED)",
        ]
        .map(String::from),
    );
    let log = lines.join("\n");
    let found_with = with.find(log.as_bytes()).unwrap();
    let found_without = without.find(log.as_bytes()).unwrap();
    assert!(found_without.len() > 50, "{} entries found", found_without.len());
    assert_eq!(found_with, found_without);
    // And line by line, so a line the prefilter drops cannot hide behind another line.
    for line in &lines {
        assert_eq!(with.find(line.as_bytes()).unwrap(), without.find(line.as_bytes()).unwrap(), "{line:?}");
    }
}

#[test]
fn the_prefilter_skips_lines_without_an_anchor() {
    let (config, entries) = demo();
    let matcher = Matcher::new(&config, &entries);
    assert!(!matcher.prefilter.may_match("2026-12-01T10:00:00Z INFO GET /api/orders 200 12ms"));
    assert!(matcher.prefilter.may_match("Error: connect ECONNREFUSED 127.0.0.1:5432"));
    // An anchor must start a run: `XECONNREFUSED` holds one only inside a word.
    assert!(!matcher.prefilter.may_match("XECONNREFUSEDX happened"));
    // A line with other characters than ASCII is always analysed.
    assert!(matcher.prefilter.may_match("GET /café 200"));
}
