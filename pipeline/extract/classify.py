"""Document type, urgency and confidentiality, from cue phrases found on the pages."""

from __future__ import annotations

from collections import Counter

from pipeline.document import FieldValue
from pipeline.extract.nlp import Cue

URGENCY_LEVELS = ("normal", "high", "urgent")
# A title word near the top weighs more than the same word in a footer note.
_TOP_WEIGHT = 3
# Identifier labels ("Contrat n°", "Policy no.") name a file, not the letter's type.
_ID_LABEL = "doctype:id_label"
_SUBJECT_WEIGHT = 5  # "Objet : Relance facture": the sender says what it is


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


def doc_type(top_cues: list[Cue], all_cues: list[Cue],
             subject_cues: list[Cue] | None = None) -> FieldValue | None:
    """The type with most cue votes: the subject line weighs most, then the top third of
    page 1; one passing mention in the body is not enough (a plain letter)."""
    votes: Counter[str] = Counter()
    for weight, cues in ((_SUBJECT_WEIGHT, subject_cues or []), (_TOP_WEIGHT, top_cues),
                         (1, all_cues)):
        for cue in cues:
            if cue.category.startswith("doctype:") and cue.category != _ID_LABEL:
                votes[cue.category] += weight
    ranked = votes.most_common()
    if not ranked or ranked[0][1] < 2:
        return FieldValue("letter", 0.5, source="doctype:default")
    best, count = ranked[0]
    # A reminder or formal notice about an invoice is a reminder, not an invoice.
    if best == "doctype:invoice" and votes.get("doctype:reminder", 0) >= _TOP_WEIGHT:
        best, count = "doctype:reminder", votes["doctype:reminder"]
    total = sum(votes.values())
    return FieldValue(best.split(":", 1)[1], round(min(0.95, 0.4 + 0.5 * count / total), 2),
                      source="doctype:cues")


def specific(cues: list[Cue]) -> list[Cue]:
    """A row's cues without document-type words inside a longer phrase of another type
    ("avis" inside "avis d'échéance"); inside one of the same type, both count."""
    types = [c for c in cues if c.category.startswith("doctype:")]
    return [c for c in cues if not c.category.startswith("doctype:") or not any(
        o.start <= c.start and c.end <= o.end and o.end - o.start > c.end - c.start
        and o.category != c.category for o in types)]


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(" ".join(item.split()), None)
    return list(seen)
