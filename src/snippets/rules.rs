//! What the commands of a shell snippet do: the destructive-command rule table, the commands
//! that print secrets, and the read-only diagnostics, all matched on parsed commands (see
//! `shell`) after wrappers such as `sudo`, `env` and `xargs`, and inside `sh -c`, `ssh`,
//! `kubectl exec` and `find -exec`.

use crate::fence::shell::{self, BodyLine, Word};

/// A destructive-command rule: a pattern (see docs/snippets.md) and why it is destructive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub pattern: String,
    pub reason: String,
    parsed: Pattern,
}

impl Rule {
    /// A rule from its pattern; `Err` says what is wrong with the pattern.
    pub fn new(pattern: &str, reason: &str) -> Result<Rule, String> {
        Ok(Rule {
            pattern: pattern.trim().to_owned(),
            reason: reason.trim().to_owned(),
            parsed: Pattern::parse(pattern)?,
        })
    }
}

/// A built-in rule as written: its pattern, and why a command it matches is destructive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltInRule {
    pub pattern: &'static str,
    pub reason: &'static str,
}

/// Keeps each row of [`BUILT_IN`] on one line.
const fn built_in_rule(pattern: &'static str, reason: &'static str) -> BuiltInRule {
    BuiltInRule { pattern, reason }
}

/// The built-in rules.
pub const BUILT_IN: &[BuiltInRule] = &[
    built_in_rule("rm -r|-R|--recursive", "deletes folders and everything in them"),
    built_in_rule("rm -f|--force", "deletes files without asking"),
    built_in_rule("find -delete", "deletes every file it finds"),
    built_in_rule("truncate", "empties files"),
    built_in_rule("shred", "overwrites files beyond recovery"),
    built_in_rule("dd of=", "writes raw bytes over a file or a disk"),
    built_in_rule("mkfs*", "formats a file system, erasing what it held"),
    built_in_rule("wipefs", "erases file system signatures from a disk"),
    built_in_rule("kubectl delete", "deletes Kubernetes objects"),
    built_in_rule("kubectl drain", "evicts every pod from a node"),
    built_in_rule("kubectl rollout undo", "rolls a deployment back in production"),
    built_in_rule("kubectl scale --replicas=0", "stops every pod of a workload"),
    built_in_rule("helm uninstall|delete", "removes a release and its objects"),
    built_in_rule("helm rollback", "rolls a release back"),
    built_in_rule("docker system|container|volume|image|network|builder prune", "deletes Docker data for good"),
    built_in_rule("docker volume rm", "deletes a volume and its data"),
    built_in_rule("docker compose down -v|--volumes", "deletes the project's volumes and their data"),
    built_in_rule("docker-compose down -v|--volumes", "deletes the project's volumes and their data"),
    built_in_rule("git push --force|-f|--force-with-lease|--mirror", "rewrites history on the remote"),
    built_in_rule("git reset --hard", "throws away uncommitted changes"),
    built_in_rule("git clean -f|--force", "deletes untracked files"),
    built_in_rule("git branch -D", "deletes a branch that may not be merged"),
    built_in_rule("terraform destroy", "destroys the infrastructure it manages"),
    built_in_rule("terraform force-unlock", "removes a state lock another run may hold"),
    built_in_rule("terraform apply -auto-approve", "changes infrastructure without showing the plan first"),
    built_in_rule("terraform state rm", "makes Terraform forget resources it manages"),
    built_in_rule("terraform apply -destroy", "destroys the infrastructure it manages"),
    built_in_rule("tofu destroy|force-unlock", "destroys infrastructure or removes a state lock"),
    built_in_rule("git push --delete|-d", "deletes a branch or tag on the remote"),
    built_in_rule("git push +*", "rewrites history on the remote"),
    built_in_rule("git push :*", "deletes a branch or tag on the remote"),
    built_in_rule("git push --prune", "deletes the remote branches that have no local counterpart"),
    built_in_rule("docker rm", "deletes containers and their logs"),
    built_in_rule("kill -9|-KILL|-SIGKILL", "kills processes without letting them clean up"),
    built_in_rule("aws s3 rm|rb", "deletes objects or a bucket in S3"),
    built_in_rule("kubectl replace --force", "deletes and re-creates objects"),
    built_in_rule("iptables -F|--flush|-X|--delete-chain", "removes firewall rules"),
    built_in_rule("nft flush", "removes firewall rules"),
    built_in_rule("redis-cli flushall|flushdb", "deletes every key"),
    built_in_rule("systemctl stop|disable|mask|kill|isolate|poweroff|reboot|halt", "stops a service or the machine"),
    built_in_rule("service * stop", "stops a service"),
    built_in_rule("reboot|shutdown|poweroff|halt", "stops or restarts the machine"),
    built_in_rule("killall|pkill", "kills processes by name"),
    built_in_rule("crontab -r", "deletes every cron job of the user"),
    built_in_rule("dropdb", "deletes a database"),
    built_in_rule("mysqladmin drop", "deletes a database"),
    built_in_rule("tofu apply -auto-approve", "changes infrastructure without showing the plan first"),
    built_in_rule("kill -s=KILL|-s=9|-s=SIGKILL|-n=9|--signal=KILL|--signal=9", "kills processes without letting them clean up"),
    built_in_rule("ip6tables -F|--flush|-X|--delete-chain", "removes firewall rules"),
    built_in_rule("aws s3api delete-bucket|delete-object|delete-objects", "deletes a bucket or objects in S3"),
    built_in_rule("aws ec2 terminate-instances", "destroys instances and their instance storage"),
    built_in_rule("aws rds delete-db-instance|delete-db-cluster", "deletes a database and, without a final snapshot, its data"),
    built_in_rule("zfs destroy", "destroys a data set or snapshot and its data"),
    built_in_rule("lvremove", "deletes a logical volume and its data"),
    built_in_rule("sgdisk --zap-all|-Z", "erases the disk's partition tables"),
    built_in_rule("userdel -r|--remove", "deletes the user's home directory and mail"),
    built_in_rule("rsync --delete|--del|--delete-before|--delete-during|--delete-delay|--delete-after|--delete-excluded", "deletes files at the destination that the source lacks"),
    built_in_rule("git checkout|restore .", "throws away uncommitted changes to every file"),
    built_in_rule("git stash clear|drop", "deletes stashed changes"),
    built_in_rule("terraform workspace delete", "deletes a workspace and forgets its state"),
    built_in_rule("systemctl restart|try-restart|reload-or-restart", "restarts a service, dropping its connections"),
    built_in_rule(">", "empties the file it writes to"),
    built_in_rule("cp /dev/null", "empties the file it copies over"),
];

/// The built-in rules, parsed.
pub fn built_in() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        BUILT_IN.iter().map(|r| Rule::new(r.pattern, r.reason).expect("built-in patterns parse")).collect()
    })
}

/// A parsed pattern: the command name (alternatives, a trailing `*` matches any ending), words
/// that must follow it in order among its arguments, flags it must have, and the beginnings
/// of arguments that must be among them (`of=`, and `+` for `+*`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Pattern {
    command: Vec<String>,
    positional: Vec<Vec<String>>,
    flags: Vec<Vec<Flag>>,
    keyed: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Flag {
    /// `-f`: also inside `-rf`.
    Short(char),
    /// `--force` or `-delete`: the word, or the word with `=value`.
    Long(String),
    /// `--replicas=0`: that word, or `--replicas` followed by `0`.
    Valued(String, String),
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, String> {
        let mut tokens = text.split_whitespace();
        let command = tokens.next().ok_or("the pattern is empty")?;
        if command.starts_with('-') {
            return Err(format!("a pattern starts with the command's name, not the option `{command}`"));
        }
        if let Some(problem) = matches_everything(command) {
            return Err(problem);
        }
        let mut pattern = Pattern {
            command: alternatives(command)?,
            positional: Vec::new(),
            flags: Vec::new(),
            keyed: Vec::new(),
        };
        for token in tokens {
            if token.starts_with('-') {
                let flags = alternatives(token)?
                    .into_iter()
                    .map(|alt| {
                        if !alt.starts_with('-') || alt == "-" || alt == "--" {
                            return Err(format!("`{alt}` in `{token}` is not an option; write options such as `-f` or `--force`"));
                        }
                        Ok(if let Some((name, value)) = alt.split_once('=') {
                            Flag::Valued(name.to_owned(), value.to_owned())
                        } else if alt.len() == 2 && !alt.starts_with("--") {
                            Flag::Short(alt.chars().nth(1).unwrap_or('-'))
                        } else {
                            Flag::Long(alt)
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                pattern.flags.push(flags);
            } else if token.ends_with('=') {
                pattern.keyed.push(token.to_owned());
            } else if let Some(prefix) = token.strip_suffix('*').filter(|p| !p.is_empty() && !p.contains('|'))
            {
                pattern.keyed.push(prefix.to_owned());
            } else {
                pattern
                    .positional
                    .push(alternatives(token)?.into_iter().map(|a| a.to_ascii_lowercase()).collect());
            }
        }
        Ok(pattern)
    }

    /// Whether `words` (a command after its wrappers) match.
    fn matches(&self, words: &[Word]) -> bool {
        let Some((name, args)) = words.split_first() else {
            return false;
        };
        let name = basename(&name.text);
        let named = self.command.iter().any(|c| match c.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == c,
        });
        if !named {
            return false;
        }
        let mut positional: Vec<String> = Vec::new();
        let mut options: Vec<&str> = Vec::new();
        let mut after_options = false;
        let with_value = option_values(name);
        let mut skip = false;
        for word in args {
            let text = word.text.as_str();
            if std::mem::take(&mut skip) {
                continue;
            }
            if after_options || !text.starts_with('-') || text == "-" {
                positional.push(text.to_ascii_lowercase());
            } else if text == "--" {
                after_options = true;
            } else {
                // Before the pattern's words, a global option's value is not a subcommand.
                skip = positional.len() < self.positional.len() && with_value.contains(&text);
                options.push(text);
            }
        }
        let all: Vec<&str> = args.iter().map(|w| w.text.as_str()).collect();
        let flags_ok = self.flags.iter().all(|alternatives| {
            alternatives.iter().any(|flag| match flag {
                Flag::Short(c) => options.iter().any(|o| {
                    !o.starts_with("--")
                        && o[1..].chars().all(|c| c.is_ascii_alphanumeric())
                        && o[1..].contains(*c)
                }),
                Flag::Long(name) => options.iter().any(|o| long_flag_matches(o, name)),
                Flag::Valued(name, value) => all.iter().enumerate().any(|(i, w)| {
                    *w == format!("{name}={value}") || (*w == name && all.get(i + 1) == Some(&value.as_str()))
                }),
            })
        });
        // `git push origin :` pushes the matching branches; `:topic` deletes one.
        let keyed_ok = self.keyed.iter().all(|key| {
            let key = key.to_ascii_lowercase();
            positional.iter().any(|p| p.starts_with(&key) && p.len() > key.len())
        });
        flags_ok && keyed_ok && has_sequence(&positional, &self.positional)
    }
}

/// Whether option `o` is the long option `name`, alone or with `=value`. A single-dash long
/// option (`-auto-approve`, Go's flag style) may also be written with two dashes.
fn long_flag_matches(o: &str, name: &str) -> bool {
    let same = |n: &str| o == n || o.strip_prefix(n).is_some_and(|r| r.starts_with('='));
    same(name) || !name.starts_with("--") && same(&format!("-{name}"))
}

/// The options of a command that take their value as the next word (`kubectl -n prod`,
/// `docker compose -f x.yml`, `git -C dir`), so the value is not read as the subcommand.
fn option_values(name: &str) -> &'static [&'static str] {
    match name {
        "kubectl" | "oc" => &[
            "-n",
            "--namespace",
            "--context",
            "--kubeconfig",
            "--cluster",
            "--user",
            "-s",
            "--server",
            "-l",
            "--selector",
        ],
        "helm" => &["-n", "--namespace", "--kube-context", "--kubeconfig"],
        "docker" | "podman" | "docker-compose" => &[
            "-H",
            "--host",
            "-c",
            "--context",
            "--config",
            "-l",
            "--log-level",
            "-f",
            "--file",
            "-p",
            "--project-name",
            "--profile",
            "--env-file",
            "--project-directory",
        ],
        "git" => &["-C", "-c", "--git-dir", "--work-tree", "--namespace"],
        "redis-cli" => &["-h", "-p", "-a", "-n", "-u", "--user", "--pass"],
        "aws" => &["--region", "--profile", "--output", "--endpoint-url", "--query"],
        "systemctl" => &["-H", "--host", "-M", "--machine"],
        "mysqladmin" => &["-u", "-h", "-P", "-S", "--user", "--host", "--port", "--socket"],
        _ => &[],
    }
}

/// A form of a destructive command that only shows what it would do: `--dry-run` (but not
/// `--dry-run=none`), `git push -n`, `git restore --staged` (which only unstages).
fn is_harmless(words: &[Word]) -> bool {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let dry_run = texts.iter().any(|t| {
        *t == "--dry-run" || t.strip_prefix("--dry-run=").is_some_and(|v| v != "none") || *t == "--what-if"
    });
    let name = texts.first().map(|t| basename(t)).unwrap_or("");
    let sub = |s: &str| name == "git" && texts.iter().skip(1).find(|t| !t.starts_with('-')) == Some(&s);
    dry_run
        || sub("push") && texts.iter().any(|t| *t == "-n" || *t == "--no-op")
        || sub("restore")
            && texts.iter().any(|t| *t == "--staged" || *t == "-S")
            && !texts.iter().any(|t| *t == "--worktree" || *t == "-W")
}

/// A command name that would match every command (`*`, `**`) or that is a variable
/// assignment (`x=`), which is never a command's name.
fn matches_everything(command: &str) -> Option<String> {
    if command.split('|').any(|alt| !alt.is_empty() && alt.chars().all(|c| c == '*')) {
        return Some(format!(
            "`{command}` matches every command; start the pattern with the command's name, like `rm -r`"
        ));
    }
    if command.contains('=') {
        return Some(format!("`{command}` is a variable assignment, not a command; start the pattern with the command's name, like `rm -r`"));
    }
    None
}

/// `a|b|c` as its alternatives.
fn alternatives(token: &str) -> Result<Vec<String>, String> {
    let alternatives: Vec<String> = token.split('|').map(str::to_owned).collect();
    if alternatives.iter().any(String::is_empty) {
        return Err(format!("`{token}` has an empty alternative; separate alternatives with one `|`"));
    }
    Ok(alternatives)
}

/// Whether `words` start with `sequence` (`*` matches any word): subcommands are matched at
/// the subcommand position, so `docker logs rm` is not `docker rm`.
fn has_sequence(words: &[String], sequence: &[Vec<String>]) -> bool {
    sequence.iter().enumerate().all(|(i, alternatives)| {
        words.get(i).is_some_and(|w| alternatives.iter().any(|a| a == "*" || a == w))
    })
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_assignment(text: &str) -> bool {
    text.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The command itself once its wrappers are stripped: `sudo -u app env X=1 nice -n 5 rm -rf x`
/// is `rm -rf x`. A wrapper with no command after it (a bare `env`) is the command.
pub fn unwrap(words: &[Word]) -> &[Word] {
    let mut rest = words;
    for _ in 0..32 {
        while rest.first().is_some_and(|w| is_assignment(&w.text)) {
            rest = &rest[1..];
        }
        let Some(first) = rest.first() else {
            return rest;
        };
        // A reserved word that opens a compound command on the same line (`for …; do rm …`,
        // `if …; then rm …`, `{ rm …; }`, `! rm …`) stands before the command it runs.
        if matches!(
            first.text.as_str(),
            "do" | "then" | "else" | "elif" | "if" | "while" | "until" | "{" | "!"
        ) {
            rest = &rest[1..];
            continue;
        }
        let (skip_values, assignments): (&[&str], bool) = match basename(&first.text) {
            "sudo" => (
                &[
                    "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "--user", "--group",
                    "--chdir", "--host", "--prompt",
                ],
                true,
            ),
            "doas" => (&["-u", "-C"], false),
            "env" => (&["-u", "-C", "-S", "--unset", "--chdir", "--split-string"], true),
            "nohup" | "command" | "builtin" | "time" => (&[], false),
            "exec" => (&["-a"], false),
            "stdbuf" => (&["-i", "-o", "-e", "--input", "--output", "--error"], false),
            "nice" => (&["-n", "--adjustment"], false),
            "ionice" => (&["-c", "-n", "-p", "--class", "--classdata"], false),
            "xargs" => (
                &[
                    "-I",
                    "-n",
                    "-P",
                    "-d",
                    "-L",
                    "-s",
                    "-E",
                    "-a",
                    "-e",
                    "--max-args",
                    "--max-procs",
                    "--delimiter",
                    "--arg-file",
                ],
                false,
            ),
            "timeout" => (&["-s", "-k", "--signal", "--kill-after"], false),
            _ => return rest,
        };
        let is_timeout = basename(&first.text) == "timeout";
        let mut i = 1;
        while let Some(word) = rest.get(i) {
            let text = word.text.as_str();
            if text == "--" {
                i += 1;
                break;
            }
            if text.starts_with('-') && text.len() > 1 {
                i += if skip_values.contains(&text) { 2 } else { 1 };
            } else if assignments && is_assignment(text) {
                i += 1;
            } else {
                break;
            }
        }
        if is_timeout && i < rest.len() {
            i += 1; // the duration
        }
        if i >= rest.len() {
            return rest; // `env` alone, `sudo -l`: the wrapper is the command
        }
        rest = &rest[i..];
    }
    rest
}

/// The index of the first word from `start` on that is not an option, stepping over the value
/// of each option in `with_value` (`ssh -i key host`: `host`).
fn past_options(texts: &[&str], start: usize, with_value: &[&str]) -> usize {
    let mut i = start;
    while let Some(t) = texts.get(i) {
        if !t.starts_with('-') {
            break;
        }
        i += if with_value.contains(t) { 2 } else { 1 };
    }
    i
}

/// A command found in a snippet, as matched: after its wrappers, and the commands it runs
/// inside (`sh -c '…'`, `ssh host …`, `kubectl exec … -- …`, `find -exec …`, and the
/// here-documents and pipes that feed a shell or a database client).
#[derive(Clone, Debug)]
pub struct Found {
    pub words: Vec<Word>,
    /// The words of the command this one's output is piped to (after its wrappers).
    pub piped_to: Option<Vec<Word>>,
    /// The SQL the command sends to a database (`psql -c '…'`, a here-document or a pipe into
    /// `psql`, `mysql` or `sqlite3`).
    pub sql: Option<Sql>,
}

/// SQL sent to a database client: the client's name, the SQL, its dialect and where it is
/// written.
#[derive(Clone, Debug)]
pub struct Sql {
    pub client: String,
    pub text: String,
    pub dialect: &'static str,
    pub at: At,
}

/// Where a text that one command feeds another is written in the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// In one word (`psql -c '…'`, `echo '…' | psql`): everything points at that word.
    Word(Word),
    /// Line by line, as a here-document: for line `i` of the text, its script line and the
    /// characters before the text on it.
    Lines(Vec<BodyLine>),
}

/// Where characters of a script are: the line, the column they start at, and how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScriptSpan {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl At {
    /// The script line, column and length of `len` characters at `line` and `column` of the text.
    pub fn position(&self, line: usize, column: usize, len: usize) -> ScriptSpan {
        match self {
            At::Word(word) => ScriptSpan { line: word.line, column: word.column, len: word.len },
            At::Lines(lines) => match lines.get(line.wrapping_sub(1)).or(lines.last()) {
                Some(at) => ScriptSpan { line: at.line, column: at.chars_before + column.max(1), len },
                None => ScriptSpan { line: 1, column: 1, len: 0 },
            },
        }
    }

    /// A word of the text, placed in the script.
    fn word(&self, word: &Word) -> Word {
        let ScriptSpan { line, column, len } = self.position(word.line, word.column, word.len);
        Word { text: word.text.clone(), line, column, len }
    }

    /// Positions relative to the text, placed in the script.
    fn inner(&self, inner: &At) -> At {
        match (self, inner) {
            (At::Word(word), _) => At::Word(word.clone()),
            (_, At::Word(word)) => At::Word(self.word(word)),
            (At::Lines(_), At::Lines(lines)) => At::Lines(
                lines
                    .iter()
                    .map(|at| {
                        let span = self.position(at.line, at.chars_before + 1, 0);
                        BodyLine { line: span.line, chars_before: span.column - 1 }
                    })
                    .collect(),
            ),
        }
    }
}

/// Every command of `script`, with the commands they run inside.
pub fn commands(script: &shell::Script) -> Vec<Found> {
    let mut out = Vec::new();
    walk(script, 0, &mut out);
    out
}

fn walk(script: &shell::Script, depth: usize, out: &mut Vec<Found>) {
    if depth > 8 {
        return;
    }
    for command in &script.commands {
        let words = unwrap(&command.words);
        let piped_to =
            command.piped_to.and_then(|i| script.commands.get(i)).map(|next| unwrap(&next.words).to_vec());
        expand(words, piped_to.as_ref(), depth, out);
        let Some(first) = words.first() else { continue };
        let into_pipe = || piped_to.as_deref().and_then(|next| stdin_reader(next, 0));
        if let Some(body) = &command.heredoc {
            let at = At::Lines(body.lines.clone());
            // `psql <<SQL`, or `cat <<SQL | psql`.
            let reader = stdin_reader(words, 0)
                .or_else(|| (basename(&first.text) == "cat" && words.len() == 1).then(into_pipe).flatten());
            if let Some(reader) = reader {
                feed(reader, &body.text, &at, depth, out);
            }
        }
        // `echo 'DROP TABLE x' | psql`.
        if matches!(basename(&first.text), "echo" | "printf") {
            let args: Vec<&Word> = words[1..]
                .iter()
                .skip_while(|w| matches!(w.text.as_str(), "-e" | "-n" | "-E" | "-en" | "-ne"))
                .collect();
            if let (Some(reader), Some(arg)) = (into_pipe(), args.first()) {
                let text = args.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
                let text = if basename(&first.text) == "printf" || words.iter().any(|w| w.text == "-e") {
                    text.replace("\\n", "\n")
                } else {
                    text
                };
                feed(reader, &text, &At::Word((*arg).clone()), depth, out);
            }
        }
    }
}

/// What reads a command's standard input as commands: a shell, a database client, redis-cli.
enum Reader {
    Shell,
    /// The client's name (as written where the command is) and the SQL dialect.
    Sql(Word, &'static str),
    Redis(Word),
}

/// The options of `ssh` that take a value.
const SSH_WITH_VALUE: &[&str] = &[
    "-i", "-p", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-e", "-I", "-m", "-O", "-Q",
    "-S", "-W", "-w", "-B",
];

/// What reads the standard input of `words` as commands: `bash`, `sh -s`, `ssh host` (the
/// remote shell), `kubectl exec -i … -- sh`, `psql`, `mysql`, `sqlite3 DB`, `redis-cli`.
fn stdin_reader(words: &[Word], depth: usize) -> Option<Reader> {
    let words = unwrap(words);
    let first = words.first()?;
    if depth > 8 {
        return None;
    }
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let has = |options: &[&str]| {
        texts[1..]
            .iter()
            .any(|t| options.iter().any(|o| t == o || t.strip_prefix(o).is_some_and(|r| r.starts_with('='))))
    };
    let positional = || texts[1..].iter().filter(|t| !t.starts_with('-')).count();
    match basename(&first.text) {
        "sh" | "bash" | "zsh" | "dash" | "ksh" => {
            let mut i = 1;
            let mut from_stdin = false;
            while let Some(t) = texts.get(i) {
                if *t == "--" {
                    i += 1;
                    break;
                }
                if !(t.starts_with('-') || t.starts_with('+')) || t.len() < 2 {
                    break;
                }
                if *t == "--command" || !t.starts_with("--") && t[1..].contains('c') {
                    return None;
                }
                from_stdin |= !t.starts_with("--") && t[1..].contains('s');
                i += if matches!(*t, "-o" | "+o" | "-O" | "+O") { 2 } else { 1 };
            }
            (from_stdin || i >= texts.len()).then_some(Reader::Shell)
        }
        "ssh" => {
            let host = past_options(&texts, 1, SSH_WITH_VALUE);
            if host + 1 == texts.len() {
                return Some(Reader::Shell);
            }
            // A remote command reads the input: the remote shell splits its words again.
            let remote = words.get(host + 1)?;
            let script = shell::parse(&texts[host + 1..].join(" "));
            let command = script.commands.first()?;
            match stdin_reader(&command.words, depth + 1)? {
                Reader::Shell => Some(Reader::Shell),
                Reader::Sql(client, dialect) => {
                    Some(Reader::Sql(Word { text: client.text, ..remote.clone() }, dialect))
                }
                Reader::Redis(client) => Some(Reader::Redis(Word { text: client.text, ..remote.clone() })),
            }
        }
        "kubectl" | "oc" if texts.contains(&"exec") => {
            let dashes = texts.iter().position(|t| *t == "--")?;
            stdin_reader(&words[dashes + 1..], depth + 1)
        }
        "docker" | "podman" => {
            let exec = texts.iter().position(|t| *t == "exec")?;
            let with_value = ["-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file", "--index"];
            let i = past_options(&texts, exec + 1, &with_value);
            words.get(i + 1)?;
            stdin_reader(&words[i + 1..], depth + 1)
        }
        "psql" => {
            (!has(&["-c", "--command", "-f", "--file"])).then(|| Reader::Sql(first.clone(), "postgres"))
        }
        "mysql" | "mariadb" => (!has(&["-e", "--execute"])).then(|| Reader::Sql(first.clone(), "mysql")),
        "sqlite3" => (positional() <= 1).then(|| Reader::Sql(first.clone(), "sqlite")),
        "redis-cli" => {
            let with_value = ["-h", "-p", "-a", "-n", "-s", "-u", "-r", "-i", "-d", "--user", "--pass"];
            (past_options(&texts, 1, &with_value) >= texts.len()).then(|| Reader::Redis(first.clone()))
        }
        _ => None,
    }
}

/// The commands in `text`, which `reader` reads from its input; `at` places the text.
fn feed(reader: Reader, text: &str, at: &At, depth: usize, out: &mut Vec<Found>) {
    match reader {
        Reader::Shell => {
            let mut inner = Vec::new();
            walk(&shell::parse(text), depth + 1, &mut inner);
            for found in inner {
                out.push(Found {
                    words: found.words.iter().map(|w| at.word(w)).collect(),
                    piped_to: found.piped_to,
                    sql: found.sql.map(|sql| Sql { at: at.inner(&sql.at), ..sql }),
                });
            }
        }
        Reader::Sql(client, dialect) => out.push(Found {
            words: vec![client.clone()],
            piped_to: None,
            sql: Some(Sql { client: client.text, text: text.to_owned(), dialect, at: at.clone() }),
        }),
        Reader::Redis(client) => {
            for command in shell::parse(text).commands {
                let mut words = vec![client.clone()];
                words.extend(command.words.iter().map(|w| at.word(w)));
                out.push(Found { words, piped_to: None, sql: None });
            }
        }
    }
}

fn expand(words: &[Word], piped_to: Option<&Vec<Word>>, depth: usize, out: &mut Vec<Found>) {
    if words.is_empty() || depth > 8 {
        return;
    }
    out.push(Found { words: words.to_vec(), piped_to: piped_to.cloned(), sql: sql_argument(words) });
    for inner in inner_commands(words) {
        match inner {
            Inner::Words(inner) => expand(unwrap(&inner), piped_to, depth + 1, out),
            Inner::Script(at, text) => {
                let script = shell::parse(&text);
                for command in &script.commands {
                    // The inner script is one word of the outer one: point at that word.
                    let moved: Vec<Word> = command
                        .words
                        .iter()
                        .map(|w| Word { text: w.text.clone(), line: at.line, column: at.column, len: at.len })
                        .collect();
                    let next = command
                        .piped_to
                        .and_then(|i| script.commands.get(i))
                        .map(|c| unwrap(&c.words).to_vec());
                    let next = next.as_ref().or(piped_to);
                    expand(unwrap(&moved), next, depth + 1, out);
                }
            }
        }
    }
}

/// The SQL that `psql -c`, `mysql -e` or `sqlite3 DB 'SQL'` runs, placed at the client's name.
fn sql_argument(words: &[Word]) -> Option<Sql> {
    let name = basename(&words[0].text);
    let (flags, dialect): (&[&str], &str) = match name {
        "psql" => (&["-c", "--command"], "postgres"),
        "mysql" | "mariadb" => (&["-e", "--execute"], "mysql"),
        "sqlite3" => (&[], "sqlite"),
        _ => return None,
    };
    let text = if name == "sqlite3" {
        words[1..].iter().filter(|w| !w.text.starts_with('-')).nth(1).map(|w| w.text.clone())
    } else {
        words.iter().enumerate().find_map(|(i, w)| {
            if flags.contains(&w.text.as_str()) {
                words.get(i + 1).map(|v| v.text.clone())
            } else {
                flags.iter().find_map(|f| w.text.strip_prefix(&format!("{f}=")).map(str::to_owned))
            }
        })
    }?;
    Some(Sql { client: name.to_owned(), text, dialect, at: At::Word(words[0].clone()) })
}

enum Inner {
    Words(Vec<Word>),
    /// A command line in one word: the word, and its text.
    Script(Word, String),
}

fn inner_commands(words: &[Word]) -> Vec<Inner> {
    let name = basename(&words[0].text);
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let mut found = Vec::new();
    match name {
        "sh" | "bash" | "zsh" | "dash" | "ksh" | "su" => {
            if let Some(i) = texts.iter().position(|t| {
                *t == "--command" || (t.starts_with('-') && !t.starts_with("--") && t.contains('c'))
            }) {
                if let Some(script) = words.get(i + 1) {
                    found.push(Inner::Script(script.clone(), script.text.clone()));
                }
            }
        }
        "ssh" => {
            let i = past_options(&texts, 1, SSH_WITH_VALUE);
            if i + 1 < words.len() {
                let text = texts[i + 1..].join(" ");
                found.push(Inner::Script(words[i + 1].clone(), text));
            }
        }
        "kubectl" | "oc" if texts.contains(&"exec") => {
            if let Some(dashes) = texts.iter().position(|t| *t == "--") {
                found.push(Inner::Words(words[dashes + 1..].to_vec()));
            }
        }
        "docker" | "podman" | "docker-compose" => {
            if let Some(inner) = container_command(&texts) {
                found.push(Inner::Words(words[inner..].to_vec()));
            }
        }
        "eval" if words.len() > 1 => {
            found.push(Inner::Script(words[1].clone(), texts[1..].join(" ")));
        }
        "find" => {
            let mut i = 1;
            while i < words.len() {
                if matches!(texts[i], "-exec" | "-execdir" | "-ok" | "-okdir") {
                    let end =
                        (i + 1..words.len()).find(|&j| matches!(texts[j], ";" | "+")).unwrap_or(words.len());
                    found.push(Inner::Words(words[i + 1..end].to_vec()));
                    i = end;
                }
                i += 1;
            }
        }
        "watch" => {
            let mut i = 1;
            while let Some(t) = texts.get(i) {
                if t.starts_with('-') {
                    i += if matches!(*t, "-n" | "--interval") { 2 } else { 1 };
                } else {
                    break;
                }
            }
            if i + 1 == words.len() {
                found.push(Inner::Script(words[i].clone(), words[i].text.clone()));
            } else if i < words.len() {
                found.push(Inner::Words(words[i..].to_vec()));
            }
        }
        _ => {}
    }
    found
}

/// The index of the first argument from `start` on that is not an option, stepping over the
/// values of the command's global options (see [`option_values`]).
fn subcommand(texts: &[&str], start: usize) -> Option<usize> {
    let with_value = option_values(basename(texts[0]));
    let i = past_options(texts, start, with_value);
    (i < texts.len()).then_some(i)
}

/// Where the command run inside a container starts: `docker exec [OPTIONS] CONTAINER CMD…`,
/// `docker run [OPTIONS] IMAGE CMD…`, `docker compose exec|run SERVICE CMD…`, with the
/// subcommand at its position (`docker logs exec` runs nothing).
fn container_command(texts: &[&str]) -> Option<usize> {
    let mut sub = subcommand(texts, 1)?;
    if texts[sub] == "compose" || texts[sub] == "container" {
        sub = subcommand(texts, sub + 1)?;
    }
    let with_value: &[&str] = match texts[sub] {
        "exec" => &["-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file", "--index"],
        "run" => &[
            "-e",
            "--env",
            "-u",
            "--user",
            "-w",
            "--workdir",
            "--env-file",
            "--name",
            "-v",
            "--volume",
            "-p",
            "--publish",
            "--network",
            "--net",
            "--entrypoint",
            "-l",
            "--label",
            "--mount",
            "-h",
            "--hostname",
            "--platform",
            "-m",
            "--memory",
            "--cpus",
            "--restart",
            "--pull",
            "--add-host",
            "--dns",
            "--cap-add",
            "--cap-drop",
            "--device",
            "--log-driver",
            "--log-opt",
            "--ulimit",
            "--tmpfs",
            "--security-opt",
            "--gpus",
            "--pid",
            "--ipc",
            "--user",
            "--group-add",
            "--health-cmd",
            "--stop-signal",
        ],
        _ => return None,
    };
    let target = past_options(texts, sub + 1, with_value);
    (target + 1 < texts.len()).then_some(target + 1)
}

/// The first rule of `rules` that `words` match.
pub fn destructive<'a>(words: &[Word], rules: impl IntoIterator<Item = &'a Rule>) -> Option<&'a Rule> {
    if is_harmless(words) {
        return None;
    }
    rules.into_iter().find(|rule| rule.parsed.matches(words))
}

/// A command that prints secret values: what it prints and a safer form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    pub what: String,
    pub help: String,
}

fn secret(what: &str, help: &str) -> Option<Secret> {
    Some(Secret { what: what.to_owned(), help: help.to_owned() })
}

/// Whether `command` prints secret values to the screen.
///
/// Long on purpose: one rule per command that can print secrets, read top to bottom like a
/// table; each needs its own look at the words, so there is no shape to share.
pub fn prints_secrets(command: &Found) -> Option<Secret> {
    let words = &command.words;
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let name = basename(texts[0]);
    let args = &texts[1..];
    match name {
        "kubectl" | "oc" => {
            if let Some(found) = kubectl_config_raw(&texts) {
                return Some(found);
            }
            let get = args.iter().position(|a| *a == "get")?;
            let kind = args.get(past_options(args, get + 1, KUBECTL_GET_VALUES))?;
            let is_secret = kind.split(',').any(|k| {
                let k = k.split('/').next().unwrap_or(k).to_ascii_lowercase();
                k == "secret" || k == "secrets"
            });
            if !is_secret {
                return None;
            }
            let output = output_format(args)?;
            let output = output.strip_prefix('=').unwrap_or(output);
            // `-o template --template='…'`, `-o go-template --template=…`: the template apart.
            let template = template_argument(args).map(|t| format!("{output}={t}"));
            let output = template.as_deref().unwrap_or(output);
            let lower = output.to_ascii_lowercase();
            let prints = lower.starts_with("yaml")
                || lower.starts_with("json") && !lower.starts_with("jsonpath")
                || (lower.starts_with("jsonpath")
                    || lower.starts_with("go-template")
                    || lower.starts_with("template")
                    || lower.starts_with("custom-columns"))
                    && (lower.contains(".data") || lower.contains("stringdata"))
                    && !only_keys(output);
            prints.then_some(())?;
            let format = output.split(['=', '(']).next().unwrap_or(output);
            secret(
                &format!("`kubectl get secret -o {format}` prints the secret's values (base64 is not encryption)"),
                "show the keys and their sizes without the values: `kubectl describe secret NAME`, or the key names alone: `kubectl get secret NAME -o jsonpath='{.data}' | jq 'keys'`",
            )
        }
        "printenv" | "env" | "set" | "export" | "declare" => {
            let bare = match name {
                "printenv" => args.iter().all(|a| a.starts_with('-')),
                "env" => args.iter().all(|a| a.starts_with('-')),
                // `set`, `export -p` and `declare -x` with nothing else list every variable.
                "set" => args.is_empty(),
                _ => {
                    args.iter().all(|a| a.starts_with('-'))
                        && (args.is_empty() || args.iter().any(|a| a.contains('p') || a.contains('x')))
                }
            };
            if !bare || is_filtered(command.piped_to.as_deref()) {
                return None;
            }
            secret(
                &format!("`{name}` prints every environment variable, secrets included"),
                "print only the variable you need, such as `printenv DATABASE_HOST`, or the names alone: `env | cut -d= -f1`",
            )
        }
        "cat" | "less" | "more" | "head" | "tail" | "bat" | "batcat" | "nl" | "xxd" | "strings" | "type"
        | "grep" | "egrep" | "fgrep" | "rg" | "awk" | "gawk" | "mawk" | "sed" | "base64" | "od"
        | "hexdump" | "tac" | "view" | "vim" | "vi" | "nano" => {
            // `grep -c`, `-l`, `-q` print counts or names, not lines.
            if matches!(name, "grep" | "egrep" | "fgrep" | "rg")
                && args.iter().any(|a| {
                    a.starts_with('-') && !a.starts_with("--") && a[1..].contains(['c', 'l', 'L', 'q'])
                        || matches!(*a, "--count" | "--files-with-matches" | "--quiet")
                })
            {
                return None;
            }
            let file = args.iter().find(|a| !a.starts_with('-') && is_credential_file(a))?;
            if file.starts_with("/proc/") {
                return secret(
                    &format!("`{name} {file}` prints a process's environment, secrets included"),
                    "print the variable names alone: `tr '\\0' '\\n' < /proc/PID/environ | cut -d= -f1`",
                );
            }
            secret(
                &format!("`{name} {file}` prints a file of credentials"),
                &format!("show what the file holds without the values: `cut -d= -f1 {file}` for its keys, or `ls -l {file}` for its presence and permissions"),
            )
        }
        "aws" => {
            if let Some(found) = aws_secret_value(&texts) {
                return Some(found);
            }
            let configure = args.iter().position(|a| *a == "configure")?;
            match args.get(configure + 1).copied() {
                Some("get") if args[configure + 2..].iter().any(|a| a.to_ascii_lowercase().contains("secret") || a.to_ascii_lowercase().contains("session_token")) => secret(
                    "`aws configure get` of a secret key prints it",
                    "prove the credentials work without printing them: `aws sts get-caller-identity`; `aws configure list` shows the key masked",
                ),
                Some("export-credentials") => secret(
                    "`aws configure export-credentials` prints the credentials",
                    "prove the credentials work without printing them: `aws sts get-caller-identity`",
                ),
                _ => None,
            }
        }
        "docker" | "podman" => {
            let sub = subcommand(&texts, 1)?;
            let inspect = texts[sub] == "inspect"
                || texts[sub] == "container"
                    && subcommand(&texts, sub + 1).is_some_and(|i| texts[i] == "inspect");
            inspect.then_some(())?;
            let format = args.iter().enumerate().find_map(|(i, a)| {
                if *a == "-f" || *a == "--format" {
                    args.get(i + 1).copied()
                } else {
                    a.strip_prefix("--format=").or_else(|| a.strip_prefix("-f="))
                }
            });
            let help = "print the fields you need, such as `docker inspect --format '{{json .State}}' NAME`, or the variable names alone: `docker inspect --format '{{range .Config.Env}}{{println (index (split . \"=\") 0)}}{{end}}' NAME`";
            match format {
                Some(format) if format.contains(".Config.Env") || format.contains(".Config}}") || format.trim() == "{{json .}}" => secret(
                    "`docker inspect` of `.Config.Env` prints the container's environment, secrets included",
                    help,
                ),
                Some(_) => None,
                None => secret(
                    "`docker inspect` prints the container's environment (`Config.Env`), secrets included",
                    help,
                ),
            }
        }
        "gcloud" | "az" | "git" => token_printer(&texts),
        "vault" => {
            let read = args.windows(2).any(|w| w == ["kv", "get"]) || args.first() == Some(&"read");
            read.then_some(())?;
            secret(
                "`vault kv get` prints the secret's values",
                "list the keys and versions without the values: `vault kv metadata get PATH`",
            )
        }
        "echo" | "printf" => {
            if into_digest(command.piped_to.as_deref()) {
                return None;
            }
            let variable = args.iter().find_map(|a| secret_variable(a))?;
            secret(
                &format!("`{name}` prints `${variable}`, which holds a secret"),
                &format!("check that it is set without printing it: `test -n \"${variable}\" && echo set`, or print its length: `echo ${{#{variable}}}`"),
            )
        }
        _ => None,
    }
}

/// The options of `kubectl get` that take their value as the next word.
const KUBECTL_GET_VALUES: &[&str] = &[
    "-o",
    "--output",
    "-n",
    "--namespace",
    "-l",
    "--selector",
    "--template",
    "--context",
    "--kubeconfig",
    "--field-selector",
    "--sort-by",
    "-L",
    "--label-columns",
];

/// The value of `--template` (for `-o template` and `-o go-template`).
fn template_argument<'a>(args: &[&'a str]) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, a)| {
        if *a == "--template" {
            args.get(i + 1).copied()
        } else {
            a.strip_prefix("--template=")
        }
    })
}

/// `kubectl config view --raw` (also `--flatten`): the kubeconfig with its client keys and
/// tokens.
fn kubectl_config_raw(texts: &[&str]) -> Option<Secret> {
    let sub = subcommand(texts, 1)?;
    let view = texts[sub] == "config" && subcommand(texts, sub + 1).is_some_and(|i| texts[i] == "view");
    let raw = texts.iter().any(|t| *t == "--raw" || t.starts_with("--raw=") && *t != "--raw=false");
    // A template that picks public fields (a cluster's CA certificate, its server) is fine.
    let picks_public = output_format(&texts[1..]).is_some_and(|format| {
        let lower = format.trim_start_matches('=').to_ascii_lowercase();
        (lower.starts_with("jsonpath") || lower.contains("template"))
            && !["user", "token", "key", "password", "{.}", "{@}"].iter().any(|s| lower.contains(s))
    });
    (view && raw && !picks_public).then_some(())?;
    secret(
        "`kubectl config view --raw` prints the kubeconfig's client keys and tokens",
        "`kubectl config view` shows the same with the secrets redacted; `kubectl config get-contexts` lists the contexts",
    )
}

/// `aws secretsmanager get-secret-value`, `aws ssm get-parameter(s) --with-decryption`.
fn aws_secret_value(texts: &[&str]) -> Option<Secret> {
    let service = subcommand(texts, 1)?;
    let operation = texts[subcommand(texts, service + 1)?];
    match (texts[service], operation) {
        ("secretsmanager", "get-secret-value") => secret(
            "`aws secretsmanager get-secret-value` prints the secret's value",
            "check that the secret exists and when it changed without its value: `aws secretsmanager describe-secret --secret-id NAME`",
        ),
        ("ssm", "get-parameter" | "get-parameters" | "get-parameters-by-path")
            if texts.contains(&"--with-decryption") =>
        {
            secret(
                &format!("`aws ssm {operation} --with-decryption` prints the decrypted values"),
                "leave out `--with-decryption` (a SecureString stays encrypted), or check it exists: `aws ssm describe-parameters --parameter-filters Key=Name,Values=NAME`",
            )
        }
        _ => None,
    }
}

/// Commands that print an access token or a stored credential: `gcloud auth
/// print-access-token`, `az account get-access-token`, `git credential fill`.
fn token_printer(texts: &[&str]) -> Option<Secret> {
    let words: Vec<&str> = texts[1..].iter().copied().filter(|t| !t.starts_with('-')).collect();
    match (basename(texts[0]), words.as_slice()) {
        ("gcloud", ["auth", "print-access-token" | "print-identity-token", ..]) => secret(
            &format!("`gcloud auth {}` prints a bearer token", words[1]),
            "pass the token straight to the command that needs it, such as `curl -H \"Authorization: Bearer $(gcloud auth print-access-token)\" …`; `gcloud auth list` shows the active account",
        ),
        ("az", ["account", "get-access-token", ..]) => secret(
            "`az account get-access-token` prints a bearer token",
            "show only when it expires: `az account get-access-token --query expiresOn -o tsv`; `az account show` shows the account",
        ),
        ("git", ["credential", "fill", ..]) => secret(
            "`git credential fill` prints the stored password or token",
            "check which helper stores it without printing it: `git config --get credential.helper`",
        ),
        _ => None,
    }
}

/// A template that ranges over `.data` and prints only the keys:
/// `{{range $k, $v := .data}}{{$k}}{{end}}`.
fn only_keys(template: &str) -> bool {
    let Some(range) = template.find("range ") else {
        return false;
    };
    let head = &template[range + "range ".len()..];
    let Some((vars, source)) = head.split_once(":=") else {
        return false;
    };
    let Some((_, value)) = vars.split_once(',') else {
        return false;
    };
    let value = value.trim();
    let rest = source.trim_start();
    let Some(after) = rest.strip_prefix(".data") else {
        return false;
    };
    // Nothing else reads `.data`, and the value's variable is never used.
    !after.contains(".data")
        && (value == "$_" || !after.contains(value))
        && !template[..range].contains(".data")
}

/// The value of `-o`/`--output`.
fn output_format<'a>(args: &[&'a str]) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, a)| {
        if *a == "-o" || *a == "--output" {
            args.get(i + 1).copied()
        } else {
            a.strip_prefix("--output=").or_else(|| a.strip_prefix("-o").filter(|rest| !rest.is_empty()))
        }
    })
}

/// Output piped into a filter that keeps named variables (`grep NAME`, `cut -d= -f1`).
fn is_filtered(next: Option<&[Word]>) -> bool {
    let Some(next) = next else {
        return false;
    };
    let texts: Vec<&str> = next.iter().map(|w| w.text.as_str()).collect();
    match texts.first().map(|t| basename(t)) {
        Some("grep" | "egrep" | "fgrep" | "rg") => {
            !texts[1..].iter().any(|t| {
                t.starts_with('-') && !t.starts_with("--") && t.contains('v') || *t == "--invert-match"
            }) && !greps_for_secrets(&texts[1..])
        }
        Some("cut") => texts[1..].iter().any(|t| *t == "-f1" || *t == "-f" || t.starts_with("--fields=1")),
        _ => false,
    }
}

/// Output piped into a command that keeps it off the screen: a digest (`sha256sum`, `md5sum`,
/// `openssl dgst`) or a command reading a password on its input (`--password-stdin`).
fn into_digest(next: Option<&[Word]>) -> bool {
    let Some(next) = next else {
        return false;
    };
    let texts: Vec<&str> = next.iter().map(|w| w.text.as_str()).collect();
    let name = texts.first().map(|t| basename(t)).unwrap_or("");
    matches!(name, "sha1sum" | "sha224sum" | "sha256sum" | "sha384sum" | "sha512sum" | "md5sum" | "b2sum")
        || name == "openssl"
            && texts.get(1).is_some_and(|t| matches!(*t, "dgst" | "sha256" | "sha1" | "passwd"))
        || texts.contains(&"--password-stdin")
}

/// Whether a `grep`'s pattern selects secret-looking names (`grep -i pass`, `grep TOKEN`):
/// then it prints exactly the values to hide.
fn greps_for_secrets(args: &[&str]) -> bool {
    let pattern = args.iter().enumerate().find_map(|(i, a)| {
        if *a == "-e" || *a == "--regexp" {
            args.get(i + 1).copied()
        } else if a.starts_with('-')
            || i > 0 && matches!(args[i - 1], "-e" | "--regexp" | "-m" | "-A" | "-B" | "-C")
        {
            None
        } else {
            Some(*a)
        }
    });
    let Some(pattern) = pattern else {
        return false;
    };
    let lower = pattern.to_ascii_lowercase();
    ["pass", "pwd", "secret", "token", "key", "cred", "auth", "private"].iter().any(|s| lower.contains(s))
}

fn is_credential_file(path: &str) -> bool {
    let name = basename(path);
    let lower = path.to_ascii_lowercase();
    matches!(
        name,
        "id_rsa"
            | "id_dsa"
            | "id_ecdsa"
            | "id_ed25519"
            | ".env"
            | "shadow"
            | "gshadow"
            | ".netrc"
            | ".pgpass"
            | ".git-credentials"
            | "credentials.json"
            | ".htpasswd"
            | "master.key"
            | ".my.cnf"
            | ".mylogin.cnf"
            | "debian.cnf"
    ) && (name != "shadow" || lower.starts_with("/etc/"))
        || lower.starts_with("/proc/") && name == "environ"
        || lower.ends_with(".aws/credentials")
        || lower.ends_with(".docker/config.json")
        || lower.ends_with(".kube/config")
        || name.starts_with(".env.") && name != ".env.example" && name != ".env.sample"
}

/// The name of a variable in `text` (`$DB_PASSWORD`, `${API_TOKEN}`) that holds a secret.
fn secret_variable(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let braced = rest.strip_prefix('{').unwrap_or(rest);
        let name: String = braced.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let upper = name.to_ascii_uppercase();
        let secret =
            ["SECRET", "PASSWORD", "PASSWD", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY"]
                .iter()
                .any(|s| upper.contains(s))
                || upper.ends_with("_PWD")
                || upper.ends_with("_PASS");
        if secret {
            return Some(name);
        }
    }
    None
}

/// Commands that only look: what a block of diagnostics is made of.
pub fn is_read_only(words: &[Word]) -> bool {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let name = basename(texts[0]);
    let sub = texts[1..].iter().find(|t| !t.starts_with('-')).copied().unwrap_or("");
    match name {
        "ls" | "cat" | "grep" | "egrep" | "rg" | "df" | "du" | "ps" | "top" | "free" | "uptime" | "stat"
        | "tail" | "head" | "less" | "journalctl" | "dmesg" | "lsof" | "ss" | "netstat" | "dig"
        | "nslookup" | "ping" | "which" | "whoami" | "id" | "uname" | "hostname" | "lsblk" | "findmnt"
        | "mount" | "wc" | "curl" | "nc" | "openssl" | "getent" | "printenv" | "date" | "iostat"
        | "vmstat" | "pgrep" => true,
        "find" => !texts.iter().any(|t| matches!(*t, "-delete" | "-exec" | "-execdir" | "-ok")),
        "kubectl" | "oc" => {
            let verbs = [
                "get",
                "describe",
                "logs",
                "top",
                "explain",
                "events",
                "version",
                "cluster-info",
                "api-resources",
                "auth",
            ];
            let verb = texts[1..].iter().find(|t| verbs.contains(t) || **t == "rollout");
            match verb {
                Some(&"rollout") => texts.iter().any(|t| matches!(*t, "status" | "history")),
                Some(_) => true,
                None => false,
            }
        }
        "docker" | "podman" => {
            matches!(
                sub,
                "ps" | "logs"
                    | "inspect"
                    | "images"
                    | "stats"
                    | "info"
                    | "version"
                    | "top"
                    | "port"
                    | "events"
            ) || sub == "system" && texts.contains(&"df")
        }
        "systemctl" => matches!(
            sub,
            "status"
                | "is-active"
                | "is-enabled"
                | "is-failed"
                | "list-units"
                | "list-timers"
                | "cat"
                | "show"
        ),
        "git" => {
            matches!(sub, "status" | "log" | "diff" | "show" | "branch" | "remote" | "rev-parse" | "describe")
        }
        "terraform" => {
            matches!(sub, "plan" | "show" | "validate" | "output" | "version")
                || sub == "state" && texts.contains(&"list")
        }
        "helm" => matches!(sub, "list" | "status" | "history" | "get"),
        "nginx" => texts.contains(&"-t") || texts.contains(&"-T"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reason of the first built-in rule each command of `script` matches.
    fn check(script: &str) -> Vec<String> {
        let parsed = shell::parse(script);
        commands(&parsed)
            .iter()
            .filter_map(|found| {
                destructive(&found.words, built_in())
                    .map(|rule| format!("{}: {}", found.words[0].text, rule.pattern))
            })
            .collect()
    }

    #[test]
    fn every_built_in_rule_matches_its_command() {
        let cases = [
            ("rm -rf /var/lib/app", "rm -r|-R|--recursive"),
            ("sudo rm -fr build", "rm -r|-R|--recursive"),
            ("rm --recursive x", "rm -r|-R|--recursive"),
            ("rm -f core", "rm -f|--force"),
            ("find /var/log -name '*.gz' -mtime +7 -delete", "find -delete"),
            ("truncate -s 0 /var/log/syslog", "truncate"),
            ("shred -u key", "shred"),
            ("dd if=/dev/zero of=/dev/sda bs=1M", "dd of="),
            ("mkfs.ext4 /dev/sdb1", "mkfs*"),
            ("wipefs -a /dev/sdb", "wipefs"),
            ("kubectl -n prod delete pod api-0", "kubectl delete"),
            ("kubectl drain node-1 --ignore-daemonsets", "kubectl drain"),
            ("kubectl rollout undo deploy/myapp", "kubectl rollout undo"),
            ("kubectl scale deploy/api --replicas=0", "kubectl scale --replicas=0"),
            ("kubectl scale deploy/api --replicas 0", "kubectl scale --replicas=0"),
            ("helm uninstall api", "helm uninstall|delete"),
            ("helm rollback api 3", "helm rollback"),
            ("docker system prune -af", "docker system|container|volume|image|network|builder prune"),
            ("docker volume prune", "docker system|container|volume|image|network|builder prune"),
            ("docker volume rm data", "docker volume rm"),
            ("docker compose down -v", "docker compose down -v|--volumes"),
            ("docker-compose down --volumes", "docker-compose down -v|--volumes"),
            ("git push --force origin main", "git push --force|-f|--force-with-lease|--mirror"),
            ("git push -f", "git push --force|-f|--force-with-lease|--mirror"),
            ("git push --mirror backup", "git push --force|-f|--force-with-lease|--mirror"),
            ("git reset --hard HEAD~1", "git reset --hard"),
            ("git clean -fdx", "git clean -f|--force"),
            ("git branch -D topic", "git branch -D"),
            ("terraform destroy", "terraform destroy"),
            ("terraform force-unlock 1234", "terraform force-unlock"),
            ("terraform apply -auto-approve", "terraform apply -auto-approve"),
            ("terraform state rm aws_instance.a", "terraform state rm"),
            ("terraform apply -destroy", "terraform apply -destroy"),
            ("tofu destroy", "tofu destroy|force-unlock"),
            ("git push origin --delete feature", "git push --delete|-d"),
            ("git push origin +main", "git push +*"),
            ("git push origin +refs/heads/*:refs/heads/*", "git push +*"),
            ("git push origin :feature", "git push :*"),
            ("git push --prune origin refs/heads/*:refs/heads/*", "git push --prune"),
            ("docker rm -f web", "docker rm"),
            ("kill -9 1234", "kill -9|-KILL|-SIGKILL"),
            ("aws s3 rm s3://bucket/logs --recursive", "aws s3 rm|rb"),
            ("kubectl replace --force -f pod.yaml", "kubectl replace --force"),
            ("iptables -F", "iptables -F|--flush|-X|--delete-chain"),
            ("nft flush ruleset", "nft flush"),
            ("redis-cli FLUSHALL", "redis-cli flushall|flushdb"),
            ("systemctl stop nginx", "systemctl stop|disable|mask|kill|isolate|poweroff|reboot|halt"),
            ("service nginx stop", "service * stop"),
            ("sudo reboot", "reboot|shutdown|poweroff|halt"),
            ("pkill -f worker", "killall|pkill"),
            ("crontab -r", "crontab -r"),
            ("dropdb app", "dropdb"),
            ("mysqladmin -u root drop app", "mysqladmin drop"),
        ];
        for (script, pattern) in cases {
            let name = shell::parse(script).commands[0]
                .words
                .iter()
                .map(|w| w.text.clone())
                .find(|t| t != "sudo")
                .unwrap();
            assert_eq!(check(script), [format!("{name}: {pattern}")], "{script}");
        }
        // Every built-in rule has a case.
        for BuiltInRule { pattern, .. } in BUILT_IN {
            assert!(cases.iter().chain(MORE_CASES).any(|(_, p)| p == pattern), "no case for {pattern}");
        }
    }

    /// Commands of the later rows, and spellings of the earlier ones: (script, the command
    /// that matches, the pattern).
    const MORE_CASES: &[(&str, &str)] = &[
        ("docker compose -f prod.yml down -v", "docker compose down -v|--volumes"),
        ("docker compose -p shop down --volumes", "docker compose down -v|--volumes"),
        ("docker compose --project-name shop down -v", "docker compose down -v|--volumes"),
        ("terraform apply --auto-approve", "terraform apply -auto-approve"),
        ("tofu apply -auto-approve", "tofu apply -auto-approve"),
        ("kill -s KILL 1234", "kill -s=KILL|-s=9|-s=SIGKILL|-n=9|--signal=KILL|--signal=9"),
        ("kill -s 9 1234", "kill -s=KILL|-s=9|-s=SIGKILL|-n=9|--signal=KILL|--signal=9"),
        ("kill -n 9 1234", "kill -s=KILL|-s=9|-s=SIGKILL|-n=9|--signal=KILL|--signal=9"),
        ("ip6tables -F", "ip6tables -F|--flush|-X|--delete-chain"),
        ("aws s3api delete-bucket --bucket logs", "aws s3api delete-bucket|delete-object|delete-objects"),
        ("aws --profile prod ec2 terminate-instances --instance-ids i-1", "aws ec2 terminate-instances"),
        ("aws rds delete-db-instance --db-instance-identifier db1", "aws rds delete-db-instance|delete-db-cluster"),
        ("zfs destroy -r tank/data", "zfs destroy"),
        ("lvremove /dev/vg0/data", "lvremove"),
        ("sgdisk --zap-all /dev/sdb", "sgdisk --zap-all|-Z"),
        ("userdel -r app", "userdel -r|--remove"),
        (
            "rsync -a --delete src/ host:/srv/",
            "rsync --delete|--del|--delete-before|--delete-during|--delete-delay|--delete-after|--delete-excluded",
        ),
        ("git checkout -- .", "git checkout|restore ."),
        ("git restore .", "git checkout|restore ."),
        ("git stash clear", "git stash clear|drop"),
        ("git stash drop stash@{0}", "git stash clear|drop"),
        ("terraform workspace delete staging", "terraform workspace delete"),
        ("systemctl restart nginx", "systemctl restart|try-restart|reload-or-restart"),
        ("> /var/log/app.log", ">"),
        (": > /var/log/app.log", ">"),
        ("cp /dev/null /var/log/app.log", "cp /dev/null"),
    ];

    #[test]
    fn later_rows_and_other_spellings_match() {
        for (script, pattern) in MORE_CASES {
            let found = check(script);
            assert_eq!(found.len(), 1, "{script}: {found:?}");
            assert!(found[0].ends_with(&format!(": {pattern}")), "{script}: {found:?}");
        }
        assert_eq!(check("stdbuf -o L rm -rf x"), ["rm: rm -r|-R|--recursive"]);
        assert_eq!(check("exec -a name rm -rf x"), ["rm: rm -r|-R|--recursive"]);
        assert_eq!(check("eval \"rm -rf /tmp/x\""), ["rm: rm -r|-R|--recursive"]);
        assert_eq!(check("docker run --rm alpine rm -rf /data"), ["rm: rm -r|-R|--recursive"]);
        assert_eq!(check("docker compose exec db rm -rf /data"), ["rm: rm -r|-R|--recursive"]);
    }

    #[test]
    fn subcommands_are_matched_at_their_position() {
        for script in [
            "kubectl auth can-i delete pods",
            "kubectl auth can-i drain nodes",
            "docker exec web rm /tmp/app.lock",
            "docker run --rm alpine ls",
            "docker logs rm",
            "git log --grep reset --hard",
            "helm history rollback",
            "redis-cli COMMAND INFO flushall",
            "git push --dry-run --force",
            "git push -n --force origin main",
            "kubectl delete pod x --dry-run=client",
            "git restore --staged .",
            "rsync -a src/ dst/",
            "echo hi > /dev/null",
            "> /dev/null",
            "echo hi > out.txt",
            "systemctl reload nginx",
            "git stash list",
            "kill -s HUP 1234",
        ] {
            assert_eq!(check(script), Vec::<String>::new(), "{script}");
        }
        // The same subcommands at their position still match.
        assert_eq!(check("kubectl -n prod delete pod api-0"), ["kubectl: kubectl delete"]);
        assert_eq!(check("git -C /srv/app reset --hard"), ["git: git reset --hard"]);
        assert_eq!(check("redis-cli -h cache FLUSHALL"), ["redis-cli: redis-cli flushall|flushdb"]);
        assert_eq!(check("docker rm web"), ["docker: docker rm"]);
        assert_eq!(check("kubectl delete pod x --dry-run=none"), ["kubectl: kubectl delete"]);
    }

    #[test]
    fn the_docs_list_every_built_in_rule() {
        let docs = include_str!("../../docs/snippets.md");
        for BuiltInRule { pattern, reason } in BUILT_IN {
            let row = format!("| `{}` | {reason} |", pattern.replace('|', "\\|"));
            assert!(docs.contains(&row), "docs/snippets.md lacks {row}");
        }
    }

    #[test]
    fn matches_through_wrappers_pipes_and_inner_commands() {
        assert_eq!(check("env -i PATH=/bin nice -n 5 rm -rf /x"), ["rm: rm -r|-R|--recursive"]);
        assert_eq!(check("ls | xargs -I{} rm -rf {}"), ["rm: rm -r|-R|--recursive"]);
        assert_eq!(check("ls && sudo -u app rm -rf /x"), ["rm: rm -r|-R|--recursive"]);
        for one_line in [
            "for f in *.tmp; do rm -rf \"$f\"; done",
            "if true; then rm -rf /x; fi",
            "if false; then :; else rm -rf /x; fi",
            "{ rm -rf /x; }",
            "! rm -rf /x",
            "until false; do rm -rf /x; done",
            "cat list | while read f; do rm -rf \"$f\"; done",
        ] {
            assert_eq!(check(one_line), ["rm: rm -r|-R|--recursive"], "{one_line}");
        }
        assert_eq!(check("sh -c 'rm -rf /x'"), ["rm: rm -r|-R|--recursive"]);
        assert_eq!(
            check("ssh db1 sudo systemctl stop postgresql"),
            ["systemctl: systemctl stop|disable|mask|kill|isolate|poweroff|reboot|halt"]
        );
        assert_eq!(check("kubectl exec -it api-0 -- rm -rf /data"), ["rm: rm -r|-R|--recursive"]);
        assert_eq!(check("find . -name '*.tmp' -exec rm -f {} \\;"), ["rm: rm -f|--force"]);
        assert_eq!(check("echo $(rm -rf /tmp/x)"), ["rm: rm -r|-R|--recursive"]);
    }

    /// Each command found, `line:column words`, and the SQL each sends, `line:column client: SQL`.
    fn found(script: &str) -> Vec<String> {
        commands(&shell::parse(script))
            .iter()
            .map(|f| match &f.sql {
                Some(sql) => {
                    let ScriptSpan { line, column, .. } = sql.at.position(1, 1, 0);
                    format!("{line}:{column} {}: {}", sql.client, sql.text.trim_end())
                }
                None => {
                    let words: Vec<&str> = f.words.iter().map(|w| w.text.as_str()).collect();
                    format!("{}:{} {}", f.words[0].line, f.words[0].column, words.join(" "))
                }
            })
            .collect()
    }

    #[test]
    fn here_documents_and_pipes_feed_shells_and_databases() {
        assert_eq!(
            found("ssh db1 <<'EOF'\n  sudo rm -rf /var/lib/app\nEOF\n"),
            ["1:1 ssh db1", "2:8 rm -rf /var/lib/app"]
        );
        for shell in [
            "bash",
            "sh -s",
            "sudo bash",
            "bash -s -- arg",
            "ssh -T db1 'bash -s'",
            "kubectl exec -i api-0 -- sh",
            "docker exec -i api sh",
        ] {
            let script = format!("{shell} <<-EOF\n\trm -rf /x\n\tEOF\n");
            let all = found(&script);
            assert_eq!(all.last().map(String::as_str), Some("2:2 rm -rf /x"), "{shell}: {all:?}");
        }
        for not_read in
            ["bash script.sh", "bash -c 'ls'", "cat", "ssh db1 ls", "psql -f x.sql", "mysql -e 'SELECT 1'"]
        {
            let script = format!("{not_read} <<EOF\nrm -rf /x\nEOF\n");
            assert!(!found(&script).iter().any(|f| f.contains("rm -rf")), "{not_read}");
        }
        assert_eq!(
            found("psql -U app <<SQL\nDROP TABLE jobs;\nSQL\n"),
            ["1:1 psql -U app", "2:1 psql: DROP TABLE jobs;"]
        );
        assert_eq!(
            found("sudo -u postgres psql <<'SQL' | cat\nDELETE FROM users;\nSQL\n")[1],
            "2:1 psql: DELETE FROM users;"
        );
        assert_eq!(found("mysql app <<EOF\nTRUNCATE t;\nEOF\n")[1], "2:1 mysql: TRUNCATE t;");
        assert_eq!(found("sqlite3 app.db <<EOF\nDROP TABLE t;\nEOF\n")[1], "2:1 sqlite3: DROP TABLE t;");
        assert_eq!(found("cat <<EOF | psql\nDROP TABLE t;\nEOF\n")[1], "2:1 psql: DROP TABLE t;");
        assert_eq!(found("echo \"DROP TABLE x\" | psql")[1], "1:6 psql: DROP TABLE x");
        assert_eq!(found("sqlite3 app.db 'DELETE FROM t'")[0], "1:1 sqlite3: DELETE FROM t");
        assert_eq!(
            check("redis-cli -h cache <<EOF\nFLUSHALL\nEOF\n"),
            ["redis-cli: redis-cli flushall|flushdb"]
        );
        assert_eq!(check("echo flushdb | redis-cli -n 0"), ["redis-cli: redis-cli flushall|flushdb"]);
        // A here-document inside a here-document.
        assert_eq!(
            found("ssh db1 <<'EOF'\npsql <<SQL\nDROP TABLE t;\nSQL\nEOF\n"),
            ["1:1 ssh db1", "2:1 psql", "3:1 psql: DROP TABLE t;"]
        );
    }

    #[test]
    fn strings_comments_and_look_alikes_are_not_commands() {
        for script in [
            "echo \"rm -rf /\"",
            "echo 'kubectl delete pod x'",
            "# rm -rf /\nls",
            "ls # git reset --hard",
            "grep 'DROP TABLE' app.log",
            "cat <<EOF\nrm -rf /\nEOF",
            "kubectl get pods --field-selector status.phase=Failed",
            "kubectl scale deploy/api --replicas=3",
            "git push origin main",
            "git clean -n",
            "find /var/log -name '*.gz' -mtime +7 -print",
            "rm file.lock",
            "systemctl status nginx",
            "docker compose down",
            "kubectl rollout status deploy/api",
            "terraform apply",
            "terraform apply -refresh-only",
            "kill -HUP 1234",
            "docker ps -a",
            "aws s3 ls s3://bucket/logs/",
            "git push origin feature",
            "git push origin main:main",
            "git push origin :",
            "git fetch --prune origin",
        ] {
            assert_eq!(check(script), Vec::<String>::new(), "{script}");
        }
    }

    #[test]
    fn patterns_are_validated() {
        assert_eq!(Pattern::parse("").unwrap_err(), "the pattern is empty");
        assert!(Pattern::parse("-rf").unwrap_err().contains("starts with the command's name"));
        assert!(Pattern::parse("rm -r||-f").unwrap_err().contains("empty alternative"));
        assert!(Pattern::parse("rm -r|x").unwrap_err().contains("is not an option"));
        assert_eq!(
            Pattern::parse("*").unwrap_err(),
            "`*` matches every command; start the pattern with the command's name, like `rm -r`"
        );
        assert!(Pattern::parse("** delete").unwrap_err().contains("matches every command"));
        assert_eq!(
            Pattern::parse("x=").unwrap_err(),
            "`x=` is a variable assignment, not a command; start the pattern with the command's name, like `rm -r`"
        );
        let rule = Rule::new("helm upgrade --force", "replaces resources").unwrap();
        let words = shell::parse("helm upgrade api chart --force").commands.remove(0).words;
        assert!(destructive(&words, [&rule]).is_some());
    }

    fn secrets(script: &str) -> Vec<String> {
        commands(&shell::parse(script)).iter().filter_map(prints_secrets).map(|s| s.what).collect()
    }

    #[test]
    fn commands_that_print_secrets() {
        let cases = [
            (
                "kubectl get secret db -o jsonpath='{.data}'",
                "`kubectl get secret -o jsonpath` prints the secret's values (base64 is not encryption)",
            ),
            (
                "kubectl get secret db -o go-template='{{range $k, $v := .data}}{{$k}}={{$v}}{{end}}'",
                "`kubectl get secret -o go-template` prints the secret's values (base64 is not encryption)",
            ),
            (
                "kubectl get secrets -n prod -o yaml",
                "`kubectl get secret -o yaml` prints the secret's values (base64 is not encryption)",
            ),
            (
                "kubectl get secret/db --output=json",
                "`kubectl get secret -o json` prints the secret's values (base64 is not encryption)",
            ),
            ("printenv", "`printenv` prints every environment variable, secrets included"),
            (
                "kubectl exec deploy/api -- printenv | sort",
                "`printenv` prints every environment variable, secrets included",
            ),
            ("docker exec -it api env", "`env` prints every environment variable, secrets included"),
            ("env | grep -v PATH", "`env` prints every environment variable, secrets included"),
            ("cat ~/.aws/credentials", "`cat ~/.aws/credentials` prints a file of credentials"),
            ("sudo cat /etc/shadow", "`cat /etc/shadow` prints a file of credentials"),
            ("cat ~/.ssh/id_rsa", "`cat ~/.ssh/id_rsa` prints a file of credentials"),
            ("cat .env", "`cat .env` prints a file of credentials"),
            ("cat ~/.docker/config.json", "`cat ~/.docker/config.json` prints a file of credentials"),
            ("aws configure get aws_secret_access_key", "`aws configure get` of a secret key prints it"),
            (
                "docker inspect --format '{{.Config.Env}}' api",
                "`docker inspect` of `.Config.Env` prints the container's environment, secrets included",
            ),
            ("vault kv get secret/app", "`vault kv get` prints the secret's values"),
            ("echo $DB_PASSWORD", "`echo` prints `$DB_PASSWORD`, which holds a secret"),
        ];
        for (script, what) in cases {
            assert_eq!(secrets(script), [what], "{script}");
        }
        for script in [
            "kubectl get secret db",
            "kubectl get secret db -o name",
            "kubectl get secret db -o jsonpath='{.metadata.name}'",
            "kubectl describe secret db",
            "kubectl get secret db -o go-template='{{range $k, $v := .data}}{{$k}}{{\"\\n\"}}{{end}}'",
            "kubectl get pods -o yaml",
            "printenv HOME",
            "env | grep -i proxy",
            "env | cut -d= -f1",
            "env FOO=1 ./run.sh",
            "cat /etc/hosts",
            "cat .env.example",
            "aws configure list",
            "aws configure get region",
            "docker inspect --format '{{.State.Status}}' api",
            "echo \"printenv\"",
            "echo $HOME",
            "# cat ~/.aws/credentials",
        ] {
            assert_eq!(secrets(script), Vec::<String>::new(), "{script}");
        }
    }

    #[test]
    fn more_commands_that_print_secrets() {
        let k8s = |f: &str| {
            format!("`kubectl get secret -o {f}` prints the secret's values (base64 is not encryption)")
        };
        let file = |c: &str| format!("`{c}` prints a file of credentials");
        let cases: Vec<(&str, String)> = vec![
            ("kubectl get -o yaml secret db", k8s("yaml")),
            ("kubectl get secret db -o=yaml", k8s("yaml")),
            ("kubectl get secret db -o template --template='{{.data.password}}'", k8s("template")),
            ("kubectl get secret db -o custom-columns=PW:.data.password", k8s("custom-columns")),
            ("kubectl get secret db -o go-template --template='{{.data.password}}'", k8s("go-template")),
            (
                "docker inspect web",
                "`docker inspect` prints the container's environment (`Config.Env`), secrets included"
                    .to_owned(),
            ),
            ("grep . ~/.aws/credentials", file("grep ~/.aws/credentials")),
            ("awk 1 ~/.aws/credentials", file("awk ~/.aws/credentials")),
            ("sed -n p ~/.aws/credentials", file("sed ~/.aws/credentials")),
            ("base64 ~/.ssh/id_rsa", file("base64 ~/.ssh/id_rsa")),
            ("less ~/.netrc", file("less ~/.netrc")),
            ("head -n 3 ~/.pgpass", file("head ~/.pgpass")),
            ("cat ~/.my.cnf", file("cat ~/.my.cnf")),
            ("sudo cat /etc/mysql/debian.cnf", file("cat /etc/mysql/debian.cnf")),
            ("echo $MYSQL_PWD", "`echo` prints `$MYSQL_PWD`, which holds a secret".to_owned()),
            ("echo $PGPASSWORD", "`echo` prints `$PGPASSWORD`, which holds a secret".to_owned()),
            (
                "echo $AWS_SECRET_ACCESS_KEY",
                "`echo` prints `$AWS_SECRET_ACCESS_KEY`, which holds a secret".to_owned(),
            ),
            ("env | grep -i pass", "`env` prints every environment variable, secrets included".to_owned()),
            (
                "kubectl config view --raw",
                "`kubectl config view --raw` prints the kubeconfig's client keys and tokens".to_owned(),
            ),
            (
                "aws secretsmanager get-secret-value --secret-id db",
                "`aws secretsmanager get-secret-value` prints the secret's value".to_owned(),
            ),
            (
                "aws ssm get-parameter --name /app/db --with-decryption",
                "`aws ssm get-parameter --with-decryption` prints the decrypted values".to_owned(),
            ),
            (
                "aws ssm get-parameters --names a b --with-decryption",
                "`aws ssm get-parameters --with-decryption` prints the decrypted values".to_owned(),
            ),
            (
                "cat /proc/1234/environ",
                "`cat /proc/1234/environ` prints a process's environment, secrets included".to_owned(),
            ),
            (
                "gcloud auth print-access-token",
                "`gcloud auth print-access-token` prints a bearer token".to_owned(),
            ),
            ("az account get-access-token", "`az account get-access-token` prints a bearer token".to_owned()),
            ("git credential fill", "`git credential fill` prints the stored password or token".to_owned()),
            ("echo $DB_PASS | tee /tmp/x", "`echo` prints `$DB_PASS`, which holds a secret".to_owned()),
            (
                "kubectl config view --raw -o jsonpath='{.users[0].user.token}'",
                "`kubectl config view --raw` prints the kubeconfig's client keys and tokens".to_owned(),
            ),
        ];
        for (script, what) in &cases {
            assert_eq!(secrets(script), [what.as_str()], "{script}");
        }
        // Each has a safer form in its help.
        for (script, _) in &cases {
            let found = commands(&shell::parse(script)).iter().find_map(prints_secrets).unwrap();
            assert!(found.help.contains('`'), "{script}: {}", found.help);
        }
        for script in [
            "kubectl get -o yaml pods",
            "kubectl config view",
            "aws ssm get-parameter --name /app/db",
            "aws secretsmanager describe-secret --secret-id db",
            "grep -c . ~/.aws/credentials",
            "env | grep -i proxy",
            "echo $PWD",
            "gcloud auth list",
            "git credential-cache exit",
            "cat /proc/meminfo",
            "printf '%s' \"$NEW_PASS\" | sha256sum",
            "echo \"$REGISTRY_TOKEN\" | docker login ghcr.io -u me --password-stdin",
            "kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}'",
        ] {
            assert_eq!(secrets(script), Vec::<String>::new(), "{script}");
        }
    }

    #[test]
    fn read_only_commands() {
        let read_only = |s: &str| is_read_only(&shell::parse(s).commands[0].words);
        assert!(read_only("kubectl get pods -n prod"));
        assert!(read_only("kubectl -n prod rollout status deploy/api"));
        assert!(read_only("df -h"));
        assert!(!read_only("kubectl rollout undo deploy/api"));
        assert!(!read_only("cd /tmp"));
        assert!(!read_only("find / -delete"));
    }
}
