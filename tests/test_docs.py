"""Documentation that cannot fall behind: every command, option and setting is documented."""

from __future__ import annotations

import argparse
from dataclasses import fields, is_dataclass

from pipeline.cli import _parser
from pipeline.config import Config
from tests.conftest import REPO

CLI_DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
CONFIG_DOC = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, list[str]]:
    """'command sub' -> its option strings, for every level of subcommands."""
    found: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                found[full] = [opt for a in sub._actions for opt in a.option_strings
                               if opt.startswith("--") and opt != "--help"]
                found.update(_subcommands(sub, full))
    return found


def test_every_command_and_option_is_documented() -> None:
    missing = []
    for command, options in _subcommands(_parser()).items():
        if f"courrier {command}" not in CLI_DOC:
            missing.append(f"courrier {command}")
        missing += [f"courrier {command} {opt}" for opt in options if opt not in CLI_DOC]
    assert missing == []


def _settings(section: object, prefix: str) -> list[str]:
    names = []
    for field in fields(section):  # type: ignore[arg-type]
        value = getattr(section, field.name)
        if is_dataclass(value):
            names += _settings(value, f"{prefix}.{field.name}" if prefix else field.name)
        else:
            names.append(f"{prefix}.{field.name}" if prefix else field.name)
    return names


def test_every_setting_is_documented() -> None:
    settings = [name for name in _settings(Config(), "") if name != "source"]
    missing = [name for name in settings if f"`{name.split('.')[-1]}`" not in CONFIG_DOC
               or f"[{name.rsplit('.', 1)[0]}]" not in CONFIG_DOC]
    assert missing == []


def test_readme_configuration_examples_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import re

    from pipeline.config import load_config

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) >= 2
    for number, block in enumerate(blocks):
        path = tmp_path / f"example{number}.toml"
        path.write_text(block, encoding="utf-8")
        config = load_config(path, home=tmp_path / "home", env={})
        assert config.source == str(path)
