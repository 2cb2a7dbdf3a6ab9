"""Vectorised query evaluation over the array postings of codec.py (part of the engine).

Whoosh's matchers walk postings one document at a time in Python (3-9 microseconds per
posting through a union of fields), so a common word in a 100 000-letter archive cost
200-400 ms. Here each query node becomes, per segment, a sorted array of document numbers
and an array of scores, and And/Or/Not are NumPy set operations; phrases compare position
arrays. Scores are Whoosh's BM25F (same idf, field lengths, B and K1, boosts multiplied), so
rankings match Whoosh's up to float rounding.

Query shapes it does not know raise Unsupported and the engine runs Whoosh's own matchers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.query.wrappers import ConstantScoreQuery

from pipeline.search.codec import BlockMatcher
from pipeline.search.schema import StemmedPositions

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults, which the engine uses
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)


class Unsupported(Exception):
    """A query node the fast path leaves to Whoosh."""


@dataclass
class Matches:
    """Matching documents of one segment: sorted unique docnums and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Matches:
        return cls(_EMPTY_IDS, _EMPTY_SCORES)

    def boosted(self, boost: float) -> Matches:
        return self if boost == 1.0 else Matches(self.ids, self.scores * boost)


@dataclass
class Postings:
    """One term's postings in one segment; `positions` only when asked for."""

    ids: np.ndarray
    weights: np.ndarray
    counts: np.ndarray | None = None  # positions per posting
    positions: np.ndarray | None = None  # every posting's positions, concatenated


def read_postings(leaf: Any, field: str, text: bytes, positions: bool = False) -> Postings:
    """All postings of (field, text) in segment `leaf` as arrays."""
    # Not leaf.postings(): it wraps the matcher to skip deleted documents one at a time;
    # search() drops them with one mask instead.
    matcher = leaf._terms.matcher(field, text, leaf.schema[field].format)
    if not isinstance(matcher, BlockMatcher):  # postings inlined in the term info
        return _read_slowly(matcher, positions)
    id_parts, weight_parts, length_parts, bodies = [], [], [], []
    while True:
        ids, weights, lengths, body = matcher.block_arrays(values=positions)
        id_parts.append(ids)
        weight_parts.append(np.ones(len(ids), dtype=np.float32) if weights is None else weights)
        if positions:
            length_parts.append(lengths)
            bodies.append(body)
        if not matcher.next_block():
            break
    found = Postings(np.concatenate(id_parts).astype(np.int64),
                     np.concatenate(weight_parts).astype(np.float64))
    if positions:
        found.counts = np.concatenate(length_parts).astype(np.int64) // 4
        found.positions = np.frombuffer(b"".join(bodies), dtype="<u4").astype(np.int64)
    return found


def _read_slowly(matcher: Any, positions: bool) -> Postings:
    ids, weights, poses, counts = [], [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if positions:
            found = matcher.value_as("positions")
            poses.extend(found)
            counts.append(len(found))
        matcher.next()
    result = Postings(np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
    if positions:
        result.counts = np.array(counts, dtype=np.int64)
        result.positions = np.array(poses, dtype=np.int64)
    return result


class SegmentSearch:
    """Evaluates a Whoosh query tree on one segment of the searcher."""

    def __init__(self, searcher: Any, leaf: Any) -> None:
        self.searcher = searcher  # the top searcher: idf and average lengths are global
        self.leaf = leaf
        self.schema = searcher.schema

    def run(self, query: Any) -> Matches:
        if isinstance(query, wq.Term):
            return self.term(query.fieldname, query.text, query.boost)
        if isinstance(query, wq.And):
            return self.intersect([self.run(q) for q in query.subqueries]).boosted(query.boost)
        if isinstance(query, wq.Or):
            if query.minmatch or query.scale:
                raise Unsupported("Or with minmatch or scale")
            return self.union([self.run(q) for q in query.subqueries]).boosted(query.boost)
        if isinstance(query, wq.AndNot):
            positive, negative = self.run(query.a), self.run(query.b)
            keep = ~_member(positive.ids, negative.ids)
            return Matches(positive.ids[keep], positive.scores[keep])
        if isinstance(query, wq.Every):
            if query.fieldname not in (None, "", "*"):
                raise Unsupported("Every on one field")
            ids = np.arange(self.leaf.doc_count_all(), dtype=np.int64)
            return Matches(ids, np.full(len(ids), float(query.boost)))
        if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
            return Matches.empty()
        if isinstance(query, wq.Phrase):
            return self.phrase(query)
        if isinstance(query, wq.NumericRange):
            return self.run(query._compile_query(self.leaf))
        if isinstance(query, ConstantScoreQuery):
            found = self.run(query.child)
            return Matches(found.ids, np.full(len(found.ids), float(query.score)))
        if isinstance(query, wq.MultiTerm):
            return self.multiterm(query)
        raise Unsupported(type(query).__name__)

    # --- leaves --------------------------------------------------------------------------

    def _postings(self, field: str, text: Any, positions: bool = False) -> Postings | None:
        if field not in self.schema:
            return None
        try:
            key = self.schema[field].to_bytes(text)
        except ValueError:
            return None
        if (field, key) not in self.leaf:
            return None
        return read_postings(self.leaf, field, key, positions)

    def _bm25(self, field: str, text: Any, postings: Postings) -> np.ndarray:
        """Whoosh's BM25F for each posting (WeightLengthScorer + scoring.bm25)."""
        if not self.schema[field].scorable:  # BM25F.scorer: the weight (WeightScorer)
            return postings.weights
        searcher = self.searcher
        idf = searcher.idf(field, text)
        avgfl = searcher.avg_field_length(field) or 1
        lengths = self.leaf._perdoc.field_length_array(field)
        if lengths is None:
            raise Unsupported("no length column")
        fl = lengths[postings.ids]
        tf = postings.weights
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def term(self, field: str, text: Any, boost: float) -> Matches:
        postings = self._postings(field, text)
        if postings is None:
            return Matches.empty()
        key = self.schema[field].to_bytes(text)
        return Matches(postings.ids, self._bm25(field, key, postings) * boost)

    def multiterm(self, query: Any) -> Matches:
        field = query.field()
        if field not in self.schema:
            return Matches.empty()
        if isinstance(query, wq.Prefix) and query.text == "":
            raise Unsupported("empty prefix")  # Whoosh turns it into Every
        words = [w for w in query._btexts(self.leaf) if w]
        found = self.union([self.term(field, w, 1.0) for w in words])
        if len(words) > 1 and query.constantscore:  # as Whoosh: one term keeps its score
            return Matches(found.ids, np.full(len(found.ids), float(query.boost)))
        return found.boosted(query.boost)

    def phrase(self, query: Any) -> Matches:
        field, words = query.fieldname, list(query.words)
        if query.slop != 1 or field not in self.schema or not words:
            raise Unsupported("phrase with slop")
        if not isinstance(self.schema[field].format, StemmedPositions):
            raise Unsupported("phrase on a field without array positions")
        postings = [self._postings(field, w, positions=True) for w in words]
        if any(p is None for p in postings):
            return Matches.empty()
        found: list[Postings] = [p for p in postings if p is not None]
        candidates = found[0].ids
        for p in found[1:]:
            candidates = candidates[_member(candidates, p.ids)]
        if not len(candidates):
            return Matches.empty()
        score = np.zeros(len(candidates))
        spots = []
        for word, p in zip(words, found, strict=True):
            index = np.searchsorted(p.ids, candidates)
            spots.append(_owners_positions(p, index))
            key = self.schema[field].to_bytes(word)
            score += self._bm25(field, key, Postings(p.ids[index], p.weights[index]))
        hit = _adjacent(spots, len(candidates))
        return Matches(candidates[hit], score[hit] * query.boost)

    # --- combinations --------------------------------------------------------------------

    @staticmethod
    def union(parts: list[Matches]) -> Matches:
        parts = [p for p in parts if len(p.ids)]
        if not parts:
            return Matches.empty()
        if len(parts) == 1:
            return parts[0]
        ids = np.concatenate([p.ids for p in parts])
        scores = np.concatenate([p.scores for p in parts])
        order = np.argsort(ids, kind="stable")
        ids, scores = ids[order], scores[order]
        first = np.concatenate(([True], ids[1:] != ids[:-1]))
        starts = np.nonzero(first)[0]
        return Matches(ids[starts], np.add.reduceat(scores, starts))

    @staticmethod
    def intersect(parts: list[Matches]) -> Matches:
        if not parts:
            return Matches.empty()
        parts = sorted(parts, key=lambda p: len(p.ids))
        result = parts[0]
        for other in parts[1:]:
            if not len(result.ids):
                break
            index = np.searchsorted(other.ids, result.ids)
            found = _member(result.ids, other.ids, index)
            result = Matches(result.ids[found],
                             result.scores[found] + other.scores[index[found]])
        return result


def _member(values: np.ndarray, sorted_ref: np.ndarray,
            index: np.ndarray | None = None) -> np.ndarray:
    """Which `values` are in the sorted array `sorted_ref` (binary search, no hashing:
    NumPy's set functions hash or sort both sides, ten times slower here)."""
    if not len(sorted_ref):
        return np.zeros(len(values), dtype=bool)
    if index is None:
        index = np.searchsorted(sorted_ref, values)
    found: np.ndarray = sorted_ref[np.minimum(index, len(sorted_ref) - 1)] == values
    return found


def _owners_positions(postings: Postings, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(candidate number, position) for every position of the postings at `index`."""
    assert postings.counts is not None and postings.positions is not None
    counts = postings.counts[index]
    offsets = np.concatenate(([0], np.cumsum(postings.counts)[:-1]))[index]
    total = int(counts.sum())
    run_start = np.repeat(np.cumsum(counts) - counts, counts)
    gather = np.repeat(offsets, counts) + (np.arange(total) - run_start)
    owner = np.repeat(np.arange(len(index), dtype=np.int64), counts)
    return owner, postings.positions[gather]


_BITMAP_LIMIT = 50_000_000  # cells (bytes) of the phrase bitmap; above: sorted keys


def _adjacent(spots: list[tuple[np.ndarray, np.ndarray]], candidates: int) -> np.ndarray:
    """Candidate numbers where word i is at some position p + i for every i.

    A bitmap of candidate x position (one segment: a few thousand candidates x the longest
    letter) marks where the phrase can start, word by word: a few passes over the positions,
    no sorting. Past _BITMAP_LIMIT cells, sorted (candidate << 32 | position) keys."""
    span = max(int(pos.max()) for _, pos in spots) + 1
    if candidates * span <= _BITMAP_LIMIT:
        owner, pos = spots[0]
        starts = np.zeros(candidates * span, dtype=bool)
        starts[owner * span + pos] = True
        for offset, (owner, pos) in enumerate(spots[1:], 1):
            shifted = pos - offset
            ok = shifted >= 0
            cells = owner[ok] * span + shifted[ok]
            following = np.zeros_like(starts)
            following[cells] = starts[cells]
            starts = following
        owners = np.nonzero(starts)[0] // span
    else:
        keys = (spots[0][0] << 32) | spots[0][1]
        for offset, (owner, pos) in enumerate(spots[1:], 1):
            other = (owner << 32) | pos
            keys = keys[_member(keys, other - offset)]
        owners = keys >> 32
    if not len(owners):
        return owners
    return owners[np.concatenate(([True], owners[1:] != owners[:-1]))]


class Columns:
    """Per-segment column values as NumPy arrays (facet codes, dates, live documents),
    cached by segment id: a commit only reads its new segments."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], Any] = {}
        self.vocabularies: dict[str, dict[Any, int]] = {}  # field -> value -> code

    def _cached(self, key: tuple[Any, ...], build: Any) -> Any:
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > 2000:  # segments come and go with merges
                self._cache.clear()
            found = self._cache[key] = build()
        return found

    @staticmethod
    def _segment_key(leaf: Any) -> Any:
        segment = leaf.segment()
        return (segment.segment_id(), segment.deleted_count()) if segment else id(leaf)

    def alive(self, leaf: Any) -> np.ndarray | None:
        """Boolean mask of the segment's undeleted documents; None when nothing is deleted."""
        if not leaf.has_deletions():
            return None
        def build() -> np.ndarray:
            mask = np.ones(leaf.doc_count_all(), dtype=bool)
            mask[np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)] = False
            return mask
        return self._cached(("alive", self._segment_key(leaf)), build)

    def codes(self, leaf: Any, field: str) -> np.ndarray:
        """The field's value code for each document (0 = no value)."""
        vocabulary = self.vocabularies.setdefault(field, {None: 0})
        def build() -> np.ndarray:
            values = leaf.column_reader(field) if leaf.has_column(field) else []
            return np.fromiter((vocabulary.setdefault(v or None, len(vocabulary))
                                for v in values), dtype=np.int32,
                               count=len(values)) if len(values) else \
                np.zeros(leaf.doc_count_all(), dtype=np.int32)
        return self._cached(("codes", field, self._segment_key(leaf)[0]), build)

    def numbers(self, leaf: Any, field: str) -> np.ndarray:
        """A numeric sortable column (dates) as int64."""
        def build() -> np.ndarray:
            if not leaf.has_column(field):
                return np.zeros(leaf.doc_count_all(), dtype=np.int64)
            raw = leaf.column_reader(field, translate=False)  # numbers, not datetimes
            return np.fromiter((int(v or 0) for v in raw),
                               dtype=np.int64, count=leaf.doc_count_all())
        return self._cached(("numbers", field, self._segment_key(leaf)[0]), build)


@dataclass
class FastResult:
    total: int
    top: list[tuple[int, float]]  # (docnum in the searcher, score), best first
    counts: dict[str, dict[Any, int]]  # facet field -> value -> count


def search(searcher: Any, query: Any, hidden: Any, columns: Columns, *, window: int,
           sort: str, facets: tuple[str, ...]) -> FastResult:
    """Every match of `query` minus `hidden` (a query or None): the best `window` by `sort`
    ("relevance", "date", "-date"), the total and facet counts. Raises Unsupported."""
    docnums, scores, keys = [], [], []
    tallies = {field: np.zeros(1, dtype=np.int64) for field in facets}
    for leaf, offset in searcher.reader().leaf_readers():
        segment = SegmentSearch(searcher, leaf)
        found = segment.run(query)
        ids, score = found.ids, found.scores
        alive = columns.alive(leaf)
        keep = alive[ids] if alive is not None else None
        if hidden is not None and len(ids):
            secret = segment.run(hidden).ids
            visible = ~_member(ids, secret)
            keep = visible if keep is None else keep & visible
        if keep is not None:
            ids, score = ids[keep], score[keep]
        if not len(ids):
            continue
        docnums.append(ids + offset)
        scores.append(score)
        if sort != "relevance":
            keys.append(columns.numbers(leaf, "date")[ids])
        for field in facets:
            counted = np.bincount(columns.codes(leaf, field)[ids])
            tally = tallies[field]
            if len(counted) > len(tally):
                counted[: len(tally)] += tally
                tallies[field] = counted
            else:
                tally[: len(counted)] += counted
    if not docnums:
        return FastResult(0, [], {field: {} for field in facets})
    all_docs = np.concatenate(docnums)
    all_scores = np.concatenate(scores)
    order = _best(all_docs, all_scores, np.concatenate(keys) if keys else None, window, sort)
    top = [(int(all_docs[i]), float(all_scores[i])) for i in order]
    counts = {}
    for field in facets:
        names = {code: value for value, code in columns.vocabularies.get(field, {}).items()}
        counts[field] = {names[c]: int(n) for c, n in enumerate(tallies[field])
                         if n and c and c in names}
    return FastResult(len(all_docs), top, counts)


def _best(docs: np.ndarray, scores: np.ndarray, dates: np.ndarray | None, window: int,
          sort: str) -> np.ndarray:
    """Indexes of the first `window` matches: by score (ties: lower docnum first, as
    Whoosh's TopCollector) or by date (ties by docnum)."""
    if sort == "relevance" or dates is None:
        primary = -scores
    else:
        primary = dates if sort == "date" else -dates
    if len(docs) > window:
        cut = np.argpartition(primary, window - 1)[:window]
        threshold = primary[cut].max()
        chosen = np.nonzero(primary <= threshold)[0]  # keep ties at the edge for the order
    else:
        chosen = np.arange(len(docs))
    ordered = chosen[np.lexsort((docs[chosen], primary[chosen]))]
    return ordered[:window]
