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
