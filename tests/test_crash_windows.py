"""A process death at each window of the ingest, simulated in-process, then a restart.

The death is a BaseException raised at the seam (the pipeline only catches Exception, as a
SIGKILL would not let it catch anything), then the dead job's lock is dropped as the kernel
would and `resume_pending` runs with fresh services. Each input must end archived exactly
once, indexed, its original kept, nothing left in processing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline import jobs, run
from pipeline.config import Config
from pipeline.context import Context
from pipeline.run import process_path, resume_pending
from pipeline.stages import index as index_stage
from pipeline.stages import ingest as ingest_stage
from tests.conftest import make_config
from tests.ingest_kit import (
    FakeExtractor,
    born_digital_pdf,
    error_json,
    files_in,
    originals_hashes,
    sha256,
)


class Killed(BaseException):
    """The process died here."""


def drop_dead_locks() -> None:
    """What the kernel does for a killed process: its job locks vanish."""
    for fd_name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd_name}")
        except OSError:
            continue
        if target.endswith("/" + jobs.LOCK_FILE) or target.endswith(jobs.LOCK_FILE + " (deleted)"):
            os.close(int(fd_name))


def context(config: Config) -> Context:
    ctx = Context(config)
    ctx.extractor = FakeExtractor()  # type: ignore[assignment]
    return ctx


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Config]:
    yield make_config(tmp_path / "home")
    drop_dead_locks()


def crash_then_resume(config: Config, label: str, patch: Callable[[pytest.MonkeyPatch], None]
                      ) -> tuple[str, Context]:
    """Drop a letter, die at the patched seam, restart; return the input's sha256."""
    path = born_digital_pdf(config.paths.inbox / f"{label}.pdf", label)
    digest = sha256(path)
    with pytest.MonkeyPatch.context() as mp:
        patch(mp)
        ctx = context(config)
        with pytest.raises(Killed):
            process_path(path, ctx)
        ctx.close()
    drop_dead_locks()
    ctx = context(config)
    resume_pending(ctx)
    index_stage.flush_pending(ctx)
    return digest, ctx


def assert_exactly_once(config: Config, ctx: Context, digest: str) -> None:
    rows = list(ctx.register.archived())
    assert [r["sha256"] for r in rows] == [digest]
    assert digest in originals_hashes(config)
    assert ctx.index.ids() == {rows[0]["id"]}
    assert len([p for p in files_in(config.paths.archive) if p.suffix == ".pdf"]) == 1
    assert list(config.paths.processing.iterdir()) == []
    assert files_in(config.paths.inbox) == [] and files_in(config.paths.failed) == []
    ctx.close()


def _die(*_args: object, **_kwargs: object) -> None:
    raise Killed


def test_death_between_claim_and_journal(home: Config) -> None:
    def patch(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(ingest_stage, "sniff", _die)  # claimed, nothing journaled yet
    digest, ctx = crash_then_resume(home, "claim", patch)
    assert_exactly_once(home, ctx, digest)


def test_death_after_archive_files_before_commit(home: Config) -> None:
    from pipeline.stages import register

    real = register._place_files

    def place_then_die(doc, ctx, number):  # type: ignore[no-untyped-def]
        real(doc, ctx, number)  # the PDF and sidecar are written ...
        raise Killed  # ... and the register transaction never commits

    def patch(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(register, "_place_files", place_then_die)
    digest, ctx = crash_then_resume(home, "commit", patch)
    # The number written into the uncommitted sidecar was not used up: no gap.
    assert next(r["registration_number"] for r in ctx.register.archived()).endswith("000001")
    assert_exactly_once(home, ctx, digest)


def test_death_between_commit_and_index(home: Config) -> None:
    def patch(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(run, "AFTER_COMMIT", [("index", _die)])
    digest, ctx = crash_then_resume(home, "index", patch)
    assert_exactly_once(home, ctx, digest)


def test_death_between_index_and_cleanup(home: Config) -> None:
    def patch(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(jobs, "finish", _die)
    digest, ctx = crash_then_resume(home, "cleanup", patch)
    assert_exactly_once(home, ctx, digest)


def test_death_while_moving_to_failed(home: Config) -> None:
    """The failure plan is in the job folder: the restart finishes the move, no re-OCR."""
    path = home.paths.inbox / "broken.pdf"
    path.write_bytes(b"not a pdf at all, just words\n")
    digest = sha256(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jobs, "_complete_failure", _die)
        ctx = context(home)
        with pytest.raises(Killed):
            process_path(path, ctx)
        ctx.close()
    drop_dead_locks()
    ctx = context(home)
    assert resume_pending(ctx) == []
    failed = [p for p in files_in(home.paths.failed) if not p.name.endswith(".json")]
    assert [sha256(p) for p in failed] == [digest]
    assert error_json(failed[0])["error_class"] == "UnsupportedFormatError"
    assert list(home.paths.processing.iterdir()) == []
    ctx.close()


def test_live_job_is_not_resumed_by_another_process(home: Config) -> None:
    """A second process starting up leaves the first one's job alone (its lock is held)."""
    path = born_digital_pdf(home.paths.inbox / "live.pdf", "live")
    job = jobs.claim(path, home, context(home).clock())
    assert job is not None
    other = context(home)
    assert resume_pending(other) == []
    assert job.doc.source.exists()
    jobs.release(job)  # the owner dies now
    outcomes = resume_pending(other)
    assert [o.status for o in outcomes] == ["archived"]
    assert list(home.paths.processing.iterdir()) == []
    other.close()


def test_failed_input_keeps_exact_name_bytes(home: Config) -> None:
    raw = os.fsencode(str(home.paths.inbox)) + b"/bad\xff name;$(x)\n.pdf"
    Path(os.fsdecode(raw)).write_bytes(b"plain words\n")
    ctx = context(home)
    outcome = process_path(Path(os.fsdecode(raw)), ctx)
    assert outcome.status == "failed"
    names = os.listdir(os.fsencode(str(home.paths.failed)))
    assert b"bad\xff name;$(x)\n.pdf" in names
    failed = Path(os.fsdecode(os.fsencode(str(home.paths.failed)) + b"/bad\xff name;$(x)\n.pdf"))
    assert error_json(failed)["original_name"] == "bad\ufffd name;$(x)\n.pdf"
    assert error_json(failed)["hint"]
    ctx.close()
