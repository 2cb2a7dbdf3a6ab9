"""Helpers shared by the register tests: letters, a fixed clock, local SMTP and HTTP servers.

No tests here; the servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.document import Document, Extraction, FieldValue, Page
from pipeline.register import Register

NUMBER_FORMAT = "{year}-{seq:06d}"


def letter(doc_id: str, *, received_at: str = "2026-03-02T09:00:00+00:00", text: str = "",
           urgency: str = "normal", urgency_cues: list[str] | None = None,
           confidential: bool = False, confidential_cues: list[str] | None = None,
           **fields: str) -> Document:
    """A Document as the extractor leaves it: fields, urgency and confidentiality set."""
    doc = Document(id=doc_id, source=Path(f"/nonexistent/{doc_id}.pdf"),
                   original_name=f"{doc_id}.pdf", received_at=received_at)
    doc.sha256 = hashlib.sha256(doc_id.encode()).hexdigest()
    doc.pages = [Page(number=1, width=595.0, height=842.0, text=text)]
    doc.page_count = 1
    doc.extraction = Extraction(
        fields={k: FieldValue(v, 0.9) for k, v in fields.items()}, urgency=urgency,
        urgency_cues=list(urgency_cues or []), confidential=confidential,
        confidential_cues=list(confidential_cues or []))
    return doc


def file_letter(register: Register, doc: Document, job_dir: Path | None = None) -> str:
    """Journal and archive `doc` as the register stage would (no files): its number."""
    register.begin_job(doc, job_dir or Path("/nonexistent/job"))
    doc.archive_path = f"2026/03/{doc.id}.pdf"
    number = register.archive(doc, NUMBER_FORMAT, lambda _n: None,
                              due_date=doc.due_date or None)
    doc.registration_number = number
    return number


def clock_at(iso: str) -> Callable[[], datetime]:
    moment = datetime.fromisoformat(iso)
    return lambda: moment


class MovableClock:
    """A fake clock the test moves forward by hand."""

    def __init__(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso)

    def __call__(self) -> datetime:
        return self.now


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def _say(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode("ascii"))

    def handle(self) -> None:
        self._say("220 127.0.0.1 test SMTP ready")
        recipients: list[str] = []
        data: list[str] | None = None
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if data is not None:
                if line == ".":
                    self.server.messages.append(  # type: ignore[attr-defined]
                        {"to": recipients, "data": "\n".join(data)})
                    recipients, data = [], None
                    self._say("250 OK queued")
                else:
                    data.append(line[1:] if line.startswith("..") else line)
                continue
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 127.0.0.1")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                self._say("250 OK")
            elif verb == "DATA":
                data = []
                self._say("354 End data with <CR><LF>.<CR><LF>")
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            else:  # MAIL, RSET, NOOP
                self._say("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


@contextmanager
def smtp_server(port: int = 0) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """A real SMTP server on 127.0.0.1: yields (port, received messages)."""
    server = _Server(("127.0.0.1", port), _SmtpHandler)
    server.messages = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.messages  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def webhook_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """An HTTP server on 127.0.0.1 collecting the JSON bodies POSTed to it."""
    received: list[dict[str, Any]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass  # keep test output clean

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A loopback port nothing listens on (right now)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
