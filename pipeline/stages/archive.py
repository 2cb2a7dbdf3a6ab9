"""Archive stage: choose the archive path and store the original, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.context import Context
from pipeline.document import Document
from pipeline.errors import StorageError
from pipeline.fsutil import copy_durably, sha256_file
from pipeline.naming import render, template_values


def run(doc: Document, ctx: Context) -> None:
    """Set `doc.archive_path` (free, never an existing file) and copy the original."""
    cfg = ctx.config
    relative = render(
        cfg.archive.template,
        template_values(doc.id, doc.extraction.metadata(), doc.received_at, doc.department),
        cfg.archive.max_component_length, cfg.archive.unknown,
    )
    doc.archive_path = _free_path(cfg.paths.archive, relative, doc.id, ctx)
    suffix = doc.source.suffix if doc.source.suffix else ".bin"
    doc.original_path = f"{doc.received_at[:4]}/{doc.received_at[5:7]}/{doc.id}{suffix}"
    target = cfg.paths.originals / doc.original_path
    mode = cfg.archive.confidential_mode if doc.extraction.confidential else None
    try:
        if target.exists():  # left by an interrupted run of this same job
            target.unlink()
        copy_durably(doc.source, target, mode=mode)
    except OSError as exc:
        raise StorageError(f"cannot store the original at {target}: {exc}") from exc
    if sha256_file(target) != doc.sha256:
        raise StorageError(f"the stored original {target} differs from the input")


def _free_path(root: Path, relative: str, doc_id: str, ctx: Context) -> str:
    """`relative`, or `stem-2.pdf`, ...: the first that is free or our own leftover."""
    stem, suffix = relative[: -len(".pdf")], ".pdf"
    candidate, counter = relative, 2
    while (root / candidate).exists() and not _is_own_leftover(root / candidate, doc_id, ctx):
        candidate = f"{stem}-{counter}{suffix}"
        counter += 1
    return candidate


def _is_own_leftover(path: Path, doc_id: str, ctx: Context) -> bool:
    """A file this job wrote before a crash, never registered: safe to replace."""
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        try:
            return bool(json.loads(sidecar.read_text(encoding="utf-8")).get("id") == doc_id) \
                and not ctx.register.is_archived(doc_id)
        except (OSError, ValueError):
            return False
    return False
