//! The info string of a fenced code block: ```` ```bash danger="rolls back production" ````.
//!
//! The first word is the language. The words after it, separated by spaces or commas, are:
//! - `danger` or `danger="reason"`: the block changes or deletes something; the page warns
//!   readers (with the reason) and its copy button asks for a second press;
//! - `nocheck`: the block is deliberately partial, so its parser does not check it (the
//!   destructive-command and secret rules still do);
//! - any other word, such as a SQL dialect (```` ```sql postgres ````), is kept as a hint.

/// What the words of an info string say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Info {
    /// The language, as written (empty for none).
    pub lang: String,
    /// `Some` when the block is marked `danger`: the reason, empty when none was given.
    pub danger: Option<String>,
    pub nocheck: bool,
    /// The other words, lowercased.
    pub hints: Vec<String>,
    /// A `danger=` whose reason is missing, unquoted or never closed.
    pub problem: Option<ReasonProblem>,
}

/// What is wrong with the reason after `danger=`: the message, and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonProblem {
    pub message: String,
    pub help: String,
}

impl Info {
    pub fn parse(info: &str) -> Info {
        let info = info.trim();
        let lang_end = info.find([' ', ',', '{', '\t']).unwrap_or(info.len());
        let mut parsed = Info { lang: info[..lang_end].to_owned(), ..Info::default() };
        let mut rest = &info[lang_end..];
        loop {
            rest = rest.trim_start_matches([' ', ',', '\t']);
            if rest.is_empty() {
                break;
            }
            let word_end = rest.find([' ', ',', '\t', '=']).unwrap_or(rest.len());
            let word = rest[..word_end].to_ascii_lowercase();
            rest = &rest[word_end..];
            let mut value = None;
            if let Some(after) = rest.strip_prefix('=') {
                if word == "danger" {
                    parsed.problem = parsed.problem.take().or_else(|| reason_problem(after));
                }
                let (text, remaining) = quoted_value(after);
                value = Some(text);
                rest = remaining;
            }
            match word.as_str() {
                "danger" => parsed.danger = Some(value.unwrap_or_default()),
                "nocheck" => parsed.nocheck = true,
                "" => {}
                _ => parsed.hints.push(word),
            }
        }
        parsed
    }

    /// The language in lowercase.
    pub fn lang_lower(&self) -> String {
        self.lang.to_ascii_lowercase()
    }
}

/// What is wrong with the reason after `danger=`, if anything: the message and the fix.
fn reason_problem(after: &str) -> Option<ReasonProblem> {
    let fix = "write the reason in double quotes, like ```bash danger=\"deletes the cache\", or mark the block with `danger` alone";
    let Some(quote) = after.chars().next().filter(|c| !matches!(c, ' ' | ',' | '\t')) else {
        return Some(ReasonProblem { message: "`danger=` has no reason".to_owned(), help: fix.to_owned() });
    };
    if quote != '"' && quote != '\'' {
        let word: String = after.chars().take_while(|c| !matches!(c, ' ' | ',' | '\t')).collect();
        return Some(ReasonProblem {
            message: format!("the reason in `danger={word}` is not quoted, so only its first word is read"),
            help: fix.to_owned(),
        });
    }
    let mut escaped = false;
    for c in after.chars().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            c if c == quote && !escaped => return None,
            _ => escaped = false,
        }
    }
    Some(ReasonProblem {
        message: format!("the reason after `danger=` opens a quote `{quote}` that is never closed"),
        help: format!(
            "close the reason with `{quote}`; until then the rest of the info string is read as the reason"
        ),
    })
}

/// A value after `=`: `"text with spaces"` or `'text with spaces'` (inside, a backslash
/// escapes the quote and itself: `\"`, `\'`, `\\`; any other backslash is kept), or a bare
/// word; and what follows it.
fn quoted_value(text: &str) -> (String, &str) {
    let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        let end = text.find([' ', ',', '\t']).unwrap_or(text.len());
        return (text[..end].to_owned(), &text[end..]);
    };
    let mut value = String::new();
    let mut chars = text[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match text[1 + i + 1..].chars().next() {
                Some(next) if next == quote || next == '\\' => {
                    chars.next();
                    value.push(next);
                }
                _ => value.push('\\'),
            },
            c if c == quote => return (value.trim().to_owned(), &text[1 + i + 1..]),
            c => value.push(c),
        }
    }
    // An unclosed quote takes the rest of the line.
    (value.trim().to_owned(), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(info: &str, lang: &str, danger: Option<&str>, nocheck: bool, hints: &[&str]) {
        let parsed = Info::parse(info);
        assert_eq!(parsed.lang, lang, "{info}");
        assert_eq!(parsed.danger.as_deref(), danger, "{info}");
        assert_eq!(parsed.nocheck, nocheck, "{info}");
        assert_eq!(parsed.hints, hints, "{info}");
    }

    #[test]
    fn reads_the_words_after_the_language() {
        check("bash", "bash", None, false, &[]);
        check("", "", None, false, &[]);
        check("bash danger", "bash", Some(""), false, &[]);
        check("bash danger=\"rolls back production\"", "bash", Some("rolls back production"), false, &[]);
        check("bash,danger='wipes the cache' nocheck", "bash", Some("wipes the cache"), true, &[]);
        check("sql Postgres danger=drops", "sql", Some("drops"), false, &["postgres"]);
        check("yaml nocheck", "yaml", None, true, &[]);
        check("bash danger=\"say \\\"no\\\"", "bash", Some("say \"no\""), false, &[]);
        check("bash {.wide}", "bash", None, false, &["{.wide}"]);
        check("bash\tdanger", "bash", Some(""), false, &[]);
    }

    #[test]
    fn a_reason_that_is_empty_unquoted_or_unclosed_is_a_problem() {
        let problem = |info: &str| Info::parse(info).problem.map(|problem| problem.message);
        assert_eq!(problem("bash danger=").as_deref(), Some("`danger=` has no reason"));
        assert_eq!(problem("bash danger= nocheck").as_deref(), Some("`danger=` has no reason"));
        assert_eq!(
            problem("bash danger=wipes the cache").as_deref(),
            Some("the reason in `danger=wipes` is not quoted, so only its first word is read")
        );
        assert_eq!(
            problem("bash danger=\"wipes the cache").as_deref(),
            Some("the reason after `danger=` opens a quote `\"` that is never closed")
        );
        assert_eq!(problem("bash danger=\"wipes\" nocheck"), None);
        assert_eq!(problem("bash danger='wipes'"), None);
        assert_eq!(problem("bash danger"), None);
    }

    #[test]
    fn a_quoted_reason_keeps_its_escaped_quotes_and_backslashes() {
        check(
            r#"bash danger="reason with \"quotes\" inside" nocheck"#,
            "bash",
            Some(r#"reason with "quotes" inside"#),
            true,
            &[],
        );
        check(r#"bash danger="C:\\temp and \d" x"#, "bash", Some(r#"C:\temp and \d"#), false, &["x"]);
        check(r#"bash danger='it\'s the \'cache\'' x"#, "bash", Some("it's the 'cache'"), false, &["x"]);
        check(r#"bash danger='say "no"'"#, "bash", Some(r#"say "no""#), false, &[]);
    }
}
