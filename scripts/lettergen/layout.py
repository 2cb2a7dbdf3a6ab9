"""Where things go: a letter's content placed as drawing ops on A4 pages, in points."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from .common import PAGE_H, PAGE_W, REF_PATTERNS, Op, Options, fill
from .compose import Content
from .fonts import Fonts
from .texts import ANNEX, TEXT, format_date, money


class Sheet:
    """Collects ops page by page and measures/wraps text with the letter's fonts."""

    def __init__(self, fonts: Fonts, size: float, left: float, right: float) -> None:
        self.fonts, self.size, self.left, self.right = fonts, size, left, right
        self.pages: list[list[Op]] = [[]]

    def text(self, x: float, y: float, s: str, size: float | None = None, bold: bool = False,
             align: str = "l", gray: int = 0) -> float:
        size = size or self.size
        w = self.fonts.width(s, size, bold)
        x = x - w if align == "r" else x - w / 2 if align == "c" else x
        self.pages[-1].append(Op("text", x, y, s, size, bold, gray, w))
        return w

    def rect(self, x: float, y: float, w: float, h: float, gray: int = 0,
             fill: bool = True) -> None:
        self.pages[-1].append(Op("rect", x, y, w=w, h=h, gray=gray, fill=fill))

    def wrap(self, s: str, width: float, size: float | None = None,
             bold: bool = False) -> list[str]:
        size = size or self.size
        lines, cur = [], ""
        for word in s.split(" "):
            trial = f"{cur} {word}".strip()
            if cur and self.fonts.width(trial, size, bold) > width:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        return [*lines, cur] if cur else lines


def _letterhead(sh: Sheet, c: Content, rng: random.Random, align: str) -> float:
    """Sender name (with a logo-ish box sometimes) and contact lines; returns the bottom y."""
    x = {"l": sh.left, "r": sh.right, "c": PAGE_W / 2}[align]
    name_size = rng.choice([14, 15, 16, 17, 18])
    if align != "c" and rng.random() < 0.5:
        initials = "".join(w[0] for w in c.sender.split()[:2] if w[0].isalpha()).upper()
        box_x = sh.left if align == "l" else sh.right - 42
        dark = rng.random() < 0.6
        sh.rect(box_x, 36, 42, 42, gray=rng.randint(30, 90), fill=dark)
        sh.text(box_x + 21, 64, initials, 16, True, "c", gray=255 if dark else 0)
        x = x + 52 if align == "l" else x - 52
    sh.text(x, 56, c.sender, name_size, True, align)
    small = rng.choice([8.5, 9.0, 9.5])
    y = 56 + small * 1.8
    if align == "c" or rng.random() < 0.3:
        sh.text(x, y, " · ".join(c.sender_lines), small, align=align)
        y += small * 1.4
    else:
        for line in c.sender_lines:
            sh.text(x, y, line, small, align=align)
            y += small * 1.3
    if align == "c" or rng.random() < 0.3:
        sh.rect(sh.left, y - small * 0.5, sh.right - sh.left, 0.8)
    return y


def _address(sh: Sheet, c: Content, x: float, y: float, rng: random.Random) -> float:
    """The window block: (DE) back-address line, registered/confidential notes, address."""
    if c.lang == "de" or rng.random() < 0.25:
        back = " · ".join([c.sender, *c.sender_lines[:2]])
        w = sh.text(x, y - 14, back, 7.0)
        sh.rect(x, y - 12.5, w, 0.5)
        y += 6
    for note in c.notes:
        sh.text(x, y, note, sh.size, bold=True)
        y += sh.size * 1.5
    for line in c.address:
        sh.text(x, y, line, sh.size)
        y += sh.size * 1.3
    return y


def _rows(sh: Sheet, rows: list[tuple[str, str]], x: float, y: float, tab: float = 0.0) -> float:
    """Label/value rows, values in a column when `tab` is set; returns the bottom y."""
    for label, value in rows:
        w = sh.text(x, y, label, sh.size, bold=False)
        sh.text(x + (tab or w + sh.size * 0.4), y, value, sh.size)
        y += sh.size * 1.35
    return y


def _date_value(c: Content, rng: random.Random) -> str:
    """The bare date for DE blocks that print the label "Datum" apart; it becomes the date line."""
    d = date.fromisoformat(c.truth["date"])
    c.date_line = format_date(d, "de", rng.choice(["num", "num", "long", "iso"]))
    return c.date_line


def _de_reference_row(sh: Sheet, c: Content, rng: random.Random, y: float) -> float:
    """DIN 5008 "Bezugszeichenzeile": small captions with the values beneath."""
    cols = [(label.rstrip(":. "), value) for label, value in c.refs]
    phone = c.sender_lines[2].split(":", 1)[-1].strip()
    cols += [("Telefon", phone), ("Datum", _date_value(c, rng))]
    step = (sh.right - sh.left) / len(cols)
    for i, (caption, value) in enumerate(cols):
        sh.text(sh.left + i * step, y, caption, 7.5)
        sh.text(sh.left + i * step, y + sh.size * 1.3, value, sh.size)
    return y + sh.size * 2.5


def _blocks(sh: Sheet, c: Content, rng: random.Random) -> float:
    """Letterhead, address window, date and reference blocks; returns where the body starts."""
    top = _letterhead(sh, c, rng, rng.choice("llrc"))
    date_gap = sh.size * rng.uniform(1.6, 2.6)
    if c.lang == "fr":
        ay = max(top + 45, 165.0)
        bottom = _address(sh, c, 315, ay, rng)
        if rng.random() < 0.5:  # references in the left column, beside the address
            _rows(sh, c.refs, sh.left, ay)
            sh.text(sh.right, bottom + date_gap, c.date_line, align="r")
            return bottom + date_gap * 2
        sh.text(315, bottom + date_gap, c.date_line)
        return _rows(sh, c.refs, sh.left, bottom + date_gap * 2) + sh.size
    if c.lang == "de":
        ay = max(top + 45, 150.0)
        bottom = _address(sh, c, sh.left, ay, rng)
        variant = rng.choice(["info", "row", "plain"])
        if variant == "info":
            rows = [*c.refs, ("Datum:", _date_value(c, rng))]
            return max(bottom, _rows(sh, rows, 345, ay - 10, tab=92)) + sh.size * 1.5
        if variant == "row":
            return _de_reference_row(sh, c, rng, bottom + sh.size * 2) + sh.size
        sh.text(sh.right, bottom + date_gap, c.date_line, align="r")
        return _rows(sh, c.refs, sh.left, bottom + date_gap * 2) + sh.size
    if rng.random() < 0.5:  # refs above the address, date under it
        y = _rows(sh, c.refs, sh.left, top + 30)
        bottom = _address(sh, c, sh.left, max(y + 30, 150.0), rng)
        sh.text(sh.left, bottom + date_gap, c.date_line)
        return bottom + date_gap * 2
    bottom = _address(sh, c, sh.left, max(top + 45, 150.0), rng)
    sh.text(sh.right, bottom + date_gap, c.date_line, align="r")
    return _rows(sh, c.refs, sh.left, bottom + date_gap * 2) + sh.size


def _signature(sh: Sheet, c: Content, rng: random.Random, x: float, y: float) -> float:
    """A scribble, the signer's name and title (and sometimes the company)."""
    pts: list[float] = []
    px, base, amp, phase = x + rng.uniform(0, 20), y + 26, rng.uniform(5, 9), rng.uniform(0, 6)
    for i in range(rng.randint(28, 44)):
        amp = min(11.0, max(3.0, amp + rng.uniform(-1.5, 1.5)))
        phase += rng.uniform(0.7, 1.3)
        pts += [px, base + amp * math.sin(phase) - i * 0.12]
        px += rng.uniform(1.5, 3.4)
    sh.pages[-1].append(Op("path", 0, 0, gray=rng.randint(20, 70), h=1.2, points=tuple(pts)))
    y += 48
    lines = [c.signer[0], c.signer[1]] + ([c.sender] if rng.random() < 0.4 else [])
    for i, line in enumerate(lines):
        sh.text(x, y, line, bold=i == 0 and rng.random() < 0.5)
        y += sh.size * 1.3
    return y


def _flow(sh: Sheet, c: Content, rng: random.Random, y: float, split: bool) -> None:
    """Heading, subject, salutation, paragraphs, closing and signature, breaking pages
    when full or (`split`) before a paragraph once page 1 is well filled."""
    lead, gap = sh.size * rng.uniform(1.22, 1.38), sh.size * rng.uniform(0.7, 1.2)
    width, bottom = sh.right - sh.left, PAGE_H - 82

    def emit(lines: list[str], bold: bool = False, after: float = gap, x: float = sh.left,
             room: float = 0.0) -> None:
        nonlocal y
        if y + len(lines) * lead + room > bottom:
            sh.pages.append([])
            y = 100
        for line in lines:
            sh.text(x, y, line, bold=bold)
            y += lead
        y += after

    subject = f"{c.subject_label} {c.subject}".strip()
    late_subject = c.lang == "en" and not c.subject_label
    if c.heading:
        emit([c.heading], bold=True)
    if not late_subject:
        emit(sh.wrap(subject, width, bold=True), bold=True, after=gap * 1.5)
    emit([c.salutation])
    if late_subject:
        emit(sh.wrap(subject, width, bold=True), bold=True)
    for i, paragraph in enumerate(c.paragraphs):
        if split and i and len(sh.pages) == 1 and y > PAGE_H * 0.55:
            sh.pages.append([])
            y = 100
        emit(sh.wrap(paragraph, width))
    emit(sh.wrap(c.closing, width), room=90)
    x = sh.left if c.lang != "fr" or rng.random() < 0.4 else 330
    y = _signature(sh, c, rng, x, y - gap)
    if c.enclosure:
        y += gap * 2
        sh.text(sh.left, y, c.enclosure, sh.size * 0.9)


def _annex(sh: Sheet, c: Content, rng: random.Random) -> None:
    """A second page with a statement table: many distractor dates, numbers and amounts."""
    title, heads, total = ANNEX[c.lang]
    sh.pages.append([])
    y = 110.0
    sh.text(sh.left, y, title, sh.size * 1.3, bold=True)
    y += sh.size * 3
    tabs = [sh.left, sh.left + 80, sh.left + 190, sh.right]
    for x, head in zip(tabs, heads, strict=True):
        sh.text(x, y, head, bold=True, align="r" if x == sh.right else "l")
    sh.rect(sh.left, y + 4, sh.right - sh.left, 0.7)
    y += sh.size * 1.8
    d = date.fromisoformat(c.truth["date"])
    pool = [w for entry in TEXT[c.lang]["types"].values() for w in entry[3]]
    currency, total_value = {"fr": "€", "en": "£", "de": "EUR"}[c.lang], 0.0
    for _ in range(rng.randint(5, 11)):
        d_row = d - timedelta(days=rng.randint(5, 300))
        number = fill(rng, rng.choice(REF_PATTERNS), d_row.year, rng.choice(["BL", "LS", "AV"]))
        value = rng.randint(2_000, 400_000) / 100
        total_value += value
        cells = [format_date(d_row, c.lang, "num"), number, rng.choice(pool),
                 money(value, c.lang, currency)]
        for x, cell in zip(tabs, cells, strict=True):
            sh.text(x, y, cell, align="r" if x == sh.right else "l")
        y += sh.size * 1.5
    sh.rect(sh.left, y - sh.size * 0.8, sh.right - sh.left, 0.7)
    sh.text(tabs[2], y + sh.size * 0.6, total, bold=True)
    sh.text(sh.right, y + sh.size * 0.6, money(total_value, c.lang, currency), bold=True,
            align="r")


def _decorate(sh: Sheet, c: Content, rng: random.Random) -> None:
    """Footers (legal line, bank, page n/t) and the continuation header of later pages."""
    total = len(sh.pages)
    bank = fill(rng, TEXT[c.lang]["bank"]) if c.legal and rng.random() < 0.6 else ""
    for n, ops in enumerate(sh.pages, start=1):
        sh.pages, current = [ops], sh.pages
        label = TEXT[c.lang]["page"].format(n=n, t=total)
        if c.legal:
            sh.text(PAGE_W / 2, PAGE_H - 38, c.legal, 7.5, align="c")
        if bank:
            sh.text(PAGE_W / 2, PAGE_H - 28, bank, 7.5, align="c")
        if total > 1:
            sh.text(sh.right, PAGE_H - 54, label, 8.5, align="r")
        if n > 1:
            sh.text(sh.left, 52, f"{c.sender} – {c.date_line} – {label}", 8.5)
            sh.rect(sh.left, 57, sh.right - sh.left, 0.5)
        sh.pages = current


def _overlap(op: Op, box: tuple[float, float, float, float]) -> float:
    if op.kind == "text":
        x0, y0, x1, y1 = op.x, op.y - op.size * 0.8, op.x + op.w, op.y + op.size * 0.25
    elif op.kind == "rect":
        x0, y0, x1, y1 = op.x, op.y, op.x + op.w, op.y + op.h
    else:
        return 0.0
    return max(0.0, min(x1, box[2]) - max(x0, box[0])) * max(0.0, min(y1, box[3]) - max(y0, box[1]))


def _place_stamp(sh: Sheet, c: Content, rng: random.Random) -> None:
    """Put the reception stamp on page 1 where it covers the least printed matter."""
    size = rng.choice([10.0, 11.0, 12.0])
    w = max(sh.fonts.width(line, size, True) for line in c.stamp) + 18
    h = len(c.stamp) * size * 1.4 + 10
    # Tesseract reads a stamp tilted up to ~4° and loses it beyond ~6°: mostly mild, some hard.
    angle = rng.uniform(0.5, 4) if rng.random() < 0.75 else rng.uniform(5, 10)
    angle *= rng.choice([-1, 1])
    rad = math.radians(abs(angle))  # half extents of the turned box, plus a margin
    half_w = (w * math.cos(rad) + h * math.sin(rad)) / 2 + 6
    half_h = (w * math.sin(rad) + h * math.cos(rad)) / 2 + 6
    spots = [(x, y) for x in range(150, 500, 20) for y in range(70, 460, 15)]
    rng.shuffle(spots)

    def cost(spot: tuple[int, int]) -> float:
        box = (spot[0] - half_w, spot[1] - half_h, spot[0] + half_w, spot[1] + half_h)
        return sum(_overlap(op, box) for op in sh.pages[0])

    cx, cy = min(spots, key=cost)
    sh.pages[0].append(Op("stamp", cx, cy, size=size, gray=rng.randint(45, 95), w=angle,
                          lines=tuple(c.stamp)))


def layout(c: Content, rng: random.Random, opts: Options) -> tuple[list[list[Op]], Fonts]:
    """Place everything on A4 pages; returns the ops of each page and the fonts used."""
    families = ["liberation-sans", "liberation-serif", "nimbus-sans", "nimbus-roman",
                "dejavu-sans", "dejavu-serif", "nimbus-mono"]
    fonts = Fonts(opts.font or rng.choices(families, [4, 3, 3, 2, 2, 1, 1])[0])
    size = 10.0 if fonts.family == "nimbus-mono" else rng.choice([10.0, 10.5, 11.0, 11.5])
    sh = Sheet(fonts, size, rng.uniform(60, 74), PAGE_W - rng.uniform(50, 62))
    y = _blocks(sh, c, rng)
    pages = opts.pages or (2 if rng.random() < 0.25 else 1)
    annex = pages == 2 and rng.random() < 0.4
    _flow(sh, c, rng, y + sh.size, pages == 2 and not annex)
    if pages == 2 and len(sh.pages) == 1:  # too short to continue over: add a statement
        _annex(sh, c, rng)
    _decorate(sh, c, rng)
    if c.stamp:
        _place_stamp(sh, c, rng)
    return sh.pages, fonts
