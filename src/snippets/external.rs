//! Syntax checks that need another program: shell with `bash -n`, Python with `python3`'s own
//! parser (`ast.parse`, which compiles nothing and runs nothing). Neither program executes a
//! line of a snippet.
//!
//! A build hands every such snippet of the site over at once, so a site of any size starts a
//! handful of processes: all shell snippets are parsed by one `bash -n`, each wrapped in a
//! subshell so no snippet's open `if` or `(` reaches into the next; only when that run finds a
//! problem is the batch split in halves until each broken snippet is parsed on its own, for
//! bash's message and line. Snippets whose quotes or here-documents do not close (found by
//! `shell`) are parsed on their own from the start. Python snippets go to one `python3`
//! process as JSON. Results are kept by the snippet's text for the rest of the process, so
//! the preview server parses a snippet once however often it rebuilds.

use std::collections::HashMap;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock, PoisonError};

use super::langs::Problem;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tool {
    Bash,
    Python,
}

/// Results by tool and text. Bounded: a long preview session starts over past this many.
const MEMO_LIMIT: usize = 200_000;

type Results = HashMap<(Tool, String), Option<Problem>>;

fn memo() -> &'static Mutex<Results> {
    static MEMO: OnceLock<Mutex<Results>> = OnceLock::new();
    MEMO.get_or_init(Mutex::default)
}

/// Whether the program runs here at all; asked once per process.
fn available(tool: Tool) -> bool {
    static BASH: OnceLock<bool> = OnceLock::new();
    static PYTHON: OnceLock<bool> = OnceLock::new();
    let (cell, program, args): (_, _, &[&str]) = match tool {
        Tool::Bash => (&BASH, "bash", &["--noprofile", "--norc", "-n", "-c", ":"]),
        Tool::Python => (&PYTHON, "python3", &["-I", "-c", "pass"]),
    };
    *cell.get_or_init(|| {
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Whether snippets of `tool` are checked on this machine (docs/snippets.md says what is
/// skipped when a program is missing).
#[cfg(test)]
pub fn can_check(tool: Tool) -> bool {
    available(tool)
}

/// A script to check, and whether it must be parsed on its own (it leaves a quote or a
/// here-document open).
pub struct Script {
    pub text: String,
    pub standalone: bool,
}

/// The problem of each script (the first one the parser meets), in the order given; `None`
/// for a script that parses.
pub fn check(tool: Tool, scripts: &[Script]) -> Vec<Option<Problem>> {
    if scripts.is_empty() || !available(tool) {
        return vec![None; scripts.len()];
    }
    let mut unique: Vec<(&str, bool)> = Vec::new();
    {
        let memo = memo().lock().unwrap_or_else(PoisonError::into_inner);
        let mut seen = std::collections::HashSet::new();
        for Script { text: script, standalone } in scripts {
            if !memo.contains_key(&(tool, script.clone())) && seen.insert(script.as_str()) {
                unique.push((script, *standalone));
            }
        }
    }
    if !unique.is_empty() {
        let results = match tool {
            Tool::Bash => bash_all(&unique),
            Tool::Python => python_all(&unique),
        };
        let mut memo = memo().lock().unwrap_or_else(PoisonError::into_inner);
        if memo.len() + results.len() > MEMO_LIMIT {
            memo.clear();
        }
        for ((script, _), result) in unique.iter().zip(results) {
            memo.insert((tool, (*script).to_owned()), result);
        }
    }
    let memo = memo().lock().unwrap_or_else(PoisonError::into_inner);
    scripts.iter().map(|script| memo.get(&(tool, script.text.clone())).cloned().flatten()).collect()
}

/// How bash parses a snippet: no profile or rc files, parse only, and with `extglob` on, since
/// `bash -n` runs no `shopt -s extglob` and a later `!(x)` would otherwise not parse.
const BASH_PARSE_ARGS: [&str; 5] = ["--noprofile", "--norc", "-O", "extglob", "-n"];

/// Scripts per `bash -n` run when all of them parse; batches run side by side.
const BATCH: usize = 256;

fn bash_all(scripts: &[(&str, bool)]) -> Vec<Option<Problem>> {
    use rayon::prelude::*;
    let mut results = vec![None; scripts.len()];
    let (alone, together): (Vec<usize>, Vec<usize>) = (0..scripts.len()).partition(|&i| scripts[i].1);
    let batches: Vec<&[usize]> = together.chunks(BATCH).collect();
    let found: Vec<Vec<(usize, Option<Problem>)>> = batches
        .par_iter()
        .map(|batch| {
            let mut out = Vec::new();
            bisect(scripts, batch, &mut out);
            out
        })
        .chain(alone.par_iter().map(|&i| vec![(i, bash_one(scripts[i].0))]))
        .collect();
    for (i, problem) in found.into_iter().flatten() {
        results[i] = problem;
    }
    results
}

/// Parses `batch` together; when that fails, each half on its own, down to single scripts.
fn bisect(scripts: &[(&str, bool)], batch: &[usize], out: &mut Vec<(usize, Option<Problem>)>) {
    if let [only] = batch {
        out.push((*only, bash_one(scripts[*only].0)));
        return;
    }
    let mut joined = String::new();
    for &i in batch {
        joined.push_str("(\n");
        joined.push_str(scripts[i].0);
        joined.push_str("\n)\n");
    }
    if bash(&joined).is_none() {
        out.extend(batch.iter().map(|&i| (i, None)));
        return;
    }
    let (left, right) = batch.split_at(batch.len() / 2);
    bisect(scripts, left, out);
    bisect(scripts, right, out);
}

fn bash_one(script: &str) -> Option<Problem> {
    let stderr = bash(script)?;
    bash_problem(&stderr, script).or_else(|| Some(Problem::new(1, 1, "bash -n refused the script")))
}

/// Runs `bash -n` on `script`; its messages when it finds a problem.
fn bash(script: &str) -> Option<String> {
    let (ok, _, stderr) = run("bash", &BASH_PARSE_ARGS, script.as_bytes())?;
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    (!ok || !stderr.trim().is_empty()).then_some(stderr)
}

/// `bash: line 3: syntax error near unexpected token `fi'` as a problem at line 3, at the
/// token when it can be found on that line.
fn bash_problem(stderr: &str, script: &str) -> Option<Problem> {
    let first = stderr.lines().find(|l| !l.trim().is_empty())?;
    let rest = first.strip_prefix("bash: ").unwrap_or(first);
    let (line, message) = match rest.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((number, message)) => (number.trim().parse().unwrap_or(1), message.to_owned()),
        None => (1, rest.to_owned()),
    };
    let line: usize = line;
    let message = message.replace('\'', "`").replace("``", "`");
    let text = script.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let token = message.split('`').nth(1).filter(|t| !t.is_empty());
    let at = token.and_then(|t| text.find(t).map(|i| (i, t.chars().count())));
    let (byte, len) = at.unwrap_or((text.len() - text.trim_start().len(), 1));
    let column = text.get(..byte).map_or(1, |before| before.chars().count() + 1);
    let mut problem = Problem::new(line, column, message.clone());
    problem.len = len;
    Some(problem)
}

/// Runs a program with `input` on stdin, in a clean environment; whether it succeeded, its
/// stdout and its stderr. `None` when it cannot be started or waited for.
fn run(program: &str, args: &[&str], input: &[u8]) -> Option<(bool, Vec<u8>, Vec<u8>)> {
    let mut child = Command::new(program)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = input.to_vec();
    // Written from another thread so a program that answers before reading all never blocks us.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().ok()?;
    let _ = writer.join();
    Some((output.status.success(), output.stdout, output.stderr))
}

/// Reads a JSON list of sources from stdin and prints, for each, `null` or `[line, column,
/// message]`. `ast.parse` only parses: nothing is compiled to bytecode or run.
const PYTHON_CHECKER: &str = r#"
import ast, json, sys, warnings
warnings.simplefilter("ignore")
out = []
for source in json.load(sys.stdin):
    try:
        ast.parse(source)
        out.append(None)
    except SyntaxError as e:
        out.append([e.lineno or 1, e.offset or 1, e.msg])
    except (ValueError, RecursionError, MemoryError) as e:
        out.append([1, 1, str(e)])
json.dump(out, sys.stdout)
"#;

fn python_all(scripts: &[(&str, bool)]) -> Vec<Option<Problem>> {
    let sources: Vec<&str> = scripts.iter().map(|(s, _)| *s).collect();
    let input = serde_json::to_vec(&sources).unwrap_or_default();
    let results: Option<Vec<Option<(usize, usize, String)>>> =
        run("python3", &["-I", "-c", PYTHON_CHECKER], &input).and_then(|(ok, stdout, _)| {
            if ok {
                serde_json::from_slice(&stdout).ok()
            } else {
                None
            }
        });
    match results {
        Some(results) if results.len() == scripts.len() => results
            .into_iter()
            .map(|r| r.map(|(line, column, message)| Problem::new(line, column, message)))
            .collect(),
        _ => vec![None; scripts.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(tool: Tool, scripts: &[&str]) -> Vec<Option<String>> {
        let scripts: Vec<Script> =
            scripts.iter().map(|s| Script { text: (*s).to_owned(), standalone: false }).collect();
        check(tool, &scripts)
            .into_iter()
            .map(|p| p.map(|p| format!("{}:{}: {}", p.line, p.column, p.message)))
            .collect()
    }

    #[test]
    fn bash_finds_each_broken_script_in_a_batch() {
        if !can_check(Tool::Bash) {
            return;
        }
        let mut scripts = vec!["echo ok"; 40];
        scripts[7] = "if true; then\n  echo x\n";
        scripts[30] = "echo a\nfi\n";
        scripts[31] = "case x in\n  a) echo;;\nesac\nfor f in *; do echo \"$f\"; done";
        let found = problems(Tool::Bash, &scripts);
        assert_eq!(found[7].as_deref(), Some("3:1: syntax error: unexpected end of file"));
        assert_eq!(found[30].as_deref(), Some("2:1: syntax error near unexpected token `fi`"));
        assert_eq!(found.iter().filter(|p| p.is_some()).count(), 2, "{found:?}");
    }

    #[test]
    fn bash_parses_extglob_patterns() {
        if !can_check(Tool::Bash) {
            return;
        }
        let found = problems(Tool::Bash, &["shopt -s extglob\nrm -rf !(keep.txt)\n", "echo ok"]);
        assert_eq!(found, [None, None]);
        // Alone, too, so the batch and the single runs agree.
        assert_eq!(bash_one("shopt -s extglob\nls !(x)\n"), None);
    }

    #[test]
    fn bash_never_runs_a_snippet() {
        if !can_check(Tool::Bash) {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("ran");
        let script = format!(")\ntouch {}\n(", marker.display());
        problems(Tool::Bash, &[&script, "echo fine"]);
        assert!(!marker.exists(), "a snippet was run");
    }

    #[test]
    fn python_parses_without_running() {
        if !can_check(Tool::Python) {
            return;
        }
        let found = problems(
            Tool::Python,
            &["import os\nos.system('touch /tmp/x')\n", "print 'x'\n", "def f(:\n  pass\n"],
        );
        assert_eq!(found[0], None);
        assert!(found[1].as_deref().is_some_and(|p| p.starts_with("1:1: Missing parentheses")), "{found:?}");
        assert!(found[2].as_deref().is_some_and(|p| p.starts_with("1:7:")), "{found:?}");
    }
}
