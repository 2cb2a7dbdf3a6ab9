"""Structured logging: one `key=value` line per document per stage."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LOGGER_NAME = "courrier"


def _quote(value: Any) -> str:
    text = str(value)
    if not text or any(c in text for c in ' "=\n\t'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


def kv(**fields: Any) -> str:
    """Format fields as `k=v k2="v 2"`, skipping None."""
    return " ".join(f"{key}={_quote(val)}" for key, val in fields.items() if val is not None)


def setup_logging(level: str = "INFO", stream: Any = None) -> None:
    """Configure the courrier logger once (called by the CLI only)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S%z"))
    logger = logging.getLogger(LOGGER_NAME)
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def get_logger() -> logging.Logger:
    return logging.getLogger(LOGGER_NAME)


def log_stage(doc_id: str, stage: str, status: str, level: int = logging.INFO,
              **fields: Any) -> None:
    get_logger().log(level, kv(doc=doc_id, stage=stage, status=status, **fields))


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """Measure a block; the dict gets `ms` when the block ends."""
    box: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["ms"] = round((time.perf_counter() - start) * 1000, 1)
