// The graph view (graph/): notes, topics, papers and authors drawn on one canvas by force-graph
// (vendored under assets/vendor/force-graph/, MIT), from the JSON the page links to.
//
// This file is in extra_javascript: small, loaded on every page, idle unless the page has
// #garden-graph. The 173 KB library is fetched only then. Not a <script> on the graph page:
// its Markdown goes through the sanitizer, which drops scripts, and Material's instant
// navigation re-runs only scripts inside [data-md-component=container] (integrations/
// instant/index.ts, 9.8.1), so a template's `scripts` block would not run on arrival by a link.
//
// document$ emits for the first page and after every instant navigation: each time, the
// previous view is torn down when its container has left the document, and a new one is
// mounted when the page has a container. window.gardenGraph is a small hook for tests and
// the console: node screen positions, the labels drawn (boxes) and timings.
//
// Labels are drawn after all nodes, most important first (hovered, searched, topics, then by
// degree), each only where it overlaps no label already drawn and fits inside the canvas:
// a crowded graph names fewer nodes rather than printing names over each other.
(function () {
  "use strict";

  var self = document.currentScript && document.currentScript.src;
  if (!self || window.__gardenGraphScript) return;
  window.__gardenGraphScript = true;

  var ROOT = new URL("../../", self); // this file is assets/javascripts/graph.js
  var LIBRARY = new URL("../vendor/force-graph/force-graph.min.js", self).href;
  var KINDS = ["note", "topic", "paper", "author"];
  var NAMES = { note: "Notes", topic: "Topics", paper: "Papers", author: "Authors" };
  var AREA = { note: 6, topic: 5, paper: 1.2, author: 1.2 }; // node area before its degree counts
  var BOLD = { note: "700 ", topic: "600 " };
  var LABEL_GAP = 2; // px kept free around a label
  var REL_SIZE = 3; // force-graph's px² per unit of area
  var LABEL_PX = 12;
  var NAMED_TOPICS = 30;
  var view = null;
  var library = null;

  function loadLibrary() {
    if (window.ForceGraph) return Promise.resolve(window.ForceGraph);
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = LIBRARY;
        script.onload = function () {
          resolve(window.ForceGraph);
        };
        script.onerror = function () {
          library = null;
          reject(new Error("cannot load " + LIBRARY));
        };
        document.head.appendChild(script);
      });
    }
    return library;
  }

  // The JSON names a link's nodes by their index in "nodes" (garden.pages.graph.graph_json).
  function loadData(url) {
    return fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        data.links = data.links.map(function (link) {
          var out = { source: data.nodes[link[0]].id, target: data.nodes[link[1]].id };
          if (link[2]) out.kind = link[2];
          return out;
        });
        return data;
      });
  }

  // Colours are CSS custom properties set on .garden-graph from Material's variables
  // (graph.css), read where the colour scheme applies so dark mode gets its own values.
  function readColours(element) {
    var style = getComputedStyle(element);
    var colours = { font: style.fontFamily };
    KINDS.concat(["link", "faint", "text", "halo", "mark"]).forEach(function (name) {
      colours[name] = style.getPropertyValue("--garden-graph-" + name).trim() || "gray";
    });
    return colours;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // --- controls ------------------------------------------------------------------------------

  function buildControls(state, counts) {
    var form = element("form", "garden-graph__controls");
    form.setAttribute("role", "search");
    KINDS.forEach(function (kind) {
      if (!counts[kind]) return;
      var label = element("label", "garden-graph__kind");
      var box = element("input");
      box.type = "checkbox";
      box.checked = state.shown[kind];
      box.name = kind;
      box.addEventListener("change", function () {
        state.shown[kind] = box.checked;
        search(state, state.input.value, false);
      });
      label.append(box, element("span", "garden-graph__swatch garden-graph__swatch--" + kind));
      label.append(NAMES[kind] + " (" + counts[kind] + ")");
      form.appendChild(label);
    });
    var input = element("input", "garden-graph__search");
    input.type = "search";
    input.placeholder = "Find a topic, paper or author";
    input.setAttribute("aria-label", "Find a node in the graph");
    input.autocomplete = "off";
    input.addEventListener("input", function () {
      search(state, input.value, true);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        input.value = "";
        search(state, "", false);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (state.best) open(state, state.best);
    });
    state.input = input;
    state.status = element("output", "garden-graph__status");
    form.append(input, state.status);
    return form;
  }

  function rank(query) {
    return function (a, b) {
      var score = function (node) {
        var at = node.search.indexOf(query);
        var kind = node.kind === "note" ? KINDS.length : KINDS.indexOf(node.kind); // notes last
        return (at === 0 ? 0 : 2) + (node.search === query ? -1 : 0) + kind * 3;
      };
      return score(a) - score(b) || a.label.length - b.label.length;
    };
  }

  function search(state, text, focus) {
    var query = text.trim().toLowerCase();
    var found = [];
    if (query) {
      found = state.nodes.filter(function (node) {
        return state.shown[node.kind] && node.search.indexOf(query) !== -1;
      });
      found.sort(rank(query));
    }
    state.matches = query ? new Set(found) : null;
    state.best = found[0] || null;
    if (!query) state.status.textContent = "";
    else if (!found.length) state.status.textContent = "No match";
    else state.status.textContent = found.length + (found.length === 1 ? " match" : " matches")
      + " · Enter opens " + state.best.label;
    if (focus && state.best && state.graph) {
      state.graph.centerAt(state.best.x, state.best.y, 500);
      state.graph.zoom(Math.max(state.graph.zoom(), 2), 500);
    }
    redraw(state);
  }

  // Through a real link, so Material's instant navigation takes it like any other.
  function open(state, node) {
    var link = element("a");
    link.href = new URL(node.url, ROOT).href;
    link.hidden = true;
    state.container.appendChild(link);
    link.click();
    link.remove();
  }

  // --- drawing -------------------------------------------------------------------------------

  function radius(node) {
    return Math.sqrt(node.val) * REL_SIZE;
  }

  function labelled(state, node, scale) {
    if (node === state.hovered || node === state.best) return true;
    if (state.matches) return state.matches.has(node) && state.matches.size <= 40;
    return node.named || radius(node) * scale >= 14 || scale >= 4;
  }

  function short(label, most) {
    return label.length > most ? label.slice(0, most - 2) + "…" : label;
  }

  // Which label goes first when two would overlap.
  function priority(state, node) {
    if (node === state.hovered) return 1e9;
    if (node === state.best) return 1e8;
    var kind = { note: 3e6, topic: 2e6, author: 1e6, paper: 0 }[node.kind] || 0;
    return kind + node.degree;
  }

  function overlaps(a, b) {
    return a.x < b.x + b.w + LABEL_GAP && b.x < a.x + a.w + LABEL_GAP
      && a.y < b.y + b.h + LABEL_GAP && b.y < a.y + a.h + LABEL_GAP;
  }

  // Every label that fits, in canvas pixels, drawn over the nodes.
  function paintLabels(state, ctx, scale) {
    var graph = state.graph;
    var width = state.holder.clientWidth;
    var height = state.holder.clientHeight;
    var most = width < 600 ? 28 : 48;
    var candidates = state.nodes.filter(function (node) {
      return state.shown[node.kind] && node.x !== undefined && labelled(state, node, scale);
    });
    candidates.sort(function (a, b) {
      return priority(state, b) - priority(state, a);
    });
    var placed = [];
    var size = LABEL_PX / scale;
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    candidates.forEach(function (node) {
      var text = node === state.hovered ? short(node.label, 120) : short(node.label, most);
      ctx.font = (BOLD[node.kind] || "") + size + "px " + state.colours.font;
      var w = ctx.measureText(text).width * scale;
      if (w > width - 2 * LABEL_GAP) return;
      var h = LABEL_PX + 2;
      var at = graph.graph2ScreenCoords(node.x, node.y);
      var r = radius(node) * scale;
      var box = { x: Math.min(Math.max(at.x - w / 2, LABEL_GAP), width - w - LABEL_GAP), w: w, h: h };
      box.y = at.y + r + 2;
      if (box.y + h > height - LABEL_GAP) box.y = at.y - r - 2 - h; // no room below: above
      if (box.y < LABEL_GAP || box.y + h > height - LABEL_GAP) return;
      if (at.x < 0 || at.x > width) return; // the node itself is off screen
      for (var i = 0; i < placed.length; i++) if (overlaps(box, placed[i])) return;
      box.id = node.id;
      box.text = text;
      placed.push(box);
      var origin = graph.screen2GraphCoords(box.x, box.y);
      ctx.globalAlpha = !state.matches || state.matches.has(node) ? 1 : 0.15;
      ctx.strokeStyle = state.colours.halo;
      ctx.fillStyle = state.colours.text;
      ctx.strokeText(text, origin.x, origin.y);
      ctx.fillText(text, origin.x, origin.y);
    });
    ctx.globalAlpha = 1;
    state.labels = placed;
  }

  function paintNode(state, node, ctx, scale) {
    var colours = state.colours;
    var r = radius(node);
    ctx.globalAlpha = !state.matches || state.matches.has(node) ? 1 : 0.15;
    ctx.beginPath();
    ctx.arc(node.x, node.y, r, 0, 2 * Math.PI);
    ctx.fillStyle = colours[node.kind];
    ctx.fill();
    if (node === state.best || node === state.hovered) {
      ctx.beginPath();
      ctx.arc(node.x, node.y, r + 3 / scale, 0, 2 * Math.PI);
      ctx.lineWidth = 2 / scale;
      ctx.strokeStyle = colours.mark;
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  function linkColour(state, link) {
    var lit = !state.matches || state.matches.has(link.source) || state.matches.has(link.target);
    if (!lit) return "transparent";
    return state.dense ? state.colours.faint : state.colours.link;
  }

  // force-graph stops repainting once the layout is still; a zoom to the same level is
  // the cheapest public call that asks for one more frame.
  function redraw(state) {
    if (state.graph) state.graph.zoom(state.graph.zoom());
  }

  function tooltip(node) {
    return element("span", "", node.label); // text, never HTML: labels come from notes
  }

  function draw(state, ForceGraph, data) {
    var holder = state.holder;
    state.nodes = data.nodes;
    var byId = {};
    data.nodes.forEach(function (node) {
      node.val = AREA[node.kind] + node.degree / 2;
      node.search = node.label.toLowerCase();
      byId[node.id] = node;
    });
    var big = data.nodes.length > 1000;
    // Name the best-connected topics from the start; the rest once zoomed in far enough.
    data.nodes
      .filter(function (node) {
        return node.kind === "topic";
      })
      .sort(function (a, b) {
        return b.degree - a.degree;
      })
      .slice(0, NAMED_TOPICS)
      .forEach(function (node) {
        node.named = true;
      });
    data.nodes.forEach(function (node) {
      if (node.kind === "note") node.named = true; // a handful, and the graph's landmarks
    });
    state.dense = big;
    var graph = ForceGraph()(holder)
      .width(holder.clientWidth)
      .height(holder.clientHeight)
      .nodeRelSize(REL_SIZE)
      .nodeVal("val")
      .nodeLabel(tooltip)
      .nodeVisibility(function (node) {
        return state.shown[node.kind];
      })
      .nodeCanvasObjectMode(function () {
        return "replace";
      })
      .nodeCanvasObject(function (node, ctx, scale) {
        paintNode(state, node, ctx, scale);
      })
      .linkVisibility(function (link) {
        return state.shown[link.source.kind] && state.shown[link.target.kind];
      })
      .linkColor(function (link) {
        return linkColour(state, link);
      })
      .linkWidth(big ? 0.5 : 1)
      // a paper citing another (Semantic Scholar, bib/citations/): dashed, arrow at the cited
      .linkLineDash(function (link) {
        return link.kind === "cites" ? [2, 1.5] : null;
      })
      .linkDirectionalArrowLength(function (link) {
        return link.kind === "cites" ? 3 : 0;
      })
      .linkDirectionalArrowRelPos(1)
      .d3AlphaDecay(big ? 0.05 : 0.035)
      .d3AlphaMin(0.01)
      .cooldownTime(10000)
      .onNodeHover(function (node) {
        state.hovered = node || null;
        redraw(state);
      })
      .onNodeClick(function (node) {
        open(state, node);
      })
      .warmupTicks(big ? 0 : 150) // small graphs appear laid out; big ones settle in view
      .onRenderFramePost(function (ctx, scale) {
        paintLabels(state, ctx, scale);
        state.timings.frames = (state.timings.frames || 0) + 1;
        if (state.timings.firstFrame !== undefined) return;
        state.timings.firstFrame = performance.now();
        if (!big) fit(state, 0);
      })
      .onEngineStop(function () {
        settle(state);
      })
      .graphData(data);
    graph.d3Force("gravity", gravity(0.06));
    graph.d3Force("charge").strength(big ? -25 : -80);
    graph.d3Force("link").distance(function (link) {
      return link.source.kind === "topic" ? 40 : 25;
    });
    state.graph = graph;
    state.hook = {
      ready: false,
      nodes: data.nodes.length,
      links: data.links.length,
      timings: state.timings,
      colours: function () {
        return state.colours;
      },
      hovered: function () {
        return state.hovered && state.hovered.id;
      },
      labels: function () {
        var box = holder.getBoundingClientRect();
        return (state.labels || []).map(function (label) {
          return { id: label.id, text: label.text, x: box.left + label.x, y: box.top + label.y,
            w: label.w, h: label.h };
        });
      },
      canvas: function () {
        var box = holder.getBoundingClientRect();
        return { x: box.left, y: box.top, w: box.width, h: box.height };
      },
      position: function (id) {
        var node = byId[id];
        var at = graph.graph2ScreenCoords(node.x, node.y);
        var box = holder.getBoundingClientRect();
        return { x: box.left + at.x, y: box.top + at.y };
      },
    };
    window.gardenGraph = state.hook;
  }

  // Pulls every node towards the centre: without it, parts of the graph that share no
  // link (a topic with no papers yet) drift apart forever under the charge force.
  function gravity(strength) {
    var nodes = [];
    function force(alpha) {
      for (var i = 0; i < nodes.length; i++) {
        nodes[i].vx -= nodes[i].x * strength * alpha;
        nodes[i].vy -= nodes[i].y * strength * alpha;
      }
    }
    force.initialize = function (all) {
      nodes = all;
    };
    return force;
  }

  function fit(state, ms) {
    if (state.moved) return; // the reader has zoomed or panned: leave the view alone
    state.graph.zoomToFit(ms, 40, function (node) {
      return state.shown[node.kind];
    });
  }

  // Once the layout is still: fit it to the canvas, then tell tests positions are final.
  function settle(state) {
    if (state.destroyed || state.hook.ready) return;
    state.timings.settled = performance.now();
    var wait = state.moved ? 0 : 400;
    fit(state, wait);
    setTimeout(function () {
      if (!state.destroyed) state.hook.ready = true;
    }, wait + 50);
  }

  // --- lifecycle -----------------------------------------------------------------------------

  function mount(container) {
    var state = {
      container: container,
      shown: { note: true, topic: true, paper: true, author: true },
      matches: null,
      best: null,
      hovered: null,
      moved: false,
      timings: { mount: performance.now() },
      colours: readColours(container),
    };
    var dataLink = container.querySelector("a.garden-graph-data");
    var url = dataLink ? dataLink.href : new URL("assets/graph.json", ROOT).href;
    state.holder = element("div", "garden-graph__canvas");
    state.holder.setAttribute("role", "img");
    state.holder.setAttribute("aria-label", "Graph of topics, papers and authors");
    state.holder.appendChild(element("p", "garden-graph__loading", "Loading the graph…"));
    container.prepend(state.holder);
    ["pointerdown", "wheel"].forEach(function (type) {
      state.holder.addEventListener(type, function () {
        state.moved = true;
      }, { passive: true });
    });
    Promise.all([loadLibrary(), loadData(url)])
      .then(function (loaded) {
        if (state.destroyed) return;
        state.timings.loaded = performance.now();
        var counts = {};
        loaded[1].nodes.forEach(function (node) {
          counts[node.kind] = (counts[node.kind] || 0) + 1;
        });
        container.prepend(buildControls(state, counts));
        state.holder.textContent = "";
        draw(state, loaded[0], loaded[1]);
      })
      .catch(function (error) {
        state.holder.textContent = "The graph could not be drawn: " + error.message;
        console.error("garden graph:", error);
      });
    state.resize = new ResizeObserver(function () {
      if (state.graph) state.graph.width(state.holder.clientWidth).height(state.holder.clientHeight);
    });
    state.resize.observe(state.holder);
    state.scheme = new MutationObserver(function () {
      state.colours = readColours(container);
      redraw(state);
    });
    state.scheme.observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"],
    });
    return state;
  }

  function unmount(state) {
    state.destroyed = true;
    state.resize.disconnect();
    state.scheme.disconnect();
    if (state.graph) state.graph._destructor(); // stops its animation loop, drops the data
    if (window.gardenGraph && window.gardenGraph === state.hook) delete window.gardenGraph;
  }

  function onPage() {
    if (view && !document.body.contains(view.container)) {
      unmount(view);
      view = null;
    }
    var container = document.getElementById("garden-graph");
    if (container && !view) view = mount(container);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
