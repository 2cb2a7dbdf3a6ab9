"""Parsed query tree -> Whoosh query (the query half of the engine; only engine.py uses it).

Each word is analysed as the field it targets is: stemmed per language in the content
fields, folded in names, one normalised key for references.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import Schema
from whoosh.matching import AndNotMatcher, ListMatcher, NullMatcher
from whoosh.support.charset import accent_map

from pipeline.search import query as q
from pipeline.search.analysis import (
    OTHER_LANGUAGE,
    STEMMED_LANGUAGES,
    fold,
    language_code,
    looks_like_reference,
    normalize_reference,
)

CONTENT_FIELDS = tuple(f"content_{lang}" for lang in (*STEMMED_LANGUAGES, OTHER_LANGUAGE))
REF_FIELDS = ("reference", "their_reference", "registration_number")
KEYWORD_FIELDS = ("doc_type", "language", "department", "urgency", "id")
# What an ignored stop word adds to a letter's score: next to nothing (Whoosh reads 0 as
# "no constant", so it cannot be 0).
STOP_WORD_SCORE = 0.001
REFERENCE_BOOST = 20.0  # a pasted reference must put its own letter above letters citing it


def fold_analyzer() -> Analyzer:
    """Words, lower case, accents folded: names, subjects and the unknown-language field."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


class _Or(wq.Or):
    """Or as a tree of union matchers: Whoosh's default preloads every posting of segments
    under 5 000 documents into arrays, which defeats the top-N block skipping."""

    matcher_type = wq.Or.DEFAULT_MATCHER


class _AndNotMatcher(AndNotMatcher):
    """Whoosh 2.7.5's AndNotMatcher only compares the first ids of both sides: when the
    excluded side starts lower (NOT relance: [0, 1, ...], facture: [1, ...]) the first
    positive document leaks through although it holds the excluded word."""

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active() and self.b.id() < self.a.id():
            self.b.skip_to(self.a.id())
        super()._find_first()


class AndNot(wq.AndNot):
    """`a AND NOT b` with the fixed matcher above."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _AndNotMatcher(self.a.matcher(searcher, context),
                              self.b.matcher(searcher, searcher.boolean_context()))


class _Phrase(wq.Phrase):
    """Words next to each other in this order (slop 1), found by stepping through the
    documents holding every word and comparing position sets: several times faster than
    Whoosh's span matchers on common words. Scored as the sum of the words' scores."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        if self.slop != 1 or self.fieldname not in searcher.schema or any(
                (self.fieldname, word) not in reader for word in self.words):
            return super().matcher(searcher, context)
        terms = [wq.Term(self.fieldname, word).matcher(searcher, context) for word in self.words]
        ids: list[int] = []
        scores: list[float] = []
        lead, others = terms[0], terms[1:]
        while lead.is_active():
            docnum = lead.id()
            ahead = _align(others, docnum)
            if ahead is None:
                break
            if ahead > docnum:
                lead.skip_to(ahead)
                continue
            if _adjacent(terms):
                ids.append(docnum)
                scores.append(sum(m.score() for m in terms) * self.boost)
            lead.next()
        return ListMatcher(ids, weights=scores) if ids else NullMatcher()


def _align(matchers: list[Any], docnum: int) -> int | None:
    """Move each matcher to `docnum` or past it; the largest id reached, None at an end."""
    furthest = docnum
    for m in matchers:
        if m.is_active() and m.id() < docnum:
            m.skip_to(docnum)
        if not m.is_active():
            return None
        furthest = max(furthest, m.id())
    return furthest


def _adjacent(matchers: list[Any]) -> bool:
    """True if the i-th word is at some position p + i for all i (matchers on one doc)."""
    starts = set(matchers[0].value_as("positions"))
    for offset, m in enumerate(matchers[1:], 1):
        starts &= {pos - offset for pos in m.value_as("positions")}
        if not starts:
            return False
    return True


class Translator:
    """Parsed query tree -> Whoosh query, analysing each word as the target field does."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def top(self, node: q.Node) -> Any:
        translated = self.node(node)
        words = q.plain_words(node)
        if words and len(words) > 1 and looks_like_reference("".join(words)):
            # "AB 2024 0173" typed with spaces: also try it as one reference.
            translated = _Or([translated, self.refs("".join(words), boost=REFERENCE_BOOST)])
        return translated

    def node(self, node: q.Node) -> Any:
        if isinstance(node, q.MatchAll):
            return wq.Every()
        if isinstance(node, q.And | q.Or):
            return self.boolean(node)
        if isinstance(node, q.Not):
            return AndNot(wq.Every(), self.node(node.item))
        if isinstance(node, q.DateRange):
            return wq.DateRange(node.field, node.start, node.end)
        if node.field is None:
            return self.default_fields(node)
        return self.field(node)

    def boolean(self, node: q.And | q.Or) -> Any:
        if isinstance(node, q.Or):
            return _Or([self.node(item) for item in node.items])
        # A part with nothing searchable in it (".", "&", "–" pasted with the text) is left
        # out rather than required, which would find nothing.
        positive = [p for p in (self.node(i) for i in node.items if not isinstance(i, q.Not))
                    if p is not wq.NullQuery]
        negative = [self.node(i.item) for i in node.items if isinstance(i, q.Not)]
        if not positive and len(negative) < len(node.items):
            return wq.NullQuery  # only unsearchable words and exclusions: nothing to find
        base = wq.And(positive) if positive else wq.Every()
        return AndNot(base, _Or(negative)) if negative else base

    def default_fields(self, node: q.Term | q.Phrase) -> Any:
        parts = [self.text(f, node) for f in (*CONTENT_FIELDS, "sender")]
        if isinstance(node, q.Term) and any(t.text for t in fold_analyzer()(node.text)):
            # A stop word of one language ("le", "the", "über") is not indexed in that
            # language's field: there it is ignored, i.e. it holds for every letter in that
            # language, or "le contrat" would find no French letter at all.
            for lang, field in zip(STEMMED_LANGUAGES, CONTENT_FIELDS, strict=False):
                if parts[CONTENT_FIELDS.index(field)] is None:
                    parts.append(wq.ConstantScoreQuery(wq.Term("language", lang),
                                                       STOP_WORD_SCORE))
        plain = isinstance(node, q.Phrase) or not (node.prefix or node.fuzzy)
        if plain and looks_like_reference(node.text):
            parts.append(self.refs(node.text, boost=REFERENCE_BOOST))
        found = [p for p in parts if p is not None]
        return _Or(found) if found else wq.NullQuery

    def field(self, node: q.Term | q.Phrase) -> Any:
        name = node.field or ""
        prefix = isinstance(node, q.Term) and node.prefix
        if name == "ref":
            return self.refs(node.text, prefix=prefix)
        if name in ("their_reference", "registration_number"):
            key = normalize_reference(node.text)
            return wq.Prefix(name, key) if prefix else wq.Term(name, key)
        if name == "needs_review":
            yes = fold(node.text) in ("yes", "true", "1", "oui", "ja")
            return wq.Term(name, "yes" if yes else "no")
        if name in KEYWORD_FIELDS:
            key = language_code(node.text) if name == "language" else fold(node.text).strip()
            return wq.Prefix(name, key) if prefix else wq.Term(name, key)
        result = self.text(name, node)
        return wq.NullQuery if result is None else result

    def refs(self, text: str, *, prefix: bool = False, boost: float = 1.0) -> Any:
        key = normalize_reference(text)
        kind = wq.Prefix if prefix else wq.Term
        return _Or([kind(f, key) for f in REF_FIELDS], boost=boost)

    def text(self, field: str, node: q.Term | q.Phrase) -> Any | None:
        """One word or phrase against one analysed field; None when nothing is left of it."""
        analyzer = self.schema[field].analyzer
        if isinstance(node, q.Term) and node.prefix:
            folded = [t.text for t in fold_analyzer()(node.text)]
            if not folded:
                return None
            stems = [t.text for t in analyzer(folded[-1], mode="query")]
            last = _Or([wq.Prefix(field, p) for p in {folded[-1], *stems}])
            return wq.And([*(wq.Term(field, w) for w in folded[:-1]), last])
        words = [t.text for t in analyzer(node.text, mode="query")]
        if not words:
            return None
        if len(words) > 1:
            near = node.near if isinstance(node, q.Phrase) else 0
            return _Phrase(field, words, slop=1 + near)  # Whoosh: slop 1 = next to each other
        if isinstance(node, q.Term) and node.fuzzy:
            return wq.FuzzyTerm(field, words[0], maxdist=node.fuzzy, prefixlength=1)
        return wq.Term(field, words[0])
