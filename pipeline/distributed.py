"""Scale-out with Celery, for sites that outgrow one machine (optional: `pip install courrier[celery]`).

Each worker process builds its own Context once (spaCy, register, index) and runs the same
`process_path` as the embedded service, one OCR at a time per process. What makes this safe
with many workers is already in the core: the claim is an atomic rename, the register's unique
SHA-256 refuses a second filing of the same bytes, numbering happens inside the register's
transaction, and the index has one writer at a time. Use PostgreSQL for the register
(`[paths] database_url`) and shared storage for the archive when workers are on several machines.

    celery -A pipeline.distributed worker --concurrency 1      # on each OCR machine
    courrier enqueue PATH...                                    # or: submit(path, app)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery, Task

from pipeline.config import Config, load_config
from pipeline.context import Context


def make_app(config: Config, broker_url: str, backend_url: str | None = None) -> Celery:
    """A Celery app whose `courrier.process` task ingests one file with `config`."""
    app = Celery("courrier", broker=broker_url, backend=backend_url)
    app.conf.update(
        task_acks_late=True,  # a worker killed mid-task leaves the message for another one
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # OCR is long: never hoard tasks
        task_serializer="json", result_serializer="json", accept_content=["json"],
    )
    contexts: dict[str, Context] = {}

    @app.task(name="courrier.process", bind=True)
    def process(task: Task, path: str) -> dict[str, Any]:
        from pipeline.run import process_path

        ctx = contexts.get("ctx")
        if ctx is None:  # built once per worker process
            ctx = contexts["ctx"] = Context(config, actor=f"celery {task.request.hostname}")
        return process_path(Path(path), ctx).to_json()

    return app


def app_from_environment() -> Celery:
    """For `celery -A pipeline.distributed worker`: config from COURRIER_CONFIG/HOME,
    broker from COURRIER_BROKER_URL (called by Celery's loader, never at import)."""
    import os

    config = load_config()
    broker = os.environ.get("COURRIER_BROKER_URL", "filesystem://")
    return make_app(config, broker, os.environ.get("COURRIER_RESULT_BACKEND"))
