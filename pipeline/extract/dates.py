"""The letter's date and the reception stamp's date, chosen by score among all dates found.

Every readable date on the first pages is a candidate. Context raises it (a "Date:" label, a
"Lyon, le" date line, alone on its line near the top) or sinks it (a birth date, a deadline, an
earlier letter, a contract start, a period, a sentence of the body). A reception stamp's date
("REÇU LE", "Eingegangen") is kept apart for `received_on`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.document import FieldValue
from pipeline.extract.context import Letter, RowCues, cell_above, field_value, label_before
from pipeline.extract.datefind import DateFinder, FoundDate
from pipeline.extract.layout import Row

MIN_SCORE = 0.45  # below: not trusted enough to be the letter's date at all
_TRAPS = ("trap_birth", "trap_deadline", "trap_earlier", "trap_start")
_PLACE_RE = re.compile(
    r"(?:^|\s{2,})[A-ZÀ-Ý][\w'’\- .]{1,40},\s*(?:(?:le|den|am|the|on)\s+)?$", re.IGNORECASE
)
_TITLE_RE = re.compile(r"(?:n[r°o]\.?|number|nummer)\s*\S+\s+(?:vom|du|of|dated|van)\s*$",
                       re.IGNORECASE)
_RANGE_RE = re.compile(r"^\s*(?:-|–|—|au|bis|to|à|a|tot|until|till|jusqu'au)\s*$", re.IGNORECASE)


@dataclass
class DateCandidate:
    """A date found on a row, with its score and why."""

    found: FoundDate
    rc: RowCues
    score: float
    stamp: bool
    reasons: list[str]


def _score(letter: Letter, rc: RowCues, found: FoundDate, others: list[FoundDate],
           above_cats: set[str]) -> DateCandidate:
    row = rc.row
    score, reasons = 0.4, []
    before = row.text[:found.a]
    before_cues = rc.categories_before(found.a)
    hits = {c.category for c in before_cues} | above_cats
    # A stamp is a short line ("REÇU LE 12 MARS 2024"); "Eingang Ihrer Meldung vom" is prose.
    stamp = "stamp" in above_cats or any(
        c.category == "stamp" and (len(row.text.split()) <= 7 or found.a - c.end <= 4)
        for c in before_cues)
    label = label_before(row, found.a, letter.patterns.labels_of("date"))
    if label:
        score += 0.45 * label[0].weight
        reasons.append("label")
    elif _PLACE_RE.search(before):
        score += 0.4
        reasons.append("place")
    elif _TITLE_RE.search(before):
        score += 0.35
        reasons.append("title")
    cell = row.cell_at(found.a)
    if cell is not None and len(cell.text) <= found.b - found.a + 2:
        score += 0.2
        reasons.append("alone")
    trapped = sorted(hits & set(_TRAPS))
    if trapped and not label:
        score -= 0.6
        reasons.extend(trapped)
    for other in others:
        if other is found:
            continue
        between = row.text[other.b:found.a] if other.b <= found.a else row.text[found.b:other.a]
        if _RANGE_RE.match(between):
            score -= 0.5
            reasons.append("period")
            break
    if len(row.text.split()) > 9 and not label and "place" not in reasons:
        score -= 0.2
        reasons.append("sentence")
    if row.page > 1:
        score -= 0.35
    elif row.y < 0.45:
        score += 0.15
    elif row.y > 0.8:
        score -= 0.1
    return DateCandidate(found, rc, score, stamp, reasons)


def date_candidates(letter: Letter, finder: DateFinder,
                    cues_of: Callable[[str], frozenset[str]]) -> list[DateCandidate]:
    """Every date of the first pages, scored. `cues_of(text)`: cue categories in a text."""
    found_all: list[DateCandidate] = []
    for page in letter.pages[:3]:
        rows = [rc.row for rc in page]
        for rc in page:
            found = finder.find(rc.row.text, letter.language, letter.month_first)
            for item in found:
                # A table header above the date ("Vervaldatum", "REÇU LE") counts as context.
                above = cell_above(rows, rc.row, item.a, item.b).strip()
                # Only a header: a line with figures above is content, not a column title.
                header = above and len(above) < 40 and not any(ch.isdigit() for ch in above)
                above_cats = set(cues_of(above)) if header else set()
                if _stamp_beside_above(rows, rc.row, item.a, cues_of):
                    above_cats.add("stamp")
                found_all.append(_score(letter, rc, item, found, above_cats))
    return found_all


def choose_dates(candidates: list[DateCandidate]) -> dict[str, FieldValue]:
    """The letter's date (best non-stamp) and the stamp's date, as FieldValues."""
    fields: dict[str, FieldValue] = {}
    letter_dates = [c for c in candidates if not c.stamp]
    stamps = [c for c in candidates if c.stamp]
    if letter_dates:
        best = max(letter_dates, key=lambda c: (c.score, -c.rc.row.page, -c.rc.row.y))
        if best.score >= MIN_SCORE:
            fields["date"] = _value(best, best.score)
    if stamps:
        best = max(stamps, key=lambda c: c.score)
        fields["received_on"] = _value(best, 0.5 + 0.4 * min(best.score, 1.0))
    return fields


def _value(c: DateCandidate, confidence: float) -> FieldValue:
    how = "+".join([c.found.how, *c.reasons]) or c.found.how
    return field_value(c.rc.row, c.found.a, c.found.b, c.found.iso, confidence, f"date:{how}")


def _stamp_beside_above(rows: list[Row], row: Row, a: int,
                        cues_of: Callable[[str], frozenset[str]]) -> bool:
    """A stamp word alone in a short cell just above the date, up to one date-width aside:
    stamps are printed askew, so "RECEIVED" rarely sits straight over its date."""
    mine = row.cell_at(a)
    if mine is None or row.index == 0:
        return False
    width = mine.x1 - mine.x0
    return any(len(cell.text) < 40 and not any(ch.isdigit() for ch in cell.text)
               and cell.x1 >= mine.x0 - width and cell.x0 <= mine.x1 + width
               and "stamp" in cues_of(cell.text) for cell in rows[row.index - 1].cells)
