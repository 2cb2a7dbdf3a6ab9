"""Address blocks of page 1: which lines are the sender's and which the recipient's.

A block is a run of rows in one column, near the top of page 1, that ends on a postcode line.
The recipient's block is the one introduced by a salutation ("Madame", "Herrn", "Mr"), an
attention label, a "Bill to"-like heading, or that lies under a return-address line; failing
that, the top-most block is the letterhead and the next one the address window.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pipeline.extract.context import Letter
from pipeline.extract.layout import Cell, Row

POSTCODE_RE = re.compile(
    r"(?:(?:^|\s{2,}|[·,:|•–-]\s)(?:[A-Z]{1,2}[- ])?\d{4,5}\s+[A-ZÀ-Ý][\w\- ]+"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\bCEDEX\b|\bB\.?P\.?\s+\d+|\bPostfach\b|\bP\.?O\.? Box\b)"
)
STREET_RE = re.compile(
    r"(?:^\d+[a-z]?,?\s+\w|\b(?:rue|avenue|av\.|bd|boulevard|chemin|place|allée|impasse|quai|"
    r"route|straße|strasse|str\.|weg|platz|allee|gasse|ring|road|street|st\.|lane|avenue|drive|"
    r"square|way)\b|\w(?:straße|strasse|str\.|weg|platz|allee|gasse)\s+\d|"
    r"^(?:unit|suite|flat|apt\.?|building|b[âa]t(?:iment|\.)?)\s+\d|"
    r"\b(?:business|retail|science)\s+park\b|\b(?:industrial|trading)\s+estate\b)",
    re.IGNORECASE,
)
CONTACT_RE = re.compile(
    r"(?:@|www\.|https?:|\b(?:t[ée]l|tel|fax|phone|telefon|mobile|e-?mail|courriel|siret|siren|"
    r"tva|vat|ust|iban|bic|swift|rcs|hrb|capital)\b|\+\d{2}\s?\d)",
    re.IGNORECASE,
)


SPLIT_RE = re.compile(r"\s+[-–·|•:]\s+|\s*[|•·]\s*|,\s+(?=\d)")  # ":" is an OCR'd "·"


def is_return_line(text: str) -> bool:
    """The sender's one-line address over the window: "Name - 1 rue X - 69001 Lyon"."""
    return len(SPLIT_RE.split(text)) >= 3 and bool(POSTCODE_RE.search(text))


@dataclass
class Block:
    """Consecutive rows of one column that form an address."""

    cells: list[tuple[Row, Cell]] = field(default_factory=list)
    recipient_cue: bool = False

    @property
    def top(self) -> float:
        return self.cells[0][0].y

    @property
    def left(self) -> float:
        return self.cells[0][1].x0


def is_address_line(text: str) -> bool:
    return bool(POSTCODE_RE.search(text) or STREET_RE.search(text))


def _line_step(rows: list[Row]) -> float:
    """The usual distance between two rows of text (relative page height)."""
    steps = sorted(b.y - a.y for a, b in itertools.pairwise(rows) if b.y > a.y)
    return steps[len(steps) // 2] if steps else 1.0


def _column_runs(rows: list[Row], limit: float) -> list[list[tuple[Row, Cell]]]:
    """Runs of cells stacked in one column on consecutive lines (top part of the page).

    A blank line (a gap of about two lines) ends a run: letterhead and window are apart.
    """
    step = _line_step(rows)
    runs: list[list[tuple[Row, Cell]]] = []
    for row in rows:
        if row.y > limit:
            break
        for cell in row.cells:
            for run in runs:
                last_row, last_cell = run[-1]
                if last_row.index < row.index and row.y - last_row.y <= 1.7 * step and \
                        abs(last_cell.x0 - cell.x0) <= max(12.0, 0.03 * max(cell.x1, 1)):
                    run.append((row, cell))
                    break
            else:
                runs.append([(row, cell)])
    return runs


def address_blocks(letter: Letter) -> list[Block]:
    """Address-like blocks on page 1, top first."""
    rows = letter.page_rows(1)
    if not rows:
        return []
    blocks: list[Block] = []
    for run in _column_runs(rows, 0.5):
        ends = [i for i, (_, cell) in enumerate(run) if POSTCODE_RE.search(cell.text)]
        if not ends or len(run) < 2:
            continue
        end = ends[-1] + (1 if ends[-1] + 1 < len(run) and len(run[ends[-1] + 1][1].text) < 25
                          else 0)
        start = max(0, ends[0] - 6)
        cells = run[start:end + 1]
        returns = [i for i, (_, cell) in enumerate(cells) if is_return_line(cell.text)]
        if returns and returns[-1] + 2 < len(cells):
            # The return-address line marks the window: what follows is the recipient.
            blocks.append(Block(cells[returns[-1] + 1:], recipient_cue=True))
        elif not returns:
            blocks.append(Block(cells))
    blocks.sort(key=lambda b: (not b.recipient_cue, b.top, b.left))
    return blocks
