"""Department notifications: real SMTP and HTTP servers on loopback, failure, queue and retry."""

from __future__ import annotations

import email
import json
from datetime import timedelta
from email import policy
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.context import Context
from pipeline.document import Document
from pipeline.register import notify, tracking
from pipeline.stages import classify
from pipeline.stages import notify as notify_stage
from tests.conftest import make_config
from tests.test_register_support import (
    MovableClock,
    file_letter,
    free_port,
    letter,
    smtp_server,
    webhook_server,
)

ROUTES = [{"name": "court", "words": ["tribunal"], "department": "legal"}]


def _config(tmp_path: Path, port: int, webhook: str = "") -> Config:
    config = make_config(tmp_path / "home", register__routes=ROUTES)
    n = config.register.notify
    n.smtp_host, n.smtp_port, n.webhook, n.timeout_seconds = "127.0.0.1", port, webhook, 5.0
    n.departments = {"legal": {"email": ["legal@example.org", "greffe@example.org"]}}
    return config


def _file(ctx: Context, doc: Document) -> str:
    """classify -> register (commit) -> notify, as pipeline.run does."""
    classify.run(doc, ctx)
    number = file_letter(ctx.register, doc)
    notify_stage.run(doc, ctx)
    return number


def _court_letter(doc_id: str = "n1", **extra: Any) -> Document:
    return letter(doc_id, sender="Greffe du tribunal", recipient="Service juridique",
                  subject="Convocation audience", text="Tribunal judiciaire de Lyon", **extra)


def _parse(raw: str) -> email.message.EmailMessage:
    return email.message_from_string(raw, policy=policy.default)  # type: ignore[return-value]


def test_routed_mail_is_emailed_to_its_department(tmp_path: Path) -> None:
    with smtp_server() as (port, received):
        ctx = Context(_config(tmp_path, port), clock=MovableClock("2026-03-02T10:00:00+00:00"))
        number = _file(ctx, _court_letter(urgency="urgent", urgency_cues=["Assignation"]))
    assert number == "2026-000001"
    assert sorted(r for m in received for r in m["to"]) == ["greffe@example.org",
                                                             "legal@example.org"]
    mail = _parse(received[0]["data"])
    assert mail["Subject"] == "[URGENT] Mail 2026-000001 for legal: Convocation audience"
    body = mail.get_content()
    assert "sender: Greffe du tribunal" in body and "due_date: 2026-03-05" in body
    assert [n["status"] for n in notify.outbox(ctx.register, "n1")] == ["sent", "sent"]
    notified = [e["detail"] for e in ctx.register.history("n1") if e["action"] == "notified"]
    assert notified == ["legal by email (legal@example.org)", "legal by email (greffe@example.org)"]


def test_confidential_mail_notification_tells_no_details(tmp_path: Path) -> None:
    with smtp_server() as (port, received):
        ctx = Context(_config(tmp_path, port))
        _file(ctx, _court_letter(confidential=True, confidential_cues=["Confidentiel"]))
    mail = _parse(received[0]["data"])
    assert mail["Subject"] == "Mail 2026-000001 for legal: confidential letter"
    body = mail.get_content()
    assert "recipient: Service juridique" in body
    assert "Greffe" not in body and "Convocation" not in body


def test_server_down_queues_then_retry_sends(tmp_path: Path) -> None:
    port = free_port()
    clock = MovableClock("2026-03-02T10:00:00+00:00")
    ctx = Context(_config(tmp_path, port), clock=clock)
    doc = _court_letter()
    _file(ctx, doc)  # the SMTP server is down: filing goes on
    entry = tracking.find(ctx.register, "2026-000001")
    assert entry["status"] == "routed" and entry["department"] == "legal"
    queued = notify.outbox(ctx.register, "n1")
    assert [(q["status"], q["attempts"]) for q in queued] == [("pending", 1), ("pending", 1)]
    assert "cannot send e-mail to legal@example.org via 127.0.0.1" in queued[0]["last_error"]
    assert queued[0]["next_attempt_at"] == "2026-03-02T10:01:00+00:00"  # retry_base 60 s
    # Still down a minute later: the delay doubles.
    clock.now += timedelta(seconds=61)
    assert notify.retry_notifications(ctx) == {"sent": 0, "failed": 2, "pending": 2}
    assert notify.outbox(ctx.register, "n1")[0]["next_attempt_at"] == "2026-03-02T10:03:01+00:00"
    with smtp_server(port) as (_port, received):
        # Not due yet: the watch loop's pass leaves it alone.
        assert notify.retry_notifications(ctx)["sent"] == 0 and received == []
        clock.now += timedelta(seconds=120)
        assert notify.retry_notifications(ctx) == {"sent": 2, "failed": 0, "pending": 0}
    assert len(received) == 2
    assert [(q["status"], q["attempts"], q["last_error"]) for q in
            notify.outbox(ctx.register, "n1")] == [("sent", 3, None), ("sent", 3, None)]
    with smtp_server(port) as (_port, again):
        assert notify.retry_notifications(ctx)["sent"] == 0
    assert again == []  # sent once, never again


def test_cli_notify_retry_sends_pending_now(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    config = _config(tmp_path, port)
    _file(Context(config), _court_letter())
    toml = tmp_path / "c.toml"
    toml.write_text(f"""[[register.routes]]
words = ["tribunal"]
department = "legal"
[register.notify]
smtp_host = "127.0.0.1"
smtp_port = {port}
[register.notify.departments.legal]
email = ["legal@example.org", "greffe@example.org"]
""", encoding="utf-8")
    argv = ["--config", str(toml), "--home", str(config.paths.home), "register", "notify"]
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"pending": 2}
    with smtp_server(port) as (_port, received):
        assert main([*argv, "--retry", "--json"]) == 0  # --retry does not wait for backoff
    assert json.loads(capsys.readouterr().out) == {"sent": 2, "failed": 0, "pending": 0}
    assert len(received) == 2


def test_webhook_posts_json(tmp_path: Path) -> None:
    with webhook_server() as (url, posted):
        config = _config(tmp_path, free_port(), webhook=url)
        config.register.notify.departments = {}
        ctx = Context(config)
        _file(ctx, _court_letter())
        _file(ctx, letter("n2", recipient="M. Martin", confidential=True,
                          confidential_cues=["Private and confidential"], sender="Bank"))
    assert posted[0] == {
        "event": "mail.routed", "number": "2026-000001", "department": "legal",
        "received": "2026-03-02", "recipient": "Service juridique", "urgency": "normal",
        "due_date": "2026-03-17", "confidential": False, "sender": "Greffe du tribunal",
        "subject": "Convocation audience", "doc_type": None, "reference": None,
        "archive_path": "2026/03/n1.pdf"}
    assert posted[1]["number"] == "2026-000002" and posted[1]["department"] == "mailroom"
    assert "sender" not in posted[1] and posted[1]["confidential"] is True


def test_unreachable_webhook_is_queued(tmp_path: Path) -> None:
    config = _config(tmp_path, free_port(), webhook=f"http://127.0.0.1:{free_port()}/x")
    config.register.notify.departments = {}
    ctx = Context(config)
    _file(ctx, _court_letter())
    queued = notify.outbox(ctx.register, "n1")
    assert [(q["channel"], q["status"]) for q in queued] == [("webhook", "pending")]
    assert queued[0]["last_error"].startswith("cannot POST to webhook http://127.0.0.1:")


def test_letter_stranded_by_a_crash_is_routed_and_notified_later(tmp_path: Path) -> None:
    with smtp_server() as (port, received):
        ctx = Context(_config(tmp_path, port))
        doc = _court_letter()
        classify.run(doc, ctx)
        file_letter(ctx.register, doc)  # committed, then the process died before notify
        assert tracking.find(ctx.register, "2026-000001")["status"] == "registered"
        assert notify.retry_notifications(ctx) == {"sent": 2, "failed": 0, "pending": 0}
    assert tracking.find(ctx.register, "2026-000001")["status"] == "routed"
    assert len(received) == 2
