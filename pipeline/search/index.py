"""SearchIndex: the one object the pipeline, the CLI and `courrier check` use to reach search.

It resolves the live generation at every call (a rebuild may have swapped it), takes
Courrier's cross-process write lock around every write, journals writes while a rebuild runs,
and turns every engine failure into IndexUnavailableError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pipeline.config import IndexConfig
from pipeline.errors import CourrierError, IndexBusyError, IndexUnavailableError
from pipeline.search.engine import SCHEMA_VERSION, Generation
from pipeline.search.manifest import Verdict
from pipeline.search.query import parse_query
from pipeline.search.results import SearchResult
from pipeline.search.store import Layout, read_schema_version


class SearchIndex:
    """The search index in `index_dir`. Opens lazily: construction never touches the disk."""

    def __init__(self, index_dir: Path, config: IndexConfig) -> None:
        self.layout = Layout(Path(index_dir))
        self.config = config
        self._generation: Generation | None = None

    def _live(self, *, create: bool = False) -> Generation | None:
        """The generation CURRENT points to; a new empty one if `create` and there is none."""
        current = self.layout.current()
        if current is None:
            self.close()
            if not create:
                self._refuse_if_pointer_lost()
                return None
            current = self.layout.next_generation()
            generation = Generation.create(current, self.config)
            self.layout.swap(current)
            self._generation = generation
            return generation
        if self._generation is None or self._generation.path != current:
            self.close()
            self._generation = Generation.open(current, self.config)
        return self._generation

    def _refuse_if_pointer_lost(self) -> None:
        """No CURRENT but generations on disk: the pointer was lost, the index is not empty.
        Saying "0 found" would mislead; a write starts a new generation and the pipeline's
        catch-up re-adds every archived letter to it (stages/index.py)."""
        building = (self.layout.rebuild_state() or {}).get("generation")
        if any(path.name != building for path in self.layout.generations()):
            raise IndexUnavailableError(
                f"{self.layout.root / 'CURRENT'} is missing although the index folder holds "
                "generations: the index cannot tell which one is live")

    def close(self) -> None:
        """Release open files (optional: the index is closed when the object goes away)."""
        if self._generation is not None:
            self._generation.close()
            self._generation = None

    def add(self, sidecars: Iterable[dict[str, Any]],
            skip: Callable[[dict[str, Any], Exception], None] | None = None) -> int:
        """Insert or replace documents (by id) in one commit; returns how many were written.

        skip: called for a sidecar the index cannot take, which is left out (without it, the
        whole commit fails)."""
        docs = list(sidecars)
        for doc in docs:
            if not isinstance(doc, dict) or not doc.get("id"):
                raise ValueError("every sidecar given to SearchIndex.add needs an 'id'")
        if not docs:
            return 0
        with self.layout.write_lock(self.config.lock_timeout_seconds):
            # Journal first: if the live index is broken, the rebuild still gets these.
            self.layout.journal("add", docs)
            generation = self._live(create=True)
            assert generation is not None
            return generation.write(docs, skip=skip)

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id; returns how many of them were in the index."""
        wanted = {str(i) for i in ids}
        if not wanted:
            return 0
        with self.layout.write_lock(self.config.lock_timeout_seconds):
            self.layout.journal("delete", sorted(wanted))
            generation = self._live()
            if generation is None:
                return 0
            present = generation.present(wanted)
            generation.write([], delete=sorted(present))
            return len(present)

    def ids(self) -> set[str]:
        generation = self._live()
        return set() if generation is None else generation.ids()

    def count(self) -> int:
        generation = self._live()
        return 0 if generation is None else generation.count()

    def search(self, query: str, *, limit: int = 10, page: int = 1, sort: str = "relevance",
               departments: set[str] | None = None, facets: bool = True) -> SearchResult:
        """Run a query in the archivists' language (see docs/search.md).

        `departments`: the caller's departments; confidential letters of other departments
        are left out. None means an unrestricted (admin/CLI) search.
        """
        if limit < 1 or page < 1:
            raise ValueError("limit and page start at 1")
        node = parse_query(query)  # syntax errors first, even without an index
        generation = self._live()
        if generation is None:
            return SearchResult(total=0, hits=[], facets={}, page=page, limit=limit)
        return generation.search(node, limit=limit, page=page, sort=sort,
                                 departments=departments, facets=facets)

    def verify(self, *, deep: bool = True) -> Verdict:
        """Compare the live index files with the checksums their commits recorded.

        deep=False compares sizes only. Raises IndexUnavailableError when the index cannot
        be opened at all (or the write lock is not free within the timeout).
        """
        with self.layout.write_lock(self.config.lock_timeout_seconds):
            generation = self._live()
            return Verdict([]) if generation is None else generation.verify(deep=deep)

    def health(self, *, deep: bool = False) -> tuple[bool, str]:
        """(usable, one line for people): opens the index, checks its schema and its files."""
        try:
            current = self.layout.current()
            if current is None:
                self._refuse_if_pointer_lost()
                return True, f"no search index yet in {self.layout.root} (created on first add)"
            version = read_schema_version(current)
            if version is not None and version != SCHEMA_VERSION:
                return False, (f"search index schema is version {version}, this Courrier needs "
                               f"{SCHEMA_VERSION}: run `courrier reindex`")
            verdict = self.verify(deep=deep)
            if verdict.problems:
                more = f" (and {len(verdict.problems) - 1} more)" if len(verdict.problems) > 1 \
                    else ""
                return False, f"search index damaged: {verdict.problems[0]}{more}: run " \
                    "`courrier reindex`"
            message = f"search index ok: {self.count()} documents in {current.name}"
            if verdict.unverified:
                message += f"; files not verified: {verdict.unverified}"
        except IndexBusyError as exc:
            return True, f"search index busy, not verified now ({exc.message})"
        except CourrierError as exc:
            return False, f"{exc.message}: run `courrier reindex`"
        if self.layout.rebuild_state() is not None:
            message += " (a rebuild is running or was interrupted: `courrier reindex` resumes it)"
        return True, message


__all__ = ["IndexUnavailableError", "SearchIndex"]
