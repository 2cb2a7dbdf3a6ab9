"""Batch re-extraction (`reindex --re-extract`) and re-OCR (`reindex --re-ocr`) of the archive.

Both walk the register's archived documents, are resumable (a progress file lists the ids done,
so an interrupted run continues where it stopped), and rewrite sidecar and register row. The
archived file keeps its path: a stable path is what people and other systems link to. A
document that fails (original missing, OCR error, damaged sidecar) is named and skipped; the
next run tries it again. Ingest may run meanwhile: it only adds new documents.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import jobs
from pipeline.context import Context
from pipeline.document import Document, Page
from pipeline.errors import CourrierError, StorageError, UsageError
from pipeline.fsutil import fsync_dir, sha256_file, write_json_durably
from pipeline.log import log_stage
from pipeline.search.analysis import check_sidecar
from pipeline.stages import ocr
from pipeline.stages.register import describe_pdf

Progress = Callable[[int, int], None]
# (document, its sidecar, what prefetch gave) -> whether anything changed
Work = Callable[[Document, Path, Any], bool]
_AHEAD = 3  # documents prefetched: enough to keep two cores busy


@dataclass
class RedoReport:
    done: int = 0  # documents redone by this run
    changed: int = 0  # of which the result differed (sidecar, register and index rewritten)
    resumed: int = 0  # already done by an interrupted run
    failed: list[str] = field(default_factory=list)  # "<number>: <why>", retried next run


def _progress_file(ctx: Context, job: str) -> Path:
    return ctx.config.paths.home / f".{job}-progress"


def _load_done(path: Path) -> set[str]:
    try:
        return set(path.read_text(encoding="utf-8").split())
    except FileNotFoundError:
        return set()


def _walk(ctx: Context, job: str, work: Work, progress: Progress | None,
          prefetch: Callable[[Path], Any] | None = None) -> RedoReport:
    """Apply `work` to every archived document not yet done.

    The progress file lists the ids done, one per line, flushed after each: an interrupted
    run resumes after the last one. A document that fails is named in the report and left
    out of the file, so the next run tries it again; the others go on. `prefetch(pdf)` runs
    in threads a few documents ahead (e.g. pdftotext, which waits on a child process) and
    its result is passed to `work`.
    """
    marker = _progress_file(ctx, job)
    # Only (id, number, path): the whole register rows of a large archive weigh hundreds of MB.
    rows = [(r["id"], r["registration_number"], r["archive_path"])
            for r in ctx.register.archived()]
    with open(marker, "a+", encoding="utf-8") as journal, \
            ThreadPoolExecutor(_AHEAD, thread_name_prefix=job) as pool:
        try:
            fcntl.flock(journal.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"another `courrier reindex --{job}` is running on this archive "
                             f"(it holds {marker})", hint="Wait for it to finish.") from None
        done = _load_done(marker)
        todo = [row for row in rows if row[0] not in done]
        report = RedoReport(resumed=len(rows) - len(todo))
        ahead: deque[Future[Any]] = deque()
        for index, (doc_id, number, archive_path) in enumerate(todo):
            while prefetch and len(ahead) < _AHEAD and index + len(ahead) < len(todo):
                pdf = ctx.config.paths.archive / todo[index + len(ahead)][2]
                ahead.append(pool.submit(prefetch, pdf))
            sidecar_path = (ctx.config.paths.archive / archive_path).with_suffix(".json")
            try:
                prefetched = ahead.popleft().result() if prefetch else None
                doc = _read_sidecar(sidecar_path)
                changed = work(doc, sidecar_path, prefetched)
            except Exception as exc:  # one letter's failure is named, not fatal to the run
                why = exc.message if isinstance(exc, CourrierError) else \
                    f"{type(exc).__name__}: {exc}"
                report.failed.append(f"{number or doc_id}: {why}")
                log_stage(doc_id, job, "failed", logging.WARNING, error=why)
            else:
                journal.write(doc_id + "\n")
                journal.flush()
                report.done += 1
                report.changed += changed
            if progress:
                progress(report.resumed + index + 1, len(rows))
        if not report.failed:
            marker.unlink(missing_ok=True)  # finished: the next run starts from the beginning
    return report


def _read_sidecar(path: Path) -> Document:
    try:
        return Document.from_sidecar(check_sidecar(json.loads(path.read_text("utf-8"))))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StorageError(f"its sidecar {path} cannot be read: {exc}",
                           hint="Restore the sidecar from a backup, or run `courrier check`.")\
            from exc


def _save(doc: Document, sidecar_path: Path, ctx: Context, action: str) -> None:
    mode = ctx.config.archive.confidential_mode if doc.extraction.confidential else None
    write_json_durably(doc.to_sidecar(), sidecar_path, mode=mode)
    ctx.register.update_fields(doc, ctx.actor, action)
    ctx.register.mark_indexed([doc.id], indexed=False)  # the next index pass picks it up
    log_stage(doc.id, action, "ok", sender=doc.extraction.value("sender"),
              date=doc.extraction.value("date"))


def re_extract_all(ctx: Context, progress: Progress | None = None) -> RedoReport:
    """Run the current extractor over each archived PDF's text layer."""
    from pipeline.extract.pdftext import read_pages

    def work(doc: Document, sidecar_path: Path, pages: list[Page]) -> bool:
        if not any(page.text.strip() for page in pages):
            pages = doc.pages  # signed originals: the OCR text lives only in the sidecar
        extraction = ctx.extractor.extract(pages)
        if extraction.to_dict() == doc.extraction.to_dict():
            log_stage(doc.id, "re_extracted", "unchanged")
            return False  # nothing to rewrite, register or re-index
        doc.pages, doc.extraction = pages, extraction
        _save(doc, sidecar_path, ctx, "re_extracted")
        return True

    # pdftotext (read_pages) is three quarters of the time: it runs ahead in threads.
    return _walk(ctx, "re-extract", work, progress, prefetch=read_pages)


@contextlib.contextmanager
def _held(folder: Path) -> Iterator[None]:
    """Without the lock, a watcher or `check --repair` would take the folder for an abandoned
    job and delete it under our feet."""
    fd = jobs.hold_work_folder(folder)
    try:
        yield
    finally:
        os.close(fd)


def re_ocr_all(ctx: Context, progress: Progress | None = None) -> RedoReport:
    """OCR each original again, replace the archived PDF in place, extract again."""

    def work(doc: Document, sidecar_path: Path, _: None) -> bool:
        processing = ctx.config.paths.processing
        with tempfile.TemporaryDirectory(dir=processing, prefix="re-ocr-") as tmp, \
                _held(Path(tmp)):
            work_dir = Path(tmp)
            original = ctx.config.paths.originals / doc.original_path
            doc.source = work_dir / f"input{original.suffix}"
            shutil.copyfile(original, doc.source)
            doc.kind = "pdf" if original.suffix.lower() == ".pdf" else "image"
            doc.work_dir = work_dir
            ocr.run(doc, ctx)
            doc.extraction = ctx.extractor.extract(doc.pages)
            if not doc.unmodified and doc.ocr_pdf is not None:
                target = ctx.config.paths.archive / doc.archive_path
                staged = target.with_name(f".{target.name}.reocr")
                shutil.copyfile(doc.ocr_pdf, staged)
                describe_pdf(doc, staged)
                with open(staged, "rb+") as handle:
                    os.fsync(handle.fileno())
                doc.pdf_sha256 = sha256_file(staged)
                os.replace(staged, target)  # operator-requested upgrade of the same document
                fsync_dir(target.parent)
        _save(doc, sidecar_path, ctx, "re_ocred")
        return True

    return _walk(ctx, "re-ocr", work, progress)
