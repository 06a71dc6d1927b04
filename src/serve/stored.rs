//! A file of the preview, held in memory compressed once the reload signal has gone out.
//!
//! The preview serves every file of the site from memory; at 10,000 entries that is over half
//! a gigabyte of HTML, JSON and Markdown, which compresses about tenfold. A save must not wait
//! for it, though: a title edit writes the home page, the data API index and `llms-full.txt`
//! again (tens of megabytes), so a new file is served as it was rendered and compressed
//! afterwards, off the path from save to reload ([`pack_all`]), with `crate::pack`'s fast
//! compressor (about tenfold on markup).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::site::Sink;

/// Files smaller than this are kept as they are: compressing them would save little and cost
/// a frame header each.
const SMALLEST_PACKED: usize = 512;

/// The bytes of one served file, as rendered or compressed.
pub struct Stored {
    body: RwLock<Body>,
}

enum Body {
    Plain(Arc<Vec<u8>>),
    /// The compressed frame and the length of the bytes it holds.
    Packed(Box<[u8]>, usize),
}

impl Stored {
    pub fn new(bytes: Arc<Vec<u8>>) -> Stored {
        Stored { body: RwLock::new(Body::Plain(bytes)) }
    }

    /// The file's bytes, decompressed when they are held compressed.
    pub fn bytes(&self) -> Arc<Vec<u8>> {
        match &*self.body.read().unwrap_or_else(PoisonError::into_inner) {
            Body::Plain(bytes) => bytes.clone(),
            // Nothing but this module wrote the frame; a failure to read it back is a bug.
            Body::Packed(packed, len) => Arc::new(
                crate::pack::decompress(packed, *len)
                    .unwrap_or_else(|| panic!("a compressed preview file could not be read back")),
            ),
        }
    }

    /// Whether the bytes are held compressed.
    pub fn is_packed(&self) -> bool {
        matches!(*self.body.read().unwrap_or_else(PoisonError::into_inner), Body::Packed(..))
    }

    /// Compresses the bytes when that saves memory: not when they are small or do not shrink,
    /// and not when a cache of the build shares them (the cache would still hold them, so a
    /// compressed copy would add to the memory rather than take from it).
    pub fn pack(&self) {
        let plain = match &*self.body.read().unwrap_or_else(PoisonError::into_inner) {
            Body::Plain(bytes) if bytes.len() >= SMALLEST_PACKED && Arc::strong_count(bytes) == 1 => {
                bytes.clone()
            }
            _ => return,
        };
        let Some(packed) = crate::pack::compress(&plain) else { return };
        if packed.len() >= plain.len() {
            return;
        }
        let mut body = self.body.write().unwrap_or_else(PoisonError::into_inner);
        // Another packer may have been first; the bytes are the same either way.
        if let Body::Plain(current) = &*body {
            if Arc::ptr_eq(current, &plain) {
                *body = Body::Packed(packed.into_boxed_slice(), plain.len());
            }
        }
    }
}

/// Receives the files of a preview build. The first build packs each file as it is rendered,
/// on the rendering threads, so the preview never holds the whole site uncompressed; later
/// builds keep them as rendered, to be packed once the reload signal is out ([`pack_all`]).
pub struct StoringSink {
    pack_now: bool,
    files: Mutex<BTreeMap<String, Arc<Stored>>>,
}

impl StoringSink {
    pub fn new(pack_now: bool) -> StoringSink {
        StoringSink { pack_now, files: Mutex::default() }
    }

    pub fn into_files(self) -> BTreeMap<String, Arc<Stored>> {
        self.files.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl StoringSink {
    fn insert(&self, path: &str, bytes: Arc<Vec<u8>>) {
        let file = Arc::new(Stored::new(bytes));
        if self.pack_now {
            file.pack();
        }
        self.files.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_owned(), file);
    }
}

impl Sink for StoringSink {
    fn put(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.insert(path, Arc::new(bytes.to_vec()));
        Ok(())
    }

    fn put_owned(&self, path: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.insert(path, Arc::new(bytes));
        Ok(())
    }

    fn put_shared(&self, path: &str, bytes: &Arc<Vec<u8>>) -> anyhow::Result<()> {
        self.insert(path, bytes.clone());
        Ok(())
    }
}

/// Compresses every file of `files` that [`Stored::pack`] finds worth it, on the thread pool.
pub fn pack_all<'a>(files: impl Iterator<Item = &'a Arc<Stored>>) {
    use rayon::prelude::*;
    let plain: Vec<&Arc<Stored>> = files.filter(|file| !file.is_packed()).collect();
    plain.par_iter().for_each(|file| file.pack());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(len: usize) -> Vec<u8> {
        "<li><a href=\"/http/503/\">503 Service Unavailable</a></li>\n".bytes().cycle().take(len).collect()
    }

    #[test]
    fn a_packed_file_reads_back_as_it_was_rendered() {
        let file = Stored::new(Arc::new(page(100_000)));
        file.pack();
        assert!(file.is_packed());
        assert_eq!(*file.bytes(), page(100_000));
    }

    #[test]
    fn small_and_shared_files_stay_as_they_are() {
        let small = Stored::new(Arc::new(page(SMALLEST_PACKED - 1)));
        small.pack();
        assert!(!small.is_packed());
        assert_eq!(*small.bytes(), page(SMALLEST_PACKED - 1));

        let kept_by_a_cache = Arc::new(page(100_000));
        let shared = Stored::new(kept_by_a_cache.clone());
        shared.pack();
        assert!(!shared.is_packed());
        assert!(Arc::ptr_eq(&shared.bytes(), &kept_by_a_cache));
    }

    #[test]
    fn bytes_that_do_not_shrink_stay_as_they_are() {
        // A run of distinct bytes the compressor cannot shorten.
        let mut noise = Vec::with_capacity(4096);
        let mut state = 0x2545_f491_u32;
        for _ in 0..4096 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            noise.push(state as u8);
        }
        let file = Stored::new(Arc::new(noise.clone()));
        file.pack();
        assert!(!file.is_packed());
        assert_eq!(*file.bytes(), noise);
    }
}
