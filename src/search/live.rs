//! The preview server's index: kept in memory between builds and changed in place, so that
//! saving an entry re-encodes only the vocabulary shards its terms are in.
//!
//! A full build scores every posting with statistics of the whole collection (the number of
//! documents, the mean length of each field, the largest impact) and cuts the vocabulary into
//! shards by size. A [`LiveIndex`] takes both from the documents it starts with and keeps them
//! while entries are edited: the terms an edit adds or removes are scored with the statistics it
//! started with, and a new term joins the shard its place in the order falls in. Its first
//! files are byte for byte those of [`super::build_index`]; after edits, impacts may differ from
//! a fresh build's by the drift of those statistics, which a preview does not show. Adding or
//! removing a document renumbers the documents, and the caller starts a new index.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

use rayon::prelude::*;

use super::index::{
    analyse, doc_files, doc_shard_file, encode_term, finish, gather, layout, same_patterns, same_row,
    same_shape, sorted, triage_file, utf16_order, write_vocab_shard, Analysed, AnalysisCache, DocShape,
    Files, Gathered, IndexFiles, ShardTerm, Stats, Tf, NF,
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
    /// The quantised impact of each posting of `raw`.
    impacts: Vec<u8>,
    /// How many documents have this term as their whole code.
    code_docs: u32,
    /// The encoded postings, as [`encode_term`] gives them.
    head: String,
    full: Option<String>,
}

impl LiveTerm {
    /// Scores every posting again when the document frequency changed, or else the postings
    /// of the documents `touch` names, and encodes the postings again if an impact changed.
    /// Returns whether the encoded postings or the code flag changed.
    fn rescore(&mut self, stats: &Stats, lens: &[[u32; NF]], touch: &Touch) -> bool {
        let df = self.raw.len();
        let changed = if touch.df_changed || self.impacts.len() != df {
            self.impacts = stats.impacts(&self.raw, lens).into_iter().map(|(_, impact)| impact).collect();
            true
        } else {
            let mut changed = false;
            for doc in &touch.docs {
                if let Ok(at) = self.raw.binary_search_by_key(doc, |p| p.0) {
                    let impact = stats.quantise(stats.score(df, &self.raw[at].1, &lens[*doc as usize]));
                    changed |= std::mem::replace(&mut self.impacts[at], impact) != impact;
                }
            }
            changed
        };
        if changed {
            self.encode();
        }
        changed || touch.code_changed
    }

    fn encode(&mut self) {
        let postings: Vec<(u32, u8)> =
            self.raw.iter().map(|p| p.0).zip(self.impacts.iter().copied()).collect();
        (self.head, self.full) = encode_term(&postings);
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
    /// Each document's number, by href; `None` when two documents share an href.
    by_href: Option<HashMap<String, u32>>,
    stats: Stats,
    terms: BTreeMap<TermKey, LiveTerm>,
    /// The first term of each vocabulary shard, fixed when the index starts.
    firsts: Vec<TermKey>,
    /// The files of each vocabulary shard: `v/N.js`, its parts and its whole lists.
    shards: Vec<IndexFiles>,
    /// The code and document shards and the facets, and what `meta.js` says of them.
    doc_files: (IndexFiles, DocShape),
}

impl LiveIndex {
    /// The index of `docs`. With a `cache`, only documents it has not seen are analysed, and
    /// it keeps the analyses of these documents alone for the next index.
    pub fn new(docs: &[SearchDoc], cache: Option<&AnalysisCache>) -> LiveIndex {
        let docs = sorted(docs);
        cache.inspect(|cache| cache.start());
        let Gathered { analysed, names, raw, lens, .. } = gather(&docs, cache, None, true);
        cache.inspect(|cache| cache.finish());
        let mut stats = Stats::of(&lens);
        stats.set_max_impact(raw.par_iter().map(Vec::as_slice), &lens);
        let terms: Vec<(TermKey, LiveTerm)> = names
            .into_par_iter()
            .zip(raw)
            .map(|(name, raw)| {
                let mut term = LiveTerm { raw, ..LiveTerm::default() };
                term.rescore(&stats, &lens, &Touch { df_changed: true, ..Touch::default() });
                (TermKey(name), term)
            })
            .collect();
        let mut terms: BTreeMap<TermKey, LiveTerm> = terms.into_iter().collect();
        for a in &analysed {
            if let Some(code) = &a.code_term {
                if a.terms.iter().any(|(term, _)| term == code) {
                    if let Some(term) = terms.get_mut(&TermKey(code.clone())) {
                        term.code_docs += 1;
                    }
                }
            }
        }
        let starts = layout(terms.keys().map(|k| k.0.len()));
        let firsts: Vec<TermKey> = {
            let mut starts = starts.iter().copied().peekable();
            let mut firsts = Vec::with_capacity(starts.len());
            for (i, key) in terms.keys().enumerate() {
                if starts.peek() == Some(&i) {
                    starts.next();
                    firsts.push(key.clone());
                }
            }
            firsts
        };
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
    /// postings, scores again the terms they gained, lost or use differently, and encodes again
    /// the vocabulary shards whose bytes change, and the document shards when a row changed.
    /// `false`, with nothing changed, when some document is not in the index: then the caller
    /// starts a new one.
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
        let mut rows_changed = BTreeSet::new();
        let mut shape_changed = false;
        let mut patterns_changed = false;
        for ((doc, id), new) in changed.iter().zip(ids).zip(analysed) {
            let slot = id as usize;
            if !same_row(&self.docs[slot], doc) {
                rows_changed.insert(slot);
                shape_changed |= !same_shape(&self.docs[slot], doc);
                patterns_changed |= !same_patterns(&self.docs[slot], doc);
            }
            self.docs[slot] = SearchDoc { text: String::new(), ..doc.clone() };
            let old = std::mem::replace(&mut self.analysed[slot], new.clone());
            if old == new {
                continue;
            }
            self.lens[slot] = new.lens;
            self.move_postings(id, &old, &new, &mut touched);
        }
        if !rows_changed.is_empty() {
            let docs: Vec<&SearchDoc> = self.docs.iter().collect();
            if shape_changed {
                self.doc_files = doc_files(&docs);
            } else {
                let triage = patterns_changed.then(|| triage_file(&docs));
                let shards =
                    rows_changed.into_iter().map(|slot| doc_shard_file(&docs, slot, &self.doc_files.1));
                for (path, bytes) in shards.chain(triage) {
                    if let Some(file) = self.doc_files.0.iter_mut().find(|(p, _)| *p == path) {
                        file.1 = bytes;
                    }
                }
            }
        }
        let mut shards = BTreeSet::new();
        for (key, touch) in touched {
            let Some(live) = self.terms.get_mut(&key) else { continue };
            if live.raw.is_empty() {
                self.terms.remove(&key);
                shards.insert(self.shard_of(&key));
            } else if live.rescore(&self.stats, &self.lens, &touch) {
                shards.insert(self.shard_of(&key));
            }
        }
        let shards: Vec<usize> = shards.into_iter().collect();
        let encoded: Vec<IndexFiles> = shards.par_iter().map(|&s| self.encode_shard(s)).collect();
        for (s, files) in shards.into_iter().zip(encoded) {
            self.shards[s] = files;
        }
        true
    }

    /// Every file of the index, as (path relative to the output root, bytes), sorted by path.
    pub fn files(&self) -> IndexFiles {
        let mut files = Files::default();
        files.0.extend(self.shards.iter().flatten().cloned());
        files.0.extend(self.doc_files.0.iter().cloned());
        let firsts: Vec<&str> = self.firsts.iter().map(|k| k.0.as_str()).collect();
        finish(self.docs.len(), firsts, &self.stats, &self.doc_files.1, files)
    }

    /// Moves document `id` from the postings of its `old` terms to those of its `new` ones.
    fn move_postings(
        &mut self,
        id: u32,
        old: &Analysed,
        new: &Analysed,
        touched: &mut BTreeMap<TermKey, Touch>,
    ) {
        let old_terms: HashSet<&str> = old.terms.iter().map(|(t, _)| t.as_str()).collect();
        let new_terms: HashSet<&str> = new.terms.iter().map(|(t, _)| t.as_str()).collect();
        let code_moved = old.code_term != new.code_term;
        for (term, _) in &old.terms {
            if new_terms.contains(term.as_str()) {
                continue;
            }
            let key = TermKey(term.clone());
            if let Some(live) = self.terms.get_mut(&key) {
                if let Ok(at) = live.raw.binary_search_by_key(&id, |p| p.0) {
                    live.raw.remove(at);
                    live.impacts.remove(at);
                }
                if old.code_term.as_ref() == Some(term) {
                    live.code_docs = live.code_docs.saturating_sub(1);
                }
            }
            touched.entry(key).or_default().df_changed = true;
        }
        for (term, tf) in &new.terms {
            let key = TermKey(term.clone());
            let live = self.terms.entry(key.clone()).or_default();
            let touch = touched.entry(key).or_default();
            match live.raw.binary_search_by_key(&id, |p| p.0) {
                Ok(at) => live.raw[at].1 = *tf,
                Err(at) => {
                    live.raw.insert(at, (id, *tf));
                    live.impacts.insert(at, 0);
                    touch.df_changed = true;
                }
            }
            touch.docs.insert(id);
            if code_moved && old_terms.contains(term.as_str()) {
                // The term stays, but whether it is this document's code may not.
                let was = old.code_term.as_ref() == Some(term);
                let is = new.code_term.as_ref() == Some(term);
                if was != is {
                    live.code_docs = if is { live.code_docs + 1 } else { live.code_docs.saturating_sub(1) };
                    touch.code_changed = true;
                }
            } else if !old_terms.contains(term.as_str()) && new.code_term.as_ref() == Some(term) {
                live.code_docs += 1;
            }
        }
    }

    /// The shard a term belongs in: the last whose first term is not after it (the first shard
    /// for terms before every first term), as the browser looks it up.
    fn shard_of(&self, key: &TermKey) -> usize {
        self.firsts.partition_point(|first| first <= key).saturating_sub(1)
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
