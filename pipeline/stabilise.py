"""Is this file complete yet? Pure decision logic; the clock and file facts are passed in.

A file is ready when its size and mtime have not changed for the quiet period AND its content
is whole (a PDF ends with %%EOF and parses, an image decodes to its end) AND, for PDFs and
TIFFs, the page count is the same at two content checks a quiet period apart (a scanner that
writes a whole PDF after each page looks complete after every page). A file that never
becomes whole is re-checked with growing pauses and given up after `max_wait` (then: failed).
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
    checked: bool = False  # a content check happened since the last change
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

    def limit(self, path: Path) -> float:
        """The waiting limit that applies to `path` (empty files have a shorter one)."""
        seen = self._seen.get(path)
        return self.empty_max_wait if seen is not None and seen.size == 0 else self.max_wait

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
            if seen is not None:  # still changing: keep the reason for a give-up message
                self._seen[path].reason = "the file was still growing"
            return self._limit_reached(path, now) or Decision.WAIT
        if now < seen.next_check and not self._limit_reached(path, now):
            return Decision.WAIT  # the limit forces one last look, whatever the backoff
        whole = check_whole(path) if stat.st_size else Wholeness(False, 0, "the file is empty")
        if whole.complete and (whole.units_final or self._limit_reached(path, now) or (
                seen.checked and whole.units == seen.last_units)):
            return Decision.READY  # at the limit a whole file is taken rather than failed
        seen.last_units, seen.reason = whole.units, whole.reason
        seen.checked = whole.complete
        if self._limit_reached(path, now):
            return Decision.GIVE_UP
        if whole.complete:  # confirm after one more quiet period that nothing was added
            seen.next_check = now + max(self.quiet, 0.5)
        else:
            seen.next_check = now + seen.backoff
            seen.backoff = min(seen.backoff * 2, self.backoff_max)
        return Decision.WAIT

    def _limit_reached(self, path: Path, now: float) -> Decision | None:
        seen = self._seen[path]
        return Decision.GIVE_UP if now - seen.first_seen >= self.limit(path) else None
