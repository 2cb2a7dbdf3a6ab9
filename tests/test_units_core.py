"""Fast unit tests of the core pieces: naming, sniffing, config, stability, register."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.document import Document, Extraction, FieldValue
from pipeline.errors import ConfigError, EmptyFileError, UnsupportedFormatError
from pipeline.naming import check_template, render, safe_component, template_values
from pipeline.register import Register
from pipeline.sniff import sniff
from pipeline.stabilise import Decision, StabilityTracker


def test_safe_component_removes_traversal_and_controls() -> None:
    assert safe_component("../../etc/passwd", 80, "x") == "etc-passwd"
    assert safe_component("ACME\x00\nSA", 80, "x") == "ACMESA"
    assert safe_component("  ...  ", 80, "unknown") == "unknown"
    assert safe_component("CON", 80, "x") == "_CON"
    # NFD input is stored NFC, so the same sender always lands in one folder.
    assert safe_component("Societe\u0301", 80, "x") == "Societ\u00e9"


def test_safe_component_limits_bytes_without_breaking_characters() -> None:
    value = safe_component("é" * 100, 81, "x")
    assert len(value.encode("utf-8")) <= 81
    assert value == "é" * 40


def test_render_default_template() -> None:
    values = template_values("0123456789ab", {"date": "2024-03-03", "sender": "ACME / Lyon",
                                              "reference": "AB-2024/0173"},
                             "2024-03-10T09:00:00+00:00", "")
    path = render("{year}/{month}/{sender}/{date}_{reference}_{short_id}.pdf", values, 80,
                  "unknown")
    assert path == "2024/03/ACME - Lyon/2024-03-03_AB-2024-0173_01234567.pdf"


def test_render_falls_back_to_reception_date_and_unknown() -> None:
    values = template_values("abcdefabcdef", {}, "2026-12-03T10:00:00+00:00", "")
    path = render("{year}/{month}/{sender}/{date}_{reference}_{short_id}.pdf", values, 80,
                  "unknown")
    assert path == "2026/12/unknown/2026-12-03_unknown_abcdefab.pdf"


@pytest.mark.parametrize("template", ["/abs/{sender}.pdf", "../{sender}.pdf", "{nope}.pdf",
                                      "{sender}.txt"])
def test_bad_templates_are_refused(template: str) -> None:
    with pytest.raises(ConfigError):
        check_template(template)


@pytest.mark.parametrize(("head", "kind"), [
    (b"%PDF-1.7\n", "pdf"), (b"junk junk %PDF-1.4\n", "pdf"),
    (b"\x89PNG\r\n\x1a\n....", "image"), (b"\xff\xd8\xff\xe0", "image"), (b"II*\x00", "image"),
])
def test_sniff_recognises_scans(tmp_path: Path, head: bytes, kind: str) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(head + b"\x00" * 10)
    assert sniff(path).kind == kind


@pytest.mark.parametrize(("data", "words"), [
    (b"MZ\x90\x00" + b"\x00" * 60, "Windows program"),
    ("log line\n".encode("utf-16"), "UTF-16"),
    (b"just some text\n", "plain text"),
])
def test_sniff_refuses_non_scans_with_a_reason(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFormatError, match=words):
        sniff(path)


def test_sniff_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.touch()
    with pytest.raises(EmptyFileError):
        sniff(path)


def test_config_refuses_archive_inside_inbox(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[paths]\nhome = "h"\ninbox = "in"\narchive = "in/archive"\n')
    with pytest.raises(ConfigError, match="inside the inbox"):
        load_config(cfg, env={})


def test_config_unknown_key_and_bad_type(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[ocr]\nlanguags = ['fra']\n")
    with pytest.raises(ConfigError, match="unknown setting 'languags'"):
        load_config(cfg, env={})
    cfg.write_text("[ocr]\njobs = 'two'\n")
    with pytest.raises(ConfigError, match="must be a number"):
        load_config(cfg, env={})


def test_config_home_precedence(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[paths]\nhome = "fromfile"\n')
    assert load_config(cfg, env={}).paths.home == (tmp_path / "fromfile").resolve()
    env = {"COURRIER_HOME": str(tmp_path / "env")}
    assert load_config(cfg, env=env).paths.inbox == (tmp_path / "env" / "inbox").resolve()
    assert load_config(cfg, home=tmp_path / "arg", env=env).paths.home == (tmp_path / "arg")


def test_stability_waits_for_quiet_period_and_growth(tmp_path: Path) -> None:
    tracker = StabilityTracker(quiet_seconds=5, max_wait_seconds=100, backoff_max_seconds=4)
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    assert tracker.observe(path, now=0) is Decision.WAIT
    assert tracker.observe(path, now=4.9) is Decision.WAIT  # not quiet long enough
    assert tracker.observe(path, now=5.0) is Decision.WAIT  # quiet, but no IEND yet
    with open(path, "ab") as handle:  # the writer finishes the file
        handle.write(b"IEND\xaeB`\x82")
    os.utime(path, ns=(10**9, 10**9))
    assert tracker.observe(path, now=6) is Decision.WAIT  # changed: quiet period restarts
    assert tracker.observe(path, now=11) is Decision.READY


def test_stability_gives_up_on_a_file_that_never_completes(tmp_path: Path) -> None:
    tracker = StabilityTracker(quiet_seconds=1, max_wait_seconds=10, backoff_max_seconds=2)
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\n")  # no %%EOF: truncated
    decisions = [tracker.observe(path, now=t) for t in range(0, 12)]
    assert decisions[-1] is Decision.GIVE_UP
    assert "EOF" in tracker.reason(path) or decisions.count(Decision.WAIT) >= 9
    assert Decision.READY not in decisions


def _doc(doc_id: str, sha: str, received: str = "2026-01-05T10:00:00+00:00") -> Document:
    doc = Document(id=doc_id, source=Path("x.pdf"), original_name="x.pdf", received_at=received)
    doc.sha256 = sha
    doc.extraction = Extraction(fields={"sender": FieldValue("ACME", 0.9)})
    return doc


def test_register_numbers_are_gap_free_per_year(tmp_path: Path) -> None:
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    numbers = []
    for i, received in enumerate(["2025-12-31T23:00:00+00:00", "2026-01-01T08:00:00+00:00",
                                  "2026-01-02T08:00:00+00:00"]):
        doc = _doc(f"{i:012x}", f"{i:064x}", received)
        register.begin_job(doc, tmp_path)
        numbers.append(register.archive(doc, "{year}-{seq:06d}", lambda n: None))
    assert numbers == ["2025-000001", "2026-000001", "2026-000002"]


def test_register_failed_placement_uses_no_number(tmp_path: Path) -> None:
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    first, second = _doc("a" * 12, "1" * 64), _doc("b" * 12, "2" * 64)
    for doc in (first, second):
        register.begin_job(doc, tmp_path)

    def disk_full(number: str) -> None:
        raise OSError("No space left on device")

    with pytest.raises(OSError):
        register.archive(first, "{year}-{seq:06d}", disk_full)
    assert register.archive(second, "{year}-{seq:06d}", lambda n: None) == "2026-000001"
    assert register.archive(first, "{year}-{seq:06d}", lambda n: None) == "2026-000002"


def test_register_numbering_under_concurrency(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    Register(url)
    results: list[str] = []

    def worker(offset: int) -> None:
        register = Register(url)
        for i in range(15):
            doc = _doc(f"{offset + i:012x}", f"{offset + i:064x}")
            register.begin_job(doc, tmp_path)
            results.append(register.archive(doc, "{year}-{seq:06d}", lambda n: None))

    threads = [threading.Thread(target=worker, args=(k * 100,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [f"2026-{n:06d}" for n in range(1, 61)]


def test_register_detects_duplicate_content(tmp_path: Path) -> None:
    register = Register(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    first = _doc("a" * 12, "f" * 64)
    register.begin_job(first, tmp_path / "job-a")
    register.archive(first, "{year}-{seq:06d}", lambda n: None)
    again = _doc("b" * 12, "f" * 64)
    assert register.begin_job(again, tmp_path / "job-b").duplicate_of == "a" * 12


def test_sidecar_schema_matches_the_document_record() -> None:
    import json

    import jsonschema

    from pipeline.document import Page
    from tests.conftest import REPO

    schema = json.loads((REPO / "schemas" / "sidecar.schema.json").read_text())
    doc = _doc("0123456789ab", "a" * 64)
    doc.extraction.fields["date"] = FieldValue("2024-03-03", 0.95, page=1, start=4, end=14,
                                               source="label:date")
    doc.size, doc.mime, doc.page_count, doc.pdf_sha256 = 10, "application/pdf", 1, "b" * 64
    doc.archive_path, doc.original_path = "2024/03/ACME/x.pdf", "2026/01/0123456789ab.pdf"
    doc.registration_number = "2026-000001"
    doc.pages = [Page(1, 595.0, 842.0, "Lyon, le 3 mars 2024")]
    sidecar = doc.to_sidecar()
    jsonschema.validate(sidecar, schema)
    assert set(sidecar) == set(schema["required"]) == set(schema["properties"])
    again = Document.from_sidecar(sidecar).to_sidecar()
    assert again == sidecar  # the sidecar round-trips: the index and register rebuild from it
