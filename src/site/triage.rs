//! `errorbook triage`'s findings as text for the terminal (`search::triage` finds them).
//!
//! Text in, text out, like `explain`: every piece of an entry passes through
//! [`terminal::visible_line`] before our colours are added.

use crate::search::triage::{Found, MatchKind};
use crate::terminal;

/// What was found, as a person reads it: per entry its title, then its id, code, how many
/// lines matched and the first of them, then its URL; and a last line with the counts. Text
/// from entries passes through [`terminal::visible_line`] before our colours are added.
pub fn render_human(found: &[Found], lines_read: u64, color: bool) -> String {
    let paint = |style: &str, text: &str| {
        if color {
            format!("{style}{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    for f in found {
        let mut numbers: Vec<String> = f.lines.iter().map(u64::to_string).collect();
        if f.count > f.lines.len() as u64 {
            numbers.push("…".to_owned());
        }
        let by = match f.by {
            MatchKind::Alias => "alias",
            MatchKind::Code => "code",
        };
        let facts = format!(
            "  {} · {} · {} by {by}: {}",
            terminal::visible_line(&f.entry),
            terminal::visible_line(&f.code),
            count(f.count, "line"),
            numbers.join(", ")
        );
        out.push_str(&paint("\x1b[1m", &terminal::visible_line(&f.title)));
        out.push('\n');
        out.push_str(&paint("\x1b[2m", &facts));
        out.push('\n');
        out.push_str(&format!("  {}\n\n", terminal::visible_line(&f.url)));
    }
    let matched = if found.is_empty() { "no entry".to_owned() } else { count(found.len() as u64, "entry") };
    out.push_str(&format!("{matched} found in {} read\n", count(lines_read, "line")));
    out
}

fn count(n: u64, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "entry") => format!("{n} entries"),
        _ => format!("{n} {word}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::EntryId;

    fn found(id: &str, code: &str, title: &str, by: MatchKind, lines: &[u64]) -> Found {
        let (category, slug) = id.split_once('/').unwrap();
        Found {
            entry: EntryId::new(category, slug),
            code: code.to_owned(),
            title: title.to_owned(),
            url: format!("https://e.org/kb/{id}/"),
            by,
            count: lines.len() as u64,
            lines: lines.to_vec(),
        }
    }

    #[test]
    fn each_entry_then_the_counts() {
        let both = [
            found("http/503", "503", "Title of 503", MatchKind::Alias, &[2]),
            found("oracle/ora-00942", "ORA-00942", "Title of ora-00942", MatchKind::Code, &[1, 4]),
        ];
        assert_eq!(
            render_human(&both, 4, false),
            "\
Title of 503
  http/503 · 503 · 1 line by alias: 2
  https://e.org/kb/http/503/

Title of ora-00942
  oracle/ora-00942 · ORA-00942 · 2 lines by code: 1, 4
  https://e.org/kb/oracle/ora-00942/

2 entries found in 4 lines read
"
        );
        assert_eq!(render_human(&[], 0, false), "no entry found in 0 lines read\n");
        let mut more = found("http/503", "503", "T", MatchKind::Alias, &[1, 2]);
        more.count = 9;
        assert!(render_human(&[more], 1, false).contains("9 lines by alias: 1, 2, …\n"));
    }

    #[test]
    fn text_from_entries_reaches_the_terminal_as_stand_ins() {
        let one = [found("oracle/ora-00942", "ORA-00942", "T \x1b]0;pwned\x07", MatchKind::Code, &[1])];
        let text = render_human(&one, 1, true);
        assert!(text.contains("T \\e]0;pwned\\x07"), "{text}");
        assert!(!text.contains('\x07'));
        assert!(text.starts_with("\x1b[1mT "), "our own colours stay: {text:?}");
    }
}
