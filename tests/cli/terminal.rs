//! Content never sends the terminal a control sequence: `explain` and `check` show control
//! characters of entries as stand-ins, piped and on a terminal with colour on.

use std::process::Command;

use crate::{entry, SiteTest};

/// An entry with escapes in every part `explain` shows that may hold them (YAML turns `\e`,
/// `\a`, `\x9b` and `\u202e` into the characters themselves; one-line texts such as `title` and
/// step titles may not hold control characters at all, so those have only a bidi control).
const HOSTILE: &str = r#"---
code: "503"
title: "T \u202Epwned"
summary: "Summary red and \u202Eesrever."
severity: major
updated: 2026-06-14
quick_fix: "Quick \e]8;;https://evil.example/\aclick\e]8;;\a fix."
steps:
  - title: "Step \u202Eone"
    body: "Body \e[5mblink and `code \e[7m`.\n\n```bash\necho \e[2J\a\rgone\n```\n"
verify:
  - "Verified \e[8m hidden."
---

Body.
"#;

/// The raw characters that must never reach the terminal from content.
const RAW: [char; 4] = ['\x1b', '\x07', '\u{9b}', '\u{202e}'];

/// The stand-ins `explain` shows for them.
const STAND_INS: [&str; 8] = [
    r"T \u{202e}pwned",
    r"\u{202e}esrever",
    r"\e]8;;https://evil.example/\x07click\e]8;;\x07",
    r"Step \u{202e}one",
    r"\e[5mblink",
    r"code \e[7m",
    r"echo \e[2J\x07\rgone",
    r"Verified \e[8m hidden",
];

fn site() -> SiteTest {
    SiteTest::with_files(&[("content/http/503.md", HOSTILE), ("content/http/500.md", &entry("500", ""))])
}

#[track_caller]
fn assert_safe(text: &str) {
    for c in RAW {
        assert!(!text.contains(c), "a raw {c:?} reached the terminal:\n{text}");
    }
}

/// `text` without the colour sequences (SGR: ESC `[` digits and `;` then `m`) errorbook adds.
fn without_colours(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let length = after.find(|c: char| !c.is_ascii_digit() && c != ';').unwrap_or(after.len());
        if after[length..].starts_with('m') {
            rest = &after[length + 1..];
        } else {
            // Not a colour: keep it, so the caller sees it.
            out.push_str("\x1b[");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Runs `errorbook <args>` on a pseudo-terminal (util-linux `script`), so it sees a terminal and
/// colours its output; `PAGER=cat` prints the text as the pager would get it.
fn on_terminal(site: &SiteTest, args: &str) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_errorbook"));
    let output = Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .current_dir(&site.root)
        .env_remove("NO_COLOR")
        .env("PAGER", "cat")
        .env("TERM", "xterm-256color")
        .output()
        .expect("util-linux `script` runs the command on a pseudo-terminal");
    // The terminal turns each newline into CR LF.
    String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n")
}

#[test]
fn explain_shows_control_characters_as_stand_ins_when_piped() {
    let site = site();
    let run = site.run(&["explain", "503"]).success();
    assert_safe(&run.stdout);
    for stand_in in STAND_INS {
        assert!(run.stdout.contains(stand_in), "no `{stand_in}` in\n{}", run.stdout);
    }
    // Only carriage returns from content are stand-ins; the text keeps its lines.
    assert!(!run.stdout.contains('\r'));
    assert!(run.stdout.contains("How to fix it\n-------------\n"), "{}", run.stdout);
}

#[test]
fn explain_shows_control_characters_as_stand_ins_on_a_terminal() {
    let site = site();
    let text = on_terminal(&site, "explain 503");
    assert!(text.contains("\x1b[1m"), "a terminal gets colours:\n{text:?}");
    assert!(text.contains("\x1b[38;2;"), "and highlighted snippets:\n{text:?}");
    let text = without_colours(&text);
    assert_safe(&text);
    for stand_in in STAND_INS {
        assert!(text.contains(stand_in), "no `{stand_in}` in\n{text}");
    }
}

/// An entry with the private-use characters `explain` marks its own styles with, in every part
/// it shows.
const MARKERS: &str = r#"---
code: "503"
title: "T \uE002bold\uE003"
summary: "Summary \uE004dim\uE003 and \uE000\uF8FF."
severity: major
updated: 2026-06-14
quick_fix: "Quick \uE001cyan\uE003 fix."
steps:
  - title: "Step \uE002one"
    body: "Body `code \uE004x` [link](https://example.org/\uE001).\n\n```bash\necho \uE001\n```\n"
verify:
  - "Verified \uE003 done."
---

Body.
"#;

const MARKER_STAND_INS: [&str; 8] = [
    r"T \u{e002}bold\u{e003}",
    r"Summary \u{e004}dim\u{e003} and \u{e000}\u{f8ff}.",
    r"Quick \u{e001}cyan\u{e003} fix.",
    r"Step \u{e002}one",
    r"code \u{e004}x",
    r"(https://example.org/\u{e001})",
    r"echo \u{e001}",
    r"Verified \u{e003} done.",
];

/// Content's own private-use characters are shown as stand-ins, piped and on a terminal, so
/// none becomes one of errorbook's colours or is silently dropped.
#[test]
fn explain_shows_private_use_characters_of_content_as_stand_ins() {
    let site = SiteTest::with_files(&[("content/http/503.md", MARKERS)]);
    let piped = site.run(&["explain", "503"]).success().stdout;
    let terminal = on_terminal(&site, "explain 503");
    assert!(terminal.contains("\x1b[1m"), "a terminal gets colours:\n{terminal:?}");
    // The title is bold, and only its own text: content's markers add no colour of their own.
    assert!(terminal.contains("\x1b[1mT \\u{e002}bold\\u{e003}\x1b[0m\n"), "{terminal:?}");
    assert!(!terminal.contains("\x1b[2mdim"), "{terminal:?}");
    let terminal = without_colours(&terminal);
    for text in [&piped, &terminal] {
        assert!(!text.contains('\x1b'), "{text:?}");
        assert!(!text.chars().any(|c| ('\u{e000}'..='\u{f8ff}').contains(&c)), "{text:?}");
        for stand_in in MARKER_STAND_INS {
            assert!(text.contains(stand_in), "no `{stand_in}` in\n{text}");
        }
    }
}

#[test]
fn explain_lists_of_entries_show_stand_ins() {
    let site = site();
    let run = site.run(&["explain", "504"]).code(2);
    assert_safe(&run.stderr);
    assert!(run.stderr.contains(r"http/503  T \u{202e}pwned"), "{}", run.stderr);
    // The query is quoted back too.
    let run = site.run(&["explain", "50\x1b[2J9"]).code(2);
    assert_safe(&run.stderr);
    assert!(run.stderr.contains(r#"no entry has the code "50\e[2J9""#), "{}", run.stderr);
}

/// An unknown severity whose value holds escapes and a newline that would start a line of its
/// own, looking like another diagnostic.
const FORGED: &str = "severity: \"bl\\e[2J\\aock\\nfake.md:1:1: error: forged\"\n";

#[test]
fn check_quotes_values_with_stand_ins_and_on_one_line() {
    let site = SiteTest::with_files(&[(
        "content/http/500.md",
        &entry("500", FORGED).replace("severity: major\n", ""),
    )]);
    let run = site.run(&["check"]).code(1);
    assert_safe(&run.stdout);
    let quoted = r#""bl\e[2J\x07ock\nfake.md:1:1: error: forged""#;
    assert!(run.stdout.contains(&format!("error: unknown severity {quoted}\n")), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("to use {quoted} across the site")), "the help: {}", run.stdout);
    assert!(!run.stdout.lines().any(|line| line.starts_with("fake.md")), "a forged line:\n{}", run.stdout);

    let text = on_terminal(&site, "check");
    assert!(text.contains("\x1b["), "a terminal gets colours:\n{text:?}");
    let text = without_colours(&text);
    assert_safe(&text);
    assert!(text.contains(&format!("to use {quoted} across the site")), "{text}");
    assert!(!text.lines().any(|line| line.starts_with("fake.md")), "a forged line:\n{text}");
}
