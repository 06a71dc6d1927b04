//! Markdown for readers that are not browsers: the Markdown copies of entries (`index.md`,
//! `llms-full.txt`). An author's text is kept as written, with what only the page could make of
//! it changed in place: site links point where the copy is read from, headings sit under the
//! section they belong to, fences name their language alone with a warning line before a
//! block marked `danger`, and raw HTML, which the page sanitizes, becomes inert text.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag};

use super::{is_site_path, parser_options, LinkStyle, Outline, Part};

/// `markdown` as a Markdown copy shows it, read as `part` of an entry (its headings nested as
/// the page nests them) with site links written for `links`.
pub fn rewrite(markdown: &str, part: Part, links: &LinkStyle) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let parser = Parser::new_ext(markdown, parser_options());
    for (_, def) in parser.reference_definitions().iter() {
        if is_site_path(&def.dest) {
            if let Some(at) = destination(markdown, def.span.clone(), "]:", &def.dest) {
                edits.push((at, links.rewrite(&def.dest)));
            }
        }
    }
    let mut outline = Outline::new(part);
    let mut html_block: Option<Range<usize>> = None;
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_site_path(&dest_url) =>
            {
                if let Some(at) = destination(markdown, range, "](", &dest_url) {
                    edits.push((at, links.rewrite(&dest_url)));
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let written = &markdown[range.clone()];
                let hashes = written.len() - written.trim_start_matches('#').len();
                let level = heading_number(outline.level(level));
                if hashes > 0 {
                    edits.push((range.start..range.start + hashes, "#".repeat(level)));
                } else {
                    // A setext heading (a line of `=` or `-` under its text) becomes an ATX one.
                    let text = written.lines().next().unwrap_or("").trim();
                    edits.push((range, format!("{} {text}\n", "#".repeat(level))));
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let info = crate::fence::Info::parse(&super::info_as_written(markdown, range.start, &info));
                let line_end = markdown[range.start..].find('\n').map_or(markdown.len(), |n| range.start + n);
                let fence_line = &markdown[range.start..line_end];
                let fence = fence_line.len() - fence_line.trim_start_matches(['`', '~']).len();
                edits.push((range.start + fence..line_end, info.lang.clone()));
                if let Some(reason) = info.danger {
                    let warning = if reason.is_empty() {
                        "**Warning — this block changes or deletes something.**".to_owned()
                    } else {
                        format!(
                            "**Warning — this block changes or deletes something:** {}",
                            escape_text(&reason)
                        )
                    };
                    edits.push((
                        range.start..range.start,
                        format!("{warning}\n\n{}", continuation(markdown, range.start)),
                    ));
                }
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some(range),
            Event::End(pulldown_cmark::TagEnd::HtmlBlock) => html_block = None,
            Event::Html(_) | Event::InlineHtml(_) => {
                let block = html_block.clone().unwrap_or(range.clone());
                if is_comment(&markdown[block.clone()]) {
                    // The page never shows a comment: neither does its copy.
                    if edits.last().map(|(r, _)| r) != Some(&block) {
                        edits.push((block, String::new()));
                    }
                    continue;
                }
                let written = &markdown[range.clone()];
                if written.contains('<') {
                    edits.push((range, written.replace('<', "\\<")));
                }
            }
            _ => {}
        }
    }
    apply(markdown, edits)
}

fn heading_number(level: HeadingLevel) -> usize {
    level as usize
}

/// Where `dest` is written in the link written at `range`: after the last `marker` (`](` for
/// an inline link, `]:` for a definition), after spaces and an opening `<`. `None` when it is
/// written otherwise (with escapes), which leaves the link as written.
fn destination(markdown: &str, range: Range<usize>, marker: &str, dest: &str) -> Option<Range<usize>> {
    let written = &markdown[range.clone()];
    let after = written.rfind(marker)? + marker.len();
    let rest = &written[after..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '<']).len();
    let start = range.start + after + skipped;
    markdown[start..].starts_with(dest).then(|| start..start + dest.len())
}

/// What a line inserted before the text at `at` starts with to stay in the same container:
/// the quote markers of the line, and spaces for everything else before `at`.
fn continuation(markdown: &str, at: usize) -> String {
    let line_start = markdown[..at].rfind('\n').map_or(0, |n| n + 1);
    markdown[line_start..at].chars().map(|c| if c == '>' || c == '\t' { c } else { ' ' }).collect()
}

fn is_comment(html: &str) -> bool {
    let html = html.trim();
    html.starts_with("<!--") && html.ends_with("-->")
}

/// `markdown` with each range replaced; ranges are taken in order and overlapping ones after
/// the first are dropped.
fn apply(markdown: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut copied = 0;
    for (range, text) in edits {
        if range.start < copied {
            continue;
        }
        out.push_str(&markdown[copied..range.start]);
        out.push_str(&text);
        copied = range.end;
    }
    out.push_str(&markdown[copied..]);
    out
}

/// Text that is not Markdown (a title, a summary, an alias) escaped so a Markdown reader shows
/// it as written: the characters that could start markup get a backslash.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let at_start = i == 0;
        // `_` inside a word (`client_max_body_size`) never starts emphasis.
        let inside_word = c == '_'
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if (matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~') && !inside_word)
            || (at_start && matches!(c, '#' | '-' | '+' | '='))
        {
            out.push('\\');
        }
        // A line break in a one-line field would end the paragraph or the list item.
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    // `1.` or `1)` at the start of a line would begin a list.
    if let Some(digits) = out.find(|c: char| !c.is_ascii_digit()).filter(|&n| n > 0) {
        if matches!(out.as_bytes()[digits], b'.' | b')') {
            out.insert(digits, '\\');
        }
    }
    out
}

/// `text` as inline code, with a fence longer than any run of backticks inside it.
pub fn code_span(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A URL as the destination of a Markdown link: in `<…>` when it holds spaces or parentheses.
pub fn link_destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn absolute() -> LinkStyle {
        LinkStyle { root: "https://e.org/kb/".to_owned(), index_suffix: String::new() }
    }

    #[test]
    fn site_links_point_where_the_copy_is_read() {
        let text = "See [502](/http/502/#why), ![x](/assets/x.png) and [ref].\n\n[ref]: /http/504/\n\n[out](https://a.example/) stays.\n";
        assert_eq!(
            rewrite(text, Part::Body, &absolute()),
            "See [502](https://e.org/kb/http/502/#why), ![x](https://e.org/kb/assets/x.png) and [ref].\n\n[ref]: https://e.org/kb/http/504/\n\n[out](https://a.example/) stays.\n"
        );
        let offline = LinkStyle { root: "../../".to_owned(), index_suffix: "index.html".to_owned() };
        assert_eq!(rewrite("[a](/http/502/)", Part::Body, &offline), "[a](../../http/502/index.html)");
    }

    #[test]
    fn headings_nest_under_their_section() {
        assert_eq!(rewrite("# Top\n\n## Under\n", Part::FIELD, &absolute()), "### Top\n\n#### Under\n");
        assert_eq!(rewrite("## Why\n\nText\n", Part::Body, &absolute()), "## Why\n\nText\n");
        assert_eq!(rewrite("Why\n===\n", Part::ITEM_FIELD, &absolute()), "#### Why\n");
    }

    #[test]
    fn fences_name_their_language_and_dangerous_blocks_are_marked() {
        let text = "```bash danger=\"drops the \\\"old\\\" table\" nocheck\nrm -rf /x\n```\n";
        assert_eq!(
            rewrite(text, Part::FIELD, &absolute()),
            "**Warning — this block changes or deletes something:** drops the \"old\" table\n\n```bash\nrm -rf /x\n```\n"
        );
        let listed = "1. Run:\n\n   ```sh danger\n   rm x\n   ```\n";
        assert_eq!(
            rewrite(listed, Part::FIELD, &absolute()),
            "1. Run:\n\n   **Warning — this block changes or deletes something.**\n\n   ```sh\n   rm x\n   ```\n"
        );
    }

    #[test]
    fn raw_html_is_inert_and_comments_are_left_out() {
        let text = "Press <kbd>Ctrl</kbd>.\n\n<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>\n\n<!-- hidden\nnote -->\n\nEnd <!-- aside --> here.\n";
        assert_eq!(
            rewrite(text, Part::Body, &absolute()),
            "Press \\<kbd>Ctrl\\</kbd>.\n\n\\<div onclick=\"x()\">\n\\<script>alert(1)\\</script>\n\\</div>\n\n\nEnd  here.\n"
        );
    }

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(escape_text("a *b* <c> [d]"), "a \\*b\\* \\<c\\> \\[d\\]");
        assert_eq!(escape_text("# not a heading"), "\\# not a heading");
        assert_eq!(escape_text("client_max_body_size _x_"), "client_max_body_size \\_x\\_");
        assert_eq!(escape_text("1. not a list"), "1\\. not a list");
        assert_eq!(code_span("a `b` c"), "``a `b` c``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(link_destination("https://e.org/a (b)"), "<https://e.org/a (b)>");
    }
}
