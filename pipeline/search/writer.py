"""The segment writer's posting pool, grouped by term (part of the engine: engine.py uses it).

Whoosh's PostingPool keeps every posting as a 5-tuple, sorts all of them at commit and, past
`limitmb`, pickles sorted runs to temporary files and merges them back with a heap: about a
third of a rebuild's CPU (cProfile, 3 000 letters). GroupedPool appends each posting to its
term's arrays instead, so a commit sorts only the distinct terms and nothing is pickled.
Its memory is about 420 bytes per distinct term and 12 bytes per posting plus the
positions (a 5 000-letter batch: about 50 MB); past `limitmb` it hands
everything to Whoosh's pool and behaves exactly as before (bounded memory for big merges).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

from whoosh.writing import PostingPool, SegmentWriter

_TERM_COST = 420  # bytes: dict entry, key tuple, three arrays and a bytearray (measured)
_POSTING_COST = 12  # bytes: docnum, weight and value length in arrays


class GroupedPool:
    """Postings grouped by (field, term) as they are added; docnums arrive in increasing
    order per term (documents in order, then merged segments in order), so only the terms
    need sorting."""

    def __init__(self, tempstore: Any, segment: Any, limitmb: int) -> None:
        self._whoosh = PostingPool(tempstore, segment, limitmb=limitmb)
        self._terms: dict[tuple[str, bytes], tuple[Any, Any, Any, bytearray]] = {}
        self._limit = limitmb * 1024 * 1024
        self._size = 0
        self._handed_over = False
        self.fieldnames: set[str] = set()

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        if self._handed_over:
            self._whoosh.add(item)
            return
        fieldname, text, docnum, weight, value = item
        entry = self._terms.get((fieldname, text))
        if entry is not None and entry[0][-1] >= docnum:
            self._hand_over()  # out of order: never seen, but Whoosh's pool sorts anything
            self._whoosh.add(item)
            return
        if entry is None:
            self.fieldnames.add(fieldname)
            entry = self._terms[(fieldname, text)] = (array("I"), array("f"), array("I"),
                                                      bytearray())
            self._size += _TERM_COST + len(text)
        entry[0].append(docnum)
        entry[1].append(weight)
        if value:  # None (merges of some formats) is written as no value, as Whoosh does
            entry[2].append(len(value))
            entry[3].extend(value)
        else:
            entry[2].append(0)
        self._size += _POSTING_COST + (len(value) if value else 0)
        if self._size > self._limit:
            self._hand_over()

    def _hand_over(self) -> None:
        """Past the memory limit: give everything to Whoosh's spilling pool."""
        for posting in self._sorted():
            self._whoosh.add(posting)
        self._terms.clear()
        self._handed_over = True

    def _sorted(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        terms = self._terms
        for key in sorted(terms):
            fieldname, text = key
            docnums, weights, lengths, values = terms[key]
            start = 0
            for docnum, weight, length in zip(docnums, weights, lengths, strict=True):
                yield fieldname, text, docnum, weight, bytes(values[start: start + length])
                start += length

    def iter_postings(self) -> Any:
        if self._handed_over:
            self.fieldnames |= self._whoosh.fieldnames
            return iter(self._whoosh.iter_postings())
        return _Grouped(self)

    def grouped(self) -> Iterator[tuple[str, bytes, Any, Any, Any, bytearray]]:
        """(field, term, docnums, weights, value lengths, values) per term, in term order."""
        terms = self._terms
        for key in sorted(terms):
            yield (*key, *terms[key])

    def cleanup(self) -> None:
        self._whoosh.cleanup()


class _Grouped:
    """The pool's postings: one tuple at a time for Whoosh, or a term at a time for
    codec.FieldWriter, which looks for `grouped`."""

    def __init__(self, pool: GroupedPool) -> None:
        self.grouped = pool.grouped
        self._pool = pool

    def __iter__(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        return self._pool._sorted()


class Writer(SegmentWriter):
    """Whoosh's SegmentWriter with the grouped pool (one process; the multi-process writer
    keeps Whoosh's pool, whose sorted runs it passes between processes)."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = GroupedPool(self._tempstorage, self.newsegment, limitmb)
