//! Build-time syntax highlighting with CSS classes (never inline styles).
//!
//! syntect does the work, with the syntax collection of the `two-face` crate, which covers the
//! languages error KBs need (nginx, Dockerfile, HCL, PowerShell, TOML, INI…) beyond syntect's
//! defaults. `console` blocks are our own: the lines after a `$ ` or `# ` prompt are commands
//! (highlighted as shell), everything else is output, as `fence::console` reads a session.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use syntect::highlighting::{Color, FontStyle, Highlighter, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

use super::vars::{self, Vars};
use super::{escape, escape_into};
use crate::digest::{self, per_thread, Digest, ThreadMemo};
use crate::fence::console;

/// Names written after the fence that mean "no highlighting, no warning".
const PLAIN: &[&str] = &["", "text", "txt", "plain", "plaintext", "output", "log"];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Common names the syntax definitions do not list as tokens themselves.
fn alias(lang: &str) -> &str {
    match lang {
        "shell" | "sh" | "zsh" | "shell-session" => "bash",
        "js" | "node" | "mjs" => "js",
        "py" | "python3" => "py",
        "yml" => "yaml",
        "docker" | "containerfile" => "dockerfile",
        "ps" | "ps1" | "pwsh" => "ps1",
        "terraform" | "tf" => "hcl",
        "golang" => "go",
        "patch" => "diff",
        "conf" | "cfg" => "ini",
        "postgresql" | "psql" | "postgres" | "mysql" => "sql",
        "rs" => "rust",
        other => other,
    }
}

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    thread_local! {
        // syntect looks a token up by going through every syntax; a site names a handful of
        // languages tens of thousands of times.
        static FOUND: ThreadMemo<Option<&'static SyntaxReference>> = Default::default();
    }
    per_thread(&FOUND, lang, 256, |lang| syntaxes().find_syntax_by_token(alias(&lang.to_ascii_lowercase())))
}

pub fn is_known_language(lang: &str) -> bool {
    let lower = lang.to_ascii_lowercase();
    lower == "console" || PLAIN.contains(&lower.as_str()) || find_syntax(&lower).is_some()
}

/// Keeps highlighted snippets between builds. The site stage provides one backed by a cache
/// folder; this module only asks it for snippets by key and hands it the ones it rendered.
///
/// What a store keeps is the highlighted code alone, the markup inside `<code>`: the frame
/// around it (language label, copy button and the commands it copies) is made again from the
/// snippet on every use. A store is not trusted: what it returns is used only when
/// [`verify_highlighted`] finds it is markup this module writes around exactly the snippet's
/// text, and is otherwise handed back to [`SnippetStore::reject`].
pub trait SnippetStore: Send + Sync {
    fn get(&self, key: &Digest) -> Option<String>;
    fn put(&self, key: &Digest, html: &str);
    /// Told that what `get` returned for `key` is not what this module writes for that
    /// snippet, and why: the store must not offer it again.
    fn reject(&self, key: &Digest, why: &str);
}

/// Bumped whenever the HTML of a snippet changes for the same input, so stored snippets
/// written by another version of this module are never reused.
const SNIPPET_FORMAT: &[u8] = b"snippet-code-4";

/// The key of a snippet in a [`SnippetStore`]: its language and code, and the format.
pub fn snippet_key(lang: &str, code: &str) -> Digest {
    digest::of(&[SNIPPET_FORMAT, lang.as_bytes(), code.as_bytes()])
}

/// Highlighted snippets by language and code, when no store is in use. Error KBs repeat the
/// same commands across many entries, and the preview server renders the same snippets on
/// every save: each distinct snippet is highlighted once per process, while the cache holds
/// it. Sharded so parallel rendering rarely waits; bounded, so a build of 100,000 entries does
/// not keep every snippet it met (a shard over its share of [`CACHE_BYTES`] starts over).
struct SnippetCache {
    shards: Vec<Mutex<CacheShard>>,
}

#[derive(Default)]
struct CacheShard {
    snippets: HashMap<SnippetKey, Arc<str>>,
    /// The code and HTML held.
    bytes: usize,
}

/// What the snippet cache holds at most, code and HTML.
const CACHE_BYTES: usize = 64 << 20;

impl CacheShard {
    /// Keeps `html` for `key`, emptying the shard first if it would hold more than `limit`.
    fn insert(&mut self, key: SnippetKey, html: &str, limit: usize) {
        let bytes = key.1.len() + html.len();
        if self.bytes + bytes > limit {
            *self = CacheShard::default();
        }
        self.bytes += bytes;
        self.snippets.insert(key, Arc::from(html));
    }
}

/// Language, code, and the reason of a block marked `danger`.
type SnippetKey = (String, String, Option<String>);

const CACHE_SHARDS: usize = 16;

fn cache() -> &'static SnippetCache {
    static CACHE: OnceLock<SnippetCache> = OnceLock::new();
    CACHE.get_or_init(|| SnippetCache { shards: (0..CACHE_SHARDS).map(|_| Mutex::default()).collect() })
}

/// A code block as the page shows it: a header with the language and a copy button, and the
/// highlighted code.
pub fn snippet_html(lang: &str, code: &str) -> String {
    snippet_html_marked(lang, code, None)
}

/// [`snippet_html`] for a block that may be marked `danger` (with the reason, empty when none
/// was given): such a block shows a warning above its code, and its copy button asks for a
/// second press (`data-confirm`, see errorbook.js).
pub fn snippet_html_marked(lang: &str, code: &str, danger: Option<&str>) -> String {
    let key = (lang.to_owned(), code.to_owned(), danger.map(str::to_owned));
    let shard = {
        let mut hasher = std::hash::DefaultHasher::new();
        key.hash(&mut hasher);
        &cache().shards[(hasher.finish() as usize) % CACHE_SHARDS]
    };
    if let Some(html) = shard.lock().unwrap_or_else(PoisonError::into_inner).snippets.get(&key) {
        return html.to_string();
    }
    let html = render_snippet(lang, code, danger);
    shard.lock().unwrap_or_else(PoisonError::into_inner).insert(key, &html, CACHE_BYTES / CACHE_SHARDS);
    html
}

/// [`snippet_html`] with the highlighted code kept in `store`. A stored copy is used only when
/// it verifies; otherwise the store is told, and the snippet is highlighted and stored again.
pub fn snippet_html_in(store: &dyn SnippetStore, lang: &str, code: &str) -> String {
    snippet_html_in_marked(store, lang, code, None)
}

/// [`snippet_html_in`] for a block that may be marked `danger`. The stored part is the
/// highlighted code alone, so a marked and an unmarked block of the same code share it.
fn snippet_html_in_marked(store: &dyn SnippetStore, lang: &str, code: &str, danger: Option<&str>) -> String {
    let body = stored_body(store, lang, code);
    frame(lang, code, &body, danger)
}

/// Blocks larger than this are shown without colours: some grammars take quadratic time on
/// pathological input, and no reader needs a colourised log dump.
const HIGHLIGHT_LIMIT: usize = 16 * 1024;

fn render_snippet(lang: &str, code: &str, danger: Option<&str>) -> String {
    frame(lang, code, &highlighted(lang, code), danger)
}

/// The language as the snippet's frame names it and the highlighter looks it up.
fn normalized(lang: &str) -> String {
    lang.trim().to_ascii_lowercase()
}

/// The markup inside `<code>`: `code`, escaped, in spans of syntect's classes (or of ours for
/// a console session).
fn highlighted(lang: &str, code: &str) -> String {
    let lang = normalized(lang);
    if lang == "console" {
        return console(code);
    }
    match find_syntax(&lang).filter(|_| !PLAIN.contains(&lang.as_str()) && code.len() <= HIGHLIGHT_LIMIT) {
        Some(syntax) => classed(syntax, code),
        None => escape(code),
    }
}

/// The snippet around its highlighted code `body`: the header with the language and the copy
/// button, which for a console session copies the commands alone.
fn frame(lang: &str, code: &str, body: &str, danger: Option<&str>) -> String {
    let copy_attr = if normalized(lang) == "console" {
        format!(" data-copy=\"{}\"", escape(&console_commands(code)))
    } else {
        String::new()
    };
    frame_with(lang, &copy_attr, body, danger)
}

/// [`snippet_html_marked`] for code that may hold placeholders (`<<name>>`, see [`vars`]):
/// each declared one shows its default, in a span the page's script fills with the reader's
/// value. The code is highlighted with the defaults in it, so the colours are those of a
/// real command; a console session's copy button also carries the commands with the
/// placeholders (`data-copy-template`), for the script to fill in. With a `store`, the
/// highlighted code is looked up and kept there instead of in memory.
pub fn snippet_html_vars(
    lang: &str,
    code: &str,
    danger: Option<&str>,
    vars: &Vars,
    store: Option<&dyn SnippetStore>,
) -> String {
    let Some(filled) = vars::fill_code(code, vars) else {
        return match store {
            Some(store) => snippet_html_in_marked(store, lang, code, danger),
            None => snippet_html_marked(lang, code, danger),
        };
    };
    let body = match store {
        Some(store) => stored_body(store, lang, &filled.code),
        None => highlighted(lang, &filled.code),
    };
    // Values are found by where they stand in the text: only markup whose text is the code
    // exactly is marked, anything else is shown plain.
    let body = if verify_highlighted(&body, &filled.code).is_ok() { body } else { escape(&filled.code) };
    let body = vars::mark_values(&body, &filled.code, &filled.values);
    let copy_attr = if normalized(lang) == "console" {
        let (commands, template) = console_commands_with_vars(code, vars);
        format!(" data-copy=\"{}\" data-copy-template=\"{}\"", escape(&commands), escape(&template))
    } else {
        String::new()
    };
    frame_with(lang, &copy_attr, &body, danger)
}

/// The commands of a console session with placeholders: with the defaults filled in, and
/// with the placeholders as written. The session is read with each placeholder standing as
/// one character, so a `<<` of a placeholder is never taken for a here-document.
fn console_commands_with_vars(code: &str, vars: &Vars) -> (String, String) {
    const FIRST: u32 = 0xF0000;
    let names: Vec<&str> = vars.names().collect();
    if code.chars().any(|c| (FIRST..FIRST + 0x1000).contains(&(c as u32))) || names.len() > 0x1000 {
        let filled = vars::fill(code, vars);
        let commands = console_commands(&filled);
        return (commands.clone(), commands);
    }
    let mut marked = String::with_capacity(code.len());
    let mut copied = 0;
    for used in vars::find(code) {
        if let Some(index) = names.iter().position(|n| *n == used.name) {
            marked.push_str(&code[copied..used.range.start]);
            marked.push(char::from_u32(FIRST + index as u32).unwrap_or('\u{F0000}'));
            copied = used.range.end;
        }
    }
    marked.push_str(&code[copied..]);
    let commands = console_commands(&marked);
    let (mut filled, mut template) = (String::new(), String::new());
    for c in commands.chars() {
        let index = (c as u32).checked_sub(FIRST).map(|i| i as usize);
        match index.and_then(|i| names.get(i).map(|n| (n, vars.default_of(n).unwrap_or_default()))) {
            Some((name, default)) => {
                filled.push_str(default);
                template.push_str(&format!("<<{name}>>"));
            }
            None => {
                filled.push(c);
                template.push(c);
            }
        }
    }
    (filled, template)
}

/// The highlighted code of a snippet from `store`, when what it holds verifies; otherwise
/// highlighted again and stored.
fn stored_body(store: &dyn SnippetStore, lang: &str, code: &str) -> String {
    let key = snippet_key(lang, code);
    let stored = store.get(&key).and_then(|html| match verify_highlighted(&html, code) {
        Ok(()) => Some(html),
        Err(why) => {
            store.reject(&key, why);
            None
        }
    });
    stored.unwrap_or_else(|| {
        let body = highlighted(lang, code);
        store.put(&key, &body);
        body
    })
}

/// The frame of a snippet, with the copy button's attributes as given.
fn frame_with(lang: &str, copy_attr: &str, body: &str, danger: Option<&str>) -> String {
    let lang = normalized(lang);
    let label = if lang.is_empty() { "text" } else { lang.as_str() };
    let label = escape(label);
    let Some(reason) = danger else {
        return format!(
            "<div class=\"snippet\" data-lang=\"{label}\"><div class=\"snippet-head\"><span class=\"snippet-lang\">{label}</span><button type=\"button\" class=\"copy\"{copy_attr} hidden>Copy</button></div><pre class=\"code\" tabindex=\"0\"><code>{body}</code></pre></div>\n"
        );
    };
    let reason = reason.trim();
    let reason = if reason.is_empty() {
        "Read each command before you run it.".to_owned()
    } else {
        let mut reason = escape(reason);
        if !reason.ends_with(['.', '!', '?']) {
            reason.push('.');
        }
        reason
    };
    format!(
        "<div class=\"snippet snippet-danger\" data-lang=\"{label}\"><div class=\"snippet-head\"><span class=\"snippet-lang\">{label}</span><button type=\"button\" class=\"copy\" data-confirm{copy_attr} hidden>Copy</button></div><p class=\"snippet-warning\"><strong>Changes or deletes data:</strong> {reason}</p><pre class=\"code\" tabindex=\"0\"><code>{body}</code></pre></div>\n"
    )
}

/// Most spans stored for a snippet of `n` bytes: `n + SPANS_SLACK`. The highlighter writes a
/// span only around text, at least one byte of it; this keeps a forged record from swelling a
/// page with empty spans.
const SPANS_SLACK: usize = 64;

/// Checks that `html` is highlighted code as this module writes it for `code`: only
/// `<span class="…">` and `</span>`, balanced, whose classes are the highlighting classes this
/// module writes, around exactly the text of `code`, escaped as [`escape`] escapes
/// it. Markup of any other kind, an attribute, a character reference written another way, or
/// one character of text more, less or different is refused, with what was wrong.
pub fn verify_highlighted(html: &str, code: &str) -> Result<(), &'static str> {
    let (html, code) = (html.as_bytes(), code.as_bytes());
    let (mut at, mut text, mut spans) = (0, 0, 0usize);
    // Where the text stood when each open span opened: a span must hold some of it.
    let mut open: Vec<usize> = Vec::new();
    while at < html.len() {
        let rest = &html[at..];
        match rest[0] {
            b'<' => {
                if rest.starts_with(b"</span>") {
                    let opened_at = open.pop().ok_or("a `</span>` that closes no span")?;
                    if opened_at == text {
                        return Err("a span without text");
                    }
                    at += b"</span>".len();
                    continue;
                }
                let classes = rest.strip_prefix(b"<span class=\"").ok_or("markup other than a span")?;
                let end = classes.iter().position(|&b| b == b'"').ok_or("a span's class never ends")?;
                if classes.get(end + 1) != Some(&b'>') {
                    return Err("a span with more than a class");
                }
                verify_classes(&classes[..end])?;
                open.push(text);
                spans += 1;
                if spans > code.len() + SPANS_SLACK {
                    return Err("more spans than the code could need");
                }
                at += b"<span class=\"".len() + end + 2;
            }
            b'&' => {
                let (byte, entity) = [b'&', b'<', b'>', b'"', b'\'']
                    .into_iter()
                    .map(|byte| (byte, entity(byte)))
                    .find(|(_, entity)| rest.starts_with(entity.as_bytes()))
                    .ok_or("a character reference errorbook does not write")?;
                if code.get(text) != Some(&byte) {
                    return Err("text that differs from the code");
                }
                text += 1;
                at += entity.len();
            }
            b'>' | b'"' | b'\'' => return Err("a character that should have been escaped"),
            _ => {
                let run = rest
                    .iter()
                    .position(|b| matches!(b, b'<' | b'&' | b'>' | b'"' | b'\''))
                    .unwrap_or(rest.len());
                if code.get(text..text + run) != Some(&rest[..run]) {
                    return Err("text that differs from the code");
                }
                // Every span closes before its line ends: the page's line numbers and the
                // copy button read the code line by line.
                if !open.is_empty() && rest[..run].iter().any(|&b| b == b'\n' || b == b'\r') {
                    return Err("a span across a line break");
                }
                text += run;
                at += run;
            }
        }
    }
    if !open.is_empty() {
        return Err("a span that is never closed");
    }
    if text != code.len() {
        return Err("text that differs from the code");
    }
    Ok(())
}

/// The character reference [`escape`] writes for one of the characters it escapes.
fn entity(byte: u8) -> &'static str {
    match byte {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        _ => "&#39;",
    }
}

fn verify_classes(classes: &[u8]) -> Result<(), &'static str> {
    static KNOWN: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        let mut known: std::collections::HashSet<String> = (1..=u8::MAX).map(|c| Class(c).names()).collect();
        known.extend(["hl-prompt".to_owned(), "hl-output".to_owned()]);
        known.remove("");
        known
    });
    match std::str::from_utf8(classes) {
        Ok(names) if known.contains(names) => Ok(()),
        _ => Err("a class that is not a highlighting class"),
    }
}

/// Highlights `code` line by line, with each line looked up first in this thread's
/// [`LineMemo`].
fn classed(syntax: &SyntaxReference, code: &str) -> String {
    LINE_MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        classed_with(&mut memo, syntax, code).unwrap_or_else(|| escape(code))
    })
}

fn classed_with(memo: &mut LineMemo, syntax: &SyntaxReference, code: &str) -> Option<String> {
    memo.make_room();
    // The syntax set lives as long as the process: a definition's address names it.
    let table = memo.syntaxes.entry(std::ptr::from_ref(syntax) as usize).or_default();
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    // Where the parse stands in `table`'s states; `live` says whether `state` and `scopes`
    // are up to date, which they stop being while lines come from the memo.
    let mut at = table.intern(&state, &scopes);
    let mut live = true;
    let mut html = String::with_capacity(code.len() * 2);
    for line in LinesWithEndings::from(code) {
        if let Some(known) = at.and_then(|id| table.lines[id].get(line)) {
            html.push_str(&known.html);
            at = Some(known.end);
            live = false;
            continue;
        }
        if !live {
            let id = at?;
            (state, scopes) = table.states[id].clone();
            live = true;
        }
        let ops = state.parse_line(line, syntaxes()).ok()?;
        let before = html.len();
        line_html(line, &ops, &mut scopes, &mut memo.classes, &mut html)?;
        let end = table.intern(&state, &scopes);
        if let (Some(start), Some(end)) = (at, end) {
            let spans = &html[before..];
            memo.bytes += line.len() + spans.len();
            table.lines[start].insert(line.into(), KnownLine { html: spans.into(), end });
        }
        at = end;
    }
    Some(html)
}

/// Writes one line of code as runs of text, each in the span of its colour class (none for
/// text in the theme's plain colour). Every span closes before the line does, so a line's
/// markup depends only on the line and on the parser's state where it starts; white space
/// stays in the span it follows, as its colour cannot show.
fn line_html(
    line: &str,
    ops: &[(usize, ScopeStackOp)],
    scopes: &mut ScopeStack,
    classes: &mut StackClasses,
    html: &mut String,
) -> Option<()> {
    let body = line.strip_suffix('\n').map_or(line, |rest| rest.strip_suffix('\r').unwrap_or(rest));
    let mut open = Class::PLAIN;
    let mut class = classes.of(scopes.as_slice());
    let mut from = 0;
    let write_run = |text: &str, class: Class, open: &mut Class, html: &mut String| {
        if text.is_empty() {
            return;
        }
        let blank = text.bytes().all(|b| b == b' ' || b == b'\t');
        if class != *open && !(blank && *open != Class::PLAIN && !open.underlined()) {
            if *open != Class::PLAIN {
                html.push_str("</span>");
            }
            if class != Class::PLAIN {
                html.push_str(class.open_tag());
            }
            *open = class;
        }
        escape_into(html, text);
    };
    // A carriage return inside a line is a line break to a browser: no span may cross it.
    let write = |text: &str, class: Class, open: &mut Class, html: &mut String| {
        for (i, run) in text.split('\r').enumerate() {
            if i > 0 {
                if *open != Class::PLAIN {
                    html.push_str("</span>");
                    *open = Class::PLAIN;
                }
                html.push('\r');
            }
            write_run(run, class, open, html);
        }
    };
    for (at, op) in ops {
        let at = (*at).min(body.len());
        if at > from {
            write(&body[from..at], class, &mut open, html);
            from = at;
        }
        scopes.apply(op).ok()?;
        class = classes.of(scopes.as_slice());
    }
    write(&body[from..], class, &mut open, html);
    if open != Class::PLAIN {
        html.push_str("</span>");
    }
    html.push_str(&line[body.len()..]);
    Some(())
}

/// How a token looks: the index of its colour in [`PALETTE`] plus one (zero for the theme's
/// plain colour) in the low bits, and bold, italic and underline above them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Class(u8);

const BOLD: u8 = 0x10;
const ITALIC: u8 = 0x20;
const UNDERLINE: u8 = 0x40;

impl Class {
    const PLAIN: Class = Class(0);

    fn underlined(self) -> bool {
        self.0 & UNDERLINE != 0
    }

    /// The class names, such as `hl-k` or `hl-c hl-i`.
    fn names(self) -> String {
        let colour = usize::from(self.0 & 0x0f);
        let mut names: Vec<String> = Vec::new();
        if let Some((name, _)) = colour.checked_sub(1).and_then(|i| PALETTE.get(i)) {
            names.push(format!("hl-{name}"));
        }
        for (bit, name) in [(BOLD, "b"), (ITALIC, "i"), (UNDERLINE, "u")] {
            if self.0 & bit != 0 {
                names.push(format!("hl-{name}"));
            }
        }
        names.join(" ")
    }

    fn open_tag(self) -> &'static str {
        static TAGS: OnceLock<Vec<String>> = OnceLock::new();
        let tags = TAGS.get_or_init(|| {
            (0..=u8::MAX).map(|c| format!("<span class=\"{}\">", Class(c).names())).collect()
        });
        &tags[usize::from(self.0)]
    }
}

/// The colour classes of highlighted code, each with a scope the themes give that colour.
/// The two Coldark themes share their rules and differ only in their palettes, so a token has
/// the same class in both; a test holds every colour of both themes to this table.
const PALETTE: &[(&str, &str)] = &[
    ("c", "comment"),
    ("k", "keyword"),
    ("s", "string"),
    ("n", "constant.numeric"),
    ("f", "entity.name.function"),
    ("t", "entity.name.tag"),
    ("v", "variable.other"),
    ("x", "constant.character.escape"),
    ("e", "invalid"),
    // CSS properties with a vendor prefix: the variables' blue, a little transparent.
    ("w", "support.type.vendored.property-name"),
];

/// The light and the dark theme, in that order.
fn themes() -> &'static [Theme; 2] {
    static THEMES: OnceLock<[Theme; 2]> = OnceLock::new();
    THEMES.get_or_init(|| {
        let themes = two_face::theme::extra();
        [
            themes.get(EmbeddedThemeName::ColdarkCold).clone(),
            themes.get(EmbeddedThemeName::ColdarkDark).clone(),
        ]
    })
}

/// What the themes make of scope stacks, and the colours of [`PALETTE`] in each.
struct Styler {
    light: Highlighter<'static>,
    dark: Highlighter<'static>,
    /// `(light, dark)` foreground of each palette class.
    colours: Vec<(Color, Color)>,
}

fn styler() -> &'static Styler {
    static STYLER: OnceLock<Styler> = OnceLock::new();
    STYLER.get_or_init(|| {
        let [light, dark] = themes();
        let (light, dark) = (Highlighter::new(light), Highlighter::new(dark));
        let colours = PALETTE
            .iter()
            .map(|(_, scope)| {
                let stack = [Scope::new(scope).unwrap_or_default()];
                (light.style_for_stack(&stack).foreground, dark.style_for_stack(&stack).foreground)
            })
            .collect();
        Styler { light, dark, colours }
    })
}

impl Styler {
    fn class_of(&self, stack: &[Scope]) -> Class {
        let (light, dark) = (self.light.style_for_stack(stack), self.dark.style_for_stack(stack));
        let colour = self
            .colours
            .iter()
            .position(|&pair| pair == (light.foreground, dark.foreground))
            .map_or(0, |i| i as u8 + 1);
        let mut class = colour;
        for (style, bit) in
            [(FontStyle::BOLD, BOLD), (FontStyle::ITALIC, ITALIC), (FontStyle::UNDERLINE, UNDERLINE)]
        {
            if light.font_style.contains(style) {
                class |= bit;
            }
        }
        Class(class)
    }
}

/// The class of each scope stack met, per thread: the themes' selectors are matched against a
/// stack once, and a grammar has a few hundred distinct stacks at most.
#[derive(Default)]
struct StackClasses {
    known: HashMap<Box<[Scope]>, Class>,
}

impl StackClasses {
    fn of(&mut self, stack: &[Scope]) -> Class {
        if let Some(class) = self.known.get(stack) {
            return *class;
        }
        let class = styler().class_of(stack);
        if self.known.len() < 1 << 16 {
            self.known.insert(stack.into(), class);
        }
        class
    }
}

thread_local! {
    static LINE_MEMO: RefCell<LineMemo> = RefCell::default();
}

/// Lines already highlighted by this thread, by syntax, parser state and text. Error KBs repeat
/// lines far more often than whole snippets (`systemctl restart nginx` under a dozen different
/// first lines), and syntect's output for a line depends only on the line and the state the
/// parser and its scope stack are in when it starts; so a line met again in a state met
/// before is copied instead of parsed. Per thread, so rendering in parallel never waits on it.
#[derive(Default)]
struct LineMemo {
    syntaxes: HashMap<usize, StateTable>,
    classes: StackClasses,
    /// Text and HTML held, to bound the memo's memory in a long-running preview.
    bytes: usize,
}

/// What the threads together keep before each starts over: a thread renders its share of the
/// snippets, so it keeps its share of this. The lines a site repeats most are met again soon
/// after a start over. At 128 MB the memo grew through the whole of a cold build of 10,000
/// entries of the long corpus (bench/gen-corpus.py), whose peak memory fell from 354 to 298 MiB
/// with this bound.
const MEMO_BYTES: usize = 32 << 20;

fn memo_bytes_per_thread() -> usize {
    static SHARE: OnceLock<usize> = OnceLock::new();
    *SHARE.get_or_init(|| MEMO_BYTES / std::thread::available_parallelism().map_or(1, usize::from))
}

/// Distinct parser states kept per syntax. Most lines start in one of a few states (the top of
/// the file, inside a mapping, inside a string); the rare deep states are parsed each time.
const MEMO_STATES: usize = 64;

impl LineMemo {
    fn make_room(&mut self) {
        if self.bytes > memo_bytes_per_thread() {
            self.syntaxes.clear();
            self.bytes = 0;
        }
    }
}

#[derive(Default)]
struct StateTable {
    states: Vec<(ParseState, ScopeStack)>,
    /// `lines[i]`: the lines met in `states[i]`.
    lines: Vec<HashMap<Box<str>, KnownLine>>,
}

impl StateTable {
    /// The index of this state, added if new and there is room.
    fn intern(&mut self, state: &ParseState, scopes: &ScopeStack) -> Option<usize> {
        if let Some(id) = self.states.iter().position(|(s, c)| s == state && c == scopes) {
            return Some(id);
        }
        if self.states.len() == MEMO_STATES {
            return None;
        }
        self.states.push((state.clone(), scopes.clone()));
        self.lines.push(HashMap::new());
        Some(self.states.len() - 1)
    }
}

struct KnownLine {
    html: Box<str>,
    end: usize,
}

/// Renders a console session (its lines as [`console::lines`] reads them): prompts, commands
/// highlighted as shell, here-document bodies plain, output dimmed.
fn console(code: &str) -> String {
    let shell = find_syntax("bash").filter(|_| code.len() <= HIGHLIGHT_LIMIT);
    let mut html = String::new();
    for line in console::lines(code) {
        match line.kind {
            console::Kind::Prompt(_) | console::Kind::Continued => {
                let command = line.command().unwrap_or("");
                if let console::Kind::Prompt(width) = line.kind {
                    in_span(&mut html, "hl-prompt", &line.bare[..width]);
                }
                let rendered = match shell {
                    Some(syntax) => classed(syntax, command),
                    None => escape(command),
                };
                html.push_str(&rendered);
            }
            console::Kind::Heredoc => html.push_str(&escape(line.bare)),
            console::Kind::Output => in_span(&mut html, "hl-output", line.bare),
        }
        html.push_str(&line.line[line.bare.len()..]);
    }
    html
}

/// Writes `text`, escaped, in spans of `class`: none around nothing, and none across a
/// carriage return, which a browser reads as a line break.
fn in_span(html: &mut String, class: &str, text: &str) {
    for (i, run) in text.split('\r').enumerate() {
        if i > 0 {
            html.push('\r');
        }
        if !run.is_empty() {
            html.push_str("<span class=\"");
            html.push_str(class);
            html.push_str("\">");
            escape_into(html, run);
            html.push_str("</span>");
        }
    }
}

/// The commands of a console session, for copying (see [`console::commands`]).
fn console_commands(code: &str) -> String {
    console::commands(code)
}

/// The stylesheet for highlighted code: a light theme, and a dark one for readers whose
/// system prefers it. The Coldark themes are designed for WCAG contrast. Made once per process:
/// every render writes it, and reading the themes takes longer than rendering a small site.
pub fn highlight_css() -> String {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(make_highlight_css).clone()
}

fn make_highlight_css() -> String {
    let styler = styler();
    let hex = |c: Color| match c.a {
        u8::MAX => format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b),
        a => format!("#{:02x}{:02x}{:02x}{a:02x}", c.r, c.g, c.b),
    };
    let rules = |scope: &str, pick: fn(&(Color, Color)) -> Color| -> String {
        let mut css = String::new();
        for ((name, _), colours) in PALETTE.iter().zip(&styler.colours) {
            css.push_str(&format!("{scope}.hl-{name} {{ color: {}; }}\n", hex(pick(colours))));
        }
        // Console sessions: prompts and output in the comments' colour, so commands stand out.
        let comment = styler.colours[0];
        css.push_str(&format!(
            "{scope}.hl-prompt, {scope}.hl-output {{ color: {}; }}\n",
            hex(pick(&comment))
        ));
        css
    };
    let mut css = String::from("/* Syntax colours, from the Coldark themes (one class per colour). */\n");
    css.push_str(&rules("", |pair| pair.0));
    css.push_str(".hl-b { font-weight: bold; }\n.hl-i { font-style: italic; }\n.hl-u { text-decoration: underline; }\n");
    // Dark follows the system unless the reader chose light, and applies whenever the reader
    // chose dark: the theme toggle sets `data-theme` on the root element. Screens only: printed
    // code keeps the light colours on white paper.
    css.push_str("@media screen and (prefers-color-scheme: dark) {\n");
    css.push_str(&rules(":root:not([data-theme=\"light\"]) ", |pair| pair.1));
    css.push_str("}\n@media screen {\n");
    css.push_str(&rules(":root[data-theme=\"dark\"] ", |pair| pair.1));
    css.push_str("}\n");
    css
}

/// Code highlighted for a terminal: syntect's 24-bit colour escapes with a Coldark theme for
/// a dark or a light background, reset at the end of every line. A `console` block highlights
/// its commands and leaves the output plain; an unknown language is returned as it is.
pub fn terminal_escaped(lang: &str, code: &str, dark_background: bool) -> String {
    use syntect::easy::HighlightLines;
    use syntect::util::as_24_bit_terminal_escaped;

    let [light, dark] = themes();
    let theme = if dark_background { dark } else { light };
    let lang = lang.trim().to_ascii_lowercase();
    let console = lang == "console";
    let syntax = if console { find_syntax("bash") } else { find_syntax(&lang) };
    let Some(syntax) = syntax.filter(|_| !PLAIN.contains(&lang.as_str())) else {
        return code.to_owned();
    };
    let mut highlighter = HighlightLines::new(syntax, theme);
    let mut out = String::new();
    let lines: Vec<console::Line<'_>> = if console {
        console::lines(code)
    } else {
        LinesWithEndings::from(code)
            .map(|line| {
                let bare = line.trim_end_matches(['\n', '\r']);
                console::Line { line, bare, kind: console::Kind::Continued }
            })
            .collect()
    };
    for console::Line { line, bare, kind } in lines {
        let (prefix, command) = match kind {
            console::Kind::Prompt(width) => (&bare[..width], &bare[width..]),
            console::Kind::Continued => ("", bare),
            console::Kind::Heredoc | console::Kind::Output => {
                out.push_str(line);
                continue;
            }
        };
        out.push_str(prefix);
        // The syntaxes end comments and strings at the newline: highlight the line with it.
        let with_newline = format!("{command}\n");
        match highlighter.highlight_line(&with_newline, syntaxes()) {
            Ok(ranges) if !command.is_empty() => {
                let escaped = as_24_bit_terminal_escaped(&ranges, false);
                out.push_str(escaped.trim_end_matches('\n'));
                out.push_str("\x1b[0m");
            }
            _ => out.push_str(command),
        }
        out.push_str(&line[bare.len()..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_cache_starts_over_rather_than_outgrow_its_share() {
        let key = |code: &str| ("bash".to_owned(), code.to_owned(), None);
        let mut shard = CacheShard::default();
        shard.insert(key("ls"), "<b>ls</b>", 30);
        shard.insert(key("pwd"), "<b>pwd</b>", 30);
        assert_eq!((shard.snippets.len(), shard.bytes), (2, 24));
        shard.insert(key("uptime"), "<b>uptime</b>", 30);
        assert_eq!(shard.snippets.keys().map(|k| k.1.as_str()).collect::<Vec<_>>(), ["uptime"]);
        assert_eq!(shard.bytes, 19);
    }

    /// The same highlighting the slow, obvious way: syntect's own highlighter once with each
    /// theme, the two styles of every piece read as a class, then the pieces written out with
    /// white space kept in the span before it and every span closed at the end of its line.
    fn generator_html(syntax: &SyntaxReference, code: &str) -> String {
        use syntect::easy::HighlightLines;
        let [light, dark] = themes();
        let (mut light, mut dark) = (HighlightLines::new(syntax, light), HighlightLines::new(syntax, dark));
        let colours = &styler().colours;
        let mut html = String::new();
        for line in LinesWithEndings::from(code) {
            let body = line.trim_end_matches('\n').strip_suffix('\r').unwrap_or(line.trim_end_matches('\n'));
            let a = light.highlight_line(line, syntaxes()).expect("parses");
            let b = dark.highlight_line(line, syntaxes()).expect("parses");
            assert_eq!(a.len(), b.len(), "the themes split the line alike");
            let mut pieces: Vec<(String, String)> = Vec::new();
            let mut at = 0;
            for ((style, text), (dark_style, _)) in a.iter().zip(&b) {
                let text = &text[..text.len().min(body.len().saturating_sub(at))];
                at += text.len();
                if text.is_empty() {
                    continue;
                }
                let colour = colours
                    .iter()
                    .position(|&pair| pair == (style.foreground, dark_style.foreground))
                    .map_or(String::new(), |i| format!("hl-{}", PALETTE[i].0));
                let mut names: Vec<String> = vec![colour];
                if style.font_style.contains(FontStyle::BOLD) {
                    names.push("hl-b".into());
                }
                if style.font_style.contains(FontStyle::ITALIC) {
                    names.push("hl-i".into());
                }
                if style.font_style.contains(FontStyle::UNDERLINE) {
                    names.push("hl-u".into());
                }
                let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
                let class = names.join(" ");
                let blank = text.chars().all(|c| c == ' ' || c == '\t');
                match pieces.last_mut() {
                    Some(last)
                        if last.0 == class || (blank && !last.0.is_empty() && !last.0.contains("hl-u")) =>
                    {
                        last.1.push_str(text);
                    }
                    _ => pieces.push((class, text.to_owned())),
                }
            }
            for (class, text) in pieces {
                if class.is_empty() {
                    html.push_str(&escape(&text));
                } else {
                    html.push_str(&format!("<span class=\"{class}\">{}</span>", escape(&text)));
                }
            }
            html.push_str(&line[body.len()..]);
        }
        html
    }

    #[test]
    fn every_colour_of_both_themes_has_a_class() {
        let [light, dark] = themes();
        assert_eq!(light.scopes.len(), dark.scopes.len(), "the themes share their rules");
        let colours = &styler().colours;
        for (a, b) in light.scopes.iter().zip(&dark.scopes) {
            assert_eq!(a.scope, b.scope, "the themes share their rules");
            assert_eq!(a.style.font_style, b.style.font_style, "{:?}", a.scope);
            assert!(a.style.background.is_none() && b.style.background.is_none(), "{:?}", a.scope);
            if let (Some(x), Some(y)) = (a.style.foreground, b.style.foreground) {
                let plain = (light.settings.foreground, dark.settings.foreground) == (Some(x), Some(y));
                assert!(
                    plain || colours.contains(&(x, y)),
                    "no class for {x:?}/{y:?} of {:?} in {colours:?}",
                    a.scope
                );
            }
        }
        let distinct: std::collections::HashSet<_> = colours.iter().collect();
        assert_eq!(distinct.len(), PALETTE.len(), "two classes of one colour");
    }

    /// Lines that leave the parser in different states: inside strings, block scalars,
    /// heredocs, comments and brackets, and back at the top.
    const POOL: &[(&str, &[&str])] = &[
        (
            "python",
            &[
                "def f(x):\n",
                "    return x\n",
                "\"\"\"doc\n",
                "still doc\n",
                "\"\"\"\n",
                "x = [1,\n",
                "  2]\n",
                "# note\n",
                "print('a')\n",
            ],
        ),
        (
            "yaml",
            &[
                "key: value\n",
                "list:\n",
                "  - item\n",
                "text: |\n",
                "  folded line\n",
                "other: \"q\n",
                "  rest\"\n",
                "# c\n",
            ],
        ),
        (
            "bash",
            &[
                "cat <<EOF\n",
                "inside $HOME\n",
                "EOF\n",
                "echo \"open\n",
                "close\"\n",
                "systemctl restart nginx\n",
                "if true; then\n",
                "fi\n",
            ],
        ),
        ("sql", &["SELECT *\n", "FROM t /* a\n", "b */ WHERE x = 'y\n", "z';\n", "-- done\n"]),
    ];

    #[test]
    fn memoized_lines_give_syntects_own_output() {
        let mut memo = LineMemo::default();
        for round in 0..2 {
            for (lang, lines) in POOL {
                let syntax = find_syntax(lang).expect("known");
                // Every line after every other: each line is met in many states.
                for first in *lines {
                    let code: String = std::iter::once(*first).chain(lines.iter().copied()).collect();
                    let memoized = classed_with(&mut memo, syntax, &code).expect("highlights");
                    assert_eq!(memoized, generator_html(syntax, &code), "{lang}, round {round}:\n{code}");
                }
            }
        }
        assert!(memo.bytes > 0, "nothing was memoized");
    }

    #[test]
    fn a_full_memo_starts_over() {
        let mut memo = LineMemo::default();
        let syntax = find_syntax("bash").expect("known");
        classed_with(&mut memo, syntax, "echo one\n").expect("highlights");
        memo.bytes = memo_bytes_per_thread() + 1;
        let html = classed_with(&mut memo, syntax, "echo two\n").expect("highlights");
        assert_eq!(html, generator_html(syntax, "echo two\n"));
        let table = memo.syntaxes.values().next().expect("one syntax");
        assert!(
            table.lines.iter().all(|lines| !lines.contains_key("echo one\n")),
            "the memo was not emptied"
        );
        assert!(table.lines.iter().any(|lines| lines.contains_key("echo two\n")));
    }

    proptest::proptest! {
        #[test]
        fn any_order_of_lines_highlights_as_syntect_does(
            lang in 0..POOL.len(),
            picks in proptest::collection::vec(0usize..16, 1..24),
        ) {
            let (name, lines) = POOL[lang];
            let syntax = find_syntax(name).expect("known");
            let code: String = picks.iter().map(|i| lines[i % lines.len()]).collect();
            let mut memo = LineMemo::default();
            let first = classed_with(&mut memo, syntax, &code).expect("highlights");
            let again = classed_with(&mut memo, syntax, &code).expect("highlights");
            let expected = generator_html(syntax, &code);
            proptest::prop_assert_eq!(&first, &expected);
            proptest::prop_assert_eq!(&again, &expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn what_the_highlighter_writes_verifies(
            lang in proptest::sample::select(&["bash", "console", "yaml", "python", "json", "rust", "sql", "text", "klingon", ""][..]),
            lines in proptest::collection::vec("(\\$ )?[a-z<>&\"' =${}()#\\\\/|.é→\t\r-]{0,30}", 0..8),
        ) {
            let code = lines.join("\n");
            let html = highlighted(lang, &code);
            proptest::prop_assert_eq!(verify_highlighted(&html, &code), Ok(()), "{}", html);
            if !code.is_empty() {
                let other = format!("{code}x");
                proptest::prop_assert!(verify_highlighted(&html, &other).is_err());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn values_are_marked_whole_and_the_text_stays_the_code(
            lang in proptest::sample::select(&["bash", "console", "yaml", "python", "sql", "text"][..]),
            lines in proptest::collection::vec("(\\$ )?[a-z<>&\"' =${}()#/|.-]{0,16}(<<ns>>)?[a-z\"'= -]{0,8}(<<ns>>)?", 0..6),
        ) {
            let code = lines.join("\n");
            let vars = Vars::new([vars::Var { name: "ns".to_owned(), default: "a<b \"c\"".to_owned() }]);
            if let Some(filled) = vars::fill_code(&code, &vars) {
                let marked = vars::mark_values(&highlighted(lang, &filled.code), &filled.code, &filled.values);
                let whole = "<span class=\"var\" data-var=\"ns\">a&lt;b &quot;c&quot;</span>";
                proptest::prop_assert_eq!(marked.matches(whole).count(), filled.values.len(), "{}", marked);
                // With the value spans read as any other span, the markup is the code's.
                let plain = marked.replace("<span class=\"var\" data-var=\"ns\">", "<span class=\"hl-s\">");
                proptest::prop_assert_eq!(verify_highlighted(&plain, &filled.code), Ok(()), "{}", marked);
            }
        }
    }

    #[test]
    fn the_verifier_accepts_this_modules_markup_and_nothing_else() {
        let code = "echo \"<a href='x'>\" && cat <<EOF\n$HOME\nEOF\n";
        let html = highlighted("bash", code);
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert_eq!(verify_highlighted(&html, code), Ok(()));
        assert_eq!(verify_highlighted(&escape(code), code), Ok(()));
        assert_eq!(verify_highlighted("", ""), Ok(()));
        assert_eq!(verify_highlighted("<span class=\"hl-output\">x</span>", "x"), Ok(()));
        // A forged record may not swell a page with spans the code could not need.
        let swollen = format!("{}x{}", "<span class=\"hl-s\">".repeat(66), "</span>".repeat(66));
        assert_eq!(verify_highlighted(&swollen, "x"), Err("more spans than the code could need"));
        let nested = format!("{}x{}", "<span class=\"hl-s\">".repeat(65), "</span>".repeat(65));
        assert_eq!(verify_highlighted(&nested, "x"), Ok(()));
        for (bad, why) in [
            ("<b>x</b>", "markup other than a span"),
            ("<span>x</span>", "markup other than a span"),
            ("<span class='hl-k'>x</span>", "markup other than a span"),
            ("<span class=\"hl-k\" id=\"y\">x</span>", "a span with more than a class"),
            ("<span class=\"hl-k\"x</span>", "a span with more than a class"),
            ("<span class=\"hl-k>x</span>", "a span's class never ends"),
            ("<span class=\"hl-k", "a span's class never ends"),
            ("<span class=\"\">x</span>", "a class that is not a highlighting class"),
            ("<span class=\"hl-\">x</span>", "a class that is not a highlighting class"),
            ("<span class=\"hl-a.b\">x</span>", "a class that is not a highlighting class"),
            ("<span class=\"hl-zz\">x</span>", "a class that is not a highlighting class"),
            ("<span class=\"hl-k hl-k\">x</span>", "a class that is not a highlighting class"),
            ("<span class=\"hl-b hl-k\">x</span>", "a class that is not a highlighting class"),
            ("<span class=\"hl-k \">x</span>", "a class that is not a highlighting class"),
            ("x</span>", "a `</span>` that closes no span"),
            ("<span class=\"hl-k\">x", "a span that is never closed"),
            ("<span class=\"hl-k\"></span>x", "a span without text"),
            ("x<span class=\"hl-k\"><span class=\"hl-s\"></span></span>", "a span without text"),
            ("&#x78;", "a character reference errorbook does not write"),
            ("&amp", "a character reference errorbook does not write"),
            ("x>", "a character that should have been escaped"),
            ("y", "text that differs from the code"),
            ("", "text that differs from the code"),
            ("xx", "text that differs from the code"),
        ] {
            let code = if bad.contains('>') && why.contains("escaped") { "x>" } else { "x" };
            assert_eq!(verify_highlighted(bad, code), Err(why), "{bad}");
        }
        for line_break in ["\n", "\r", "\r\n"] {
            let code = format!("x{line_break}x");
            let across = format!("<span class=\"hl-k\">{code}</span>");
            assert_eq!(verify_highlighted(&across, &code), Err("a span across a line break"), "{across:?}");
            let beside = format!("<span class=\"hl-k\">x</span>{line_break}<span class=\"hl-k\">x</span>");
            assert_eq!(verify_highlighted(&beside, &code), Ok(()), "{beside:?}");
        }
        // The text of `&lt;` is `<`, and nothing else.
        assert_eq!(verify_highlighted("&lt;", "<"), Ok(()));
        assert_eq!(verify_highlighted("&lt;", ">"), Err("text that differs from the code"));
    }

    #[test]
    fn knows_the_languages_error_kbs_need() {
        for lang in [
            "bash",
            "sh",
            "shell",
            "console",
            "yaml",
            "json",
            "toml",
            "ini",
            "nginx",
            "dockerfile",
            "sql",
            "python",
            "javascript",
            "js",
            "go",
            "java",
            "rust",
            "powershell",
            "hcl",
            "terraform",
            "diff",
            "text",
        ] {
            assert!(is_known_language(lang), "{lang} should be known");
        }
        assert!(!is_known_language("klingon"));
    }

    #[test]
    fn unknown_languages_render_as_escaped_text() {
        let html = snippet_html("klingon", "<b>&\n");
        assert!(html.contains("<code>&lt;b&gt;&amp;\n</code>"), "{html}");
    }

    #[test]
    fn console_copies_commands_only() {
        let session = "$ kubectl get pods \\\n    -n prod\nNAME   READY\napi    0/1\n$ echo ok\nok\n";
        let (html, commands) = (console(session), console_commands(session));
        assert_eq!(commands, "kubectl get pods \\\n    -n prod\necho ok");
        assert!(html.contains("<span class=\"hl-output\">NAME   READY</span>"), "{html}");
        assert_eq!(html.matches("hl-prompt").count(), 2);
    }

    #[test]
    fn no_span_crosses_a_carriage_return() {
        for (lang, code) in
            [("bash", "'\r"), ("bash", "echo 'a\rb' # c\rd\n"), ("console", "$ echo a\rb\nout\rput\n")]
        {
            let html = highlighted(lang, code);
            assert!(html.contains("<span"), "{html:?}");
            assert_eq!(verify_highlighted(&html, code), Ok(()), "{html:?}");
        }
    }

    #[test]
    fn a_blank_line_of_output_has_no_span() {
        let session = "$ systemctl status api\nactive\n\n   \n";
        let html = console(session);
        assert_eq!(html.matches("<span class=\"hl-output\">").count(), 2, "{html}");
        assert!(!html.contains("<span class=\"hl-output\"></span>"), "{html}");
        assert!(
            html.contains("<span class=\"hl-output\">active</span>\n\n<span class=\"hl-output\">   </span>"),
            "{html}"
        );
        assert_eq!(verify_highlighted(&html, session), Ok(()));
    }

    #[test]
    fn console_copies_root_commands_and_heredoc_bodies_too() {
        let session =
            "# systemctl restart nginx\n$ sudo tee /etc/app.conf <<'EOF'\nlisten = 80\nEOF\nlisten = 80\n";
        assert_eq!(
            console_commands(session),
            "systemctl restart nginx\nsudo tee /etc/app.conf <<'EOF'\nlisten = 80\nEOF"
        );
        let html = console(session);
        assert!(html.starts_with("<span class=\"hl-prompt\"># </span>"), "{html}");
        assert!(
            html.contains("\nlisten = 80\nEOF\n<span class=\"hl-output\">listen = 80</span>\n"),
            "{html}"
        );
        let terminal = terminal_escaped("console", session, true);
        assert!(terminal.starts_with("# \x1b["), "{terminal:?}");
        assert!(terminal.ends_with("\nlisten = 80\nEOF\nlisten = 80\n"), "{terminal:?}");
    }

    #[test]
    fn a_block_marked_danger_warns_and_asks_twice() {
        let html =
            snippet_html_marked("bash", "kubectl rollout undo deploy/api\n", Some("rolls back <production>"));
        assert!(html.starts_with("<div class=\"snippet snippet-danger\" data-lang=\"bash\">"), "{html}");
        assert!(html.contains("class=\"copy\" data-confirm hidden>"), "{html}");
        assert!(
            html.contains("<p class=\"snippet-warning\"><strong>Changes or deletes data:</strong> rolls back &lt;production&gt;.</p>"),
            "{html}"
        );
        let plain = snippet_html_marked("bash", "kubectl rollout undo deploy/api\n", None);
        assert!(!plain.contains("data-confirm") && !plain.contains("snippet-warning"), "{plain}");
        let no_reason = snippet_html_marked("bash", "x\n", Some(""));
        assert!(no_reason.contains("</strong> Read each command before you run it.</p>"), "{no_reason}");
    }

    #[test]
    fn placeholders_show_their_defaults_in_spans_and_a_session_copies_them() {
        let vars = Vars::new([vars::Var { name: "ns".to_owned(), default: "prod".to_owned() }]);
        let html = snippet_html_vars("console", "$ kubectl get pods -n <<ns>>\nNAME\n", None, &vars, None);
        assert!(html.contains("<span class=\"var\" data-var=\"ns\">prod</span>"), "{html}");
        assert!(html.contains(" data-copy=\"kubectl get pods -n prod\""), "{html}");
        assert!(html.contains(" data-copy-template=\"kubectl get pods -n &lt;&lt;ns&gt;&gt;\""), "{html}");
        // A placeholder is one value, never the start of a here-document.
        let html = snippet_html_vars("console", "$ cat <<ns>>\nout\n", None, &vars, None);
        assert!(html.contains(" data-copy=\"cat prod\""), "{html}");
        // Highlighting stays around the value, and the frame is the usual one.
        let html = snippet_html_vars("bash", "kubectl get pods -n <<ns>>\n", Some("why"), &vars, None);
        assert!(html.starts_with("<div class=\"snippet snippet-danger\" data-lang=\"bash\">"), "{html}");
        assert!(html.contains("<span class=\"hl-f\">kubectl</span>"), "{html}");
        assert!(!html.contains("data-copy-template"), "{html}");
        // Code without placeholders of the entry is the snippet as ever.
        for code in ["echo <<other>>\n", "echo hi\n"] {
            assert_eq!(snippet_html_vars("bash", code, None, &vars, None), snippet_html("bash", code));
        }
    }

    #[test]
    fn copy_text_is_an_escaped_attribute() {
        let html = snippet_html("console", "$ echo \"<x>\"\n");
        assert!(html.contains("data-copy=\"echo &quot;&lt;x&gt;&quot;\""), "{html}");
    }

    #[test]
    fn oversized_blocks_stay_plain() {
        let code = "echo \"$((".repeat(20_000);
        let html = snippet_html("bash", &code);
        assert!(!html.contains("hl-"), "an oversized block was highlighted");
        let console = snippet_html("console", &format!("$ {code}\n"));
        assert!(
            console.contains("hl-prompt") && !console.contains("hl-f"),
            "an oversized console block was highlighted"
        );
    }

    #[test]
    fn css_has_both_themes() {
        let css = highlight_css();
        assert!(css.starts_with("/* Syntax colours"));
        assert!(css.contains("\n.hl-c { color: #3c526d; }\n"), "{css}");
        assert!(css.contains("@media screen and (prefers-color-scheme: dark) {"));
        let chosen = css.find(":root[data-theme=\"dark\"]").expect("a chosen dark theme");
        let screen = css.rfind("@media screen {").expect("a screen-only block");
        assert!(screen < chosen, "a chosen dark theme applies on screens only, not on paper");
        assert!(css.trim_end().ends_with('}'), "the screen block is closed");
        assert!(
            css.contains(":root:not([data-theme=\"light\"]) .hl-c { color: #8da1b9; }"),
            "dark follows the system unless light is chosen"
        );
        assert!(
            css.contains(":root[data-theme=\"dark\"] .hl-k { color: #e9ae7e; }"),
            "a chosen dark theme applies"
        );
        for (name, _) in PALETTE {
            assert_eq!(css.matches(&format!(".hl-{name} {{")).count(), 3, "{name}");
        }
    }

    #[test]
    fn spans_are_short_and_close_with_their_line() {
        let code = "# restart it\nsystemctl restart nginx && echo \"done $HOME\"\n";
        let html = highlighted("bash", code);
        assert_eq!(verify_highlighted(&html, code), Ok(()));
        assert!(html.starts_with("<span class=\"hl-c\"># restart it</span>\n"), "{html}");
        for line in html.lines() {
            assert_eq!(line.matches("<span").count(), line.matches("</span>").count(), "{line}");
        }
        assert!(!html.contains("<span class=\"hl-s\"></span>"), "{html}");
        // Less than half of what syntect's scope classes take.
        let mut scoped = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            find_syntax("bash").expect("known"),
            syntaxes(),
            syntect::html::ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            scoped.parse_html_for_line_which_includes_newline(line).expect("parses");
        }
        let scoped = scoped.finalize();
        assert!(html.len() * 2 < scoped.len(), "{} bytes against {}: {html}", html.len(), scoped.len());
    }
}
