"""Measure extraction on scans with known answers: real OCR, then the Extractor, per field.

`evaluate(folder, truth_path)` OCRs every document named in the truth file (OCRmyPDF as a
subprocess, outputs cached by the input's sha256 so a re-run after an extraction change only
re-extracts), reads the pages with `pdftotext -bbox-layout`, extracts, and compares.
Truth format: `{"documents": {"relative/path.pdf": {"sender": ..., "date": ...}}}`, paths
relative to `folder`. Documents whose truth has no sender, date or reference are skipped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import ExtractConfig
from pipeline.errors import ConfigError, CourrierError
from pipeline.extract import Extractor
from pipeline.extract.pdftext import read_pages
from pipeline.fsutil import sha256_file

SCORED_FIELDS = ("sender", "date", "reference", "their_reference", "recipient", "subject",
                 "received_on", "language", "doc_type", "urgency", "confidential")
KEY_FIELDS = ("sender", "date", "reference")
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif"}
_OCR_TIMEOUT = 900


def normalise(text: str | None) -> str:
    """Lower case, no accents, no punctuation or spaces: how names and references compare."""
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[\W_]+", "", folded)


def same_name(truth: str | None, got: str | None) -> bool:
    """Names match when one contains the other and the extra is small ("Acme" ~ "Acme SARL")."""
    a, b = normalise(truth), normalise(got)
    if not a or not b:
        return not a and not b
    if a not in b and b not in a:
        return False
    return abs(len(a) - len(b)) <= max(10, len(a) // 2)


def field_matches(name: str, truth: Any, got: Any) -> bool:
    """Whether an extracted value counts as right for field `name`."""
    if name in ("sender", "recipient", "subject"):
        return same_name(truth, got)
    if name in ("reference", "their_reference"):
        return normalise(truth) == normalise(got)
    if name == "confidential":
        return bool(truth) == bool(got)
    if truth is None or got is None:
        return truth is None and got is None
    return str(truth) == str(got)


@dataclass
class EvalReport:
    """Per-field accuracy, overall and per language, and what went wrong."""

    documents: int = 0
    pages: int = 0
    extract_ms: float = 0.0  # total extraction time (after OCR)
    ocr_seconds: float = 0.0  # OCR time of the documents not already cached
    counts: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # field->lang->[ok,n]
    errors: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)

    def add(self, name: str, language: str, ok: bool) -> None:
        for key in ("all", language or "?"):
            cell = self.counts.setdefault(name, {}).setdefault(key, [0, 0])
            cell[0] += int(ok)
            cell[1] += 1

    def accuracy(self, name: str, language: str = "all") -> float | None:
        ok, total = self.counts.get(name, {}).get(language, [0, 0])
        return ok / total if total else None

    @property
    def ms_per_page(self) -> float:
        return self.extract_ms / self.pages if self.pages else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents, "pages": self.pages,
            "extract_ms_per_page": round(self.ms_per_page, 2),
            "ocr_seconds": round(self.ocr_seconds, 1),
            "fields": {name: {lang: {"ok": ok, "n": n, "accuracy": round(ok / n, 4)}
                              for lang, (ok, n) in sorted(per.items())}
                       for name, per in self.counts.items()},
            "errors": self.errors, "failed": self.failed,
        }

    def format_text(self) -> str:
        """A small table: one row per field, one column per language."""
        languages = sorted({lang for per in self.counts.values() for lang in per} - {"all"})
        lines = [f"{'field':16} {'all':>14} " + " ".join(f"{lang:>12}" for lang in languages)]
        for name in SCORED_FIELDS:
            if name not in self.counts:
                continue
            cells = [_cell(self.counts[name].get(key)) for key in ["all", *languages]]
            lines.append(f"{name:16} {cells[0]:>14} " + " ".join(f"{c:>12}" for c in cells[1:]))
        lines.append(f"documents {self.documents}, pages {self.pages}, extraction "
                     f"{self.ms_per_page:.1f} ms/page, OCR {self.ocr_seconds:.0f} s (uncached)")
        if self.failed:
            lines.append(f"failed: {len(self.failed)} (OCR or reading errors)")
        return "\n".join(lines)


def _cell(counts: list[int] | None) -> str:
    if not counts or not counts[1]:
        return "-"
    return f"{100 * counts[0] / counts[1]:.1f}% ({counts[0]}/{counts[1]})"


sha256_of = sha256_file  # the cache key of an OCR result


def ocr_to_cache(source: Path, cache_dir: Path, languages: str = "fra+eng+deu") -> Path:
    """OCR `source` with OCRmyPDF into `cache_dir/<sha256>.pdf` unless already there."""
    target = cache_dir / f"{sha256_of(source)}.pdf"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part.pdf")
    command = [sys.executable, "-m", "ocrmypdf", "-l", languages, "--output-type", "pdf",
               "--jobs", "2", "--quiet"]
    if source.suffix.lower() == ".pdf" and any(page.words for page in read_pages(source)):
        # Born-digital or mixed: keep its text, OCR only what is printed in images (a logo
        # with the issuer's name). --redo-ocr cannot be combined with deskew/rotation.
        command += ["--redo-ocr"]
    else:
        command += ["--deskew", "--rotate-pages", "--skip-text"]
    if source.suffix.lower() in _IMAGE_SUFFIXES:
        command += ["--image-dpi", "300"]  # used only when the image carries no resolution
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # tesseract's OpenMP is slower on 2 cores
    result = subprocess.run([*command, str(source), str(partial)], capture_output=True,
                            env=env, timeout=_OCR_TIMEOUT, check=False)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"ocrmypdf exit {result.returncode}: {message[-1] if message else ''}")
    partial.replace(target)
    return target


def load_truth(truth_path: Path) -> dict[str, dict[str, Any]]:
    """The truth file's documents (path -> expected fields)."""
    try:
        data = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read truth file {truth_path}: {exc}") from exc
    documents = data.get("documents", data)
    return {k: v for k, v in documents.items() if isinstance(v, dict)}


def evaluate(folder: Path, truth_path: Path, *, cache_dir: Path | None = None,
             extractor: Extractor | None = None, models_dir: Path | None = None,
             config: ExtractConfig | None = None, limit: int | None = None,
             progress: Callable[[str], None] | None = None) -> EvalReport:
    """OCR + extract every document of the truth file found under `folder`, and score it."""
    folder, truth_path = Path(folder), Path(truth_path)
    cache = cache_dir or folder / ".ocr-cache"
    if extractor is None:
        models = models_dir or Path(__file__).resolve().parent.parent / "models"
        extractor = Extractor(config or ExtractConfig(), models_dir=models)
    report = EvalReport()
    items = [(k, v) for k, v in sorted(load_truth(truth_path).items())
             if any(v.get(name) for name in KEY_FIELDS) and (folder / k).is_file()]
    for rel, truth in items[:limit]:
        _evaluate_one(folder / rel, rel, truth, cache, extractor, report)
        if progress:
            progress(rel)
    return report


def _evaluate_one(path: Path, rel: str, truth: dict[str, Any], cache: Path,
                  extractor: Extractor, report: EvalReport) -> None:
    language = str(truth.get("language") or "?")
    started = time.perf_counter()
    try:
        cached = (cache / f"{sha256_of(path)}.pdf").exists()
        pages = read_pages(ocr_to_cache(path, cache))
    except (RuntimeError, OSError, subprocess.TimeoutExpired, CourrierError) as exc:
        report.failed.append({"path": rel, "error": str(exc)})
        for name in SCORED_FIELDS:
            if name in truth:
                report.add(name, language, False)
        return
    if not cached:
        report.ocr_seconds += time.perf_counter() - started
    started = time.perf_counter()
    extraction = extractor.extract(pages)
    report.extract_ms += (time.perf_counter() - started) * 1000
    report.documents += 1
    report.pages += len(pages)
    for name in SCORED_FIELDS:
        if name not in truth:
            continue
        if name == "urgency":
            got: Any = extraction.urgency
        elif name == "confidential":
            got = extraction.confidential
        else:
            got = extraction.value(name)
        ok = field_matches(name, truth[name], got)
        report.add(name, language, ok)
        if not ok:
            report.errors.append({"path": rel, "field": name, "expected": truth[name],
                                  "got": got, "language": language})
