"""What every field reader gets: the letter's rows with their cues, and small row helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import FieldValue
from pipeline.extract.layout import Row
from pipeline.extract.nlp import Cue
from pipeline.extract.patterns import Label, PatternSet

# What may sit between a label and its value: spaces, a colon, a dot, "n°", a cell gap.
_GAP_RE = re.compile(r"^[\s:.\-–=#°º*]*(?:n\s?[°º]\s*)?[\s:.\-–=#°º]*$", re.IGNORECASE)


@dataclass
class RowCues:
    """A row and the cue phrases found on it (positions are row offsets)."""

    row: Row
    cues: list[Cue] = field(default_factory=list)

    def categories_before(self, pos: int, window: int = 30) -> list[Cue]:
        """Cues ending before `pos` on this row; short single words only right before it."""
        hits = []
        for cue in self.cues:
            if cue.end > pos:
                continue
            gap = pos - cue.end
            short = " " not in cue.text.strip() and len(cue.text.strip()) <= 5
            if gap <= (4 if short else window):
                hits.append(cue)
        return hits


@dataclass
class Letter:
    """The pages of one letter as rows, plus what was decided about the whole letter."""

    pages: list[list[RowCues]]
    patterns: PatternSet
    language: str | None = None
    month_first: bool = False

    def rows(self, max_pages: int = 3) -> list[RowCues]:
        return [rc for page in self.pages[:max_pages] for rc in page]

    def page_rows(self, number: int) -> list[Row]:
        return [rc.row for rc in self.pages[number - 1]] if 0 < number <= len(self.pages) else []


def field_value(row: Row, a: int, b: int, value: str, confidence: float,
                source: str) -> FieldValue:
    """A FieldValue for row characters a..b."""
    start, end = row.span(a, b)
    return FieldValue(value=value, confidence=round(max(0.0, min(confidence, 0.99)), 2),
                      page=row.page, start=start, end=end, source=source)


def label_before(row: Row, pos: int, labels: list[Label]) -> tuple[Label, int] | None:
    """The label that ends right before `pos` (only separators between), and where it starts."""
    best: tuple[Label, int] | None = None
    head = row.text[:pos]
    for label in labels:
        for m in label.regex.finditer(head):
            if not _GAP_RE.match(head[m.end():]):
                continue
            if label.title and row.text[:m.start()].strip():
                continue
            if best is None or label.weight > best[0].weight:
                best = (label, m.start())
    return best


def cell_above(rows: list[Row], row: Row, a: int, b: int) -> str:
    """Text of the cell right above row characters a..b (a table header), or ""."""
    mine = row.cell_at(a)
    if mine is None or row.index == 0:
        return ""
    other = rows[row.index - 1]
    for cell in other.cells:
        if min(cell.x1, mine.x1) - max(cell.x0, mine.x0) > 0:
            return cell.text
    return ""
