//! A small deterministic generator (xorshift64*), so every run of a test or a benchmark that
//! generates its input sees the same input. One file for the unit tests of `src/search`, the
//! CLI tests and the benchmarks, each of which includes it with `#[path]`.
#![allow(dead_code)] // each includer uses a part of it

/// The generator's state; any seed but zero.
pub struct Gen(pub u64);

impl Gen {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `items`, each as likely.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// One of `list`, skewed towards its start, as word frequencies are.
    pub fn common<'a>(&mut self, list: &[&'a str]) -> &'a str {
        let a = self.below(list.len());
        let b = self.below(list.len());
        list[a.min(b)]
    }
}
