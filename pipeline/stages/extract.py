"""Extract stage: read sender, date, references, subject... from the pages."""

from __future__ import annotations

from pipeline.context import Context
from pipeline.document import Document


def run(doc: Document, ctx: Context) -> None:
    doc.extraction = ctx.extractor.extract(doc.pages)
