"""Confidential mail in the search index: its text is found only by its department's users."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from pipeline.commands import search as search_command
from pipeline.context import Context
from pipeline.stages import classify
from tests.conftest import make_config
from tests.test_register_support import file_letter, letter

ROUTES = [{"name": "HR", "recipient": "ressources humaines", "department": "hr",
           "confidential": True}]
USERS = {"alice": ["legal"], "hugo": ["hr"]}


def test_confidential_letter_text_is_hidden_from_other_departments(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path / "home", register__routes=ROUTES, register__users=USERS)
    ctx = Context(config)
    docs = [
        letter("hr1", recipient="Service Ressources Humaines", sender="Jean Dupont",
               text="Demande de congé parental pour raisons familiales"),
        letter("leg1", recipient="Service juridique", sender="Greffe",
               text="Demande de pièces complémentaires, congé du bail"),
        letter("cue1", recipient="M. Durand", sender="Banque", text="Prêt personnel congé",
               confidential=True, confidential_cues=["Personnel et confidentiel"]),
    ]
    for doc in docs:
        classify.run(doc, ctx)  # the HR route makes hr1 confidential
        file_letter(ctx.register, doc)
    ctx.index.add([doc.to_sidecar() for doc in docs])

    def found(departments: set[str] | None) -> list[str]:
        return sorted(h.id for h in ctx.index.search("congé", departments=departments).hits)

    assert found(None) == ["cue1", "hr1", "leg1"]
    assert found({"legal"}) == ["leg1"]
    assert found({"hr"}) == ["hr1", "leg1"]
    assert found({"mailroom"}) == ["cue1", "leg1"]
    assert found(set()) == ["leg1"]
    # Through the CLI: --user maps to the user's departments from [register.users].
    args = argparse.Namespace(query=["parental"], limit=10, page=1, sort="relevance",
                              json=False, user="alice")
    assert search_command(args, config) == 0
    assert capsys.readouterr().out.startswith("0 document(s) found")
    args.user = "hugo"
    search_command(args, config)
    assert capsys.readouterr().out.startswith("1 document(s) found")
