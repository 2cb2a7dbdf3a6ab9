"""Time Courrier's ingest of a folder of scans against a bare OCRmyPDF run over the same files.

    .venv/bin/python bench/ingest_bench.py [FOLDER] [--repeat N]

Prints pages/min and seconds per stage for Courrier, the same for `ocrmypdf` alone (same
languages, deskew, page rotation, PDF/A-2b; `--skip-text` where the input has text), and the
ratio. Runs in a temporary home; nothing in the repo is touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.commands import expand_inputs  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.context import Context  # noqa: E402
from pipeline.run import process_path  # noqa: E402
from pipeline.tools.pdf_tool import inspect_pdf  # noqa: E402


def bare_ocrmypdf(files: list[Path], out_dir: Path, languages: str) -> float:
    """Seconds for plain `ocrmypdf` over the files, one after the other.

    Where bare OCRmyPDF cannot make PDF/A on this stack (non-embedded fonts, Debian's
    Ghostscript 10.0.0 failing), it is run again with `--output-type pdf`, as a user of the
    bare tool would have to; both runs count.
    """
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    for number, path in enumerate(files):
        args = [sys.executable, "-m", "ocrmypdf", "-q", "-l", languages, "--jobs", "2",
                "--output-type", "pdfa-2", "--deskew", "--rotate-pages"]
        if path.suffix.lower() == ".pdf" and inspect_pdf(path).has_text:
            args = [a for a in args if a not in ("--deskew",)] + [
                "--skip-text", "--pdfa-backend", "internal"]
        if path.suffix.lower() != ".pdf":
            args += ["--image-dpi", "300"]
        target = str(out_dir / f"{number}.pdf")
        done = subprocess.run([*args, str(path), target], env=env, check=False,
                              stderr=subprocess.DEVNULL)
        if done.returncode != 0:
            print(f"  bare ocrmypdf failed on {path.name} (exit {done.returncode}); "
                  "again as plain PDF", file=sys.stderr)
            plain = [a for a in args if a not in ("pdfa-2", "--pdfa-backend", "internal")]
            plain[plain.index("--output-type") + 1:plain.index("--output-type") + 1] = ["pdf"]
            subprocess.run([*plain, str(path), target], check=True, env=env,
                           stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def courrier_run(files: list[Path], home: Path) -> tuple[float, int]:
    """Seconds and pages for Courrier over the files (spaCy loaded before the clock starts)."""
    config = load_config(home=home, env={})
    config.ensure_dirs()
    ctx = Context(config)
    _ = ctx.extractor  # model loading is a one-off per process: not per document
    pages = 0
    start = time.perf_counter()
    for path in files:
        outcome = process_path(path, ctx)
        if outcome.status != "archived":
            print(f"  {path.name}: {outcome.status} {outcome.error}", file=sys.stderr)
            continue
        pages += int(outcome.metadata.get("pages") or 0)
    elapsed = time.perf_counter() - start
    ctx.close()
    return elapsed, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=REPO / "sample_scans")
    args = parser.parse_args()
    files = list(expand_inputs([args.folder]))
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        timings = _timed_courrier(files, Path(tmp) / "home")
        out = Path(tmp) / "bare"
        out.mkdir()
        bare = bare_ocrmypdf(files, out, "fra+eng+deu")
    total, pages, per_stage = timings
    print(f"files: {len(files)}  pages: {pages}")
    print(f"courrier ingest : {total:7.1f} s  {60 * pages / total:6.1f} pages/min")
    print(f"bare ocrmypdf   : {bare:7.1f} s  {60 * pages / bare:6.1f} pages/min")
    print(f"ratio courrier/bare: {total / bare:.2f}")
    print("seconds per stage (sum over files, mean per file):")
    for stage, values in per_stage.items():
        print(f"  {stage:<9} {sum(values):7.2f} s  {statistics.mean(values):6.2f} s/file")


def _timed_courrier(files: list[Path], home: Path) -> tuple[float, int, dict[str, list[float]]]:
    """Run Courrier and collect per-stage timings from each Document."""
    import pipeline.run as run_module

    per_stage: dict[str, list[float]] = defaultdict(list)
    original = run_module._run_stage

    def recording(name, stage, doc, ctx):  # type: ignore[no-untyped-def]
        result = original(name, stage, doc, ctx)
        per_stage[name].append(doc.timings[name] / 1000)
        return result

    run_module._run_stage = recording
    try:
        total, pages = courrier_run(files, home)
    finally:
        run_module._run_stage = original
    return total, pages, per_stage


if __name__ == "__main__":
    main()
