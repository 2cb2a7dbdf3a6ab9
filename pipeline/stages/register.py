"""Register stage, the commit point: number, XMP, archived PDF, sidecar and register row.

Everything that carries the registration number is written inside the register transaction,
so a crash before the commit leaves no used number and only files this job will replace.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipeline.context import Context
from pipeline.document import Document
from pipeline.errors import StorageError
from pipeline.fsutil import copy_durably, sha256_file, write_json_durably
from pipeline.tools.xmp_tool import write_description


def run(doc: Document, ctx: Context) -> None:
    """Commit the document to the archive and the register."""
    number = ctx.register.archive(
        doc, ctx.config.register.number_format, lambda n: _place_files(doc, ctx, n),
        due_date=doc.due_date or None,
    )
    doc.registration_number = number
    doc.status = "archived"


def _place_files(doc: Document, ctx: Context, number: str) -> None:
    assert doc.ocr_pdf is not None and doc.work_dir is not None
    doc.registration_number = number
    cfg = ctx.config
    target = cfg.paths.archive / doc.archive_path
    mode = cfg.archive.confidential_mode if doc.extraction.confidential else None
    staged = doc.ocr_pdf
    if not doc.unmodified:  # signed or PDF/A originals are stored exactly as received
        staged = doc.work_dir / "final.pdf"
        shutil.copyfile(doc.ocr_pdf, staged)
        describe_pdf(doc, staged)
    doc.pdf_sha256 = sha256_file(staged)
    try:
        # Sidecar first: an archived PDF is never without its description.
        write_json_durably(doc.to_sidecar(), target.with_suffix(".json"), mode=mode)
        if target.exists():  # our own leftover (archive stage checked it)
            os.unlink(target)
        copy_durably(staged, target, mode=mode)
    except OSError as exc:
        raise StorageError(f"cannot write {target}: {exc}") from exc


def describe_pdf(doc: Document, pdf_path: Path) -> None:
    """Write the main fields and the registration number into the PDF's XMP."""
    meta = doc.extraction.metadata()
    keywords = [f"{k}: {v}" for k, v in (
        ("registration", doc.registration_number), ("reference", meta["reference"]),
        ("their_reference", meta["their_reference"]), ("sender", meta["sender"]),
        ("recipient", meta["recipient"]), ("doc_type", meta["doc_type"]),
        ("date", meta["date"]),
    ) if v]
    description = "; ".join(keywords) or "scanned mail"
    write_description(
        pdf_path,
        title=meta["subject"] or " ".join(v for v in (meta["sender"], meta["date"]) if v)
        or doc.original_name,
        creator=meta["sender"], date=meta["date"],
        identifier=doc.registration_number, keywords=keywords, description=description,
        source=doc.original_name,
    )
