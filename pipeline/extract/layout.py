"""Rows and cells of a page, from word boxes when known, else from the plain text lines.

A row is one visual line across the whole page (label and value of a two-column form end up
in one row even when pdftotext put them in different blocks). A cell is a run of words on a row
without a wide gap. Each row keeps, per character, its offset into `Page.text`, so any span of
a row maps back to the page text for `FieldValue.start/end`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import Page, Word

CELL_GAP = "   "  # written between cells; values never run across it
_CELL_RE = re.compile(r"\S+(?: {1,2}\S+)*")


@dataclass
class Cell:
    """A run of text on a row; x0/x1 in page units (points, or character columns)."""

    text: str
    a: int  # start/end in the row's text
    b: int
    x0: float
    x1: float


@dataclass
class Row:
    """One visual line of a page."""

    page: int
    index: int  # 0-based within the page
    text: str
    offsets: list[int]  # page-text offset of each character, -1 for inserted padding
    y: float  # top, relative to the page height (0 top .. 1 bottom)
    x: float  # left, relative to the page width
    height: float  # tallest word in points (0 when unknown): letterheads print large
    cells: list[Cell] = field(default_factory=list)

    def span(self, a: int, b: int) -> tuple[int | None, int | None]:
        """Page-text offsets of row characters a..b (None when unknown)."""
        inside = [o for o in self.offsets[a:b] if o >= 0]
        if not inside:
            return None, None
        return inside[0], inside[-1] + 1

    def cell_at(self, pos: int) -> Cell | None:
        for cell in self.cells:
            if cell.a <= pos < cell.b:
                return cell
        return None


def _word_offsets(page: Page) -> list[int]:
    """Offset of each word in page.text, searched in order (-1 when not found)."""
    found: list[int] = []
    cursor = 0
    for word in page.words:
        pos = page.text.find(word.text, cursor, cursor + 400 + len(word.text))
        if pos < 0:
            pos = page.text.find(word.text)
        else:
            cursor = pos + len(word.text)
        found.append(pos)
    return found


def _group_lines(page: Page) -> list[list[tuple[Word, int]]]:
    """Words grouped into visual rows: pdftotext lines merged when vertically aligned."""
    lines: dict[tuple[int, int], list[tuple[Word, int]]] = {}
    for word, offset in zip(page.words, _word_offsets(page), strict=True):
        lines.setdefault((word.block, word.line), []).append((word, offset))
    ordered = sorted(lines.values(), key=lambda ws: min(w.y0 for w, _ in ws))
    rows: list[list[tuple[Word, int]]] = []
    for line in ordered:
        top = min(w.y0 for w, _ in line)
        bottom = max(w.y1 for w, _ in line)
        centre = (top + bottom) / 2
        if rows:
            last = rows[-1]
            l_top = min(w.y0 for w, _ in last)
            l_bottom = max(w.y1 for w, _ in last)
            tolerance = 0.5 * min(bottom - top, l_bottom - l_top)
            if abs(centre - (l_top + l_bottom) / 2) <= tolerance:
                last.extend(line)
                continue
        rows.append(list(line))
    return rows


def _row_from_words(page: Page, index: int, items: list[tuple[Word, int]],
                    width: float, height: float) -> Row:
    items.sort(key=lambda item: item[0].x0)
    text = ""
    offsets: list[int] = []
    cells: list[Cell] = []
    tallest = max(w.y1 - w.y0 for w, _ in items)
    prev: Word | None = None
    for word, offset in items:
        if prev is not None:
            gap = word.x0 - prev.x1
            pad = CELL_GAP if gap > max(1.2 * tallest, 6.0) else " "
            text += pad
            offsets.extend([-1] * len(pad))
            if pad == " ":
                cells[-1].x1 = word.x1
        if prev is None or text.endswith(CELL_GAP):
            cells.append(Cell("", len(text), len(text), word.x0, word.x1))
        text += word.text
        offsets.extend(range(offset, offset + len(word.text)) if offset >= 0
                       else [-1] * len(word.text))
        cells[-1].b = len(text)
        cells[-1].text = text[cells[-1].a:]
        prev = word
    y = min(w.y0 for w, _ in items)
    x = items[0][0].x0
    return Row(page.number, index, text, offsets, y / height if height else 0.0,
               x / width if width else 0.0, tallest, cells)


def _rows_from_words(page: Page) -> list[Row]:
    width = page.width or max(w.x1 for w in page.words)
    height = page.height or max(w.y1 for w in page.words)
    return [_row_from_words(page, i, items, width, height)
            for i, items in enumerate(_group_lines(page))]


def _rows_from_text(page: Page) -> list[Row]:
    """Rows from plain text; x in character columns, y by line number."""
    lines = page.text.split("\n")
    total = max(len(lines), 1)
    widest = max((len(line) for line in lines), default=1) or 1
    rows: list[Row] = []
    start = 0
    for number, line in enumerate(lines):
        stripped = line.rstrip()
        if stripped.strip():
            cells = [Cell(m.group(), m.start(), m.end(), float(m.start()), float(m.end()))
                     for m in _CELL_RE.finditer(stripped)]
            lead = len(stripped) - len(stripped.lstrip())
            rows.append(Row(page.number, len(rows), stripped,
                            list(range(start, start + len(stripped))),
                            number / total, lead / widest, 0.0, cells))
        start += len(line) + 1
    return rows


def page_rows(page: Page) -> list[Row]:
    """The page's rows, top to bottom."""
    if page.words:
        return _rows_from_words(page)
    return _rows_from_text(page)


def below(rows: list[Row], row: Row, cell: Cell, max_rows: int = 2) -> tuple[Row, Cell] | None:
    """The cell under `cell` (overlapping horizontally) in the next rows, for table headers."""
    for other in rows[row.index + 1: row.index + 1 + max_rows]:
        for candidate in other.cells:
            overlap = min(cell.x1, candidate.x1) - max(cell.x0, candidate.x0)
            if overlap > 0:
                return other, candidate
    return None
