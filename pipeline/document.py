"""The one record passed between stages, and the small value types it carries.

Serialised with `to_sidecar()`, a Document is the sidecar JSON written beside each archived
PDF (schema: `schemas/sidecar.schema.json`). The sidecar is the source of truth from which the
register and the search index can be rebuilt.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SIDECAR_FORMAT = "courrier-sidecar/1"

# The fields every consumer (CLI --json, index, register) can rely on.
METADATA_FIELDS = (
    "sender",
    "date",
    "received_on",
    "reference",
    "their_reference",
    "recipient",
    "subject",
    "language",
    "doc_type",
)


@dataclass(frozen=True)
class Word:
    """One word of a page with its box, in PDF points from the page's top-left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    block: int = 0
    line: int = 0


@dataclass
class Page:
    """Text of one page, with its word boxes when known."""

    number: int  # 1-based
    width: float
    height: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass
class FieldValue:
    """One extracted value, how sure we are of it and where it was read."""

    value: str
    confidence: float
    page: int | None = None
    start: int | None = None  # character offsets into that page's text
    end: int | None = None
    source: str = ""  # rule or model that produced it, e.g. "label:N/Réf"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FieldValue:
        return cls(**data)


@dataclass
class Extraction:
    """What was read from the letter: one FieldValue per metadata field that was found."""

    fields: dict[str, FieldValue] = field(default_factory=dict)
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)
    urgency: str = "normal"  # normal | high | urgent
    urgency_cues: list[str] = field(default_factory=list)
    confidential: bool = False
    confidential_cues: list[str] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found else None

    def metadata(self) -> dict[str, str | None]:
        """The plain values, every field present (None where nothing was found)."""
        return {name: self.value(name) for name in METADATA_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "needs_review": self.needs_review,
            "review_reasons": list(self.review_reasons),
            "urgency": self.urgency,
            "urgency_cues": list(self.urgency_cues),
            "confidential": self.confidential,
            "confidential_cues": list(self.confidential_cues),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            fields={k: FieldValue.from_dict(v) for k, v in data.get("fields", {}).items()},
            needs_review=bool(data.get("needs_review", False)),
            review_reasons=list(data.get("review_reasons", [])),
            urgency=data.get("urgency", "normal"),
            urgency_cues=list(data.get("urgency_cues", [])),
            confidential=bool(data.get("confidential", False)),
            confidential_cues=list(data.get("confidential_cues", [])),
        )


@dataclass
class Document:
    """Everything known about one input while it moves through the stages."""

    id: str  # short, stable job id (hex); also in the archive file name
    source: Path  # where the input is now (inbox, then the processing folder)
    original_name: str  # name as dropped by the scanner, for the register and the sidecar
    received_at: str  # ISO timestamp (UTC) when Courrier took the file
    work_dir: Path | None = None
    sha256: str = ""  # of the original, byte for byte
    size: int = 0
    kind: str = ""  # pdf | image
    mime: str = ""
    pages: list[Page] = field(default_factory=list)
    page_count: int = 0
    ocr_pdf: Path | None = None  # the PDF/A produced in the work folder
    pdfa: bool = False  # True when the archived file is PDF/A-2b
    signed: bool = False  # signed originals are archived unmodified
    unmodified: bool = False  # archived exactly as received (signed, or already PDF/A)
    ocr_notes: list[str] = field(default_factory=list)
    extraction: Extraction = field(default_factory=Extraction)
    archive_path: str = ""  # relative to the archive root
    original_path: str = ""  # relative to the originals root
    pdf_sha256: str = ""
    registration_number: str = ""
    department: str = ""
    assignee: str = ""
    due_date: str = ""
    status: str = "new"
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """All pages' text, pages separated by form feeds (as OCRmyPDF's sidecar)."""
        return "\f".join(page.text for page in self.pages)

    def to_sidecar(self) -> dict[str, Any]:
        """The JSON written beside the archived PDF; see schemas/sidecar.schema.json."""
        return {
            "format": SIDECAR_FORMAT,
            "id": self.id,
            "registration_number": self.registration_number or None,
            "original_name": self.original_name,
            "received_at": self.received_at,
            "sha256": self.sha256,
            "size": self.size,
            "mime": self.mime,
            "archive_path": self.archive_path,
            "original_path": self.original_path,
            "pdf_sha256": self.pdf_sha256,
            "pdfa": self.pdfa,
            "signed": self.signed,
            "unmodified": self.unmodified,
            "page_count": self.page_count,
            "department": self.department or None,
            "assignee": self.assignee or None,
            "due_date": self.due_date or None,
            "metadata": self.extraction.metadata(),
            "extraction": self.extraction.to_dict(),
            "ocr_notes": list(self.ocr_notes),
            "pages": [{"number": p.number, "text": p.text} for p in self.pages],
        }

    @classmethod
    def from_sidecar(cls, data: dict[str, Any], source: Path | None = None) -> Document:
        """Rebuild a Document from its sidecar (for reindex, re-extraction and repair)."""
        doc = cls(
            id=data["id"],
            source=source or Path(data.get("original_path", "")),
            original_name=data.get("original_name", ""),
            received_at=data.get("received_at", ""),
        )
        doc.registration_number = data.get("registration_number") or ""
        doc.sha256 = data.get("sha256", "")
        doc.size = int(data.get("size", 0))
        doc.mime = data.get("mime", "")
        doc.archive_path = data.get("archive_path", "")
        doc.original_path = data.get("original_path", "")
        doc.pdf_sha256 = data.get("pdf_sha256", "")
        doc.pdfa = bool(data.get("pdfa", False))
        doc.signed = bool(data.get("signed", False))
        doc.unmodified = bool(data.get("unmodified", doc.signed))
        doc.page_count = int(data.get("page_count", 0))
        doc.department = data.get("department") or ""
        doc.assignee = data.get("assignee") or ""
        doc.due_date = data.get("due_date") or ""
        doc.extraction = Extraction.from_dict(data.get("extraction", {}))
        doc.ocr_notes = list(data.get("ocr_notes", []))
        doc.pages = [
            Page(number=p["number"], width=0.0, height=0.0, text=p["text"])
            for p in data.get("pages", [])
        ]
        doc.status = "archived"
        return doc
