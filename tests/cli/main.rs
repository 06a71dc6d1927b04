//! Integration tests: the real `errorbook` binary on fixture sites.
//!
//! `SiteTest` copies a site into a temporary folder, runs the binary there and reads what it
//! wrote. Snapshots (insta) hold whole pages and diagnostics; update them with
//! `cargo insta review` or `INSTA_UPDATE=always cargo test`.

mod build;
mod check;
#[path = "../support/gen.rs"]
mod gen;
mod llms;
#[path = "../support/engine_cli.rs"]
mod node;
mod output;
mod publish;
mod ranking;
mod scaffold;
mod serve;
mod terminal;
mod triage;
mod urls;
mod vars;

use std::path::{Path, PathBuf};
use std::process::Command;

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A site in a temporary folder.
pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// What a run of the binary printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(self, expected: i32) -> Run {
        assert_eq!(
            self.code, expected,
            "unexpected exit status\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl SiteTest {
    fn in_temp() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        (dir, root)
    }

    /// The bundled demo site of the repository (content, templates, static).
    pub fn bundled() -> SiteTest {
        let (dir, root) = Self::in_temp();
        for part in ["site.yaml", "content", "templates", "static"] {
            copy(&Path::new(REPO).join(part), &root.join(part));
        }
        SiteTest { _dir: dir, root }
    }

    /// `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let (dir, root) = Self::in_temp();
        copy(&Path::new(REPO).join("tests/fixtures").join(name), &root);
        SiteTest { _dir: dir, root }
    }

    /// A site with only a site.yaml and the given files.
    pub fn with_files(files: &[(&str, &str)]) -> SiteTest {
        let (dir, root) = Self::in_temp();
        let test = SiteTest { _dir: dir, root };
        test.write(
            "site.yaml",
            "title: Test KB\nbase_url: https://example.org/\ncategories:\n  http: { name: HTTP }\n",
        );
        for (path, text) in files {
            test.write(path, text);
        }
        test
    }

    pub fn write(&self, path: &str, text: &str) -> &Self {
        self.write_bytes(path, text.as_bytes())
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) -> &Self {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn read(&self, path: &str) -> String {
        let path = self.root.join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("failed to read {}: {e}", path.display()))
    }

    /// A path inside the site's folder.
    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path)
    }

    pub fn exists(&self, path: &str) -> bool {
        self.root.join(path).exists()
    }

    /// Runs `errorbook <args>` in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs `errorbook <args>` with environment variables set (or replaced).
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_errorbook"))
            .args(args)
            .current_dir(&self.root)
            .env_remove("NO_COLOR")
            .env("ERRORBOOK_LOG", "")
            // Review dates are judged against this day (2026-12-02), not the calendar.
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .envs(env.iter().copied())
            .output()
            .expect("run errorbook");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs `errorbook <args>` in the site's folder with `input` on standard input.
    pub fn run_with_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_errorbook"))
            .args(args)
            .current_dir(&self.root)
            .env_remove("NO_COLOR")
            .env("ERRORBOOK_LOG", "")
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run errorbook");
        let mut stdin = child.stdin.take().unwrap();
        let input = input.to_vec();
        // Written from another thread, so a child that stops reading early cannot block us.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().expect("wait for errorbook");
        writer.join().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Every file under `dir` with its bytes, sorted by path.
    pub fn tree(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        let base = self.root.join(dir);
        let mut files: Vec<(String, Vec<u8>)> = walkdir(&base)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(&base).unwrap().to_string_lossy().replace('\\', "/"),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(items) = std::fs::read_dir(dir) else { return out };
    for item in items.flatten() {
        let path = item.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for item in std::fs::read_dir(from).unwrap().flatten() {
            copy(&item.path(), &to.join(item.file_name()));
        }
    } else if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// The text of the first element `<tag ... id="id"` … up to the closing tag is not parsed;
/// tests look at positions of markers instead.
pub fn position(haystack: &str, needle: &str) -> usize {
    haystack.find(needle).unwrap_or_else(|| panic!("`{needle}` not found in the page"))
}

/// The hrefs the browser's search engine returns for each query of `queries` (a JSON file of
/// `[query, options]` pairs), run under node over the built site `public`; `None`, after saying
/// so, when node is missing outside CI.
pub fn engine_search(public: &Path, queries: &Path) -> Option<Vec<Vec<String>>> {
    engine_cli("search", public, &[queries])
}

/// Runs `node tests/js/engine-cli.mjs COMMAND SITE ARGS...` over the built site `public` and
/// reads the JSON it prints; `None`, after saying so, when node is missing outside CI.
pub fn engine_cli<T: serde::de::DeserializeOwned>(command: &str, public: &Path, args: &[&Path]) -> Option<T> {
    let mut argv: Vec<&std::ffi::OsStr> = vec![command.as_ref(), public.as_os_str()];
    argv.extend(args.iter().map(|a| a.as_os_str()));
    let stdout = node::run(&argv)?;
    Some(serde_json::from_str(&stdout).expect("the engine prints JSON"))
}

/// 2026-12-02T00:00:00Z: "today" for every run, so review dates give the same answer any day.
pub const TODAY_EPOCH: &str = "1796169600";

/// A minimal valid entry with the given extra front matter lines.
pub fn entry(code: &str, extra: &str) -> String {
    format!(
        "---\ncode: \"{code}\"\ntitle: Error {code}\nsummary: What {code} means.\nseverity: major\nupdated: 2026-06-14\nsteps:\n  - title: Fix it\n    body: Do the thing.\nverify:\n  - It works.\n{extra}---\n\nBody of {code}.\n"
    )
}

/// The text of an HTML page with tags removed and whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
