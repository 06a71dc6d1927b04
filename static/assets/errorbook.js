/* errorbook built-in theme: copy buttons, the reader's values in snippets, the verification
   checklist, the outline's highlight, heading links and the light/dark toggle. Vanilla, no dependencies; works from file://. */
(function () {
  'use strict';

  var doc = document;
  /* This script's address: search.js lives beside it, with the same version. */
  var ownSrc = doc.currentScript && doc.currentScript.src;

  /* localStorage can throw (file:// in some browsers, private modes, disabled
     storage): every access goes through these two guards. */
  function storageGet(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function storageSet(key, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, value);
      }
    } catch (e) {
      /* The checklist still works for this visit. */
    }
  }

  /* One polite live region for short announcements ("Copied"). */
  var announcer = null;
  function announce(message) {
    if (!announcer) {
      announcer = doc.createElement('div');
      announcer.className = 'visually-hidden';
      announcer.setAttribute('aria-live', 'polite');
      announcer.setAttribute('role', 'status');
      doc.body.appendChild(announcer);
    }
    announcer.textContent = '';
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  /* ---------- Copy buttons ---------- */

  function copyWithTextarea(text) {
    var area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.setAttribute('aria-hidden', 'true');
    area.tabIndex = -1;
    area.style.position = 'fixed';
    area.style.top = '0';
    area.style.left = '-9999px';
    area.style.opacity = '0';
    var active = doc.activeElement;
    doc.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = doc.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    doc.body.removeChild(area);
    if (active && typeof active.focus === 'function') {
      active.focus();
    }
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithTextarea(text); }
      );
    }
    return Promise.resolve(copyWithTextarea(text));
  }
  /* Shared with the other built-in scripts (copy-markdown.js), which load after this one. */
  (window.errorbook = window.errorbook || {}).copyText = copyText;

  function snippetText(button) {
    /* A console session copies its commands alone: with placeholders, as the reader filled them. */
    if (button.hasAttribute('data-copy-template') && varValues) {
      return button.getAttribute('data-copy-template').replace(VAR_PATTERN, function (written, name) {
        return Object.prototype.hasOwnProperty.call(varValues, name) ? varValues[name] : written;
      });
    }
    if (button.hasAttribute('data-copy')) {
      return button.getAttribute('data-copy');
    }
    var snippet = button.closest('.snippet');
    var code = snippet && snippet.querySelector('pre code');
    return code ? code.textContent.replace(/\n$/, '') : '';
  }

  function initCopy() {
    var buttons = doc.querySelectorAll('.snippet .copy');
    for (var i = 0; i < buttons.length; i++) {
      var lang = buttons[i].closest('.snippet').getAttribute('data-lang');
      if (!buttons[i].hasAttribute('aria-label')) {
        buttons[i].setAttribute('aria-label', lang ? 'Copy ' + lang + ' code' : 'Copy code');
      }
      buttons[i].hidden = false;
    }
    doc.addEventListener('click', function (event) {
      var button = event.target.closest && event.target.closest('.snippet .copy');
      if (!button) {
        return;
      }
      /* A block marked `danger` copies on a second, deliberate press: the first arms the
         button, and it disarms itself after a few seconds. */
      if (button.hasAttribute('data-confirm') && !button.classList.contains('is-armed')) {
        window.clearTimeout(button._ebTimer);
        if (button._ebLabel === undefined) {
          button._ebLabel = button.getAttribute('aria-label');
        }
        button.classList.remove('is-copied');
        button.classList.add('is-armed');
        button.textContent = 'Press again to copy';
        /* The accessible name keeps the visible words. */
        button.setAttribute('aria-label', 'Press again to copy: ' + (button._ebLabel || 'code'));
        announce('This command changes or deletes data. Press again to copy it.');
        button._ebArmedAt = Date.now();
        button._ebTimer = window.setTimeout(function () { disarm(button); }, 4000);
        return;
      }
      /* A double click or a held key is one gesture, not a second thought: a press within
         half a second of arming is ignored. */
      if (button.hasAttribute('data-confirm') && Date.now() - (button._ebArmedAt || 0) < ARM_DELAY) {
        return;
      }
      disarm(button);
      copyText(snippetText(button)).then(function (ok) {
        var label = ok ? 'Copied' : 'Press Ctrl+C to copy';
        if (!ok) {
          selectCode(button);
        }
        button.textContent = label;
        button.classList.toggle('is-copied', ok);
        announce(ok ? 'Copied to clipboard' : 'Could not copy; the code is selected');
        window.clearTimeout(button._ebTimer);
        button._ebTimer = window.setTimeout(function () {
          button.textContent = 'Copy';
          button.classList.remove('is-copied');
        }, 2000);
      });
    });
  }

  var ARM_DELAY = 500;

  function disarm(button) {
    if (!button.classList.contains('is-armed')) {
      return;
    }
    button.classList.remove('is-armed');
    button.textContent = 'Copy';
    if (button._ebLabel) {
      button.setAttribute('aria-label', button._ebLabel);
    }
  }

  function selectCode(button) {
    var code = button.closest('.snippet').querySelector('pre code');
    var selection = window.getSelection && window.getSelection();
    if (!code || !selection) {
      return;
    }
    var range = doc.createRange();
    range.selectNodeContents(code);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  /* ---------- Placeholders: the reader's values in every snippet ---------- */

  /* `<<name>>`, as the build reads placeholders (src/markdown/vars.rs). */
  var VAR_PATTERN = /<<([a-z][a-z0-9_-]*)>>/g;
  /* The value of each placeholder of the page, once the inputs are set up. */
  var varValues = null;

  function initVars() {
    var panel = doc.querySelector('.vars[data-vars-site]');
    if (!panel) {
      return;
    }
    /* Kept per site and per name, so another entry with the same placeholder shows it too. */
    var prefix = 'errorbook:var:' + panel.getAttribute('data-vars-site') + ':';
    var inputs = panel.querySelectorAll('input[data-var]');
    varValues = {};

    /* Text only: a value is never read as markup. An empty input shows the default. */
    function show(input) {
      var name = input.getAttribute('data-var');
      var value = input.value === '' ? input.getAttribute('data-default') : input.value;
      varValues[name] = value;
      var spans = doc.querySelectorAll('.var[data-var]');
      for (var i = 0; i < spans.length; i++) {
        if (spans[i].getAttribute('data-var') === name && spans[i].textContent !== value) {
          spans[i].textContent = value;
        }
      }
    }

    for (var i = 0; i < inputs.length; i++) {
      var stored = storageGet(prefix + inputs[i].getAttribute('data-var'));
      inputs[i].value = stored !== null ? stored : inputs[i].getAttribute('data-default');
      show(inputs[i]);
    }
    panel.addEventListener('input', function (event) {
      var input = event.target;
      if (!input || !input.hasAttribute || !input.hasAttribute('data-var')) {
        return;
      }
      storageSet(prefix + input.getAttribute('data-var'), input.value === '' ? null : input.value);
      show(input);
    });
    var reset = panel.querySelector('.vars-reset');
    if (reset) {
      reset.addEventListener('click', function () {
        for (var j = 0; j < inputs.length; j++) {
          inputs[j].value = inputs[j].getAttribute('data-default');
          storageSet(prefix + inputs[j].getAttribute('data-var'), null);
          show(inputs[j]);
        }
        announce('Placeholders reset to their defaults');
      });
    }
    panel.hidden = false;
  }

  /* ---------- Verification checklist ---------- */

  function initChecklist(section) {
    var key = section.getAttribute('data-verify-key');
    var boxes = section.querySelectorAll('input[type="checkbox"]');
    var status = section.querySelector('.verify-status');
    var count = section.querySelector('.verify-count');
    var reset = section.querySelector('.verify-reset');
    var success = section.querySelector('.verify-success');
    /* Ticks are kept this many hours after the last one (site.yaml `checklist_hours`): a
       reader back for a new incident starts from a clean list. */
    var hours = parseFloat(section.getAttribute('data-verify-hours'));
    var keepFor = (hours > 0 ? hours : 24) * 3600 * 1000;
    if (!key || !boxes.length) {
      return;
    }

    function checkedIds() {
      var ids = [];
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].checked) {
          ids.push(boxes[i].id);
        }
      }
      return ids;
    }

    function render() {
      var done = checkedIds().length;
      if (count) {
        count.textContent = done + ' of ' + boxes.length + ' verified';
      }
      section.classList.toggle('is-complete', done === boxes.length);
      if (success) {
        success.hidden = done !== boxes.length;
      }
    }

    function save() {
      var ids = checkedIds();
      storageSet(key, ids.length ? JSON.stringify({ at: Date.now(), ids: ids }) : null);
    }

    /* Restore: the stored state wins over whatever the browser restored. Ticks without a
       time, or older than `keepFor`, are dropped. */
    var saved = [];
    var stored = null;
    try {
      stored = JSON.parse(storageGet(key) || 'null');
    } catch (e) {
      stored = null;
    }
    var age = stored && typeof stored.at === 'number' ? Date.now() - stored.at : Infinity;
    if (stored && Array.isArray(stored.ids) && age >= 0 && age <= keepFor) {
      saved = stored.ids;
    } else if (stored !== null) {
      storageSet(key, null);
    }
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = saved.indexOf(boxes[i].id) !== -1;
    }

    section.addEventListener('change', function (event) {
      if (event.target && event.target.type === 'checkbox') {
        save();
        render();
      }
    });

    if (reset) {
      reset.addEventListener('click', function () {
        for (var j = 0; j < boxes.length; j++) {
          boxes[j].checked = false;
        }
        storageSet(key, null);
        render();
      });
    }

    render();
    if (status) {
      status.hidden = false;
    }
  }

  /* ---------- Outline: mark the section in view ---------- */

  /* The outline is one <details>: collapsed at the top on narrow screens, a column beside the
     entry on wide ones, where it must be open. The script opens it there (the stylesheet does
     in browsers that style ::details-content) and closes it again when the window narrows,
     unless the reader opened it. */
  function openWideOutline() {
    var details = doc.querySelector('.toc-details');
    if (!details || !window.matchMedia) {
      return;
    }
    var wide = window.matchMedia('(min-width: 75rem)');
    var openedHere = false;
    function apply() {
      if (wide.matches && !details.open) {
        details.open = true;
        openedHere = true;
      } else if (!wide.matches && openedHere) {
        details.open = false;
        openedHere = false;
      }
    }
    details.addEventListener('toggle', function () {
      if (!wide.matches) {
        openedHere = false;
      }
    });
    if (wide.addEventListener) {
      wide.addEventListener('change', apply);
    } else if (wide.addListener) {
      wide.addListener(apply);
    }
    apply();
  }

  function initToc() {
    openWideOutline();
    var links = doc.querySelectorAll('.toc a[href^="#"]');
    if (!links.length) {
      return;
    }
    /* A link may be named twice in an outline (a site's own template); each mark follows. */
    var byId = {};
    var targets = [];
    for (var i = 0; i < links.length; i++) {
      var id = decodeURIComponent(links[i].getAttribute('href').slice(1));
      var target = doc.getElementById(id);
      if (!target) {
        continue;
      }
      if (!byId[id]) {
        byId[id] = [];
        targets.push(target);
      }
      byId[id].push(links[i]);
    }
    if (!targets.length) {
      return;
    }
    targets.sort(function (x, y) {
      return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    var current = null;
    var pending = false;

    function setCurrent(id) {
      if (current === id) {
        return;
      }
      var j;
      if (current) {
        for (j = 0; j < byId[current].length; j++) {
          byId[current][j].removeAttribute('aria-current');
        }
      }
      current = id;
      if (id) {
        for (j = 0; j < byId[id].length; j++) {
          byId[id][j].setAttribute('aria-current', 'true');
        }
      }
    }

    /* The current section is the last one whose top has passed the upper third of the
       window; at the very bottom of the page, the last one. */
    function update() {
      pending = false;
      var limit = window.innerHeight * 0.3;
      var pick = null;
      for (var h = 0; h < targets.length; h++) {
        if (targets[h].getBoundingClientRect().top > limit) {
          break;
        }
        pick = targets[h].id;
      }
      var bottom = window.innerHeight + window.scrollY >= doc.documentElement.scrollHeight - 2;
      if (bottom && window.scrollY > 0) {
        pick = targets[targets.length - 1].id;
      }
      setCurrent(pick);
    }

    function schedule() {
      if (!pending) {
        pending = true;
        (window.requestAnimationFrame || window.setTimeout)(update);
      }
    }

    /* A section crossing the upper third (or the foot of the window) is what changes the
       answer; the observer wakes the update then, and not on every scroll event. */
    if ('IntersectionObserver' in window) {
      var observer = new IntersectionObserver(schedule, { rootMargin: '0px 0px -70% 0px', threshold: [0, 1] });
      for (var t = 0; t < targets.length; t++) {
        observer.observe(targets[t]);
      }
      window.addEventListener('scroll', function () {
        if (window.innerHeight + window.scrollY >= doc.documentElement.scrollHeight - 2) {
          schedule();
        }
      }, { passive: true });
    } else {
      window.addEventListener('scroll', schedule, { passive: true });
    }
    window.addEventListener('resize', schedule);
    update();
  }

  /* ---------- Copy-link anchors on the headings of the entry's own text ---------- */

  function initAnchors() {
    var headings = doc.querySelectorAll('.entry .details .prose h2[id], .entry .details .prose h3[id]');
    for (var i = 0; i < headings.length; i++) {
      var heading = headings[i];
      if (heading.querySelector('.anchor')) {
        continue;
      }
      var link = doc.createElement('a');
      link.className = 'anchor';
      link.href = '#' + encodeURIComponent(heading.id);
      link.setAttribute('aria-label', 'Link to section: ' + heading.textContent.trim());
      link.textContent = '#';
      heading.appendChild(doc.createTextNode(' '));
      heading.appendChild(link);
    }
    /* A plain click on any anchor of the entry also copies the section's address, to paste
       into a ticket or a chat mid-incident; the page still moves to the section. */
    doc.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('.entry a.anchor');
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      copyText(link.href).then(function (ok) {
        if (!ok) {
          return;
        }
        link.setAttribute('data-copied', '');
        announce('Link copied');
        window.setTimeout(function () { link.removeAttribute('data-copied'); }, 1500);
      });
    });
  }

  /* ---------- Light/dark toggle: overrides the system setting, remembered ---------- */

  var THEME_KEY = 'errorbook:theme';

  function initTheme() {
    var button = doc.querySelector('.theme-toggle');
    if (!button) {
      return;
    }
    var root = doc.documentElement;
    var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    function isDark() {
      var chosen = root.getAttribute('data-theme');
      return chosen ? chosen === 'dark' : Boolean(media && media.matches);
    }
    function render() {
      button.setAttribute('aria-pressed', isDark() ? 'true' : 'false');
    }
    button.addEventListener('click', function () {
      var next = isDark() ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      storageSet(THEME_KEY, next);
      render();
    });
    if (media && media.addEventListener) {
      media.addEventListener('change', render);
    }
    render();
    button.hidden = false;
  }

  /* ---------- Scrollable code and tables: reachable by keyboard ---------- */

  function initScrollables() {
    var regions = doc.querySelectorAll('.snippet pre, .prose table');
    if (!regions.length) {
      return;
    }
    function update() {
      for (var i = 0; i < regions.length; i++) {
        var region = regions[i];
        if (region.scrollWidth > region.clientWidth + 1) {
          if (!region.hasAttribute('tabindex')) {
            region.setAttribute('tabindex', '0');
            region.setAttribute('data-eb-scroll', '');
          }
        } else if (region.hasAttribute('data-eb-scroll')) {
          region.removeAttribute('tabindex');
          region.removeAttribute('data-eb-scroll');
        }
      }
    }
    var timer = null;
    window.addEventListener('resize', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 150);
    });
    update();
  }

  /* ---------- Search, loaded when it is first used ---------- */

  /* Pages that search at once carry search.js themselves; on the others it is loaded on the
     first focus of, or input into, the search box and on the `/` shortcut, which focuses the box
     at once so nothing typed is lost: search.js picks up what the box holds when it starts. */
  var searchLoad = null;

  function searchReady() {
    return !!window.errorbookSearchEngine;
  }

  function loadSearch() {
    if (searchReady()) {
      return Promise.resolve();
    }
    if (!searchLoad) {
      searchLoad = new Promise(function (resolve, reject) {
        var el = doc.createElement('script');
        el.src = ownSrc ? ownSrc.replace(/errorbook\.js(\?|$)/, 'search.js$1') :
          (doc.documentElement.getAttribute('data-root') || '') + 'assets/search.js';
        el.onload = function () { resolve(); };
        el.onerror = function () {
          searchLoad = null;
          el.remove();
          reject(new Error('errorbook search: could not load search.js'));
        };
        doc.head.appendChild(el);
      });
    }
    return searchLoad;
  }

  function isEditable(target) {
    if (!target || !target.tagName) {
      return false;
    }
    var tag = target.tagName.toLowerCase();
    return tag === 'input' || tag === 'textarea' || tag === 'select' || target.isContentEditable;
  }

  function initSearchLoading() {
    var eb = (window.errorbook = window.errorbook || {});
    /* window.errorbook.search works on every page: the first call loads the engine. */
    if (!eb.search) {
      var stub = function (query, options) {
        return loadSearch().then(function () {
          if (eb.search === stub) {
            throw new Error('errorbook search: search.js did not start');
          }
          return eb.search(query, options);
        });
      };
      eb.search = stub;
    }
    var input = doc.getElementById('site-search-input');
    if (!input || searchReady()) {
      return;
    }
    var start = function () {
      loadSearch().catch(function () { /* The form still submits to the results page. */ });
    };
    input.addEventListener('focus', start);
    input.addEventListener('input', start);
    /* A log pasted before search.js has started would lose its lines in the one-line box:
       it is kept whole for search.js, which triages it once it starts. */
    input.addEventListener('paste', function (e) {
      if (searchReady()) {
        return;
      }
      var data = e.clipboardData || window.clipboardData;
      var text = data ? data.getData('text') : '';
      if (text.split('\n').filter(function (line) { return line.trim(); }).length < 2) {
        return;
      }
      e.preventDefault();
      eb.pendingPaste = text;
      start();
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key === '/' && !e.defaultPrevented && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target)) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
    /* Enter before search.js has started: the answer decides once it has. */
    if (input.form) {
      input.form.addEventListener('submit', function (e) {
        if (!input.value.trim() || (searchReady() && window.errorbook.go)) {
          return;
        }
        e.preventDefault();
        loadSearch().then(function () {
          if (window.errorbook.go) {
            window.errorbook.go(input.value);
          } else {
            input.form.submit();
          }
        }, function () { input.form.submit(); });
      });
    }
  }

  /* ---------- 404: offer the last part of the address as a search ---------- */

  function initNotFound() {
    var input = doc.getElementById('not-found-q');
    if (!input || input.value) {
      return;
    }
    var parts = window.location.pathname.split('/').filter(function (part) {
      return part && part !== 'index.html' && part !== '404.html';
    });
    var last = parts.length ? parts[parts.length - 1] : '';
    try {
      last = decodeURIComponent(last);
    } catch (e) {
      /* Keep it as it is. */
    }
    last = last.replace(/\.html?$/, '').replace(/[-_]+/g, ' ').trim();
    if (last && last.length <= 80 && window.location.protocol !== 'file:') {
      input.value = last;
    }
  }

  function init() {
    initVars();
    initCopy();
    var lists = doc.querySelectorAll('[data-verify-key]');
    for (var i = 0; i < lists.length; i++) {
      initChecklist(lists[i]);
    }
    initAnchors();
    initToc();
    initScrollables();
    initTheme();
    initNotFound();
    initSearchLoading();
  }

  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
