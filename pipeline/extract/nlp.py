"""The spaCy side: tokenisation, cue phrases (PhraseMatcher) and the optional French NER.

Cue phrases are matched on a *folded* copy of the page text (lower case, accents removed, same
length), so "REÇU LE", "Reçu le" and an OCR'd "RECU LE" are one pattern, and every match's
character offsets are also offsets into the original page text.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher

from pipeline.extract.patterns import PatternSet

log = logging.getLogger(__name__)

FRENCH_MODEL = "fr_core_news_sm"
_NER_ONLY = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter", "tagger"]


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    low = char.lower()
    if len(low) != 1:
        low = char
    base = unicodedata.normalize("NFD", low)[0]
    return base if len(base) == 1 else low


def fold(text: str) -> str:
    """Lower case without accents, keeping the length so offsets stay valid."""
    if text.isascii():
        return text.lower()  # the common case, and much faster
    return "".join(_fold_char(char) for char in text)


@dataclass(frozen=True)
class Cue:
    """A cue phrase found in a page: category (e.g. "stamp", "doctype:invoice")."""

    category: str
    start: int
    end: int
    text: str


@dataclass
class PageText:
    """What spaCy read on one page."""

    cues: list[Cue]
    tokens: Counter[str]  # folded token counts, for language identification


def _load_french(models_dir: Path) -> Any | None:
    """fr_core_news_sm (a copy in models_dir first, else the installed package), NER only."""
    local = models_dir / FRENCH_MODEL
    target: str | None = None
    if (local / "meta.json").is_file():
        target = str(local)
    elif spacy.util.is_package(FRENCH_MODEL):
        target = FRENCH_MODEL
    if target is None:
        log.info("%s is not installed: sender/recipient use rules only", FRENCH_MODEL)
        return None
    try:
        return spacy.load(target, exclude=_NER_ONLY)
    except (OSError, ValueError) as exc:  # a broken install must not stop the mailroom
        log.warning("cannot load %s (%s): rules only", target, exc)
        return None


class TextTools:
    """spaCy pipelines built once per Extractor."""

    def __init__(self, patterns: PatternSet, models_dir: Path, use_ner: bool) -> None:
        self.nlp = spacy.blank("xx")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for category, per_lang in patterns.cues.items():
            self._add(category, [p for phrases in per_lang.values() for p in phrases])
        for doc_type, per_lang in patterns.doc_types.items():
            self._add(f"doctype:{doc_type}", [p for words in per_lang.values() for p in words])
        self.ner = _load_french(models_dir) if use_ner else None

    def _add(self, category: str, phrases: list[str]) -> None:
        docs = [self.nlp.make_doc(fold(p)) for p in dict.fromkeys(phrases) if p.strip()]
        if docs:
            self.matcher.add(category, docs)

    def read(self, text: str) -> PageText:
        """Tokenise a page and find its cue phrases."""
        doc = self.nlp.make_doc(fold(text))
        cues = []
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            cues.append(Cue(self.nlp.vocab.strings[match_id], span.start_char, span.end_char,
                            text[span.start_char:span.end_char]))
        cues.sort(key=lambda c: (c.start, -c.end))
        tokens = Counter(t.text for t in doc if t.is_alpha)
        return PageText(cues, tokens)

    def entities(self, texts: list[str]) -> list[set[str]]:
        """Per text, the labels (ORG/PER/...) of entities covering most of it: a hint only."""
        if self.ner is None or not texts:
            return [set() for _ in texts]
        found: list[set[str]] = []
        for doc in self.ner.pipe(texts, batch_size=32):
            labels = {e.label_ for e in doc.ents if len(e.text) >= 0.6 * len(doc.text.strip())}
            found.append(labels)
        return found
