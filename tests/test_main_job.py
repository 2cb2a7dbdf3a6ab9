"""The main job end to end, with real tesseract and OCRmyPDF: samples dropped in the inbox
become registered, searchable PDF/A documents in the archive tree.

One watcher pass over all samples is shared by the tests of this module (OCR is the cost).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pipeline.config import DEFAULT_ARCHIVE_TEMPLATE
from pipeline.naming import render, template_values
from pipeline.tools.pdf_tool import pdftotext_pages
from pipeline.tools.xmp_tool import read_description
from tests.conftest import REPO, SAMPLES

SCHEMA = json.loads((REPO / "schemas" / "sidecar.schema.json").read_text())
SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg"}


def courrier(home: Path, *args: str,
             config: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pipeline.cli", "--home", str(home)]
    if config:
        cmd += ["--config", str(config)]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=1200,
                          check=False, cwd=REPO)


def fold(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def samples() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(SAMPLES.iterdir()):
        expected = path.with_name(path.stem + ".expected.json")
        if path.suffix.lower() in SCAN_SUFFIXES and expected.exists():
            found.append((path, json.loads(expected.read_text(encoding="utf-8"))))
    return found


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Drop every sample in the inbox, run one watcher pass, return what it produced."""
    if not samples():
        pytest.fail("sample_scans/ holds no samples: run scripts/make_sample_scans.py")
    home = tmp_path_factory.mktemp("home")
    config = home / "courrier.toml"
    config.write_text("[stability]\nquiet_seconds = 0.5\n", encoding="utf-8")
    inbox = home / "inbox"
    inbox.mkdir()
    for path, _ in samples():
        shutil.copy2(path, inbox / path.name)
    run = courrier(home, "watch", "--once", config=config)
    assert run.returncode == 0, run.stderr[-3000:]
    sidecars = {}
    for sidecar in (home / "archive").rglob("*.json"):
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        sidecars[data["original_name"]] = (sidecar, data)
    return {"home": home, "sidecars": sidecars, "log": run.stderr}


def _sample_ids() -> list[str]:
    return [path.name for path, _ in samples()]


@pytest.mark.parametrize("name", _sample_ids())
def test_sample_is_archived_where_the_template_says(archived: dict[str, Any], name: str) -> None:
    sidecar_path, data = archived["sidecars"][name]
    expected_path = render(DEFAULT_ARCHIVE_TEMPLATE,
                           template_values(data["id"], data["metadata"], data["received_at"], ""),
                           80, "unknown")
    assert data["archive_path"] == expected_path
    pdf = archived["home"] / "archive" / expected_path
    assert pdf.is_file() and sidecar_path == pdf.with_suffix(".json")


@pytest.mark.parametrize("name", _sample_ids())
def test_sample_fields_are_read(archived: dict[str, Any], name: str) -> None:
    expected = json.loads((SAMPLES / (Path(name).stem + ".expected.json")).read_text())
    meta = archived["sidecars"][name][1]["metadata"]
    assert meta["date"] == expected["date"]
    assert meta["reference"] == expected["reference"]
    assert meta["sender"] == expected["sender"]


@pytest.mark.parametrize("name", _sample_ids())
def test_sample_is_pdfa_2b_with_its_words(archived: dict[str, Any], name: str) -> None:
    _, data = archived["sidecars"][name]
    pdf = archived["home"] / "archive" / data["archive_path"]
    xmp = read_description(pdf)
    assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "B")
    assert xmp["dc:identifier"] == data["registration_number"]
    # Tesseract sometimes drops an accent ("Verspatungszuschlag"); search folds accents, so
    # the word is findable either way: compare folded forms.
    text = fold(" ".join(" ".join(pdftotext_pages(pdf)).split()))
    expected = json.loads((SAMPLES / (Path(name).stem + ".expected.json")).read_text())
    for word in expected["words"]:
        assert fold(word) in text, f"{word!r} not in the archived PDF's text"


@pytest.mark.parametrize("name", _sample_ids())
def test_sidecar_validates_and_original_is_kept(archived: dict[str, Any], name: str) -> None:
    _, data = archived["sidecars"][name]
    jsonschema.validate(data, SCHEMA)
    original = archived["home"] / "originals" / data["original_path"]
    assert sha256(original) == sha256(SAMPLES / name) == data["sha256"]


def test_inbox_and_processing_are_empty(archived: dict[str, Any]) -> None:
    home = archived["home"]
    assert list((home / "inbox").iterdir()) == []
    assert list((home / "processing").iterdir()) == []
    assert list((home / "failed").iterdir()) == []
    assert len(archived["sidecars"]) == len(samples())


def test_registration_numbers_are_gap_free(archived: dict[str, Any]) -> None:
    numbers = sorted(d["registration_number"] for _, d in archived["sidecars"].values())
    year = numbers[0][:4]
    assert numbers == [f"{year}-{n:06d}" for n in range(1, len(numbers) + 1)]


def _search(home: Path, query: str) -> list[dict[str, Any]]:
    run = courrier(home, "search", "--json", "--limit", "20", query)
    assert run.returncode == 0, run.stderr
    return list(json.loads(run.stdout)["hits"])


@pytest.mark.parametrize("name", _sample_ids())
def test_search_finds_the_letter(archived: dict[str, Any], name: str) -> None:
    _, data = archived["sidecars"][name]
    expected = json.loads((SAMPLES / (Path(name).stem + ".expected.json")).read_text())
    home = archived["home"]
    by_word = _search(home, expected["words"][0])
    assert data["id"] in [hit["id"] for hit in by_word]
    by_sender = _search(home, f'sender:"{expected["sender"]}"')
    assert data["id"] in [hit["id"] for hit in by_sender]
    by_reference = _search(home, expected["reference"])
    assert by_reference and by_reference[0]["id"] == data["id"]
    hit = by_reference[0]
    assert hit["archive_path"] == data["archive_path"]
    assert hit["date"] == expected["date"]


def test_ingest_again_reports_duplicates_as_json(archived: dict[str, Any]) -> None:
    path, _ = samples()[0]
    run = courrier(archived["home"], "ingest", "--json", str(path))
    assert run.returncode == 0, run.stderr
    line = json.loads(run.stdout.splitlines()[0])
    assert line["status"] == "duplicate"
    assert line["archive_path"] == archived["sidecars"][path.name][1]["archive_path"]
    assert path.exists()  # a file given outside the inbox is never moved


def test_status_counts(archived: dict[str, Any]) -> None:
    run = courrier(archived["home"], "status")
    assert run.returncode == 0, run.stderr
    counts = dict(line.split(None, 1) for line in run.stdout.splitlines())
    assert counts["archived"] == str(len(samples()))
    assert counts["indexed"] == str(len(samples()))
    assert counts["inbox"] == "0" and counts["failed"] == "0"
