//! Shell scripts as commands: the words of every simple command, quotes removed, with where
//! each word is written, so rules match what runs and not what a string or comment mentions.
//!
//! This is not a full shell grammar (`bash -n` checks the syntax, see `external`); it splits
//! a script at the operators (`|`, `&&`, `||`, `;`, `&`, newlines, parentheses), skips
//! comments, redirections and reserved words, and reads the commands inside `$(…)`, `` `…` ``
//! and `<(…)` too. A here-document's body is not a command of the script: it is kept, with its
//! lines' places, on the command that opens it, for `rules` to read when that command is a
//! shell or a database client.

/// A word of a command: its text with quotes and escapes removed, and its place in the script
/// (1-based line and column, in characters; `len` characters as written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

/// One simple command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<Word>,
    /// Whether this command's output goes on through a pipe, and the index of the command it
    /// goes to.
    pub piped_to: Option<usize>,
    /// The here-document the command reads, if it opens one (the last, if it opens several).
    pub heredoc: Option<Body>,
}

/// The body of a here-document: its text, and for each of its lines the script line it is
/// written on and how many characters (`<<-` tabs) were taken from its start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    pub text: String,
    pub lines: Vec<BodyLine>,
}

/// Where one line of a here-document's text is written in the script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BodyLine {
    /// The script line.
    pub line: usize,
    /// How many characters come before the text on that line (`<<-` tabs).
    pub chars_before: usize,
}

/// What reading a script found.
#[derive(Debug, Default)]
pub struct Script {
    pub commands: Vec<Command>,
    /// A quote, substitution or here-document that is never closed: the line and column where
    /// it opens, and what is missing. Such a script cannot be checked together with others.
    pub unclosed: Option<Unclosed>,
}

/// A quote, substitution or here-document left open: where it opens, and what is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unclosed {
    pub line: usize,
    pub column: usize,
    pub what: String,
}

/// Nested substitutions deeper than this are read as plain text.
const MAX_DEPTH: usize = 16;

pub fn parse(script: &str) -> Script {
    let chars: Vec<char> = script.chars().collect();
    let mut lexer = Lexer {
        chars: &chars,
        at: 0,
        line: 1,
        column: 1,
        out: Script::default(),
        nested: Vec::new(),
        depth: 0,
        close: None,
        truncated: None,
    };
    lexer.run(None);
    lexer.finish_script()
}

/// A script as its lines of characters, read once; positions are counted as it goes.
struct Lexer<'a> {
    chars: &'a [char],
    at: usize,
    line: usize,
    column: usize,
    out: Script,
    /// The commands of each substitution, numbered on their own; they follow the others.
    nested: Vec<Vec<Command>>,
    depth: usize,
    /// The character that ends the substitution being read.
    close: Option<char>,
    /// The target of a `>` redirection in the command being read (see [`Lexer::truncation`]).
    truncated: Option<Word>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// `|` or `|&`: the next command reads this one's output.
    Pipe,
    /// Anything else that ends a command.
    End,
}

struct Heredoc {
    delimiter: String,
    strip_tabs: bool,
    line: usize,
    column: usize,
    /// The index the command that opens it has (or will have) among the commands.
    command: usize,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.at).copied()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    /// The script with the commands of substitutions after the others, their pipes renumbered.
    fn finish_script(mut self) -> Script {
        for group in std::mem::take(&mut self.nested) {
            let offset = self.out.commands.len();
            for mut command in group {
                command.piped_to = command.piped_to.map(|i| i + offset);
                self.out.commands.push(command);
            }
        }
        self.out
    }

    fn unclosed(&mut self, line: usize, column: usize, what: &str) {
        if self.out.unclosed.is_none() {
            self.out.unclosed = Some(Unclosed { line, column, what: what.to_owned() });
        }
    }

    /// Reads commands until the end, or until `close` (the `)` of a substitution) at depth 0.
    ///
    /// Long on purpose: one state machine over the input (words, redirections, here-documents,
    /// operators); split, its states would be scattered over functions that share them all.
    fn run(&mut self, close: Option<char>) {
        let mut words: Vec<Word> = Vec::new();
        let mut heredocs: Vec<Heredoc> = Vec::new();
        // After a redirection operator, the next word is its target, not part of the command.
        let mut skip_next = false;
        let mut heredoc_next: Option<bool> = None;
        while let Some(c) = self.peek(0) {
            if Some(c) == close {
                break;
            }
            match c {
                ' ' | '\t' | '\r' => {
                    self.bump();
                }
                '\\' if self.peek(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                '\n' => {
                    self.bump();
                    self.finish(&mut words, Sep::End);
                    for heredoc in std::mem::take(&mut heredocs) {
                        let body = self.read_heredoc(&heredoc);
                        if let Some(command) = self.out.commands.get_mut(heredoc.command) {
                            command.heredoc = Some(body);
                        }
                    }
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '|' => {
                    self.bump();
                    let sep = match self.peek(0) {
                        Some('|') => {
                            self.bump();
                            Sep::End
                        }
                        Some('&') => {
                            self.bump();
                            Sep::Pipe
                        }
                        _ => Sep::Pipe,
                    };
                    self.finish(&mut words, sep);
                }
                '&' if self.peek(1) == Some('>') => {
                    self.bump();
                    self.bump();
                    if self.peek(0) == Some('>') {
                        self.bump();
                    }
                    skip_next = true;
                }
                '&' | ';' | '(' | ')' => {
                    self.bump();
                    if c == ';' && self.peek(0) == Some(';') {
                        self.bump();
                    }
                    if c == '&' && self.peek(0) == Some('&') {
                        self.bump();
                    }
                    self.finish(&mut words, Sep::End);
                }
                '<' | '>' => {
                    let (line, column) = (self.line, self.column);
                    self.bump();
                    if c == '<' && self.peek(0) == Some('(') || c == '>' && self.peek(0) == Some('(') {
                        self.bump();
                        self.nested(')', line, column);
                        continue;
                    }
                    if c == '<' && self.peek(0) == Some('<') {
                        self.bump();
                        if self.peek(0) == Some('<') {
                            self.bump();
                            skip_next = true;
                        } else {
                            let strip_tabs = self.peek(0) == Some('-');
                            if strip_tabs {
                                self.bump();
                            }
                            heredoc_next = Some(strip_tabs);
                        }
                        continue;
                    }
                    let truncates = c == '>' && !matches!(self.peek(0), Some('>' | '&'));
                    while matches!(self.peek(0), Some('>' | '&' | '|')) {
                        self.bump();
                    }
                    // `2>&1`: the target is glued to the operator.
                    if self.peek(0).is_some_and(|c| c.is_ascii_digit() || c == '-') {
                        while self.peek(0).is_some_and(|c| c.is_ascii_digit() || c == '-') {
                            self.bump();
                        }
                    } else {
                        skip_next = true;
                        if truncates {
                            self.truncated = Some(Word { text: String::new(), line, column, len: 1 });
                        }
                    }
                }
                _ => {
                    let (line, column) = (self.line, self.column);
                    let start = self.at;
                    let (text, quoted) = self.word();
                    let len = self.at - start;
                    // `2>file`: a number glued to a redirection is the descriptor.
                    if !quoted
                        && text.chars().all(|c| c.is_ascii_digit())
                        && matches!(self.peek(0), Some('<' | '>'))
                    {
                        continue;
                    }
                    if let Some(strip_tabs) = heredoc_next.take() {
                        let command = self.out.commands.len();
                        heredocs.push(Heredoc { delimiter: text, strip_tabs, line, column, command });
                    } else if std::mem::take(&mut skip_next) {
                        // A redirection's target.
                        if let Some(redirection) = self.truncated.as_mut().filter(|r| r.text.is_empty()) {
                            redirection.text = text;
                        }
                    } else {
                        words.push(Word { text, line, column, len });
                    }
                }
            }
        }
        self.finish(&mut words, Sep::End);
        for heredoc in heredocs {
            self.unclosed(heredoc.line, heredoc.column, &format!("here-document `{}`", heredoc.delimiter));
        }
    }

    fn finish(&mut self, words: &mut Vec<Word>, sep: Sep) {
        let mut words = std::mem::take(words);
        if let Some(truncation) = self.truncation(&words) {
            words = truncation;
        }
        if words.is_empty() {
            return;
        }
        let index = self.out.commands.len();
        self.out.commands.push(Command {
            words,
            piped_to: (sep == Sep::Pipe).then_some(index + 1),
            heredoc: None,
        });
    }

    /// A command that only empties a file (`> file`, `: > file`, `true > file`) as the words
    /// `>` and the file, so the rules can match it; `/dev/null` is never emptied.
    fn truncation(&mut self, words: &[Word]) -> Option<Vec<Word>> {
        let target = self.truncated.take()?;
        let only_redirects = match words {
            [] => true,
            [only] => only.text == ":" || only.text == "true",
            _ => false,
        };
        if !only_redirects || target.text.is_empty() || target.text == "/dev/null" {
            return None;
        }
        let operator = Word { text: ">".to_owned(), ..target.clone() };
        Some(vec![operator, target])
    }

    /// Reads the lines of a here-document up to its delimiter.
    fn read_heredoc(&mut self, heredoc: &Heredoc) -> Body {
        let mut body = Body::default();
        loop {
            if self.peek(0).is_none() {
                self.unclosed(
                    heredoc.line,
                    heredoc.column,
                    &format!("here-document `{}`", heredoc.delimiter),
                );
                return body;
            }
            let line = self.line;
            let mut text = String::new();
            while let Some(c) = self.peek(0) {
                self.bump();
                if c == '\n' {
                    break;
                }
                text.push(c);
            }
            let kept = if heredoc.strip_tabs { text.trim_start_matches('\t') } else { text.as_str() };
            let stripped = text.len() - kept.len();
            let kept = kept.trim_end_matches('\r');
            if kept == heredoc.delimiter {
                return body;
            }
            body.text.push_str(kept);
            body.text.push('\n');
            body.lines.push(BodyLine { line, chars_before: stripped });
        }
    }

    /// The commands inside `$(…)`, `<(…)` or `` `…` ``, read on their own; the lexer stands
    /// after the closing character.
    fn nested(&mut self, close: char, line: usize, column: usize) {
        if self.depth >= MAX_DEPTH {
            self.skip_balanced(close, line, column);
            return;
        }
        let mut inner = Lexer {
            chars: self.chars,
            at: self.at,
            line: self.line,
            column: self.column,
            out: Script::default(),
            nested: Vec::new(),
            depth: self.depth + 1,
            close: Some(close),
            truncated: None,
        };
        inner.run(Some(close));
        let (at, line_now, column_now) = (inner.at, inner.line, inner.column);
        let script = inner.finish_script();
        if let Some(unclosed) = script.unclosed {
            self.unclosed(unclosed.line, unclosed.column, &unclosed.what);
        }
        self.nested.push(script.commands);
        self.at = at;
        self.line = line_now;
        self.column = column_now;
        if self.peek(0) == Some(close) {
            self.bump();
        } else {
            let what = if close == '`' { "backquote `` ` ``" } else { "`$(`" };
            self.unclosed(line, column, what);
        }
    }

    fn skip_balanced(&mut self, close: char, line: usize, column: usize) {
        let mut depth = 1;
        while let Some(c) = self.bump() {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            } else if c == '(' && close == ')' {
                depth += 1;
            }
        }
        self.unclosed(line, column, "`$(`");
    }

    /// One word, with quotes and escapes removed; whether any part of it was quoted.
    ///
    /// Long on purpose: one loop over the characters of the word, a branch per kind of quote,
    /// escape and expansion, each of which can end the word or go on with it.
    fn word(&mut self) -> (String, bool) {
        let mut text = String::new();
        let mut quoted = false;
        while let Some(c) = self.peek(0) {
            if Some(c) == self.close {
                break;
            }
            match c {
                ' ' | '\t' | '\r' | '\n' | '|' | '&' | ';' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(next) => text.push(next),
                    }
                }
                '\'' => {
                    quoted = true;
                    let (line, column) = (self.line, self.column);
                    self.bump();
                    loop {
                        match self.bump() {
                            Some('\'') => break,
                            Some(c) => text.push(c),
                            None => {
                                self.unclosed(line, column, "quote `'`");
                                break;
                            }
                        }
                    }
                }
                '"' => {
                    quoted = true;
                    let (line, column) = (self.line, self.column);
                    self.bump();
                    loop {
                        match self.peek(0) {
                            Some('"') => {
                                self.bump();
                                break;
                            }
                            Some('\\') => {
                                self.bump();
                                match self.bump() {
                                    Some(next @ ('"' | '\\' | '$' | '`')) => text.push(next),
                                    Some('\n') | None => {}
                                    Some(next) => {
                                        text.push('\\');
                                        text.push(next);
                                    }
                                }
                            }
                            Some('$') if self.peek(1) == Some('(') => {
                                let (l, col) = (self.line, self.column);
                                text.push_str("$(…)");
                                self.bump();
                                self.bump();
                                self.substitution(l, col);
                            }
                            Some('`') => {
                                let (l, col) = (self.line, self.column);
                                text.push_str("`…`");
                                self.bump();
                                self.nested('`', l, col);
                            }
                            Some(c) => {
                                self.bump();
                                text.push(c);
                            }
                            None => {
                                self.unclosed(line, column, "quote `\"`");
                                break;
                            }
                        }
                    }
                }
                '$' if self.peek(1) == Some('(') => {
                    let (line, column) = (self.line, self.column);
                    text.push_str("$(…)");
                    self.bump();
                    self.bump();
                    self.substitution(line, column);
                }
                '$' if self.peek(1) == Some('{') => {
                    let (line, column) = (self.line, self.column);
                    self.bump();
                    self.bump();
                    text.push_str("${");
                    let mut depth = 1;
                    loop {
                        match self.bump() {
                            Some('}') => {
                                depth -= 1;
                                if depth == 0 {
                                    text.push('}');
                                    break;
                                }
                                text.push('}');
                            }
                            Some('{') => {
                                depth += 1;
                                text.push('{');
                            }
                            Some(c) => text.push(c),
                            None => {
                                self.unclosed(line, column, "`${`");
                                break;
                            }
                        }
                    }
                }
                '`' => {
                    let (line, column) = (self.line, self.column);
                    text.push_str("`…`");
                    self.bump();
                    self.nested('`', line, column);
                }
                c => {
                    self.bump();
                    text.push(c);
                }
            }
        }
        (text, quoted)
    }

    /// After `$(`: arithmetic `$((…))` is skipped, a command substitution is read.
    fn substitution(&mut self, line: usize, column: usize) {
        if self.peek(0) == Some('(') {
            self.bump();
            self.skip_balanced(')', line, column);
            if self.peek(0) == Some(')') {
                self.bump();
            }
        } else {
            self.nested(')', line, column);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of each command, and where each command's output is piped.
    fn commands(script: &str) -> Vec<String> {
        parse(script)
            .commands
            .iter()
            .map(|c| {
                let words: Vec<&str> = c.words.iter().map(|w| w.text.as_str()).collect();
                match c.piped_to {
                    Some(i) => format!("{} |{i}", words.join(" ")),
                    None => words.join(" "),
                }
            })
            .collect()
    }

    #[test]
    fn splits_at_operators_and_removes_quotes() {
        assert_eq!(
            commands("sudo rm -rf '/var/lib/x' && echo \"done now\"; env | sort\n"),
            ["sudo rm -rf /var/lib/x", "echo done now", "env |3", "sort"]
        );
        assert_eq!(commands("a || b & c\n(d)"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn skips_comments_heredocs_and_redirections() {
        assert_eq!(commands("# rm -rf /\necho hi # rm -rf /\n"), ["echo hi"]);
        assert_eq!(
            commands("cat <<'EOF' > /tmp/x\nrm -rf /\nEOF\necho after 2>&1 >/dev/null\n"),
            ["cat", "echo after"]
        );
        assert_eq!(commands("cat <<-EOF\n\trm -rf /\n\tEOF\nls\n"), ["cat", "ls"]);
        assert_eq!(commands("grep x < in.txt 2> err.log\n"), ["grep x"]);
    }

    #[test]
    fn keeps_each_heredoc_body_with_the_command_that_opens_it() {
        let script = parse("ls; ssh db1 <<'EOF' | tee log\n  rm -rf /x\nEOF\nbash <<-X\n\t\tid\n\tX\n");
        let bodies: Vec<String> = script
            .commands
            .iter()
            .map(|c| {
                let lines = |b: &Body| b.lines.iter().map(|l| (l.line, l.chars_before)).collect::<Vec<_>>();
                format!("{:?}", c.heredoc.as_ref().map(|b| (&b.text, lines(b))))
            })
            .collect();
        assert_eq!(
            bodies,
            ["None", "Some((\"  rm -rf /x\\n\", [(2, 0)]))", "None", "Some((\"id\\n\", [(5, 2)]))"]
        );
    }

    #[test]
    fn reads_commands_inside_substitutions() {
        assert_eq!(commands("echo $(rm -rf /tmp/x) `id -u`\n"), ["echo $(…) `…`", "rm -rf /tmp/x", "id -u"]);
        assert_eq!(commands("echo \"$(whoami)\" $((1 + 2))\n"), ["echo $(…) $(…)", "whoami"]);
    }

    #[test]
    fn joins_continued_lines_and_keeps_positions() {
        let script = parse("kubectl get pods \\\n  -n prod\n  rm x\n");
        let words = &script.commands[0].words;
        assert_eq!(words.last().map(|w| (w.text.as_str(), w.line, w.column)), Some(("prod", 2, 6)));
        assert_eq!(script.commands[1].words[0].line, 3);
        assert_eq!(script.commands[1].words[0].column, 3);
    }

    #[test]
    fn reports_what_is_left_open() {
        let unclosed = |line, column, what: &str| Unclosed { line, column, what: what.to_owned() };
        assert_eq!(parse("echo 'x\n").unclosed, Some(unclosed(1, 6, "quote `'`")));
        assert_eq!(parse("cat <<EOF\nx\n").unclosed, Some(unclosed(1, 7, "here-document `EOF`")));
        assert_eq!(parse("echo $(ls\n").unclosed, Some(unclosed(1, 6, "`$(`")));
        assert!(parse("echo 'x' \"y\" $(z) `w`\n").unclosed.is_none());
    }

    #[test]
    fn deep_nesting_stops_quickly() {
        let script = "$(".repeat(10_000);
        let parsed = parse(&script);
        assert!(parsed.unclosed.is_some());
    }
}
