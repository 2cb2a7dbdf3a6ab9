"""Classify stage: department, assignee, due date, urgency and confidentiality of a letter.

Runs after extraction and before archiving, so the archive path, the file permissions, the
sidecar and the register row all see the same decision.
"""

from __future__ import annotations

from pipeline.context import Context
from pipeline.document import Document
from pipeline.register.rules import route


def run(doc: Document, ctx: Context) -> None:
    decision = route(doc, ctx.config.register)
    doc.department = doc.department or decision.department
    doc.assignee = doc.assignee or decision.assignee
    doc.due_date = decision.due_date
    extraction = doc.extraction
    extraction.urgency = decision.urgency
    extraction.urgency_cues = list(dict.fromkeys([*extraction.urgency_cues, *decision.cues]))
    if decision.confidential and not extraction.confidential:
        # A rule-made flag must protect the files and the index exactly as a printed one does.
        extraction.confidential = True
        extraction.confidential_cues = [*extraction.confidential_cues,
                                        f"rule:{decision.rule}"]
