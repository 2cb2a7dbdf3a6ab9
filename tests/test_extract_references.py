"""References: the sender's (N/Réf., Our ref, Unser Zeichen...) and the recipient's (V/Réf.)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ExtractConfig
from pipeline.document import Page
from pipeline.extract import Extractor

MODELS = Path(__file__).resolve().parents[1] / "models"
HEAD = "Cabinet Martin SARL\n4 place Bellecour\n69002 Lyon\n\n"
TAIL = "\n\nLyon, le 3 mars 2024\n\nMadame,\n\nVeuillez agréer nos salutations.\n"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(ExtractConfig(use_statistical_ner=False), models_dir=MODELS)


def extract(extractor: Extractor, text: str) -> dict[str, str | None]:
    result = extractor.extract([Page(number=1, width=0.0, height=0.0, text=text)])
    return {"reference": result.value("reference"),
            "their_reference": result.value("their_reference")}


@pytest.mark.parametrize(("line", "expected"), [
    ("N/Réf. : AB-2024-0173", "AB-2024-0173"),  # several spaCy tokens, one value
    ("N/Ref.: AB-2024-0173", "AB-2024-0173"),
    ("Notre référence : DUP/2024/118", "DUP/2024/118"),
    ("Dossier n° 2024-55812", "2024-55812"),
    ("Facture n° FA-2017-0010", "FA-2017-0010"),
    ("Police n°: 7788 9921 03", "7788 9921 03"),
    ("Our ref: XY/12/884", "XY/12/884"),
    ("Reference: I8-241270", "I8-241270"),
    ("Invoice no. 42183017", "42183017"),
    ("Unser Zeichen: K-4711/24", "K-4711/24"),
    ("Aktenzeichen: 4 O 123/24", "4 O 123/24"),
    ("Rechnungsnummer 30064443", "30064443"),
])
def test_sender_reference_without_its_label(extractor: Extractor, line: str,
                                            expected: str) -> None:
    assert extract(extractor, HEAD + line + TAIL)["reference"] == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("V/Réf. : CLT-889", "CLT-889"),
    ("Votre référence : PO445", "PO445"),
    ("Your ref: REF-244299", "REF-244299"),
    ("Ihr Zeichen: ab-12/3", "ab-12/3"),
])
def test_their_reference_is_kept_apart(extractor: Extractor, line: str, expected: str) -> None:
    got = extract(extractor, HEAD + line + "\nN/Réf. : AB-2024-0173" + TAIL)
    assert got == {"reference": "AB-2024-0173", "their_reference": expected}


def test_reference_label_beats_customer_number(extractor: Extractor) -> None:
    text = HEAD + "Client n° : 813671849\nRéf. : D 2022/0103" + TAIL
    assert extract(extractor, text)["reference"] == "D 2022/0103"


def test_value_under_a_column_header(extractor: Extractor) -> None:
    text = ("Muster AG\nHauptstraße 1\n80331 München\n\n"
            "Ihr Zeichen      Unser Zeichen      Datum\n"
            "xy-1             L23-2708-T         2023-12-26\n\n"
            "Sehr geehrte Damen und Herren,\n\nMit freundlichen Grüßen")
    got = extract(extractor, text)
    assert got == {"reference": "L23-2708-T", "their_reference": "xy-1"}


def test_a_date_is_never_a_reference(extractor: Extractor) -> None:
    text = HEAD + "Réf. : 12.03.2024" + TAIL
    assert extract(extractor, text)["reference"] is None


def test_no_label_no_reference(extractor: Extractor) -> None:
    text = HEAD + "Nous vous écrivons au sujet de la commande 55812." + TAIL
    assert extract(extractor, text)["reference"] is None
