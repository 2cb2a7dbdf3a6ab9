"""Faults injected through real seams: OCR timeout, read-only and full archive disks,
an inbox on another filesystem, duplicates, and a 500-page PDF within memory limits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import jobs
from pipeline.config import Config
from pipeline.context import Context
from pipeline.run import process_path, resume_pending
from tests.conftest import REPO, make_config
from tests.ingest_kit import (
    FakeExtractor,
    born_digital_pdf,
    error_json,
    files_in,
    originals_hashes,
    sha256,
    write_scan_png,
)


def context(config: Config) -> Context:
    ctx = Context(config)
    ctx.extractor = FakeExtractor()  # type: ignore[assignment]
    return ctx


def _mount(args: list[str]) -> None:
    proc = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        pytest.skip(f"cannot mount here (needs root): {proc.stderr.strip()}")


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    """Mount points to undo at the end, most recent first."""
    made: list[Path] = []
    yield made
    for point in reversed(made):
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_ocr_timeout_is_retried_then_failed_then_archived_when_fixed(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = make_config(tmp_path / "home", ocr__timeout_seconds=1, watch__transient_retries=1,
                         stability__backoff_max_seconds=0.5)
    path = write_scan_png(config.paths.inbox / "slow scan.png", "TIMEOUT")
    digest = sha256(path)
    ctx = context(config)
    outcome = process_path(path, ctx)
    assert outcome.status == "failed"
    failed = Path(outcome.failed_path or "")
    reason = error_json(failed)
    assert (reason["error_class"], reason["transient"], reason["stage"]) == \
        ("OcrTimeoutError", True, "ocr")
    assert "retried" in reason["hint"] and sha256(failed) == digest
    assert ctx.register.get(outcome.id or "") is None  # the journal row was abandoned
    assert "status=retry attempt=1" in caplog.text  # retried once before giving up
    config.ocr.timeout_seconds = 300  # the fault goes away: the same file now goes through
    os.rename(failed, config.paths.inbox / failed.name)
    assert process_path(config.paths.inbox / failed.name, ctx).status == "archived"
    assert digest in originals_hashes(config)
    ctx.close()


def _archive_fault_case(config: Config, label: str) -> tuple[str, str]:
    path = born_digital_pdf(config.paths.inbox / f"{label}.pdf", label)
    digest = sha256(path)
    ctx = context(config)
    outcome = process_path(path, ctx)
    assert list(ctx.register.archived()) == []  # nothing half-registered
    ctx.close()
    assert outcome.status == "failed"
    failed = Path(outcome.failed_path or "")
    assert sha256(failed) == digest  # the input kept, byte-identical
    reason = error_json(failed)
    assert (reason["error_class"], reason["stage"], reason["transient"]) == \
        ("StorageError", "register", True)
    assert list(config.paths.processing.iterdir()) == []
    return reason["message"], failed.name


def test_read_only_archive_keeps_the_input(tmp_path: Path, mounts: list[Path]) -> None:
    config = make_config(tmp_path / "home", watch__transient_retries=1,
                         stability__backoff_max_seconds=0.2)
    archive = config.paths.archive
    _mount(["--bind", str(archive), str(archive)])
    mounts.append(archive)
    _mount(["-o", "remount,ro,bind", str(archive)])
    message, name = _archive_fault_case(config, "READONLY")
    assert "Read-only file system" in message
    subprocess.run(["umount", str(archive)], check=True)
    mounts.remove(archive)
    os.rename(config.paths.failed / name, config.paths.inbox / name)
    ctx = context(config)
    assert process_path(config.paths.inbox / name, ctx).status == "archived"
    ctx.close()


def test_full_archive_disk_keeps_the_input(tmp_path: Path, mounts: list[Path]) -> None:
    config = make_config(tmp_path / "home", watch__transient_retries=1,
                         stability__backoff_max_seconds=0.2)
    archive = config.paths.archive
    _mount(["-t", "tmpfs", "-o", "size=256k", "tmpfs", str(archive)])
    mounts.append(archive)
    fd = os.open(archive / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass  # the disk is full now
    finally:
        os.close(fd)
    message, _ = _archive_fault_case(config, "DISKFULL")
    assert "No space left on device" in message


def test_inbox_on_another_filesystem_is_claimed_through_staging(
        tmp_path: Path, mounts: list[Path]) -> None:
    config = make_config(tmp_path / "home")
    inbox = config.paths.inbox
    _mount(["-t", "tmpfs", "-o", "size=8m", "tmpfs", str(inbox)])
    mounts.append(inbox)
    first = born_digital_pdf(inbox / "share-1.pdf", "SHARE1")
    second = born_digital_pdf(inbox / "share-2.pdf", "SHARE2")
    digests = {sha256(first), sha256(second)}

    class Killed(BaseException):
        pass

    def die(*_args: object) -> None:
        raise Killed

    with pytest.MonkeyPatch.context() as mp:  # die after the rename, during the copy
        mp.setattr(jobs, "_finish_staging", die)
        with pytest.raises(Killed):
            jobs.claim(second, config, context(config).clock())
    for fd in os.listdir("/proc/self/fd"):  # the dead process's lock goes with it
        if os.path.realpath(f"/proc/self/fd/{fd}").endswith(jobs.LOCK_FILE):
            os.close(int(fd))
    assert [p.parent.name for p in files_in(inbox)] == [jobs.STAGING, "inbox"]
    ctx = context(config)
    assert [o.status for o in resume_pending(ctx)] == ["archived"]
    assert process_path(first, ctx).status == "archived"
    assert {r["sha256"] for r in ctx.register.archived()} == digests
    ctx.close()
    assert files_in(inbox) == [] and list(config.paths.processing.iterdir()) == []


@pytest.mark.parametrize("keep", [True, False])
def test_duplicate_is_recorded_and_never_archived_twice(tmp_path: Path, keep: bool) -> None:
    config = make_config(tmp_path / "home", watch__keep_duplicates=keep)
    first = born_digital_pdf(config.paths.inbox / "letter.pdf", "DUP")
    data = first.read_bytes()
    ctx = context(config)
    archived = process_path(first, ctx)
    again = config.paths.inbox / "letter (copy).pdf"
    again.write_bytes(data)
    outcome = process_path(again, ctx)
    assert (outcome.status, outcome.duplicate_of) == ("duplicate", archived.id)
    assert outcome.registration_number == archived.registration_number
    assert len(list(ctx.register.archived())) == 1
    assert [e["action"] for e in ctx.register.history(archived.id or "")][-1] == \
        "duplicate_received"
    ctx.close()
    kept = files_in(config.paths.duplicates)
    if keep:
        assert [p.name for p in kept] == ["letter (copy).pdf", "letter (copy).pdf.duplicate.json"]
        assert kept[0].read_bytes() == data
        note = json.loads(kept[1].read_text(encoding="utf-8"))
        assert note["registration_number"] == archived.registration_number
    else:
        assert kept == []
    assert files_in(config.paths.inbox) == []
    assert len([p for p in files_in(config.paths.archive) if p.suffix == ".pdf"]) == 1


@pytest.mark.slow
def test_500_page_pdf_within_memory_limits(tmp_path: Path) -> None:
    """Born-digital, so OCRmyPDF's skip-text path; peak RSS of the whole process tree."""
    source = born_digital_pdf(tmp_path / "thick.pdf", "THICK", pages=500)
    home = tmp_path / "home"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "--home", str(home), "--log-level", "WARNING",
         "ingest", "--json", str(source)], cwd=REPO, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode() if proc.stdout else ""
    assert os.waitstatus_to_exitcode(status) == 0, out
    result = json.loads(out.strip().splitlines()[-1])
    assert (result["status"], result["metadata"]["pages"]) == ("archived", 500)
    peak_mb = usage.ru_maxrss / 1024  # the largest process of the tree, in MiB
    print(f"500-page PDF: peak RSS {peak_mb:.0f} MiB")
    assert peak_mb < 1500


def test_ingest_command_skips_a_busy_file_and_goes_on(
        tmp_path: Path, mounts: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import main

    config = make_config(tmp_path / "home")
    busy = born_digital_pdf(config.paths.inbox / "busy.pdf", "BUSYCMD")
    cover = tmp_path / "cover.pdf"
    shutil.copyfile(busy, cover)
    _mount(["--bind", str(cover), str(busy)])  # rename() now fails with EBUSY
    mounts.append(busy)
    fine = born_digital_pdf(config.paths.inbox / "fine.pdf", "FINECMD")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Context, "extractor", FakeExtractor())
        code = main(["--home", str(config.paths.home), "--log-level", "WARNING", "ingest",
                     "--json", str(busy), str(fine)])
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert [(r["status"], (r["error"] or {}).get("error_class")) for r in results] == [
        ("busy", "FileBusyError"), ("archived", None)]
    assert busy.exists() and list(config.paths.processing.iterdir()) == []
