"""Related papers: nearest neighbours by what a paper is about, computed at build time.

Each paper with an abstract is one document: its title and its abstract, what the paper is
(not what the notes say about it: then an edit to a note would move every paper's related
papers, and recompute them, 30 s per edit in `mkdocs serve` at 10,000 papers). The documents
become TF-IDF vectors (scikit-learn, unigrams and bigrams, English stop words out, sublinear
term frequency, rows L2-normalised), so the dot product of two rows is their cosine similarity.

* **A paper's related papers**: the ``MAX_PAPERS`` most similar other papers, at least
  ``MIN_SIMILARITY``.
* **A topic's related papers**: papers outside the topic most similar to the topic's centroid
  (the normalised mean of its papers' vectors), at least ``MIN_SIMILARITY``, at most
  ``MAX_TOPIC``.
* Both from each row's few highest similarities, computed by sparse-dot-topn without the
  product's other entries (``_nearest_outside``); where that could miss a tie at the cut,
  ``BLOCK`` rows at a time (a ``BLOCK × n`` float32 array, never ``n × n``), only each row's
  top kept (``_nearest``).
* **Why**: the terms that contribute most to the dot product (``WHY_TERMS``), a term left out
  when its words are already in one shown ("random matrix", then not "matrix").

A paper without an abstract has no related papers and is nobody's: a title alone is too
little to compare. Ties are broken by bib key, so the result is a function of the texts (and,
for topics, their papers) alone. A cache that ``mkdocs serve`` keeps between rebuilds
(``garden.incremental``) holds two parts: the vectors and the papers' neighbours, keyed by the
texts' SHA-256 (they change only with ``bib/``), and the topics' neighbours, keyed by that and
the topics' papers (a note edit can move a paper in or out of a topic: only this part, a
fraction of the whole, is computed again).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from sparse_dot_topn import sp_matmul_topn

from garden import workers

if TYPE_CHECKING:
    from garden.bibliography.library import Library
    from garden.join.garden import Garden

MAX_PAPERS = 5  # on a paper page
MAX_TOPIC = 5  # on a topic page
MIN_SIMILARITY = 0.06  # cosine; below it, papers share little more than common words
WHY_TERMS = 3
BLOCK = 1024  # rows of similarities computed at once: BLOCK × n float32
SPARE = 4  # similarities kept beyond a paper's MAX_PAPERS (_paper_neighbours)
VERSION = 1  # part of the cache key: bump when the method changes
FORK_AT = 1000  # papers with an abstract from which vectorize_beside forks (~1 s of work)
_TEXTS = "texts"  # the cache's entry (library, its texts, their digest): by the library object
_PENDING = "pending"  # the cache's entry: vectors a forked process computes (seed_when_read)

_URL = re.compile(r"https?://\S+|\]\(|\[\[|\]\]")
_MATH = re.compile(r"\$[^$]*\$")


@dataclass(frozen=True)
class Neighbour:
    key: str
    score: float  # cosine similarity, for ordering and the benchmark; pages show terms
    terms: tuple[str, ...]  # why: the terms contributing most

    @property
    def shown(self) -> tuple[str, tuple[str, ...]]:
        """What a page shows of it (an incremental rebuild compares this, not the score)."""
        return self.key, self.terms


@dataclass(frozen=True)
class Similar:
    papers: Mapping[str, tuple[Neighbour, ...]]  # paper key → its related papers
    topics: Mapping[str, tuple[Neighbour, ...]]  # topic slug → papers outside it


class _TopicsWhenRead(Mapping):
    """``Similar.topics``, computed when first read: a process that renders only paper
    pages (garden.pages.site, in a build's forked worker) never spends the ~3 s it takes at
    10,000 papers."""

    def __init__(self, vectors: _Vectors, members: Mapping[str, list[str]]) -> None:
        self._vectors, self._members = vectors, members

    @cached_property
    def _found(self) -> dict[str, tuple[Neighbour, ...]]:
        return topic_neighbours(self._vectors, self._members)

    def __getitem__(self, slug: str) -> tuple[Neighbour, ...]:
        return self._found[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)


def paper_texts(garden: Garden) -> dict[str, str]:
    """Bib key → the text compared, for every paper with an abstract, in key order."""
    return library_texts(garden.library)


def library_texts(library: Library) -> dict[str, str]:
    """``paper_texts`` from the bibliography alone (all they depend on)."""
    out = {}
    for key in sorted(library.papers):
        paper = library.papers[key]
        if paper.abstract.strip():
            out[key] = _MATH.sub(" ", _URL.sub(" ", f"{paper.title}\n{paper.abstract}"))
    return out


def vectorize_beside(library: Library) -> Callable[[dict], None]:
    """Start the papers' vectors and neighbours (``vectorize``, most of this module's time:
    ~9 s at 10,000 papers) in a forked process (``garden.workers``) while the caller reads
    the notes and joins the garden; the function returned puts them into a ``Garden``'s
    ``similar_cache`` when it is called. With one worker, or fewer than ``FORK_AT`` papers
    with an abstract, it does nothing and the garden computes them when first asked."""
    texts = library_texts(library)
    if workers.workers() < 2 or len(texts) < FORK_AT:
        return lambda cache: None
    threads = workers.workers()  # its product on every core: it is what the build waits for
    forked = workers.fork_each([texts], lambda share: vectorize(share, threads))

    def seed(cache: dict) -> None:
        [vectors] = forked.join()
        _hold(cache, library, texts, _digest([VERSION, texts]), vectors)

    return seed


def seed_when_read(cache: dict, seed: Callable[[dict], None]) -> None:
    """``seed`` (from ``vectorize_beside``) called when the garden's related papers are first
    read (``similar_index``), not now: until then the caller does other work (garden.build:
    the page families that do not show related papers), while the fork computes them."""
    cache[_PENDING] = seed


def _hold(cache: MutableMapping, library: Library, texts: dict, digest: str, vectors) -> None:  # noqa: ANN001
    """The papers' vectors in ``cache``, by their texts' digest, instead of any before (one
    garden's worth: the previous build's are of no further use); the texts and digest kept
    with the library object they are of."""
    cache.clear()
    cache[digest] = vectors
    cache[_TEXTS] = (library, texts, digest)


@dataclass(frozen=True)
class _Vectors:
    keys: list[str]
    matrix: sparse.csr_matrix | None  # None: fewer than two texts, or no term in them
    terms: object
    papers: Mapping[str, tuple[Neighbour, ...]]


def similar_index(garden: Garden, cache: MutableMapping[str, object] | None = None) -> Similar:
    """Every paper's and topic's related papers; each part from ``cache`` when what it depends
    on is unchanged (the papers' texts; those and the topics' papers)."""
    cache = {} if cache is None else cache
    pending = cache.pop(_PENDING, None)
    if pending is not None:
        pending(cache)
    held = cache.get(_TEXTS)
    if isinstance(held, tuple) and held[0] is garden.library:  # serve, bib/ unchanged
        texts, digest = held[1], held[2]
    else:  # hashing the texts took 0.2 s of every serve rebuild at 10,000 papers
        texts = paper_texts(garden)
        digest = _digest([VERSION, texts])
    members = {
        t.slug: sorted({k for k in t.paper_keys if k in texts})
        for t in sorted(garden.topics, key=lambda t: t.slug)
    }
    vectors = cache.get(digest)
    if not isinstance(vectors, _Vectors):
        vectors = vectorize(texts)
        _hold(cache, garden.library, texts, digest, vectors)
    cache[_TEXTS] = (garden.library, texts, digest)
    both = _digest([digest, members])
    found = cache.get(both)
    if not isinstance(found, Similar):
        for key in [k for k, v in cache.items() if isinstance(v, Similar)]:
            del cache[key]
        found = Similar(vectors.papers, _TopicsWhenRead(vectors, members))
        cache[both] = found
    return found


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()


def compute(texts: Mapping[str, str], members: Mapping[str, list[str]]) -> Similar:
    """Every paper's and topic's related papers, without a cache."""
    vectors = vectorize(texts)
    return Similar(vectors.papers, topic_neighbours(vectors, members))


def vectorize(texts: Mapping[str, str], threads: int = 1) -> _Vectors:
    """The TF-IDF vectors of the texts and each paper's nearest papers; ``threads``: how many
    the sparse product may use."""
    # imported here, not with the module: scikit-learn is ~60 MB of a process's memory, and in
    # a large garden only the process vectorize_beside forks needs it, not the build's own
    # (nor the workers forked from it to render the pages)
    from sklearn.feature_extraction.text import TfidfVectorizer

    keys = list(texts)
    if len(keys) < 2:
        return _Vectors(keys, None, (), {k: () for k in keys})
    vectorizer = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        strip_accents="unicode",
        token_pattern=r"(?u)\b[^\W\d_][\w-]*[^\W_]\b",  # words of 2+ letters, not numbers
        max_df=0.8,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform([texts[k] for k in keys]).tocsr()
    except ValueError:  # no term left (every text only stop words)
        return _Vectors(keys, None, (), {k: () for k in keys})
    terms = vectorizer.get_feature_names_out()
    return _Vectors(keys, matrix, terms, _paper_neighbours(matrix, keys, terms, threads))


def topic_neighbours(vectors: _Vectors, members: Mapping[str, list[str]]) -> dict:
    """Each topic's nearest papers outside it (see the module's docstring)."""
    if vectors.matrix is None:
        return {slug: () for slug in members}
    index = {k: i for i, k in enumerate(vectors.keys)}
    return _topic_neighbours(
        vectors.matrix,
        vectors.keys,
        vectors.terms,
        {s: [index[k] for k in m] for s, m in members.items()},
    )


def _paper_neighbours(matrix: sparse.csr_matrix, keys: list[str], terms, threads: int = 1) -> dict:
    """Each paper's ``MAX_PAPERS`` nearest other papers (``_nearest_outside``: at 10,000 papers
    ``vectorize`` took 10.3 s instead of 17.1 s, and ~160 MB less at its peak, than with the
    whole rows)."""
    rows = [[i] for i in range(len(keys))]  # the paper itself is among its own nearest
    return _nearest_outside(matrix, keys, matrix, keys, terms, MAX_PAPERS, rows, threads)


def _best_of_row(top, i: int, excluded: set[int], k: int, wanted: int) -> list | None:  # noqa: ANN001
    """Row ``i`` of ``top``, sparse-dot-topn's ``wanted`` highest similarities a row, as
    ``_top`` would rank the whole row: its ``k`` best columns but ``excluded`` at least
    ``MIN_SIMILARITY`` (a margin below the k-th, ties by column), with their scores. ``None``
    where the row was cut at or above that floor, so that one of them may be missing: the
    caller computes it in full."""
    start, stop = top.indptr[i], top.indptr[i + 1]
    columns, values = top.indices[start:stop].tolist(), top.data[start:stop].tolist()
    scores = {j: v for j, v in zip(columns, values, strict=True) if j not in excluded}
    floor = MIN_SIMILARITY
    if len(scores) >= k:  # the k-th of those kept: the same as in the whole row
        floor = max(MIN_SIMILARITY, sorted(scores.values(), reverse=True)[k - 1] - 1e-6)
    if len(columns) == wanted and min(values) >= floor:
        return None
    best = sorted((j for j in scores if scores[j] >= floor), key=lambda j: _rank(scores[j], j))
    return [(j, scores[j]) for j in best[:k]]


def _rank(score: float, column: int) -> tuple[float, int]:
    """Best first; equal similarities (to 6 places) in column order: bib key order."""
    return (-round(score, 6), column)


def _topic_neighbours(
    matrix: sparse.csr_matrix, keys: list[str], terms, members: dict[str, list[int]]
) -> dict:
    slugs = [s for s, m in members.items() if m]
    out: dict[str, tuple[Neighbour, ...]] = {s: () for s, m in members.items() if not m}
    if not slugs:
        return out
    rows, cols = [], []
    for t, slug in enumerate(slugs):
        rows += [t] * len(members[slug])
        cols += members[slug]
    incidence = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(slugs), len(keys))
    )
    centroids = (incidence @ matrix).tocsr()
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    centroids = sparse.diags(1 / np.where(norms > 0, norms, 1)).astype(np.float32) @ centroids
    # not the topic's own papers
    outside = [members[slug] for slug in slugs]
    out.update(_nearest_outside(centroids.tocsr(), slugs, matrix, keys, terms, MAX_TOPIC, outside))
    return {slug: out[slug] for slug in members}


def _nearest_outside(  # noqa: ANN201
    left,
    names,
    matrix,
    keys,
    terms,
    k: int,
    excluded: list[list[int]],
    threads: int = 1,  # noqa: ANN001
):
    """``_nearest(left, names, matrix, keys, terms, k, excluded)``: for each row ``i`` of
    ``left`` (named ``names[i]``) the ``k`` nearest rows of ``matrix`` but ``excluded[i]``, as
    ``_nearest`` finds them (its floor, order and ties), from the row's highest similarities,
    which sparse-dot-topn computes without the dense ``BLOCK × n`` rows: as many as ``k``, the
    longest ``excluded`` and ``SPARE``. A row where a similarity at the cut could be among
    those left out is computed by ``_nearest``. ``threads``: how many the product may use
    (10,000 papers' rows: 5.7 s on one, 3.0 s on two)."""
    wanted = min(matrix.shape[0], k + max(map(len, excluded), default=0) + SPARE)
    top = sp_matmul_topn(
        left,
        matrix.T.tocsr(),
        top_n=wanted,
        threshold=MIN_SIMILARITY - 1e-6,
        n_threads=max(1, threads),
    )
    # each row's terms in order, for _why's intersections only (half the time): the products
    # stay on the matrices as they are, whose order their float sums follow
    ordered = matrix.sorted_indices()
    left_ordered = ordered if left is matrix else left.sorted_indices()
    out: dict[str, tuple[Neighbour, ...]] = {}
    exact: list[int] = []  # rows to compute in full
    for i, name in enumerate(names):
        best = _best_of_row(top, i, set(excluded[i]), k, wanted)
        if best is None:
            exact.append(i)
            continue
        out[name] = tuple(
            Neighbour(keys[j], round(score, 4), _why(left_ordered, i, ordered, j, terms))
            for j, score in best
        )
    if exact:
        rows = [names[i] for i in exact]
        out.update(
            _nearest(left[exact], rows, matrix, keys, terms, k, lambda r: excluded[exact[r]])
        )
    return {name: out[name] for name in names}


def _nearest(left, names, matrix, keys, terms, k: int, excluded) -> dict:  # noqa: ANN001
    """For each row ``i`` of ``left`` (named ``names[i]``), the ``k`` nearest rows of
    ``matrix`` (papers ``keys``) but ``excluded(i)``, computed ``BLOCK`` rows at a time."""
    out: dict[str, tuple[Neighbour, ...]] = {}
    transposed = matrix.T.tocsc()
    for start in range(0, left.shape[0], BLOCK):
        stop = min(start + BLOCK, left.shape[0])
        scores = (left[start:stop] @ transposed).toarray()
        for row in range(stop - start):
            scores[row, excluded(start + row)] = -1.0
        for row, best in enumerate(_top(scores, k)):
            i = start + row
            out[names[i]] = tuple(
                Neighbour(keys[j], round(float(scores[row, j]), 4), _why(left, i, matrix, j, terms))
                for j in best
            )
    return out


def _top(scores: np.ndarray, k: int) -> list[list[int]]:
    """Each row's columns with the ``k`` highest scores at least ``MIN_SIMILARITY``, best
    first, ties by column (bib key order)."""
    k = min(k, scores.shape[1])
    if k <= 0:
        return [[] for _ in range(scores.shape[0])]
    # a margin below the k-th, so ties at the cut are all seen and broken by column
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    out = []
    for row, cand in enumerate(part):
        kth = scores[row, cand].min()
        floor = max(MIN_SIMILARITY, kth - 1e-6)
        cols = np.flatnonzero(scores[row] >= floor)
        order = sorted(cols.tolist(), key=lambda j: _rank(float(scores[row, j]), j))
        out.append(order[:k])
    return out


def _why(left: sparse.csr_matrix, i: int, right: sparse.csr_matrix, j: int, terms) -> tuple:
    """The terms of row ``i`` of ``left`` and row ``j`` of ``right`` that contribute most to
    their dot product; ties by term (scikit-learn numbers its terms alphabetically)."""
    a = left.indices[left.indptr[i] : left.indptr[i + 1]]
    b = right.indices[right.indptr[j] : right.indptr[j + 1]]
    if left.has_sorted_indices and right.has_sorted_indices and len(b):
        # both rows' terms in order (_nearest_outside sorts them): where each of a's would go
        # in b, kept where it is there; intersect1d's answer, without its sort of both
        at = np.minimum(np.searchsorted(b, a), len(b) - 1)
        found = b[at] == a
        ia, ib = np.flatnonzero(found), at[found]
        shared = a[ia]
    else:
        shared, ia, ib = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    weight = left.data[left.indptr[i] + ia] * right.data[right.indptr[j] + ib]
    order = np.lexsort((shared, -weight))[: 4 * WHY_TERMS]  # enough after skipping repeats
    picked: list[str] = []
    words: set[str] = set()
    for t in shared[order].tolist():
        term = str(terms[t])
        if set(term.split()) <= words:
            continue
        picked.append(term)
        words |= set(term.split())
        if len(picked) == WHY_TERMS:
            break
    return tuple(picked)
