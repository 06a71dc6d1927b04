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
    /// A command starts after this prompt (`$ ` or `# `).
    Prompt(&'static str),
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
            Kind::Prompt(prompt) => Some(&self.bare[prompt.len()..]),
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
    for line in code.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let kind = if let Some((delimiter, strip_tabs)) = &heredoc {
            let text = if *strip_tabs { bare.trim_start_matches('\t') } else { bare };
            if text == delimiter {
                heredoc = None;
            }
            Kind::Heredoc
        } else if continuing {
            Kind::Continued
        } else if let Some(prompt) = PROMPTS.iter().find(|p| bare.starts_with(**p)) {
            Kind::Prompt(prompt)
        } else {
            Kind::Output
        };
        let entry = Line { line, bare, kind };
        if matches!(kind, Kind::Prompt(_) | Kind::Continued) {
            let command = entry.command().unwrap_or("");
            heredoc = heredoc_opened(command);
            continuing = heredoc.is_none() && command.ends_with('\\');
        } else {
            continuing = false;
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
                Kind::Prompt("$ "),
                Kind::Continued,
                Kind::Output,
                Kind::Prompt("# "),
                Kind::Prompt("$ "),
                Kind::Heredoc,
                Kind::Heredoc,
                Kind::Output,
                Kind::Output,
                Kind::Prompt("$ "),
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
