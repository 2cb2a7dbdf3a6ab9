"""Classification and routing: rules, urgency and confidentiality cues, due dates, validation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import RegisterConfig, load_config
from pipeline.context import Context
from pipeline.errors import ConfigError
from pipeline.register.rules import check_register, due_in, route
from pipeline.stages import archive, classify
from tests.conftest import REPO, make_config
from tests.test_register_support import letter

ROUTES: list[dict[str, Any]] = [
    {"name": "tax office", "sender": ["impots.gouv", "Finanzamt", "HMRC"],
     "department": "accounting", "urgency": "high"},
    {"name": "court", "words": ["tribunal", "Gericht", "court"], "department": "legal",
     "assignee": "alice", "due_in_days": 5},
    {"name": "HR post", "recipient": "Ressources humaines", "department": "hr",
     "confidential": True},
    {"name": "claims", "reference": r"^SIN-\d{4}-\d+$", "department": "claims"},
    {"name": "invoices", "doc_type": "invoice", "department": "accounting",
     "due_in_days": 30},
    {"name": "German", "language": "de", "department": "dach"},
]


def _register(**changes: Any) -> RegisterConfig:
    cfg = RegisterConfig(routes=ROUTES, due_days={"default": 15, "high": 7, "urgent": 3,
                                                   "invoice": 30})
    for key, value in changes.items():
        setattr(cfg, key, value)
    check_register(cfg)
    return cfg


@pytest.mark.parametrize(("fields", "text", "department", "rule"), [
    ({"sender": "DGFiP impots.gouv.fr"}, "", "accounting", "tax office"),
    ({"sender": "FINANZAMT Köln"}, "", "accounting", "tax office"),
    ({"sender": "Cabinet Martin"}, "Convocation devant le Tribunal judiciaire", "legal", "court"),
    ({"recipient": "Service RESSOURCES HUMAINES"}, "", "hr", "HR post"),
    ({"reference": "SIN-2026-0042"}, "", "claims", "claims"),
    ({"their_reference": "SIN-2025-7"}, "", "claims", "claims"),
    ({"reference": "XSIN-2026-0042"}, "", "mailroom", ""),  # anchored regex: no match
    ({"doc_type": "invoice"}, "", "accounting", "invoices"),
    ({"language": "de"}, "", "dach", "German"),
    ({"sender": "ACME SA"}, "Nous vous remercions", "mailroom", ""),
    # Whole words only: "courtesy" is not "court".
    ({"sender": "ACME"}, "A courtesy letter", "mailroom", ""),
])
def test_routes_first_match_wins_else_default(fields: dict[str, str], text: str,
                                               department: str, rule: str) -> None:
    decision = route(letter("a1", text=text, **fields), _register())
    assert (decision.department, decision.rule) == (department, rule)


def test_first_matching_rule_wins_over_later_ones() -> None:
    # A tax letter that is also an invoice and mentions a court: the tax rule is first.
    doc = letter("a2", text="tribunal administratif", sender="impots.gouv.fr",
                 doc_type="invoice")
    decision = route(doc, _register())
    assert decision.department == "accounting" and decision.rule == "tax office"


def test_due_dates_from_reception_stamp_doc_type_urgency_and_rule() -> None:
    cfg = _register()
    # Plain letter: default 15 days from the scan's arrival.
    assert route(letter("d1"), cfg).due_date == "2026-03-17"
    # The reception stamp's date wins over the scan's arrival.
    assert route(letter("d2", received_on="2026-02-27"), cfg).due_date == "2026-03-14"
    # Rule "invoices" gives 30 days; an urgent invoice gets the urgent 3.
    assert route(letter("d3", doc_type="invoice"), cfg).due_date == "2026-04-01"
    assert route(letter("d4", doc_type="invoice", urgency="urgent"), cfg).due_date \
        == "2026-03-05"
    # Rule "court" says 5 days, shorter than default; urgency high (7) does not lengthen it.
    assert route(letter("d5", text="court", urgency="high"), cfg).due_date == "2026-03-07"
    assert due_in(cfg, "letter", "high", None) == 7


# Cue phrases as printed on letters, in the three languages, and the level the extractor
# gives them (models/patterns/*.json).
URGENCY_CUES = [
    ("fr", "Lettre recommandée avec accusé de réception", "high"),
    ("fr", "Mise en demeure", "urgent"),
    ("fr", "Dernier rappel", "urgent"),
    ("fr", "Date limite de paiement", "high"),
    ("fr", "Assignation", "urgent"),
    ("fr", "URGENT", "urgent"),
    ("en", "Registered mail", "high"),
    ("en", "Formal notice", "urgent"),
    ("en", "Final reminder", "urgent"),
    ("en", "Court summons", "urgent"),
    ("en", "Tax return deadline", "high"),
    ("en", "Urgent", "urgent"),
    ("de", "Einschreiben mit Rückschein", "high"),
    ("de", "Letzte Mahnung", "urgent"),
    ("de", "Mahnbescheid", "urgent"),
    ("de", "Gerichtstermin", "high"),
    ("de", "Abgabefrist", "high"),
    ("de", "Dringend", "urgent"),
]
CONFIDENTIAL_CUES = [
    ("fr", "Personnel et confidentiel"), ("fr", "Confidentiel"),
    ("en", "Private and confidential"), ("en", "Confidential"),
    ("de", "Persönlich/Vertraulich"), ("de", "Vertraulich"),
]


@pytest.mark.parametrize(("lang", "cue", "level"), URGENCY_CUES)
def test_urgency_cue_sets_urgency_and_shortens_due_date(lang: str, cue: str, level: str,
                                                        tmp_path: Path) -> None:
    ctx = Context(make_config(tmp_path))
    doc = letter("u1", urgency=level, urgency_cues=[cue], language=lang)
    classify.run(doc, ctx)
    assert doc.extraction.urgency == level
    assert doc.extraction.urgency_cues == [cue]
    assert doc.due_date == {"high": "2026-03-09", "urgent": "2026-03-05"}[level]


@pytest.mark.parametrize(("lang", "cue"), CONFIDENTIAL_CUES)
def test_confidential_cue_keeps_flag_and_department(lang: str, cue: str,
                                                    tmp_path: Path) -> None:
    ctx = Context(make_config(tmp_path, register__routes=ROUTES))
    doc = letter("c1", confidential=True, confidential_cues=[cue], language=lang,
                 recipient="Ressources humaines")
    classify.run(doc, ctx)
    assert doc.extraction.confidential is True
    assert doc.extraction.confidential_cues == [cue]  # not doubled by the rule
    assert doc.department == "hr"


def _extractor_cues(text: str) -> tuple[str, bool]:
    """The extractor's own cue reading (the other developer's module), without spaCy models."""
    nlp = pytest.importorskip("pipeline.extract.nlp")
    extract_classify = pytest.importorskip("pipeline.extract.classify")
    patterns = pytest.importorskip("pipeline.extract.patterns")
    tools = nlp.TextTools(patterns.load_patterns(REPO / "models"), REPO / "models", False)
    cues = tools.read(text).cues
    return extract_classify.urgency(cues)[0], extract_classify.confidential(cues)[0]


def test_printed_cues_in_three_languages_reach_the_register_fields() -> None:
    for _lang, cue, level in URGENCY_CUES:
        assert _extractor_cues(f"Objet : votre dossier\n{cue}\nMadame,")[0] == level, cue
    for _lang, cue in CONFIDENTIAL_CUES:
        assert _extractor_cues(f"{cue}\nMadame, Monsieur,")[1] is True, cue
    assert _extractor_cues("Madame, Monsieur, veuillez trouver ci-joint") == ("normal", False)


def test_rule_raises_urgency_but_never_lowers_it(tmp_path: Path) -> None:
    ctx = Context(make_config(tmp_path, register__routes=ROUTES))
    tax = letter("r1", sender="impots.gouv.fr")
    classify.run(tax, ctx)
    assert tax.extraction.urgency == "high" and tax.extraction.urgency_cues == ["rule:tax office"]
    notice = letter("r2", sender="impots.gouv.fr", urgency="urgent",
                    urgency_cues=["Mise en demeure"])
    classify.run(notice, ctx)
    assert notice.extraction.urgency == "urgent"
    assert notice.extraction.urgency_cues == ["Mise en demeure", "rule:tax office"]


def test_rule_made_confidential_protects_the_stored_original(tmp_path: Path) -> None:
    config = make_config(tmp_path / "home", register__routes=ROUTES)
    ctx = Context(config)
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4 staff file\n")
    doc = letter("p1", recipient="Direction des Ressources Humaines")
    doc.source = source
    doc.sha256 = archive.sha256_file(source)
    classify.run(doc, ctx)
    assert doc.extraction.confidential is True
    assert doc.extraction.confidential_cues == ["rule:HR post"]
    archive.run(doc, ctx)
    stored = config.paths.originals / doc.original_path
    assert stored.read_bytes() == source.read_bytes()
    assert os.stat(stored).st_mode & 0o777 == 0o600


def test_routes_and_notify_load_from_toml(tmp_path: Path) -> None:
    toml = tmp_path / "courrier.toml"
    toml.write_text("""
[register]
default_department = "courrier"
[register.due_days]
default = 10
urgent = 2
[[register.routes]]
name = "legal"
words = ["mise en demeure"]
department = "legal"
urgency = "urgent"
[register.users]
alice = ["legal"]
[register.notify]
smtp_host = "127.0.0.1"
smtp_port = 2525
[register.notify.departments.legal]
email = ["legal@example.org"]
webhook = "http://127.0.0.1:9/hook"
""", encoding="utf-8")
    config = load_config(toml, home=tmp_path / "home", env={})
    reg = config.register
    assert reg.default_department == "courrier" and reg.due_days == {"default": 10, "urgent": 2}
    assert reg.routes[0]["department"] == "legal" and reg.users == {"alice": ["legal"]}
    assert reg.notify.smtp_port == 2525
    assert reg.notify.departments["legal"]["email"] == ["legal@example.org"]
    decision = route(letter("t1", text="MISE EN DEMEURE de payer"), reg)
    assert (decision.department, decision.urgency, decision.due_date) == \
        ("legal", "urgent", "2026-03-04")


@pytest.mark.parametrize(("route_table", "message"), [
    ({"department": "legal", "sendr": "x"}, r"#1: unknown key\(s\) sendr"),
    ({"name": "no dept", "sender": "x"}, r"#1 \(no dept\): 'department' is missing"),
    ({"department": "legal", "reference": "AB-(\\d+"}, "'reference' is not a valid regular"),
    ({"department": "legal", "words": []}, "'words' must be a non-empty text or list"),
    ({"department": "legal", "urgency": "asap"}, "'urgency' must be one of normal, high"),
    ({"department": "legal", "due_in_days": -1}, "'due_in_days' must be a whole number"),
    ({"department": "legal", "confidential": "yes"}, "'confidential' must be true or false"),
    ("legal", "#1 must be a table"),
])
def test_invalid_routes_are_refused_at_start(tmp_path: Path, route_table: Any,
                                            message: str) -> None:
    config = make_config(tmp_path)
    config.register.routes = [route_table]
    with pytest.raises(ConfigError, match=message):
        check_register(config.register)


def test_invalid_rule_in_file_stops_load_config(tmp_path: Path) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text('[[register.routes]]\nname = "x"\nreference = "[A-Z"\n'
                    'department = "legal"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"routes\]\] #1 \(x\): 'reference' is not a valid"):
        load_config(toml, home=tmp_path / "home", env={})


@pytest.mark.parametrize(("section", "value", "message"), [
    ("users", {"bob": "legal"}, "'bob' must be a list of departments"),
    ("due_days", {"default": "ten"}, "'default' must be a whole number"),
    ("default_department", " ", "default_department must not be empty"),
])
def test_invalid_register_settings(tmp_path: Path, section: str, value: Any,
                                   message: str) -> None:
    config = make_config(tmp_path)
    setattr(config.register, section, value)
    with pytest.raises(ConfigError, match=message):
        check_register(config.register)


@pytest.mark.parametrize(("changes", "message"), [
    ({"webhook": "ftp://x"}, "webhook must be an http"),
    ({"departments": {"legal": {"email": "legal@x.org"}}}, "smtp_host is not set"),
    ({"departments": {"legal": {"mail": "legal@x.org"}}}, r"unknown key\(s\) mail"),
    ({"smtp_host": "h", "departments": {"legal": {"email": ["nobody"]}}}, "'email' must be"),
])
def test_invalid_notify_settings(tmp_path: Path, changes: dict[str, Any], message: str) -> None:
    config = make_config(tmp_path)
    for key, value in changes.items():
        setattr(config.register.notify, key, value)
    with pytest.raises(ConfigError, match=message):
        check_register(config.register)


def test_documented_example_config_is_valid(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "register.md").read_text(encoding="utf-8")
    example = doc.split("## Configuration example", 1)[1].split("```toml\n", 1)[1]
    toml = tmp_path / "example.toml"
    toml.write_text(example.split("```", 1)[0], encoding="utf-8")
    reg = load_config(toml, home=tmp_path / "home", env={}).register
    assert [r["name"] for r in reg.routes] == ["tax office", "court", "staff files", "claims",
                                               "invoices"]
    claim = route(letter("x1", reference="SIN-2026-0042", sender="Assur SA"), reg)
    assert (claim.department, claim.due_date) == ("claims", "2026-03-17")
    staff = route(letter("x2", recipient="Human Resources"), reg)
    assert (staff.department, staff.confidential) == ("hr", True)
