"""Text tables by language, and how dates and amounts are printed in each language."""

from __future__ import annotations

from datetime import date
from typing import Any

from .texts_de import DE
from .texts_en import EN
from .texts_fr import FR

TEXT: dict[str, dict[str, Any]] = {"fr": FR, "en": EN, "de": DE}
# Title, column heads and total label of the statement page some two-page letters get.
ANNEX = {
    "fr": ("Relevé des opérations", ("Date", "Référence", "Désignation", "Montant"), "Total"),
    "en": ("Statement of account", ("Date", "Reference", "Description", "Amount"), "Total due"),
    "de": ("Aufstellung der offenen Posten", ("Datum", "Beleg", "Bezeichnung", "Betrag"), "Summe"),
}


def format_date(d: date, lang: str, style: str) -> str:
    """A date as printed: long ("3 mars 2024"), num, iso, us ("March 3, 2024"), ord ("3rd...")."""
    month = TEXT[lang]["months"][d.month - 1]
    if style == "iso":
        return d.isoformat()
    if style == "num":
        return d.strftime("%d/%m/%Y") if lang in ("fr", "en") else d.strftime("%d.%m.%Y")
    if style == "us":
        return f"{month} {d.day}, {d.year}"
    if style == "ord":
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        suffix = "th" if 10 <= d.day <= 20 else suffix
        return f"{d.day}{suffix} {month} {d.year}"
    if lang == "fr":
        return f"{'1er' if d.day == 1 else d.day} {month} {d.year}"
    return f"{d.day}. {month} {d.year}" if lang == "de" else f"{d.day} {month} {d.year}"


def money(value: float, lang: str, currency: str) -> str:
    """1 234,56 € (fr), £1,234.56 (en), 1.234,56 EUR (de)."""
    whole, cents = f"{value:,.2f}".split(".")
    if lang == "en":
        return f"{currency}{whole}.{cents}"
    space = "\u00a0"  # no-break space: amounts never wrap inside
    return f"{whole.replace(',', space if lang == 'fr' else '.')},{cents}{space}{currency}"
