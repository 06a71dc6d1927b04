/* errorbook built-in theme: copy buttons, the verification checklist and the
   table-of-contents highlight. Vanilla, no dependencies; works from file://. */
(function () {
  'use strict';

  var doc = document;

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

  function snippetText(button) {
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

  /* ---------- Verification checklist ---------- */

  function initChecklist(section) {
    var key = section.getAttribute('data-verify-key');
    var boxes = section.querySelectorAll('input[type="checkbox"]');
    var status = section.querySelector('.verify-status');
    var count = section.querySelector('.verify-count');
    var reset = section.querySelector('.verify-reset');
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
    }

    function save() {
      var ids = checkedIds();
      storageSet(key, ids.length ? JSON.stringify(ids) : null);
    }

    /* Restore: the stored state wins over whatever the browser restored. */
    var saved = [];
    try {
      saved = JSON.parse(storageGet(key) || '[]');
    } catch (e) {
      saved = [];
    }
    if (!Array.isArray(saved)) {
      saved = [];
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

  /* ---------- Table of contents: mark the section in view ---------- */

  function initToc() {
    var toc = doc.querySelector('.toc');
    if (!toc || !window.requestAnimationFrame) {
      return;
    }
    var links = toc.querySelectorAll('a[href^="#"]');
    var byId = {};
    var headings = [];
    for (var i = 0; i < links.length; i++) {
      var id = decodeURIComponent(links[i].getAttribute('href').slice(1));
      var heading = doc.getElementById(id);
      if (heading) {
        byId[id] = links[i];
        headings.push(heading);
      }
    }
    if (!headings.length) {
      return;
    }
    var current = null;
    var pending = false;

    function setCurrent(id) {
      if (current === id) {
        return;
      }
      if (current && byId[current]) {
        byId[current].removeAttribute('aria-current');
      }
      current = id;
      if (id && byId[id]) {
        byId[id].setAttribute('aria-current', 'true');
      }
    }

    /* The current section is the last one whose heading has passed the upper
       third of the window. */
    function update() {
      pending = false;
      var limit = window.innerHeight * 0.3;
      var pick = null;
      for (var h = 0; h < headings.length; h++) {
        if (headings[h].getBoundingClientRect().top > limit) {
          break;
        }
        pick = headings[h].id;
      }
      setCurrent(pick);
    }

    function schedule() {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }

    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    update();
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
    initCopy();
    var lists = doc.querySelectorAll('[data-verify-key]');
    for (var i = 0; i < lists.length; i++) {
      initChecklist(lists[i]);
    }
    initToc();
    initScrollables();
    initNotFound();
  }

  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
