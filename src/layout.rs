//! Where a build puts its files: the one table of the paths the build writes for itself, and
//! the limits every path of the output keeps to.
//!
//! `content` checks that no page made from content (a category, an entry, a tag page, a
//! redirect, a short link) takes the place of one of these, and `site` writes them; a test of
//! `site` builds a site with every kind of output and holds every file it writes to this table
//! or to a page made from content.

/// Marks a folder as errorbook's output, so a later build may replace it.
pub const MARKER: &str = ".errorbook-output";

/// What the build writes at a reserved path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// One file.
    File,
    /// A folder whose every file is the build's own.
    Folder,
    /// A folder of the build that also holds the pages of one kind made from content: the data
    /// API documents of entries (`api/`) or the tag pages (`tags/`).
    FolderOf(Made),
}

/// The kinds of files made from content that live inside a folder of the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Made {
    ApiDocuments,
    TagPages,
}

/// A path of the output that the build writes for itself, relative to the output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reserved {
    pub path: &'static str,
    pub holds: Holds,
    /// What it is, for diagnostics: "the sitemap".
    pub what: &'static str,
}

const fn file(path: &'static str, what: &'static str) -> Reserved {
    Reserved { path, holds: Holds::File, what }
}

/// Every file and folder a build writes besides the pages made from content. Nested paths
/// (`tags/index.html`) come after the folder that holds them.
pub const RESERVED: &[Reserved] = &[
    file("index.html", "the home page"),
    file("404.html", "the page for addresses that do not exist"),
    file("sitemap.xml", "the sitemap"),
    file("robots.txt", "robots.txt"),
    file("atom.xml", "the Atom feed"),
    file("opensearch.xml", "the OpenSearch description"),
    file("llms.txt", "the index for AI assistants (llms.txt)"),
    file("llms-full.txt", "every entry as Markdown (llms-full.txt)"),
    file(MARKER, "the marker of the output folder"),
    Reserved { path: "assets", holds: Holds::Folder, what: "the stylesheets, scripts and static files" },
    Reserved { path: "search", holds: Holds::Folder, what: "the search page and its index" },
    Reserved { path: "api", holds: Holds::FolderOf(Made::ApiDocuments), what: "the data API" },
    file("api/entries.json", "the data API's index of entries"),
    file("api/entries.schema.json", "the JSON Schema of the data API's index"),
    file("api/entry.schema.json", "the JSON Schema of the data API's entries"),
    Reserved { path: "tags", holds: Holds::FolderOf(Made::TagPages), what: "the tag pages" },
    file("tags/index.html", "the page of every tag"),
];

/// The reserved path `path` is or is inside, compared as file systems that ignore case do.
pub fn reserved(path: &str) -> Option<&'static Reserved> {
    let path = fold_case(path);
    // Nested paths are more specific than the folder that holds them.
    RESERVED.iter().rev().find(|r| {
        let name = fold_case(r.path);
        path == name || (r.holds != Holds::File && path.starts_with(&format!("{name}/")))
    })
}

/// The longest name of a file or folder, in bytes, that common file systems allow (ext4, APFS
/// and NTFS all stop at 255; ext4 counts bytes).
pub const MAX_NAME_BYTES: usize = 255;

/// The longest path of the output, in bytes, relative to the output folder: with the path of
/// the output folder itself it stays well under the 4096 bytes Linux allows a path.
pub const MAX_PATH_BYTES: usize = 1024;

/// The first part of `path` (relative, `/` separators) that is longer than [`MAX_NAME_BYTES`].
pub fn too_long_part(path: &str) -> Option<&str> {
    path.split('/').find(|part| part.len() > MAX_NAME_BYTES)
}

/// A path as file systems that ignore case (macOS, Windows) compare it.
pub fn fold_case(path: &str) -> String {
    if path.is_ascii() {
        path.to_ascii_lowercase()
    } else {
        path.chars().flat_map(char::to_lowercase).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_paths_are_found_with_the_most_specific_entry() {
        let what = |path: &str| reserved(path).map(|r| r.what);
        assert_eq!(what("sitemap.xml"), Some("the sitemap"));
        assert_eq!(what("Sitemap.XML"), Some("the sitemap"));
        assert_eq!(what("assets/x.css"), Some("the stylesheets, scripts and static files"));
        assert_eq!(what("tags/index.html"), Some("the page of every tag"));
        assert_eq!(what("tags/nginx/index.html"), Some("the tag pages"));
        assert_eq!(what("api/entries.json"), Some("the data API's index of entries"));
        assert_eq!(what("404.html/index.html"), None, "a file is not a folder: checked by the caller");
        assert_eq!(what("apis/index.html"), None);
        assert_eq!(what("http/503/index.html"), None);
    }

    #[test]
    fn every_nested_path_comes_after_its_folder() {
        for (i, r) in RESERVED.iter().enumerate() {
            if let Some((folder, _)) = r.path.split_once('/') {
                let at = RESERVED.iter().position(|f| f.path == folder).expect("the folder is reserved");
                assert!(at < i, "{}", r.path);
            }
        }
    }

    #[test]
    fn long_parts() {
        assert_eq!(too_long_part("a/b/index.html"), None);
        let long = "x".repeat(256);
        assert_eq!(too_long_part(&format!("a/{long}/index.html")), Some(long.as_str()));
        assert_eq!(too_long_part(&"y".repeat(255)), None);
    }
}
