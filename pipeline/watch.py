"""`courrier watch`: events (or polling) -> stability check -> claim -> process.

Events only make us look sooner: a full rescan at start and every few minutes means a missed
event (network mounts, a dead observer) delays a letter, never loses it.
"""

from __future__ import annotations

import fnmatch
import logging
import signal
import threading
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
from pipeline.errors import ExitCode, FileBusyError, IncompleteFileError
from pipeline.log import get_logger, kv
from pipeline.run import catch_up, process_path, resume_pending
from pipeline.stabilise import Decision, StabilityTracker

RESTART_WINDOW_SECONDS = 3600.0


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


def start_observer(config: Config, handler: FileSystemEventHandler) -> BaseObserver:
    """Start the chosen observer; fall back to polling when inotify refuses (watch limit)."""
    observer = choose_observer(config)
    try:
        observer.schedule(handler, str(config.paths.inbox), recursive=True)
        observer.start()
    except OSError as exc:
        if isinstance(observer, PollingObserver):
            raise
        get_logger().warning(kv(event="observer_fallback", mode="polling", error=str(exc)))
        observer = PollingObserver(timeout=config.watch.polling_interval_seconds)
        observer.schedule(handler, str(config.paths.inbox), recursive=True)
        observer.start()
    return observer


def observer_alive(observer: BaseObserver | None) -> bool:
    """The dispatch thread and every emitter thread are running."""
    if observer is None or not observer.is_alive():
        return False
    return all(emitter.is_alive() for emitter in observer.emitters)


class _Collector(FileSystemEventHandler):
    """Remembers paths that changed; the main loop decides when they are ready."""

    def __init__(self) -> None:
        self.paths: set[Path] = set()
        self._lock = threading.Lock()  # events arrive on the observer's thread

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        target = getattr(event, "dest_path", "") or event.src_path
        with self._lock:
            self.paths.add(Path(str(target)))

    def drain(self) -> set[Path]:
        """The paths seen since the last call (none lost to a race with the observer)."""
        with self._lock:
            paths, self.paths = self.paths, set()
        return paths


class Watcher:
    """The service loop. One document at a time in this process (OCR uses both cores)."""

    def __init__(self, config: Config, ctx: Context) -> None:
        self.config = config
        self.ctx = ctx
        self.inbox = config.paths.inbox
        self.collector = _Collector()
        stability = config.stability
        self.tracker = StabilityTracker(stability.quiet_seconds, stability.max_wait_seconds,
                                        stability.backoff_max_seconds,
                                        stability.empty_max_wait_seconds)
        self.candidates: set[Path] = set()
        self.announced: dict[Path, str] = {}  # file -> the waiting reason already logged
        self.stopping = False
        self.observer: BaseObserver | None = None
        self.restarts: list[float] = []  # when the observer had to be restarted

    def start_observer(self) -> None:
        self.observer = start_observer(self.config, self.collector)

    def observer_healthy(self, now: float) -> bool:
        """Restart a dead observer; False when it keeps dying (exit for the supervisor)."""
        if observer_alive(self.observer):
            return True
        self.restarts = [t for t in self.restarts if now - t < RESTART_WINDOW_SECONDS]
        self.restarts.append(now)
        get_logger().error(kv(event="observer_died", restarts=len(self.restarts)))
        if len(self.restarts) > self.config.watch.max_observer_restarts:
            return False
        if self.observer is not None:
            _stop_quietly(self.observer)
        try:
            self.start_observer()
        except OSError as exc:  # the inbox is gone (share unmounted?): try again next time
            get_logger().error(kv(event="observer_restart_failed", error=str(exc)))
            self.observer = None
            return True
        get_logger().warning(kv(event="observer_restarted", mode=type(self.observer).__name__))
        self.rescan()  # whatever arrived while it was dead
        return True

    def rescan(self) -> None:
        """Every file in the inbox becomes a candidate: missed events cost time, never mail."""
        if not self.inbox.is_dir():
            get_logger().error(kv(event="inbox_missing", inbox=str(self.inbox)))
            return
        try:
            for path in self.inbox.rglob("*"):
                if path.is_symlink() or path.is_file():
                    self.candidates.add(path)
        except OSError as exc:  # a network share that went away; it is rescanned later
            get_logger().error(kv(event="rescan_failed", error=str(exc)))

    def tick(self, now: float) -> int:
        """Look at every candidate once; process the ready ones. Returns how many."""
        self.candidates |= self.collector.drain()
        done = 0
        for path in sorted(self.candidates):
            if self.stopping:
                break
            if is_ignored(path, self.inbox, self.config.watch.ignore_patterns):
                self.candidates.discard(path)
                continue
            if jobs.special_entry(path):  # a link or device: refused, never followed
                self.candidates.discard(path)
                self._take(path, Decision.READY, "", 0.0)
                done += 1
                continue
            try:
                decision = self.tracker.observe(path, now)
            except Exception:  # never let one odd file stop the loop; the rescan retries it
                logging.getLogger("courrier").exception(
                    "cannot check %s", jobs.display_name(str(path)))
                self.candidates.discard(path)
                continue
            if decision in (Decision.READY, Decision.GIVE_UP):
                reason, limit = self.tracker.reason(path), self.tracker.limit(path)
                self.candidates.discard(path)
                self.tracker.forget(path)
                self._take(path, decision, reason, limit)
                done += 1
            elif decision is Decision.GONE:
                self.candidates.discard(path)
            else:
                self._announce_wait(path)
        return done

    def _announce_wait(self, path: Path) -> None:
        """Say once why a file is being waited for, so nobody wonders what the service does."""
        reason = self.tracker.reason(path)
        if reason and self.announced.get(path) != reason:
            self.announced[path] = reason
            get_logger().info(kv(event="waiting", input=jobs.display_name(str(path)),
                                 reason=reason,
                                 gives_up_after_s=round(self.tracker.limit(path))))

    def _take(self, path: Path, decision: Decision, reason: str, limit: float) -> None:
        """Process one ready file; whatever goes wrong, the service keeps running."""
        try:
            if decision is Decision.GIVE_UP:
                self._give_up(path, reason, limit)
                return
            outcome = process_path(path, self.ctx)
        except FileBusyError as exc:  # locked by its writer: look again later
            get_logger().warning(kv(event="busy", input=jobs.display_name(str(path)),
                                    error=exc.message))
            self.candidates.add(path)
            return
        except Exception:  # a bug or a broken disk: log it, keep watching the other files
            logging.getLogger("courrier").exception("cannot process %s", jobs.display_name(
                str(path)))
            return
        get_logger().info(kv(event="outcome", input=outcome.input, status=outcome.status,
                             id=outcome.id, path=outcome.archive_path))

    def _give_up(self, path: Path, reason: str, limit: float) -> None:
        job = jobs.claim(path, self.config, self.ctx.clock())
        if job is None:
            return
        err = IncompleteFileError(
            f"the file did not become complete within {limit:.0f} s"
            + (f" ({reason})" if reason else ""))
        failed = jobs.display_name(str(jobs.fail(job, err, "stabilise", self.config)))
        self.ctx.register.record_failure(job.doc.original_name, "", failed, "stabilise",
                                         type(err).__name__, err.message)
        get_logger().warning(kv(event="outcome", input=job.input_path, status="failed",
                                error=err.message))


def _stop_quietly(observer: BaseObserver) -> None:
    try:
        observer.stop()
        observer.join(timeout=5)
    except Exception:  # a dead observer may fail to stop; we replace it anyway
        logging.getLogger("courrier").debug("stopping a dead observer failed", exc_info=True)


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
        catch_up(ctx)
        watcher.start_observer()
        watcher.rescan()
        return _loop(watcher, config, once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if watcher.observer is not None:
            _stop_quietly(watcher.observer)
        ctx.close()


def _loop(watcher: Watcher, config: Config, once: bool) -> int:
    last_rescan = time.monotonic()
    while not watcher.stopping:
        if not watcher.observer_healthy(time.monotonic()):
            logging.getLogger("courrier").critical("file observer keeps dying; exiting")
            return int(ExitCode.INTERNAL)
        now = time.monotonic()
        if now - last_rescan >= config.watch.rescan_interval_seconds:
            watcher.rescan()
            catch_up(watcher.ctx)
            last_rescan = now
        watcher.tick(now)
        if once and not watcher.candidates:
            return 0
        time.sleep(0.5)
    return 0
