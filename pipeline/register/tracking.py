"""Following a letter until it is handled: status changes, listings, overdue, the daily register.

Status flow: registered -> routed -> in_progress -> answered | closed. Every change is one
transaction that updates the row and appends an event (who, when, what), so the history and
the current state never disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from pipeline.errors import TransitionError, UsageError
from pipeline.register.schema import documents
from pipeline.register.store import Register

OPEN_STATUSES = ("registered", "routed", "in_progress")
STATUSES = (*OPEN_STATUSES, "answered", "closed")


@dataclass(frozen=True)
class Move:
    """One allowed status change: from which statuses, to which one."""

    verb: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change (assign)


MOVES = {
    "route": Move("route", ("registered",), "routed"),
    "assign": Move("assign", OPEN_STATUSES, None),
    "start": Move("start", ("registered", "routed"), "in_progress"),
    "answer": Move("answer", ("routed", "in_progress"), "answered"),
    "close": Move("close", OPEN_STATUSES, "closed"),
}



def _received() -> Any:
    """The reception date: the stamp's when read, else the day the scan arrived."""
    return func.coalesce(documents.c.received_on, func.substr(documents.c.received_at, 1, 10))

ENTRY_COLUMNS = (
    "number", "received", "received_at", "channel", "sender", "recipient", "subject",
    "doc_type", "department", "urgency", "confidential", "status", "assignee", "due_date",
    "archive_path", "reply_ref", "handled_at", "id",
)
# What someone outside the addressee's department may see of confidential mail.
PUBLIC_OF_CONFIDENTIAL = ("number", "received", "recipient", "confidential")


def _entry(row: Any) -> dict[str, Any]:
    m = row._mapping
    return {
        "number": m["registration_number"], "received": m["received"],
        "received_at": m["received_at"], "channel": m["channel"], "sender": m["sender"],
        "recipient": m["recipient"], "subject": m["subject"], "doc_type": m["doc_type"],
        "department": m["department"], "urgency": m["urgency"],
        "confidential": bool(m["confidential"]), "status": m["track_status"],
        "assignee": m["assignee"], "due_date": m["due_date"],
        "archive_path": m["archive_path"], "reply_ref": m["reply_ref"],
        "handled_at": m["handled_at"], "id": m["id"],
    }


def _select() -> Any:
    return (select(documents, _received().label("received"))
            .where(documents.c.status == "archived"))


def redact(entry: dict[str, Any], departments: set[str] | None) -> dict[str, Any]:
    """The entry as `departments` may see it (None: everything, e.g. the mailroom admin)."""
    if departments is None or not entry["confidential"] or entry["department"] in departments:
        return entry
    return {k: (v if k in PUBLIC_OF_CONFIDENTIAL else None) for k, v in entry.items()} | {
        "restricted": True}


def find(register: Register, number: str) -> dict[str, Any]:
    """The register entry numbered `number`, or a UsageError saying none is."""
    with register.engine.connect() as conn:
        row = conn.execute(_select().where(documents.c.registration_number == number)).first()
    if row is None:
        raise UsageError(f"no letter is registered under number {number!r}",
                         hint="`courrier register list` shows the numbers.")
    return _entry(row)


def entries(register: Register, *, department: str | None = None, status: str | None = None,
            date_from: str | None = None, date_to: str | None = None,
            overdue_on: str | None = None) -> list[dict[str, Any]]:
    """Register entries in number order, filtered; `overdue_on`: open and due before it."""
    query = _select()
    if department:
        query = query.where(documents.c.department == department)
    if status:
        query = query.where(documents.c.track_status == status)
    if date_from:
        query = query.where(_received() >= date_from)
    if date_to:
        query = query.where(_received() <= date_to)
    if overdue_on:
        query = query.where(documents.c.track_status.in_(OPEN_STATUSES)
                            & (documents.c.due_date < overdue_on))
        query = query.order_by(documents.c.due_date, documents.c.reg_year, documents.c.reg_seq)
    else:
        query = query.order_by(documents.c.reg_year, documents.c.reg_seq)
    with register.engine.connect() as conn:
        return [_entry(row) for row in conn.execute(query)]


def change(register: Register, number: str, verb: str, *, actor: str, at: str,
           note: str | None = None, reply_ref: str | None = None,
           assignee: str | None = None) -> dict[str, Any]:
    """Apply one status change (or an assignment) and record who did it and when."""
    move = MOVES[verb]
    entry = find(register, number)
    current = entry["status"] or "registered"
    if current not in move.sources:
        allowed = ", ".join(move.sources)
        raise TransitionError(
            f"{number} is {current}: it cannot be {_past(verb)} (only a letter that is "
            f"{allowed} can)",
            hint=f"Status flow: {' -> '.join(STATUSES[:3])} -> answered | closed.")
    values: dict[str, Any] = {"updated_at": datetime.fromisoformat(at)}
    if move.target:
        values["track_status"] = move.target
    if verb == "assign":
        if not assignee:
            raise UsageError("assign needs the user to assign to (--to USER)")
        values["assignee"] = assignee
        if current == "registered":
            values["track_status"] = "routed"  # handing it to someone distributes it
    if verb in ("answer", "close"):
        values.update(handled_at=at, reply_ref=reply_ref)
    detail = "; ".join(x for x in (verb == "assign" and f"to {assignee}", note,
                                   reply_ref and f"reply {reply_ref}") if x) or None
    with register.engine.begin() as conn:
        conn.execute(update(documents).where(documents.c.id == entry["id"]).values(**values))
        register._event(conn, entry["id"], actor, _past(verb), detail, at=at)
    values.pop("updated_at")
    return {**entry, **{("status" if k == "track_status" else k): v for k, v in values.items()}}


def _past(verb: str) -> str:
    return {"route": "routed", "assign": "assigned", "start": "started",
            "answer": "answered", "close": "closed"}[verb]


def export_csv(rows: Iterable[dict[str, Any]]) -> str:
    """The daily register a mailroom prints: one line per letter, in number order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = ("number", "received", "sender", "recipient", "subject", "department",
               "urgency", "status")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    return out.getvalue()
