//! `errorbook init` and `errorbook new`.

use crate::SiteTest;

#[test]
fn init_creates_a_site_that_checks_clean_and_builds() {
    let site = SiteTest::with_files(&[]);
    site.run(&["init", "fresh"]).success();
    for file in ["fresh/site.yaml", "fresh/README.md", "fresh/.gitignore", "fresh/content/http/429.md"] {
        assert!(site.exists(file), "{file} missing");
    }
    let run = site.run(&["check", "--root", "fresh"]).success();
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
    let run = site.run(&["build", "--root", "fresh"]).success();
    assert!(site.read("fresh/public/http/429/index.html").contains("Too Many Requests"));
    // Until the site gets its own address, builds say so, and a strict build refuses.
    assert!(
        run.stderr.contains("site.yaml:3:11: warning: `base_url` is still the example address of a new site"),
        "{}",
        run.stderr
    );
    let run = site.run(&["build", "--root", "fresh", "--strict"]).code(1);
    assert!(
        run.stderr.contains("site.yaml:3:11: error: `base_url` is still the example address"),
        "{}",
        run.stderr
    );
    let run = site.run(&["build", "--root", "fresh", "--strict", "--base-url", "https://kb.test/"]).success();
    assert!(!run.stderr.contains("example address"), "{}", run.stderr);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = SiteTest::with_files(&[("busy/file.txt", "x")]);
    let run = site.run(&["init", "busy"]).code(2);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
}

#[test]
fn new_scaffolds_an_entry_that_check_flags_as_unfinished() {
    let site = SiteTest::with_files(&[]);
    site.run(&["new", "http/418"]).success();
    let text = site.read("content/http/418.md");
    assert!(text.contains("code: \"418\""));
    assert!(text.starts_with("---\ndraft: true\n"), "{text}");
    // A draft in progress may hold TODO markers; a published entry may not.
    let run = site.run(&["check", "--strict"]).success();
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
    site.write("content/http/418.md", &text.replace("draft: true\n", ""));
    let run = site.run(&["check"]).success();
    assert!(run.stdout.contains("warning: the entry still has a TODO marker"), "{}", run.stdout);
    site.run(&["check", "--strict"]).code(1);
    site.write("content/http/418.md", &text);
    let run = site.run(&["new", "http/418"]).code(2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(site.read("content/http/418.md"), text);
}

#[test]
fn new_refuses_names_check_would_reject() {
    let site = SiteTest::with_files(&[]);
    site.run(&["new", "HTTP/Teapot"]).code(2);
    site.run(&["new", "no-slash"]).code(2);
    site.run(&["new", "http/../../x"]).code(2);
    assert!(!site.exists("content/HTTP"));
}

/// `new` follows the layout of the output: it never creates an entry whose files `check` would
/// refuse as the build's own.
#[test]
fn new_refuses_names_the_output_layout_reserves() {
    let site = SiteTest::with_files(&[]);
    let refused = |id: &str| site.run(&["new", id]).code(2).stderr;
    assert_eq!(
        refused("http/index.html"),
        "error: the page of this entry (/http/index.html/) would collide with the page of category `http` (content/http): `http/index.html` would have to be a file and a folder at once\n"
    );
    assert_eq!(
        refused("tags/x"),
        "error: category `tags` would collide with the page of every tag, which the build writes at /tags/index.html\n"
    );
    assert_eq!(
        refused("search/x"),
        "error: category `search` would collide with the search page and its index, which the build writes under /search/\n"
    );
    assert_eq!(
        refused("http/x.md"),
        "error: the slug `x.md` ends with `.md`, which would make `x.md.md`: give the slug alone, without the extension\n"
    );
    assert!(!site.exists("content/tags"));
    assert!(!site.exists("content/http/index.html.md"));
    // A category that only starts like a reserved name is fine.
    site.run(&["new", "tagsx/x"]).success();
    assert!(site.exists("content/tagsx/x.md"));
}

/// `new` follows the walk's rules: it never writes a file that `check` would not read.
#[test]
fn new_refuses_what_the_walk_would_not_read() {
    let site = SiteTest::with_files(&[("elsewhere/keep.txt", "x")]);
    let refused = |id: &str| site.run(&["new", id]).code(2).stderr;
    assert_eq!(
        refused("http/.hidden"),
        "error: the slug `.hidden` starts with `.`: errorbook does not read hidden files and folders\n"
    );
    assert_eq!(
        refused(".git/x"),
        "error: the category `.git` starts with `.`: errorbook does not read hidden files and folders\n"
    );
    let long = "s".repeat(251);
    assert_eq!(
        refused(&format!("http/{long}")),
        "error: the slug is 251 bytes long; the data API writes it as `<slug>.json`, so it may have at most 250\n"
    );
    #[cfg(unix)]
    {
        std::fs::create_dir_all(site.root.join("content/http")).unwrap();
        std::os::unix::fs::symlink("../elsewhere", site.root.join("content/lnk")).unwrap();
        assert_eq!(
            refused("lnk/x"),
            "error: `./content/lnk`: category folder is a symbolic link, which errorbook does not follow; move the folder into content/ instead\n"
        );
        assert!(!site.exists("elsewhere/x.md"));
        std::os::unix::fs::symlink("../../elsewhere/new.md", site.root.join("content/http/x.md")).unwrap();
        assert!(refused("http/x").contains("already exists"));
        assert!(!site.exists("elsewhere/new.md"), "a dangling link is not written through");
    }
    site.run(&["new", "http/x2"]).success();
    assert!(site.exists("content/http/x2.md"));
}
