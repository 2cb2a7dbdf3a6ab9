"""The index schema and the write-side speed-ups (part of the engine: only engine.py uses it).

FoldStemFilter (stop words, folding, stemming in one pass) and StemmedPositions (postings
without Whoosh's token objects, positions as uint32 arrays); the segment format is in codec.py.
Classes here are pickled into every index: moving or renaming one needs a SCHEMA_VERSION bump
in engine.py.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

from pipeline.search.analysis import OTHER_LANGUAGE, STEMMED_LANGUAGES
from pipeline.search.codec import from_le_bytes, to_le_bytes
from pipeline.search.translate import CONTENT_FIELDS, REF_FIELDS, fold_analyzer


class FoldStemFilter(Filter):
    """Stop words, accent folding and stemming in one pass with one plain dict cache.

    The same work as StopFilter | CharsetFilter(accent_map) | StemFilter, about 3x faster:
    indexing speed is dominated by per-token work. Stop words are checked before folding
    because the lists are spelled with accents ("été"); folding before stemming makes
    "réclamation" and "reclamation" one stem.
    """

    def __init__(self, lang: str, cachesize: int = 50_000) -> None:  # per cache, per language
        self.lang = lang
        self.cachesize = cachesize
        self._setup()

    def _setup(self) -> None:
        self.stops = frozenset(stopwords_for_language(self.lang))
        self.stem = stemmer_for_language(self.lang)
        self.cache: dict[str, str | None] = {}
        self.raw_cache: dict[str, str | None] = {}  # before lower case (StemmedPositions)

    def __getstate__(self) -> dict[str, Any]:  # the schema is pickled into the index
        return {"lang": self.lang, "cachesize": self.cachesize}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._setup()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldStemFilter) and other.lang == self.lang

    __hash__ = Filter.__hash__

    def _key(self, text: str) -> str | None:
        if len(text) < 2 or text in self.stops:
            return None
        return str(self.stem(text.translate(accent_map)))

    def lookup(self, text: str) -> str | None:
        """The indexed form of a lower-case word, None for a stop word (cached)."""
        try:
            return self.cache[text]
        except KeyError:
            out = self._key(text)
            if len(self.cache) < self.cachesize:
                self.cache[text] = out
            return out

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        cache, key = self.cache, self._key
        pos = None
        for token in tokens:
            text = token.text
            try:
                out = cache[text]
            except KeyError:
                out = key(text)
                if len(cache) < self.cachesize:
                    cache[text] = out
            if out is None:  # a stop word: kept (marked) only for highlighting
                if not token.removestops:
                    token.stopped = True
                    yield token
                continue
            if token.positions:  # renumber as StopFilter does, so phrases ignore stop words
                pos = token.pos if pos is None else pos + 1
                token.pos = pos
            token.stopped = False
            token.text = out
            yield token


class StemmedPositions(Positions):
    """Positions whose indexing skips Whoosh's token objects for FoldStemFilter fields.

    Whoosh builds a Token per word and passes it through three generators before counting
    positions; here one loop does tokenizer, lower case, the filter's cached stem and the
    same position numbering (stop words do not count). Any other analyzer: Whoosh's way.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        items: Any = getattr(analyzer, "items", ())
        if not (isinstance(value, str) and len(items) == 3
                and isinstance(items[0], RegexTokenizer) and not items[0].gaps
                and isinstance(items[1], LowercaseFilter) and isinstance(items[2], FoldStemFilter)):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        stems, raw = items[2], items[2].raw_cache
        poses: dict[str, list[int]] = {}
        pos = -1
        first = True
        for number, match in enumerate(items[0].expression.finditer(value)):
            word = match.group()
            try:
                out = raw[word]
            except KeyError:
                out = stems.lookup(word.lower())
                if len(raw) < stems.cachesize:
                    raw[word] = out
            if out is None:
                continue
            pos = number if first else pos + 1
            first = False
            poses.setdefault(out, []).append(pos)
        boost, encode = self.field_boost, self.encode
        for word, poslist in poses.items():
            yield word, len(poslist), len(poslist) * boost, encode(poslist)

    # Positions as a little-endian uint32 array instead of Whoosh's pickled deltas: a block's
    # values can then be read as one NumPy array (phrases in engine.fast), and encoding is
    # a C call instead of a pickle.

    def encode(self, poslist: Any) -> bytes:
        return to_le_bytes(array("I", poslist))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return from_le_bytes("I", valuestring).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return float(self.decode_frequency(valuestring) * self.field_boost)


def _content_analyzer(lang: str) -> Analyzer:
    if lang == OTHER_LANGUAGE:
        return fold_analyzer()
    return RegexTokenizer() | LowercaseFilter() | FoldStemFilter(lang)


def build_schema() -> Schema:
    fields: dict[str, Any] = {
        "id": ID(stored=True, unique=True, sortable=True),  # column: ids() without deleted
        "hit": STORED(),  # display values for SearchHit, one pickle instead of ten fields
        "text_z": STORED(),  # zlib-compressed text, only read to highlight the page of hits
        "sender": TEXT(analyzer=fold_analyzer(), field_boost=1.5),
        "sender_facet": ID(sortable=True),
        "subject": TEXT(analyzer=fold_analyzer()),
        "recipient": TEXT(analyzer=fold_analyzer()),
        "date": DATETIME(sortable=True),
        "received": DATETIME(),
        "year": ID(sortable=True),
        "needs_review": ID(),
        "confidential": ID(),
    }
    for name in (*REF_FIELDS, "doc_type", "language", "department", "urgency"):
        fields[name] = ID(sortable=name == "doc_type")  # doc_type is a facet
    for name, lang in zip(CONTENT_FIELDS, (*STEMMED_LANGUAGES, OTHER_LANGUAGE), strict=True):
        fields[name] = TEXT(analyzer=_content_analyzer(lang))
    for field in fields.values():  # every text field: one position encoding everywhere
        if isinstance(field, TEXT):
            field.format = StemmedPositions(field_boost=field.format.field_boost)
    return Schema(**fields)
