"""The graph view: notes ↔ topics ↔ papers ↔ authors as one compact JSON asset, and its page.

``graph_data`` is the whole model: a node per note, per topic, per paper and per author with a
page (at least ``MIN_AUTHOR_PAPERS`` papers in the garden: ``Garden.author_pages``), and a link
per note → topic, topic → paper and paper → author, plus note → paper for a paper named
before the note's first heading, and paper → paper (``"kind": "cites"``) for each citation
between garden papers that ``bib/citations/`` knows of (one link per pair; the browser draws
it dashed, with an arrow).
Through its note, a topic with no papers yet is part of the picture instead of floating.
Authors of a single paper add a leaf each and nothing else: at 10,000 papers they would be most
of the file and of the picture, while everything they could connect is already connected
through the paper (and they have no page).

As shipped (``graph_json``), a link is the indexes of its two nodes in ``nodes`` (and
``"cites"`` for a citation), not their ids: at 10,000 papers the links were 3.5 of the file's
5.4 MB. ``read_graph_json`` reads it back into the model.

The page itself is drawn in the browser by ``docs/assets/javascripts/graph.js``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from garden import routes
from garden.join import MIN_AUTHOR_PAPERS, Garden
from garden.pages.page import Asset, Env, Page

KINDS = ("note", "topic", "paper", "author")


def pages(env: Env) -> Iterator[Page | Asset]:
    kept = env.kept(routes.GRAPH), env.kept(routes.GRAPH_JSON)
    if None not in kept:  # an edit that left graph_inputs as they were
        yield from kept
        return
    page, data = graph_files(env.garden)
    yield Page(routes.GRAPH, page)
    yield Asset(routes.GRAPH_JSON, data)


def graph_inputs(garden: Garden) -> tuple:
    """What ``graph_data`` reads of the notes and topics, the part of it a note's edit can
    change (the rest, papers, authors and citations, changes only with ``bib/``, after which
    ``mkdocs serve`` renders everything): a rebuild whose edit leaves it equal keeps the
    graph (garden.incremental; making it was 0.4 s of each rebuild at 10,000 papers)."""
    opening = sorted(
        (key, m.source.note_slug)
        for key, mentions in garden.mentions.items()
        for m in mentions
        if not m.topic_slug
    )
    return (
        [(note.path, note.slug, note.title) for note in garden.notes],
        [(t.slug, t.title, tuple(t.notes), tuple(t.paper_keys)) for t in garden.topics],
        opening,
    )


def graph_data(garden: Garden) -> dict:
    """Nodes (id, kind, label, url from the site root, degree) and links (source, target)."""
    nodes: list[dict] = []
    links: list[dict] = []
    for note in garden.notes:
        nodes.append(_node(f"n:{note.slug}", "note", note.title, routes.note(note.slug)))
    slug_of_note = {note.path: note.slug for note in garden.notes}
    for topic in garden.topics:
        links += [
            {"source": f"n:{slug_of_note[p]}", "target": f"t:{topic.slug}"} for p in topic.notes
        ]
    for key, mentions in garden.mentions.items():
        opening = {m.source.note_slug for m in mentions if not m.topic_slug}
        links += [{"source": f"n:{slug}", "target": f"p:{key}"} for slug in sorted(opening)]
    for topic in garden.topics:
        nodes.append(_node(f"t:{topic.slug}", "topic", topic.title, routes.topic(topic.slug)))
        links += [{"source": f"t:{topic.slug}", "target": f"p:{key}"} for key in topic.paper_keys]
    for key, paper in garden.library.papers.items():
        nodes.append(_node(f"p:{key}", "paper", paper.title or key, routes.paper(key)))
    names = garden.author_names
    for slug, keys in garden.author_pages.items():
        nodes.append(_node(f"a:{slug}", "author", names[slug], routes.author(slug)))
        links += [{"source": f"p:{key}", "target": f"a:{slug}"} for key in keys]
    links += [
        {"source": f"p:{key}", "target": f"p:{cited}", "kind": "cites"}
        for key, cited_keys in sorted(garden.citations.cites.items())
        for cited in cited_keys
    ]
    known = {node["id"] for node in nodes}
    links = [link for link in links if link["target"] in known]
    degree = Counter(end for link in links for end in (link["source"], link["target"]))
    for node in nodes:
        node["degree"] = degree[node["id"]]
    return {"nodes": nodes, "links": links}


def _node(node_id: str, kind: str, label: str, uri: str) -> dict:
    return {"id": node_id, "kind": kind, "label": " ".join(label.split()), "url": routes.url(uri)}


def graph_json(data: dict) -> str:
    """The data as shipped: each link ``[source, target]`` or ``[source, target, kind]`` by
    node index; no spaces, UTF-8 as is."""
    index = {node["id"]: i for i, node in enumerate(data["nodes"])}
    links = [
        [index[link["source"]], index[link["target"]], *([link["kind"]] if "kind" in link else [])]
        for link in data["links"]
    ]
    compact = {"nodes": data["nodes"], "links": links}
    return json.dumps(compact, ensure_ascii=False, separators=(",", ":"))


def read_graph_json(text: str) -> dict:
    """``graph_json``'s text as the model ``graph_data`` returns."""
    data = json.loads(text)
    ids = [node["id"] for node in data["nodes"]]
    links = [
        {"source": ids[link[0]], "target": ids[link[1]], **({"kind": link[2]} if link[2:] else {})}
        for link in data["links"]
    ]
    return {"nodes": data["nodes"], "links": links}


def render_graph_page(data: dict) -> str:
    """``graph.md``: the title, how to use it, and the container ``graph.js`` fills.

    The page passes through the sanitizer, which drops form controls and scripts, so the
    filters and the canvas are built by ``graph.js``; the page only names its data with an
    ordinary link, which MkDocs checks at build time and which is the no-JavaScript fallback.
    """
    count = Counter(node["kind"] for node in data["nodes"])
    count["link"] = len(data["links"])
    cites = sum(link.get("kind") == "cites" for link in data["links"])
    kinds = [k for k in (*KINDS, "link") if count[k] or k != "note"]
    sizes = " · ".join(f"{count[k]} {k}{'s' * (count[k] != 1)}" for k in kinds)
    data_link = routes.link(routes.GRAPH, routes.GRAPH_JSON)
    return "\n".join(
        [
            "---",
            "hide: [toc]  # no headings to list; the canvas gets the width",
            "---",
            "",
            "# Graph",
            "",
            f'<p class="garden-meta">{sizes}</p>',
            "",
            '<div id="garden-graph" class="garden-graph" markdown>',
            "",
            "Notes link to their topics, topics to the papers they discuss, papers to their",
            f"authors (those with at least {MIN_AUTHOR_PAPERS} papers here). Hover a node for its",
            "name, click it to open its page; scroll to zoom, drag to pan.",
            *([f"Dashed arrows: a paper citing another ({_citations(cites)})."] if cites else []),
            f"[The graph as JSON]({data_link}){{ .garden-graph-data }}",
            "",
            "</div>",
            "",
        ]
    )


def _citations(count: int) -> str:
    return f"{count} citation{'s' * (count != 1)} between its papers, from Semantic Scholar"


def graph_files(garden: Garden) -> tuple[str, str]:
    """The page and the JSON asset, for ``routes.GRAPH`` and ``routes.GRAPH_JSON``."""
    data = graph_data(garden)
    return render_graph_page(data), graph_json(data)
