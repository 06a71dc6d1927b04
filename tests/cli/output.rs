//! The output folder: atomic publishing, the lock, what interrupted builds leave, and the
//! guards on `--out` and `--cache-dir`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{entry, SiteTest};

/// A site of `n` entries in twenty categories.
fn large_site(n: usize) -> SiteTest {
    let site = SiteTest::with_files(&[]);
    for i in 0..n {
        site.write(&format!("content/c{:02}/e{i:04}.md", i % 20), &entry(&format!("E{i:04}"), ""));
    }
    site
}

/// The names beside the output `public` that builds make.
fn beside_public(site: &SiteTest) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    names.sort();
    names
}

fn spawn_build(site: &SiteTest, env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_errorbook"))
        .arg("build")
        .current_dir(&site.root)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run errorbook")
}

/// Which of two trees `now` is, or a description of how it mixes them.
fn which(
    now: &[(String, Vec<u8>)],
    old: &[(String, Vec<u8>)],
    new: &[(String, Vec<u8>)],
) -> Result<&'static str, String> {
    if now == old {
        return Ok("old");
    }
    if now == new {
        return Ok("new");
    }
    let from_old = now.iter().filter(|f| old.contains(f) && !new.contains(f)).count();
    let from_new = now.iter().filter(|f| new.contains(f) && !old.contains(f)).count();
    Err(format!("{} files: {from_old} only in the old site, {from_new} only in the new one", now.len()))
}

/// Kills a real build the moment the first published file changes: the output is then the
/// whole old site or the whole new one, and the next build finishes the job and leaves nothing
/// beside the output but its lock.
#[test]
fn a_build_killed_while_publishing_leaves_one_whole_site() {
    let site = large_site(2000);
    site.run(&["build"]).success();
    let old = site.tree("public");
    assert!(old.len() > 4000, "{} files", old.len());
    let watched = site.root.join("public/404.html");
    let before = std::fs::read(&watched).unwrap();

    // A new title changes every page.
    site.write("site.yaml", &site.read("site.yaml").replace("title: Test KB", "title: Renamed KB"));
    let mut build = spawn_build(&site, &[]);
    let started = Instant::now();
    let running = loop {
        if std::fs::read(&watched).is_ok_and(|now| now != before) {
            break build.try_wait().unwrap().is_none();
        }
        if build.try_wait().unwrap().is_some() {
            break false;
        }
        assert!(started.elapsed() < Duration::from_secs(600), "the build never published");
    };
    build.kill().unwrap();
    build.wait().unwrap();
    assert!(running, "the build ended before the test saw a change; nothing was tested");
    let killed = site.tree("public");

    let run = site.run(&["build"]).success();
    assert!(run.stderr.starts_with("built 2000 entries"), "{}", run.stderr);
    let new = site.tree("public");
    assert_ne!(old, new);
    assert!(new.iter().any(|(path, bytes)| path == "404.html" && bytes != &before));
    match which(&killed, &old, &new) {
        Ok(whole) => eprintln!("killed with the {whole} site in place"),
        Err(mix) => panic!("the killed build left a mix of two sites: {mix}"),
    }
    assert_eq!(beside_public(&site), [".public.lock"], "the next build removes what the killed one left");
}

/// The steps a binary built with the `failpoints` feature can be stopped at, with the hit.
#[cfg(feature = "failpoints")]
const STEPS: &[&str] = &[
    "lock",
    "recover",
    "stage",
    "write@1",
    "write@5",
    "link@1",
    "link@3",
    "sync",
    "exchange",
    "exchanged",
    "sync-parent",
    "remove@1",
    "remove@4",
];

/// Aborts a real build at every step of publishing (no clean-up runs, as with SIGKILL or a
/// power cut), with the atomic exchange and with the fallback of two renames: the output is
/// the whole old site or the whole new one, and the next build publishes and cleans up.
#[cfg(feature = "failpoints")]
#[test]
fn a_build_aborted_at_any_step_leaves_one_whole_site() {
    let mut steps: Vec<(String, bool)> = STEPS.iter().map(|s| ((*s).to_owned(), true)).collect();
    steps.extend(["exchange", "aside", "exchanged", "remove@2"].map(|s| (s.to_owned(), false)));
    for (step, exchange) in steps {
        let case = format!("{step} (exchange: {exchange})");
        let site = SiteTest::with_files(&[
            ("content/http/500.md", &entry("500", "")),
            ("content/http/502.md", &entry("502", "")),
            ("content/http/503.md", &entry("503", "")),
        ]);
        site.run(&["build"]).success();
        let old = site.tree("public");
        site.write("content/http/500.md", &entry("500", "").replace("Body of 500.", "A new body."));
        std::fs::remove_file(site.root.join("content/http/502.md")).unwrap();
        site.write("content/http/504.md", &entry("504", ""));
        let point = if exchange { format!("{step}=abort") } else { format!("no-exchange,{step}=abort") };
        let status = spawn_build(&site, &[("ERRORBOOK_FAILPOINT", &point)]).wait().unwrap();
        assert!(!status.success(), "{case}: the build was not stopped");
        let mut aborted = site.tree("public");
        if step == "aside" {
            // The fallback's one gap: stopped between its two renames, the output is missing and
            // the previous site waits beside it, whole, for the next build to put it back.
            assert!(!site.exists("public"), "{case}");
            let aside: Vec<String> =
                beside_public(&site).into_iter().filter(|n| n.starts_with(".public.old-")).collect();
            assert_eq!(aside.len(), 1, "{case}: {aside:?}");
            aborted = site.tree(&aside[0]);
            assert_eq!(aborted, old, "{case}");
        }
        site.run(&["build"]).success();
        let new = site.tree("public");
        assert_ne!(old, new, "{case}");
        if let Err(mix) = which(&aborted, &old, &new) {
            panic!("{case}: a mix of two sites: {mix}");
        }
        assert_eq!(beside_public(&site), [".public.lock"], "{case}: leftovers");
    }
}

#[test]
fn a_second_build_waits_for_the_first() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    site.run(&["build"]).success();
    site.write("content/http/500.md", &entry("500", "").replace("Body of 500.", "A new body."));
    // The lock a running build holds.
    let out = errorbook::site::resolve_path(&site.root.join("public"), false).unwrap();
    let lock = errorbook::site::OutputLock::acquire(&out, |_| panic!("nothing holds the lock")).unwrap();
    let mut second = spawn_build(&site, &[]);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(second.try_wait().unwrap().is_none(), "the second build waits");
    assert!(!site.read("public/http/500/index.html").contains("A new body."));
    drop(lock);
    let output = second.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.starts_with("waiting for another build into `"), "{stderr}");
    assert!(stderr.contains("/.public.lock`)"), "{stderr}");
    assert!(stderr.lines().nth(1).is_some_and(|l| l.starts_with("built 1 entry")), "{stderr}");
    assert!(site.read("public/http/500/index.html").contains("A new body."));
}

#[test]
fn unchanged_files_keep_their_inode_and_time() {
    use std::os::unix::fs::MetadataExt;
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "")),
        ("content/http/502.md", &entry("502", "")),
    ]);
    site.run(&["build"]).success();
    let meta = |path: &str| std::fs::metadata(site.root.join(path)).unwrap();
    let (inode, time) =
        (meta("public/http/502/index.html").ino(), meta("public/http/502/index.html").mtime());
    let changed = meta("public/http/500/index.html").ino();
    site.write("content/http/500.md", &entry("500", "").replace("Body of 500.", "A new body."));
    site.run(&["build"]).success();
    assert_eq!(meta("public/http/502/index.html").ino(), inode);
    assert_eq!(meta("public/http/502/index.html").mtime(), time);
    assert_ne!(meta("public/http/500/index.html").ino(), changed);
    assert_eq!(beside_public(&site), [".public.lock"]);
}

#[test]
fn the_next_build_removes_what_interrupted_builds_left() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    site.run(&["build"]).success();
    for leftover in [".public.staging-1", ".public.staging-2", ".public.trash-3"] {
        site.write(&format!("{leftover}/.errorbook-output"), "");
        site.write(&format!("{leftover}/http/500/index.html"), "half");
    }
    site.write(".public.staging-4/mine.txt", "not ours: no marker");
    let run = site.run(&["build"]).success();
    assert!(run.stderr.starts_with("nothing changed since the last build"), "{}", run.stderr);
    assert_eq!(beside_public(&site), [".public.lock", ".public.staging-4"]);
    assert_eq!(site.read(".public.staging-4/mine.txt"), "not ours: no marker");
}

/// `--out` spelled with a trailing slash, `.` or `..` still names the link, which is refused.
#[test]
fn an_output_that_is_a_symbolic_link_is_refused_however_it_is_spelled() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    site.write("elsewhere/precious.txt", "keep me");
    std::os::unix::fs::symlink(site.root.join("elsewhere"), site.root.join("link")).unwrap();
    for spelling in ["link", "link/", "link/.", "./link//", "content/../link", "link/sub/.."] {
        let run = site.run(&["build", "--force", "--out", spelling]).code(2);
        assert!(run.stderr.contains("it is a symbolic link"), "{spelling}: {}", run.stderr);
    }
    assert_eq!(site.read("elsewhere/precious.txt"), "keep me");
    assert!(Path::new(&site.root.join("link")).is_symlink());
    // The folder it points to, named as itself, is another matter.
    let run = site.run(&["build", "--out", "elsewhere"]).code(2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    site.run(&["build", "--out", "link/../out/"]).success();
    assert!(site.exists("out/http/500/index.html"));
}

#[test]
fn a_cache_inside_a_folder_the_build_reads_or_writes_is_refused() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    for (cache, folder) in [
        ("templates", "the site's templates/ folder"),
        ("static", "the site's static/ folder"),
        ("static/./cache/", "the site's static/ folder"),
        ("content/http/cache", "the site's content/ folder"),
        ("other/../content", "the site's content/ folder"),
        ("public", "the output folder"),
        ("public/cache", "the output folder"),
    ] {
        let run = site.run(&["build", "--cache-dir", cache]).code(2);
        assert!(
            run.stderr.contains(&format!("refusing to keep the cache in `{cache}`: it is inside {folder}")),
            "{cache}: {}",
            run.stderr
        );
    }
    let run = site.run(&["build", "--out", "site-out", "--cache-dir", "site-out/c"]).code(2);
    assert!(run.stderr.contains("inside the output folder"), "{}", run.stderr);
    assert!(!site.exists("templates") && !site.exists("static") && !site.exists("public"));
    site.run(&["check"]).success();
    site.run(&["build", "--cache-dir", "cache"]).success();
    assert!(site.exists("cache/builds"));
    site.run(&["check"]).success();
}
