//! The hash maps of the index builder: rustc-hash's Fx hasher, fast for the short strings the
//! builder keys its maps by. Only in-memory maps use it; nothing it hashes reaches the output
//! (the index hash is a `crate::digest`), so its values may differ between machines.

pub(super) use rustc_hash::FxBuildHasher;

/// A hash map keyed by the site's own terms and tokens.
pub(super) type FxMap<K, V> = std::collections::HashMap<K, V, FxBuildHasher>;
