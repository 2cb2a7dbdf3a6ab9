"""Urgency, confidentiality, document type and language cues, in French, English and German."""

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


def run(extractor: Extractor, text: str):  # type: ignore[no-untyped-def]
    return extractor.extract([Page(number=1, width=0.0, height=0.0, text=text)])


@pytest.mark.parametrize(("cue", "level"), [
    ("Lettre recommandée avec accusé de réception", "high"),
    ("MISE EN DEMEURE", "urgent"),
    ("Objet : Dernier rappel avant poursuites", "urgent"),
    ("By Recorded Delivery", "high"),
    ("Registered mail", "high"),
    ("FORMAL NOTICE", "urgent"),
    ("Re: Final reminder before legal action", "urgent"),
    ("Einschreiben mit Rückschein", "high"),
    ("Betreff: Letzte Mahnung", "urgent"),
    ("DRINGEND", "urgent"),
    ("Nous vous remercions de votre commande.", "normal"),
])
def test_urgency(extractor: Extractor, cue: str, level: str) -> None:
    result = run(extractor, "ACME SARL\n1 rue X\n75001 Paris\n\n" + cue + "\n\nMadame,")
    assert result.urgency == level
    assert bool(result.urgency_cues) == (level != "normal")


@pytest.mark.parametrize(("cue", "expected"), [
    ("Personnel et confidentiel", True),
    ("CONFIDENTIEL", True),
    ("Private and confidential", True),
    ("PERSÖNLICH/VERTRAULICH", True),
    ("Le service du personnel vous répondra.", False),
])
def test_confidential(extractor: Extractor, cue: str, expected: bool) -> None:
    result = run(extractor, "ACME SARL\n1 rue X\n75001 Paris\n\n" + cue + "\n\nMadame,")
    assert result.confidential is expected
    assert (cue in result.confidential_cues or cue.upper() in map(str.upper,
            result.confidential_cues)) is expected


@pytest.mark.parametrize(("text", "doc_type"), [
    ("FACTURE n° FA-1\nMontant TTC : 120,00 €\nNet à payer", "invoice"),
    ("Rechnung\nRechnungsnummer: 30064443\nGesamtbetrag 34,73 EUR", "invoice"),
    ("Re: Final reminder\nYour account is overdue.", "reminder"),
    ("Objet : Avenant au contrat\nLe contrat initial reste applicable.", "contract"),
    ("Bonjour,\nMerci pour votre visite.", "letter"),
])
def test_doc_type(extractor: Extractor, text: str, doc_type: str) -> None:
    assert run(extractor, text).value("doc_type") == doc_type


@pytest.mark.parametrize(("text", "language"), [
    ("Madame, Monsieur, nous vous remercions pour votre courrier et nous restons à votre "
     "disposition.", "fr"),
    ("Dear Sir, thank you for your letter and we will be pleased to help you with this.", "en"),
    ("Sehr geehrte Damen und Herren, vielen Dank für Ihre Nachricht, die wir mit Freude "
     "gelesen haben.", "de"),
])
def test_language(extractor: Extractor, text: str, language: str) -> None:
    found = run(extractor, text).fields["language"]
    assert found.value == language
    assert 0.3 <= found.confidence <= 1.0


def test_too_little_text_has_no_language(extractor: Extractor) -> None:
    assert run(extractor, "12345").value("language") is None


@pytest.mark.parametrize(("text", "doc_type"), [
    ("Objet : Relance - facture n° FA-1 impayée\nFacture FA-1 du 3 mars, montant TTC 120 €",
     "reminder"),
    ("Objet : Mise en demeure\nVotre facture n° FA-1 reste impayée. Facture jointe.", "reminder"),
    ("Re: Final notice\nInvoice 4471 remains unpaid. Invoice attached.", "reminder"),
    ("Betreff: Zahlungserinnerung\nRechnung Nr. 4471, Rechnungsbetrag 34,73 EUR", "reminder"),
    ("Betreff: 2. Mahnung zur Rechnung 4471\nGesamtbetrag 34,73 EUR", "reminder"),
    ("Objet : Avis d'imposition 2023\nVotre impôt sur le revenu", "notice"),
    ("Betreff: Steuerbescheid 2023\nFestsetzung der Einkommensteuer", "notice"),
    ("Betreff: Kündigung Ihres Vertrages\nWir kündigen den Vertrag zum 31.12.", "contract"),
    ("Objet : Avenant n° 2\nLe contrat initial reste applicable.", "contract"),
    ("Re: Tenancy agreement renewal\nThe agreement is renewed.", "contract"),
    ("Objet : Avis d'échéance de votre contrat\nMontant de la cotisation annuelle", "insurance"),
])
def test_doc_type_priorities(extractor: Extractor, text: str, doc_type: str) -> None:
    assert run(extractor, "ACME SARL\n1 rue X\n75001 Paris\n\n" + text).value("doc_type") == \
        doc_type


@pytest.mark.parametrize("text", [
    "Objet : Changement d'adresse\nContrat n° : 35906208\nNous avons déménagé.",
    "Re: Change of address\nPlease quote our reference in any reply.",
    "Betreff: Neue Anschrift\nBitte beachten Sie auch den beiliegenden Kontoauszug.",
])
def test_identifier_labels_and_passing_mentions_are_plain_letters(extractor: Extractor,
                                                                  text: str) -> None:
    assert run(extractor, "ACME SARL\n1 rue X\n75001 Paris\n\n" + text).value("doc_type") == \
        "letter"


@pytest.mark.parametrize("line", ["| Betreff: Bescheid über Vorauszahlungen",
                                  "! Betreff: Bescheid über Vorauszahlungen"])
def test_subject_after_a_margin_mark(extractor: Extractor, line: str) -> None:
    text = "Muster AG\nHauptstraße 1\n80331 München\n\n" + line + "\nSehr geehrte Damen,"
    assert run(extractor, text).value("subject") == "Bescheid über Vorauszahlungen"


@pytest.mark.parametrize("text", [
    "Objet : Information relative à votre dossier\nPassé ce délai, la présente décision "
    "deviendra définitive.",
    "Betreff: Vorauszahlungen\nGegen diesen Bescheid können Sie Einspruch einlegen.",
    "Re: Your application\nYou have the right of appeal against this decision.",
])
def test_administrative_decisions_are_notices(extractor: Extractor, text: str) -> None:
    assert run(extractor, "ACME SARL\n1 rue X\n75001 Paris\n\n" + text).value("doc_type") == \
        "notice"
