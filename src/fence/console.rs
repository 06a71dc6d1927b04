//! The lines of a console session: which are commands and which are output. The checks
//! (`bash -n` and the command rules), the page's rendering and its copy button all read a
//! session through [`lines`], so what is checked is what is copied.
//!
//! A line starting with `$ ` (a user's prompt) or `# ` (root's prompt) starts a command; a
//! command goes on over the lines its trailing `\` continues and over the body of a
//! here-document it opens, up to the delimiter. Every other line is output. A `# ` line is
//! always a prompt: a comment in a session is written after one (`$ # why`), as typed.

/// What a line of a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A command starts (or, after bash's `> `, goes on) after a prompt this many bytes wide:
    /// `$ `, `# `, `user@host:~$ `, `[root@web1 ~]# `.
    Prompt(usize),
    /// The command of the line before goes on (after a `\`).
    Continued,
    /// A line of a here-document the command opened, or its delimiter.
    Heredoc,
    Output,
}

/// One line of a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// The line with its line break.
    pub line: &'a str,
    /// The line without it.
    pub bare: &'a str,
    pub kind: Kind,
}

impl<'a> Line<'a> {
    /// The command text on the line, without its prompt; `None` for output.
    pub fn command(&self) -> Option<&'a str> {
        match self.kind {
            Kind::Prompt(width) => Some(&self.bare[width..]),
            Kind::Continued | Kind::Heredoc => Some(self.bare),
            Kind::Output => None,
        }
    }
}

const PROMPTS: [&str; 2] = ["$ ", "# "];

pub fn lines(code: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut continuing = false;
    let mut heredoc: Option<(String, bool)> = None;
    // The command being read, from its prompt on.
    let mut current = String::new();
    for line in code.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let kind = if let Some((delimiter, strip_tabs)) = &heredoc {
            let text = if *strip_tabs { bare.trim_start_matches('\t') } else { bare };
            if text == delimiter {
                heredoc = None;
            }
            Kind::Heredoc
        } else if let Some(rest) = ps2_continuation(&current, bare) {
            Kind::Prompt(bare.len() - rest.len())
        } else if continuing {
            Kind::Continued
        } else if let Some(prompt) = PROMPTS.iter().find(|p| bare.starts_with(**p)) {
            current.clear();
            Kind::Prompt(prompt.len())
        } else if let Some(width) = prompt_width(bare) {
            current.clear();
            Kind::Prompt(width)
        } else {
            Kind::Output
        };
        let entry = Line { line, bare, kind };
        if matches!(kind, Kind::Prompt(_) | Kind::Continued) {
            let command = entry.command().unwrap_or("");
            current.push_str(command);
            current.push('\n');
            heredoc = heredoc_opened(command);
            continuing = heredoc.is_none() && command.ends_with('\\');
        } else {
            continuing = false;
            if kind == Kind::Output {
                current.clear();
            }
        }
        out.push(entry);
    }
    out
}

/// The delimiter of a here-document a command line opens (`<<EOF`, `<<-'EOF'`), and whether
/// its lines lose their leading tabs.
fn heredoc_opened(command: &str) -> Option<(String, bool)> {
    let mut rest = command;
    while let Some(i) = rest.find("<<") {
        let after = &rest[i + 2..];
        rest = after;
        // `<<<` is a here-string.
        if let Some(after) = after.strip_prefix('<') {
            rest = after;
            continue;
        }
        let strip_tabs = after.starts_with('-');
        let word: String = after
            .trim_start_matches('-')
            .trim_start()
            .trim_start_matches(['\'', '"', '\\'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `$((1<<2))` shifts: a delimiter here starts with a letter.
        if word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Some((word, strip_tabs));
        }
    }
    None
}

/// The width of a full shell prompt before a command: `user@host:~/app$ `, `root@host:/# `,
/// `[root@web1 ~]# ` (with `$ ` or `# ` at its end).
pub fn prompt_width(line: &str) -> Option<usize> {
    let name = |s: &str| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let (user_host, sign_at) = if let Some(inner) = line.strip_prefix('[') {
        // `[root@web1 ~]# `
        let close = inner.find(']')?;
        let (user_host, _dir) = inner[..close].split_once(' ')?;
        (user_host, close + 2)
    } else {
        // `user@host:~/app$ `
        let sign_at = line.find(' ')?.checked_sub(1)?;
        let (user_host, _dir) = line.get(..sign_at)?.split_once(':')?;
        (user_host, sign_at)
    };
    let (user, host) = user_host.split_once('@')?;
    let sign = line.get(sign_at..)?.chars().next()?;
    let prompt = name(user)
        && name(host)
        && matches!(sign, '$' | '#')
        && line.get(sign_at + 1..).is_some_and(|rest| rest.starts_with(' '));
    prompt.then_some(sign_at + 2)
}

/// A `> ` line (bash's PS2 prompt) that continues `command`, a command not finished yet: a
/// quote or here-document left open, a line ending in `|`, `&&` or `||`, or a compound
/// command (`for … do`, `if … then`, `case`, `{`) not closed.
fn ps2_continuation<'a>(command: &str, line: &'a str) -> Option<&'a str> {
    let rest = line.strip_prefix("> ").or_else(|| (line == ">").then_some(""))?;
    if command.trim().is_empty() {
        return None;
    }
    let tail = command.trim_end();
    let script = super::shell::parse(command);
    let mut open = 0i64;
    for found in &script.commands {
        match found.words.first().map(|w| w.text.as_str()) {
            Some("if" | "for" | "while" | "until" | "select" | "case" | "{") => open += 1,
            Some("fi" | "done" | "esac" | "}") => open -= 1,
            _ => {}
        }
    }
    let unfinished = script.unclosed.is_some()
        || open > 0
        || tail.ends_with('|')
        || tail.ends_with("&&")
        || tail.ends_with('\\');
    unfinished.then_some(rest)
}

/// The commands of a session as the reader pastes them: prompts removed, output left out, a
/// command with its continued lines and its here-document, one command after another.
pub fn commands(code: &str) -> String {
    let mut text = String::new();
    for line in lines(code) {
        if let Some(command) = line.command() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(command);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(code: &str) -> Vec<Kind> {
        lines(code).iter().map(|l| l.kind).collect()
    }

    #[test]
    fn both_prompts_start_commands_that_go_on_over_continuations_and_heredocs() {
        let session = "$ kubectl get pods \\\n    -n prod\nNAME\n# systemctl restart nginx\n$ cat <<-'EOF' | sudo tee /etc/x\n\tkey = 1\n\tEOF\nout\n#not a prompt\n$ echo $((1<<2))\n4\n";
        assert_eq!(
            kinds(session),
            [
                Kind::Prompt(2),
                Kind::Continued,
                Kind::Output,
                Kind::Prompt(2),
                Kind::Prompt(2),
                Kind::Heredoc,
                Kind::Heredoc,
                Kind::Output,
                Kind::Output,
                Kind::Prompt(2),
                Kind::Output,
            ]
        );
        assert_eq!(
            commands(session),
            "kubectl get pods \\\n    -n prod\nsystemctl restart nginx\ncat <<-'EOF' | sudo tee /etc/x\n\tkey = 1\n\tEOF\necho $((1<<2))"
        );
        assert_eq!(commands("$ grep x <<< \"$v\"\nx\n"), "grep x <<< \"$v\"");
    }
}
