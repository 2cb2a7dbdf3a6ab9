"""Is this file complete yet? Pure decision logic; the clock and file facts are passed in.

A file is ready when its size and mtime have not changed for the quiet period AND its content
is whole (a PDF ends with %%EOF and parses with a page count seen twice; an image decodes to
its end). A file that never becomes whole is given up after `max_wait` (then: failed folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from pipeline.tools.wholeness import Wholeness, check_whole


class Decision(Enum):
    WAIT = "wait"
    READY = "ready"
    GIVE_UP = "give_up"
    GONE = "gone"


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    first_seen: float
    changed_at: float
    next_check: float
    backoff: float
    last_units: int | None = None  # pages/frames at the previous content check
    reason: str = ""


class StabilityTracker:
    """Tracks candidate files between polls; `observe()` says what to do with one."""

    def __init__(self, quiet_seconds: float, max_wait_seconds: float,
                 backoff_max_seconds: float, empty_max_wait_seconds: float = 60.0) -> None:
        self.quiet = quiet_seconds
        self.max_wait = max_wait_seconds
        self.backoff_max = backoff_max_seconds
        self.empty_max_wait = empty_max_wait_seconds
        self._seen: dict[Path, _Seen] = {}

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    def reason(self, path: Path) -> str:
        seen = self._seen.get(path)
        return seen.reason if seen else ""

    def observe(self, path: Path, now: float) -> Decision:
        """Look at `path` once (stat, and content when quiet long enough)."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            self.forget(path)
            return Decision.GONE
        seen = self._seen.get(path)
        if seen is None or (stat.st_size, stat.st_mtime_ns) != (seen.size, seen.mtime_ns):
            first = seen.first_seen if seen else now
            self._seen[path] = _Seen(stat.st_size, stat.st_mtime_ns, first, now,
                                     now + self.quiet, 1.0)
            return Decision.WAIT
        if now < seen.next_check:
            return Decision.WAIT
        whole = check_whole(path) if stat.st_size else Wholeness(False, 0, "the file is empty")
        if whole.complete and (whole.units is None or whole.units == seen.last_units
                               or whole.units_final):
            return Decision.READY
        seen.last_units, seen.reason = whole.units, whole.reason
        limit = self.empty_max_wait if stat.st_size == 0 else self.max_wait
        if now - seen.first_seen >= limit:
            return Decision.GIVE_UP
        seen.backoff = min(seen.backoff * 2, self.backoff_max)
        seen.next_check = now + (seen.backoff if not whole.complete else 0.5)
        return Decision.WAIT
