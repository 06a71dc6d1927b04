//! Placeholders: what the page, the data API, the Markdown copies and `explain` show of an
//! entry's `vars`.

use serde_json::Value;

use crate::SiteTest;

const ENTRY: &str = r#"---
code: "503"
title: HTTP 503 on a rollout
summary: The new pods are not ready.
severity: major
updated: 2026-06-14
vars: { namespace: shop, deployment: api }
quick_fix: |
  ```bash
  kubectl rollout status deploy/<<deployment>> -n <<namespace>>
  ```
steps:
  - title: Look at the pods
    body: |
      ```console
      $ kubectl get pods -n <<namespace>>
      NAME READY
      ```
verify:
  - "`kubectl get deploy <<deployment>> -n <<namespace>>` shows every replica ready."
---

## Why

```yaml
namespace: <<namespace>>
```
"#;

fn site() -> SiteTest {
    let site = SiteTest::with_files(&[("content/http/503.md", ENTRY)]);
    site.run(&["build", "--strict"]).success();
    site
}

#[test]
fn the_page_shows_the_defaults_in_value_spans_with_one_input_each() {
    let site = site();
    let page = site.read("public/http/503/index.html");
    // The defaults are written into the code, so a page without script shows them.
    assert!(
        page.contains("<span class=\"var\" data-var=\"namespace\">shop</span>"),
        "the default stands in a span the script fills"
    );
    assert_eq!(
        page.matches("class=\"var\" data-var=\"namespace\"").count(),
        4,
        "every use, inline code included"
    );
    assert_eq!(page.matches("class=\"var\" data-var=\"deployment\"").count(), 2);
    assert!(
        page.contains("<code>kubectl get deploy <span class=\"var\" data-var=\"deployment\">api</span> -n")
    );
    assert!(!page.contains("&lt;&lt;namespace&gt;&gt;</"), "no placeholder is shown as written");
    // One input per placeholder, labelled, in the quick fix, hidden until the script runs.
    assert_eq!(page.matches("<div class=\"vars\"").count(), 1);
    assert!(
        page.contains(
            "<div class=\"vars\" role=\"group\" aria-labelledby=\"vars-title\" data-vars-site=\"/\" hidden>"
        ),
        "{page}"
    );
    assert!(page.contains("<label for=\"var-namespace\">namespace</label><input type=\"text\" id=\"var-namespace\" data-var=\"namespace\" data-default=\"shop\" value=\"shop\""));
    assert!(page.contains("<label for=\"var-deployment\">deployment</label>"));
    let quick_fix = &page[page.find("id=\"quick-fix\"").unwrap()..page.find("id=\"steps\"").unwrap()];
    assert!(quick_fix.contains("<div class=\"vars\""), "the inputs stand in the quick fix");
    // A session copies its commands, with the placeholders for the script to fill.
    assert!(page.contains(" data-copy=\"kubectl get pods -n shop\" data-copy-template=\"kubectl get pods -n &lt;&lt;namespace&gt;&gt;\""));
}

#[test]
fn an_entry_without_placeholders_has_no_inputs() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &crate::entry("500", "")),
        ("content/http/503.md", ENTRY),
    ]);
    site.run(&["build"]).success();
    let page = site.read("public/http/500/index.html");
    assert!(page.contains("id=\"verify-1\""), "the page is an entry page");
    let inputs = "<div class=\"vars\"";
    assert!(
        site.read("public/http/503/index.html").contains(inputs),
        "an entry with placeholders has inputs"
    );
    assert!(!page.contains(inputs));
}

#[test]
fn the_api_lists_the_placeholders_and_shows_the_defaults() {
    let site = site();
    let doc: Value = serde_json::from_str(&site.read("public/api/http/503.json")).unwrap();
    assert_eq!(doc["vars"], serde_json::json!({ "deployment": "api", "namespace": "shop" }));
    let quick_fix = doc["quick_fix"]["markdown"].as_str().unwrap();
    assert!(quick_fix.contains("kubectl rollout status deploy/api -n shop"), "{quick_fix}");
    assert!(doc["steps"][0]["markdown"].as_str().unwrap().contains("$ kubectl get pods -n shop"));
    assert_eq!(doc["verify"][0]["markdown"], "`kubectl get deploy api -n shop` shows every replica ready.");
    assert!(doc["body"]["markdown"].as_str().unwrap().contains("namespace: shop"));
    // The plain text shows the defaults too, with no markup of the page's inputs.
    assert_eq!(doc["quick_fix"]["text"], "kubectl rollout status deploy/api -n shop");
    assert_eq!(doc["steps"][0]["text"], "$ kubectl get pods -n shop\nNAME READY");
    assert_eq!(doc["verify"][0]["text"], "kubectl get deploy api -n shop shows every replica ready.");
    assert_eq!(doc["body"]["text"], "Why\n\nnamespace: shop");
    // An entry without placeholders has an empty map.
    let site = SiteTest::with_files(&[("content/http/500.md", &crate::entry("500", ""))]);
    site.run(&["build"]).success();
    let doc: Value = serde_json::from_str(&site.read("public/api/http/500.json")).unwrap();
    assert_eq!(doc["vars"], serde_json::json!({}));
}

#[test]
fn the_markdown_copies_show_the_defaults() {
    let site = site();
    for path in ["public/http/503/index.md", "public/llms-full.txt"] {
        let text = site.read(path);
        assert!(text.contains("kubectl rollout status deploy/api -n shop"), "{path}: {text}");
        assert!(text.contains("- [ ] `kubectl get deploy api -n shop` shows every replica ready."), "{path}");
        assert!(text.contains("namespace: shop"), "{path}");
        assert!(!text.contains("<<namespace>>") && !text.contains("<<deployment>>"), "{path}: {text}");
    }
}

#[test]
fn explain_shows_the_defaults() {
    let site = site();
    let run = site.run(&["explain", "503"]).success();
    assert!(run.stdout.contains("kubectl rollout status deploy/api -n shop"), "{}", run.stdout);
    assert!(run.stdout.contains("$ kubectl get pods -n shop"), "{}", run.stdout);
    assert!(
        run.stdout.contains("[ ] `kubectl get deploy api -n shop` shows every replica ready."),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("<<"), "{}", run.stdout);
}

#[test]
fn the_demo_uses_placeholders_where_readers_type_their_own_names() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let index: Value = serde_json::from_str(&site.read("public/api/entries.json")).unwrap();
    let mut with_vars = Vec::new();
    for summary in index["entries"].as_array().unwrap() {
        let path = summary["api_url"].as_str().unwrap().strip_prefix("https://errorbook.example/").unwrap();
        let doc: Value = serde_json::from_str(&site.read(&format!("public/{path}"))).unwrap();
        if doc["vars"].as_object().is_some_and(|vars| !vars.is_empty()) {
            with_vars.push(doc["id"].as_str().unwrap().to_owned());
        }
    }
    assert!(with_vars.len() >= 2, "{with_vars:?}");
    assert!(with_vars.iter().any(|id| id == "kubernetes/crashloopbackoff"), "{with_vars:?}");
    let page = site.read("public/kubernetes/crashloopbackoff/index.html");
    assert!(page.contains("<label for=\"var-namespace\">namespace</label>"));
}
