//! File-system plumbing that always names the path it failed on.

use std::path::Path;

use anyhow::{Context, Result};

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("failed to read `{}`", path.display()))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("failed to write `{}`", path.display()))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("failed to create the folder `{}`", path.display()))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path).with_context(|| format!("failed to remove the folder `{}`", path.display()))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("failed to move `{}` to `{}`", from.display(), to.display()))
}

pub fn read_dir(path: &Path) -> Result<std::fs::ReadDir> {
    std::fs::read_dir(path).with_context(|| format!("failed to read the folder `{}`", path.display()))
}

pub fn remove_file(path: &Path) -> Result<()> {
    std::fs::remove_file(path).with_context(|| format!("failed to remove `{}`", path.display()))
}

pub fn hard_link(from: &Path, to: &Path) -> Result<()> {
    std::fs::hard_link(from, to)
        .with_context(|| format!("failed to link `{}` to `{}`", to.display(), from.display()))
}

/// Writes a new file and, when `sync` is set, waits until its bytes are on the disk.
pub fn write_new(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let context = || format!("failed to write `{}`", path.display());
    let mut file = std::fs::File::create(path).with_context(context)?;
    std::io::Write::write_all(&mut file, bytes).with_context(context)?;
    if sync {
        file.sync_all().with_context(context)?;
    }
    Ok(())
}

/// Copies a file and gives the copy the original's modification time.
pub fn copy_keeping_time(from: &Path, to: &Path) -> Result<()> {
    let context = || format!("failed to copy `{}` to `{}`", from.display(), to.display());
    let modified = std::fs::metadata(from).and_then(|m| m.modified()).with_context(context)?;
    std::fs::copy(from, to).with_context(context)?;
    std::fs::File::options().write(true).open(to).and_then(|f| f.set_modified(modified)).with_context(context)
}

/// Waits until the entries of a folder (names created, renamed or removed in it) are on the disk.
pub fn sync_dir(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|folder| folder.sync_all())
        .with_context(|| format!("failed to flush the folder `{}` to the disk", path.display()))
}

/// Fills `buf` from `file` at `offset`, without moving a cursor another reader shares: the
/// build cache reads snippets from one open pack on every core.
pub fn read_exact_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            match std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64) {
                Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, buf, offset);
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// Whether `dir` is the root of a mounted file system: it is on another device than its
/// parent, or is its parent (`/`). Folders that cannot be looked at are taken as not mounted.
pub fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Some(parent) = dir.parent() else {
            return true;
        };
        let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
        match (std::fs::symlink_metadata(dir), std::fs::metadata(parent)) {
            (Ok(dir), Ok(parent)) => dir.dev() != parent.dev() || dir.ino() == parent.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// Whether the file system offers an atomic exchange of two folders; see [`exchange`].
pub const HAS_EXCHANGE: bool = cfg!(any(target_os = "linux", target_os = "android", target_vendor = "apple"));

/// Swaps the entries `a` and `b` (both must exist) in one atomic step: no moment sees either
/// missing. `Ok(false)` when the system or the file system cannot (the caller falls back to
/// two renames); the entries are then as they were.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // No renameat2 (old kernels), or a file system without the exchange (some network and
        // FUSE file systems).
        Err(Errno::NOSYS | Errno::INVAL | Errno::OPNOTSUPP) => Ok(false),
        // A bind mount on the same device passes `is_mount_point` and fails here.
        Err(Errno::BUSY) => anyhow::bail!(
            "failed to exchange `{}` and `{}`: one of them is a mount point; build into a folder inside it",
            a.display(),
            b.display()
        ),
        Err(error) => Err(std::io::Error::from(error))
            .with_context(|| format!("failed to exchange `{}` and `{}`", a.display(), b.display())),
    }
}

/// See the Linux and macOS version: other systems have no atomic exchange.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
pub fn exchange(_a: &Path, _b: &Path) -> Result<bool> {
    Ok(false)
}

/// Waits until everything written under `dir` is on the disk. On Linux one `syncfs` of its
/// file system; elsewhere an `fsync` of every file and folder under it.
pub fn sync_tree(dir: &Path) -> Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let folder = std::fs::File::open(dir)
            .with_context(|| format!("failed to open the folder `{}`", dir.display()))?;
        rustix::fs::syncfs(&folder)
            .map_err(std::io::Error::from)
            .with_context(|| format!("failed to flush the files under `{}` to the disk", dir.display()))
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        for item in walkdir::WalkDir::new(dir).follow_links(false) {
            let item = item.with_context(|| format!("failed to read `{}`", dir.display()))?;
            if item.file_type().is_dir() {
                sync_dir(item.path())?;
            } else if item.file_type().is_file() {
                std::fs::File::open(item.path())
                    .and_then(|file| file.sync_all())
                    .with_context(|| format!("failed to flush `{}` to the disk", item.path().display()))?;
            }
        }
        Ok(())
    }
}

/// An exclusive lock on a file, held until dropped (an OS lock: the kernel lets it go when
/// the process ends, however it ends).
#[derive(Debug)]
pub struct FileLock {
    _file: std::fs::File,
}

impl FileLock {
    /// Takes the lock on `path` (created when missing), or `Ok(None)` at once when another
    /// process holds it.
    pub fn try_lock(path: &Path) -> Result<Option<FileLock>> {
        let file = Self::open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(FileLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(error)) => {
                Err(error).with_context(|| format!("failed to lock `{}`", path.display()))
            }
        }
    }

    /// Takes the lock on `path`, waiting for as long as another process holds it.
    pub fn lock(path: &Path) -> Result<FileLock> {
        let file = Self::open(path)?;
        file.lock().with_context(|| format!("failed to lock `{}`", path.display()))?;
        Ok(FileLock { _file: file })
    }

    fn open(path: &Path) -> Result<std::fs::File> {
        let mut options = std::fs::File::options();
        // A symbolic link planted at the lock's name is not followed.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            rustix::fs::OFlags::NOFOLLOW.bits() as i32,
        );
        options
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .with_context(|| format!("failed to open the lock file `{}`", path.display()))
    }
}

/// What a path is when it is not a regular file (following symbolic links): `a folder`, `a
/// named pipe (FIFO)`, …; `None` for a regular file or a path that cannot be looked at.
/// Looking never opens the file, so a FIFO cannot block it.
pub fn not_regular(path: &Path) -> Option<&'static str> {
    let kind = std::fs::metadata(path).ok()?.file_type();
    describe_kind(kind)
}

/// `None` for a regular file, otherwise what it is.
pub fn describe_kind(kind: std::fs::FileType) -> Option<&'static str> {
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// Reads a file that must be a regular file: anything else is refused before it is opened,
/// and checked again once open, so a FIFO never blocks a read.
pub fn read_regular(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    if let Some(kind) = not_regular(path) {
        anyhow::bail!("`{}` is not a regular file: it is {kind}", path.display());
    }
    let mut file =
        std::fs::File::open(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    let kind = file.metadata().with_context(|| format!("failed to read `{}`", path.display()))?.file_type();
    if let Some(kind) = describe_kind(kind) {
        anyhow::bail!("`{}` is not a regular file: it is {kind}", path.display());
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).with_context(|| format!("failed to read `{}`", path.display()))?;
    Ok(bytes)
}

/// Where a symbolic link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// To this path (resolved) inside the root.
    Inside(std::path::PathBuf),
    /// Out of the root.
    Outside,
    /// To nothing: the link's target as written.
    Dangling(std::path::PathBuf),
    /// Round in a circle, or through more links than the system follows.
    Loop,
    /// It cannot be followed for another reason.
    Unreadable(String),
}

/// How many links in a row the system follows before it gives up (Linux's limit).
const MAX_LINK_HOPS: usize = 40;

/// Follows the symbolic link at `path`; `root` must be canonical.
pub fn follow_link(path: &Path, root: &Path) -> Link {
    let error = match std::fs::canonicalize(path) {
        Ok(target) if target.starts_with(root) => return Link::Inside(target),
        Ok(_) => return Link::Outside,
        Err(error) => error,
    };
    let written = std::fs::read_link(path).unwrap_or_default();
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINK_HOPS {
        let Ok(next) = std::fs::read_link(&current) else {
            return Link::Unreadable(error.to_string());
        };
        current = current.parent().map_or_else(|| next.clone(), |parent| parent.join(&next));
        match std::fs::symlink_metadata(&current) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Link::Dangling(written),
            Err(_) => return Link::Loop,
            Ok(meta) if !meta.file_type().is_symlink() => return Link::Unreadable(error.to_string()),
            Ok(_) => {}
        }
    }
    Link::Loop
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("file"), "x").unwrap();
        let link = |name: &str, target: &str| {
            std::os::unix::fs::symlink(target, root.join(name)).unwrap();
            follow_link(&root.join(name), &root)
        };
        assert_eq!(link("good", "file"), Link::Inside(root.join("file")));
        assert_eq!(link("out", "/"), Link::Outside);
        assert_eq!(link("gone", "missing.md"), Link::Dangling("missing.md".into()));
        assert_eq!(link("gone-twice", "gone"), Link::Dangling("gone".into()));
        assert_eq!(link("self", "self"), Link::Loop);
        link("ping", "pong");
        assert_eq!(link("pong", "ping"), Link::Loop);
    }

    #[test]
    fn a_folder_is_not_a_mount_point_but_the_root_is() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("public")).unwrap();
        assert!(!is_mount_point(&dir.path().join("public")));
        assert!(is_mount_point(Path::new("/")));
        // /proc is a file system of its own wherever Linux runs.
        #[cfg(target_os = "linux")]
        assert!(is_mount_point(Path::new("/proc")));
    }

    #[test]
    fn a_fifo_is_refused_without_opening_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("site.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
        assert!(made.success());
        assert_eq!(not_regular(&fifo), Some("a named pipe (FIFO)"));
        let error = read_regular(&fifo).unwrap_err().to_string();
        assert!(error.ends_with("is not a regular file: it is a named pipe (FIFO)"), "{error}");
        assert_eq!(not_regular(dir.path()), Some("a folder"));
        std::fs::write(dir.path().join("f"), "x").unwrap();
        assert_eq!(read_regular(&dir.path().join("f")).unwrap(), b"x");
    }
}
