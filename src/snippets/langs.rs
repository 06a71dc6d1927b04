//! The parsers of each snippet language that runs in-process. Each takes a snippet's code and
//! returns its problems, placed in the code (1-based line and column, in characters).
//!
//! YAML with serde_yaml (multi-document), JSON with serde_json, TOML with toml_edit, HCL with
//! hcl-edit, SQL with sqlparser; INI, Dockerfile and nginx with small checkers of our own.

use std::fmt::Write as _;

use serde::Deserialize as _;

/// A problem in a snippet's code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub len: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Problem {
        Problem { line: line.max(1), column: column.max(1), len: 1, message: message.into(), help: None }
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// The 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let offset = (0..=offset).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Brackets nested deeper than this are refused before parsing: no snippet needs it, and it
/// keeps the recursive parsers' stacks safe from hostile input.
const MAX_NESTING: usize = 64;

fn too_deep(code: &str) -> Option<Problem> {
    let mut depth = 0usize;
    for (i, c) in code.char_indices() {
        match c {
            '[' | '{' | '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = position(code, i);
                    return Some(Problem::new(
                        line,
                        column,
                        format!("brackets nested more than {MAX_NESTING} levels deep"),
                    ));
                }
            }
            ']' | '}' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

pub fn yaml(code: &str) -> Vec<Problem> {
    if let Some(problem) = too_deep(code) {
        return vec![problem];
    }
    let mut problems = Vec::new();
    let mut document_lines = document_starts(code).into_iter();
    for document in serde_yaml::Deserializer::from_str(code) {
        let start = document_lines.next().unwrap_or(1);
        match serde_yaml::Value::deserialize(document) {
            Ok(value) => problems.extend(kubernetes(&value, code, start)),
            Err(error) => {
                let (line, column) = error.location().map_or((start, 1), |l| (l.line(), l.column()));
                let message = error.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
                problems.push(Problem::new(line, column, message));
                // The rest of the stream cannot be read past a syntax error.
                break;
            }
        }
    }
    problems
}

/// The line each document of a YAML stream starts on: 1, and the line after each `---`.
fn document_starts(code: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut first_content = None;
    for (i, line) in code.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            starts.push(i + 1);
        } else if first_content.is_none() && !trimmed.is_empty() && !trimmed.starts_with('#') {
            first_content = Some(i + 1);
            if starts.is_empty() {
                starts.push(i + 1);
            }
        }
    }
    starts
}

/// Whether `nginx -t` refuses two `location`s with these words (modifier and path): exact
/// (`=`) and prefix (none, `^~`) ones; regular expressions (`~`, `~*`) and named ones (`@x`)
/// may repeat.
fn refused_twice(words: &[&NginxToken]) -> bool {
    match words.first().map(|t| t.text.as_str()) {
        Some("~" | "~*") => false,
        Some(word) => !word.starts_with('@'),
        None => true,
    }
}

/// Whether a document without `apiVersion` or `kind` looks like a Kubernetes object: it has
/// one of them, or both `metadata` and `spec` at the top (Helm values and other configuration
/// may have either key alone).
fn looks_like_kubernetes(has: impl Fn(&str) -> bool) -> bool {
    has("apiVersion") || has("kind") || has("metadata") && has("spec")
}

/// A document that looks like a Kubernetes object (see [`looks_like_kubernetes`]) needs
/// `apiVersion` and `kind`.
fn kubernetes(value: &serde_yaml::Value, code: &str, start: usize) -> Vec<Problem> {
    let Some(mapping) = value.as_mapping() else {
        return Vec::new();
    };
    let has = |key: &str| mapping.contains_key(key);
    if !looks_like_kubernetes(has) || has("apiVersion") && has("kind") {
        return Vec::new();
    }
    let missing: Vec<&str> = ["apiVersion", "kind"].into_iter().filter(|k| !has(k)).collect();
    // Point at `metadata:` or `spec:` in this document.
    let line = code
        .lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .find(|(_, l)| l.starts_with("metadata:") || l.starts_with("spec:"))
        .map_or(start, |(i, _)| i + 1);
    let names = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ");
    vec![Problem::new(line, 1, format!("Kubernetes manifest has no {names}"))
        .help("add them at the top of the document, such as `apiVersion: apps/v1` and `kind: Deployment`; `kubectl apply` refuses an object without them")]
}

pub fn json(code: &str) -> Vec<Problem> {
    match serde_json::from_str::<serde::de::IgnoredAny>(code) {
        Ok(_) => Vec::new(),
        Err(error) => {
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
            vec![Problem::new(error.line(), error.column(), message)]
        }
    }
}

pub fn toml(code: &str) -> Vec<Problem> {
    if let Some(problem) = too_deep(code) {
        return vec![problem];
    }
    match code.parse::<toml_edit::DocumentMut>() {
        Ok(_) => Vec::new(),
        Err(error) => {
            let (line, column) = position(code, error.span().map_or(0, |s| s.start));
            vec![Problem::new(line, column, error.message().trim().to_owned())]
        }
    }
}

pub fn hcl(code: &str) -> Vec<Problem> {
    if let Some(problem) = too_deep(code) {
        return vec![problem];
    }
    match hcl_edit::parser::parse_body(code) {
        Ok(_) => Vec::new(),
        Err(error) => {
            let location = error.location();
            vec![Problem::new(location.line(), location.column(), error.message().trim().to_owned())]
        }
    }
}

/// INI files have no one standard; this accepts what most readers do: `[section]` headers,
/// `key = value`, `key: value` and bare keys, `;` and `#` comments, and indented continuation lines.
pub fn ini(code: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, line) in code.lines().enumerate() {
        let trimmed = line.trim();
        let column = line.len() - line.trim_start().len() + 1;
        if trimmed.is_empty() || trimmed.starts_with(';') || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('[') {
            match trimmed.find(']') {
                None => problems.push(
                    Problem::new(index + 1, column, "section header is not closed")
                        .help("end the header with `]`, like `[mysqld]`"),
                ),
                Some(1) => problems.push(
                    Problem::new(index + 1, column, "section header has no name")
                        .help("name the section, like `[mysqld]`"),
                ),
                Some(_) => {}
            }
        } else if trimmed.starts_with('=') || trimmed.starts_with(':') {
            problems.push(
                Problem::new(index + 1, column, "setting has no name before its value")
                    .help("write settings as `name = value`"),
            );
        }
    }
    problems
}

const DOCKERFILE_INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Every instruction is one Docker knows; continuation lines (`\`) lead somewhere; the first
/// instruction is `FROM` (or `ARG`); here-documents (`RUN <<EOF`) are skipped.
pub fn dockerfile(code: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let lines: Vec<&str> = code.lines().collect();
    let mut i = 0;
    let mut first = true;
    let mut escape = '\\';
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if first {
            if let Some(directive) = trimmed.strip_prefix('#') {
                if let Some(value) = directive.trim().to_ascii_lowercase().strip_prefix("escape=") {
                    escape = value.trim().chars().next().unwrap_or('\\');
                }
            }
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let column = line.len() - line.trim_start().len() + 1;
        let word = trimmed.split_whitespace().next().unwrap_or("");
        let upper = word.to_ascii_uppercase();
        let mut heredocs: Vec<String> = heredoc_delimiters(trimmed);
        // The instruction goes on while lines end with the escape character.
        let mut continued = trimmed.ends_with(escape);
        while continued {
            i += 1;
            // Comment lines and blank lines inside a continued instruction are skipped.
            while i < lines.len() && (lines[i].trim().starts_with('#') || lines[i].trim().is_empty()) {
                i += 1;
            }
            let Some(next) = lines.get(i) else {
                problems.push(
                    Problem::new(start + 1, column, format!("`{word}` continues past the last line"))
                        .help("remove the `\\` at the end of its last line"),
                );
                break;
            };
            heredocs.extend(heredoc_delimiters(next));
            continued = next.trim_end().ends_with(escape);
        }
        i += 1;
        for delimiter in heredocs {
            while i < lines.len() && lines[i].trim() != delimiter {
                i += 1;
            }
            i += 1;
        }
        if !DOCKERFILE_INSTRUCTIONS.contains(&upper.as_str()) {
            let mut problem = Problem::new(start + 1, column, format!("unknown instruction `{word}`"));
            problem.len = word.chars().count();
            problem = match crate::diagnostics::did_you_mean(&upper, DOCKERFILE_INSTRUCTIONS.iter().copied()) {
                Some(suggestion) => problem.help(format!("did you mean `{suggestion}`?")),
                None => problem.help("a Dockerfile line starts with an instruction such as FROM, RUN, COPY or CMD; indent or end the previous line with `\\` if it goes on"),
            };
            problems.push(problem);
        } else if first && upper != "FROM" && upper != "ARG" {
            problems.push(
                Problem::new(start + 1, column, format!("a Dockerfile starts with `FROM`, not `{word}`"))
                    .help("add the base image first, like `FROM debian:12`, or mark a partial Dockerfile with `nocheck`"),
            );
        }
        first = false;
    }
    problems
}

/// `<<EOF` and `<<-"EOF"` in a line: the delimiters of its here-documents.
fn heredoc_delimiters(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("<<") {
        rest = &rest[i + 2..];
        let word = rest.trim_start_matches('-');
        let word: String = word
            .trim_matches(|c| c == '"' || c == '\'')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty() && word.chars().next().is_some_and(|c| !c.is_ascii_digit()) {
            found.push(word);
        }
    }
    found
}

/// nginx configuration: braces balance, every directive ends with `;` (or opens a block), and
/// no block has two `location`s with the same modifier and path (`nginx -t` refuses them).
pub fn nginx(code: &str) -> Vec<Problem> {
    let tokens = nginx_tokens(code);
    let mut problems = Vec::new();
    if let Some((line, column, what)) = tokens.1 {
        problems.push(Problem::new(line, column, format!("{what} is not closed")));
        return problems;
    }
    // Each open block: where it opened and the locations it holds.
    struct Block {
        line: usize,
        column: usize,
        locations: Vec<(String, usize)>,
    }
    let mut stack: Vec<Block> = vec![Block { line: 0, column: 0, locations: Vec::new() }];
    let mut directive: Vec<&NginxToken> = Vec::new();
    for token in &tokens.0 {
        match token.text.as_str() {
            ";" if !token.quoted => directive.clear(),
            "{" if !token.quoted => {
                if let Some(first) = directive.first() {
                    if first.text == "location" {
                        let key =
                            directive[1..].iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
                        let block = stack.last_mut().expect("the top level is never closed");
                        if refused_twice(&directive[1..]) && block.locations.iter().any(|(k, _)| *k == key) {
                            let mut problem = Problem::new(first.line, first.column, format!("duplicate `location {key}` in one block"))
                                .help(format!("nginx -t refuses it; merge it into the first `location {key}` of the block, or remove one"));
                            problem.len = "location".len();
                            problems.push(problem);
                        } else {
                            block.locations.push((key, first.line));
                        }
                    }
                }
                stack.push(Block { line: token.line, column: token.column, locations: Vec::new() });
                directive.clear();
            }
            "}" if !token.quoted => {
                if let Some(first) = directive.first() {
                    problems.push(missing_semicolon(first));
                }
                directive.clear();
                if stack.len() == 1 {
                    problems.push(
                        Problem::new(token.line, token.column, "unexpected `}`")
                            .help("remove it, or open the block it closes with `{`"),
                    );
                } else {
                    stack.pop();
                }
            }
            _ => {
                // A directive that runs into the next line, where a new directive seems to start.
                if let (Some(first), Some(last)) = (directive.first(), directive.last()) {
                    if token.line > last.line
                        && !token.quoted
                        && is_nginx_directive(&token.text)
                        && first.text != "log_format"
                    {
                        problems.push(missing_semicolon(first));
                        directive.clear();
                    }
                }
                directive.push(token);
            }
        }
    }
    if let Some(first) = directive.first() {
        problems.push(missing_semicolon(first));
    }
    for block in stack.iter().skip(1) {
        problems.push(
            Problem::new(block.line, block.column, "block is not closed").help("add the `}` that closes it"),
        );
    }
    problems
}

fn missing_semicolon(first: &NginxToken) -> Problem {
    let mut problem =
        Problem::new(first.line, first.column, format!("directive `{}` does not end with `;`", first.text))
            .help("end the directive with `;`");
    problem.len = first.text.chars().count();
    problem
}

/// Directives common enough that a line starting with one starts a new directive.
fn is_nginx_directive(word: &str) -> bool {
    matches!(
        word,
        "listen"
            | "server_name"
            | "root"
            | "index"
            | "location"
            | "proxy_pass"
            | "proxy_set_header"
            | "proxy_read_timeout"
            | "proxy_connect_timeout"
            | "proxy_send_timeout"
            | "proxy_buffering"
            | "return"
            | "rewrite"
            | "try_files"
            | "include"
            | "error_page"
            | "access_log"
            | "error_log"
            | "client_max_body_size"
            | "upstream"
            | "server"
            | "ssl_certificate"
            | "ssl_certificate_key"
            | "add_header"
            | "alias"
            | "fastcgi_pass"
            | "keepalive_timeout"
            | "worker_processes"
            | "worker_connections"
            | "events"
            | "http"
            | "gzip"
            | "allow"
            | "deny"
            | "limit_req"
            | "limit_req_zone"
            | "set"
            | "if"
            | "resolver"
            | "proxy_http_version"
    )
}

struct NginxToken {
    text: String,
    quoted: bool,
    line: usize,
    column: usize,
}

/// nginx's tokens: words, quoted strings, and `{`, `}`, `;`; comments skipped. Also where a
/// quote opens that never closes.
fn nginx_tokens(code: &str) -> (Vec<NginxToken>, Option<(usize, usize, String)>) {
    let mut tokens = Vec::new();
    let mut chars = code.chars().peekable();
    let (mut line, mut column) = (1, 1);
    let mut word: Option<NginxToken> = None;
    let push_word = |word: &mut Option<NginxToken>, tokens: &mut Vec<NginxToken>| {
        if let Some(w) = word.take() {
            tokens.push(w);
        }
    };
    while let Some(c) = chars.next() {
        let here = (line, column);
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
        match c {
            ' ' | '\t' | '\r' | '\n' => push_word(&mut word, &mut tokens),
            '#' if word.is_none() => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                    column += 1;
                }
            }
            '{' | '}' | ';' => {
                push_word(&mut word, &mut tokens);
                tokens.push(NginxToken { text: c.to_string(), quoted: false, line: here.0, column: here.1 });
            }
            '"' | '\'' if word.is_none() => {
                let mut text = String::new();
                let mut closed = false;
                while let Some(inner) = chars.next() {
                    if inner == '\n' {
                        line += 1;
                        column = 1;
                    } else {
                        column += 1;
                    }
                    if inner == '\\' {
                        if let Some(escaped) = chars.next() {
                            column += 1;
                            text.push(escaped);
                        }
                    } else if inner == c {
                        closed = true;
                        break;
                    } else {
                        text.push(inner);
                    }
                }
                if !closed {
                    return (tokens, Some((here.0, here.1, format!("quote `{c}`"))));
                }
                tokens.push(NginxToken { text, quoted: true, line: here.0, column: here.1 });
            }
            '\\' => {
                let w = word.get_or_insert(NginxToken {
                    text: String::new(),
                    quoted: false,
                    line: here.0,
                    column: here.1,
                });
                if let Some(escaped) = chars.next() {
                    column += 1;
                    w.text.push(escaped);
                }
            }
            c => {
                word.get_or_insert(NginxToken {
                    text: String::new(),
                    quoted: false,
                    line: here.0,
                    column: here.1,
                })
                .text
                .push(c);
            }
        }
    }
    push_word(&mut word, &mut tokens);
    (tokens, None)
}

/// Which SQL dialect a block is in, from the language, the info string's words and the category.
pub fn sql_dialect(lang: &str, hints: &[String], category: &str) -> &'static str {
    let named = |word: &str| match word {
        "postgres" | "postgresql" | "psql" | "pg" => Some("postgres"),
        "mysql" | "mariadb" => Some("mysql"),
        "sqlite" | "sqlite3" => Some("sqlite"),
        "mssql" | "tsql" | "sqlserver" => Some("mssql"),
        _ => None,
    };
    named(lang)
        .or_else(|| hints.iter().find_map(|h| named(h)))
        .or_else(|| named(category))
        .unwrap_or("generic")
}

fn dialect(name: &str) -> Box<dyn sqlparser::dialect::Dialect> {
    use sqlparser::dialect;
    match name {
        "postgres" => Box::new(dialect::PostgreSqlDialect {}),
        "mysql" => Box::new(dialect::MySqlDialect {}),
        "sqlite" => Box::new(dialect::SQLiteDialect {}),
        "mssql" => Box::new(dialect::MsSqlDialect {}),
        _ => Box::new(dialect::GenericDialect {}),
    }
}

/// psql's meta-commands (`\dt`, `\x`) are not SQL: their lines are left out of the parse.
fn without_meta_commands(code: &str) -> String {
    code.lines().map(|line| if line.trim_start().starts_with('\\') { "" } else { line }).fold(
        String::new(),
        |mut out, line| {
            let _ = writeln!(out, "{line}");
            out
        },
    )
}

/// Statements sqlparser does not read although the databases do: they are left out of the
/// parse (blanked, so positions stay) rather than reported.
const SQL_UNPARSED: &[&[&str]] = &[
    &["ALTER", "SYSTEM"],
    &["ALTER", "ROLE"],
    &["ALTER", "USER"],
    &["ALTER", "DATABASE"],
    &["VACUUM"],
    &["CHECKPOINT"],
    &["REINDEX"],
    &["CLUSTER"],
    &["RESET"],
    &["SECURITY", "LABEL"],
];

/// What the clients read around SQL, blanked so positions stay: a MySQL script's
/// `DELIMITER //` lines and the stored programs between `DELIMITER //` and `DELIMITER ;`
/// (compound statements sqlparser does not read), a statement's closing `\G` (mysql's
/// vertical output, read as `;`), and PostgreSQL's `DO $$ … $$` blocks, whose body is
/// PL/pgSQL.
fn client_syntax(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut delimiter = ";".to_owned();
    let mut in_do: Option<String> = None;
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let blank = |text: &str| text.chars().map(|_| ' ').collect::<String>();
        if let Some(tag) = &in_do {
            match body.find(tag.as_str()) {
                Some(end) => {
                    let after = end + tag.len();
                    out.push_str(&blank(&body[..after]));
                    out.push_str(&body[after..]);
                    in_do = None;
                }
                None => out.push_str(&blank(body)),
            }
            out.push_str(ending);
            continue;
        }
        let trimmed = body.trim_start();
        if trimmed.len() > 10 && trimmed[..10].eq_ignore_ascii_case("delimiter ") {
            delimiter = trimmed[10..].trim().to_owned();
            out.push_str(&blank(body));
            out.push_str(ending);
            continue;
        }
        if delimiter != ";" {
            // A stored program's body, in MySQL's compound-statement syntax.
            out.push_str(&blank(body));
            out.push_str(ending);
            continue;
        }
        let mut text = body.to_owned();
        if let Some(at) = text.trim_end().strip_suffix("\\G").map(str::len) {
            text.replace_range(at..at + 2, "; ");
        }
        if let Some((start, tag)) = do_block(&text) {
            let after_open = start + text[start..].find('$').unwrap_or(0) + tag.len();
            match text[after_open..].find(tag.as_str()) {
                Some(end) => {
                    let end = after_open + end + tag.len();
                    text.replace_range(start..end, &blank(&text[start..end]));
                }
                None => {
                    let rest = blank(&text[start..]);
                    text.replace_range(start.., &rest);
                    in_do = Some(tag);
                }
            }
        }
        out.push_str(&text);
        out.push_str(ending);
    }
    out
}

/// Where a line's `DO $tag$` block starts, and its tag (`$$`, `$body$`).
fn do_block(line: &str) -> Option<(usize, String)> {
    let start = line.len() - line.trim_start().len();
    let rest = &line[start..];
    if !(rest.len() > 3 && rest[..3].eq_ignore_ascii_case("do ")) {
        return None;
    }
    let after = rest[3..].trim_start();
    let tag_end = after.strip_prefix('$')?.find('$')? + 2;
    let tag = &after[..tag_end];
    tag[1..tag_end - 1]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then(|| (start, tag.to_owned()))
}

pub fn sql(code: &str, dialect_name: &str) -> Vec<Problem> {
    if let Some(problem) = too_deep(code) {
        return vec![problem];
    }
    let problems = sql_in(code, dialect_name);
    // A block that names no database is SQL when one of the common ones reads it: the generic
    // dialect refuses PostgreSQL's `interval '5 minutes'` and MySQL's backquoted names.
    if dialect_name == "generic"
        && !problems.is_empty()
        && ["postgres", "mysql"].iter().any(|d| sql_in(code, d).is_empty())
    {
        return Vec::new();
    }
    problems
}

fn sql_in(code: &str, dialect_name: &str) -> Vec<Problem> {
    let mut code = without_meta_commands(&client_syntax(code));
    let dialect = dialect(dialect_name);
    // Each round blanks one statement sqlparser cannot read; a block has few statements.
    for _ in 0..64 {
        let parsed = sqlparser::parser::Parser::new(dialect.as_ref())
            .with_recursion_limit(MAX_NESTING)
            .try_with_sql(&code)
            .and_then(|mut parser| parser.parse_statements());
        let Err(error) = parsed else {
            return Vec::new();
        };
        let text = match &error {
            sqlparser::parser::ParserError::TokenizerError(m)
            | sqlparser::parser::ParserError::ParserError(m) => m.clone(),
            sqlparser::parser::ParserError::RecursionLimitExceeded => "nested too deeply".to_owned(),
        };
        let (message, line, column) = split_sql_position(&text);
        match unparsed_statement(&code, dialect.as_ref(), line, column) {
            Some(range) => {
                let blank: String =
                    code[range.clone()].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
                code.replace_range(range, &blank);
            }
            None => return vec![Problem::new(line, column, message)],
        }
    }
    Vec::new()
}

/// The byte range of the statement around `line`:`column` when it is one sqlparser does not
/// read (see [`SQL_UNPARSED`]).
fn unparsed_statement(
    code: &str,
    dialect: &dyn sqlparser::dialect::Dialect,
    line: usize,
    column: usize,
) -> Option<std::ops::Range<usize>> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let tokens = Tokenizer::new(dialect, code).tokenize_with_location().ok()?;
    let at =
        |t: &sqlparser::tokenizer::TokenWithSpan| (t.span.start.line as usize, t.span.start.column as usize);
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        if token.token != Token::SemiColon && !last {
            continue;
        }
        let statement = &tokens[start..=i];
        let after_error = at(token) >= (line, column) || last;
        if after_error {
            let words: Vec<String> = statement
                .iter()
                .filter_map(|t| match &t.token {
                    Token::Word(w) => Some(w.value.to_ascii_uppercase()),
                    _ => None,
                })
                .take(2)
                .collect();
            let known = SQL_UNPARSED
                .iter()
                .any(|prefix| prefix.iter().zip(&words).all(|(p, w)| p == w) && words.len() >= prefix.len());
            let first = statement.iter().find(|t| matches!(t.token, Token::Word(_)))?;
            if !known || at(first) > (line, column) {
                return None;
            }
            let from = byte_offset(code, at(first));
            let to = byte_offset(code, (token.span.end.line as usize, token.span.end.column as usize));
            return (from < to).then_some(from..to);
        }
        start = i + 1;
    }
    None
}

/// The byte offset of a 1-based line and column (in characters).
fn byte_offset(code: &str, (line, column): (usize, usize)) -> usize {
    let mut offset = 0;
    for (index, text) in code.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            return offset + text.char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(i, _)| i);
        }
        offset += text.len();
    }
    code.len()
}

/// sqlparser writes the place into its message: `Expected: …, found: x at Line: 2, Column: 5`.
fn split_sql_position(text: &str) -> (String, usize, usize) {
    let Some(at) = text.rfind(" at Line: ") else {
        return (text.to_owned(), 1, 1);
    };
    let place = &text[at + " at Line: ".len()..];
    let mut numbers = place.split(", Column: ");
    let line = numbers.next().and_then(|n| n.trim().parse().ok()).unwrap_or(1);
    let column = numbers.next().and_then(|n| n.trim().parse().ok()).unwrap_or(1);
    (text[..at].to_owned(), line, column)
}

/// A statement of a SQL block that deletes or changes data wholesale: where it starts (line,
/// column, length of its keyword), what it is, and why it is destructive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlFinding {
    pub line: usize,
    pub column: usize,
    pub len: usize,
    pub what: String,
    pub reason: &'static str,
}

/// What the statements of a SQL block are: the destructive ones, and whether any only reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlStatements {
    pub findings: Vec<SqlFinding>,
    pub read_only: bool,
}

/// The statements of `code` found by sqlparser's tokenizer (so strings and comments never
/// count): `DROP`, `TRUNCATE`, `DELETE` and `UPDATE` without `WHERE`, `pg_terminate_backend`,
/// `KILL`; and whether the block also holds read-only statements (`SELECT`, `SHOW`, `EXPLAIN`).
/// A `DELETE` or `UPDATE` without `WHERE` inside a `WITH` query
/// (`WITH d AS (DELETE FROM t RETURNING *) SELECT …`); `words` include the parentheses.
fn cte_change(words: &[(String, usize, usize)]) -> Option<(&'static str, &'static str)> {
    let mut depth = 0usize;
    for (i, (word, _, _)) in words.iter().enumerate() {
        match word.as_str() {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            "DELETE" | "UPDATE" if depth > 0 => {
                let mut inner = 0usize;
                let mut has_where = false;
                for (w, _, _) in &words[i + 1..] {
                    match w.as_str() {
                        "(" => inner += 1,
                        ")" if inner == 0 => break,
                        ")" => inner -= 1,
                        "WHERE" if inner == 0 => has_where = true,
                        _ => {}
                    }
                }
                if !has_where {
                    return Some(if word == "DELETE" {
                        ("DELETE without WHERE", "deletes every row")
                    } else {
                        ("UPDATE without WHERE", "changes every row")
                    });
                }
            }
            _ => {}
        }
    }
    None
}

pub fn sql_statements(code: &str, dialect_name: &str) -> SqlStatements {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let code = without_meta_commands(code);
    let dialect = dialect(dialect_name);
    let Ok(tokens) = Tokenizer::new(dialect.as_ref(), &code).tokenize_with_location() else {
        return SqlStatements { findings: Vec::new(), read_only: false };
    };
    let mut findings = Vec::new();
    let mut read_only = false;
    let mut statement: Vec<(String, usize, usize)> = Vec::new();
    let mut finish = |statement: &mut Vec<(String, usize, usize)>, findings: &mut Vec<SqlFinding>| {
        let words = std::mem::take(statement);
        let Some((first, line, column)) = words.first().cloned() else {
            return;
        };
        let has = |w: &str| words.iter().any(|(x, _, _)| x == w);
        let terminate = words.iter().find(|(w, _, _)| w == "PG_TERMINATE_BACKEND");
        let cte = if first == "WITH" { cte_change(&words) } else { None };
        let found = match first.as_str() {
            "WITH" if cte.is_some() => cte,
            "DROP" => Some(("DROP", "deletes the object and its data")),
            "TRUNCATE" => Some(("TRUNCATE", "deletes every row")),
            "DELETE" if !has("WHERE") => Some(("DELETE without WHERE", "deletes every row")),
            "UPDATE" if !has("WHERE") => Some(("UPDATE without WHERE", "changes every row")),
            "ALTER" if has("DROP") => Some(("ALTER … DROP", "deletes a column or constraint and its data")),
            "KILL" => Some(("KILL", "ends another session's work")),
            _ => None,
        };
        if let Some((what, reason)) = found {
            findings.push(SqlFinding {
                line,
                column,
                len: first.chars().count(),
                what: what.to_owned(),
                reason,
            });
        } else if let Some((w, line, column)) = terminate {
            findings.push(SqlFinding {
                line: *line,
                column: *column,
                len: w.len(),
                what: "pg_terminate_backend".to_owned(),
                reason: "ends other sessions and rolls back their work",
            });
        } else if matches!(first.as_str(), "SELECT" | "SHOW" | "EXPLAIN" | "DESCRIBE" | "WITH") {
            read_only = true;
        }
    };
    for token in tokens {
        match &token.token {
            Token::SemiColon => finish(&mut statement, &mut findings),
            Token::LParen | Token::RParen => {
                let location = token.span.start;
                let paren = if token.token == Token::LParen { "(" } else { ")" };
                statement.push((paren.to_owned(), location.line as usize, location.column as usize));
            }
            Token::Word(word) if word.quote_style.is_none() => {
                let location = token.span.start;
                statement.push((
                    word.value.to_ascii_uppercase(),
                    location.line as usize,
                    location.column as usize,
                ));
            }
            _ => {}
        }
    }
    finish(&mut statement, &mut findings);
    SqlStatements { findings, read_only }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(problems: &[Problem]) -> Vec<String> {
        problems.iter().map(|p| format!("{}:{}: {}", p.line, p.column, p.message)).collect()
    }

    #[test]
    fn nginx_accepts_repeated_regex_and_named_locations() {
        assert!(nginx("server {\n  location ~ \\.php$ { return 200; }\n  location ~ \\.php$ { return 201; }\n  location ~* \\.js$ { return 200; }\n  location ~* \\.js$ { return 201; }\n  location @app { return 200; }\n  location @app { return 201; }\n}\n").is_empty());
        assert_eq!(
            check(&nginx("server {\n  location = /x { return 200; }\n  location = /x { return 201; }\n  location ^~ /y { return 200; }\n  location ^~ /y { return 201; }\n}\n")),
            ["3:3: duplicate `location = /x` in one block", "5:3: duplicate `location ^~ /y` in one block"]
        );
    }

    #[test]
    fn yaml_values_and_config_are_not_kubernetes_objects() {
        assert!(yaml("image:\n  repository: nginx\nspec:\n  replicas: 2\n").is_empty());
        assert!(yaml("metadata:\n  owner: web\nservice:\n  port: 80\n").is_empty());
        assert_eq!(
            check(&yaml("kind: Deployment\nmetadata:\n  name: a\n")),
            ["2:1: Kubernetes manifest has no `apiVersion`"]
        );
    }

    #[test]
    fn sql_of_no_named_database_is_read_as_the_common_ones_read_it() {
        let pg = "SELECT count(*) FROM jobs\nWHERE started > now() - interval '15 minutes';\n";
        assert_eq!(check(&sql(pg, "generic")), Vec::<String>::new());
        assert_eq!(check(&sql("SELECT `name` FROM `users`;\n", "generic")), Vec::<String>::new());
        // What no database reads is still reported, at its place.
        assert_eq!(check(&sql("SELEC 1;\n", "generic")).len(), 1);
        assert_eq!(check(&sql("SELECT FROM WHERE;\n", "generic")).len(), 1);
    }

    #[test]
    fn sql_client_syntax_is_not_a_syntax_error() {
        let pg = "DO $$\nBEGIN\n  RAISE NOTICE 'x';\nEND\n$$;\nSELECT 1;\n";
        assert_eq!(check(&sql(pg, "postgres")), Vec::<String>::new());
        assert_eq!(check(&sql("DO $body$ BEGIN PERFORM 1; END $body$;\n", "postgres")), Vec::<String>::new());
        let mysql =
            "DELIMITER //\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND //\nDELIMITER ;\nSELECT 2;\n";
        assert_eq!(check(&sql(mysql, "mysql")), Vec::<String>::new());
        assert_eq!(check(&sql("SHOW ENGINE INNODB STATUS\\G\n", "mysql")), Vec::<String>::new());
        assert_eq!(check(&sql("SELECT * FROM t\\G\nSELEC 1;\n", "mysql")).len(), 1);
        // Errors outside them are still found, at their place.
        assert_eq!(check(&sql("DO $$ BEGIN END $$;\nSELEC 1;\n", "postgres")).len(), 1);
    }

    #[test]
    fn a_delete_without_where_inside_with_is_destructive() {
        let SqlStatements { findings, .. } =
            sql_statements("WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d;\n", "postgres");
        assert_eq!(findings.iter().map(|f| f.what.as_str()).collect::<Vec<_>>(), ["DELETE without WHERE"]);
        let SqlStatements { findings, read_only } = sql_statements(
            "WITH d AS (DELETE FROM t WHERE id IN (SELECT 1) RETURNING *) SELECT * FROM d;\n",
            "postgres",
        );
        assert!(findings.is_empty());
        assert!(!read_only || findings.is_empty());
        let SqlStatements { findings, read_only } =
            sql_statements("WITH a AS (SELECT 1) SELECT * FROM a;\n", "postgres");
        assert!(findings.is_empty() && read_only);
    }

    #[test]
    fn yaml_reports_syntax_errors_and_kubernetes_objects_without_a_kind() {
        assert_eq!(check(&yaml("a: 1\n---\nb: [2\n")), ["4:1: did not find expected ',' or ']'"]);
        assert_eq!(
            check(&yaml(
                "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nmetadata:\n  name: b\nspec: {}\n"
            )),
            ["5:1: Kubernetes manifest has no `apiVersion` and `kind`"]
        );
        assert_eq!(
            check(&yaml("kind: Service\nspec: {}\n")),
            ["2:1: Kubernetes manifest has no `apiVersion`"]
        );
        assert!(yaml("services:\n  web:\n    image: nginx\n").is_empty());
        assert!(yaml("a: 1\n---\nb: 2\n...\n").is_empty());
        assert_eq!(yaml(&"[".repeat(100)).len(), 1);
    }

    #[test]
    fn json_toml_hcl_report_where_they_stop() {
        assert_eq!(check(&json("{\"a\": 1,}")), ["1:9: key must be a string"]);
        assert!(json("{\"a\": [1, 2]}\n").is_empty());
        assert_eq!(
            check(&toml("[server]\nport = \n")),
            ["2:8: string values must be quoted, expected literal string"]
        );
        assert!(toml("[server]\nport = 8080\n").is_empty());
        let problems = hcl("resource \"a\" \"b\" {\n  x = \n}\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 2);
        assert!(hcl("resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n").is_empty());
    }

    #[test]
    fn ini_accepts_the_common_forms() {
        assert!(ini("[mysqld]\nmax_connections = 500\nskip-name-resolve\n; comment\n# too\nkey: value\n")
            .is_empty());
        assert_eq!(
            check(&ini("[mysqld\n= 1\n[]\n")),
            [
                "1:1: section header is not closed",
                "2:1: setting has no name before its value",
                "3:1: section header has no name",
            ]
        );
    }

    #[test]
    fn dockerfile_instructions_and_continuations() {
        assert!(dockerfile("# syntax=docker/dockerfile:1\nFROM debian:12\nRUN apt-get update \\\n    # a comment\n    && apt-get install -y curl\nRUN <<EOF\nanything goes\nEOF\nCMD [\"x\"]\n").is_empty());
        assert_eq!(
            check(&dockerfile("FROM debian\nRUNN x\nCOPY a \\\n")),
            ["2:1: unknown instruction `RUNN`", "3:1: `COPY` continues past the last line",]
        );
        assert_eq!(check(&dockerfile("RUN x\n")), ["1:1: a Dockerfile starts with `FROM`, not `RUN`"]);
    }

    #[test]
    fn nginx_braces_semicolons_and_duplicate_locations() {
        assert!(nginx("server {\n  listen 80;\n  location /api/ { proxy_pass http://a; }\n  location = /api/ { return 200; }\n  log_format main '$a'\n    '$b';\n}\n").is_empty());
        assert_eq!(
            check(&nginx("server {\n  location /api/ {\n    proxy_pass http://a;\n  }\n  location /api/ {\n    proxy_pass http://b;\n  }\n}\n")),
            ["5:3: duplicate `location /api/` in one block"]
        );
        assert_eq!(
            check(&nginx("server {\n  listen 80\n  server_name a;\n}\n")),
            ["2:3: directive `listen` does not end with `;`"]
        );
        assert_eq!(check(&nginx("server {\n  listen 80;\n")), ["1:8: block is not closed"]);
        assert_eq!(check(&nginx("listen 80;\n}\n")), ["2:1: unexpected `}`"]);
        assert_eq!(check(&nginx("return 200 \"x;\n")), ["1:12: quote `\"` is not closed"]);
        // A `#` inside a word is not a comment; quoted braces are text.
        assert!(nginx("location ~ \\.php$ { return 200 \"{\"; }\nset $a b#c;\n").is_empty());
    }

    #[test]
    fn sql_parses_in_the_dialect_named() {
        assert!(sql("SELECT * FROM pg_stat_activity WHERE state = 'idle';\n\\x\nSELECT 1;", "postgres")
            .is_empty());
        assert!(sql("ALTER SYSTEM SET max_connections = 200;\nSELECT pg_reload_conf();\nALTER ROLE app IN DATABASE db SET search_path = app, public;\nVACUUM", "postgres").is_empty());
        assert_eq!(
            check(&sql("ALTER SYSTEM SET a = 1;\nSELEC 1;", "postgres")),
            ["2:1: Expected: an SQL statement, found: SELEC"]
        );
        assert_eq!(
            check(&sql("SELECT * FORM t;", "generic")),
            ["1:10: Expected: end of statement, found: FORM"]
        );
        assert_eq!(sql_dialect("sql", &["postgres".to_owned()], "x"), "postgres");
        assert_eq!(sql_dialect("sql", &[], "mysql"), "mysql");
        assert_eq!(sql_dialect("postgresql", &[], "mysql"), "postgres");
        assert_eq!(sql_dialect("sql", &[], "http"), "generic");
        assert_eq!(sql(&format!("SELECT {}1{}", "(".repeat(100), ")".repeat(100)), "generic").len(), 1);
    }

    #[test]
    fn destructive_sql_statements() {
        let whats = |code: &str| {
            sql_statements(code, "postgres")
                .findings
                .into_iter()
                .map(|f| format!("{}:{}: {}", f.line, f.column, f.what))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            whats("DROP TABLE users;\nDELETE FROM jobs;\nDELETE FROM jobs WHERE id = 1;\nupdate t set a = 1;\nTRUNCATE logs;\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity;\nALTER TABLE t DROP COLUMN c;"),
            ["1:1: DROP", "2:1: DELETE without WHERE", "4:1: UPDATE without WHERE", "5:1: TRUNCATE", "6:8: pg_terminate_backend", "7:1: ALTER … DROP"]
        );
        assert_eq!(
            whats("SELECT 'DROP TABLE x';\n-- DROP TABLE y\nSELECT \"drop\" FROM t;"),
            Vec::<String>::new()
        );
        assert!(sql_statements("SELECT 1;", "generic").read_only);
    }
}
