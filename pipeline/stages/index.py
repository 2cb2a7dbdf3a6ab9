"""Index stage: add the archived document to the search index.

The index is derived: when it cannot be written the document stays archived and registered,
marked 'to index', and the next pass (or `courrier reindex`) adds it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pipeline.context import Context
from pipeline.document import Document
from pipeline.errors import IndexUnavailableError
from pipeline.log import log_stage
from pipeline.search.analysis import check_sidecar


def run(doc: Document, ctx: Context) -> None:
    try:
        ctx.index.add([doc.to_sidecar()])
    except IndexUnavailableError as exc:
        doc.warnings.append(f"not indexed yet: {exc.message}. {exc.hint}")
        log_stage(doc.id, "index", "deferred", logging.WARNING, error=exc.message)
        return
    ctx.register.mark_indexed([doc.id])


def requeue_if_index_lost(ctx: Context) -> int:
    """If the index holds fewer documents than the register says were indexed (the index
    folder was deleted or replaced), put every archived document back in the queue."""
    try:
        in_index = ctx.index.count()
    except IndexUnavailableError:
        return 0  # reported by the add that follows
    indexed = ctx.register.counts()["indexed"]
    if in_index >= indexed:
        return 0
    log_stage("-", "index", "lost", logging.ERROR, in_index=in_index, indexed=indexed,
              action="re-adding every archived document from its sidecar")
    ids = [row["id"] for row in ctx.register.archived()]
    ctx.register.mark_indexed(ids, indexed=False)
    return len(ids)


def flush_pending(ctx: Context) -> int:
    """Index archived documents still marked 'to index', in batches; return how many."""
    requeue_if_index_lost(ctx)
    pending = ctx.register.pending_index()
    batch = max(1, ctx.config.index.batch_size)
    done = 0
    refused: set[str] = set()

    def refuse(sidecar: dict[str, Any], exc: Exception) -> None:
        refused.add(str(sidecar["id"]))
        log_stage(str(sidecar["id"]), "index", "skipped", logging.WARNING, error=str(exc))
    for start in range(0, len(pending), batch):
        sidecars = []
        for row in pending[start:start + batch]:
            path = (ctx.config.paths.archive / row["archive_path"]).with_suffix(".json")
            try:
                sidecars.append(check_sidecar(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError) as exc:  # stays "to index"; `courrier check` names it
                log_stage(row["id"], "index", "skipped", logging.WARNING, sidecar=path,
                          error=str(exc))
        try:
            ctx.index.add(sidecars, skip=refuse)  # one bad sidecar must not hold up the rest
        except IndexUnavailableError as exc:
            log_stage("-", "index", "deferred", logging.WARNING,
                      pending=len(pending) - done, error=exc.message)
            return done
        indexed = [str(s["id"]) for s in sidecars if str(s["id"]) not in refused]
        ctx.register.mark_indexed(indexed)
        done += len(indexed)
    return done


def sync_indexed_flags(ctx: Context) -> None:
    """After a rebuild: the register's "indexed" flag says what the new index really holds
    (a sidecar the rebuild skipped stays "to index", so `courrier check` names it)."""
    in_index = ctx.index.ids()
    archived = [row["id"] for row in ctx.register.archived()]
    ctx.register.mark_indexed([i for i in archived if i in in_index])
    ctx.register.mark_indexed([i for i in archived if i not in in_index], indexed=False)
