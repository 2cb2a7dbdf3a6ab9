"""Time `courrier reindex --re-extract` per document on a real archive it builds first.

    .venv/bin/python bench/reextract_bench.py [--docs 60]

Ingests DOCS born-digital letters (OCRmyPDF's skip-text path, no field extraction: as an older
extractor would have left them) into a temporary home, then runs the re-extraction the CLI
runs, with the real extractor (spaCy's French model), and prints documents per second and the
peak RSS of the re-extraction alone (it runs in a child process). Nothing in the repo is touched.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.context import Context  # noqa: E402
from pipeline.reextract import re_extract_all  # noqa: E402
from pipeline.run import process_path  # noqa: E402
from tests.conftest import make_config  # noqa: E402
from tests.ingest_kit import FakeExtractor, born_digital_pdf  # noqa: E402


def build(home: Path, docs: int) -> None:
    config = make_config(home)
    ctx = Context(config)
    ctx.extractor = FakeExtractor()  # type: ignore[assignment]
    start = time.perf_counter()
    for number in range(docs):
        path = born_digital_pdf(config.paths.inbox / f"b{number}.pdf", f"B{number:05d}", pages=2)
        if process_path(path, ctx).status != "archived":
            raise SystemExit(f"could not archive {path}")
        print(f"\ringest: {number + 1}/{docs}", end="", file=sys.stderr, flush=True)
    ctx.close()
    print(f"\ningested {docs} letters in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def redo(home: Path, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    ctx = Context(make_config(home))
    ctx.extractor.extract([])  # load spaCy before the clock starts, as a long run would
    start = time.perf_counter()
    report = re_extract_all(ctx)
    seconds = time.perf_counter() - start
    ctx.close()
    queue.put((report.done, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reextract-bench-") as tmp:
        home = Path(tmp) / "home"
        build(home, args.docs)
        queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        child = multiprocessing.get_context("fork").Process(target=redo, args=(home, queue))
        child.start()
        done, seconds, rss = queue.get()
        child.join()
    print(f"re-extract: {done} letters (2 pages each) in {seconds:.1f} s = "
          f"{done / seconds:.1f} docs/s ({1000 * seconds / done:.0f} ms each); peak RSS "
          f"{rss:.0f} MB; 100 000 letters would take {100_000 * seconds / done / 3600:.1f} h")
    return 0


if __name__ == "__main__":
    sys.exit(main())
