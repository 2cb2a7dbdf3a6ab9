"""Two `courrier watch` processes on one inbox: each letter archived exactly once."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.context import Context
from tests.ingest_kit import born_digital_pdf, files_in, originals_hashes, sha256, write_scan_png
from tests.test_crash_kill9 import CONFIG, courrier, drop, settled

pytestmark = pytest.mark.slow


def test_two_watchers_share_one_inbox(tmp_path: Path) -> None:
    home, config = tmp_path / "home", tmp_path / "courrier.toml"
    logs = [tmp_path / "watcher-1.log", tmp_path / "watcher-2.log"]
    config.write_text(CONFIG, encoding="utf-8")
    source = tmp_path / "source"
    source.mkdir()
    inputs = [born_digital_pdf(source / f"d{n}.pdf", f"TW{n}") for n in range(10)]
    inputs += [write_scan_png(source / f"s{n}.png", f"TS{n}") for n in range(2)]
    (home / "inbox").mkdir(parents=True)
    drop(inputs[:4], home / "inbox")  # both see these at their start-up rescan
    watchers = [courrier(home, config, "watch", log=log) for log in logs]
    time.sleep(3)
    drop(inputs[4:], home / "inbox")  # and these through their observers, at the same time
    deadline = time.monotonic() + 240
    while not (settled(home) and _archived_count(home) == len(inputs)) \
            and time.monotonic() < deadline:
        time.sleep(1)
    for proc in watchers:
        proc.send_signal(signal.SIGTERM)
    texts = [log.read_text(errors="replace") for log in logs]
    assert [proc.wait(timeout=60) for proc in watchers] == [0, 0], texts[0][-2000:]

    cfg = load_config(home=home, env={})
    ctx = Context(cfg)
    try:
        rows = list(ctx.register.archived())
        assert sorted(r["sha256"] for r in rows) == sorted(sha256(p) for p in inputs)
        assert ctx.index.ids() == {r["id"] for r in rows}
    finally:
        ctx.close()
    assert len([p for p in files_in(cfg.paths.archive) if p.suffix == ".pdf"]) == len(inputs)
    assert {sha256(p) for p in inputs} <= originals_hashes(cfg)
    assert files_in(cfg.paths.failed) == [] and files_in(cfg.paths.duplicates) == []
    assert not any("Traceback" in text for text in texts)
    # Both really worked: each archived some letters, and together each letter once.
    done = [text.count("event=outcome") - text.count("status=skipped") for text in texts]
    assert sum(done) == len(inputs) and min(done) >= 1, done


def _archived_count(home: Path) -> int:
    ctx = Context(load_config(home=home, env={}))
    try:
        return len(list(ctx.register.archived()))
    finally:
        ctx.close()
