"""Write the small, committed sample scans into `sample_scans/` (or `--out DIR`).

Each sample `NAME.ext` gets `NAME.expected.json`: the generator's truth plus "pages".
Seeds and options are fixed, so re-running rewrites byte-identical files.

    .venv/bin/python scripts/make_sample_scans.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lettergen as lg

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Sample:
    name: str
    fmt: str  # pdf | tiff | png | jpeg | text-pdf
    seed: int
    opts: lg.Options
    note: str


SAMPLES = (
    Sample("fr_facture_2pages.pdf", "pdf", 4103,
           lg.Options(language="fr", doc_type="invoice", pages=2, stamp=True, dpi=200, rotate=0),
           "French invoice over two pages, reception stamp, image-only PDF (200 dpi JPEG)"),
    Sample("fr_relance_recommandee.jpg", "jpeg", 5301,
           lg.Options(language="fr", doc_type="reminder", pages=1, urgency="urgent", stamp=True,
                      dpi=200, rotate=0),
           "French payment reminder, urgent (mise en demeure / recommandé), JPEG; its stamp is "
           "tilted ~9° (tesseract does not read it)"),
    Sample("en_insurance_confidential.png", "png", 6203,
           lg.Options(language="en", doc_type="insurance", pages=1, confidential=True,
                      stamp=False, dpi=200, rotate=0),
           "English insurance letter marked private and confidential, 16-gray PNG"),
    Sample("en_contract_upside_down.pdf", "pdf", 7005,
           lg.Options(language="en", doc_type="contract", pages=1, stamp=True, dpi=200,
                      rotate=180, skew=1.4),
           "English contract letter scanned upside down and skewed, image-only PDF; stamp "
           "tilted ~7° (tesseract does not read it)"),
    Sample("de_mahnung_2seiten.tif", "tiff", 8108,
           lg.Options(language="de", doc_type="reminder", pages=2, urgency="urgent", stamp=True,
                      dpi=300, rotate=0),
           "German final reminder, two pages, bilevel CCITT G4 multi-page TIFF (300 dpi)"),
    Sample("de_bescheid.pdf", "pdf", 9209,
           lg.Options(language="de", doc_type="notice", pages=1, urgency="normal", stamp=True,
                      dpi=240, rotate=0),
           "German notice from a tax office, image-only PDF (240 dpi)"),
    Sample("fr_contrat_numerique.pdf", "text-pdf", 3307,
           lg.Options(language="fr", doc_type="contract", pages=1, stamp=False, clean=True,
                      font="liberation-sans", urgency="normal"),
           "French contract letter, born-digital PDF with a real text layer (Helvetica)"),
    Sample("en_invoice_digital.pdf", "text-pdf", 2408,
           lg.Options(language="en", doc_type="invoice", pages=1, stamp=False, clean=True,
                      font="liberation-serif"),
           "English invoice, born-digital PDF with a real text layer (Times)"),
)


def write_sample(sample: Sample, out: Path) -> dict[str, object]:
    """Render one sample and write it with its expected JSON; returns the expected dict."""
    digital = sample.fmt == "text-pdf"
    letter = lg.make_letter(sample.seed, sample.opts, images=not digital)
    path = out / sample.name
    if digital:
        lg.save_text_pdf(letter, path)
    elif sample.fmt == "pdf":
        lg.save_pdf(letter.images, path, letter.dpi, quality=60)
    elif sample.fmt == "tiff":
        lg.save_tiff(letter.images, path, letter.dpi, bilevel=True)
    elif sample.fmt == "png":
        lg.save_png(letter.images[0], path, letter.dpi)
    else:
        lg.save_jpeg(letter.images[0], path, letter.dpi, quality=60)
    expected = {**letter.truth, "pages": len(letter.pages)}
    stem = path.name.rsplit(".", 1)[0]
    text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    (out / f"{stem}.expected.json").write_text(text, encoding="utf-8")
    return expected


def readme(rows: list[tuple[Sample, dict[str, object]]]) -> str:
    lines = [
        "# sample_scans",
        "",
        "Synthetic letters made by `scripts/make_sample_scans.py` (`scripts/lettergen.py`).",
        "Every `NAME.ext` has a `NAME.expected.json` with the true metadata: sender, letter date",
        "(ISO), received_on (reception stamp, ISO or null), reference, their_reference, recipient",
        "(person, else department), subject (without its label), language, doc_type, urgency,",
        "confidential, words (body words that must be searchable) and pages.",
        "Names, addresses and numbers are invented. Regenerate (byte-identical) with",
        "`.venv/bin/python scripts/make_sample_scans.py`.",
        "",
        "| file | pages | what |",
        "|---|---|---|",
    ]
    lines += [f"| `{s.name}` | {e['pages']} | {s.note} |" for s, e in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "sample_scans")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for sample in SAMPLES:
        rows.append((sample, write_sample(sample, args.out)))
        print(f"{sample.name}: {rows[-1][1]['pages']} page(s)")
    (args.out / "README.md").write_text(readme(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
