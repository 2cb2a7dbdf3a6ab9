"""Synthetic scanned business letters (fr/en/de) with their ground truth, for tests and benchmarks.

`make_letter(seed, Options(...))` composes a letter (letterhead, address window, place+date line,
references, subject, body with distractor dates and names, signature, optional reception stamp,
confidentiality and urgency cues), lays it out in PDF points, renders the pages as grayscale
"scans" (noise, blur, skew, optional 90/180° turn) and returns them with a truth dict.
Everything is drawn from `random.Random(seed)`: the same seed and options give the same pages.
Save helpers write image-only PDF, multi-page TIFF, PNG, JPEG, and a born-digital PDF with a
real text layer (standard Type1 fonts, WinAnsiEncoding) from the same layout.

Modules: `common` (constants, `Options`, `Op`), `texts` and `texts_fr/en/de` (text tables,
date and amount formats), `compose` (what the letter says, and its truth), `fonts`, `layout`
(placement on A4 pages), `render` (Pillow drawing), `scan` (scanner look), `letter`
(`make_letter`) and `save` (file writers). The names below keep `import lettergen` working
as it did when the generator was a single module.
"""

from __future__ import annotations

from .common import (
    DOC_KINDS,
    DOC_TYPES,
    LANGUAGES,
    PAGE_H,
    PAGE_W,
    REF_PATTERNS,
    TRUTH_KEYS,
    Op,
    Options,
    pool_slice,
)
from .compose import Content, compose
from .fonts import FONT_DIRS, FONTS, PDF_BOLD, PDF_REGULAR, Fonts
from .layout import Sheet, layout
from .letter import Letter, make_letter
from .render import render
from .save import save_jpeg, save_pdf, save_png, save_text_pdf, save_tiff
from .scan import scan
from .texts import ANNEX, TEXT, format_date
from .texts_de import DE
from .texts_en import EN
from .texts_fr import FR

__all__ = [
    "ANNEX", "DE", "DOC_KINDS", "DOC_TYPES", "EN", "FONTS", "FONT_DIRS", "FR", "LANGUAGES",
    "PAGE_H", "PAGE_W", "PDF_BOLD", "PDF_REGULAR", "REF_PATTERNS", "TEXT", "TRUTH_KEYS",
    "Content", "Fonts", "Letter", "Op", "Options", "Sheet", "compose", "format_date", "layout",
    "make_letter", "pool_slice", "render", "save_jpeg", "save_pdf", "save_png", "save_text_pdf",
    "save_tiff", "scan",
]
