//! Front matter and Markdown through loading, validation and rendering.
//!
//! The input is a small site: the text of `site.yaml`, then the files of two entries,
//! separated by NUL bytes (`site.yaml \0 content/http/a.md \0 content/http/b.md`). With fewer
//! parts, the input is the first entry and the site file is a minimal one. The site is loaded
//! with the library's own `Site::load_cached` from a temporary folder (keeping only the
//! compiled templates from one input to the next), and when it has no errors it is
//! rendered whole into a `MemorySink`.
//!
//! What must hold, for every input: no panic; a site that loads renders without an error (a
//! memory sink never fails, so an error is a bug); and every snippet the highlighter writes
//! passes the check the snippet cache applies to stored snippets.

#![no_main]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use errorbook::digest::Digest;
use errorbook::markdown::SnippetStore;
use errorbook::site::{BuildOptions, LoadCache, MemorySink, RenderOptions, Site};
use libfuzzer_sys::fuzz_target;

const SITE: &str = "title: Fuzz KB\nbase_url: https://kb.example/\n";
const FILES: [&str; 3] = ["site.yaml", "content/http/a.md", "content/http/b.md"];

/// Snippets kept in memory, a bounded number, so that a snippet met again comes from the store
/// and goes through the check a stored snippet gets.
#[derive(Default)]
struct CheckedStore {
    snippets: Mutex<HashMap<Digest, String>>,
}

impl SnippetStore for CheckedStore {
    fn get(&self, key: &Digest) -> Option<String> {
        self.snippets.lock().unwrap().get(key).cloned()
    }

    fn put(&self, key: &Digest, html: &str) {
        let mut snippets = self.snippets.lock().unwrap();
        if snippets.len() >= 1024 {
            snippets.clear();
        }
        snippets.insert(*key, html.to_owned());
    }

    fn reject(&self, _: &Digest, why: &str) {
        panic!("the highlighter wrote a snippet its own check refuses: {why}");
    }
}

/// The templates, compiled once: compiling them is most of the time of a small site's load.
/// Content is read and parsed anew on every load.
/// The snippet store every render of the process shares, as the cache folder is shared by builds.
fn store() -> &'static CheckedStore {
    static STORE: OnceLock<CheckedStore> = OnceLock::new();
    STORE.get_or_init(CheckedStore::default)
}

fn load_cache() -> &'static LoadCache {
    static CACHE: OnceLock<LoadCache> = OnceLock::new();
    CACHE.get_or_init(LoadCache::templates_only)
}

/// The site folder, made once and written again for every input.
fn site_dir() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("content/http")).expect("the content folder");
        (dir, root)
    })
    .1
}

fuzz_target!(
    init: {
        // One rendering thread: faster for inputs this small, and the same order every run.
        std::env::set_var("RAYON_NUM_THREADS", "1");
    },
    |data: &[u8]| {
        let mut parts: Vec<&[u8]> = data.splitn(3, |&b| b == 0).collect();
        if parts.len() == 1 {
            parts.insert(0, SITE.as_bytes());
        }
        let root = site_dir();
        for (i, path) in FILES.iter().enumerate() {
            let path = root.join(path);
            match parts.get(i) {
                Some(bytes) => std::fs::write(&path, bytes).expect("write the input"),
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        let loaded = Site::load_cached(root, BuildOptions::default(), load_cache())
            .expect("loading reports problems as diagnostics");
        if let Some(site) = loaded.site {
            let sink = MemorySink::default();
            let options = RenderOptions { snippets: Some(store()), ..RenderOptions::default() };
            if let Err(error) = site.render_with(&sink, options) {
                panic!("a site that loaded failed to render: {error:#}");
            }
        }
    }
);
