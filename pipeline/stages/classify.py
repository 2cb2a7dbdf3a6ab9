"""Classify stage: which department the letter goes to, and when it is due."""

from __future__ import annotations

from datetime import date, timedelta

from pipeline.context import Context
from pipeline.document import Document


def run(doc: Document, ctx: Context) -> None:
    cfg = ctx.config.register
    doc.department = doc.department or cfg.default_department
    days = cfg.due_days.get(doc.extraction.urgency, cfg.due_days.get("default", 15))
    received = date.fromisoformat(doc.received_at[:10])
    doc.due_date = (received + timedelta(days=days)).isoformat()
