//! `redirect_from`: which file a redirect path becomes, and the checks that need every entry.
//!
//! A redirect path names a folder (`/503/`, `/old/503`) or a page file (`/503.html`); it is
//! written as `503/index.html` or `503.html` in the output. It must not take the place of a
//! page, of a file the build writes, or of another entry's redirect.

use std::collections::{BTreeMap, BTreeSet};

use super::Entry;
use crate::diagnostics::Diagnostic;

/// Files and folders every build writes besides the pages: a redirect cannot take their place.
const RESERVED_FILES: &[&str] = &["/404.html", "/atom.xml", "/sitemap.xml", "/robots.txt", "/opensearch.xml"];
const RESERVED_FOLDERS: &[&str] = &["/assets/", "/api/", "/search/", "/tags/"];

/// The page a redirect path stands for, as a site path: `/503` and `/503/index.html` are both
/// `/503/`; a path whose last part has an extension (`/503.html`) stays a file.
pub fn page_path(path: &str) -> String {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || last.contains('.') {
        path.to_owned()
    } else {
        format!("{path}/")
    }
}

/// Where the redirect page for `path` is written, relative to the output folder:
/// `/503/` → `503/index.html`, `/503.html` → `503.html`.
pub fn output_file(path: &str) -> String {
    let page = page_path(path);
    let relative = page.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_owned()
    }
}

/// What is wrong with a redirect path on its own, if anything (its leading `/` is checked with
/// the entry's other fields).
pub fn path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return None;
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>'))
    {
        return Some("a redirect path is a plain path, without spaces, `?`, `#`, quotes or backslashes");
    }
    // The redirect page links to the entry from this path; what is left must be a path by
    // the rule of every URL of the site.
    if crate::url_policy::check(path) != Ok(crate::url_policy::Kind::Relative) {
        return Some("a redirect path is a plain path on the site, such as /503/");
    }
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let inner = &parts[..parts.len().saturating_sub(1)];
    if inner.iter().any(|part| part.is_empty()) || parts.iter().any(|part| matches!(*part, "." | "..")) {
        return Some("a redirect path cannot contain empty, `.` or `..` parts");
    }
    None
}

/// Whether a page path is one the build writes for itself, outside the entries and listings.
pub fn is_reserved(page: &str) -> bool {
    RESERVED_FILES.contains(&page)
        || RESERVED_FOLDERS
            .iter()
            .any(|folder| page.starts_with(folder) || page == folder.trim_end_matches('/'))
}

/// Reports redirect paths that are malformed, take the place of a page (`pages` holds the site
/// path of every page) or of a file the build writes, or are claimed by two entries.
pub(super) fn check(entries: &[&Entry], pages: &BTreeSet<String>, diagnostics: &mut Vec<Diagnostic>) {
    let mut claimed: BTreeMap<String, &Entry> = BTreeMap::new();
    for &entry in entries {
        let own = format!("/{}/", entry.id());
        let mut seen = BTreeSet::new();
        for redirect in &entry.redirect_from {
            let path = redirect.target.as_str();
            if !path.starts_with('/') {
                continue; // reported with the entry's fields
            }
            if let Some(problem) = path_problem(path) {
                diagnostics.push(
                    Diagnostic::error(
                        &entry.file,
                        redirect.span,
                        format!("redirect path \"{path}\" is not a valid path"),
                    )
                    .with_help(problem),
                );
                continue;
            }
            let page = page_path(path);
            if !seen.insert(page.clone()) {
                continue;
            }
            let (message, help) = if page == own {
                (
                    format!("redirect path \"{path}\" is the address of this entry itself"),
                    "remove it from `redirect_from`".to_owned(),
                )
            } else if pages.contains(&page) {
                (
                    format!("redirect path \"{path}\" collides with the page at {page}"),
                    "a redirect cannot replace a page: remove it from `redirect_from`".to_owned(),
                )
            } else if is_reserved(&page) {
                (
                    format!("redirect path \"{path}\" collides with a file the build writes"),
                    "choose a path outside /assets/, /api/, /search/ and /tags/, and other than the feed, sitemap and robots.txt"
                        .to_owned(),
                )
            } else if let Some(first) = claimed.get(&page) {
                (
                    format!("redirect path \"{path}\" is already claimed by {}", first.file),
                    "keep the redirect in one of the two entries".to_owned(),
                )
            } else {
                claimed.insert(page, entry);
                continue;
            };
            diagnostics.push(Diagnostic::error(&entry.file, redirect.span, message).with_help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files() {
        for (path, file) in [
            ("/503/", "503/index.html"),
            ("/503", "503/index.html"),
            ("/503/index.html", "503/index.html"),
            ("/old/errors/503.html", "old/errors/503.html"),
            ("/v1.2/", "v1.2/index.html"),
        ] {
            assert_eq!(output_file(path), file, "{path}");
        }
        assert_eq!(page_path("/503"), "/503/");
        assert_eq!(page_path("/x/index.html"), "/x/");
    }

    #[test]
    fn path_problems() {
        assert_eq!(path_problem("/503/"), None);
        assert_eq!(path_problem("/old/503.html"), None);
        assert!(path_problem("/a b/").is_some());
        assert!(path_problem("/a/../b/").is_some());
        assert!(path_problem("//a/").is_some());
        assert!(path_problem("/a?b").is_some());
        assert!(path_problem("/a/#top").is_some());
    }

    #[test]
    fn reserved_paths() {
        assert!(is_reserved("/atom.xml"));
        assert!(is_reserved("/assets/x.css"));
        assert!(is_reserved("/api/"));
        assert!(is_reserved("/tags/nginx/"));
        assert!(!is_reserved("/503/"));
        assert!(!is_reserved("/apis/"));
    }
}
