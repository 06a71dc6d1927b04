//! `errorbook triage`: the entries a log mentions, and grep's exit statuses.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::gen::Gen;
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
    on_terminal_of_kind(site, args, no_color, "xterm-256color")
}

fn on_terminal_of_kind(site: &SiteTest, args: &str, no_color: bool, term: &str) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_errorbook"));
    let mut script = Command::new("script");
    script
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .current_dir(&site.root)
        .env_remove("NO_COLOR")
        .env("TERM", term);
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
    // A terminal that says it is dumb shows no escapes either.
    let dumb = on_terminal_of_kind(&site, "triage logs/app.log", false, "dumb");
    assert_eq!(dumb, piped);
}

/// `explain` on a dumb terminal prints instead of starting a pager, which could not work there.
#[test]
fn explain_starts_no_pager_on_a_dumb_terminal() {
    let site = site();
    let pager = site.root.join("pager");
    let mark = site.root.join("pager-ran");
    std::fs::write(&pager, format!("#!/bin/sh\ntouch '{}'\ncat\n", mark.display())).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pager, std::fs::Permissions::from_mode(0o755)).unwrap();
    let shown = format!("env PAGER={} {}", pager.display(), env!("CARGO_BIN_EXE_errorbook"));
    let run = |term: &str| {
        let output = Command::new("script")
            .args(["--quiet", "--return", "--command", &format!("{shown} explain E0308"), "/dev/null"])
            .current_dir(&site.root)
            .env("TERM", term)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let text = run("dumb");
    assert!(text.contains("E0308"), "{text}");
    assert!(!mark.exists(), "a pager ran on a dumb terminal");
    run("xterm-256color");
    assert!(mark.exists(), "the pager runs on a capable terminal");
}

/// Puts `bash` and `python3` that leave a mark when run first on PATH: the snippet checks that
/// start them are for `build` and `check`, not for commands that only look entries up.
#[test]
fn triage_explain_and_mcp_start_no_snippet_checkers() {
    let site = site();
    let file = "content/linux/econnrefused.md";
    let text = site.read(file) + "\n```bash\nsystemctl status app\n```\n\n```python\nprint('up')\n```\n";
    site.write(file, &text);
    let bin = site.root.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let mark = site.root.join("checker-ran");
    for tool in ["bash", "python3"] {
        let path = bin.join(tool);
        std::fs::write(&path, format!("#!/bin/sh\necho {tool} >> '{}'\nexit 0\n", mark.display())).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let run = |args: &[&str], stdin: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_errorbook"));
        command.args(args).current_dir(&site.root).env("PATH", &path);
        command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = command.spawn().unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait().unwrap()
    };
    assert_eq!(run(&["triage", "logs/app.log"], "").code(), Some(0));
    assert_eq!(run(&["explain", "E0308"], "").code(), Some(0));
    assert!(run(&["mcp"], "").success());
    assert!(!mark.exists(), "a checker ran: {:?}", std::fs::read_to_string(&mark));
    // The fake tools are found: `check` starts them.
    run(&["check"], "");
    assert!(std::fs::read_to_string(&mark).unwrap_or_default().contains("bash"), "check runs bash");
}

#[test]
fn text_from_entries_reaches_the_terminal_as_stand_ins() {
    let site = site();
    let file = "content/rust/e0308.md";
    // A title may not hold control characters: the entry is left out, with a note.
    let text = site.read(file).replacen("title: \"E0308", "title: \"\\e]0;pwned\\a E0308", 1);
    site.write(file, &text);
    let coloured = on_terminal(&site, "triage logs/app.log", false);
    assert!(coloured.contains("files with errors were left out"), "{coloured:?}");
    assert!(!coloured.contains("\x1b]0;") && !coloured.contains('\x07'), "{coloured:?}");
    // A bidi control may stand in a title: it reaches the terminal as a stand-in.
    let text = site.read(file).replacen("\\e]0;pwned\\a", "\\u202Epwned", 1);
    site.write(file, &text);
    let coloured = on_terminal(&site, "triage logs/app.log", false);
    assert!(coloured.contains(r"\u{202e}pwned"), "{coloured:?}");
    assert!(!coloured.contains('\u{202e}'), "{coloured:?}");
}

// ---------- The browser's triage against the command's ----------

/// What the browser's engine (`engine-cli.mjs triage`, under node) finds in each log over the
/// built site `public`: per log, `{lines, found: [{href, by, count, lines}]}`. `None`, after
/// saying so, when node is missing outside CI.
fn engine_triage(public: &Path, logs: &[PathBuf]) -> Option<Vec<serde_json::Value>> {
    let logs: Vec<&Path> = logs.iter().map(PathBuf::as_path).collect();
    crate::engine_cli("triage", public, &logs)
}

/// One entry found: `category/slug`, by alias or code, how many lines, the first line numbers.
type Finding = (String, String, u64, Vec<u64>);

/// What `errorbook triage` finds in `log` (a path in the site), and how many lines it read: the
/// JSON output, with how each entry was found taken from the human output.
fn command_triage(site: &SiteTest, log: &str) -> (Vec<Finding>, u64) {
    let json = site.run(&["triage", "--format", "json", log]);
    assert!(json.code == 0 || json.code == 1, "{json:?}");
    let found: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("JSON");
    let human = site.run(&["triage", log]).stdout;
    let by: Vec<(&str, &str)> = human
        .lines()
        .filter(|l| l.starts_with("  ") && l.contains(" · "))
        .map(|l| {
            let entry = l.trim_start().split(" · ").next().unwrap();
            (entry, if l.contains(" by alias: ") { "alias" } else { "code" })
        })
        .collect();
    assert_eq!(by.len(), found.len(), "{human}");
    let read = human.lines().last().and_then(|l| l.split(" found in ").nth(1)).expect("a last line");
    let read: u64 = read.split(' ').next().unwrap().parse().expect("a count of lines");
    let found = found
        .iter()
        .zip(by)
        .map(|(f, (entry, by))| {
            assert_eq!(f["entry"], entry);
            let lines = f["lines"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
            (entry.to_owned(), by.to_owned(), f["count"].as_u64().unwrap(), lines)
        })
        .collect();
    (found, read)
}

/// Builds `site` and requires the engine to find in each log exactly what the command finds;
/// returns what was found in each.
fn engine_agrees(site: &SiteTest, logs: &[&str]) -> Vec<Vec<Finding>> {
    site.run(&["build", "--out", "public"]).success();
    let paths: Vec<PathBuf> = logs.iter().map(|l| site.path(l)).collect();
    let Some(engine) = engine_triage(&site.path("public"), &paths) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    for (log, got) in logs.iter().zip(engine) {
        let (expected, read) = command_triage(site, log);
        let got_found: Vec<Finding> = got["found"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let lines = f["lines"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
                let href = f["href"].as_str().unwrap().trim_end_matches('/').to_owned();
                (href, f["by"].as_str().unwrap().to_owned(), f["count"].as_u64().unwrap(), lines)
            })
            .collect();
        assert_eq!(got["lines"].as_u64(), Some(read), "lines read in {log}");
        if got_found != expected {
            let first = got_found.iter().zip(&expected).position(|(a, b)| a != b);
            panic!(
                "{log}: the engine found\n{got_found:#?}\nthe command found\n{expected:#?}\n(first difference at {first:?})"
            );
        }
        all.push(expected);
    }
    all
}

/// Lines that hold no message of their own, or half of one: timestamps, addresses, ids, paths,
/// numbers, bare codes, words.
fn noise(g: &mut Gen, words: &[String]) -> String {
    const PARTS: [&str; 24] = [
        "2026-06-14T10:12:01.503Z",
        "INFO",
        "WARN",
        "[web-1]",
        "GET /health 200 3ms",
        "10.0.0.1:503",
        "port 503",
        "pid 1045",
        "v2.503.1",
        "took 1.503 s",
        "10:05:03",
        "0x1f3a",
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "/var/log/app.log",
        "request_id=9fceb02d0ae5",
        "status=ok",
        "retry",
        "İSTANBUL",
        "ß",
        "“quoted”",
        "error:",
        "code",
        "exit",
        "HTTP/1.1",
    ];
    let mut line = String::new();
    for _ in 0..1 + g.below(8) {
        if !words.is_empty() && g.below(3) == 0 {
            line.push_str(&words[g.below(words.len())]);
        } else {
            line.push_str(g.pick(&PARTS));
        }
        line.push_str(g.pick(&[" ", " ", ", ", ": ", "\t", "="]));
    }
    line
}

/// A log built from the entries of `public/api/entries.json`: each alias as it is, in capitals,
/// and inside a log line; each code in context and out of it; between them noise, blank lines,
/// CRLF endings and a line longer than the matcher reads.
fn generated_log(site: &SiteTest, seed: u64) -> String {
    let api: serde_json::Value = serde_json::from_str(&site.read("public/api/entries.json")).unwrap();
    let entries = api["entries"].as_array().unwrap();
    let mut g = Gen(seed);
    let words: Vec<String> = entries
        .iter()
        .flat_map(|e| e["aliases"].as_array().unwrap().iter())
        .flat_map(|a| a.as_str().unwrap().split(' ').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let mut lines: Vec<String> = Vec::new();
    for e in entries {
        let code = e["code"].as_str().unwrap();
        let category = e["category"]["name"].as_str().unwrap();
        for alias in e["aliases"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()) {
            lines.push(alias.to_owned());
            lines.push(alias.to_uppercase());
            lines.push(format!(
                "2026/06/14 10:12:0{} [error] 31#31: *{} {alias}, client: 10.0.{}.1",
                g.below(10),
                g.below(999),
                g.below(255)
            ));
            // Half an alias: its phrase is not there.
            let half: Vec<&str> = alias.split(' ').take(alias.split(' ').count() / 2).collect();
            lines.push(format!("{} {}", noise(&mut g, &words), half.join(" ")));
        }
        for context in
            ["status", "error", "exit code", category, "port", "v1.", "id", "HTTP/1.1\"", "x", "returned"]
        {
            lines.push(format!("{}{context} {code} {}", noise(&mut g, &words), noise(&mut g, &[])));
        }
        lines.push(format!("{}{code}", noise(&mut g, &words)));
        lines.push(format!("{}{}", code.to_lowercase(), noise(&mut g, &words)));
    }
    let mut log = String::new();
    for (i, line) in lines.iter().enumerate() {
        for _ in 0..g.below(3) {
            log.push_str(&noise(&mut g, &words));
            log.push_str(if g.below(4) == 0 { "\r\n" } else { "\n" });
        }
        if g.below(9) == 0 {
            log.push('\n');
        }
        log.push_str(line);
        // A repeated line is counted once per line, grouped under its entry.
        if i % 7 == 0 {
            log.push('\n');
            log.push_str(line);
        }
        log.push_str(if g.below(5) == 0 { "\r\n" } else { "\n" });
    }
    // A line longer than the matcher reads, a message at its head and one past the cut.
    // It is cut at 8,192 bytes, inside the "é".
    let first = entries.iter().find_map(|e| e["aliases"].as_array().unwrap().first()).unwrap();
    let first = first.as_str().unwrap();
    log.push_str(&format!("{first} {}é {first}\n", "y".repeat(8192 - first.len() - 2)));
    log.push_str("no newline at the end");
    log
}

#[test]
fn the_browser_engine_finds_in_the_fixture_logs_what_the_command_finds() {
    let site = site();
    site.write("logs/generated.log", &generated_log_after_build(&site, 7));
    let found = engine_agrees(&site, &["logs/app.log", "logs/quiet.log", "logs/generated.log"]);
    if found.is_empty() {
        return; // node is missing, and the test said so
    }
    assert_eq!(found[0].len(), 4, "{:?}", found[0]);
    assert_eq!(found[1], []);
    // Every entry of the fixture is in the generated log.
    assert_eq!(found[2].len(), 10, "{:?}", found[2]);
}

#[test]
fn the_browser_engine_finds_every_demo_entry_in_a_generated_log_as_the_command_does() {
    let site = SiteTest::bundled();
    site.write("generated.log", &generated_log_after_build(&site, 2026));
    let found = engine_agrees(&site, &["generated.log"]);
    if found.is_empty() {
        return;
    }
    let api: serde_json::Value = serde_json::from_str(&site.read("public/api/entries.json")).unwrap();
    let mut ids: Vec<&str> =
        api["entries"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut found: Vec<&str> = found[0].iter().map(|f| f.0.as_str()).collect();
    found.sort_unstable();
    assert_eq!(found, ids);
}

/// [`generated_log`] of `site`, which is built for its entries first.
fn generated_log_after_build(site: &SiteTest, seed: u64) -> String {
    site.run(&["build", "--out", "public"]).success();
    generated_log(site, seed)
}
