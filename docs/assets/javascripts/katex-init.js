// Render the math pymdownx.arithmatex (generic: true) leaves in the page, with the KaTeX
// shipped under assets/katex/ (no CDN), loaded only by a page that has math.
//
// Arithmatex wraps every formula in an element of class "arithmatex": inline math as
// <span>\(...\)</span>, display math as <div>\[...\]</div>. We render only inside those
// elements and only with those two delimiters, so a "$" in prose or code is never math.
//
// katex.min.js (273 KB), auto-render and katex.min.css are not in extra_javascript: most
// pages have no math. The first page that has some fetches them, once; later pages reuse them.
//
// Material's instant navigation swaps the page body without reloading scripts; its
// document$ observable emits for the first page and after every such swap, so
// subscribing to it renders the math of each new page (see Material's "Math" reference).
(function () {
  "use strict";

  var self = document.currentScript && document.currentScript.src;
  if (!self || window.__gardenKatexScript) return;
  window.__gardenKatexScript = true;

  var KATEX = new URL("../katex/katex.min.js", self).href; // this file is assets/javascripts/
  var AUTO_RENDER = new URL("../katex/contrib/auto-render.min.js", self).href;
  var STYLES = new URL("../katex/katex.min.css", self).href;
  var options = {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    // A formula KaTeX cannot parse is shown as red source instead of aborting the rest.
    throwOnError: false,
  };
  var loading = null;

  function script(src) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = function () {
        reject(new Error("cannot load " + src));
      };
      document.head.appendChild(element);
    });
  }

  function load() {
    if (typeof renderMathInElement === "function") return Promise.resolve();
    if (!loading) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = STYLES;
      document.head.appendChild(link);
      loading = script(KATEX)
        .then(function () {
          return script(AUTO_RENDER); // needs window.katex
        })
        .catch(function (error) {
          loading = null;
          throw error;
        });
    }
    return loading;
  }

  function render(root) {
    var formulas = root.querySelectorAll(".arithmatex");
    if (!formulas.length) return;
    load()
      .then(function () {
        formulas.forEach(function (element) {
          if (element.isConnected) renderMathInElement(element, options);
        });
      })
      .catch(function (error) {
        console.error("garden math:", error);
      });
  }

  if (typeof document$ !== "undefined") {
    // Material emits the live document once the new page's components are injected.
    document$.subscribe(function () {
      render(document.body);
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      render(document.body);
    });
  } else {
    render(document.body);
  }
})();
