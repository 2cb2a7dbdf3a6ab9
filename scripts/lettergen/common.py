"""Shared constants, per-letter options, drawing ops and small helpers of the generator."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
LANGUAGES = ("fr", "en", "de")
DOC_TYPES = ("invoice", "reminder", "contract", "notice", "insurance", "letter")
TRUTH_KEYS = (
    "sender", "date", "received_on", "reference", "their_reference", "recipient", "subject",
    "language", "doc_type", "urgency", "confidential", "words",
)
# Which kind of organisation sends which kind of letter.
DOC_KINDS = {
    "invoice": ("supplier",), "reminder": ("supplier", "law"), "contract": ("supplier", "insurer"),
    "notice": ("public", "bank"), "insurance": ("insurer",), "letter": ("supplier", "bank", "law"),
}
# Reference shapes: L letter, # digit, YYYY/YY year, P a language prefix (FAC, INV, RE...).
# Even positions belong to the "tune" pool, odd ones to "report" (see `pool_slice`).
REF_PATTERNS = (
    "LL-YYYY-####", "YYYY #### ##", "P/YYYY/#####", "L-##/###", "P-YY####", "P-######",
    "LYY-####-L", "LL/LL ####", "YYYY.###.###", "######/YY", "P YYYY/####", "LL#######",
)


def bar(text: str) -> list[str]:
    """The items of a "|"-separated table string, trimmed, empty ones dropped."""
    return [part.strip() for part in text.split("|") if part.strip()]


def pool_slice(items: list[Any] | tuple[Any, ...], pool: str) -> list[Any]:
    """The part of `items` a pool may use: all, or the even ("tune") / odd ("report") half."""
    if pool == "tune":
        return list(items[0::2])
    if pool == "report":
        return list(items[1::2])
    return list(items)


def fill(rng: random.Random, pattern: str, year: int = 0, prefix: str | None = None) -> str:
    """Expand # to digits; with a `prefix` (a reference pattern) also L, P, YYYY and YY."""
    if prefix is not None:
        pattern = pattern.replace("YYYY", str(year)).replace("YY", f"{year % 100:02d}")
    chars = []
    for ch in pattern:
        if ch == "#":
            ch = str(rng.randint(0, 9))
        elif prefix is not None and ch == "L":
            ch = rng.choice("ABCDEFGHJKLMNPRSTUVWXZ")
        elif prefix is not None and ch == "P":
            ch = prefix
        chars.append(ch)
    return "".join(chars)


@dataclass
class Options:
    """Per-letter choices; None means "let the seed decide"."""

    language: str | None = None
    doc_type: str | None = None
    pool: str = "all"  # all | tune | report: disjoint sender names, ref shapes, rarer labels
    pages: int | None = None  # 1 or 2
    stamp: bool | None = None
    confidential: bool | None = None
    urgency: str | None = None  # normal | high | urgent
    dpi: int | None = None
    rotate: int | None = None  # 0, 90, 180 or 270: one page turned by that much
    skew: float | None = None  # degrees
    clean: bool = False  # no noise, blur, skew or turn (born-digital, OCR smoke tests)
    font: str | None = None  # a key of fonts.FONTS


@dataclass(frozen=True)
class Op:
    """One drawing operation in points from the page's top-left (text y is the baseline)."""

    kind: str  # text | rect | line | path | stamp
    x: float
    y: float
    text: str = ""
    size: float = 10.0
    bold: bool = False
    gray: int = 0
    w: float = 0.0  # text: measured width; rect: width; stamp: angle in degrees
    h: float = 0.0  # rect: height; line: y1; path/line: stroke width in `size`
    fill: bool = True
    points: tuple[float, ...] = ()
    lines: tuple[str, ...] = ()
