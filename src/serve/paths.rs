//! Request paths to files of a build. The files live in memory, so nothing here can reach
//! the file system; still, paths that try to climb out (`..`, `%2e%2e`, `%2f`, backslashes)
//! are answered with 400 rather than guessed at.
//!
//! A redirect's `Location` is built from the path's segments alone, never from the request:
//! one slash, the segments percent-encoded, and the trailing slash. So `//evil.example`,
//! `/%2f/evil.example` or `/\\evil.example` can never turn into a Location that a browser reads
//! as another host.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

/// What is percent-encoded in a segment of a `Location`: everything but the characters a path
/// segment holds as they are (non-ASCII is always encoded).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the build, by its path in the output.
    File(String),
    /// A folder asked for without its trailing slash: the site-absolute path to send the
    /// browser to, which always starts with exactly one slash.
    Redirect(String),
    NotFound,
    BadRequest,
}

pub fn resolve(raw: &str, exists: &dyn Fn(&str) -> bool) -> Resolved {
    if !raw.starts_with('/') {
        return Resolved::BadRequest;
    }
    let Ok(decoded) = percent_decode_str(raw).decode_utf8() else {
        return Resolved::BadRequest;
    };
    if decoded.contains(['\\', '\0']) || decoded.chars().any(char::is_control) {
        return Resolved::BadRequest;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == ".." || s.contains(':')) {
        return Resolved::BadRequest;
    }
    let joined = segments.join("/");
    let folder = decoded.ends_with('/') || joined.is_empty();
    let path = if folder {
        if joined.is_empty() {
            "index.html".to_owned()
        } else {
            format!("{joined}/index.html")
        }
    } else {
        joined.clone()
    };
    if exists(&path) {
        Resolved::File(path)
    } else if !folder && exists(&format!("{joined}/index.html")) {
        let encoded: Vec<String> =
            segments.iter().map(|s| utf8_percent_encode(s, SEGMENT).to_string()).collect();
        Resolved::Redirect(format!("/{}/", encoded.join("/")))
    } else {
        Resolved::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: &Resolved) {
        let files = [
            "index.html",
            "http/503/index.html",
            "assets/errorbook.css",
            "evil.example/index.html",
            "evil.example/x/index.html",
            "a b?#/ü/index.html",
        ];
        assert_eq!(&resolve(raw, &|p| files.contains(&p)), expected, "{raw}");
    }

    #[test]
    fn finds_pages_and_folders() {
        check("/", &Resolved::File("index.html".into()));
        check("/http/503/", &Resolved::File("http/503/index.html".into()));
        check("/http/503", &Resolved::Redirect("/http/503/".into()));
        check("/assets/errorbook.css", &Resolved::File("assets/errorbook.css".into()));
        check("/http/%35%30%33/", &Resolved::File("http/503/index.html".into()));
        check("/nope/", &Resolved::NotFound);
    }

    #[test]
    fn redirects_stay_on_the_site() {
        for raw in [
            "//evil.example",
            "/%2fevil.example",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "/evil.example",
        ] {
            check(raw, &Resolved::Redirect("/evil.example/".into()));
        }
        check("//evil.example/x", &Resolved::Redirect("/evil.example/x/".into()));
        check("/http//503", &Resolved::Redirect("/http/503/".into()));
        check("/http/%35%30%33", &Resolved::Redirect("/http/503/".into()));
        // A segment's own characters are encoded again, so none of them ends the path.
        check("/a%20b%3f%23/%c3%bc", &Resolved::Redirect("/a%20b%3F%23/%C3%BC/".into()));
        for raw in ["/\\evil.example", "/%5c%5cevil.example", "/%5Cevil.example"] {
            check(raw, &Resolved::BadRequest);
        }
    }

    #[test]
    fn refuses_paths_that_climb_out() {
        for raw in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/http/%2E%2E/%2e%2e/etc/passwd",
            "/http%2f..%2f..%2fetc%2fpasswd",
            "/..\\..\\etc\\passwd",
            "/%5c..%5cetc",
            "/C:/Windows/win.ini",
            "/%00",
            "/%ff%fe",
            "relative",
        ] {
            check(raw, &Resolved::BadRequest);
        }
        // An absolute path inside the URL is only a name in the build, which does not exist.
        check("//etc/passwd", &Resolved::NotFound);
    }
}
