//! The Porter stemmer, as published (M. F. Porter, "An algorithm for suffix stripping", 1980).
//!
//! The browser engine (`static/search/engine.js`) carries a step-for-step twin of this code and
//! reads the suffix tables from the index (`meta.js`); `tests/search-vectors.json` and the
//! differential test of `search::tests` hold the cases both must agree on.

use serde::Serialize;

/// Step 2: double suffixes to single ones.
const STEP2: [(&str, &str); 20] = [
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("abli", "able"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
];

/// Step 3: -ic-, -full, -ness and the like.
const STEP3: [(&str, &str); 7] = [
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
];

/// Step 4: suffixes dropped from a stem of measure two or more.
const STEP4: [&str; 19] = [
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
    "ate", "iti", "ous", "ive", "ize",
];

/// The suffix tables of steps 2 to 4, as the browser engine reads them from `meta.js`; the
/// steps themselves are code on both sides.
#[derive(Serialize)]
pub(crate) struct Rules {
    step2: &'static [(&'static str, &'static str)],
    step3: &'static [(&'static str, &'static str)],
    step4: &'static [&'static str],
}

pub(crate) fn rules() -> Rules {
    Rules { step2: &STEP2, step3: &STEP3, step4: &STEP4 }
}

/// The stem of a lowercase ASCII word. Anything else, and words of two letters or fewer, come
/// back unchanged.
pub(crate) fn stem(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_owned();
    }
    let mut s = Stemmer { b: word.as_bytes().to_vec(), k: word.len() - 1, j: 0 };
    s.step1ab();
    if s.k > 0 {
        s.step1c();
        s.step2();
        s.step3();
        s.step4();
        s.step5();
    }
    s.b.truncate(s.k + 1);
    String::from_utf8(s.b).expect("ASCII in, ASCII out")
}

/// `b[0..=k]` is the word; after a suffix matched, `b[0..=j]` is what precedes it (`j` is -1
/// when nothing does).
struct Stemmer {
    b: Vec<u8>,
    k: usize,
    j: isize,
}

impl Stemmer {
    /// Whether `b[i]` is a consonant.
    fn cons(&self, i: usize) -> bool {
        match self.b[i] {
            b'a' | b'e' | b'i' | b'o' | b'u' => false,
            b'y' => i == 0 || !self.cons(i - 1),
            _ => true,
        }
    }

    /// The measure of `b[0..=j]`: the number of vowel-consonant sequences in it.
    fn m(&self) -> usize {
        let end = self.j + 1;
        let mut n = 0;
        let mut i = 0;
        // Skip the leading consonants, then count each vowels-then-consonants run.
        while i < end && self.cons(i as usize) {
            i += 1;
        }
        loop {
            while i < end && !self.cons(i as usize) {
                i += 1;
            }
            if i >= end {
                return n;
            }
            while i < end && self.cons(i as usize) {
                i += 1;
            }
            n += 1;
        }
    }

    /// Whether `b[0..=j]` contains a vowel.
    fn vowel_in_stem(&self) -> bool {
        (0..self.j + 1).any(|i| !self.cons(i as usize))
    }

    /// Whether `b[i-1..=i]` is a double consonant.
    fn double_c(&self, i: usize) -> bool {
        i >= 1 && self.b[i] == self.b[i - 1] && self.cons(i)
    }

    /// Whether `b[i-2..=i]` is consonant-vowel-consonant and the last is not w, x or y.
    fn cvc(&self, i: usize) -> bool {
        i >= 2
            && self.cons(i)
            && !self.cons(i - 1)
            && self.cons(i - 2)
            && !matches!(self.b[i], b'w' | b'x' | b'y')
    }

    /// Whether `b[0..=k]` ends with `s`; if so, `j` marks the end of what precedes it.
    fn ends(&mut self, s: &str) -> bool {
        let len = s.len();
        if len > self.k + 1 || &self.b[self.k + 1 - len..=self.k] != s.as_bytes() {
            return false;
        }
        self.j = (self.k + 1 - len) as isize - 1;
        true
    }

    /// Replaces `b[j+1..=k]` with `s`.
    fn set_to(&mut self, s: &str) {
        self.b.truncate((self.j + 1) as usize);
        self.b.extend_from_slice(s.as_bytes());
        self.k = self.b.len() - 1;
    }

    /// `set_to(s)` when what precedes the suffix has a measure above zero.
    fn r(&mut self, s: &str) {
        if self.m() > 0 {
            self.set_to(s);
        }
    }

    /// Plurals and -ed or -ing.
    fn step1ab(&mut self) {
        if self.b[self.k] == b's' {
            if self.ends("sses") {
                self.k -= 2;
            } else if self.ends("ies") {
                self.set_to("i");
            } else if self.b[self.k - 1] != b's' {
                self.k -= 1;
            }
            self.b.truncate(self.k + 1);
        }
        if self.ends("eed") {
            if self.m() > 0 {
                self.k -= 1;
            }
        } else if (self.ends("ed") || self.ends("ing")) && self.vowel_in_stem() {
            self.k = self.j as usize;
            self.b.truncate(self.k + 1);
            if self.ends("at") {
                self.set_to("ate");
            } else if self.ends("bl") {
                self.set_to("ble");
            } else if self.ends("iz") {
                self.set_to("ize");
            } else if self.double_c(self.k) {
                if !matches!(self.b[self.k - 1], b'l' | b's' | b'z') {
                    self.k -= 1;
                }
            } else {
                self.j = self.k as isize;
                if self.m() == 1 && self.cvc(self.k) {
                    self.set_to("e");
                }
            }
        }
        self.b.truncate(self.k + 1);
    }

    /// A final y after a vowel-bearing stem becomes i.
    fn step1c(&mut self) {
        if self.ends("y") && self.vowel_in_stem() {
            self.b[self.k] = b'i';
        }
    }

    /// Double suffixes to single ones.
    fn step2(&mut self) {
        self.replace_first(&STEP2);
    }

    /// -ic-, -full, -ness and the like.
    fn step3(&mut self) {
        self.replace_first(&STEP3);
    }

    /// Applies the first rule whose suffix matches, if the measure allows. Where one suffix ends
    /// another, the longer comes first, so the first match is the longest.
    fn replace_first(&mut self, rules: &[(&str, &str)]) {
        if let Some(&(_, to)) = rules.iter().find(|(from, _)| self.ends(from)) {
            self.r(to);
        }
    }

    /// Drops -ant, -ence and the like from a stem of measure two or more.
    fn step4(&mut self) {
        let Some(suffix) = STEP4.into_iter().find(|s| self.ends(s)) else {
            return;
        };
        if suffix == "ion" && !(self.j >= 0 && matches!(self.b[self.j as usize], b's' | b't')) {
            return;
        }
        if self.m() > 1 {
            self.k = self.j as usize;
        }
    }

    /// A final -e, and -ll to -l, on long stems.
    fn step5(&mut self) {
        self.j = self.k as isize;
        if self.b[self.k] == b'e' {
            let a = self.m();
            if a > 1 || (a == 1 && !self.cvc(self.k - 1)) {
                self.k -= 1;
            }
        }
        if self.b[self.k] == b'l' && self.double_c(self.k) && self.m() > 1 {
            self.k -= 1;
        }
    }
}
