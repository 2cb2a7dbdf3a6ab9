"""Full-text search over the archive: the small public API.

    index = SearchIndex(config.paths.index, config.index)
    index.add([document.to_sidecar()])
    result = index.search('réclamation facture sender:ACME date:2024-01..2024-03')

Only `pipeline.search.engine` knows the engine (Whoosh); the rest of Courrier sees these
names and `IndexUnavailableError` / `QuerySyntaxError` from `pipeline.errors`.
"""

from __future__ import annotations

from pipeline.search.index import SearchIndex
from pipeline.search.results import SearchHit, SearchResult

__all__ = ["SearchHit", "SearchIndex", "SearchResult"]
