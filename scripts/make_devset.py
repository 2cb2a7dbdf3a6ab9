"""Render a development set of scanned letters (image-only PDFs) with a truth.json, for
measuring extraction accuracy. No OCR here: rendering only.

    .venv/bin/python scripts/make_devset.py --split tune --count 150 [--out DIR] [--jobs 2]

The "tune" and "report" splits use different seeds and disjoint pools (sender names,
reference shapes, rarer label variants: see `lettergen.pool_slice`), so rules tuned on one
are scored honestly on the other. Output: DIR/<lang>/<split>_NNNN.pdf and DIR/truth.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lettergen as lg

REPO = Path(__file__).resolve().parent.parent
SEED_BASE = {"tune": 1_000_000, "report": 2_000_000}
FIELDS = ("sender", "date", "reference", "their_reference", "recipient", "subject", "language",
          "doc_type", "received_on", "urgency", "confidential")
FORMAT = {
    "version": "courrier-devset/1",
    "generator": "scripts/lettergen.py via scripts/make_devset.py",
    "documents": "relative PDF path -> expected metadata",
    "fields": {
        "sender": "organisation name as printed in the letterhead",
        "date": "letter date, ISO YYYY-MM-DD (not the stamp, not dates in the body)",
        "reference": "the sender's reference (N/Réf., Our ref, Unser Zeichen, Invoice no., ...)",
        "their_reference": "the recipient's reference (V/Réf., Your ref, Ihr Zeichen) or null",
        "recipient": "addressee person (first and last name, no civility) if named, else the "
                     "department",
        "subject": "subject line without its label (Objet :, Re:, Betreff:)",
        "language": "fr | en | de",
        "doc_type": "invoice | reminder | contract | notice | insurance | letter",
        "received_on": "date on the reception stamp, ISO, or null when there is no stamp",
        "urgency": "urgent (URGENT, mise en demeure, final reminder, Letzte Mahnung, EILT...) | "
                   "high (registered mail only: recommandé AR, Recorded Delivery, "
                   "Einschreiben) | normal",
        "confidential": "true when marked personnel et confidentiel / private and confidential "
                        "/ persönlich-vertraulich",
        "pages": "page count",
        "words": "distinctive body words that full-text search must find",
    },
    "distractors": "bodies cite other dates (earlier letters, deadlines, birth dates, contract "
                   "starts), other company names, customer/contract numbers and IBANs",
}


def _one(job: tuple[str, int, int, Path]) -> tuple[str, dict[str, Any], int]:
    """Render and save letter `index` of a split; returns (relative path, truth, page count)."""
    split, index, seed, out = job
    lang = lg.LANGUAGES[index % len(lg.LANGUAGES)]
    letter = lg.make_letter(seed, lg.Options(language=lang, pool=split))
    rel = f"{lang}/{split}_{index:04d}.pdf"
    lg.save_pdf(letter.images, out / rel, letter.dpi, quality=60)
    truth = {key: letter.truth[key] for key in FIELDS}
    truth.update(pages=len(letter.images), words=letter.truth["words"])
    return rel, truth, len(letter.images)


def build(out: Path, split: str, count: int, jobs: int) -> dict[str, Any]:
    """Write `count` letters of `split` into `out` and return the truth document."""
    for lang in lg.LANGUAGES:
        (out / lang).mkdir(parents=True, exist_ok=True)
        for stale in (out / lang).glob(f"{split}_*.pdf"):
            stale.unlink()
    work = [(split, i, SEED_BASE[split] + i, out) for i in range(count)]
    documents: dict[str, Any] = {}
    with Pool(jobs) as pool:
        for rel, truth, _ in pool.imap_unordered(_one, work, chunksize=4):
            documents[rel] = truth
    fmt = {**FORMAT, "split": split, "count": count, "seed_base": SEED_BASE[split]}
    return {"_format": fmt, "documents": dict(sorted(documents.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SEED_BASE), default="tune")
    parser.add_argument("--count", type=int, default=150)
    parser.add_argument("--out", type=Path, help="default: bench/devset/<split>")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    out = args.out or REPO / "bench" / "devset" / args.split
    start = time.monotonic()
    truth = build(out, args.split, args.count, max(1, args.jobs))
    text = json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
    (out / "truth.json").write_text(text, encoding="utf-8")
    pages = sum(doc["pages"] for doc in truth["documents"].values())
    print(f"{args.count} letters, {pages} pages -> {out} in {time.monotonic() - start:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
