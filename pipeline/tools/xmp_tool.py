"""Write descriptive metadata into a PDF's XMP (and Info dictionary) with pikepdf.

Only predefined XMP properties (Dublin Core, xmp:, pdf:) are used: PDF/A forbids custom
properties without an extension schema, and the archived file must stay PDF/A-2b.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf


def write_description(pdf_path: Path, *, title: str | None, creator: str | None,
                      date: str | None, identifier: str | None, keywords: list[str],
                      description: str, source: str) -> None:
    """Set dc:title/creator/date/identifier/subject/description/source in place."""
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            if title:
                meta["dc:title"] = title
            if creator:
                meta["dc:creator"] = [creator]
            if date:
                meta["dc:date"] = [date]
            if identifier:
                meta["dc:identifier"] = identifier
            if keywords:
                meta["dc:subject"] = set(keywords)
                meta["pdf:Keywords"] = "; ".join(keywords)
            meta["dc:description"] = description
            meta["dc:source"] = source
        pdf.save(pdf_path)


def read_description(pdf_path: Path) -> dict[str, object]:
    """The XMP entries written by `write_description` (for tests and `courrier check`)."""
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        return {key: meta.get(key) for key in (
            "dc:title", "dc:creator", "dc:date", "dc:identifier", "dc:subject",
            "dc:description", "dc:source", "pdf:Keywords", "pdfaid:part", "pdfaid:conformance",
        )}
