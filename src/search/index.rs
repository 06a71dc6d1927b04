//! Building the sharded index. The file format is described in `docs/search.md`.
//!
//! Every file is a script that hands its data to `errorbookShard(name, data)`, so the browser
//! can load it with a `<script>` element, which works from `file://` where `fetch` does not.
//!
//! - `search/meta.js`: counts, the first term of every vocabulary shard, categories, severities,
//!   and the contract with the engine: the tables of [`super::text`] it reads queries with and
//!   the alphabet of the numbers below. The engine holds no copy of either.
//! - `search/v/N.js`: a vocabulary shard: sorted terms (words, numbers, and the word pairs of
//!   aliases), their document frequencies, which of them are whole codes, and where their
//!   postings parts start.
//! - `search/p/N-M.js`: postings for a run of the terms of vocabulary shard N.
//! - `search/f/N-I.js`: the whole postings list of term I of shard N, where the part holds only
//!   its strongest postings.
//! - `search/c/N.js`: code keys hashed to shard N, with their documents.
//! - `search/k/N.js`: every code key and slug key, sorted, with the documents whose code or slug
//!   it is: the nearest codes ([`super::near`]) for typos and "did you mean".
//! - `search/d/N.js`: what a result shows, for a run of documents.
//! - `search/facets.js`: every document's category and severity, for filters.
//! - `search/triage.js`: the alias phrases and codes a pasted log is matched with, and the
//!   rules of [`super::triage`], for the browser's triage of many lines.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::fx::FxMap;
use super::text::{self, bigrams, code_key, fnv1a, phrase_tokens, scan_with, term_of};
use super::SearchDoc;
use crate::digest::{self, Digest, Memo};

/// Bumped when the file format changes. 2: `meta.js` carries the analysis tables and the
/// alphabet of the numbers. 4: the sorted keys of `k/` and the rule of the nearest codes.
/// 5: `search/triage.js`, what a pasted log is matched with. 6: the placeholders of variable
/// parts among the analysis tables.
const FORMAT: u32 = 6;

/// A vocabulary shard holds about this many bytes of terms.
const VOCAB_SHARD_BYTES: usize = 8 * 1024;
/// A postings part holds about this many bytes of encoded postings.
const POSTINGS_PART_BYTES: usize = 8 * 1024;
/// A postings list longer than this is cut to its strongest postings in the part; the whole list
/// goes to a file of its own, loaded only when a filter needs it.
const MAX_HEAD_POSTINGS: usize = 1024;
/// Documents per document shard.
const DOC_SHARD: usize = 16;
/// Code keys per code shard, on average.
const CODES_PER_SHARD: usize = 128;
/// A shard of sorted keys holds about this many bytes.
const KEY_SHARD_BYTES: usize = 8 * 1024;
/// Documents analysed at once; bounds the memory the analysis holds.
const BATCH: usize = 512;

/// The fields an entry is indexed by, in the order of [`analyse`], with their BM25F weight and
/// length normalisation.
const FIELDS: [Field; 8] = [
    Field { weight: 3.0, b: 0.0 },  // code
    Field { weight: 3.0, b: 0.5 },  // title
    Field { weight: 2.5, b: 0.5 },  // aliases
    Field { weight: 1.5, b: 0.0 },  // tags
    Field { weight: 1.5, b: 0.5 },  // summary
    Field { weight: 0.5, b: 0.0 },  // category name
    Field { weight: 1.0, b: 0.75 }, // text
    Field { weight: 2.5, b: 0.5 },  // word pairs of the aliases
];
pub(super) const NF: usize = FIELDS.len();

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;

/// Impacts are stored as one character of [`ALPHABET`], 1 to 63.
const MAX_IMPACT: f64 = 63.0;

/// The digits of the base-64 encoding used for postings and numbers (the VLQ of source maps,
/// without a sign bit): 5 bits a character, the sixth set on every character but the last.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Severities in the order a reader expects them; others follow by name.
const SEVERITY_ORDER: [&str; 5] = ["blocker", "critical", "major", "minor", "info"];

struct Field {
    weight: f64,
    b: f64,
}

/// Per-field term frequencies of one term in one document. They saturate at 255, far past
/// where BM25 stops counting them.
pub(super) type Tf = [u8; NF];

/// One document's terms, with their frequencies per field, and its field lengths.
///
/// The preview keeps the analysis of every entry between saves, over a thousand terms each
/// at 10,000 entries: the terms are held end to end in one string rather than a string each,
/// which takes a third of the memory.
#[derive(PartialEq, Eq)]
pub(super) struct Analysed {
    pub(super) lens: [u32; NF],
    /// The terms, one after another; term `i` ends at `ends[i]`.
    text: Box<str>,
    ends: Box<[u32]>,
    tfs: Box<[Tf]>,
    /// The code, when it is one term (`ECONNREFUSED`, `503`; not `Cannot connect to …`).
    pub(super) code_term: Option<String>,
}

impl Analysed {
    fn new(lens: [u32; NF], terms: Vec<(String, Tf)>, code_term: Option<String>) -> Analysed {
        let mut text = String::with_capacity(terms.iter().map(|(term, _)| term.len()).sum());
        let mut ends = Vec::with_capacity(terms.len());
        let mut tfs = Vec::with_capacity(terms.len());
        for (term, tf) in terms {
            text.push_str(&term);
            ends.push(u32::try_from(text.len()).expect("a document's terms fit in 4 GiB"));
            tfs.push(tf);
        }
        Analysed { lens, text: text.into(), ends: ends.into(), tfs: tfs.into(), code_term }
    }

    /// Each term with its frequencies, in the order the document first used them.
    pub(super) fn terms(&self) -> impl Iterator<Item = (&str, &Tf)> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter())
            .zip(self.tfs.iter())
            .map(|((start, &end), tf)| (&self.text[start as usize..end as usize], tf))
    }

    /// Whether the document has `term`.
    pub(super) fn has(&self, term: &str) -> bool {
        self.terms().any(|(t, _)| t == term)
    }
}

/// The analysis of documents from earlier builds, by a digest of everything analysed, so the
/// preview server analyses only the entries an edit changed.
#[derive(Default)]
pub struct AnalysisCache {
    memo: Memo<Arc<Analysed>>,
}

impl AnalysisCache {
    /// Starts a use of the cache: analyses not asked for again before [`AnalysisCache::finish`]
    /// are forgotten then.
    pub(super) fn start(&self) {
        self.memo.start();
    }

    pub(super) fn finish(&self) {
        self.memo.finish();
    }

    pub(super) fn analyse(&self, doc: &SearchDoc) -> Arc<Analysed> {
        self.memo.get_or_insert_with(doc_key(doc), || Arc::new(analyse(doc)))
    }
}

fn doc_key(doc: &SearchDoc) -> Digest {
    let mut hasher = digest::Hasher::new();
    for part in [&doc.code, &doc.title, &doc.summary, &doc.category_name, &doc.text] {
        hasher.part(part.as_bytes());
    }
    for list in [&doc.aliases, &doc.tags] {
        hasher.part(&list.len().to_le_bytes());
        for item in list {
            hasher.part(item.as_bytes());
        }
    }
    hasher.finish()
}

pub(super) fn analyse(doc: &SearchDoc) -> Analysed {
    analyse_with(doc, &doc.text)
}

/// [`analyse`] with `text` standing for the document's `text`.
fn analyse_with(doc: &SearchDoc, text: &str) -> Analysed {
    let mut terms: Vec<(String, Tf)> = Vec::new();
    let mut ids: FxMap<String, usize> = FxMap::default();
    let mut lens = [0u32; NF];
    let mut count = |field: usize, term: String, lens: &mut [u32; NF], terms: &mut Vec<(String, Tf)>| {
        lens[field] += 1;
        let id = *ids.entry(term).or_insert_with_key(|term| {
            terms.push((term.clone(), Tf::default()));
            terms.len() - 1
        });
        let tf = &mut terms[id].1;
        tf[field] = tf[field].saturating_add(1);
        id
    };
    // A text repeats most of its words: each distinct token is stemmed once per document, and
    // its repeats only count (`known` maps a token of each kind to its term).
    let mut known: [FxMap<String, Option<usize>>; 3] = Default::default();
    let mut add = |field: usize, text: &str| {
        scan_with(text, |kind, token| {
            let memo = &mut known[kind as usize];
            match memo.get(token) {
                Some(Some(id)) => {
                    lens[field] += 1;
                    let tf = &mut terms[*id].1;
                    tf[field] = tf[field].saturating_add(1);
                }
                Some(None) => {}
                None => {
                    let id = term_of(kind, token).map(|term| count(field, term, &mut lens, &mut terms));
                    memo.insert(token.to_owned(), id);
                }
            }
        });
    };
    add(0, &doc.code);
    add(1, &doc.title);
    for alias in &doc.aliases {
        add(2, alias);
    }
    for tag in &doc.tags {
        add(3, tag);
    }
    add(4, &doc.summary);
    add(5, &doc.category_name);
    add(6, text);
    for alias in &doc.aliases {
        for pair in bigrams(&phrase_tokens(alias)) {
            count(7, pair, &mut lens, &mut terms);
        }
    }
    let mut code_terms = super::text::terms(&doc.code);
    let code_term = if code_terms.len() == 1 { code_terms.pop() } else { None };
    Analysed::new(lens, terms, code_term)
}

/// Every file of the index, as (path relative to the output root, bytes), sorted by path.
/// Deterministic: same docs, same bytes, whatever their order.
pub fn build_index(docs: &[SearchDoc]) -> IndexFiles {
    index(docs, None, None)
}

/// Gives the `text` of a document that was left without it.
pub type TextOf<'a> = dyn Fn(&SearchDoc) -> String + Sync + 'a;

/// [`build_index`] of documents whose `text` is empty, each text made by `text` when its
/// document is analysed and dropped after: only a batch of texts is held at a time, where the
/// documents together would hold every entry's.
pub fn build_index_with_texts(docs: &[SearchDoc], text: &TextOf) -> IndexFiles {
    index(docs, None, Some(text))
}

fn index(docs: &[SearchDoc], cache: Option<&AnalysisCache>, text: Option<&TextOf>) -> IndexFiles {
    let docs = sorted(docs);
    let (inverted, postings) = invert(&docs, cache, text);
    let mut files = Files::default();
    let vocab_firsts = write_terms(&inverted, postings, &mut files);
    let DocFiles { files: doc_files, shape } = doc_files(&docs);
    files.0.extend(doc_files);
    finish(docs.len(), vocab_firsts, &inverted.stats, &shape, files)
}

/// Documents in index order: by href (then code, for documents without one).
pub(super) fn sorted(docs: &[SearchDoc]) -> Vec<&SearchDoc> {
    let mut docs: Vec<&SearchDoc> = docs.iter().collect();
    docs.sort_by(|a, b| a.href.cmp(&b.href).then_with(|| a.code.cmp(&b.code)));
    docs
}

/// What `meta.js` says of the document and code shards.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct DocShape {
    code_shards: usize,
    /// The first key of each shard of sorted keys.
    keys: Vec<String>,
    categories: Vec<(String, String)>,
    severities: Vec<String>,
    /// (document, 1 deprecated or 2 retired), by document.
    demoted: Vec<(usize, u8)>,
    /// (product id, name, documents), by id: the `applies_to` filter.
    products: Vec<(String, String, Vec<usize>)>,
}

/// The files of an index that depend on its documents alone, and their shape.
pub(super) struct DocFiles {
    pub(super) files: IndexFiles,
    pub(super) shape: DocShape,
}

/// The code shards, the document shards, the facets and the triage data.
pub(super) fn doc_files(docs: &[&SearchDoc]) -> DocFiles {
    let mut files = Files::default();
    let code_shards = write_codes(docs, &mut files);
    let keys = write_keys(docs, &mut files);
    let (categories, severities) = write_docs(docs, &mut files);
    files.0.push(triage_file(docs));
    let demoted =
        docs.iter().enumerate().filter(|(_, d)| d.demotion > 0).map(|(i, d)| (i, d.demotion)).collect();
    let shape = DocShape { code_shards, keys, categories, severities, demoted, products: products(docs) };
    DocFiles { files: files.0, shape }
}

/// Each product of `applies_to` with the documents that name it; a product's id is its name in
/// lowercase, its name the first spelling met.
fn products(docs: &[&SearchDoc]) -> Vec<(String, String, Vec<usize>)> {
    let mut by_id: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        for product in &doc.products {
            let (_, list) =
                by_id.entry(product.to_lowercase()).or_insert_with(|| (product.clone(), Vec::new()));
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    by_id.into_iter().map(|(id, (name, list))| (id, name, list)).collect()
}

/// Adds `meta.js` to `files`, every other file of the index; returns them sorted by path.
pub(super) fn finish(
    doc_count: usize,
    vocab_firsts: Vec<&str>,
    stats: &Stats,
    shape: &DocShape,
    mut files: Files,
) -> IndexFiles {
    let hash = files.hash();
    let meta = Meta {
        format: FORMAT,
        hash: &hash,
        docs: doc_count,
        doc_shard: DOC_SHARD,
        code_shards: shape.code_shards,
        keys: &shape.keys,
        vocab: vocab_firsts,
        categories: &shape.categories,
        severities: &shape.severities,
        demoted: &shape.demoted,
        products: &shape.products,
        scale: stats.max_impact / MAX_IMPACT,
        alphabet: std::str::from_utf8(ALPHABET).expect("the alphabet is ASCII"),
        analysis: text::tables(),
        near: super::near::RULE,
    };
    files.add("meta", &meta);
    files.0.sort_by(|a, b| a.path.cmp(&b.path));
    files.0
}

/// The inverted index but for its postings: each term, and the order of the terms.
struct Inverted {
    names: Vec<String>,
    /// Whether each term is some entry's whole code: typos never reach it.
    code_term: Vec<bool>,
    lens: Vec<[u32; NF]>,
    /// Indexes of `names`, sorted as the browser compares strings (by UTF-16 code units).
    order: Vec<usize>,
    stats: Stats,
}

/// What scoring needs to know of the whole collection: BM25's document count and mean field
/// lengths, and the largest impact, which quantised impacts are fractions of.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Stats {
    n: f64,
    avg: [f64; NF],
    pub(super) max_impact: f64,
}

impl Stats {
    /// The statistics of documents with these field lengths; `max_impact` is set later.
    pub(super) fn of(lens: &[[u32; NF]]) -> Stats {
        let n = lens.len() as f64;
        let mut avg = [0.0f64; NF];
        for l in lens {
            for (a, &x) in avg.iter_mut().zip(l) {
                *a += f64::from(x);
            }
        }
        for a in &mut avg {
            *a = if *a > 0.0 { *a / n } else { 1.0 };
        }
        Stats { n, avg, max_impact: 0.0 }
    }

    /// BM25F of a term with document frequency `df` in a document with these frequencies and
    /// field lengths.
    pub(super) fn score(&self, df: usize, tf: &Tf, len: &[u32; NF]) -> f64 {
        self.score_normed(self.idf(df), tf, |f| self.norm(f, len[f]))
    }

    /// The inverse document frequency of a term in `df` documents.
    pub(super) fn idf(&self, df: usize) -> f64 {
        let df = df as f64;
        (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln()
    }

    /// BM25's length normalisation of field `f` of `len` terms.
    pub(super) fn norm(&self, f: usize, len: u32) -> f64 {
        let b = FIELDS[f].b;
        1.0 - b + b * f64::from(len) / self.avg[f]
    }

    /// Every field's [`Stats::norm`] for documents with these field lengths.
    pub(super) fn norms(&self, lens: &[[u32; NF]]) -> Vec<[f64; NF]> {
        lens.iter().map(|len| std::array::from_fn(|f| self.norm(f, len[f]))).collect()
    }

    /// [`Stats::score`] with the term's idf and the document's normalisation given: the same
    /// arithmetic in the same order, so the same bits.
    pub(super) fn score_normed(&self, idf: f64, tf: &Tf, norm: impl Fn(usize) -> f64) -> f64 {
        let mut weighted = 0.0;
        for (f, field) in FIELDS.iter().enumerate() {
            if tf[f] > 0 {
                weighted += field.weight * f64::from(tf[f]) / norm(f);
            }
        }
        idf * weighted * (K1 + 1.0) / (weighted + K1)
    }

    /// The fields whose normalisation differs under `other` (every field when the number of
    /// documents does, as every idf then moves).
    pub(super) fn moved_fields(&self, other: &Stats) -> [bool; NF] {
        std::array::from_fn(|f| self.n != other.n || self.avg[f] != other.avg[f])
    }

    /// The largest score among these postings lists, for [`Stats::quantise`].
    fn max_score(&self, lists: &[PackedPostings], lens: &[[u32; NF]]) -> f64 {
        lists
            .par_iter()
            .map(|p| p.iter().map(|(d, tf)| self.score(p.len(), &tf, &lens[d as usize])).fold(0.0, f64::max))
            .reduce(|| 0.0, f64::max)
    }

    /// An impact as one of 63 steps of the largest one (a larger one is the last step).
    pub(super) fn quantise(&self, x: f64) -> u8 {
        if self.max_impact > 0.0 {
            (x / self.max_impact * MAX_IMPACT).round().clamp(1.0, MAX_IMPACT) as u8
        } else {
            1
        }
    }

    /// The quantised postings of a term from its per-field frequencies.
    fn impacts(&self, raw: &PackedPostings, lens: &[[u32; NF]]) -> Vec<(u32, u8)> {
        let df = raw.len();
        raw.iter().map(|(d, tf)| (d, self.quantise(self.score(df, &tf, &lens[d as usize])))).collect()
    }
}

/// Every document analysed, and its terms gathered: the postings of each term by document,
/// with the term's frequency per field.
pub(super) struct Gathered<P> {
    pub(super) analysed: Vec<Arc<Analysed>>,
    pub(super) names: Vec<String>,
    pub(super) code_term: Vec<bool>,
    pub(super) raw: Vec<P>,
    pub(super) lens: Vec<[u32; NF]>,
}

/// Where [`gather`] puts a term's postings, one document after another in document order.
pub(super) trait Postings: Default {
    fn push(&mut self, doc: u32, tf: &Tf);
}

impl Postings for Vec<(u32, Tf)> {
    fn push(&mut self, doc: u32, tf: &Tf) {
        Vec::push(self, (doc, *tf));
    }
}

/// A term's postings packed while every document is gathered: for each posting, the gap from
/// the document before it (LEB128), a byte with a bit for each field the term is in, and the
/// frequency in each of those fields. Most postings take three bytes, where a (document,
/// frequencies) pair takes twelve: a build holds every posting of the site until it is scored.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub(super) struct PackedPostings {
    bytes: Vec<u8>,
    last: u32,
    len: u32,
}

const _: () = assert!(NF <= 8, "a field mask is one byte");

impl Postings for PackedPostings {
    fn push(&mut self, doc: u32, tf: &Tf) {
        debug_assert!(self.len == 0 || doc > self.last, "postings are pushed in document order");
        let mut gap = doc - self.last;
        while gap >= 0x80 {
            self.bytes.push(0x80 | (gap & 0x7f) as u8);
            gap >>= 7;
        }
        self.bytes.push(gap as u8);
        let at = self.bytes.len();
        self.bytes.push(0);
        for (f, &n) in tf.iter().enumerate() {
            if n > 0 {
                self.bytes[at] |= 1 << f;
                self.bytes.push(n);
            }
        }
        self.last = doc;
        self.len += 1;
    }
}

impl PackedPostings {
    pub(super) fn len(&self) -> usize {
        self.len as usize
    }

    /// The postings, by document.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, Tf)> + '_ {
        let mut bytes = self.bytes.iter().copied();
        let mut doc = 0u32;
        std::iter::from_fn(move || {
            let mut byte = bytes.next()?;
            let (mut gap, mut shift) = (0u32, 0);
            while byte & 0x80 != 0 {
                gap |= u32::from(byte & 0x7f) << shift;
                shift += 7;
                byte = bytes.next().expect("a gap ends with a byte below 128");
            }
            doc += gap | (u32::from(byte) << shift);
            let mask = bytes.next().expect("a field mask follows each gap");
            let mut tf = Tf::default();
            for (f, n) in tf.iter_mut().enumerate() {
                if mask & (1 << f) != 0 {
                    *n = bytes.next().expect("a frequency for each field of the mask");
                }
            }
            Some((doc, tf))
        })
    }
}

/// Analyses `docs` (through `cache` when there is one) and gathers their terms, in a first-seen
/// order. `keep` keeps the analyses, which only the live index needs.
pub(super) fn gather<P: Postings>(
    docs: &[&SearchDoc],
    cache: Option<&AnalysisCache>,
    text: Option<&TextOf>,
    keep: bool,
) -> Gathered<P> {
    let mut ids: FxMap<String, usize> = FxMap::default();
    let mut gathered = Gathered {
        analysed: Vec::new(),
        names: Vec::new(),
        code_term: Vec::new(),
        raw: Vec::new(),
        lens: Vec::with_capacity(docs.len()),
    };
    for (b, batch) in docs.chunks(BATCH).enumerate() {
        // Each worker analyses a run of the batch; then the batch merges into the whole in
        // document order.
        let analysed: Vec<Arc<Analysed>> = batch
            .par_iter()
            .map(|d| match (text, cache) {
                (Some(text), _) => Arc::new(analyse_with(d, &text(d))),
                (None, Some(cache)) => cache.analyse(d),
                (None, None) => Arc::new(analyse(d)),
            })
            .collect();
        for (i, a) in analysed.iter().enumerate() {
            let doc = u32::try_from(b * BATCH + i).expect("fewer than 2^32 entries");
            gathered.lens.push(a.lens);
            let whole_code = a.code_term.as_deref();
            for (term, tf) in a.terms() {
                let is_code = whole_code == Some(term);
                let id = match ids.get(term) {
                    Some(&id) => id,
                    None => {
                        gathered.names.push(term.to_owned());
                        gathered.code_term.push(false);
                        gathered.raw.push(P::default());
                        ids.insert(term.to_owned(), gathered.names.len() - 1);
                        gathered.names.len() - 1
                    }
                };
                gathered.code_term[id] |= is_code;
                gathered.raw[id].push(doc, tf);
            }
        }
        if keep {
            gathered.analysed.extend(analysed);
        }
    }
    gathered
}

/// The terms of `docs` and, apart, their postings as gathered.
fn invert(
    docs: &[&SearchDoc],
    cache: Option<&AnalysisCache>,
    text: Option<&TextOf>,
) -> (Inverted, Vec<PackedPostings>) {
    let Gathered { names, code_term, raw, lens, .. } = gather(docs, cache, text, false);
    let mut stats = Stats::of(&lens);
    stats.max_impact = stats.max_score(&raw, &lens);
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.par_sort_unstable_by(|&a, &b| utf16_order(&names[a], &names[b]));
    (Inverted { names, code_term, lens, order, stats }, raw)
}

/// The order of terms in the index: the browser's, which compares UTF-16 code units.
pub(super) fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Appends `v` in base-64 VLQ.
fn vlq(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(ALPHABET[(32 | (v & 31)) as usize] as char);
        v >>= 5;
    }
    out.push(ALPHABET[v as usize] as char);
}

/// A postings list as text: for each posting, the gap from the previous document in VLQ, then
/// the impact as one character.
fn encode_postings(postings: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(postings.len() * 3);
    let mut prev = 0;
    for &(doc, impact) in postings {
        vlq(&mut out, u64::from(doc - prev));
        out.push(ALPHABET[usize::from(impact)] as char);
        prev = doc;
    }
    out
}

/// The postings list [`encode_postings`] wrote, for the tests of the format. The engine that
/// readers use has its own decoder (`static/assets/search/engine.js`); the tests rank through it.
#[cfg(test)]
pub(super) fn decode_postings(s: &str) -> Vec<(u32, u8)> {
    let digit = |c: u8| ALPHABET.iter().position(|&a| a == c).expect("a digit of the alphabet") as u64;
    let mut bytes = s.bytes();
    let mut out = Vec::new();
    let mut doc = 0u64;
    while let Some(first) = bytes.next() {
        let (mut d, mut gap, mut shift) = (digit(first), 0u64, 0);
        loop {
            gap |= (d & 31) << shift;
            shift += 5;
            if d & 32 == 0 {
                break;
            }
            d = digit(bytes.next().expect("a number ends with a digit below 32"));
        }
        doc += gap;
        let impact = digit(bytes.next().expect("an impact follows each gap"));
        out.push((u32::try_from(doc).expect("a document number"), impact as u8));
    }
    out
}

/// A term's encoded postings: those its part holds, and all of them when those are only the strongest.
pub(super) struct EncodedTerm {
    pub(super) head: String,
    pub(super) full: Option<String>,
}

/// A term's postings as its part holds them, and the whole list when the part holds only its
/// strongest postings.
pub(super) fn encode_term(postings: &[(u32, u8)]) -> EncodedTerm {
    if postings.len() > MAX_HEAD_POSTINGS {
        EncodedTerm { head: encode_postings(&head(postings)), full: Some(encode_postings(postings)) }
    } else {
        EncodedTerm { head: encode_postings(postings), full: None }
    }
}

/// The strongest [`MAX_HEAD_POSTINGS`] postings, by document.
fn head(postings: &[(u32, u8)]) -> Vec<(u32, u8)> {
    let mut by_impact = postings.to_vec();
    by_impact.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by_impact.truncate(MAX_HEAD_POSTINGS);
    by_impact.sort_unstable();
    by_impact
}

#[derive(Serialize)]
struct VocabShard<'a> {
    /// The terms, sorted.
    t: Vec<&'a str>,
    /// Their document frequencies, in VLQ.
    d: String,
    /// Indexes of the terms that come from codes.
    c: Vec<usize>,
    /// The index of the first term of each postings part.
    p: Vec<usize>,
}

/// The index of the first term of each vocabulary shard, for terms of these lengths in order.
pub(super) fn layout(lengths: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut bytes = 0;
    for (i, len) in lengths.enumerate() {
        if starts.is_empty() || bytes >= VOCAB_SHARD_BYTES {
            starts.push(i);
            bytes = 0;
        }
        bytes += len + 4;
    }
    starts
}

/// Writes the vocabulary shards and their postings; returns the first term of each shard.
/// Each shard's terms are scored and encoded together, and their gathered postings dropped.
fn write_terms<'a>(inv: &'a Inverted, mut raw: Vec<PackedPostings>, files: &mut Files) -> Vec<&'a str> {
    let Inverted { names, code_term, lens, order, stats } = inv;
    let starts = layout(order.iter().map(|&t| names[t].len()));
    for (shard, &start) in starts.iter().enumerate() {
        let end = starts.get(shard + 1).copied().unwrap_or(order.len());
        let ids = &order[start..end];
        let encoded: Vec<(usize, EncodedTerm)> =
            ids.par_iter().map(|&id| (raw[id].len(), encode_term(&stats.impacts(&raw[id], lens)))).collect();
        for &id in ids {
            raw[id] = PackedPostings::default();
        }
        let terms = ids.iter().zip(encoded).map(|(&id, (df, EncodedTerm { head, full }))| ShardTerm {
            text: &names[id],
            code: code_term[id],
            df,
            head,
            full,
        });
        write_vocab_shard(shard, terms, files);
    }
    starts.iter().map(|&start| names[order[start]].as_str()).collect()
}

/// A term as its vocabulary shard and postings part hold it.
pub(super) struct ShardTerm<'a, S: AsRef<str>> {
    pub(super) text: &'a str,
    pub(super) code: bool,
    pub(super) df: usize,
    /// The encoded postings the part holds.
    pub(super) head: S,
    /// The whole encoded list, when the part holds only its strongest postings.
    pub(super) full: Option<S>,
}

/// Writes `v/<shard>` and its postings parts and whole lists.
pub(super) fn write_vocab_shard<'a, S: AsRef<str>>(
    shard: usize,
    terms: impl Iterator<Item = ShardTerm<'a, S>>,
    files: &mut Files,
) {
    let mut vocab = VocabShard { t: Vec::new(), d: String::new(), c: Vec::new(), p: Vec::new() };
    let mut part: Vec<S> = Vec::new();
    let mut part_bytes = 0;
    for (i, term) in terms.enumerate() {
        vocab.t.push(term.text);
        vlq(&mut vocab.d, term.df as u64);
        if term.code {
            vocab.c.push(i);
        }
        if let Some(full) = &term.full {
            files.add(&format!("f/{shard}-{i}"), &full.as_ref());
        }
        if part.is_empty() || part_bytes >= POSTINGS_PART_BYTES {
            if !part.is_empty() {
                let strings: Vec<&str> = part.iter().map(AsRef::as_ref).collect();
                files.add(&format!("p/{shard}-{}", vocab.p.len() - 1), &strings);
                part.clear();
            }
            vocab.p.push(i);
            part_bytes = 0;
        }
        part_bytes += term.head.as_ref().len();
        part.push(term.head);
    }
    if !part.is_empty() {
        let strings: Vec<&str> = part.iter().map(AsRef::as_ref).collect();
        files.add(&format!("p/{shard}-{}", vocab.p.len() - 1), &strings);
    }
    files.add(&format!("v/{shard}"), &vocab);
}

/// Writes the code shards; returns how many there are.
fn write_codes(docs: &[&SearchDoc], files: &mut Files) -> usize {
    let mut codes: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let key = code_key(&doc.code);
        if !key.is_empty() {
            codes.entry(key).or_default().push(i as u32);
        }
    }
    let count = codes.len().div_ceil(CODES_PER_SHARD).max(1);
    let mut shards: Vec<BTreeMap<&str, &[u32]>> = vec![BTreeMap::new(); count];
    for (key, ids) in &codes {
        shards[fnv1a(key) as usize % count].insert(key, ids);
    }
    for (i, shard) in shards.iter().enumerate() {
        files.add(&format!("c/{i}"), shard);
    }
    count
}

/// The slug of a document: its href is `<category>/<slug>/`, with the index suffix after it.
fn slug_of(doc: &SearchDoc) -> &str {
    doc.href.split('/').nth(1).unwrap_or("")
}

/// One key of `k/`: `[key, [documents whose code it is]]`, with `[documents whose slug it is]`
/// after them when there are any.
type KeyRow = serde_json::Value;

/// Writes the shards of sorted keys (every code key and slug key, in the browser's order);
/// returns the first key of each.
fn write_keys(docs: &[&SearchDoc], files: &mut Files) -> Vec<String> {
    let mut keys: BTreeMap<String, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        for (key, slug) in [(code_key(&doc.code), false), (code_key(slug_of(doc)), true)] {
            if !key.is_empty() {
                let lists = keys.entry(key).or_default();
                let list = if slug { &mut lists.1 } else { &mut lists.0 };
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
    }
    let mut sorted: Vec<_> = keys.iter().collect();
    sorted.sort_by(|a, b| utf16_order(a.0, b.0));
    let mut firsts = Vec::new();
    let mut shard: Vec<KeyRow> = Vec::new();
    let mut bytes = 0;
    let flush = |shard: &mut Vec<KeyRow>, files: &mut Files, firsts: &mut Vec<String>| {
        if let Some(first) = shard.first() {
            firsts.push(first[0].as_str().expect("a key is a string").to_owned());
            files.add(&format!("k/{}", firsts.len() - 1), shard);
            shard.clear();
        }
    };
    for (key, (code, slug)) in sorted {
        if bytes >= KEY_SHARD_BYTES {
            flush(&mut shard, files, &mut firsts);
            bytes = 0;
        }
        bytes += key.len() + 8 * (code.len() + slug.len()) + 8;
        shard.push(if slug.is_empty() {
            serde_json::json!([key, code])
        } else {
            serde_json::json!([key, code, slug])
        });
    }
    flush(&mut shard, files, &mut firsts);
    firsts
}

/// A document as a result shows it: href, code, title, category index, severity index,
/// summary, aliases.
type DocRow<'a> = (&'a str, &'a str, &'a str, usize, usize, &'a str, &'a [String]);

/// Writes the document shards; returns the categories as (id, name) and the severities, which
/// the rows refer to by index.
fn write_docs(docs: &[&SearchDoc], files: &mut Files) -> (Vec<(String, String)>, Vec<String>) {
    let categories: Vec<(String, String)> = docs
        .iter()
        .map(|d| (d.category.clone(), d.category_name.clone()))
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let mut severities: Vec<String> = docs.iter().map(|d| d.severity.clone()).collect();
    severities.sort_by_key(|s| {
        let rank = SEVERITY_ORDER.iter().position(|x| x == s).unwrap_or(SEVERITY_ORDER.len());
        (rank, s.clone())
    });
    severities.dedup();
    let (category_index, severity_index) = facet_indexes(&categories, &severities);
    for (i, chunk) in docs.chunks(DOC_SHARD).enumerate() {
        write_rows(i, chunk, &category_index, &severity_index, files);
    }
    let mut facets = Facets { c: String::new(), s: String::new() };
    for d in docs {
        vlq(&mut facets.c, category_index[d.category.as_str()] as u64);
        vlq(&mut facets.s, severity_index[d.severity.as_str()] as u64);
    }
    files.add("facets", &facets);
    (categories, severities)
}

type FacetIndex<'a> = HashMap<&'a str, usize>;

/// Where each category and severity is in the lists `meta.js` holds.
fn facet_indexes<'a>(
    categories: &'a [(String, String)],
    severities: &'a [String],
) -> (FacetIndex<'a>, FacetIndex<'a>) {
    let category_index = categories.iter().enumerate().map(|(i, c)| (c.0.as_str(), i)).collect();
    let severity_index = severities.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    (category_index, severity_index)
}

/// Writes `d/<shard>`, the rows of `chunk`.
fn write_rows(
    shard: usize,
    chunk: &[&SearchDoc],
    category_index: &FacetIndex<'_>,
    severity_index: &FacetIndex<'_>,
    files: &mut Files,
) {
    let rows: Vec<DocRow> = chunk
        .iter()
        .map(|d| {
            (
                d.href.as_str(),
                d.code.as_str(),
                d.title.as_str(),
                category_index[d.category.as_str()],
                severity_index[d.severity.as_str()],
                d.summary.as_str(),
                d.aliases.as_slice(),
            )
        })
        .collect();
    files.add(&format!("d/{shard}"), &rows);
}

/// `search/triage.js`: what the browser matches a pasted log with.
pub(super) fn triage_file(docs: &[&SearchDoc]) -> IndexFile {
    let mut files = Files::default();
    files.add("triage", &super::triage::index_data(docs));
    files.0.pop().expect("one file written")
}

/// Each document's category and severity index, in VLQ.
#[derive(Serialize)]
struct Facets {
    c: String,
    s: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'a> {
    format: u32,
    /// Changes whenever any other file does; the engine asks for shards with `?v=hash`.
    hash: &'a str,
    docs: usize,
    doc_shard: usize,
    code_shards: usize,
    /// The first key of each shard of `k/`.
    keys: &'a [String],
    /// The first term of each vocabulary shard.
    vocab: Vec<&'a str>,
    categories: &'a [(String, String)],
    severities: &'a [String],
    /// Deprecated (1) and retired (2) documents, ranked below current ones.
    demoted: &'a [(usize, u8)],
    /// (id, name, documents) of each product entries apply to.
    products: &'a [(String, String, Vec<usize>)],
    /// An impact of 1 is worth this much BM25.
    scale: f64,
    /// The digits of the VLQ numbers and of impacts.
    alphabet: &'a str,
    /// How text is read: what the engine needs to cut a query into the terms the index holds.
    analysis: text::Tables,
    /// The numbers of the nearest-code rule ([`super::near`]).
    near: super::near::Rule,
}

/// Whether `path` (relative to the output root) is one of the files an index is made of: the
/// search page beside them is not.
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".js")
}

/// Files of the index.
pub type IndexFiles = Vec<IndexFile>;

/// One file of the index: its path relative to the output root, and its bytes. The bytes are
/// shared: the preview server keeps them between builds and serves them from memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexFile {
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
}

/// The files written so far.
#[derive(Default)]
pub(super) struct Files(pub(super) IndexFiles);

impl Files {
    /// Adds `search/<name>.js`, which registers `data` under `name`.
    pub(super) fn add(&mut self, name: &str, data: &impl Serialize) {
        let json = serde_json::to_string(data).expect("index data serialises");
        let script = format!("errorbookShard(\"{name}\",{json});\n");
        self.0.push(IndexFile { path: format!("search/{name}.js"), bytes: Arc::new(script.into_bytes()) });
    }

    /// A digest of every path and file, as 16 hex digits: the digest of each file's path and
    /// bytes (in parallel), then of those digests in path order.
    fn hash(&self) -> String {
        let mut sorted: Vec<(&str, digest::Digest)> = self
            .0
            .par_iter()
            .map(|file| (file.path.as_str(), digest::of(&[file.path.as_bytes(), &file.bytes])))
            .collect();
        sorted.sort_unstable();
        let mut hasher = digest::Hasher::new();
        for (_, file) in &sorted {
            hasher.part(&file.0);
        }
        hasher.finish().hex()[..16].to_owned()
    }
}
