//! `errorbook triage`: the entries a log mentions, and grep's exit statuses.

use std::process::Command;

use crate::SiteTest;

fn site() -> SiteTest {
    SiteTest::fixture("triage")
}

#[test]
fn triage_lists_the_entries_a_log_mentions_most_relevant_first() {
    let site = site();
    let run = site.run(&["triage", "logs/app.log"]).success();
    insta::assert_snapshot!("triage-app", run.stdout);
    assert_eq!(run.stderr, "");
}

#[test]
fn triage_prints_json_with_the_documented_fields() {
    let site = site();
    let run = site.run(&["triage", "--format", "json", "logs/app.log"]).success();
    let found: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let found = found.as_array().expect("an array");
    assert_eq!(found.len(), 4);
    assert_eq!(
        found[0],
        serde_json::json!({
            "entry": "linux/econnrefused",
            "code": "ECONNREFUSED",
            "title": "ECONNREFUSED: Connection refused — nothing is listening at that address and port",
            "url": "https://example.org/kb/linux/econnrefused/",
            "count": 3,
            "lines": [2, 3, 8],
        })
    );
    for item in found {
        let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["code", "count", "entry", "lines", "title", "url"]);
    }
    let entries: Vec<&str> = found.iter().map(|f| f["entry"].as_str().unwrap()).collect();
    assert_eq!(entries, ["linux/econnrefused", "http/503", "postgresql/too-many-connections", "rust/e0308"]);
}

#[test]
fn triage_reads_standard_input_without_a_file_or_with_a_dash() {
    let site = site();
    let log = site.read("logs/app.log");
    let from_file = site.run(&["triage", "logs/app.log"]).success();
    for args in [&["triage"][..], &["triage", "-"]] {
        let run = site.run_with_stdin(args, log.as_bytes()).success();
        assert_eq!(run.stdout, from_file.stdout, "{args:?}");
    }
}

#[test]
fn triage_exits_with_1_when_nothing_matched() {
    let site = site();
    let run = site.run(&["triage", "logs/quiet.log"]).code(1);
    assert_eq!(run.stdout, "no entry found in 2 lines read\n");
    let run = site.run(&["triage", "--format", "json", "logs/quiet.log"]).code(1);
    assert_eq!(run.stdout, "[]\n");
    let run = site.run_with_stdin(&["triage"], b"").code(1);
    assert_eq!(run.stdout, "no entry found in 0 lines read\n");
}

#[test]
fn triage_exits_with_2_on_a_missing_file_a_folder_or_bad_usage() {
    let site = site();
    let run = site.run(&["triage", "logs/missing.log"]).code(2);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "error: cannot open `logs/missing.log`: No such file or directory (os error 2)\n");
    let run = site.run(&["triage", "logs"]).code(2);
    assert_eq!(run.stderr, "error: `logs` is a folder; give a log file, or `-` for standard input\n");
    let run = site.run(&["triage", "--format", "xml", "logs/app.log"]).code(2);
    assert!(run.stderr.contains("invalid value 'xml'"), "{}", run.stderr);
    let run = site.run(&["triage", "a.log", "b.log"]).code(2);
    assert!(run.stderr.contains("unexpected argument"), "{}", run.stderr);
    // Not a site.
    let run = site.run(&["triage", "--root", "logs", "logs/app.log"]).code(2);
    assert!(run.stderr.starts_with("error: no `site.yaml` in `logs`"), "{}", run.stderr);
}

#[test]
fn triage_of_a_site_with_errors_exits_with_2() {
    let site = site();
    site.write("site.yaml", "title: [\n");
    let run = site.run(&["triage", "logs/app.log"]).code(2);
    assert!(
        run.stderr.contains("error: the site has errors; `errorbook check` lists them"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_long_line_is_matched_on_its_head() {
    let site = site();
    let log = format!("connect ECONNREFUSED 10.0.0.1:5432 {}\nnext\n", "x".repeat(1 << 20));
    let run = site.run_with_stdin(&["triage", "--format", "json"], log.as_bytes()).success();
    let found: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(found[0]["entry"], "linux/econnrefused");
    assert_eq!(found[0]["lines"], serde_json::json!([1]));
}

/// Runs `errorbook <args>` on a pseudo-terminal (util-linux `script`), with `NO_COLOR` set or not.
fn on_terminal(site: &SiteTest, args: &str, no_color: bool) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_errorbook"));
    let mut script = Command::new("script");
    script
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .current_dir(&site.root)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
    if no_color {
        script.env("NO_COLOR", "1");
    }
    let output = script.output().expect("util-linux `script` runs the command on a pseudo-terminal");
    String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n")
}

#[test]
fn triage_colours_on_a_terminal_only_and_never_with_no_color() {
    let site = site();
    let piped = site.run(&["triage", "logs/app.log"]).success().stdout;
    assert!(!piped.contains('\x1b'), "{piped}");
    let coloured = on_terminal(&site, "triage logs/app.log", false);
    assert!(coloured.contains("\x1b[1mECONNREFUSED: Connection refused"), "{coloured:?}");
    let plain = on_terminal(&site, "triage logs/app.log", true);
    assert_eq!(plain, piped);
}

#[test]
fn text_from_entries_reaches_the_terminal_as_stand_ins() {
    let site = site();
    let file = "content/rust/e0308.md";
    let text = site.read(file).replacen("title: \"E0308", "title: \"\\e]0;pwned\\a E0308", 1);
    site.write(file, &text);
    let coloured = on_terminal(&site, "triage logs/app.log", false);
    assert!(coloured.contains(r"\e]0;pwned\x07"), "{coloured:?}");
    assert!(!coloured.contains("\x1b]0;") && !coloured.contains('\x07'), "{coloured:?}");
}
