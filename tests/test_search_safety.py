"""Index safety: concurrent writers, dead lock holders, corrupt indexes never reach the user raw."""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from pipeline.errors import IndexUnavailableError
from pipeline.reindex import rebuild_index
from pipeline.search import SearchIndex
from pipeline.search.store import Layout
from tests.test_search_support import make_sidecar, small_config, write_archive

FORK = multiprocessing.get_context("fork")


def _writer(index_dir: Path, prefix: str, rounds: int) -> None:
    index = SearchIndex(index_dir, small_config())
    for number in range(rounds):
        index.add([make_sidecar(f"{prefix}{number}-{k}", f"lettre {prefix} numéro {number}")
                   for k in range(3)])


def test_two_processes_writing_at_once_both_succeed(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    children = [FORK.Process(target=_writer, args=(index_dir, prefix, 8)) for prefix in "ab"]
    for child in children:
        child.start()
    for child in children:
        child.join(120)
    assert [child.exitcode for child in children] == [0, 0]  # no LockError in either
    index = SearchIndex(index_dir, small_config())
    assert index.count() == 2 * 8 * 3
    assert index.search("numero").total == 48


def _hold_lock(index_dir: Path, ready: multiprocessing.synchronize.Event, seconds: float) -> None:
    index = SearchIndex(index_dir, small_config())
    index.add([make_sidecar("held", "tenu")])
    generation = index._live()
    assert generation is not None
    with index.layout.write_lock(5):
        writer = generation.ix.writer()  # Whoosh's own WRITELOCK taken too
        ready.set()
        time.sleep(seconds)
        writer.cancel()


def test_a_busy_index_times_out_as_index_unavailable(tmp_path: Path) -> None:
    ready = FORK.Event()
    child = FORK.Process(target=_hold_lock, args=(tmp_path / "index", ready, 5))
    child.start()
    try:
        assert ready.wait(30)
        index = SearchIndex(tmp_path / "index", small_config(lock_timeout_seconds=0.3))
        started = time.monotonic()
        with pytest.raises(IndexUnavailableError, match=r"another Courrier process \(pid \d+\)"):
            index.add([make_sidecar("late", "en retard")])
        assert time.monotonic() - started < 3
    finally:
        child.join(30)


def test_a_killed_writer_leaves_no_lock_behind(tmp_path: Path) -> None:
    ready = FORK.Event()
    child = FORK.Process(target=_hold_lock, args=(tmp_path / "index", ready, 60))
    child.start()
    assert ready.wait(30)
    os.kill(child.pid or 0, signal.SIGKILL)
    child.join(30)
    index = SearchIndex(tmp_path / "index", small_config(lock_timeout_seconds=2))
    assert index.add([make_sidecar("after", "après le crash")]) == 1
    assert index.ids() == {"held", "after"}


def test_a_stale_whoosh_writelock_is_cleared(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([make_sidecar("one", "premier")])
    generation = index._live()
    assert generation is not None
    # A descriptor inherited by some forked child still holds Whoosh's lock, but no Courrier
    # writer exists (we will hold Courrier's lock): it is stale.
    lock_file = generation.path / "MAIN_WRITELOCK"
    stale = os.open(lock_file, os.O_CREAT | os.O_WRONLY)
    fcntl.flock(stale, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        assert index.add([make_sidecar("two", "second")]) == 1
    finally:
        os.close(stale)
    assert index.ids() == {"one", "two"}


def _corrupt(index: SearchIndex) -> None:
    generation = index._live()
    assert generation is not None
    index.close()
    segments = [p for p in generation.path.iterdir() if p.suffix in (".trm", ".seg", ".pst")]
    assert segments
    for path in segments:
        path.write_bytes(b"\0garbage" * 7)


def test_a_corrupt_index_raises_index_unavailable_and_rebuild_repairs(tmp_path: Path) -> None:
    letters = [make_sidecar(f"d{n}", f"lettre numéro {n} facture") for n in range(5)]
    write_archive(tmp_path / "archive", letters)
    index = SearchIndex(tmp_path / "index", small_config())
    index.add(letters)
    _corrupt(index)
    fresh = SearchIndex(tmp_path / "index", small_config())
    with pytest.raises(IndexUnavailableError, match="cannot be opened"):
        fresh.add([make_sidecar("new", "nouvelle")])
    with pytest.raises(IndexUnavailableError):
        fresh.search("facture")
    ok, message = fresh.health()
    assert not ok and "courrier reindex" in message

    report = rebuild_index(tmp_path / "archive", tmp_path / "index", small_config())
    assert report.count == 5
    assert fresh.health()[0] is True
    # "new" was journaled? No rebuild was running then, so it is the archive that counts.
    assert fresh.ids() == {f"d{n}" for n in range(5)}
    assert fresh.search("facture").total == 5


def test_a_damaged_pointer_is_index_unavailable(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([make_sidecar("one", "premier")])
    (tmp_path / "index" / "CURRENT").write_text("../../etc")
    with pytest.raises(IndexUnavailableError, match="damaged"):
        index.count()
    assert rebuild_index(tmp_path / "archive", tmp_path / "index", small_config()).count == 0
    assert Layout(tmp_path / "index").current() is not None


def test_damaged_pointer_state_and_sidecars_are_refused_cleanly(tmp_path: Path) -> None:
    """From a tester's attempts: binary garbage in CURRENT, a rebuild state naming a folder
    outside the index, a sidecar of the wrong shape, a query nested 300 deep."""
    from pipeline.errors import QuerySyntaxError
    from pipeline.search.query import parse_query

    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write_archive(archive, [make_sidecar(f"d{n}", "facture de janvier") for n in range(4)])
    (archive / "2024" / "02" / "bad.json").write_text(json.dumps(
        {"format": "courrier-sidecar/1", "id": "zz", "metadata": {"date": 20240101},
         "pages": "abc"}))
    report = rebuild_index(archive, index_dir, small_config())
    assert report.count == 4 and any("bad.json" in s for s in report.skipped)

    (index_dir / "CURRENT").write_bytes(bytes(range(200, 256)))
    with pytest.raises(IndexUnavailableError):
        SearchIndex(index_dir, small_config()).search("facture")
    (index_dir / "REBUILD.json").write_text(json.dumps({"generation": "../../outside"}))
    assert rebuild_index(archive, index_dir, small_config()).count == 4
    assert not (tmp_path / "outside").exists() and not (tmp_path.parent / "outside").exists()
    assert SearchIndex(index_dir, small_config()).search("facture").total == 4

    with pytest.raises(QuerySyntaxError):
        parse_query("(" * 300 + "facture" + ")" * 300)


def _live_files(index: SearchIndex, suffix: str) -> list[Path]:
    current = index.layout.current()
    assert current is not None
    return sorted(current.glob(f"MAIN_*{suffix}"))


def test_damaged_segment_files_are_found_by_size_or_checksum(tmp_path: Path) -> None:
    """Damage Whoosh's open does not notice: a truncated postings file, a deleted column, one
    changed byte. The manifest written at each commit catches each one."""
    index = SearchIndex(tmp_path / "index", small_config())
    for batch in range(3):  # several commits: the manifest follows merges
        index.add([make_sidecar(f"d{batch}-{n}", f"facture numéro {n}") for n in range(4)])
    assert index.verify(deep=True).problems == [] and index.verify().unverified is None
    assert index.health() == (True, "search index ok: 12 documents in gen-1")

    postings = _live_files(index, ".pst")[0]
    os.truncate(postings, postings.stat().st_size // 2)
    ok, message = index.health()
    assert not ok and str(postings) in message and "courrier reindex" in message

    postings.unlink()
    assert index.verify(deep=False).problems == [f"{postings} is missing"]


def test_a_changed_byte_is_found_only_by_the_deep_check(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([make_sidecar(f"d{n}", f"facture numéro {n}") for n in range(4)])
    column = _live_files(index, "._stored.col")[0]
    data = bytearray(column.read_bytes())
    data[len(data) // 2] ^= 0xFF
    column.write_bytes(bytes(data))
    assert index.verify(deep=False).problems == []  # same size
    assert index.verify(deep=True).problems == [
        f"{column} has changed since its commit (checksum differs)"]
    assert index.health(deep=True)[0] is False


def test_the_manifest_lists_exactly_the_latest_commit(tmp_path: Path) -> None:
    from pipeline.search import manifest

    index = SearchIndex(tmp_path / "index", small_config())
    for batch in range(12):  # enough small commits for Whoosh to merge segments
        index.add([make_sidecar(f"d{batch}", f"lettre {batch}")])
    current = index.layout.current()
    assert current is not None
    listed = manifest.read(current)
    assert listed is not None
    on_disk = {p.name for p in current.iterdir() if p.name.startswith(("MAIN_", "_MAIN_"))
               and not p.name.endswith("WRITELOCK")}
    assert set(listed["files"]) == on_disk
    assert listed["toc"] in on_disk and len(on_disk) < 12 * 4  # merged, old files gone

    (current / manifest.MANIFEST_FILE).unlink()  # as written by an older Courrier
    verdict = index.verify()
    assert verdict.problems == [] and "missing" in str(verdict.unverified)
    assert index.health()[0] is True and "not verified" in index.health()[1]
    # A later commit cannot vouch for files it did not write: still unverified after it.
    index.add([make_sidecar("late", "lettre tardive")])
    assert "after its checksum list was lost" in str(index.verify().unverified)
    assert "not verified" in index.health()[1]


def test_damage_stays_visible_after_later_writes(tmp_path: Path) -> None:
    """A later commit must not record the damaged file as the new truth: ingest is refused
    (the letter is recorded 'to index'), and the manifest keeps the size its commit wrote."""
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([make_sidecar(f"d{n}", "facture") for n in range(4)])
    postings = _live_files(index, ".pst")[0]
    size = postings.stat().st_size
    os.truncate(postings, size // 2)
    with pytest.raises(IndexUnavailableError, match="damaged"):
        index.add([make_sidecar("late", "arrivée après les dégâts")])
    generation = index._live()
    assert generation is not None
    generation._record_manifest()  # as a writer that skipped the check would
    assert index.verify(deep=False).problems == [
        f"{postings} has {size // 2} bytes, its commit wrote {size}"]
    column = _live_files(index, ".id.col")[0]
    column.unlink()
    generation._record_manifest()
    assert f"{column} is missing" in index.verify(deep=False).problems


def test_unreadable_pointer_and_lock_files_are_clear_errors(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([make_sidecar("one", "premier")])
    current = tmp_path / "index" / "CURRENT"
    current.unlink()
    current.mkdir()  # as unreadable as a file without permission, even for root
    with pytest.raises(IndexUnavailableError, match="CURRENT cannot be read"):
        index.search("premier")
    assert index.health()[0] is False
    current.rmdir()
    Layout(tmp_path / "index").swap(tmp_path / "index" / "gen-1")
    lock = tmp_path / "index" / "write.lock"
    lock.unlink()
    lock.mkdir()
    with pytest.raises(IndexUnavailableError, match="cannot open the lock file") as caught:
        index.add([make_sidecar("two", "second")])
    assert "permissions" in caught.value.hint
    assert index.search("premier").total == 1  # reading needs no lock


def test_an_empty_generation_folder_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "index" / "gen-1").mkdir(parents=True)
    Layout(tmp_path / "index").swap(tmp_path / "index" / "gen-1")
    with pytest.raises(IndexUnavailableError, match=r"no readable courrier-index\.json"):
        SearchIndex(tmp_path / "index", small_config()).search("x")


def test_a_busy_index_is_busy_not_damaged(tmp_path: Path) -> None:
    from pipeline.errors import IndexBusyError

    index = SearchIndex(tmp_path / "index", small_config(lock_timeout_seconds=0.2))
    index.add([make_sidecar("one", "premier")])
    with Layout(tmp_path / "index").write_lock(5):  # another writer, mid-commit
        with pytest.raises(IndexBusyError):
            index.verify()
        ok, message = index.health()
        assert ok and message.startswith("search index busy, not verified now")


def test_a_lost_pointer_is_not_an_empty_index(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([make_sidecar("one", "premier")])
    (tmp_path / "index" / "CURRENT").unlink()
    with pytest.raises(IndexUnavailableError, match="CURRENT is missing"):
        index.search("premier")
    ok, message = index.health()
    assert not ok and "courrier reindex" in message
    assert rebuild_index(tmp_path / "archive", tmp_path / "index", small_config()).count == 0
    assert index.search("premier").total == 0  # rebuilt from an (empty) archive: consistent
