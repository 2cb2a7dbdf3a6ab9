"""Regressions found by trying to break Courrier: links and devices in the inbox, tiny
images, bad settings, a deleted index, files still arriving under `courrier ingest`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from pipeline.config import Config, load_config
from pipeline.context import Context
from pipeline.errors import ConfigError, UnsupportedFormatError
from pipeline.run import process_path
from pipeline.stages.index import flush_pending
from pipeline.tools.image_tool import image_to_pdf
from tests.conftest import REPO, make_config
from tests.ingest_kit import FakeExtractor
from tests.test_tools import text_pdf


@pytest.fixture
def ctx(config: Config) -> Context:
    context = Context(config)
    context.extractor = FakeExtractor()  # type: ignore[assignment]
    return context


def test_link_in_inbox_is_refused_without_reading_its_target(ctx: Context,
                                                             tmp_path: Path) -> None:
    secret = tmp_path / "secret.pdf"
    text_pdf(secret, "a private letter the mailroom must never copy")
    link = ctx.config.paths.inbox / "secret.pdf"
    link.symlink_to(secret)
    outcome = process_path(link, ctx)
    assert outcome.status == "failed"
    assert outcome.error and outcome.error["error_class"] == "NotARegularFileError"
    moved = ctx.config.paths.failed / "secret.pdf"
    assert moved.is_symlink() and not link.exists() and not link.is_symlink()
    assert list(ctx.config.paths.archive.rglob("*.pdf")) == []
    assert list(ctx.config.paths.originals.rglob("*")) == []
    reason = json.loads((ctx.config.paths.failed / "secret.pdf.error.json").read_text())
    assert "symbolic link" in reason["message"] and "Copy the scan itself" in reason["hint"]


def test_link_to_dev_zero_is_refused_at_once(ctx: Context) -> None:
    link = ctx.config.paths.inbox / "zeros.pdf"
    link.symlink_to("/dev/zero")
    outcome = process_path(link, ctx)
    assert outcome.status == "failed"
    assert list(ctx.config.paths.processing.iterdir()) == []


def test_one_pixel_image_is_an_input_error(tmp_path: Path) -> None:
    source = tmp_path / "dot.png"
    Image.new("RGB", (1, 1), "white").save(source)
    with pytest.raises(UnsupportedFormatError, match="cannot be a scanned page"):
        image_to_pdf(source, tmp_path / "out.pdf", max_mpixels=250, fallback_dpi=300)


@pytest.mark.parametrize(("text", "message"), [
    ('[archive]\ntemplate = "{year}/{nosuchfield}.pdf"\n', "unknown field"),
    ('[archive]\ntemplate = "../../escape/{short_id}.pdf"\n', "inside the archive"),
    ("[stability]\nquiet_seconds = -5\n", "cannot be negative"),
])
def test_bad_settings_are_refused_at_start(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "c.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(config, home=tmp_path / "home", env={})


def test_home_that_is_a_file_gets_a_clear_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "--home", str(home), "status"],
                         capture_output=True, text=True, cwd=REPO, check=False)
    assert run.returncode == 3
    assert "is a file, not a folder" in run.stderr and "Traceback" not in run.stderr


def test_deleted_index_is_noticed_and_refilled(ctx: Context, tmp_path: Path) -> None:
    for number in range(3):
        letter = tmp_path / f"letter{number}.pdf"
        text_pdf(letter, f"Lettre numero {number} pour le test de l'index perdu")
        assert process_path(letter, ctx).status == "archived"
    assert ctx.index.count() == 3
    ctx.index.close()
    for path in sorted(ctx.config.paths.index.rglob("*"), reverse=True):
        path.unlink() if path.is_file() or path.is_symlink() else path.rmdir()
    assert ctx.index.count() == 0
    assert flush_pending(ctx) == 3
    assert ctx.index.count() == 3 and ctx.register.counts()["indexed"] == 3


def test_ingest_leaves_a_file_that_is_still_arriving(tmp_path: Path) -> None:
    config = make_config(tmp_path / "home", stability__quiet_seconds=0.0)
    partial = config.paths.inbox / "partial.pdf"
    partial.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")  # no %%EOF yet
    os.utime(partial, (1, 1))
    cfg_file = tmp_path / "c.toml"
    cfg_file.write_text("[stability]\nquiet_seconds = 0\n")
    run = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--home", str(config.paths.home), "--config",
         str(cfg_file), "ingest", "--json", str(partial)],
        capture_output=True, text=True, cwd=REPO, check=False)
    line = json.loads(run.stdout.splitlines()[0])
    assert line["status"] == "waiting" and "%%EOF" in line["warnings"][0]
    assert partial.exists() and list(config.paths.failed.iterdir()) == []
