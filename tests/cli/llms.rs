//! What a build writes for AI assistants and other programs: `llms.txt`, `llms-full.txt` and
//! the Markdown copy of every entry, linked from its page.

use crate::{entry, SiteTest};

const SITE: &str = "title: Test KB\nbase_url: https://example.org/kb/\ndescription: Fixes for our errors.\ncategories:\n  linux: { name: Linux, description: errno values }\n  http: { name: HTTP }\n";

fn site() -> SiteTest {
    let site = SiteTest::with_files(&[
        ("content/http/502.md", &entry("502", "related: [http/500]\n")),
        (
            "content/http/500.md",
            &entry("500", "quick_fix: |\n  See [the 502 entry](/http/502/) and <b>bold</b>.\n"),
        ),
        ("content/linux/eacces.md", &entry("EACCES", "")),
        ("content/misc/e1.md", &entry("E1", "")),
    ]);
    site.write("site.yaml", SITE);
    site
}

#[test]
fn llms_txt_has_the_site_then_each_category_in_site_yaml_order() {
    let site = site();
    site.run(&["build"]).success();
    assert_eq!(
        site.read("public/llms.txt"),
        "# Test KB

> Fixes for our errors.

Each entry below links to its Markdown copy; every entry in one file: [llms-full.txt](https://example.org/kb/llms-full.txt).

## Linux

- [Linux (category page)](https://example.org/kb/linux/): errno values
- [Error EACCES](https://example.org/kb/linux/eacces/index.md): What EACCES means.

## HTTP

- [HTTP (category page)](https://example.org/kb/http/)
- [Error 500](https://example.org/kb/http/500/index.md): What 500 means.
- [Error 502](https://example.org/kb/http/502/index.md): What 502 means.

## misc

- [misc (category page)](https://example.org/kb/misc/)
- [Error E1](https://example.org/kb/misc/e1/index.md): What E1 means.
"
    );
}

#[test]
fn llms_full_txt_holds_every_copy_in_listing_order() {
    let site = site();
    site.run(&["build"]).success();
    let full = site.read("public/llms-full.txt");
    assert!(full.starts_with("# Test KB\n\n> Fixes for our errors.\n\n---\n\n# Error EACCES\n"), "{full}");
    let at = |text: &str| full.find(text).unwrap_or_else(|| panic!("no `{text}` in {full}"));
    assert!(at("# Error EACCES") < at("# Error 500") && at("# Error 500") < at("# Error 502"));
    assert!(at("# Error 502") < at("# Error E1"));
    for id in ["linux/eacces", "http/500", "http/502", "misc/e1"] {
        let copy = site.read(&format!("public/{id}/index.md"));
        assert!(full.contains(&copy), "{id}'s copy is not in llms-full.txt whole");
    }
    // The note of a capped file (its wording is held by the unit test of site::llms).
    assert!(!full.contains("left out to keep this file under"), "{full}");
}

#[test]
fn a_copy_links_absolutely_under_the_base_url_and_leaves_raw_html_inert() {
    let site = site();
    site.run(&["build"]).success();
    let copy = site.read("public/http/500/index.md");
    assert!(copy.starts_with("# Error 500\n\nCode: `500` · Category: HTTP · Severity: major\n"), "{copy}");
    assert!(
        copy.contains("See [the 502 entry](https://example.org/kb/http/502/) and \\<b>bold\\</b>."),
        "{copy}"
    );
    assert!(copy.contains("## How to fix it\n\n### 1. Fix it\n\nDo the thing.\n"), "{copy}");
    assert!(copy.contains("## How to verify the fix\n\n- [ ] It works.\n"), "{copy}");
    let related = site.read("public/http/502/index.md");
    assert!(
        related.contains("## Related errors\n\n- [Error 500](https://example.org/kb/http/500/index.md)"),
        "{related}"
    );

    let page = site.read("public/http/500/index.html");
    assert!(
        page.contains("<link rel=\"alternate\" type=\"text/markdown\" href=\"/kb/http/500/index.md\""),
        "{page}"
    );
    assert!(page.contains("data-markdown=\"/kb/http/500/index.md\""), "{page}");
}

#[test]
fn offline_links_are_relative_and_lead_to_files_of_the_build() {
    let site = site();
    site.run(&["build", "--offline"]).success();
    let index = site.read("public/llms.txt");
    assert!(index.contains("- [Error 500](http/500/index.md): What 500 means."), "{index}");
    assert!(index.contains("- [HTTP (category page)](http/index.html)"), "{index}");
    assert!(!index.contains("https://example.org"), "{index}");
    // Every link of llms.txt leads to a file of the build.
    for link in index.split("](").skip(1).map(|rest| &rest[..rest.find(')').unwrap()]) {
        assert!(site.exists(&format!("public/{link}")), "llms.txt links `{link}`, which is not built");
    }
    let copy = site.read("public/http/502/index.md");
    assert!(copy.contains("- [Error 500](../../http/500/index.md)"), "{copy}");
    assert!(copy.contains("Page: [../../http/502/index.html](../../http/502/index.html)"), "{copy}");
    let full = site.read("public/llms-full.txt");
    assert!(full.contains("- [Error 500](http/500/index.md)"), "{full}");
    let page = site.read("public/http/500/index.html");
    assert!(page.contains("type=\"text/markdown\" href=\"../../http/500/index.md\""), "{page}");
}

#[test]
fn a_base_url_from_the_command_line_reaches_the_files() {
    let site = site();
    site.run(&["build", "--base-url", "https://docs.example/errors/"]).success();
    assert!(site.read("public/llms.txt").contains("(https://docs.example/errors/http/500/index.md)"));
    assert!(site
        .read("public/http/502/index.md")
        .contains("(https://docs.example/errors/http/500/index.md)"));
}

#[test]
fn a_static_file_cannot_take_the_place_of_a_copy_or_of_llms_txt() {
    let site = site();
    site.write("static/http/500/index.md", "# mine\n");
    site.write("static/llms.txt", "mine\n");
    let run = site.run(&["build"]).code(1);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("the Markdown copy of content/http/500.md (/http/500/index.md)"), "{all}");
    assert!(
        all.contains("the index for AI assistants (llms.txt), which the build writes at /llms.txt"),
        "{all}"
    );
}
