"""Text normalisation shared by indexing and querying (pure Python, no search engine here).

Both sides of the index must normalise the same way, so every rule lives in one place:
references lose spaces, dashes and slashes; names lose accents and case; language codes
from OCR or extraction ("fra", "French", "fr-FR") become the engine's two-letter codes.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import datetime

# Languages with their own stemmed content field. Anything else goes to the "xx" field,
# which folds accents and case but does not stem.
STEMMED_LANGUAGES = ("fr", "en", "de")
OTHER_LANGUAGE = "xx"

_LANGUAGE_ALIASES = {
    "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "francais": "fr",
    "en": "en", "eng": "en", "english": "en", "anglais": "en",
    "de": "de", "deu": "de", "ger": "de", "german": "de", "deutsch": "de", "allemand": "de",
}

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_EU_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


def fold(text: str) -> str:
    """Lower-case and strip accents ("Réclamation" -> "reclamation"); ß and œ spelled out."""
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_reference(value: str | None) -> str:
    """One key however a reference is typed: `AB-2024/0173`, `ab 2024 0173` -> ab20240173."""
    if not value:
        return ""
    return _NOT_ALNUM.sub("", fold(value))


def looks_like_reference(word: str) -> bool:
    """True for tokens people paste as references: at least one digit and 4+ characters."""
    key = normalize_reference(word)
    return len(key) >= 4 and any(ch.isdigit() for ch in key)


def language_code(value: str | None) -> str:
    """Map an OCR or extraction language name to fr/en/de, or "xx" when unknown."""
    if not value:
        return OTHER_LANGUAGE
    key = fold(value).strip().split("-")[0].split("_")[0]
    return _LANGUAGE_ALIASES.get(key, OTHER_LANGUAGE)


def parse_date(value: str | None) -> datetime | None:
    """Read a stored date ("2024-03-15", "2024-03-15T10:00:00Z", "15/03/2024"); None if unusable."""
    if not value or not value.strip():
        return None
    try:
        return date_bounds(value.strip()[:10])[0]
    except ValueError:
        return None


def date_bounds(text: str) -> tuple[datetime, datetime]:
    """First and last instant named by a partial date: "2024" is the whole year.

    Accepts YYYY, YYYY-MM, YYYY-MM-DD and DD/MM/YYYY (or DD.MM.YYYY). Raises ValueError
    with a readable message otherwise.
    """
    text = text.strip()
    eu = _EU_DATE.match(text)
    if eu:
        text = f"{eu.group(3)}-{eu.group(2)}-{eu.group(1)}"
    iso = _ISO_DATE.match(text)
    if not iso or iso.end() != len(text):
        raise ValueError(f"'{text}' is not a date (use 2024, 2024-03, 2024-03-15 or 15/03/2024)")
    year = int(iso.group(1))
    month = int(iso.group(2)) if iso.group(2) else None
    day = int(iso.group(3)) if iso.group(3) else None
    try:
        if month is None:
            return datetime(year, 1, 1), datetime(year, 12, 31, 23, 59, 59)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return datetime(year, month, 1), datetime(year, month, last, 23, 59, 59)
        return datetime(year, month, day), datetime(year, month, day, 23, 59, 59)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a valid date ({exc})") from exc
