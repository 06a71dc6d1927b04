/* errorbook search: the query engine. No DOM: it runs as it is in a browser and under node,
   where tests/js/ and bench/ drive it (module.exports); the browser side is ui.js. The binary
   ships the two files as one classic script, assets/search.js (engine first), so search works
   from file:// too, where a browser refuses to import modules.

   The index is a set of scripts under search/ that the build writes. search/meta.js carries the
   contract between the index and this engine: the tables text is read with (stop words,
   joiners, limits, placeholders, the stemmer's suffixes, the hash of code keys) and the alphabet of the
   numbers. The engine holds no copy of them; what is code on both sides (the grammars of
   variable parts, the stemmer's steps) is the twin of src/search/text.rs and stem.rs, held equal
   by tests/search-vectors.json and a differential test. docs/search.md describes the format and
   the ranking.

   The wrapper below is the file's scope, not a function of logic: it keeps the file's names
   out of the page's global object. */
(function (global) {
  'use strict';

  /* The index format this engine reads (meta.js says which it is). */
  var FORMAT = 6;

  /* ---------- Characters and the grammars of variable parts ---------- */

  /* Rust's char::is_alphanumeric: Alphabetic, or a number of any kind. */
  var ALNUM = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;

  function isAlnum(ch) {
    return ALNUM.test(ch);
  }

  function codePoints(s) {
    return Array.from(s).length;
  }

  function isHexDigits(s) {
    return /^[0-9a-f]*$/.test(s);
  }

  function isUrl(s) {
    var at = s.indexOf('://');
    return at >= 0 && at + 3 < s.length && /^[a-z][a-z0-9+.\-]*$/.test(s.slice(0, at));
  }

  function isEmail(s) {
    var at = s.indexOf('@');
    if (at < 0) {
      return false;
    }
    var local = s.slice(0, at);
    var domain = s.slice(at + 1);
    var dot = domain.lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    var host = domain.slice(0, dot);
    var tld = domain.slice(dot + 1);
    return /^[A-Za-z0-9._%+\-]+$/.test(local) && /^[A-Za-z0-9.\-]+$/.test(host) &&
      /^[a-z]{2,}$/.test(tld);
  }

  function isUuid(s) {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);
  }

  function isIpv4(s) {
    return /^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?(\/\d{1,2})?$/.test(s);
  }

  function isIpv6(s) {
    var groups = s.split(':');
    var colons = groups.length - 1;
    if (colons < 2 || !(s.indexOf('::') >= 0 || colons === 7)) {
      return false;
    }
    for (var i = 0; i < groups.length; i++) {
      var g = groups[i];
      if (!((g.length <= 4 && isHexDigits(g)) || (i === groups.length - 1 && isIpv4(g)))) {
        return false;
      }
    }
    return /[0-9a-fA-F]/.test(s);
  }

  function isDate(s) {
    if (/^\d{4}/.test(s)) {
      var m = /^\d{4}([\-\/.])\d{1,2}(.)\d{1,2}(.*)$/.exec(s);
      if (!m || m[2] !== m[1]) {
        return false;
      }
      return m[3] === '' || /^[t_][0-9:.,+\-z]+$/.test(m[3]);
    }
    var a = /^\d{1,2}\/[a-z]{3}\/\d{4}(:.*)?$/.exec(s);
    return !!a && (a[1] === undefined || isTime(a[1].slice(1)));
  }

  function isTime(s) {
    return /^\d{1,2}:\d{2}(:\d{2})?([.,]\d{1,9})?z?$/.test(s);
  }

  function isPath(s) {
    if (/^(\/[^\/]|[~.][\/\\]|\.\.[\/\\]|\\\\.|[a-z]:\\)/.test(s)) {
      return true;
    }
    var file = s.replace(/[:0-9]+$/, '');
    if (!(file.length < s.length && s[file.length] === ':')) {
      file = s;
    }
    var slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
    if (slash < 0) {
      return false;
    }
    var last = file.slice(slash + 1);
    var dot = last.lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    return /^[A-Za-z0-9_.\-]+$/.test(last.slice(0, dot)) &&
      /^[a-z][a-z0-9]{0,5}$/.test(last.slice(dot + 1));
  }

  function isHexLiteral(s) {
    return /^0x[0-9a-f]+$/.test(s);
  }

  /* The placeholder (of p, meta.js's placeholders) for a chunk that is a variable part as a
     whole, or null. */
  function classify(s, p) {
    if (!s) {
      return null;
    }
    if (isUrl(s)) { return p.url; }
    if (isEmail(s)) { return p.email; }
    if (isUuid(s)) { return p.uuid; }
    if (isIpv4(s) || isIpv6(s)) { return p.ip; }
    if (isDate(s)) { return p.date; }
    if (isTime(s)) { return p.time; }
    if (isPath(s)) { return p.path; }
    if (isHexLiteral(s)) { return p.hex; }
    return null;
  }

  function escapeClass(chars) {
    return chars.replace(/[\\\]\[^\-]/g, '\\$&');
  }

  /* ---------- The Porter stemmer (twin of src/search/stem.rs; suffixes from meta.js) ---------- */

  /* b[0..k] is the word; after a suffix matched, b[0..j] is what precedes it. */
  function Stem(word) {
    this.b = word.split('');
    this.k = word.length - 1;
    this.j = 0;
  }

  Stem.prototype.cons = function (i) {
    switch (this.b[i]) {
      case 'a': case 'e': case 'i': case 'o': case 'u': return false;
      case 'y': return i === 0 || !this.cons(i - 1);
      default: return true;
    }
  };

  /* The measure of b[0..j]: the number of vowel-consonant sequences in it. */
  Stem.prototype.m = function () {
    var end = this.j + 1;
    var n = 0;
    var i = 0;
    while (i < end && this.cons(i)) { i++; }
    for (;;) {
      while (i < end && !this.cons(i)) { i++; }
      if (i >= end) { return n; }
      while (i < end && this.cons(i)) { i++; }
      n++;
    }
  };

  Stem.prototype.vowelInStem = function () {
    for (var i = 0; i <= this.j; i++) {
      if (!this.cons(i)) { return true; }
    }
    return false;
  };

  Stem.prototype.doubleC = function (i) {
    return i >= 1 && this.b[i] === this.b[i - 1] && this.cons(i);
  };

  Stem.prototype.cvc = function (i) {
    var c = this.b[i];
    return i >= 2 && this.cons(i) && !this.cons(i - 1) && this.cons(i - 2) &&
      c !== 'w' && c !== 'x' && c !== 'y';
  };

  Stem.prototype.ends = function (s) {
    var len = s.length;
    if (len > this.k + 1) { return false; }
    for (var i = 0; i < len; i++) {
      if (this.b[this.k + 1 - len + i] !== s.charAt(i)) { return false; }
    }
    this.j = this.k - len;
    return true;
  };

  Stem.prototype.setTo = function (s) {
    this.b.length = this.j + 1;
    for (var i = 0; i < s.length; i++) { this.b.push(s.charAt(i)); }
    this.k = this.b.length - 1;
  };

  Stem.prototype.truncate = function () {
    this.b.length = this.k + 1;
  };

  /* Applies the first [suffix, replacement] rule whose suffix matches, if the measure allows. */
  Stem.prototype.replaceFirst = function (rules) {
    for (var i = 0; i < rules.length; i++) {
      if (this.ends(rules[i][0])) {
        if (this.m() > 0) { this.setTo(rules[i][1]); }
        return;
      }
    }
  };

  /* Plurals and -ed or -ing. */
  Stem.prototype.step1ab = function () {
    var b = this.b;
    if (b[this.k] === 's') {
      if (this.ends('sses')) {
        this.k -= 2;
      } else if (this.ends('ies')) {
        this.setTo('i');
      } else if (b[this.k - 1] !== 's') {
        this.k -= 1;
      }
      this.truncate();
    }
    if (this.ends('eed')) {
      if (this.m() > 0) { this.k -= 1; }
    } else if ((this.ends('ed') || this.ends('ing')) && this.vowelInStem()) {
      this.k = this.j;
      this.truncate();
      this.step1bTail();
    }
    this.truncate();
  };

  /* What step 1b does to a stem that lost -ed or -ing. */
  Stem.prototype.step1bTail = function () {
    var b = this.b;
    if (this.ends('at')) {
      this.setTo('ate');
    } else if (this.ends('bl')) {
      this.setTo('ble');
    } else if (this.ends('iz')) {
      this.setTo('ize');
    } else if (this.doubleC(this.k)) {
      var c = b[this.k - 1];
      if (c !== 'l' && c !== 's' && c !== 'z') { this.k -= 1; }
    } else {
      this.j = this.k;
      if (this.m() === 1 && this.cvc(this.k)) { this.setTo('e'); }
    }
  };

  Stem.prototype.step1c = function () {
    if (this.ends('y') && this.vowelInStem()) { this.b[this.k] = 'i'; }
  };

  Stem.prototype.step4 = function (suffixes) {
    for (var i = 0; i < suffixes.length; i++) {
      if (this.ends(suffixes[i])) {
        var j = this.j;
        if (suffixes[i] === 'ion' && !(j >= 0 && (this.b[j] === 's' || this.b[j] === 't'))) {
          return;
        }
        if (this.m() > 1) { this.k = j; }
        return;
      }
    }
  };

  Stem.prototype.step5 = function () {
    this.j = this.k;
    if (this.b[this.k] === 'e') {
      var a = this.m();
      if (a > 1 || (a === 1 && !this.cvc(this.k - 1))) { this.k -= 1; }
    }
    if (this.b[this.k] === 'l' && this.doubleC(this.k) && this.m() > 1) { this.k -= 1; }
  };

  /* The stem of a lowercase ASCII word; anything else, and words of two letters or fewer, come
     back unchanged. rules: {step2, step3, step4} from meta.js. */
  function stem(rules, word) {
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) {
      return word;
    }
    var s = new Stem(word);
    s.step1ab();
    if (s.k > 0) {
      s.step1c();
      s.replaceFirst(rules.step2);
      s.replaceFirst(rules.step3);
      s.step4(rules.step4);
      s.step5();
    }
    return s.b.slice(0, s.k + 1).join('');
  }

  /* ---------- The analyser: text to terms, with the tables of meta.js ---------- */

  var TABLE_KEYS = ['stopWords', 'joiners', 'trailing', 'maxNumberLen', 'maxPhraseNumberLen',
    'maxWordLen', 'minHexIdLen', 'fnv1a', 'placeholders', 'stem'];

  /* Each begins with '<', which no word or number does: a token is a placeholder by that. */
  var PLACEHOLDER_KEYS = ['url', 'email', 'uuid', 'ip', 'date', 'time', 'path', 'hex', 'id', 'num'];

  function Analyser(tables) {
    TABLE_KEYS.forEach(function (key) {
      if (!tables || tables[key] === undefined) {
        throw new Error('errorbook search: the index lacks the analysis table ' + key);
      }
    });
    PLACEHOLDER_KEYS.forEach(function (key) {
      var p = tables.placeholders[key];
      if (typeof p !== 'string' || p.charAt(0) !== '<') {
        throw new Error('errorbook search: the index lacks the placeholder ' + key);
      }
    });
    this.t = tables;
    this.p = tables.placeholders;
    /* The variable parts that are never a code: a query's code keys skip them. */
    var p = this.p;
    this.notCodes = new Set([p.url, p.email, p.uuid, p.ip, p.date, p.time, p.path]);
    this.stopWords = new Set(tables.stopWords);
    this.trailing = new RegExp('[' + escapeClass(tables.trailing) + ']+$');
    this.encoder = new TextEncoder();
  }

  Analyser.prototype.isChunkChar = function (ch) {
    return isAlnum(ch) || this.t.joiners.indexOf(ch) >= 0;
  };

  /* Calls fn(chunk, start) for each maximal run of chunk characters; offsets in UTF-16 units. */
  Analyser.prototype.eachChunk = function (text, fn) {
    var start = -1;
    var i = 0;
    for (var ch of text) {
      if (this.isChunkChar(ch)) {
        if (start < 0) { start = i; }
      } else if (start >= 0) {
        fn(text.slice(start, i), start);
        start = -1;
      }
      i += ch.length;
    }
    if (start >= 0) {
      fn(text.slice(start), start);
    }
  };

  Analyser.prototype.trimCore = function (lower) {
    return lower.replace(this.trailing, '');
  };

  /* A run like a hash or request id: hex digits, long enough, with both a digit and a letter. */
  Analyser.prototype.isHexId = function (run) {
    return run.length >= this.t.minHexIdLen && /^[0-9a-f]+$/.test(run) && /[0-9]/.test(run) &&
      /[a-z]/.test(run);
  };

  Analyser.prototype.runToken = function (run, start, end) {
    if (/^[0-9]+$/.test(run)) {
      return { kind: 'number', text: run, start: start, end: end };
    }
    if (this.isHexId(run)) {
      return { kind: 'placeholder', text: this.p.hex, start: start, end: end };
    }
    if (codePoints(run) > this.t.maxWordLen) {
      return { kind: 'placeholder', text: this.p.id, start: start, end: end };
    }
    return { kind: 'word', text: run, start: start, end: end };
  };

  /* Tokens of one lowercased chunk: {kind: 'word'|'number'|'placeholder', text, start, end},
     offsets from base. */
  Analyser.prototype.scanChunk = function (lower, out, base) {
    var core = this.trimCore(lower);
    var placeholder = classify(core, this.p);
    if (placeholder) {
      out.push({ kind: 'placeholder', text: placeholder, start: base, end: base + core.length });
      return;
    }
    var start = -1;
    var i = 0;
    for (var ch of core) {
      if (isAlnum(ch)) {
        if (start < 0) { start = i; }
      } else if (start >= 0) {
        out.push(this.runToken(core.slice(start, i), base + start, base + i));
        start = -1;
      }
      i += ch.length;
    }
    if (start >= 0) {
      out.push(this.runToken(core.slice(start), base + start, base + core.length));
    }
  };

  /* Every token of text. Offsets are into text where lowercasing kept the chunk's length, and
     null otherwise. */
  Analyser.prototype.scan = function (text) {
    var out = [];
    var self = this;
    this.eachChunk(String(text), function (chunk, start) {
      var lower = chunk.toLowerCase();
      var from = out.length;
      self.scanChunk(lower, out, start);
      if (lower.length !== chunk.length) {
        for (var i = from; i < out.length; i++) {
          out[i].start = out[i].end = null;
        }
      }
    });
    return out;
  };

  Analyser.prototype.stem = function (word) {
    return stem(this.t.stem, word);
  };

  /* The index term of a token, or null. */
  Analyser.prototype.termOf = function (tok) {
    if (tok.kind === 'word') {
      if (codePoints(tok.text) > 1 && !this.stopWords.has(tok.text)) {
        return this.stem(tok.text);
      }
    } else if (tok.kind === 'number') {
      if (tok.text.length >= 2 && tok.text.length <= this.t.maxNumberLen) {
        return tok.text;
      }
    }
    return null;
  };

  /* The index terms of text, in order, repeats kept. */
  Analyser.prototype.terms = function (text) {
    var out = [];
    var self = this;
    this.scan(text).forEach(function (tok) {
      var t = self.termOf(tok);
      if (t !== null) { out.push(t); }
    });
    return out;
  };

  Analyser.prototype.phraseToken = function (tok) {
    if (tok.kind === 'word') {
      return this.stem(tok.text);
    }
    if (tok.kind === 'number') {
      return tok.text.length <= this.t.maxPhraseNumberLen ? tok.text : this.p.num;
    }
    return tok.text;
  };

  /* Tokens as a phrase: words stemmed, long numbers and variable parts as placeholders, and a
     run of one placeholder as one. */
  Analyser.prototype.phraseOf = function (tokens) {
    var out = [];
    for (var i = 0; i < tokens.length; i++) {
      var t = this.phraseToken(tokens[i]);
      if (!(t.charAt(0) === '<' && out.length && out[out.length - 1] === t)) {
        out.push(t);
      }
    }
    return out;
  };

  Analyser.prototype.phraseTokens = function (text) {
    return this.phraseOf(this.scan(text));
  };

  /* The neighbouring pairs of a phrase as index terms ("live upstream"), but for pairs of two
     placeholders. */
  Analyser.prototype.bigrams = function (phrase) {
    var out = [];
    for (var i = 0; i + 1 < phrase.length; i++) {
      if (!(phrase[i].charAt(0) === '<' && phrase[i + 1].charAt(0) === '<')) {
        out.push(phrase[i] + ' ' + phrase[i + 1]);
      }
    }
    return out;
  };

  /* The key a code is looked up by: letters and digits only, lowercased. */
  Analyser.prototype.codeKey = function (s) {
    var kept = '';
    for (var ch of String(s)) {
      if (isAlnum(ch)) { kept += ch; }
    }
    return kept.toLowerCase();
  };

  /* 32-bit FNV-1a of the UTF-8 bytes of s: picks the shard a code key lives in. */
  Analyser.prototype.fnv1a = function (s) {
    var bytes = this.encoder.encode(s);
    var h = this.t.fnv1a[0];
    var prime = this.t.fnv1a[1];
    for (var i = 0; i < bytes.length; i++) {
      h = Math.imul(h ^ bytes[i], prime) >>> 0;
    }
    return h >>> 0;
  };

  /* Splits text into [[piece, marked], …]: a word is marked when its term is one the query
     matched, or when it begins with the word being typed. */
  Analyser.prototype.highlight = function (text, matched, typedRaw) {
    text = String(text || '');
    var marks = [];
    var self = this;
    this.scan(text).forEach(function (tok) {
      if (tok.start === null || tok.kind === 'placeholder') { return; }
      var term = tok.kind === 'word' ? self.stem(tok.text) : tok.text;
      if (matched.has(term) || (typedRaw && typedRaw.length >= 2 && tok.text.indexOf(typedRaw) === 0)) {
        marks.push([tok.start, tok.end]);
      }
    });
    var out = [];
    var at = 0;
    marks.forEach(function (mk) {
      if (mk[0] > at) { out.push([text.slice(at, mk[0]), false]); }
      out.push([text.slice(mk[0], mk[1]), true]);
      at = mk[1];
    });
    if (at < text.length) { out.push([text.slice(at), false]); }
    return out;
  };

  /* ---------- Reading a query ---------- */

  var MAX_QUERY_TERMS = 48;    // a pasted stack trace is cut here
  var MAX_QUERY_PAIRS = 48;    // word pairs looked up among the aliases' pairs
  var MIN_FUZZY_LEN = 5;       // letters a word needs before typos are forgiven
  var MAX_CODE_KEYS = 24;      // code look-ups per query
  var MAX_WHOLE_KEY = 64;      // a longer query is no code as a whole

  /* One group per distinct term of the query (and the word being typed), in order. */
  Analyser.prototype.queryGroups = function (tokens, typing) {
    var groups = [];
    var byTerm = Object.create(null);
    var single = tokens.length === 1;
    var self = this;
    tokens.forEach(function (tok, i) {
      var term = self.termOf(tok);
      var typed = typing && i === tokens.length - 1 && tok.kind !== 'placeholder' &&
        tok.text.length >= (single ? 2 : 3);
      if (term === null && !typed) {
        return;
      }
      var key = term === null ? '\u0000' + tok.text : term;
      var g = byTerm[key];
      if (!g) {
        if (groups.length >= MAX_QUERY_TERMS) {
          return;
        }
        g = byTerm[key] = { term: term, raw: tok.text, typed: false, fuzzy: false };
        groups.push(g);
      }
      g.typed = g.typed || typed;
      g.fuzzy = g.fuzzy || (term !== null && tok.kind === 'word' && /^[a-z]+$/.test(tok.text) &&
        tok.text.length >= MIN_FUZZY_LEN);
    });
    return { list: groups, byTerm: byTerm };
  };

  /* Codes: the whole query, each chunk, and a word with the number after it ("Error 1045"). In a
     pasted line (four chunks or more) only chunks that look like codes are looked up: with a
     capital, a digit or an underscore. Variable parts are never codes. */
  Analyser.prototype.queryCodeKeys = function (text, whole) {
    var keys = [];
    if (whole && whole.length <= MAX_WHOLE_KEY) {
      keys.push(whole);
    }
    var chunks = [];
    this.eachChunk(text, function (chunk) { chunks.push(chunk); });
    var pasted = chunks.length >= 4;
    var previous = null;
    var self = this;
    chunks.forEach(function (chunk) {
      var lower = chunk.toLowerCase();
      if (self.notCodes.has(classify(self.trimCore(lower), self.p))) {
        previous = null;
        return;
      }
      var key = self.codeKey(lower);
      if (key) {
        if (!pasted || /[A-Z0-9_]/.test(chunk)) {
          keys.push(key);
        }
        if (previous && /[0-9]/.test(key)) {
          keys.push(previous + key);
        }
      }
      previous = key || null;
    });
    var seen = Object.create(null);
    return keys.filter(function (k) {
      return !seen[k] && (seen[k] = true);
    }).slice(0, MAX_CODE_KEYS);
  };

  /* What a query asks: its terms (one group each), its phrase and its code keys. */
  Analyser.prototype.analyseQuery = function (text) {
    var tokens = this.scan(text);
    var last = Array.from(text).pop();
    var typing = last !== undefined && isAlnum(last);
    var groups = this.queryGroups(tokens, typing);
    var whole = this.codeKey(text);
    var phrase = this.phraseOf(tokens);
    this.bigrams(phrase).slice(0, MAX_QUERY_PAIRS).forEach(function (pair) {
      if (!groups.byTerm[pair]) {
        groups.byTerm[pair] = { term: pair, raw: pair, typed: false, fuzzy: false };
        groups.list.push(groups.byTerm[pair]);
      }
    });
    var lastTok = tokens[tokens.length - 1];
    var chunks = 0;
    this.eachChunk(text, function () { chunks++; });
    return {
      chunks: chunks,
      groups: groups.list,
      codeKeys: this.queryCodeKeys(text, whole),
      whole: whole,
      phrase: phrase,
      typedRaw: typing && lastTok && lastTok.kind !== 'placeholder' ? lastTok.text : null
    };
  };

  /* ---------- The nearest codes (twin of src/search/near.rs; its numbers from meta.js) ---------- */

  /* Edits between the code point arrays a and b: insertions, deletions, substitutions and swaps
     of neighbours (optimal string alignment). */
  function editDistance(a, b) {
    var width = b.length + 1;
    var rows = [[], [], []];
    for (var j = 0; j < width; j++) { rows[0][j] = j; }
    for (var i = 1; i <= a.length; i++) {
      var cur = rows[i % 3];
      var prev = rows[(i + 2) % 3];
      var back = rows[(i + 1) % 3];
      cur[0] = i;
      for (j = 1; j < width; j++) {
        var best = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, back[j - 2] + 1);
        }
        cur[j] = best;
      }
    }
    return rows[a.length % 3][b.length];
  }

  var NEAR_KEYS = ['minSimilarity', 'contained', 'suggestions', 'maxKeyChars', 'typoEdits'];

  /* The rule of the nearest codes, with the numbers of meta.js and the analyser's code keys. */
  function Near(rule, analyser) {
    NEAR_KEYS.forEach(function (key) {
      if (!rule || rule[key] === undefined) {
        throw new Error('errorbook search: the index lacks the nearest-code rule ' + key);
      }
    });
    this.r = rule;
    this.a = analyser;
  }

  /* 1 − edits / the longer length; 0 when either key is empty. */
  Near.prototype.similarity = function (a, b) {
    var x = Array.from(a);
    var y = Array.from(b);
    if (!x.length || !y.length) { return 0; }
    return 1 - editDistance(x, y) / Math.max(x.length, y.length);
  };

  /* How close an entry (its code key and slug key) is to the query key wanted. */
  Near.prototype.closeness = function (wanted, code, slug) {
    var score = Math.max(this.similarity(wanted, code), this.similarity(wanted, slug));
    if (wanted && code && (code.indexOf(wanted) >= 0 || wanted.indexOf(code) >= 0)) {
      score = Math.max(score, this.r.contained);
    }
    return score;
  };

  /* The entries to suggest for query (as typed), best first: indexes into entries, each
     [code key, slug key], in the index's order. Ties go to the earlier entry. */
  Near.prototype.suggest = function (query, entries) {
    var wanted = this.a.codeKey(query);
    if (!wanted || codePoints(wanted) > this.r.maxKeyChars) { return []; }
    var scored = [];
    for (var i = 0; i < entries.length; i++) {
      if (!entries[i]) { continue; }
      var score = this.closeness(wanted, entries[i][0] || '', entries[i][1] || '');
      if (score >= this.r.minSimilarity) { scored.push([score, i]); }
    }
    scored.sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
    return scored.slice(0, this.r.suggestions).map(function (x) { return x[1]; });
  };

  /* The edits search forgives between the query key wanted and a code key, or null: a different
     key, within the edits its length allows, with the same digits in the same order. */
  Near.prototype.typo = function (wanted, code) {
    var a = Array.from(wanted);
    var b = Array.from(code);
    var budget = null;
    this.r.typoEdits.forEach(function (pair) {
      if (a.length >= pair[0]) { budget = pair[1]; }
    });
    var digits = function (s) { return s.replace(/[^0-9]/g, ''); };
    if (budget === null || wanted === code || Math.abs(a.length - b.length) > budget ||
      digits(wanted) !== digits(code) || a.length > this.r.maxKeyChars) {
      return null;
    }
    var d = editDistance(a, b);
    return d <= budget ? d : null;
  };

  /* ---------- Decoding the index ---------- */

  /* Reads the numbers of one string: VLQ (five bits a digit, the sixth set on every digit but
     the last) and single digits. digits maps a character code to its value. */
  function Reader(digits, str) {
    this.digits = digits;
    this.s = str;
    this.i = 0;
  }

  Reader.prototype.done = function () {
    return this.i >= this.s.length;
  };

  Reader.prototype.digit = function () {
    return this.digits[this.s.charCodeAt(this.i++)];
  };

  Reader.prototype.vlq = function () {
    var v = 0;
    var scale = 1;
    var d;
    do {
      d = this.digit();
      v += (d & 31) * scale;
      scale *= 32;
    } while (d & 32);
    return v;
  };

  function Decoder(alphabet) {
    if (typeof alphabet !== 'string' || alphabet.length !== 64) {
      throw new Error('errorbook search: the index has no alphabet');
    }
    this.digits = new Int8Array(128).fill(-1);
    for (var d = 0; d < alphabet.length; d++) {
      this.digits[alphabet.charCodeAt(d)] = d;
    }
  }

  /* A string of VLQ numbers. */
  Decoder.prototype.numbers = function (str) {
    var r = new Reader(this.digits, str);
    var out = [];
    while (!r.done()) { out.push(r.vlq()); }
    return out;
  };

  /* A postings list: documents ascending (gaps in VLQ), each with its impact (one digit). */
  Decoder.prototype.postings = function (str) {
    var r = new Reader(this.digits, str);
    var docs = [];
    var impacts = [];
    var doc = 0;
    while (!r.done()) {
      doc += r.vlq();
      docs.push(doc);
      impacts.push(r.digit());
    }
    return { docs: docs, impacts: impacts };
  };

  /* ---------- Loading the index ---------- */

  /* The index as load(name) gives it (a promise of the data search/<name>.js registers), each
     file asked for once however many ask for it; a failed load is asked for again next time. */
  function Store(load) {
    this.load = load;
    this.memo = Object.create(null);
  }

  Store.prototype.once = function (key, make) {
    var memo = this.memo;
    if (!memo[key]) {
      memo[key] = Promise.resolve().then(make);
      memo[key].catch(function () { delete memo[key]; });
    }
    return memo[key];
  };

  Store.prototype.file = function (name) {
    var load = this.load;
    return this.once(name, function () { return load(name); });
  };

  /* Resolves to {m, a, d}: meta.js, the analyser and the decoder it describes. */
  Store.prototype.ready = function () {
    var self = this;
    return this.once('meta/checked', function () {
      return self.file('meta').then(function (m) {
        if (!m || m.format !== FORMAT) {
          throw new Error('errorbook search: unsupported index format');
        }
        var a = new Analyser(m.analysis);
        return { m: m, a: a, d: new Decoder(m.alphabet), n: new Near(m.near, a) };
      });
    });
  };

  Store.prototype.vocab = function (ctx, i) {
    var self = this;
    return this.once('vocab/' + i, function () {
      return self.file('v/' + i).then(function (v) {
        var code = new Uint8Array(v.t.length);
        v.c.forEach(function (x) { code[x] = 1; });
        return { index: i, terms: v.t, df: ctx.d.numbers(v.d), code: code, parts: v.p };
      });
    });
  };

  Store.prototype.postings = function (ctx, v, idx, full) {
    var self = this;
    return this.once('t/' + v.index + '/' + idx + (full ? '/full' : ''), function () {
      if (full) {
        return self.file('f/' + v.index + '-' + idx).then(function (s) { return ctx.d.postings(s); });
      }
      var part = upperBound(v.parts, idx) - 1;
      return self.file('p/' + v.index + '-' + part).then(function (list) {
        return ctx.d.postings(list[idx - v.parts[part]]);
      });
    });
  };

  Store.prototype.codeDocs = function (ctx, key) {
    var shard = ctx.a.fnv1a(key) % ctx.m.codeShards;
    return this.file('c/' + shard).then(function (c) {
      return Object.prototype.hasOwnProperty.call(c, key) ? c[key] : [];
    });
  };

  /* Shard i of the sorted keys: [[key, [documents whose code it is], [… whose slug it is]?]]. */
  Store.prototype.keyShard = function (i) {
    return this.file('k/' + i);
  };

  /* Every document's [code key, slug key], by document: what "did you mean" compares. */
  Store.prototype.allKeys = function (ctx) {
    var self = this;
    return this.once('keys/all', function () {
      return Promise.all((ctx.m.keys || []).map(function (_, i) { return self.keyShard(i); })).then(function (shards) {
        var byDoc = [];
        var put = function (docs, key, at) {
          (docs || []).forEach(function (doc) {
            byDoc[doc] = byDoc[doc] || ['', ''];
            byDoc[doc][at] = key;
          });
        };
        shards.forEach(function (rows) {
          rows.forEach(function (row) {
            put(row[1], row[0], 0);
            put(row[2], row[0], 1);
          });
        });
        return byDoc;
      });
    });
  };

  Store.prototype.docRow = function (m, doc) {
    var shard = Math.floor(doc / m.docShard);
    return this.file('d/' + shard).then(function (rows) {
      return rows[doc - shard * m.docShard];
    });
  };

  Store.prototype.facets = function (ctx) {
    var self = this;
    return this.once('facets/decoded', function () {
      return self.file('facets').then(function (f) {
        return { category: ctx.d.numbers(f.c), severity: ctx.d.numbers(f.s) };
      });
    });
  };

  /* ---------- Finding terms in the vocabulary ---------- */

  var PREFIX_WEIGHT = 0.7;     // a completion of the word being typed
  var FUZZY_WEIGHT = 0.5;      // a word one typo away
  var MAX_EXPANSIONS = 24;     // completions per typed word, most frequent first
  var MAX_FUZZY = 8;           // corrections per word, most frequent first
  var MAX_RANGE_SHARDS = 3;    // vocabulary shards read for one prefix
  var MAX_STEM_CUT = 3;        // letters typed past a stem that still mean it
  var MIN_STEM_LEN = 4;        // ... leaving at least this many

  /* Index of the first element of sorted a that is >= x (strings compare by UTF-16 units, as
     the index was sorted). */
  function lowerBound(a, x) {
    var lo = 0;
    var hi = a.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (a[mid] < x) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  function upperBound(a, x) {
    var lo = 0;
    var hi = a.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (a[mid] <= x) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /* Whether a and b are at most one edit apart (insertion, deletion, substitution, or swap of
     neighbours). */
  function withinOneEdit(a, b) {
    if (a === b) { return true; }
    var la = a.length;
    var lb = b.length;
    if (Math.abs(la - lb) > 1) { return false; }
    var i = 0;
    while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) { i++; }
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) { return true; }
      return a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) &&
        a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function shardOf(m, term) {
    return Math.max(0, upperBound(m.vocab, term) - 1);
  }

  /* The vocabulary shards holding terms that begin with prefix, at most MAX_RANGE_SHARDS. */
  function rangeShards(m, prefix) {
    var first = shardOf(m, prefix);
    var last = shardOf(m, prefix + '\uffff');
    var out = [];
    for (var i = first; i <= last && out.length < MAX_RANGE_SHARDS; i++) {
      out.push(i);
    }
    return out;
  }

  function fuzzyPrefixes(term) {
    var p = [term.slice(0, 2)];
    if (term.length >= 3) {
      p.push(term.charAt(0) + term.charAt(2));
    }
    return p;
  }

  /* The shorter forms of a word typed past its stem ("connecti" for "connect"). */
  function stemCuts(raw) {
    var out = [];
    for (var cut = 1; cut <= MAX_STEM_CUT && raw.length - cut >= MIN_STEM_LEN; cut++) {
      out.push(raw.slice(0, -cut));
    }
    return out;
  }

  /* The vocabulary shards a query needs, as numbers. */
  function wantedShards(m, q) {
    var wanted = Object.create(null);
    var want = function (s) { wanted[s] = true; };
    q.groups.forEach(function (g) {
      if (g.term !== null) { want(shardOf(m, g.term)); }
      if (g.typed) {
        rangeShards(m, g.raw).forEach(want);
        if (g.term) { rangeShards(m, g.term).forEach(want); }
        stemCuts(g.raw).forEach(function (t) { want(shardOf(m, t)); });
      }
      if (g.fuzzy) {
        fuzzyPrefixes(g.term).forEach(function (p) { rangeShards(m, p).forEach(want); });
      }
    });
    return Object.keys(wanted).map(Number);
  }

  /* Terms of the loaded shards that begin with prefix. */
  function eachWithPrefix(m, loaded, prefix, fn) {
    rangeShards(m, prefix).forEach(function (s) {
      var v = loaded[s];
      if (!v) { return; }
      for (var i = lowerBound(v.terms, prefix); i < v.terms.length; i++) {
        var t = v.terms[i];
        if (t.slice(0, prefix.length) !== prefix) { break; }
        fn(v, i, t);
      }
    });
  }

  function find(m, loaded, term) {
    var v = loaded[shardOf(m, term)];
    if (!v) { return null; }
    var i = lowerBound(v.terms, term);
    return v.terms[i] === term ? { v: v, i: i } : null;
  }

  /* The most frequent of found ({v, i, df, t}), at most n, frequent first, then by term. */
  function mostFrequent(found, n) {
    found.sort(function (a, b) { return b.df - a.df || (a.t < b.t ? -1 : 1); });
    return found.slice(0, n);
  }

  /* Completions of the word being typed. */
  function completions(m, loaded, g) {
    var found = [];
    var took = Object.create(null);
    var take = function (v, i, t) {
      if (!took[t] && t !== g.term && t.indexOf(' ') < 0) {
        took[t] = true;
        found.push({ v: v, i: i, df: v.df[i], t: t });
      }
    };
    eachWithPrefix(m, loaded, g.raw, take);
    if (g.term && g.term !== g.raw) {
      eachWithPrefix(m, loaded, g.term, take);
    }
    stemCuts(g.raw).forEach(function (t) {
      var hit = find(m, loaded, t);
      if (hit) { take(hit.v, hit.i, hit.v.terms[hit.i]); }
    });
    return mostFrequent(found, MAX_EXPANSIONS);
  }

  /* Words one typo away from the term, never whole codes nor words with digits. */
  function corrections(m, loaded, g) {
    var near = [];
    var got = Object.create(null);
    fuzzyPrefixes(g.term).forEach(function (p) {
      eachWithPrefix(m, loaded, p, function (v, i, t) {
        if (!got[t] && !v.code[i] && !/[0-9 ]/.test(t) && withinOneEdit(g.term, t)) {
          got[t] = true;
          near.push({ v: v, i: i, df: v.df[i], t: t });
        }
      });
    });
    return mostFrequent(near, MAX_FUZZY);
  }

  /* The index terms one query group stands for, each {v, i, term, weight}. */
  function resolve(m, loaded, g) {
    var out = [];
    var seen = Object.create(null);
    var add = function (v, i, weight) {
      var key = v.index + '/' + i;
      if (!seen[key]) {
        seen[key] = true;
        out.push({ v: v, i: i, term: v.terms[i], weight: weight });
      }
    };
    var exact = g.term === null ? null : find(m, loaded, g.term);
    if (exact) {
      add(exact.v, exact.i, 1);
    }
    if (g.typed) {
      completions(m, loaded, g).forEach(function (f) { add(f.v, f.i, PREFIX_WEIGHT); });
    }
    if (!exact && g.fuzzy && !out.length) {
      corrections(m, loaded, g).forEach(function (f) { add(f.v, f.i, FUZZY_WEIGHT); });
    }
    return out;
  }

  /* ---------- Ranking ---------- */

  var CANDIDATES = 16;         // best results checked for alias and title phrases
  var TIER = 10000;            // code match 3, alias phrase 2, title phrase 1
  var DEMOTION = TIER / 5;
  var QUOTED_MESSAGE_WORDS = 3; // words of an alias, quoted whole in a query, that rank it as a code
  var STATUSES = ['current', 'deprecated', 'retired'];     // per step: deprecated 1, retired 2; less than a whole-code match's bonus
  var MAX_LIMIT = 1000;
  var MAX_QUERY_CHARS = 4000;

  /* Document → 1 (deprecated) or 2 (retired), built once per index. */
  function demotions(m) {
    if (!m.demotedBy) {
      m.demotedBy = Object.create(null);
      (m.demoted || []).forEach(function (d) { m.demotedBy[d[0]] = d[1]; });
    }
    return m.demotedBy;
  }

  function filterOf(m, opts) {
    var f = { category: -1, severity: -1, product: null, none: false };
    if (opts.product) {
      var id = String(opts.product).toLowerCase();
      var found = (m.products || []).find(function (p) { return p[0] === id; });
      f.product = new Set(found ? found[2] : []);
      f.none = f.none || !found;
    }
    if (opts.category) {
      f.category = m.categories.findIndex(function (c) { return c[0] === opts.category; });
      f.none = f.none || f.category < 0;
    }
    if (opts.severity) {
      f.severity = m.severities.indexOf(opts.severity);
      f.none = f.none || f.severity < 0;
    }
    f.active = f.category >= 0 || f.severity >= 0 || f.product !== null;
    return f;
  }

  /* Whether doc passes the filter, given the facets (null when no filter is on). */
  function passes(filter, fac, doc) {
    return !fac || ((filter.category < 0 || fac.category[doc] === filter.category) &&
      (filter.severity < 0 || fac.severity[doc] === filter.severity) &&
      (filter.product === null || filter.product.has(doc)));
  }

  /* Resolves to {docs, keys}: docs maps a document to its code match (2 for the whole query, 1
     for a part), keys holds the query's code keys that met a code. */
  function codeHits(store, ctx, q) {
    var hits = Object.create(null);
    var met = Object.create(null);
    return Promise.all(q.codeKeys.map(function (key) {
      return store.codeDocs(ctx, key).then(function (docs) {
        if (docs.length) { met[key] = true; }
        docs.forEach(function (doc) {
          hits[doc] = Math.max(hits[doc] || 0, key === q.whole ? 2 : 1);
        });
      });
    })).then(function () { return { docs: hits, keys: met }; });
  }

  /* ---------- Codes near the query: typos and prefixes, from the sorted keys of k/ ---------- */

  var MAX_NEAR_KEYS = 4;       // query keys looked up among the codes a typo away
  var NEAR_STEP = 10;          // what each edit of a typo costs a result

  /* The shards of sorted keys holding keys that begin with prefix, at most MAX_RANGE_SHARDS. */
  function keyShards(m, prefix) {
    var firsts = m.keys || [];
    if (!firsts.length) { return []; }
    var first = Math.max(0, upperBound(firsts, prefix) - 1);
    var last = Math.max(0, upperBound(firsts, prefix + '\uffff') - 1);
    var out = [];
    for (var i = first; i <= last && out.length < MAX_RANGE_SHARDS; i++) { out.push(i); }
    return out;
  }

  /* Calls fn(row) for each row of the sorted keys whose key begins with one of prefixes. */
  function eachKeyRow(store, m, prefixes, fn) {
    var shards = Object.create(null);
    prefixes.forEach(function (p) { keyShards(m, p).forEach(function (i) { shards[i] = true; }); });
    return Promise.all(Object.keys(shards).map(Number).sort(function (a, b) { return a - b; }).map(function (i) {
      return store.keyShard(i);
    })).then(function (loaded) {
      loaded.forEach(function (rows) {
        rows.forEach(function (row) {
          if (prefixes.some(function (p) { return row[0].slice(0, p.length) === p; })) { fn(row); }
        });
      });
    });
  }

  /* Resolves to a map of document to the edits between its code and a key of the query that met
     no code, when some word of the query is not in the index either. The keys compared begin as
     the query key does (see fuzzyPrefixes), as with words. */
  function nearHits(store, ctx, q, loaded, met) {
    var m = ctx.m;
    var hits = Object.create(null);
    var unknown = q.groups.some(function (g) {
      return g.term !== null && g.term.indexOf(' ') < 0 && !find(m, loaded, g.term);
    });
    var shortest = m.near.typoEdits[0][0];
    var keys = q.codeKeys.filter(function (k) { return !met[k] && codePoints(k) >= shortest; }).slice(0, MAX_NEAR_KEYS);
    if (!unknown || !keys.length) { return Promise.resolve(hits); }
    return Promise.all(keys.map(function (key) {
      var prefixes = fuzzyPrefixes(key);
      return eachKeyRow(store, m, prefixes, function (row) {
        var edits = ctx.n.typo(key, row[0]);
        if (edits !== null) {
          row[1].forEach(function (doc) { hits[doc] = Math.min(hits[doc] || Infinity, edits); });
        }
      });
    })).then(function () { return hits; });
  }

  /* Resolves to a map of the documents whose code begins with the query being typed, when the
     query is one chunk with a digit (`50` for 500–504): at most MAX_EXPANSIONS codes. */
  function prefixHits(store, ctx, q) {
    var hits = Object.create(null);
    var whole = q.whole;
    if (q.typedRaw === null || q.chunks !== 1 || whole.length < 2 || !/[0-9]/.test(whole)) {
      return Promise.resolve(hits);
    }
    var taken = 0;
    return eachKeyRow(store, ctx.m, [whole], function (row) {
      if (row[0] !== whole && row[1].length && taken < MAX_EXPANSIONS) {
        taken++;
        row[1].forEach(function (doc) { hits[doc] = true; });
      }
    }).then(function () { return hits; });
  }

  /* Resolves to the loaded vocabulary shards by number. */
  function loadVocab(store, ctx, q) {
    var loaded = Object.create(null);
    return Promise.all(wantedShards(ctx.m, q).map(function (s) {
      return store.vocab(ctx, s).then(function (v) { loaded[s] = v; });
    })).then(function () { return loaded; });
  }

  /* Gives each candidate term its postings: the head its part holds, or the whole list when a
     filter is on and the head is not all of it. */
  function loadPostings(store, ctx, resolved, fac) {
    var loads = [];
    resolved.forEach(function (cands) {
      cands.forEach(function (c) {
        loads.push(store.postings(ctx, c.v, c.i, false).then(function (p) {
          return fac && p.docs.length < c.v.df[c.i] ? store.postings(ctx, c.v, c.i, true) : p;
        }).then(function (p) { c.postings = p; }));
      });
    });
    return Promise.all(loads);
  }

  /* The relevance sum of every document: each group adds its best candidate's impact times its
     weight. */
  function accumulate(resolved) {
    var acc = new Map();
    resolved.forEach(function (cands) {
      var best = cands.length > 1 ? new Map() : acc;
      cands.forEach(function (c) {
        var docs = c.postings.docs;
        var impacts = c.postings.impacts;
        for (var i = 0; i < docs.length; i++) {
          var s = c.weight * impacts[i];
          if (best === acc) {
            acc.set(docs[i], (acc.get(docs[i]) || 0) + s);
          } else if (s > (best.get(docs[i]) || 0)) {
            best.set(docs[i], s);
          }
        }
      });
      if (best !== acc) {
        best.forEach(function (s, doc) { acc.set(doc, (acc.get(doc) || 0) + s); });
      }
    });
    return acc;
  }

  function byScore(a, b) {
    return b.score - a.score || a.doc - b.doc;
  }

  /* A result's score from its tier (3 code, 2 alias phrase, 1 title phrase, 0 relevance alone),
     whether the whole query met it and the length of the phrase: a code the query begins ranks
     just below code matches; a code a typo away, with nothing else, below every other result. */
  function scoreOf(r, tier, whole, length) {
    if (r.prefix && tier < 3) {
      tier = 2;
      whole = true;
    }
    if (r.near && !tier && !length && !r.bm25) {
      return -TIER - r.near * NEAR_STEP - r.demotion * DEMOTION;
    }
    return tier * TIER + (whole ? TIER / 2 : 0) + length * 50 + r.bm25 - r.demotion * DEMOTION;
  }

  /* Documents by relevance and code match, best first: each {doc, bm25, code, near, prefix,
     score}. near maps documents to the edits of a code typo, prefix the codes being typed. */
  function firstRanking(m, acc, hits, ok, near, prefix) {
    [hits, near, prefix].forEach(function (map) {
      Object.keys(map).forEach(function (doc) {
        if (!acc.has(+doc)) { acc.set(+doc, 0); }
      });
    });
    var ranked = [];
    var demoted = demotions(m);
    acc.forEach(function (s, doc) {
      if (ok(doc)) {
        var code = hits[doc] || 0;
        var bm25 = s * m.scale;
        var demotion = demoted[doc] || 0;
        var r = {
          doc: doc,
          bm25: bm25,
          code: code,
          near: code ? 0 : near[doc] || 0,
          prefix: !!prefix[doc],
          demotion: demotion
        };
        r.score = scoreOf(r, code ? 3 : 0, code === 2, 0);
        ranked.push(r);
      }
    });
    return ranked.sort(byScore);
  }

  function realCount(tokens) {
    var n = 0;
    for (var i = 0; i < tokens.length; i++) {
      if (tokens[i].charAt(0) !== '<') { n++; }
    }
    return n;
  }

  /* Whether needle occurs in hay as a run; with prefixes, its last token may be the beginning of
     the one it meets. */
  function containsRun(hay, needle, prefixes) {
    var n = needle.length;
    outer:
    for (var i = 0; i + n <= hay.length; i++) {
      for (var j = 0; j < n; j++) {
        var h = hay[i + j];
        if (h === needle[j]) { continue; }
        if (prefixes && j === n - 1 && prefixes.some(function (p) { return p && h.indexOf(p) === 0; })) {
          continue;
        }
        continue outer;
      }
      return true;
    }
    return false;
  }

  /* How many tokens of an alias (or title) and the query meet as one phrase; 0 when they do not.
     The whole alias inside the query (a pasted log line), or two or more words of the query
     inside the alias (part of a message, typed). */
  function phraseMatch(target, q) {
    if (!target.length || !q.phrase.length) { return 0; }
    if (containsRun(q.phrase, target, null) &&
      (realCount(target) >= 2 || target.length === q.phrase.length)) {
      return target.length;
    }
    if (realCount(q.phrase) >= 2) {
      var prefixes = null;
      if (q.typedRaw) {
        prefixes = [q.phrase[q.phrase.length - 1], q.typedRaw];
      }
      if (containsRun(target, q.phrase, prefixes)) {
        return q.phrase.length;
      }
    }
    return 0;
  }

  /* Scores one result again with its phrase tier: an alias inside the query (or the query in an
     alias) ranks above a title phrase, which ranks above relevance alone. */
  function phraseScore(a, q, r) {
    var tier = r.code ? 3 : 0;
    var whole = r.code === 2;
    var length = 0;
    r.aliases = r.row[6] || [];
    r.aliases.forEach(function (alias) {
      var tokens = a.phraseTokens(alias);
      var n = phraseMatch(tokens, q);
      if (n > length) {
        length = n;
        r.alias = alias;
      }
      /* The query is one of the entry's messages, word for word: as sure as its code. */
      if (n && tokens.length === q.phrase.length && realCount(tokens) >= 2) {
        tier = 3;
        whole = true;
      } else if (n === tokens.length && realCount(tokens) >= QUOTED_MESSAGE_WORDS) {
        /* A message of several words quoted whole in a longer query (a pasted log line) is as
           sure as a code in it, and longer than one: `ERROR 1698 (28000): Access denied for
           user …` is about the entry with that message before the one whose code is 28000. */
        tier = 3;
      }
    });
    if (length) {
      tier = Math.max(tier, 2);
    } else {
      length = phraseMatch(a.phraseTokens(r.row[2]), q);
      if (length) { tier = Math.max(tier, 1); }
    }
    r.score = scoreOf(r, tier, whole, length);
  }

  /* Reads the rows of the best results and orders them by tier. A phrase of one token can only
     equal an alias or a title, which its terms already rank high: rows for the results alone.
     Longer queries check a wider pool. */
  function finalRanking(store, ctx, q, ranked, limit) {
    var pool = ranked.slice(0, q.phrase.length > 1 ? Math.max(CANDIDATES, limit) : limit);
    return Promise.all(pool.map(function (r) {
      return store.docRow(ctx.m, r.doc).then(function (row) { r.row = row; });
    })).then(function () {
      pool.forEach(function (r) { phraseScore(ctx.a, q, r); });
      return pool.sort(byScore).slice(0, limit);
    });
  }

  /* Resolves to {ctx, q, results, matched}: results are {doc, row, score, alias}, best first;
     matched is the set of index terms the query met. */
  function rank(store, query, opts) {
    opts = opts || {};
    var limit = opts.limit > 0 ? Math.min(Math.floor(opts.limit), MAX_LIMIT) : 10;
    var text = String(query === undefined || query === null ? '' : query).slice(0, MAX_QUERY_CHARS);
    return store.ready().then(function (ctx) {
      var m = ctx.m;
      var q = ctx.a.analyseQuery(text);
      var filter = filterOf(m, opts);
      var answer = { ctx: ctx, q: q, results: [], matched: new Set() };
      if (filter.none || !m.docs || (!q.groups.length && !q.codeKeys.length)) {
        return answer;
      }
      var facets = filter.active ? store.facets(ctx) : Promise.resolve(null);
      return Promise.all([facets, loadVocab(store, ctx, q), codeHits(store, ctx, q)]).then(function (r) {
        var fac = r[0];
        var resolved = q.groups.map(function (g) { return resolve(m, r[1], g); });
        resolved.forEach(function (cands) {
          cands.forEach(function (c) { answer.matched.add(c.term); });
        });
        return Promise.all([
          loadPostings(store, ctx, resolved, fac),
          nearHits(store, ctx, q, r[1], r[2].keys),
          prefixHits(store, ctx, q)
        ]).then(function (more) {
          var ok = function (doc) { return passes(filter, fac, doc); };
          var first = firstRanking(m, accumulate(resolved), r[2].docs, ok, more[1], more[2]);
          return finalRanking(store, ctx, q, first, limit);
        }).then(function (results) {
          answer.results = results;
          return answer;
        });
      });
    });
  }

  /* The public shape of a result; href is relative to the site root. */
  function publicResult(m, r) {
    var row = r.row;
    return {
      href: row[0],
      code: row[1],
      title: row[2],
      category: m.categories[row[3]][0],
      categoryName: m.categories[row[3]][1],
      severity: m.severities[row[4]],
      status: STATUSES[demotions(m)[r.doc] || 0],
      summary: row[5],
      alias: r.alias || null,
      score: Math.round(r.score * 1000) / 1000
    };
  }

  /* ---------- Beyond the results: what to open, what a filter hid, what comes close ---------- */

  /* The result to open at once (Enter): the only one, or one a whole tier ahead of the next. */
  function decisive(results) {
    if (results.length === 1 || (results.length > 1 && results[0].score - results[1].score >= TIER)) {
      return results[0];
    }
    return null;
  }

  /* Resolves to the entries whose code or slug comes closest to text (the rule of `errorbook
     explain`), as results with their rows. */
  function suggestions(store, ctx, text) {
    var key = ctx.a.codeKey(text);
    /* The rule suggests nothing for these: no need to read the keys. */
    if (!key || codePoints(key) > ctx.m.near.maxKeyChars) { return Promise.resolve([]); }
    return store.allKeys(ctx).then(function (byDoc) {
      return Promise.all(ctx.n.suggest(text, byDoc).map(function (doc) {
        return store.docRow(ctx.m, doc).then(function (row) { return { doc: doc, row: row, score: 0 }; });
      }));
    });
  }

  /* Adds to an answer of rank: best (the result to open at once, or null), and for an answer
     without results, unfiltered (how many results the query has without its filters, up to
     the limit) and, when that is none too, suggestions (the nearest codes). */
  function complete(store, text, opts, answer) {
    answer.best = decisive(answer.results);
    answer.unfiltered = 0;
    answer.suggestions = [];
    if (answer.results.length || !String(text).trim()) { return Promise.resolve(answer); }
    var filtered = opts && (opts.category || opts.severity || opts.product);
    var unfiltered = filtered ? rank(store, text, { limit: opts.limit }) : Promise.resolve(null);
    return unfiltered.then(function (all) {
      answer.unfiltered = all ? all.results.length : 0;
      return answer.unfiltered ? [] : suggestions(store, answer.ctx, String(text).slice(0, MAX_QUERY_CHARS));
    }).then(function (list) {
      answer.suggestions = list;
      return answer;
    });
  }

  /* ---------- Triage: every known error in a pasted log ---------- */

  /* The twin of src/search/triage.rs: a line matches an entry when its phrase holds one of the
     entry's alias phrases, or when the entry's code stands in it in context. The phrases, the
     codes and the rules (context words, limits) come from search/triage.js, which the builder
     writes from the same code the `errorbook triage` command matches with; tests hold the two
     to the same entries, counts and lines. */

  var MAX_SHOWN_LINES = 3;     // matched lines of an entry given with their text and marks
  var MAX_STEMS = 1 << 16;     // distinct words (and chunks) one triage keeps what it read of

  function TriageMatcher(data) {
    var self = this;
    this.data = data;
    this.contextWords = new Set(data.contextWords);
    this.notCodeWords = new Set(data.notCodeWords);
    this.unitWords = new Set(data.unitWords);
    /* Alias phrases by their first token, or their first two joined by a space. */
    this.phrases = new Map();
    this.firsts = new Set();
    data.phrases.forEach(function (p) {
      var tokens = p[0].split(' ');
      self.firsts.add(tokens[0]);
      var key = tokens.length > 1 ? tokens[0] + ' ' + tokens[1] : tokens[0];
      if (!self.phrases.has(key)) { self.phrases.set(key, []); }
      var strength = tokens.filter(function (t) { return t.charAt(0) !== '<'; }).length;
      self.phrases.get(key).push({ tokens: tokens, targets: p[1], strength: strength });
    });
    /* Codes with a letter by their first run. */
    this.codes = new Map();
    data.codes.forEach(function (c) {
      if (!self.codes.has(c[0][0])) { self.codes.set(c[0][0], []); }
      self.codes.get(c[0][0]).push({ runs: c[0], targets: c[1] });
    });
    this.numbers = new Map(data.numbers);
  }

  /* The head of a line the matcher reads: at most maxLineBytes of UTF-8, as the command cuts a
     line (a character cut in two reads as U+FFFD), without a final carriage return. */
  TriageMatcher.prototype.cut = function (line) {
    var max = this.data.maxLineBytes;
    if (line.length * 3 > max) {
      var bytes = 0;
      for (var i = 0; i < line.length; i++) {
        var c = line.charCodeAt(i);
        var pair = c >= 0xd800 && c < 0xdc00 && i + 1 < line.length;
        var n = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
        if (bytes + n > max) {
          line = line.slice(0, i) + (bytes < max ? '\ufffd' : '');
          break;
        }
        bytes += n;
        if (pair) { i++; }
      }
    }
    return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  };

  /* The tokens of one chunk as Analyser.scanChunk reads it, offsets from the chunk's start; a
     chunk that lowercasing changed the length of is marked whole. A chunk without punctuation,
     which no grammar of variable parts can take, is one run. */
  TriageMatcher.prototype.chunkTokens = function (a, piece) {
    var lower = piece.toLowerCase();
    var out = [];
    var core = a.trimCore(lower);
    if (this.joinerRe.test(core) || core.slice(0, 2) === '0x') {
      a.scanChunk(lower, out, 0);
    } else if (core) {
      out.push(a.runToken(core, 0, core.length));
    }
    if (lower.length !== piece.length) {
      out.forEach(function (tok) {
        tok.start = 0;
        tok.end = piece.length;
      });
    }
    return out;
  };

  /* The tokens of a line, each with its chunk (counted from 0) and its place in the line: what
     Analyser.scan gives, read faster for a log of thousands of lines, whose words and
     punctuation repeat: chunks are found with one expression, and each distinct chunk is read
     once (memo, cleared when it grows past MAX_STEMS). */
  TriageMatcher.prototype.scanLine = function (a, text, memo) {
    if (!this.chunkRe) {
      this.chunkRe = new RegExp('[\\p{Alphabetic}\\p{Nd}\\p{Nl}\\p{No}' + escapeClass(a.t.joiners) + ']+', 'gu');
      this.joinerRe = new RegExp('[' + escapeClass(a.t.joiners) + ']');
    }
    var re = this.chunkRe;
    var out = [];
    var chunk = 0;
    var m;
    re.lastIndex = 0;
    while ((m = re.exec(text)) !== null) {
      var tokens = memo.get(m[0]);
      if (tokens === undefined) {
        tokens = this.chunkTokens(a, m[0]);
        memo.set(m[0], tokens);
      }
      for (var i = 0; i < tokens.length; i++) {
        var tok = tokens[i];
        out.push({ kind: tok.kind, text: tok.text, chunk: chunk, start: m.index + tok.start, end: m.index + tok.end });
      }
      chunk++;
    }
    return out;
  };

  /* A match in a line: its target, whether by an alias, the characters it marks [start, end),
     the tokens it covers [first, last] and how specific it is (as Hit in triage.rs). */
  function TriageHit(target, byAlias, start, end, first, last, strength) {
    this.target = target;
    this.byAlias = byAlias;
    this.start = start;
    this.end = end;
    this.first = first;
    this.last = last;
    this.strength = strength;
  }

  /* Pushes a hit for each alias phrase the line's phrase holds. A run of one placeholder is one
     phrase token: it marks the whole run, and covers the run's first token, as the command
     counts it. */
  TriageMatcher.prototype.aliases = function (a, tokens, stems, hits) {
    var phrase = [];
    var starts = [];
    var ends = [];
    var at = [];
    var last = '';
    var maxNumber = a.t.maxPhraseNumberLen;
    for (var i = 0; i < tokens.length; i++) {
      var tok = tokens[i];
      var p;
      if (tok.kind === 'word') {
        p = stems.get(tok.text);
        if (p === undefined) {
          p = a.stem(tok.text);
          stems.set(tok.text, p);
        }
        last = '';
      } else if (tok.kind === 'number' && tok.text.length <= maxNumber) {
        p = tok.text;
        last = '';
      } else {
        p = tok.kind === 'number' ? a.p.num : tok.text;
        if (p === last) {
          ends[ends.length - 1] = tok.end;
          continue;
        }
        last = p;
      }
      phrase.push(p);
      starts.push(tok.start);
      ends.push(tok.end);
      at.push(i);
    }
    for (var s = 0; s < phrase.length; s++) {
      if (!this.firsts.has(phrase[s])) { continue; }
      var one = this.phrases.get(phrase[s]);
      var two = s + 1 < phrase.length ? this.phrases.get(phrase[s] + ' ' + phrase[s + 1]) : undefined;
      for (var l = 0; l < 2; l++) {
        var list = (l ? two : one) || [];
        for (var k = 0; k < list.length; k++) {
          var want = list[k].tokens;
          var n = want.length;
          if (s + n > phrase.length) { continue; }
          var j = 2;
          while (j < n && phrase[s + j] === want[j]) { j++; }
          if (j >= n) {
            for (var t = 0; t < list[k].targets.length; t++) {
              hits.push(new TriageHit(list[k].targets[t], true, starts[s], ends[s + n - 1], at[s], at[s + n - 1],
                list[k].strength));
            }
          }
        }
      }
    }
  };

  /* Pushes a hit for each code the line holds in context. */
  TriageMatcher.prototype.codesIn = function (tokens, hits) {
    var data = this.data;
    var unit = data.codeRunStrength;
    for (var i = 0; i < tokens.length; i++) {
      var tok = tokens[i];
      if (tok.kind === 'placeholder') { continue; }
      var codes = this.codes.get(tok.text);
      for (var c = 0; codes && c < codes.length; c++) {
        var runs = codes[c].runs;
        var whole = true;
        for (var k = 0; k < runs.length && whole; k++) {
          var next = tokens[i + k];
          whole = next !== undefined && next.chunk === tok.chunk && next.text === runs[k];
        }
        if (whole) {
          var lastRun = i + runs.length - 1;
          codes[c].targets.forEach(function (t) {
            hits.push(new TriageHit(t, false, tok.start, tokens[lastRun].end, i, lastRun, unit * runs.length));
          });
        }
      }
      if (tok.kind !== 'number') { continue; }
      var targets = this.numbers.get(tok.text);
      if (!targets) { continue; }
      var after = tokens[i + 1];
      var prev = i > 0 ? tokens[i - 1] : null;
      if ((after && after.chunk === tok.chunk) || (prev && prev.chunk === tok.chunk && prev.kind === 'number') ||
        (prev && (this.notCodeWords.has(prev.text) || this.unitWords.has(prev.text))) ||
        (after && after.kind === 'word' && this.unitWords.has(after.text) &&
          (!tokens[i + 2] || tokens[i + 2].kind !== 'number'))) {
        continue;
      }
      var before = [];
      for (var b = Math.max(0, i - data.contextTokens); b < i; b++) {
        if (tokens[b].kind === 'word') { before.push(tokens[b].text); }
      }
      var inCategory = targets.filter(function (t) {
        return data.categories[data.entries[t][1]].some(function (w) { return before.indexOf(w) >= 0; });
      });
      var self = this;
      var picked = inCategory.length ? inCategory :
        before.some(function (w) { return self.contextWords.has(w); }) ? targets : [];
      picked.forEach(function (t) { hits.push(new TriageHit(t, false, tok.start, tok.end, i, i, unit)); });
    }
  };

  /* Of hits that cover the same tokens, only the most specific (dropWeaker in triage.rs). */
  function dropWeaker(hits) {
    if (hits.length < 2) { return hits; }
    return hits.filter(function (h) {
      return !hits.some(function (g) {
        return g.target !== h.target && g.strength > h.strength && g.first <= h.last && h.first <= g.last;
      });
    });
  }

  /* Marks as sorted, non-overlapping [start, end] pairs. */
  function mergeMarks(marks) {
    marks.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
    var out = [];
    marks.forEach(function (m) {
      var top = out[out.length - 1];
      if (top && m[0] <= top[1]) {
        top[1] = Math.max(top[1], m[1]);
      } else {
        out.push([m[0], m[1]]);
      }
    });
    return out;
  }

  /* Tallies every line of text: {lines, tallies}, a tally per entry found, in no order. */
  TriageMatcher.prototype.scan = function (a, text) {
    var lines = String(text).split('\n');
    if (lines[lines.length - 1] === '') { lines.pop(); }
    var tallies = new Map();
    var stems = new Map();
    var chunks = new Map();
    var maxLines = this.data.maxLines;
    for (var n = 0; n < lines.length; n++) {
      var line = this.cut(lines[n]);
      if (stems.size > MAX_STEMS) { stems.clear(); }
      if (chunks.size > MAX_STEMS) { chunks.clear(); }
      var tokens = this.scanLine(a, line, chunks);
      var found = [];
      this.aliases(a, tokens, stems, found);
      this.codesIn(tokens, found);
      var hits = dropWeaker(found);
      for (var h = 0; h < hits.length; h++) {
        var t = hits[h].target;
        var tally = tallies.get(t);
        if (!tally) {
          tally = { target: t, count: 0, byAlias: false, last: 0, lines: [], shown: [] };
          tallies.set(t, tally);
        }
        tally.byAlias = tally.byAlias || hits[h].byAlias;
        if (tally.last !== n + 1) {
          tally.last = n + 1;
          tally.count++;
          if (tally.lines.length < maxLines) { tally.lines.push(n + 1); }
          if (tally.shown.length < MAX_SHOWN_LINES) { tally.shown.push({ line: n + 1, text: line, marks: [] }); }
        }
        var shown = tally.shown[tally.shown.length - 1];
        if (shown.line === n + 1) { shown.marks.push([hits[h].start, hits[h].end]); }
      }
    }
    return { lines: lines.length, tallies: Array.from(tallies.values()) };
  };

  /* The entries found, most relevant first: by an alias before by a code alone, then more
     lines, then an earlier first line, then by category/slug. */
  function byRelevance(x, y) {
    return (y.byAlias - x.byAlias) || (y.count - x.count) || (x.lines[0] - y.lines[0]) || (x.target - y.target);
  }

  Store.prototype.triageMatcher = function () {
    var self = this;
    return this.once('triage/matcher', function () {
      return self.file('triage').then(function (data) { return new TriageMatcher(data); });
    });
  };

  /* Resolves to {lines, found}: how many lines the text has, and each entry found, most
     relevant first, as {href, code, title, category, categoryName, severity, status, by, count,
     lines, shown}: by is 'alias' or 'code'; lines the first line numbers (1-based) that matched;
     shown the first of them as {line, text, marks}, marks the [start, end] of what matched. */
  function triage(store, text) {
    return Promise.all([store.ready(), store.triageMatcher()]).then(function (r) {
      var ctx = r[0];
      var matcher = r[1];
      var scanned = matcher.scan(ctx.a, text);
      var tallies = scanned.tallies.sort(byRelevance);
      return Promise.all(tallies.map(function (tally) {
        var doc = matcher.data.entries[tally.target][0];
        return store.docRow(ctx.m, doc).then(function (row) {
          var m = ctx.m;
          return {
            href: row[0],
            code: row[1],
            title: row[2],
            category: m.categories[row[3]][0],
            categoryName: m.categories[row[3]][1],
            severity: m.severities[row[4]],
            status: STATUSES[demotions(m)[doc] || 0],
            by: tally.byAlias ? 'alias' : 'code',
            count: tally.count,
            lines: tally.lines,
            shown: tally.shown.map(function (s) {
              return { line: s.line, text: s.text, marks: mergeMarks(s.marks) };
            })
          };
        });
      })).then(function (found) {
        return { lines: scanned.lines, found: found };
      });
    });
  }

  /* An engine over the index that load(name) returns files of (a promise of the data that
     search/<name>.js registers). */
  function createEngine(load) {
    var store = new Store(load);
    return {
      /* Resolves to meta.js. */
      meta: function () {
        return store.ready().then(function (ctx) { return ctx.m; });
      },
      /* Resolves to the analyser of this index. */
      analyser: function () {
        return store.ready().then(function (ctx) { return ctx.a; });
      },
      /* Resolves to {results, best, unfiltered, suggestions, matched, typedRaw, categories,
         severities, highlight}: results are [{href, code, title, category, categoryName,
         severity, summary, alias, score}], best first; best is the one of them to open at once
         (or null); for no results, unfiltered says how many the query has without its filters
         and suggestions lists the entries with the nearest codes (as results); matched is the
         set of index terms the query met and typedRaw the word being typed; highlight(text)
         marks them in a text (see Analyser.highlight). */
      query: function (query, opts) {
        return rank(store, query, opts).then(function (r) {
          return complete(store, query, opts, r);
        }).then(function (r) {
          var pub = function (x) { return publicResult(r.ctx.m, x); };
          return {
            results: r.results.map(pub),
            best: r.best ? pub(r.best) : null,
            unfiltered: r.unfiltered,
            suggestions: r.suggestions.map(pub),
            matched: r.matched,
            typedRaw: r.q.typedRaw,
            categories: r.ctx.m.categories,
            severities: r.ctx.m.severities,
            highlight: function (text) { return r.ctx.a.highlight(text, r.matched, r.q.typedRaw); }
          };
        });
      },
      search: function (query, opts) {
        return this.query(query, opts).then(function (r) { return r.results; });
      },
      /* Resolves to the entries whose code or slug comes closest to text, best first, as
         results: what "did you mean" offers, by the rule `errorbook explain` follows. */
      suggest: function (text) {
        return store.ready().then(function (ctx) {
          return suggestions(store, ctx, String(text === undefined || text === null ? '' : text).slice(0, MAX_QUERY_CHARS)).then(function (list) {
            return list.map(function (x) { return publicResult(ctx.m, x); });
          });
        });
      },
      /* Resolves to every known error in a log (see triage above). */
      triage: function (text) {
        return triage(store, text);
      }
    };
  }

  var api = {
    FORMAT: FORMAT,
    createAnalyser: function (tables) { return new Analyser(tables); },
    /* The rule of the nearest codes over meta.js's numbers (near) and analysis tables. */
    createNear: function (rule, tables) { return new Near(rule, new Analyser(tables)); },
    createEngine: createEngine
  };

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    /* For ui.js, which follows in assets/search.js. */
    global.errorbookSearchEngine = api;
  }
})(typeof window !== 'undefined' ? window : globalThis);
