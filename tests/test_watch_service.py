"""The watcher in this process with real OCR: writers that misbehave, observers that die."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchdog.observers.polling import PollingObserver

from pipeline import watch
from pipeline.config import Config
from pipeline.context import Context
from pipeline.errors import ExitCode
from pipeline.watch import Watcher, filesystem_type, observer_alive
from tests.conftest import make_config
from tests.ingest_kit import FakeExtractor, born_digital_pdf, files_in, scan_pdf_bytes, sha256


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Callable[..., Watcher]]:
    made: list[Watcher] = []

    def start(**overrides: object) -> Watcher:
        config = make_config(tmp_path / f"home{len(made)}", **overrides)
        ctx = Context(config)
        ctx.extractor = FakeExtractor()  # type: ignore[assignment]
        watcher = Watcher(config, ctx)
        watcher.start_observer()  # no rescan: files must be found through events
        made.append(watcher)
        return watcher

    yield start
    for watcher in made:
        if watcher.observer is not None:
            watch._stop_quietly(watcher.observer)
        watcher.ctx.close()


def drive(watcher: Watcher, done: Callable[[], bool], timeout: float = 120) -> None:
    """The service loop, without signals: health check, tick, until `done()`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert watcher.observer_healthy(time.monotonic())
        watcher.tick(time.monotonic())
        if done():
            return
        time.sleep(0.1)
    raise AssertionError("the watcher did not finish in time")


def archived(config: Config) -> list[dict[str, object]]:
    ctx = Context(config)
    try:
        return list(ctx.register.archived())
    finally:
        ctx.close()


def inbox_empty(config: Config) -> bool:
    return not files_in(config.paths.inbox)


def test_scanner_writing_page_by_page_gives_one_three_page_letter(service) -> None:  # type: ignore[no-untyped-def]
    """A scanner rewrites a whole PDF after each page, every 2.5 s: only the last is taken."""
    # Quiet 1.5 s < the 2.5 s between pages: each intermediate PDF looks whole; only the
    # second look, a quiet period after the first (3 s), sees the next page arrive.
    watcher = service(stability__quiet_seconds=1.5)
    config = watcher.config
    target = config.paths.inbox / "scan.pdf"
    versions = [scan_pdf_bytes("PG", pages=n) for n in (1, 2, 3)]
    writer_done = threading.Event()

    def scanner() -> None:
        for n, data in enumerate(versions):
            if n:
                time.sleep(2.5)
            with open(target, "wb") as out:  # in place, as the scanner's driver does
                out.write(data)
        writer_done.set()

    thread = threading.Thread(target=scanner)
    thread.start()
    drive(watcher, lambda: writer_done.is_set() and inbox_empty(config) and
          bool(archived(config)))
    thread.join()
    rows = archived(config)
    assert [(r["page_count"], r["sha256"]) for r in rows] == [(3, sha256_bytes(versions[2]))]
    assert files_in(config.paths.failed) == []


def sha256_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_slow_copy_in_small_chunks_is_taken_once_whole(service) -> None:  # type: ignore[no-untyped-def]
    """Chunks with pauses longer than the quiet period: the content check holds the file."""
    watcher = service()  # quiet period 0.3 s
    config = watcher.config
    data = scan_pdf_bytes("CH", pages=2)
    target = config.paths.inbox / "copy.pdf"
    chunk = len(data) // 6 + 1

    def copier() -> None:
        with open(target, "wb") as out:
            for start in range(0, len(data), chunk):
                out.write(data[start:start + chunk])
                out.flush()
                time.sleep(0.7)

    thread = threading.Thread(target=copier)
    thread.start()
    drive(watcher, lambda: not thread.is_alive() and inbox_empty(config) and
          bool(archived(config)))
    rows = archived(config)
    assert [r["sha256"] for r in rows] == [sha256_bytes(data)]
    assert [r["page_count"] for r in rows] == [2]
    assert files_in(config.paths.failed) == []


def test_temp_name_then_rename_and_ignored_names(service) -> None:  # type: ignore[no-untyped-def]
    watcher = service()
    config = watcher.config
    inbox = config.paths.inbox
    ignored = [inbox / n for n in ("~$draft.pdf", ".hidden.pdf", "Thumbs.db", "x.tmp")]
    for path in ignored:
        path.write_bytes(b"junk that must never be taken")
    temp = born_digital_pdf(inbox / "letter.pdf.part", "TMP")
    digest = sha256(temp)
    drive(watcher, lambda: True)  # one pass: the temp file is not a candidate
    time.sleep(1.0)
    drive(watcher, lambda: True)
    assert temp.exists() and archived(config) == []
    os.rename(temp, inbox / "letter.pdf")
    drive(watcher, lambda: bool(archived(config)))
    assert [r["sha256"] for r in archived(config)] == [digest]
    assert sorted(files_in(inbox)) == sorted(ignored)  # untouched
    assert files_in(config.paths.failed) == []


def test_polling_mode_finds_files_without_inotify(service) -> None:  # type: ignore[no-untyped-def]
    watcher = service(watch__mode="polling")
    assert isinstance(watcher.observer, PollingObserver)
    path = born_digital_pdf(watcher.config.paths.inbox / "polled.pdf", "POLL")
    digest = sha256(path)
    drive(watcher, lambda: bool(archived(watcher.config)))
    assert [r["sha256"] for r in archived(watcher.config)] == [digest]


def test_auto_mode_polls_on_network_filesystems(tmp_path: Path) -> None:
    config = make_config(tmp_path / "home")
    assert not isinstance(watch.choose_observer(config), PollingObserver)  # local disk
    config.watch.network_fs_types = [filesystem_type(config.paths.inbox)]
    assert isinstance(watch.choose_observer(config), PollingObserver)
    assert filesystem_type(Path("/proc")) == "proc"


@pytest.mark.parametrize("how", ["observer", "emitter"])
def test_dead_observer_is_noticed_and_restarted(service, how: str) -> None:  # type: ignore[no-untyped-def]
    watcher = service()
    first = watcher.observer
    assert observer_alive(first)
    if how == "observer":
        first.stop()
        first.join(5)
    else:  # the inotify thread dies, the dispatcher thread lives on
        next(iter(first.emitters)).stop()
        time.sleep(0.5)
    assert not observer_alive(first)
    assert watcher.observer_healthy(time.monotonic())
    assert watcher.observer is not first and observer_alive(watcher.observer)
    assert len(watcher.restarts) == 1
    digest = sha256(born_digital_pdf(watcher.config.paths.inbox / "after.pdf", "AFTER"))
    drive(watcher, lambda: bool(archived(watcher.config)))
    assert [r["sha256"] for r in archived(watcher.config)] == [digest]


def test_observer_that_keeps_dying_makes_the_service_exit_nonzero(service, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    watcher = service(watch__max_observer_restarts=2)

    def dead_observer(config: Config, handler: object) -> PollingObserver:
        observer = PollingObserver(timeout=0.1)
        observer.start()
        observer.stop()
        observer.join(5)
        return observer

    monkeypatch.setattr(watch, "start_observer", dead_observer)
    watcher.observer.stop()
    started = time.monotonic()
    assert watch._loop(watcher, watcher.config, once=False) == int(ExitCode.INTERNAL)
    assert len(watcher.restarts) == 3 and time.monotonic() - started < 10


def test_busy_file_is_retried_not_skipped(service, mounts_for_busy, caplog) -> None:  # type: ignore[no-untyped-def]
    """A file that cannot be moved yet (EBUSY: here a bind mount sits on it) is looked at
    again, not dropped; once free it is taken."""
    watcher = service()
    config = watcher.config
    path = born_digital_pdf(config.paths.inbox / "busy.pdf", "BUSY")
    digest = sha256(path)
    mounts_for_busy(path)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        watcher.tick(time.monotonic())
        time.sleep(0.1)
    assert path in watcher.candidates and archived(config) == []  # still wanted
    assert "event=busy" in caplog.text and "Device or resource busy" in caplog.text
    assert list(config.paths.processing.iterdir()) == []
    subprocess.run(["umount", str(path)], check=True)
    drive(watcher, lambda: bool(archived(config)))
    assert [r["sha256"] for r in archived(config)] == [digest]


def test_periodic_rescan_finds_what_the_observer_missed(service) -> None:  # type: ignore[no-untyped-def]
    """An observer that sees nothing (a network mount): the rescan still delivers the mail."""
    watcher = service(watch__rescan_interval_seconds=1.0)
    watcher.collector.on_any_event = lambda event: None  # type: ignore[method-assign]
    digest = sha256(born_digital_pdf(watcher.config.paths.inbox / "missed.pdf", "MISSED"))

    def stop_when_done() -> None:
        deadline = time.monotonic() + 120
        while not archived(watcher.config) and time.monotonic() < deadline:
            time.sleep(0.3)
        watcher.stopping = True

    thread = threading.Thread(target=stop_when_done)
    thread.start()
    assert watch._loop(watcher, watcher.config, once=False) == 0
    thread.join()
    assert [r["sha256"] for r in archived(watcher.config)] == [digest]


@pytest.fixture
def mounts_for_busy(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    made: list[Path] = []

    def busy(path: Path) -> None:
        cover = tmp_path / "cover"
        cover.write_bytes(path.read_bytes())  # same content: the stability check is happy
        proc = subprocess.run(["mount", "--bind", str(cover), str(path)], capture_output=True,
                              text=True, check=False)
        if proc.returncode:
            pytest.skip(f"cannot mount here (needs root): {proc.stderr.strip()}")
        made.append(path)

    yield busy
    for path in made:
        subprocess.run(["umount", "-l", str(path)], check=False)
