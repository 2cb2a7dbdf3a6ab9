"""Real invoices from ../shared/corpus (born-digital: their text layer is read directly)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import ExtractConfig
from pipeline.evaluate import field_matches
from pipeline.extract import Extractor
from pipeline.extract.pdftext import read_pages

MODELS = Path(__file__).resolve().parents[1] / "models"
INVOICES = [
    "invoice2data/AmazonWebServices.pdf", "invoice2data/QualityHosting.pdf",
    "invoice2data/coolblue1.pdf", "invoice2data/saeco.pdf", "zugferd/EN16931_Einfach.pdf",
    "zugferd/EN16931_Miete.pdf", "zugferd/Facture_FR_BASICWL.pdf",
    "zugferd/zugferd_2p0_EXTENDED_Fremdwaehrung.pdf",
]
# saeco prints its issuer only inside an image: without OCR there is no sender to read.
NEEDS_OCR = {("invoice2data/saeco.pdf", "sender")}


@pytest.fixture(scope="module")
def corpus() -> Path:
    folder = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    if not (folder / "truth.json").is_file():
        pytest.skip("../shared/corpus is not available")
    return folder


@pytest.fixture(scope="module")
def truth(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "truth.json").read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(ExtractConfig(), models_dir=MODELS)


@pytest.mark.corpus
@pytest.mark.parametrize("name", INVOICES)
def test_invoice_sender_date_reference(corpus: Path, truth: dict[str, Any],
                                       extractor: Extractor, name: str) -> None:
    result = extractor.extract(read_pages(corpus / name))
    expected = truth[name]
    for field in ("sender", "date", "reference"):
        if (name, field) in NEEDS_OCR:
            continue
        got = result.value(field)
        assert field_matches(field, expected[field], got), (field, expected[field], got)
    assert result.value("language") == expected["language"]


@pytest.mark.corpus
def test_french_invoice_exact_values(corpus: Path, extractor: Extractor) -> None:
    result = extractor.extract(read_pages(corpus / "zugferd/Facture_FR_BASICWL.pdf"))
    assert result.value("date") == "2017-11-13"  # not the due date 13/12/2017
    assert result.value("reference") == "FA-2017-0010"
    assert result.value("their_reference") == "PO445"
    assert result.value("recipient") == "Ma jolie boutique"
    assert result.value("doc_type") == "invoice"


@pytest.mark.corpus
def test_german_invoice_is_not_its_delivery_date(corpus: Path, extractor: Extractor) -> None:
    result = extractor.extract(read_pages(corpus / "zugferd/EN16931_Miete.pdf"))
    assert result.value("date") == "2018-10-01"  # Leistungsdatum 29.09.2018 is a trap
    assert result.value("sender") == "MUSTER-Autovermietung"
    assert result.value("recipient") == "MUSTER-KUNDE GMBH"
