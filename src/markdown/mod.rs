//! Markdown to safe HTML, with highlighted code blocks and a table of contents.
//!
//! Knows nothing of templates or files: text in, HTML out. Untrusted HTML in the Markdown is
//! sanitized by `ammonia`; highlighted snippets are produced here and spliced in after
//! sanitizing, so the sanitizer never has to allow the markup we generate ourselves.

mod highlight;

use std::collections::BTreeSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub use highlight::{
    highlight_css, is_known_language, snippet_html, snippet_html_in, snippet_key, terminal_escaped,
    use_snippet_store, verify_highlighted, SnippetStore,
};

/// How links to other pages of the site are written in the output.
#[derive(Clone, Debug, Default)]
pub struct LinkStyle {
    /// Prefix that leads from the page to the site root: `/kb/` or `../../`.
    pub root: String,
    /// `index.html` for builds read from disk, otherwise empty.
    pub index_suffix: String,
}

impl LinkStyle {
    /// Links as written in the Markdown: `/http/502/`, for HTML that [`relink`] adapts later.
    pub fn site_absolute() -> LinkStyle {
        LinkStyle { root: "/".to_owned(), index_suffix: String::new() }
    }

    pub fn is_site_absolute(&self) -> bool {
        self.root == "/" && self.index_suffix.is_empty()
    }

    /// Rewrites a site-absolute path (`/http/502/#why`) for the page being rendered.
    pub fn rewrite(&self, url: &str) -> String {
        let path = url.strip_prefix('/').unwrap_or(url);
        let (path, fragment) = match path.find(['#', '?']) {
            Some(i) => path.split_at(i),
            None => (path, ""),
        };
        let suffix = if path.is_empty() || path.ends_with('/') { self.index_suffix.as_str() } else { "" };
        format!("{}{path}{suffix}{fragment}", self.root)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The `##` sections, in order (only when rendering a body).
    pub toc: Vec<Heading>,
}

/// What kind of text is rendered: the long-form body keeps its `##` sections as page sections;
/// other fields sit inside a page section, so their headings start one level lower.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Body,
    Field,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

const SNIPPET_MARK: char = '\u{E000}';

/// The language a code block names: the first word of a fence's info string (```` ```bash
/// {.wide} ````), empty for indented blocks.
fn fence_language(kind: &CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_owned(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// Renders Markdown to sanitized HTML.
pub fn render(markdown: &str, part: Part, links: &LinkStyle) -> Rendered {
    render_with(markdown, part, links, Sanitize::WhenNeeded)
}

/// Whether [`render_with`] may leave out the sanitizer for Markdown that has nothing it would
/// change; tests compare the two ways.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sanitize {
    WhenNeeded,
    #[cfg(test)]
    Always,
}

/// Whether the HTML pulldown-cmark writes for this event could be anything but tags of its own,
/// without attributes the sanitizer would touch, around escaped text: raw HTML, links and
/// images (their URLs), tables (alignment styles) and footnotes (their ids) go through the
/// sanitizer; headings and code blocks never reach here (they are written by [`render_with`]).
fn needs_sanitizer(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => !matches!(
            tag,
            Tag::Paragraph
                | Tag::BlockQuote(None)
                | Tag::List(_)
                | Tag::Item
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
        ),
        // Every end closes a start that was judged already.
        Event::End(_) => false,
        // The sanitizer's HTML parser drops or rewrites some control characters.
        Event::Text(text) | Event::Code(text) => {
            text.contains(|c: char| c.is_control() && c != '\n' && c != '\t')
        }
        Event::SoftBreak | Event::HardBreak | Event::Rule => false,
        _ => true,
    }
}

/// pulldown-cmark's HTML as the sanitizer would write it back, for HTML of the events
/// [`needs_sanitizer`] lets through: void tags without the slash, no-break spaces as entities.
fn as_sanitizer_writes(html: String) -> String {
    if !html.contains(" />") && !html.contains('\u{a0}') {
        return html;
    }
    html.replace("<br />", "<br>").replace("<hr />", "<hr>").replace('\u{a0}', "&nbsp;")
}

fn render_with(markdown: &str, part: Part, links: &LinkStyle, sanitize: Sanitize) -> Rendered {
    // Rendering thousands of short fields, the sanitizer's parse and rewrite of each one costs
    // more than the Markdown itself; most hold nothing it would change.
    let mut sanitized = sanitize == Sanitize::WhenNeeded;
    let mut snippets: Vec<String> = Vec::new();
    let mut toc = Vec::new();
    let mut used_ids = BTreeSet::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut heading: Option<(HeadingLevel, Vec<Event<'_>>)> = None;

    for event in limit_nesting(Parser::new_ext(markdown, parser_options())) {
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    events.push(Event::Html(CowStr::from(format!(
                        "<div>{SNIPPET_MARK}{}{SNIPPET_MARK}</div>\n",
                        snippets.len()
                    ))));
                    snippets.push(snippet_html(&lang, &text));
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, inner)) = heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                let (level, inner) = heading.take().unwrap_or((HeadingLevel::H2, Vec::new()));
                let level = shift(level, part);
                let title = inner_text(&inner);
                let id = unique_id(&slugify(&title), &mut used_ids);
                if part == Part::Body && level == HeadingLevel::H2 {
                    toc.push(Heading { id: id.clone(), title });
                }
                events.push(Event::Html(CowStr::from(format!("<{level} id=\"{id}\">"))));
                events.extend(inner);
                events.push(Event::Html(CowStr::from(format!("</{level}>\n"))));
            } else {
                sanitized = sanitized && !needs_sanitizer(&event);
                inner.push(event);
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = fence_language(&kind);
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, Vec::new())),
            other => {
                sanitized = sanitized && !needs_sanitizer(&other);
                events.push(other);
            }
        }
    }

    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let clean = if sanitized {
        relink(&as_sanitizer_writes(html), links)
    } else {
        relink(&sanitizer().clean(&html).to_string(), links)
    };
    Rendered { html: splice_snippets(&clean, &snippets), toc }
}

/// Rewrites the site-absolute URLs (`/http/502/`) in `href`, `src` and `cite` attributes of HTML
/// that [`render`] wrote with [`LinkStyle::site_absolute`] for another style, so one rendering
/// serves the pages (relative or under a sub-path) and the data API (absolute) alike.
pub fn relink(html: &str, links: &LinkStyle) -> String {
    if links.is_site_absolute() {
        return html.to_owned();
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 256);
    let (mut copied, mut at, mut in_tag) = (0, 0, false);
    // The sanitizer's output quotes every attribute value with `"` and escapes `<` in text, so
    // a `"` inside a tag always opens a value, and text never looks like a tag.
    while at < bytes.len() {
        match bytes[at] {
            b'<' if !in_tag => in_tag = true,
            b'>' if in_tag => in_tag = false,
            b'"' if in_tag => {
                let Some(length) = html[at + 1..].find('"') else { break };
                let end = at + 1 + length;
                let value = &html[at + 1..end];
                if is_url_attribute(&html[..at]) && value.starts_with('/') && !value.starts_with("//") {
                    out.push_str(&html[copied..=at]);
                    out.push_str(&links.rewrite(value));
                    copied = end;
                }
                at = end;
            }
            _ => {}
        }
        at += 1;
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether the text before a `"` ends with ` href=`, ` src=` or ` cite=`.
fn is_url_attribute(before: &str) -> bool {
    let Some(name) = before.strip_suffix('=') else { return false };
    ["href", "src", "cite"].iter().any(|attribute| {
        name.strip_suffix(attribute).is_some_and(|rest| rest.ends_with(|c: char| c.is_ascii_whitespace()))
    })
}

/// Deeper than any real entry nests. The sanitizer's HTML parser takes time that grows with the
/// square of the nesting depth, so a file of 100 000 `>` or `<div>` would take minutes to render.
const MAX_DEPTH: usize = 48;

/// Flattens quotes, lists and emphasis nested deeper than [`MAX_DEPTH`] (their text is kept), and
/// shows raw HTML that would open more than [`MAX_DEPTH`] elements as text.
fn limit_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut html_depth = 0usize;
    let mut raw = move |html: &str| {
        let (opens, closes) = html_tags(html);
        let next = (html_depth + opens).saturating_sub(closes);
        let allowed = next <= MAX_DEPTH;
        if allowed {
            html_depth = next;
        }
        allowed
    };
    events.filter_map(move |event| match event {
        Event::Start(
            tag @ (Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough),
        ) => {
            let keep = depth < MAX_DEPTH;
            kept.push(keep);
            depth += usize::from(keep);
            keep.then_some(Event::Start(tag))
        }
        Event::End(
            end @ (TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough),
        ) => {
            let keep = kept.pop().unwrap_or(false);
            depth -= usize::from(keep);
            keep.then_some(Event::End(end))
        }
        Event::Html(html) => Some(if raw(&html) { Event::Html(html) } else { Event::Text(html) }),
        Event::InlineHtml(html) => Some(if raw(&html) { Event::InlineHtml(html) } else { Event::Text(html) }),
        other => Some(other),
    })
}

/// How many elements a piece of raw HTML opens and closes (void and self-closed tags open none).
fn html_tags(html: &str) -> (usize, usize) {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr",
    ];
    let (mut opens, mut closes) = (0, 0);
    let mut rest = html;
    while let Some(index) = rest.find('<') {
        rest = &rest[index + 1..];
        if let Some(after) = rest.strip_prefix('/') {
            closes += usize::from(after.starts_with(|c: char| c.is_ascii_alphabetic()));
            continue;
        }
        let name: String = rest.chars().take_while(char::is_ascii_alphanumeric).collect();
        if name.is_empty() || VOID.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let self_closed = rest.find('>').is_some_and(|end| rest[..end].ends_with('/'));
        opens += usize::from(!self_closed);
    }
    (opens, closes)
}

/// Renders a one-line item (a checklist entry) without the surrounding paragraph.
pub fn render_inline(markdown: &str, links: &LinkStyle) -> String {
    let html = render(markdown, Part::Field, links).html;
    let trimmed = html.trim();
    match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => trimmed.to_owned(),
    }
}

/// One step of reading Markdown as plain structure, for renderers that are not HTML (the
/// terminal view of `explain`). A small vocabulary of our own, so no caller depends on the
/// Markdown parser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// A fenced or indented code block: the language (empty when none) and the code.
    CodeBlock {
        lang: String,
        code: String,
    },
    /// A list begins: numbered from `Some(start)`, or bulleted.
    ListStart(Option<u64>),
    ListEnd,
    ItemStart,
    /// A list item, paragraph, heading or table row ends.
    BlockEnd {
        heading: bool,
    },
    /// A heading begins (its text is strong).
    HeadingStart,
    StrongStart,
    StrongEnd,
    Text(String),
    /// Inline code.
    Code(String),
    LinkStart {
        url: String,
    },
    LinkEnd,
    SoftBreak,
    HardBreak,
    TableCellEnd,
}

/// The [`Piece`]s of `markdown`, in order; what no plain-text renderer needs (images, HTML,
/// emphasis) is left out.
pub fn pieces(markdown: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, code) = code.take().unwrap_or_default();
                    out.push(Piece::CodeBlock { lang, code });
                }
                _ => {}
            }
            continue;
        }
        let piece = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = fence_language(&kind);
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::List(start)) => Piece::ListStart(start),
            Event::End(TagEnd::List(_)) => Piece::ListEnd,
            Event::Start(Tag::Item) => Piece::ItemStart,
            Event::End(TagEnd::Heading(_)) => Piece::BlockEnd { heading: true },
            Event::End(TagEnd::Item | TagEnd::Paragraph | TagEnd::TableRow) => {
                Piece::BlockEnd { heading: false }
            }
            Event::Start(Tag::Heading { .. }) => Piece::HeadingStart,
            Event::Start(Tag::Strong) => Piece::StrongStart,
            Event::End(TagEnd::Strong) => Piece::StrongEnd,
            Event::Text(t) => Piece::Text(t.into_string()),
            Event::Code(t) => Piece::Code(t.into_string()),
            Event::Start(Tag::Link { dest_url, .. }) => Piece::LinkStart { url: dest_url.into_string() },
            Event::End(TagEnd::Link) => Piece::LinkEnd,
            Event::SoftBreak => Piece::SoftBreak,
            Event::HardBreak => Piece::HardBreak,
            Event::End(TagEnd::TableCell) => Piece::TableCellEnd,
            _ => continue,
        };
        out.push(piece);
    }
    out
}

/// The words of a Markdown text, for search and descriptions.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, parser_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                text.push_str(&t);
            }
            // Words end at breaks and blocks; inline ends (emphasis, links) do not split them.
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) if !text.ends_with(' ') && !text.is_empty() => {
                text.push(' ');
            }
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a check needs from a Markdown text without rendering it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// Site-absolute link targets (`/http/502/`), in order.
    pub links: Vec<String>,
    /// Languages of code blocks the highlighter does not know.
    pub unknown_languages: Vec<String>,
}

pub fn scan(markdown: &str) -> Scan {
    let mut scan = Scan::default();
    for event in Parser::new_ext(markdown, parser_options()) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if dest_url.starts_with('/') && !dest_url.starts_with("//") =>
            {
                scan.links.push(dest_url.into_string());
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = info.split([' ', ',', '{']).next().unwrap_or("");
                if !lang.is_empty() && !is_known_language(lang) {
                    scan.unknown_languages.push(lang.to_owned());
                }
            }
            _ => {}
        }
    }
    scan
}

fn shift(level: HeadingLevel, part: Part) -> HeadingLevel {
    let minimum = match part {
        Part::Body => HeadingLevel::H2,
        Part::Field => HeadingLevel::H4,
    };
    level.max(minimum)
}

fn inner_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text.trim().to_owned()
}

/// A readable, URL-safe id for a heading.
pub fn slugify(text: &str) -> String {
    let slug = crate::content::tag_slug(&text.replace(['.', '_', '\''], ""));
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut id = base.to_owned();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// The sanitizer, built once: it keeps every URL as written, so site-absolute links stay
/// site-absolute until [`relink`] rewrites them.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tag_attributes("h2", ["id"])
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .add_tags(["details", "summary"])
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough);
        builder
    })
}

fn splice_snippets(html: &str, snippets: &[String]) -> String {
    if snippets.is_empty() {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + snippets.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(&format!("<div>{SNIPPET_MARK}")) {
        let after = &rest[start + 5 + SNIPPET_MARK.len_utf8()..];
        let Some(end) = after.find(SNIPPET_MARK) else {
            break;
        };
        let index: Option<usize> = after[..end].parse().ok();
        let tail = &after[end + SNIPPET_MARK.len_utf8()..];
        match (index.and_then(|i| snippets.get(i)), tail.strip_prefix("</div>")) {
            (Some(snippet), Some(tail)) => {
                out.push_str(&rest[..start]);
                out.push_str(snippet);
                rest = tail;
            }
            _ => {
                out.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut copied = 0;
    // The escaped characters are ASCII, so byte positions are always character boundaries;
    // runs between them are copied whole, which matters for long texts.
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(entity);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_the_five_characters_and_keeps_the_rest() {
        assert_eq!(escape(r#"a<b>&"c"'d'"#), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
        assert_eq!(escape("é→ plain ünïcode"), "é→ plain ünïcode");
        assert_eq!(escape("<"), "&lt;");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn relink_rewrites_url_attributes_only() {
        let markdown = "[a](/http/502/#why) ![i](/img/x.png) [b](//cdn.example/x) [c](https://e.org/) `href=\"/x\"` text href=\"/y\"";
        let canonical = render(markdown, Part::Field, &LinkStyle::site_absolute()).html;
        let offline = LinkStyle { root: "../../".into(), index_suffix: "index.html".into() };
        let html = relink(&canonical, &offline);
        assert!(html.contains("href=\"../../http/502/index.html#why\""), "{html}");
        assert!(html.contains("src=\"../../img/x.png\""), "{html}");
        assert!(html.contains("href=\"//cdn.example/x\""), "{html}");
        assert!(html.contains("href=\"https://e.org/\""), "{html}");
        assert!(html.contains("text href=\"/y\""), "text is not a link: {html}");
        assert_eq!(html, render(markdown, Part::Field, &offline).html);
        assert_eq!(relink(&canonical, &LinkStyle::site_absolute()), canonical);
    }

    fn html(markdown: &str) -> String {
        render(markdown, Part::Body, &LinkStyle { root: "/kb/".into(), index_suffix: String::new() }).html
    }

    fn check(markdown: &str, expected: &str) {
        assert_eq!(html(markdown).trim(), expected);
    }

    #[test]
    fn headings_get_ids_and_a_toc() {
        let rendered = render(
            "# Top\n\n## Why it happens\n\ntext\n\n## Why it happens\n",
            Part::Body,
            &LinkStyle::default(),
        );
        assert_eq!(
            rendered.html,
            "<h2 id=\"top\">Top</h2>\n<h2 id=\"why-it-happens\">Why it happens</h2>\n<p>text</p>\n<h2 id=\"why-it-happens-2\">Why it happens</h2>\n"
        );
        let ids: Vec<_> = rendered.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["top", "why-it-happens", "why-it-happens-2"]);
    }

    #[test]
    fn field_headings_sit_below_sections() {
        let rendered = render("## Note\n", Part::Field, &LinkStyle::default());
        assert_eq!(rendered.html, "<h4 id=\"note\">Note</h4>\n");
        assert!(rendered.toc.is_empty());
    }

    #[test]
    fn removes_script_and_handlers_keeps_harmless_tags() {
        check("<script>alert(1)</script>\n\nPress <kbd>Ctrl</kbd>", "<p>Press <kbd>Ctrl</kbd></p>");
        check("<img src=x onerror=alert(1)>", "<img src=\"x\">");
        check("[x](javascript:alert(1))", "<p><a>x</a></p>");
        check("<a href=\"JaVaScRiPt:alert(1)\">y</a>", "<p><a>y</a></p>");
        check("<iframe src=\"https://e.org\"></iframe>text", "text");
        check("<div style=\"background:url(x)\" onclick=\"x()\">hi</div>", "<div>hi</div>");
    }

    #[test]
    fn rewrites_site_links_for_the_base_path_and_offline_builds() {
        check("[502](/http/502/#why)", "<p><a href=\"/kb/http/502/#why\">502</a></p>");
        check("[ext](https://e.org/x)", "<p><a href=\"https://e.org/x\">ext</a></p>");
        let offline = LinkStyle { root: "../../".into(), index_suffix: "index.html".into() };
        let html = render("[502](/http/502/)", Part::Body, &offline).html;
        assert_eq!(html, "<p><a href=\"../../http/502/index.html\">502</a></p>\n");
    }

    #[test]
    fn code_blocks_are_highlighted_with_classes() {
        let out = html("```bash\necho hi\n```\n");
        assert!(out.starts_with("<div class=\"snippet\" data-lang=\"bash\">"), "{out}");
        assert!(out.contains("class=\"hl-"), "{out}");
        assert!(!out.contains("style="), "{out}");
    }

    #[test]
    fn a_forged_snippet_marker_stays_text() {
        let out = html("<div>\u{E000}7\u{E000}</div>");
        assert!(!out.contains("snippet"), "{out}");
    }

    #[test]
    fn inline_items_lose_the_paragraph() {
        let links = LinkStyle::default();
        assert_eq!(
            render_inline("`curl` returns **200**", &links),
            "<code>curl</code> returns <strong>200</strong>"
        );
    }

    #[test]
    fn scan_finds_site_links_and_unknown_languages() {
        let scan = scan(
            "[a](/http/502/) [b](https://x.org) ![c](/img.png)\n\n```klingon\nx\n```\n```bash\ny\n```\n",
        );
        assert_eq!(scan.links, ["/http/502/", "/img.png"]);
        assert_eq!(scan.unknown_languages, ["klingon"]);
    }

    #[test]
    fn deep_nesting_is_flattened_not_slow() {
        let started = std::time::Instant::now();
        for text in [
            ">".repeat(100_000) + "x",
            "- ".repeat(50_000) + "x",
            "<div>".repeat(50_000),
            "*_".repeat(20_000) + "x",
        ] {
            let html = html(&text);
            assert!(html.matches("<blockquote>").count() <= MAX_DEPTH, "{}", &html[..200.min(html.len())]);
            assert!(html.matches("<li>").count() <= MAX_DEPTH);
            assert!(html.matches("<div>").count() <= MAX_DEPTH);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
        // Ordinary nesting is untouched.
        check(
            "> > quoted twice",
            "<blockquote>\n<blockquote>\n<p>quoted twice</p>\n</blockquote>\n</blockquote>",
        );
        assert_eq!(html_tags("<div><br><img src=x/><span/></div><!-- c -->"), (1, 1));
    }

    #[test]
    fn plain_text_keeps_words() {
        assert_eq!(plain_text("## Title\n\nSome *bold* `code`.\n\n- a\n- b"), "Title Some bold code. a b");
    }
}

/// Arbitrary Markdown never makes rendering panic, and what comes out is always safe HTML.
#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    /// Markdown built from ordinary pieces and from the tricks used to smuggle script into a page.
    fn markdown() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<script>alert(1)</script>"),
            Just("<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
            Just("<scr<script>ipt>alert(1)</script>"),
            Just("[x](javascript:alert(1))"),
            Just("[x](JaVaScRiPt:alert(1) \"t\")"),
            Just("[x]( javascript:alert(1))"),
            Just("[x](&#106;avascript:alert(1))"),
            Just("[x](java\tscript:alert(1))"),
            Just("![i](javascript:alert(1))"),
            Just("<a href=\"javascript:alert(1)\">a</a>"),
            Just("<a href=\"vbscript:x\">a</a>"),
            Just("<a href=\"data:text/html,<script>x</script>\">a</a>"),
            Just("<img src=x onerror=alert(1)>"),
            Just("<img src=\"x\" ONERROR=\"alert(1)\">"),
            Just("<svg onload=alert(1)><circle/></svg>"),
            Just("<div onclick=\"x()\" style=\"x\">d</div>"),
            Just("<details open ontoggle=alert(1)><summary>s</summary>t</details>"),
            Just("<iframe src=\"https://e.org\"></iframe>"),
            Just("<style>*{}</style>"),
            Just("<object data=x></object><embed src=x>"),
            Just("<form action=javascript:x><button>b</button></form>"),
            Just("[ref]\n\n[ref]: javascript:alert(1)\n"),
            Just("<javascript:alert(1)>"),
            Just("<div>\u{E000}0\u{E000}</div>"),
            Just("\u{E000}"),
            Just("```bash\necho <script>\n```\n"),
            Just("```\n"),
            Just("~~~html\n<script>x</script>\n~~~\n"),
            Just("    indented <script>\n"),
            Just("## Heading <img src=x onerror=y>\n"),
            Just("# \n"),
            Just("| a | b |\n|---|---|\n| <script> | x |\n"),
            Just("[^1]\n\n[^1]: note <script>\n"),
            Just("`code <script>`"),
            Just("[site](/http/502/#why)"),
            Just("<!-- <script> -->"),
            Just("<"),
            Just(">"),
            Just("\n"),
            Just("\n\n"),
            Just("- "),
            Just("> "),
            Just("*"),
            Just("text "),
            // Ordinary Markdown, most of it left to the fast path.
            Just("*em* **strong** ~~gone~~ `a & b` "),
            Just("line  \nbreak\\\nagain"),
            Just("\n---\n"),
            Just("3. three\n4. four\n"),
            Just("- a\n  - b\n"),
            Just("> quoted\n> > twice\n"),
            Just("\"quotes\" and 'apostrophes' & ampersands"),
            Just("&amp; &copy; &nbsp; &#60; &lt;"),
            Just("no\u{a0}break"),
            Just("x < y > z"),
        ]
        .prop_map(str::to_owned);
        let any_text = any::<String>().prop_map(|s| s.chars().take(12).collect::<String>());
        prop::collection::vec(prop_oneof![4 => piece, 1 => any_text], 0..24).prop_map(|p| p.concat())
    }

    /// Markdown of the kinds most fields are written in, which mostly skips the sanitizer.
    fn ordinary_markdown() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("*em* **strong** ~~gone~~ `a & b` "),
            Just("line  \nbreak\\\nagain"),
            Just("\n---\n"),
            Just("3. three\n4. four\n"),
            Just("- a\n  - b\n"),
            Just("> quoted\n> > twice\n"),
            Just("\"quotes\" and 'apostrophes' & ampersands"),
            Just("&amp; &copy; &nbsp; &#60; &lt; &#0; &#13;"),
            Just("no\u{a0}break"),
            Just("x < y > z"),
            Just("nul \u{0} cr \r del \u{7f} c1 \u{85}"),
            Just("\n\n"),
            Just("text "),
        ]
        .prop_map(str::to_owned);
        let any_text = any::<String>().prop_map(|s| s.chars().take(12).collect::<String>());
        prop::collection::vec(prop_oneof![3 => piece, 1 => any_text], 0..16).prop_map(|p| p.concat())
    }

    /// Every `<tag …>` of the output: its name and its attributes (name, value), lowercased.
    /// The sanitizer always writes attribute values in double quotes.
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut found = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            rest = &rest[start + 1..];
            let name: String = rest.chars().take_while(char::is_ascii_alphanumeric).collect();
            if name.is_empty() {
                continue;
            }
            let mut attributes = Vec::new();
            let mut inner = &rest[name.len()..];
            loop {
                inner = inner.trim_start();
                if inner.is_empty() || inner.starts_with('>') || inner.starts_with("/>") {
                    break;
                }
                let attribute: String =
                    inner.chars().take_while(|c| !c.is_whitespace() && *c != '=' && *c != '>').collect();
                inner = &inner[attribute.len()..];
                let mut value = String::new();
                if let Some(after) = inner.strip_prefix("=\"") {
                    let end = after.find('"').unwrap_or(after.len());
                    value = after[..end].to_owned();
                    inner = &after[(end + 1).min(after.len())..];
                }
                if attribute.is_empty() {
                    break;
                }
                attributes.push((attribute.to_lowercase(), value.to_lowercase()));
            }
            found.push((name.to_lowercase(), attributes));
        }
        found
    }

    fn assert_safe(html: &str) {
        let lower = html.to_lowercase();
        for tag in ["<script", "<iframe", "<style", "<object", "<embed", "<form", "<svg"] {
            assert!(!lower.contains(tag), "{tag} in {html}");
        }
        for (tag, attributes) in tags(html) {
            for (name, value) in attributes {
                assert!(!name.starts_with("on"), "event attribute {name} on <{tag}> in {html}");
                assert!(name != "style", "style attribute on <{tag}> in {html}");
                let value: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!value.starts_with(scheme), "{scheme} in {name} of <{tag}> in {html}");
                }
            }
        }
    }

    #[test]
    fn the_safety_check_catches_unsafe_html() {
        for unsafe_html in [
            "<p><script>x</script></p>",
            "<a href=\"JavaScript:x\">a</a>",
            "<img src=\" java\tscript:x\">",
            "<div onclick=\"x\">d</div>",
        ] {
            assert!(std::panic::catch_unwind(|| assert_safe(unsafe_html)).is_err(), "{unsafe_html}");
        }
        assert_safe("<p>javascript: is only text here, and so is onclick=x</p>");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn rendering_is_total_and_safe(text in markdown()) {
            let online = LinkStyle { root: "/kb/".into(), index_suffix: String::new() };
            let offline = LinkStyle { root: "../../".into(), index_suffix: "index.html".into() };
            for links in [&online, &offline] {
                for part in [Part::Body, Part::Field] {
                    let rendered = render(&text, part, links);
                    assert_safe(&rendered.html);
                    if part == Part::Field {
                        prop_assert!(rendered.toc.is_empty());
                    }
                }
                assert_safe(&render_inline(&text, links));
            }
            let plain = plain_text(&text);
            prop_assert!(!plain.contains("  ") && plain.trim() == plain);
            let scan = scan(&text);
            for link in scan.links {
                prop_assert!(link.starts_with('/') && !link.starts_with("//"));
            }
        }

        /// Leaving the sanitizer out changes nothing: what it would let through is written as
        /// it would write it.
        #[test]
        fn rendering_without_the_sanitizer_is_what_it_would_write(
            text in prop_oneof![markdown(), ordinary_markdown()],
        ) {
            let links = LinkStyle { root: "../../".into(), index_suffix: "index.html".into() };
            for part in [Part::Body, Part::Field] {
                let fast = render_with(&text, part, &links, Sanitize::WhenNeeded);
                let sanitized = render_with(&text, part, &links, Sanitize::Always);
                prop_assert_eq!(fast.html, sanitized.html);
            }
        }

        #[test]
        fn arbitrary_text_renders_without_panicking(text in any::<String>()) {
            let rendered = render(&text, Part::Body, &LinkStyle::default());
            assert_safe(&rendered.html);
            let _ = render_inline(&text, &LinkStyle::default());
            let _ = plain_text(&text);
            let _ = scan(&text);
        }
    }
}
