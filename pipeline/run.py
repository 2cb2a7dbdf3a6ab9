"""The orchestrator: one input, one Document, walked through the stages in order.

    ingest -> ocr -> extract -> classify -> archive -> register (commit point) -> index

Before the commit point any failure sends the input to the failed folder with a reason file
(transient faults are retried first). After it, the document is archived whatever happens.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import jobs
from pipeline.context import Context
from pipeline.document import Document
from pipeline.errors import CourrierError, InternalError, NotARegularFileError
from pipeline.fsutil import unique_path, write_json_durably
from pipeline.log import log_stage, timed
from pipeline.stages import archive, classify, extract, index, ingest, notify, ocr, register

Stage = Callable[[Document, Context], Any]

STAGES: list[tuple[str, Stage]] = [
    ("ingest", ingest.run),
    ("ocr", ocr.run),
    ("extract", extract.run),
    ("classify", classify.run),
    ("archive", archive.run),
    ("register", register.run),  # the commit point
]
AFTER_COMMIT: list[tuple[str, Stage]] = [("index", index.run), ("notify", notify.run)]


@dataclass
class Outcome:
    """What happened to one input: archived, duplicate, failed or skipped."""

    input: str
    status: str
    id: str | None = None
    archive_path: str | None = None
    registration_number: str | None = None
    duplicate_of: str | None = None
    error: dict[str, Any] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    failed_path: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input, "status": self.status, "id": self.id,
            "archive_path": self.archive_path,
            "registration_number": self.registration_number,
            "duplicate_of": self.duplicate_of, "error": self.error,
            "metadata": self.metadata, "warnings": self.warnings,
        }


def process_path(path: Path, ctx: Context) -> Outcome:
    """Claim `path` (rename from the inbox, copy from elsewhere) and process it."""
    special = jobs.special_entry(path) if jobs.is_in(path, ctx.config.paths.inbox) else None
    if special:
        err = NotARegularFileError(f"this is {special}, not a file")
        kept = jobs.refuse_entry(path, err, ctx.config)
        log_stage("-", "ingest", "failed", logging.ERROR, input=jobs.display_name(str(path)),
                  error=type(err).__name__, message=err.message)
        return Outcome(input=jobs.display_name(str(path)), status="failed",
                       error={"stage": "ingest", **err.to_dict()},
                       failed_path=jobs.display_name(str(kept)) if kept else None)
    job = jobs.claim(path, ctx.config, ctx.clock())
    if job is None:
        return Outcome(input=jobs.display_name(str(path)), status="skipped",
                       warnings=["taken by another Courrier process"])
    return process_job(job, ctx)


def process_job(job: jobs.Job, ctx: Context) -> Outcome:
    """Run the stages over a claimed job, retrying transient faults."""
    doc = job.doc
    retries = max(0, ctx.config.watch.transient_retries)
    for attempt in range(retries + 1):
        stage_name = "ingest"
        try:
            _fresh_work_dir(job)
            for stage_name, stage in STAGES:
                result = _run_stage(stage_name, stage, doc, ctx)
                if isinstance(result, ingest.Duplicate):
                    return _duplicate(job, result.of_id, ctx)
            break
        except CourrierError as err:
            if err.transient and attempt < retries:
                log_stage(doc.id, stage_name, "retry", logging.WARNING, attempt=attempt + 1,
                          error=err.message)
                time.sleep(min(2 ** attempt, ctx.config.stability.backoff_max_seconds))
                continue
            return _failed(job, err, stage_name, ctx)
        except Exception as exc:  # a bug: keep the input, explain, keep the service alive
            logging.getLogger("courrier").exception("unexpected error in stage %s", stage_name)
            return _failed(job, InternalError(f"{type(exc).__name__}: {exc}"), stage_name, ctx)
    for stage_name, stage in AFTER_COMMIT:
        try:
            _run_stage(stage_name, stage, doc, ctx)
        except Exception as exc:  # archived and registered: never undo that
            doc.warnings.append(f"{stage_name}: {exc}")
            log_stage(doc.id, stage_name, "error", logging.ERROR, error=str(exc))
    jobs.finish(job)
    return _archived(job)


def _run_stage(name: str, stage: Stage, doc: Document, ctx: Context) -> Any:
    with timed() as took:
        result = stage(doc, ctx)
    doc.timings[name] = took["ms"]
    log_stage(doc.id, name, "ok", ms=took["ms"], **_stage_facts(name, doc))
    return result


def _stage_facts(name: str, doc: Document) -> dict[str, Any]:
    if name == "ingest":
        return {"kind": doc.mime, "bytes": doc.size, "sha256": doc.sha256[:16],
                "name": doc.original_name}
    if name == "ocr":
        return {"pages": doc.page_count, "pdfa": doc.pdfa, "signed": doc.signed or None}
    if name == "extract":
        meta = doc.extraction.metadata()
        return {"sender": meta["sender"], "date": meta["date"], "ref": meta["reference"],
                "review": doc.extraction.needs_review or None}
    if name == "archive":
        return {"path": doc.archive_path}
    if name == "register":
        return {"number": doc.registration_number}
    return {}


def _fresh_work_dir(job: jobs.Job) -> None:
    """An empty work folder and no state left from an earlier attempt."""
    work = job.folder / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    doc = job.doc
    doc.work_dir = work
    doc.ocr_notes, doc.warnings, doc.pages, doc.timings = [], [], [], {}


def _archived(job: jobs.Job) -> Outcome:
    doc = job.doc
    metadata = {**doc.extraction.metadata(), "pages": doc.page_count}
    return Outcome(input=job.input_path, status="archived", id=doc.id,
                   archive_path=doc.archive_path, registration_number=doc.registration_number,
                   metadata=metadata, warnings=list(doc.warnings))


def _duplicate(job: jobs.Job, of_id: str, ctx: Context) -> Outcome:
    """Record the duplicate, keep (or drop) the input as configured, and say of what."""
    doc = job.doc
    existing = ctx.register.get(of_id) or {}
    folder = ctx.config.paths.duplicates
    folder.mkdir(parents=True, exist_ok=True)
    if ctx.config.watch.keep_duplicates:
        target = unique_path(folder, jobs.display_name(doc.original_name) or "input")
        shutil.move(str(doc.source), target)
        write_json_durably({
            "input": job.input_path, "sha256": doc.sha256, "duplicate_of": of_id,
            "registration_number": existing.get("registration_number"),
            "archive_path": existing.get("archive_path"),
            "hint": "The same file was already archived; nothing to do.",
        }, target.with_name(target.name + ".duplicate.json"))
    ctx.register.record_event(of_id, ctx.actor, "duplicate_received", job.input_path)
    jobs.finish(job)
    log_stage(doc.id, "ingest", "duplicate", of=of_id)
    return Outcome(input=job.input_path, status="duplicate", id=of_id,
                   archive_path=existing.get("archive_path"), duplicate_of=of_id,
                   registration_number=existing.get("registration_number"))


def _failed(job: jobs.Job, err: CourrierError, stage: str, ctx: Context) -> Outcome:
    doc = job.doc
    ctx.register.abandon_job(doc.id)
    if doc.original_path and not ctx.register.is_archived(doc.id):
        # Our own copy from the archive stage; the input itself goes to failed/.
        (ctx.config.paths.originals / doc.original_path).unlink(missing_ok=True)
    # Display form: a name with invalid UTF-8 bytes must not break the register or stdout.
    failed_path = jobs.display_name(str(jobs.fail(job, err, stage, ctx.config)))
    ctx.register.record_failure(doc.original_name, doc.sha256, failed_path, stage,
                                type(err).__name__, err.message)
    log_stage(doc.id, stage, "failed", logging.ERROR, error=type(err).__name__,
              message=err.message, kept=str(failed_path))
    return Outcome(input=job.input_path, status="failed", id=doc.id,
                   error={"stage": stage, **err.to_dict()}, failed_path=failed_path)


def catch_up(ctx: Context) -> None:
    """Retry the work that follows the commit point: indexing, then notifications."""
    from pipeline.register.notify import retry_notifications

    index.flush_pending(ctx)
    retry_notifications(ctx)


def resume_pending(ctx: Context) -> list[Outcome]:
    """Finish or redo jobs left in the processing folder by a dead process.

    `jobs.adopt_interrupted` skips jobs a live process holds (their lock) and settles folders
    with nothing left to do; each job it yields is ours, locked, with its input present.
    """
    outcomes: list[Outcome] = []
    for job in jobs.adopt_interrupted(ctx.config):
        log_stage(job.doc.id, "resume", "start", name=job.doc.original_name)
        if ctx.register.is_archived(job.doc.id):
            jobs.finish(job)  # archived and registered; only the cleanup was interrupted
            continue
        outcomes.append(process_job(job, ctx))
    return outcomes
