"""The register on a real PostgreSQL server, started (and stopped) by this test module.

Needs Debian's `postgresql` package (initdb, pg_ctl) and psycopg 3; skipped cleanly without.
The server runs as the `postgres` user when the tests run as root, listens only on a unix
socket in a temporary folder, and is stopped at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from pipeline.context import Context
from pipeline.errors import TransitionError
from pipeline.register import Register, notify, tracking
from pipeline.stages import classify
from pipeline.stages import notify as notify_stage
from tests.conftest import make_config
from tests.test_register_numbering import race_filers
from tests.test_register_support import MovableClock, file_letter, letter, smtp_server


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture(scope="module")
def pg_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields the base URL (database `postgres`)."""
    pytest.importorskip("psycopg")
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdbs:
        pytest.skip("PostgreSQL server binaries are not installed (Debian package postgresql)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: cannot start PostgreSQL")
    bindir = Path(initdbs[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="courrier-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        os.chmod(root, 0o755)
    subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                                 "-A", "trust", "--no-sync", "-E", "UTF8"]),
                   check=True, capture_output=True)
    options = f"-k {sock} -c listen_addresses='' -c fsync=off"
    subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-o", options,
                                 "-l", str(root / "server.log"), "-w", "-t", "60", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@/{{db}}?host={sock}"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "-w", "stop"]), check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


_databases = iter(range(1, 1000))


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty database for one test."""
    name = f"courrier_{next(_databases)}"
    admin = Register(pg_server.format(db="postgres"))
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.close()
    return pg_server.format(db=name)


def test_register_runs_on_postgresql(pg_url: str) -> None:
    register = Register(pg_url)
    assert register.engine.dialect.name == "postgresql"
    numbers = [file_letter(register, letter(f"p{i}", sender="ACME", urgency="high"))
               for i in range(3)]
    assert numbers == ["2026-000001", "2026-000002", "2026-000003"]
    number = numbers[0]
    tracking.change(register, number, "assign", actor="bob", at="2026-03-03T09:00:00+00:00",
                    assignee="alice")
    tracking.change(register, number, "start", actor="alice", at="2026-03-04T09:00:00+00:00")
    with pytest.raises(TransitionError, match="is in_progress: it cannot be started"):
        tracking.change(register, number, "start", actor="alice", at="2026-03-04T10:00:00Z")
    entry = tracking.change(register, number, "close", actor="alice",
                            at="2026-03-05T09:00:00+00:00", note="no reply needed")
    assert (entry["status"], entry["assignee"]) == ("closed", "alice")
    assert [e["action"] for e in register.history("p0")] == [
        "received", "registered", "assigned", "started", "closed"]
    assert tracking.find(register, "2026-000002")["received"] == "2026-03-02"
    assert [e["id"] for e in tracking.entries(register, status="registered")] == ["p1", "p2"]
    assert register.counts()["archived"] == 3
    register.close()


def test_postgresql_numbering_across_processes(pg_url: str) -> None:
    register = race_filers(pg_url, processes=3, per_process=10)
    numbers = sorted(row["registration_number"] for row in register.archived())
    assert numbers == [f"2026-{seq:06d}" for seq in range(1, 31)]


def test_postgresql_pipeline_route_and_notify(pg_url: str, tmp_path: Path) -> None:
    config = make_config(tmp_path / "home", register__routes=[
        {"name": "court", "words": ["tribunal"], "department": "legal"}])
    config.paths.database_url = pg_url
    with smtp_server() as (port, received):
        n = config.register.notify
        n.smtp_host, n.smtp_port = "127.0.0.1", port
        n.departments = {"legal": {"email": "legal@example.org"}}
        ctx = Context(config, clock=MovableClock("2026-03-02T10:00:00+00:00"))
        doc = letter("pg-n", text="Tribunal de commerce", subject="Audience")
        classify.run(doc, ctx)
        file_letter(ctx.register, doc)
        notify_stage.run(doc, ctx)
        notify_stage.run(doc, ctx)  # a repeated pass queues nothing twice
    assert [m["to"] for m in received] == [["legal@example.org"]]
    assert [q["status"] for q in notify.outbox(ctx.register, "pg-n")] == ["sent"]
    assert tracking.find(ctx.register, "2026-000001")["status"] == "routed"
    ctx.close()
