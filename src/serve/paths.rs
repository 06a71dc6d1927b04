//! Request paths to files of a build. The files live in memory, so nothing here can reach
//! the file system; still, paths that try to climb out (`..`, `%2e%2e`, `%2f`, backslashes)
//! are answered with 400 rather than guessed at.

use percent_encoding::percent_decode_str;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the build, by its path in the output.
    File(String),
    /// A folder asked for without its trailing slash.
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
        Resolved::Redirect(format!("{raw}/"))
    } else {
        Resolved::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: &Resolved) {
        let files = ["index.html", "http/503/index.html", "assets/errorbook.css"];
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
