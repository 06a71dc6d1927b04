//! `errorbook check`: diagnostics for every kind of mistake, asserted exactly.

use crate::{entry, SiteTest, REPO};

/// Every folder in tests/fixtures/check/ is a broken site; its `check` output must match the
/// snapshot of the same name exactly.
#[test]
fn every_broken_fixture_gives_its_exact_diagnostics() {
    let dir = std::path::Path::new(REPO).join("tests/fixtures/check");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let site = SiteTest::fixture(&format!("check/{name}"));
        let run = site.run(&["check"]);
        insta::assert_snapshot!(
            format!("check-{name}"),
            format!("exit status: {}\n{}", run.code, run.stdout)
        );
    }
}

#[test]
fn the_bundled_site_passes_check_strict() {
    let site = SiteTest::bundled();
    let run = site.run(&["check", "--strict", "--format", "json"]);
    assert_eq!(run.stdout.trim(), "[]", "{}", run.stdout);
    assert_eq!(run.code, 0);
}

/// The demo is what new users judge the product by: every entry explains the error in depth,
/// answers questions, cites sources, says when it was last reviewed, and is found first by its
/// own code and by each of its own messages.
#[test]
fn every_demo_entry_is_deep_sourced_and_found_by_its_own_messages() {
    let site = SiteTest::bundled();
    site.run(&["build"]).success();
    let read = |path: &str| -> serde_json::Value {
        serde_json::from_str(&site.read(&format!("public/{path}"))).unwrap()
    };
    let index = read("api/entries.json");
    let entries = index["entries"].as_array().unwrap();
    let categories: std::collections::BTreeSet<&str> =
        entries.iter().map(|e| e["category"]["id"].as_str().unwrap()).collect();
    assert!(entries.len() >= 60, "{} entries", entries.len());
    assert!(categories.len() >= 10, "{categories:?}");
    let mut problems = Vec::new();
    let mut queries = Vec::new();
    for summary in entries {
        let id = summary["id"].as_str().unwrap();
        let doc = read(&format!("api/{id}.json"));
        let count = |field: &serde_json::Value| field.as_array().map_or(0, Vec::len);
        for (what, n, least) in [
            ("body sections", count(&doc["body"]["toc"]), 3),
            ("FAQ answers", count(&doc["faq"]), 3),
            ("sources", count(&doc["sources"]), 2),
            ("aliases", count(&doc["aliases"]), 2),
            ("steps", count(&doc["steps"]), 3),
            ("checks", count(&doc["verify"]), 3),
        ] {
            if n < least {
                problems.push(format!("{id}: {n} {what}, fewer than {least}"));
            }
        }
        for field in ["quick_fix", "causes", "reviewed", "author"] {
            if doc[field].is_null() {
                problems.push(format!("{id}: no {field}"));
            }
        }
        let href = format!("{id}/");
        queries.push((summary["code"].as_str().unwrap().to_owned(), href.clone()));
        for alias in doc["aliases"].as_array().unwrap() {
            queries.push((alias.as_str().unwrap().to_owned(), href.clone()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Every code and alias, through the engine readers use.
    let list: Vec<serde_json::Value> = queries.iter().map(|(q, _)| serde_json::json!([q, {}])).collect();
    let file = site.path("queries.json");
    std::fs::write(&file, serde_json::to_string(&list).unwrap()).unwrap();
    let Some(found) = crate::engine_search(&site.path("public"), &file) else { return };
    let codes: Vec<&str> = entries.iter().map(|e| e["code"].as_str().unwrap()).collect();
    let mut misses = Vec::new();
    for ((query, href), results) in queries.iter().zip(&found) {
        // A code two entries share (ENOSPC in linux and docker) may lead to either first.
        let shared = codes.iter().filter(|c| c.eq_ignore_ascii_case(query)).count() > 1;
        let first = results.first().map(String::as_str);
        if first != Some(href.as_str()) && !(shared && results.iter().take(2).any(|r| r == href)) {
            misses.push(format!("{query:?} → {first:?}, not {href}"));
        }
    }
    assert!(misses.is_empty(), "{} of {} queries miss:\n{}", misses.len(), queries.len(), misses.join("\n"));
}

#[test]
fn review_dates_hold_at_the_ends_of_the_calendar() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "reviewed: 2026-06-14\n")),
        ("content/http/502.md", &entry("502", "reviewed: 0000-01-01\n")),
    ]);
    // Far in the future, where adding a day or a review period leaves the calendar.
    for epoch in ["8210266876799", "8210266790400", "abc", "", "-62167219200"] {
        let run = site.run_with(&["check"], &[("SOURCE_DATE_EPOCH", epoch)]);
        assert!(run.code == 1 && !run.stderr.contains("panicked"), "{epoch}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("content/http/502.md:12:11: error: `reviewed` is 0000-01-01, before 1970"),
            "{epoch}: {}",
            run.stdout
        );
    }
    // The day after today is allowed for time zones; the day after that is not.
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "reviewed: 2026-12-03\n")),
        ("content/http/502.md", &entry("502", "reviewed: 2026-12-04\n")),
    ]);
    let run = site.run(&["check"]).success();
    assert!(!run.stdout.contains("content/http/500.md"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("content/http/502.md:12:11: warning: `reviewed` is 2026-12-04, a date still to come"),
        "{}",
        run.stdout
    );
}

#[test]
fn strict_turns_warnings_into_errors() {
    let text = entry("500", "quick_fix: |\n  ```bash\n  rm -rf /var/cache/app\n  ```\n");
    let site = SiteTest::with_files(&[("content/http/500.md", &text)]);
    let run = site.run(&["check"]).success();
    assert!(
        run.stdout.contains("content/http/500.md:14:3: warning: `rm -rf /var/cache/app` deletes folders"),
        "{}",
        run.stdout
    );
    let run = site.run(&["check", "--strict"]).code(1);
    assert!(
        run.stdout.contains("content/http/500.md:14:3: error: `rm -rf /var/cache/app` deletes folders"),
        "{}",
        run.stdout
    );
    let run = site.run(&["build", "--strict"]).code(1);
    assert!(run.stderr.contains("error: `rm -rf /var/cache/app`"), "{}", run.stderr);
    assert!(!site.exists("public"), "a strict build with warnings writes nothing");
    site.write("content/http/500.md", &text.replace("```bash", "```bash danger=\"clears the cache\""));
    site.run(&["check", "--strict"]).success();
    site.run(&["build", "--strict"]).success();
    assert!(site
        .read("public/http/500/index.html")
        .contains("<strong>Changes or deletes data:</strong> clears the cache.</p>"));
}

#[test]
fn json_output_lists_every_problem() {
    let site =
        SiteTest::with_files(&[("content/http/500.md", &entry("500", "difficulty: hard\nfix_minutes: 0\n"))]);
    let run = site.run(&["check", "--format", "json"]).code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 2, "{json:#}");
    assert_eq!(items[0]["file"], "content/http/500.md");
    assert_eq!(items[0]["line"], 12);
    assert_eq!(items[0]["column"], 13);
    assert_eq!(items[0]["severity"], "error");
    assert_eq!(items[0]["message"], "unknown difficulty \"hard\"");
    assert!(items[0]["help"].as_str().unwrap().contains("beginner"));
}

#[test]
fn warnings_alone_exit_with_0() {
    let site = SiteTest::with_files(&[(
        "content/http/500.md",
        &entry("500", "quick_fix: |\n  ```klingon\n  x\n  ```\n"),
    )]);
    let run = site.run(&["check"]).success();
    assert!(run.stdout.contains("warning: unknown code block language `klingon`"), "{}", run.stdout);
}

#[test]
fn color_is_off_when_not_a_terminal() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", "severity: blocking\n"))]);
    let run = site.run(&["check"]).code(1);
    assert!(!run.stdout.contains('\u{1b}'), "escape codes in piped output");
}

#[test]
fn a_missing_site_is_an_io_error() {
    let site = SiteTest::with_files(&[]);
    let run = site.run(&["check", "--root", "nowhere"]).code(2);
    assert!(run.stderr.contains("site.yaml"), "{}", run.stderr);
}

#[test]
fn an_oversized_file_is_refused() {
    let site = SiteTest::with_files(&[]);
    let big = entry("500", "") + &"x".repeat(1024 * 1024 + 1);
    site.write("content/http/500.md", &big);
    let run = site.run(&["check"]).code(1);
    assert!(run.stdout.contains("content/http/500.md:1:1: error: file is"), "{}", run.stdout);
    assert!(run.stdout.contains("over the limit of 1 MiB"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_site_is_refused() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let outside = site.root.parent().unwrap().join("secret.md");
    std::fs::write(&outside, entry("501", "")).unwrap();
    std::os::unix::fs::symlink(&outside, site.root.join("content/http/501.md")).unwrap();
    let run = site.run(&["check"]).code(1);
    assert!(
        run.stdout.contains("content/http/501.md:1:1: error: symbolic link leads outside the site root"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_byte_order_mark_is_read_as_nothing() {
    let bom = "\u{feff}";
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &format!("{bom}{}", entry("500", ""))),
        (
            "content/http/501.yaml",
            &format!(
                "{bom}code: \"501\"\ntitle: Error 501\nsummary: What 501 means.\nseverity: major\nupdated: 2026-06-14\nsteps: [{{ title: Fix it, body: Do it. }}]\nverify: [It works.]\n"
            ),
        ),
    ]);
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{bom}{config}"));
    let run = site.run(&["check"]).success();
    assert!(run.stdout.contains("checked 2 entries: no problems found"), "{}", run.stdout);
}

#[test]
fn a_control_character_and_an_alias_bomb_are_reported_where_they_are() {
    let mut bomb = String::from(
        "aliases: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, previous) in
        ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("x{name}: &{name} [{}]\n", vec![format!("*{previous}"); 9].join(",")));
    }
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "tags: [\"ng\0inx\"]\n")),
        ("content/http/501.md", &entry("501", &bomb)),
    ]);
    let run = site.run(&["check"]).code(1);
    insta::assert_snapshot!("control-character-and-alias-bomb", run.stdout);
}

#[cfg(unix)]
#[test]
fn site_yaml_that_is_not_a_regular_file_is_reported_without_opening_it() {
    for (kind, make) in [("folder", "mkdir"), ("fifo", "mkfifo")] {
        let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
        std::fs::remove_file(site.root.join("site.yaml")).unwrap();
        let made = std::process::Command::new(make).arg(site.root.join("site.yaml")).status().unwrap();
        assert!(made.success());
        let run = site.run(&["check"]).code(1);
        insta::assert_snapshot!(format!("site-yaml-is-a-{kind}"), run.stdout);
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_and_special_files_each_get_their_own_diagnostic() {
    use std::os::unix::fs::symlink;
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "")),
        ("elsewhere/502.md", &entry("502", "")),
        ("templates/partials.txt", "not a template"),
    ]);
    let link = |target: &str, at: &str| symlink(target, site.root.join(at)).unwrap();
    link("loop.md", "content/http/loop.md");
    link("ping.md", "content/http/pong.md");
    link("pong.md", "content/http/ping.md");
    link("missing.md", "content/http/gone.md");
    link("/etc/hostname", "content/http/out.md");
    link("../elsewhere", "content/linked");
    link("../../elsewhere/502.md", "content/http/502.md");
    link("nowhere.html", "templates/404.html");
    link("../templates", "templates/nested");
    let fifo =
        std::process::Command::new("mkfifo").arg(site.root.join("content/http/fifo.md")).status().unwrap();
    assert!(fifo.success());
    let run = site.run(&["check"]).code(1);
    insta::assert_snapshot!("symbolic-links-and-special-files", run.stdout);
}

/// A template linked to a file inside the site is used, not passed over.
#[cfg(unix)]
#[test]
fn a_linked_template_inside_the_site_is_followed() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let theme = std::fs::read_to_string(std::path::Path::new(REPO).join("templates/404.html")).unwrap();
    site.write("theme/404.html", &theme.replacen("<h1", "<h1 data-theme=\"linked\"", 1));
    std::fs::create_dir_all(site.root.join("templates")).unwrap();
    std::os::unix::fs::symlink("../theme/404.html", site.root.join("templates/404.html")).unwrap();
    site.run(&["build"]).success();
    assert!(
        site.read("public/404.html").contains("data-theme=\"linked\""),
        "{}",
        site.read("public/404.html")
    );
}
