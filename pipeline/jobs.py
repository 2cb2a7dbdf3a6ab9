"""Job folders: how an input is claimed, resumed after a crash, failed or finished.

A claimed input lives in `processing/<id>/` with `job.json`; the claim is an atomic rename
from the inbox (same filesystem), so two watchers, or a watcher and `courrier ingest`, never
take one file twice. Inputs given outside the inbox are copied, never moved.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.config import Config
from pipeline.document import Document
from pipeline.errors import CourrierError
from pipeline.fsutil import copy_durably, fsync_dir, unique_path, write_json_durably

JOB_FILE = "job.json"


@dataclass
class Job:
    doc: Document
    folder: Path
    input_path: str  # where the user's file was (display form)
    from_inbox: bool
    raw_name_hex: str  # the exact original file name bytes, to restore it on failure


def display_name(name: str) -> str:
    """A file name as text safe for JSON and logs (invalid bytes shown as U+FFFD)."""
    return os.fsencode(name).decode("utf-8", "replace")


def is_in(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def claim(path: Path, config: Config, now: datetime) -> Job | None:
    """Take `path` into a new job folder; None if another process took it first."""
    job_id = secrets.token_hex(6)
    folder = config.paths.processing / job_id
    folder.mkdir(parents=True)
    suffix = "".join(c for c in path.suffix.lower()[:8] if c.isalnum() or c == ".")
    claimed = folder / f"input{suffix}"
    from_inbox = is_in(path, config.paths.inbox)
    doc = Document(id=job_id, source=claimed, original_name=display_name(path.name),
                   received_at=now.isoformat(timespec="seconds"))
    job = Job(doc, folder, display_name(str(path)), from_inbox, os.fsencode(path.name).hex())
    # job.json first: a crash after the rename then always leaves a job that can be resumed.
    write_json_durably({
        "id": job_id, "original_name": doc.original_name, "raw_name_hex": job.raw_name_hex,
        "input_path": job.input_path, "from_inbox": from_inbox,
        "received_at": doc.received_at, "claimed": claimed.name,
    }, folder / JOB_FILE)
    if from_inbox:
        try:
            os.rename(path, claimed)  # atomic: exactly one claimant wins
        except FileNotFoundError:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        fsync_dir(folder)
        fsync_dir(path.parent)
    else:
        copy_durably(path, claimed)
    return job


def load_job(folder: Path) -> Job | None:
    """Re-open a job folder left by an interrupted run; None if it holds nothing to resume."""
    try:
        data = json.loads((folder / JOB_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    claimed = folder / data["claimed"]
    doc = Document(id=data["id"], source=claimed, original_name=data["original_name"],
                   received_at=data["received_at"])
    return Job(doc, folder, data["input_path"], bool(data["from_inbox"]), data["raw_name_hex"])


def fail(job: Job, error: CourrierError, stage: str, config: Config) -> Path:
    """Move the input to the failed folder with a reason file beside it; return its path."""
    failed_dir = config.paths.failed
    failed_dir.mkdir(parents=True, exist_ok=True)
    raw_name = os.fsdecode(bytes.fromhex(job.raw_name_hex)) or "input"
    target = unique_path(failed_dir, _shorten(raw_name))
    if job.doc.source.exists():
        os.rename(job.doc.source, target) if _same_fs(job.doc.source, failed_dir) \
            else shutil.move(str(job.doc.source), target)
    fsync_dir(failed_dir)
    reason = {
        "input": job.input_path,
        "original_name": job.doc.original_name,
        "failed_file": display_name(target.name),
        "stage": stage,
        "sha256": job.doc.sha256 or None,
        "received_at": job.doc.received_at,
        **error.to_dict(),
    }
    write_json_durably(reason, target.with_name(target.name + ".error.json"))
    shutil.rmtree(job.folder, ignore_errors=True)
    return target


def finish(job: Job) -> None:
    """Drop the job folder once the document is archived and registered."""
    shutil.rmtree(job.folder, ignore_errors=True)
    fsync_dir(job.folder.parent)


def _same_fs(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def _shorten(name: str, limit: int = 200) -> str:
    """Keep failed names within filesystem limits (255 bytes) with room for suffixes."""
    encoded = os.fsencode(name)
    if len(encoded) <= limit:
        return name
    stem, suffix = os.path.splitext(name)
    keep = limit - len(os.fsencode(suffix))
    return os.fsdecode(os.fsencode(stem)[:keep]).rstrip() + suffix
