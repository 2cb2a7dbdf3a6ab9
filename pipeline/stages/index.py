"""Index stage: add the archived document to the search index.

The index is derived: when it cannot be written the document stays archived and registered,
marked 'to index', and the next pass (or `courrier reindex`) adds it.
"""

from __future__ import annotations

import json
import logging

from pipeline.context import Context
from pipeline.document import Document
from pipeline.errors import IndexUnavailableError
from pipeline.log import log_stage


def run(doc: Document, ctx: Context) -> None:
    try:
        ctx.index.add([doc.to_sidecar()])
    except IndexUnavailableError as exc:
        doc.warnings.append(f"not indexed yet: {exc.message}. {exc.hint}")
        log_stage(doc.id, "index", "deferred", logging.WARNING, error=exc.message)
        return
    ctx.register.mark_indexed([doc.id])


def flush_pending(ctx: Context) -> int:
    """Index archived documents still marked 'to index'; return how many were added."""

    pending = ctx.register.pending_index()
    if not pending:
        return 0
    sidecars = []
    for row in pending:
        path = (ctx.config.paths.archive / row["archive_path"]).with_suffix(".json")
        try:
            sidecars.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # `courrier check` reports a missing sidecar
    try:
        ctx.index.add(sidecars)
    except IndexUnavailableError as exc:
        log_stage("-", "index", "deferred", logging.WARNING, pending=len(sidecars),
                  error=exc.message)
        return 0
    ctx.register.mark_indexed([s["id"] for s in sidecars])
    return len(sidecars)
