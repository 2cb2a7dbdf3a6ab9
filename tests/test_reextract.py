"""`courrier reindex --re-extract` and `--re-ocr`: real extractor, real OCR, resumable, and a
document that fails is named and left for the next run while the others go on."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline import jobs
from pipeline.cli import main
from pipeline.config import Config
from pipeline.context import Context
from pipeline.reextract import re_extract_all
from pipeline.run import process_path
from tests.conftest import make_config
from tests.ingest_kit import FakeExtractor, born_digital_pdf, sha256, write_scan_png


def _archive_with_blank_fields(config: Config, make: Any, labels: list[str]) -> None:
    """Archive letters as an older extractor would have: no field found."""
    ctx = Context(config)
    ctx.extractor = FakeExtractor()  # type: ignore[assignment]
    for label in labels:
        assert process_path(make(config.paths.inbox / label, label), ctx).status == "archived"
    ctx.close()


def _rows(config: Config) -> dict[str, dict[str, Any]]:
    ctx = Context(config)
    try:
        return {Path(r["original_name"]).stem: r for r in ctx.register.archived()}
    finally:
        ctx.close()


def _cli(config: Config, *args: str) -> int:
    return main(["--home", str(config.paths.home), "--log-level", "WARNING", *args])


def _pdf(path: Path, label: str) -> Path:
    return born_digital_pdf(path.with_suffix(".pdf"), label)


def test_re_extract_fills_the_fields_and_resumes_after_an_interruption(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path / "home")
    _archive_with_blank_fields(config, _pdf, ["RX0", "RX1", "RX2"])
    assert {r["sender"] for r in _rows(config).values()} == {None}

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt  # the operator's Ctrl-C
    ctx = Context(config)
    with pytest.raises(KeyboardInterrupt):
        re_extract_all(ctx, progress=stop_after_two)
    ctx.close()
    progress_file = config.paths.home / ".re-extract-progress"
    assert len(progress_file.read_text().split()) == 2

    assert _cli(config, "reindex", "--re-extract") == 0
    err = capsys.readouterr().err
    assert "re-extract: 1 document(s) done, 1 changed (2 done by the interrupted run)" in err
    assert not progress_file.exists()
    rows = _rows(config)
    for label, row in rows.items():
        assert (row["sender"], row["letter_date"], row["subject"], row["doc_type"]) == \
            (f"ACME Fournitures {label}", "2024-03-02", f"Facture FAC-2024-{label}", "invoice")
        sidecar = json.loads((config.paths.archive / row["archive_path"]).with_suffix(
            ".json").read_text())
        assert sidecar["extraction"]["fields"]["sender"]["value"] == f"ACME Fournitures {label}"
    ctx = Context(config)
    assert [e["action"] for e in ctx.register.history(rows["RX1"]["id"])][-1] == "re_extracted"
    found = ctx.index.search('sender:"ACME Fournitures RX1"')
    assert [hit.id for hit in found.hits] == [rows["RX1"]["id"]]
    ctx.close()
    assert _cli(config, "check") == 0


def test_re_extract_names_a_damaged_sidecar_and_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path / "home")
    _archive_with_blank_fields(config, _pdf, ["DX0", "DX1", "DX2"])
    victim = _rows(config)["DX1"]
    sidecar = (config.paths.archive / victim["archive_path"]).with_suffix(".json")
    good = sidecar.read_text()
    sidecar.write_text(good[: len(good) // 2])  # torn by a disk problem

    assert _cli(config, "reindex", "--re-extract") == 1
    err = capsys.readouterr().err
    assert "re-extract: 2 document(s) done, 2 changed" in err
    assert "re-extract failed for 1 document(s)" in err
    assert victim["registration_number"] in err and "tries them again" in err
    rows = _rows(config)
    assert (rows["DX0"]["sender"], rows["DX1"]["sender"], rows["DX2"]["sender"]) == \
        ("ACME Fournitures DX0", None, "ACME Fournitures DX2")

    sidecar.write_text(good)  # restored from a backup
    assert _cli(config, "reindex", "--re-extract") == 0
    assert "1 document(s) done, 1 changed (2 done by the interrupted run)" in \
        capsys.readouterr().err
    assert _rows(config)["DX1"]["sender"] == "ACME Fournitures DX1"

    # The same extractor again: nothing differs, nothing is rewritten.
    before = sidecar.stat().st_mtime_ns
    assert _cli(config, "reindex", "--re-extract") == 0
    assert "re-extract: 3 document(s) done, 0 changed" in capsys.readouterr().err
    assert sidecar.stat().st_mtime_ns == before


def test_a_second_re_extract_at_the_same_time_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path / "home")
    with open(config.paths.home / ".re-extract-progress", "a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert _cli(config, "reindex", "--re-extract") == 2
    assert "another `courrier reindex --re-extract` is running" in capsys.readouterr().err


def test_a_held_work_folder_is_left_alone_by_check_and_removed_once_released(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path / "home")
    work = config.paths.processing / "re-ocr-abc"
    work.mkdir()
    fd = jobs.hold_work_folder(work)
    assert _cli(config, "check", "--repair") == 0
    assert work.is_dir()
    os.close(fd)  # its process died
    _cli(config, "check", "--repair")
    assert not work.exists()


def test_re_ocr_replaces_the_archived_pdf_and_names_a_missing_original(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Real tesseract and OCRmyPDF on two small scans; one original has gone missing."""
    config = make_config(tmp_path / "home")
    _archive_with_blank_fields(config, lambda p, label: write_scan_png(
        p.with_suffix(".png"), label), ["RO1", "RO2"])
    before = _rows(config)
    lost = config.paths.originals / before["RO2"]["original_path"]
    lost.unlink()

    assert _cli(config, "reindex", "--re-ocr") == 1
    err = capsys.readouterr().err
    assert "re-ocr: 1 document(s) done, 1 changed" in err
    assert before["RO2"]["registration_number"] in err and str(lost) in err
    after = _rows(config)
    redone = after["RO1"]
    pdf = config.paths.archive / redone["archive_path"]
    assert redone["archive_path"] == before["RO1"]["archive_path"]  # same path, new content
    assert redone["pdf_sha256"] == sha256(pdf)
    assert redone["sender"] == "ACME Fournitures RO1"
    assert after["RO2"]["sender"] is None and after["RO2"]["pdf_sha256"] == \
        before["RO2"]["pdf_sha256"]
    assert list(config.paths.processing.iterdir()) == []  # the work folder is gone
    ctx = Context(config)
    assert [e["action"] for e in ctx.register.history(redone["id"])][-1] == "re_ocred"
    assert ctx.index.search('facture sender:"ACME Fournitures RO1"').total == 1
    ctx.close()


def test_a_sidecar_of_the_wrong_shape_is_a_named_storage_error(tmp_path: Path) -> None:
    from pipeline.errors import StorageError
    from pipeline.reextract import _read_sidecar
    from tests.test_search_support import make_sidecar

    for damage in ({"extraction": None}, {"pages": "oops"}, {"metadata": []}):
        path = tmp_path / "x.json"
        path.write_text(json.dumps({**make_sidecar("x", "texte"), **damage}))
        with pytest.raises(StorageError, match=r"its sidecar .*x\.json cannot be read"):
            _read_sidecar(path)
