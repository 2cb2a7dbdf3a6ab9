"""Text normalisation shared by indexing and querying (pure Python, no search engine here).

Both sides of the index must normalise the same way, so every rule lives in one place:
references lose spaces, dashes and slashes; names lose accents and case; language codes
from OCR or extraction ("fra", "French", "fr-FR") become the engine's two-letter codes.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
import zlib
from datetime import datetime
from typing import Any

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


def plain(text: str) -> str:
    """Unicode NFKC: ligatures spelled out ("ﬁnance" -> "finance") and accents composed
    ("e" + U+0301 -> "é"). The word tokenizer splits a word at a combining accent and keeps
    a ligature as a letter of its own, so both sides of the index go through this first."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


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


# Top-level sidecar fields the index reads as text (metadata's are all text).
_TEXT_FIELDS = ("id", "registration_number", "archive_path", "received_at", "department")


def check_sidecar(data: Any) -> dict[str, Any]:
    """`data` if it has the shape the index reads; ValueError saying what is wrong if not."""
    if not isinstance(data, dict) or not data.get("id") or "metadata" not in data:
        raise ValueError("not a Courrier sidecar (no id or metadata)")
    meta, pages = data.get("metadata"), data.get("pages") or []
    if not isinstance(meta, dict) or not isinstance(data.get("extraction") or {}, dict) \
            or not isinstance(pages, list) or not all(isinstance(p, dict) for p in pages):
        raise ValueError("damaged sidecar: metadata, extraction or pages have the wrong shape")
    wrong = [k for k, v in meta.items() if v is not None and not isinstance(v, str)]
    wrong += [k for k in _TEXT_FIELDS if data.get(k) is not None and not isinstance(data[k], str)]
    if wrong:
        raise ValueError(f"damaged sidecar: {', '.join(sorted(wrong))} not text")
    return data


def to_record(sidecar: dict[str, Any]) -> dict[str, Any]:
    """The indexed form of one sidecar (see Document.to_sidecar); field names are the schema's.

    Empty values are left out so they are neither indexed nor counted in facets.
    """
    meta = sidecar.get("metadata") or {}
    extraction = sidecar.get("extraction") or {}
    lang = language_code(meta.get("language"))
    pages = sidecar.get("pages") or []
    text = plain("\n".join(str(p.get("text") or "") for p in pages))
    subject = plain(str(meta.get("subject") or ""))
    date = parse_date(meta.get("date"))
    received = parse_date(meta.get("received_on") or sidecar.get("received_at"))
    sender = plain(str(meta.get("sender") or "")).strip()
    confidential = bool(extraction.get("confidential"))
    record: dict[str, Any] = {
        "id": str(sidecar["id"]),
        "hit": {
            "sender": meta.get("sender"), "date": meta.get("date"),
            "reference": meta.get("reference"), "their_reference": meta.get("their_reference"),
            "subject": meta.get("subject"), "archive_path": sidecar.get("archive_path") or "",
            "registration_number": sidecar.get("registration_number"),
            "doc_type": meta.get("doc_type"), "confidential": confidential, "language": lang,
            "page_count": int(sidecar.get("page_count") or len(pages)),
        },
        "text_z": zlib.compress(text.encode("utf-8"), 1),
        f"content_{lang}": f"{subject}\n{text}",
        "sender": sender, "sender_facet": sender, "subject": subject,
        "recipient": plain(str(meta.get("recipient") or "")),
        "reference": normalize_reference(meta.get("reference")),
        "their_reference": normalize_reference(meta.get("their_reference")),
        "registration_number": normalize_reference(sidecar.get("registration_number")),
        "doc_type": fold(str(meta.get("doc_type") or "")).strip(),
        "language": lang, "department": fold(str(sidecar.get("department") or "")).strip(),
        "urgency": fold(str(extraction.get("urgency") or "")),
        "needs_review": "yes" if extraction.get("needs_review") else "no",
        "confidential": "yes" if confidential else "no",
        "date": date, "received": received, "year": str(date.year) if date else "",
    }
    return {k: v for k, v in record.items() if v not in ("", None)}


_SPACES = re.compile(r"\s+")
SNIPPET_CHARS = 180


def make_snippet(text: str, terms: frozenset[str], analyzer: Any) -> str:
    """About SNIPPET_CHARS of `text` around the first matches, matched words as [[word]].

    `analyzer` is the content field's: called with chars=True it yields tokens carrying
    the indexed form (`text`) and their place in `text` (`startchar`, `endchar`).

    Whoosh's highlighter scores every fragment of the whole letter; analysing only up to the
    end of the first window is several times faster and shows the same place for short letters.
    """
    spans: list[tuple[int, int]] = []
    for token in analyzer(text, chars=True, mode="query", removestops=False):
        if spans and token.startchar > spans[0][0] + SNIPPET_CHARS - 40:
            break
        if token.text in terms:
            spans.append((token.startchar, token.endchar))
    if not spans:
        return _SPACES.sub(" ", text[:SNIPPET_CHARS]).strip()
    begin = max(0, spans[0][0] - 40)
    if begin:  # start on a word boundary
        space = text.find(" ", begin, spans[0][0])
        begin = space + 1 if space != -1 else begin
    end = min(len(text), begin + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", spans[-1][1], end)
        end = space if space != -1 else max(end, spans[-1][1])
    parts, cursor = [], begin
    for first, last in spans:
        if last > end:
            break
        parts += [text[cursor:first], "[[", text[first:last], "]]"]
        cursor = last
    parts.append(text[cursor:end])
    body = _SPACES.sub(" ", "".join(parts)).strip()
    return ("… " if begin else "") + body + (" …" if end < len(text) else "")
