"""The archivists' query language: what it reads, and the sentences it answers mistakes with."""

from __future__ import annotations

from datetime import datetime

import pytest

from pipeline.errors import QuerySyntaxError
from pipeline.search.query import (
    And,
    DateRange,
    MatchAll,
    Not,
    Or,
    Phrase,
    Term,
    parse_query,
)


def test_words_are_anded_and_phrases_kept() -> None:
    assert parse_query('réclamation "mise en demeure"') == And(
        (Term("réclamation"), Phrase("mise en demeure")))


def test_fields_aliases_and_operators() -> None:
    node = parse_query('sender:"ACME SA" OR expediteur:globex NOT rappel -relance')
    assert node == Or((Phrase("ACME SA", "sender"),
                       And((Term("globex", "sender"), Not(Term("rappel")), Not(Term("relance"))))))


def test_prefix_fuzzy_and_grouping() -> None:
    assert parse_query("type:(invoice OR claim) factur* reclamtion~") == And((
        Or((Term("invoice", "doc_type"), Term("claim", "doc_type"))),
        Term("factur", prefix=True), Term("reclamtion", fuzzy=1)))


@pytest.mark.parametrize(("text", "start", "end"), [
    ("date:2024-01..2024-03", datetime(2024, 1, 1), datetime(2024, 3, 31, 23, 59, 59)),
    ("date:[2024-01-01 TO 2024-03-31]", datetime(2024, 1, 1), datetime(2024, 3, 31, 23, 59, 59)),
    ("date:2023", datetime(2023, 1, 1), datetime(2023, 12, 31, 23, 59, 59)),
    ("date:2024-02..", datetime(2024, 2, 1), None),
    ("date:[* TO 2024-02-15]", None, datetime(2024, 2, 15, 23, 59, 59)),
])
def test_date_ranges(text: str, start: datetime | None, end: datetime | None) -> None:
    assert parse_query(text) == DateRange("date", start, end)


def test_empty_query_matches_everything() -> None:
    assert parse_query("   ") == MatchAll()


def test_a_reference_with_slashes_stays_one_word() -> None:
    assert parse_query("ref:AB-2024/0173") == Term("AB-2024/0173", "ref")
    assert parse_query("10:30") == Term("10:30")  # a time is not a field


@pytest.mark.parametrize(("text", "says"), [
    ('"mise en demeure', "quote opened at character 1 is never closed"),
    ("(facture OR avoir", "'(' is never closed"),
    ("facture)", "')' without its '('"),
    ("facture AND", "AND needs words on both sides"),
    ("OR facture", "OR needs words on both sides"),
    ("NOT", "NOT must be followed"),
    ("objet2:x foo:bar", "'foo:' is not a field we know"),
    ("date:2024-03..2024-01", "starts after it ends"),
    ("date:yesterday", "is not a date"),
    ("sender:", "nothing follows 'sender:'"),
    ("fa*ture", "only a '*' at the end"),
    ("sender:[a TO b]", "ranges only work with date"),
    ("facture ~2", "a '~' goes right after a word"),
    ('"madame facture"~99', "at most ~20 words apart"),
    ('"conseil subvention"~1.5', "takes a whole number of words"),
    ('"conseil subvention"~2x', "takes a whole number of words"),
    ("conseil~1.5", "a word takes '~'"),
])
def test_mistakes_get_a_sentence_not_a_traceback(text: str, says: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert says in caught.value.message
    assert caught.value.message.startswith("Cannot read the search:")
    assert "ref:" in caught.value.hint  # the hint shows examples


def test_words_near_each_other() -> None:
    assert parse_query('"madame facture"~3') == Phrase("madame facture", None, 3)
    assert parse_query('sender:"ACME SA"~1 relance') == And(
        (Phrase("ACME SA", "sender", 1), Term("relance")))
    assert parse_query('"madame facture"') == Phrase("madame facture")
