"""The letter's date and the reception stamp: rules and traps, on plain-text pages (no OCR)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ExtractConfig
from pipeline.document import Page
from pipeline.extract import Extractor

MODELS = Path(__file__).resolve().parents[1] / "models"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(ExtractConfig(use_statistical_ner=False), models_dir=MODELS)


def pages(text: str) -> list[Page]:
    return [Page(number=1, width=0.0, height=0.0, text=text)]


FR_HEAD = "Société Lumière SARL\n12 rue des Lilas\n69002 Lyon\n\n"
FR_TAIL = ("\n\nMadame, Monsieur,\n\nNous vous informons que votre dossier est complet et "
           "nous restons à votre disposition pour toute question.\n\nVeuillez agréer, Madame, "
           "Monsieur, nos salutations distinguées.\n\nJean Dupont\n")
EN_HEAD = "Northwind Trading Ltd\n5 King Street\nLeeds LS1 2AB\n\n"
DE_HEAD = "Stadtwerke Ebersfeld GmbH\nHauptstraße 4\n80331 München\n\n"


@pytest.mark.parametrize(("line", "expected"), [
    ("Lyon, le 3 mars 2024", "2024-03-03"),
    ("Lyon, le 1er mars 2024", "2024-03-01"),
    ("Paris, le 03/04/2024", "2024-04-03"),  # French: day first
    ("Lyon, le 2024-03-04", "2024-03-04"),
    ("Lyon, le l0.03.2024", "2024-03-10"),  # OCR: l for 1
    ("Lyon, le O3.04.2024", "2024-04-03"),  # OCR: O for 0
    ("Lyon, le 12 fevrier 2024", "2024-02-12"),  # OCR lost the accent
])
def test_french_date_line(extractor: Extractor, line: str, expected: str) -> None:
    text = FR_HEAD + line + FR_TAIL
    result = extractor.extract(pages(text))
    assert result.value("date") == expected
    found = result.fields["date"]
    assert found.page == 1
    assert found.start is not None and found.end is not None
    assert text[found.start:found.end] == line.split(" le ", 1)[1]  # the span as printed


@pytest.mark.parametrize(("line", "expected"), [
    ("3 March 2024", "2024-03-03"),
    ("March 3, 2024", "2024-03-03"),
    ("9\" June 2024", "2024-06-09"),  # OCR: a stray quote after the day
    ("2nd May 2024", "2024-05-02"),
    ("Date: 03/04/2024", "2024-04-03"),  # a UK letter: day first
])
def test_english_dates(extractor: Extractor, line: str, expected: str) -> None:
    text = EN_HEAD + line + "\n\nDear Sir,\n\nThank you for your order.\n\nYours faithfully,"
    assert extractor.extract(pages(text)).value("date") == expected


def test_us_letter_reads_month_first(extractor: Extractor) -> None:
    text = ("Acme Corp\n410 Terry Ave North\nSeattle, WA 98109, USA\n\n03/04/2024\n\n"
            "Dear Customer,\n\nPlease find our statement enclosed.\n\nSincerely,")
    assert extractor.extract(pages(text)).value("date") == "2024-03-04"


@pytest.mark.parametrize(("line", "expected"), [
    ("Berlin, 3. April 2024", "2024-04-03"),
    ("Berlin, den 2. Oktober 2024", "2024-10-02"),  # never an organisation
    ("Datum: 03.04.2024", "2024-04-03"),
    ("Berlin, 12. Marz 2024", "2024-03-12"),
])
def test_german_dates(extractor: Extractor, line: str, expected: str) -> None:
    text = DE_HEAD + line + "\n\nSehr geehrte Damen,\n\nvielen Dank.\n\nMit freundlichen Grüßen"
    assert extractor.extract(pages(text)).value("date") == expected


@pytest.mark.parametrize("trap", [
    "Vous êtes né le 14/07/1980 à Lyon.",
    "Merci de régler avant le 30 avril 2024 au plus tard.",
    "Suite à votre courrier du 12 janvier 2024, nous revenons vers vous.",
    "Le contrat prendra effet à compter du 1er avril 2024.",
])
def test_french_body_dates_are_not_the_letter_date(extractor: Extractor, trap: str) -> None:
    text = FR_HEAD + "Lyon, le 3 mars 2024\n\nMadame, Monsieur,\n\n" + trap + FR_TAIL
    assert extractor.extract(pages(text)).value("date") == "2024-03-03"


@pytest.mark.parametrize("trap", [
    "Date of birth: 14/07/1980",
    "Payment is due no later than 30 April 2024.",
    "Further to your letter dated 12 January 2024, we write to confirm.",
    "The agreement is effective from 1 April 2024 for twelve months.",
])
def test_english_body_dates_are_not_the_letter_date(extractor: Extractor, trap: str) -> None:
    text = (EN_HEAD + "3 March 2024\n\nDear Sir,\n\n" + trap +
            "\n\nYours faithfully,\n\nJohn Smith")
    assert extractor.extract(pages(text)).value("date") == "2024-03-03"


@pytest.mark.parametrize("trap", [
    "Geburtsdatum: 14.07.1980",
    "Bitte zahlen Sie bis zum 30.04.2024.",
    "vielen Dank für Ihr Schreiben vom 12.01.2024.",
    "Der Vertrag gilt ab dem 01.04.2024.",
])
def test_german_body_dates_are_not_the_letter_date(extractor: Extractor, trap: str) -> None:
    text = (DE_HEAD + "Berlin, 3. März 2024\n\nSehr geehrte Damen und Herren,\n\n" + trap +
            "\n\nMit freundlichen Grüßen")
    assert extractor.extract(pages(text)).value("date") == "2024-03-03"


@pytest.mark.parametrize(("stamp", "expected"), [
    ("REÇU LE 12 MARS 2024", "2024-03-12"),
    ("Eingegangen 12.03.2024", "2024-03-12"),
    ("RECEIVED 12 MAR 2024", "2024-03-12"),
])
def test_reception_stamp_is_received_on_not_date(extractor: Extractor, stamp: str,
                                                 expected: str) -> None:
    text = FR_HEAD + stamp + "\n\nLyon, le 3 mars 2024" + FR_TAIL
    result = extractor.extract(pages(text))
    assert result.value("received_on") == expected
    assert result.value("date") == "2024-03-03"


def test_unreadable_date_is_absent_never_today(extractor: Extractor) -> None:
    text = FR_HEAD + "Lyon, le 3 mors 2O2" + FR_TAIL
    result = extractor.extract(pages(text))
    assert result.value("date") is None
    assert result.needs_review is True
    assert "date not found" in result.review_reasons


def test_impossible_date_is_rejected(extractor: Extractor) -> None:
    text = FR_HEAD + "Lyon, le 31 février 2024" + FR_TAIL
    assert extractor.extract(pages(text)).value("date") is None


def test_invoice_title_date(extractor: Extractor) -> None:
    text = ("Beispiel GmbH\n\nHandelsrechnung Nr. 471102 vom 05.03.2018\n\n"
            "Liefer- und Leistungsdatum: 01.03.2018\nRechnung gemäß Bestellung vom 28.02.2018.")
    result = extractor.extract(pages(text))
    assert result.value("date") == "2018-03-05"
    assert result.value("reference") == "471102"


@pytest.mark.parametrize("stamp_word", ["RECEIVEp", "RECEIVED", "Recelved"])
def test_askew_stamp_word_beside_its_date(extractor: Extractor, stamp_word: str) -> None:
    # A tilted stamp: tesseract reads the stamp word offset from the date under it, with noise.
    text = (EN_HEAD + "Mr Andrew Morgan\n5 Church Lane\nLEEDS\nLS1 4AB\n"
            + " " * 40 + stamp_word + "      \"al\n"
            + " " * 52 + "18 MAy 2024\n"
            "May 15, 2024\n\nRe: Your account\n\nDear Mr Morgan,\n\nYours sincerely,\n")
    result = extractor.extract(pages(text))
    assert result.value("received_on") == "2024-05-18"
    assert result.value("date") == "2024-05-15"
