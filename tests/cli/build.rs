//! `errorbook build` on the bundled site and on small sites.

use crate::{entry, position, text_of, SiteTest};

/// Section markers of the entry page, in the order the reference page shows them.
const SECTION_ORDER: &[&str] = &[
    "class=\"breadcrumb",
    "class=\"badge",
    "class=\"entry-code",
    "<h1",
    "class=\"entry-summary",
    "class=\"stats\"",
    "Verified against",
    "id=\"quick-fix\"",
    "id=\"causes\"",
    "id=\"steps\"",
    "id=\"verify\"",
    "id=\"details\"",
    "class=\"byline",
    "id=\"faq\"",
    "id=\"related\"",
    "id=\"sources\"",
    "class=\"disclosure",
];

#[test]
fn the_503_page_has_every_section_in_order() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let page = site.read("public/http/503/index.html");
    let mut last = 0;
    for marker in SECTION_ORDER {
        let at = position(&page[last..], marker) + last;
        last = at;
    }
    let text = text_of(&page);
    for expected in [
        "90% fixable",
        "~20 min",
        "difficulty: intermediate",
        "Updated December 2026",
        "Reading the fingerprints",
    ] {
        assert!(text.contains(expected), "the 503 page lacks {expected:?}");
    }
}

#[test]
fn review_dates_status_and_products_reach_the_page_listings_and_api() {
    let site = SiteTest::with_files(&[
        (
            "content/http/500.md",
            &entry(
                "500",
                "reviewed: 2026-11-30\napplies_to: { nginx: \">=1.19, <1.27\", Node.js: \"*\" }\nquick_fix: Restart it.\n",
            ),
        ),
        ("content/http/502.md", &entry("502", "status: deprecated\nreplaced_by: http/500\n")),
        ("content/http/503.md", &entry("503", "status: retired\nreplaced_by: http/500\nquick_fix: Restart it.\n")),
    ]);
    site.run(&["check", "--strict"]).success();
    site.run(&["build"]).success();

    let current = site.read("public/http/500/index.html");
    let text = text_of(&current);
    assert!(text.contains("Last verified November 30, 2026"), "{text}");
    assert!(text.contains("Applies to nginx ≥1.19, &lt;1.27 Node.js *"), "products sorted by name: {text}");
    assert!(current.contains(r#"<time datetime="2026-11-30">"#));
    let notice = r#"<div class="status-notice"#;
    assert!(!current.contains(notice), "a current entry has no status notice");

    let deprecated = site.read("public/http/502/index.html");
    let text = text_of(&deprecated);
    assert!(text.contains("Deprecated."), "{text}");
    assert!(deprecated.contains(notice), "a deprecated entry has a status notice");
    let link = r#"<a class="status-replacement" href="/http/500/"><code>500</code> Error 500</a>"#;
    assert!(
        deprecated.contains(link),
        "{}",
        &deprecated[deprecated.find("status-notice").unwrap_or(0)..][..600]
    );
    assert!(deprecated.contains(r#"id="steps""#), "a deprecated entry keeps its fix");
    assert!(!text.contains("Last verified"), "no review date, no claim of one");

    let retired = site.read("public/http/503/index.html");
    let text = text_of(&retired);
    assert!(text.contains("Retired."), "{text}");
    assert!(text.contains("See 500 Error 500 instead."), "{text}");
    for gone in [r#"id="quick-fix""#, r#"id="steps""#, r#"id="verify""#] {
        assert!(current.contains(gone), "a current entry has {gone}");
        assert!(!retired.contains(gone), "a retired entry's tombstone has no {gone}");
    }
    assert!(text.contains("Body of 503."), "the tombstone keeps the explanation");

    let category = site.read("public/http/index.html");
    assert!(category.contains(r#"<span class="badge badge-status badge-retired">retired</span>"#));
    assert!(category.contains(r#"<span class="badge badge-status badge-deprecated">deprecated</span>"#));
    assert_eq!(category.matches("badge-status").count(), 2, "current entries carry no status badge");

    let api: serde_json::Value = serde_json::from_str(&site.read("public/api/http/500.json")).unwrap();
    assert_eq!(api["reviewed"], "2026-11-30");
    assert_eq!(api["status"], "current");
    assert_eq!(api["applies_to"], serde_json::json!({ "Node.js": "*", "nginx": ">=1.19, <1.27" }));
    let index: serde_json::Value = serde_json::from_str(&site.read("public/api/entries.json")).unwrap();
    let retired = &index["entries"][2];
    assert_eq!((retired["id"].as_str(), retired["status"].as_str()), (Some("http/503"), Some("retired")));
    assert_eq!(retired["replaced_by"], "http/500");
    assert_eq!(retired["reviewed"], serde_json::Value::Null);
    let meta = site.read("public/search/meta.js");
    assert!(meta.contains(r#""demoted":[[1,1],[2,2]]"#), "{meta}");
    assert!(meta.contains(r#""products":[["nginx","nginx",[0]],["node.js","Node.js",[0]]]"#), "{meta}");
}

#[test]
fn snippets_are_highlighted_with_classes_and_copyable() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let page = site.read("public/http/503/index.html");
    assert!(page.matches("class=\"snippet\"").count() >= 5);
    assert!(page.contains("<span class=\"hl-"), "no highlighting classes");
    assert!(!page.contains(" style=\""), "inline styles in the page");
    assert_eq!(page.matches("class=\"snippet\"").count(), page.matches("class=\"copy\"").count());
    let css = site.read("public/assets/highlight.css");
    assert!(css.contains("prefers-color-scheme: dark"));
}

#[test]
fn the_checklist_has_one_checkbox_per_verify_item() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let source = site.read("content/http/503.md");
    let front = source.split("\n---\n").next().unwrap();
    let verify = front.split("\nverify:\n").nth(1).unwrap();
    let items = verify
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter(|l| l.trim_start().starts_with("- "))
        .count();
    let page = site.read("public/http/503/index.html");
    assert!(items >= 3);
    assert_eq!(page.matches("type=\"checkbox\"").count(), items);
    assert_eq!(page.matches("<label for=\"verify-").count(), items);
}

#[test]
fn two_builds_are_byte_identical() {
    let site = SiteTest::bundled();
    site.run(&["build", "--out", "one"]).success();
    site.run(&["build", "--out", "two"]).success();
    let one = site.tree("one");
    let two = site.tree("two");
    assert!(one.len() > 40);
    assert_eq!(one.iter().map(|f| &f.0).collect::<Vec<_>>(), two.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((path, a), (_, b)) in one.iter().zip(&two) {
        assert!(a == b, "{path} differs between builds");
    }
}

#[test]
fn every_link_honours_a_base_url_sub_path() {
    let site = SiteTest::bundled();
    site.run(&["build", "--base-url", "https://example.org/kb/"]).success();
    for (path, bytes) in site.tree("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for attr in ["href=\"/", "src=\"/", "action=\"/"] {
            for (at, _) in html.match_indices(attr) {
                let rest = &html[at + attr.len() - 1..];
                assert!(
                    rest.starts_with("/kb/"),
                    "{path}: a link escapes the sub-path: {}",
                    &rest[..rest.len().min(60)]
                );
            }
        }
    }
    let page = site.read("public/http/503/index.html");
    assert!(page.contains("href=\"/kb/http/502/\""), "related link under the sub-path");
    assert!(page.contains("https://example.org/kb/http/503/"), "canonical URL");
}

#[test]
fn an_offline_build_links_to_index_files_relatively() {
    let site = SiteTest::bundled();
    site.run(&["build", "--offline"]).success();
    let page = site.read("public/http/503/index.html");
    assert!(page.contains("href=\"../../http/502/index.html\""), "relative related link");
    assert!(page.contains("href=\"../../assets/errorbook.css"), "relative stylesheet");
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"http/503/index.html\""));
}

#[test]
fn listings_group_entries_by_category_in_site_order() {
    let site = SiteTest::with_files(&[
        ("site.yaml", "title: T\nbase_url: https://e.org/\ncategories:\n  zeta: { name: Zeta }\n  alpha: { name: Alpha }\n"),
        ("content/alpha/a1.md", &entry("A1", "tags: [Load Balancer]\n")),
        ("content/zeta/z1.md", &entry("Z1", "tags: [load balancer]\n")),
        ("content/other/o1.md", &entry("O1", "")),
    ]);
    site.run(&["build"]).success();
    let home = site.read("public/index.html");
    assert!(position(&home, "Zeta") < position(&home, "Alpha"));
    assert!(position(&home, "Alpha") < position(&home, ">other<"));
    let tag = site.read("public/tags/load-balancer/index.html");
    assert!(tag.contains("Error A1") && tag.contains("Error Z1"));
    assert!(site.exists("public/alpha/index.html"));
    assert!(site.exists("public/404.html"));
    assert!(site.exists("public/tags/index.html"));
}

#[test]
fn absent_fields_leave_no_empty_section() {
    // Beside the minimal entry, one with every field, which shows each section and text the
    // minimal one must not: a section renamed fails here rather than passing unseen.
    let full = "quick_fix: Restart it.\ncauses: It broke.\nfixable_percent: 80\nrelated: [http/minimal]\nsources:\n  - { title: RFC, url: \"https://example.org/rfc\" }\nfaq:\n  - q: Why?\n    a: Because.\n";
    let site = SiteTest::with_files(&[
        (
            "content/http/minimal.md",
            "---\ncode: \"599\"\ntitle: Minimal\nsummary: Only what is required.\nseverity: info\nupdated: 2026-01-02\n---\n",
        ),
        ("content/http/full.md", &entry("598", full)),
    ]);
    site.run(&["build"]).success();
    let page = site.read("public/http/minimal/index.html");
    let full = site.read("public/http/full/index.html");
    for id in ["quick-fix", "causes", "steps", "verify", "details", "faq", "related", "sources"] {
        let section = format!("id=\"{id}\"");
        assert!(full.contains(&section), "the full entry has no section {id}");
        assert!(!page.contains(&section), "empty section {id} is shown");
    }
    for text in ["fixable", "Verified against", "Frequently asked"] {
        assert!(full.contains(text), "the full entry does not show {text:?}");
        assert!(!page.contains(text), "{text:?} shown without data");
    }
}

#[test]
fn contributed_content_cannot_run_script() {
    // Markup the sanitizer removes without a word; URLs it would remove are errors of `check`
    // (see `a_refused_url_stops_the_build`).
    let hostile = "title: \"<script>alert(1)</script>\"\nquick_fix: |\n  <img src=x alt=\"\" onerror=alert(1)> <kbd>Ctrl</kbd>\naliases: [\"</code><script>alert(3)</script>\"]\n";
    let body = entry("666", hostile).replace("title: Error 666\n", "");
    let site = SiteTest::with_files(&[(
        "content/http/evil.md",
        &format!("{body}\n<script>alert(4)</script>\n<a href=\"#y\" onclick=\"x()\">y</a>\n"),
    )]);
    site.run(&["build"]).success();
    let page = site.read("public/http/evil/index.html");
    assert!(!page.contains("alert(1)</script>"), "title not escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for bad in ["onerror", "javascript:", "alert(3)</script>", "alert(4)", "onclick"] {
        assert!(!page.contains(bad), "{bad} survived");
    }
    assert!(page.contains("<kbd>Ctrl</kbd>"));
}

#[test]
fn a_site_template_overrides_one_built_in_template() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "")),
        ("templates/404.html", "<!doctype html><title>gone</title><p>Custom {{ site.title }}</p>"),
        ("static/assets/extra.txt", "hello"),
    ]);
    site.run(&["build"]).success();
    assert!(site.read("public/404.html").contains("Custom Test KB"));
    assert!(site.read("public/http/500/index.html").contains("Error 500"));
    assert_eq!(site.read("public/assets/extra.txt"), "hello");
}

#[test]
fn static_files_replace_built_in_assets_and_add_files_but_never_replace_a_page() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "")),
        ("static/assets/errorbook.css", "body { color: red }"),
        ("static/assets/logo.png", "png"),
        ("static/CNAME", "kb.example.org"),
        ("static/.well-known/security.txt", "Contact: mailto:security@example.org"),
    ]);
    site.run(&["check"]).success();
    site.run(&["build"]).success();
    assert_eq!(site.read("public/assets/errorbook.css"), "body { color: red }");
    assert_eq!(site.read("public/assets/logo.png"), "png");
    assert_eq!(site.read("public/CNAME"), "kb.example.org");
    assert_eq!(site.read("public/.well-known/security.txt"), "Contact: mailto:security@example.org");
    let page = site.read("public/http/500/index.html");
    assert!(page.contains("Error 500"), "{page}");

    site.write("static/http/500/index.html", "<p>STATIC</p>");
    site.write("static/.errorbook-output", "STATIC");
    let run = site.run(&["build"]).code(1);
    assert!(
        run.stderr.contains("static/http/500/index.html:1:1: error: static file collides with the page of content/http/500.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("static/.errorbook-output:1:1: error: static file collides with the marker"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("public/http/500/index.html"), page, "the published site is left as it was");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "")),
        ("content/http/501.md", &entry("501", "draft: true\n")),
    ]);
    site.run(&["build"]).success();
    assert!(!site.exists("public/http/501/index.html"));
    site.run(&["build", "--drafts"]).success();
    assert!(site.exists("public/http/501/index.html"));
}

#[test]
fn a_failed_build_leaves_the_published_site_unchanged() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let before = site.tree("public");
    site.write(
        "content/http/503.md",
        &site.read("content/http/503.md").replace("severity: blocker", "severity: blocking"),
    );
    let run = site.run(&["build"]).code(1);
    assert!(run.stderr.contains("unknown severity \"blocking\""), "{}", run.stderr);
    assert!(run.stderr.contains("was left as it was"));
    assert_eq!(before, site.tree("public"));
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert_eq!(leftovers, [".public.lock"], "only the lock file is beside the output");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let site =
        SiteTest::with_files(&[("content/http/500.md", &entry("500", "")), ("public/keep.txt", "mine")]);
    let run = site.run(&["build"]).code(2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(site.read("public/keep.txt"), "mine");
    site.run(&["build", "--force"]).success();
    assert!(!site.exists("public/keep.txt"));
    assert!(site.exists("public/.errorbook-output"));
    // Once it is ours, later builds replace it without --force.
    site.run(&["build"]).success();
}

#[test]
fn refuses_to_build_over_the_site_itself() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let run = site.run(&["build", "--out", ".", "--force"]).code(2);
    assert!(run.stderr.contains("contains the site"), "{}", run.stderr);
    assert!(site.exists("content/http/500.md"));
}

#[test]
fn prints_a_summary_line() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let run = site.run(&["build"]).success();
    assert!(run.stderr.starts_with("built 1 entry and "), "{}", run.stderr);
    assert!(run.stderr.contains(" pages into "), "{}", run.stderr);
    assert!(run.stderr.contains(" files written, 0 unchanged, 0 removed; snippets: "), "{}", run.stderr);
    // Not a terminal: one line, nothing animated.
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(!run.stderr.contains(['\r', '\u{1b}']), "{:?}", run.stderr);
}

#[test]
fn usage_errors_exit_with_2() {
    let site = SiteTest::with_files(&[]);
    site.run(&["build", "--no-such-flag"]).code(2);
    let run = site.run(&["build", "--base-url", "not a url"]).code(2);
    assert!(run.stderr.contains("--base-url"));
    let run = site.run(&["--version"]).success();
    assert!(run.stdout.starts_with("errorbook "));
}

#[test]
fn the_503_page_snapshot() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    insta::assert_snapshot!("page-http-503", site.read("public/http/503/index.html"));
}

#[test]
fn asset_urls_change_with_the_assets_but_not_with_the_search_index() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let version = |site: &SiteTest| {
        let home = site.read("public/index.html");
        let at = position(&home, "errorbook.js?v=") + "errorbook.js?v=".len();
        home[at..at + 8].to_owned()
    };
    site.run(&["build"]).success();
    let before = version(&site);
    let meta = site.read("public/search/meta.js");
    site.write("content/http/500.md", &entry("500", "aliases: [\"a brand new log message\"]\n"));
    site.run(&["build"]).success();
    assert_ne!(site.read("public/search/meta.js"), meta, "the index changed");
    assert_eq!(version(&site), before, "pages need not change with the index");
    site.write("static/assets/errorbook.css", "body { color: red }");
    site.run(&["build"]).success();
    assert_ne!(version(&site), before, "a stale stylesheet could be served from cache");
}

fn mtime(site: &SiteTest, path: &str) -> std::time::SystemTime {
    std::fs::metadata(site.root.join(path)).unwrap().modified().unwrap()
}

/// An entry whose body holds a highlighted shell snippet.
fn entry_with_code(code: &str) -> String {
    entry(code, "").replace(
        &format!("Body of {code}.\n"),
        &format!("Body of {code}.\n\n```bash\nsystemctl status app-{code}\n```\n"),
    )
}

#[test]
fn a_rebuild_with_nothing_changed_does_no_work() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "")),
        ("content/http/502.md", &entry("502", "")),
    ]);
    site.run(&["build"]).success();
    let run = site.run(&["build"]).success();
    assert!(run.stderr.starts_with("nothing changed since the last build: 2 entries and "), "{}", run.stderr);

    // Any change to the inputs builds again, and only the files that differ are written.
    let untouched = mtime(&site, "public/http/502/index.html");
    site.write("content/http/500.md", &entry("500", "").replace("Body of 500.", "A new explanation."));
    let run = site.run(&["build"]).success();
    assert!(run.stderr.starts_with("built 2 entries and "), "{}", run.stderr);
    assert!(run.stderr.contains(" unchanged, 0 removed"), "{}", run.stderr);
    assert!(site.read("public/http/500/index.html").contains("A new explanation."));
    assert_eq!(mtime(&site, "public/http/502/index.html"), untouched, "an unchanged page is not rewritten");

    // Other settings are another build.
    let run = site.run(&["build", "--offline"]).success();
    assert!(run.stderr.starts_with("built "), "{}", run.stderr);
}

#[test]
fn an_output_edited_by_hand_is_rebuilt() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    site.run(&["build"]).success();
    let page = site.read("public/http/500/index.html");
    site.write("public/http/500/index.html", "defaced");
    std::fs::remove_file(site.root.join("public/sitemap.xml")).unwrap();
    let run = site.run(&["build"]).success();
    assert!(run.stderr.starts_with("built "), "{}", run.stderr);
    assert!(run.stderr.contains("(2 files written, "), "{}", run.stderr);
    assert_eq!(site.read("public/http/500/index.html"), page);
    assert!(site.exists("public/sitemap.xml"));
}

#[test]
fn warnings_are_reported_on_every_build() {
    let site = SiteTest::with_files(&[(
        "content/http/500.md",
        &entry("500", "").replace("Body of 500.", "```klingon\nqapla'\n```"),
    )]);
    for _ in 0..2 {
        let run = site.run(&["build"]).success();
        assert!(run.stderr.contains("unknown code block language `klingon`"), "{}", run.stderr);
    }
}

#[test]
fn highlighted_snippets_are_kept_between_builds() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry_with_code("500")),
        ("content/http/502.md", &entry_with_code("502")),
    ]);
    let run = site.run(&["build"]).success();
    assert!(run.stderr.contains("snippets: 2 highlighted, "), "{}", run.stderr);
    assert!(site.exists(".errorbook-cache/snippets.pack"));
    let snippet = |html: &str| {
        let start = position(html, "<div class=\"snippet\"");
        html[start..start + position(&html[start..], "</pre>")].to_owned()
    };
    let first = snippet(&site.read("public/http/500/index.html"));
    assert!(first.contains("hl-"), "highlighted: {first}");

    // A change that renders every page again highlights nothing again, with the same result.
    site.write("site.yaml", &site.read("site.yaml").replace("title:", "title: New"));
    let run = site.run(&["build"]).success();
    assert!(run.stderr.contains("snippets: 0 highlighted, "), "{}", run.stderr);
    assert_eq!(snippet(&site.read("public/http/500/index.html")), first);

    // A new snippet is highlighted; the others come from the cache.
    site.write("content/http/502.md", &entry_with_code("502").replace("app-502", "other-502"));
    let run = site.run(&["build"]).success();
    assert!(run.stderr.contains("snippets: 1 highlighted, "), "{}", run.stderr);
    assert!(site.read("public/http/502/index.html").contains("other-502"));
}

/// A pack's header length, and the key, length and checksum before each snippet: the layout of
/// `site::cache`, which someone poisoning a cache can read as well as anyone.
const PACK_HEADER: usize = 24;
const RECORD_HEAD: usize = 16 + 4 + 16;

/// The pack with every snippet changed by `edit`, its length and checksum made to match.
fn forged_pack(pack: &[u8], edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut out = pack[..PACK_HEADER].to_vec();
    let mut at = PACK_HEADER;
    while at < pack.len() {
        let key = &pack[at..at + 16];
        let len = u32::from_le_bytes(pack[at + 16..at + 20].try_into().unwrap()) as usize;
        let html = edit(std::str::from_utf8(&pack[at + RECORD_HEAD..at + RECORD_HEAD + len]).unwrap());
        out.extend_from_slice(key);
        out.extend_from_slice(&(html.len() as u32).to_le_bytes());
        out.extend_from_slice(&errorbook::digest::of(&[b"snippet-record", key, html.as_bytes()]).0);
        out.extend_from_slice(html.as_bytes());
        at += RECORD_HEAD + len;
    }
    out
}

#[test]
fn a_tampered_snippet_cache_never_reaches_the_pages() {
    let console = "```console\n$ curl -s 'https://example.org/?a=<b>'\n<html>\n```\n";
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry_with_code("500")),
        (
            "content/http/502.md",
            &entry("502", "").replace("Body of 502.\n", &format!("Body of 502.\n\n{console}")),
        ),
    ]);
    site.run(&["build", "--no-cache", "--out", "fresh"]).success();
    let fresh = site.tree("fresh");
    site.run(&["build"]).success();
    assert_eq!(site.tree("public"), fresh);
    let pack = std::fs::read(site.root.join(".errorbook-cache/snippets.pack")).unwrap();
    let span = String::from_utf8_lossy(&pack).find("<span class=\"hl-").expect("a highlighted snippet");

    // The same number of bytes, with markup of the attacker's in place of a span.
    let mut same_length = pack.clone();
    let img = b"<img src=x onerror=alert(1)>";
    same_length[span..span + img.len()].copy_from_slice(img);
    // Markup added with lengths and checksums that match, and a copy text changed.
    let forged = forged_pack(&pack, |html| {
        format!(
            "<img src=x onerror=alert(1)>{}",
            html.replace("curl", "evil").replace("\">", "\" onclick=\"x()\">")
        )
    });
    for (tampered, why) in
        [(same_length, "does not match its checksum"), (forged, "markup other than a span")]
    {
        site.write_bytes(".errorbook-cache/snippets.pack", &tampered);
        std::fs::remove_dir_all(site.root.join("public")).unwrap();
        let run = site.run(&["build"]).success();
        assert_eq!(site.tree("public"), fresh, "the tampered cache changed the pages ({why})");
        assert!(!site.read("public/http/500/index.html").contains("onerror"));
        assert!(site.read("public/http/502/index.html").contains("data-copy=\"curl -s "));
        let warning = "warning: ignored the snippet cache `./.errorbook-cache/snippets.pack`: ";
        assert_eq!(run.stderr.matches(warning).count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(why) && run.stderr.contains("tampered with"), "{}", run.stderr);

        // The cache was written anew: the next build finds nothing wrong and reuses it all.
        std::fs::remove_dir_all(site.root.join("public")).unwrap();
        let run = site.run(&["build"]).success();
        assert!(!run.stderr.contains(warning), "{}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        assert_eq!(site.tree("public"), fresh);
        std::fs::remove_dir_all(site.root.join("public")).unwrap();
        let run = site.run(&["build"]).success();
        assert!(run.stderr.contains("snippets: 0 highlighted, 2 reused"), "{}", run.stderr);
        assert_eq!(site.tree("public"), fresh);
    }
}

#[test]
fn no_cache_reads_and_writes_no_cache() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry_with_code("500"))]);
    site.run(&["build", "--no-cache"]).success();
    let run = site.run(&["build", "--no-cache"]).success();
    assert!(run.stderr.starts_with("built "), "{}", run.stderr);
    assert!(!run.stderr.contains("snippets:"), "{}", run.stderr);
    assert!(!site.exists(".errorbook-cache"));

    let run = site.run(&["build", "--cache-dir", "elsewhere"]).success();
    assert!(run.stderr.contains("snippets:"), "a build with a cache counts its snippets: {}", run.stderr);
    assert!(site.exists("elsewhere/snippets.pack"));
    let run = site.run(&["build", "--cache-dir", "public/cache"]).code(2);
    assert!(run.stderr.contains("inside the output folder"), "{}", run.stderr);
}

/// Names that come close to the build's own files and folders, or to each other, but are not
/// them: the site checks clean and every page is where it belongs.
#[test]
fn names_close_to_the_builds_own_files_build_fine() {
    let site = SiteTest::with_files(&[
        ("content/tagsx/t1.md", &entry("T1", "tags: [search, api, tags, Index]\n")),
        ("content/apis/a1.md", &entry("A1", "redirect_from: [/tagsx/old/, /404.htm, /search.html]\n")),
        ("content/searches/index.md", &entry("S1", "")),
        ("content/404/n1.md", &entry("N1", "")),
        ("content/http/index.htm.md", &entry("X1", "")),
        ("content/http/500.md", &entry("sitemap", "tags: [\".NET\"]\n")),
    ]);
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}short_links: true\n"));
    let run = site.run(&["check"]).success();
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
    site.run(&["build"]).success();
    for page in [
        "public/tagsx/index.html",
        "public/tagsx/t1/index.html",
        "public/tags/search/index.html",
        "public/tags/api/index.html",
        "public/tags/tags/index.html",
        "public/tags/index/index.html",
        "public/tags/net/index.html",
        "public/apis/a1/index.html",
        "public/searches/index/index.html",
        "public/404/n1/index.html",
        "public/http/index.htm/index.html",
        "public/tagsx/old/index.html",
        "public/404/index.html",
        "public/404.htm",
        "public/search.html",
        "public/sitemap/index.html",
        "public/t1/index.html",
    ] {
        assert!(site.exists(page), "{page} is missing");
    }
    assert!(
        site.read("public/tags/index.html").contains("tags/search/"),
        "the tags page stays the tags page"
    );
    assert!(site.read("public/404/index.html").contains("N1"), "the category page is not a redirect");
    assert!(site.read("public/sitemap.xml").starts_with("<?xml"), "the sitemap stays the sitemap");
    assert!(site.read("public/sitemap/index.html").contains("url=/http/500/"), "the short link of `sitemap`");
}

#[test]
fn headings_in_fields_nest_under_the_page_heading_they_sit_below() {
    let entry = "---\ncode: \"500\"\ntitle: Error 500\nsummary: What 500 means.\nseverity: major\nupdated: 2026-06-14\nquick_fix: |\n  ### Check the header\n\n  Slow down.\n\n  ##### Deeper\n\n  Text.\ncauses: |\n  # A cause\n\n  Text.\nsteps:\n  - title: Fix it\n    body: |\n      ## Restart\n\n      Do the thing.\n\n      ## Verify\n\n      Look.\nverify:\n  - It works.\nfaq:\n  - q: Why?\n    a: |\n      #### Because\n\n      It broke.\n---\n\n## Why\n\n#### Detail\n\nBody.\n";
    let site = SiteTest::with_files(&[("content/http/500.md", entry)]);
    site.run(&["build"]).success();
    let page = site.read("public/http/500/index.html");
    for expected in [
        "<h2 id=\"quick-fix-title\">Quick fix</h2><a class=\"anchor\" href=\"#quick-fix\" aria-label=\"Link to section: Quick fix\">#</a></div>\n<div class=\"prose\">\n<h3 id=\"check-the-header\">Check the header</h3>",
        "<h4 id=\"deeper\">Deeper</h4>",
        "<h3 id=\"a-cause\">A cause</h3>",
        "<h4 id=\"restart\">Restart</h4>",
        "<h4 id=\"verify-2\">Verify</h4>",
        "<h4 id=\"because\">Because</h4>",
        "<h2 id=\"why\">Why</h2>",
        "<h3 id=\"detail\">Detail</h3>",
    ] {
        assert!(page.contains(expected), "{expected}\n{page}");
    }
    // Over the whole page, as the Nu HTML Checker reads it: no heading is more than one level
    // below the heading before it.
    let levels: Vec<u32> = page
        .match_indices("<h")
        .filter_map(|(i, _)| {
            let rest = &page[i + 2..];
            let digit = rest.chars().next()?.to_digit(10)?;
            rest[1..].starts_with([' ', '>']).then_some(digit)
        })
        .collect();
    assert!(levels.len() >= 12, "{levels:?}");
    for pair in levels.windows(2) {
        assert!(pair[1] <= pair[0] + 1, "a heading skips a level: {levels:?}");
    }
}

#[test]
fn only_the_pages_that_search_at_once_carry_the_search_script() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    site.run(&["build"]).success();
    for page in ["public/search/index.html", "public/404.html"] {
        assert!(site.read(page).contains("assets/search.js?v="), "{page} carries search.js");
    }
    for page in ["public/index.html", "public/http/500/index.html", "public/http/index.html"] {
        let html = site.read(page);
        assert!(html.contains("assets/errorbook.js?v="), "{page} has the script that loads search on use");
        assert!(!html.contains("assets/search.js"), "{page} does not carry search.js");
    }
    assert!(site.exists("public/assets/search.js"), "the script the negative test names is the one written");
    assert!(site.read("public/404.html").contains(r#"id="not-found-suggestions""#));
}
