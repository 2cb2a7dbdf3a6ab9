"""Normalisation rules (pure Python) and the sidecar builders the other search tests share."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import IndexConfig
from pipeline.search.analysis import (
    date_bounds,
    fold,
    language_code,
    looks_like_reference,
    normalize_reference,
    parse_date,
    to_record,
)


def make_sidecar(doc_id: str, text: str, *, lang: str = "fr", sender: str | None = "ACME SA",
                 date: str | None = "2024-02-10", reference: str | None = None,
                 their_reference: str | None = None, doc_type: str | None = "invoice",
                 department: str | None = "compta", confidential: bool = False,
                 subject: str | None = None) -> dict[str, Any]:
    """A sidecar in the format of Document.to_sidecar(), with only what search reads."""
    return {
        "format": "courrier-sidecar/1", "id": doc_id,
        "registration_number": f"2024-{abs(hash(doc_id)) % 10**6:06d}",
        "original_name": f"{doc_id}.pdf", "received_at": "2024-02-12T09:00:00Z",
        "archive_path": f"2024/02/{doc_id}.pdf", "page_count": 1, "department": department,
        "metadata": {"sender": sender, "date": date, "received_on": "2024-02-12",
                     "reference": reference, "their_reference": their_reference,
                     "recipient": "Service courrier", "subject": subject, "language": lang,
                     "doc_type": doc_type},
        "extraction": {"needs_review": False, "urgency": "normal", "confidential": confidential},
        "pages": [{"number": 1, "text": text}],
    }


def write_archive(archive: Path, sidecars: list[dict[str, Any]]) -> None:
    """Sidecars beside (absent) PDFs, in the archive's year/month folders."""
    for sidecar in sidecars:
        path = archive / sidecar["archive_path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".json").write_text(json.dumps(sidecar), encoding="utf-8")


def small_config(**changes: Any) -> IndexConfig:
    config = IndexConfig(lock_timeout_seconds=20.0, batch_size=3, reindex_procs=1)
    for key, value in changes.items():
        setattr(config, key, value)
    return config


@pytest.mark.parametrize("typed", ["AB-2024/0173", "AB 2024 0173", "ab20240173", " ab_2024.0173 "])
def test_references_typed_differently_share_one_key(typed: str) -> None:
    assert normalize_reference(typed) == "ab20240173"


def test_fold_removes_accents_and_case_in_three_languages() -> None:
    assert fold("Réclamation ÉTÉ") == "reclamation ete"
    assert fold("Müller Straße") == "muller strasse"
    assert fold("Cœur") == "coeur"


def test_reference_detection_needs_digits() -> None:
    assert looks_like_reference("AB-2024/0173")
    assert not looks_like_reference("facture")
    assert not looks_like_reference("12")


@pytest.mark.parametrize(("given", "code"), [("fra", "fr"), ("French", "fr"), ("en-GB", "en"),
                                             ("deu", "de"), ("it", "xx"), (None, "xx")])
def test_language_codes(given: str | None, code: str) -> None:
    assert language_code(given) == code


def test_date_bounds_cover_year_month_and_day() -> None:
    assert date_bounds("2024") == (datetime(2024, 1, 1), datetime(2024, 12, 31, 23, 59, 59))
    assert date_bounds("2024-02")[1] == datetime(2024, 2, 29, 23, 59, 59)
    assert date_bounds("15/03/2024")[0] == datetime(2024, 3, 15)
    assert parse_date("2024-03-15T10:00:00Z") == datetime(2024, 3, 15)
    assert parse_date("not a date") is None
    with pytest.raises(ValueError, match="not a valid date"):
        date_bounds("2024-13")


def test_record_has_normalised_keys_and_content_in_its_language_field() -> None:
    record = to_record(make_sidecar("d1", "Bonjour", reference="AB-2024/0173",
                                    their_reference="V/Réf 77-A", sender="  Müller GmbH "))
    assert record["reference"] == "ab20240173"
    assert record["their_reference"] == "vref77a"
    assert record["sender_facet"] == "Müller GmbH"
    assert record["content_fr"].endswith("Bonjour")
    assert "content_en" not in record
    assert record["year"] == "2024"
    assert record["hit"]["reference"] == "AB-2024/0173"  # shown as the letter wrote it
