// Hover cards for links to paper pages: hovering or keyboard-focusing a link to papers/<key>/
// shows the paper's title, authors, year and the opening of its abstract, read from
// previews/<key>.json (garden/pages/previews.py), fetched the first time that paper is asked
// for and kept for the rest of the visit.
//
// One listener per event on document (event delegation), so links that Material's instant
// navigation brings in work with nothing to re-bind; document$ only hides a card left open
// when the page changes. The card is one absolutely positioned element at the end of <body>
// (no layout shift), role="tooltip", named by the link's aria-describedby while shown;
// Escape hides it, and moving the pointer onto it keeps it (WCAG 1.4.13). Every string from
// the JSON goes in with textContent.
(function () {
  "use strict";

  if (window.__gardenPreviews) return; // Material's instant navigation keeps this page alive
  window.__gardenPreviews = true;

  var SHOW_DELAY = 250; // ms of hovering before the card shows (focus shows it at once)
  var HIDE_DELAY = 200; // ms to move the pointer from the link onto the card
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href); // assets/javascripts/
  var cache = {}; // key → promise of the card's data (null: none)
  var card = null;
  var current = null; // the link the card is for, or is about to be for
  var showTimer = 0;
  var hideTimer = 0;

  // The key of a paper page a link leads to, or "": a link to papers/<key>/ of this site.
  function paperKey(link) {
    if (!link.href) return "";
    var url = new URL(link.href, location.href);
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return "";
    var match = /^papers\/([^/]+)\/(?:index\.html)?$/.exec(url.pathname.slice(root.pathname.length));
    if (!match || url.pathname === location.pathname) return "";
    return match[1];
  }

  function linkOf(target) {
    var link = target && target.closest ? target.closest("a[href]") : null;
    return link && !link.closest(".garden-preview") && paperKey(link) ? link : null;
  }

  function load(key) {
    if (!(key in cache)) {
      cache[key] = fetch(new URL("previews/" + key + ".json", root).href)
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .catch(function () {
          return null;
        });
    }
    return cache[key];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = text;
    return node;
  }

  function build() {
    card = document.createElement("div");
    card.className = "garden-preview";
    card.id = "garden-preview";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", function () {
      clearTimeout(hideTimer);
    });
    card.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(card);
  }

  function fill(data) {
    card.replaceChildren(element("div", "garden-preview__title", data.title || ""));
    var meta = [data.authors, data.year].filter(Boolean).join(" · ");
    if (meta) card.appendChild(element("div", "garden-preview__meta", meta));
    if (data.abstract) card.appendChild(element("p", "garden-preview__abstract", data.abstract));
  }

  function place(link) {
    var box = link.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    card.style.width = width + "px";
    card.style.left = left + window.scrollX + "px";
    card.style.top = box.bottom + window.scrollY + 6 + "px";
    // no room below: above the link instead
    var height = card.offsetHeight;
    if (box.bottom + 6 + height > window.innerHeight && box.top - 6 - height > 0) {
      card.style.top = box.top + window.scrollY - 6 - height + "px";
    }
  }

  function show(link) {
    clearTimeout(hideTimer);
    if (current && current !== link) hide();
    current = link;
    load(paperKey(link)).then(function (data) {
      if (current !== link || !data) return; // moved on meanwhile, or nothing to show
      if (!card || !card.isConnected) build();
      fill(data);
      card.hidden = false;
      place(link);
      link.setAttribute("aria-describedby", card.id);
    });
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current && current.getAttribute("aria-describedby") === "garden-preview") {
      current.removeAttribute("aria-describedby");
    }
    current = null;
    if (card) card.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType === "touch") return; // a tap follows the link; no card in the way
    var link = linkOf(event.target);
    if (!link) return;
    clearTimeout(hideTimer);
    if (link === current) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(function () {
      show(link);
    }, SHOW_DELAY);
  });
  document.addEventListener("pointerout", function (event) {
    var link = linkOf(event.target);
    if (!link || link.contains(event.relatedTarget)) return;
    if (link === current) scheduleHide();
    else clearTimeout(showTimer);
  });
  document.addEventListener("focusin", function (event) {
    var link = linkOf(event.target);
    if (link) show(link);
  });
  document.addEventListener("focusout", function (event) {
    if (linkOf(event.target) === current) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) hide();
  });
  window.addEventListener("resize", hide);

  if (window.document$) window.document$.subscribe(hide); // a new page: no card from the last
})();
