"""The sender's reference and the recipient's reference quoted by the sender.

A label ("N/Réf.", "Unser Zeichen", "Invoice no.") is found by regex on a row; the value is the
text right after it on the row, or the cell under it when the label heads a table column. The
value is kept as printed (spaCy would split `AB-2024-0173` into tokens, so no token pattern).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.document import FieldValue
from pipeline.extract.context import Letter, field_value
from pipeline.extract.datefind import DateFinder
from pipeline.extract.layout import Cell, Row, below
from pipeline.extract.patterns import Label

_LEAD_RE = re.compile(r"^[\s:.\-–=#°º*]*(?:n\s?[°º]\s*)?[\s:.\-–=#*]*", re.IGNORECASE)
_TOKEN = r"[A-Za-z0-9ÄÖÜäöü][\w/.\-]*"
_VALUE_RE = re.compile(rf"^{_TOKEN}(?: (?:[A-Z0-9][\w/.\-]*|/))*")
_TRIM = ".,;:-/"
# A legal footer prints the company's own numbers (tax, register): never the letter's reference.
_FOOTER_Y = 0.85
_FOOTER_MIN_WEIGHT = 0.6


@dataclass
class RefCandidate:
    kind: str  # reference | their_reference
    row: Row
    a: int
    b: int
    value: str
    score: float
    source: str


def _clean_value(text: str) -> tuple[int, str] | None:
    """The reference at the start of `text` (after separators): (offset, value)."""
    lead = _LEAD_RE.match(text)
    start = lead.end() if lead else 0
    m = _VALUE_RE.match(text[start:])
    if not m:
        return None
    tokens = m.group().split(" ")
    # Extra tokens only while they look like parts of a reference ("4 O 123/24"), not words.
    kept = [tokens[0]]
    for token in tokens[1:]:
        if any(ch.isdigit() for ch in token) or (len(token) <= 3 and token.isupper()):
            kept.append(token)
        else:
            break
    value = " ".join(kept).rstrip(_TRIM)
    return (start, value) if value else None


def _acceptable(value: str, label: Label, finder: DateFinder) -> bool:
    if len(value) < 3 and not value.isdigit():
        return False
    if len(value) < 2:
        return False
    has_digit = any(ch.isdigit() for ch in value)
    if not has_digit and not (label.weight >= 0.9 and value.isupper() and len(value) >= 4):
        return False
    dates = finder.find(value, None, False)
    return not any(d.b - d.a >= len(value) - 1 for d in dates)


def _label_matches(row: Row, labels: list[Label]) -> list[tuple[Label, re.Match[str]]]:
    """Label matches on a row; where two overlap, the longer one (the more specific) wins."""
    found = [(lab, m) for lab in labels for m in lab.regex.finditer(row.text)]
    found = [(lab, m) for lab, m in found if not lab.title or not row.text[:m.start()].strip()]
    found.sort(key=lambda item: -(item[1].end() - item[1].start()))
    kept: list[tuple[Label, re.Match[str]]] = []
    for lab, m in found:
        if all(m.end() <= k.start() or m.start() >= k.end() for _, k in kept):
            kept.append((lab, m))
    return kept


def _value_for(rows: list[Row], row: Row, m: re.Match[str], label: Label,
               finder: DateFinder) -> tuple[Row, int, str] | None:
    """Value after the label on its row, else in the cell under the label (table header)."""
    found = _clean_value(row.text[m.end():])
    if found and _acceptable(found[1], label, finder):
        return row, m.end() + found[0], found[1]
    cell = row.cell_at(m.start())
    if cell is None or row.text[m.end():cell.b].strip(" :.#°"):
        return None
    under = below(rows, row, cell, max_rows=1) or _wrapped(rows, row, cell)
    if under is None:
        return None
    other, under_cell = under
    found = _clean_value(under_cell.text)
    if not found or not _acceptable(found[1], label, finder):
        return None
    return other, under_cell.a + found[0], found[1]


def _wrapped(rows: list[Row], row: Row, cell: Cell) -> tuple[Row, Cell] | None:
    """A label ending its row ("Unser Az.:") whose value the next row prints to its right."""
    if row.cells[-1] is not cell or row.index + 1 >= len(rows):
        return None
    nxt = rows[row.index + 1]
    width = max(cell.x1 - cell.x0, 1.0)
    return next(((nxt, c) for c in nxt.cells if cell.x1 <= c.x0 <= cell.x1 + 2 * width), None)


def reference_candidates(letter: Letter, finder: DateFinder) -> list[RefCandidate]:
    """Every labelled reference on the first two pages, scored."""
    labels = (letter.patterns.labels_of("reference")
              + letter.patterns.labels_of("their_reference"))
    out: list[RefCandidate] = []
    for page_number in range(1, min(len(letter.pages), 2) + 1):
        rows = letter.page_rows(page_number)
        for row in rows:
            found = [(label, m, _value_for(rows, row, m, label, finder))
                     for label, m in _label_matches(row, labels)]
            # A label-like word inside another label's value ("Vos réf. : REF 2022/24") is
            # part of that value, not a label.
            spans = [(got[1], got[1] + len(got[2])) for _, _, got in found
                     if got is not None and got[0] is row]
            for label, m, got in found:
                if got is None or any(a <= m.start() < b for a, b in spans):
                    continue
                if label.weight < _FOOTER_MIN_WEIGHT and row.y > _FOOTER_Y:
                    continue  # the issuer's own "Steuer-Nr." in its legal footer
                value_row, a, value = got
                score = label.weight + (0.05 if row.page == 1 and row.y < 0.5 else 0.0)
                score -= 0.3 if row.page > 1 else 0.0
                source = f"label:{m.group().strip()}" + ("+below" if value_row is not row else "")
                out.append(RefCandidate(label.kind, value_row, a, a + len(value), value,
                                        score, source))
    return out


def choose_references(candidates: list[RefCandidate]) -> dict[str, FieldValue]:
    """Best candidate of each kind; the same value is never both references."""
    fields: dict[str, FieldValue] = {}
    theirs = [c for c in candidates if c.kind == "their_reference"]
    if theirs:
        best = max(theirs, key=lambda c: c.score)
        fields["their_reference"] = field_value(best.row, best.a, best.b, best.value,
                                                best.score, best.source)
    taken = fields["their_reference"].value if "their_reference" in fields else None
    ours = [c for c in candidates if c.kind == "reference" and c.value != taken]
    if ours:
        best = max(ours, key=lambda c: (c.score, -c.row.page, -c.row.y))
        fields["reference"] = field_value(best.row, best.a, best.b, best.value,
                                          best.score, best.source)
    return fields
