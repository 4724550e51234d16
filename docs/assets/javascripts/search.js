// The header's search box, backed by Pagefind (the index garden/site_search writes into
// pagefind/ after the build, in shards). Nothing of the index is fetched until the box is first
// focused: then pagefind/shards.json is read and the shards' bundles loaded, and each query
// fetches only the index chunks and the result fragments it needs.
//
// The box is Material's markup without Material's search component, built here into the empty
// stub each page carries (garden/site_search/templates/partials/search.html): this script opens and closes it through
// Material's #__search toggle, focuses it on "/", renders results in Material's result markup,
// and filters them by kind (topic / paper / author / note, Pagefind's "kind" filter).
// Result text goes into the page as text nodes; only Pagefind's <mark>s become elements.
//
// After each render it dispatches "garden-search:results" on the input, with the query and
// the milliseconds since that query's keystroke (scripts/benchmark.py reads it).
(function () {
  "use strict";

  if (window.__gardenSearch) return; // Material's instant navigation keeps this page alive
  window.__gardenSearch = true;

  var PAGE_SIZE = 10;
  var ALL_KINDS = ["topic", "paper", "author", "note", "page"]; // garden.site_search.kind_of
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href); // assets/javascripts/
  var SVG = "http://www.w3.org/2000/svg";
  var ICONS = {
    // Material's defaults (material/arrow-left, material/close): theme.icon.previous and
    // theme.icon.close are not set in mkdocs.yml; the search icon is the header's own.
    previous: "M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z",
    close:
      "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 " +
      "17.59 13.41 12z",
  };

  // The box's texts in the theme's language, set by assets/javascripts/search-texts.js, which
  // the build generates before this script in the bundle (garden.site_search.TEXTS_JS).
  var TEXTS = window.__gardenSearchTexts || {};
  function text(key) {
    return TEXTS[key] || key;
  }

  var box = document.querySelector("[data-garden-search]");
  var toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  if (!box.firstChild) buildBox(box);
  var input = box.querySelector("[data-garden-search-input]");
  var list = box.querySelector("[data-garden-search-list]");
  var meta = box.querySelector("[data-garden-search-meta]");
  var more = box.querySelector("[data-garden-search-more]");
  var reset = box.querySelector("[data-garden-search-reset]");
  var kindButtons = Array.prototype.slice.call(box.querySelectorAll("[data-kind]"));
  var labels = {};
  kindButtons.forEach(function (button) {
    labels[button.dataset.kind] = button.textContent;
  });

  var pagefind = null; // the promise of the loaded module
  var kind = "";
  var sequence = 0; // the latest query; older answers are dropped
  var shown = { results: [], count: 0 };
  var typedAt = 0;

  // The box, as Material 9.8.1's partials/search.html writes it, with the kind filter and the
  // "more" button added (the page carries only the empty stub: garden/site_search/templates/
  // partials/search.html, whose data attributes hold the theme's translated labels).
  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function icon(path) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    var shape = document.createElementNS(SVG, "path");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    return svg;
  }

  function buildBox(stub) {
    var placeholder = text("search.placeholder");
    var resetLabel = text("search.reset");
    var headerIcon = document.querySelector('.md-header__button[for="__search"] > *');
    var kinds = [
      ["", "All"],
      ["topic", "Topics"],
      ["paper", "Papers"],
      ["author", "Authors"],
      ["note", "Notes"],
    ].map(function (pair) {
      var pressed = String(pair[0] === "");
      var attributes = { type: "button", class: "garden-search__kind", "data-kind": pair[0] };
      attributes["aria-pressed"] = pressed;
      return element("button", attributes, [pair[1]]);
    });
    var more = element("button", {
      type: "button",
      class: "md-button garden-search__more",
      "data-garden-search-more": "",
      hidden: "",
    }, ["More results"]);
    var form = element("div", { class: "md-search__form" }, [
      element("input", {
        type: "text",
        class: "md-search__input",
        name: "query",
        "aria-label": placeholder,
        placeholder: placeholder,
        autocapitalize: "off",
        autocorrect: "off",
        autocomplete: "off",
        spellcheck: "false",
        required: "",
        "data-garden-search-input": "",
      }),
      element("label", { class: "md-search__icon md-icon", for: "__search" }, [
        headerIcon ? headerIcon.cloneNode(true) : icon(""),
        icon(ICONS.previous),
      ]),
      element("nav", { class: "md-search__options", "aria-label": stub.getAttribute("aria-label") || "Search" }, [
        element("button", {
          type: "button",
          class: "md-search__icon md-icon",
          title: resetLabel,
          "aria-label": resetLabel,
          tabindex: "-1",
          "data-garden-search-reset": "",
        }, [icon(ICONS.close)]),
      ]),
    ]);
    var result = element("div", { class: "md-search-result garden-search__result" }, [
      element("div", { class: "garden-search__kinds", role: "group", "aria-label": "Kind of page" }, kinds),
      element("div", { class: "md-search-result__meta", "data-garden-search-meta": "" }, [
        text("search.result.placeholder"),
      ]),
      element("ol", { class: "md-search-result__list", role: "presentation", "data-garden-search-list": "" }),
      more,
    ]);
    stub.appendChild(element("label", { class: "md-search__overlay", for: "__search" }));
    stub.appendChild(
      element("div", { class: "md-search__inner", role: "search" }, [
        form,
        element("div", { class: "md-search__output" }, [
          element("div", { class: "md-search__scrollwrap", tabindex: "0", "data-md-scrollfix": "" }, [result]),
        ]),
      ]),
    );
  }

  // The index is in shards (garden/site_search/run.py: Pagefind's ranking grows with the
  // square of the pages a word matches, so the pages are split into bundles of ~2,000):
  // pagefind/shards.json lists them. They are searched in a few groups, each group one
  // Pagefind module (its own Web Worker: a module imported from another URL is another
  // instance) holding its first shard as its index and the others merged in (Pagefind's
  // mergeIndex), so the groups' searches run at once on a reader's cores. The groups' answers
  // are merged as Pagefind merges its indexes' (pagefind.js, search(): results by score, the
  // filters' counts summed).
  var NOTHING_INDEXED = {
    search: function () {
      return Promise.resolve({ results: [], totalFilters: {} });
    },
  };
  var MAX_GROUPS = 4; // each group loads Pagefind's WebAssembly (~70 KB) once

  function loadGroup(shards, options) {
    return import(shards[0] + "pagefind.js").then(function (module) {
      return module
        .options(options)
        .then(function () {
          return module.init();
        })
        .then(function () {
          return Promise.all(
            shards.slice(1).map(function (shard) {
              return module.mergeIndex(shard, options);
            }),
          );
        })
        .then(function () {
          return module;
        });
    });
  }

  function sumCounts(into, counts) {
    Object.keys(counts || {}).forEach(function (filter) {
      into[filter] = into[filter] || {};
      Object.keys(counts[filter]).forEach(function (value) {
        into[filter][value] = (into[filter][value] || 0) + counts[filter][value];
      });
    });
    return into;
  }

  function mergeSearches(searches) {
    if (searches.indexOf(null) >= 0) return null; // a newer search overtook it (Pagefind's)
    var merged = { results: [], totalFilters: {} };
    searches.forEach(function (search) {
      merged.results = merged.results.concat(search.results);
      sumCounts(merged.totalFilters, search.totalFilters);
    });
    merged.results.sort(function (a, b) {
      return b.score - a.score;
    });
    return merged;
  }

  function grouped(shards, options) {
    var count = Math.min(shards.length, MAX_GROUPS, navigator.hardwareConcurrency || 2);
    var groups = [];
    shards.forEach(function (shard, index) {
      (groups[index % count] = groups[index % count] || []).push(shard);
    });
    return Promise.all(
      groups.map(function (group) {
        return loadGroup(group, options);
      }),
    ).then(function (modules) {
      return {
        search: function (query, searchOptions) {
          return Promise.all(
            modules.map(function (module) {
              return module.search(query, searchOptions);
            }),
          ).then(mergeSearches);
        },
      };
    });
  }

  function load() {
    if (!pagefind) {
      var bundles = new URL("pagefind/", root);
      var options = { baseUrl: root.pathname, excerptLength: 24 };
      pagefind = fetch(new URL("shards.json", bundles).href)
        .then(function (response) {
          if (!response.ok) throw new Error("pagefind/shards.json: HTTP " + response.status);
          return response.json();
        })
        .then(function (manifest) {
          var shards = manifest.shards.map(function (shard) {
            return new URL(shard, bundles).href;
          });
          return shards.length ? grouped(shards, options) : NOTHING_INDEXED;
        });
      pagefind.catch(function () {
        pagefind = null; // try again on the next use
        setMeta("Search is not available (pagefind/ is missing: was the site built?)");
      });
    }
    return pagefind;
  }

  function setOpen(open) {
    if (toggle.checked === open) return;
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change")); // Material's keyboard modes follow the toggle
  }

  function setMeta(text) {
    meta.textContent = text;
  }

  function countText(count) {
    if (count === 0) return text("search.result.none");
    if (count === 1) return text("search.result.one");
    var other = text("search.result.other");
    return other.replace("#", count.toLocaleString());
  }

  // Pagefind's excerpt is HTML-escaped text with <mark> around the matched words: parse it
  // in an inert document and copy over only text and <mark>s.
  function appendExcerpt(parent, excerpt) {
    var doc = new DOMParser().parseFromString("<body>" + excerpt + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset garden-search__hit";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    var kinds = (data.filters && data.filters.kind) || [];
    if (kinds.length) {
      var badge = document.createElement("span");
      badge.className = "garden-search__badge";
      badge.textContent = kinds[0];
      title.appendChild(document.createTextNode(" "));
      title.appendChild(badge);
    }
    var text = document.createElement("p");
    appendExcerpt(text, data.excerpt || "");
    article.appendChild(icon);
    article.appendChild(title);
    article.appendChild(text);
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function showKindCounts(search) {
    var counts = (search.totalFilters && search.totalFilters.kind) || {};
    kindButtons.forEach(function (button) {
      var name = button.dataset.kind;
      // "All": the four kinds' (the shards' vocabulary pages are a kind of their own)
      var count = name ? counts[name] || 0 : ALL_KINDS.reduce(function (sum, each) {
        return sum + (counts[each] || 0);
      }, 0);
      button.textContent = labels[name] + (typeof count === "number" ? " " + count : "");
      button.setAttribute("aria-pressed", String(name === kind));
    });
  }

  function clearKindCounts() {
    kindButtons.forEach(function (button) {
      button.textContent = labels[button.dataset.kind];
    });
  }

  function render(query, search, mine, asked) {
    shown = { results: search.results, count: 0 };
    return page(mine, true).then(function (rendered) {
      if (!rendered) return;
      setMeta(countText(search.results.length));
      showKindCounts(search);
      list.dataset.query = query;
      input.dispatchEvent(
        new CustomEvent("garden-search:results", {
          detail: { query: query, results: search.results.length, ms: performance.now() - asked },
        }),
      );
    });
  }

  // The next PAGE_SIZE results of the shown search (each is one small fragment fetch).
  function page(mine, replace) {
    var next = shown.results.slice(shown.count, shown.count + PAGE_SIZE);
    return Promise.all(
      next.map(function (result) {
        return result.data();
      }),
    ).then(function (datas) {
      if (mine !== sequence) return false;
      var fragment = document.createDocumentFragment();
      datas.forEach(function (data) {
        fragment.appendChild(resultItem(data));
      });
      if (replace) list.textContent = "";
      list.appendChild(fragment);
      shown.count += next.length;
      more.hidden = shown.count >= shown.results.length;
      return true;
    });
  }

  // One search at a time: Pagefind's search runs in one WebAssembly thread, and each keystroke
  // of a long query ("w", "wi", "wid", ...) matches thousands of pages at 10,000 papers. A
  // keystroke during a search only marks the query pending; when the search ends, the latest
  // query (and only it) runs. Results of the search that ended are shown meanwhile.
  var busy = false;
  var pending = false;

  // A word's first letter waits a moment for the next (FIRST_LETTER_WAIT_MS): at 10,000
  // papers one letter matches nearly every page and fetches the index chunks of every word
  // it starts, none of them needed once the word goes on. Typed on at a typist's pace, it is
  // never searched; left alone, it is searched after the wait (counted in its latency).
  var FIRST_LETTER_WAIT_MS = 150;
  var held = null;

  // A search the reader asked for: by typing (a first letter may wait) or at once (a button).
  function ask(typing) {
    typedAt = performance.now();
    clearTimeout(held);
    held = null;
    if (typing && /(^|\s)\S$/.test(input.value)) {
      held = setTimeout(function () {
        held = null;
        run();
      }, FIRST_LETTER_WAIT_MS);
      return;
    }
    run();
  }

  function run() {
    if (held !== null) return Promise.resolve(); // a first letter waits: the timer runs it
    if (busy) {
      pending = true;
      return Promise.resolve();
    }
    busy = true;
    return searchNow().then(finished, function (error) {
      finished();
      throw error;
    });
  }

  function finished() {
    busy = false;
    if (pending) {
      pending = false;
      run();
    }
  }

  function searchNow() {
    var query = input.value.trim();
    var mine = ++sequence;
    var asked = typedAt;
    if (!query) {
      list.textContent = "";
      delete list.dataset.query;
      more.hidden = true;
      clearKindCounts();
      setMeta(text("search.result.placeholder"));
      return Promise.resolve();
    }
    return load().then(function (module) {
      if (mine !== sequence) return;
      // Typed on while the index loaded: search what is in the box now, not what was then
      var latest = input.value.trim();
      if (latest && latest !== query && held === null) {
        query = latest;
        asked = typedAt;
        pending = false;
      }
      // A filter is always passed: without one Pagefind counts no kinds (totalFilters).
      var options = { filters: { kind: kind ? kind : { any: ALL_KINDS } } };
      return module.search(query, options).then(function (search) {
        if (mine !== sequence || !search) return;
        return render(query, search, mine, asked);
      });
    });
  }

  // Where "/" is typed text, not the shortcut (a palette radio button is not such a place).
  function isEditable(element) {
    if (!element) return false;
    if (element.isContentEditable || /^(TEXTAREA|SELECT)$/.test(element.tagName)) return true;
    var buttonLike = /^(checkbox|radio|button|submit|reset|range|color|file|image)$/;
    return element.tagName === "INPUT" && !buttonLike.test(element.type);
  }

  input.addEventListener("focus", function () {
    setOpen(true);
    load();
  });
  input.addEventListener("input", function () {
    ask(true);
  });
  input.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      input.blur();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (links.length) links[0].click();
    } else if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[0].focus();
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : links[Math.min(next, links.length - 1)]).focus();
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) setOpen(false);
  });
  kindButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      kind = button.dataset.kind;
      kindButtons.forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
      input.focus();
      ask(false);
    });
  });
  more.addEventListener("click", function () {
    page(sequence, false);
  });
  reset.addEventListener("click", function () {
    input.value = "";
    ask(false);
    input.focus();
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked && document.activeElement !== input) input.focus();
    if (!toggle.checked && document.activeElement === input) input.blur();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isEditable(event.target)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
