/* errorbook built-in theme: the "Copy as Markdown" button of entry pages. It fetches the
   entry's Markdown copy (index.md beside the page) and puts it on the clipboard. A page read
   from disk cannot fetch files in most browsers: the button then opens the copy instead, so
   the reader can copy it from there. */
(function () {
  'use strict';
  var doc = document;

  /* errorbook.js, loaded first, puts the clipboard helper of every copy button here. */
  function copyText(text) {
    return window.errorbook.copyText(text);
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
