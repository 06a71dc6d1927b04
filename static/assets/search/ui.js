/* errorbook search: the header search box, the results page and window.errorbook.search, on
   the engine of engine.js (which comes first in assets/search.js and leaves its API in
   errorbookSearchEngine). Index files are loaded with <script> elements, not fetch, so search
   works when the site is opened from disk.

   The wrapper below is the file's scope, not a function of logic. */
(function (global) {
  'use strict';

  var searchEngine = global.errorbookSearchEngine;
  if (typeof document === 'undefined' || !searchEngine) {
    return;
  }

  var doc = document;
  var script = doc.currentScript;

  /* ---------- Where the site is, and loading its index ---------- */

  function assetVersionOf(el) {
    if (el && el.src) {
      try {
        return new URL(el.src).searchParams.get('v') || '';
      } catch (e) {
        /* No version then. */
      }
    }
    return '';
  }

  var assetVersion = assetVersionOf(script);
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

  var engine = searchEngine.createEngine(function (name) {
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
      severity: options.severity,
      product: options.product
    }).then(function (results) {
      return results.map(function (r) {
        return {
          url: absolute(r.href),
          code: r.code,
          title: r.title,
          category: r.category,
          severity: r.severity,
          status: r.status,
          score: r.score
        };
      });
    });
  };

  /* ---------- Results as elements ---------- */

  function el(tag, className, text) {
    var e = doc.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  /* text in an element, the words the query met marked (answer: what engine.query gives). */
  function marked(tag, className, text, answer) {
    var e = el(tag, className);
    answer.highlight(text).forEach(function (piece) {
      e.appendChild(piece[1] ? el('mark', null, piece[0]) : doc.createTextNode(piece[0]));
    });
    return e;
  }

  /* The content of one result: code, title, badges, snippet. */
  function resultBody(container, r, answer) {
    var head = el('span', 'search-result-head');
    head.appendChild(marked('code', 'search-result-code', r.code, answer));
    head.appendChild(marked('span', 'search-result-title', r.title, answer));
    container.appendChild(head);
    var meta = el('span', 'search-result-meta');
    meta.appendChild(el('span', 'badge badge-category', r.categoryName));
    meta.appendChild(doc.createTextNode(' '));
    var sev = el('span', 'badge sev sev-' + r.severity);
    sev.appendChild(el('span', 'visually-hidden', 'Severity: '));
    sev.appendChild(doc.createTextNode(r.severity));
    meta.appendChild(sev);
    if (r.status && r.status !== 'current') {
      meta.appendChild(doc.createTextNode(' '));
      meta.appendChild(el('span', 'badge badge-status badge-' + r.status, r.status));
    }
    container.appendChild(meta);
    var snippet = r.alias || r.summary;
    if (snippet) {
      var s = marked('span', 'search-result-snippet', snippet, answer);
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

  /* Opens what Enter on text asks for: the entry when the answer has one to open at once (an
     exact code, or a result far ahead of the next); otherwise calls otherwise(), or opens the
     results page. params: the filters. */
  function go(text, params, otherwise) {
    params = params || {};
    var filters = { category: params.category, severity: params.severity, product: params.product };
    var page = function () {
      global.location.href = searchPageUrl({ q: text, category: filters.category, severity: filters.severity, product: filters.product });
    };
    return engine.query(text, { limit: 8, category: filters.category, severity: filters.severity, product: filters.product }).then(function (answer) {
      if (answer.best) {
        global.location.href = root + answer.best.href;
      } else {
        (otherwise || page)();
      }
    }, function () { (otherwise || page)(); });
  }
  eb.go = go;

  /* ---------- The header search box: an ARIA combobox with a listbox popup ---------- */

  function SearchBox(input, list) {
    this.input = input;
    this.list = list;
    this.seq = 0;
    this.active = -1;
    this.options = [];
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Search results');
    list.classList.add('search-popup');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    if (!input.getAttribute('aria-keyshortcuts')) { input.setAttribute('aria-keyshortcuts', '/'); }
    this.status = el('div', 'visually-hidden');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    (input.form || input.parentNode).appendChild(this.status);
  }

  SearchBox.prototype.setActive = function (i) {
    var options = this.options;
    if (this.active >= 0 && options[this.active]) {
      options[this.active].setAttribute('aria-selected', 'false');
      options[this.active].classList.remove('is-active');
    }
    this.active = i;
    if (i >= 0 && options[i]) {
      options[i].setAttribute('aria-selected', 'true');
      options[i].classList.add('is-active');
      this.input.setAttribute('aria-activedescendant', options[i].id);
      if (options[i].scrollIntoView) { options[i].scrollIntoView({ block: 'nearest' }); }
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  };

  SearchBox.prototype.close = function () {
    this.seq++;
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.setActive(-1);
  };

  SearchBox.prototype.open = function () {
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  };

  /* An option of the list, appended to it, leading to href. */
  SearchBox.prototype.option = function (href, parent) {
    var self = this;
    var index = this.options.length;
    var a = el('a', 'search-option');
    a.href = href;
    a.id = 'site-search-option-' + index;
    a.setAttribute('role', 'option');
    a.setAttribute('aria-selected', 'false');
    a.tabIndex = -1;
    a.addEventListener('mousemove', function () {
      if (self.active !== index) { self.setActive(index); }
    });
    this.options.push(a);
    (parent || this.list).appendChild(a);
    return a;
  };

  SearchBox.prototype.render = function (answer, text) {
    var self = this;
    this.list.textContent = '';
    this.options = [];
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    answer.results.forEach(function (res) {
      var a = self.option(root + res.href);
      a.classList.add('search-result');
      resultBody(a, res, answer);
    });
    var n = answer.results.length;
    if (!n) { this.renderSuggestions(answer, text); }
    var more = this.option(searchPageUrl({ q: text }));
    more.classList.add('search-option-more');
    if (n) {
      more.textContent = 'All results for “' + text.trim() + '”';
    } else {
      more.textContent = (answer.suggestions.length ? 'Or browse every entry' :
        'No entry matches “' + text.trim() + '”. Browse every entry');
      more.href = root + indexSuffix;
    }
    this.open();
    this.status.textContent = n ? n + (n === 1 ? ' result' : ' results') + ' available' :
      answer.suggestions.length ? 'No results; ' + answer.suggestions.length + ' near codes suggested' : 'No results';
  };

  /* For a query without results: "did you mean", the entries with the nearest codes. */
  SearchBox.prototype.renderSuggestions = function (answer, text) {
    var self = this;
    if (!answer.suggestions.length) { return; }
    var group = el('div', 'search-suggest');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-labelledby', 'site-search-suggest-label');
    var label = el('div', 'search-suggest-label', 'No entry matches “' + text.trim() + '”. Did you mean:');
    label.id = 'site-search-suggest-label';
    group.appendChild(label);
    this.list.appendChild(group);
    answer.suggestions.forEach(function (res) {
      var a = self.option(root + res.href, group);
      a.classList.add('search-result', 'search-suggestion');
      resultBody(a, res, answer);
    });
  };

  SearchBox.prototype.fail = function (err) {
    this.list.textContent = '';
    this.options = [];
    this.list.appendChild(el('div', 'search-error', 'Search is unavailable: ' + err.message));
    this.open();
  };

  SearchBox.prototype.update = function () {
    if (this.holdsLog()) {
      this.triage();
      return;
    }
    var self = this;
    var text = this.input.value;
    if (!text.trim()) {
      this.close();
      this.status.textContent = '';
      return;
    }
    var mine = ++this.seq;
    engine.query(text, { limit: 8 }).then(function (answer) {
      if (mine === self.seq) { self.render(answer, text); }
    }, function (err) {
      if (mine === self.seq) { self.fail(err); }
    });
  };

  SearchBox.prototype.move = function (step) {
    if (!this.options.length) { return; }
    var next = this.active + step;
    if (next >= this.options.length) { next = 0; }
    if (next < 0) { next = this.options.length - 1; }
    this.setActive(next);
  };

  SearchBox.prototype.onKeydown = function (e) {
    var open = !this.list.hidden;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!open) {
        if (this.input.value.trim()) { this.update(); }
        return;
      }
      e.preventDefault();
      this.move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && this.active >= 0 && this.options[this.active]) {
        global.location.href = this.options[this.active].href;
      } else if (this.input.value.trim()) {
        go(this.input.value);
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        this.close();
      } else if (this.input.value) {
        e.preventDefault();
        this.input.value = '';
      }
    } else if (e.key === 'Tab') {
      this.close();
    }
  };

  function initBox() {
    var input = doc.getElementById('site-search-input');
    var list = doc.getElementById('site-search-results');
    if (!input || !list) { return; }
    var box = new SearchBox(input, list);
    input.addEventListener('input', function () { box.update(); });
    input.addEventListener('focus', function () {
      /* Loads the index description early; a failure shows with the first query. */
      engine.meta().catch(function () {});
      if (input.value.trim() && list.hidden) { box.update(); }
    });
    input.addEventListener('paste', function (e) { box.paste(e); });
    input.addEventListener('keydown', function (e) { box.onTriageKeydown(e); });
    input.addEventListener('keydown', function (e) { box.onKeydown(e); });
    doc.addEventListener('keydown', function (e) {
      /* errorbook.js handles the shortcut too, before this script is loaded. */
      if (e.key === '/' && !e.defaultPrevented && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target)) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
    doc.addEventListener('mousedown', function (e) {
      if (!list.hidden && !list.contains(e.target) && e.target !== input) { box.close(); }
    });
    /* Loaded once the box was used: what was typed meanwhile gets its results now, and a log
       pasted meanwhile (kept whole by errorbook.js) is triaged. */
    if (eb.pendingPaste) {
      var pending = eb.pendingPaste;
      eb.pendingPaste = null;
      box.pasteLog(pending);
    } else if (doc.activeElement === input && input.value.trim()) {
      box.update();
    }
  }

  /* ---------- The results page: /search/?q=…&category=…&severity=…&product=… ---------- */

  var PAGE = 50;

  function ResultsPage(out) {
    this.out = out;
    this.input = doc.getElementById('search-page-input');
    this.category = doc.getElementById('search-page-category');
    this.severity = doc.getElementById('search-page-severity');
    this.product = doc.getElementById('search-page-product');
    this.status = doc.getElementById('search-page-status');
    this.moreButton = doc.getElementById('search-page-more');
    this.params = new URLSearchParams(global.location.search);
    this.limit = PAGE;
    this.seq = 0;
    if (this.input) { this.input.value = this.params.get('q') || ''; }
  }

  ResultsPage.prototype.say = function (text) {
    if (this.status) { this.status.textContent = text; }
  };

  ResultsPage.prototype.values = function () {
    return {
      q: this.input ? this.input.value : '',
      category: this.category ? this.category.value : '',
      severity: this.severity ? this.severity.value : '',
      product: this.product ? this.product.value : ''
    };
  };

  /* Keeps the address in step with the form, so the view can be linked and bookmarked. */
  ResultsPage.prototype.remember = function (v) {
    if (global.history && global.history.replaceState && global.location.protocol !== 'file:') {
      try { global.history.replaceState(null, '', searchPageUrl(v)); } catch (e) { /* Not for this URL. */ }
    }
  };

  ResultsPage.prototype.run = function (keepLimit) {
    var self = this;
    var v = this.values();
    if (!keepLimit) { this.limit = PAGE; }
    /* A log stays out of the address: it may be thousands of lines. */
    this.remember(isLog(v.q) ? Object.assign({}, v, { q: '' }) : v);
    var mine = ++this.seq;
    if (!v.q.trim()) {
      this.out.textContent = '';
      if (this.moreButton) { this.moreButton.hidden = true; }
      this.say('Type an error code, a message or a line from a log.');
      return;
    }
    if (isLog(v.q)) {
      this.triage(v.q);
      return;
    }
    this.say('Searching…');
    var limit = this.limit;
    engine.query(v.q, { limit: limit, category: v.category, severity: v.severity, product: v.product }).then(function (answer) {
      if (mine === self.seq) { self.show(answer, v.q.trim(), limit); }
    }, function (err) {
      if (mine === self.seq) { self.say('Search is unavailable: ' + err.message); }
    });
  };

  ResultsPage.prototype.show = function (answer, q, limit) {
    var out = this.out;
    out.textContent = '';
    var n = answer.results.length;
    if (n) {
      var ol = el('ol', 'search-page-list');
      answer.results.forEach(function (res) {
        var li = el('li', 'search-page-item');
        var a = el('a', 'search-result search-page-link');
        a.href = root + res.href;
        resultBody(a, res, answer);
        li.appendChild(a);
        ol.appendChild(li);
      });
      out.appendChild(ol);
      this.say((n === limit ? 'The first ' + n : n) + (n === 1 ? ' result' : ' results') + ' for “' + q + '”');
    } else if (answer.unfiltered) {
      this.showFiltered(answer, q);
    } else {
      this.say('No entry matches “' + q + '”.');
      this.showSuggestions(answer);
      var p = el('p', 'search-page-empty');
      p.appendChild(doc.createTextNode('Try fewer words, or '));
      var home = el('a', null, 'browse every entry by category');
      home.href = root + indexSuffix;
      p.appendChild(home);
      p.appendChild(doc.createTextNode('.'));
      out.appendChild(p);
    }
    if (this.moreButton) { this.moreButton.hidden = n < limit; }
  };

  /* No results because of the filters: says so, and offers the search without them. */
  ResultsPage.prototype.showFiltered = function (answer, q) {
    var self = this;
    var n = answer.unfiltered;
    this.say('No entry matches “' + q + '” with these filters.');
    var p = el('p', 'search-page-filtered');
    p.appendChild(doc.createTextNode('The filters removed ' + (n === this.limit ? 'the first ' + n + ' results' :
      n === 1 ? 'the only result' : 'all ' + n + ' results') + '. '));
    var clear = el('button', 'search-page-clear', 'Search without filters');
    clear.type = 'button';
    clear.addEventListener('click', function () {
      [self.category, self.severity, self.product].forEach(function (sel) { if (sel) { sel.value = ''; } });
      self.run();
    });
    p.appendChild(clear);
    this.out.appendChild(p);
  };

  /* "Did you mean": the entries with the nearest codes, for a query without results. */
  ResultsPage.prototype.showSuggestions = function (answer) {
    if (!answer.suggestions.length) { return; }
    var box = el('div', 'search-page-suggest');
    box.appendChild(el('p', 'search-page-suggest-label', 'Did you mean:'));
    var ol = el('ul', 'search-page-list');
    answer.suggestions.forEach(function (res) {
      var li = el('li', 'search-page-item');
      var a = el('a', 'search-result search-page-link search-suggestion');
      a.href = root + res.href;
      resultBody(a, res, answer);
      li.appendChild(a);
      ol.appendChild(li);
    });
    box.appendChild(ol);
    this.out.appendChild(box);
  };

  /* Adds the values the index knows that the select lacks, then picks the one the address asks
     for. */
  ResultsPage.prototype.fillSelect = function (select, pairs) {
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
    var wanted = this.params.get(select.name) || '';
    /* Product ids are lowercase; an address may name the product as entries write it. */
    wanted = select.name === 'product' ? wanted.toLowerCase() : wanted;
    /* A value no entry has (a severity no entry uses, a mistyped category) is still the
       reader's filter: it is kept as an option of its own, so the page says that the filter
       removed the results instead of quietly showing them unfiltered. */
    if (wanted && !have[wanted] && !pairs.some(function (p) { return p[0] === wanted; })) {
      var o = el('option', null, wanted + ' (no entries)');
      o.value = wanted;
      select.appendChild(o);
    }
    select.value = wanted;
  };

  function initPage() {
    var out = doc.getElementById('search-page-results');
    if (!out) { return; }
    var page = new ResultsPage(out);
    var form = doc.getElementById('search-page-form');
    var run = function () { page.run(); };
    /* Enter, or the button: a query with a clear winner opens it; a log is triaged in place. */
    var submit = function () {
      var v = page.values();
      if (v.q.trim() && !isLog(v.q)) {
        go(v.q, v, run);
      } else {
        run();
      }
    };
    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        submit();
      });
    }
    if (page.input) { page.input.addEventListener('input', run); }
    initPageTextarea(page, submit);
    [page.category, page.severity, page.product].forEach(function (s) {
      if (s) { s.addEventListener('change', run); }
    });
    if (page.moreButton) {
      page.moreButton.addEventListener('click', function () {
        page.limit += PAGE;
        page.run(true);
      });
    }
    /* The filters list what the index holds; without the index the query says why. */
    engine.meta().then(function (m) {
      page.fillSelect(page.category, m.categories);
      page.fillSelect(page.severity, m.severities.map(function (s) { return [s, s]; }));
      /* Only a site whose entries name products shows the filter. */
      if (page.product && m.products && m.products.length) {
        page.fillSelect(page.product, m.products.map(function (p) { return [p[0], p[1]]; }));
        page.product.parentNode.hidden = false;
      }
    }, function () {}).then(run);
  }

  /* ---------- The 404 page: the entries nearest to the missing address ---------- */

  /* The part of the address that names the entry: the last segment below the site's root. */
  function missingName() {
    var here = global.location.pathname;
    var base = '/';
    try {
      base = new URL(root, doc.baseURI).pathname;
    } catch (e) {
      /* The whole path then. */
    }
    var rest = here.indexOf(base) === 0 ? here.slice(base.length) : here;
    var parts = rest.split('/').filter(function (p) { return p && p !== 'index.html' && p !== '404.html'; });
    var last = parts.length ? parts[parts.length - 1] : '';
    try {
      last = decodeURIComponent(last);
    } catch (e) {
      /* Keep it as it is. */
    }
    return last.replace(/\.html?$/, '');
  }

  function initNotFound() {
    var out = doc.getElementById('not-found-suggestions');
    if (!out || global.location.protocol === 'file:') { return; }
    var name = missingName();
    if (!name || name.length > 80) { return; }
    engine.suggest(name).then(function (list) {
      if (!list.length) { return; }
      var ul = el('ul', 'not-found-list');
      list.forEach(function (res) {
        var li = el('li');
        var a = el('a', 'not-found-link');
        a.href = root + res.href;
        a.appendChild(el('code', 'search-result-code', res.code));
        a.appendChild(doc.createTextNode(' ' + res.title));
        li.appendChild(a);
        ul.appendChild(li);
      });
      out.appendChild(el('h2', 'not-found-suggest-title', 'Did you mean'));
      out.appendChild(ul);
      out.hidden = false;
    }, function () {});
  }

  /* ---------- Triage: a pasted log, every known error in it ---------- */

  /* Text of more than one non-empty line is a log to triage rather than a query. */
  function isLog(text) {
    var lines = String(text).split('\n');
    var full = 0;
    for (var i = 0; i < lines.length && full < 2; i++) {
      if (lines[i].trim()) { full++; }
    }
    return full > 1;
  }

  var LINE_LEAD = 48;          // characters shown before a line's first mark, at most (page)
  var POPUP_LEAD = 12;         // ... in the narrower popup
  var LINE_SHOWN = 320;        // characters of a line shown, at most

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  function triageSummary(answer) {
    var n = answer.found.length;
    return n ? plural(n, 'known error', 'known errors') + ' in ' + plural(answer.lines, 'line', 'lines') :
      'No known error in these ' + plural(answer.lines, 'line', 'lines') + '.';
  }

  /* One matched line: its number, and its text with what matched marked; a long line is shown
     from a little before its first mark. */
  function triageLine(shown, lead) {
    var text = shown.text;
    var marks = shown.marks;
    var from = marks.length && marks[0][0] > lead + 8 ? marks[0][0] - lead : 0;
    /* Never between the halves of a character outside the BMP. */
    if (from > 0 && /[\udc00-\udfff]/.test(text.charAt(from))) { from--; }
    var to = Math.min(text.length, from + LINE_SHOWN);
    var line = el('span', 'search-triage-line');
    line.appendChild(el('span', 'search-triage-lineno', String(shown.line)));
    var code = el('code', 'search-triage-text');
    if (from > 0) { code.appendChild(doc.createTextNode('…')); }
    var at = from;
    marks.forEach(function (m) {
      var start = Math.max(m[0], at);
      var end = Math.min(m[1], to);
      if (start >= end) { return; }
      if (start > at) { code.appendChild(doc.createTextNode(text.slice(at, start))); }
      code.appendChild(el('mark', null, text.slice(start, end)));
      at = end;
    });
    if (to > at) { code.appendChild(doc.createTextNode(text.slice(at, to))); }
    if (to < text.length) { code.appendChild(doc.createTextNode('…')); }
    line.appendChild(code);
    return line;
  }

  /* The content of one entry found: code, title, badges, how many lines and which, and the
     first matched lines (at most `shownLines`, each from `lead` characters before its mark). */
  function triageBody(container, f, shownLines, lead) {
    container.classList.add('search-result', 'search-triage-entry');
    var head = el('span', 'search-result-head');
    head.appendChild(el('code', 'search-result-code', f.code));
    head.appendChild(el('span', 'search-result-title', f.title));
    container.appendChild(head);
    var meta = el('span', 'search-result-meta');
    meta.appendChild(el('span', 'badge badge-category', f.categoryName));
    meta.appendChild(doc.createTextNode(' '));
    var sev = el('span', 'badge sev sev-' + f.severity);
    sev.appendChild(el('span', 'visually-hidden', 'Severity: '));
    sev.appendChild(doc.createTextNode(f.severity));
    meta.appendChild(sev);
    container.appendChild(meta);
    var lines = el('span', 'search-triage-lines');
    var numbers = f.lines.join(', ') + (f.count > f.lines.length ? ', …' : '');
    lines.appendChild(el('span', 'search-triage-count',
      (f.count === 1 ? 'Line ' : f.count + ' lines: ') + numbers));
    f.shown.slice(0, shownLines).forEach(function (s) { lines.appendChild(triageLine(s, lead)); });
    container.appendChild(lines);
  }

  /* The header box: a paste of several lines, which an <input> would glue into one, is kept
     whole and triaged; the box shows it flattened, and editing it goes back to searching. */
  var MAX_SHOWN_PASTE = 500;   // characters of a pasted log the header box shows

  SearchBox.prototype.paste = function (e) {
    var data = e.clipboardData || global.clipboardData;
    var text = data ? data.getData('text') : '';
    if (!isLog(text)) { return; }
    e.preventDefault();
    this.pasteLog(text);
  };

  /* Takes a pasted log: triaged in the popup, or on the search page moved into its box. */
  SearchBox.prototype.pasteLog = function (text) {
    var page = doc.getElementById('search-page-input');
    if (page && page.tagName.toLowerCase() === 'textarea') {
      /* On the search page the log goes where it can be read and edited whole. */
      this.close();
      page.value = text;
      page.dispatchEvent(new Event('input', { bubbles: true }));
      page.focus();
      return;
    }
    var flat = text.replace(/\s+/g, ' ').trim().slice(0, MAX_SHOWN_PASTE);
    this.pasted = { text: text, value: flat };
    this.input.value = flat;
    this.update();
  };

  /* Whether the box holds a pasted log still; an edit makes it a query again. */
  SearchBox.prototype.holdsLog = function () {
    if (this.pasted && this.input.value !== this.pasted.value) { this.pasted = null; }
    return !!this.pasted;
  };

  SearchBox.prototype.triage = function () {
    var self = this;
    var mine = ++this.seq;
    engine.triage(this.pasted.text).then(function (answer) {
      if (mine === self.seq) { self.renderTriage(answer); }
    }, function (err) {
      if (mine === self.seq) { self.fail(err); }
    });
  };

  SearchBox.prototype.renderTriage = function (answer) {
    var self = this;
    this.list.textContent = '';
    this.options = [];
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    var summary = triageSummary(answer);
    this.list.appendChild(el('div', 'search-triage-summary', summary));
    answer.found.forEach(function (f) {
      triageBody(self.option(root + f.href), f, 1, POPUP_LEAD);
    });
    if (!answer.found.length) {
      var home = this.option(root + indexSuffix);
      home.classList.add('search-option-more');
      home.textContent = 'Browse every entry';
    }
    this.open();
    this.status.textContent = summary;
  };

  /* Enter in a box that holds a log opens the chosen entry, else the most relevant one: the
     glued text would be a poor query for the results page. */
  SearchBox.prototype.onTriageKeydown = function (e) {
    if (e.key !== 'Enter' || !this.holdsLog()) { return; }
    e.preventDefault();
    e.stopImmediatePropagation();
    var option = this.options[this.active >= 0 ? this.active : 0];
    if (option && !this.list.hidden) { global.location.href = option.href; }
  };

  /* The results page: a textarea holds the log; each entry found is listed with its lines. A
     paste is triaged at once; keystrokes in a log wait for a pause in the typing. */
  var TRIAGE_DELAY = 120;      // ms after the last keystroke before a log is triaged again
  var PAGE_SHOWN_LINES = 3;    // matched lines the page shows an entry with

  ResultsPage.prototype.triage = function (text) {
    var self = this;
    var mine = ++this.seq;
    var typed = this.triagedLength !== undefined && Math.abs(text.length - this.triagedLength) <= 1;
    this.triagedLength = text.length;
    if (this.moreButton) { this.moreButton.hidden = true; }
    this.say('Looking for known errors…');
    global.clearTimeout(this.triageTimer);
    this.triageTimer = global.setTimeout(function () {
      if (mine !== self.seq) { return; }
      engine.triage(text).then(function (answer) {
        if (mine === self.seq) { self.showTriage(answer); }
      }, function (err) {
        if (mine === self.seq) { self.say('Search is unavailable: ' + err.message); }
      });
    }, typed ? TRIAGE_DELAY : 0);
  };

  ResultsPage.prototype.showTriage = function (answer) {
    var out = this.out;
    out.textContent = '';
    this.say(triageSummary(answer));
    if (!answer.found.length) {
      var p = el('p', 'search-page-empty search-triage-empty');
      p.appendChild(doc.createTextNode('None of its lines holds an alias or a code of an entry. '));
      var home = el('a', null, 'Browse every entry by category');
      home.href = root + indexSuffix;
      p.appendChild(home);
      p.appendChild(doc.createTextNode('.'));
      out.appendChild(p);
      return;
    }
    var ol = el('ol', 'search-page-list search-triage-list');
    answer.found.forEach(function (f) {
      var li = el('li', 'search-page-item');
      var a = el('a', 'search-page-link');
      a.href = root + f.href;
      triageBody(a, f, PAGE_SHOWN_LINES, LINE_LEAD);
      li.appendChild(a);
      ol.appendChild(li);
    });
    out.appendChild(ol);
  };

  /* The query box of the page is a textarea, so a pasted log keeps its lines: it grows with
     them (up to a point), Enter searches and Shift+Enter starts a new line. The filters, which
     narrow a search, are put away while the box holds a log. */
  var MAX_ROWS = 12;

  /* The search page's box is a text area: Enter submits (submit), Shift+Enter adds a line. */
  function initPageTextarea(page, submit) {
    var input = page.input;
    if (!input || input.tagName.toLowerCase() !== 'textarea') { return; }
    var filters = input.form && input.form.querySelector('.search-page-filters');
    var fit = function () {
      var rows = input.value.split('\n').length;
      input.rows = Math.max(1, Math.min(MAX_ROWS, rows));
      input.classList.toggle('is-log', rows > 1);
      if (filters) { filters.hidden = isLog(input.value); }
    };
    input.addEventListener('input', fit);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submit();
      }
    });
    fit();
  }

  function init() {
    initBox();
    initPage();
    initNotFound();
  }

  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})(typeof window !== 'undefined' ? window : globalThis);
