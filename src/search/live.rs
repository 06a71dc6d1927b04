//! The preview server's index: kept in memory between builds and changed in place, so that
//! saving an entry scores and encodes again only what the save changed.
//!
//! A full build scores every posting with statistics of the whole collection (the number of
//! documents, the mean length of each field, the largest impact) and cuts the vocabulary into
//! shards by size. A [`LiveIndex`] keeps every posting's score and every document's length
//! normalisation; after an edit it scores the edited entry's postings again, or every posting
//! when a field's mean length moved, quantises again what the largest score makes stale, cuts
//! the vocabulary as a full build would and encodes only the shards whose terms or bounds
//! changed. Its files are always byte for byte those of [`super::build_index`] on the same
//! documents. Adding or removing a document renumbers the documents, and the caller starts a
//! new index.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

use rayon::prelude::*;

use super::index::{
    analyse, doc_files, encode_term, finish, gather, layout, sorted, utf16_order, write_vocab_shard,
    Analysed, AnalysisCache, DocFiles, EncodedTerm, Files, Gathered, IndexFiles, ShardTerm, Stats, Tf, NF,
};
use super::SearchDoc;

/// A term, ordered as the index orders its terms.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TermKey(String);

impl Ord for TermKey {
    fn cmp(&self, other: &Self) -> Ordering {
        utf16_order(&self.0, &other.0)
    }
}

impl PartialOrd for TermKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Default)]
struct LiveTerm {
    /// (document, frequency in each field), by document.
    raw: Vec<(u32, Tf)>,
    /// The score of each posting of `raw`.
    scores: Vec<f64>,
    /// The largest of `scores`.
    max_score: f64,
    /// The quantised impact of each posting of `raw`.
    impacts: Vec<u8>,
    /// Whether documents gained or lost the term since its postings were last encoded.
    moved: bool,
    /// How many documents have this term as their whole code.
    code_docs: u32,
    /// The encoded postings, as [`encode_term`] gives them.
    head: String,
    full: Option<String>,
}

impl LiveTerm {
    /// Scores every posting again, or with `touch` only what it changed: every posting when
    /// the document frequency changed, or else the postings of the documents it names.
    fn score(&mut self, stats: &Stats, norms: &[[f64; NF]], touch: Option<&Touch>) {
        let idf = stats.idf(self.raw.len());
        let score = |(doc, tf): &(u32, Tf)| stats.score_normed(idf, tf, |f| norms[*doc as usize][f]);
        match touch {
            Some(touch) if !touch.df_changed && self.scores.len() == self.raw.len() => {
                for doc in &touch.docs {
                    if let Ok(at) = self.raw.binary_search_by_key(doc, |p| p.0) {
                        self.scores[at] = score(&self.raw[at]);
                    }
                }
            }
            _ => self.scores = self.raw.iter().map(score).collect(),
        }
        self.max_score = self.scores.iter().copied().fold(0.0, f64::max);
    }

    /// Scores again the postings with some of the term in a field whose normalisation moved.
    fn score_moved(&mut self, stats: &Stats, norms: &[[f64; NF]], moved: &[bool; NF]) {
        let idf = stats.idf(self.raw.len());
        let mut any = false;
        for ((doc, tf), score) in self.raw.iter().zip(&mut self.scores) {
            if moved.iter().zip(tf).any(|(moved, tf)| *moved && *tf > 0) {
                *score = stats.score_normed(idf, tf, |f| norms[*doc as usize][f]);
                any = true;
            }
        }
        if any {
            self.max_score = self.scores.iter().copied().fold(0.0, f64::max);
        }
    }

    /// Quantises the scores against `stats`' largest impact and encodes the postings again if
    /// an impact changed; returns whether one did.
    fn quantise(&mut self, stats: &Stats) -> bool {
        let mut changed = self.moved || self.head.is_empty() || self.impacts.len() != self.scores.len();
        if changed {
            self.impacts = self.scores.iter().map(|&score| stats.quantise(score)).collect();
        } else {
            for (impact, &score) in self.impacts.iter_mut().zip(&self.scores) {
                let quantised = stats.quantise(score);
                changed |= std::mem::replace(impact, quantised) != quantised;
            }
            if !changed {
                return false;
            }
        }
        self.moved = false;
        let postings: Vec<(u32, u8)> =
            self.raw.iter().map(|p| p.0).zip(self.impacts.iter().copied()).collect();
        EncodedTerm { head: self.head, full: self.full } = encode_term(&postings);
        true
    }
}

/// How an update touched a term.
#[derive(Default)]
struct Touch {
    /// Whether documents gained or lost the term, which changes every posting's score.
    df_changed: bool,
    /// The documents whose posting changed.
    docs: BTreeSet<u32>,
    /// Whether some document's code became or stopped being this term.
    code_changed: bool,
}

/// An index that can take edited documents. See the module documentation.
pub struct LiveIndex {
    /// In index order, without their text (the analyses hold what the index needs of it).
    docs: Vec<SearchDoc>,
    analysed: Vec<Arc<Analysed>>,
    lens: Vec<[u32; NF]>,
    /// Each document's length normalisation per field, under `stats`.
    norms: Vec<[f64; NF]>,
    /// Each document's number, by href; `None` when two documents share an href.
    by_href: Option<HashMap<String, u32>>,
    stats: Stats,
    terms: BTreeMap<TermKey, LiveTerm>,
    /// The first term of each vocabulary shard, as a full build cuts the vocabulary.
    firsts: Vec<TermKey>,
    /// The files of each vocabulary shard: `v/N.js`, its parts and its whole lists.
    shards: Vec<IndexFiles>,
    /// The code and document shards, the facets and the triage data, and what `meta.js` says
    /// of them.
    doc_files: DocFiles,
}

/// The first term of each vocabulary shard, as [`layout`] cuts these terms.
fn shard_firsts(terms: &BTreeMap<TermKey, LiveTerm>) -> Vec<TermKey> {
    let starts = layout(terms.keys().map(|k| k.0.len()));
    let mut starts = starts.iter().copied().peekable();
    let mut firsts = Vec::with_capacity(starts.len());
    for (i, key) in terms.keys().enumerate() {
        if starts.peek() == Some(&i) {
            starts.next();
            firsts.push(key.clone());
        }
    }
    firsts
}

/// The largest score of any term: what impacts are quantised against.
fn max_impact(terms: &mut BTreeMap<TermKey, LiveTerm>) -> f64 {
    terms.par_iter_mut().map(|(_, term)| term.max_score).reduce(|| 0.0, f64::max)
}

impl LiveIndex {
    /// The index of `docs`. With a `cache`, only documents it has not seen are analysed, and
    /// it keeps the analyses of these documents alone for the next index.
    pub fn new(docs: &[SearchDoc], cache: Option<&AnalysisCache>) -> LiveIndex {
        let docs = sorted(docs);
        cache.inspect(|cache| cache.start());
        let Gathered { analysed, names, raw, lens, .. } = gather::<Vec<(u32, Tf)>>(&docs, cache, None, true);
        cache.inspect(|cache| cache.finish());
        let mut stats = Stats::of(&lens);
        let norms = stats.norms(&lens);
        let mut terms: BTreeMap<TermKey, LiveTerm> = names
            .into_par_iter()
            .zip(raw)
            .map(|(name, raw)| {
                let mut term = LiveTerm { raw, ..LiveTerm::default() };
                term.score(&stats, &norms, None);
                (TermKey(name), term)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        stats.max_impact = max_impact(&mut terms);
        terms.par_iter_mut().for_each(|(_, term)| {
            term.quantise(&stats);
        });
        for a in &analysed {
            if let Some(code) = &a.code_term {
                if a.has(code) {
                    if let Some(term) = terms.get_mut(&TermKey(code.clone())) {
                        term.code_docs += 1;
                    }
                }
            }
        }
        let firsts = shard_firsts(&terms);
        let mut by_href = HashMap::with_capacity(docs.len());
        let mut unique = true;
        for (i, doc) in docs.iter().enumerate() {
            unique &= by_href.insert(doc.href.clone(), i as u32).is_none();
        }
        let doc_files = doc_files(&docs);
        let mut index = LiveIndex {
            docs: docs.iter().map(|d| SearchDoc { text: String::new(), ..(*d).clone() }).collect(),
            analysed,
            lens,
            norms,
            by_href: unique.then_some(by_href),
            stats,
            terms,
            firsts,
            shards: Vec::new(),
            doc_files,
        };
        index.shards = (0..index.firsts.len()).into_par_iter().map(|s| index.encode_shard(s)).collect();
        index
    }

    /// Takes new versions of documents already in the index (matched by href): moves their
    /// postings and scores again what the edit changed, so that the files are those a full
    /// build of the same documents writes. When the collection's statistics moved (a field's
    /// mean length), every posting is scored again; when the largest score moved, every
    /// impact is quantised again; the vocabulary is cut into shards as a full build cuts it,
    /// and only the shards whose terms or bounds changed are encoded again. `false`, with
    /// nothing changed, when some document is not in the index: then the caller starts a new
    /// one.
    pub fn update(&mut self, changed: &[SearchDoc]) -> bool {
        let Some(by_href) = &self.by_href else {
            return false;
        };
        let Some(ids) = changed.iter().map(|d| by_href.get(&d.href).copied()).collect::<Option<Vec<u32>>>()
        else {
            return false;
        };
        if self.firsts.is_empty() {
            return false; // no shard for a term to join
        }
        let analysed: Vec<Arc<Analysed>> = changed.par_iter().map(|d| Arc::new(analyse(d))).collect();
        let mut touched: BTreeMap<TermKey, Touch> = BTreeMap::new();
        let mut docs_changed = false;
        let mut moved = Vec::new();
        for ((doc, id), new) in changed.iter().zip(ids).zip(analysed) {
            let slot = id as usize;
            let doc = SearchDoc { text: String::new(), ..doc.clone() };
            docs_changed |= self.docs[slot] != doc;
            self.docs[slot] = doc;
            let old = std::mem::replace(&mut self.analysed[slot], new.clone());
            if old == new {
                continue;
            }
            self.lens[slot] = new.lens;
            moved.push(slot);
            self.move_postings(id, &old, &new, &mut touched);
        }
        if docs_changed {
            // Every file of them is written again: a row, a code or a facet may have moved.
            let docs: Vec<&SearchDoc> = self.docs.iter().collect();
            self.doc_files = doc_files(&docs);
        }
        let changed_terms = self.score_again(&touched, &moved);
        self.cut_again(&changed_terms);
        true
    }

    /// Scores the postings the edit changed, or all of them when the statistics they are
    /// scored with moved, and quantises them; returns the terms whose encoding changed.
    fn score_again(&mut self, touched: &BTreeMap<TermKey, Touch>, moved: &[usize]) -> BTreeSet<TermKey> {
        let mut stats = Stats::of(&self.lens);
        let moved_fields = stats.moved_fields(&self.stats);
        let rescore_all = moved_fields.contains(&true);
        if rescore_all {
            self.norms = stats.norms(&self.lens);
        } else {
            for &slot in moved {
                self.norms[slot] = std::array::from_fn(|f| stats.norm(f, self.lens[slot][f]));
            }
        }
        let mut changed: BTreeSet<TermKey> = BTreeSet::new();
        for (key, touch) in touched {
            match self.terms.get_mut(key) {
                Some(term) if term.raw.is_empty() => {
                    self.terms.remove(key);
                    changed.insert(key.clone());
                }
                Some(term) if rescore_all => term.score(&stats, &self.norms, None),
                Some(term) => term.score(&stats, &self.norms, Some(touch)),
                None => {}
            }
            if touch.code_changed {
                changed.insert(key.clone());
            }
        }
        if rescore_all {
            // Only postings in a field whose mean length moved score differently.
            let (stats, norms, moved) = (&stats, &self.norms, &moved_fields);
            self.terms
                .par_iter_mut()
                .filter(|(key, _)| !touched.contains_key(*key))
                .for_each(|(_, term)| term.score_moved(stats, norms, moved));
        }
        stats.max_impact = max_impact(&mut self.terms);
        if rescore_all || stats.max_impact != self.stats.max_impact {
            let stats = &stats;
            let requantised: Vec<TermKey> = self
                .terms
                .par_iter_mut()
                .filter_map(|(key, term)| term.quantise(stats).then(|| key.clone()))
                .collect();
            changed.extend(requantised);
        } else {
            for key in touched.keys() {
                if self.terms.get_mut(key).is_some_and(|term| term.quantise(&stats)) {
                    changed.insert(key.clone());
                }
            }
        }
        self.stats = stats;
        changed
    }

    /// Cuts the vocabulary into shards again and encodes the shards whose bounds moved or
    /// which hold a term in `changed`.
    fn cut_again(&mut self, changed: &BTreeSet<TermKey>) {
        let firsts = shard_firsts(&self.terms);
        let bounds = |firsts: &[TermKey], s: usize| (firsts.get(s).cloned(), firsts.get(s + 1).cloned());
        let mut stale: Vec<bool> =
            (0..firsts.len()).map(|s| bounds(&self.firsts, s) != bounds(&firsts, s)).collect();
        for key in changed {
            // The last shard whose first term is not after the key, as the browser looks it up.
            let shard = firsts.partition_point(|first| first <= key).saturating_sub(1);
            if let Some(stale) = stale.get_mut(shard) {
                *stale = true;
            }
        }
        self.firsts = firsts;
        let mut shards = std::mem::take(&mut self.shards);
        shards.resize_with(self.firsts.len(), IndexFiles::new);
        let encoded: Vec<(usize, IndexFiles)> = stale
            .par_iter()
            .enumerate()
            .filter(|(_, stale)| **stale)
            .map(|(s, _)| (s, self.encode_shard(s)))
            .collect();
        for (s, files) in encoded {
            shards[s] = files;
        }
        self.shards = shards;
    }

    /// Every file of the index, as (path relative to the output root, bytes), sorted by path.
    pub fn files(&self) -> IndexFiles {
        let mut files = Files::default();
        files.0.extend(self.shards.iter().flatten().cloned());
        files.0.extend(self.doc_files.files.iter().cloned());
        let firsts: Vec<&str> = self.firsts.iter().map(|k| k.0.as_str()).collect();
        finish(self.docs.len(), firsts, &self.stats, &self.doc_files.shape, files)
    }

    /// Moves document `id` from the postings of its `old` terms to those of its `new` ones.
    fn move_postings(
        &mut self,
        id: u32,
        old: &Analysed,
        new: &Analysed,
        touched: &mut BTreeMap<TermKey, Touch>,
    ) {
        let old_terms: HashSet<&str> = old.terms().map(|(t, _)| t).collect();
        let new_terms: HashSet<&str> = new.terms().map(|(t, _)| t).collect();
        let code_moved = old.code_term != new.code_term;
        for (term, _) in old.terms() {
            if new_terms.contains(term) {
                continue;
            }
            let key = TermKey(term.to_owned());
            if let Some(live) = self.terms.get_mut(&key) {
                if let Ok(at) = live.raw.binary_search_by_key(&id, |p| p.0) {
                    live.raw.remove(at);
                    live.moved = true;
                }
                if old.code_term.as_deref() == Some(term) {
                    live.code_docs = live.code_docs.saturating_sub(1);
                }
            }
            touched.entry(key).or_default().df_changed = true;
        }
        for (term, tf) in new.terms() {
            let key = TermKey(term.to_owned());
            let live = self.terms.entry(key.clone()).or_default();
            let touch = touched.entry(key).or_default();
            match live.raw.binary_search_by_key(&id, |p| p.0) {
                Ok(at) => live.raw[at].1 = *tf,
                Err(at) => {
                    live.raw.insert(at, (id, *tf));
                    live.moved = true;
                    touch.df_changed = true;
                }
            }
            touch.docs.insert(id);
            if code_moved && old_terms.contains(term) {
                // The term stays, but whether it is this document's code may not.
                let was = old.code_term.as_deref() == Some(term);
                let is = new.code_term.as_deref() == Some(term);
                if was != is {
                    live.code_docs = if is { live.code_docs + 1 } else { live.code_docs.saturating_sub(1) };
                    touch.code_changed = true;
                }
            } else if !old_terms.contains(term) && new.code_term.as_deref() == Some(term) {
                live.code_docs += 1;
            }
        }
    }

    fn encode_shard(&self, shard: usize) -> IndexFiles {
        let lower = if shard == 0 { Bound::Unbounded } else { Bound::Included(&self.firsts[shard]) };
        let upper = self.firsts.get(shard + 1).map_or(Bound::Unbounded, Bound::Excluded);
        let terms = self.terms.range((lower, upper)).map(|(key, term)| ShardTerm {
            text: key.0.as_str(),
            code: term.code_docs > 0,
            df: term.raw.len(),
            head: term.head.as_str(),
            full: term.full.as_deref(),
        });
        let mut files = Files::default();
        write_vocab_shard(shard, terms, &mut files);
        files.0
    }
}
