"""The wide family of real-world reference labels, their OCR-damaged forms and DIN 5008
information blocks, in French, English and German (text snippets, no OCR)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ExtractConfig
from pipeline.document import Page
from pipeline.extract import Extractor

MODELS = Path(__file__).resolve().parents[1] / "models"
FR_HEAD = "Cabinet Martin SARL\n4 place Bellecour\n69002 Lyon\n\n"
FR_TAIL = "\n\nLyon, le 3 mars 2024\n\nMadame,\n\nVeuillez agréer nos salutations.\n"
EN_HEAD = "Harbour Services Ltd\n12 Quay Street\nBristol BS1 4DJ\n\n"
EN_TAIL = "\n\n3 March 2024\n\nDear Madam,\n\nYours faithfully,\n"
DE_HEAD = "Muster AG\nHauptstraße 1\n80331 München\n\n"
DE_TAIL = ("\n\nMünchen, den 03.03.2024\n\nSehr geehrte Damen und Herren,\n\n"
           "Mit freundlichen Grüßen\n")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(ExtractConfig(use_statistical_ner=False), models_dir=MODELS)


def refs(extractor: Extractor, text: str) -> dict[str, str | None]:
    result = extractor.extract([Page(number=1, width=0.0, height=0.0, text=text)])
    return {"reference": result.value("reference"),
            "their_reference": result.value("their_reference")}


@pytest.mark.parametrize("label", [
    "N/Réf.", "N/Ref", "N/Rèf", "N/Rél.", "N /Réf :", "Nl Réf.", "NRéf.", "N|Réf.", "Nos réf.",
    "Nos références", "Notre réf.", "Notre référence", "Notre Référence :", "Réf. dossier",
    "Référence dossier", "Référence du dossier", "Dossier n°", "N° dossier", "N° de dossier",
    "Numéro de dossier", "Votre dossier", "Votre dossier n°", "Notre dossier", "Réf. interne",
    "Référence interne", "Référence de l'avis", "Facture n°", "N° facture", "Numéro de facture",
    "N° d'avis", "Avis n°", "Police n°", "N° de police", "N° de sinistre", "Sinistre n°",
    "Objet/Réf.", "Réf.", "Référence",
])
def test_french_labels(extractor: Extractor, label: str) -> None:
    assert refs(extractor, FR_HEAD + f"{label} : DS-2024-0178" + FR_TAIL)["reference"] == \
        "DS-2024-0178"


@pytest.mark.parametrize("label", [
    "N° client", "Numéro client", "Numéro de client", "Réf. client", "N° de contrat",
    "Contrat n°", "N° fiscal", "Client n°", "N° adhérent",
])
def test_french_weak_labels_only_when_nothing_better(extractor: Extractor, label: str) -> None:
    alone = refs(extractor, FR_HEAD + f"{label} : 813671849" + FR_TAIL)
    assert alone["reference"] == "813671849"
    both = refs(extractor, FR_HEAD + f"{label} : 813671849\nDossier n° D-77/2024" + FR_TAIL)
    assert both["reference"] == "D-77/2024"


@pytest.mark.parametrize("label", [
    "Our ref", "Our ref.", "Our reference", "Our Ref:", "0ur ref", "Ref", "Reference",
    "Ref. no.", "Reference no.", "File ref", "File no.", "Case no.", "Case reference",
    "Claim no.", "Claim number", "Policy no.", "Policy number", "Invoice no.",
    "Invoice number", "Our file", "Matter no.",
])
def test_english_labels(extractor: Extractor, label: str) -> None:
    assert refs(extractor, EN_HEAD + f"{label}: HS/2024/0178" + EN_TAIL)["reference"] == \
        "HS/2024/0178"


@pytest.mark.parametrize("label", [
    "Account no.", "Account number", "Customer no.", "Order no.", "Contract no.",
    "Agreement no.",
])
def test_english_weak_labels(extractor: Extractor, label: str) -> None:
    assert refs(extractor, EN_HEAD + f"{label}: 55120987" + EN_TAIL)["reference"] == "55120987"
    both = refs(extractor, EN_HEAD + f"{label}: 55120987\nOur ref: HS/77" + EN_TAIL)
    assert both["reference"] == "HS/77"


@pytest.mark.parametrize("label", [
    "Unser Zeichen", "Unser Zeichen :", "Unsere Zeichen", "Unser Zelchen", "Unser Az.",
    "Unser Az", "Unser Aktenzeichen", "Aktenzeichen", "Az.", "Az .", "Az .:", "Geschäftszeichen",
    "Gz.", "Mein Zeichen", "Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr.",
    "Versicherungsnummer", "Vers.-Nr.", "Schadennummer", "Vorgangsnummer", "Bearbeitungsnummer",
])
def test_german_labels(extractor: Extractor, label: str) -> None:
    assert refs(extractor, DE_HEAD + f"{label}: MA-2024/0178" + DE_TAIL)["reference"] == \
        "MA-2024/0178"


@pytest.mark.parametrize("label", [
    "Kundennummer", "Kunden-Nr.", "Vertragsnummer", "Vertrags-Nr.", "Steuernummer", "St.-Nr.",
])
def test_german_weak_labels(extractor: Extractor, label: str) -> None:
    assert refs(extractor, DE_HEAD + f"{label}: 4471182" + DE_TAIL)["reference"] == "4471182"
    both = refs(extractor, DE_HEAD + f"{label}: 4471182\nUnser Zeichen: MA-9" + DE_TAIL)
    assert both["reference"] == "MA-9"


@pytest.mark.parametrize(("text", "theirs"), [
    (FR_HEAD + "V/Réf. : CL-889\nN/Réf. : DS-1" + FR_TAIL, "CL-889"),
    (FR_HEAD + "V/Rèf : CL-889\nN/Réf. : DS-1" + FR_TAIL, "CL-889"),
    (FR_HEAD + "Vos réf. : CL-889\nN/Réf. : DS-1" + FR_TAIL, "CL-889"),
    (FR_HEAD + "Votre référence : CL-889\nN/Réf. : DS-1" + FR_TAIL, "CL-889"),
    (FR_HEAD + "Vos références : CL-889\nN/Réf. : DS-1" + FR_TAIL, "CL-889"),
    (EN_HEAD + "Your ref: CL-889\nOur ref: DS-1" + EN_TAIL, "CL-889"),
    (EN_HEAD + "Your reference: CL-889\nOur ref: DS-1" + EN_TAIL, "CL-889"),
    (DE_HEAD + "Ihr Zeichen: CL-889\nUnser Zeichen: DS-1" + DE_TAIL, "CL-889"),
    (DE_HEAD + "Ihre Zeichen: CL-889\nUnser Zeichen: DS-1" + DE_TAIL, "CL-889"),
    (DE_HEAD + "Ihr Az.: CL-889\nAktenzeichen: DS-1" + DE_TAIL, "CL-889"),
    (DE_HEAD + "Ihr Az CL-889\nUnser Az DS-1" + DE_TAIL, "CL-889"),
    (DE_HEAD + "thr Zeichen: CL-889\nUnser Zeichen: DS-1" + DE_TAIL, "CL-889"),  # OCR'd "Ihr"
    (DE_HEAD + "lhr Zeichen: CL-889\nUnser Zeichen: DS-1" + DE_TAIL, "CL-889"),
])
def test_their_reference_labels(extractor: Extractor, text: str, theirs: str) -> None:
    assert refs(extractor, text)["their_reference"] == theirs
    assert refs(extractor, text)["reference"] == "DS-1"


def test_label_word_inside_a_value_is_not_a_label(extractor: Extractor) -> None:
    text = FR_HEAD + "Vos réf. : REF 2022/2471\nRéf. : DP-2022-9130" + FR_TAIL
    assert refs(extractor, text) == {"reference": "DP-2022-9130",
                                     "their_reference": "REF 2022/2471"}


@pytest.mark.parametrize("line", [
    "Affaire suivie par : Mme Durand, poste 2231",
    "Ihr Schreiben vom 12.02.2024",
    "Unsere Nachricht vom 01.02.2024",
    "Your letter of 12 February 2024",
    "Votre courrier du 12/02/2024",
])
def test_not_references(extractor: Extractor, line: str) -> None:
    head = DE_HEAD if "Ihr" in line or "Unsere" in line else FR_HEAD
    assert refs(extractor, head + line + FR_TAIL) == {"reference": None, "their_reference": None}


def test_unlabelled_reference_shapes_are_never_invented(extractor: Extractor) -> None:
    text = FR_HEAD + "AB-2024-0173\nDS/2024/118   4 O 123/24" + FR_TAIL
    assert refs(extractor, text) == {"reference": None, "their_reference": None}


def test_din5008_information_block(extractor: Extractor) -> None:
    text = (DE_HEAD + "Ihr Zeichen      Ihre Nachricht vom      Unser Zeichen      "
            "Unsere Nachricht vom      Name      Telefon      Datum\n"
            "ab-12/3          12.02.2024              MA-2024/0178       "
            "01.02.2024                Frau Kurz  089 1234-5  03.03.2024\n\n"
            "Sehr geehrte Damen und Herren,\n\nMit freundlichen Grüßen\n")
    assert refs(extractor, text) == {"reference": "MA-2024/0178", "their_reference": "ab-12/3"}


def test_din5008_block_without_their_reference(extractor: Extractor) -> None:
    text = (DE_HEAD + "Ihr Zeichen, Ihre Nachricht vom      Unser Zeichen, unsere Nachricht vom"
            "      Telefon      Datum\n"
            "                                     Az. 4 O 123/24                         "
            "   089 1234-5   03.03.2024\n\n"
            "Sehr geehrte Damen und Herren,\n\nMit freundlichen Grüßen\n")
    assert refs(extractor, text)["reference"] == "4 O 123/24"


def test_din5008_block_with_ocr_damaged_label(extractor: Extractor) -> None:
    # sample_scans/de_mahnung_2seiten.tif: tesseract reads "Ihr Zeichen" as "thr Zeichen".
    text = (DE_HEAD + "Unser Zeichen      thr Zeichen      Telefon          Datum\n"
            "H-25/888           V-596922         014 333256-5     2022-06-13\n\n"
            "Sehr geehrte Damen und Herren,\n\nMit freundlichen Grüßen\n")
    assert refs(extractor, text) == {"reference": "H-25/888", "their_reference": "V-596922"}


def test_value_wrapped_to_the_next_row_right_of_its_label(extractor: Extractor) -> None:
    text = (DE_HEAD + "Muster AG - Hauptstraße 1 - 80331 München" + " " * 20 + "Unser Az.:\n"
            + " " * 75 + "V 2024/3811\n" + DE_TAIL)
    assert refs(extractor, text)["reference"] == "V 2024/3811"


@pytest.mark.parametrize("label", ["Rechnung NM:", "Rechnung Nt.", "Kunden-Nr,", "Rechnungsnr"])
def test_german_number_labels_as_ocr_reads_them(extractor: Extractor, label: str) -> None:
    assert refs(extractor, DE_HEAD + f"{label} F24-3363-M" + DE_TAIL)["reference"] == \
        "F24-3363-M"


def test_tax_number_in_the_legal_footer_is_not_a_reference(extractor: Extractor) -> None:
    body = "\n".join(f"Zeile {i} des Schreibens." for i in range(30))
    text = (DE_HEAD + "Betreff: Ihre Reklamation\n" + body + DE_TAIL
            + "Sitz der Gesellschaft: Köln - HRA 7208 - Steuer-Nr. 85/573/48206\n")
    assert refs(extractor, text)["reference"] is None
    head = DE_HEAD + "Steuernummer: 85/573/48206\nBetreff: Einkommensteuer 2023\n"
    assert refs(extractor, head + body + DE_TAIL)["reference"] == "85/573/48206"
