"""The archivists' query language, parsed into a small tree the engine translates.

    réclamation facture            all words (accents, case and plural do not matter)
    "mise en demeure"              a phrase
    sender:ACME  sender:"ACME SA"  one sender (words or phrase)
    ref:AB-2024/0173               a reference, typed with or without spaces and dashes
    date:2024-01..2024-03          a date range (also date:2024, date:[2024-01-01 TO 2024-03-31])
    type:invoice                   document type
    facture OR avoir, NOT rappel, -rappel, (a OR b) c
    factur*  facutre~              prefix and fuzzy (one typo; ~2 for two)
    "madame facture"~3             words in this order, up to 3 other words between

Keeping the parser free of engine types lets it be tested alone and keeps `engine.py` the only
module that knows Whoosh. Every parse error is a `QuerySyntaxError` with a sentence for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pipeline.errors import QuerySyntaxError
from pipeline.search.analysis import date_bounds, plain


@dataclass(frozen=True)
class Term:
    """One word; `field` None means the default fields (content, sender, references)."""

    text: str
    field: str | None = None
    prefix: bool = False
    fuzzy: int = 0


@dataclass(frozen=True)
class Phrase:
    """Words in this order; `near` other words may stand between each two ("a b"~3)."""
    text: str
    field: str | None = None
    near: int = 0


@dataclass(frozen=True)
class DateRange:
    field: str  # "date" or "received"
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every document (useful with facets and a date filter)."""


Node = Term | Phrase | DateRange | And | Or | Not | MatchAll

# What people may type before ':' -> the field the engine knows. French aliases on purpose.
FIELD_ALIASES = {
    "sender": "sender", "from": "sender", "expediteur": "sender", "expéditeur": "sender",
    "ref": "ref", "reference": "ref", "référence": "ref", "nref": "ref",
    "theirref": "their_reference", "vref": "their_reference",
    "date": "date", "received": "received", "recu": "received", "reçu": "received",
    "type": "doc_type", "subject": "subject", "objet": "subject",
    "recipient": "recipient", "to": "recipient", "destinataire": "recipient",
    "lang": "language", "language": "language", "langue": "language",
    "review": "needs_review", "reg": "registration_number", "regno": "registration_number",
    "dept": "department", "department": "department", "service": "department",
    "urgency": "urgency", "id": "id",
}
DATE_FIELDS = ("date", "received")

_TOKEN = re.compile(r'\s+|[()]|"[^"]*"(?:~[^\s()"]*)?|"[^"]*|\[[^\]]*\]?|[^\s()"\[]+')
_NEAR = re.compile(r'^"([^"]*)"~(\d+)$')
MAX_NEAR = 20
_FIELD = re.compile(r"^([^\W\d_]+):(.*)$", re.UNICODE)
_FUZZY = re.compile(r"^(.+?)~(\d?)$")


def _syntax(message: str) -> QuerySyntaxError:
    return QuerySyntaxError(f"Cannot read the search: {message}.")


def _lex(text: str) -> list[tuple[str, str]]:
    """Split into (kind, value) tokens: ( ) AND OR NOT FIELD PHRASE RANGE WORD."""
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        chunk = match.group(0)
        if chunk.isspace():
            continue
        if chunk in "()":
            tokens.append((chunk, chunk))
        elif near := _NEAR.match(chunk):
            tokens += [("PHRASE", near.group(1)), ("NEAR", near.group(2))]
        elif chunk.startswith('"') and '"~' in chunk:
            raise _syntax(f"'{chunk}': after a phrase, '~' takes a whole number of words "
                          '("madame facture"~3)')
        elif chunk.startswith('"'):
            if len(chunk) < 2 or not chunk.endswith('"'):
                raise _syntax(f"the quote opened at character {match.start() + 1} is never closed")
            tokens.append(("PHRASE", chunk[1:-1]))
        elif chunk.startswith("["):
            if not chunk.endswith("]"):
                raise _syntax(f"the '[' at character {match.start() + 1} is never closed")
            tokens.append(("RANGE", chunk[1:-1]))
        elif chunk in ("AND", "OR", "NOT", "&&", "||"):
            tokens.append(({"&&": "AND", "||": "OR"}.get(chunk, chunk), chunk))
        else:
            tokens.extend(_lex_word(chunk))
    return tokens


def _lex_word(chunk: str) -> list[tuple[str, str]]:
    field = _FIELD.match(chunk)
    if field:
        name = field.group(1).casefold()
        if name not in FIELD_ALIASES:
            known = ", ".join(sorted({k for k in FIELD_ALIASES if k.isascii()}))
            raise _syntax(f"'{field.group(1)}:' is not a field we know (known: {known})")
        rest = field.group(2)
        return [("FIELD", FIELD_ALIASES[name])] + (_lex(rest) if rest else [])
    if chunk.startswith("~"):
        raise _syntax(f"'{chunk}': a '~' goes right after a word (fuzzy: facture~) or a "
                      'phrase (words near each other: "madame facture"~3)')
    if chunk.startswith("-") and len(chunk) > 1:
        return [("NOT", "-"), *_lex_word(chunk[1:])]
    if chunk.startswith("+") and len(chunk) > 1:
        return _lex_word(chunk[1:])
    return [("WORD", chunk)]


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and := unary (AND? unary)*."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else "EOF"

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.or_expr(None)
        if self.peek() == ")":
            raise _syntax("there is a ')' without its '('")
        if self.peek() != "EOF":
            raise _syntax(f"unexpected '{self.tokens[self.pos][1]}'")
        return node

    def or_expr(self, field: str | None) -> Node:
        items = [self.and_expr(field)]
        while self.peek() == "OR":
            self.take()
            if self.peek() in ("EOF", ")", "OR", "AND"):
                raise _syntax("OR needs words on both sides")
            items.append(self.and_expr(field))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self, field: str | None) -> Node:
        items = [self.unary(field)]
        while self.peek() not in ("OR", ")", "EOF"):
            if self.peek() == "AND":
                self.take()
                if self.peek() in ("EOF", ")", "OR", "AND"):
                    raise _syntax("AND needs words on both sides")
            items.append(self.unary(field))
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, field: str | None) -> Node:
        if self.peek() == "NOT":
            self.take()
            if self.peek() in ("EOF", ")", "OR", "AND"):
                raise _syntax("NOT must be followed by what to exclude")
            return Not(self.unary(field))
        return self.primary(field)

    def primary(self, field: str | None) -> Node:
        kind = self.peek()
        if kind in ("AND", "OR"):
            raise _syntax(f"{kind} needs words on both sides")
        if kind == "EOF":
            raise _syntax("the search ends where a word was expected")
        _, value = self.take()
        if kind == "(":
            node = self.or_expr(field)
            if self.peek() != ")":
                raise _syntax("a '(' is never closed")
            self.take()
            return node
        if kind == ")":
            raise _syntax("there is a ')' without its '('")
        if kind == "FIELD":
            if field is not None:
                raise _syntax("a field cannot be nested inside another field")
            if self.peek() in ("EOF", ")", "AND", "OR", "NOT", "FIELD"):
                raise _syntax(f"nothing follows '{value}:'")
            return self.primary(value)
        if field in DATE_FIELDS:
            return _date_node(field, value, kind)
        if kind == "RANGE":
            raise _syntax("[a TO b] ranges only work with date: and received:")
        if kind == "PHRASE":
            near = int(self.take()[1]) if self.peek() == "NEAR" else 0
            if near > MAX_NEAR:
                raise _syntax(f'"{value}"~{near}: at most ~{MAX_NEAR} words apart')
            return Phrase(value, field, near)
        return _word_node(value, field)


def _word_node(word: str, field: str | None) -> Term:
    fuzzy = _FUZZY.match(word)
    if fuzzy and fuzzy.group(1):
        return Term(fuzzy.group(1), field, fuzzy=min(int(fuzzy.group(2) or 1), 2))
    if "~" in word:
        raise _syntax(f"'{word}': a word takes '~' (one typing mistake) or '~2' (two) at its "
                      "end")
    if word.endswith("*") and "*" not in word[:-1]:
        if len(word) < 3:
            raise _syntax(f"'{word}': a prefix needs at least two letters before '*'")
        return Term(word[:-1], field, prefix=True)
    if "*" in word or "?" in word.rstrip("?"):
        raise _syntax(f"'{word}': only a '*' at the end of a word is supported")
    return Term(word, field)


def _date_node(field: str, value: str, kind: str) -> DateRange:
    """`2024`, `2024-01..2024-03`, `..2024-03`, `[2024-01-01 TO 2024-03-31]`, `[x TO *]`."""
    if kind == "RANGE":
        parts = re.split(r"\s+TO\s+", value.strip(), flags=re.IGNORECASE)
    elif ".." in value:
        parts = value.split("..", 1)
    else:
        parts = [value]
    if len(parts) not in (1, 2):
        raise _syntax(f"'{value}' is not a date range (write 2024-01..2024-03)")
    start: datetime | None
    end: datetime | None
    try:
        if len(parts) == 1:
            start, end = date_bounds(parts[0])
            return DateRange(field, start, end)
        low, high = (p.strip() for p in parts)
        start = date_bounds(low)[0] if low not in ("", "*") else None
        end = date_bounds(high)[1] if high not in ("", "*") else None
    except ValueError as exc:
        raise _syntax(f"{field}: {exc}") from exc
    if start and end and start > end:
        raise _syntax(f"{field}: the range starts after it ends ({value})")
    return DateRange(field, start, end)


def parse_query(text: str) -> Node:
    """Parse what a person typed; raise QuerySyntaxError with a plain sentence if we cannot."""
    if len(text) > 2000:
        raise _syntax("the search is too long (2000 characters at most)")
    tokens = _lex(plain(text))  # as the indexed text: ligatures and accents composed
    if not tokens:
        return MatchAll()
    try:
        return _Parser(tokens).parse()
    except RecursionError:
        raise _syntax("the search has too many nested parentheses") from None


def plain_words(node: Node) -> list[str] | None:
    """The words of a query made only of bare words ("AB 2024 0173"), else None."""
    items = node.items if isinstance(node, And) else (node,)
    if all(isinstance(i, Term) and i.field is None and not (i.prefix or i.fuzzy)
           for i in items):
        return [i.text for i in items if isinstance(i, Term)]
    return None
