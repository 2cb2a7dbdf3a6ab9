"""Tables of the mail register (SQLAlchemy Core: SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# One row per document. It is also the ingest journal: status goes
# processing -> archived (the commit point); a failed job's row is removed.
documents = Table(
    "documents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("status", String(16), nullable=False),  # processing | archived
    Column("original_name", Text, nullable=False),
    Column("received_at", String(40), nullable=False),
    Column("job_dir", Text),
    Column("archive_path", Text),
    Column("original_path", Text),
    Column("pdf_sha256", String(64)),
    Column("registration_number", String(40), unique=True),
    Column("reg_year", Integer),
    Column("reg_seq", Integer),
    Column("channel", String(16), nullable=False, default="scan"),
    Column("sender", Text),
    Column("letter_date", String(10)),
    Column("received_on", String(10)),
    Column("reference", Text),
    Column("their_reference", Text),
    Column("recipient", Text),
    Column("subject", Text),
    Column("language", String(8)),
    Column("doc_type", String(32)),
    Column("page_count", Integer),
    Column("needs_review", Boolean, nullable=False, default=False),
    Column("urgency", String(16), nullable=False, default="normal"),
    Column("confidential", Boolean, nullable=False, default=False),
    Column("department", Text),
    Column("assignee", Text),
    Column("track_status", String(16)),  # registered | routed | in_progress | answered | closed
    Column("due_date", String(10)),
    Column("reply_ref", Text),  # reference of our answer, given when closing
    Column("handled_at", String(40)),  # when it was answered or closed
    Column("indexed", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True)),
)

# Gap-free registration numbers: one counter per year, bumped in the archiving transaction.
counters = Table(
    "counters",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

# History of each document (who did what, when).
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), index=True),
    Column("at", String(40), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text),
)

# Inputs that could not be archived, for `courrier status` and `check`.
failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("input_name", Text, nullable=False),
    Column("sha256", String(64)),
    Column("failed_path", Text),
    Column("stage", String(32)),
    Column("error_class", String(64)),
    Column("message", Text),
    UniqueConstraint("failed_path", name="uq_failures_path"),
)

# Outbox of department notifications: queued in the register, sent after the commit, retried
# until sent, so a mail server that is down never holds up filing.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), nullable=False, index=True),
    Column("department", Text, nullable=False),
    Column("channel", String(16), nullable=False),  # email | webhook
    Column("target", Text, nullable=False),  # address or URL
    Column("status", String(16), nullable=False),  # pending | sent
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", String(40), nullable=False),
    Column("last_error", Text),
    Column("created_at", String(40), nullable=False),
    Column("sent_at", String(40)),
    UniqueConstraint("doc_id", "channel", "target", name="uq_notifications_target"),
)
