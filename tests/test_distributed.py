"""Scale-out through a real Celery worker (filesystem broker: no server needed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_tools import text_pdf

pytest.importorskip("celery")


def test_worker_archives_enqueued_letters_once(tmp_path: Path) -> None:
    home, broker = tmp_path / "home", f"dir:{tmp_path / 'broker'}"
    letters = []
    for number in range(2):
        letter = tmp_path / f"letter{number}.pdf"
        text_pdf(letter, f"Courrier distributed test letter number {number} Objet: essai")
        letters.append(letter)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    base = [sys.executable, "-m", "pipeline.cli", "--home", str(home), "--log-level", "WARNING"]
    worker = subprocess.Popen([*base, "worker", "--broker", broker], env=env, cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        sent = subprocess.run(
            [*base, "enqueue", "--broker", broker, "--wait", "240",
             *map(str, letters), str(letters[0])],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    assert sent.returncode == 0, sent.stderr[-2000:]
    outcomes = [json.loads(line) for line in sent.stdout.splitlines()]
    # The filesystem queue is not FIFO: the same letter sent twice is filed once, whichever
    # of its two tasks ran first.
    assert sorted(o["status"] for o in outcomes) == ["archived", "archived", "duplicate"]
    first = [o for o in outcomes if o["input"] == str(letters[0].resolve())]
    assert sorted(o["status"] for o in first) == ["archived", "duplicate"]
    assert first[0]["id"] == first[1]["id"]
    assert len(list((home / "archive").rglob("*.pdf"))) == 2
