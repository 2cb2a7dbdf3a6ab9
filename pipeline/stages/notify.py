"""Notify stage (after the commit): the letter is routed and its department told of it.

Any fault here is recorded in the outbox and retried later; filing is already done.
"""

from __future__ import annotations

from pipeline.context import Context
from pipeline.document import Document
from pipeline.register.notify import dispatch


def run(doc: Document, ctx: Context) -> None:
    dispatch(doc.id, doc.department or ctx.config.register.default_department, ctx)
