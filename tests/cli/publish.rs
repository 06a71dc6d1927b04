//! Publishing: structured data, sitemap, feed, redirects, short links, the JSON API and
//! `errorbook explain`.

use serde_json::Value;

use crate::{entry, SiteTest};

/// The JSON-LD blocks of a page, parsed; panics when one is not valid JSON.
fn json_ld(html: &str) -> Vec<Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut blocks = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let end = after.find("</script>").expect("a JSON-LD block is closed");
        let text = &after[..end];
        for forbidden in ['<', '>', '&'] {
            assert!(!text.contains(forbidden), "JSON-LD holds a raw {forbidden:?}: {text}");
        }
        blocks.push(serde_json::from_str(text).unwrap_or_else(|e| panic!("invalid JSON-LD ({e}): {text}")));
        rest = &after[end..];
    }
    blocks
}

fn of_type<'a>(blocks: &'a [Value], kind: &str) -> Option<&'a Value> {
    blocks.iter().find(|b| b["@type"] == kind)
}

/// Every key anywhere in a JSON value.
fn keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                out.push(key.clone());
                keys(inner, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

const HOSTILE_TITLE: &str = "Broken </script><script>alert(1)</script> & <!-- page";

fn hostile_site() -> SiteTest {
    let title = HOSTILE_TITLE.replace('"', "\\\"");
    let text = entry(
        "503",
        "fixable_percent: 90\nfix_minutes: 15\ntags: [nginx, load-balancer]\nsources:\n  - { title: \"RFC 9110\", url: \"https://www.rfc-editor.org/rfc/rfc9110\" }\nfaq:\n  - q: Is it safe to retry?\n    a: Yes, with **backoff**.\n",
    )
    .replace("title: Error 503", &format!("title: \"{title}\""));
    SiteTest::with_files(&[("content/http/503.md", &text), ("content/http/500.md", &entry("500", ""))])
}

#[test]
fn entry_json_ld_parses_escapes_and_describes_the_article() {
    let site = hostile_site();
    site.run(&["build"]).success();
    let html = site.read("public/http/503/index.html");
    assert!(!html.contains("<script>alert(1)"), "the title escaped into the page");
    let blocks = json_ld(&html);
    assert_eq!(blocks.len(), 2, "TechArticle and BreadcrumbList only: {blocks:#?}");

    let article = of_type(&blocks, "TechArticle").expect("a TechArticle");
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["headline"], HOSTILE_TITLE);
    assert_eq!(article["description"], "What 503 means.");
    assert_eq!(article["datePublished"], "2026-06-14");
    assert_eq!(article["dateModified"], "2026-06-14");
    assert_eq!(article["url"], "https://example.org/http/503/");
    assert_eq!(article["keywords"], "503, nginx, load-balancer");
    assert_eq!(article["citation"][0]["url"], "https://www.rfc-editor.org/rfc/rfc9110");
    assert_eq!(article["author"]["@id"], "https://example.org/#organization", "no author: the publisher");

    // The breadcrumb in the data is the breadcrumb on the page.
    let breadcrumb = of_type(&blocks, "BreadcrumbList").expect("a BreadcrumbList");
    let names: Vec<&str> = breadcrumb["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Home", "HTTP", "503"]);
    let visible = &html[crate::position(&html, "class=\"breadcrumb\"")..];
    let visible = crate::text_of(&visible[..visible.find("</nav>").unwrap()]);
    assert!(visible.contains("Home") && visible.contains("HTTP") && visible.ends_with("503"), "{visible}");

    // The fix rate is a fact on the page, never a rating.
    let mut all = Vec::new();
    blocks.iter().for_each(|b| keys(b, &mut all));
    let text = blocks.iter().map(Value::to_string).collect::<String>().to_lowercase();
    for word in ["rating", "review"] {
        assert!(!all.iter().any(|k| k.to_lowercase().contains(word)), "{word} in {all:?}");
        assert!(!text.contains(word), "{word} in the JSON-LD");
    }

    // Open Graph and Twitter cards come with it.
    assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(html.contains("<meta property=\"og:url\" content=\"https://example.org/http/503/\">"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    assert!(!html.contains("twitter:title"), "the card reads the Open Graph title; no second copy");
    assert!(html.contains("<meta name=\"description\" content=\"What 503 means.\">"));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/http/503/\">"));
}

#[test]
fn faq_and_howto_markup_only_when_switched_on() {
    let site = hostile_site();
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}structured_data: {{ faq: true, howto: true }}\n"));
    site.run(&["build"]).success();
    let blocks = json_ld(&site.read("public/http/503/index.html"));
    let faq = of_type(&blocks, "FAQPage").expect("FAQPage");
    assert_eq!(faq["mainEntity"][0]["name"], "Is it safe to retry?");
    assert_eq!(faq["mainEntity"][0]["acceptedAnswer"]["text"], "Yes, with backoff.");
    let howto = of_type(&blocks, "HowTo").expect("HowTo");
    assert_eq!(howto["totalTime"], "PT15M");
    assert_eq!(howto["step"][0]["name"], "Fix it");
    assert_eq!(howto["step"][0]["url"], "https://example.org/http/503/#step-1");
}

#[test]
fn the_home_page_describes_the_website_and_organization() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{config}organization: {{ name: Example Inc., url: https://example.com/, logo: /assets/logo.png }}\n"),
    );
    site.run(&["build"]).success();
    let blocks = json_ld(&site.read("public/index.html"));
    assert_eq!(blocks.len(), 2);
    let website = of_type(&blocks, "WebSite").expect("WebSite");
    assert_eq!(website["name"], "Test KB");
    assert_eq!(website["url"], "https://example.org/");
    let org = of_type(&blocks, "Organization").expect("Organization");
    assert_eq!(org["name"], "Example Inc.");
    assert_eq!(org["url"], "https://example.com/");
    assert_eq!(org["logo"], "https://example.org/assets/logo.png");
    assert!(json_ld(&site.read("public/tags/index.html")).is_empty(), "listings carry no JSON-LD");
}

#[test]
fn the_sitemap_lists_every_indexable_page_and_robots_names_it() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "tags: [nginx]\n").replace("2026-06-14", "2026-01-02")),
        ("content/http/503.md", &entry("503", "tags: [nginx]\n")),
    ]);
    site.run(&["build", "--base-url", "https://example.org/kb/"]).success();
    let sitemap = site.read("public/sitemap.xml");
    for (page, lastmod) in [
        ("", "2026-06-14"),
        ("http/", "2026-06-14"),
        ("http/500/", "2026-01-02"),
        ("http/503/", "2026-06-14"),
        ("tags/", "2026-06-14"),
        ("tags/nginx/", "2026-06-14"),
    ] {
        let url = format!("<url><loc>https://example.org/kb/{page}</loc><lastmod>{lastmod}</lastmod></url>");
        assert!(sitemap.contains(&url), "{url} missing from\n{sitemap}");
    }
    assert_eq!(sitemap.matches("<url>").count(), 6, "no search, 404 or redirect pages:\n{sitemap}");
    let robots = site.read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/kb/sitemap.xml"), "{robots}");
}

#[test]
fn the_feed_lists_the_configured_number_of_recent_entries() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "").replace("2026-06-14", "2026-01-02")),
        ("content/http/502.md", &entry("502", "").replace("2026-06-14", "2026-03-04")),
        ("content/http/503.md", &entry("503", "")),
    ]);
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}feed: {{ entries: 2 }}\n"));
    site.run(&["build"]).success();
    let feed = site.read("public/atom.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert_eq!(feed.matches("<entry>").count(), 2, "{feed}");
    let newest = crate::position(&feed, "<id>https://example.org/http/503/</id>");
    let second = crate::position(&feed, "<id>https://example.org/http/502/</id>");
    assert!(newest < second, "newest first");
    assert!(!feed.contains("http/500/"));
    // What RFC 4287 requires of a feed and of each entry.
    for element in
        ["<id>", "<title>", "<updated>2026-06-14T00:00:00Z</updated>", "<author><name>Test KB</name>"]
    {
        assert!(feed.contains(element), "{element} missing");
    }
    assert!(feed.contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/atom.xml\"/>"
    ));
    assert_eq!(feed.matches("<entry>").count(), feed.matches("<updated>").count() - 1);
}

#[test]
fn bad_publishing_settings_are_reported() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{config}feed: {{ entries: 0 }}\nstructured_data: {{ faq: true, recipes: true }}\nshort_links: yes please\n"),
    );
    let run = site.run(&["check"]).code(1);
    assert!(run.stdout.contains("`feed.entries` must be at least 1"), "{}", run.stdout);
    assert!(run.stdout.contains("recipes"), "{}", run.stdout);
    assert!(run.stdout.contains("short_links"), "{}", run.stdout);
}

#[test]
fn redirect_pages_lead_to_the_entry() {
    let site = SiteTest::with_files(&[(
        "content/http/503.md",
        &entry("503", "redirect_from: [/503/, /errors/service-unavailable, /old/503.html]\n"),
    )]);
    site.run(&["build"]).success();
    for file in ["503/index.html", "errors/service-unavailable/index.html", "old/503.html"] {
        let html = site.read(&format!("public/{file}"));
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/http/503/\">"),
            "{file}: {html}"
        );
        assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/http/503/\">"), "{file}");
        assert!(html.contains("<a href=\"/http/503/\">Error 503</a>"), "{file}");
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"), "{file}");
        assert!(
            html.contains("<link rel=\"icon\" href=\"/assets/favicon.svg\""),
            "{file}: no /favicon.ico request"
        );
    }
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/http/503/</loc>"), "{sitemap}");
    assert!(!sitemap.contains("errors/"), "redirects are not in the sitemap");

    site.run(&["build", "--base-url", "https://example.org/kb/"]).success();
    let html = site.read("public/old/503.html");
    assert!(html.contains("url=/kb/http/503/\""), "{html}");
    assert!(html.contains("href=\"/kb/assets/favicon.svg\""), "{html}");
    site.run(&["build", "--offline"]).success();
    let html = site.read("public/errors/service-unavailable/index.html");
    assert!(html.contains("url=../../http/503/index.html\""), "{html}");
    assert!(html.contains("href=\"../../http/503/index.html\""), "{html}");
    assert!(html.contains("href=\"../../assets/favicon.svg\""), "{html}");
}

#[test]
fn a_redirect_that_collides_with_a_page_is_a_check_error() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "redirect_from:\n  - /http/503/\n  - /moved/\n")),
        ("content/http/503.md", &entry("503", "redirect_from: [/moved]\n")),
    ]);
    let run = site.run(&["check"]).code(1);
    assert!(
        run.stdout.contains(
            "content/http/500.md:13:5: error: redirect path \"/http/503/\" collides with the page of content/http/503.md"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "content/http/503.md:12:17: error: redirect path \"/moved\" collides with redirect path \"/moved/\" of content/http/500.md:14:5"
        ),
        "{}",
        run.stdout
    );
    let run = site.run(&["build"]).code(1);
    assert!(run.stderr.contains("collides with the page"), "{}", run.stderr);
}

#[test]
fn short_links_by_code_when_switched_on() {
    let files = [
        ("content/http/503.md", entry("503", "")),
        ("content/http/enospc.md", entry("ENOSPC", "")),
        ("content/linux/enospc.md", entry("ENOSPC", "")),
        ("content/linux/eacces.md", entry("EACCES", "redirect_from: [/eacces/]\n")),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let site = SiteTest::with_files(&files);
    site.run(&["build"]).success();
    assert!(!site.exists("public/503/index.html"), "off by default");

    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}short_links: true\n"));
    site.run(&["build"]).success();
    let html = site.read("public/503/index.html");
    assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/http/503/\">"), "{html}");
    assert!(!site.exists("public/enospc/index.html"), "a code two entries share has no short link");
    let html = site.read("public/eacces/index.html");
    assert!(
        html.contains("url=/linux/eacces/\""),
        "a redirect and a short link to one entry are one page: {html}"
    );

    // A short link that would take the place of a page stops the build, and the page stays.
    site.write("content/linux/http.md", &entry("HTTP", ""));
    let run = site.run(&["build"]).code(1);
    assert!(
        run.stderr.contains(
            "content/linux/http.md:2:7: error: the short link of code \"HTTP\" (/http/) collides with the page of category `http` (content/http)"
        ),
        "{}",
        run.stderr
    );
    let category = site.read("public/http/index.html");
    assert!(!category.contains("http-equiv=\"refresh\""), "a short link never replaces a page");
    assert!(category.contains("ENOSPC"), "{category}");
}

/// Fails when any object in `value`, however deep, has a member named `name`.
#[track_caller]
fn assert_no_member(value: &Value, name: &str, path: &str) {
    match value {
        Value::Object(map) => {
            assert!(!map.contains_key(name), "{path}: a member named `{name}`");
            map.values().for_each(|v| assert_no_member(v, name, path));
        }
        Value::Array(items) => items.iter().for_each(|v| assert_no_member(v, name, path)),
        _ => {}
    }
}

/// Checks `value` against the subset of JSON Schema our schemas use; fails on any keyword it
/// does not know, so the schema cannot outgrow the check unnoticed.
fn validate(schema: &Value, root: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Value::Object(rules) = schema else {
        errors.push(format!("{path}: schema is not an object"));
        return;
    };
    for (keyword, rule) in rules {
        match keyword.as_str() {
            "$schema" | "$id" | "$defs" | "title" | "description" | "format" | "additionalProperties" => {}
            "$ref" => {
                let pointer = rule.as_str().unwrap().trim_start_matches('#');
                validate(root.pointer(pointer).expect("$ref resolves"), root, value, path, errors);
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                let ok = types.iter().any(|t| match *t {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "integer" => value.is_u64() || value.is_i64(),
                    "number" => value.is_number(),
                    "boolean" => value.is_boolean(),
                    "null" => value.is_null(),
                    _ => false,
                });
                if !ok {
                    errors.push(format!("{path}: expected {types:?}, found {value}"));
                }
            }
            "const" if value != rule => errors.push(format!("{path}: expected {rule}, found {value}")),
            "const" => {}
            "enum" if !rule.as_array().unwrap().contains(value) => {
                errors.push(format!("{path}: {value} is not one of {rule}"));
            }
            "enum" => {}
            "minimum" => {
                if value.as_f64().is_some_and(|v| v < rule.as_f64().unwrap()) {
                    errors.push(format!("{path}: {value} is below {rule}"));
                }
            }
            "maximum" => {
                if value.as_f64().is_some_and(|v| v > rule.as_f64().unwrap()) {
                    errors.push(format!("{path}: {value} is above {rule}"));
                }
            }
            "required" => {
                if let Value::Object(map) = value {
                    for name in rule.as_array().unwrap().iter().filter_map(Value::as_str) {
                        if !map.contains_key(name) {
                            errors.push(format!("{path}: missing `{name}`"));
                        }
                    }
                }
            }
            "properties" => {
                if let Value::Object(map) = value {
                    for (name, inner) in rule.as_object().unwrap() {
                        if let Some(field) = map.get(name) {
                            validate(inner, root, field, &format!("{path}.{name}"), errors);
                        }
                    }
                }
            }
            "items" => {
                if let Value::Array(items) = value {
                    for (i, item) in items.iter().enumerate() {
                        validate(rule, root, item, &format!("{path}[{i}]"), errors);
                    }
                }
            }
            other => errors.push(format!("{path}: the test does not know the keyword `{other}`")),
        }
    }
}

#[track_caller]
fn assert_valid(schema: &Value, value: &Value) {
    let mut errors = Vec::new();
    validate(schema, schema, value, "$", &mut errors);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_api_publishes_every_entry_in_its_documented_shape() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let read = |path: &str| -> Value { serde_json::from_str(&site.read(&format!("public/{path}"))).unwrap() };
    let index_schema = read("api/entries.schema.json");
    let entry_schema = read("api/entry.schema.json");
    assert_eq!(index_schema["$id"], "https://errorbook.example/api/entries.schema.json");

    let index = read("api/entries.json");
    assert_valid(&index_schema, &index);
    assert_eq!(index["schema_version"], 2);
    assert_eq!(entry_schema["properties"]["schema_version"]["const"], 2);
    let entries = index["entries"].as_array().unwrap();
    assert_eq!(index["count"], entries.len());
    assert!(entries.len() > 20);
    for summary in entries {
        let url = summary["api_url"].as_str().unwrap();
        let path = url.strip_prefix("https://errorbook.example/").unwrap();
        let raw = site.read(&format!("public/{path}"));
        let document: Value = serde_json::from_str(&raw).unwrap();
        assert_valid(&entry_schema, &document);
        assert_eq!(document["id"], summary["id"]);
        assert_eq!(document["schema_version"], 2);
        // Compact, and plain: no rendered HTML, no highlighting markup.
        assert!(
            raw.starts_with("{\"$schema\":\"https://errorbook.example/api/entry.schema.json\","),
            "{path}"
        );
        assert_eq!(raw.matches('\n').count(), 1, "{path}: one line");
        assert!(!raw.contains("<span") && !raw.contains("hl-"), "{path}: highlighting markup");
        assert_no_member(&document, "html", path);
        assert!(document["body"]["text"].as_str().is_some_and(|t| t.len() > 500), "{path}: the body's text");
    }

    let doc = read("api/http/503.json");
    assert_eq!(doc["code"], "503");
    assert_eq!(doc["url"], "https://errorbook.example/http/503/");
    assert_eq!(doc["steps"][0]["title"], "Identify the layer that produced the response");
    assert!(doc["steps"][0]["markdown"].as_str().unwrap().contains("```bash"));
    // A step's text holds its commands line for line, without the fence.
    let step = doc["steps"][0]["text"].as_str().unwrap();
    let command = "sudo tail -n 2000 /var/log/nginx/access.log | awk '$9 == 503' | tail -n 5";
    assert!(step.lines().any(|line| line == command), "{step}");
    assert!(step.contains("\n\n# nginx in front of the app:"), "the code is a block of its own: {step}");
    assert!(!step.contains("```") && !step.contains('`'), "{step}");
    let body = doc["body"]["markdown"].as_str().unwrap();
    assert!(body.contains("\n## Reading the fingerprints"));
    assert!(body.contains("](/http/500/)"), "the Markdown keeps its links as written");
    let text = doc["body"]["text"].as_str().unwrap();
    assert!(text.starts_with("Reading the fingerprints: which layer said no\n\n"), "{text}");
    assert!(
        text.contains("\nWhat you see | Who wrote it | Where to look next\n"),
        "a table row a line: {text}"
    );
    assert!(text.contains("\n- UH, no healthy upstream."), "a list item a line: {text}");
    assert!(!text.contains("](/http/500/)") && !text.contains("## "), "{text}");
    assert_eq!(doc["verify"][0]["text"].as_str().map(|t| t.contains('`')), Some(false));
    assert_eq!(doc["related"][0]["id"], "http/502");
    assert_eq!(doc["redirect_from"][0], "/503/");
}

#[test]
fn explain_prints_the_entry_as_plain_text_when_piped() {
    let site = SiteTest::bundled();
    let run = site.run(&["explain", "503"]).success();
    assert!(!run.stdout.contains('\x1b'), "no colour when stdout is not a terminal");
    insta::assert_snapshot!("explain-503", run.stdout);
    let again = site.run(&["explain", "HTTP/503"]).success();
    assert_eq!(run.stdout, again.stdout, "CATEGORY/SLUG finds the same entry");
}

#[test]
fn explain_lists_the_entries_that_share_a_code() {
    let site = SiteTest::bundled();
    let run = site.run(&["explain", "enospc"]).success();
    insta::assert_snapshot!("explain-shared", run.stdout);
}

#[test]
fn explain_suggests_the_nearest_codes_for_an_unknown_one() {
    let site = SiteTest::bundled();
    let run = site.run(&["explain", "5003"]).code(2);
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!("explain-unknown", run.stderr);
    let run = site.run(&["explain", "qqqqqqqqqqqq"]).code(2);
    assert!(run.stderr.contains("no code comes close"), "{}", run.stderr);
}

#[test]
fn one_code_written_two_ways_is_one_code_to_check_explain_and_short_links() {
    let config = "title: Test KB\nbase_url: https://example.org/\nshort_links: true\ncategories:\n  http: { name: HTTP }\n  rust: { name: Rust }\n";
    let site = SiteTest::with_files(&[
        ("content/http/a.md", &entry("E_0308", "")),
        ("content/rust/b.md", &entry("E0308", "")),
        ("content/rust/c.md", &entry("ENOSPC", "")),
    ]);
    site.write("site.yaml", config);
    // In two categories: no entry to lead a short link to, whichever way it is written.
    site.run(&["build"]).success();
    assert!(!site.root.join("public/e0308").exists());
    assert!(!site.root.join("public/e_0308").exists());
    assert!(site.root.join("public/enospc/index.html").exists(), "a code of one entry keeps its short link");
    let run = site.run(&["explain", "e-0308"]).success();
    assert!(run.stdout.starts_with("2 entries have the code \"e-0308\":\n"), "{}", run.stdout);
    assert!(run.stdout.contains("E_0308") && run.stdout.contains("E0308"), "{}", run.stdout);

    // In one category, the second is a duplicate of the first.
    site.write("content/http/b.md", &entry("e0308", ""));
    let run = site.run(&["check"]).code(1);
    assert!(
        run.stdout.contains("content/http/b.md:2:7: error: duplicate code \"e0308\" in category `http`: content/http/a.md has \"E_0308\", the same code written otherwise"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_entrys_name_is_led_by_its_code_only_where_the_title_does_not_name_it() {
    let site = SiteTest::with_files(&[
        (
            "content/linux/econnrefused.md",
            &entry("ECONNREFUSED", "redirect_from: [/econnrefused/]\n")
                .replace("title: Error ECONNREFUSED", "title: Connection refused"),
        ),
        ("content/linux/eacces.md", &entry("EACCES", "")),
    ]);
    site.run(&["build"]).success();
    let led = "ECONNREFUSED — Connection refused";
    let page = site.read("public/linux/econnrefused/index.html");
    assert!(page.contains(&format!("<title>{led} · ")), "{page}");
    assert!(page.contains(&format!("<meta property=\"og:title\" content=\"{led}\">")), "{page}");
    assert!(site.read("public/econnrefused/index.html").contains(&format!(">{led}</a>")));
    assert!(site.read("public/atom.xml").contains(&format!("<title>{led}</title>")));
    assert!(site.read("public/llms.txt").contains(&format!("- [{led}](")));
    // `Error EACCES` names its code already.
    let page = site.read("public/linux/eacces/index.html");
    assert!(page.contains("<title>Error EACCES · "), "{page}");
    assert!(!page.contains("EACCES — "), "{page}");
    assert!(site.read("public/atom.xml").contains("<title>Error EACCES</title>"));
}
