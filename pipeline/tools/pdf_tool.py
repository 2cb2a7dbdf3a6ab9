"""Facts about a PDF file (pikepdf, pdftotext). No policy: the OCR stage decides."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from pipeline.errors import DamagedFileError, EncryptedFileError


@dataclass
class PdfFacts:
    pages: int
    encrypted: bool  # encrypted, but openable with an empty password
    signed: bool
    text_chars_per_page: list[int] = field(default_factory=list)
    pdfa: str = ""  # e.g. "3B" when the file declares PDF/A conformance in its XMP
    empty_info: bool = False  # an empty /Info dictionary (Ghostscript 10.0.0 dies on it)

    @property
    def has_text(self) -> bool:
        return any(count >= 20 for count in self.text_chars_per_page)

    @property
    def all_pages_have_text(self) -> bool:
        return bool(self.text_chars_per_page) and all(
            count >= 20 for count in self.text_chars_per_page)


def _is_signed(pdf: pikepdf.Pdf) -> bool:
    acroform = pdf.Root.get("/AcroForm")
    if acroform is None:
        return False
    sig_flags = int(acroform.get("/SigFlags", 0))
    if sig_flags & 1:
        return True
    for fld in acroform.get("/Fields", []):
        if fld.get("/FT") == "/Sig" and fld.get("/V") is not None:
            return True
    return False


def inspect_pdf(path: Path) -> PdfFacts:
    """Open the PDF (as qpdf would, repairing small damage) and report its facts."""
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
            encrypted = pdf.is_encrypted
            signed = _is_signed(pdf)
            meta = pdf.open_metadata()
            pdfa = f"{meta.get('pdfaid:part') or ''}{meta.get('pdfaid:conformance') or ''}"
            info = pdf.trailer.get("/Info")
            empty_info = isinstance(info, pikepdf.Dictionary) and len(info.keys()) == 0
    except pikepdf.PasswordError as exc:
        raise EncryptedFileError("the PDF needs a password to open") from exc
    except (pikepdf.PdfError, OSError, ValueError, RecursionError) as exc:
        detail = str(exc).replace(f"{path}: ", "").replace(str(path), "the file")
        raise DamagedFileError(f"not a readable PDF: {detail}") from exc
    if pages == 0:
        raise DamagedFileError("the PDF has no pages")
    return PdfFacts(pages, encrypted, signed, text_chars_per_page(path, pages), pdfa,
                    empty_info)


def largest_image_pixels(path: Path) -> int:
    """Pixels of the largest image on any page (a decompression-bomb guard, no decoding)."""
    largest = 0
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for image in page.get_images().values():
                width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
                largest = max(largest, width * height)
    return largest


def text_chars_per_page(path: Path, pages: int) -> list[int]:
    """Count visible text characters per page with pdftotext (fast, no rendering)."""
    texts = pdftotext_pages(path)
    counts = [len("".join(t.split())) for t in texts]
    return (counts + [0] * pages)[:pages]


def pdftotext_pages(path: Path) -> list[str]:
    """Plain text of each page in reading order."""
    proc = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=300,
        check=False,
    )
    text = proc.stdout.decode("utf-8", "replace")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages


def clean_copy(source: Path, target: Path) -> None:
    """Save a copy without encryption (owner restrictions only) and without an empty /Info."""
    with pikepdf.open(source) as pdf:
        info = pdf.trailer.get("/Info")
        if isinstance(info, pikepdf.Dictionary) and len(info.keys()) == 0:
            del pdf.trailer["/Info"]
        pdf.save(target)


def pdfa_identification(path: Path) -> tuple[str, str] | None:
    """(part, conformance) from the XMP pdfaid entries, or None when absent."""
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        part = meta.get("pdfaid:part")
        conformance = meta.get("pdfaid:conformance")
    if part is None:
        return None
    return str(part), str(conformance or "")
