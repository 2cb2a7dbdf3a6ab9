"""Following letters: status flow, history, overdue, CSV register, confidential listings, CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.context import Context
from pipeline.errors import TransitionError, UsageError
from pipeline.register import Register, notify, tracking
from pipeline.stages import classify
from pipeline.stages import notify as notify_stage
from tests.conftest import make_config
from tests.test_register_support import clock_at, file_letter, letter

AT = "2026-03-02T10:00:00+00:00"
USERS = {"alice": ["legal"], "hugo": ["hr"], "max": ["accounting", "mailroom"]}
ROUTES = [{"name": "HR", "recipient": "ressources humaines", "department": "hr",
           "confidential": True},
          {"name": "court", "words": ["tribunal"], "department": "legal"}]


@pytest.fixture
def register(tmp_path: Path) -> Register:
    return Register(f"sqlite:///{tmp_path / 'register.sqlite3'}")


def test_status_flow_and_history(register: Register) -> None:
    number = file_letter(register, letter("s1", sender="ACME"))
    assert tracking.find(register, number)["status"] == "registered"
    steps = [("assign", {"assignee": "alice"}, "routed"), ("start", {}, "in_progress"),
             ("answer", {"reply_ref": "OUT-2026-77", "note": "paid"}, "answered")]
    for minute, (verb, extra, expected) in enumerate(steps, 1):
        entry = tracking.change(register, number, verb, actor="bob",
                                at=f"2026-03-0{minute + 2}T09:00:00+00:00", **extra)
        assert entry["status"] == expected
    entry = tracking.find(register, number)
    assert (entry["assignee"], entry["reply_ref"], entry["handled_at"]) == \
        ("alice", "OUT-2026-77", "2026-03-05T09:00:00+00:00")
    history = [(e["actor"], e["action"], e["detail"], e["at"][:10])
               for e in register.history("s1")]
    assert history[-3:] == [("bob", "assigned", "to alice", "2026-03-03"),
                            ("bob", "started", None, "2026-03-04"),
                            ("bob", "answered", "paid; reply OUT-2026-77", "2026-03-05")]
    assert [e[1] for e in history[:2]] == ["received", "registered"]


@pytest.mark.parametrize(("path", "verb", "message"), [
    ([], "answer", "is registered: it cannot be answered"),
    (["close"], "start", "is closed: it cannot be started"),
    (["start", "answer"], "close", "is answered: it cannot be closed"),
    (["close"], "assign", "is closed: it cannot be assigned"),
])
def test_invalid_transitions_are_refused_clearly(register: Register, path: list[str],
                                                 verb: str, message: str) -> None:
    number = file_letter(register, letter("t1"))
    for step in path:
        tracking.change(register, number, step, actor="bob", at=AT)
    before = tracking.find(register, number)["status"]
    with pytest.raises(TransitionError, match=message) as info:
        tracking.change(register, number, verb, actor="bob", at=AT, assignee="x")
    assert "Status flow: registered -> routed -> in_progress" in info.value.hint
    assert tracking.find(register, number)["status"] == before  # nothing changed


def test_unknown_number_is_a_usage_error(register: Register) -> None:
    with pytest.raises(UsageError, match="no letter is registered under number '2026-9'"):
        tracking.change(register, "2026-9", "start", actor="bob", at=AT)


def test_overdue_lists_open_letters_past_due(register: Register) -> None:
    for doc_id, due in (("late", "2026-03-05"), ("today", "2026-03-10"),
                        ("later", "2026-04-01"), ("late-done", "2026-03-01"),
                        ("very-late", "2026-02-20")):
        doc = letter(doc_id)
        doc.due_date = due
        file_letter(register, doc)
    tracking.change(register, "2026-000004", "close", actor="bob", at=AT)
    late = tracking.entries(register, overdue_on="2026-03-10")
    assert [(e["id"], e["due_date"]) for e in late] == [("very-late", "2026-02-20"),
                                                        ("late", "2026-03-05")]


def _filed(config: Config, clock: str = AT) -> Context:
    """Four letters through classify -> register -> notify, as the pipeline does."""
    ctx = Context(config, clock=clock_at(clock))
    letters = [
        letter("a", sender="ACME SA", recipient="Comptabilité", subject="Facture 12",
               received_on="2026-03-01"),
        letter("b", sender="Jean Dupont", recipient="Ressources humaines",
               subject="Arrêt maladie", text="certificat médical"),
        letter("c", sender="Greffe", recipient="Direction", subject="Convocation",
               text="Tribunal judiciaire", received_at="2026-03-03T08:00:00+00:00",
               urgency="urgent", urgency_cues=["Assignation"]),
        letter("d", sender="Cabinet X", recipient="M. Durand", subject="Dossier personnel",
               confidential=True, confidential_cues=["Personnel et confidentiel"],
               received_at="2026-03-04T08:00:00+00:00"),
    ]
    for doc in letters:
        classify.run(doc, ctx)
        file_letter(ctx.register, doc)
        notify_stage.run(doc, ctx)
    return ctx


@pytest.fixture
def filed(tmp_path: Path) -> Config:
    config = make_config(tmp_path / "home", register__routes=ROUTES, register__users=USERS)
    _filed(config).close()
    return config


def test_routing_after_commit_marks_routed_with_department(filed: Config) -> None:
    register = Register(filed.paths.database_url)
    rows = {e["id"]: e for e in tracking.entries(register)}
    assert {k: (e["department"], e["status"], e["confidential"]) for k, e in rows.items()} == {
        "a": ("mailroom", "routed", False), "b": ("hr", "routed", True),
        "c": ("legal", "routed", False), "d": ("mailroom", "routed", True)}
    assert rows["c"]["urgency"] == "urgent" and rows["c"]["due_date"] == "2026-03-06"
    assert rows["a"]["received"] == "2026-03-01"  # the reception stamp's date
    assert ("courrier", "routed", "to hr") in [
        (e["actor"], e["action"], e["detail"]) for e in register.history("b")]


def test_confidential_letters_hidden_from_other_departments(filed: Config) -> None:
    register = Register(filed.paths.database_url)
    rows = tracking.entries(register)
    as_alice = [tracking.redact(r, set(USERS["alice"])) for r in rows]
    hidden = [r for r in as_alice if r.get("restricted")]
    assert [r["number"] for r in hidden] == ["2026-000002", "2026-000004"]
    for row in hidden:
        shown = {k for k, v in row.items() if v is not None}
        assert shown == {"number", "received", "recipient", "confidential", "restricted"}
    assert hidden[0]["recipient"] == "Ressources humaines"
    assert all("Arrêt" not in json.dumps(r, ensure_ascii=False) for r in as_alice)
    as_hugo = [tracking.redact(r, set(USERS["hugo"])) for r in rows]
    assert [r["subject"] for r in as_hugo] == ["Facture 12", "Arrêt maladie", "Convocation",
                                              None]
    # The mailroom (letter d's department) sees d in full.
    assert tracking.redact(rows[3], set(USERS["max"]))["subject"] == "Dossier personnel"


def _cli(config: Config, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    toml = config.paths.home / "courrier.toml"
    if not toml.exists():
        users = "\n".join(f"{u} = {json.dumps(d)}" for u, d in USERS.items())
        toml.write_text(f"[register.users]\n{users}\n", encoding="utf-8")
    code = main(["--config", str(toml), "--home", str(config.paths.home), *argv])
    return code, capsys.readouterr().out


def _json_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_cli_list_filters_and_confidentiality(filed: Config,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _cli(filed, capsys, "register", "list", "--json")
    assert code == 0 and [r["number"] for r in _json_lines(out)] == [
        "2026-000001", "2026-000002", "2026-000003", "2026-000004"]
    _, out = _cli(filed, capsys, "register", "list", "--department", "hr", "--json")
    assert [r["id"] for r in _json_lines(out)] == ["b"]
    _, out = _cli(filed, capsys, "register", "list", "--from", "2026-03-02", "--to",
                  "2026-03-03", "--json")
    assert [r["id"] for r in _json_lines(out)] == ["b", "c"]
    _, out = _cli(filed, capsys, "register", "list", "--user", "alice")
    assert "2026-000002  2026-03-02  (confidential) for Ressources humaines" in out
    assert "Jean Dupont" not in out and "Arrêt" not in out and "Cabinet X" not in out
    assert "Greffe -> Direction: Convocation" in out
    code = main(["--home", str(filed.paths.home), "register", "list", "--user", "eve"])
    assert code == 2 and "unknown user 'eve'" in capsys.readouterr().err


def test_cli_follow_a_letter(filed: Config, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _cli(filed, capsys, "register", "assign", "2026-000003", "--to", "alice",
                     "--user", "alice", "--json")
    assert code == 0 and _json_lines(out)[0]["assignee"] == "alice"
    _cli(filed, capsys, "register", "start", "2026-000003", "--user", "alice")
    code, out = _cli(filed, capsys, "register", "close", "2026-000003", "--reply-ref",
                     "N/Réf 2026-15", "--note", "conclusions envoyées", "--user", "alice")
    assert code == 0 and out.strip() == "2026-000003: answered, assigned to alice"
    code, out = _cli(filed, capsys, "register", "show", "2026-000003", "--json")
    shown = json.loads(out)
    assert shown["status"] == "answered" and shown["reply_ref"] == "N/Réf 2026-15"
    assert [(e["actor"], e["action"]) for e in shown["history"]][-3:] == [
        ("alice", "assigned"), ("alice", "started"), ("alice", "answered")]
    code = main(["--home", str(filed.paths.home), "register", "start", "2026-000003"])
    err = capsys.readouterr().err
    assert code == 2 and "2026-000003 is answered: it cannot be started" in err
    # Someone outside HR can neither read nor change HR's confidential letter.
    code, out = _cli(filed, capsys, "register", "show", "2026-000002", "--user", "alice")
    assert "Arrêt" not in out and "confidential: details are for" in out
    code = main(["--config", str(filed.paths.home / "courrier.toml"), "--home",
                 str(filed.paths.home), "register", "close", "2026-000002", "--user", "alice"])
    assert code == 2 and "confidential mail of another department" in capsys.readouterr().err


def test_cli_overdue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path / "home")
    register = Register(config.paths.database_url)
    for doc_id, due in (("old", "2020-01-10"), ("future", "2999-01-01")):
        doc = letter(doc_id, sender="ACME")
        doc.due_date = due
        file_letter(register, doc)
    code, out = _cli(config, capsys, "register", "overdue", "--json")
    assert code == 0 and [r["id"] for r in _json_lines(out)] == ["old"]


def test_cli_export_csv_daily_register(filed: Config, capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    code, out = _cli(filed, capsys, "register", "export", "--from", "2026-03-01", "--to",
                     "2026-03-03", "--format", "csv", "--user", "alice")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [
        ["number", "received", "sender", "recipient", "subject", "department", "urgency",
         "status"],
        ["2026-000001", "2026-03-01", "ACME SA", "Comptabilité", "Facture 12", "mailroom",
         "normal", "routed"],
        ["2026-000002", "2026-03-02", "", "Ressources humaines", "", "", "", ""],
        ["2026-000003", "2026-03-03", "Greffe", "Direction", "Convocation", "legal", "urgent",
         "routed"],
    ]
    target = tmp_path / "register.csv"
    _cli(filed, capsys, "register", "export", "--from", "2026-03-04", "--to", "2026-03-04",
         "--output", str(target))
    assert target.read_text(encoding="utf-8").splitlines()[1] == (
        "2026-000004,2026-03-04,Cabinet X,M. Durand,Dossier personnel,mailroom,normal,routed")


def test_older_register_gains_new_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    register = Register(url)
    number = file_letter(register, letter("old1", sender="ACME"))
    with register.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE documents DROP COLUMN reply_ref")
        conn.exec_driver_sql("ALTER TABLE documents DROP COLUMN handled_at")
    register.close()
    reopened = Register(url)
    entry = tracking.change(reopened, number, "close", actor="bob", at=AT, reply_ref="R-1")
    assert (entry["status"], tracking.find(reopened, number)["reply_ref"]) == ("closed", "R-1")


def test_restored_row_is_not_announced_again(tmp_path: Path) -> None:
    config = make_config(tmp_path / "home")
    config.register.notify.webhook = "http://127.0.0.1:9/never-called"
    ctx = Context(config, clock=clock_at(AT))
    doc = letter("lost", sender="ACME")
    doc.registration_number, doc.department, doc.due_date = "2026-000007", "legal", "2026-03-20"
    assert ctx.register.restore_from_sidecar(doc.to_sidecar()) is True
    entry = tracking.find(ctx.register, "2026-000007")
    assert (entry["status"], entry["department"], entry["due_date"]) == \
        ("routed", "legal", "2026-03-20")
    assert notify.retry_notifications(ctx) == {"sent": 0, "failed": 0, "pending": 0}
