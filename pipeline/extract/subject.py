"""The subject line: "Objet :", "Re:", "Betreff:"; in DIN letters often an unlabelled bold line."""

from __future__ import annotations

from pipeline.document import FieldValue
from pipeline.extract.context import Letter, field_value

# What OCR reads in the margin before a label: a fold mark or rule as "|", "!", "[".
_MARGIN = " |!¦[]•·"


def find_subject(letter: Letter) -> FieldValue | None:
    """The text after the first subject label of page 1 (continuing on the next row if short)."""
    labels = letter.patterns.labels_of("subject")
    best: tuple[float, FieldValue] | None = None
    for rc in letter.pages[0] if letter.pages else []:
        row = rc.row
        for label in labels:
            m = label.regex.match(row.text.lstrip(_MARGIN))
            if not m:
                continue
            lead = len(row.text) - len(row.text.lstrip(_MARGIN))
            rest = row.text[lead + m.end():]
            stripped = rest.lstrip(" :.-–")
            if not stripped or not (rest.lstrip(" ").startswith(":") or rest.startswith("   ")):
                continue  # "Objet :", "Re:" or a label cell; never a word in a sentence
            a = len(row.text) - len(stripped)
            value = stripped.split("   ")[0].strip()
            score = label.weight - (0.2 if row.y > 0.6 else 0.0)
            found = field_value(row, a, a + len(value), value, score,
                                f"label:{m.group().strip()}")
            if best is None or score > best[0]:
                best = (score, found)
    return best[1] if best else None
