//! Building the sharded index. The file format is described in `docs/search.md`.
//!
//! Every file is a script that hands its data to `errorbookShard(name, data)`, so the browser
//! can load it with a `<script>` element, which works from `file://` where `fetch` does not.
//!
//! - `search/meta.js`: counts, the first term of every vocabulary shard, categories, severities.
//! - `search/v/N.js`: a vocabulary shard: sorted terms (words, numbers, and the word pairs of
//!   aliases), their document frequencies, which of them are whole codes, and where their
//!   postings parts start.
//! - `search/p/N-M.js`: postings for a run of the terms of vocabulary shard N.
//! - `search/f/N-I.js`: the whole postings list of term I of shard N, where the part holds only
//!   its strongest postings.
//! - `search/c/N.js`: code keys hashed to shard N, with their documents.
//! - `search/d/N.js`: what a result shows, for a run of documents.
//! - `search/facets.js`: every document's category and severity, for filters.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::text::{bigrams, code_key, fnv1a, phrase_tokens, scan_with, term_of};
use super::SearchDoc;
use crate::digest::{self, Digest, Memo};

/// Bumped when the file format changes.
const FORMAT: u32 = 1;

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
/// Documents analysed at once; bounds the memory the analysis holds.
const BATCH: usize = 4096;

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
const NF: usize = FIELDS.len();

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;

/// A hash map with a fast, non-cryptographic hasher: keys are the site's own terms.
type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The hasher of the Rust compiler (multiply-rotate over 8-byte words).
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ rest.len() as u64);
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

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
type Tf = [u8; NF];

/// One document's terms, with their frequencies per field, and its field lengths.
struct Analysed {
    lens: [u32; NF],
    terms: Vec<(String, Tf)>,
    /// The code, when it is one term (`ECONNREFUSED`, `503`; not `Cannot connect to …`).
    code_term: Option<String>,
}

/// The analysis of documents from earlier builds, by a digest of everything analysed, so the
/// preview server analyses only the entries an edit changed.
#[derive(Default)]
pub struct AnalysisCache {
    memo: Memo<Arc<Analysed>>,
}

impl AnalysisCache {
    fn analyse(&self, doc: &SearchDoc) -> Arc<Analysed> {
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

fn analyse(doc: &SearchDoc) -> Analysed {
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
    add(6, &doc.text);
    for alias in &doc.aliases {
        for pair in bigrams(&phrase_tokens(alias)) {
            count(7, pair, &mut lens, &mut terms);
        }
    }
    let mut code_terms = super::text::terms(&doc.code);
    let code_term = if code_terms.len() == 1 { code_terms.pop() } else { None };
    Analysed { lens, terms, code_term }
}

/// Every file of the index, as (path relative to the output root, bytes), sorted by path.
/// Deterministic: same docs, same bytes, whatever their order.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    index(docs, None)
}

/// [`build_index`], analysing only the documents `cache` has not seen. The analyses stay in
/// memory for the next build, so a one-off build is better off without.
pub fn build_index_cached(docs: &[SearchDoc], cache: &AnalysisCache) -> Vec<(String, Vec<u8>)> {
    cache.memo.start();
    let files = index(docs, Some(cache));
    cache.memo.finish();
    files
}

fn index(docs: &[SearchDoc], cache: Option<&AnalysisCache>) -> Vec<(String, Vec<u8>)> {
    let mut docs: Vec<&SearchDoc> = docs.iter().collect();
    docs.sort_by(|a, b| a.href.cmp(&b.href).then_with(|| a.code.cmp(&b.code)));

    let inverted = invert(&docs, cache);
    let scale = inverted.max_impact / MAX_IMPACT;
    let mut files = Files::default();

    let vocab_firsts = write_terms(&inverted, &mut files);
    let code_shards = write_codes(&docs, &mut files);
    let (categories, severities) = write_docs(&docs, &mut files);

    let hash = files.hash();
    let meta = Meta {
        format: FORMAT,
        hash: &hash,
        docs: docs.len(),
        doc_shard: DOC_SHARD,
        code_shards,
        vocab: vocab_firsts,
        categories,
        severities,
        scale,
    };
    files.add("meta", &meta);
    files.0.sort_by(|a, b| a.0.cmp(&b.0));
    files.0
}

/// The inverted index: each term with its postings, impacts quantised.
struct Inverted {
    /// Sorted as the browser compares strings (by UTF-16 code units).
    terms: Vec<Term>,
    max_impact: f64,
}

struct Term {
    text: String,
    /// Whether the term is some entry's whole code: typos never reach it.
    code: bool,
    /// (document, impact 1..=63), by document.
    postings: Vec<(u32, u8)>,
}

fn invert(docs: &[&SearchDoc], cache: Option<&AnalysisCache>) -> Inverted {
    let mut ids: FxMap<String, usize> = FxMap::default();
    let mut names: Vec<String> = Vec::new();
    let mut code_term: Vec<bool> = Vec::new();
    let mut raw: Vec<Vec<(u32, Tf)>> = Vec::new();
    let mut lens: Vec<[u32; NF]> = Vec::with_capacity(docs.len());
    for (b, batch) in docs.chunks(BATCH).enumerate() {
        // Each worker inverts a run of the batch; runs merge in order, then the batch merges
        // into the whole: one look-up per distinct term of a batch, not per posting.
        let analysed: Vec<Arc<Analysed>> = batch
            .par_iter()
            .map(|d| cache.map_or_else(|| Arc::new(analyse(d)), |cache| cache.analyse(d)))
            .collect();
        for (i, a) in analysed.iter().enumerate() {
            let doc = u32::try_from(b * BATCH + i).expect("fewer than 2^32 entries");
            lens.push(a.lens);
            let whole_code = a.code_term.as_deref();
            for (term, tf) in &a.terms {
                let is_code = whole_code == Some(term.as_str());
                let id = match ids.get(term.as_str()) {
                    Some(&id) => id,
                    None => {
                        names.push(term.clone());
                        code_term.push(false);
                        raw.push(Vec::new());
                        ids.insert(term.clone(), names.len() - 1);
                        names.len() - 1
                    }
                };
                code_term[id] |= is_code;
                raw[id].push((doc, *tf));
            }
        }
    }
    drop(ids);

    let n = docs.len() as f64;
    let mut avg = [0.0f64; NF];
    for l in &lens {
        for (a, &x) in avg.iter_mut().zip(l) {
            *a += f64::from(x);
        }
    }
    for a in &mut avg {
        *a = if *a > 0.0 { *a / n } else { 1.0 };
    }

    let score = |df: usize, tf: &Tf, len: &[u32; NF]| -> f64 {
        let df = df as f64;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut weighted = 0.0;
        for (f, field) in FIELDS.iter().enumerate() {
            if tf[f] > 0 {
                let norm = 1.0 - field.b + field.b * f64::from(len[f]) / avg[f];
                weighted += field.weight * f64::from(tf[f]) / norm;
            }
        }
        idf * weighted * (K1 + 1.0) / (weighted + K1)
    };
    let max_impact = raw
        .par_iter()
        .map(|p| p.iter().map(|(d, tf)| score(p.len(), tf, &lens[*d as usize])).fold(0.0, f64::max))
        .reduce(|| 0.0, f64::max);
    let quantise = |x: f64| -> u8 {
        if max_impact > 0.0 {
            (x / max_impact * MAX_IMPACT).round().clamp(1.0, MAX_IMPACT) as u8
        } else {
            1
        }
    };
    let postings: Vec<Vec<(u32, u8)>> = raw
        .into_par_iter()
        .map(|p| {
            let df = p.len();
            p.iter().map(|(d, tf)| (*d, quantise(score(df, tf, &lens[*d as usize])))).collect()
        })
        .collect();

    let mut terms: Vec<Term> = names
        .into_iter()
        .zip(code_term)
        .zip(postings)
        .map(|((text, code), postings)| Term { text, code, postings })
        .collect();
    terms.par_sort_unstable_by(|a, b| a.text.encode_utf16().cmp(b.text.encode_utf16()));
    Inverted { terms, max_impact }
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

/// Writes the vocabulary shards and their postings; returns the first term of each shard.
fn write_terms<'a>(inv: &'a Inverted, files: &mut Files) -> Vec<&'a str> {
    let mut firsts = Vec::new();
    let mut start = 0;
    while start < inv.terms.len() {
        let mut end = start;
        let mut bytes = 0;
        while end < inv.terms.len() && (end == start || bytes < VOCAB_SHARD_BYTES) {
            bytes += inv.terms[end].text.len() + 4;
            end += 1;
        }
        let shard = firsts.len();
        firsts.push(inv.terms[start].text.as_str());
        write_vocab_shard(shard, &inv.terms[start..end], files);
        start = end;
    }
    firsts
}

fn write_vocab_shard(shard: usize, terms: &[Term], files: &mut Files) {
    let mut vocab = VocabShard { t: Vec::new(), d: String::new(), c: Vec::new(), p: Vec::new() };
    let mut part: Vec<String> = Vec::new();
    let mut part_bytes = 0;
    for (i, term) in terms.iter().enumerate() {
        vocab.t.push(&term.text);
        vlq(&mut vocab.d, term.postings.len() as u64);
        if term.code {
            vocab.c.push(i);
        }
        let encoded = if term.postings.len() > MAX_HEAD_POSTINGS {
            files.add(&format!("f/{shard}-{i}"), &encode_postings(&term.postings));
            encode_postings(&head(&term.postings))
        } else {
            encode_postings(&term.postings)
        };
        if part.is_empty() || part_bytes >= POSTINGS_PART_BYTES {
            if !part.is_empty() {
                files.add(&format!("p/{shard}-{}", vocab.p.len() - 1), &part);
                part.clear();
            }
            vocab.p.push(i);
            part_bytes = 0;
        }
        part_bytes += encoded.len();
        part.push(encoded);
    }
    if !part.is_empty() {
        files.add(&format!("p/{shard}-{}", vocab.p.len() - 1), &part);
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
    let category_index: HashMap<&str, usize> =
        categories.iter().enumerate().map(|(i, c)| (c.0.as_str(), i)).collect();
    let severity_index: HashMap<&str, usize> =
        severities.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    for (i, chunk) in docs.chunks(DOC_SHARD).enumerate() {
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
        files.add(&format!("d/{i}"), &rows);
    }
    let mut facets = Facets { c: String::new(), s: String::new() };
    for d in docs {
        vlq(&mut facets.c, category_index[d.category.as_str()] as u64);
        vlq(&mut facets.s, severity_index[d.severity.as_str()] as u64);
    }
    files.add("facets", &facets);
    (categories, severities)
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
    /// The first term of each vocabulary shard.
    vocab: Vec<&'a str>,
    categories: Vec<(String, String)>,
    severities: Vec<String>,
    /// An impact of 1 is worth this much BM25.
    scale: f64,
}

/// The files written so far, as (path, bytes).
#[derive(Default)]
struct Files(Vec<(String, Vec<u8>)>);

impl Files {
    /// Adds `search/<name>.js`, which registers `data` under `name`.
    fn add(&mut self, name: &str, data: &impl Serialize) {
        let json = serde_json::to_string(data).expect("index data serialises");
        let script = format!("errorbookShard(\"{name}\",{json});\n");
        self.0.push((format!("search/{name}.js"), script.into_bytes()));
    }

    /// 64-bit FNV-1a over every path and file, in path order, as hex.
    fn hash(&self) -> String {
        let mut sorted: Vec<&(String, Vec<u8>)> = self.0.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (path, bytes) in sorted {
            for &b in path.as_bytes().iter().chain([0u8].iter()).chain(bytes) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{h:016x}")
    }
}
