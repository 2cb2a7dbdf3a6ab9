"""Where the index lives on disk, who may write it, and what happened during a rebuild.

    index_dir/
      CURRENT            "gen-3": the generation readers open (replaced with os.replace)
      gen-3/             one complete Whoosh index + courrier-index.json (schema version)
      gen-4/             a rebuild in progress (or the next generation once swapped)
      REBUILD.json       present while a rebuild runs or waits to be resumed
      journal.jsonl      documents added/deleted by live ingest since the rebuild started
      write.lock         fcntl.flock: one Courrier writer at a time, across processes
      rebuild.lock       fcntl.flock: one rebuild at a time

flock locks belong to the open file: the kernel drops them when a process dies, so a killed
ingest or rebuild never leaves a lock that blocks the next one. No engine import here.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import IndexBusyError, IndexUnavailableError

log = logging.getLogger(__name__)

POINTER = "CURRENT"
REBUILD_STATE = "REBUILD.json"
JOURNAL = "journal.jsonl"
WRITE_LOCK = "write.lock"
REBUILD_LOCK = "rebuild.lock"
SCHEMA_FILE = "courrier-index.json"  # in each generation: {"schema_version": N}
_GEN = re.compile(r"^gen-(\d+)$")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write a small file so readers see the old or the new content, never half of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


@contextlib.contextmanager
def file_lock(path: Path, timeout: float, what: str, hint: str | None = None
              ) -> Iterator[None]:
    """Hold an exclusive flock on `path`, waiting up to `timeout` seconds.

    The holder's pid is written in the file only to make the timeout message useful.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise IndexUnavailableError(
            f"{what}: cannot open the lock file {path}: {exc.strerror or exc}",
            hint="The user running Courrier must be able to write in the index folder: "
            "check its owner and permissions.") from None
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise IndexBusyError(
                        f"{what}: another Courrier process (pid {holder}) has held the lock "
                        f"{path} for more than {timeout:g} s", hint=hint) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class Layout:
    """Paths and pointer handling for one index folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def write_lock(self, timeout: float) -> contextlib.AbstractContextManager[None]:
        return file_lock(self.root / WRITE_LOCK, timeout, "index write")

    def rebuild_lock(self, timeout: float) -> contextlib.AbstractContextManager[None]:
        return file_lock(self.root / REBUILD_LOCK, timeout, "index rebuild",
                         hint="Another `courrier reindex` (or `check --repair`) is rebuilding "
                         "this index: wait for it to finish, then run yours if still needed.")

    def current(self) -> Path | None:
        """The live generation folder, or None when no index was ever created."""
        try:
            name = (self.root / POINTER).read_bytes().decode("utf-8", "replace").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise IndexUnavailableError(
                f"{self.root / POINTER} cannot be read: {exc.strerror or exc}") from None
        if not _GEN.match(name):
            raise IndexUnavailableError(f"{self.root / POINTER} is damaged (reads {name[:40]!r})")
        return self.root / name

    def generations(self) -> list[Path]:
        """Every gen-N folder, oldest first."""
        if not self.root.is_dir():
            return []
        found = [(int(m.group(1)), p) for p in self.root.iterdir() if (m := _GEN.match(p.name))]
        return [p for _, p in sorted(found)]

    def next_generation(self) -> Path:
        numbers = [int(_GEN.match(p.name).group(1)) for p in self.generations()]  # type: ignore[union-attr]
        return self.root / f"gen-{max(numbers, default=0) + 1}"

    def swap(self, generation: Path) -> None:
        """Point readers at `generation` in one atomic rename."""
        write_atomic(self.root / POINTER, generation.name + "\n")

    # --- rebuild state and the live-ingest journal ----------------------------------------

    def rebuild_state(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.root / REBUILD_STATE).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def start_rebuild(self, state: dict[str, Any]) -> None:
        """Called under the write lock: from now on live writes are journaled too."""
        write_atomic(self.root / REBUILD_STATE, json.dumps(state))

    def finish_rebuild(self) -> None:
        """Called under the write lock after the swap: the journal has been replayed."""
        for name in (JOURNAL, REBUILD_STATE):
            with contextlib.suppress(FileNotFoundError):
                (self.root / name).unlink()

    def journal(self, op: str, payloads: list[Any]) -> None:
        """Append live writes while a rebuild runs (caller holds the write lock)."""
        if not payloads or not (self.root / REBUILD_STATE).exists():
            return
        lines = "".join(json.dumps({"op": op, "value": p}) + "\n" for p in payloads)
        with open(self.root / JOURNAL, "a", encoding="utf-8") as handle:
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())

    def read_journal(self) -> Iterator[tuple[str, Any]]:
        """Replay order = write order; a torn last line (crash mid-append) is skipped."""
        path = self.root / JOURNAL
        if not path.exists():
            return
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    entry = json.loads(line)
                except ValueError:
                    entry = None
                if not isinstance(entry, dict) or entry.get("op") not in ("add", "delete") \
                        or "value" not in entry:
                    log.warning("%s line %d is not a journal entry: skipped", path, number)
                    continue
                yield entry["op"], entry["value"]


def is_generation_name(name: object) -> bool:
    """True for "gen-N": the only folder names a rebuild or CURRENT may point to."""
    return isinstance(name, str) and bool(_GEN.match(name))


def read_schema_version(path: Path) -> int | None:
    try:
        return int(json.loads((path / SCHEMA_FILE).read_text())["schema_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
