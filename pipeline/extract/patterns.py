"""Pattern data per language (`models/patterns/<lang>.json`), loaded once and compiled.

The files are data, not code: labels are regular expressions with a weight, cues are phrases
matched on tokens by spaCy's PhraseMatcher. Labels and cues of every language are used on
every letter (a French mailroom stamps "REÇU LE" on German letters too); the detected language
only decides day/month order and which dateparser locale reads month names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConfigError

LABEL_KINDS = (
    "date", "reference", "their_reference", "subject", "recipient",
    "sender_heading", "recipient_heading",
)


@dataclass(frozen=True)
class Label:
    """A compiled label: matches at a word start, case-insensitively."""

    kind: str
    language: str
    regex: re.Pattern[str]
    weight: float
    title: bool = False  # only counts as the first words of a row ("Facture FA-1")


@dataclass
class PatternSet:
    """Everything loaded from the pattern files."""

    languages: list[str] = field(default_factory=list)
    date_order: dict[str, str] = field(default_factory=dict)
    markers: dict[str, set[str]] = field(default_factory=dict)
    cues: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # category -> lang -> ..
    labels: dict[str, list[Label]] = field(default_factory=dict)
    salutations: set[str] = field(default_factory=set)
    civilities: set[str] = field(default_factory=set)  # "Monsieur", "Herrn", "Mr"
    departments: set[str] = field(default_factory=set)  # first words of a department line
    doc_types: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # type -> lang -> ..

    def labels_of(self, kind: str) -> list[Label]:
        return self.labels.get(kind, [])


def _compile_label(kind: str, lang: str, entry: dict[str, object]) -> Label:
    source = str(entry["re"])
    try:
        # A label starts at a word boundary and ends before a letter: "Réf" never in "Référé",
        # "REF" never in the value "REF-244299".
        regex = re.compile(rf"(?<![\w/])(?:{source})(?![^\W\d_]|[-/]\w)", re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"pattern file {lang}.json: bad {kind} label {source!r}: {exc}") from exc
    return Label(kind, lang, regex, float(str(entry.get("w", 0.8))), bool(entry.get("title")))


def _add_file(patterns: PatternSet, data: dict[str, object], lang: str) -> None:
    patterns.languages.append(lang)
    patterns.date_order[lang] = str(data.get("date_order", "DMY"))
    patterns.markers[lang] = {str(w).lower() for w in data.get("markers", [])}  # type: ignore[attr-defined]
    for category, phrases in dict(data.get("cues", {})).items():  # type: ignore[call-overload]
        patterns.cues.setdefault(category, {})[lang] = list(phrases)
    for kind, entries in dict(data.get("labels", {})).items():  # type: ignore[call-overload]
        compiled = [_compile_label(kind, lang, e) for e in entries]
        patterns.labels.setdefault(kind, []).extend(compiled)
    patterns.salutations.update(str(s).lower() for s in data.get("salutations", []))  # type: ignore[attr-defined]
    patterns.civilities.update(str(s) for s in data.get("civilities", []))  # type: ignore[attr-defined]
    patterns.departments.update(str(s) for s in data.get("departments", []))  # type: ignore[attr-defined]
    for doc_type, words in dict(data.get("doc_types", {})).items():  # type: ignore[call-overload]
        patterns.doc_types.setdefault(doc_type, {})[lang] = list(words)


def load_patterns(models_dir: Path) -> PatternSet:
    """Read every `models_dir/patterns/*.json` file."""
    folder = models_dir / "patterns"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise ConfigError(
            f"no pattern files in {folder}",
            hint="[paths] models must point at Courrier's models/ folder (it holds patterns/).",
        )
    patterns = PatternSet()
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"pattern file {path} cannot be read: {exc}") from exc
        _add_file(patterns, data, str(data.get("language", path.stem)))
    # Longer labels first, so "Date de facture" wins over "Date" at the same place.
    for kind in patterns.labels:
        patterns.labels[kind].sort(key=lambda lab: -len(lab.regex.pattern))
    return patterns
