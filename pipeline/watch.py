"""`courrier watch`: events (or polling) -> stability check -> claim -> process.

Events only make us look sooner: a full rescan at start and every few minutes means a missed
event (network mounts, a dead observer) delays a letter, never loses it.
"""

from __future__ import annotations

import fnmatch
import logging
import signal
import time
from pathlib import Path
from types import FrameType

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from pipeline import jobs
from pipeline.config import Config
from pipeline.context import Context
from pipeline.errors import ExitCode, IncompleteFileError
from pipeline.log import get_logger, kv
from pipeline.run import process_path, resume_pending
from pipeline.stabilise import Decision, StabilityTracker
from pipeline.stages.index import flush_pending

MAX_OBSERVER_RESTARTS = 5


def is_ignored(path: Path, inbox: Path, patterns: list[str]) -> bool:
    """Temporary, hidden and side files are never taken (until renamed to a final name)."""
    try:
        parts = path.relative_to(inbox).parts
    except ValueError:
        return True
    return any(part.startswith(".") for part in parts[:-1]) or any(
        fnmatch.fnmatch(parts[-1], pattern) for pattern in patterns)


def filesystem_type(path: Path) -> str:
    """The type of the filesystem holding `path`, from /proc/mounts (longest mount prefix)."""
    best, fstype = "", "unknown"
    resolved = str(path.resolve())
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return fstype
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        mount = fields[1].replace("\\040", " ")
        if (resolved == mount or resolved.startswith(mount.rstrip("/") + "/")) \
                and len(mount) > len(best):
            best, fstype = mount, fields[2]
    return fstype


def choose_observer(config: Config) -> BaseObserver:
    mode = config.watch.mode
    fstype = filesystem_type(config.paths.inbox)
    if mode == "auto":
        mode = "polling" if fstype in config.watch.network_fs_types else "native"
    get_logger().info(kv(event="observer", mode=mode, fstype=fstype))
    if mode == "polling":
        return PollingObserver(timeout=config.watch.polling_interval_seconds)
    return Observer()


class _Collector(FileSystemEventHandler):
    """Remembers paths that changed; the main loop decides when they are ready."""

    def __init__(self) -> None:
        self.paths: set[Path] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        target = getattr(event, "dest_path", "") or event.src_path
        self.paths.add(Path(str(target)))


class Watcher:
    """The service loop. One document at a time in this process (OCR uses both cores)."""

    def __init__(self, config: Config, ctx: Context) -> None:
        self.config = config
        self.ctx = ctx
        self.inbox = config.paths.inbox
        self.collector = _Collector()
        self.tracker = StabilityTracker(config.stability.quiet_seconds,
                                        config.stability.max_wait_seconds,
                                        config.stability.backoff_max_seconds)
        self.candidates: set[Path] = set()
        self.stopping = False
        self.observer: BaseObserver | None = None
        self.restarts = 0

    def start_observer(self) -> None:
        self.observer = choose_observer(self.config)
        self.observer.schedule(self.collector, str(self.inbox), recursive=True)
        self.observer.start()

    def observer_healthy(self) -> bool:
        """Restart a dead observer (bounded); False when we must exit for the supervisor."""
        if self.observer is not None and self.observer.is_alive():
            return True
        self.restarts += 1
        get_logger().error(kv(event="observer_died", restarts=self.restarts))
        if self.restarts > MAX_OBSERVER_RESTARTS:
            return False
        self.start_observer()
        self.rescan()  # whatever arrived while it was dead
        return True

    def rescan(self) -> None:
        for path in self.inbox.rglob("*"):
            if path.is_file():
                self.candidates.add(path)

    def tick(self, now: float) -> int:
        """Look at every candidate once; process the ready ones. Returns how many."""
        self.candidates |= self.collector.paths
        self.collector.paths = set()
        done = 0
        for path in sorted(self.candidates):
            if self.stopping:
                break
            if is_ignored(path, self.inbox, self.config.watch.ignore_patterns):
                self.candidates.discard(path)
                continue
            decision = self.tracker.observe(path, now)
            if decision in (Decision.READY, Decision.GIVE_UP):
                self.candidates.discard(path)
                self.tracker.forget(path)
                self._take(path, decision, self.tracker.reason(path))
                done += 1
            elif decision is Decision.GONE:
                self.candidates.discard(path)
        return done

    def _take(self, path: Path, decision: Decision, reason: str) -> None:
        if decision is Decision.GIVE_UP:
            self._give_up(path, reason)
            return
        outcome = process_path(path, self.ctx)
        get_logger().info(kv(event="outcome", input=outcome.input, status=outcome.status,
                             id=outcome.id, path=outcome.archive_path))

    def _give_up(self, path: Path, reason: str) -> None:
        job = jobs.claim(path, self.config, self.ctx.clock())
        if job is None:
            return
        limit = self.config.stability.max_wait_seconds
        err = IncompleteFileError(
            f"the file did not become complete within {limit:.0f} s"
            + (f" ({reason})" if reason else ""))
        failed = jobs.fail(job, err, "stabilise", self.config)
        self.ctx.register.record_failure(job.doc.original_name, "", str(failed), "stabilise",
                                         type(err).__name__, err.message)


def run_watch(config: Config, once: bool = False) -> int:
    """Run until SIGINT/SIGTERM (or, with `once`, until the inbox is empty or waiting)."""
    config.ensure_dirs()
    ctx = Context(config, actor="courrier watch")
    watcher = Watcher(config, ctx)

    def _stop(signum: int, _frame: FrameType | None) -> None:
        get_logger().info(kv(event="stopping", signal=signal.Signals(signum).name))
        watcher.stopping = True

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        resume_pending(ctx)
        flush_pending(ctx)
        watcher.start_observer()
        watcher.rescan()
        return _loop(watcher, config, once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if watcher.observer is not None:
            watcher.observer.stop()
        ctx.close()


def _loop(watcher: Watcher, config: Config, once: bool) -> int:
    last_rescan = time.monotonic()
    while not watcher.stopping:
        if not watcher.observer_healthy():
            logging.getLogger("courrier").critical("file observer keeps dying; exiting")
            return int(ExitCode.INTERNAL)
        now = time.monotonic()
        if now - last_rescan >= config.watch.rescan_interval_seconds:
            watcher.rescan()
            flush_pending(watcher.ctx)
            last_rescan = now
        watcher.tick(now)
        if once and not watcher.candidates:
            return 0
        time.sleep(0.5)
    return 0
