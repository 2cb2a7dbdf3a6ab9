"""rebuild_index: from sidecars, in batches, resumable, swapped in without losing live writes."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import IndexUnavailableError
from pipeline.reindex import rebuild_index
from pipeline.search import SearchIndex
from pipeline.search.store import SCHEMA_FILE, Layout
from tests.test_search_support import make_sidecar, small_config, write_archive

FORK = multiprocessing.get_context("fork")


def letters(count: int, prefix: str = "d") -> list[dict[str, Any]]:
    return [make_sidecar(f"{prefix}{n:03d}", f"lettre {n} réclamation facture")
            for n in range(count)]


class Interrupt(Exception):
    pass


def test_rebuild_reads_sidecars_only_and_reports(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    write_archive(archive, letters(7))
    (archive / "2024" / "02" / "broken.error.json").write_text('{"error_class": "X"}')
    (archive / "2024" / "02" / "junk.json").write_text("{not json")
    seen: list[tuple[int, int]] = []
    report = rebuild_index(archive, tmp_path / "index", small_config(),
                           progress=lambda done, total: seen.append((done, total)))
    assert report.count == 7
    assert report.written == 7
    assert len(report.skipped) == 1 and "junk.json" in report.skipped[0]
    assert seen[-1] == (8, 8)  # 7 sidecars + the junk file; .error.json never counted
    assert report.docs_per_second > 0
    index = SearchIndex(tmp_path / "index", small_config())
    assert index.ids() == {f"d{n:03d}" for n in range(7)}
    assert index.search("reclamations").total == 7
    assert Layout(tmp_path / "index").rebuild_state() is None


def test_searches_keep_working_and_old_generations_are_removed(tmp_path: Path) -> None:
    write_archive(tmp_path / "archive", letters(4))
    index = SearchIndex(tmp_path / "index", small_config())
    index.add(letters(2, prefix="old"))
    during: list[int] = []
    rebuild_index(tmp_path / "archive", tmp_path / "index", small_config(),
                  progress=lambda done, total: during.append(index.count()))
    assert during and set(during) == {2}  # the live index answered during the rebuild
    assert index.ids() == {f"d{n:03d}" for n in range(4)}  # swapped under the same object
    rebuild_index(tmp_path / "archive", tmp_path / "index", small_config())
    names = [p.name for p in Layout(tmp_path / "index").generations()]
    assert names == ["gen-2", "gen-3"]  # the current one and the one before it


def test_an_interrupted_rebuild_resumes_where_it_stopped(tmp_path: Path) -> None:
    write_archive(tmp_path / "archive", letters(10))
    config = small_config(batch_size=3)

    def stop_after_first_commits(done: int, total: int) -> None:
        raise Interrupt

    # progress is called every 100 files and at the end: make it fail at the end, after 9
    # documents were committed in 3 batches and before the last one.
    with pytest.raises(Interrupt):
        rebuild_index(tmp_path / "archive", tmp_path / "index", config,
                      progress=stop_after_first_commits)
    layout = Layout(tmp_path / "index")
    assert layout.rebuild_state() is not None
    assert layout.current() is None  # nothing swapped in yet
    report = rebuild_index(tmp_path / "archive", tmp_path / "index", config)
    assert report.resumed == 9
    assert report.written == 1
    assert report.count == 10
    assert layout.rebuild_state() is None


def test_live_writes_during_the_rebuild_are_replayed(tmp_path: Path) -> None:
    write_archive(tmp_path / "archive", letters(6))
    live = SearchIndex(tmp_path / "index", small_config())
    live.add(letters(6))

    def ingest_meanwhile(done: int, total: int) -> None:
        live.add([make_sidecar("new1", "arrivée pendant la reconstruction")])
        live.delete(["d000"])

    report = rebuild_index(tmp_path / "archive", tmp_path / "index", small_config(),
                           progress=ingest_meanwhile,
                           pending_ids=lambda: [make_sidecar("pending", "à indexer")])
    assert report.replayed == 2  # new1 and the pending one
    expected = {f"d{n:03d}" for n in range(1, 6)} | {"new1", "pending"}
    assert live.ids() == expected
    assert live.search("reconstruction").total == 1
    assert not (tmp_path / "index" / "journal.jsonl").exists()


def _ingest(archive: Path, index_dir: Path, count: int) -> None:
    index = SearchIndex(index_dir, small_config())
    for number in range(count):
        sidecar = make_sidecar(f"live{number:03d}", f"courrier vivant {number}")
        write_archive(archive, [sidecar])  # archived first, then indexed, like the pipeline
        index.add([sidecar])


def test_rebuild_while_another_process_ingests_ends_with_index_equal_archive(
        tmp_path: Path) -> None:
    archive, index_dir = tmp_path / "archive", tmp_path / "index"
    write_archive(archive, letters(150))
    SearchIndex(index_dir, small_config()).add(letters(150))
    child = FORK.Process(target=_ingest, args=(archive, index_dir, 40))
    child.start()
    rebuild_index(archive, index_dir, small_config(batch_size=10))
    child.join(120)
    assert child.exitcode == 0
    on_disk = {json.loads(p.read_text())["id"] for p in archive.rglob("*.json")}
    assert len(on_disk) == 190
    assert SearchIndex(index_dir, small_config()).ids() == on_disk


def test_a_schema_change_asks_for_a_rebuild(tmp_path: Path) -> None:
    write_archive(tmp_path / "archive", letters(3))
    index = SearchIndex(tmp_path / "index", small_config())
    index.add(letters(3))
    current = Layout(tmp_path / "index").current()
    assert current is not None
    (current / SCHEMA_FILE).write_text(json.dumps({"schema_version": 0}))
    index.close()
    ok, message = index.health()
    assert not ok and "schema is version 0" in message and "courrier reindex" in message
    with pytest.raises(IndexUnavailableError, match="schema version 0"):
        index.add(letters(1, prefix="x"))
    rebuild_index(tmp_path / "archive", tmp_path / "index", small_config())
    assert index.health()[0] is True
    assert index.count() == 3


def test_parallel_rebuild_gives_the_same_index(tmp_path: Path) -> None:
    write_archive(tmp_path / "archive", letters(40))
    report = rebuild_index(tmp_path / "archive", tmp_path / "index",
                           small_config(batch_size=15, reindex_procs=2))
    index = SearchIndex(tmp_path / "index", small_config())
    assert report.count == 40
    assert index.ids() == {f"d{n:03d}" for n in range(40)}
    assert index.search("facture").total == 40


def _interrupted_rebuild(tmp_path: Path, count: int) -> Layout:
    """A rebuild stopped after its commits, before the swap (as `kill -9` would leave it)."""
    def stop(done: int, total: int) -> None:
        raise Interrupt
    with pytest.raises(Interrupt):
        rebuild_index(tmp_path / "archive", tmp_path / "index", small_config(batch_size=3),
                      progress=stop)
    return Layout(tmp_path / "index")


def test_a_damaged_interrupted_rebuild_is_started_again_not_resumed(tmp_path: Path) -> None:
    write_archive(tmp_path / "archive", letters(10))
    layout = _interrupted_rebuild(tmp_path, 10)
    partial = layout.root / str(layout.rebuild_state()["generation"])  # type: ignore[index]
    postings = max(partial.glob("MAIN_*.pst"), key=lambda p: p.stat().st_size)
    postings.write_bytes(postings.read_bytes()[:-40])
    report = rebuild_index(tmp_path / "archive", tmp_path / "index", small_config())
    assert (report.resumed, report.written, report.count) == (0, 10, 10)
    index = SearchIndex(tmp_path / "index", small_config())
    assert index.verify(deep=True).problems == [] and index.search("facture").total == 10


def test_a_fresh_rebuild_does_not_keep_what_an_interrupted_one_indexed(tmp_path: Path) -> None:
    """`reindex --re-extract` after an interrupted reindex: the sidecars changed meanwhile."""
    docs = letters(10)
    write_archive(tmp_path / "archive", docs)
    _interrupted_rebuild(tmp_path, 10)
    docs[0]["metadata"]["sender"] = "Nouvel Expéditeur"  # rewritten by the re-extraction
    write_archive(tmp_path / "archive", docs[:1])
    report = rebuild_index(tmp_path / "archive", tmp_path / "index", small_config(),
                           fresh=True)
    assert (report.resumed, report.count) == (0, 10)
    index = SearchIndex(tmp_path / "index", small_config())
    assert [hit.id for hit in index.search('sender:"nouvel expediteur"').hits] == ["d000"]
    assert index.search('sender:"ACME SA"').total == 9


def test_sidecars_the_index_cannot_take_are_named_and_skipped(tmp_path: Path) -> None:
    docs = letters(4)
    docs[1]["registration_number"] = ["2030-000001"]  # wrong type: refused when read
    docs[2]["page_count"] = "beaucoup"  # passes the shape check, fails to become a record
    write_archive(tmp_path / "archive", docs)
    report = rebuild_index(tmp_path / "archive", tmp_path / "index", small_config())
    assert report.count == 2
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in sorted(report.skipped)] == \
        ["d001.json", "d002.json"]
    assert "registration_number not text" in " ".join(report.skipped)
    assert "cannot be indexed" in " ".join(report.skipped)
    assert SearchIndex(tmp_path / "index", small_config()).ids() == {"d000", "d003"}


def test_journal_lines_of_the_wrong_shape_are_skipped(tmp_path: Path) -> None:
    write_archive(tmp_path / "archive", letters(3))
    layout = _interrupted_rebuild(tmp_path, 3)
    with open(layout.root / "journal.jsonl", "a") as journal:
        journal.write('{"op": "add"}\n7\n{"op": "add", "value": {"id": "j1"}}\n{"torn')
    report = rebuild_index(tmp_path / "archive", tmp_path / "index", small_config())
    assert report.count == 4 and report.replayed == 1
