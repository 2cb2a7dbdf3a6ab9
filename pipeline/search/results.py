"""What a search returns: plain data, no engine objects (safe to print, pickle or turn to JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SearchHit:
    """One letter found. `snippet` is plain text with matched words marked [[like this]]."""

    id: str
    score: float
    sender: str | None
    date: str | None
    reference: str | None
    their_reference: str | None
    subject: str | None
    archive_path: str
    registration_number: str | None
    doc_type: str | None
    snippet: str
    confidential: bool


@dataclass
class SearchResult:
    """One page of hits, the total number of matches and facet counts over all matches."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    page: int = 1
    limit: int = 10

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def top_counts(groups: dict[Any, int]) -> dict[str, int]:
    """Facet counts, largest first, without the empty value, at most 50."""
    pairs = [(str(k), int(v)) for k, v in groups.items() if k not in (None, "", b"")]
    pairs.sort(key=lambda kv: (-kv[1], kv[0]))
    return dict(pairs[:50])
