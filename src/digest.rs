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

/// Values made from short strings (tag names, words, language names) that a build asks for
/// again and again, kept per thread so that parallel rendering never waits on them. A
/// `thread_local!` of this type is handed to [`per_thread`].
pub type ThreadMemo<V, S = std::collections::hash_map::RandomState> =
    std::cell::RefCell<std::collections::HashMap<Box<str>, V, S>>;

/// The value for `key` in this thread's `memo`, made by `make` the first time; a memo holding
/// `limit` keys starts over, so one fed with arbitrary content stays small.
pub fn per_thread<V: Clone, S: std::hash::BuildHasher>(
    memo: &'static std::thread::LocalKey<ThreadMemo<V, S>>,
    key: &str,
    limit: usize,
    make: impl FnOnce(&str) -> V,
) -> V {
    memo.with(|memo| {
        if let Some(value) = memo.borrow().get(key) {
            return value.clone();
        }
        let value = make(key);
        let mut memo = memo.borrow_mut();
        if memo.len() >= limit {
            memo.clear();
        }
        memo.insert(key.into(), value.clone());
        value
    })
}

/// Values computed from inputs named by their digest, kept from one build to the next: what a
/// build did not ask for is dropped when it finishes, so the memo never outgrows the site.
pub struct Memo<V> {
    inner: std::sync::Mutex<MemoState<V>>,
}

struct MemoState<V> {
    generation: u64,
    values: std::collections::HashMap<Digest, (u64, V)>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo { inner: std::sync::Mutex::new(MemoState { generation: 0, values: Default::default() }) }
    }
}

impl<V: Clone> Memo<V> {
    fn lock(&self) -> std::sync::MutexGuard<'_, MemoState<V>> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value for `key`, computed by `make` (outside the lock) when the memo lacks it.
    pub fn get_or_insert_with(&self, key: Digest, make: impl FnOnce() -> V) -> V {
        {
            let mut state = self.lock();
            let generation = state.generation;
            if let Some((used, value)) = state.values.get_mut(&key) {
                *used = generation;
                return value.clone();
            }
        }
        let value = make();
        let mut state = self.lock();
        let generation = state.generation;
        state.values.insert(key, (generation, value.clone()));
        value
    }

    /// Starts a build: values it does not ask for go at [`Memo::finish`].
    pub fn start(&self) {
        self.lock().generation += 1;
    }

    pub fn finish(&self) {
        let mut state = self.lock();
        let generation = state.generation;
        state.values.retain(|_, (used, _)| *used == generation);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().values.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_memo_makes_each_value_once_and_starts_over_when_full() {
        thread_local! {
            static MEMO: ThreadMemo<String> = Default::default();
        }
        let made = std::cell::Cell::new(0);
        let get = |key: &str| {
            per_thread(&MEMO, key, 2, |key| {
                made.set(made.get() + 1);
                key.to_uppercase()
            })
        };
        assert_eq!((get("a"), get("a"), get("b")), ("A".to_owned(), "A".to_owned(), "B".to_owned()));
        assert_eq!(made.get(), 2, "`a` was made twice");
        assert_eq!(get("c"), "C");
        assert_eq!(MEMO.with(|memo| memo.borrow().len()), 1, "a full memo starts over");
    }

    #[test]
    fn a_memo_keeps_what_the_last_build_used() {
        let memo: Memo<usize> = Memo::default();
        let calls = std::cell::Cell::new(0);
        let get = |key: &[u8]| {
            memo.get_or_insert_with(of(&[key]), || {
                calls.set(calls.get() + 1);
                key.len()
            })
        };
        memo.start();
        assert_eq!((get(b"a"), get(b"bb"), get(b"a")), (1, 2, 1));
        memo.finish();
        assert_eq!(calls.get(), 2);
        memo.start();
        get(b"bb");
        memo.finish();
        assert_eq!((memo.len(), calls.get()), (1, 2), "`a` went, `bb` was not computed again");
    }

    #[test]
    fn boundaries_count_and_results_are_stable() {
        assert_ne!(of(&[b"ab", b"c"]), of(&[b"a", b"bc"]));
        assert_eq!(of(&[b"x"]), of(&[b"x"]));
        assert_eq!(of(&[]).hex().len(), 32);
        // Pinned, so a change of hash function (which would orphan every cache) is noticed.
        assert_eq!(of(&[b"errorbook"]).hex(), "8c9fa88445a1d81007cd54f1fa7fa55e");
    }
}
