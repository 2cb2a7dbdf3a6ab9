"""SearchIndex on a real (temporary) Whoosh index: what archivists type finds what they expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import QuerySyntaxError
from pipeline.search import SearchIndex
from tests.test_search_support import make_sidecar, small_config

LETTERS = [
    make_sidecar("fr1", "Madame, nous avons bien reçu votre réclamation concernant les factures "
                 "de janvier. Veuillez agréer nos salutations.", reference="AB-2024/0173",
                 date="2024-01-15", subject="Réclamation facture"),
    make_sidecar("fr2", "Relance : la facture n° 88 reste impayée. Mise en demeure de payer.",
                 sender="Dupré SARL", date="2024-03-02", doc_type="reminder",
                 reference="DU-77"),
    make_sidecar("en1", "Dear Sir, please find enclosed our invoices for March and the "
                 "payments received.", lang="en", sender="Globex Ltd", date="2023-11-20",
                 reference="GX/2023/5"),
    make_sidecar("de1", "Sehr geehrte Damen und Herren, anbei übersenden wir Ihnen die "
                 "Rechnungen. Die Zahlung ist überfällig.", lang="de", sender="Müller GmbH",
                 date="2024-02-28", doc_type="reminder", their_reference="MU 2024 0099"),
    make_sidecar("cf1", "Dossier disciplinaire confidentiel: réclamation du salarié.",
                 sender="ACME SA", date="2024-02-01", department="rh", confidential=True,
                 doc_type="letter"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    built = SearchIndex(tmp_path_factory.mktemp("search") / "index", small_config())
    assert built.add(LETTERS) == len(LETTERS)
    return built


def ids(index: SearchIndex, query: str, **options: object) -> list[str]:
    return [hit.id for hit in index.search(query, limit=20, **options).hits]  # type: ignore[arg-type]


def test_construction_touches_nothing(tmp_path: Path) -> None:
    SearchIndex(tmp_path / "nowhere" / "index", small_config())
    assert not (tmp_path / "nowhere").exists()


def test_an_empty_index_answers_empty(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", small_config())
    assert index.count() == 0
    assert index.ids() == set()
    assert index.search("facture").total == 0
    assert index.health()[0] is True


def test_french_accents_case_and_plural(index: SearchIndex) -> None:
    assert ids(index, "reclamation facture") == ["fr1"]  # no accent, singular
    assert ids(index, "RÉCLAMATIONS factures")[0] == "fr1"
    assert set(ids(index, "impayées")) == {"fr2"}


def test_ligatures_and_decomposed_accents_from_pdf_text_layers(tmp_path: Path) -> None:
    """Text layers of born-digital PDFs carry ligatures (U+FB01 "ﬁ") and accents as separate
    combining marks; people type neither."""
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([
        make_sidecar("lig", "Notre oﬃce de ﬁnance vous écrit.", sender="Caisse Générale"),
        make_sidecar("nfd", "Facture d'e\u0301lectricite\u0301 de fe\u0301vrier",
                     sender="Socie\u0301te\u0301 Ge\u0301ne\u0301rale"),
    ])
    assert ids(index, "finance office") == ["lig"]
    assert ids(index, "electricite") == ["nfd"] == ids(index, "électricité")
    assert ids(index, "e\u0301lectricite\u0301") == ["nfd"]  # typed decomposed too
    assert ids(index, 'sender:"societe generale"') == ["nfd"]
    assert ids(index, "ﬁnance") == ["lig"]
    facets = index.search("facture").facets["sender"]
    assert facets == {"Société Générale": 1}  # one spelling in the facet list


def test_words_near_each_other_in_order(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([make_sidecar("n0", "madame facture jaune"),
               make_sidecar("n1", "madame rouge facture"),
               make_sidecar("n3", "madame rouge vert bleu facture"),
               make_sidecar("rev", "facture pour madame")])
    assert ids(index, '"madame facture"') == ["n0"]
    assert sorted(ids(index, '"madame facture"~1')) == ["n0", "n1"]
    assert sorted(ids(index, '"madame facture"~3')) == ["n0", "n1", "n3"]


def test_stop_words_in_a_search_are_ignored_not_required(index: SearchIndex) -> None:
    """"le", "the", "die" are not indexed in their own language: a search must not require
    them there, or a natural search ("la facture") finds nothing in that language."""
    assert ids(index, "les factures de janvier") == ["fr1"] == ids(index, "factures janvier")
    assert ids(index, "the invoices") == ["en1"] == ids(index, "invoices")
    assert ids(index, "die Rechnungen") == ["de1"]
    assert ids(index, "über") == ["de1"]  # a German stop word: every German letter


def test_pasted_punctuation_is_ignored(index: SearchIndex) -> None:
    assert sorted(ids(index, "réclamation .")) == sorted(ids(index, "réclamation")) == \
        ["cf1", "fr1"]
    for query in ("réclamation : facture", "réclamation – facture", "réclamation & facture",
                  "réclamation / facture"):
        assert ids(index, query) == ["fr1"], query


def test_english_stemming(index: SearchIndex) -> None:
    assert ids(index, "invoice payment") == ["en1"]


def test_german_stemming_and_umlauts(index: SearchIndex) -> None:
    assert ids(index, "rechnung") == ["de1"]
    assert ids(index, "uberfallig") == ["de1"]  # typed without umlaut
    assert ids(index, "sender:muller") == ["de1"]


@pytest.mark.parametrize("typed", ["AB-2024/0173", "AB 2024 0173", "ab20240173",
                                   "ref:ab-2024-0173", 'ref:"AB 2024/0173"'])
def test_a_reference_finds_its_letter_first(index: SearchIndex, typed: str) -> None:
    assert ids(index, typed)[0] == "fr1"


def test_their_reference_and_prefix(index: SearchIndex) -> None:
    assert ids(index, "theirref:mu-2024-0099") == ["de1"]
    assert ids(index, 'ref:"MU 2024 0099"') == ["de1"]  # ref: looks at both references
    assert ids(index, "MU 2024 0099") == ["de1"]
    assert ids(index, "ref:gx2023*") == ["en1"]


def test_phrase_prefix_fuzzy_and_boolean(index: SearchIndex) -> None:
    assert ids(index, '"mise en demeure"') == ["fr2"]
    assert ids(index, '"demeure mise"') == []
    assert set(ids(index, "factur*")) == {"fr1", "fr2"}
    assert ids(index, "reclamtion~ NOT confidentiel") == ["fr1"]
    assert set(ids(index, "invoice OR rechnung")) == {"en1", "de1"}


def test_sender_in_a_date_range(index: SearchIndex) -> None:
    assert set(ids(index, "sender:acme date:2024-01..2024-02")) == {"fr1", "cf1"}
    assert ids(index, "sender:acme date:[2024-01-01 TO 2024-01-31]") == ["fr1"]
    assert set(ids(index, "date:2024-02")) == {"de1", "cf1"}
    assert ids(index, "type:reminder date:..2024-02") == ["de1"]


def test_sort_by_date_and_pages(index: SearchIndex) -> None:
    assert ids(index, "", sort="date") == ["en1", "fr1", "cf1", "de1", "fr2"]
    assert ids(index, "", sort="-date") == ["fr2", "de1", "cf1", "fr1", "en1"]
    second = index.search("", sort="date", limit=2, page=2)
    assert [h.id for h in second.hits] == ["cf1", "de1"]
    assert second.total == 5
    assert index.search("", limit=2, page=9).hits == []


def test_facets_count_sender_year_and_type(index: SearchIndex) -> None:
    facets = index.search("").facets
    assert facets["sender"] == {"ACME SA": 2, "Dupré SARL": 1, "Globex Ltd": 1, "Müller GmbH": 1}
    assert facets["year"] == {"2024": 4, "2023": 1}
    assert facets["doc_type"] == {"reminder": 2, "invoice": 2, "letter": 1}
    assert index.search("facture", facets=False).facets == {}


def test_hit_fields_and_highlighted_snippet(index: SearchIndex) -> None:
    hit = index.search("réclamation factures", departments={"compta"}).hits[0]
    assert hit.id == "fr1"
    assert "[[réclamation]]" in hit.snippet
    assert "[[factures]]" in hit.snippet
    assert (hit.sender, hit.date, hit.reference) == ("ACME SA", "2024-01-15", "AB-2024/0173")
    assert hit.archive_path == "2024/02/fr1.pdf"
    assert hit.doc_type == "invoice"
    assert hit.confidential is False
    assert hit.score > 0


def test_confidential_letters_only_for_their_department(index: SearchIndex) -> None:
    assert set(ids(index, "réclamation")) == {"fr1", "cf1"}  # admin: everything
    assert ids(index, "réclamation", departments={"compta"}) == ["fr1"]
    assert set(ids(index, "réclamation", departments={"RH"})) == {"fr1", "cf1"}
    assert ids(index, "réclamation", departments=set()) == ["fr1"]
    hidden = index.search("", departments={"compta"})
    assert hidden.total == 4
    assert hidden.facets["sender"]["ACME SA"] == 1  # facets do not leak it either


def test_bad_query_is_a_query_syntax_error(index: SearchIndex) -> None:
    with pytest.raises(QuerySyntaxError, match="never closed"):
        index.search('"mise en demeure')


def test_upsert_delete_ids_count(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", small_config())
    index.add([make_sidecar("a", "première version"), make_sidecar("b", "autre lettre")])
    index.add([make_sidecar("a", "seconde version corrigée")])
    assert index.count() == 2
    assert ids(index, "premiere") == []
    assert ids(index, "corrigee") == ["a"]
    assert index.delete(["a", "zzz"]) == 1
    assert index.ids() == {"b"}
    ok, message = index.health()
    assert ok and "1 documents" in message


def test_cli_search_pages_sorting_and_bad_numbers(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import main
    from tests.conftest import make_config

    config = make_config(tmp_path / "home")
    SearchIndex(config.paths.index, config.index).add(LETTERS)
    home = ["--home", str(config.paths.home)]

    assert main([*home, "search", "--sort", "newest", "--json"]) == 0  # no query: everything
    dates = [hit["date"] for hit in json.loads(capsys.readouterr().out)["hits"]]
    assert len(dates) == len(LETTERS) and dates == sorted(dates, reverse=True)
    assert main([*home, "search", "--json"]) == 0  # no query, no sort: newest first too
    assert [hit["date"] for hit in json.loads(capsys.readouterr().out)["hits"]] == dates
    assert main([*home, "search", "--sort", "oldest", "--limit", "2", "--page", "2",
                 "--json", "facture"]) == 0
    assert json.loads(capsys.readouterr().out)["page"] == 2
    assert main([*home, "search", "--limit", "2", "--page", "9", "facture"]) == 0
    out = capsys.readouterr().out
    assert "page 9 is past the end: 1 page(s) of 2" in out
    assert main([*home, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["in_index"] == len(LETTERS) and status["index"].startswith("search index ok")
    for bad in (["--page", "0"], ["--limit", "-1"], ["--limit", "x"], ["--sort", "sideways"]):
        with pytest.raises(SystemExit) as stop:
            main([*home, "search", *bad, "facture"])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and ("1 or more" in err or "whole number" in err
                                           or "newest" in err)
