/* errorbook search: the query engine, the header search box and the results page.

   The index is a set of scripts under search/ that the build writes; each hands its data to
   errorbookShard(name, data). Loading them with <script> elements (not fetch) keeps search
   working when the site is opened from disk. docs/search.md describes the format and ranking.

   The text analysis below is the twin of src/search/text.rs and src/search/stem.rs: a query
   must be cut into terms exactly as the index was. tests/search-vectors.json holds the cases
   both sides are tested against.

   The same file runs under node (module.exports), where tests/js/ and bench/ drive the engine. */
(function (global) {
  'use strict';

  /* ---------- Text analysis ---------- */

  var ALNUM = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;
  var JOINERS = '.:/\\-_@#%+~*$&?!^';
  var MAX_NUMBER_LEN = 6;
  var MAX_PHRASE_NUMBER_LEN = 3;
  var MAX_WORD_LEN = 40;
  var STOP_WORDS = new Set([
    'a', 'about', 'after', 'all', 'also', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'been',
    'but', 'by', 'can', 'could', 'did', 'do', 'does', 'for', 'from', 'had', 'has', 'have', 'how',
    'i', 'if', 'in', 'into', 'is', 'it', 'its', 'may', 'more', 'most', 'must', 'no', 'not', 'of',
    'on', 'or', 'our', 'should', 'so', 'some', 'such', 'than', 'that', 'the', 'their', 'them',
    'then', 'there', 'these', 'they', 'this', 'those', 'to', 'was', 'we', 'were', 'what', 'when',
    'where', 'which', 'while', 'who', 'will', 'with', 'would', 'you'
  ]);

  function isAlnum(ch) {
    return ALNUM.test(ch);
  }

  function isChunkChar(ch) {
    return isAlnum(ch) || JOINERS.indexOf(ch) >= 0;
  }

  function codePoints(s) {
    return Array.from(s).length;
  }

  /* Calls fn(chunk, start, end) for each maximal run of chunk characters; offsets in UTF-16
     units of text. */
  function eachChunk(text, fn) {
    var start = -1;
    var i = 0;
    for (var ch of text) {
      if (isChunkChar(ch)) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        fn(text.slice(start, i), start, i);
        start = -1;
      }
      i += ch.length;
    }
    if (start >= 0) {
      fn(text.slice(start), start, text.length);
    }
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

  function isHexId(run) {
    return run.length >= 8 && /^[0-9a-f]+$/.test(run) && /[0-9]/.test(run) && /[a-z]/.test(run);
  }

  /* The placeholder for a chunk that is a variable part as a whole, or null. */
  function classify(s) {
    if (!s) {
      return null;
    }
    if (isUrl(s)) { return '<url>'; }
    if (isEmail(s)) { return '<email>'; }
    if (isUuid(s)) { return '<uuid>'; }
    if (isIpv4(s) || isIpv6(s)) { return '<ip>'; }
    if (isDate(s)) { return '<date>'; }
    if (isTime(s)) { return '<time>'; }
    if (isPath(s)) { return '<path>'; }
    if (isHexLiteral(s)) { return '<hex>'; }
    return null;
  }

  function trimCore(lower) {
    return lower.replace(/[.:!?]+$/, '');
  }

  /* Tokens of one lowercased chunk: {kind: 'word'|'number'|'placeholder', text, start, end},
     offsets relative to the chunk. */
  function scanChunk(lower, out, base) {
    var core = trimCore(lower);
    var placeholder = classify(core);
    if (placeholder) {
      out.push({ kind: 'placeholder', text: placeholder, start: base, end: base + core.length });
      return;
    }
    var start = -1;
    var i = 0;
    var push = function (end) {
      var run = core.slice(start, end);
      var kind = 'word';
      var text = run;
      if (/^[0-9]+$/.test(run)) {
        kind = 'number';
      } else if (isHexId(run)) {
        kind = 'placeholder';
        text = '<hex>';
      } else if (codePoints(run) > MAX_WORD_LEN) {
        kind = 'placeholder';
        text = '<id>';
      }
      out.push({ kind: kind, text: text, start: base + start, end: base + end });
    };
    for (var ch of core) {
      if (isAlnum(ch)) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0) {
        push(i);
        start = -1;
      }
      i += ch.length;
    }
    if (start >= 0) {
      push(core.length);
    }
  }

  /* Every token of text. Offsets are into text where lowercasing kept the chunk's length, and
     null otherwise. */
  function scan(text) {
    var out = [];
    eachChunk(String(text), function (chunk, start) {
      var lower = chunk.toLowerCase();
      var from = out.length;
      scanChunk(lower, out, start);
      if (lower.length !== chunk.length) {
        for (var i = from; i < out.length; i++) {
          out[i].start = out[i].end = null;
        }
      }
    });
    return out;
  }

  function termOf(tok) {
    if (tok.kind === 'word') {
      if (codePoints(tok.text) > 1 && !STOP_WORDS.has(tok.text)) {
        return stem(tok.text);
      }
    } else if (tok.kind === 'number') {
      if (tok.text.length >= 2 && tok.text.length <= MAX_NUMBER_LEN) {
        return tok.text;
      }
    }
    return null;
  }

  /* The index terms of text, in order, repeats kept. */
  function terms(text) {
    var out = [];
    scan(text).forEach(function (tok) {
      var t = termOf(tok);
      if (t !== null) {
        out.push(t);
      }
    });
    return out;
  }

  function phraseToken(tok) {
    if (tok.kind === 'word') {
      return stem(tok.text);
    }
    if (tok.kind === 'number') {
      return tok.text.length <= MAX_PHRASE_NUMBER_LEN ? tok.text : '<num>';
    }
    return tok.text;
  }

  /* text as a phrase: words stemmed, long numbers and variable parts as placeholders, and a run
     of one placeholder as one. */
  function phraseTokens(text) {
    var out = [];
    scan(text).forEach(function (tok) {
      var t = phraseToken(tok);
      if (t.charAt(0) === '<' && out.length && out[out.length - 1] === t) {
        return;
      }
      out.push(t);
    });
    return out;
  }

  /* The neighbouring pairs of a phrase as index terms ("live upstream"), but for pairs of two
     placeholders. */
  function bigrams(phrase) {
    var out = [];
    for (var i = 0; i + 1 < phrase.length; i++) {
      if (!(phrase[i].charAt(0) === '<' && phrase[i + 1].charAt(0) === '<')) {
        out.push(phrase[i] + ' ' + phrase[i + 1]);
      }
    }
    return out;
  }

  function codeKey(s) {
    var kept = '';
    for (var ch of String(s)) {
      if (isAlnum(ch)) {
        kept += ch;
      }
    }
    return kept.toLowerCase();
  }

  var encoder = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;

  function fnv1a(s) {
    var bytes = encoder.encode(s);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* ---------- The Porter stemmer (twin of src/search/stem.rs) ---------- */

  function stem(word) {
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) {
      return word;
    }
    var b = word.split('');
    var k = b.length - 1;
    var j = 0;

    function cons(i) {
      switch (b[i]) {
        case 'a': case 'e': case 'i': case 'o': case 'u': return false;
        case 'y': return i === 0 || !cons(i - 1);
        default: return true;
      }
    }
    function m() {
      var end = j + 1;
      var n = 0;
      var i = 0;
      while (i < end && cons(i)) { i++; }
      for (;;) {
        while (i < end && !cons(i)) { i++; }
        if (i >= end) { return n; }
        while (i < end && cons(i)) { i++; }
        n++;
      }
    }
    function vowelInStem() {
      for (var i = 0; i <= j; i++) {
        if (!cons(i)) { return true; }
      }
      return false;
    }
    function doubleC(i) {
      return i >= 1 && b[i] === b[i - 1] && cons(i);
    }
    function cvc(i) {
      return i >= 2 && cons(i) && !cons(i - 1) && cons(i - 2) &&
        b[i] !== 'w' && b[i] !== 'x' && b[i] !== 'y';
    }
    function ends(s) {
      var len = s.length;
      if (len > k + 1) { return false; }
      for (var i = 0; i < len; i++) {
        if (b[k + 1 - len + i] !== s.charAt(i)) { return false; }
      }
      j = k - len;
      return true;
    }
    function setTo(s) {
      b.length = j + 1;
      for (var i = 0; i < s.length; i++) { b.push(s.charAt(i)); }
      k = b.length - 1;
    }
    function r(s) {
      if (m() > 0) { setTo(s); }
    }
    function replaceFirst(rules) {
      for (var i = 0; i < rules.length; i += 2) {
        if (ends(rules[i])) {
          r(rules[i + 1]);
          return;
        }
      }
    }

    // Step 1ab: plurals and -ed or -ing.
    if (b[k] === 's') {
      if (ends('sses')) { k -= 2; } else if (ends('ies')) { setTo('i'); } else if (b[k - 1] !== 's') { k -= 1; }
      b.length = k + 1;
    }
    if (ends('eed')) {
      if (m() > 0) { k -= 1; }
    } else if ((ends('ed') || ends('ing')) && vowelInStem()) {
      k = j;
      b.length = k + 1;
      if (ends('at')) {
        setTo('ate');
      } else if (ends('bl')) {
        setTo('ble');
      } else if (ends('iz')) {
        setTo('ize');
      } else if (doubleC(k)) {
        if (b[k - 1] !== 'l' && b[k - 1] !== 's' && b[k - 1] !== 'z') { k -= 1; }
      } else {
        j = k;
        if (m() === 1 && cvc(k)) { setTo('e'); }
      }
    }
    b.length = k + 1;
    if (k > 0) {
      // Step 1c.
      if (ends('y') && vowelInStem()) { b[k] = 'i'; }
      // Step 2.
      replaceFirst([
        'ational', 'ate', 'tional', 'tion', 'enci', 'ence', 'anci', 'ance', 'izer', 'ize',
        'abli', 'able', 'alli', 'al', 'entli', 'ent', 'eli', 'e', 'ousli', 'ous',
        'ization', 'ize', 'ation', 'ate', 'ator', 'ate', 'alism', 'al', 'iveness', 'ive',
        'fulness', 'ful', 'ousness', 'ous', 'aliti', 'al', 'iviti', 'ive', 'biliti', 'ble'
      ]);
      // Step 3.
      replaceFirst([
        'icate', 'ic', 'ative', '', 'alize', 'al', 'iciti', 'ic', 'ical', 'ic', 'ful', '',
        'ness', ''
      ]);
      // Step 4.
      var step4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment',
        'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];
      for (var s4 = 0; s4 < step4.length; s4++) {
        if (ends(step4[s4])) {
          if (!(step4[s4] === 'ion' && !(j >= 0 && (b[j] === 's' || b[j] === 't'))) && m() > 1) {
            k = j;
          }
          break;
        }
      }
      // Step 5.
      j = k;
      if (b[k] === 'e') {
        var a = m();
        if (a > 1 || (a === 1 && !cvc(k - 1))) { k -= 1; }
      }
      if (b[k] === 'l' && doubleC(k) && m() > 1) { k -= 1; }
    }
    return b.slice(0, k + 1).join('');
  }

  /* ---------- Index decoding ---------- */

  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  var DIGIT = new Int8Array(128).fill(-1);
  for (var d = 0; d < ALPHABET.length; d++) {
    DIGIT[ALPHABET.charCodeAt(d)] = d;
  }

  function decodeVlq(str) {
    var out = [];
    var i = 0;
    while (i < str.length) {
      var v = 0;
      var scale = 1;
      var digit;
      do {
        digit = DIGIT[str.charCodeAt(i++)];
        v += (digit & 31) * scale;
        scale *= 32;
      } while (digit & 32);
      out.push(v);
    }
    return out;
  }

  /* A postings list: documents ascending, and each one's impact (1..63). */
  function decodePostings(str) {
    var docs = [];
    var impacts = [];
    var doc = 0;
    var i = 0;
    while (i < str.length) {
      var v = 0;
      var scale = 1;
      var digit;
      do {
        digit = DIGIT[str.charCodeAt(i++)];
        v += (digit & 31) * scale;
        scale *= 32;
      } while (digit & 32);
      doc += v;
      docs.push(doc);
      impacts.push(DIGIT[str.charCodeAt(i++)]);
    }
    return { docs: docs, impacts: impacts };
  }

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

  /* ---------- The engine ---------- */

  var PREFIX_WEIGHT = 0.7;     // a completion of the word being typed
  var FUZZY_WEIGHT = 0.5;      // a word one typo away
  var MAX_QUERY_TERMS = 48;    // a pasted stack trace is cut here
  var MAX_QUERY_PAIRS = 48;    // word pairs looked up among the aliases' pairs
  var MAX_EXPANSIONS = 24;     // completions per typed word, most frequent first
  var MAX_FUZZY = 8;           // corrections per word, most frequent first
  var MIN_FUZZY_LEN = 5;       // letters a word needs before typos are forgiven
  var MAX_RANGE_SHARDS = 3;    // vocabulary shards read for one prefix
  var CANDIDATES = 16;         // best results checked for alias and title phrases
  var MAX_CODE_KEYS = 24;      // code look-ups per query
  var TIER = 10000;            // code match 3, alias phrase 2, title phrase 1
  var SKIP_FOR_CODES = { '<url>': 1, '<email>': 1, '<uuid>': 1, '<ip>': 1, '<date>': 1, '<time>': 1, '<path>': 1 };

  /* What a query asks: its terms (one group each), its phrase and its code keys. */
  function analyseQuery(text) {
    var tokens = scan(text);
    var last = Array.from(text).pop();
    var typing = last !== undefined && isAlnum(last);
    var groups = [];
    var byTerm = Object.create(null);
    var single = tokens.length === 1;
    tokens.forEach(function (tok, i) {
      var term = termOf(tok);
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

    // Codes: the whole query, each chunk, and a word with the number after it ("Error 1045").
    // In a pasted line (four chunks or more) only chunks that look like codes are looked up:
    // with a capital, a digit or an underscore.
    var keys = [];
    var whole = codeKey(text);
    if (whole && whole.length <= 64) {
      keys.push(whole);
    }
    var chunks = [];
    eachChunk(text, function (chunk) { chunks.push(chunk); });
    var pasted = chunks.length >= 4;
    var previous = null;
    chunks.forEach(function (chunk) {
      var lower = chunk.toLowerCase();
      if (SKIP_FOR_CODES[classify(trimCore(lower))]) {
        previous = null;
        return;
      }
      var key = codeKey(lower);
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
    keys = keys.filter(function (k) {
      return !seen[k] && (seen[k] = true);
    }).slice(0, MAX_CODE_KEYS);

    var phrase = [];
    tokens.forEach(function (tok) {
      var t = phraseToken(tok);
      if (!(t.charAt(0) === '<' && phrase.length && phrase[phrase.length - 1] === t)) {
        phrase.push(t);
      }
    });
    bigrams(phrase).slice(0, MAX_QUERY_PAIRS).forEach(function (pair) {
      if (!byTerm[pair]) {
        byTerm[pair] = { term: pair, raw: pair, typed: false, fuzzy: false };
        groups.push(byTerm[pair]);
      }
    });
    var lastTok = tokens[tokens.length - 1];
    return {
      groups: groups,
      codeKeys: keys,
      whole: whole,
      phrase: phrase,
      typedRaw: typing && lastTok && lastTok.kind !== 'placeholder' ? lastTok.text : null
    };
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
        var lastPhrase = q.phrase[q.phrase.length - 1];
        prefixes = [lastPhrase, q.typedRaw];
      }
      if (containsRun(target, q.phrase, prefixes)) {
        return q.phrase.length;
      }
    }
    return 0;
  }

  /* An engine over the index that load(name) returns shards of (a promise of the data that
     search/<name>.js registers). */
  function createEngine(load) {
    var memo = Object.create(null);

    function once(key, make) {
      if (!memo[key]) {
        memo[key] = Promise.resolve().then(make);
        memo[key].catch(function () { delete memo[key]; });
      }
      return memo[key];
    }

    function meta() {
      return once('meta/checked', function () {
        return file('meta').then(function (m) {
          if (!m || m.format !== 1) {
            throw new Error('errorbook search: unsupported index format');
          }
          return m;
        });
      });
    }

    function vocab(i) {
      return once('vocab/' + i, function () {
        return file('v/' + i).then(function (v) {
          var code = new Uint8Array(v.t.length);
          v.c.forEach(function (x) { code[x] = 1; });
          return { index: i, terms: v.t, df: decodeVlq(v.d), code: code, parts: v.p };
        });
      });
    }

    /* A file as it loads, once, however many ask for it. */
    function file(name) {
      return once(name, function () { return load(name); });
    }

    function postings(shard, idx, full) {
      return once('t/' + shard + '/' + idx + (full ? '/full' : ''), function () {
        if (full) {
          return file('f/' + shard + '-' + idx).then(decodePostings);
        }
        return vocab(shard).then(function (v) {
          var part = upperBound(v.parts, idx) - 1;
          return file('p/' + shard + '-' + part).then(function (list) {
            return decodePostings(list[idx - v.parts[part]]);
          });
        });
      });
    }

    function codeDocs(m, key) {
      var shard = fnv1a(key) % m.codeShards;
      return file('c/' + shard).then(function (c) {
        return Object.prototype.hasOwnProperty.call(c, key) ? c[key] : [];
      });
    }

    function docRow(m, doc) {
      var shard = Math.floor(doc / m.docShard);
      return file('d/' + shard).then(function (rows) {
        return rows[doc - shard * m.docShard];
      });
    }

    function facets() {
      return once('facets/decoded', function () {
        return file('facets').then(function (f) {
          return { category: decodeVlq(f.c), severity: decodeVlq(f.s) };
        });
      });
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

    /* The index terms one query group stands for, each with its weight. */
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
        // A word typed past its stem ("connecti") still means the stem ("connect").
        for (var cut = 1; cut <= 3 && g.raw.length - cut >= 4; cut++) {
          var hit = find(m, loaded, g.raw.slice(0, -cut));
          if (hit) { take(hit.v, hit.i, hit.v.terms[hit.i]); }
        }
        found.sort(function (a, b) { return b.df - a.df || (a.t < b.t ? -1 : 1); });
        found.slice(0, MAX_EXPANSIONS).forEach(function (f) { add(f.v, f.i, PREFIX_WEIGHT); });
      }
      if (!exact && g.fuzzy && !out.length) {
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
        near.sort(function (a, b) { return b.df - a.df || (a.t < b.t ? -1 : 1); });
        near.slice(0, MAX_FUZZY).forEach(function (f) { add(f.v, f.i, FUZZY_WEIGHT); });
      }
      return out;
    }

    function filterOf(m, opts) {
      var f = { category: -1, severity: -1, none: false };
      if (opts.category) {
        f.category = m.categories.findIndex(function (c) { return c[0] === opts.category; });
        f.none = f.none || f.category < 0;
      }
      if (opts.severity) {
        f.severity = m.severities.indexOf(opts.severity);
        f.none = f.none || f.severity < 0;
      }
      f.active = f.category >= 0 || f.severity >= 0;
      return f;
    }

    /* Resolves to the best results, each {doc, row, score, alias}. */
    function rank(query, opts) {
      opts = opts || {};
      var limit = opts.limit > 0 ? Math.min(Math.floor(opts.limit), 1000) : 10;
      var text = String(query === undefined || query === null ? '' : query).slice(0, 4000);
      return meta().then(function (m) {
        var q = analyseQuery(text);
        var filter = filterOf(m, opts);
        if (filter.none || !m.docs || (!q.groups.length && !q.codeKeys.length)) {
          return { m: m, q: q, results: [], matched: new Set() };
        }

        var wanted = Object.create(null);
        q.groups.forEach(function (g) {
          if (g.term !== null) { wanted[shardOf(m, g.term)] = true; }
          if (g.typed) {
            rangeShards(m, g.raw).forEach(function (s) { wanted[s] = true; });
            if (g.term) { rangeShards(m, g.term).forEach(function (s) { wanted[s] = true; }); }
            for (var cut = 1; cut <= 3 && g.raw.length - cut >= 4; cut++) {
              wanted[shardOf(m, g.raw.slice(0, -cut))] = true;
            }
          }
          if (g.fuzzy) {
            fuzzyPrefixes(g.term).forEach(function (p) {
              rangeShards(m, p).forEach(function (s) { wanted[s] = true; });
            });
          }
        });
        var loaded = Object.create(null);
        var vocabLoads = Object.keys(wanted).map(function (s) {
          return vocab(+s).then(function (v) { loaded[s] = v; });
        });
        var codeHits = Object.create(null);
        var codeLoads = q.codeKeys.map(function (key) {
          return codeDocs(m, key).then(function (docs) {
            docs.forEach(function (doc) {
              codeHits[doc] = Math.max(codeHits[doc] || 0, key === q.whole ? 2 : 1);
            });
          });
        });
        var facetLoad = filter.active ? facets() : Promise.resolve(null);

        return Promise.all([facetLoad, Promise.all(vocabLoads), Promise.all(codeLoads)])
          .then(function (r) {
            var fac = r[0];
            var ok = function (doc) {
              return !fac || ((filter.category < 0 || fac.category[doc] === filter.category) &&
                (filter.severity < 0 || fac.severity[doc] === filter.severity));
            };
            var resolved = q.groups.map(function (g) { return resolve(m, loaded, g); });
            var matched = new Set();
            var postingLoads = [];
            resolved.forEach(function (cands) {
              cands.forEach(function (c) {
                matched.add(c.term);
                var truncated = null;
                postingLoads.push(postings(c.v.index, c.i, false).then(function (p) {
                  truncated = fac && p.docs.length < c.v.df[c.i];
                  return truncated ? postings(c.v.index, c.i, true) : p;
                }).then(function (p) { c.postings = p; }));
              });
            });
            return Promise.all(postingLoads).then(function () {
              return score(m, q, resolved, codeHits, ok, limit, matched);
            });
          });
      });
    }

    function score(m, q, resolved, codeHits, ok, limit, matched) {
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
      Object.keys(codeHits).forEach(function (doc) {
        doc = +doc;
        if (!acc.has(doc)) { acc.set(doc, 0); }
      });
      var ranked = [];
      acc.forEach(function (s, doc) {
        if (ok(doc)) {
          var code = codeHits[doc] || 0;
          var bm25 = s * m.scale;
          ranked.push({
            doc: doc,
            bm25: bm25,
            code: code,
            score: (code ? 3 * TIER : 0) + (code === 2 ? TIER / 2 : 0) + bm25
          });
        }
      });
      ranked.sort(byScore);
      // A phrase of one token can only equal an alias or a title, which its terms already
      // rank high: read rows for the results alone. Longer queries check a wider pool.
      var pool = ranked.slice(0, q.phrase.length > 1 ? Math.max(CANDIDATES, limit) : limit);
      return Promise.all(pool.map(function (r) {
        return docRow(m, r.doc).then(function (row) { r.row = row; });
      })).then(function () {
        pool.forEach(function (r) {
          var tier = r.code ? 3 : 0;
          var length = 0;
          r.aliases = r.row[6] || [];
          r.aliases.forEach(function (alias) {
            var n = phraseMatch(phraseTokens(alias), q);
            if (n > length) {
              length = n;
              r.alias = alias;
            }
          });
          if (length) {
            tier = Math.max(tier, 2);
          } else {
            length = phraseMatch(phraseTokens(r.row[2]), q);
            if (length) { tier = Math.max(tier, 1); }
          }
          r.score = tier * TIER + (r.code === 2 ? TIER / 2 : 0) + length * 50 + r.bm25;
        });
        pool.sort(byScore);
        return { m: m, q: q, results: pool.slice(0, limit), matched: matched };
      });
    }

    function byScore(a, b) {
      return b.score - a.score || a.doc - b.doc;
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
        summary: row[5],
        alias: r.alias || null,
        score: Math.round(r.score * 1000) / 1000
      };
    }

    return {
      meta: meta,
      /* Resolves to {results, matched, typedRaw, categories, severities}: results are
         [{href, code, title, category, categoryName, severity, summary, alias, score}], best
         first; matched is the set of index terms the query met and typedRaw the word being
         typed (both for marking words in results). */
      query: function (query, opts) {
        return rank(query, opts).then(function (r) {
          return {
            results: r.results.map(function (x) { return publicResult(r.m, x); }),
            matched: r.matched,
            typedRaw: r.q.typedRaw,
            categories: r.m.categories,
            severities: r.m.severities
          };
        });
      },
      search: function (query, opts) {
        return this.query(query, opts).then(function (r) { return r.results; });
      }
    };
  }

  /* Splits text into [[piece, marked], …]: a word is marked when its term is one the query
     matched, or when it begins with the word being typed. */
  function highlight(text, matched, typedRaw) {
    text = String(text || '');
    var marks = [];
    scan(text).forEach(function (tok) {
      if (tok.start === null || tok.kind === 'placeholder') { return; }
      var term = tok.kind === 'word' ? stem(tok.text) : tok.text;
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
  }

  var api = {
    scan: scan,
    terms: terms,
    phraseTokens: phraseTokens,
    bigrams: bigrams,
    stem: stem,
    codeKey: codeKey,
    fnv1a: fnv1a,
    analyseQuery: analyseQuery,
    highlight: highlight,
    createEngine: createEngine
  };

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  }

  /* ---------- In the browser ---------- */

  if (typeof document === 'undefined') {
    return;
  }

  var doc = document;
  var script = doc.currentScript;
  var assetVersion = '';
  if (script && script.src) {
    try {
      assetVersion = new URL(script.src).searchParams.get('v') || '';
    } catch (e) {
      /* No version then. */
    }
  }
  var rootAttr = doc.documentElement.getAttribute('data-root');
  var indexSuffix = doc.documentElement.getAttribute('data-index-suffix') || '';
  var root = rootAttr !== null ? rootAttr :
    (script && script.src ? script.src.replace(/assets\/search\.js(\?.*)?$/, '') : '/');

  var waiting = Object.create(null);
  var indexHash = '';

  /* Every index file calls this as it loads. */
  global.errorbookShard = function (name, data) {
    var w = waiting[name];
    if (w) {
      delete waiting[name];
      w.forEach(function (resolve) { resolve(data); });
    }
  };

  /* Loads search/<name>.js; the engine asks for each file once. */
  function loadScript(name) {
    return new Promise(function (resolve, reject) {
      /* Pages carry only the version of the assets, not of the index (an edit would rewrite
         every page), so the index description is asked for anew every minute. */
      var v = name === 'meta' ? assetVersion + '.' + Math.floor(Date.now() / 60000) : indexHash;
      var el = doc.createElement('script');
      (waiting[name] = waiting[name] || []).push(resolve);
      el.src = root + 'search/' + name + '.js' + (v ? '?v=' + encodeURIComponent(v) : '');
      el.async = true;
      el.onload = function () {
        el.remove();
        if (waiting[name]) {
          delete waiting[name];
          reject(new Error('errorbook search: search/' + name + '.js did not register'));
        }
      };
      el.onerror = function () {
        el.remove();
        delete waiting[name];
        reject(new Error('errorbook search: could not load search/' + name + '.js'));
      };
      doc.head.appendChild(el);
    });
  }

  var engine = createEngine(function (name) {
    return loadScript(name).then(function (data) {
      if (name === 'meta') { indexHash = data.hash || ''; }
      return data;
    });
  });

  function absolute(href) {
    try {
      return new URL(root + href, doc.baseURI).href;
    } catch (e) {
      return root + href;
    }
  }

  function searchPageUrl(params) {
    var query = Object.keys(params).filter(function (k) { return params[k]; }).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
    }).join('&');
    return root + 'search/' + indexSuffix + (query ? '?' + query : '');
  }

  var eb = global.errorbook = global.errorbook || {};
  /* The public API: the same engine the search box uses. */
  eb.search = function (query, options) {
    options = options || {};
    return engine.search(query, {
      limit: options.limit,
      category: options.category,
      severity: options.severity
    }).then(function (results) {
      return results.map(function (r) {
        return {
          url: absolute(r.href),
          code: r.code,
          title: r.title,
          category: r.category,
          severity: r.severity,
          score: r.score
        };
      });
    });
  };

  function el(tag, className, text) {
    var e = doc.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function marked(tag, className, text, matched, typedRaw) {
    var e = el(tag, className);
    highlight(text, matched, typedRaw).forEach(function (piece) {
      e.appendChild(piece[1] ? el('mark', null, piece[0]) : doc.createTextNode(piece[0]));
    });
    return e;
  }

  /* The content of one result: code, title, badges, snippet. */
  function resultBody(container, r, matched, typedRaw) {
    var head = el('span', 'search-result-head');
    head.appendChild(marked('code', 'search-result-code', r.code, matched, typedRaw));
    head.appendChild(marked('span', 'search-result-title', r.title, matched, typedRaw));
    container.appendChild(head);
    var meta = el('span', 'search-result-meta');
    meta.appendChild(el('span', 'badge badge-category', r.categoryName));
    meta.appendChild(doc.createTextNode(' '));
    var sev = el('span', 'badge sev sev-' + r.severity);
    sev.appendChild(el('span', 'visually-hidden', 'Severity: '));
    sev.appendChild(doc.createTextNode(r.severity));
    meta.appendChild(sev);
    container.appendChild(meta);
    var snippet = r.alias || r.summary;
    if (snippet) {
      var s = marked('span', 'search-result-snippet', snippet, matched, typedRaw);
      if (r.alias) {
        s.classList.add('search-result-alias');
        s.insertBefore(el('span', 'search-result-alias-label', 'Also seen as: '), s.firstChild);
      }
      container.appendChild(s);
    }
  }

  function isEditable(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    return tag === 'input' || tag === 'textarea' || tag === 'select' || target.isContentEditable;
  }

  /* The header search box: results as you type, as an ARIA combobox with a listbox popup. */
  function initBox() {
    var input = doc.getElementById('site-search-input');
    var list = doc.getElementById('site-search-results');
    if (!input || !list) { return; }
    var form = input.form;
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Search results');
    list.classList.add('search-popup');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    if (!input.getAttribute('aria-keyshortcuts')) { input.setAttribute('aria-keyshortcuts', '/'); }
    var status = el('div', 'visually-hidden');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    (form || input.parentNode).appendChild(status);

    var seq = 0;
    var active = -1;
    var options = [];

    function setActive(i) {
      if (active >= 0 && options[active]) {
        options[active].setAttribute('aria-selected', 'false');
        options[active].classList.remove('is-active');
      }
      active = i;
      if (i >= 0 && options[i]) {
        options[i].setAttribute('aria-selected', 'true');
        options[i].classList.add('is-active');
        input.setAttribute('aria-activedescendant', options[i].id);
        if (options[i].scrollIntoView) { options[i].scrollIntoView({ block: 'nearest' }); }
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function close() {
      seq++;
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      setActive(-1);
    }

    function option(href, index) {
      var a = el('a', 'search-option');
      a.href = href;
      a.id = 'site-search-option-' + index;
      a.setAttribute('role', 'option');
      a.setAttribute('aria-selected', 'false');
      a.tabIndex = -1;
      a.addEventListener('mousemove', function () {
        if (active !== index) { setActive(index); }
      });
      return a;
    }

    function render(r, text) {
      list.textContent = '';
      options = [];
      active = -1;
      input.removeAttribute('aria-activedescendant');
      r.results.forEach(function (res) {
        var a = option(root + res.href, options.length);
        a.classList.add('search-result');
        resultBody(a, res, r.matched, r.typedRaw);
        options.push(a);
        list.appendChild(a);
      });
      var more = option(searchPageUrl({ q: text }), options.length);
      more.classList.add('search-option-more');
      if (r.results.length) {
        more.textContent = 'All results for “' + text.trim() + '”';
      } else {
        more.textContent = 'No entry matches “' + text.trim() + '”. Browse every entry';
        more.href = root + indexSuffix;
      }
      options.push(more);
      list.appendChild(more);
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      status.textContent = r.results.length ?
        r.results.length + (r.results.length === 1 ? ' result' : ' results') + ' available' :
        'No results';
    }

    function update() {
      var text = input.value;
      if (!text.trim()) {
        close();
        status.textContent = '';
        return;
      }
      var mine = ++seq;
      engine.query(text, { limit: 8 }).then(function (r) {
        if (mine !== seq) { return; }
        render(r, text);
      }, function (err) {
        if (mine !== seq) { return; }
        list.textContent = '';
        options = [];
        list.appendChild(el('div', 'search-error', 'Search is unavailable: ' + err.message));
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      });
    }

    input.addEventListener('input', update);
    input.addEventListener('focus', function () {
      engine.meta().catch(function () {});
      if (input.value.trim() && list.hidden) { update(); }
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (list.hidden) {
          if (input.value.trim()) { update(); }
          return;
        }
        e.preventDefault();
        if (!options.length) { return; }
        var next = e.key === 'ArrowDown' ? active + 1 : active - 1;
        if (next >= options.length) { next = 0; }
        if (next < 0) { next = options.length - 1; }
        setActive(next);
      } else if (e.key === 'Enter') {
        if (!list.hidden && active >= 0 && options[active]) {
          e.preventDefault();
          global.location.href = options[active].href;
        }
      } else if (e.key === 'Escape') {
        if (!list.hidden) {
          e.preventDefault();
          close();
        } else if (input.value) {
          e.preventDefault();
          input.value = '';
        }
      } else if (e.key === 'Tab') {
        close();
      }
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target)) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
    doc.addEventListener('mousedown', function (e) {
      if (!list.hidden && !list.contains(e.target) && e.target !== input) { close(); }
    });
  }

  /* The results page: /search/?q=…&category=…&severity=… */
  function initPage() {
    var out = doc.getElementById('search-page-results');
    if (!out) { return; }
    var form = doc.getElementById('search-page-form');
    var input = doc.getElementById('search-page-input');
    var category = doc.getElementById('search-page-category');
    var severity = doc.getElementById('search-page-severity');
    var status = doc.getElementById('search-page-status');
    var moreButton = doc.getElementById('search-page-more');
    var params = new URLSearchParams(global.location.search);
    var limit = 50;
    var seq = 0;
    if (input) { input.value = params.get('q') || ''; }

    function say(text) {
      if (status) { status.textContent = text; }
    }

    function values() {
      return {
        q: input ? input.value : '',
        category: category ? category.value : '',
        severity: severity ? severity.value : ''
      };
    }

    function run(keepLimit) {
      var v = values();
      if (!keepLimit) { limit = 50; }
      if (global.history && global.history.replaceState && global.location.protocol !== 'file:') {
        var url = searchPageUrl(v);
        try { global.history.replaceState(null, '', url); } catch (e) { /* Not for this URL. */ }
      }
      var mine = ++seq;
      if (!v.q.trim()) {
        out.textContent = '';
        if (moreButton) { moreButton.hidden = true; }
        say('Type an error code, a message or a line from a log.');
        return;
      }
      say('Searching…');
      engine.query(v.q, { limit: limit, category: v.category, severity: v.severity }).then(function (r) {
        if (mine !== seq) { return; }
        out.textContent = '';
        var ol = el('ol', 'search-page-list');
        r.results.forEach(function (res) {
          var li = el('li', 'search-page-item');
          var a = el('a', 'search-result search-page-link');
          a.href = root + res.href;
          resultBody(a, res, r.matched, r.typedRaw);
          li.appendChild(a);
          ol.appendChild(li);
        });
        if (r.results.length) {
          out.appendChild(ol);
        }
        var n = r.results.length;
        say(n ? (n === limit ? 'The first ' + n : n) + (n === 1 ? ' result' : ' results') + ' for “' + v.q.trim() + '”' :
          'No entry matches “' + v.q.trim() + '”.');
        if (!n) {
          var p = el('p', 'search-page-empty');
          p.appendChild(doc.createTextNode('Try fewer words, or '));
          var home = el('a', null, 'browse every entry by category');
          home.href = root + indexSuffix;
          p.appendChild(home);
          p.appendChild(doc.createTextNode('.'));
          out.appendChild(p);
        }
        if (moreButton) { moreButton.hidden = n < limit; }
      }, function (err) {
        if (mine !== seq) { return; }
        say('Search is unavailable: ' + err.message);
      });
    }

    /* Adds the values the index knows that the select lacks, then picks the one the address
       asks for. */
    function fillSelect(select, pairs) {
      if (!select) { return; }
      var have = Object.create(null);
      Array.prototype.forEach.call(select.options, function (o) { have[o.value] = true; });
      pairs.forEach(function (p) {
        if (!have[p[0]]) {
          var o = el('option', null, p[1]);
          o.value = p[0];
          select.appendChild(o);
        }
      });
      select.value = params.get(select.name) || '';
    }

    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        run();
      });
    }
    if (input) { input.addEventListener('input', function () { run(); }); }
    [category, severity].forEach(function (s) {
      if (s) { s.addEventListener('change', function () { run(); }); }
    });
    if (moreButton) {
      moreButton.addEventListener('click', function () {
        limit += 50;
        run(true);
      });
    }
    engine.meta().then(function (m) {
      fillSelect(category, m.categories);
      fillSelect(severity, m.severities.map(function (s) { return [s, s]; }));
    }, function () {}).then(function () { run(); });
  }

  function init() {
    initBox();
    initPage();
  }

  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})(typeof window !== 'undefined' ? window : globalThis);
