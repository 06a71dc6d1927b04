//! Where the Markdown items of a file are written: `Places` hands out each place once, for
//! the diagnostics of entries and of site.yaml's Markdown texts.

use super::Text;
use crate::diagnostics::{Diagnostic, Span};
use crate::{markdown, url_policy};

/// Reports the URLs of one Markdown text that [`url_policy::check`] refuses, and raw images
/// without a text alternative.
pub(super) fn check_markdown_urls(
    file: &str,
    text: &Text,
    scan: &markdown::Scan,
    places: &mut Places<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Images first: each takes its own `<img`, in order, so a warning points at its image.
    for image in &scan.raw_images {
        let span = places.find_near(text.line, image.place.line, &image.place.needle);
        if !image.has_alt {
            diagnostics.push(Diagnostic::warning(file, span, "the image has no text alternative").with_help(
                "add `alt=\"…\"` saying what the image shows, or `alt=\"\"` if it is only decoration",
            ));
        }
    }
    for url in &scan.urls {
        if let Err(refusal) = url_policy::check(&url.url) {
            let span = places.find_near(text.line, url.place.line, &url.place.needle);
            diagnostics.push(
                Diagnostic::error(
                    file,
                    span,
                    format!("{} URL \"{}\" {}", url.what, url_policy::shown(&url.url), refusal.problem()),
                )
                .with_help(refusal.help()),
            );
        }
    }
}

/// Finds where Markdown items are written in the file. Each place is handed out once, so two
/// links to the same page point at their own lines.
pub(super) struct Places<'a> {
    pub source: &'a str,
    /// The line and column of each place handed out so far.
    used: std::collections::BTreeSet<(usize, usize)>,
}

impl<'a> Places<'a> {
    pub(super) fn new(source: &'a str) -> Places<'a> {
        Places { source, used: std::collections::BTreeSet::new() }
    }

    /// Like [`Places::find`], looking first from `offset` lines into a text that starts on
    /// `line` (the text's own line numbers match the file's for the body and block values,
    /// not for quoted ones), then from the text's start.
    pub(super) fn find_near(&mut self, line: usize, offset: usize, needle: &str) -> Span {
        let span = self.find(line + offset, needle);
        if span.len > 0 || offset == 0 {
            return span;
        }
        self.find(line, needle)
    }

    /// The first unused place of `needle` at or after `line`; the start of `line` if there is none
    /// (the text may be written with escapes that the needle does not contain).
    pub(super) fn find(&mut self, line: usize, needle: &str) -> Span {
        self.first(line, needle.chars().count(), |text| text.match_indices(needle).map(|(i, _)| i).collect())
    }

    /// The language of a code fence (```` ```lang ```` or `~~~lang`) at or after `line`.
    pub(super) fn fence(&mut self, line: usize, lang: &str) -> Span {
        self.first(line, lang.chars().count(), |text| {
            let trimmed = text.trim_start();
            let indent = text.len() - trimmed.len();
            let fence = trimmed.bytes().take_while(|b| *b == b'`' || *b == b'~').count();
            let info = &trimmed[fence..];
            let spaces = info.len() - info.trim_start().len();
            let matches = fence >= 3 && info.trim().split([' ', ',', '{', '\t']).next() == Some(lang);
            if matches {
                vec![indent + fence + spaces]
            } else {
                Vec::new()
            }
        })
    }

    fn first(&mut self, line: usize, len: usize, find: impl Fn(&str) -> Vec<usize>) -> Span {
        for (current, text) in (1..).zip(self.source.split_inclusive('\n')) {
            if current < line {
                continue;
            }
            for index in find(text) {
                let column = text[..index].chars().count() + 1;
                if self.used.insert((current, column)) {
                    return Span::new(current, column, len);
                }
            }
        }
        Span::new(line, 1, 0)
    }
}
