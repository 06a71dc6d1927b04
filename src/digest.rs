//! Content digests for the build cache: a 128-bit BLAKE3 hash of a sequence of byte strings.
//!
//! Invariant: the digest of a sequence depends only on its parts and their boundaries
//! (`["ab", "c"]` and `["a", "bc"]` differ), and is the same on every machine and run.

/// A 128-bit digest, printed as 32 hex digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub [u8; 16]);

impl Digest {
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Builds a digest part by part.
#[derive(Clone, Default)]
pub struct Hasher {
    inner: blake3::Hasher,
}

impl Hasher {
    pub fn new() -> Self {
        Hasher::default()
    }

    /// Adds one part; its length goes first, so parts never run into each other.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.inner.update(&(bytes.len() as u64).to_le_bytes());
        self.inner.update(bytes);
        self
    }

    pub fn finish(&self) -> Digest {
        let mut out = [0; 16];
        out.copy_from_slice(&self.inner.finalize().as_bytes()[..16]);
        Digest(out)
    }
}

/// The digest of `parts`.
pub fn of(parts: &[&[u8]]) -> Digest {
    let mut hasher = Hasher::new();
    for part in parts {
        hasher.part(part);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_count_and_results_are_stable() {
        assert_ne!(of(&[b"ab", b"c"]), of(&[b"a", b"bc"]));
        assert_eq!(of(&[b"x"]), of(&[b"x"]));
        assert_eq!(of(&[]).hex().len(), 32);
        // Pinned, so a change of hash function (which would orphan every cache) is noticed.
        assert_eq!(of(&[b"errorbook"]).hex(), "8c9fa88445a1d81007cd54f1fa7fa55e");
    }
}
