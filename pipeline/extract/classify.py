"""Document type, urgency and confidentiality, from cue phrases found on the pages."""

from __future__ import annotations

from collections import Counter

from pipeline.document import FieldValue
from pipeline.extract.nlp import Cue

URGENCY_LEVELS = ("normal", "high", "urgent")
# A title word near the top weighs more than the same word in a footer note.
_TOP_WEIGHT = 3


def urgency(cues: list[Cue]) -> tuple[str, list[str]]:
    """The highest urgency any cue calls for, and the cues as printed."""
    urgent = [c.text for c in cues if c.category == "urgent"]
    high = [c.text for c in cues if c.category == "high"]
    if urgent:
        return "urgent", _unique(urgent + high)
    if high:
        return "high", _unique(high)
    return "normal", []


def confidential(cues: list[Cue]) -> tuple[bool, list[str]]:
    found = [c.text for c in cues if c.category == "confidential"]
    return bool(found), _unique(found)


def doc_type(top_cues: list[Cue], all_cues: list[Cue]) -> FieldValue | None:
    """The type with most cue phrases, those in the top third of page 1 counting triple."""
    votes: Counter[str] = Counter()
    for cue in top_cues:
        if cue.category.startswith("doctype:"):
            votes[cue.category] += _TOP_WEIGHT
    for cue in all_cues:
        if cue.category.startswith("doctype:"):
            votes[cue.category] += 1
    if not votes:
        return FieldValue("letter", 0.5, source="doctype:default")
    # A reminder or formal notice about an invoice is a reminder, not an invoice.
    ranked = votes.most_common()
    best, count = ranked[0]
    if best == "doctype:invoice" and votes.get("doctype:reminder", 0) >= _TOP_WEIGHT:
        best, count = "doctype:reminder", votes["doctype:reminder"]
    total = sum(votes.values())
    return FieldValue(best.split(":", 1)[1], round(min(0.95, 0.4 + 0.5 * count / total), 2),
                      source="doctype:cues")


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(" ".join(item.split()), None)
    return list(seen)
