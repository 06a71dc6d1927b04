//! The build cache folder (`.errorbook-cache/` by default): highlighted snippets kept between
//! builds, and the fingerprint of the last build of each output folder.
//!
//! Invariants: nothing in the cache can change what a build writes, only how fast. Every
//! cached item is keyed by a digest of everything it depends on, including the errorbook
//! binary itself, so a new version never reuses what an older one stored; a damaged or
//! foreign cache file is ignored and rewritten; cache failures are never build failures.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};

use crate::digest::{self, Digest, Hasher};
use crate::markdown::SnippetStore;

/// The cache folder's default name, inside the site root.
pub const DEFAULT_DIR: &str = ".errorbook-cache";

const PACK: &str = "snippets.pack";
const PACK_MAGIC: &[u8; 8] = b"EBSNIPS1";
const HEADER_LEN: u64 = 8 + 16;
/// A key and a length before every snippet.
const RECORD_HEAD: usize = 16 + 4;

/// Checks that the cache folder `cache_dir` is out of the way of the build of the site at
/// `root` into `out` (resolved by [`super::resolve_path`]): not inside a folder the build reads
/// (`content/`, `templates/`, `static/`), where its files would be taken for the site's, nor
/// inside the output folder, which every build replaces.
pub fn check_cache_folder(root: &Path, cache_dir: &Path, out: &Path) -> Result<()> {
    let cache = super::resolve_path(cache_dir, true)?;
    for (name, folder) in super::output::protected_folders(root)? {
        if cache.starts_with(&folder) {
            anyhow::bail!(
                "refusing to keep the cache in `{}`: it is inside the site's {name}/ folder, which every build reads; choose another --cache-dir",
                cache_dir.display()
            );
        }
    }
    if cache.starts_with(out) {
        anyhow::bail!(
            "refusing to keep the cache in `{}`: it is inside the output folder, which every build replaces; choose another --cache-dir",
            cache_dir.display()
        );
    }
    Ok(())
}

/// Identifies the running binary: its version, size and modification time. Anything cached
/// by another build of errorbook is stale, whatever its version says.
pub fn binary_identity() -> Digest {
    let mut hasher = Hasher::new();
    hasher.part(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(meta) = std::env::current_exe().ok().and_then(|exe| std::fs::metadata(exe).ok()) {
        hasher.part(&meta.len().to_le_bytes()).part(&nanos(meta.modified().ok()).to_le_bytes());
    }
    hasher.finish()
}

fn nanos(time: Option<std::time::SystemTime>) -> u128 {
    time.and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos())
}

/// Where a stored snippet lives: in the pack read at the start, or among this build's new ones.
#[derive(Clone, Copy)]
enum Place {
    Old,
    New,
}

#[derive(Clone, Copy)]
struct Slot {
    place: Place,
    /// Offset of the snippet's bytes in its file.
    offset: u64,
    len: u32,
    used: bool,
}

/// Highlighted snippets by key, in one pack file: a header naming the binary that wrote it,
/// then records of key, length and HTML. Only the index stays in memory; snippets are read
/// from the file when asked for. New snippets are appended to a file of this build and the
/// pack is rewritten at the end with just the snippets the build used, so it never grows stale.
pub struct SnippetPack {
    dir: PathBuf,
    identity: Digest,
    old: Option<File>,
    new_path: PathBuf,
    /// Reads this build's new snippets while the state's handle appends them.
    new_reader: File,
    /// The index, and the new file with its length, behind one lock so a snippet rendered on
    /// two threads at once is appended once.
    state: Mutex<PackState>,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

struct PackState {
    index: HashMap<Digest, Slot>,
    new: Option<File>,
    /// Records not yet written to `new`: one write per [`PENDING_BYTES`] rather than one per
    /// snippet. They start at `new_len - pending.len()` in the file.
    pending: Vec<u8>,
    new_len: u64,
    /// Set when a write failed: the pack is then left as it was.
    broken: bool,
}

/// Snippets served from the cache and snippets highlighted in this build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: usize,
    pub misses: usize,
}

impl SnippetPack {
    /// Opens the pack in `dir`, creating the folder. A pack written by another binary, or one
    /// that cannot be read, is treated as empty.
    pub fn open(dir: &Path) -> Result<SnippetPack> {
        crate::fs::create_dir_all(dir)?;
        let identity = binary_identity();
        let mut index = HashMap::new();
        let old =
            File::open(dir.join(PACK)).ok().filter(|file| read_index(file, &identity, &mut index).is_ok());
        if old.is_none() {
            index.clear();
        }
        let new_path = dir.join(format!("{PACK}.new-{}", std::process::id()));
        let mut new =
            File::create(&new_path).with_context(|| format!("failed to create `{}`", new_path.display()))?;
        new.write_all(PACK_MAGIC).and_then(|()| new.write_all(&identity.0))?;
        let new_reader =
            File::open(&new_path).with_context(|| format!("failed to read `{}`", new_path.display()))?;
        Ok(SnippetPack {
            dir: dir.to_path_buf(),
            identity,
            old,
            new_path,
            new_reader,
            state: Mutex::new(PackState {
                index,
                new: Some(new),
                pending: Vec::new(),
                new_len: HEADER_LEN,
                broken: false,
            }),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        })
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PackState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes the pack of the snippets this build used, when it differs from the old one. The
    /// file of new snippets goes when the pack is dropped (see `Drop`), whatever happens here.
    pub fn finish(self) -> Result<CacheStats> {
        let stats = self.stats();
        let mut state = self.lock();
        state.flush();
        drop(state.new.take());
        let used_old =
            |used: bool| state.index.values().any(|s| matches!(s.place, Place::Old) && s.used == used);
        let fresh = state.index.values().any(|s| matches!(s.place, Place::New));
        let target = self.dir.join(PACK);
        if state.broken || (!used_old(false) && !fresh) {
            return Ok(stats);
        }
        if !used_old(true) {
            // Everything used is in the new file, which is a complete pack already.
            crate::fs::rename(&self.new_path, &target)?;
            return Ok(stats);
        }
        let staging = self.dir.join(format!("{PACK}.tmp-{}", std::process::id()));
        if let Err(error) = self.rewrite(&state, &staging).and_then(|()| crate::fs::rename(&staging, &target))
        {
            let _ = std::fs::remove_file(&staging);
            return Err(error);
        }
        Ok(stats)
    }

    /// Writes every used snippet, in key order, to a new pack at `path`.
    fn rewrite(&self, state: &PackState, path: &Path) -> Result<()> {
        let mut slots: Vec<(&Digest, &Slot)> = state.index.iter().filter(|(_, s)| s.used).collect();
        slots.sort_by_key(|(key, _)| **key);
        let file = File::create(path).with_context(|| format!("failed to create `{}`", path.display()))?;
        let mut out = std::io::BufWriter::new(file);
        out.write_all(PACK_MAGIC)?;
        out.write_all(&self.identity.0)?;
        let mut buffer = Vec::new();
        for (key, slot) in slots {
            let source = match slot.place {
                Place::Old => self.old.as_ref(),
                Place::New => Some(&self.new_reader),
            };
            let Some(source) = source else { continue };
            buffer.resize(slot.len as usize, 0);
            source.read_exact_at(&mut buffer, slot.offset)?;
            out.write_all(&key.0)?;
            out.write_all(&slot.len.to_le_bytes())?;
            out.write_all(&buffer)?;
        }
        out.into_inner().map_err(std::io::IntoInnerError::into_error)?.sync_all()?;
        Ok(())
    }
}

impl Drop for SnippetPack {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.new_path);
    }
}

impl SnippetStore for SnippetPack {
    fn get(&self, key: &Digest) -> Option<String> {
        let slot = {
            let mut state = self.lock();
            let slot = state.index.get_mut(key)?;
            slot.used = true;
            *slot
        };
        let mut bytes = vec![0; slot.len as usize];
        match slot.place {
            Place::Old => self.old.as_ref()?.read_exact_at(&mut bytes, slot.offset).ok()?,
            Place::New => {
                let state = self.lock();
                let pending_from = state.new_len - state.pending.len() as u64;
                match slot.offset.checked_sub(pending_from) {
                    Some(at) => {
                        let len = bytes.len();
                        bytes.copy_from_slice(state.pending.get(at as usize..)?.get(..len)?);
                    }
                    None => {
                        drop(state);
                        self.new_reader.read_exact_at(&mut bytes, slot.offset).ok()?;
                    }
                }
            }
        }
        let html = String::from_utf8(bytes).ok()?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(html)
    }

    fn put(&self, key: &Digest, html: &str) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let Ok(len) = u32::try_from(html.len()) else { return };
        let mut state = self.lock();
        if state.broken || state.index.get(key).is_some_and(|s| matches!(s.place, Place::New)) {
            return;
        }
        if state.new.is_none() {
            return;
        }
        let offset = state.new_len + RECORD_HEAD as u64;
        state.pending.extend_from_slice(&key.0);
        state.pending.extend_from_slice(&len.to_le_bytes());
        state.pending.extend_from_slice(html.as_bytes());
        state.new_len += (RECORD_HEAD + html.len()) as u64;
        state.index.insert(*key, Slot { place: Place::New, offset, len, used: true });
        if state.pending.len() >= PENDING_BYTES {
            state.flush();
        }
    }
}

/// How many bytes of new snippets are kept before they are written out.
const PENDING_BYTES: usize = 1 << 20;

impl PackState {
    /// Writes the pending records. On failure the pack is marked broken: the build goes on,
    /// and `finish` leaves the old pack as it was.
    fn flush(&mut self) {
        let Some(file) = self.new.as_mut() else { return };
        if !self.pending.is_empty() && file.write_all(&self.pending).is_err() {
            self.broken = true;
        }
        self.pending.clear();
    }
}

/// Reads the keys and places of a pack's snippets; `Err` when it is not a pack of this binary.
/// A torn last record (an interrupted write) ends the index.
fn read_index(file: &File, identity: &Digest, index: &mut HashMap<Digest, Slot>) -> Result<()> {
    let total = file.metadata()?.len();
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut header = [0; HEADER_LEN as usize];
    reader.read_exact(&mut header)?;
    if &header[..8] != PACK_MAGIC || header[8..] != identity.0 {
        anyhow::bail!("a pack of another binary");
    }
    let mut offset = HEADER_LEN;
    let mut head = [0; RECORD_HEAD];
    while offset + RECORD_HEAD as u64 <= total {
        reader.read_exact(&mut head)?;
        let mut key = [0; 16];
        key.copy_from_slice(&head[..16]);
        let len = u32::from_le_bytes([head[16], head[17], head[18], head[19]]);
        let start = offset + RECORD_HEAD as u64;
        if start + u64::from(len) > total {
            break;
        }
        index.insert(Digest(key), Slot { place: Place::Old, offset: start, len, used: false });
        reader.seek_relative(i64::from(len))?;
        offset = start + u64::from(len);
    }
    Ok(())
}

/// What a build depends on, and what it left in its output folder: when both are as the last
/// successful build recorded them, the build has nothing to do.
pub struct BuildState {
    path: PathBuf,
    pub inputs: Digest,
}

/// What the last build of an output folder recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub entries: usize,
    pub pages: usize,
}

impl BuildState {
    /// The state of building the site at `root` into `out` with `options` (a description of
    /// every setting that changes the output).
    pub fn new(cache_dir: &Path, root: &Path, out: &Path, options: &str) -> BuildState {
        let mut hasher = Hasher::new();
        hasher.part(&binary_identity().0).part(options.as_bytes());
        hash_tree(&mut hasher, &root.join(crate::content::config::SITE_FILE));
        for folder in [crate::content::CONTENT_DIR, "templates", "static"] {
            hash_tree(&mut hasher, &root.join(folder));
        }
        let name = digest::of(&[out.as_os_str().as_encoded_bytes()]).hex();
        BuildState { path: cache_dir.join("builds").join(name), inputs: hasher.finish() }
    }

    /// The counts of the last build when the inputs and the output are exactly as it left them.
    pub fn unchanged(&self, out: &Path) -> Option<Recorded> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let mut fields = HashMap::new();
        for line in text.lines() {
            let (name, value) = line.split_once(' ')?;
            fields.insert(name, value);
        }
        if fields.get("inputs")? != &self.inputs.hex() || fields.get("output")? != &output_digest(out)?.hex()
        {
            return None;
        }
        Some(Recorded {
            entries: fields.get("entries")?.parse().ok()?,
            pages: fields.get("pages")?.parse().ok()?,
        })
    }

    /// Forgets the last build, before a new one changes the output.
    pub fn forget(&self) {
        let _ = std::fs::remove_file(&self.path);
    }

    /// Records a successful build that reported no problems.
    pub fn record(&self, out: &Path, recorded: &Recorded) -> Result<()> {
        let output = output_digest(out).context("failed to read the output folder")?;
        let text = format!(
            "inputs {}\noutput {}\nentries {}\npages {}\n",
            self.inputs.hex(),
            output.hex(),
            recorded.entries,
            recorded.pages
        );
        if let Some(folder) = self.path.parent() {
            crate::fs::create_dir_all(folder)?;
        }
        crate::fs::write(&self.path, text.as_bytes())
    }
}

/// Adds the path, size and modification time of every file under `path` (or of `path`).
fn hash_tree(hasher: &mut Hasher, path: &Path) {
    for item in walkdir::WalkDir::new(path).sort_by_file_name().follow_links(false).into_iter() {
        let Ok(item) = item else {
            hasher.part(b"unreadable");
            continue;
        };
        hasher.part(item.path().as_os_str().as_encoded_bytes());
        // Followed, since the build reads through symbolic links to files.
        match std::fs::metadata(item.path()) {
            Ok(meta) => {
                hasher.part(&[u8::from(item.path_is_symlink()), u8::from(meta.is_dir())]);
                hasher.part(&meta.len().to_le_bytes()).part(&nanos(meta.modified().ok()).to_le_bytes());
            }
            Err(_) => {
                hasher.part(b"missing");
            }
        }
    }
}

/// A digest of every file in the output folder: path, size, modification time.
fn output_digest(out: &Path) -> Option<Digest> {
    if !out.is_dir() {
        return None;
    }
    let mut hasher = Hasher::new();
    hash_tree(&mut hasher, out);
    Some(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_survive_between_packs_and_unused_ones_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (digest::of(&[b"a"]), digest::of(&[b"b"]));

        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!(pack.get(&a), None);
        pack.put(&a, "<b>a</b>");
        pack.put(&b, "<b>b</b>");
        assert_eq!(pack.get(&a).as_deref(), Some("<b>a</b>"), "a new snippet is found in the same build");
        pack.finish().unwrap();

        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!(pack.get(&b).as_deref(), Some("<b>b</b>"));
        assert_eq!(pack.stats(), CacheStats { hits: 1, misses: 0 });
        pack.finish().unwrap();

        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!(pack.get(&a), None, "a snippet the last build did not use is gone");
        assert_eq!(pack.get(&b).as_deref(), Some("<b>b</b>"));
        pack.finish().unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [PACK], "no temporary file is left");
    }

    #[test]
    fn snippets_are_found_whether_written_out_or_still_pending() {
        let dir = tempfile::tempdir().unwrap();
        let html = |i: usize| format!("<i>{i}</i>{}", "x".repeat(1000));
        let keys: Vec<Digest> = (0..3000).map(|i: usize| digest::of(&[&i.to_le_bytes()])).collect();
        let pack = SnippetPack::open(dir.path()).unwrap();
        for (i, key) in keys.iter().enumerate() {
            pack.put(key, &html(i));
        }
        let pending = pack.lock().pending.len();
        assert!(pending > 0 && pending < PENDING_BYTES, "expected records both written and pending");
        for (i, key) in keys.iter().enumerate().rev() {
            assert_eq!(pack.get(key), Some(html(i)), "snippet {i} in the same build");
        }
        pack.finish().unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(pack.get(key), Some(html(i)), "snippet {i} in the next build");
        }
        pack.finish().unwrap();
    }

    #[test]
    fn a_damaged_or_foreign_pack_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let key = digest::of(&[b"k"]);
        let pack = SnippetPack::open(dir.path()).unwrap();
        pack.put(&key, "html");
        pack.finish().unwrap();

        // A torn last record: the snippet is not served half.
        let path = dir.path().join(PACK);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!(pack.get(&key), None);
        drop(pack);

        std::fs::write(&path, b"EBSNIPS1 written by something else").unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!(pack.get(&key), None);
        pack.put(&key, "html");
        pack.finish().unwrap();
        assert_eq!(SnippetPack::open(dir.path()).unwrap().get(&key).as_deref(), Some("html"));
    }

    #[test]
    fn a_build_state_matches_only_the_same_inputs_and_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let out = dir.path().join("public");
        let cache = dir.path().join("cache");
        std::fs::create_dir_all(root.join("content/http")).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(root.join("site.yaml"), "title: T\n").unwrap();
        std::fs::write(root.join("content/http/503.md"), "one").unwrap();
        std::fs::write(out.join("index.html"), "page").unwrap();

        let recorded = Recorded { entries: 1, pages: 3 };
        let state = BuildState::new(&cache, &root, &out, "default");
        assert_eq!(state.unchanged(&out), None);
        state.record(&out, &recorded).unwrap();
        assert_eq!(BuildState::new(&cache, &root, &out, "default").unchanged(&out), Some(recorded.clone()));
        assert_eq!(BuildState::new(&cache, &root, &out, "--drafts").unchanged(&out), None);

        std::fs::write(out.join("index.html"), "edited by hand").unwrap();
        assert_eq!(BuildState::new(&cache, &root, &out, "default").unchanged(&out), None);
        state.record(&out, &recorded).unwrap();

        std::fs::write(root.join("content/http/503.md"), "two, longer").unwrap();
        assert_eq!(BuildState::new(&cache, &root, &out, "default").unchanged(&out), None);
        let state = BuildState::new(&cache, &root, &out, "default");
        state.record(&out, &recorded).unwrap();
        state.forget();
        assert_eq!(state.unchanged(&out), None);
    }
}
