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
/// Names a snippet pack; the last byte is the version of its layout.
const PACK_MAGIC: &[u8; 8] = b"EBSNIPS2";
/// What every version of the layout starts with.
const PACK_FAMILY: &[u8] = b"EBSNIPS";
const HEADER_LEN: u64 = 8 + 16;
/// A key, a length and a checksum before every snippet.
const RECORD_HEAD: usize = 16 + 4 + 16;
/// The most bytes a record may claim: far more than the highlighted code of the largest entry
/// file takes. A larger length is damage, and is never allocated.
const MAX_RECORD: u32 = 16 << 20;

/// Checks that the cache folder `cache_dir` is out of the way of the build of the site at
/// `root` into `out` (resolved by [`super::resolve_path`]): not inside a folder the build reads
/// (`content/`, `templates/`, `static/`), where its files would be taken for the site's, nor
/// inside the output folder, which every build replaces.
pub fn check_cache_folder(root: &Path, cache_dir: &Path, out: &Path) -> Result<()> {
    let cache = super::resolve_path(cache_dir, true)?;
    for super::output::ProtectedFolder { name, path: folder } in super::output::protected_folders(root)? {
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

/// The checksum stored with a snippet: it finds a pack damaged by accident (a torn write, a
/// flipped bit). It proves nothing about who wrote the pack: what a snippet says is checked
/// by `markdown::verify_highlighted` against the snippet's own code.
fn checksum(key: &Digest, html: &[u8]) -> Digest {
    digest::of(&[b"snippet-record", &key.0, html])
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
    /// Offset of the snippet's checksum in its file, followed by its `len` bytes.
    offset: u64,
    len: u32,
    used: bool,
}

/// Highlighted snippets by key, in one pack file: a header naming the binary that wrote it,
/// then records of key, length, checksum and highlighted code. Only the index stays in memory;
/// snippets are read from the file when asked for. New snippets are appended to a file of this
/// build and the pack is rewritten at the end with just the snippets the build used, so it
/// never grows stale.
///
/// The pack is not trusted. Its layout is checked when it is opened (lengths within the file
/// and within [`MAX_RECORD`], no key twice), each snippet's checksum when it is read, and what
/// the snippet says by the highlighter before it is used. A pack that fails any check is
/// damaged: nothing more is taken from it, [`SnippetPack::damage`] says what was wrong, and
/// the pack is written anew from this build's snippets.
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
    /// What was first found wrong with the pack read at the start.
    damage: Option<String>,
}

/// Snippets served from the cache and snippets highlighted in this build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: usize,
    pub misses: usize,
}

impl SnippetPack {
    /// Opens the pack in `dir`, creating the folder. A pack written by another binary, or by
    /// another version of the layout, is treated as empty; one that is damaged too, and
    /// [`SnippetPack::damage`] says so.
    pub fn open(dir: &Path) -> Result<SnippetPack> {
        crate::fs::create_dir_all(dir)?;
        let identity = binary_identity();
        let mut index = HashMap::new();
        let (old, damage) = match open_pack(&dir.join(PACK), &identity, &mut index) {
            Ok(old) => (old, None),
            Err(why) => {
                index.clear();
                (None, Some(why))
            }
        };
        let new_path = dir.join(format!("{PACK}.new-{}", std::process::id()));
        let mut new = create_new(&new_path)?;
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
                damage,
            }),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        })
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed) }
    }

    /// The warning for a pack found damaged or tampered with: the file and what was first
    /// found wrong. `None` while the pack passed every check.
    pub fn damage(&self) -> Option<String> {
        let why = self.lock().damage.clone()?;
        Some(format!(
            "ignored the snippet cache `{}`: {why}. It was damaged or tampered with; nothing that failed the checks was used, and the cache is written anew",
            self.dir.join(PACK).display()
        ))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PackState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the old pack damaged: nothing more is served from it, and `finish` replaces it.
    fn discard(&self, key: &Digest, why: &str) {
        let mut state = self.lock();
        if state.damage.is_none() {
            state.damage = Some(why.to_owned());
        }
        state.index.retain(|k, slot| matches!(slot.place, Place::New) && k != key);
    }

    /// Reads a snippet with its checksum.
    fn read_slot(&self, slot: Slot) -> Option<Vec<u8>> {
        let mut bytes = vec![0; 16 + slot.len as usize];
        match slot.place {
            Place::Old => crate::fs::read_exact_at(self.old.as_ref()?, &mut bytes, slot.offset).ok()?,
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
                        crate::fs::read_exact_at(&self.new_reader, &mut bytes, slot.offset).ok()?;
                    }
                }
            }
        }
        Some(bytes)
    }

    /// Writes the pack of the snippets this build used, when it differs from the old one or
    /// the old one was damaged. The file of new snippets goes when the pack is dropped (see
    /// `Drop`), whatever happens here.
    pub fn finish(self) -> Result<CacheStats> {
        let stats = self.stats();
        let mut state = self.lock();
        state.flush();
        drop(state.new.take());
        let used_old =
            |used: bool| state.index.values().any(|s| matches!(s.place, Place::Old) && s.used == used);
        let fresh = state.index.values().any(|s| matches!(s.place, Place::New));
        let target = self.dir.join(PACK);
        if state.broken || (state.damage.is_none() && !used_old(false) && !fresh) {
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

    /// Writes every used snippet, in key order, to a new pack at `path`. Snippets of the old
    /// pack are used only after they passed every check.
    fn rewrite(&self, state: &PackState, path: &Path) -> Result<()> {
        let mut slots: Vec<(&Digest, &Slot)> = state.index.iter().filter(|(_, s)| s.used).collect();
        slots.sort_by_key(|(key, _)| **key);
        let mut out = std::io::BufWriter::new(create_new(path)?);
        out.write_all(PACK_MAGIC)?;
        out.write_all(&self.identity.0)?;
        let mut buffer = Vec::new();
        for (key, slot) in slots {
            let source = match slot.place {
                Place::Old => self.old.as_ref(),
                Place::New => Some(&self.new_reader),
            };
            let Some(source) = source else { continue };
            buffer.resize(16 + slot.len as usize, 0);
            crate::fs::read_exact_at(source, &mut buffer, slot.offset)?;
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
        let Some(bytes) = self.read_slot(slot) else {
            self.discard(key, "a snippet in it cannot be read");
            return None;
        };
        let (check, html) = bytes.split_at(16);
        if checksum(key, html).0 != check {
            self.discard(key, "a snippet in it does not match its checksum");
            return None;
        }
        let Ok(html) = String::from_utf8(html.to_vec()) else {
            self.discard(key, "a snippet in it is not UTF-8");
            return None;
        };
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(html)
    }

    fn reject(&self, key: &Digest, why: &str) {
        let _ = self.hits.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |hits| hits.checked_sub(1));
        self.discard(key, &format!("the highlighted code of a snippet in it has {why}"));
    }

    fn put(&self, key: &Digest, html: &str) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let Ok(len) = u32::try_from(html.len()) else { return };
        if len > MAX_RECORD {
            return;
        }
        let mut state = self.lock();
        if state.broken || state.index.get(key).is_some_and(|s| matches!(s.place, Place::New)) {
            return;
        }
        if state.new.is_none() {
            return;
        }
        let offset = state.new_len + (RECORD_HEAD - 16) as u64;
        state.pending.extend_from_slice(&key.0);
        state.pending.extend_from_slice(&len.to_le_bytes());
        state.pending.extend_from_slice(&checksum(key, html.as_bytes()).0);
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

/// Creates the file at `path` for writing, never through what is there already: a file or a
/// symbolic link left at that name is removed first, and the file is created anew.
fn create_new(path: &Path) -> Result<File> {
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("failed to create `{}`", path.display()))
}

/// Opens the pack at `path` and reads its index: `Ok(None)` when there is none, or it is one of
/// another binary or layout; `Err` with what is wrong when it is damaged.
fn open_pack(
    path: &Path,
    identity: &Digest,
    index: &mut HashMap<Digest, Slot>,
) -> Result<Option<File>, String> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("it cannot be read ({error})")),
        Ok(meta) if !meta.is_file() => return Err("it is not a regular file".to_owned()),
        Ok(_) => {}
    }
    let file = File::open(path).map_err(|error| format!("it cannot be read ({error})"))?;
    match read_index(&file, identity, index) {
        Ok(true) => Ok(Some(file)),
        Ok(false) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Reads the keys and places of a pack's snippets: `Ok(false)` when it is a pack of another
/// binary or layout, `Err` with what is wrong when its layout is broken.
fn read_index(file: &File, identity: &Digest, index: &mut HashMap<Digest, Slot>) -> Result<bool, String> {
    let unreadable = |error: std::io::Error| format!("it cannot be read ({error})");
    let total = file.metadata().map_err(unreadable)?.len();
    if total < HEADER_LEN {
        return Err("it is shorter than the header of a pack".to_owned());
    }
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut header = [0; HEADER_LEN as usize];
    reader.read_exact(&mut header).map_err(unreadable)?;
    if !header.starts_with(PACK_FAMILY) {
        return Err("it does not start as a snippet pack does".to_owned());
    }
    if &header[..8] != PACK_MAGIC || header[8..] != identity.0 {
        return Ok(false);
    }
    let mut offset = HEADER_LEN;
    let mut head = [0; RECORD_HEAD - 16];
    while offset < total {
        if offset + RECORD_HEAD as u64 > total {
            return Err(format!("it ends inside a record, at byte {total}: it was cut short"));
        }
        reader.read_exact(&mut head).map_err(unreadable)?;
        let mut key = [0; 16];
        key.copy_from_slice(&head[..16]);
        let len = u32::from_le_bytes([head[16], head[17], head[18], head[19]]);
        if len > MAX_RECORD {
            return Err(format!(
                "the record at byte {offset} claims {len} bytes, more than any snippet takes"
            ));
        }
        let start = offset + (RECORD_HEAD - 16) as u64;
        let end = start + 16 + u64::from(len);
        if end > total {
            return Err(format!(
                "the record at byte {offset} runs past the end of the file: it was cut short"
            ));
        }
        if index.insert(Digest(key), Slot { place: Place::Old, offset: start, len, used: false }).is_some() {
            return Err(format!("the record at byte {offset} stores a snippet stored before it"));
        }
        reader.seek_relative(16 + i64::from(len)).map_err(unreadable)?;
        offset = end;
    }
    Ok(true)
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
        let text = read_small(&self.path)?;
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
        let staging = self.path.with_extension(format!("tmp-{}", std::process::id()));
        let written = create_new(&staging).and_then(|mut file| {
            file.write_all(text.as_bytes())
                .with_context(|| format!("failed to write `{}`", staging.display()))
        });
        if let Err(error) = written.and_then(|()| crate::fs::rename(&staging, &self.path)) {
            let _ = std::fs::remove_file(&staging);
            return Err(error);
        }
        Ok(())
    }
}

/// The longest record of a build a cache may hold; anything longer is not one.
const MAX_RECORD_TEXT: u64 = 4096;

/// The text of a small regular file, or `None`: never more than [`MAX_RECORD_TEXT`] bytes are
/// read, and nothing but a regular file is opened (a FIFO left in the cache would block).
fn read_small(path: &Path) -> Option<String> {
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    File::open(path).ok()?.take(MAX_RECORD_TEXT + 1).read_to_string(&mut text).ok()?;
    (text.len() as u64 <= MAX_RECORD_TEXT).then_some(text)
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
    fn a_torn_or_foreign_pack_is_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let key = digest::of(&[b"k"]);
        let pack = SnippetPack::open(dir.path()).unwrap();
        pack.put(&key, "html");
        pack.finish().unwrap();

        // A torn last record: the snippet is not served half, and the pack is reported.
        let path = dir.path().join(PACK);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!(pack.get(&key), None);
        assert!(pack.damage().unwrap().contains("cut short"), "{:?}", pack.damage());
        drop(pack);

        // A pack of another layout or binary is stale, not damaged: it is ignored quietly.
        let mut older = bytes.clone();
        older[7] = b'1';
        std::fs::write(&path, &older).unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!((pack.get(&key), pack.damage()), (None, None));
        drop(pack);
        let mut foreign = bytes.clone();
        foreign[8] ^= 1;
        std::fs::write(&path, &foreign).unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!((pack.get(&key), pack.damage()), (None, None));
        drop(pack);

        std::fs::write(&path, b"EBSNIPS").unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        assert!(pack.damage().unwrap().contains("shorter than the header"), "{:?}", pack.damage());
        drop(pack);
        std::fs::write(&path, b"something else, long enough for a header").unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        assert!(pack.damage().unwrap().contains("does not start as a snippet pack"), "{:?}", pack.damage());
        assert_eq!(pack.get(&key), None);
        pack.put(&key, "html");
        pack.finish().unwrap();
        let pack = SnippetPack::open(dir.path()).unwrap();
        assert_eq!((pack.get(&key).as_deref(), pack.damage()), (Some("html"), None));
    }

    /// Snippets of every kind the highlighter writes: classed code, a console session (with a
    /// copy text), plain text and an unknown language, each with characters that are escaped.
    const SNIPPETS: &[(&str, &str)] = &[
        ("bash", "echo \"<b>$HOME</b>\" && ls 'a b' > /dev/null\n"),
        (
            "console",
            "$ curl -H 'X: <y>' \\\n    https://example.org/?a=1&b=2\n<html>ok</html>\n$ echo done\n",
        ),
        ("yaml", "key: \"value & more\"\nlist:\n  - <item>\n"),
        ("text", "<script>alert(1)</script> & 'quoted'\n"),
        ("klingon", "qapla' <batlh>\n"),
        ("python", "def f(x):\n    return x < 1 and \"é→\"\n"),
    ];

    /// A store that keeps nothing: what a build without a cache writes.
    struct NoStore;

    impl SnippetStore for NoStore {
        fn get(&self, _: &Digest) -> Option<String> {
            None
        }
        fn put(&self, _: &Digest, _: &str) {}
        fn reject(&self, _: &Digest, _: &str) {}
    }

    fn uncached() -> Vec<String> {
        SNIPPETS.iter().map(|(lang, code)| crate::markdown::snippet_html_in(&NoStore, lang, code)).collect()
    }

    /// Renders every snippet with the pack in `dir`, as a build does: the HTML, the warning
    /// (if any) and the cache's counts.
    fn build(dir: &Path) -> (Vec<String>, Option<String>, CacheStats) {
        let pack = SnippetPack::open(dir).unwrap();
        let html =
            SNIPPETS.iter().map(|(lang, code)| crate::markdown::snippet_html_in(&pack, lang, code)).collect();
        let damage = pack.damage();
        let stats = pack.finish().unwrap();
        (html, damage, stats)
    }

    /// A pack's records: key, length, checksum and snippet.
    fn records(bytes: &[u8]) -> Vec<(Digest, Vec<u8>)> {
        let mut at = HEADER_LEN as usize;
        let mut out = Vec::new();
        while at < bytes.len() {
            let key = Digest(bytes[at..at + 16].try_into().unwrap());
            let len = u32::from_le_bytes(bytes[at + 16..at + 20].try_into().unwrap()) as usize;
            out.push((key, bytes[at + RECORD_HEAD..at + RECORD_HEAD + len].to_vec()));
            at += RECORD_HEAD + len;
        }
        out
    }

    /// Writes the pack in `dir` again with each snippet changed by `edit`, with lengths and
    /// checksums that match: what someone who knows the layout would write.
    fn forge(dir: &Path, edit: impl Fn(&str) -> String) {
        let path = dir.join(PACK);
        let bytes = std::fs::read(&path).unwrap();
        let mut out = bytes[..HEADER_LEN as usize].to_vec();
        for (key, html) in records(&bytes) {
            let html = edit(std::str::from_utf8(&html).unwrap());
            out.extend_from_slice(&key.0);
            out.extend_from_slice(&(html.len() as u32).to_le_bytes());
            out.extend_from_slice(&checksum(&key, html.as_bytes()).0);
            out.extend_from_slice(html.as_bytes());
        }
        std::fs::write(&path, out).unwrap();
    }

    /// Builds once to fill the cache in a new folder, and checks the next build reuses it all.
    fn warm_cache() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let (cold, damage, stats) = build(dir.path());
        assert_eq!(cold, uncached());
        assert_eq!((damage, stats.hits), (None, 0));
        let (warm, damage, stats) = build(dir.path());
        assert_eq!(warm, uncached(), "a warm cache changed a snippet");
        assert_eq!((damage, stats), (None, CacheStats { hits: SNIPPETS.len(), misses: 0 }));
        dir
    }

    /// Builds with the cache in `dir` and checks that it was refused with a warning naming it
    /// and `why`, that the pages are those of a build without a cache, and that the next build
    /// finds a sound cache again.
    fn assert_refused(dir: &Path, why: &str) {
        let (html, damage, _) = build(dir);
        assert_eq!(html, uncached(), "a damaged cache changed a snippet ({why})");
        let damage = damage.unwrap_or_else(|| panic!("no warning for {why}"));
        assert!(damage.contains(&dir.join(PACK).display().to_string()), "{damage}");
        assert!(damage.contains(why), "expected `{why}` in: {damage}");
        // Nothing of the damaged pack is kept, even what passed the checks before the damage
        // was found: the next build highlights what is missing, and the one after reuses all.
        let (html, damage, _) = build(dir);
        assert_eq!((html, damage), (uncached(), None), "the cache was not written anew after {why}");
        let (_, _, stats) = build(dir);
        assert_eq!(stats, CacheStats { hits: SNIPPETS.len(), misses: 0 }, "after {why}");
    }

    #[test]
    fn markup_forged_into_the_cache_is_never_published() {
        type Edit<'a> = &'a dyn Fn(&str) -> String;
        let cases: &[(&str, Edit)] = &[
            ("markup other than a span", &|html| format!("<img src=x onerror=alert(1)>{html}")),
            ("markup other than a span", &|html| html.replacen("</span>", "</span><script>x()</script>", 1)),
            ("a span with more than a class", &|html| html.replacen("\">", "\" onclick=\"x()\">", 1)),
            ("a class that is not a highlighting class", &|html| {
                html.replacen("class=\"hl-", "class=\"x hl-", 1)
            }),
            ("a class that is not a highlighting class", &|html| {
                html.replacen("class=\"hl-", "class=\"hl-a\u{0}b hl-", 1)
            }),
            ("a class that is not a highlighting class", &|html| {
                html.replacen("class=\"hl-", "class=\"hl-a  hl-", 1)
            }),
            ("text that differs from the code", &|html| html.replacen("example.org", "attacker.io", 1)),
            ("text that differs from the code", &|html| format!("{html}more")),
            ("text that differs from the code", &|html| html.replacen("&lt;", "&gt;", 1)),
            ("a character reference errorbook does not write", &|html| html.replacen("&lt;", "&#60;", 1)),
            ("a character that should have been escaped", &|html| html.replacen("&quot;", "\"", 1)),
            ("a `</span>` that closes no span", &|html| format!("</span>{html}")),
            ("a span across a line break", &|html| format!("<span class=\"hl-x\">{html}")),
            ("a span that is never closed", &|html| format!("{html}<span class=\"hl-k\">")),
            ("a span without text", &|html| format!("{html}<span class=\"hl-k\"></span>")),
        ];
        for (why, edit) in cases {
            let dir = warm_cache();
            forge(dir.path(), edit);
            assert_refused(dir.path(), why);
        }
    }

    #[test]
    fn flipped_cut_or_out_of_range_bytes_are_found() {
        let dir = warm_cache();
        let path = dir.path().join(PACK);
        let bytes = std::fs::read(&path).unwrap();
        let first_snippet = HEADER_LEN as usize + RECORD_HEAD;

        // The same number of bytes, one of them changed: `<` for `>` in a tag.
        let mut flipped = bytes.clone();
        let at = first_snippet + flipped[first_snippet..].iter().position(|&b| b == b'>').unwrap();
        flipped[at] = b'<';
        std::fs::write(&path, &flipped).unwrap();
        assert_refused(dir.path(), "does not match its checksum");

        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert_refused(dir.path(), "cut short");
        std::fs::write(&path, &bytes[..HEADER_LEN as usize + 5]).unwrap();
        assert_refused(dir.path(), "cut short");

        let length = HEADER_LEN as usize + 16;
        for (len, why) in [(u32::MAX, "more than any snippet takes"), (MAX_RECORD, "runs past the end")] {
            let mut bad = bytes.clone();
            bad[length..length + 4].copy_from_slice(&len.to_le_bytes());
            std::fs::write(&path, &bad).unwrap();
            assert_refused(dir.path(), why);
        }

        let mut twice = bytes.clone();
        twice.extend_from_slice(&bytes[HEADER_LEN as usize..]);
        std::fs::write(&path, &twice).unwrap();
        assert_refused(dir.path(), "stored before it");

        // A record whose checksum was made for another key: moved from one snippet to another.
        let all = records(&bytes);
        let mut swapped = bytes[..HEADER_LEN as usize].to_vec();
        for (i, (key, _)) in all.iter().enumerate() {
            let (other, html) = &all[(i + 1) % all.len()];
            swapped.extend_from_slice(&key.0);
            swapped.extend_from_slice(&(html.len() as u32).to_le_bytes());
            swapped.extend_from_slice(&checksum(other, html).0);
            swapped.extend_from_slice(html);
        }
        std::fs::write(&path, &swapped).unwrap();
        assert_refused(dir.path(), "does not match its checksum");
    }

    #[test]
    fn a_snippet_moved_under_another_key_is_refused() {
        let dir = warm_cache();
        let path = dir.path().join(PACK);
        let bytes = std::fs::read(&path).unwrap();
        let all = records(&bytes);
        let mut moved = bytes[..HEADER_LEN as usize].to_vec();
        for (i, (key, _)) in all.iter().enumerate() {
            let html = &all[(i + 1) % all.len()].1;
            moved.extend_from_slice(&key.0);
            moved.extend_from_slice(&(html.len() as u32).to_le_bytes());
            moved.extend_from_slice(&checksum(key, html).0);
            moved.extend_from_slice(html);
        }
        std::fs::write(&path, &moved).unwrap();
        assert_refused(dir.path(), "text that differs from the code");
    }

    #[test]
    fn the_cache_holds_no_copy_text_and_no_frame() {
        let dir = warm_cache();
        let bytes = std::fs::read(dir.path().join(PACK)).unwrap();
        for (_, html) in records(&bytes) {
            let html = String::from_utf8(html).unwrap();
            assert!(!html.contains("data-copy") && !html.contains("snippet-head"), "{html}");
        }
        let console = uncached().into_iter().find(|html| html.contains("data-copy")).unwrap();
        assert!(console.contains("data-copy=\"curl -H &#39;X: &lt;y&gt;&#39; \\\n    https://example.org/?a=1&amp;b=2\necho done\""), "{console}");
    }

    #[test]
    fn what_is_not_a_regular_file_is_neither_read_nor_written_through() {
        let dir = warm_cache();
        let path = dir.path().join(PACK);
        std::fs::remove_file(&path).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "not the cache's").unwrap();
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        // A link where this build writes its new snippets.
        let new = dir.path().join(format!("{PACK}.new-{}", std::process::id()));
        std::os::unix::fs::symlink(&elsewhere, &new).unwrap();
        assert_refused(dir.path(), "not a regular file");
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "not the cache's");
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());

        // A FIFO would block a reader forever.
        std::fs::remove_file(&path).unwrap();
        let status = std::process::Command::new("mkfifo").arg(&path).status().unwrap();
        assert!(status.success());
        assert_refused(dir.path(), "not a regular file");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        #[test]
        fn random_damage_to_a_pack_never_changes_a_snippet(
            flips in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), 1u8..=255), 0..4),
            cut in proptest::option::of(proptest::prelude::any::<proptest::sample::Index>()),
        ) {
            let dir = warm_cache();
            let path = dir.path().join(PACK);
            let original = std::fs::read(&path).unwrap();
            let mut bytes = original.clone();
            for (at, xor) in &flips {
                let at = at.index(bytes.len());
                bytes[at] ^= xor;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(original.len()));
            }
            std::fs::write(&path, &bytes).unwrap();
            let (html, damage, stats) = build(dir.path());
            proptest::prop_assert_eq!(html, uncached());
            // Damage is reported when the first record that changed kept its key (a record
            // whose key changed is never asked for) and the header is as it was (otherwise the
            // pack is stale, or not a pack, and ignored either way).
            let header = HEADER_LEN as usize;
            let intact = |range: std::ops::Range<usize>| bytes.get(range.clone()) == original.get(range);
            let mut at = header;
            let mut expected = false;
            while at < original.len() {
                let len = u32::from_le_bytes(original[at + 16..at + 20].try_into().unwrap()) as usize;
                let end = at + RECORD_HEAD + len;
                if !intact(at..end) {
                    expected = intact(at..at + 16);
                    break;
                }
                at = end;
            }
            let changed: Vec<usize> = (0..original.len()).filter(|&i| bytes.get(i) != Some(&original[i])).collect();
            if intact(0..header) && expected {
                proptest::prop_assert!(damage.is_some(), "undetected damage at {:?}", changed);
            }
            if changed.is_empty() {
                proptest::prop_assert_eq!((damage, stats.hits), (None, SNIPPETS.len()));
            }
        }
    }

    #[test]
    fn a_build_record_is_never_read_or_written_through_what_is_not_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out, cache) =
            (dir.path().join("site"), dir.path().join("public"), dir.path().join("cache"));
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(cache.join("builds")).unwrap();
        let state = BuildState::new(&cache, &root, &out, "default");
        let recorded = Recorded { entries: 1, pages: 2 };

        // A link at the record's name: writing replaces the link, not the file it names.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "not the cache's").unwrap();
        std::os::unix::fs::symlink(&elsewhere, &state.path).unwrap();
        assert_eq!(state.unchanged(&out), None);
        state.record(&out, &recorded).unwrap();
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "not the cache's");
        assert_eq!(state.unchanged(&out), Some(recorded.clone()));

        // A record padded past any real one is not one, and is not read whole.
        let mut padded = std::fs::read_to_string(&state.path).unwrap();
        padded.push_str(&"x".repeat(MAX_RECORD_TEXT as usize));
        std::fs::write(&state.path, padded).unwrap();
        assert_eq!(state.unchanged(&out), None);

        // A FIFO would block whoever opens it for reading.
        std::fs::remove_file(&state.path).unwrap();
        assert!(std::process::Command::new("mkfifo").arg(&state.path).status().unwrap().success());
        assert_eq!(state.unchanged(&out), None);
        state.record(&out, &recorded).unwrap();
        assert_eq!(state.unchanged(&out), Some(recorded));
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
