"""Sender and recipient.

The sender is who printed the letterhead or signed: candidates come from a seller heading
("Verkäufer", "Service Provider"), the return-address line over the window, the top rows of
page 1, the lines after the closing formula and the legal footer. They are scored by zone,
by a company form ("SARL", "GmbH", "Ltd"), by type size, and by the name printed again
elsewhere. Cells of the recipient's address block never count for the sender.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.document import FieldValue
from pipeline.extract.addresses import (
    CONTACT_RE,
    SPLIT_RE,
    Block,
    address_blocks,
    is_address_line,
    is_return_line,
)
from pipeline.extract.context import Letter, field_value
from pipeline.extract.layout import Cell, Row
from pipeline.extract.nlp import fold
from pipeline.extract.patterns import Label

ORG_RE = re.compile(
    r"\b(?:S\.?A\.?R\.?L\.?|S\.?A\.?S\.?U?|S\.?A\.?|S\.?C\.?I\.?|EURL|SNC|GmbH|AG|KG|OHG|e\.\s?V\.|"
    r"mbH|UG|Ltd\.?|Limited|LLP|PLC|plc|Inc\.?|LLC|Corp\.?|B\.V\.|N\.V\.|Cie|& Co\.?|"
    r"Bank|Banque|Assurances?|Versicherung|Mutuelle|Caisse|Stadtwerke|Finanzamt|Amt|Tribunal|"
    r"Gericht|Council|Ministry|Minist[èe]re|Mairie|Pr[ée]fecture|Services|Group|Groupe|"
    r"Association|Verein|Office|Agence|Agency|Kanzlei|Cabinet|Rechtsanw[äa]lte|Notaire|"
    r"Universit[äéy]\w*|Hospital|H[ôo]pital|Klinik|Direction|Trust|Authority|Beh[öo]rde)(?!\w)",
)
_TITLE_WORDS_RE = re.compile(
    r"\s*\b(?:invoice|facture|rechnung|factuur|receipt|quittung|avoir|gutschrift|statement)\b.*$",
    re.IGNORECASE,
)
_NOT_NAME_RE = re.compile(r"^(?:page|seite|pagina)\b|^\(|:$|^\d", re.IGNORECASE)


@dataclass
class PartyCandidate:
    row: Row
    a: int
    b: int
    value: str
    score: float
    source: str


_LEGAL_FORM_RE = re.compile(
    r"\b(?:S\.?A\.?R\.?L\.?|S\.?A\.?S\.?|GmbH|AG|KG|e\.\s?V\.|Ltd\.?|Limited|PLC|Inc\.?|LLC|"
    r"B\.V\.|N\.V\.)(?!\w)(?=\s+(?:[a-z]|\S+\.(?:com|net|org|[a-z]{2})\b))"
)


# Legal forms as tesseract misreads them at the end of a name ("Thamesbridge Bank ple").
_OCR_FORMS = {"ple": "plc", "pic": "plc", "Lid": "Ltd", "Ltcl": "Ltd", "GmbFl": "GmbH"}
_OCR_FORM_RE = re.compile(r"(?<=\s)(ple|pic|Lid|Ltcl|GmbFl)\.?$")


def _name_part(text: str) -> tuple[int, str]:
    """The name in a cell: first segment of "Name SARL - 1 rue X - 69001 Lyon", no title word."""
    parts = SPLIT_RE.split(text, maxsplit=2)
    part = parts[0]
    if len(parts) > 1 and len(part.strip()) <= 3 and len(parts[1].strip()) > 3:
        part = parts[1]  # a logo mark read as letters: "pr | Boulangerie Roux SAS"
    start = text.find(part)
    part = _TITLE_WORDS_RE.sub("", part).strip(" ,;:-")
    part = _OCR_FORM_RE.sub(lambda m: _OCR_FORMS[m.group(1)], part)
    legal = _LEGAL_FORM_RE.search(part)
    if legal and legal.start() > 0:  # "X B.V. iov Saeco.com": the name ends with its form
        part = part[:legal.end()]
    return max(start, 0), part


def _plausible_name(text: str, labels: Letter) -> bool:
    if len(text) < 2 or len(text) > 70 or _NOT_NAME_RE.search(text):
        return False
    if " " not in text and len(text) <= 3 and text.isupper():
        return False  # logo initials ("HV") beside the letterhead
    if CONTACT_RE.search(text) or (is_address_line(text) and not ORG_RE.search(text)):
        return False
    if sum(ch.isdigit() for ch in text) > 2 or not any(ch.isalpha() for ch in text):
        return False
    return len(text.split()) <= 8


def _is_label(text: str, letter: Letter) -> bool:
    """Headings and labels ("Afleveradres", "Facture FA-1", "Objet :") are never names."""
    for kind in ("recipient_heading", "sender_heading", "reference", "their_reference",
                 "subject", "date"):
        for label in letter.patterns.labels_of(kind):
            m = label.regex.match(text)
            if not m:
                continue
            rest = text[m.end():].strip()
            if not rest.strip(".") or rest.startswith(":") or (
                    kind.endswith("reference") and any(ch.isdigit() for ch in rest)):
                return True
    return False


def _candidate(row: Row, cell: Cell, score: float, source: str,
               letter: Letter) -> PartyCandidate | None:
    offset, name = _name_part(cell.text)
    if not _plausible_name(name, letter) or _is_label(name, letter):
        return None
    if ORG_RE.search(name):
        score += 0.2
    a = cell.a + offset
    return PartyCandidate(row, a, a + len(name), name, score, source)


_NAME_LABEL_RE = re.compile(r"^(?:Name|Nom|Firma|Company|Raison sociale)\s*:?\s*", re.IGNORECASE)


def _column_cell(row: Row, x0: float, tolerance: float) -> Cell | None:
    return next((c for c in row.cells if abs(c.x0 - x0) <= tolerance), None)


def heading_names(letter: Letter, kind: str, score: float) -> list[PartyCandidate]:
    """Names under a heading ("Verkäufer", "Service Provider:", "Käufer", "Bill to")."""
    out: list[PartyCandidate] = []
    rows = letter.page_rows(1)
    headings = letter.patterns.labels_of(kind)
    attention = letter.patterns.labels_of("recipient")
    for row in rows:
        for head in row.cells:
            m = next((h.regex.match(head.text) for h in headings if h.regex.match(head.text)),
                     None)
            if m is not None and not head.text[m.end():].strip(" :"):
                found = _under_heading(letter, rows[row.index + 1: row.index + 6], head,
                                       score, kind, attention)
                if found:
                    out.append(found)
    return out


def _under_heading(letter: Letter, rows: list[Row], head: Cell, score: float, kind: str,
                   attention: list[Label]) -> PartyCandidate | None:
    """The first name in the heading's column: after "Name:"/"ATTN:", or a plain line."""
    tolerance = 15.0 if head.x1 > 100 else 3.0  # points, or character columns
    for nxt in rows:
        cell = _column_cell(nxt, head.x0, tolerance)
        if cell is None:
            continue
        name = _NAME_LABEL_RE.match(cell.text) or next(
            (m for lab in attention if (m := lab.regex.match(cell.text))), None)
        if name:
            rest = cell.text[name.end():].lstrip(" :")
            if not rest:  # "Name:" in one cell, the value in the next one
                after = [c for c in nxt.cells if c.a > cell.a]
                if not after:
                    continue
                cell, rest = after[0], after[0].text
            a = cell.b - len(rest)
            found = _candidate(nxt, Cell(rest, a, cell.b, cell.x0, cell.x1), score + 0.1,
                               kind, letter)
        elif ":" not in nxt.text[cell.a:cell.b + 4] and not cell.text.startswith("("):
            found = _candidate(nxt, cell, score, kind, letter)
        else:
            continue
        if found:
            return found
    return None


def _zone_candidates(letter: Letter, recipient: set[int]) -> list[PartyCandidate]:
    """Letterhead (top of page 1), return-address line, signature and footer."""
    rows = letter.page_rows(1)
    out: list[PartyCandidate] = []
    stamped = _stamp_cells(letter)
    top_height = max((r.height for r in rows if r.y < 0.2
                      and not all(id(c) in stamped for c in r.cells)), default=0.0)
    first = True
    for row in rows:
        for cell in row.cells:
            if id(cell) in recipient or id(cell) in stamped:
                continue
            if row.y < 0.2 or (row.index < 4 and not row.height):
                score = 0.45 + (0.1 if first else 0.0)
                if top_height and row.height >= top_height:
                    score += 0.15
                if is_return_line(cell.text):
                    score += 0.15  # return-address line "Name - street - town"
                found = _candidate(row, cell, score, "letterhead", letter)
                if found:
                    out.append(found)
                    first = False
            elif row.y > 0.85:
                found = _candidate(row, cell, 0.3, "footer", letter)
                if found and ORG_RE.search(found.value):
                    out.append(found)
    return out


def _stamp_cells(letter: Letter) -> set[int]:
    """Cells of a reception stamp on page 1: the stamp-word row and the two rows over it
    (the receiving organisation's name, "ST AIDAN'S SCHOOL / RECEIVED 15 MAY 2025")."""
    view = letter.pages[0] if letter.pages else []
    out: set[int] = set()
    for rc in view:
        for cue in (c for c in rc.cues if c.category == "stamp"):
            mark = rc.row.cell_at(cue.start)
            if mark is None:
                continue
            out.add(id(mark))
            for other in view[max(0, rc.row.index - 2):rc.row.index]:
                out.update(id(c) for c in other.row.cells
                           if min(c.x1, mark.x1) - max(c.x0, mark.x0) > 0)
    return out


def _signature_candidates(letter: Letter) -> list[PartyCandidate]:
    """Names in the few rows after the closing formula, company forms first."""
    out: list[PartyCandidate] = []
    for page in letter.pages:
        rows = [rc.row for rc in page]
        for rc in page:
            if not any(c.category == "closing" for c in rc.cues):
                continue
            for rank, nxt in enumerate(rows[rc.row.index + 1: rc.row.index + 7]):
                for cell in nxt.cells:
                    found = _candidate(nxt, cell, 0.35 - 0.02 * rank, "signature", letter)
                    if found:
                        out.append(found)
    return out


def _recipient_cells(letter: Letter, blocks: list[Block]) -> tuple[set[int], Block | None]:
    """Cells of the recipient's block (ids), and that block."""
    cues = {fold(s) for s in letter.patterns.salutations}
    labels = letter.patterns.labels_of("recipient") + letter.patterns.labels_of(
        "recipient_heading")
    chosen: Block | None = None
    for block in blocks:
        if block.recipient_cue:
            chosen = block
            break
        first = fold(block.cells[0][1].text)
        above = block.cells[0][0]
        if any(first.startswith(c) for c in cues) or any(
                lab.regex.search(cell.text) for lab in labels for _, cell in block.cells[:2]):
            chosen = block
            break
        if any(h.regex.match(r.text.strip()) for h in labels
               for r in letter.page_rows(1)[max(0, above.index - 2): above.index]):
            chosen = block
            break
    if chosen is None and len(blocks) >= 2:
        chosen = blocks[1]
    if chosen is None and len(blocks) == 1 and blocks[0].top > 0.12:
        chosen = blocks[0]
    ids = {id(cell) for _, cell in chosen.cells} if chosen else set()
    return ids, chosen


def find_parties(letter: Letter,
                 hints: Callable[[list[str]], list[set[str]]]) -> dict[str, FieldValue]:
    """Sender and recipient FieldValues (absent when nothing plausible was found)."""
    fields: dict[str, FieldValue] = {}
    blocks = address_blocks(letter)
    recipient_ids, block = _recipient_cells(letter, blocks)
    recipient_ids |= _under_recipient_headings(letter)
    candidates = (heading_names(letter, "sender_heading", 0.65)
                  + _zone_candidates(letter, recipient_ids) + _signature_candidates(letter))
    if candidates:
        _boost(candidates, hints)
        best = max(candidates, key=lambda c: c.score)
        fields["sender"] = field_value(best.row, best.a, best.b, best.value, best.score,
                                       f"sender:{best.source}")
    recipient = _recipient_value(letter, block)
    if recipient:
        fields["recipient"] = recipient
    return fields


def _boost(candidates: list[PartyCandidate], hints: Callable[[list[str]], list[set[str]]]) -> None:
    """A name printed in several zones is the sender's; the NER agreeing helps a little."""
    keys = [fold(c.value) for c in candidates]
    for cand, key in zip(candidates, keys, strict=True):
        zones = {c.source for c, k in zip(candidates, keys, strict=True)
                 if c is not cand and len(key) >= 4 and (key in k or k in key) and len(k) >= 4}
        cand.score += 0.12 * len(zones - {cand.source})
    # The model is slow on many strings: ask it only about the leading candidates.
    leading = sorted(candidates, key=lambda c: -c.score)[:4]
    for cand, labels in zip(leading, hints([c.value for c in leading]), strict=True):
        if labels & {"ORG", "PER"}:
            cand.score += 0.05


def _under_recipient_headings(letter: Letter) -> set[int]:
    """Cells in the column under "Bill to", "Käufer", "Afleveradres": never the sender."""
    rows = letter.page_rows(1)
    ids: set[int] = set()
    headings = letter.patterns.labels_of("recipient_heading")
    for row in rows:
        for head in row.cells:
            m = next((h.regex.match(head.text) for h in headings if h.regex.match(head.text)),
                     None)
            if m is None or head.text[m.end():].strip(" :"):
                continue
            tolerance = 15.0 if head.x1 > 100 else 3.0
            for nxt in rows[row.index + 1: row.index + 7]:
                cell = _column_cell(nxt, head.x0, tolerance)
                if cell is None:
                    break
                ids.add(id(cell))
    return ids


def _recipient_value(letter: Letter, block: Block | None) -> FieldValue | None:
    headed = heading_names(letter, "recipient_heading", 0.7)
    if headed:
        best = headed[0]
        return field_value(best.row, best.a, best.b, best.value, best.score, "recipient:heading")
    if block is None:
        return None
    names = _block_names(letter, block)
    if not names:
        return None
    pats = letter.patterns
    civil = "|".join(re.escape(c) for c in sorted(pats.civilities, key=len, reverse=True))
    attention = pats.labels_of("recipient")
    for row, cell in names:  # a person first: "À l'attention de Monsieur X", "z. Hd. Frau Y"
        text, a = cell.text, cell.a
        for label in attention:
            m = label.regex.match(text)
            if m:
                skip = len(text) - len(text[m.end():].lstrip(" :"))
                text, a = text[skip:], a + skip
                break
        m = re.match(rf"(?:{civil})\s+(?=\S)", text) if civil else None
        if m or text != cell.text:
            skip = m.end() if m else 0
            value = text[skip:].strip()
            return field_value(row, a + skip, a + skip + len(value), value, 0.8,
                               "recipient:person")
    for row, cell in names:  # else a department
        if any(cell.text.startswith(d) for d in pats.departments):
            return field_value(row, cell.a, cell.b, cell.text, 0.7, "recipient:department")
    row, cell = names[0] if letter.language == "en" else names[-1]
    return field_value(row, cell.a, cell.b, cell.text, 0.6, "recipient:block")


def _block_names(letter: Letter, block: Block) -> list[tuple[Row, Cell]]:
    """The block's lines above its street/postcode lines, without postal mentions or labels."""
    names: list[tuple[Row, Cell]] = []
    loud = {"confidential", "urgent", "high", "stamp"}
    for row, cell in block.cells:
        if is_address_line(cell.text):
            break
        cues = letter.pages[0][row.index].cues if letter.pages else []
        # only this cell's cues: a stamp beside the block ("REÇU LE ...   À l'attention de")
        loud_here = any(c.category in loud and c.start < cell.b and c.end > cell.a for c in cues)
        if loud_here or CONTACT_RE.search(cell.text) or \
                _is_label(cell.text, letter) or is_return_line(cell.text) or \
                cell.text.rstrip().endswith(","):  # "Madame, Monsieur," opens the body
            continue
        names.append((row, cell))
    return names
