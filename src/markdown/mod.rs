//! Markdown to safe HTML, with highlighted code blocks and a table of contents.
//!
//! Knows nothing of templates or files: text in, HTML out. Untrusted HTML in the Markdown is
//! sanitized by `ammonia`; highlighted snippets are produced here and spliced in after
//! sanitizing, so the sanitizer never has to allow the markup we generate ourselves.

pub mod copy;
mod highlight;
mod html;
pub mod text;
pub mod vars;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub use highlight::{
    highlight_css, is_known_language, snippet_html, snippet_html_in, snippet_html_marked, snippet_html_vars,
    snippet_key, terminal_escaped, verify_highlighted, SnippetStore,
};
pub use vars::{Var, Vars};

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

/// The element ids of one page: the ones its template uses, reserved up front, and the ones
/// given to headings so far. Every Markdown text of a page is rendered with the page's `Ids`,
/// so no heading id clashes with the template's or with another text's: a clash gets `-2`,
/// `-3`, … (the first such id that is still free).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ids {
    used: BTreeSet<String>,
    /// For each base that clashed, the suffix to try next. Every suffix below it is taken
    /// (by this base or by an id written that way), and ids are only ever added, so trying
    /// again from 2 could find nothing new: each try either takes an id or moves the counter
    /// past one that is in `used`, so n headings of one text cost O(n) tries in all instead
    /// of O(n²).
    next: BTreeMap<String, usize>,
}

impl Ids {
    pub fn reserving<S: Into<String>>(ids: impl IntoIterator<Item = S>) -> Ids {
        Ids { used: ids.into_iter().map(Into::into).collect(), next: BTreeMap::new() }
    }

    pub fn reserve(&mut self, id: impl Into<String>) {
        self.used.insert(id.into());
    }

    pub fn contains(&self, id: &str) -> bool {
        self.used.contains(id)
    }

    /// `base`, or `base-2`, `base-3`, … : the first that is free, now taken.
    fn take(&mut self, base: &str) -> String {
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        let n = self.next.entry(base.to_owned()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The `##` sections, in order (only when rendering a body).
    pub toc: Vec<Heading>,
}

/// What kind of text is rendered: the long-form body keeps its `##` sections as page sections;
/// other fields sit under a heading of the page (`under`: the section's `<h2>`, a step's
/// `<h3>`), so their first heading level is the one below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Body,
    /// `under` is the level of that heading: 2 for `<h2>`.
    Field {
        under: u8,
    },
}

impl Part {
    /// A field that sits right under a page section's `<h2>` (quick fix, causes).
    pub const FIELD: Part = Part::Field { under: 2 };
    /// A field under an item's `<h3>` inside a section (a step's body, an FAQ answer).
    pub const ITEM_FIELD: Part = Part::Field { under: 3 };
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

const SNIPPET_MARK: char = '\u{E000}';
/// Stands, with a number, for inline code with placeholders, spliced in after sanitizing.
const INLINE_MARK: char = '\u{E001}';

/// The language a code block names: the first word of a fence's info string (```` ```bash
/// {.wide} ````), empty for indented blocks.
fn fence_language(kind: &CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{', '\t']).next().unwrap_or("").to_owned(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// The info string of the fence that opens at `start`, as written. CommonMark resolves
/// backslash escapes and entities in an info string, so `danger="say \"no\""` would reach us
/// as `danger="say "no""`; our own words keep their `\"`. `parsed` is the info string
/// as the parser read it, kept when the line does not look like its fence.
fn info_as_written(markdown: &str, start: usize, parsed: &str) -> String {
    let line = markdown.get(start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("").trim_start();
    let fence = line.chars().take_while(|c| *c == '`' || *c == '~').count();
    let written = line[fence..].trim();
    let language = |info: &str| info.split([' ', ',', '{', '\t']).next().unwrap_or("").to_owned();
    if fence >= 3 && language(written) == language(parsed) {
        written.to_owned()
    } else {
        parsed.to_owned()
    }
}

/// Renders Markdown to sanitized HTML, as the only text of its page.
pub fn render(markdown: &str, part: Part, links: &LinkStyle) -> Rendered {
    render_in(markdown, part, links, &mut Ids::default())
}

/// Renders Markdown to sanitized HTML whose heading ids are not yet in `ids`, and takes them.
pub fn render_in(markdown: &str, part: Part, links: &LinkStyle, ids: &mut Ids) -> Rendered {
    render_with(markdown, part, links, Sanitize::WhenNeeded, ids, &Vars::default(), None)
}

/// [`render_in`] for a text whose code may hold the entry's placeholders (`vars`): each shows
/// its default in a span the page's script fills with the reader's value. Snippets are
/// highlighted through `store` when there is one (see [`SnippetStore`]).
pub fn render_vars(
    markdown: &str,
    part: Part,
    links: &LinkStyle,
    ids: &mut Ids,
    vars: &Vars,
    store: Option<&dyn SnippetStore>,
) -> Rendered {
    render_with(markdown, part, links, Sanitize::WhenNeeded, ids, vars, store)
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

/// Long on purpose: one pass over the parser's events whose states (the open code block or
/// heading, the depth in images, the outline, whether to sanitize) change together; split,
/// every piece would need all of them handed to it.
fn render_with(
    markdown: &str,
    part: Part,
    links: &LinkStyle,
    sanitize: Sanitize,
    ids: &mut Ids,
    vars: &Vars,
    store: Option<&dyn SnippetStore>,
) -> Rendered {
    // Rendering thousands of short fields, the sanitizer's parse and rewrite of each one costs
    // more than the Markdown itself; most hold nothing it would change.
    let mut sanitized = sanitize == Sanitize::WhenNeeded;
    let mut snippets: Vec<String> = Vec::new();
    // Inline code with placeholders, as HTML; and how deep in images the events are (an
    // image's text becomes its `alt`, where markup cannot go).
    let mut inline: Vec<String> = Vec::new();
    let mut images = 0usize;
    let mut toc = Vec::new();
    let mark = heading_mark();
    let mut events: Vec<Event<'_>> = Vec::new();
    // Language, code, and the reason when the block is marked `danger`.
    let mut code: Option<(String, String, Option<String>)> = None;
    let mut heading: Option<(HeadingLevel, Vec<Event<'_>>)> = None;
    let mut outline = Outline::new(part);

    for (event, range) in limit_nesting(Parser::new_ext(markdown, parser_options()).into_offset_iter()) {
        if let Some((_, text, _)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text, danger) = code.take().unwrap_or_default();
                    events.push(Event::Html(CowStr::from(format!(
                        "<div>{SNIPPET_MARK}{}{SNIPPET_MARK}</div>\n",
                        snippets.len()
                    ))));
                    snippets.push(snippet_html_vars(&lang, &text, danger.as_deref(), vars, store));
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, inner)) = heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                let (level, inner) = heading.take().unwrap_or((HeadingLevel::H2, Vec::new()));
                let level = outline.level(level);
                let title = inner_text(&inner);
                let id = ids.take(&slugify(&title));
                // The mark tells the sanitizer this id is ours: raw HTML cannot know it, so it
                // cannot give an element an id of the page.
                events.push(Event::Html(CowStr::from(format!("<{level} id=\"{mark}{id}\">"))));
                if part == Part::Body && level == HeadingLevel::H2 {
                    toc.push(Heading { id, title });
                }
                events.extend(inner);
                events.push(Event::Html(CowStr::from(format!("</{level}>\n"))));
            } else {
                sanitized = sanitized && !needs_sanitizer(&event);
                // A heading is text of the outline too: its placeholders show their defaults.
                let event = match event {
                    Event::Code(code) if !vars.is_empty() => {
                        Event::Code(CowStr::from(vars::fill(&code, vars).into_owned()))
                    }
                    other => other,
                };
                inner.push(event);
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = fence_language(&kind);
                let danger = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        crate::fence::Info::parse(&info_as_written(markdown, range.start, info)).danger
                    }
                    CodeBlockKind::Indented => None,
                };
                code = Some((lang, String::new(), danger));
            }
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, Vec::new())),
            Event::Code(code) if !vars.is_empty() => match vars::fill_code(&code, vars) {
                Some(filled) if images == 0 => {
                    // Written as an element, like a snippet's mark, so no attribute can hold one.
                    events.push(Event::Html(CowStr::from(format!(
                        "<code>{INLINE_MARK}{}{INLINE_MARK}</code>",
                        inline.len()
                    ))));
                    let marked = vars::mark_values(&escape(&filled.code), &filled.code, &filled.values);
                    inline.push(format!("<code>{marked}</code>"));
                }
                Some(filled) => {
                    let event = Event::Code(CowStr::from(filled.code));
                    sanitized = sanitized && !needs_sanitizer(&event);
                    events.push(event);
                }
                None => {
                    let event = Event::Code(code);
                    sanitized = sanitized && !needs_sanitizer(&event);
                    events.push(event);
                }
            },
            other => {
                match &other {
                    Event::Start(Tag::Image { .. }) => images += 1,
                    Event::End(TagEnd::Image) => images = images.saturating_sub(1),
                    _ => {}
                }
                sanitized = sanitized && !needs_sanitizer(&other);
                events.push(other);
            }
        }
    }

    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let clean = if sanitized {
        // Text is escaped here, so only the headings written above hold the mark.
        relink(&as_sanitizer_writes(html).replace(&format!(" id=\"{mark}"), " id=\""), links)
    } else {
        let clean = sanitizer().clean(&html).to_string();
        relink(&with_alt_text(&clean), links)
    };
    Rendered { html: splice_inline(&splice_snippets(&clean, &snippets), &inline), toc }
}

/// Puts each inline code with placeholders where its mark stands.
fn splice_inline(html: &str, inline: &[String]) -> String {
    if inline.is_empty() {
        return html.to_owned();
    }
    let open = format!("<code>{INLINE_MARK}");
    let close = format!("{INLINE_MARK}</code>");
    let mut out = String::with_capacity(html.len() + inline.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after.find(&close);
        let piece = end.and_then(|end| after[..end].parse::<usize>().ok()).and_then(|i| inline.get(i));
        match (piece, end) {
            (Some(piece), Some(end)) => {
                out.push_str(&rest[..start]);
                out.push_str(piece);
                rest = &after[end + close.len()..];
            }
            _ => {
                out.push_str(&rest[..start + open.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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
                if is_url_attribute(&html[..at]) && is_site_path(value) {
                    out.push_str(&html[copied..=at]);
                    out.push_str(&links.rewrite(value));
                    copied = end;
                } else if html[..at].ends_with(" srcset=") {
                    out.push_str(&html[copied..=at]);
                    let mut from = 0;
                    for range in crate::url_policy::srcset_urls(value) {
                        let url = &value[range.clone()];
                        out.push_str(&value[from..range.start]);
                        if is_site_path(url) {
                            out.push_str(&links.rewrite(url));
                        } else {
                            out.push_str(url);
                        }
                        from = range.end;
                    }
                    out.push_str(&value[from..]);
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

/// A site-absolute path, which [`relink`] rewrites.
fn is_site_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
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
fn limit_nesting<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> impl Iterator<Item = (Event<'a>, Range<usize>)> {
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
    events.filter_map(move |(event, range)| {
        let event = match event {
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
            Event::InlineHtml(html) => {
                Some(if raw(&html) { Event::InlineHtml(html) } else { Event::Text(html) })
            }
            other => Some(other),
        };
        event.map(|event| (event, range))
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
    render_inline_in(markdown, links, &mut Ids::default())
}

/// [`render_inline`] with the page's [`Ids`].
pub fn render_inline_in(markdown: &str, links: &LinkStyle, ids: &mut Ids) -> String {
    render_inline_vars(markdown, links, ids, &Vars::default(), None)
}

/// [`render_inline_in`] for a text whose code may hold the entry's placeholders.
pub fn render_inline_vars(
    markdown: &str,
    links: &LinkStyle,
    ids: &mut Ids,
    vars: &Vars,
    store: Option<&dyn SnippetStore>,
) -> String {
    let html = render_vars(markdown, Part::FIELD, links, ids, vars, store).html;
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
    /// Every URL of a link, an image or a URL attribute of raw HTML, in order, for
    /// [`url_policy::check`](crate::url_policy::check).
    pub urls: Vec<UrlUse>,
    /// Every raw `<img>` tag, in order, and whether it has an `alt` attribute.
    pub raw_images: Vec<RawImage>,
    /// Fenced code blocks, in order.
    pub code_blocks: Vec<CodeBlock>,
}

/// A raw `<img>` tag: where it is written, and whether it has an `alt` attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawImage {
    pub place: Place,
    pub has_alt: bool,
}

/// A fenced code block: the info string and the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeBlock {
    pub info: String,
    pub code: String,
}

/// Where something is written in a Markdown text: the 0-based line it starts on and the text
/// to look for on that line or after it (`href="…"`, `<img`, the URL itself).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub needle: String,
}

/// A URL the text puts into a page, decoded as a browser would read it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlUse {
    pub url: String,
    /// `link`, `image`, or the tag and attribute of raw HTML: `` `<a href>` ``.
    pub what: String,
    pub place: Place,
}

pub fn scan(markdown: &str) -> Scan {
    let mut scan = Scan::default();
    let lines = LineIndex::new(markdown);
    let mut code: Option<CodeBlock> = None;
    // Raw HTML is read in runs of consecutive pieces, as one block of HTML is split by line.
    let mut raw: Option<(usize, String)> = None;
    let flush = |raw: &mut Option<(usize, String)>, scan: &mut Scan| {
        if let Some((start, text)) = raw.take() {
            scan_raw_html(&text, lines.line_of(start), scan);
        }
    };
    for (event, range) in Parser::new_ext(markdown, parser_options()).into_offset_iter() {
        if let Some(block) = code.as_mut() {
            match event {
                Event::Text(t) => block.code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => scan.code_blocks.extend(code.take()),
                _ => {}
            }
            continue;
        }
        if let Event::Html(html) | Event::InlineHtml(html) = &event {
            raw.get_or_insert_with(|| (range.start, String::new())).1.push_str(html);
            continue;
        }
        flush(&mut raw, &mut scan);
        let what = if matches!(event, Event::Start(Tag::Image { .. })) { "image" } else { "link" };
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let written = &markdown[range.clone()];
                let needle = if written.contains(&*dest_url) {
                    dest_url.to_string()
                } else {
                    written.lines().next().unwrap_or("").to_owned()
                };
                let place = Place { line: lines.line_of(range.start), needle };
                scan.urls.push(UrlUse { url: dest_url.to_string(), what: what.to_owned(), place });
                if dest_url.starts_with('/') && !dest_url.starts_with("//") {
                    scan.links.push(dest_url.into_string());
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = info.split([' ', ',', '{', '\t']).next().unwrap_or("");
                if !lang.is_empty() && !is_known_language(lang) {
                    scan.unknown_languages.push(lang.to_owned());
                }
                code = Some(CodeBlock {
                    info: info_as_written(markdown, range.start, &info),
                    code: String::new(),
                });
            }
            _ => {}
        }
    }
    flush(&mut raw, &mut scan);
    scan
}

/// The URLs and the images without `alt` of one run of raw HTML starting on `first_line`.
fn scan_raw_html(html: &str, first_line: usize, scan: &mut Scan) {
    // A tag may span lines, and the tokenizer counts the one it ends on: each place is looked
    // for in the run itself, after the place before it, so two tags with the same attribute
    // (one written with character references) each get their own line.
    let mut cursor = 0;
    let lower = html.to_ascii_lowercase();
    let mut place = |needles: &[String]| match written(html, &lower, needles, &mut cursor) {
        Some((needle, at)) => Place { line: first_line + html[..at].matches('\n').count(), needle },
        None => Place { line: first_line, needle: needles[needles.len() - 1].clone() },
    };
    for tag in html::start_tags(html) {
        let tag_place = place(&[format!("<{}", tag.name)]);
        for html::Attribute { name: attribute, value } in &tag.attributes {
            if crate::url_policy::URL_ATTRIBUTES.contains(&attribute.as_str()) {
                // Written with character references, the value is not in the text: point at
                // the attribute.
                let needles = [
                    format!("{attribute}=\"{value}\""),
                    format!("{attribute}='{value}'"),
                    format!("{attribute}={value}"),
                    format!("{attribute}="),
                ];
                let what = format!("`<{} {attribute}>`", tag.name);
                if attribute == "srcset" {
                    // Each candidate's URL is checked on its own; an empty list is empty.
                    let urls = crate::url_policy::srcset_urls(value);
                    let place = place(&needles);
                    if urls.is_empty() {
                        scan.urls.push(UrlUse {
                            url: String::new(),
                            what: what.clone(),
                            place: place.clone(),
                        });
                    }
                    for range in urls {
                        scan.urls.push(UrlUse {
                            url: value[range].to_owned(),
                            what: what.clone(),
                            place: place.clone(),
                        });
                    }
                    continue;
                }
                scan.urls.push(UrlUse { url: value.clone(), what, place: place(&needles) });
            }
        }
        if tag.name == "img" {
            let has_alt = tag.attributes.iter().any(|a| a.name == "alt");
            scan.raw_images.push(RawImage { place: tag_place, has_alt });
        }
    }
}

/// The first of `needles` that `html` holds at or after `cursor`, ignoring ASCII case
/// (`lower` is `html` in lower case, made once per run), as `html` writes it, and where;
/// `cursor` moves past it.
fn written(html: &str, lower: &str, needles: &[String], cursor: &mut usize) -> Option<(String, usize)> {
    let from = (*cursor).min(html.len());
    let (found, at) = needles.iter().find_map(|needle| {
        let at = from + lower.get(from..)?.find(&needle.to_ascii_lowercase())?;
        html.get(at..at + needle.len())
            .filter(|found| !found.contains('\n'))
            .map(|found| (found.to_owned(), at))
    })?;
    *cursor = at + found.len();
    Some((found, at))
}

/// Byte offsets to 0-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).saturating_sub(1)
    }
}

/// The levels headings of one text are written at: each is one below the heading of the page
/// it sits under, plus one for each heading of the text it is nested in (a heading of a lower
/// Markdown level before it, not yet closed by one of its own level or higher), up to `<h6>`.
/// So the first heading of a text is never more than one level below its page heading, and
/// no heading is more than one level below the one before it, whatever levels the Markdown
/// skips (`#` then `###`). In the body, `#` counts as `##`: both are page sections.
struct Outline {
    /// One below the page heading the text sits under.
    top: usize,
    /// The Markdown levels of the headings the next one may be nested in, outermost first.
    open: Vec<HeadingLevel>,
    /// The lowest Markdown level read as such; lower ones are read as this one.
    floor: HeadingLevel,
}

impl Outline {
    fn new(part: Part) -> Outline {
        let (top, floor) = match part {
            Part::Body => (2, HeadingLevel::H2),
            Part::Field { under } => ((usize::from(under) + 1).clamp(2, 6), HeadingLevel::H1),
        };
        Outline { top, open: Vec::new(), floor }
    }

    fn level(&mut self, markdown: HeadingLevel) -> HeadingLevel {
        let markdown = markdown.max(self.floor);
        while self.open.last().is_some_and(|open| *open >= markdown) {
            self.open.pop();
        }
        let level = (self.top + self.open.len()).min(6);
        self.open.push(markdown);
        HeadingLevel::try_from(level).unwrap_or(HeadingLevel::H6)
    }
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
    let slug = crate::slug::tag_slug(&text.replace(['.', '_', '\''], ""));
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

/// What starts the id of every heading [`render_with`] writes, until the sanitizer takes it
/// off: a secret of this process, so raw HTML cannot forge it, and taken off again before
/// anything is written, so the output does not depend on it.
fn heading_mark() -> &'static str {
    static MARK: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARK.get_or_init(|| {
        use std::hash::BuildHasher;
        let state = std::hash::RandomState::new();
        format!("eb{:016x}{:016x}-", state.hash_one(1u8), state.hash_one(2u8))
    })
}

/// Gives every `<img>` of sanitized HTML that has no `alt` an empty one, so the page stays
/// valid; `check` warns about each (see [`Scan::raw_images`]).
fn with_alt_text(html: &str) -> Cow<'_, str> {
    if !html.contains("<img") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        let after = &rest[start + 4..];
        if !after.starts_with([' ', '>', '/']) {
            out.push_str(&rest[..start + 4]);
            rest = after;
            continue;
        }
        // The sanitizer quotes every value with `"`, so a `>` outside quotes ends the tag.
        let mut quoted = false;
        let end = after
            .char_indices()
            .find(|&(_, c)| {
                quoted ^= c == '"';
                c == '>' && !quoted
            })
            .map_or(after.len(), |(i, _)| i);
        let tag = &after[..end];
        let mut quoted = false;
        let mut has_alt = false;
        for (i, c) in tag.char_indices() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted && c == ' ' && tag[i + 1..].starts_with("alt=") {
                has_alt = true;
            }
        }
        out.push_str(&rest[..start + 4]);
        out.push_str(tag);
        if !has_alt {
            out.push_str(" alt=\"\"");
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The sanitizer, built once. URLs are kept as written when [`url_policy::check`] allows
/// them (so site-absolute links stay site-absolute until [`relink`] rewrites them) and
/// dropped otherwise; ids are kept only on the headings [`render_with`] wrote.
///
/// [`url_policy::check`]: crate::url_policy::check
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    SANITIZER.get_or_init(|| {
        use crate::url_policy;
        let mut builder = ammonia::Builder::default();
        builder.url_schemes(url_policy::SCHEMES.into_iter().collect()).attribute_filter(
            |_element, attribute, value| {
                if attribute == "id" {
                    return value.strip_prefix(heading_mark()).map(|id| Cow::Owned(id.to_owned()));
                }
                if attribute == "srcset" {
                    let urls = url_policy::srcset_urls(value);
                    let allowed = !urls.is_empty()
                        && urls.into_iter().all(|range| url_policy::check(&value[range]).is_ok());
                    return allowed.then_some(Cow::Borrowed(value));
                }
                if url_policy::URL_ATTRIBUTES.contains(&attribute) && url_policy::check(value).is_err() {
                    return None;
                }
                Some(Cow::Borrowed(value))
            },
        );
        builder
            .add_tag_attributes("h2", ["id"])
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .add_tag_attributes("img", ["srcset"])
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
    escape_into(&mut out, text);
    out
}

/// [`escape`], appended to `out`.
pub(crate) fn escape_into(out: &mut String, text: &str) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_code_become_value_spans() {
        let vars = Vars::new([Var { name: "ns".to_owned(), default: "prod".to_owned() }]);
        let links = LinkStyle::site_absolute();
        let markdown = "Run `kubectl -n <<ns>>` here, see ![`<<ns>>`](/a.png) and <b>raw</b>.\n\n## The `<<ns>>` namespace\n\n```bash\nkubectl get pods -n <<ns>>\n```\n";
        let html = render_vars(markdown, Part::Body, &links, &mut Ids::default(), &vars, None).html;
        assert!(
            html.contains(
                "Run <code>kubectl -n <span class=\"var\" data-var=\"ns\">prod</span></code> here, see"
            ),
            "{html}"
        );
        // An image's text is an attribute: the default, without markup.
        assert!(html.contains("alt=\"prod\""), "{html}");
        // A heading is text of the outline too.
        assert!(html.contains(">The <code>prod</code> namespace</h2>"), "{html}");
        assert!(html.contains("-n <span class=\"var\" data-var=\"ns\">prod</span>"), "{html}");
        assert!(!html.contains('\u{E001}'), "{html}");
        // Without the entry's placeholders, the same text renders as written.
        let plain = render(markdown, Part::Body, &links).html;
        assert!(plain.contains("<code>kubectl -n &lt;&lt;ns&gt;&gt;</code>"), "{plain}");
        assert!(!plain.contains("class=\"var\""), "{plain}");
        // A mark written by the author is not ours to replace inside an attribute.
        let forged = "<a title=\"\u{E001}0\u{E001}\">x</a> `<<ns>>`";
        let html = render_vars(forged, Part::FIELD, &links, &mut Ids::default(), &vars, None).html;
        assert_eq!(html.matches("class=\"var\"").count(), 1, "{html}");
    }

    #[test]
    fn escape_replaces_the_five_characters_and_keeps_the_rest() {
        assert_eq!(escape(r#"a<b>&"c"'d'"#), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
        assert_eq!(escape("é→ plain ünïcode"), "é→ plain ünïcode");
        assert_eq!(escape("<"), "&lt;");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn relink_rewrites_url_attributes_only() {
        let markdown = "[a](/http/502/#why) ![i](/img/x.png) [b](https://cdn.example/x) [c](https://e.org/) `href=\"/x\"` text href=\"/y\"";
        let canonical = render(markdown, Part::FIELD, &LinkStyle::site_absolute()).html;
        let offline = LinkStyle { root: "../../".into(), index_suffix: "index.html".into() };
        let html = relink(&canonical, &offline);
        assert!(html.contains("href=\"../../http/502/index.html#why\""), "{html}");
        assert!(html.contains("src=\"../../img/x.png\""), "{html}");
        assert!(html.contains("href=\"https://cdn.example/x\""), "{html}");
        assert!(html.contains("href=\"https://e.org/\""), "{html}");
        assert!(html.contains("text href=\"/y\""), "text is not a link: {html}");
        assert_eq!(html, render(markdown, Part::FIELD, &offline).html);
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
        let rendered = render("## Note\n", Part::FIELD, &LinkStyle::default());
        assert_eq!(rendered.html, "<h3 id=\"note\">Note</h3>\n");
        assert!(rendered.toc.is_empty());
        let levels = |markdown: &str, part: Part| -> Vec<u8> {
            let html = render(markdown, part, &LinkStyle::default()).html;
            html.match_indices("<h")
                .filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10))
                .map(|d| d as u8)
                .collect()
        };
        let text = "### a\n\n##### b\n\n###### c\n\n#### d\n\n# e\n\n### f\n";
        assert_eq!(levels(text, Part::FIELD), [3, 4, 5, 4, 3, 4]);
        assert_eq!(levels(text, Part::ITEM_FIELD), [4, 5, 6, 5, 4, 5]);
        assert_eq!(levels("## a\n\n## b\n", Part::ITEM_FIELD), [4, 4]);
        assert_eq!(levels("# a\n\n## b\n\n#### c\n\n## d\n", Part::Body), [2, 2, 3, 2]);
        assert_eq!(
            levels("# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6\n", Part::ITEM_FIELD),
            [4, 5, 6, 6, 6, 6]
        );
    }

    #[test]
    fn removes_script_and_handlers_keeps_harmless_tags() {
        check("<script>alert(1)</script>\n\nPress <kbd>Ctrl</kbd>", "<p>Press <kbd>Ctrl</kbd></p>");
        check("<img src=x onerror=alert(1)>", "<img src=\"x\" alt=\"\">");
        check("[x](javascript:alert(1))", "<p><a>x</a></p>");
        check("<a href=\"JaVaScRiPt:alert(1)\">y</a>", "<p><a>y</a></p>");
        check("<iframe src=\"https://e.org\"></iframe>text", "text");
        check("<div style=\"background:url(x)\" onclick=\"x()\">hi</div>", "<div>hi</div>");
    }

    #[test]
    fn urls_the_policy_refuses_are_dropped_everywhere() {
        for (markdown, expected) in [
            ("[x](//evil.example/)", "<p><a>x</a></p>"),
            // pulldown-cmark writes a backslash as `%5C`, which no browser reads as `/`
            // (`check` refuses the link all the same).
            ("[x](/\\evil.example/)", "<p><a href=\"/%5Cevil.example/\">x</a></p>"),
            ("[x](data:text/html,x)", "<p><a>x</a></p>"),
            ("<a href=\"&#106;avascript&colon;alert(1)\">a</a>", "<p><a>a</a></p>"),
            ("<a href=\"java&Tab;script:alert(1)\">a</a>", "<p><a>a</a></p>"),
            ("<a href=\" javascript:alert(1)\">a</a>", "<p><a>a</a></p>"),
            ("<a href=\"vbscript:x\">a</a>", "<p><a>a</a></p>"),
            ("<a href=\"https://u:p@e.org/\">a</a>", "<p><a>a</a></p>"),
            ("<a href=\"ｊａｖａｓｃｒｉｐｔ：x\">a</a>", "<p><a>a</a></p>"),
            ("<blockquote cite=\"javascript:x\">q</blockquote>", "<blockquote>q</blockquote>"),
            ("<img src=\"file:///etc/passwd\" alt=\"a\">", "<img alt=\"a\">"),
            ("<a href=\"mailto:team@example.org\">m</a>", "<p><a href=\"mailto:team@example.org\">m</a></p>"),
            ("<a href=\"#why\">w</a>", "<p><a href=\"#why\">w</a></p>"),
        ] {
            let html = render(markdown, Part::FIELD, &LinkStyle::site_absolute()).html;
            assert_eq!(html.trim(), expected, "{markdown}");
        }
    }

    #[test]
    fn srcset_keeps_allowed_candidates_and_drops_the_attribute_otherwise() {
        check(
            "<img src=\"/a.png\" srcset=\"/a.png 1x, /a@2x.png 2x, https://e.org/b.png 3x\" alt=\"\">",
            "<img src=\"/kb/a.png\" srcset=\"/kb/a.png 1x, /kb/a@2x.png 2x, https://e.org/b.png 3x\" alt=\"\">",
        );
        for refused in [
            "javascript:x 1x",
            "/a.png 1x, javascript:x 2x",
            "/a.png 1x,//evil.example/x.png 2x",
            "data:image/png,AAAA 1x",
            "&#106;avascript:x 1x",
            " , ",
        ] {
            check(
                &format!("<img src=\"/a.png\" srcset=\"{refused}\" alt=\"\">"),
                "<img src=\"/kb/a.png\" alt=\"\">",
            );
        }
    }

    #[test]
    fn images_always_have_alt_text() {
        check("<img src=\"/a.png\">", "<img src=\"/kb/a.png\" alt=\"\">");
        check(
            "x <img title=\"a>b\" src=\"/a.png\">",
            "<p>x <img title=\"a&gt;b\" src=\"/kb/a.png\" alt=\"\"></p>",
        );
        check("<img src=\"/a.png\" alt=\"A chart\">", "<img src=\"/kb/a.png\" alt=\"A chart\">");
        check("![](/a.png)", "<p><img src=\"/kb/a.png\" alt=\"\"></p>");
        check("<p data-alt=\"x\">t</p><imgx>", "<p>t</p>");
    }

    #[test]
    fn raw_html_cannot_give_an_element_an_id() {
        check("<h2 id=\"main\">x</h2>\n\n<div id=\"faq\">y</div>", "<h2>x</h2>\n<div>y</div>");
        let forged = format!("<h2 id=\"{}main\">x</h2>", "eb0000000000000000000000000000000-");
        check(&forged, "<h2>x</h2>");
    }

    #[test]
    fn heading_ids_avoid_reserved_ones_and_each_other() {
        let mut ids = Ids::reserving(["main", "faq", "step-1"]);
        let links = LinkStyle::site_absolute();
        let field = render_in("## Main\n\n<b>raw</b>", Part::FIELD, &links, &mut ids);
        assert_eq!(field.html, "<h3 id=\"main-2\">Main</h3>\n<p><b>raw</b></p>\n");
        let body = render_in("## Main\n\n## Step 1\n\n## FAQ\n\n## FAQ\n", Part::Body, &links, &mut ids);
        let toc: Vec<&str> = body.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(toc, ["main-3", "step-1-2", "faq-2", "faq-3"]);
        for id in toc {
            assert!(body.html.contains(&format!("<h2 id=\"{id}\">")), "{}", body.html);
        }
        assert!(ids.contains("faq-3") && ids.contains("main"));
    }

    #[test]
    fn repeated_heading_ids_count_on_and_skip_taken_ones() {
        // An id written as a suffixed one already, a reserved one, then many repeats: each
        // gets the next free suffix, none twice.
        let mut ids = Ids::reserving(["h-3"]);
        let mut markdown = String::from("## h-2\n\n## h-5\n\n");
        markdown.push_str(&"## h\n\n".repeat(3000));
        markdown.push_str("## h-4\n\n## h-2\n\n## h\n");
        let html = render_in(&markdown, Part::Body, &LinkStyle::default(), &mut ids).html;
        let found: Vec<&str> =
            html.split("id=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
        let mut expected = vec!["h-2".to_owned(), "h-5".to_owned(), "h".to_owned(), "h-4".to_owned()];
        expected.extend((6..=3003).map(|n| format!("h-{n}")));
        expected.extend(["h-4-2".to_owned(), "h-2-2".to_owned(), "h-3004".to_owned()]);
        assert_eq!(found, expected);
        let unique: BTreeSet<&str> = found.iter().copied().collect();
        assert_eq!(unique.len(), found.len());
        assert!(!unique.contains("h-3"));
    }

    #[test]
    fn scan_finds_every_url_with_its_place() {
        let scan = scan("[a](javascript:x)\n\n<p>\n<a\nHREF='&#106;s:x'>b</a>\n<img src=\"y.png\">\n</p>\n\n![i](&#100;ata:x)\n");
        let urls: Vec<(&str, &str, usize, &str)> = scan
            .urls
            .iter()
            .map(|u| (u.url.as_str(), u.what.as_str(), u.place.line, u.place.needle.as_str()))
            .collect();
        assert_eq!(
            urls,
            [
                ("javascript:x", "link", 0, "javascript:x"),
                ("js:x", "`<a href>`", 4, "HREF="),
                ("y.png", "`<img src>`", 5, "src=\"y.png\""),
                ("data:x", "image", 8, "![i](&#100;ata:x)"),
            ]
        );
        assert_eq!(
            scan.raw_images,
            [RawImage { place: Place { line: 5, needle: "<img".to_owned() }, has_alt: false }]
        );
        // A URL written with character references is placed at its own tag, not at an earlier
        // tag with the same attribute.
        let scan =
            scan_markdown_urls("<p>\n<a href=\"/ok/\">a</a>\n<a href=\"&#x6A;avascript:x\">b</a>\n</p>\n");
        assert_eq!(scan, ["/ok/ at 1 by href=\"/ok/\"", "javascript:x at 2 by href="]);
    }

    fn scan_markdown_urls(markdown: &str) -> Vec<String> {
        scan(markdown)
            .urls
            .into_iter()
            .map(|u| format!("{} at {} by {}", u.url, u.place.line, u.place.needle))
            .collect()
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
    fn a_block_marked_danger_carries_its_warning() {
        let out = html("```bash danger=\"rolls back production\"\nkubectl rollout undo deploy/api\n```\n");
        assert!(out.starts_with("<div class=\"snippet snippet-danger\" data-lang=\"bash\">"), "{out}");
        assert!(out.contains("</strong> rolls back production.</p>"), "{out}");
        assert!(!html("```bash\nls\n```\n").contains("snippet-danger"));
    }

    #[test]
    fn a_danger_reason_keeps_its_escaped_quotes() {
        // CommonMark would resolve `\"` in the info string before we read it.
        let fence = r#"```bash danger="stops \"api\" \\ and 'web'" nocheck"#;
        let out = html(&format!("{fence}\nsystemctl stop api\n```\n"));
        assert!(out.contains("</strong> stops &quot;api&quot; \\ and &#39;web&#39;.</p>"), "{out}");
        let quoted = html(&format!("> - {fence}\n>   x\n>   ```\n"));
        assert!(quoted.contains("</strong> stops &quot;api&quot;"), "{quoted}");
        assert_eq!(
            scan(&format!("{fence}\nx\n```\n")).code_blocks,
            [CodeBlock { info: fence[3..].to_owned(), code: "x\n".to_owned() }]
        );
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
        let blocks = [
            CodeBlock { info: "klingon".to_owned(), code: "x\n".to_owned() },
            CodeBlock { info: "bash".to_owned(), code: "y\n".to_owned() },
        ];
        assert_eq!(scan.code_blocks, blocks);
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
            Just("<a href=\"&#106;avascript&colon;x\">a</a>"),
            Just("<a href=\"java&Tab;script:x\">a</a>"),
            Just("<a href=\"//evil.example/\">a</a>"),
            Just("<a href=\"/\\evil.example/\">a</a>"),
            Just("<img src=\"/x.png\">"),
            Just("<h2 id=\"main\">h</h2>"),
            Just("<blockquote cite=\"javascript:x\">q</blockquote>"),
            Just("[x](//evil.example/)"),
            Just("[x](https://u:p@e.org/)"),
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
            if tag == "img" {
                assert!(attributes.iter().any(|(name, _)| name == "alt"), "<img> without alt in {html}");
            }
            for (name, value) in attributes {
                if name == "srcset" {
                    for range in crate::url_policy::srcset_urls(&value) {
                        let check = crate::url_policy::check(&value[range]);
                        assert!(check.is_ok(), "srcset=\"{value}\" of <{tag}> in {html}: {check:?}");
                    }
                } else if crate::url_policy::URL_ATTRIBUTES.contains(&name.as_str()) {
                    let check = crate::url_policy::check(&value);
                    assert!(check.is_ok(), "{name}=\"{value}\" of <{tag}> in {html}: {check:?}");
                }
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
                for part in [Part::Body, Part::FIELD] {
                    let rendered = render(&text, part, links);
                    assert_safe(&rendered.html);
                    if part == Part::FIELD {
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
            for part in [Part::Body, Part::FIELD] {
                let (none, ids) = (&Vars::default(), &mut Ids::default());
                let fast = render_with(&text, part, &links, Sanitize::WhenNeeded, ids, none, None);
                let sanitized = render_with(&text, part, &links, Sanitize::Always, &mut Ids::default(), none, None);
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
