//! URLs and element ids in what a build writes: one URL rule for everything content can link,
//! a base URL that can be a base, and ids that are unique on every page.

use crate::{entry, SiteTest};

const SITE: &str = "title: Test KB\nbase_url: https://example.org/kb/\ncategories:\n  http: { name: HTTP }\n";

#[test]
fn a_refused_author_url_stops_the_build_and_reaches_no_output() {
    for (site_yaml, front) in [
        (
            format!("{SITE}authors:\n  e: {{ name: E, url: \"javascript:alert(1)\" }}\n"),
            "author: e\n".to_owned(),
        ),
        (SITE.to_owned(), "author: { name: E, url: \"JaVa\\tScRiPt:alert(1)\" }\n".to_owned()),
        (SITE.to_owned(), "author: { name: E, url: \"//evil.example/\" }\n".to_owned()),
    ] {
        let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", &front))]);
        site.write("site.yaml", &site_yaml);
        let check = site.run(&["check"]).code(1);
        assert!(check.stdout.contains("author"), "{}", check.stdout);
        assert!(check.stdout.contains("error: "), "{}", check.stdout);
        let build = site.run(&["build"]).code(1);
        assert!(build.stderr.contains("build failed"), "{}", build.stderr);
        assert!(!site.exists("public"), "a site was written");
    }
}

#[test]
fn an_allowed_author_url_reaches_the_page_feed_json_ld_and_api() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", "author: jane\n"))]);
    site.write(
        "site.yaml",
        &format!("{SITE}authors:\n  jane: {{ name: Jane, url: \"mailto:jane@example.org\" }}\n"),
    );
    site.run(&["build"]).success();
    let page = site.read("public/http/500/index.html");
    assert!(page.contains("<a href=\"mailto:jane@example.org\" rel=\"author\">Jane</a>"), "{page}");
    assert!(page.contains("\"url\":\"mailto:jane@example.org\""), "JSON-LD: {page}");
    assert!(site.read("public/atom.xml").contains("<uri>mailto:jane@example.org</uri>"));
    assert!(site.read("public/api/http/500.json").contains("mailto:jane@example.org"));
}

/// Content with a URL of every refused kind: `check` names each, and `build` writes nothing;
/// the sanitizer would drop them too (see the unit tests of `markdown`).
#[test]
fn refused_urls_in_markdown_stop_the_build() {
    let body = entry(
        "500",
        "quick_fix: |\n  [a](vbscript:x) ![b](data:image/png;base64,AA)\ncauses: |\n  <a href=\"&#106;avascript&colon;alert(1)\">c</a>\n",
    ) + "\n[d](file:///etc/passwd) [e](/\\evil.example/) [f](https://u:p@evil.example/)\n";
    let site = SiteTest::with_files(&[("content/http/500.md", &body)]);
    let run = site.run(&["check"]).code(1);
    for expected in [
        "link URL \"vbscript:x\" uses the `vbscript:` scheme",
        "image URL \"data:image/png;base64,AA\" uses the `data:` scheme",
        "`<a href>` URL \"javascript:alert(1)\" uses the `javascript:` scheme",
        "link URL \"file:///etc/passwd\" uses the `file:` scheme",
        "link URL \"/\\\\evil.example/\" has a backslash in it",
        "link URL \"https://u:p@evil.example/\" has a user name or password before the host",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
    }
    assert!(run.stdout.contains("6 errors"), "{}", run.stdout);
    site.run(&["build"]).code(1);
    assert!(!site.exists("public"));
}

#[test]
fn a_raw_image_without_alt_is_a_warning_and_gets_an_empty_alt() {
    let body = entry("500", "") + "\nSee <img src=\"/assets/shot.png\"> here.\n";
    let site = SiteTest::with_files(&[("content/http/500.md", &body)]);
    let run = site.run(&["check"]).success();
    assert!(
        run.stdout.contains("content/http/500.md:16:5: warning: the image has no text alternative"),
        "{}",
        run.stdout
    );
    site.run(&["build"]).success();
    let page = site.read("public/http/500/index.html");
    assert!(page.contains("<p>See <img src=\"/assets/shot.png\" alt=\"\"> here.</p>"), "{page}");
}

/// Every start tag of an HTML page with its attributes, read by html5ever's tokenizer (the
/// HTML parser of browsers, without the tree).
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    use html5ever::tokenizer::{BufferQueue, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer};

    type Found = Vec<(String, Vec<(String, String)>)>;
    #[derive(Default)]
    struct Tags(std::cell::RefCell<Found>);
    impl TokenSink for Tags {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let TagToken(tag) = token {
                if tag.kind == html5ever::tokenizer::StartTag {
                    let attrs =
                        tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
                    self.0.borrow_mut().push((tag.name.to_string(), attrs));
                    if &*tag.name == "script" {
                        return TokenSinkResult::RawData(html5ever::tokenizer::states::RawKind::ScriptData);
                    }
                }
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Tags::default(), Default::default());
    let input = BufferQueue::default();
    input.push_back(html5ever::tendril::StrTendril::from_slice(html));
    while let html5ever::TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.0.take()
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

#[test]
fn every_id_of_an_entry_page_is_unique_and_the_toc_points_at_its_headings() {
    let body = "---\ncode: \"500\"\ntitle: Error 500\nsummary: What 500 means.\nseverity: major\nupdated: 2026-06-14\n\
quick_fix: |\n  ## Main\n  text\ncauses: |\n  ## Details\n  ## Verify\n\
steps:\n  - title: One\n    body: |\n      ## Step 1\n  - title: Two\n    body: \"## Sources\"\n\
verify:\n  - First\n  - Second\nfaq:\n  - q: Why?\n    a: |\n      ## FAQ\n      ## faq-1\n---\n\
\n## Main\n\n## Step 1\n\n## Step 2\n\n## Verify\n\n## FAQ\n\n## FAQ\n\n## Main 2\n\n## Verify 1\n\n## Quick fix title\n\n\
<h2 id=\"main\">Raw</h2>\n\n<div id=\"faq\">raw</div>\n";
    let site = SiteTest::with_files(&[("content/http/500.md", body)]);
    site.write(
        "site.yaml",
        &format!("{SITE}disclosure: |\n  ## Main\n  ## Sources\n  Reviewed by people.\n"),
    );
    site.run(&["build"]).success();
    let page = site.read("public/http/500/index.html");
    let tags = start_tags(&page);
    let ids: Vec<&str> = tags.iter().filter_map(|(_, a)| attribute(a, "id")).collect();
    let mut seen = std::collections::BTreeSet::new();
    for id in &ids {
        assert!(seen.insert(*id), "id `{id}` appears twice in the page: {ids:?}");
    }
    for reserved in
        ["main", "quick-fix", "steps", "step-1", "step-2", "verify", "verify-1", "faq", "faq-1", "details"]
    {
        assert!(seen.contains(reserved), "the template's `{reserved}` is missing: {ids:?}");
    }
    // The outline lists the body's headings, in order, each by its own id, among the
    // template's sections.
    assert_eq!(page.matches("<nav class=\"toc\"").count(), 1, "the outline is written once");
    let start = page.find("<nav class=\"toc\"").expect("an outline");
    let end = start + page[start..].find("</nav>").unwrap();
    let outline: Vec<String> = start_tags(&page[start..end])
        .iter()
        .filter_map(|(name, a)| (name == "a").then(|| attribute(a, "href")).flatten().map(str::to_owned))
        .collect();
    for section in ["#quick-fix", "#causes", "#steps", "#step-1", "#verify", "#faq"] {
        assert!(outline.iter().any(|l| l == section), "the outline lacks {section}: {outline:?}");
    }
    let headings: Vec<String> = tags
        .iter()
        .filter(|(name, _)| name == "h2")
        .filter_map(|(_, a)| attribute(a, "id"))
        .filter(|id| !id.ends_with("-title"))
        .map(|id| format!("#{id}"))
        .collect();
    let toc: Vec<String> = outline.iter().filter(|l| headings.contains(l)).cloned().collect();
    assert_eq!(
        toc,
        [
            "#main-3",
            "#step-1-3",
            "#step-2-2",
            "#verify-4",
            "#faq-2",
            "#faq-3",
            "#main-2-2",
            "#verify-1-2",
            "#quick-fix-title-2"
        ],
        "{page}"
    );
    for link in &toc {
        assert!(headings.contains(link), "{link} points at no heading: {headings:?}");
    }
    // The disclosure's headings come last on the page and yield to everything before them.
    assert!(seen.contains("main-4") && seen.contains("sources-3"), "{ids:?}");
    // Raw HTML keeps no id of its own.
    assert!(page.contains("<h2>Raw</h2>") && page.contains("<div>raw</div>"), "{page}");
}

#[test]
fn a_base_url_that_cannot_be_a_base_is_a_usage_error() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    for (url, reason) in [
        ("https://e.org/kb/?x=1#y", "has a query"),
        ("https://e.org/kb/#y", "has a fragment"),
        ("https://e.org/k b/", "has a space in it"),
        ("https://e.org/kb/../x/", "has a `.` or `..` path segment"),
        ("https://e.org:99999/", "has an invalid port `99999`"),
        ("https://e.org:0/", "has an invalid port `0`"),
        ("https://user:pw@e.org/", "has a user name or password before the host"),
        ("https://-e.org/", "has an invalid host `-e.org`"),
        ("https:///kb/", "has no host"),
        ("e.org/kb/", "is not an absolute http or https URL"),
        ("javascript:alert(1)", "is not an absolute http or https URL"),
        ("https://e.org//", "has an empty path segment (`//`)"),
        ("https://e.org/kb//", "has an empty path segment (`//`)"),
        ("https://e.org/kb/%", "has a `%` that is not followed by two hexadecimal digits"),
        ("https://e.org/%zz/", "has a `%` that is not followed by two hexadecimal digits"),
        ("https://e.org/k\"b/", r#"has the character '"' in its path"#),
        ("https://e.org/k<i>/", "has the character '<' in its path"),
        ("https://e.org/k`b/", "has the character '`' in its path"),
    ] {
        let run = site.run(&["build", "--base-url", url]).code(2);
        assert!(run.stderr.contains("--base-url"), "{url}: {}", run.stderr);
        assert!(run.stderr.contains(reason), "{url}: {}", run.stderr);
        assert!(!site.exists("public"), "{url}");
    }
}

#[test]
fn a_base_url_in_site_yaml_that_cannot_be_a_base_is_reported_at_its_place() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    site.write("site.yaml", "title: T\nbase_url: https://e.org:99999/kb/\n");
    let run = site.run(&["check"]).code(1);
    assert!(
        run.stdout.contains("site.yaml:2:11: error: `base_url` has an invalid port `99999`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("help: a port is a number from 1 to 65535"), "{}", run.stdout);

    for (url, problem, help) in [
        (
            "https://e.org//",
            "has an empty path segment (`//`)",
            "write one `/` between the parts of the path",
        ),
        (
            "https://e.org/kb/%zz/",
            "has a `%` that is not followed by two hexadecimal digits",
            "write a `%` itself as %25",
        ),
        ("https://e.org/k<b>/", "has the character '<' in its path", "write it percent-encoded"),
    ] {
        site.write("site.yaml", &format!("title: T\nbase_url: {url}\n"));
        let run = site.run(&["check"]).code(1);
        assert!(
            run.stdout.contains(&format!("site.yaml:2:11: error: `base_url` {problem}")),
            "{url}: {}",
            run.stdout
        );
        assert!(run.stdout.contains(&format!("help: {help}")), "{url}: {}", run.stdout);
        site.run(&["build"]).code(1);
        assert!(!site.exists("public"), "{url}");
    }
}

#[test]
fn a_good_base_url_works_with_or_without_trailing_slash_and_sub_path() {
    for (url, canonical) in [
        ("https://example.org", "https://example.org/http/500/"),
        ("https://example.org/", "https://example.org/http/500/"),
        ("https://example.org/docs/kb", "https://example.org/docs/kb/http/500/"),
        ("https://example.org/docs/kb/", "https://example.org/docs/kb/http/500/"),
        ("http://localhost:8080/kb/", "http://localhost:8080/kb/http/500/"),
    ] {
        for how in ["flag", "site.yaml"] {
            let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
            if how == "flag" {
                site.run(&["build", "--base-url", url]).success();
            } else {
                site.write("site.yaml", &format!("title: T\nbase_url: {url}\n"));
                site.run(&["build"]).success();
            }
            let page = site.read("public/http/500/index.html");
            assert!(
                page.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")),
                "{url} ({how})"
            );
            let sitemap = site.read("public/sitemap.xml");
            assert!(sitemap.contains(&format!("<loc>{canonical}</loc>")), "{url} ({how}): {sitemap}");
        }
    }
}

#[test]
fn srcset_candidates_are_checked_one_by_one() {
    let good = entry("500", "") + "\n<img src=\"/a.png\" srcset=\"/a.png 1x, /a@2x.png 2x\" alt=\"\">\n";
    let site = SiteTest::with_files(&[("content/http/500.md", &good)]);
    site.write("site.yaml", SITE);
    let run = site.run(&["check"]).success();
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
    site.run(&["build"]).success();
    let page = site.read("public/http/500/index.html");
    assert!(page.contains("srcset=\"/kb/a.png 1x, /kb/a@2x.png 2x\""), "{page}");

    let bad = entry("500", "") + "\n<img src=\"/a.png\"\n  srcset=\"/a.png 1x, javascript:x 2x\" alt=\"\">\n";
    site.write("content/http/500.md", &bad);
    let run = site.run(&["check"]).code(1);
    assert!(
        run.stdout.contains("`<img srcset>` URL \"javascript:x\" uses the `javascript:` scheme"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 error"), "{}", run.stdout);
    assert!(!run.stdout.contains("has a space in it"), "{}", run.stdout);
    // The spaces between candidates are not taken for a space in a URL, which is refused.
    site.write("content/http/500.md", &(entry("500", "") + "\n<img src=\"/a b.png\" alt=\"\">\n"));
    let run = site.run(&["check"]).code(1);
    assert!(run.stdout.contains("has a space in it"), "{}", run.stdout);
}
