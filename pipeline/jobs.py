"""Job folders: how an input is claimed, resumed after a crash, failed or finished.

A claimed input lives in `processing/<id>/` with `job.json`; the claim is an atomic rename
from the inbox, so two watchers, or a watcher and `courrier ingest`, never take one file twice.
Inputs given outside the inbox are copied, never moved.

Every job folder holds `job.lock`, flock'ed by the process working on it for the job's whole
life: a second process starting up (and resuming interrupted jobs) skips the jobs of a live
process, and the lock vanishes with a killed process, so its jobs are resumed by the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.document import Document
from pipeline.errors import CourrierError, FileBusyError, StorageError
from pipeline.fsutil import copy_durably, fsync_dir, unique_path, write_json_durably

JOB_FILE = "job.json"
LOCK_FILE = "job.lock"
FAILURE_FILE = "failure.json"  # written before the input leaves for failed/: fail() is redoable
CLAIM_PREFIX = ".claim-"  # a job folder being prepared; renamed to its id once job.json is in
STAGING = ".courrier-claims"  # inside the inbox, for claims across filesystems (EXDEV)
STALE_CLAIM_SECONDS = 60.0


@dataclass
class Job:
    doc: Document
    folder: Path
    input_path: str  # where the user's file was (display form)
    from_inbox: bool
    raw_name_hex: str  # the exact original file name bytes, to restore it on failure
    lock: int | None = None  # fd holding the flock on job.lock while we work on the job


def display_name(name: str) -> str:
    """A file name as text safe for JSON and logs (invalid bytes shown as U+FFFD)."""
    return os.fsencode(name).decode("utf-8", "replace")


def is_in(path: Path, folder: Path) -> bool:
    """Is `path` an entry of `folder` (or below)? A link is judged where it is, not where it
    points: a link dropped in the inbox is an inbox entry."""
    try:
        (path.parent.resolve() / path.name).relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _try_lock(folder: Path) -> int | None:
    """Take the job folder's lock without waiting; None when a live process holds it."""
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except (FileNotFoundError, NotADirectoryError):
        return None  # the folder vanished: its owner finished it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def is_held(folder: Path) -> bool:
    """A live process is working on this job folder right now."""
    fd = _try_lock(folder)
    if fd is None:
        return folder.exists()
    os.close(fd)
    return False


def hold_work_folder(folder: Path) -> int:
    """Lock a scratch folder under processing/ as a live job's (close the fd to release):
    `check` and the watcher leave it alone, and remove it once its process is dead."""
    fd = _try_lock(folder)
    if fd is None:
        raise StorageError(f"cannot lock the work folder {folder}")
    return fd


def release(job: Job) -> None:
    if job.lock is not None:
        os.close(job.lock)
        job.lock = None


def claim(path: Path, config: Config, now: datetime) -> Job | None:
    """Take `path` into a new job folder; None if another process took it first.

    Raises FileBusyError when the file cannot be moved yet (locked or busy on a share).
    """
    job_id = secrets.token_hex(6)
    root = config.paths.processing
    root.mkdir(parents=True, exist_ok=True)
    preparing = root / f"{CLAIM_PREFIX}{job_id}"
    preparing.mkdir()
    lock = _try_lock(preparing)
    folder = root / job_id
    suffix = "".join(c for c in path.suffix.lower()[:8] if c.isalnum() or c == ".")
    claimed = folder / f"input{suffix}"
    from_inbox = is_in(path, config.paths.inbox)
    doc = Document(id=job_id, source=claimed, original_name=display_name(path.name),
                   received_at=now.isoformat(timespec="seconds"))
    job = Job(doc, folder, display_name(str(path)), from_inbox, os.fsencode(path.name).hex(),
              lock)
    record: dict[str, Any] = {
        "id": job_id, "original_name": doc.original_name, "raw_name_hex": job.raw_name_hex,
        "input_path": job.input_path, "from_inbox": from_inbox,
        "received_at": doc.received_at, "claimed": claimed.name, "staged": None,
    }
    if from_inbox and not _same_fs(path.parent, root):
        record["staged"] = str(config.paths.inbox / STAGING / f"{job_id}{suffix}")
    # job.json first: a crash after the input moves then always leaves a resumable job.
    write_json_durably(record, preparing / JOB_FILE)
    os.rename(preparing, folder)  # the lock fd follows the folder (same inode)
    fsync_dir(root)
    try:
        _take_input(path, claimed, from_inbox, record["staged"])
    except FileNotFoundError:
        _drop(job)
        return None
    except OSError as exc:
        _drop(job)
        raise FileBusyError(f"cannot take the file yet: {exc.strerror or exc}") from exc
    return job


def _take_input(path: Path, claimed: Path, from_inbox: bool, staged: str | None) -> None:
    if not from_inbox:
        copy_durably(path, claimed)
        return
    if staged is None:
        os.rename(path, claimed)  # atomic: exactly one claimant wins
        fsync_dir(claimed.parent)
        fsync_dir(path.parent)
        return
    # Inbox on another filesystem (a network share): an atomic rename inside the share
    # decides who wins, then a durable copy brings the file here.
    Path(staged).parent.mkdir(exist_ok=True)
    os.rename(path, staged)
    fsync_dir(path.parent)
    _finish_staging(Path(staged), claimed)


def _finish_staging(staged: Path, claimed: Path) -> None:
    if not claimed.exists():
        copy_durably(staged, claimed)
    staged.unlink()
    fsync_dir(staged.parent)


def _drop(job: Job) -> None:
    shutil.rmtree(job.folder, ignore_errors=True)
    release(job)


def load_job(folder: Path) -> Job | None:
    """Re-open a job folder left by an interrupted run; None if it holds nothing to resume."""
    try:
        data = json.loads((folder / JOB_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    claimed = folder / data["claimed"]
    staged = data.get("staged")
    if staged and not claimed.exists() and Path(staged).exists():
        _finish_staging(Path(staged), claimed)  # crashed while copying from the share
    doc = Document(id=data["id"], source=claimed, original_name=data["original_name"],
                   received_at=data["received_at"])
    return Job(doc, folder, data["input_path"], bool(data["from_inbox"]), data["raw_name_hex"])


def adopt_interrupted(config: Config) -> Iterator[Job]:
    """Jobs left by dead processes, locked for us, whose input is still here.

    Folders holding nothing to resume (a claim that never took its file, a failure or a
    cleanup that was interrupted) are settled and removed on the way.
    """
    root = config.paths.processing
    if not root.exists():
        return
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            if folder.name.startswith(CLAIM_PREFIX) and \
                    time.time() - folder.stat().st_mtime < STALE_CLAIM_SECONDS:
                continue  # being prepared by a live claimant right now
        except FileNotFoundError:
            continue  # finished by its owner meanwhile
        lock = _try_lock(folder)
        if lock is None:
            continue  # a live process owns it
        _complete_failure(folder)
        job = None if folder.name.startswith(CLAIM_PREFIX) else load_job(folder)
        if job is None or not job.doc.source.exists():
            shutil.rmtree(folder, ignore_errors=True)
            os.close(lock)
            continue
        job.lock = lock
        yield job


def fail(job: Job, error: CourrierError, stage: str, config: Config) -> Path:
    """Move the input to the failed folder with a reason file beside it; return its path."""
    failed_dir = config.paths.failed
    failed_dir.mkdir(parents=True, exist_ok=True)
    raw_name = os.fsdecode(bytes.fromhex(job.raw_name_hex)) or "input"
    target = unique_path(failed_dir, _shorten(raw_name))
    reason = {
        "input": job.input_path,
        "original_name": job.doc.original_name,
        "failed_file": display_name(target.name),
        "stage": stage,
        "sha256": job.doc.sha256 or None,
        "received_at": job.doc.received_at,
        **error.to_dict(),
    }
    # The plan goes into the job folder first, so a crash half-way is finished on restart.
    write_json_durably({"target": os.fsencode(str(target)).hex(), "reason": reason,
                        "source": job.doc.source.name}, job.folder / FAILURE_FILE)
    _complete_failure(job.folder)
    release(job)
    return target


def _complete_failure(folder: Path) -> None:
    """Carry out a failure recorded in `folder` (idempotent), then drop the folder."""
    try:
        plan = json.loads((folder / FAILURE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    target = Path(os.fsdecode(bytes.fromhex(plan["target"])))
    source = folder / plan["source"]
    if source.exists():
        if target.exists():  # taken meanwhile (should not happen): never overwrite
            target = unique_path(target.parent, target.name)
            plan["reason"]["failed_file"] = display_name(target.name)
        if _same_fs(source, target.parent):
            os.rename(source, target)
        else:
            shutil.move(str(source), target)
        fsync_dir(target.parent)
    write_json_durably(plan["reason"], target.with_name(target.name + ".error.json"))
    shutil.rmtree(folder, ignore_errors=True)


def finish(job: Job) -> None:
    """Drop the job folder once the document is archived and registered."""
    shutil.rmtree(job.folder, ignore_errors=True)
    fsync_dir(job.folder.parent)
    release(job)


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


def special_entry(path: Path) -> str | None:
    """What `path` is when it is not a regular file (a link, a pipe, a device...), else None."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a pipe, socket or device"


def refuse_entry(path: Path, error: CourrierError, config: Config) -> Path | None:
    """Move an inbox entry that is not a regular file to failed/ without following it.

    Following a link would copy whatever it points to (any file the service can read, or
    /dev/zero) into the archive folders.
    """
    target = unique_path(config.paths.failed, _shorten(path.name))
    try:
        os.rename(path, target)  # renames the link itself, never its target
    except FileNotFoundError:
        return None
    except OSError:  # another filesystem: a link can be re-created, anything else stays
        if not path.is_symlink():
            raise
        os.symlink(os.readlink(path), target)
        os.unlink(path)
    write_json_durably({"input": display_name(str(path)), "original_name":
                        display_name(path.name), "stage": "ingest", "sha256": None,
                        **error.to_dict()}, target.with_name(target.name + ".error.json"))
    return target
