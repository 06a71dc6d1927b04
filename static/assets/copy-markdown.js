/* errorbook built-in theme: the "Copy as Markdown" button of entry pages. It fetches the
   entry's Markdown copy (index.md beside the page) and puts it on the clipboard. A page read
   from disk cannot fetch files in most browsers: the button then opens the copy instead, so
   the reader can copy it from there. */
(function () {
  'use strict';
  var doc = document;

  function copyWithTextarea(text) {
    var area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.setAttribute('aria-hidden', 'true');
    area.tabIndex = -1;
    area.style.position = 'fixed';
    area.style.top = '0';
    area.style.left = '-9999px';
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

  function show(button, label) {
    button.textContent = label;
    window.clearTimeout(button._ebTimer);
    button._ebTimer = window.setTimeout(function () {
      button.textContent = 'Copy as Markdown';
    }, 2500);
  }

  function init() {
    var button = doc.querySelector('.copy-markdown[data-markdown]');
    if (!button) {
      return;
    }
    var status = doc.createElement('span');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    button.parentNode.appendChild(status);
    button.hidden = false;
    button.addEventListener('click', function () {
      var url = button.getAttribute('data-markdown');
      var request = typeof fetch === 'function'
        ? fetch(url).then(function (response) {
          if (!response.ok) {
            throw new Error('HTTP ' + response.status);
          }
          return response.text();
        })
        : Promise.reject(new Error('no fetch'));
      request.then(copyText).then(function (ok) {
        show(button, ok ? 'Copied' : 'Could not copy');
        status.textContent = ok ? 'Markdown copied to clipboard' : 'Could not copy the Markdown';
      }, function () {
        /* Read from disk, or the copy is missing: open it, to be copied from there. */
        show(button, 'Opened the Markdown');
        status.textContent = 'Could not fetch the Markdown; opened it instead';
        window.location.assign(url);
      });
    });
  }

  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
