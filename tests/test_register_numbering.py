"""Registration numbers: unique, gap-free, ordered per year, across processes and crashes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline.errors import StorageError
from pipeline.register import Register
from pipeline.register.schema import counters
from tests.test_register_support import NUMBER_FORMAT, file_letter, letter

PROCESSES = 4
PER_PROCESS = 15


def _file_many(url: str, worker: int, count: int, start: multiprocessing.synchronize.Event) -> None:
    """Child process: wait for the start signal, then file `count` letters."""
    register = Register(url)
    start.wait(30)
    for i in range(count):
        file_letter(register, letter(f"w{worker}-{i:03d}",
                                     received_at="2026-05-04T10:00:00+00:00"))
    register.close()


def _numbers(register: Register) -> list[str]:
    return [row["registration_number"] for row in register.archived()]



def race_filers(url: str, processes: int, per_process: int) -> Register:
    """Start `processes` processes filing `per_process` letters each, all at once."""
    Register(url).close()  # create the tables once, before the race
    start = multiprocessing.Event()
    workers = [multiprocessing.Process(target=_file_many, args=(url, w, per_process, start))
               for w in range(processes)]
    for process in workers:
        process.start()
    start.set()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    return Register(url)

def test_concurrent_processes_get_unique_gap_free_numbers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    register = race_filers(url, PROCESSES, PER_PROCESS)
    numbers = _numbers(register)
    total = PROCESSES * PER_PROCESS
    assert sorted(numbers) == [f"2026-{seq:06d}" for seq in range(1, total + 1)]
    # Each process's own letters were numbered in the order it filed them.
    for w in range(PROCESSES):
        mine = [register.get(f"w{w}-{i:03d}")["reg_seq"] for i in range(PER_PROCESS)]
        assert mine == sorted(mine)


def test_numbers_restart_each_year_and_follow_the_format(tmp_path: Path) -> None:
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    got = [file_letter(register, letter(f"y{i}", received_at=at)) for i, at in enumerate([
        "2025-12-31T23:59:00+00:00", "2026-01-01T00:01:00+00:00", "2025-12-31T23:59:30+00:00",
        "2026-01-02T08:00:00+00:00"])]
    assert got == ["2025-000001", "2026-000001", "2025-000002", "2026-000002"]
    doc = letter("y9", received_at="2026-01-03T08:00:00+00:00")
    register.begin_job(doc, tmp_path)
    assert register.archive(doc, "REG/{year}/{seq:05d}", lambda _n: None) == "REG/2026/00003"


def test_numbering_is_once_per_document(tmp_path: Path) -> None:
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    doc = letter("once")
    number = file_letter(register, doc)
    # A resumed job archiving again gets its number back, and no number is used up.
    assert register.archive(doc, NUMBER_FORMAT, lambda _n: None) == number
    assert file_letter(register, letter("next")) == "2026-000002"


def test_failure_while_placing_files_uses_no_number(tmp_path: Path) -> None:
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    doc = letter("disk-full")
    register.begin_job(doc, tmp_path)

    def place(_number: str) -> None:
        raise StorageError("disk full")

    with pytest.raises(StorageError):
        register.archive(doc, NUMBER_FORMAT, place)
    assert register.get("disk-full")["status"] == "processing"
    assert file_letter(register, letter("after")) == "2026-000001"
    assert register.archive(doc, NUMBER_FORMAT, lambda _n: None) == "2026-000002"


def _die_mid_transaction(url: str, ready: Path) -> None:
    """Child process: bump the counter inside archive(), then hang until killed."""
    register = Register(url)
    doc = letter("victim")
    register.begin_job(doc, ready.parent)

    def place(number: str) -> None:
        ready.write_text(number)  # the counter is bumped, the transaction still open
        time.sleep(120)

    register.archive(doc, NUMBER_FORMAT, place)


def test_process_killed_mid_transaction_leaves_no_gap_and_no_duplicate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    register = Register(url)
    assert file_letter(register, letter("before")) == "2026-000001"
    ready = tmp_path / "ready"
    child = multiprocessing.Process(target=_die_mid_transaction, args=(url, ready))
    child.start()
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.read_text() == "2026-000002"  # it held this number when it died
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    assert child.exitcode == -signal.SIGKILL
    # The dead transaction left nothing: the counter is back at 1, the job still processing.
    with register.engine.connect() as conn:
        assert conn.execute(select(counters.c.last).where(counters.c.year == 2026)) \
            .scalar_one() == 1
    assert register.get("victim")["status"] == "processing"
    assert file_letter(register, letter("after")) == "2026-000002"
    # The interrupted job, redone, is numbered next: no gap, no duplicate.
    victim = letter("victim")
    assert register.archive(victim, NUMBER_FORMAT, lambda _n: None) == "2026-000003"
    assert _numbers(register) == ["2026-000001", "2026-000002", "2026-000003"]
