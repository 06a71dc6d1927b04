//! Snippet checks: the commands and files a reader pastes mid-incident are parsed, and the
//! ones that delete data, change production or print secrets are pointed out.
//!
//! For every fenced block of an entry (the body and every Markdown field), [`check_entry`]
//! parses the code in its language (`langs`, or `external` for shell and Python), finds its
//! commands (`shell`) and matches them against the destructive-command rule table and the
//! secret-printing rules (`rules`). Each problem is a warning at its line and column in the
//! entry file. The checks that need another program are collected as [`Pending`] and run for
//! the whole site at once by [`check_pending`]. docs/snippets.md describes every check.
//!
//! Invariant: renders nothing and runs no snippet; the same snippet is parsed once per
//! process (the preview rebuilds with the parse cache of `content`, and `external` keeps its
//! results by text).

mod external;
mod langs;
mod rules;
pub mod settings;

use std::collections::BTreeSet;

use crate::fence::{console, shell, Info, ReasonProblem};
pub use rules::{BuiltInRule, Rule, BUILT_IN};
pub use settings::Settings;

use crate::diagnostics::{Diagnostic, Span};
use crate::markdown::Vars;
use external::Tool;
use langs::Problem;

/// A fenced block as the Markdown scan found it: the file line its Markdown text starts on
/// (for a front-matter field, the line of its key), its info string and its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fenced {
    pub text_line: usize,
    pub info: String,
    pub code: String,
}

/// Where each line of a block's code is written in the entry file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    /// The language word of the fence (or the start of the text, when the block could not be
    /// found in the file as written, such as in a quoted YAML string).
    fence: Span,
    /// For code line `i`: the file line and how many characters come before the code's first
    /// column there.
    lines: Vec<Option<(usize, usize)>>,
    /// For code line `i` of a block checked with its placeholders' defaults filled in: each
    /// value's column (1-based, in the filled line), its length and the length of the
    /// placeholder written in its place, in characters, in order.
    values: Vec<Vec<(usize, usize, usize)>>,
}

impl Place {
    /// The span of `len` characters at `line` and `column` (1-based) of the code.
    fn at(&self, line: usize, column: usize, len: usize) -> Span {
        let (column, len) = self.as_written(line, column, len);
        match self.lines.get(line.wrapping_sub(1)).copied().flatten() {
            Some((file_line, before)) => Span::new(file_line, before + column.max(1), len),
            // A parser that stops at the end of the code points past its last line: the closing fence.
            None if line > self.lines.len() => match self.lines.last().copied().flatten() {
                Some((file_line, before)) => Span::new(file_line + line - self.lines.len(), before + 1, len),
                None => self.fence,
            },
            None => self.fence,
        }
    }
}

impl Place {
    /// A column of a filled-in line as the file writes it: after a value, moved by what the
    /// placeholder and the value differ in length; inside a value, the placeholder.
    fn as_written(&self, line: usize, column: usize, len: usize) -> (usize, usize) {
        let Some(values) = self.values.get(line.wrapping_sub(1)) else {
            return (column, len);
        };
        let mut delta: isize = 0;
        for &(at, value, written) in values {
            if column >= at + value {
                delta += written as isize - value as isize;
            } else if column >= at {
                return ((at as isize + delta).max(1) as usize, written);
            } else {
                break;
            }
        }
        ((column as isize + delta).max(1) as usize, len)
    }
}

/// For each line of `filled`, where its values stand, for [`Place::values`].
fn value_columns(filled: &crate::markdown::vars::Filled) -> Vec<Vec<(usize, usize, usize)>> {
    let mut lines: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); filled.code.lines().count().max(1)];
    for crate::markdown::vars::FilledValue { range, name } in &filled.values {
        let before = &filled.code[..range.start];
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let at = filled.code[line_start..range.start].chars().count() + 1;
        let value = filled.code[range.clone()].chars().count();
        if let Some(columns) = lines.get_mut(line) {
            columns.push((at, value, name.chars().count() + 4));
        }
    }
    lines
}

/// Finds blocks in the file: each is handed out once, so two identical blocks get their own lines.
struct Locator<'a> {
    lines: Vec<&'a str>,
    used: BTreeSet<usize>,
}

impl<'a> Locator<'a> {
    fn new(source: &'a str) -> Self {
        Locator { lines: source.lines().collect(), used: BTreeSet::new() }
    }

    fn place(&mut self, block: &Fenced) -> Place {
        let code: Vec<&str> = block.code.lines().collect();
        let info = block.info.trim();
        let start = block.text_line.saturating_sub(1);
        for index in start..self.lines.len() {
            let line = self.lines[index];
            let trimmed = fence_part(line);
            let fence = trimmed.chars().take_while(|c| *c == '`' || *c == '~').count();
            if fence < 3 || trimmed[fence..].trim() != info || self.used.contains(&index) {
                continue;
            }
            let indent = line.chars().count() - trimmed.chars().count();
            let fits = code.iter().enumerate().all(|(i, code_line)| {
                self.lines.get(index + 1 + i).is_some_and(|file_line| {
                    if code_line.trim().is_empty() {
                        file_line.trim().is_empty() || file_line.ends_with(code_line)
                    } else {
                        file_line.ends_with(code_line)
                    }
                })
            });
            if !fits {
                continue;
            }
            self.used.insert(index);
            let after_fence = &trimmed[fence..];
            let spaces = after_fence.len() - after_fence.trim_start().len();
            let lang_len = info.split([' ', ',', '{', '\t']).next().unwrap_or("").chars().count();
            let fence_span = Span::new(index + 1, indent + fence + spaces + 1, lang_len);
            let lines = code
                .iter()
                .enumerate()
                .map(|(i, code_line)| {
                    let file_line = self.lines[index + 1 + i];
                    let before = if code_line.is_empty() {
                        indent
                    } else {
                        file_line.chars().count() - code_line.chars().count()
                    };
                    Some((index + 2 + i, before))
                })
                .collect();
            return Place { fence: fence_span, lines, values: Vec::new() };
        }
        Place { fence: Span::new(block.text_line.max(1), 1, 0), lines: Vec::new(), values: Vec::new() }
    }
}

/// A line without what may stand before a fence: indentation, blockquote markers (`> `) and
/// a list item's bullet (`- `, `* `, `+ `).
fn fence_part(line: &str) -> &str {
    let mut rest = line.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix('>') {
            rest = after.trim_start();
        } else if let Some(after) = ["- ", "* ", "+ "].iter().find_map(|bullet| rest.strip_prefix(bullet)) {
            rest = after.trim_start();
        } else {
            return rest;
        }
    }
}

/// Checks that need another program, for [`check_pending`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    jobs: Vec<Job>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Job {
    file: String,
    tool: Tool,
    label: String,
    script: String,
    /// The script cannot be parsed together with others (a quote or here-document stays open).
    standalone: bool,
    place: Place,
}

/// What a block's language is, for checking.
enum Kind {
    Yaml,
    Json,
    Toml,
    Ini,
    Hcl,
    Sql,
    Dockerfile,
    Nginx,
    Python,
    Shell {
        bash: bool,
    },
    Console,
    /// `text`, `log`, `diff`, output and every language without a checker.
    Exempt,
}

fn kind(lang: &str) -> Kind {
    match lang {
        "yaml" | "yml" => Kind::Yaml,
        "json" => Kind::Json,
        "toml" => Kind::Toml,
        "ini" => Kind::Ini,
        "hcl" | "terraform" | "tf" => Kind::Hcl,
        "sql" | "postgresql" | "postgres" | "psql" | "pgsql" | "mysql" | "sqlite" | "tsql" => Kind::Sql,
        "dockerfile" | "docker" | "containerfile" => Kind::Dockerfile,
        "nginx" => Kind::Nginx,
        "python" | "py" | "python3" => Kind::Python,
        "bash" | "sh" | "shell" => Kind::Shell { bash: true },
        "zsh" => Kind::Shell { bash: false },
        "console" | "shell-session" => Kind::Console,
        _ => Kind::Exempt,
    }
}

/// Checks every fenced block of one entry; problems found in-process go to `diagnostics`, the
/// checks that need another program come back as [`Pending`].
pub fn check_entry(
    file: &str,
    category: &str,
    source: &str,
    blocks: &[Fenced],
    settings: &Settings,
    vars: &Vars,
    diagnostics: &mut Vec<Diagnostic>,
) -> Pending {
    let mut locator = Locator::new(source);
    let mut pending = Pending::default();
    for block in blocks {
        let mut place = locator.place(block);
        let info = Info::parse(&block.info);
        if let Some(problem) = &info.problem {
            diagnostics.push(fence_problem(file, &place, problem));
        }
        // A block is checked as readers copy it unless they type their own values: with the
        // defaults of its placeholders (an undeclared one, an error of its own, by its name).
        match crate::markdown::vars::fill_code_or_name(&block.code, vars) {
            Some(filled) => {
                place.values = value_columns(&filled);
                let block = Fenced { code: filled.code, ..block.clone() };
                check_block(file, category, &block, &info, &place, settings, diagnostics, &mut pending);
            }
            None => check_block(file, category, block, &info, &place, settings, diagnostics, &mut pending),
        }
    }
    pending
}

/// A warning at the fence about its info string.
fn fence_problem(file: &str, place: &Place, problem: &ReasonProblem) -> Diagnostic {
    Diagnostic::warning(file, place.fence, format!("code fence: {}", problem.message))
        .with_help(problem.help.clone())
}

#[allow(clippy::too_many_arguments)]
fn check_block(
    file: &str,
    category: &str,
    block: &Fenced,
    info: &Info,
    place: &Place,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
    pending: &mut Pending,
) {
    let lang = info.lang_lower();
    let code = block.code.as_str();
    let check = !info.nocheck;
    let problems = match kind(&lang) {
        Kind::Exempt => return,
        Kind::Yaml if check => langs::yaml(code),
        Kind::Json if check => langs::json(code),
        Kind::Toml if check => langs::toml(code),
        Kind::Ini if check => langs::ini(code),
        Kind::Hcl if check => langs::hcl(code),
        Kind::Dockerfile if check => langs::dockerfile(code),
        Kind::Nginx if check => langs::nginx(code),
        Kind::Sql => {
            let dialect = langs::sql_dialect(&lang, &info.hints, category);
            sql_rules(file, &lang, code, dialect, info, place, diagnostics);
            if check {
                langs::sql(code, dialect)
            } else {
                Vec::new()
            }
        }
        Kind::Python if check => {
            pending.jobs.push(Job {
                file: file.to_owned(),
                tool: Tool::Python,
                label: lang.clone(),
                script: code.to_owned(),
                standalone: false,
                place: place.clone(),
            });
            Vec::new()
        }
        Kind::Shell { bash } => {
            let script = shell::parse(code);
            shell_rules(file, &lang, &script, info, place, settings, diagnostics);
            if check && bash {
                pending.jobs.push(Job {
                    file: file.to_owned(),
                    tool: Tool::Bash,
                    label: lang.clone(),
                    script: code.to_owned(),
                    standalone: script.unclosed.is_some(),
                    place: place.clone(),
                });
            }
            Vec::new()
        }
        Kind::Console => {
            let (text, map) = console_commands(code);
            let script_place = Place {
                fence: place.fence,
                lines: map
                    .iter()
                    .map(|(line, shift)| {
                        place.lines.get(*line).copied().flatten().map(|(l, b)| (l, b + shift))
                    })
                    .collect(),
                values: map
                    .iter()
                    .map(|(line, shift)| {
                        let columns = place.values.get(*line).map(Vec::as_slice).unwrap_or_default();
                        columns
                            .iter()
                            .map(|&(at, value, written)| (at.saturating_sub(*shift).max(1), value, written))
                            .collect()
                    })
                    .collect(),
            };
            let script = shell::parse(&text);
            shell_rules(file, &lang, &script, info, &script_place, settings, diagnostics);
            if check && !text.trim().is_empty() {
                pending.jobs.push(Job {
                    file: file.to_owned(),
                    tool: Tool::Bash,
                    label: lang.clone(),
                    script: text,
                    standalone: script.unclosed.is_some(),
                    place: script_place,
                });
            }
            Vec::new()
        }
        _ => Vec::new(),
    };
    for problem in problems {
        diagnostics.push(problem_diagnostic(file, &lang, &problem, place));
    }
}

fn problem_diagnostic(file: &str, lang: &str, problem: &Problem, place: &Place) -> Diagnostic {
    let help = problem.help.clone().unwrap_or_else(|| {
        format!("fix the snippet so readers can paste it as it is; mark a deliberately partial block with `nocheck`, like ```{lang} nocheck")
    });
    Diagnostic::warning(
        file,
        place.at(problem.line, problem.column, problem.len),
        format!("{lang} snippet: {}", problem.message),
    )
    .with_help(help)
}

/// The commands of a console session (see [`console`]) as a script. Returns the script and,
/// for each of its lines, the code line it comes from and the width of the prompt.
fn console_commands(code: &str) -> (String, Vec<(usize, usize)>) {
    let mut script = String::new();
    let mut map = Vec::new();
    for (index, line) in console::lines(code).iter().enumerate() {
        let Some(command) = line.command() else { continue };
        script.push_str(command);
        script.push('\n');
        map.push((index, line.bare.len() - command.len()));
    }
    (script, map)
}

/// The text of a command for messages: its words, shortened.
fn command_text(words: &[shell::Word]) -> String {
    let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{}…", short.trim_end())
    } else {
        text
    }
}

fn danger_help(lang: &str, reason: &str) -> String {
    format!(
        "if readers should run it, mark the block ```{lang} danger=\"{reason}\"; the page then warns them and asks for a second press to copy"
    )
}

fn shell_rules(
    file: &str,
    lang: &str,
    script: &shell::Script,
    info: &Info,
    place: &Place,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut destructive: Option<(String, usize)> = None;
    let mut read_only = false;
    let found = rules::commands(script);
    for command in &found {
        let first = &command.words[0];
        let span = place.at(first.line, first.column, first.len);
        if let Some(rule) = rules::destructive(&command.words, settings.rules()) {
            let text = command_text(&command.words);
            if info.danger.is_none() {
                diagnostics.push(
                    Diagnostic::warning(
                        file,
                        span,
                        format!("`{text}` {}, in a block not marked `danger`", rule.reason),
                    )
                    .with_label("destructive")
                    .with_help(danger_help(lang, &rule.reason)),
                );
            }
            destructive.get_or_insert((text, span.line));
        } else if command.piped_to.is_none() && rules::is_read_only(&command.words) {
            // A command piped into another is part of that pipeline (`ls | xargs rm -rf` is
            // one destructive command), not a check of its own.
            read_only = true;
        }
        if let Some(secret) = rules::prints_secrets(command) {
            diagnostics.push(
                Diagnostic::warning(file, span, secret.what).with_label("prints secrets").with_help(format!(
                    "use a form that keeps the values off screens and out of terminal logs: {}",
                    secret.help
                )),
            );
        }
        if let Some(sql) = &command.sql {
            let langs::SqlStatements { findings, read_only: sql_read_only } =
                langs::sql_statements(&sql.text, sql.dialect);
            read_only |= sql_read_only;
            // SQL in one word is reported once, at the client; a here-document at each statement.
            let shown = if matches!(sql.at, rules::At::Word(_)) {
                &findings[..findings.len().min(1)]
            } else {
                &findings[..]
            };
            for finding in shown {
                let rules::ScriptSpan { line, column, len } =
                    sql.at.position(finding.line, finding.column, finding.len);
                let span = place.at(line, column, len);
                if info.danger.is_none() {
                    diagnostics.push(
                        Diagnostic::warning(
                            file,
                            span,
                            format!(
                                "`{}` runs {}, which {}, in a block not marked `danger`",
                                sql.client, finding.what, finding.reason
                            ),
                        )
                        .with_label("destructive")
                        .with_help(danger_help(lang, finding.reason)),
                    );
                }
                destructive.get_or_insert((command_text(&command.words), span.line));
            }
        }
    }
    if let (Some((text, line)), true) = (destructive, read_only) {
        diagnostics.push(mixed(file, place, &text, line));
    }
}

fn mixed(file: &str, place: &Place, text: &str, line: usize) -> Diagnostic {
    Diagnostic::warning(
        file,
        place.fence,
        format!("block mixes read-only checks with a destructive change (`{text}` on line {line})"),
    )
    .with_help("split it: keep the checks in one block and put the change in a block of its own marked `danger`, so a reader who copies the checks never runs the change")
}

fn sql_rules(
    file: &str,
    lang: &str,
    code: &str,
    dialect: &str,
    info: &Info,
    place: &Place,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let langs::SqlStatements { findings, read_only } = langs::sql_statements(code, dialect);
    if info.danger.is_none() {
        for finding in &findings {
            diagnostics.push(
                Diagnostic::warning(
                    file,
                    place.at(finding.line, finding.column, finding.len),
                    format!("`{}` {}, in a block not marked `danger`", finding.what, finding.reason),
                )
                .with_label("destructive")
                .with_help(danger_help(lang, finding.reason)),
            );
        }
    }
    if let (Some(first), true) = (findings.first(), read_only) {
        let line = place.at(first.line, first.column, 0).line;
        diagnostics.push(mixed(file, place, &first.what, line));
    }
}

/// Runs the checks that need another program for every entry at once, and returns their
/// problems as diagnostics.
pub fn check_pending<'a>(pending: impl IntoIterator<Item = &'a Pending>) -> Vec<Diagnostic> {
    let jobs: Vec<&Job> = pending.into_iter().flat_map(|p| p.jobs.iter()).collect();
    let mut diagnostics = Vec::new();
    for tool in [Tool::Bash, Tool::Python] {
        let of_tool: Vec<&Job> = jobs.iter().copied().filter(|j| j.tool == tool).collect();
        let scripts: Vec<external::Script> = of_tool
            .iter()
            .map(|j| external::Script { text: j.script.clone(), standalone: j.standalone })
            .collect();
        for (job, problem) in of_tool.iter().zip(external::check(tool, &scripts)) {
            if let Some(problem) = problem {
                diagnostics.push(problem_diagnostic(&job.file, &job.label, &problem, &job.place));
            }
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagnostics of an entry file whose blocks are `blocks` (text line, info, code).
    fn check(source: &str, blocks: &[(usize, &str, &str)], settings: &Settings) -> Vec<String> {
        let blocks: Vec<Fenced> = blocks
            .iter()
            .map(|(line, info, code)| Fenced {
                text_line: *line,
                info: (*info).to_owned(),
                code: (*code).to_owned(),
            })
            .collect();
        let mut diagnostics = Vec::new();
        let pending =
            check_entry("content/x/y.md", "x", source, &blocks, settings, &Vars::default(), &mut diagnostics);
        diagnostics.extend(check_pending([&pending]));
        crate::diagnostics::sorted(diagnostics)
            .iter()
            .map(|d| format!("{}:{}: {}", d.span.line, d.span.column, d.message))
            .collect()
    }

    #[test]
    fn places_blocks_of_front_matter_fields_at_their_lines() {
        let source = "---\nquick_fix: |\n  Run:\n\n  ```yaml\n  a: [1\n  ```\nsteps:\n  - title: T\n    body: |\n      ```yaml\n      a: [1\n      ```\n---\n";
        assert_eq!(
            check(source, &[(2, "yaml", "a: [1\n"), (8, "yaml", "a: [1\n")], &Settings::default()),
            [
                "7:3: yaml snippet: did not find expected ',' or ']'",
                "13:7: yaml snippet: did not find expected ',' or ']'"
            ]
        );
    }

    #[test]
    fn places_blocks_in_blockquotes_and_list_items_at_their_lines() {
        let source =
            "---\n---\nIntro.\n\n> Careful:\n>\n> ```yaml\n> a: [1\n> ```\n\n- ```yaml\n  b: [2\n  ```\n";
        assert_eq!(
            check(source, &[(3, "yaml", "a: [1\n"), (3, "yaml", "b: [2\n")], &Settings::default()),
            [
                "9:3: yaml snippet: did not find expected ',' or ']'",
                "13:3: yaml snippet: did not find expected ',' or ']'"
            ]
        );
    }

    #[test]
    fn console_commands_keep_their_columns() {
        let (script, map) = console_commands("$ ls \\\n  -la\nout\n# rm -rf /x\n$ cat <<EOF\nbody\nEOF\n");
        assert_eq!(script, "ls \\\n  -la\nrm -rf /x\ncat <<EOF\nbody\nEOF\n");
        assert_eq!(map, [(0, 2), (1, 0), (3, 2), (4, 2), (5, 0), (6, 0)]);
        let source = "---\n---\n```console\n$ kubectl get pods\nNAME\n$ kubectl delete pod x\n```\n";
        assert_eq!(
            check(source, &[(3, "console", "$ kubectl get pods\nNAME\n$ kubectl delete pod x\n")], &Settings::default()),
            [
                "3:4: block mixes read-only checks with a destructive change (`kubectl delete pod x` on line 6)",
                "6:3: `kubectl delete pod x` deletes Kubernetes objects, in a block not marked `danger`",
            ]
        );
    }

    #[test]
    fn one_pipeline_is_not_a_mix_of_checks_and_changes() {
        let source = "---\n---\n```bash\nls | xargs -0 -I{} rm -rf {}\n```\n```bash\nls\nrm -rf /x\n```\n";
        assert_eq!(
            check(
                source,
                &[(3, "bash", "ls | xargs -0 -I{} rm -rf {}\n"), (6, "bash", "ls\nrm -rf /x\n")],
                &Settings::default()
            ),
            [
                "4:20: `rm -rf {}` deletes folders and everything in them, in a block not marked `danger`",
                "6:4: block mixes read-only checks with a destructive change (`rm -rf /x` on line 8)",
                "8:1: `rm -rf /x` deletes folders and everything in them, in a block not marked `danger`",
            ]
        );
    }

    #[test]
    fn full_prompts_and_ps2_lines_are_read() {
        let (script, map) = console_commands(
            "user@host:~$ rm -rf /tmp/a\nroot@host:/# rm -rf /tmp/b\n[root@web1 ~]# rm -rf /tmp/c\nuser@host: not a prompt\n● nginx.service\né@h:~# x\n",
        );
        assert_eq!(script, "rm -rf /tmp/a\nrm -rf /tmp/b\nrm -rf /tmp/c\n");
        assert_eq!(map, [(0, 13), (1, 13), (2, 15)]);
        let (script, _) = console_commands(
            "$ for i in 1 2; do\n> echo $i\n> done\n1\n> quoted output\n$ echo 'a\n> b'\n$ ls |\n> wc -l\n",
        );
        assert_eq!(script, "for i in 1 2; do\necho $i\ndone\necho 'a\nb'\nls |\nwc -l\n");
        let source = "---\n---\n```console\n[root@web1 ~]# rm -rf /tmp/c\n```\n";
        assert_eq!(
            check(source, &[(3, "console", "[root@web1 ~]# rm -rf /tmp/c\n")], &Settings::default()),
            ["4:16: `rm -rf /tmp/c` deletes folders and everything in them, in a block not marked `danger`"]
        );
        let source = "---\n---\n```console\n$ if true; then\n>   echo yes\n> fi\n```\n";
        assert_eq!(
            check(source, &[(3, "console", "$ if true; then\n>   echo yes\n> fi\n")], &Settings::default()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_bad_danger_reason_is_reported_at_the_fence() {
        let source = "---\n---\n```bash danger=\nls\n```\n```bash\tdanger=wipes it\nrm -rf /x\n```\n```bash danger=\"wipes\nls\n```\n```bash\tdanger\nrm -rf /x\n```\n";
        assert_eq!(
            check(
                source,
                &[
                    (3, "bash danger=", "ls\n"),
                    (3, "bash\tdanger=wipes it", "rm -rf /x\n"),
                    (3, "bash danger=\"wipes", "ls\n"),
                    (3, "bash\tdanger", "rm -rf /x\n"),
                ],
                &Settings::default()
            ),
            [
                "3:4: code fence: `danger=` has no reason",
                "6:4: code fence: the reason in `danger=wipes` is not quoted, so only its first word is read",
                "9:4: code fence: the reason after `danger=` opens a quote `\"` that is never closed",
            ]
        );
    }

    #[test]
    fn danger_and_nocheck_do_what_they_say() {
        let source = "---\n---\n```bash danger=\"wipes the cache\"\nrm -rf /var/cache/app\n```\n```yaml nocheck\na: [\n```\n";
        assert_eq!(
            check(
                source,
                &[
                    (3, "bash danger=\"wipes the cache\"", "rm -rf /var/cache/app\n"),
                    (3, "yaml nocheck", "a: [\n")
                ],
                &Settings::default()
            ),
            Vec::<String>::new()
        );
        let source = "---\n---\n```bash nocheck\nrm -rf /x\n```\n";
        assert_eq!(
            check(source, &[(3, "bash nocheck", "rm -rf /x\n")], &Settings::default()),
            ["4:1: `rm -rf /x` deletes folders and everything in them, in a block not marked `danger`"]
        );
    }

    #[test]
    fn valid_snippets_give_nothing() {
        let blocks: &[(&str, &str)] = &[
            ("bash", "if [ -f /etc/os-release ]; then\n  . /etc/os-release\nfi\necho \"rm -rf /\" # kubectl delete\n"),
            ("yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n"),
            ("json", "{\"a\": 1}\n"),
            ("toml", "a = 1\n"),
            ("ini", "[a]\nb = 1\n"),
            ("hcl", "a = 1\n"),
            ("sql", "SELECT 1;\n"),
            ("dockerfile", "FROM debian\nRUN rm -rf /var/lib/apt/lists/*\n"),
            ("nginx", "location / { return 200; }\n"),
            ("python", "print('rm -rf /')\n"),
            ("diff", "-a\n+b\n"),
            ("text", "rm -rf /\n"),
        ];
        for (info, code) in blocks {
            let source = format!("---\n---\n```{info}\n{code}```\n");
            assert_eq!(
                check(&source, &[(3, info, code)], &Settings::default()),
                Vec::<String>::new(),
                "{info}"
            );
        }
    }

    #[test]
    fn rules_from_site_yaml_extend_the_table() {
        let settings =
            Settings { destructive: vec![Rule::new("helm upgrade --force", "replaces resources").unwrap()] };
        let source = "---\n---\n```bash\nhelm upgrade api ./chart --force\n```\n";
        assert_eq!(
            check(source, &[(3, "bash", "helm upgrade api ./chart --force\n")], &settings),
            ["4:1: `helm upgrade api ./chart --force` replaces resources, in a block not marked `danger`"]
        );
    }

    #[test]
    fn sql_in_psql_and_blocks() {
        let source =
            "---\n---\n```bash\npsql -c 'DROP TABLE jobs'\n```\n```sql\nSELECT 1;\nDELETE FROM jobs;\n```\n";
        assert_eq!(
            check(source, &[(3, "bash", "psql -c 'DROP TABLE jobs'\n"), (6, "sql", "SELECT 1;\nDELETE FROM jobs;\n")], &Settings::default()),
            [
                "4:1: `psql` runs DROP, which deletes the object and its data, in a block not marked `danger`",
                "6:4: block mixes read-only checks with a destructive change (`DELETE without WHERE` on line 8)",
                "8:1: `DELETE without WHERE` deletes every row, in a block not marked `danger`",
            ]
        );
    }
}
