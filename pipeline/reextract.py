"""Batch re-extraction (`reindex --re-extract`) and re-OCR (`reindex --re-ocr`) of the archive.

Both walk the register's archived documents, are resumable (a progress file lists the ids done,
so an interrupted run continues where it stopped), and rewrite sidecar and register row. The
archived file keeps its path: a stable path is what people and other systems link to.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.context import Context
from pipeline.document import Document
from pipeline.fsutil import fsync_dir, write_json_durably
from pipeline.log import log_stage
from pipeline.stages import ocr
from pipeline.stages.archive import sha256_file
from pipeline.stages.register import describe_pdf

Progress = Callable[[int, int], None]


def _progress_file(ctx: Context, job: str) -> Path:
    return ctx.config.paths.home / f".{job}-progress"


def _load_done(path: Path) -> set[str]:
    try:
        return set(path.read_text(encoding="utf-8").split())
    except FileNotFoundError:
        return set()


def _walk(ctx: Context, job: str, work: Callable[[Document, Path], None],
          progress: Progress | None) -> int:
    """Apply `work` to every archived document not yet done; return how many were done now."""
    marker = _progress_file(ctx, job)
    done = _load_done(marker)
    rows = list(ctx.register.archived())
    total, count = len(rows), 0
    with open(marker, "a", encoding="utf-8") as journal:
        for position, row in enumerate(rows, 1):
            if row["id"] not in done:
                sidecar_path = (ctx.config.paths.archive / row["archive_path"]).with_suffix(
                    ".json")
                doc = Document.from_sidecar(json.loads(sidecar_path.read_text("utf-8")))
                work(doc, sidecar_path)
                journal.write(row["id"] + "\n")
                journal.flush()
                count += 1
            if progress:
                progress(position, total)
    marker.unlink(missing_ok=True)  # finished: the next run starts from the beginning
    return count


def _save(doc: Document, sidecar_path: Path, ctx: Context, action: str) -> None:
    mode = ctx.config.archive.confidential_mode if doc.extraction.confidential else None
    write_json_durably(doc.to_sidecar(), sidecar_path, mode=mode)
    ctx.register.update_fields(doc, ctx.actor, action)
    ctx.register.mark_indexed([doc.id], indexed=False)  # the next index pass picks it up
    log_stage(doc.id, action, "ok", sender=doc.extraction.value("sender"),
              date=doc.extraction.value("date"))


def re_extract_all(ctx: Context, progress: Progress | None = None) -> int:
    """Run the current extractor over each archived PDF's text layer."""
    from pipeline.extract.pdftext import read_pages

    def work(doc: Document, sidecar_path: Path) -> None:
        pdf = ctx.config.paths.archive / doc.archive_path
        pages = read_pages(pdf)
        if not any(page.text.strip() for page in pages):
            pages = doc.pages  # signed originals: the OCR text lives only in the sidecar
        doc.pages = pages
        doc.extraction = ctx.extractor.extract(pages)
        _save(doc, sidecar_path, ctx, "re_extracted")

    return _walk(ctx, "reextract", work, progress)


def re_ocr_all(ctx: Context, progress: Progress | None = None) -> int:
    """OCR each original again, replace the archived PDF in place, extract again."""

    def work(doc: Document, sidecar_path: Path) -> None:
        with tempfile.TemporaryDirectory(dir=ctx.config.paths.processing) as tmp:
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

    return _walk(ctx, "reocr", work, progress)
