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
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(Some(FileLock { _file: file })),
            Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
            Err(error) => Err(std::io::Error::from(error))
                .with_context(|| format!("failed to lock `{}`", path.display())),
        }
    }

    /// Takes the lock on `path`, waiting for as long as another process holds it.
    pub fn lock(path: &Path) -> Result<FileLock> {
        let file = Self::open(path)?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
            .map_err(std::io::Error::from)
            .with_context(|| format!("failed to lock `{}`", path.display()))?;
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
