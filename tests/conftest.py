"""Shared fixtures: configs in temporary homes, the shared corpus (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import Config, load_config

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLES = REPO / "sample_scans"

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract: see docs/ocr.md


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


def make_config(home: Path, **overrides: object) -> Config:
    """A config whose state lives in `home`, with short waits for tests."""
    config = load_config(home=home, env={})
    config.stability.quiet_seconds = 0.3
    config.stability.backoff_max_seconds = 1.0
    config.watch.transient_retries = 0
    config.watch.polling_interval_seconds = 0.3
    for key, value in overrides.items():
        section, name = key.split("__")
        setattr(getattr(config, section), name, value)
    config.ensure_dirs()
    return config


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path / "home")
