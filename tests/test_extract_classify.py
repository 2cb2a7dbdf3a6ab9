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
