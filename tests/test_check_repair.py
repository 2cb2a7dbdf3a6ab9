"""`courrier check` finds real damage and `courrier check --repair` fixes what it can."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pipeline import jobs
from pipeline.cli import main
from pipeline.config import Config
from pipeline.context import Context
from pipeline.run import process_path
from tests.conftest import make_config
from tests.ingest_kit import FakeExtractor, born_digital_pdf, files_in


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with three archived, indexed letters (built once, copied per test)."""
    home = tmp_path_factory.mktemp("check") / "home"
    config = make_config(home)
    ctx = Context(config)
    ctx.extractor = FakeExtractor()  # type: ignore[assignment]
    for n in range(3):
        assert process_path(born_digital_pdf(config.paths.inbox / f"c{n}.pdf", f"CK{n}"),
                            ctx).status == "archived"
    ctx.close()
    return home


@pytest.fixture
def home(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(pristine, target)
    return target


def run_check(home: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Any]:
    code = main(["--home", str(home), "--log-level", "WARNING", "check", "--json", *extra])
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return code, report


def kinds(report: dict[str, Any], repaired: bool | None = None) -> list[str]:
    return sorted(f["kind"] for f in report["findings"]
                  if repaired is None or f["repaired"] is repaired)


def config_of(home: Path) -> Config:
    return make_config(home)


def archived_rows(home: Path) -> list[dict[str, Any]]:
    ctx = Context(config_of(home))
    try:
        return list(ctx.register.archived())
    finally:
        ctx.close()


def test_pristine_home_is_consistent(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(home, capsys) == (0, {"findings": [], "ok": True})


def test_deleted_register_row_is_restored_from_its_sidecar(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = archived_rows(home)
    victim = before[1]
    with sqlite3.connect(home / "register.sqlite3") as db:
        db.execute("DELETE FROM documents WHERE id = ?", (victim["id"],))
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == ["indexed_not_archived", "unregistered"]
    code, report = run_check(home, capsys, "--repair")
    # The restored row is "to index" until the same repair re-indexes it from its sidecar.
    assert code == 0 and kinds(report, repaired=True) == ["to_index", "unregistered"]
    after = {r["id"]: r for r in archived_rows(home)}
    assert after[victim["id"]]["registration_number"] == victim["registration_number"]
    assert after[victim["id"]]["sha256"] == victim["sha256"]
    assert run_check(home, capsys) == (0, {"findings": [], "ok": True})


def test_deleted_index_is_rebuilt(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(home / "index")
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == ["not_indexed"] * 3
    assert run_check(home, capsys, "--repair")[0] == 0
    ctx = Context(config_of(home))
    assert ctx.index.ids() == {r["id"] for r in archived_rows(home)}
    assert ctx.index.search("CK1").total == 1
    ctx.close()
    assert run_check(home, capsys) == (0, {"findings": [], "ok": True})


def test_document_removed_from_index_is_put_back(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    victim = archived_rows(home)[0]["id"]
    ctx = Context(config_of(home))
    assert ctx.index.delete([victim]) == 1
    ctx.close()
    code, report = run_check(home, capsys)
    assert code == 8 and report["findings"] == [
        {"kind": "not_indexed", "detail": victim, "repaired": False}]
    assert run_check(home, capsys, "--repair")[0] == 0
    ctx = Context(config_of(home))
    assert victim in ctx.index.ids()
    ctx.close()


def test_index_entry_without_document_is_removed(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ctx = Context(config_of(home))
    ctx.index.add([{"id": "feedfacecafe", "original_name": "ghost.pdf", "pages": []}])
    ctx.close()
    assert kinds(run_check(home, capsys)[1]) == ["indexed_not_archived"]
    assert run_check(home, capsys, "--repair")[0] == 0
    ctx = Context(config_of(home))
    assert "feedfacecafe" not in ctx.index.ids()
    ctx.close()


def test_interrupted_job_is_resumed(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = config_of(home)
    job = jobs.claim(born_digital_pdf(config.paths.inbox / "late.pdf", "LATE"), config,
                     Context(config).clock())
    assert job is not None
    assert run_check(home, capsys)[1]["findings"] == []  # held by a live process: not a problem
    jobs.release(job)  # that process dies
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == ["interrupted_job"]
    # The repair runs the real extractor: swap in the fake for speed.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Context, "extractor", FakeExtractor())
        code, report = run_check(home, capsys, "--repair")
    assert code == 0 and kinds(report, repaired=True) == ["interrupted_job"]
    assert len(archived_rows(home)) == 4 and list(config.paths.processing.iterdir()) == []


def test_uncommitted_leftover_is_removed(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files written inside a register transaction that never committed (the letter was
    archived again under its own id after the restart)."""
    sidecar = next(p for p in files_in(home / "archive") if p.suffix == ".json")
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    data["id"] = "0badc0ffee00"
    leftover = sidecar.with_name("leftover.json")
    leftover.write_text(json.dumps(data), encoding="utf-8")
    shutil.copyfile(sidecar.with_suffix(".pdf"), leftover.with_suffix(".pdf"))
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == ["uncommitted_leftover"]
    assert run_check(home, capsys, "--repair")[0] == 0
    assert not leftover.exists() and not leftover.with_suffix(".pdf").exists()
    assert len(archived_rows(home)) == 3


def test_failed_folder_disagreements(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    failed = home / "failed"
    (failed / "no-reason.pdf").write_bytes(b"junk")
    (failed / "gone.pdf.error.json").write_text("{}")
    archived_copy = next(p for p in files_in(home / "originals"))
    shutil.copyfile(archived_copy, failed / "again.pdf")
    (failed / "again.pdf.error.json").write_text("{}")
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == [
        "failed_but_archived", "failed_without_reason", "reason_without_file"]
    code, report = run_check(home, capsys, "--repair")
    assert kinds(report, repaired=True) == ["reason_without_file"]
    assert not (failed / "gone.pdf.error.json").exists() and (failed / "no-reason.pdf").exists()


def test_file_stranded_in_staging_goes_back_to_the_inbox(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staging = home / "inbox" / jobs.STAGING
    staging.mkdir()
    (staging / "0123456789ab.pdf").write_bytes(b"%PDF-1.4 stranded")
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == ["stranded_in_staging"]
    assert run_check(home, capsys, "--repair")[0] == 0
    assert (home / "inbox" / "recovered-0123456789ab.pdf").read_bytes() == b"%PDF-1.4 stranded"


def test_status_counts_every_place(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "inbox" / "waiting.pdf").write_bytes(b"%PDF-1.4")
    (home / "inbox" / "ignored.pdf.part").write_bytes(b"%PDF-1.4")
    assert main(["--home", str(home), "status"]) == 0
    lines = dict(line.split(None, 1) for line in capsys.readouterr().out.splitlines())
    assert (lines["inbox"], lines["archived"], lines["indexed"], lines["in_index"]) == \
        ("1", "3", "3", "3")
    assert lines["index"].startswith("search index ok: 3 documents in gen-")

    postings = sorted((home / "index").glob("gen-*/MAIN_*.pst"))[0]
    os.truncate(postings, 10)
    assert main(["--home", str(home), "status"]) == 0
    lines = dict(line.split(None, 1) for line in capsys.readouterr().out.splitlines())
    assert lines["index"].startswith(f"search index damaged: {postings} has 10 bytes")
    assert lines["index"].endswith("run `courrier reindex`")


def test_truncated_index_file_is_found_and_rebuilt(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live = (home / "index" / (home / "index" / "CURRENT").read_text().strip())
    postings = sorted(live.glob("MAIN_*.pst"))[0]
    os.truncate(postings, 10)
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == ["index_damaged"]
    assert str(postings) in report["findings"][0]["detail"]
    code, report = run_check(home, capsys, "--repair")
    assert code == 0 and kinds(report, repaired=True) == ["index_damaged"]
    assert run_check(home, capsys) == (0, {"findings": [], "ok": True})
    ctx = Context(config_of(home))
    assert ctx.index.search("CK2").total == 1
    ctx.close()


def test_index_without_checksums_is_reported_and_rebuilt(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live = (home / "index" / (home / "index" / "CURRENT").read_text().strip())
    (live / "courrier-manifest.json").unlink()
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == ["index_unverified"]
    code, report = run_check(home, capsys, "--repair")
    assert code == 0 and kinds(report, repaired=True) == ["index_unverified"]
    assert run_check(home, capsys) == (0, {"findings": [], "ok": True})


def test_a_busy_index_is_reported_not_rebuilt(home: Path) -> None:
    from pipeline.check import check
    from pipeline.search.store import Layout

    before = (home / "index" / "CURRENT").read_text()
    ctx = Context(make_config(home, index__lock_timeout_seconds=0.2))
    with Layout(home / "index").write_lock(5):  # a long commit in another process
        report = check(ctx, repair=True)
    ctx.close()
    assert [(f.kind, f.repaired) for f in report.findings] == [("index_busy", False)]
    assert "run `courrier check` again later" in report.findings[0].detail
    assert (home / "index" / "CURRENT").read_text() == before  # no rebuild


def _sidecar_of(home: Path, row: dict[str, Any]) -> Path:
    return (home / "archive" / row["archive_path"]).with_suffix(".json")


def test_letters_left_to_index_are_reported_and_reindexed(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """E.g. a re-extraction whose index pass never ran: the index still has the old fields."""
    row = archived_rows(home)[1]
    sidecar = _sidecar_of(home, row)
    data = json.loads(sidecar.read_text())
    data["metadata"]["sender"] = "Nouvel Expéditeur"
    sidecar.write_text(json.dumps(data))
    ctx = Context(config_of(home))
    ctx.register.mark_indexed([row["id"]], indexed=False)
    ctx.close()
    code, report = run_check(home, capsys)
    assert code == 8 and kinds(report) == ["to_index"]
    code, report = run_check(home, capsys, "--repair")
    assert code == 0 and kinds(report, repaired=True) == ["to_index"]
    ctx = Context(config_of(home))
    assert [h.id for h in ctx.index.search('sender:"nouvel expediteur"').hits] == [row["id"]]
    ctx.close()


def test_a_bad_sidecar_does_not_hold_up_the_others(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = archived_rows(home)
    ctx = Context(config_of(home))
    ctx.register.mark_indexed([r["id"] for r in rows], indexed=False)
    ctx.close()
    bad = _sidecar_of(home, rows[0])
    data = json.loads(bad.read_text())
    data["pages"] = "oops"
    bad.write_text(json.dumps(data))
    code, report = run_check(home, capsys, "--repair")
    assert code == 8
    assert [(f["kind"], f["repaired"]) for f in report["findings"]
            if f["kind"] == "to_index"] == [("to_index", r["id"] in {rows[1]["id"], rows[2]["id"]})
                                           for r in sorted(rows, key=lambda r: r["id"])]
    assert {r["id"] for r in archived_rows(home) if r["indexed"]} == {rows[1]["id"], rows[2]["id"]}


def test_a_torn_sidecar_is_named_and_its_letter_stays_searchable(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = archived_rows(home)[2]
    sidecar = _sidecar_of(home, row)
    sidecar.write_text(sidecar.read_text()[:100])
    code, report = run_check(home, capsys, "--repair")
    assert code == 8 and kinds(report) == ["unreadable_sidecar"]
    assert str(sidecar) in report["findings"][0]["detail"]
    ctx = Context(config_of(home))
    assert row["id"] in ctx.index.ids()  # not removed from the index by the repair
    ctx.close()


def test_checksums_find_changed_archive_files_and_originals(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(home, capsys, "--checksums") == (0, {"findings": [], "ok": True})
    row = archived_rows(home)[0]
    pdf = home / "archive" / row["archive_path"]
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one bit of rot, same size
    pdf.write_bytes(bytes(data))
    original = home / "originals" / row["original_path"]
    original.write_bytes(b"%PDF-1.4\nnot really")
    assert run_check(home, capsys) == (0, {"findings": [], "ok": True})  # sizes only: unseen
    code, report = run_check(home, capsys, "--checksums")
    assert code == 8 and kinds(report) == ["archive_file_changed", "original_changed"]
    details = " ".join(f["detail"] for f in report["findings"])
    assert str(pdf) in details and str(original) in details and "--re-ocr" in details
