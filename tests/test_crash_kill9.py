"""kill -9 at random moments: every input still ends archived exactly once, indexed, kept.

Real processes (`courrier watch` and `courrier ingest`, alternately) on a home in tmp, real
OCR and extraction, 32 inputs (born-digital PDFs, small scans, a 2-page scan PDF), killed with
SIGKILL at random moments and restarted; a last watcher runs until the inbox is drained.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.context import Context
from tests.conftest import REPO
from tests.ingest_kit import (
    born_digital_pdf,
    files_in,
    originals_hashes,
    scan_pdf_bytes,
    sha256,
    write_scan_png,
)

pytestmark = pytest.mark.slow

CONFIG = """
[stability]
quiet_seconds = 0.5
backoff_max_seconds = 1.0
[watch]
rescan_interval_seconds = 5.0
polling_interval_seconds = 0.5
transient_retries = 1
[ocr]
languages = ["fra"]
"""


def make_inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    inputs = [born_digital_pdf(folder / f"digital-{n:02d}.pdf", f"D{n:02d}") for n in range(27)]
    inputs += [write_scan_png(folder / f"scan {n:02d}.png", f"S{n:02d}") for n in range(4)]
    for n in range(1):
        path = folder / f"scan-pdf-{n}.pdf"
        path.write_bytes(scan_pdf_bytes(f"P{n}", pages=2))
        inputs.append(path)
    return inputs


def courrier(home: Path, config: Path, *args: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with open(log, "ab") as stream:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "--config", str(config), "--home", str(home),
             *args], cwd=REPO, env=env, stdout=stream, stderr=stream, stdin=subprocess.DEVNULL)


def drop(files: list[Path], inbox: Path) -> None:
    for path in files:
        temp = inbox / f".{path.name}.part"  # as a careful sender would: temp, then rename
        temp.write_bytes(path.read_bytes())
        os.rename(temp, inbox / path.name)


def settled(home: Path) -> bool:
    inbox = [p for p in files_in(home / "inbox") if ".courrier-claims" not in p.parts]
    return not inbox and not any((home / "processing").iterdir())


def test_kill9_at_random_moments_loses_and_doubles_nothing(tmp_path: Path) -> None:
    home, config, log = tmp_path / "home", tmp_path / "courrier.toml", tmp_path / "run.log"
    config.write_text(CONFIG, encoding="utf-8")
    inputs = make_inputs(tmp_path / "source")
    digests = {sha256(p) for p in inputs}
    (home / "inbox").mkdir(parents=True)
    drop(inputs[:18], home / "inbox")
    rng = random.Random(20240303)
    kills = 0
    for round_ in range(8):
        if round_ == 3:
            drop(inputs[18:], home / "inbox")  # new mail arriving between crashes
        args = ["watch"] if round_ % 2 == 0 else ["ingest", str(home / "inbox")]
        proc = courrier(home, config, *args, log=log)
        time.sleep(rng.uniform(1.5, 11.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    final = courrier(home, config, "watch", log=log)
    deadline = time.monotonic() + 360
    while not settled(home) and time.monotonic() < deadline and final.poll() is None:
        time.sleep(1)
    time.sleep(2)  # let it index what it just archived before stopping
    final.send_signal(signal.SIGTERM)
    assert final.wait(timeout=60) == 0, log.read_text(errors="replace")[-3000:]
    assert kills >= 4

    cfg = load_config(home=home, env={})
    ctx = Context(cfg)
    try:
        rows = list(ctx.register.archived())
        assert sorted(r["sha256"] for r in rows) == sorted(digests)  # each exactly once
        assert len([p for p in files_in(cfg.paths.archive) if p.suffix == ".pdf"]) == len(inputs)
        assert ctx.index.ids() == {r["id"] for r in rows}
        assert ctx.index.count() == len(inputs)
        assert digests <= originals_hashes(cfg)
        numbers = sorted(r["reg_seq"] for r in rows)
        assert numbers == list(range(1, len(inputs) + 1))  # gap-free despite the kills
    finally:
        ctx.close()
    assert settled(home)
    assert files_in(cfg.paths.failed) == [] and files_in(cfg.paths.duplicates) == []
    check = subprocess.run([sys.executable, "-m", "pipeline.cli", "--home", str(home), "check"],
                           cwd=REPO, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "all consistent" in check.stdout
