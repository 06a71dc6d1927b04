//! One ranking: the browser engine under node, the same engine run in-process (what `errorbook
//! mcp` searches with) and `triage` (a log line against the entries) agree on the bundled site.

use std::collections::BTreeMap;
use std::sync::Arc;

use errorbook::content::{self, LoadOptions};
use errorbook::search::engine::{Engine, Query};
use errorbook::search::triage::Matcher;
use errorbook::search::IndexFile;
use serde_json::{json, Value};

use crate::{engine_search, SiteTest, REPO};

/// The index files of a built site, as a build hands them to a sink.
fn index_files(site: &SiteTest) -> errorbook::search::IndexFiles {
    site.tree("public/search")
        .into_iter()
        .map(|(path, bytes)| IndexFile { path: format!("search/{path}"), bytes: Arc::new(bytes) })
        .collect()
}

/// Every code, alias and title of the demo, the inputs of the shared analysis and code-key
/// vectors, and a few queries that only a filter or Unicode makes interesting.
fn queries(site: &SiteTest) -> Vec<(String, Value)> {
    let api: Value = serde_json::from_str(&site.read("public/api/entries.json")).unwrap();
    let mut queries: Vec<(String, Value)> = Vec::new();
    for summary in api["entries"].as_array().unwrap() {
        let id = summary["id"].as_str().unwrap();
        let doc: Value = serde_json::from_str(&site.read(&format!("public/api/{id}.json"))).unwrap();
        queries.push((summary["code"].as_str().unwrap().to_owned(), json!({})));
        queries.push((summary["title"].as_str().unwrap().to_owned(), json!({})));
        for alias in doc["aliases"].as_array().unwrap() {
            queries.push((alias.as_str().unwrap().to_owned(), json!({})));
        }
    }
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{REPO}/tests/search-vectors.json")).unwrap())
            .unwrap();
    for case in vectors["analyze"].as_array().unwrap() {
        queries.push((case["input"].as_str().unwrap().to_owned(), json!({})));
    }
    for case in vectors["code_key"].as_array().unwrap() {
        queries.push((case[0].as_str().unwrap().to_owned(), json!({})));
    }
    for (query, options) in [
        ("timeout", json!({ "category": "http", "limit": 50 })),
        ("connection refused", json!({ "severity": "blocker" })),
        ("permission denied", json!({ "limit": 3 })),
        ("Ошибка 503 сервис недоступен", json!({})),
        ("エラー ENOSPC ディスク", json!({})),
        ("🔥 OOMKilled 🔥", json!({})),
        ("50", json!({})),
        ("", json!({})),
    ] {
        queries.push((query.to_owned(), options));
    }
    queries
}

#[test]
fn the_in_process_engine_ranks_exactly_as_the_browser_engine() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let queries = queries(&site);
    let list: Vec<Value> = queries.iter().map(|(q, o)| json!([q, o])).collect();
    let file = site.path("queries.json");
    std::fs::write(&file, serde_json::to_string(&list).unwrap()).unwrap();
    let Some(browser) = engine_search(&site.path("public"), &file) else { return };

    let engine = Engine::new(&index_files(&site)).unwrap();
    let mut differ = Vec::new();
    let mut found = 0;
    for ((text, options), expected) in queries.iter().zip(&browser) {
        let query = Query {
            text,
            category: options["category"].as_str(),
            severity: options["severity"].as_str(),
            product: None,
            limit: options["limit"].as_u64().map(|l| l as usize),
        };
        let hits: Vec<String> = engine.search(&query).unwrap().into_iter().map(|h| h.href).collect();
        found += usize::from(!hits.is_empty());
        if &hits != expected {
            differ.push(format!("{text:?} {options}: in-process {hits:?}, browser {expected:?}"));
        }
    }
    assert!(queries.len() > 700, "{} queries", queries.len());
    assert!(found > 650, "only {found} queries found something");
    assert!(
        differ.is_empty(),
        "{} of {} queries differ:\n{}",
        differ.len(),
        queries.len(),
        differ.join("\n")
    );
}

#[test]
fn triage_finds_first_the_entry_search_ranks_first_for_every_demo_message() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let mut diagnostics = Vec::new();
    let loaded = content::load(&site.root, LoadOptions::default(), &mut diagnostics).unwrap().unwrap();
    let matcher = Matcher::new(&loaded.config, &loaded.entries);
    let engine = Engine::new(&index_files(&site)).unwrap();

    // Each message as it is, and as a log line would carry it: a timestamp and a host before it.
    let mut messages: BTreeMap<String, String> = BTreeMap::new();
    for entry in &loaded.entries {
        for alias in &entry.aliases {
            messages.insert(alias.clone(), entry.id().to_string());
        }
    }
    let mut differ = Vec::new();
    let lines = messages.iter().flat_map(|(message, id)| {
        [(message.clone(), id), (format!("2026-12-01T10:00:00.123Z node-7 {message}"), id)]
    });
    for (line, id) in lines {
        let mut scan = matcher.scan();
        scan.line(&line);
        let triaged = scan.finish();
        let searched = engine.search(&Query { text: &line, ..Query::default() }).unwrap();
        let first_triaged = triaged.first().map(|f| f.entry.as_str());
        let first_searched = searched.first().map(|h| h.href.trim_end_matches('/'));
        if first_triaged != first_searched || first_triaged != Some(id.as_str()) {
            differ.push(format!("{line:?}: triage {first_triaged:?}, search {first_searched:?}, entry {id}"));
        }
    }
    assert!(messages.len() > 400, "{} messages", messages.len());
    assert!(
        differ.is_empty(),
        "{} of {} messages differ:\n{}",
        differ.len(),
        messages.len(),
        differ.join("\n")
    );
}
