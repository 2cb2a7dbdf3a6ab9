"""Bad and odd inputs dropped in a running watcher's inbox (real OCR, real files).

Each ends archived or in failed/ with a reason file that says what happened and what to do,
the original byte-identical, and the watcher still running and still taking mail.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline import watch
from pipeline.context import Context
from pipeline.run import process_path
from pipeline.watch import Watcher, observer_alive
from tests.conftest import CORPUS, make_config
from tests.ingest_kit import (
    FakeExtractor,
    born_digital_pdf,
    error_json,
    files_in,
    scan_image,
    scan_pdf_bytes,
    sha256,
)

NAMES = ["a b  c.pdf", "Lettre reçue à Noël.pdf", "courrier 📬 urgent.pdf", "it's \"quoted\".pdf",
         "semi;colon.pdf", "$(touch pwned) `x`.pdf", "new\nline.pdf", "L" * 246 + ".pdf"]
RAW_NAME = b"bad\xff\xfe utf8.pdf"  # not valid UTF-8: kept as bytes by the filesystem


def _corpus_file(name: str) -> bytes:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return (CORPUS / name).read_bytes()


def _inputs() -> dict[str, tuple[bytes, bytes]]:
    """case -> (file name bytes, content)."""
    tiff_frames = [scan_image("TA", n, mode="RGBA") for n in (1, 2, 3)]
    raw = scan_pdf_bytes("TR", pages=2)
    cases = {
        "zero_byte": (b"empty.pdf", b""),
        "truncated_pdf": (b"truncated.pdf", raw[: len(raw) * 6 // 10]),
        "junk_before_header": (b"junk.pdf", _corpus_file("paperless/invalid_pdf.pdf")),
        "encrypted_unknown_password": (b"locked.pdf", _corpus_file("paperless/encrypted.pdf")),
        "signed_pdf": (b"signed.pdf", _corpus_file("paperless/signed.pdf")),
        "decompression_bomb": (b"hugemono.pdf", _corpus_file("ocrmypdf/hugemono.pdf")),
        "huge_page": (b"enormous.pdf", _corpus_file("ocrmypdf/enormous.pdf")),
        "blank_page": (b"blank.pdf", _corpus_file("ocrmypdf/blank.pdf")),
        "linux_program": (b"program.pdf", Path("/bin/true").read_bytes()),
        "windows_program": (b"setup.pdf", b"MZ\x90\x00\x03" + bytes(range(256)) * 8),
        "text_file": (b"notes.pdf", "Réunion du 3 mars\nOrdre du jour\n".encode() * 10),
        "utf16_log": (b"export.pdf", "\ufeff2024-03-03 ERROR disk\r\n".encode("utf-16-le") * 40),
        "utf16_log_no_bom": (b"trace.pdf", "2024-03-04 WARN scan\r\n".encode("utf-16-le") * 40),
    }
    buffer = Path(os.environ.get("TMPDIR", "/tmp")) / f"alpha-{os.getpid()}.tif"
    tiff_frames[0].save(buffer, save_all=True, append_images=tiff_frames[1:],
                        compression="tiff_deflate")
    cases["tiff_alpha_3_pages"] = (b"alpha.tif", buffer.read_bytes())
    buffer.unlink()
    for n, name in enumerate([*NAMES, os.fsdecode(RAW_NAME)]):
        pdf = Path(os.environ.get("TMPDIR", "/tmp")) / f"name-{os.getpid()}-{n}.pdf"
        cases[f"name_{n}"] = (os.fsencode(name), born_digital_pdf(pdf, f"NM{n}").read_bytes())
        pdf.unlink()
    # The same odd names on a file that fails: the failed copy keeps the exact name bytes.
    for n, name in enumerate(("new\nline.txt.pdf", "M" * 251 + ".pdf", RAW_NAME + b"x")):
        cases[f"failed_name_{n}"] = (os.fsencode(name), f"words {n}\n".encode())
    return cases


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Drop every case into a running watcher's inbox; run until it is drained."""
    home = tmp_path_factory.mktemp("bad") / "home"
    config = make_config(home, stability__max_wait_seconds=4.0,
                         stability__empty_max_wait_seconds=2.0, ocr__max_image_mpixels=80)
    ctx = Context(config)
    ctx.extractor = FakeExtractor()  # type: ignore[assignment]
    watcher = Watcher(config, ctx)
    watcher.start_observer()
    cases = _inputs()
    inbox = os.fsencode(str(config.paths.inbox))
    for name, data in cases.values():
        Path(os.fsdecode(inbox + b"/" + name)).write_bytes(data)
    deadline = time.monotonic() + 400
    while (files_in(config.paths.inbox) or watcher.candidates) and time.monotonic() < deadline:
        assert watcher.observer_healthy(time.monotonic())
        watcher.tick(time.monotonic())
        time.sleep(0.1)
    # Still running and still taking mail after all that.
    alive = observer_alive(watcher.observer)
    good = born_digital_pdf(config.paths.inbox / "after-the-storm.pdf", "GOOD")
    good_sha = sha256(good)
    while good.exists() and time.monotonic() < deadline + 60:
        watcher.observer_healthy(time.monotonic())
        watcher.tick(time.monotonic())
        time.sleep(0.1)
    rows = {r["sha256"]: r for r in ctx.register.archived()}
    assert watcher.observer is not None
    watch._stop_quietly(watcher.observer)
    ctx.close()
    failed = {sha256(p): p for p in files_in(config.paths.failed)
              if not p.name.endswith(".error.json")}
    return {"config": config, "cases": cases, "rows": rows, "failed": failed,
            "alive": alive, "good": good_sha in rows}


def outcome(watched: dict[str, Any], case: str) -> tuple[str, Any]:
    """('archived', register row) or ('failed', reason dict) for one case."""
    digest = __import__("hashlib").sha256(watched["cases"][case][1]).hexdigest()
    if digest in watched["rows"]:
        return "archived", watched["rows"][digest]
    if digest in watched["failed"]:
        return "failed", error_json(watched["failed"][digest])
    return "missing", None


def sidecar(watched: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    path = (watched["config"].paths.archive / row["archive_path"]).with_suffix(".json")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_watcher_survives_and_still_takes_mail(watched: dict[str, Any]) -> None:
    assert watched["alive"] and watched["good"]
    config = watched["config"]
    assert files_in(config.paths.inbox) == []
    assert list(config.paths.processing.iterdir()) == []


@pytest.mark.parametrize("case,error_class,words", [
    ("zero_byte", "IncompleteFileError", "the file is empty"),
    ("truncated_pdf", "IncompleteFileError", "%%EOF"),
    ("encrypted_unknown_password", "EncryptedFileError", "password"),
    ("decompression_bomb", "TooLargeError", "1225-megapixel"),
    ("huge_page", "TooLargeError", "81-megapixel"),
    ("linux_program", "UnsupportedFormatError", "a Linux program"),
    ("windows_program", "UnsupportedFormatError", "a Windows program"),
    ("text_file", "UnsupportedFormatError", "plain text file"),
    ("utf16_log", "UnsupportedFormatError", "UTF-16 text file"),
    ("utf16_log_no_bom", "UnsupportedFormatError", "UTF-16 text file"),
])
def test_bad_input_fails_with_reason_and_original_kept(
        watched: dict[str, Any], case: str, error_class: str, words: str) -> None:
    status, reason = outcome(watched, case)
    assert status == "failed"  # found by its sha256: byte-identical in failed/
    assert reason["error_class"] == error_class and words in reason["message"]
    assert reason["hint"] and reason["transient"] is False
    assert reason["original_name"] == os.fsdecode(watched["cases"][case][0])


def test_bomb_refused_without_running_ocr(watched: dict[str, Any]) -> None:
    assert outcome(watched, "decompression_bomb")[1]["stage"] == "ocr"
    assert "max_image_mpixels" in outcome(watched, "decompression_bomb")[1]["hint"]


def test_junk_before_header_is_archived(watched: dict[str, Any]) -> None:
    status, row = outcome(watched, "junk_before_header")
    assert status == "archived" and row["page_count"] == 2
    assert any("junk before the PDF header" in n for n in sidecar(watched, row)["ocr_notes"])


def test_signed_pdf_archived_unmodified_with_text_in_sidecar(watched: dict[str, Any]) -> None:
    status, row = outcome(watched, "signed_pdf")
    assert status == "archived"
    archived = watched["config"].paths.archive / row["archive_path"]
    assert archived.read_bytes() == watched["cases"]["signed_pdf"][1]
    data = sidecar(watched, row)
    assert data["signed"] is True and data["pdfa"] is False
    assert sum(len(p["text"].strip()) for p in data["pages"]) > 20


def test_blank_page_is_archived_with_a_note(watched: dict[str, Any]) -> None:
    status, row = outcome(watched, "blank_page")
    assert status == "archived" and row["page_count"] == 1
    assert any("no text found" in n for n in sidecar(watched, row)["ocr_notes"])


def test_multipage_tiff_with_alpha_keeps_all_pages(watched: dict[str, Any]) -> None:
    status, row = outcome(watched, "tiff_alpha_3_pages")
    assert status == "archived" and row["page_count"] == 3
    texts = [p["text"] for p in sidecar(watched, row)["pages"]]
    assert [("Page 1" in texts[0]), ("Page 2" in texts[1]), ("Page 3" in texts[2])] == [True] * 3


@pytest.mark.parametrize("n", range(len(NAMES) + 1))
def test_odd_file_names_are_archived(watched: dict[str, Any], n: int) -> None:
    status, row = outcome(watched, f"name_{n}")
    assert status == "archived"
    assert row["original_name"] == os.fsencode(watched["cases"][f"name_{n}"][0]).decode(
        "utf-8", "replace")
    assert (watched["config"].paths.archive / row["archive_path"]).is_file()


@pytest.mark.parametrize("n", range(3))
def test_odd_names_in_failed_keep_their_bytes(watched: dict[str, Any], n: int) -> None:
    name = watched["cases"][f"failed_name_{n}"][0]
    digest = __import__("hashlib").sha256(watched["cases"][f"failed_name_{n}"][1]).hexdigest()
    kept = os.fsencode(watched["failed"][digest].name)
    assert kept == name if len(name) <= 200 else (kept.startswith(name[:150]) and len(kept) <= 200)
    assert os.fsencode(watched["failed"][digest].name + ".error.json") in os.listdir(
        os.fsencode(str(watched["config"].paths.failed)))


def test_ingest_route_judges_what_the_watcher_waits_for(tmp_path: Path) -> None:
    """`courrier ingest` takes files as given: empty and truncated fail at once, clearly."""
    config = make_config(tmp_path / "home")
    ctx = Context(config)
    ctx.extractor = FakeExtractor()  # type: ignore[assignment]
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    raw = scan_pdf_bytes("TI", pages=2)
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(raw[: len(raw) // 2])
    results = [process_path(p, ctx) for p in (empty, truncated)]
    ctx.close()
    assert [(o.status, (o.error or {}).get("error_class")) for o in results] == [
        ("failed", "EmptyFileError"), ("failed", "DamagedFileError")]
    assert empty.exists() and truncated.read_bytes() == raw[: len(raw) // 2]  # copied, not moved
    shutil.rmtree(config.paths.home)
