"""Sender and recipient: letterhead, window, signature; never the addressee or a bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import ExtractConfig
from pipeline.document import Page, Word
from pipeline.extract import Extractor

MODELS = Path(__file__).resolve().parents[1] / "models"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(ExtractConfig(use_statistical_ner=False), models_dir=MODELS)


def page(text: str) -> list[Page]:
    return [Page(number=1, width=0.0, height=0.0, text=text)]


FRENCH = """Mutuelle Atlantique Assurances
12 rue du Moulin · 35000 RENNES · Tél. : 08 56 84 91 17



Nos réf. : REF-245776                    Mairie de Champvert
Votre référence : K24-1845-C             À l'attention de Madame Claire Petit
                                         31 quai Saint-Vincent
                                         63000 CLERMONT-FERRAND

                                                     Le 25 mars 2024

Objet : Avenant au contrat de prestations

Madame,

Votre prélèvement sera effectué par la Banque Populaire SA le 5 avril 2024.

Nous vous prions d'agréer, Madame, l'expression de nos salutations distinguées.

                                            Pierre Masson
                                            Conseiller clientèle
"""

GERMAN = """Hanseatische Versicherung AG
Bahnhofstraße 147
10115 Berlin
Telefon: 038 677366-0

Hanseatische Versicherung AG · Bahnhofstraße 147 · 10115 Berlin
Wohnbau Nord eG
Abteilung Haustechnik
Herrn Frank Müller
Industriestraße 11
28195 Bremen

                                                     Berlin, 14.07.2025
Unser Zeichen 2025.835.268
Betreff: Verlängerung Ihres Vertrages

Sehr geehrter Herr Müller,

die Commerzbank AG hat uns Ihre Zahlung bestätigt.

Mit freundlichen Grüßen

Hanseatische Versicherung AG
"""

ENGLISH = """Holloway Electrical Ltd
113 Mill Road
Norwich NR2 1TF
Tel: 0185 672 9953

Ms Joanne Edwards
St Aidan's School
35 High Street
READING
RG1 3EU

                                                     9 July 2024
Invoice number: SI/2024/51301
Re: Invoice for goods supplied

Dear Ms Edwards,

Payment can be made to Barclays Bank PLC.

Kind regards,

Tom Holloway
Holloway Electrical Ltd
"""


def test_french_letter(extractor: Extractor) -> None:
    result = extractor.extract(page(FRENCH))
    assert result.value("sender") == "Mutuelle Atlantique Assurances"
    assert result.value("recipient") == "Claire Petit"
    assert result.value("subject") == "Avenant au contrat de prestations"
    assert result.value("language") == "fr"
    assert result.value("date") == "2024-03-25"
    assert result.value("reference") == "REF-245776"
    assert result.value("their_reference") == "K24-1845-C"


def test_german_letter_window_is_recipient(extractor: Extractor) -> None:
    result = extractor.extract(page(GERMAN))
    assert result.value("sender") == "Hanseatische Versicherung AG"
    assert result.value("recipient") == "Frank Müller"
    assert result.value("subject") == "Verlängerung Ihres Vertrages"
    assert result.value("language") == "de"
    assert result.value("date") == "2025-07-14"


def test_english_bank_in_body_is_not_sender(extractor: Extractor) -> None:
    result = extractor.extract(page(ENGLISH))
    assert result.value("sender") == "Holloway Electrical Ltd"
    assert result.value("recipient") == "Joanne Edwards"
    assert result.value("reference") == "SI/2024/51301"
    assert result.value("subject") == "Invoice for goods supplied"
    assert result.value("language") == "en"


def test_sender_source_and_span(extractor: Extractor) -> None:
    found = extractor.extract(page(ENGLISH)).fields["sender"]
    assert found.source.startswith("sender:")
    assert found.start == 0 and found.end == len("Holloway Electrical Ltd")
    assert 0.6 <= found.confidence <= 1.0


def test_word_boxes_large_letterhead(extractor: Extractor) -> None:
    """With word boxes, the big name at the top beats a small line under it."""
    words = [
        Word("Lumière", 50, 40, 140, 64, 1, 1), Word("SARL", 146, 40, 200, 64, 1, 1),
        Word("Cabinet", 50, 70, 80, 78, 1, 2), Word("conseil", 82, 70, 110, 78, 1, 2),
        Word("Lyon,", 380, 200, 405, 210, 2, 3), Word("le", 408, 200, 416, 210, 2, 3),
        Word("3", 419, 200, 424, 210, 2, 3), Word("mars", 427, 200, 447, 210, 2, 3),
        Word("2024", 450, 200, 470, 210, 2, 3),
    ]
    text = "Lumière SARL\nCabinet conseil\n\nLyon, le 3 mars 2024"
    result = extractor.extract([Page(1, 595.0, 842.0, text, words)])
    assert result.value("sender") == "Lumière SARL"
    assert result.value("date") == "2024-03-03"
    assert result.fields["date"].start == text.index("3 mars")


def test_empty_page_has_no_fields_and_needs_review(extractor: Extractor) -> None:
    result = extractor.extract(page(""))
    assert result.value("sender") is None
    assert result.needs_review is True
    assert sorted(result.review_reasons) == ["date not found", "reference not found",
                                             "sender not found"]


def test_rules_only_when_model_disabled(extractor: Extractor) -> None:
    assert extractor.has_statistical_ner is False
    assert extractor.extract(page(FRENCH)).value("sender") == "Mutuelle Atlantique Assurances"


def test_works_without_the_french_model(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import spacy

    shutil.copytree(MODELS / "patterns", tmp_path / "patterns")
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    bare = Extractor(ExtractConfig(use_statistical_ner=True), models_dir=tmp_path)
    assert bare.has_statistical_ner is False
    result = bare.extract(page(FRENCH))
    assert result.value("sender") == "Mutuelle Atlantique Assurances"
    assert result.value("date") == "2024-03-25"


def test_missing_pattern_files_is_a_config_error(tmp_path: Path) -> None:
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="no pattern files"):
        Extractor(ExtractConfig(use_statistical_ner=False), models_dir=tmp_path)


def test_logo_mark_read_as_letters_is_not_the_sender(extractor: Extractor) -> None:
    # sample_scans/fr_relance_recommandee.jpg: the logo "BIR" comes out of tesseract as "pr |".
    text = ("pr | Boulangerie Industrielle Roux SAS\n173 rue du Moulin\n33000 BORDEAUX\n"
            "Tél. : 03 06 29 29 25\n\n"
            "Notre référence : UW7891286          Mairie de Champvert\n"
            "                                     Service achats\n"
            "                                     84 avenue Jean Jaurès\n"
            "                                     75011 Paris\n\n"
            "                               Bordeaux, le 10 septembre 2024\n\n"
            "Objet : Mise en demeure de payer\n\nMadame, Monsieur,\n\n"
            "Veuillez agréer nos salutations distinguées.\n")
    assert extractor.extract(page(text)).value("sender") == "Boulangerie Industrielle Roux SAS"


def test_stamp_heading_is_not_the_sender(extractor: Extractor) -> None:
    # The receiving organisation's name printed in the stamp, in big type, near the top.
    words = [Word("Redwood", 286, 40, 340, 60, 0, 0), Word("Life", 344, 40, 370, 60, 0, 0),
             Word("Pensions", 374, 40, 430, 60, 0, 0),
             Word("Our", 62, 125, 80, 136, 1, 0), Word("ref:", 83, 125, 100, 136, 1, 0),
             Word("ACC-259519", 103, 125, 160, 136, 1, 0),
             Word("ST", 290, 137, 310, 160, 2, 0), Word("AIDAN'S", 314, 137, 370, 160, 2, 0),
             Word("SCHOOL", 374, 137, 430, 160, 2, 0),
             Word("RECEIVED", 281, 152, 340, 175, 3, 0), Word("15", 344, 152, 358, 175, 3, 0),
             Word("MAY", 362, 152, 390, 175, 3, 0), Word("2025", 394, 152, 425, 175, 3, 0)]
    text = "\n".join(" ".join(w.text for w in words if w.block == b) for b in range(4))
    pages = [Page(number=1, width=595.0, height=842.0, text=text, words=words)]
    result = extractor.extract(pages)
    assert result.value("sender") == "Redwood Life Pensions"
    assert result.value("received_on") == "2025-05-15"


@pytest.mark.parametrize(("head", "expected"), [
    ("Thamesbridge Bank ple\n", "Thamesbridge Bank plc"),  # tesseract's "plc"
    ("Harbour Mutual Insurance\nHM\n"
     "Unit 90, Kingsway Business Park · Sheffield S1 2GU · Tel: 0610 658 5786\n",
     "Harbour Mutual Insurance"),
])
def test_letterhead_name_as_ocr_and_layout_give_it(extractor: Extractor, head: str,
                                                   expected: str) -> None:
    text = (head + "\n\nMr David Fletcher\n50 Market Place\nReading RG1 2AA\n\n"
            "3 March 2024\n\nDear Mr Fletcher,\n\nYours sincerely,\n")
    assert extractor.extract(page(text)).value("sender") == expected


def test_stamp_beside_the_recipient_block(extractor: Extractor) -> None:
    text = ("Prévoyance Rhône-Alpes\n101 rue de la République\n59000 LILLE\n\n"
            "      COURRIER ARRIVÉE                  Mairie de Champvert\n"
            "REÇU LE 12 NOVEMBRE 2025                À l'attention de Monsieur Pierre Bernard\n"
            "                                        Direction des ressources humaines\n"
            "                                        87 chemin des Vignes\n"
            "                                        21000 DIJON\n\n"
            "                                        Lille, le 10 novembre 2025\n\n"
            "Madame, Monsieur,\n\nVeuillez agréer nos salutations distinguées.\n")
    result = extractor.extract(page(text))
    assert result.value("recipient") == "Pierre Bernard"
    assert result.value("received_on") == "2025-11-12"
