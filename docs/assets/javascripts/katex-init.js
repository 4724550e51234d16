// Render the math pymdownx.arithmatex (generic: true) leaves in the page, with the KaTeX
// shipped under assets/katex/ (no CDN).
//
// Arithmatex wraps every formula in an element of class "arithmatex": inline math as
// <span>\(...\)</span>, display math as <div>\[...\]</div>. We render only inside those
// elements and only with those two delimiters, so a "$" in prose or code is never math.
//
// Material's instant navigation swaps the page body without reloading scripts; its
// document$ observable emits for the first page and after every such swap, so
// subscribing to it re-renders the math of each new page (see Material's "Math" reference).
(function () {
  "use strict";

  var options = {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    // A formula KaTeX cannot parse is shown as red source instead of aborting the rest.
    throwOnError: false,
  };

  function render(root) {
    if (typeof renderMathInElement !== "function") return;
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      renderMathInElement(element, options);
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
