// Live reload for `errorbook serve`; this script is only ever added by the preview server.
(function () {
  "use strict";
  var KEY = "errorbook:serve:scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var y = parseInt(saved, 10) || 0;
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }
  var seen = null;
  var overlay = null;

  function showOverlay(report) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "errorbook-overlay";
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "Build failed");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,24,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      var title = document.createElement("p");
      title.textContent = "The build failed; this page is the last good build. Fix the problem and save to reload.";
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a8a";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = report;
  }

  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  var source = new EventSource("/__errorbook/events");
  source.addEventListener("ok", function (event) {
    if (seen !== null && seen !== event.data) {
      sessionStorage.setItem(KEY, String(window.scrollY));
      location.reload();
      return;
    }
    seen = event.data;
    hideOverlay();
  });
  source.addEventListener("failed", function (event) {
    var data = JSON.parse(event.data);
    seen = String(data.generation);
    showOverlay(data.report);
  });
})();
