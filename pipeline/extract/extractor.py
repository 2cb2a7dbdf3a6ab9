"""The Extractor: built once per process, then `extract(pages)` per letter."""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pipeline.config import ExtractConfig
from pipeline.document import Extraction, FieldValue, Page
from pipeline.extract import classify
from pipeline.extract.context import Letter, RowCues
from pipeline.extract.datefind import DateFinder
from pipeline.extract.dates import choose_dates, date_candidates
from pipeline.extract.language import detect_language
from pipeline.extract.layout import page_rows
from pipeline.extract.nlp import TextTools
from pipeline.extract.parties import find_parties
from pipeline.extract.patterns import load_patterns
from pipeline.extract.references import choose_references, reference_candidates
from pipeline.extract.subject import find_subject

log = logging.getLogger(__name__)

KEY_FIELDS = ("sender", "date", "reference")
_US_RE = re.compile(r"\b(?:USA|U\.S\.A\.|United States)\b|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_MAX_PAGES = 3  # the letter's own fields live on its first pages


class Extractor:
    """Reads sender, date, references and the rest from a letter's pages.

    Loads the pattern files and spaCy (the French model when installed and enabled) once.
    """

    def __init__(self, config: ExtractConfig, models_dir: Path) -> None:
        self.config = config
        self.patterns = load_patterns(Path(models_dir))
        self.tools = TextTools(self.patterns, Path(models_dir), config.use_statistical_ner)
        self.dates = DateFinder(self.patterns.languages)
        self._cues_of = lru_cache(maxsize=512)(self._cue_categories)

    @property
    def has_statistical_ner(self) -> bool:
        return self.tools.ner is not None

    def _cue_categories(self, text: str) -> frozenset[str]:
        return frozenset(c.category for c in self.tools.read(text).cues)

    def _hints(self, texts: list[str]) -> list[set[str]]:
        return self.tools.entities(texts)

    def read_letter(self, pages: list[Page]) -> tuple[Letter, Counter[str]]:
        """Rows and cues of the first pages, and the token counts for the language."""
        tokens: Counter[str] = Counter()
        views: list[list[RowCues]] = []
        for page in pages[:_MAX_PAGES]:
            view = []
            for row in page_rows(page):
                read = self.tools.read(row.text)
                tokens.update(read.tokens)
                view.append(RowCues(row, read.cues))
            views.append(view)
        return Letter(views, self.patterns), tokens

    def extract(self, pages: list[Page]) -> Extraction:
        """Every field found in the letter, with confidence and source; flags what to review."""
        letter, tokens = self.read_letter(pages)
        result = Extraction()
        language, lang_conf = detect_language(tokens, self.patterns)
        letter.language = language
        letter.month_first = self._month_first(pages, language)
        if language:
            result.fields["language"] = FieldValue(language, lang_conf, source="language:markers")
        candidates = date_candidates(letter, self.dates, self._cues_of)
        result.fields.update(choose_dates(candidates))
        result.fields.update(choose_references(reference_candidates(letter, self.dates)))
        if self.tools.ner is not None and language == "fr":
            result.fields.update(find_parties(letter, self._hints))
        else:
            result.fields.update(find_parties(letter, lambda texts: [set() for _ in texts]))
        subject = find_subject(letter)
        if subject:
            result.fields["subject"] = subject
        self._classify(letter, result)
        self._review(result)
        return result

    def _month_first(self, pages: list[Page], language: str | None) -> bool:
        """Slashed dates are month-first only in US letters."""
        if language not in (None, "en"):
            return False
        head = "\n".join(p.text for p in pages[:2])
        if _US_RE.search(head):
            return True
        return language is None and self.config.default_country.upper() == "US"

    def _classify(self, letter: Letter, result: Extraction) -> None:
        first = letter.pages[0] if letter.pages else []
        all_cues = [c for page in letter.pages for rc in page for c in classify.specific(rc.cues)]
        top = [c for rc in first if rc.row.y < 0.35 for c in classify.specific(rc.cues)]
        result.urgency, result.urgency_cues = classify.urgency(all_cues)
        result.confidential, result.confidential_cues = classify.confidential(all_cues)
        subject = result.fields.get("subject")
        on_subject = [c for rc in first if _overlaps(rc.row.span(0, len(rc.row.text)), subject)
                      for c in classify.specific(rc.cues)]
        found = classify.doc_type(top, all_cues, on_subject)
        if found:
            result.fields["doc_type"] = found

    def _review(self, result: Extraction) -> None:
        threshold = self.config.review_threshold
        for name in KEY_FIELDS:
            found = result.fields.get(name)
            if found is None:
                result.review_reasons.append(f"{name} not found")
            elif found.confidence < threshold:
                result.review_reasons.append(
                    f"{name} uncertain ({found.confidence:.2f} < {threshold:.2f})")
        result.needs_review = bool(result.review_reasons)


def _overlaps(span: tuple[int | None, int | None], found: FieldValue | None) -> bool:
    """Whether a row's page-text span holds part of a field found on page 1."""
    a, b = span
    if found is None or a is None or b is None or found.start is None or found.end is None:
        return False
    return found.page == 1 and a < found.end and found.start < b
