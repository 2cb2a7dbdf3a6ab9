"""Read text and word boxes from page images with pdf2image + pytesseract.

Used where the PDF must not be rewritten (a signed original): we render the pages and keep the
OCR text beside the untouched file instead of adding a text layer.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytesseract
from pdf2image import convert_from_path

from pipeline.document import Page, Word
from pipeline.errors import MissingDependencyError

RENDER_DPI = 300


def installed_languages() -> set[str]:
    """Languages tesseract can use here (to refuse a config naming a missing one)."""
    try:
        return set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise MissingDependencyError("tesseract is not installed") from exc


def ocr_pdf_pages(pdf_path: Path, languages: list[str], timeout: int) -> list[Page]:
    """OCR every page image of `pdf_path`; boxes are returned in PDF points."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pages: list[Page] = []
    for number, image in enumerate(convert_from_path(str(pdf_path), dpi=RENDER_DPI), 1):
        data = pytesseract.image_to_data(
            image, lang="+".join(languages), timeout=timeout,
            output_type=pytesseract.Output.DICT,
        )
        scale = 72.0 / RENDER_DPI
        words: list[Word] = []
        lines: dict[tuple[int, int, int], list[str]] = {}
        for i, text in enumerate(data["text"]):
            if not text.strip():
                continue
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append(text)
            left, top = data["left"][i] * scale, data["top"][i] * scale
            words.append(Word(text, left, top, left + data["width"][i] * scale,
                              top + data["height"][i] * scale, block=key[0],
                              line=len(lines) - 1))
        page_text = "\n".join(" ".join(parts) for parts in lines.values())
        pages.append(Page(number, image.width * scale, image.height * scale, page_text, words))
    return pages
