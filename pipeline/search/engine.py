"""The Whoosh side of search: schema, writing one generation, running a parsed query.

The only module in Courrier that imports whoosh. Every Whoosh failure (LockError, a corrupt or
missing segment, a schema we do not know) leaves this module as IndexUnavailableError, so
callers never see an engine traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import collectors
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from pipeline.config import IndexConfig
from pipeline.errors import IndexUnavailableError
from pipeline.search import fast, manifest
from pipeline.search import query as q
from pipeline.search.analysis import (
    OTHER_LANGUAGE,
    fold,
    make_snippet,
    to_record,
)
from pipeline.search.codec import Codec, MappedStorage
from pipeline.search.results import SearchHit, SearchResult, top_counts
from pipeline.search.schema import build_schema
from pipeline.search.store import SCHEMA_FILE, read_schema_version
from pipeline.search.translate import CONTENT_FIELDS, AndNot, Translator
from pipeline.search.writer import Writer

log = logging.getLogger(__name__)

# Bump when the schema or an analyzer changes: health() then asks for `courrier reindex`.
SCHEMA_VERSION = 5
SORTS = ("relevance", "date", "-date")
FACETS = (("sender", "sender_facet"), ("year", "year"), ("doc_type", "doc_type"))
FACET_FIELDS = tuple(field for _, field in FACETS)


class Generation:
    """One Whoosh index folder (gen-N). Open with `open()` or `create()`."""

    def __init__(self, path: Path, ix: Any, config: IndexConfig) -> None:
        self.path = path
        self.ix = ix
        self.config = config
        self._searcher: Any = None
        self._columns: dict[tuple[Any, str], list[Any]] = {}
        self._arrays = fast.Columns()
        self.vectorised = True  # False: always Whoosh's matchers (tests compare the two)

    @classmethod
    def create(cls, path: Path, config: IndexConfig, *, mmap: bool = True) -> Generation:
        """mmap=False: plain reads (a seek and a read per posting block) instead of
        codec.MappedStorage's memory-mapped files."""
        path.mkdir(parents=True, exist_ok=True)
        try:
            ix = _storage(path, mmap).create_index(build_schema())
        except Exception as exc:
            raise IndexUnavailableError(f"cannot create the search index in {path}: {exc}") from exc
        (path / SCHEMA_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        generation = cls(path, ix, config)
        generation._guard(lambda: generation._record_manifest(fresh=True))
        return generation

    @classmethod
    def open(cls, path: Path, config: IndexConfig, *, mmap: bool = True) -> Generation:
        version = read_schema_version(path)
        if version is None:
            raise IndexUnavailableError(
                f"the search index in {path} has no readable {SCHEMA_FILE} (the folder is "
                "missing, empty or damaged)")
        if version != SCHEMA_VERSION:
            raise IndexUnavailableError(
                f"the search index in {path} has schema version {version}, this Courrier "
                f"needs version {SCHEMA_VERSION}")
        try:
            ix = _storage(path, mmap).open_index()
            with ix.reader() as reader:  # opens every segment: fails now rather than mid-search
                reader.doc_count()
        except Exception as exc:
            raise IndexUnavailableError(
                f"the search index in {path} cannot be opened: {exc}") from exc
        return cls(path, ix, config)

    def close(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
            self._searcher = None

    def count(self) -> int:
        return int(self._guard(lambda: self.ix.doc_count()))

    def ids(self) -> set[str]:
        def read() -> set[str]:
            # Not the term lexicon: it still lists deleted documents until a merge.
            found: set[str] = set()
            with self.ix.reader() as reader:
                for leaf, _ in reader.leaf_readers():
                    if not leaf.doc_count():  # an empty index has no columns at all
                        continue
                    column = leaf.column_reader("id")
                    found.update(column[docnum] for docnum in leaf.all_doc_ids())
            return found
        return set(self._guard(read))

    def present(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` are in the index (one term lookup each, not a scan)."""
        def read() -> set[str]:
            with self.ix.searcher() as searcher:
                return {i for i in ids if searcher.document_number(id=i) is not None}
        return set(self._guard(read))

    def _guard(self, action: Any) -> Any:
        try:
            return action()
        except IndexUnavailableError:
            raise
        except Exception as exc:
            raise IndexUnavailableError(f"the search index in {self.path} failed: {exc}") from exc

    # --- writing (the caller holds Courrier's write lock) ----------------------------------

    def _clear_stale_writelock(self) -> None:
        """Whoosh's own lock is an flock too; if it is taken while we hold Courrier's lock, the
        holder is not a Courrier writer (e.g. a forked child inherited the descriptor): drop it."""
        lock = self.ix.storage.lock(f"{self.ix.indexname}_WRITELOCK")
        if lock.acquire(blocking=False):
            lock.release()
            return
        log.warning("clearing a stale Whoosh write lock in %s", self.path)
        with contextlib.suppress(FileNotFoundError):
            (self.path / f"{self.ix.indexname}_WRITELOCK").unlink()

    def write(self, docs: Iterable[dict[str, Any]], delete: Iterable[str] = (), *,
              upsert: bool = True, merge: bool = True, optimize: bool = False,
              procs: int = 1, skip: Callable[[dict[str, Any], Exception], None] | None = None,
              ) -> int:
        """Add (or replace) sidecars and delete ids in one Whoosh commit; returns docs written.

        procs > 1 (bulk rebuild only, with upsert=False): documents are analysed in that many
        child processes, each writing its own segment, while this one merges small segments.
        skip: called with a sidecar that cannot be turned into a record, which is left out
        (without it, the whole commit fails).
        """
        def run() -> int:
            # A merge would read damaged files into a new segment and hide the damage.
            damage = manifest.verify(self.path, self._toc_name(), deep=False).problems
            if damage:
                raise IndexUnavailableError(
                    f"the search index in {self.path} is damaged: {damage[0]}")
            self._clear_stale_writelock()
            # compound=False: Whoosh reads a compound segment through BytesIO copies of its
            # parts, so a searcher held the whole index in its heap (1.5 GB at 100 000).
            options: dict[str, Any] = {"timeout": 5.0, "limitmb": self.config.writer_memory_mb,
                                       "codec": Codec(), "compound": False}
            # Daemonic processes (pool workers) may not start children: index in-process there.
            if procs > 1 and not upsert and not multiprocessing.current_process().daemon:
                options.update(procs=procs, multisegment=True, batchsize=50)
            writer = self.ix.writer(**options) if "procs" in options else Writer(self.ix, **options)
            try:
                for doc_id in delete:
                    writer.delete_by_term("id", doc_id)
                written = 0
                for sidecar in docs:
                    try:
                        record = to_record(sidecar)
                    except (TypeError, ValueError, AttributeError, KeyError) as exc:
                        if skip is None:
                            raise
                        skip(sidecar, exc)  # a rebuild names the sidecar and goes on
                        continue
                    (writer.update_document if upsert else writer.add_document)(**record)
                    written += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit(merge=merge, optimize=optimize)
            self._record_manifest()
            return written
        result = int(self._guard(run))
        self.close()  # the next search sees the new commit
        return result

    def _toc_name(self) -> str:
        return str(TOC._filename(self.ix.indexname, self.ix.latest_generation()))

    def _record_manifest(self, *, fresh: bool = False) -> None:
        """List the latest commit's files with their checksums (see manifest.py)."""
        storage, segments = self.ix.storage, self.ix._segments()
        names = [name for segment in segments for name in segment.list_files(storage)]
        prefixes = [f"{segment.segment_id()}." for segment in segments]
        manifest.record(self.path, self._toc_name(), prefixes, names, fresh=fresh)

    def verify(self, *, deep: bool) -> manifest.Verdict:
        """Compare the files with the manifest of the latest commit (caller holds the lock)."""
        verdict: manifest.Verdict = self._guard(
            lambda: manifest.verify(self.path, self._toc_name(), deep=deep))
        return verdict

    # --- searching --------------------------------------------------------------------------

    def searcher(self) -> Any:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, node: q.Node, *, limit: int, page: int, sort: str,
               departments: set[str] | None, facets: bool) -> SearchResult:
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        wquery = Translator(self.ix.schema).top(node)
        return self._guard(lambda: self._run(wquery, limit, page, sort, departments, facets))

    def _run(self, wquery: Any, limit: int, page: int, sort: str,
             departments: set[str] | None, facets: bool) -> SearchResult:
        searcher = self.searcher()
        mask = _confidential_mask(departments)
        by_relevance = sort == "relevance"
        if self.vectorised:
            try:
                found = fast.search(searcher, wquery, mask, self._arrays, window=page * limit,
                                    sort=sort, facets=FACET_FIELDS if facets else ())
            except fast.Unsupported as why:
                log.debug("search runs on Whoosh's matchers (%s)", why)
            else:
                window = found.top[(page - 1) * limit:]
                terms = _highlight_terms(wquery, searcher.reader()) if window else {}
                hits = [_hit(searcher.stored_fields(doc), score if by_relevance else None,
                             terms, searcher.schema) for doc, score in window]
                counts = {name: top_counts(found.counts[field]) for name, field in FACETS} \
                    if facets else {}
                return SearchResult(total=found.total, hits=hits, facets=counts, page=page,
                                    limit=limit)
        return self._run_whoosh(searcher, wquery, mask, limit, page, sort, facets)

    def _run_whoosh(self, searcher: Any, wquery: Any, mask: Any, limit: int, page: int,
                    sort: str, facets: bool) -> SearchResult:
        """Whoosh's own matchers: for query shapes the vectorised path does not know."""
        # replace=0: by default Whoosh drops a union's sub-matchers that can no longer reach
        # the top N, so the recorder missed their documents (totals and facets too low).
        inner: Any = collectors.TopCollector(page * limit, usequality=False, replace=0)
        if sort != "relevance":
            inner = collectors.SortingCollector("date", limit=page * limit,
                                                reverse=sort == "-date")
        recorder = _Recorder(inner)
        top = recorder if mask is None else collectors.FilterCollector(recorder, restrict=mask)
        searcher.search_with_collector(wquery, top)
        results = top.results()
        window = results[(page - 1) * limit: page * limit]
        terms = _highlight_terms(wquery, searcher.reader()) if window else {}
        # Sorted by date, Whoosh's "score" is the sort key: no relevance to show.
        hits = [_hit(h.fields(), h.score if sort == "relevance" else None, terms,
                     searcher.schema) for h in window]
        counts = self._facets(searcher, recorder.ids) if facets else {}
        return SearchResult(total=len(recorder.ids), hits=hits, facets=counts, page=page,
                            limit=limit)

    def _facets(self, searcher: Any, matched: list[int]) -> dict[str, dict[str, int]]:
        """Facet counts over `matched`, from per-segment column values cached as lists."""
        counts: dict[str, dict[str, int]] = {}
        for name, field in FACETS:
            values = self._column(searcher, field)
            counts[name] = top_counts(Counter(map(values.__getitem__, matched)))
        return counts

    def _column(self, searcher: Any, field: str) -> list[Any]:
        """The field's column for the whole searcher, docnum -> value; segments are cached
        by id, so a commit only reads the new segments."""
        values: list[Any] = []
        reader = searcher.reader()
        for leaf, _offset in reader.leaf_readers():
            key = (leaf.segment().segment_id() if leaf.segment() else id(leaf), field)
            cached = self._columns.get(key)
            if cached is None:
                cached = (list(leaf.column_reader(field)) if leaf.has_column(field)
                          else [None] * leaf.doc_count_all())
                if len(self._columns) > 400:
                    self._columns.clear()
                self._columns[key] = cached
            values.extend(cached)
        return values


def _storage(path: Path, mmap: bool) -> Any:
    return MappedStorage(str(path)) if mmap else FileStorage(str(path), supports_mmap=False)


class _Recorder(collectors.WrappingCollector):
    """Keeps every matching document number the caller may see, for the total and facets,
    in the same pass as the top-N (a second pass would evaluate phrases twice)."""

    def __init__(self, child: Any) -> None:
        super().__init__(child)
        self.ids: list[int] = []

    def collect(self, sub_docnum: int) -> Any:
        self.ids.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)


def _confidential_mask(departments: set[str] | None) -> Any:
    """Documents hidden from this caller: confidential ones outside their departments."""
    if departments is None:
        return None
    secret = wq.Term("confidential", "yes")
    allowed = [wq.Term("department", fold(d).strip()) for d in departments if d.strip()]
    return AndNot(secret, wq.Or(allowed)) if allowed else secret


def _highlight_terms(wquery: Any, reader: Any) -> dict[str, frozenset[str]]:
    # Not Query.existing_terms(): it reuses its `fieldname` argument as a loop variable and
    # so skips every field after the first one it finds.
    found: dict[str, set[str]] = {}
    for leaf in wquery.leaves():
        if leaf.field() not in CONTENT_FIELDS:
            continue
        for field, text in leaf.expanded_terms(reader, phrases=True):
            word = text.decode("utf-8") if isinstance(text, bytes) else text
            if (field, word) in reader:
                found.setdefault(field, set()).add(word)
    return {k: frozenset(v) for k, v in found.items()}


def _hit(stored: dict[str, Any], score: float | None, terms: dict[str, frozenset[str]],
         schema: Any) -> SearchHit:
    info = stored.get("hit") or {}
    field = f"content_{info.get('language') or OTHER_LANGUAGE}"
    text = zlib.decompress(stored["text_z"]).decode("utf-8") if stored.get("text_z") else ""
    found = terms.get(field, frozenset())
    marked = make_snippet(text, found, schema[field].analyzer)
    return SearchHit(
        id=stored["id"], score=float(score or 0.0), sender=info.get("sender"),
        date=info.get("date"), reference=info.get("reference"),
        their_reference=info.get("their_reference"), subject=info.get("subject"),
        archive_path=info.get("archive_path") or "",
        registration_number=info.get("registration_number"), doc_type=info.get("doc_type"),
        snippet=marked, confidential=bool(info.get("confidential")))
