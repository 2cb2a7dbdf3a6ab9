"""Ingest stage: what is this file, what is its checksum, have we archived it already?"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.context import Context
from pipeline.document import Document
from pipeline.fsutil import sha256_file
from pipeline.sniff import sniff


@dataclass
class Duplicate:
    """Outcome, not an error: the same bytes are already archived (or being archived)."""

    of_id: str


def run(doc: Document, ctx: Context) -> Duplicate | None:
    doc.size = doc.source.stat().st_size
    doc.sha256 = sha256_file(doc.source)  # first: a refused file's reason names its checksum
    kind = sniff(doc.source)
    doc.kind, doc.mime = kind.kind, kind.mime
    assert doc.work_dir is not None
    claim = ctx.register.begin_job(doc, doc.work_dir.parent)
    if claim.duplicate_of:
        return Duplicate(claim.duplicate_of)
    return None
