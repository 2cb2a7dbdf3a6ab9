"""Finding and reading date strings: patterns find short candidates, dateparser reads names.

Numeric dates are read here (day/month order is a policy decided by the caller); dates with a
month name go through dateparser, restricted to absolute dates with day, month and year all
present, so nothing is ever filled in from today.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import dateparser
from dateparser.languages.loader import default_loader

from pipeline.extract.nlp import fold

_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "i": "1"})
_D = r"[0-3OolI]?[0-9OolI]"
_M = r"[01OolI]?[0-9OolI]"
_Y4 = r"(?:19|20)[0-9OolI]{2}"
_DAY_SUFFIX = r"(?:er|e|st|nd|rd|th|\.|\"|”|“|'|’|º|°)?"
_NUMERIC = re.compile(
    rf"(?<![\w./])(?P<d>{_D})(?P<sep>[./-])(?P<m>{_M})(?P=sep)(?P<y>{_Y4}|\d{{2}})"
    r"(?![\w/]|\.\d)"
)
_ISO = re.compile(r"(?<![\w./-])(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w/]|[.-]\d)")
_LANG_SETTINGS: dict[str, Any] = {
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
}


@dataclass(frozen=True)
class FoundDate:
    """A date string on a row: where (row offsets), its ISO value, how it was read."""

    a: int
    b: int
    iso: str
    how: str  # numeric | iso | name


def _month_names(languages: list[str]) -> dict[str, tuple[str, int]]:
    """Folded month name -> (language, month number), from dateparser's locale data."""
    months = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
    names: dict[str, tuple[str, int]] = {}
    for lang in languages:
        try:
            info = default_loader.get_locale(lang).info
        except (KeyError, ValueError):
            continue
        for number, key in enumerate(months, start=1):
            for name in info.get(key, []):
                if len(name) >= 3:
                    names.setdefault(fold(name).rstrip("."), (lang, number))
    return names


def _valid(year: int, month: int, day: int) -> str | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


class DateFinder:
    """Compiled patterns and a small cache around dateparser; one per Extractor."""

    def __init__(self, languages: list[str]) -> None:
        self.months = _month_names(languages)
        alternation = "|".join(sorted((re.escape(m) for m in self.months), key=len, reverse=True))
        month = rf"(?P<mon>{alternation})\.?"
        self.named_dmy = re.compile(
            rf"(?<![\w.])(?P<d>{_D}){_DAY_SUFFIX},?\s{{0,2}}(?:de\s+)?{month}(?![^\W\d_])"
            rf"\s*,?\s*(?P<y>{_Y4})(?!\d)"
        )
        self.named_mdy = re.compile(
            rf"(?<![\w.]){month}(?![^\W\d_])\s+(?P<d>{_D}){_DAY_SUFFIX}\s*,?\s*(?P<y>{_Y4})(?!\d)"
        )
        self._cache: dict[tuple[str, str], str | None] = {}
        for lang in languages:  # dateparser's first call per language costs ~100 ms
            self._parse_named("1 " + next((m for m, v in self.months.items() if v[0] == lang),
                                          "jan") + " 2000", lang)

    def _parse_named(self, text: str, lang: str) -> str | None:
        key = (text, lang)
        if key not in self._cache:
            try:
                parsed = dateparser.parse(text, languages=[lang], settings=_LANG_SETTINGS)
            except (ValueError, TypeError, OverflowError):
                parsed = None
            self._cache[key] = parsed.date().isoformat() if parsed else None
        return self._cache[key]

    def _named(self, match: re.Match[str], text_lang: str | None) -> str | None:
        day = match.group("d").translate(_OCR_DIGITS)
        year = match.group("y").translate(_OCR_DIGITS)
        mon_lang, number = self.months[fold(match.group("mon"))]
        # dateparser reads the month in its own language; the folded table is the fallback
        # for OCR'd names without accents ("fevrier", "Marz").
        lang = text_lang if text_lang and text_lang == mon_lang else mon_lang
        parsed = self._parse_named(f"{int(day)} {match.group('mon')} {year}", lang)
        return parsed or _valid(int(year), number, int(day))

    def find(self, text: str, lang: str | None, month_first: bool) -> list[FoundDate]:
        """Every readable date on one row of text."""
        found: list[FoundDate] = []
        taken: list[tuple[int, int]] = []

        def add(a: int, b: int, iso: str | None, how: str) -> None:
            if iso and not any(a < y and x < b for x, y in taken):
                found.append(FoundDate(a, b, iso, how))
                taken.append((a, b))

        folded = fold(text)
        for regex in (self.named_dmy, self.named_mdy):
            for m in regex.finditer(folded):
                add(m.start(), m.end(), self._named(m, lang), "name")
        for m in _ISO.finditer(text):
            add(m.start(), m.end(), _valid(int(m["y"]), int(m["m"]), int(m["d"])), "iso")
        for m in _NUMERIC.finditer(text):
            add(m.start(), m.end(), _numeric(m, month_first), "numeric")
        found.sort(key=lambda f: f.a)
        return found


def _numeric(m: re.Match[str], month_first: bool) -> str | None:
    first = int(m["d"].translate(_OCR_DIGITS))
    second = int(m["m"].translate(_OCR_DIGITS))
    year_text = m["y"].translate(_OCR_DIGITS)
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 70 else 1900
    # Dots are European (day first) everywhere; slashes follow the letter's country, unless
    # one part cannot be a month.
    if (m["sep"] == "/" and month_first and first <= 12) or (second > 12 and first <= 12):
        first, second = second, first
    return _valid(year, second, first)
