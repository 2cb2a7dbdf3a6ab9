"""Rebuild the search index from the sidecars, beside the live one, then swap it in.

    rebuild_index(config.paths.archive, config.paths.index, config.index, progress=print_bar)

- No OCR: every sidecar (`*.json` beside the PDFs, not `*.error.json`) holds the text.
- Searches keep using the live generation until the final swap (one os.replace).
- Commits every `batch_size` documents, so memory stays bounded and a crash loses one batch.
- Resumable: REBUILD.json names the generation being built; the ids already committed there
  are skipped on the next run.
- Live ingest keeps writing the live index and, while REBUILD.json exists, a journal; the
  journal (and `pending_ids`, documents recorded "to index") is replayed under the write lock
  just before the swap, so nothing added meanwhile is lost.
- Never opens the live index: it works when that one is corrupt.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.config import IndexConfig
from pipeline.errors import IndexUnavailableError
from pipeline.search.analysis import check_sidecar
from pipeline.search.engine import SCHEMA_VERSION, Generation
from pipeline.search.store import Layout, is_generation_name

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
SOURCE = "_courrier_source"  # key of a sidecar's path, added while it is being indexed


@dataclass(frozen=True)
class ReindexReport:
    count: int  # documents in the new index
    seconds: float
    docs_per_second: float  # documents written by this run / seconds
    written: int  # documents written by this run (excludes those resumed)
    resumed: int  # already committed by an interrupted run
    replayed: int  # from the live-ingest journal and pending_ids
    skipped: list[str]  # sidecar files that could not be read, with why
    generation: str


def iter_sidecar_paths(archive_dir: Path) -> Iterator[str]:
    """Sidecar files under the archive, sorted within each folder (as str: less memory)."""
    for folder, dirs, files in os.walk(archive_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".json") and not name.endswith(".error.json") \
                    and not name.startswith("."):
                yield os.path.join(folder, name)


def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return check_sidecar(json.load(handle))


def _begin(layout: Layout, config: IndexConfig, fresh: bool) -> tuple[Generation, int]:
    """Resume the interrupted rebuild's generation (unless `fresh`), or start a new one.
    Returns it and the number of documents it already holds."""
    with layout.write_lock(config.lock_timeout_seconds):
        state = layout.rebuild_state()
        current = _safe_current(layout)
        if fresh or state is None or not is_generation_name(state.get("generation")) \
                or (layout.root / str(state.get("generation"))) == current:
            layout.finish_rebuild()  # a journal without a rebuild is leftover: drop it
            state = {"generation": layout.next_generation().name,
                     "schema_version": SCHEMA_VERSION,
                     "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                     "pid": os.getpid()}
            layout.start_rebuild(state)
        # Created under the lock, so a first live add cannot pick the same folder name.
        return _open_or_create(layout.root / str(state["generation"]), config)


def _open_or_create(path: Path, config: IndexConfig) -> tuple[Generation, int]:
    if path.is_dir():
        try:
            generation = Generation.open(path, config)
            # Files of an interrupted build may have been cut short by the crash or damaged
            # since: resume only what its checksums vouch for.
            verdict = generation.verify(deep=True)
            if verdict.problems or verdict.unverified:
                generation.close()
                raise IndexUnavailableError(verdict.problems[0] if verdict.problems
                                            else str(verdict.unverified))
            done = generation.count()
            log.info("resuming the rebuild in %s (%d documents already there)", path, done)
            return generation, done
        except IndexUnavailableError as exc:
            log.warning("the interrupted rebuild in %s is unusable (%s): starting it again",
                        path, exc.message)
            shutil.rmtree(path)
    return Generation.create(path, config), 0


def _replay(layout: Layout, generation: Generation, seen: set[str],
            pending_ids: Callable[[], Iterable[dict[str, Any]]] | None) -> int:
    """Apply what live ingest did since the rebuild started, then the pending documents."""
    adds: dict[str, dict[str, Any]] = {}
    deletes: set[str] = set()
    for op, value in layout.read_journal():
        if op == "add" and isinstance(value, dict) and value.get("id"):
            adds[str(value["id"])] = value
            deletes.discard(str(value["id"]))
        elif op == "delete":
            adds.pop(str(value), None)
            deletes.add(str(value))
    for sidecar in pending_ids() if pending_ids else ():
        adds[str(sidecar["id"])] = sidecar
        deletes.discard(str(sidecar["id"]))
    seen.update(adds)
    seen.difference_update(deletes)
    # Ids committed by an interrupted run whose sidecar has gone since are dropped too.
    stale = (generation.ids() - seen) | deletes
    if adds or stale:
        generation.write(list(adds.values()), delete=sorted(stale))
    return len(adds)


def _cleanup(layout: Layout, keep: set[Path]) -> None:
    """Remove old generations; the one just replaced stays for readers still on it."""
    for path in layout.generations():
        if path not in keep:
            shutil.rmtree(path, ignore_errors=True)


def rebuild_index(archive_dir: Path, index_dir: Path, config: IndexConfig,
                  progress: Progress | None = None,
                  pending_ids: Callable[[], Iterable[dict[str, Any]]] | None = None,
                  *, fresh: bool = False) -> ReindexReport:
    """Build a new index from the sidecars under `archive_dir` and make it the live one.

    fresh=True: do not resume an interrupted rebuild (sidecars were rewritten since, e.g. by
    `--re-extract`, and the documents it already holds would keep their old fields).
    """
    started = time.monotonic()
    layout = Layout(Path(index_dir))
    layout.root.mkdir(parents=True, exist_ok=True)
    with layout.rebuild_lock(config.lock_timeout_seconds):
        generation, resumed = _begin(layout, config, fresh)
        written, seen, skipped = _fill(generation, Path(archive_dir), config, progress)
        damage = generation.verify(deep=True).problems  # never swap in a damaged index
        if damage:
            raise IndexUnavailableError(f"the new index in {generation.path} is damaged: "
                                        f"{damage[0]}; the live index is unchanged")
        with layout.write_lock(config.lock_timeout_seconds):
            replayed = _replay(layout, generation, seen, pending_ids)
            if config.optimize_after_rebuild:
                generation.write([], optimize=True)
            previous = _safe_current(layout)
            layout.swap(generation.path)
            layout.finish_rebuild()
        _cleanup(layout, {generation.path} | ({previous} if previous else set()))
        count = generation.count()
        generation.close()
    seconds = time.monotonic() - started
    report = ReindexReport(count=count, seconds=seconds,
                           docs_per_second=written / seconds if seconds > 0 else 0.0,
                           written=written, resumed=resumed, replayed=replayed,
                           skipped=skipped, generation=generation.path.name)
    log.info("reindex: %d documents in %.1f s (%.0f docs/s)", count, seconds,
             report.docs_per_second)
    return report


def _safe_current(layout: Layout) -> Path | None:
    with contextlib.suppress(IndexUnavailableError):
        return layout.current()
    return None  # a damaged pointer is simply replaced


def _fill(generation: Generation, archive_dir: Path, config: IndexConfig,
          progress: Progress | None) -> tuple[int, set[str], list[str]]:
    """Add every sidecar not yet in `generation`, committing every batch_size documents.

    Sidecars are read while the writer indexes them: a batch is never held in memory as
    parsed JSON (5 000 letters would be ~50 MB of Python objects).
    """
    paths = list(iter_sidecar_paths(archive_dir))
    seen: set[str] = set()
    skipped: list[str] = []
    failed: list[Exception] = []  # an error of `progress`, raised while the writer reads docs
    docs = _fresh(paths, generation.ids(), seen, skipped, progress, failed)
    batch_size = max(1, config.batch_size)
    written = 0
    try:
        for first in docs:
            batch = itertools.chain([first], itertools.islice(docs, batch_size - 1))
            written += generation.write(batch, upsert=False, procs=config.reindex_procs,
                                        skip=lambda doc, exc: _skip(doc, exc, seen, skipped))
    except IndexUnavailableError:
        if failed:  # the engine wrapped it; the batch was cancelled: raise the caller's own
            raise failed[0] from None
        raise
    return written, seen, skipped


def _skip(sidecar: dict[str, Any], exc: Exception, seen: set[str], skipped: list[str]) -> None:
    seen.discard(str(sidecar.get("id")))
    skipped.append(f"{sidecar.get(SOURCE, sidecar.get('id'))}: cannot be indexed ({exc})")


def _fresh(paths: list[str], done: set[str], seen: set[str], skipped: list[str],
           progress: Progress | None, failed: list[Exception]) -> Iterator[dict[str, Any]]:
    """The readable sidecars among `paths` whose id is not in `done`, reporting progress."""
    for number, path in enumerate(paths, 1):
        sidecar = _take(path, seen, skipped)
        if sidecar is not None and sidecar["id"] not in done:
            yield sidecar
        if progress and (number % 100 == 0 or number == len(paths)):
            try:
                progress(number, len(paths))
            except Exception as exc:
                failed.append(exc)
                raise


def _take(path: str, seen: set[str], skipped: list[str]) -> dict[str, Any] | None:
    """The sidecar at `path`, or None (recorded in `skipped`) if unreadable or a duplicate."""
    try:
        sidecar = _load(path)
    except (OSError, ValueError) as exc:
        skipped.append(f"{path}: {exc}")
        return None
    doc_id = sidecar["id"] = str(sidecar["id"])
    if doc_id in seen:
        skipped.append(f"{path}: duplicate id {doc_id}")
        return None
    seen.add(doc_id)
    sidecar[SOURCE] = path  # for the message if the index cannot take it
    return sidecar
