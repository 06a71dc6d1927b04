//! Markdown as plain text a person reads: the `text` of the data API's fields.
//!
//! Blocks are separated by a blank line; list items start with `- ` or `N. ` and nest two
//! spaces per level; block quotes start their lines with `> `; code blocks keep their lines
//! as written, without fences; table rows are their cells joined by ` | `. Inline code is its
//! text, links and images their text and alt text, a footnote reference `[label]`; raw HTML
//! is left out. No line ends in whitespace, there is no `\r`, and blank lines never come two
//! in a row (runs of them inside code shrink to one).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::parser_options;

/// `markdown` as readable plain text; see the module's documentation for its shape.
pub fn readable_text(markdown: &str) -> String {
    let mut writer = Writer::default();
    for event in Parser::new_ext(markdown, parser_options()) {
        writer.event(event);
    }
    writer.finish()
}

/// A block that holds other blocks, and so a piece of the start of each of their lines.
struct Container {
    /// What starts every line inside: `> ` for a quote, two spaces for a list level.
    prefix: &'static str,
    /// What starts the first line written inside instead: a list item's marker, until the
    /// item's first line is written.
    first: Option<String>,
    /// A list: the number of its next item when it is numbered, and how many items it has.
    list: Option<(Option<u64>, usize)>,
}

/// What goes between the last block written and the next one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gap {
    Line,
    Blank,
}

#[derive(Default)]
struct Writer {
    out: String,
    containers: Vec<Container>,
    /// The text of the block being read, lines separated by `\n`; `None` between blocks.
    block: Option<String>,
    /// Inside a code block: its text is taken as it is.
    code: bool,
    /// What goes before the next block; `None` until something is written.
    gap: Option<Gap>,
    /// The number of cells of the table row being read so far.
    cells: usize,
}

impl Writer {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.code => {
                let block = self.block();
                if text.contains('\r') {
                    block.push_str(&text.replace("\r\n", "\n").replace('\r', "\n"));
                } else {
                    block.push_str(&text);
                }
            }
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.inline(&text);
            }
            Event::SoftBreak => self.inline(" "),
            Event::HardBreak => self.block().push('\n'),
            Event::FootnoteReference(label) => self.inline(&format!("[{label}]")),
            Event::TaskListMarker(done) => self.inline(if done { "[x] " } else { "[ ] " }),
            Event::Rule => self.flush(false),
            Event::Html(_) | Event::InlineHtml(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::HtmlBlock
            | Tag::MetadataBlock(_)
            | Tag::Table(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.flush(false),
            Tag::CodeBlock(_) => {
                self.flush(false);
                self.code = true;
                self.block = Some(String::new());
            }
            Tag::BlockQuote(_) => {
                self.flush(false);
                self.containers.push(Container { prefix: "> ", first: None, list: None });
            }
            Tag::List(start) => {
                // A list inside an item that already shows text follows it on the next line.
                let nested = self.containers.last().is_some_and(|c| {
                    c.list.is_some()
                        && (c.first.is_none() || self.block.as_ref().is_some_and(|b| !b.trim().is_empty()))
                });
                self.flush(false);
                if nested {
                    self.line_gap();
                }
                self.containers.push(Container { prefix: "  ", first: None, list: Some((start, 0)) });
            }
            Tag::Item => {
                self.flush(false);
                let Some(Container { first, list: Some((next, items)), .. }) = self.containers.last_mut()
                else {
                    return;
                };
                *first = Some(match next {
                    Some(n) => {
                        let marker = format!("{n}. ");
                        *n = n.saturating_add(1);
                        marker
                    }
                    None => "- ".to_owned(),
                });
                *items += 1;
                if *items > 1 {
                    self.line_gap();
                }
            }
            Tag::FootnoteDefinition(label) => {
                self.flush(false);
                self.containers.push(Container {
                    prefix: "  ",
                    first: Some(format!("[{label}]: ")),
                    list: None,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                self.flush(false);
                self.cells = 0;
            }
            Tag::TableCell => {
                if self.cells > 0 {
                    self.block().push_str(" | ");
                }
                self.cells += 1;
                self.block();
            }
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. } => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::CodeBlock => {
                if let Some(block) = &mut self.block {
                    if block.ends_with('\n') {
                        block.pop();
                    }
                }
                self.flush(true);
                self.code = false;
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition => {
                self.flush(false);
                self.containers.pop();
                self.gap = self.gap.map(|_| Gap::Blank);
            }
            TagEnd::Item => {
                // An item with nothing to show still shows its marker.
                let empty = self.block.is_none() && self.containers.last().is_some_and(|c| c.first.is_some());
                self.flush(empty);
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                self.flush(false);
                self.line_gap();
            }
            TagEnd::Table => {
                self.flush(false);
                self.gap = self.gap.map(|_| Gap::Blank);
            }
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_)
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.flush(false),
            TagEnd::TableCell
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => {}
        }
    }

    /// The next block follows on the next line, if anything was written.
    fn line_gap(&mut self) {
        self.gap = self.gap.map(|_| Gap::Line);
    }

    /// The block being read, begun if none is.
    fn block(&mut self) -> &mut String {
        self.block.get_or_insert_with(String::new)
    }

    /// Inline text: on one line, whatever line endings an entity or a code span held.
    fn inline(&mut self, text: &str) {
        let block = self.block();
        if text.contains(['\n', '\r']) {
            block.push_str(&text.replace(['\n', '\r'], " "));
        } else {
            block.push_str(text);
        }
    }

    /// Writes the block being read, if it holds anything (or `always`), with the start of
    /// each line its containers give it.
    fn flush(&mut self, always: bool) {
        let block = self.block.take().unwrap_or_default();
        if block.trim().is_empty() && !always {
            return;
        }
        match self.gap {
            Some(Gap::Blank) => self.out.push_str("\n\n"),
            Some(Gap::Line) => self.out.push('\n'),
            None => {}
        }
        self.gap = Some(Gap::Blank);
        let mut first = true;
        for line in block.split('\n') {
            if !first {
                self.out.push('\n');
            }
            for container in &mut self.containers {
                match container.first.take().filter(|_| first) {
                    Some(marker) => self.out.push_str(&marker),
                    None => self.out.push_str(container.prefix),
                }
            }
            first = false;
            self.out.push_str(line);
        }
    }

    /// The text written, with the promises of the module kept: lines end without whitespace,
    /// blank lines never come two in a row, none starts or ends the text.
    fn finish(mut self) -> String {
        self.flush(false);
        let mut text = String::with_capacity(self.out.len());
        let mut blank = false;
        for line in self.out.split('\n') {
            let line = line.trim_end();
            if line.is_empty() {
                blank = !text.is_empty();
                continue;
            }
            if !text.is_empty() {
                text.push_str(if blank { "\n\n" } else { "\n" });
            }
            blank = false;
            text.push_str(line);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_separated_by_a_blank_line_and_inline_markup_is_its_text() {
        let markdown = "## Why it *happens*\n\nThe **proxy** got no `response`\nin time: see [the 502 entry](/http/502/) and ![a diagram](/d.png).\\\nNext line.\n\n---\n\nLast <b>bold</b> word.<br>\n";
        assert_eq!(
            readable_text(markdown),
            "Why it happens\n\nThe proxy got no response in time: see the 502 entry and a diagram.\nNext line.\n\nLast bold word."
        );
    }

    #[test]
    fn code_blocks_keep_their_lines_without_fences() {
        let markdown = "Run:\n\n```bash\n$ kubectl get pods -n shop   \n  | grep -v Running\n\n\n\necho \"<done>\"\n```\n\n    indented  code\n        deeper\n\nAfter.";
        assert_eq!(
            readable_text(markdown),
            "Run:\n\n$ kubectl get pods -n shop\n  | grep -v Running\n\necho \"<done>\"\n\nindented  code\n    deeper\n\nAfter."
        );
    }

    #[test]
    fn lists_nest_two_spaces_per_level_and_keep_their_numbers() {
        let markdown = "Steps:\n\n3. three\n4. four\n   - a\n   - b\n     1. deep\n5. five\n\n- loose\n\n  second paragraph\n\n  ```\n  code in an item\n  ```\n- - nested at once\n-\n\nEnd.";
        assert_eq!(
            readable_text(markdown),
            "Steps:\n\n3. three\n4. four\n  - a\n  - b\n    1. deep\n5. five\n\n- loose\n\n  second paragraph\n\n  code in an item\n- - nested at once\n-\n\nEnd."
        );
    }

    #[test]
    fn tables_quotes_and_footnotes_read_as_lines() {
        let markdown = "| Code | Meaning |\n|---|---|\n| `502` | Bad *gateway* |\n| 504 | |\n\n> Quoted\n> line.\n>\n> > Twice.\n\nSee[^n].\n\n[^n]: The note.\n";
        assert_eq!(
            readable_text(markdown),
            "Code | Meaning\n502 | Bad gateway\n504 |\n\n> Quoted line.\n\n> > Twice.\n\nSee[n].\n\n[n]: The note."
        );
    }

    #[test]
    fn raw_html_is_left_out_and_line_endings_become_newlines() {
        assert_eq!(
            readable_text("<div>\n<script>alert(1)</script>\n</div>\n\nText &lt;kept&gt;"),
            "Text <kept>"
        );
        assert_eq!(readable_text("one\r\ntwo\r\n\r\n```\na\r\nb\r\n```\r\n"), "one two\n\na\nb");
        assert_eq!(readable_text("cr&#13;in text"), "cr in text");
        assert_eq!(readable_text("<https://e.org/x> ~~old~~ new  \nnext"), "https://e.org/x old new\nnext");
        assert_eq!(readable_text(""), "");
        assert_eq!(readable_text("<!-- only a comment -->"), "");
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    /// Markdown of every kind of block and inline markup, and of raw HTML.
    fn markdown() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<script>alert(1)</script>"),
            Just("<div onclick=\"x\">d</div>\n"),
            Just("<b>bold</b>"),
            Just("<!-- c -->"),
            Just("```bash\necho <b>\n```\n"),
            Just("~~~\n"),
            Just("    indented\n"),
            Just("`code`"),
            Just("## Heading\n"),
            Just("| a | b |\n|---|---|\n| c | d |\n"),
            Just("[^1]\n\n[^1]: note\n"),
            Just("[link](/x/) ![alt](/i.png)"),
            Just("- a\n  - b\n"),
            Just("1. one\n2. two\n"),
            Just("> quoted\n> > twice\n"),
            Just("line  \nbreak\\\nagain"),
            Just("\n---\n"),
            Just("\r\n"),
            Just("\r"),
            Just("\n"),
            Just("\n\n"),
            Just("\t"),
            Just("   "),
            Just("&#13; &lt; &nbsp;"),
            Just("text "),
        ]
        .prop_map(str::to_owned);
        let any_text = any::<String>().prop_map(|s| s.chars().take(12).collect::<String>());
        prop::collection::vec(prop_oneof![4 => piece, 1 => any_text], 0..24).prop_map(|p| p.concat())
    }

    /// Markdown whose only `<` open raw HTML tags (or autolinks).
    fn markdown_with_tags() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<script>alert(1)</script>"),
            Just("<div onclick=\"x\">d</div>\n"),
            Just("<b>bold</b> "),
            Just("<img src=x onerror=alert(1)>"),
            Just("<svg onload=alert(1)><circle/></svg>"),
            Just("<details open><summary>s</summary>t</details>\n"),
            Just("<!-- <b> -->"),
            Just("<br/>"),
            Just("<https://e.org/>"),
            Just("*em* **strong** "),
            Just("## Heading "),
            Just("- item "),
            Just("> quote "),
            Just("| a | <b>b</b> |\n|---|---|\n"),
            Just("a > b "),
            Just("\n"),
            Just("\n\n"),
            Just("text "),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
    }

    /// A code line: anything but a line ending or a fence's backtick or tilde.
    fn code_line() -> impl Strategy<Value = String> {
        "[^\r\n`~\u{0}]{0,30}"
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn the_text_has_no_cr_no_trailing_space_and_no_double_blank_line(
            text in prop_oneof![markdown(), any::<String>()],
        ) {
            let out = readable_text(&text);
            prop_assert!(!out.contains('\r'), "{out:?}");
            prop_assert!(!out.contains("\n\n\n"), "{out:?}");
            prop_assert!(!out.starts_with('\n') && !out.ends_with('\n'), "{out:?}");
            for line in out.split('\n') {
                prop_assert_eq!(line, line.trim_end(), "{:?}", out);
            }
        }

        #[test]
        fn raw_html_tags_never_reach_the_text(text in markdown_with_tags()) {
            let out = readable_text(&format!("Before *the* tags.\n\n{text}"));
            prop_assert!(!out.contains('<'), "{text:?} gave {out:?}");
            prop_assert!(out.starts_with("Before the tags."), "{text:?} gave {out:?}");
        }

        /// Every line of a code block is a line of the text, as written but for trailing
        /// whitespace.
        #[test]
        fn code_lines_are_kept_verbatim(
            before in "[a-z ]{0,20}",
            code in prop::collection::vec(code_line(), 1..8),
            fenced in any::<bool>(),
        ) {
            let block = if fenced {
                format!("```sh\n{}\n```\n", code.join("\n"))
            } else {
                code.iter().map(|l| format!("    {l}\n")).collect()
            };
            let markdown = format!("{before}\n\n{block}\nafter");
            let out = readable_text(&markdown);
            let lines: Vec<&str> = out.split('\n').collect();
            for line in &code {
                let line = line.trim_end();
                prop_assert!(line.is_empty() || lines.contains(&line), "{line:?} not in {out:?}");
            }
            prop_assert!(out == "after" || out.ends_with("\n\nafter"), "{out:?}");
        }
    }
}
