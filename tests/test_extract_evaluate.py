"""The eval runner's scoring rules and report, without OCR (a cached OCR output is planted)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.evaluate import EvalReport, evaluate, field_matches, normalise, sha256_of


def test_normalise() -> None:
    assert normalise("  Société Générale, S.A. ") == "societegeneralesa"
    assert normalise(None) == ""


@pytest.mark.parametrize(("field", "truth", "got", "ok"), [
    ("sender", "Au bon moulin", "Au bon moulin SARL", True),
    ("sender", "QualityHosting AG", "qualityhosting ag", True),
    ("sender", "Amazon Web Services", "iViveLabs Limited", False),
    ("sender", "Acme", "Acme Holding International Group of Companies Europe", False),
    ("reference", "AB-2024-0173", "AB 2024 0173", True),
    ("reference", "AB-2024-0173", "AB-2024-0174", False),
    ("date", "2024-03-03", "2024-03-03", True),
    ("date", "2024-03-03", "2024-03-04", False),
    ("date", None, None, True),
    ("date", None, "2024-03-03", False),
    ("confidential", True, True, True),
])
def test_field_matches(field: str, truth: object, got: object, ok: bool) -> None:
    assert field_matches(field, truth, got) is ok


def test_report_accuracy_and_table() -> None:
    report = EvalReport()
    report.add("date", "fr", True)
    report.add("date", "fr", False)
    report.add("date", "de", True)
    assert report.accuracy("date") == pytest.approx(2 / 3)
    assert report.accuracy("date", "fr") == 0.5
    assert "66.7% (2/3)" in report.format_text()
    assert report.to_dict()["fields"]["date"]["de"] == {"ok": 1, "n": 1, "accuracy": 1.0}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_evaluate_uses_the_ocr_cache(tmp_path: Path) -> None:
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    source = corpus / "zugferd" / "Facture_FR_BASICWL.pdf"
    if not source.is_file():
        pytest.skip("../shared/corpus is not available")
    folder = tmp_path / "scans"
    folder.mkdir()
    shutil.copy(source, folder / "a.pdf")
    cache = tmp_path / "cache"
    cache.mkdir()
    # Plant the "OCR output" so no OCR runs: the cache is keyed by the input's sha256.
    shutil.copy(source, cache / f"{sha256_of(folder / 'a.pdf')}.pdf")
    truth = {"documents": {"a.pdf": {"sender": "Au bon moulin", "date": "2017-11-13",
                                     "reference": "FA-2017-0010", "language": "fr"},
                           "missing.pdf": {"sender": "X", "date": None, "reference": None}}}
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    report = evaluate(folder, folder / "truth.json", cache_dir=cache)
    assert report.documents == 1
    assert report.pages == 1
    assert report.accuracy("sender") == 1.0
    assert report.accuracy("date", "fr") == 1.0
    assert report.accuracy("reference") == 1.0
    assert report.errors == []
