"""OCR stage: turn the input into a searchable PDF/A-2b and read its pages back.

Policy (which OCRmyPDF options for which input) lives here; running the tools does not.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.context import Context
from pipeline.document import Document
from pipeline.errors import DamagedFileError, TooLargeError
from pipeline.extract.pdftext import read_pages
from pipeline.tools.font_tool import embed_standard_fonts
from pipeline.tools.image_tool import image_to_pdf
from pipeline.tools.ocrmypdf_tool import (
    GhostscriptError,
    OcrRequest,
    PdfaConversionError,
    run_ocrmypdf,
)
from pipeline.tools.pdf_tool import (
    PdfFacts,
    clean_copy,
    inspect_pdf,
    largest_image_pixels,
    pdfa_identification,
)
from pipeline.tools.tesseract_tool import ocr_pdf_pages


def run(doc: Document, ctx: Context) -> None:
    """Produce `doc.ocr_pdf` (PDF/A-2b with a text layer) and fill `doc.pages`."""
    assert doc.work_dir is not None
    cfg = ctx.config.ocr
    pdf_in = _as_pdf(doc, ctx)
    facts = inspect_pdf(pdf_in)
    if (facts.encrypted or facts.empty_info) and not facts.signed:
        # Encrypted with owner restrictions only, or an empty /Info that Debian's Ghostscript
        # 10.0.0 dies on: OCR a clean copy (the original is archived as received anyway).
        cleaned = doc.work_dir / "cleaned.pdf"
        clean_copy(pdf_in, cleaned)
        if facts.encrypted:
            doc.ocr_notes.append("encryption (owner restrictions only) removed for archiving")
        pdf_in = cleaned
    doc.page_count = facts.pages
    # Refuse a bomb before OCR: tesseract would spend minutes on it and then crash.
    pixels = largest_image_pixels(pdf_in)
    if pixels > cfg.max_image_mpixels * 1_000_000:
        raise TooLargeError(f"a page holds a {pixels / 1e6:.0f}-megapixel image; the limit is "
                            f"{cfg.max_image_mpixels} megapixels ([ocr] max_image_mpixels)")
    if facts.signed:
        _keep_original(doc, ctx, facts, SIGNED_NOTE)
        return
    if facts.pdfa and facts.all_pages_have_text:
        _keep_original(doc, ctx, facts, PDFA_NOTE.format(level=facts.pdfa))
        return
    if facts.has_text:
        pdf_in = _embed_fonts(doc, pdf_in)
    out = doc.work_dir / "ocr.pdf"
    request = OcrRequest(
        input_pdf=pdf_in, output_pdf=out, languages=cfg.languages, jobs=cfg.jobs,
        # Pages that carry text keep it. Debian's Ghostscript 10.0.0 can corrupt existing
        # text, so such files take OCRmyPDF's internal PDF/A backend (see docs/ocr.md).
        skip_text=facts.has_text,
        pdfa_backend="internal" if facts.has_text else cfg.scan_pdfa_backend,
        deskew=cfg.deskew, rotate_pages=cfg.rotate_pages, clean=cfg.clean,
        optimize=cfg.optimize, tesseract_timeout=cfg.tesseract_timeout,
        max_image_mpixels=cfg.max_image_mpixels,
    )
    if facts.has_text:
        doc.ocr_notes.append("pages with a text layer kept as they were (skip-text)")
    _run_with_fallbacks(request, doc, cfg.timeout_seconds)
    doc.ocr_pdf = out
    doc.pdfa = pdfa_identification(out) == ("2", "B")
    doc.pages = read_pages(out)
    if not doc.text.strip():
        doc.ocr_notes.append("no text found (blank page or unreadable scan)")


def _run_with_fallbacks(request: OcrRequest, doc: Document, timeout: float) -> None:
    """Run OCRmyPDF; on the two known tool failures, take the next best way to archive."""
    try:
        run_ocrmypdf(request, timeout=timeout)
    except GhostscriptError as exc:
        if request.pdfa_backend != "ghostscript":
            raise
        # Debian 12's Ghostscript 10.0.0 dies on some valid PDFs ("/undefined in --runpdf--").
        # OCRmyPDF's own backend then makes the PDF/A, larger for lossless scans.
        request.pdfa_backend = "internal"
        run_ocrmypdf(request, timeout=timeout)
        doc.ocr_notes.append(f"Ghostscript failed ({exc.message[-120:]}); PDF/A made by "
                             "OCRmyPDF's internal backend")
    except PdfaConversionError as exc:
        if not request.skip_text:
            raise
        # A born-digital file with features PDF/A-2 forbids: keep it searchable as plain PDF
        # rather than refuse the letter; the note says why it is not PDF/A.
        request.output_type = "pdf"
        run_ocrmypdf(request, timeout=timeout)
        doc.ocr_notes.append(f"not converted to PDF/A: {exc.message[:300]}")


def _as_pdf(doc: Document, ctx: Context) -> Path:
    """The input as a PDF in the work folder (images converted, junk before %PDF cut)."""
    assert doc.work_dir is not None
    if doc.kind == "image":
        target = doc.work_dir / "image.pdf"
        pages = image_to_pdf(doc.source, target, ctx.config.ocr.max_image_mpixels,
                             ctx.config.ocr.image_dpi_fallback)
        doc.ocr_notes.append(f"image converted to PDF ({pages} page(s))")
        return target
    with open(doc.source, "rb") as handle:  # head and tail only: scans can be large
        offset = handle.read(1024).find(b"%PDF-")
        handle.seek(max(0, doc.source.stat().st_size - 2048))
        if b"%%EOF" not in handle.read():
            raise DamagedFileError("the PDF is cut short: it has no end marker (%%EOF)")
    if offset > 0:
        target = doc.work_dir / "trimmed.pdf"
        target.write_bytes(doc.source.read_bytes()[offset:])
        doc.ocr_notes.append(f"{offset} bytes of junk before the PDF header ignored")
        return target
    if offset < 0:
        raise DamagedFileError("no PDF header found")
    return doc.source


def _embed_fonts(doc: Document, pdf_in: Path) -> Path:
    """Embed standard fonts a born-digital PDF only names: PDF/A needs them embedded."""
    assert doc.work_dir is not None
    target = doc.work_dir / "fonts-embedded.pdf"
    names = embed_standard_fonts(pdf_in, target)
    if not names:
        return pdf_in
    doc.ocr_notes.append(f"standard fonts embedded for PDF/A: {', '.join(names)}")
    return target


SIGNED_NOTE = (
    "digitally signed: archived unmodified (not converted to PDF/A, no text layer added) so "
    "that the signature stays valid; its text is kept in the sidecar and the index")
PDFA_NOTE = (
    "already PDF/A-{level} with a text layer on every page: archived unmodified (e-invoices "
    "such as Factur-X/ZUGFeRD carry their legal XML inside)")


def _keep_original(doc: Document, ctx: Context, facts: PdfFacts, note: str) -> None:
    """Archive the PDF exactly as received (signed, or already PDF/A with text)."""
    doc.signed = facts.signed
    doc.pdfa = facts.pdfa.upper() in ("2B", "2U", "2A") if not facts.signed else False
    doc.unmodified = True
    doc.ocr_pdf = doc.source
    doc.ocr_notes.append(note)
    if facts.has_text:
        doc.pages = read_pages(doc.source)
    else:
        doc.pages = ocr_pdf_pages(doc.source, ctx.config.ocr.languages,
                                  ctx.config.ocr.tesseract_timeout)
