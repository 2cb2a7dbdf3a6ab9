"""The register: the catalogue of archived mail and the ingest journal, in one database.

SQLite (WAL, synchronous=FULL, BEGIN IMMEDIATE) for the embedded default; any SQLAlchemy URL,
e.g. PostgreSQL, where a site outgrows one machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pipeline.document import Document
from pipeline.errors import RegisterError
from pipeline.register.schema import counters, documents, events, failures, metadata


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class JobClaim:
    """Answer of `begin_job`: go on, or the input duplicates document `existing_id`."""

    duplicate_of: str | None = None
    resumed: bool = False


def _sqlite_engine(url: str) -> Engine:
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves: IMMEDIATE takes the write lock at once, so two
        # processes never interleave a counter bump (gap-free numbers) or a claim.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # the register row is our commit point
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def engine_url(url: str) -> str:
    """`postgresql://...` means psycopg 3 (the driver we ship), not SQLAlchemy's psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _add_missing_columns(engine: Engine) -> None:
    """Columns added after a register was created (nullable, so ADD COLUMN is enough)."""
    present = {c["name"] for c in inspect(engine).get_columns("documents")}
    missing = [c for c in documents.columns if c.name not in present]
    if not missing:
        return
    with engine.begin() as conn:
        for column in missing:
            kind = column.type.compile(dialect=engine.dialect)
            conn.execute(text(f"ALTER TABLE documents ADD COLUMN {column.name} {kind}"))


class Register:
    """All reads and writes of the register go through here."""

    def __init__(self, url: str) -> None:
        try:
            self.engine = _sqlite_engine(url) if url.startswith("sqlite") \
                else create_engine(engine_url(url), pool_pre_ping=True)
            metadata.create_all(self.engine)
            _add_missing_columns(self.engine)
        except SQLAlchemyError as exc:
            raise RegisterError(f"cannot open the register at {url}: {exc}") from exc
        self.url = url

    def close(self) -> None:
        self.engine.dispose()

    # --- ingest journal ------------------------------------------------------------------

    def begin_job(self, doc: Document, job_dir: Path) -> JobClaim:
        """Record that `doc` is being processed, unless its content is already known."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(documents.c.id, documents.c.status, documents.c.job_dir)
                .where(documents.c.sha256 == doc.sha256)
            ).first()
            if row is not None:
                if row.id == doc.id:
                    return JobClaim(resumed=True)
                if row.status == "archived" or (row.job_dir and Path(row.job_dir).exists()):
                    return JobClaim(duplicate_of=row.id)
                # A stale 'processing' row whose job folder is gone: take it over.
                conn.execute(delete(documents).where(documents.c.id == row.id))
            conn.execute(insert(documents).values(
                id=doc.id, sha256=doc.sha256, status="processing",
                original_name=doc.original_name, received_at=doc.received_at,
                job_dir=str(job_dir), channel="scan", updated_at=datetime.now(UTC),
            ))
            self._event(conn, doc.id, "courrier", "received", doc.original_name)
        return JobClaim()

    def abandon_job(self, doc_id: str) -> None:
        """Forget a job that failed before archiving (its input goes to the failed folder)."""
        with self.engine.begin() as conn:
            conn.execute(delete(documents).where(
                (documents.c.id == doc_id) & (documents.c.status == "processing")))

    def archive(self, doc: Document, number_format: str, place_files: Callable[[str], None],
                track_status: str = "registered", due_date: str | None = None) -> str:
        """The commit point: number the document, place its files, store its fields.

        `place_files(number)` writes the archived PDF and sidecar (which carry the number)
        inside the transaction: if it fails, the number is not used, so numbers stay gap-free.
        """
        with self.engine.begin() as conn:
            current = conn.execute(
                select(documents.c.status, documents.c.registration_number)
                .where(documents.c.id == doc.id)
            ).first()
            if current is None:
                raise RegisterError(f"document {doc.id} has no journal row")
            if current.status == "archived":
                return str(current.registration_number)
            year = int(doc.received_at[:4])
            seq = self._next_seq(conn, year)
            number = number_format.format(year=year, seq=seq)
            place_files(number)
            conn.execute(update(documents).where(documents.c.id == doc.id).values(
                status="archived", registration_number=number, reg_year=year, reg_seq=seq,
                track_status=track_status, due_date=due_date, **self._fields(doc),
            ))
            self._event(conn, doc.id, "courrier", "registered", number)
        return number

    def _next_seq(self, conn: Any, year: int) -> int:
        dialect = conn.engine.dialect.name
        make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = make_insert(counters).values(year=year, last=1).on_conflict_do_update(
            index_elements=[counters.c.year], set_={"last": counters.c.last + 1}
        ).returning(counters.c.last)
        return int(conn.execute(stmt).scalar_one())

    @staticmethod
    def _fields(doc: Document) -> dict[str, Any]:
        meta = doc.extraction.metadata()
        return {
            "archive_path": doc.archive_path, "original_path": doc.original_path,
            "pdf_sha256": doc.pdf_sha256, "sender": meta["sender"],
            "letter_date": meta["date"], "received_on": meta["received_on"],
            "reference": meta["reference"], "their_reference": meta["their_reference"],
            "recipient": meta["recipient"], "subject": meta["subject"],
            "language": meta["language"], "doc_type": meta["doc_type"],
            "page_count": doc.page_count, "needs_review": doc.extraction.needs_review,
            "urgency": doc.extraction.urgency, "confidential": doc.extraction.confidential,
            "department": doc.department or None, "assignee": doc.assignee or None,
            "updated_at": datetime.now(UTC),
        }

    def update_fields(self, doc: Document, actor: str, action: str) -> None:
        """Rewrite an archived document's fields (re-extraction, repair)."""
        with self.engine.begin() as conn:
            conn.execute(update(documents).where(documents.c.id == doc.id)
                         .values(**self._fields(doc)))
            self._event(conn, doc.id, actor, action, None)

    def restore_from_sidecar(self, sidecar: dict[str, Any], job_dir: str | None = None) -> bool:
        """Re-create a missing register row from a sidecar (repair). False if it exists."""
        doc = Document.from_sidecar(sidecar)
        number = doc.registration_number or None
        year = int(number[:4]) if number and number[:4].isdigit() else None
        seq = int(number.rsplit("-", 1)[-1]) if number and number[-1].isdigit() else None
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(documents).values(
                    id=doc.id, sha256=doc.sha256, status="archived",
                    original_name=doc.original_name, received_at=doc.received_at,
                    job_dir=job_dir, registration_number=number, reg_year=year, reg_seq=seq,
                    # Routed: it was distributed when first filed; a repair must not make
                    # the notification pass announce an old letter again.
                    channel="scan", track_status="routed", due_date=doc.due_date or None,
                    indexed=False,
                    **self._fields(doc),
                ))
                if year is not None and seq is not None:
                    self._raise_counter(conn, year, seq)
                self._event(conn, doc.id, "courrier check", "restored", "from sidecar")
        except IntegrityError:
            return False
        return True

    def _raise_counter(self, conn: Any, year: int, seq: int) -> None:
        last = conn.execute(select(counters.c.last).where(counters.c.year == year)).scalar()
        if last is None:
            conn.execute(insert(counters).values(year=year, last=seq))
        elif last < seq:
            conn.execute(update(counters).where(counters.c.year == year).values(last=seq))

    # --- index bookkeeping ---------------------------------------------------------------

    def mark_indexed(self, ids: list[str], indexed: bool = True) -> None:
        if not ids:
            return
        with self.engine.begin() as conn:
            conn.execute(update(documents).where(documents.c.id.in_(ids))
                         .values(indexed=indexed))

    def pending_index(self) -> list[dict[str, Any]]:
        """Archived documents not (yet) in the search index: the 'to index' queue."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.id, documents.c.archive_path).where(
                (documents.c.status == "archived") & (documents.c.indexed.is_(False))))
            return [dict(r._mapping) for r in rows]

    # --- history and failures -----------------------------------------------------------

    @staticmethod
    def _event(conn: Any, doc_id: str, actor: str, action: str, detail: str | None,
               at: str | None = None) -> None:
        conn.execute(insert(events).values(doc_id=doc_id, at=at or utc_now(), actor=actor,
                                           action=action, detail=detail))

    def record_event(self, doc_id: str, actor: str, action: str, detail: str | None) -> None:
        with self.engine.begin() as conn:
            self._event(conn, doc_id, actor, action, detail)

    def record_failure(self, input_name: str, sha256: str, failed_path: str, stage: str,
                       error_class: str, message: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(failures).where(failures.c.failed_path == failed_path))
            conn.execute(insert(failures).values(
                at=utc_now(), input_name=input_name, sha256=sha256 or None,
                failed_path=failed_path, stage=stage, error_class=error_class,
                message=message))

    # --- reads ------------------------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
            return dict(row._mapping) if row else None

    def is_archived(self, doc_id: str) -> bool:
        row = self.get(doc_id)
        return bool(row and row["status"] == "archived")

    def find_archive_path(self, archive_path: str) -> str | None:
        """Id of the archived document stored at `archive_path`, if any."""
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id)
                                .where(documents.c.archive_path == archive_path)).scalar()

    def history(self, doc_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(events).where(events.c.doc_id == doc_id)
                                .order_by(events.c.id))
            return [dict(r._mapping) for r in rows]

    def archived(self) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as conn:
            yield from (dict(r._mapping) for r in conn.execute(
                select(documents).where(documents.c.status == "archived")
                .order_by(documents.c.reg_year, documents.c.reg_seq)))

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.status, documents.c.indexed, func.count())
                                .group_by(documents.c.status, documents.c.indexed)).all()
            failed = conn.execute(select(func.count()).select_from(failures)).scalar_one()
        out = {"archived": 0, "indexed": 0, "processing": 0, "failures_recorded": int(failed)}
        for status, indexed, count in rows:
            out[status] = out.get(status, 0) + count
            if status == "archived" and indexed:
                out["indexed"] += count
        return out
