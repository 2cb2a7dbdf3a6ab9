"""Telling a department that mail was routed to it: e-mail (SMTP) and/or webhook (HTTP POST).

Notifications are an outbox in the register: queued after the archiving commit, sent at once
when possible, otherwise retried later (`retry_notifications`, called by the watch loop and by
`courrier register notify --retry`). A mail server that is down never holds up filing.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from pipeline.errors import NotificationError
from pipeline.log import log_stage
from pipeline.register.schema import documents, notifications

if TYPE_CHECKING:
    from pipeline.config import NotifyConfig
    from pipeline.context import Context
    from pipeline.register.store import Register

CLAIM_SECONDS = 300  # another process leaves a notification alone this long while we send it
MAX_BACKOFF_SECONDS = 3600


def stamp(moment: datetime) -> str:
    """One textual form for every time in the outbox, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def targets(cfg: NotifyConfig, department: str) -> list[tuple[str, str]]:
    """(channel, address or URL) for a department: its own settings, else the common webhook."""
    own = cfg.departments.get(department, {})
    emails = own.get("email", [])
    emails = [emails] if isinstance(emails, str) else list(emails)
    out = [("email", address) for address in emails if cfg.smtp_host]
    hook = own.get("webhook") or cfg.webhook
    if hook:
        out.append(("webhook", hook))
    return out


def mark_routed(register: Register, doc_id: str, department: str, at: str) -> bool:
    """registered -> routed, once; False when it was already further along."""
    with register.engine.begin() as conn:
        done = conn.execute(update(documents).where(
            (documents.c.id == doc_id) & (documents.c.track_status == "registered"))
            .values(track_status="routed")).rowcount
        if done:
            register._event(conn, doc_id, "courrier", "routed", f"to {department}", at=at)
    return bool(done)


def queue(register: Register, doc_id: str, department: str, to: list[tuple[str, str]],
          at: str) -> int:
    """Add the notifications of one letter to the outbox (idempotent); how many were new."""
    added = 0
    for channel, target in to:
        try:
            with register.engine.begin() as conn:
                conn.execute(insert(notifications).values(
                    doc_id=doc_id, department=department, channel=channel, target=target,
                    status="pending", attempts=0, next_attempt_at=at, created_at=at))
            added += 1
        except IntegrityError:
            continue  # queued by an earlier, interrupted pass
    return added


def dispatch(doc_id: str, department: str, ctx: Context) -> None:
    """After the commit: mark the letter routed, queue its notifications, try to send them."""
    at = stamp(ctx.clock())
    mark_routed(ctx.register, doc_id, department, at)
    queue(ctx.register, doc_id, department, targets(ctx.config.register.notify, department), at)
    send_pending(ctx, doc_id=doc_id)


def retry_notifications(ctx: Context, force: bool = False) -> dict[str, int]:
    """Route letters a crash left unrouted, then send what is due (`force`: all pending)."""
    at = stamp(ctx.clock())
    with ctx.register.engine.connect() as conn:
        stranded = conn.execute(select(documents.c.id, documents.c.department).where(
            (documents.c.status == "archived")
            & (documents.c.track_status == "registered"))).all()
    for doc_id, department in stranded:
        department = department or ctx.config.register.default_department
        mark_routed(ctx.register, doc_id, department, at)
        queue(ctx.register, doc_id, department,
              targets(ctx.config.register.notify, department), at)
    return send_pending(ctx, force=force)


def send_pending(ctx: Context, doc_id: str | None = None,
                 force: bool = False) -> dict[str, int]:
    """Send due notifications; failures are rescheduled with a growing delay."""
    now = ctx.clock()
    query = select(notifications).where(notifications.c.status == "pending")
    if doc_id:
        query = query.where(notifications.c.doc_id == doc_id)
    if not force:
        query = query.where(notifications.c.next_attempt_at <= stamp(now))
    with ctx.register.engine.connect() as conn:
        due = [dict(r._mapping) for r in conn.execute(query.order_by(notifications.c.id))]
    report = {"sent": 0, "failed": 0}
    for item in due:
        if not _claim(ctx.register, item, now):
            continue  # another process is sending it
        try:
            _send(item, ctx)
        except NotificationError as exc:
            _reschedule(ctx, item, now, exc.message)
            report["failed"] += 1
            continue
        _mark_sent(ctx.register, item, stamp(now))
        report["sent"] += 1
    report["pending"] = pending_count(ctx.register)
    return report


def pending_count(register: Register) -> int:
    with register.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(notifications)
                                .where(notifications.c.status == "pending")).scalar_one())


def outbox(register: Register, doc_id: str) -> list[dict[str, Any]]:
    with register.engine.connect() as conn:
        rows = conn.execute(select(notifications).where(notifications.c.doc_id == doc_id)
                            .order_by(notifications.c.id))
        return [dict(r._mapping) for r in rows]


def _claim(register: Register, item: dict[str, Any], now: datetime) -> bool:
    lease = stamp(now + timedelta(seconds=CLAIM_SECONDS))
    with register.engine.begin() as conn:
        taken = conn.execute(update(notifications).where(
            (notifications.c.id == item["id"]) & (notifications.c.status == "pending")
            & (notifications.c.next_attempt_at == item["next_attempt_at"]))
            .values(next_attempt_at=lease)).rowcount
    return bool(taken)


def _reschedule(ctx: Context, item: dict[str, Any], now: datetime, error: str) -> None:
    attempts = item["attempts"] + 1
    base = ctx.config.register.notify.retry_base_seconds
    delay = min(base * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
    with ctx.register.engine.begin() as conn:
        conn.execute(update(notifications).where(notifications.c.id == item["id"]).values(
            attempts=attempts, last_error=error[:500],
            next_attempt_at=stamp(now + timedelta(seconds=delay))))
    log_stage(item["doc_id"], "notify", "deferred", logging.WARNING, channel=item["channel"],
              target=item["target"], attempts=attempts, error=error)


def _mark_sent(register: Register, item: dict[str, Any], at: str) -> None:
    with register.engine.begin() as conn:
        conn.execute(update(notifications).where(notifications.c.id == item["id"]).values(
            status="sent", sent_at=at, attempts=item["attempts"] + 1, last_error=None))
        register._event(conn, item["doc_id"], "courrier", "notified",
                        f"{item['department']} by {item['channel']} ({item['target']})", at=at)


def message(entry: dict[str, Any], department: str) -> dict[str, Any]:
    """What a department is told. Confidential mail: number, date and recipient only."""
    facts = {
        "event": "mail.routed", "number": entry["registration_number"],
        "department": department, "received": entry["received_on"]
        or str(entry["received_at"])[:10], "recipient": entry["recipient"],
        "urgency": entry["urgency"], "due_date": entry["due_date"],
        "confidential": bool(entry["confidential"]),
    }
    if not entry["confidential"]:
        facts |= {"sender": entry["sender"], "subject": entry["subject"],
                  "doc_type": entry["doc_type"], "reference": entry["reference"],
                  "archive_path": entry["archive_path"]}
    return facts


def _send(item: dict[str, Any], ctx: Context) -> None:
    entry = ctx.register.get(item["doc_id"])
    if entry is None:
        raise NotificationError(f"document {item['doc_id']} is not in the register")
    facts = message(entry, item["department"])
    cfg = ctx.config.register.notify
    if item["channel"] == "email":
        _send_email(cfg, item["target"], facts)
    else:
        _post_webhook(cfg, item["target"], facts)


def _send_email(cfg: NotifyConfig, to: str, facts: dict[str, Any]) -> None:
    mail = EmailMessage()
    urgent = "" if facts["urgency"] == "normal" else f"[{facts['urgency'].upper()}] "
    about = "confidential letter" if facts["confidential"] else (facts.get("subject")
                                                                  or facts.get("sender") or "")
    mail["Subject"] = f"{urgent}Mail {facts['number']} for {facts['department']}: {about}"
    mail["From"] = cfg.smtp_from
    mail["To"] = to
    lines = [f"{key}: {value}" for key, value in facts.items()
             if key != "event" and value not in (None, "")]
    mail.set_content("A letter was registered and routed to you.\n\n" + "\n".join(lines) + "\n")
    try:
        with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.timeout_seconds) as smtp:
            if cfg.smtp_starttls:
                smtp.starttls()
            if cfg.smtp_username:
                smtp.login(cfg.smtp_username, cfg.smtp_password)
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise NotificationError(
            f"cannot send e-mail to {to} via {cfg.smtp_host}:{cfg.smtp_port}: {exc}") from exc


def _post_webhook(cfg: NotifyConfig, url: str, facts: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(facts, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "courrier"})
    try:
        with urllib.request.urlopen(request, timeout=cfg.timeout_seconds) as response:
            if not 200 <= response.status < 300:
                raise NotificationError(f"webhook {url} answered HTTP {response.status}")
    except (urllib.error.URLError, OSError) as exc:
        raise NotificationError(f"cannot POST to webhook {url}: {exc}") from exc
