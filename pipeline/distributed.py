"""Scale-out with Celery, for sites that outgrow one machine (`pip install courrier[celery]`).

Each worker process builds its own Context once (spaCy, register, index) and runs the same
`process_path` as the embedded service, one OCR at a time per process. What makes many workers
safe is already in the core: the claim is an atomic rename, the register's unique SHA-256
refuses a second filing of the same bytes, numbering happens inside the register transaction,
and the index has one writer at a time. With workers on several machines, put the register on
PostgreSQL (`[paths] database_url`) and the archive on shared storage.

    courrier worker --broker redis://queue-host/0          # on each OCR machine
    courrier enqueue --broker redis://queue-host/0 PATH... # from the mailroom
A broker written `dir:/some/folder` uses kombu's filesystem transport (no server; one machine
or a shared folder), which is what the tests use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery

from pipeline.config import Config
from pipeline.context import Context

TASK_NAME = "courrier.process"


def _broker(url: str) -> tuple[str, dict[str, Any], str | None]:
    """Celery broker URL, transport options and a result backend for `dir:` brokers."""
    if not url.startswith("dir:"):
        return url, {}, None
    folder = Path(url[4:]).resolve()
    queue, processed, results = folder / "queue", folder / "processed", folder / "results"
    control = folder / "control"  # kombu writes it to the working folder otherwise
    for sub in (queue, processed, results, control):
        sub.mkdir(parents=True, exist_ok=True)
    options = {"data_folder_in": str(queue), "data_folder_out": str(queue),
               "processed_folder": str(processed), "store_processed": True,
               "control_folder": str(control)}
    return "filesystem://", options, f"file://{results}"


def make_app(config: Config, broker_url: str, backend_url: str | None = None) -> Celery:
    """A Celery app whose `courrier.process` task ingests one file with `config`."""
    broker, options, default_backend = _broker(broker_url)
    app = Celery("courrier", broker=broker, backend=backend_url or default_backend)
    app.conf.update(
        broker_transport_options=options,
        task_acks_late=True,  # a worker killed mid-task leaves the message for another one
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # OCR is long: never hoard tasks
        task_serializer="json", result_serializer="json", accept_content=["json"],
        worker_hijack_root_logger=False,
    )
    contexts: dict[str, Context] = {}

    @app.task(name=TASK_NAME)
    def process(path: str) -> dict[str, Any]:
        from pipeline.run import process_path

        if "ctx" not in contexts:  # built once per worker process
            contexts["ctx"] = Context(config, actor="courrier worker")
        return process_path(Path(path), contexts["ctx"]).to_json()

    return app


def run_worker(app: Celery, concurrency: int = 1) -> None:
    """Consume tasks until stopped (SIGTERM finishes the current document: acks are late)."""
    app.worker_main(["worker", f"--concurrency={concurrency}", "--pool=prefork",
                     "--loglevel=INFO", "--without-gossip", "--without-mingle"])


def enqueue(app: Celery, paths: list[Path], wait: float | None) -> list[dict[str, Any]]:
    """Send one task per file; with `wait`, return each outcome (else the task ids)."""
    results = [app.send_task(TASK_NAME, args=[str(path.resolve())]) for path in paths]
    if wait is None:
        return [{"input": str(p), "task_id": r.id} for p, r in zip(paths, results, strict=True)]
    return [dict(r.get(timeout=wait)) for r in results]
