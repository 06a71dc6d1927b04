//! `redirect_from`: which file a redirect path becomes, and the checks that need every entry.
//!
//! A redirect path names a folder (`/503/`, `/old/503`) or a page file (`/503.html`); it is
//! written as `503/index.html` or `503.html` in the output. That it does not take the place of
//! a page, of a file the build writes, or of another entry's redirect is checked with every
//! other file of the output (`outputs`).

use std::collections::BTreeSet;

use super::Entry;
use crate::diagnostics::Diagnostic;

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
    // Web servers decode `%XX` before they look a file up, so a folder named `old%20page`
    // is never found at `/old%20page/`, and `/%68ttp/` is `/http/`. Refusing `%` keeps the
    // path checked for collisions the one a server looks up.
    if path.contains('%') {
        return Some(
            "web servers decode `%` escapes before they look a file up: write the path decoded, such as /café/ for /caf%C3%A9/",
        );
    }
    if path.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>' | ':' | '*' | '|')
    }) {
        return Some(
            "a redirect path is a plain path, without spaces, quotes, backslashes or any of `?`, `#`, `:`, `*`, `|`, `<`, `>`",
        );
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

/// Reports redirect paths that are malformed or the entry's own address.
pub(super) fn check(entries: &[&Entry], diagnostics: &mut Vec<Diagnostic>) {
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
            if page == own && seen.insert(page) {
                diagnostics.push(
                    Diagnostic::error(
                        &entry.file,
                        redirect.span,
                        format!("redirect path \"{path}\" is the address of this entry itself"),
                    )
                    .with_help("remove it from `redirect_from`"),
                );
            }
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
        assert_eq!(path_problem("/café/"), None);
        for encoded in
            ["/old%20page/", "/caf%C3%A9/", "/%68ttp/", "/%2e%2e/x", "/%2f%2fevil.example", "/100%"]
        {
            assert!(path_problem(encoded).unwrap().contains("write the path decoded"), "{encoded}");
        }
    }
}
