//! The knowledge base for AI assistants and other programs that read Markdown: a Markdown copy
//! of every entry (`<category>/<slug>/index.md`), `llms.txt` (the llmstxt.org index: the site,
//! then a section per category with a line per entry) and `llms-full.txt` (every entry's copy,
//! one after another, up to [`FULL_CAP_BYTES`]). See docs/publishing.md.

use std::collections::BTreeMap;

use anyhow::Result;

use super::Sink;
use crate::content::{Entry, EntryId, SiteConfig, Status};
use crate::markdown::copy::{code_span, escape_text, link_destination, rewrite};
use crate::markdown::vars::fill_markdown;
use crate::markdown::{LinkStyle, Part};

pub const LLMS_TXT: &str = "llms.txt";
pub const LLMS_FULL_TXT: &str = "llms-full.txt";
/// The name of an entry's Markdown copy in its page's folder.
pub const COPY_NAME: &str = "index.md";

/// The most `llms-full.txt` holds: the entry that would pass it, and every one after it, are
/// left out, and the file ends by saying how many and where their copies are.
pub const FULL_CAP_BYTES: usize = 5 * 1024 * 1024;

/// How the Markdown of one build links: absolute URLs under `base_url`, or, for a build read
/// from disk, paths relative to the file that holds the link.
#[derive(Clone, Debug)]
pub(super) struct Links {
    pub base_url: String,
    pub offline: bool,
}

impl Links {
    /// What leads from a file `depth` folders deep to the site root.
    fn root(&self, depth: usize) -> String {
        if self.offline {
            "../".repeat(depth)
        } else {
            self.base_url.clone()
        }
    }

    fn style(&self, depth: usize) -> LinkStyle {
        LinkStyle {
            root: self.root(depth),
            index_suffix: if self.offline { "index.html".to_owned() } else { String::new() },
        }
    }

    /// The page of the folder `folder` (`http/503/`) from `depth` folders deep.
    fn page(&self, depth: usize, folder: &str) -> String {
        self.style(depth).rewrite(&format!("/{folder}"))
    }

    /// The Markdown copy of entry `id` from `depth` folders deep.
    fn copy(&self, depth: usize, id: &str) -> String {
        format!("{}{id}/{COPY_NAME}", self.root(depth))
    }
}

/// What the copies need besides the entry itself.
pub(super) struct Context<'a> {
    pub config: &'a SiteConfig,
    pub by_id: &'a BTreeMap<EntryId, &'a Entry>,
    pub links: Links,
}

impl Context<'_> {
    fn category_name<'e>(&'e self, entry: &'e Entry) -> &'e str {
        self.config.category(&entry.category).map_or(entry.category.as_str(), |c| c.name.as_str())
    }

    /// `[503 — Service Unavailable](…/http/503/index.md)` for entry `id`, from `depth` deep.
    fn entry_link(&self, depth: usize, id: &str) -> Option<String> {
        let entry = self.by_id.get(id)?;
        Some(format!(
            "[{}]({})",
            escape_text(&entry.headline()),
            link_destination(&self.links.copy(depth, id))
        ))
    }

    /// The Markdown copy of `entry`, for a file `depth` folders below the site root (2 for the
    /// entry's `index.md`, 0 inside `llms-full.txt`).
    ///
    /// Long on purpose: one short section after another, in the order of the copy, so it reads
    /// top to bottom like the file it writes.
    pub fn entry_markdown(&self, entry: &Entry, depth: usize) -> String {
        let style = self.links.style(depth);
        // Placeholders show their defaults: a copy has no inputs to fill them.
        let field = |markdown: &str, part: Part| {
            let filled = fill_markdown(markdown, &entry.vars);
            rewrite(&filled, part, &style).trim_start_matches('\n').trim_end().to_owned()
        };
        let mut out = String::new();
        let mut push = |text: &str| {
            if !text.is_empty() {
                out.push_str(text);
                out.push_str("\n\n");
            }
        };
        push(&format!("# {}", escape_text(&entry.title)));
        let mut facts = vec![
            format!("Code: {}", code_span(&entry.code)),
            format!("Category: {}", escape_text(self.category_name(entry))),
            format!("Severity: {}", escape_text(&entry.severity)),
        ];
        if let Some(difficulty) = &entry.difficulty {
            facts.push(format!("Difficulty: {}", escape_text(difficulty.as_str())));
        }
        if let Some(percent) = entry.fixable_percent {
            facts.push(format!("Fixable: {percent}%"));
        }
        if let Some(minutes) = entry.fix_minutes {
            facts.push(format!("Time to fix: ~{minutes} min"));
        }
        push(&facts.join(" · "));
        push(&escape_text(&entry.summary));
        let mut dates = vec![format!("Updated: {}", entry.updated.format("%Y-%m-%d"))];
        if let Some(reviewed) = entry.reviewed {
            dates.push(format!("Last verified: {}", reviewed.format("%Y-%m-%d")));
        }
        let page = self.links.page(depth, &format!("{}/", entry.id()));
        dates.push(format!("Page: [{}]({})", escape_text(&page), link_destination(&page)));
        push(&dates.join(" · "));
        if entry.status != Status::Current {
            let label = if entry.status == Status::Retired {
                "Retired: current versions no longer raise this error."
            } else {
                "Deprecated: still met, but newer versions report the problem differently."
            };
            let replacement = entry
                .replaced_by
                .as_ref()
                .and_then(|r| self.entry_link(depth, &r.target))
                .map(|link| format!(" Replaced by {link}."))
                .unwrap_or_default();
            push(&format!("**Status:** {label}{replacement}"));
        }
        if !entry.applies_to.is_empty() {
            let products: Vec<String> = entry
                .applies_to
                .iter()
                .map(|p| format!("{} {}", escape_text(&p.product), code_span(&p.range)))
                .collect();
            push(&format!("Applies to: {}", products.join(", ")));
        }
        if !entry.aliases.is_empty() {
            let aliases: Vec<String> = entry.aliases.iter().map(|a| code_span(a)).collect();
            push(&format!("Also seen as: {}", aliases.join(", ")));
        }
        if !entry.tags.is_empty() {
            let tags: Vec<String> = entry.tags.iter().map(|t| escape_text(t)).collect();
            push(&format!("Tags: {}", tags.join(", ")));
        }
        // The page leaves out the quick fix of a retired entry: nothing to fix any more.
        if let Some(quick_fix) = entry.quick_fix.as_ref().filter(|_| entry.status != Status::Retired) {
            push("## Quick fix");
            push(&field(&quick_fix.markdown, Part::FIELD));
        }
        if let Some(causes) = &entry.causes {
            push("## What causes this error");
            push(&field(&causes.markdown, Part::FIELD));
        }
        if !entry.steps.is_empty() {
            push("## How to fix it");
            for (i, step) in entry.steps.iter().enumerate() {
                push(&format!("### {}. {}", i + 1, escape_text(&step.title)));
                push(&field(&step.body.markdown, Part::ITEM_FIELD));
            }
        }
        if !entry.verify.is_empty() {
            push("## How to verify the fix");
            let items: Vec<String> = entry
                .verify
                .iter()
                .map(|v| format!("- [ ] {}", field(&v.markdown, Part::FIELD).replace('\n', " ")))
                .collect();
            push(&items.join("\n"));
        }
        push(&field(&entry.body.markdown, Part::Body));
        if let Some(author) = &entry.author {
            let name = match &author.url {
                Some(url) => format!("[{}]({})", escape_text(&author.name), link_destination(url)),
                None => escape_text(&author.name),
            };
            let role = author.role.as_deref().map(|r| format!(", {}", escape_text(r))).unwrap_or_default();
            push(&format!("Written by {name}{role}."));
        }
        if !entry.faq.is_empty() {
            push("## Frequently asked questions");
            for faq in &entry.faq {
                push(&format!("### {}", escape_text(&faq.question)));
                push(&field(&faq.answer.markdown, Part::ITEM_FIELD));
            }
        }
        let related: Vec<String> = entry
            .related
            .iter()
            .filter_map(|r| self.entry_link(depth, &r.target))
            .map(|l| format!("- {l}"))
            .collect();
        if !related.is_empty() {
            push("## Related errors");
            push(&related.join("\n"));
        }
        if !entry.sources.is_empty() {
            push("## Sources");
            let sources: Vec<String> = entry
                .sources
                .iter()
                .map(|s| format!("- [{}]({})", escape_text(&s.title), link_destination(&s.url)))
                .collect();
            push(&sources.join("\n"));
        }
        let end = out.trim_end().len();
        out.truncate(end);
        out.push('\n');
        out
    }
}

/// One category of `llms.txt`: its id, name and description, and its entries in listing order.
pub(super) struct Section<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub entries: Vec<&'a Entry>,
}

/// `llms.txt`: the site's title and description, then each category with its entries.
pub(super) fn index(context: &Context<'_>, sections: &[Section<'_>]) -> String {
    let config = context.config;
    let links = &context.links;
    let mut out = format!("# {}\n\n", escape_text(config.title.trim()));
    let description = config.description.split_whitespace().collect::<Vec<_>>().join(" ");
    if !description.is_empty() {
        out.push_str(&format!("> {}\n\n", escape_text(&description)));
    }
    out.push_str(&format!(
        "Each entry below links to its Markdown copy; every entry in one file: [{LLMS_FULL_TXT}]({}).\n",
        link_destination(&(links.root(0) + LLMS_FULL_TXT))
    ));
    for section in sections {
        out.push_str(&format!("\n## {}\n\n", escape_text(section.name)));
        let page = link_destination(&links.page(0, &format!("{}/", section.id)));
        let about = if section.description.is_empty() {
            String::new()
        } else {
            format!(": {}", escape_text(section.description))
        };
        out.push_str(&format!("- [{} (category page)]({page}){about}\n", escape_text(section.name)));
        for entry in &section.entries {
            let link = context.entry_link(0, entry.id()).unwrap_or_default();
            out.push_str(&format!("- {link}: {}\n", escape_text(&entry.summary)));
        }
    }
    out
}

/// `llms-full.txt`: the copies in listing order, each after a rule, until the next one would
/// take the file past `cap` bytes.
pub(super) fn full(
    context: &Context<'_>,
    sections: &[Section<'_>],
    copy: impl Fn(&Entry) -> String,
    cap: usize,
) -> String {
    let config = context.config;
    let mut out = format!("# {}\n\n", escape_text(config.title.trim()));
    let description = config.description.split_whitespace().collect::<Vec<_>>().join(" ");
    if !description.is_empty() {
        out.push_str(&format!("> {}\n\n", escape_text(&description)));
    }
    let entries: Vec<&Entry> = sections.iter().flat_map(|s| s.entries.iter().copied()).collect();
    for (i, entry) in entries.iter().enumerate() {
        let text = format!("---\n\n{}\n", copy(entry));
        if out.len() + text.len() > cap {
            let left = entries.len() - i;
            let plural = if left == 1 { "entry is" } else { "entries are" };
            out.push_str(&format!(
                "---\n\n{left} more {plural} left out to keep this file under {cap} bytes; each has its Markdown copy at {}<category>/<slug>/{COPY_NAME}, listed in {}.\n",
                context.links.root(0),
                context.links.root(0) + LLMS_TXT
            ));
            return out;
        }
        out.push_str(&text);
    }
    out
}

/// Writes `llms.txt` and `llms-full.txt`; `copy` gives the Markdown copy of an entry as its
/// `index.md` has it.
pub(super) fn write(
    context: &Context<'_>,
    sections: &[Section<'_>],
    copy: impl Fn(&Entry) -> String,
    sink: &dyn Sink,
) -> Result<()> {
    sink.put_owned(LLMS_TXT, index(context, sections).into_bytes())?;
    // Offline, the links of a copy are relative to its folder; the whole file sits at the root.
    let full = if context.links.offline {
        self::full(context, sections, |e| context.entry_markdown(e, 0), FULL_CAP_BYTES)
    } else {
        self::full(context, sections, copy, FULL_CAP_BYTES)
    };
    sink.put_owned(LLMS_FULL_TXT, full.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::entry::parse_for_test;

    const SITE: &str = "title: Example *KB*\nbase_url: https://example.org/kb/\ndescription: Fixes for\n  our errors.\nauthors:\n  jdoe: { name: Jane Doe, role: Curator, url: https://example.org/jdoe }\ncategories:\n  http: { name: HTTP, description: Status codes }\n";

    fn config() -> SiteConfig {
        let mut diagnostics = Vec::new();
        let config = crate::content::config::parse(SITE, &mut diagnostics).expect("site.yaml parses");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        config
    }

    /// An entry with every field the copy shows.
    const FULL: &str = r#"---
code: "503"
title: HTTP 503 Service Unavailable — server *overloaded*
summary: The server is up but cannot take this request right now.
severity: blocker
difficulty: intermediate
fixable_percent: 90
fix_minutes: 15
updated: 2026-06-14
reviewed: 2026-06-20
author: jdoe
status: deprecated
replaced_by: http/502
applies_to: { nginx: ">=1.19" }
aliases: ["Service Unavailable", "no live upstreams `x`"]
tags: [nginx, load-balancer]
related: [http/502]
sources:
  - { title: "RFC 9110 §15.6.4", url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4" }
quick_fix: |
  Restart the upstream, then read [the 502 entry](/http/502/).
causes: |
  # Overload
  Too many requests <b>at once</b>.
steps:
  - title: Check the process
    body: |
      Look at it:

      ```console
      $ systemctl status app
      ```
  - title: Drop the cache
    body: |
      ```bash danger="deletes the cache"
      rm -rf /var/cache/app
      ```
verify:
  - "`curl -sI https://example.org` returns 200, not 503."
faq:
  - q: Is 503 my fault?
    a: Usually not. See [docs](https://example.org/docs).
---

## Why 503 happens

The proxy has no upstream. <!-- internal note -->

<script>alert(1)</script>
"#;

    const RELATED: &str = "---\ncode: \"502\"\ntitle: HTTP 502 Bad Gateway\nsummary: The proxy got a bad answer.\nseverity: major\nupdated: 2026-06-14\n---\nBody.\n";

    fn with_entries<T>(offline: bool, f: impl FnOnce(&Context<'_>, &[Entry]) -> T) -> T {
        let config = config();
        let entries = vec![
            parse_for_test(RELATED, "http", "502", &config),
            parse_for_test(FULL, "http", "503", &config),
        ];
        let by_id: BTreeMap<EntryId, &Entry> = entries.iter().map(|e| (e.id().clone(), e)).collect();
        let context = Context {
            config: &config,
            by_id: &by_id,
            links: Links { base_url: config.base_url.clone(), offline },
        };
        f(&context, &entries)
    }

    #[test]
    fn an_entry_with_every_field() {
        let copy = with_entries(false, |context, entries| context.entry_markdown(&entries[1], 2));
        insta::assert_snapshot!(copy);
    }

    #[test]
    fn offline_copies_link_relative_to_their_file() {
        let (page, top) = with_entries(true, |context, entries| {
            (context.entry_markdown(&entries[1], 2), context.entry_markdown(&entries[1], 0))
        });
        assert!(page.contains("[the 502 entry](../../http/502/index.html)"), "{page}");
        assert!(page.contains("- [HTTP 502 Bad Gateway](../../http/502/index.md)"), "{page}");
        assert!(page.contains("Page: [../../http/503/index.html](../../http/503/index.html)"), "{page}");
        assert!(top.contains("- [HTTP 502 Bad Gateway](http/502/index.md)"), "{top}");
        assert!(!page.contains("https://example.org/kb/"), "{page}");
    }

    fn sections<'a>(_config: &'a SiteConfig, entries: &'a [Entry]) -> Vec<Section<'a>> {
        vec![Section {
            id: "http",
            name: "HTTP",
            description: "Status codes",
            entries: entries.iter().collect(),
        }]
    }

    #[test]
    fn the_index_has_a_section_per_category_and_a_line_per_entry() {
        let text = with_entries(false, |context, entries| index(context, &sections(context.config, entries)));
        assert_eq!(
            text,
            "# Example \\*KB\\*\n\n> Fixes for our errors.\n\nEach entry below links to its Markdown copy; every entry in one file: [llms-full.txt](https://example.org/kb/llms-full.txt).\n\n## HTTP\n\n- [HTTP (category page)](https://example.org/kb/http/): Status codes\n- [HTTP 502 Bad Gateway](https://example.org/kb/http/502/index.md): The proxy got a bad answer.\n- [HTTP 503 Service Unavailable — server \\*overloaded\\*](https://example.org/kb/http/503/index.md): The server is up but cannot take this request right now.\n"
        );
    }

    #[test]
    fn the_full_file_stops_before_the_cap_and_says_what_it_left_out() {
        let (whole, capped, first, cap) = with_entries(false, |context, entries| {
            let sections = sections(context.config, entries);
            let copy = |e: &Entry| context.entry_markdown(e, 2);
            let whole = full(context, &sections, copy, FULL_CAP_BYTES);
            let first = copy(&entries[0]);
            let cap = whole.find(&first).unwrap() + first.len() + 10;
            (whole.clone(), full(context, &sections, copy, cap), first, cap)
        });
        assert!(whole.contains("# HTTP 502 Bad Gateway") && whole.contains("## Why 503 happens"));
        assert!(!whole.contains("left out"), "{whole}");
        assert!(capped.contains(&first), "{capped}");
        assert!(!capped.contains("## Why 503 happens"), "{capped}");
        assert!(
            capped.ends_with(&format!("---\n\n1 more entry is left out to keep this file under {cap} bytes; each has its Markdown copy at https://example.org/kb/<category>/<slug>/index.md, listed in https://example.org/kb/llms.txt.\n")),
            "{capped}"
        );
        assert!(capped.len() < whole.len());
    }
}
