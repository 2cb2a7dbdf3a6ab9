"""Archive paths from the configured template, with names that are safe everywhere."""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any

from pipeline.errors import ConfigError

PLACEHOLDERS = {
    "year", "month", "day", "date", "sender", "reference", "their_reference", "recipient",
    "doc_type", "language", "short_id", "id", "received_year", "received_month", "department",
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_SPACES = re.compile(r"\s+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_component(value: str, max_length: int, fallback: str) -> str:
    """One path component: NFC, no separators or control characters, no dot-names."""
    text = unicodedata.normalize("NFC", value)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = _UNSAFE.sub("-", text)
    text = _SPACES.sub(" ", text).strip(" .-")
    if text.upper() in _RESERVED:
        text = f"_{text}"
    encoded = text.encode("utf-8")[:max_length]
    text = encoded.decode("utf-8", "ignore").rstrip(" .-")
    return text or fallback


def check_template(template: str) -> None:
    """Refuse a template that names unknown fields or could escape the archive."""
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ConfigError(
            f"[archive] template uses unknown field(s): {', '.join(sorted(unknown))}",
            hint=f"Known fields: {', '.join(sorted(PLACEHOLDERS))}.")
    if template.startswith("/") or ".." in template.split("/"):
        raise ConfigError("[archive] template must be a relative path inside the archive")
    if not template.endswith(".pdf"):
        raise ConfigError("[archive] template must end with .pdf")


def render(template: str, values: dict[str, Any], max_length: int, fallback: str) -> str:
    """Fill the template; every field value becomes one safe component piece."""
    check_template(template)
    safe = {k: safe_component(str(v) if v else "", max_length, fallback)
            for k, v in values.items()}
    parts = [part for part in template.format(**safe).split("/") if part not in ("", ".", "..")]
    return "/".join(safe_component(part, 240, fallback) for part in parts)


def template_values(doc_id: str, meta: dict[str, str | None], received_at: str,
                    department: str) -> dict[str, Any]:
    """The values a template can use; the letter's date, else the reception date, dates it."""
    date = meta.get("date") or received_at[:10]
    return {
        "year": date[:4], "month": date[5:7], "day": date[8:10], "date": date,
        "sender": meta.get("sender"), "reference": meta.get("reference"),
        "their_reference": meta.get("their_reference"), "recipient": meta.get("recipient"),
        "doc_type": meta.get("doc_type"), "language": meta.get("language"),
        "short_id": doc_id[:8], "id": doc_id, "received_year": received_at[:4],
        "received_month": received_at[5:7], "department": department,
    }
