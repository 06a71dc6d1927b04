//! The one rule that turns a name into a path segment: tags for their pages, codes for their
//! short links, and (through `markdown::slugify`) headings for their ids.
//!
//! Invariant: depends on nothing of the crate but `digest`, so `content` and `markdown` share it
//! without depending on each other.

/// The URL form of a tag: `Load Balancer` → `load-balancer`.
pub fn tag_slug(tag: &str) -> String {
    thread_local! {
        // Listings, the sitemap and checks ask for the slug of every tag of every entry; a
        // site has a few hundred distinct tags.
        static SLUGS: crate::digest::ThreadMemo<String> = Default::default();
    }
    crate::digest::per_thread(&SLUGS, tag, 1 << 14, make_tag_slug)
}

fn make_tag_slug(tag: &str) -> String {
    let mut slug = String::new();
    for c in tag.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    // A leading `.` would make a hidden folder, a trailing one a name Windows cannot keep.
    slug.trim_matches(['-', '.']).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs() {
        assert_eq!(tag_slug("Load Balancer"), "load-balancer");
        assert_eq!(tag_slug("nginx"), "nginx");
        assert_eq!(tag_slug("C++ / Rust"), "c-rust");
        assert_eq!(tag_slug("!!!"), "");
        assert_eq!(tag_slug(".NET"), "net");
        assert_eq!(tag_slug(".."), "");
        assert_eq!(tag_slug("node.js."), "node.js");
    }
}
