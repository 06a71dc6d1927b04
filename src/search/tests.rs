//! Tests for text analysis, the index format and ranking. Ranking goes through the engine that
//! readers use, `static/assets/search/engine.js`, run under node (`tests/js/engine-cli.mjs`), and
//! so does the differential test of the two analysers. The engine is also tested against the
//! same vectors in `tests/js/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{json, Value};

use super::index::decode_postings;
use super::stem::stem;
use super::text::{bigrams, code_key, fnv1a, phrase_tokens, tables, terms, word_term};
use super::{build_index, opensearch_xml, AnalysisCache, LiveIndex, SearchDoc};

// ---------- Shared vectors ----------

fn vectors_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search-vectors.json")
}

/// Checks every case of `tests/search-vectors.json`; with `SEARCH_VECTORS_BLESS=1`, rewrites
/// the expectations from this implementation instead (review the diff before committing).
#[test]
fn shared_vectors() {
    let path = vectors_path();
    let text = std::fs::read_to_string(&path).expect("tests/search-vectors.json is readable");
    let mut v: Value = serde_json::from_str(&text).expect("tests/search-vectors.json is JSON");
    let bless = std::env::var_os("SEARCH_VECTORS_BLESS").is_some();
    let mut failures = Vec::new();

    // The engine's tests read text with these, as the engine does with those of meta.js.
    let analysis = serde_json::to_value(tables()).unwrap();
    if bless {
        v["analysis"] = analysis;
    } else if v["analysis"] != analysis {
        failures.push("the analysis tables differ from those the index carries".to_owned());
    }

    for case in v["stem"].as_array_mut().expect("stem cases") {
        let got = stem(case[0].as_str().unwrap());
        if bless {
            case[1] = got.into();
        } else if case[1] != got.as_str() {
            failures.push(format!("stem({}) = {got:?}, expected {}", case[0], case[1]));
        }
    }
    for case in v["analyze"].as_array_mut().expect("analyze cases") {
        let input = case["input"].as_str().unwrap().to_owned();
        let got_terms = serde_json::to_value(terms(&input)).unwrap();
        let phrase = phrase_tokens(&input);
        let got_pairs = serde_json::to_value(bigrams(&phrase)).unwrap();
        let got_phrase = serde_json::to_value(phrase).unwrap();
        if bless {
            case["terms"] = got_terms;
            case["phrase"] = got_phrase;
            case["bigrams"] = got_pairs;
            continue;
        }
        if case["bigrams"] != got_pairs {
            failures.push(format!("bigrams({input:?}) = {got_pairs}, expected {}", case["bigrams"]));
        }
        if case["terms"] != got_terms {
            failures.push(format!("terms({input:?}) = {got_terms}, expected {}", case["terms"]));
        }
        if case["phrase"] != got_phrase {
            failures.push(format!("phrase({input:?}) = {got_phrase}, expected {}", case["phrase"]));
        }
    }
    for case in v["code_key"].as_array_mut().expect("code_key cases") {
        let got = code_key(case[0].as_str().unwrap());
        if bless {
            case[1] = got.into();
        } else if case[1] != got.as_str() {
            failures.push(format!("code_key({}) = {got:?}, expected {}", case[0], case[1]));
        }
    }
    for case in v["fnv1a"].as_array_mut().expect("fnv1a cases") {
        let got = fnv1a(case[0].as_str().unwrap());
        if bless {
            case[1] = got.into();
        } else if case[1] != got {
            failures.push(format!("fnv1a({}) = {got}, expected {}", case[0], case[1]));
        }
    }
    if bless {
        std::fs::write(&path, format_vectors(&v)).expect("tests/search-vectors.json is writable");
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

/// The vectors file with one case a line, so a change reads well in a diff.
fn format_vectors(v: &Value) -> String {
    let line = |x: &Value| serde_json::to_string(x).unwrap();
    let mut out =
        format!("{{\n \"about\": {},\n \"analysis\": {},\n", line(&v["about"]), line(&v["analysis"]));
    let keys = ["stem", "analyze", "code_key", "fnv1a"];
    for (k, key) in keys.iter().enumerate() {
        out.push_str(&format!(" \"{key}\": [\n"));
        let cases = v[key].as_array().unwrap();
        for (i, case) in cases.iter().enumerate() {
            let comma = if i + 1 < cases.len() { "," } else { "" };
            out.push_str(&format!("  {}{comma}\n", line(case)));
        }
        out.push_str(if k + 1 < keys.len() { " ],\n" } else { " ]\n" });
    }
    out.push_str("}\n");
    out
}

// ---------- Tokenizing, stemming, noise ----------

fn check_terms(input: &str, expected: &[&str]) {
    assert_eq!(terms(input), expected, "terms of {input:?}");
}

fn check_phrase(input: &str, expected: &str) {
    assert_eq!(phrase_tokens(input).join(" "), expected, "phrase of {input:?}");
}

#[test]
fn terms_are_lowercased_and_stemmed_without_stop_words() {
    check_terms("Connections REFUSED by the server", &["connect", "refus", "server"]);
    check_terms("connection", &["connect"]);
    check_terms("HTTP 503 Service Unavailable", &["http", "503", "servic", "unavail"]);
}

#[test]
fn codes_stay_whole() {
    check_terms("E0308", &["e0308"]);
    check_terms("error[E0308]: mismatched types", &["error", "e0308", "mismatch", "type"]);
    check_terms("ECONNREFUSED", &["econnrefus"]);
    // Separators split a code into words; the code itself is matched by its key.
    check_terms("ERR_CONNECTION_REFUSED", &["err", "connect", "refus"]);
    assert_eq!(code_key("ORA-00942"), "ora00942");
    assert_eq!(code_key("e0308"), code_key("E0308"));
}

#[test]
fn single_letters_single_digits_and_long_numbers_are_not_terms() {
    check_terms("x 1 22 333 4444 55555 666666 7777777", &["22", "333", "4444", "55555", "666666"]);
}

#[test]
fn stemming_follows_porter() {
    for (word, expected) in [
        ("connections", "connect"),
        ("connecting", "connect"),
        ("unavailable", "unavail"),
        ("generalizations", "gener"),
        ("ponies", "poni"),
        ("sky", "sky"),
        ("e0308", "e0308"),
        ("naïve", "naïve"),
    ] {
        assert_eq!(stem(word), expected, "stem of {word}");
    }
}

#[test]
fn variable_parts_become_placeholders() {
    check_phrase("connect ECONNREFUSED 127.0.0.1:5432", "connect econnrefus <ip>");
    check_phrase("at 2026-06-14T10:12:01.123Z and 10:12:01", "at <date> and <time>");
    check_phrase("id 3fa85f64-5717-4562-b3fc-2c963f66afa6", "id <uuid>");
    check_phrase("from fe80::1 to [::1]:8080", "from <ip> to <ip> <num>");
    check_phrase("open /var/log/app.log and ~/x and src/main.rs:4:5", "open <path> and <path> and <path>");
    check_phrase("at 0x7ffd3a1c sha 9fceb02d0ae598e9", "at <hex> sha <hex>");
    check_phrase("see https://example.org/a?b=c", "see <url> c");
    check_phrase("mail root@example.org", "mail <email>");
    // Short numbers are kept (status codes, exit codes); long ones are not.
    check_phrase("returned 502 after 12345 ms", "return 502 after <num> ms");
    // A run of one placeholder is one.
    check_phrase("1234#0: *5678", "<num> 0 <num>");
    check_phrase("10.0.0.1 10.0.0.2 x", "<ip> x");
}

/// The placeholders of the tables are what the scan gives for each kind of variable part, and
/// each begins with `<`, by which both analysers tell a placeholder from a word.
#[test]
fn the_placeholders_of_the_tables_are_those_the_scan_gives() {
    let p = super::text::PLACEHOLDERS;
    let long = "a".repeat(41);
    let cases = [
        ("https://example.org/x", p.url),
        ("ops@example.org", p.email),
        ("123e4567-e89b-12d3-a456-426614174000", p.uuid),
        ("10.0.0.1:5432", p.ip),
        ("2026-06-14", p.date),
        ("10:12:01", p.time),
        ("/var/log/app.log", p.path),
        ("0xdeadbeef", p.hex),
        (long.as_str(), p.id),
        ("123456", p.num),
    ];
    let mut seen = BTreeSet::new();
    for (input, placeholder) in cases {
        assert_eq!(phrase_tokens(input), [placeholder], "{input}");
        assert!(placeholder.starts_with('<') && seen.insert(placeholder), "{placeholder}");
    }
    let tables = serde_json::to_value(tables()).unwrap();
    assert_eq!(tables["placeholders"]["ip"], "<ip>", "meta.js carries them: {tables}");
    assert_eq!(tables["placeholders"].as_object().unwrap().len(), cases.len());
}

#[test]
fn word_pairs_skip_two_placeholders() {
    let phrase = phrase_tokens("2026-06-14 10:12:01 connect ECONNREFUSED 10.0.0.1:5432");
    assert_eq!(bigrams(&phrase), ["<time> connect", "connect econnrefus", "econnrefus <ip>"]);
    assert!(bigrams(&phrase_tokens("timeout")).is_empty());
}

#[test]
fn a_pasted_nginx_line_keeps_its_message() {
    let line = r#"2026/06/14 10:12:01 [error] 1234#0: *5678 no live upstreams while connecting to upstream, client: 10.0.0.1, server: example.org, request: "GET /api HTTP/1.1", upstream: "http://backend/api""#;
    let alias = phrase_tokens("no live upstreams while connecting to upstream").join(" ");
    let line = phrase_tokens(line).join(" ");
    assert!(line.contains(&alias), "{alias:?} in {line:?}");
}

// ---------- The index ----------

fn doc(href: &str, code: &str, title: &str, text: &str) -> SearchDoc {
    let category = href.split('/').next().unwrap().to_owned();
    SearchDoc {
        href: href.to_owned(),
        code: code.to_owned(),
        title: title.to_owned(),
        summary: String::new(),
        category_name: category.to_uppercase(),
        category,
        severity: "major".to_owned(),
        aliases: Vec::new(),
        tags: Vec::new(),
        demotion: 0,
        products: Vec::new(),
        text: text.to_owned(),
    }
}

fn sample() -> Vec<SearchDoc> {
    let mut docs = vec![
        SearchDoc {
            summary: "The server is up but cannot take this request right now.".into(),
            aliases: vec![
                "Service Unavailable".into(),
                "no live upstreams while connecting to upstream".into(),
            ],
            severity: "blocker".into(),
            ..doc("http/503/", "503", "HTTP 503 Service Unavailable", "The upstream pool is empty.")
        },
        doc(
            "http/502/",
            "502",
            "HTTP 502 Bad Gateway",
            "The upstream answered with garbage. Unlike a 503, the upstream is there.",
        ),
        SearchDoc {
            aliases: vec!["connect ECONNREFUSED".into(), "Connection refused".into()],
            ..doc(
                "linux/econnrefused/",
                "ECONNREFUSED",
                "ECONNREFUSED: connection refused",
                "Nothing listens on the port.",
            )
        },
        doc(
            "linux/etimedout/",
            "ETIMEDOUT",
            "ETIMEDOUT: connection timed out",
            "The peer did not answer. A refused connection is faster.",
        ),
        doc(
            "rust/e0308/",
            "E0308",
            "E0308: mismatched types",
            "The compiler expected one type and found another.",
        ),
    ];
    // Filler, so that document frequencies mean something.
    for i in 0..40 {
        docs.push(doc(
            &format!("misc/m{i:02}/"),
            &format!("M{i:02}"),
            "Something failed on the server",
            "The server logged an error and the request failed.",
        ));
    }
    docs
}

/// The index, as parsed shards by name.
struct Index(BTreeMap<String, Value>);

impl Index {
    fn build(docs: &[SearchDoc]) -> Index {
        Index::of(build_index(docs))
    }

    fn of(files: super::IndexFiles) -> Index {
        let mut shards = BTreeMap::new();
        for super::IndexFile { path, bytes } in files {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            let name = path.strip_prefix("search/").unwrap().strip_suffix(".js").unwrap();
            let prefix = format!("errorbookShard(\"{name}\",");
            let json = text.strip_prefix(&prefix).and_then(|t| t.strip_suffix(");\n"));
            let json = json.unwrap_or_else(|| panic!("{path} registers itself as {name}"));
            shards.insert(name.to_owned(), serde_json::from_str(json).unwrap());
        }
        Index(shards)
    }

    fn get(&self, name: &str) -> &Value {
        self.0.get(name).unwrap_or_else(|| panic!("no shard {name}"))
    }

    /// The postings of `term`: (document, impact).
    fn postings(&self, term: &str) -> Vec<(u32, u32)> {
        let firsts = self.get("meta")["vocab"].as_array().unwrap();
        let shard = firsts.iter().rposition(|f| f.as_str().unwrap() <= term).unwrap_or(0);
        let vocab = self.get(&format!("v/{shard}"));
        let Some(i) = vocab["t"].as_array().unwrap().iter().position(|t| t == term) else {
            return Vec::new();
        };
        let parts: Vec<usize> =
            vocab["p"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap() as usize).collect();
        let part = parts.iter().rposition(|&p| p <= i).unwrap();
        let list = &self.get(&format!("p/{shard}-{part}"))[i - parts[part]];
        decode_postings(list.as_str().unwrap()).into_iter().map(|(d, i)| (d, u32::from(i))).collect()
    }

    fn href(&self, doc: u32) -> String {
        let per = self.get("meta")["docShard"].as_u64().unwrap() as u32;
        let rows = self.get(&format!("d/{}", doc / per));
        rows[(doc % per) as usize][0].as_str().unwrap().to_owned()
    }
}

// ---------- The engine under node ----------

#[path = "../../tests/support/engine_cli.rs"]
mod engine_cli;
use engine_cli::run as engine_cli;

/// A folder holding `files` as a built site holds them.
fn site_of(files: &super::IndexFiles) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for super::IndexFile { path, bytes } in files {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes.as_slice()).unwrap();
    }
    dir
}

/// The hrefs the browser engine returns for each query, best first, run under node over
/// `files`; `None` when node is missing.
fn engine_search(files: &super::IndexFiles, queries: &[(&str, Value)]) -> Option<Vec<Vec<String>>> {
    let site = site_of(files);
    let list = site.path().join("queries.json");
    std::fs::write(&list, serde_json::to_string(queries).unwrap()).unwrap();
    let out = engine_cli(&["search".as_ref(), site.path().as_os_str(), list.as_os_str()])?;
    Some(serde_json::from_str(&out).expect("the engine prints JSON"))
}

/// The engine's results for one query (default options), or `None` when node is missing.
struct Ranked(Option<Vec<Vec<String>>>);

impl Ranked {
    fn of(files: &super::IndexFiles, queries: &[&str]) -> Ranked {
        Ranked(engine_search(files, &queries.iter().map(|q| (*q, json!({}))).collect::<Vec<_>>()))
    }

    /// The results of the `i`th query; with node missing, the test has already said it skips.
    fn get(&self, i: usize) -> Option<&[String]> {
        self.0.as_ref().map(|all| all[i].as_slice())
    }
}

#[test]
fn files_are_sorted_scripts_under_search() {
    let files = build_index(&sample());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
    for expected in [
        "search/meta.js",
        "search/v/0.js",
        "search/p/0-0.js",
        "search/c/0.js",
        "search/d/0.js",
        "search/facets.js",
        "search/triage.js",
    ] {
        assert!(paths.contains(&expected), "{expected} in {paths:?}");
    }
    let index = Index::build(&sample());
    let meta = index.get("meta");
    assert_eq!(meta["format"], 6);
    assert_eq!(meta["analysis"], serde_json::to_value(tables()).unwrap(), "the engine reads text with these");
    assert_eq!(meta["alphabet"], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    assert_eq!(meta["docs"], 45);
    assert_eq!(meta["severities"], serde_json::json!(["blocker", "major"]));
}

#[test]
fn the_triage_file_holds_what_a_log_is_matched_with() {
    let mut docs = sample();
    docs.push(SearchDoc {
        category_name: "Docker Engine".into(),
        ..doc("docker/daemon/", "Cannot connect to the Docker daemon", "Docker daemon", "")
    });
    docs[2].aliases.push("10.0.0.1:5432".into());
    let index = Index::build(&docs);
    let triage = index.get("triage");
    let entries: Vec<String> = triage["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| index.href(e[0].as_u64().unwrap() as u32))
        .collect();
    let mut by_id = entries.clone();
    by_id.sort_by_key(|href| href.trim_end_matches('/').to_owned());
    assert_eq!(entries, by_id, "entries in order of category/slug");
    assert_eq!(&entries[..4], ["docker/daemon/", "http/502/", "http/503/", "linux/econnrefused/"]);
    let categories = triage["categories"].as_array().unwrap();
    let words_of = |t: usize| &categories[triage["entries"][t][1].as_u64().unwrap() as usize];
    assert_eq!(words_of(0), &json!(["docker", "engine"]), "the id and the name, each word once");
    assert_eq!(words_of(2), &json!(["http"]));
    // The phrases of aliases and of a code with a space, sorted; one of numbers and
    // placeholders only is left out.
    assert_eq!(
        triage["phrases"],
        json!([
            ["cannot connect to the docker daemon", [0]],
            ["connect econnrefus", [3]],
            ["connect refus", [3]],
            ["no live upstream while connect to upstream", [2]],
            ["servic unavail", [2]],
        ])
    );
    let codes = triage["codes"].as_array().unwrap();
    assert_eq!(codes[0], json!([["e0308"], [45]]), "after misc/m00 to misc/m39");
    assert!(codes.contains(&json!([["econnrefused"], [3]])), "{codes:?}");
    assert_eq!(triage["numbers"], json!([["502", [1]], ["503", [2]]]));
    assert_eq!(triage["contextTokens"], 3);
    assert_eq!(triage["contextWords"], json!(super::triage::CONTEXT_WORDS));
    assert_eq!(triage["notCodeWords"], json!(super::triage::NOT_CODE_WORDS));
    assert_eq!(triage["maxLines"], 10);
    assert_eq!(triage["maxLineBytes"], 8192);
}

#[test]
fn same_docs_same_bytes_in_any_order() {
    let docs = sample();
    let mut reversed = docs.clone();
    reversed.reverse();
    assert!(build_index(&docs) == build_index(&reversed));
}

#[test]
fn an_empty_site_has_an_index() {
    let index = Index::build(&[]);
    assert_eq!(index.get("meta")["docs"], 0);
    assert_eq!(index.get("meta")["vocab"], serde_json::json!([]));
}

#[test]
fn codes_are_found_by_key() {
    let index = Index::build(&sample());
    let meta = index.get("meta");
    let shards = meta["codeShards"].as_u64().unwrap() as u32;
    for (code, href) in
        [("503", "http/503/"), ("e0308", "rust/e0308/"), ("econnrefused", "linux/econnrefused/")]
    {
        let key = code_key(code);
        let shard = index.get(&format!("c/{}", fnv1a(&key) % shards));
        let docs = shard[&key].as_array().unwrap_or_else(|| panic!("{key} in its shard"));
        assert_eq!(index.href(docs[0].as_u64().unwrap() as u32), href);
    }
}

#[test]
fn only_whole_codes_are_kept_from_typos() {
    let mut docs = sample();
    docs.push(doc("docker/daemon/", "Cannot connect to the Docker daemon", "Docker daemon down", ""));
    let index = Index::build(&docs);
    let is_code = |term: &str| {
        let firsts = index.get("meta")["vocab"].as_array().unwrap();
        let shard = firsts.iter().rposition(|f| f.as_str().unwrap() <= term).unwrap_or(0);
        let vocab = index.get(&format!("v/{shard}"));
        let i = vocab["t"].as_array().unwrap().iter().position(|t| t == term).unwrap();
        vocab["c"].as_array().unwrap().contains(&i.into())
    };
    assert!(is_code("econnrefus"));
    assert!(is_code("503"));
    assert!(!is_code("connect"), "a word of a code that is a phrase");
    assert!(!is_code("upstream"));
}

#[test]
fn ranking_prefers_title_and_rare_words() {
    let line = r#"2026/06/14 10:12:01 [error] 1234#0: *5678 no live upstreams while connecting to upstream, client: 10.0.0.1, server: example.org"#;
    let queries = ["refused ", "503", "server upstreams ", "connections refusing ", line, "server "];
    let ranked = Ranked::of(&build_index(&sample()), &queries);
    let Some(refused) = ranked.get(0) else { return };
    // In the title and the aliases beats in the body.
    assert_eq!(refused[0], "linux/econnrefused/", "{refused:?}");
    assert!(refused.contains(&"linux/etimedout/".to_owned()), "the body's mention counts too: {refused:?}");
    // The code's own entry first; other mentions after.
    assert_eq!(ranked.get(1).unwrap()[..2], ["http/503/", "http/502/"]);
    // A rare word outweighs a common one: "upstreams" is in two entries, "server" in forty.
    assert_eq!(ranked.get(2).unwrap()[0], "http/503/");
    assert_ne!(ranked.get(5).unwrap()[0], "http/503/", "the common word alone does not lead there");
    // Stemming meets across forms.
    assert_eq!(ranked.get(3).unwrap()[0], "linux/econnrefused/");
    // The log line's message words lead to the entry whose alias holds them.
    assert_eq!(ranked.get(4).unwrap()[0], "http/503/");
}

#[test]
fn deprecated_and_retired_entries_rank_below_current_ones() {
    // Both match the same way (the alias is the query, the code is theirs); the old entry's
    // words weigh more, yet the current one leads.
    let old = |href: &str, demotion: u8| SearchDoc {
        aliases: vec!["relay access denied".into()],
        demotion,
        ..doc(
            href,
            "554",
            "SMTP 554 relay access denied",
            "Relay access denied: access to the relay is denied.",
        )
    };
    let current = SearchDoc {
        aliases: vec!["relay access denied".into()],
        ..doc("smtp/554/", "554", "SMTP 554 transaction failed", "The server refused the message.")
    };
    for (demotion, status) in [(1, "deprecated"), (2, "retired")] {
        let mut docs = sample();
        docs.extend([old("smtp/554-old/", demotion), current.clone()]);
        let files = build_index(&docs);
        let meta = Index::of(files.clone()).get("meta").clone();
        assert_eq!(meta["demoted"], json!([[45, demotion]]), "{status}");
        let ranked = Ranked::of(&files, &["relay access denied", "554"]);
        let Some(by_words) = ranked.get(0) else { return };
        assert_eq!(by_words[..2], ["smtp/554/", "smtp/554-old/"], "{status}");
        assert_eq!(ranked.get(1).unwrap()[..2], ["smtp/554/", "smtp/554-old/"], "{status}");
    }
    // Without the demotion, the better match leads: the order above is the demotion's doing.
    let mut docs = sample();
    docs.extend([old("smtp/554-old/", 0), current]);
    let ranked = Ranked::of(&build_index(&docs), &["relay access denied"]);
    if let Some(by_words) = ranked.get(0) {
        assert_eq!(by_words[0], "smtp/554-old/");
    }
}

#[test]
fn applies_to_products_filter_results() {
    let mut docs = sample();
    docs[0].products = vec!["nginx".into(), "Node.js".into()];
    docs[2].products = vec!["nginx".into()];
    let files = build_index(&docs);
    let meta = Index::of(files.clone()).get("meta").clone();
    // Documents are numbered in href order: http/503/ is 1, linux/econnrefused/ 2.
    assert_eq!(meta["products"], json!([["nginx", "nginx", [1, 2]], ["node.js", "Node.js", [1]]]));
    let queries = [
        ("refused", json!({})),
        ("refused", json!({ "product": "nginx" })),
        ("upstream", json!({})),
        ("upstream", json!({ "product": "NODE.JS" })),
        ("upstream", json!({ "product": "apache" })),
    ];
    let Some(results) = engine_search(&files, &queries) else { return };
    assert_eq!(results[0], ["linux/econnrefused/", "linux/etimedout/"]);
    assert_eq!(results[1], ["linux/econnrefused/"]);
    assert_eq!(results[2].len(), 2, "{:?}", results[2]);
    assert_eq!(results[3], ["http/503/"], "product names are matched without regard to case");
    assert!(results[4].is_empty(), "a product no entry names finds nothing: {:?}", results[4]);
}

#[test]
fn alias_word_pairs_are_indexed() {
    let index = Index::build(&sample());
    let hrefs = |term: &str| -> Vec<String> {
        index.postings(term).into_iter().map(|(doc, _)| index.href(doc)).collect()
    };
    assert_eq!(hrefs("live upstream"), ["http/503/"]);
    assert_eq!(hrefs("connect econnrefus"), ["linux/econnrefused/"]);
    // Only aliases give pairs: titles and bodies do not.
    assert!(hrefs("bad gatewai").is_empty());
}

#[test]
fn impacts_are_in_range_and_every_doc_is_indexed() {
    let index = Index::build(&sample());
    for (doc, impact) in index.postings("server") {
        assert!((1..=63).contains(&impact), "impact {impact} of doc {doc}");
    }
    assert_eq!(index.postings("fail").len(), 40);
    assert!(index.postings("nosuchword").is_empty());
}

#[test]
fn long_postings_lists_keep_their_strongest_head() {
    // "common" is in 1109 of 2000 entries, and strongest in every hundredth.
    let docs: Vec<SearchDoc> = (0..2000)
        .map(|i| {
            let (title, text) = match i {
                _ if i % 100 == 0 => ("Common", "common common common rare"),
                _ if i < 1100 => ("Title", "common"),
                _ => ("Title", "other"),
            };
            doc(&format!("c/d{i:04}/"), &format!("D{i}"), title, text)
        })
        .collect();
    let files = build_index(&docs);
    let index = Index::build(&docs);
    let head = index.postings("common");
    assert_eq!(head.len(), 1024);
    // The entries where the word is frequent are in the head.
    // The entries where the word is frequent come first, through the head alone or the whole
    // list (which a filter reads).
    let queries =
        [("common ", json!({ "limit": 30 })), ("common ", json!({ "limit": 30, "severity": "major" }))];
    if let Some(ranked) = engine_search(&files, &queries) {
        for results in &ranked {
            assert_eq!(results.len(), 30);
            assert!(results[..20].iter().all(|h| h.ends_with("00/")), "{results:?}");
            assert!(!results[20].ends_with("00/"), "twenty entries say it three times: {results:?}");
        }
    }
    // "common" and "titl" (from the titles) are cut; their whole lists have files of their own.
    let mut whole: Vec<usize> = files
        .iter()
        .filter_map(|f| f.path.strip_prefix("search/")?.strip_prefix("f/"))
        .map(|p| decode_postings(index.get(&format!("f/{}", &p[..p.len() - 3])).as_str().unwrap()).len())
        .collect();
    whole.sort_unstable();
    assert_eq!(whole, [1109, 1980]);
    assert_eq!(index.get("meta")["docs"], 2000);
}

#[test]
fn opensearch_description() {
    insta::assert_snapshot!(opensearch_xml("Errors & Fixes: a very long title", "https://example.org/kb"), @r#"
    <?xml version="1.0" encoding="UTF-8"?>
    <OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" xmlns:moz="http://www.mozilla.org/2006/browser/search/">
      <ShortName>Errors &amp; Fixes:</ShortName>
      <Description>Search Errors &amp; Fixes: a very long title</Description>
      <InputEncoding>UTF-8</InputEncoding>
      <Url type="text/html" method="get" template="https://example.org/kb/search/?q={searchTerms}"/>
      <Url type="application/opensearchdescription+xml" rel="self" template="https://example.org/kb/opensearch.xml"/>
      <moz:SearchForm>https://example.org/kb/search/</moz:SearchForm>
    </OpenSearchDescription>
    "#);
}

#[test]
fn an_index_from_cached_analyses_is_the_index_of_the_current_documents() {
    let cache = AnalysisCache::default();
    let cached = |docs: &[SearchDoc]| LiveIndex::new(docs, Some(&cache)).files();
    let mut docs = sample();
    assert_eq!(cached(&docs), build_index(&docs));
    docs[0].text.push_str(" a freshly written sentence about certificates");
    docs[1].title = "A renamed entry".to_owned();
    docs.pop();
    assert_eq!(cached(&docs), build_index(&docs), "an edit reaches the index");
    assert_eq!(cached(&docs), build_index(&docs), "and stays");
}

// ---------- The live index of the preview server ----------

/// A site big enough for many vocabulary shards: every document has words of its own and
/// words it shares with a tenth of the others.
fn many_docs() -> Vec<SearchDoc> {
    (0..300)
        .map(|i| {
            let own: Vec<String> = (0..20).map(|w| format!("own{i}x{w}")).collect();
            let shared: Vec<String> = (0..6).map(|w| format!("shared{}y{w}", i % 10)).collect();
            doc(
                &format!("c{}/e{i:03}/", i % 4),
                &format!("E{i:03}"),
                &format!("Entry number {i}"),
                &format!("{} {} and the common words.", own.join(" "), shared.join(" ")),
            )
        })
        .collect()
}

fn changed_files(before: &super::IndexFiles, after: &super::IndexFiles) -> BTreeSet<String> {
    let before: BTreeMap<&str, &[u8]> =
        before.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    let after: BTreeMap<&str, &[u8]> = after.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .map(|path| (*path).to_owned())
        .collect()
}

#[test]
fn a_live_index_starts_as_the_built_index() {
    for docs in [sample(), many_docs(), Vec::new()] {
        assert_eq!(LiveIndex::new(&docs, None).files(), build_index(&docs));
    }
}

#[test]
fn an_edit_rewrites_only_the_shards_of_its_terms() {
    let mut docs = many_docs();
    let mut live = LiveIndex::new(&docs, None);
    let before = live.files();
    let vocab_shards = before.iter().filter(|f| f.path.starts_with("search/v/")).count();
    assert!(vocab_shards >= 8, "the test needs many vocabulary shards, has {vocab_shards}");

    // Entry 7 loses its own words 0 to 5 and gains a word nobody has.
    let edited = &mut docs[7];
    edited.text = edited.text.replace("own7x0 own7x1 own7x2 own7x3 own7x4 own7x5", "quuxfresh");
    assert!(live.update(std::slice::from_ref(edited)));
    let after = live.files();
    let index = Index::of(after.clone());
    let ranked = Ranked::of(&after, &["quuxfresh ", "own7x0 ", "own7x9 ", "own8x0 "]);
    if let Some(fresh) = ranked.get(0) {
        assert_eq!(fresh, ["c3/e007/"]);
        assert_eq!(ranked.get(1).unwrap(), [] as [String; 0], "a word taken out is gone");
        assert_eq!(ranked.get(2).unwrap(), ["c3/e007/"], "a word kept is still there");
        assert_eq!(ranked.get(3).unwrap(), ["c0/e008/"], "other entries are untouched");
    }

    let changed = changed_files(&before, &after);
    let rewritten_vocab = changed.iter().filter(|p| p.starts_with("search/v/")).count();
    assert!(
        rewritten_vocab < vocab_shards,
        "{rewritten_vocab} of {vocab_shards} vocabulary shards rewritten"
    );
    for path in &changed {
        let allowed = path == "search/meta.js"
            || path.starts_with("search/v/")
            || path.starts_with("search/p/")
            || path.starts_with("search/f/");
        assert!(allowed, "{path} changed, but the edit touched no document row, code or facet");
    }

    // Its postings hold the documents a fresh build gives them.
    let fresh = Index::build(&docs);
    for term in ["quuxfresh", "own7x9", "shared7y0", "common", "number"] {
        let docs_of = |index: &Index| index.postings(term).into_iter().map(|(d, _)| d).collect::<Vec<_>>();
        assert_eq!(docs_of(&index), docs_of(&fresh), "documents of {term}");
    }
}

#[test]
fn an_edited_title_and_code_reach_the_rows_and_codes() {
    let mut docs = many_docs();
    let mut live = LiveIndex::new(&docs, None);
    docs[3].title = "Renamed entry".to_owned();
    docs[3].code = "ZQ999".to_owned();
    assert!(live.update(std::slice::from_ref(&docs[3])));
    let index = Index::of(live.files());
    let ranked = Ranked::of(&live.files(), &["zq999", "e003 ", "e004 "]);
    if let Some(new_code) = ranked.get(0) {
        assert_eq!(new_code, ["c3/e003/"]);
        assert_eq!(ranked.get(1).unwrap(), [] as [String; 0], "the old code is gone");
        assert_eq!(ranked.get(2).unwrap(), ["c0/e004/"], "and another entry's code is still there");
    }
    let rows: Vec<&Value> = index
        .0
        .iter()
        .filter(|(name, _)| name.starts_with("d/"))
        .flat_map(|(_, rows)| rows.as_array().unwrap())
        .collect();
    let row = rows.iter().find(|row| row[0] == "c3/e003/").expect("a row for the entry");
    assert_eq!(row[1], "ZQ999");
    assert_eq!(row[2], "Renamed entry");
    let fresh = Index::build(&docs);
    assert_eq!(index.get("meta")["codeShards"], fresh.get("meta")["codeShards"]);
    for shard in 0..fresh.get("meta")["codeShards"].as_u64().unwrap() {
        let name = format!("c/{shard}");
        assert_eq!(index.get(&name), fresh.get(&name), "{name}");
    }
}

#[test]
fn a_document_the_live_index_lacks_is_refused() {
    let docs = many_docs();
    let mut live = LiveIndex::new(&docs, None);
    let before = live.files();
    let mut unknown = docs[0].clone();
    unknown.href = "c9/new/".to_owned();
    assert!(!live.update(&[docs[1].clone(), unknown]));
    assert_eq!(live.files(), before, "nothing changed");
    assert!(live.update(&[]), "no change is a change it can take");
    assert_eq!(live.files(), before);
}

#[test]
fn undoing_an_edit_gives_back_the_same_bytes() {
    let docs = many_docs();
    let mut live = LiveIndex::new(&docs, None);
    let before = live.files();
    let mut edited = docs[7].clone();
    // Words lost, a word gained, a word said more often, a new summary for its row.
    edited.text = edited.text.replace("own7x0 own7x1", "brandnew own7x2 own7x2 shared7y0");
    edited.summary = "A summary written later.".to_owned();
    assert!(live.update(std::slice::from_ref(&edited)));
    assert_ne!(live.files(), before);
    assert!(live.update(std::slice::from_ref(&docs[7])));
    assert_eq!(live.files(), before);
}

#[test]
fn a_term_that_stops_being_a_code_loses_its_mark() {
    let is_code = |index: &Index, term: &str| {
        let firsts = index.get("meta")["vocab"].as_array().unwrap();
        let shard = firsts.iter().rposition(|f| f.as_str().unwrap() <= term).unwrap_or(0);
        let vocab = index.get(&format!("v/{shard}"));
        let i = vocab["t"].as_array().unwrap().iter().position(|t| t == term).expect("the term is indexed");
        vocab["c"].as_array().unwrap().iter().any(|c| c.as_u64() == Some(i as u64))
    };
    let mut docs = many_docs();
    docs[3].title = "E003 broke".to_owned();
    let mut live = LiveIndex::new(&docs, None);
    assert!(is_code(&Index::of(live.files()), "e003"));
    docs[3].code = "E003 zzwidget".to_owned();
    assert!(live.update(std::slice::from_ref(&docs[3])));
    let index = Index::of(live.files());
    assert!(!is_code(&index, "e003"), "the title still has the word, but no code is it");
    assert!(!is_code(&Index::build(&docs), "e003"));
    docs[3].code = "E003".to_owned();
    assert!(live.update(std::slice::from_ref(&docs[3])));
    assert!(is_code(&Index::of(live.files()), "e003"), "and gets it back");
}

#[test]
fn a_new_title_rewrites_its_document_shard_alone() {
    let mut docs = many_docs();
    let mut live = LiveIndex::new(&docs, None);
    let before = live.files();
    docs[200].title = "A title written later".to_owned();
    assert!(live.update(std::slice::from_ref(&docs[200])));
    let after = live.files();
    let rows: Vec<String> = changed_files(&before, &after)
        .into_iter()
        .filter(|p| !p.starts_with("search/v/") && !p.starts_with("search/p/") && !p.starts_with("search/f/"))
        .collect();
    let fresh = build_index(&docs);
    let shard = rows.iter().find(|p| p.starts_with("search/d/")).expect("a document shard changed");
    assert_eq!(rows, [shard.clone(), "search/meta.js".to_owned()], "one row shard and meta.js");
    let bytes = |files: &super::IndexFiles, path: &str| {
        files.iter().find(|f| f.path == path).map(|f| f.bytes.clone())
    };
    assert_eq!(bytes(&after, shard), bytes(&fresh, shard), "the shard holds the new row");
    assert!(String::from_utf8(bytes(&after, shard).unwrap().to_vec())
        .unwrap()
        .contains("A title written later"));
}

#[test]
fn a_new_alias_or_code_rewrites_the_triage_file() {
    let mut docs = many_docs();
    let mut live = LiveIndex::new(&docs, None);
    for edit in [
        |d: &mut SearchDoc| d.aliases.push("widget overheated again".into()),
        |d: &mut SearchDoc| d.code = "503".into(),
    ] {
        let before = live.files();
        edit(&mut docs[42]);
        assert!(live.update(std::slice::from_ref(&docs[42])));
        let after = live.files();
        assert!(changed_files(&before, &after).contains("search/triage.js"));
        let file = |files: &super::IndexFiles| Index::of(files.clone()).get("triage").clone();
        assert_eq!(file(&after), file(&build_index(&docs)), "the triage file of a fresh build");
    }
    let index = Index::of(live.files());
    let triage = index.get("triage");
    let entries = triage["entries"].as_array().unwrap();
    let href = |e: &Value| index.href(e[0].as_u64().unwrap() as u32);
    let t = entries.iter().position(|e| href(e) == docs[42].href).expect("the edited document is an entry");
    assert_eq!(triage["phrases"], json!([["widget overh again", [t]]]));
    assert_eq!(triage["numbers"], json!([["503", [t]]]));
}

#[test]
fn remembered_stems_are_the_stemmers_own() {
    for round in 0..2 {
        for word in ["connections", "connecting", "relational", "timeout", "upstreams", "Refused"] {
            assert_eq!(word_term(word), stem(word), "{word}, round {round}");
        }
    }
}

// ---------- The two analysers, compared ----------

#[path = "../../tests/support/gen.rs"]
mod gen;
use gen::Gen;

/// What the analysers' inputs are made of, besides [`Gen`]'s own picks.
impl Gen {
    /// `min` to `min + extra - 1` characters of `alphabet`.
    fn from(&mut self, alphabet: &str, min: usize, extra: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        let len = min + self.below(extra);
        (0..len).map(|_| chars[self.below(chars.len())]).collect()
    }

    fn num(&mut self, max: usize) -> String {
        self.below(max).to_string()
    }

    /// A character from ranges assigned long ago (so both sides' Unicode tables know them).
    fn unicode(&mut self) -> char {
        const RANGES: [(u32, u32); 12] = [
            (0x00a0, 0x00ff), // Latin-1: NBSP, ß, é, ², ½, ×
            (0x0100, 0x017f), // Latin Extended-A: İ, ı, ſ
            (0x01c4, 0x01cc), // Ǆ ǅ ǆ, title case
            (0x0300, 0x036f), // combining marks
            (0x0370, 0x03ff), // Greek, final sigma
            (0x0400, 0x04ff), // Cyrillic
            (0x0660, 0x0669), // Arabic-Indic digits
            (0x2000, 0x206f), // spaces, dashes, quotes, zero-width joiners
            (0x2160, 0x2188), // Roman numerals (letter numbers)
            (0x2460, 0x24ff), // circled numbers and letters
            (0x4e00, 0x4e80), // CJK
            (0xfb00, 0xfb06), // ligatures: ﬁ ﬂ
        ];
        let (lo, hi) = RANGES[self.below(RANGES.len())];
        char::from_u32(lo + self.below((hi - lo + 1) as usize) as u32).unwrap_or('x')
    }
}

const WORDS: [&str; 40] = [
    "connection",
    "Connections",
    "REFUSED",
    "refusing",
    "timeout",
    "timed",
    "out",
    "upstream",
    "upstreams",
    "the",
    "of",
    "and",
    "to",
    "is",
    "a",
    "I",
    "relational",
    "hopefulness",
    "generalizations",
    "ponies",
    "caresses",
    "agreed",
    "sky",
    "happy",
    "digitizer",
    "operator",
    "feudalism",
    "sensibiliti",
    "mismatched",
    "types",
    "daemon",
    "Docker",
    "sorry",
    "clients",
    "already",
    "naïve",
    "Straße",
    "İstanbul",
    "ΣΊΣΥΦΟΣ",
    "日本語",
];

const CODES: [&str; 16] = [
    "E0308",
    "E_0308",
    "e0308",
    "ORA-00942",
    "ERR_CONNECTION_REFUSED",
    "ECONNREFUSED",
    "0xC0000005",
    "0x1f",
    "HTTP/1.1",
    "503",
    "5xx",
    "SQLSTATE[HY000]",
    "errno=111",
    "C++17",
    "#1234",
    "v1.2.3-rc.1",
];

const PUNCTUATION: &str = " \t\n.,;:!?'\"()[]{}<>=|`/\\-_@#%+~*$&^";

/// One piece of a generated input: a word, a code, a variable part, a number or noise.
fn piece(g: &mut Gen) -> String {
    let hex = "0123456789abcdef";
    match g.below(16) {
        0..=3 => g.pick(&WORDS).to_owned(),
        4 | 5 => g.pick(&CODES).to_owned(),
        6 => g.from(hex, 6, 36),
        7 => [8, 4, 4, 4, 12].map(|n| g.from(hex, n, 1)).join("-"),
        8 => {
            let ip = format!("{}.{}.{}.{}", g.num(300), g.num(256), g.num(256), g.num(256));
            match g.below(4) {
                0 => format!("{ip}:{}", g.num(70000)),
                1 => format!("{ip}/{}", g.num(40)),
                2 => g
                    .pick(&[
                        "fe80::1",
                        "::1",
                        "::ffff:10.0.0.1",
                        "2001:db8:0:0:0:0:0:1",
                        "[::1]:8080",
                        ":::8080",
                    ])
                    .to_owned(),
                _ => ip,
            }
        }
        9 => g
            .pick(&[
                "2026-06-14T10:12:01.123Z",
                "2026/06/14",
                "2026-06-14",
                "14/Jun/2026:10:12:01",
                "10:12:01,532",
                "10:12",
                "2026.6.14_10:12",
                "99:99:99",
            ])
            .to_owned(),
        10 => g
            .pick(&[
                "/var/log/app.log",
                "C:\\Windows\\System32",
                "src/main.rs:4:5",
                "~/x",
                "./a/b.txt",
                "..\\up",
                "\\\\server\\share",
                "//not/a/path",
                "a/b",
                "lib/x.TOML",
            ])
            .to_owned(),
        11 => g
            .pick(&[
                "http://backend/api",
                "https://example.org/a?b=c",
                "git+ssh://host/x",
                "root@example.org",
                "a@b.c",
            ])
            .to_owned(),
        12 => {
            let digits = 1 + g.below(9) as u32;
            g.num(10_usize.pow(digits))
        }
        13 => (0..1 + g.below(6)).map(|_| g.unicode()).collect(),
        14 => g.from("abcdefghijklmnopqrstuvwxyz0123456789", 38, 8),
        _ => g.from(PUNCTUATION, 1, 3),
    }
}

/// An input of a few pieces, joined by spaces, punctuation or nothing.
fn generated_input(g: &mut Gen) -> String {
    let mut out = String::new();
    for i in 0..1 + g.below(10) {
        if i > 0 {
            match g.below(4) {
                0 | 1 => out.push(' '),
                2 => out.push_str(&g.from(PUNCTUATION, 1, 1)),
                _ => {}
            }
        }
        let mut p = piece(g);
        if g.below(8) == 0 {
            p = p.to_uppercase();
        }
        out.push_str(&p);
    }
    out
}

/// The Rust analyser and the engine's read the same thousands of generated strings alike:
/// terms, phrases, word pairs, code keys and their hashes, and the stems of random words.
#[test]
fn the_engine_reads_text_as_the_index_builder() {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let cases: Vec<Value> = (0..4000)
        .map(|_| {
            let input = generated_input(&mut g);
            let phrase = phrase_tokens(&input);
            let key = code_key(&input);
            json!({
                "input": input,
                "terms": terms(&input),
                "bigrams": bigrams(&phrase),
                "phrase": phrase,
                "fnv1a": fnv1a(&key),
                "codeKey": key,
            })
        })
        .collect();
    let stems: Vec<(String, String)> = (0..3000)
        .map(|i| {
            let word = if i % 3 == 0 {
                format!(
                    "{}{}",
                    g.pick(&WORDS).to_lowercase(),
                    g.pick(&["s", "es", "ing", "ed", "ly", "ness", "ational", ""])
                )
            } else {
                g.from("abcdeeiilmnoprsstuyz", 1, 12)
            };
            let stemmed = stem(&word);
            (word, stemmed)
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("cases.json");
    let data = json!({ "tables": tables(), "cases": cases, "stems": stems });
    std::fs::write(&file, serde_json::to_string(&data).unwrap()).unwrap();
    if let Some(out) = engine_cli(&["analyse".as_ref(), file.as_os_str()]) {
        assert!(out.contains("4000 inputs and 3000 stems agree"), "{out}");
    }
}

// ---------- The nearest codes, compared ----------

/// A code as entries spell them: letters, digits and separators, sometimes non-ASCII.
fn generated_code(g: &mut Gen) -> String {
    match g.below(6) {
        0 => g.num(1000),
        1 => format!("{}-{}", g.from("ABCDEORS", 2, 3), g.from("0123456789", 3, 3)),
        2 => format!("E{}", g.from("ABCDEFGHILMNORSTUV", 4, 10)),
        3 => g.from("abcdeiklmnoprstu", 5, 12),
        4 => format!("{}_{}", g.from("ABEIKLNORST", 3, 5), g.from("ABEIKLNORST", 3, 5)),
        _ => format!("{}{}", g.from("aeiou", 1, 3), g.unicode()),
    }
}

/// `code` with up to three random edits: insertions, deletions, substitutions and swaps.
fn mistyped(g: &mut Gen, code: &str) -> String {
    let mut chars: Vec<char> = code.chars().collect();
    for _ in 0..g.below(4) {
        let at = g.below(chars.len() + 1);
        let c = g.from("abcdeklnorst0123-_ ", 1, 1).chars().next().unwrap();
        match g.below(4) {
            0 => chars.insert(at, c),
            1 if at < chars.len() => {
                chars.remove(at);
            }
            2 if at < chars.len() => chars[at] = c,
            _ if at + 1 < chars.len() => chars.swap(at, at + 1),
            _ => chars.push(c),
        }
    }
    chars.into_iter().collect()
}

/// The engine's nearest codes are `explain`'s: the same similarity, typos and suggestions for
/// thousands of generated codes, slugs and mistyped queries.
#[test]
fn the_engine_finds_the_nearest_codes_as_explain() {
    use super::near::{closeness, similarity, suggest, typo, EntryKeys, RULE};
    let mut g = Gen(0x2545_f491_4f6c_dd1d);
    let entries: Vec<(String, String)> = (0..400)
        .map(|i| {
            let code = code_key(&generated_code(&mut g));
            let slug = if i % 3 == 0 { code_key(&generated_code(&mut g)) } else { code.clone() };
            (code, slug)
        })
        .collect();
    let keys: Vec<EntryKeys> =
        entries.iter().map(|(code, slug)| EntryKeys { code: code.clone(), slug: slug.clone() }).collect();
    let mut pairs = Vec::new();
    let mut queries = Vec::new();
    for i in 0..3000 {
        let (code, slug) = &entries[g.below(entries.len())];
        let query = if i % 10 == 0 { generated_code(&mut g) } else { mistyped(&mut g, code) };
        let wanted = code_key(&query);
        pairs.push(json!([
            wanted,
            code,
            slug,
            similarity(&wanted, code),
            closeness(&wanted, code, slug),
            typo(&wanted, code)
        ]));
        if i % 10 == 0 {
            queries.push(json!([query, suggest(&query, &keys)]));
        }
    }
    let suggested = queries.iter().filter(|q| !q[1].as_array().unwrap().is_empty()).count();
    assert!(suggested > 100, "the test needs queries with suggestions, has {suggested}");
    let typos = pairs.iter().filter(|p| !p[5].is_null()).count();
    assert!(typos > 300, "the test needs pairs a typo apart, has {typos}");
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("near.json");
    let data =
        json!({ "rule": RULE, "tables": tables(), "entries": entries, "pairs": pairs, "queries": queries });
    std::fs::write(&file, serde_json::to_string(&data).unwrap()).unwrap();
    if let Some(out) = engine_cli(&["near".as_ref(), file.as_os_str()]) {
        assert!(out.contains("3000 pairs and 300 queries agree"), "{out}");
    }
}

/// `explain` and search suggest the same entries: the nearest codes of the built index, read by
/// the engine, are those `search::lookup` lists.
#[test]
fn did_you_mean_is_what_explain_suggests() {
    let docs = sample();
    let index = build_index(&docs);
    let meta = Index::of(index.clone()).get("meta").clone();
    assert_eq!(meta["near"]["minSimilarity"], 0.34);
    assert!(meta["keys"].as_array().is_some_and(|k| !k.is_empty()), "{}", meta["keys"]);
    let queries = ["5033", "ECONREFUSED", "etimedot", "zzzzzzzzzz"];
    let list: Vec<(&str, Value)> = queries.iter().map(|q| (*q, json!({ "suggest": true }))).collect();
    let Some(got) = engine_search(&index, &list) else { return };
    // The same entries in the index's order, as explain sees them.
    let ordered = super::index::sorted(&docs);
    let keys: Vec<super::near::EntryKeys> = ordered
        .iter()
        .map(|d| super::near::EntryKeys {
            code: code_key(&d.code),
            slug: code_key(d.href.split('/').nth(1).unwrap()),
        })
        .collect();
    for (query, hrefs) in queries.iter().zip(&got) {
        let expected: Vec<String> =
            super::near::suggest(query, &keys).into_iter().map(|i| ordered[i].href.clone()).collect();
        assert_eq!(hrefs, &expected, "{query}");
    }
    assert_eq!(got[0].first().map(String::as_str), Some("http/503/"), "{:?}", got[0]);
    assert!(got[3].is_empty(), "nothing comes close: {:?}", got[3]);
}

#[test]
fn a_code_typo_or_a_code_being_typed_finds_its_entry() {
    let files = build_index(&sample());
    let ranked =
        Ranked::of(&files, &["ECONREFUSED", "etimedot", "50", "m0", "econnrefused", "502 econnrefusd"]);
    let Some(typo) = ranked.get(0) else { return };
    assert_eq!(typo, ["linux/econnrefused/"], "one edit in the letters of a code");
    assert_eq!(ranked.get(1).unwrap(), ["linux/etimedout/"]);
    let fifty = ranked.get(2).unwrap();
    assert_eq!(
        fifty[..2],
        ["http/502/", "http/503/"],
        "codes that begin with the number come first: {fifty:?}"
    );
    let m = ranked.get(3).unwrap();
    assert!(m[..10].iter().all(|h| h.starts_with("misc/m0")), "{m:?}");
    assert_eq!(ranked.get(4).unwrap()[0], "linux/econnrefused/");
    // The real match leads; the typo's entry comes after it.
    assert_eq!(ranked.get(5).unwrap()[..2], ["http/502/", "linux/econnrefused/"], "{:?}", ranked.get(5));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Whatever is edited, in whatever order, the live index writes what a full build of the
    /// same documents writes: scores, impacts, shard bounds and rows alike.
    #[test]
    fn a_live_index_after_any_edits_is_the_built_index(
        edits in proptest::collection::vec(
            (0usize..300, 0usize..5, "[a-z]{1,12}( [a-z]{1,12}){0,6}"),
            1..6,
        ),
    ) {
        let mut docs = many_docs();
        let mut live = LiveIndex::new(&docs, None);
        for (which, field, words) in edits {
            let doc = &mut docs[which];
            match field {
                0 => doc.title = words,
                1 => doc.text = format!("{} {words}", doc.text),
                2 => doc.aliases = vec![words],
                3 => doc.code = words.replace(' ', "-").to_uppercase(),
                _ => doc.text = words,
            }
            proptest::prop_assert!(live.update(std::slice::from_ref(&docs[which])));
            let (live_files, built) = (live.files(), build_index(&docs));
            proptest::prop_assert_eq!(changed_files(&live_files, &built), BTreeSet::new());
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Packed postings give back every posting pushed, whatever the gaps (one to five bytes of
    /// LEB128) and whichever fields have frequencies.
    #[test]
    fn packed_postings_give_back_what_was_pushed(
        postings in proptest::collection::vec(
            (
                proptest::prop_oneof![0u32..3, 100u32..300, 16_000u32..17_000, 0u32..=u32::MAX / 64],
                proptest::array::uniform8(proptest::prop_oneof![proptest::strategy::Just(0u8), 0u8..=255]),
            ),
            0..200,
        ),
    ) {
        use super::index::{PackedPostings, Postings};
        let mut packed = PackedPostings::default();
        let mut expected = Vec::new();
        let mut doc = 0u32;
        for (i, (gap, tf)) in postings.into_iter().enumerate() {
            doc = if i == 0 { gap } else { doc.saturating_add(gap.max(1)) };
            if expected.last().is_some_and(|&(last, _)| last >= doc) {
                break;
            }
            packed.push(doc, &tf);
            expected.push((doc, tf));
        }
        proptest::prop_assert_eq!(packed.len(), expected.len());
        proptest::prop_assert_eq!(packed.iter().collect::<Vec<_>>(), expected);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

    /// A build, which scores postings packed, writes the bytes the live index writes, which
    /// keeps them whole: the same terms, frequencies, impacts and shards.
    #[test]
    fn the_packed_index_is_the_unpacked_one(
        texts in proptest::collection::vec("[a-e]{1,3}( [a-e]{1,3}){0,40}", 1..40),
        repeat in 1usize..80,
    ) {
        let docs: Vec<SearchDoc> = texts
            .iter()
            .cycle()
            .take(texts.len() * repeat)
            .enumerate()
            .map(|(i, text)| doc(&format!("c{}/e{i:04}/", i % 3), &format!("E{i}"), text, text))
            .collect();
        let (live, built) = (LiveIndex::new(&docs, None).files(), build_index(&docs));
        proptest::prop_assert_eq!(changed_files(&live, &built), BTreeSet::new());
    }
}
