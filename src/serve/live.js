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

  // The overlay lives in a shadow root: the site's own CSS (its `pre`, its colours, light or
  // dark) cannot reach inside. The host is an element of its own kind, so rules for `div`
  // miss it, and its inline declarations are all `!important` after `all: initial`, so no
  // rule of the site's (`* { opacity: 0 }`, `body > * { position: relative }`) can move,
  // hide or fade it; where popovers exist it is shown in the top layer, above any stacking
  // context and unaffected by a transformed ancestor.
  var HOST_STYLE = ["all:initial", "position:fixed", "inset:0", "width:100%", "height:100%", "margin:0",
    "padding:0", "border:0", "max-width:none", "max-height:none", "z-index:2147483647", "display:block",
    "opacity:1", "visibility:visible", "transform:none", "filter:none", "clip-path:none",
    "pointer-events:auto", "background:transparent", "overflow:hidden", "zoom:1", "direction:ltr",
    "unicode-bidi:isolate", "content-visibility:visible", "font-size:14px"]
    .map(function (d) { return d + " !important"; }).join(";");
  // The root element is the one ancestor the overlay cannot leave: while it shows, the root is
  // kept displayed and at its own size, whatever the site's CSS says of `html` or `*`.
  var ROOT_STYLE = [["display", "block"], ["zoom", "1"], ["content-visibility", "visible"], ["visibility", "visible"]];
  var rootBefore = null;
  var STYLE = ":host{all:initial;position:fixed;inset:0;z-index:2147483647;display:block}" +
    ".panel{box-sizing:border-box;height:100%;overflow:auto;padding:32px;direction:ltr;unicode-bidi:isolate;" +
    "background:rgba(20,20,24,.96);color:#f5f5f5;font:14px/1.5 monospace}" +
    ".title{margin:0 0 16px;font-weight:bold;color:#ff9b9b}" +
    "pre{white-space:pre-wrap;margin:0;padding:0;background:none;color:#f5f5f5;font:inherit;border:0}";

  function showOverlay(report) {
    if (!overlay) {
      overlay = document.createElement("errorbook-overlay");
      overlay.id = "errorbook-overlay";
      overlay.setAttribute("style", HOST_STYLE);
      var root = overlay.attachShadow({ mode: "open" });
      var style = document.createElement("style");
      style.textContent = STYLE;
      var panel = document.createElement("div");
      panel.className = "panel";
      panel.setAttribute("role", "alertdialog");
      panel.setAttribute("aria-label", "Build failed");
      var title = document.createElement("p");
      title.className = "title";
      title.textContent = "The build failed; this page is the last good build. Fix the problem and save to reload.";
      var pre = document.createElement("pre");
      panel.appendChild(title);
      panel.appendChild(pre);
      root.appendChild(style);
      root.appendChild(panel);
      var page = document.documentElement;
      rootBefore = ROOT_STYLE.map(function (d) {
        return [d[0], page.style.getPropertyValue(d[0]), page.style.getPropertyPriority(d[0])];
      });
      ROOT_STYLE.forEach(function (d) { page.style.setProperty(d[0], d[1], "important"); });
      page.appendChild(overlay);
      if (typeof overlay.showPopover === "function") {
        overlay.setAttribute("popover", "manual");
        overlay.showPopover();
      }
    }
    overlay.shadowRoot.querySelector("pre").textContent = report;
  }

  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
    if (rootBefore) {
      var root = document.documentElement;
      rootBefore.forEach(function (d) {
        if (d[1]) { root.style.setProperty(d[0], d[1], d[2]); } else { root.style.removeProperty(d[0]); }
      });
      rootBefore = null;
    }
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
