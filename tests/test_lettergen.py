"""Fast checks of the synthetic letter generator (scripts/lettergen.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import lettergen as lg


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_same_seed_gives_the_same_letter() -> None:
    opts = lg.Options(dpi=100)
    a, b = lg.make_letter(11, opts), lg.make_letter(11, opts)
    assert a.truth == b.truth
    assert [img.tobytes() for img in a.images] == [img.tobytes() for img in b.images]
    assert lg.make_letter(12, opts, images=False).truth != a.truth


def test_truth_has_every_key_and_sane_values() -> None:
    for seed in range(30):
        letter = lg.make_letter(seed, images=False)
        truth = letter.truth
        assert tuple(truth) == lg.TRUTH_KEYS
        assert truth["language"] in lg.LANGUAGES
        assert truth["doc_type"] in lg.DOC_TYPES
        assert truth["urgency"] in ("normal", "high", "urgent")
        assert isinstance(truth["confidential"], bool)
        letter_date = date.fromisoformat(truth["date"])
        if truth["received_on"]:
            assert date.fromisoformat(truth["received_on"]) > letter_date
        body = " ".join(letter.content.paragraphs)
        assert 3 <= len(truth["words"]) <= 5
        assert all(word in body for word in truth["words"])
        assert truth["reference"] and truth["sender"] and truth["subject"]


def test_tune_and_report_pools_share_no_sender_or_reference_pattern() -> None:
    senders = {
        pool: {lg.make_letter(i, lg.Options(pool=pool), images=False).truth["sender"]
               for i in range(60)}
        for pool in ("tune", "report")
    }
    assert not senders["tune"] & senders["report"]
    assert not set(lg.pool_slice(lg.REF_PATTERNS, "tune")) & set(
        lg.pool_slice(lg.REF_PATTERNS, "report"))


def test_save_helpers_keep_pages_and_dpi(tmp_path: Path) -> None:
    letter = lg.make_letter(5, lg.Options(dpi=100, pages=2))
    assert len(letter.images) == 2
    lg.save_pdf(letter.images, tmp_path / "a.pdf", letter.dpi)
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        assert len(pdf.pages) == 2
        width = float(pdf.pages[0].mediabox[2])
        assert abs(width - letter.images[0].width * 72 / letter.dpi) < 1
    lg.save_tiff(letter.images, tmp_path / "a.tif", letter.dpi)
    with Image.open(tmp_path / "a.tif") as tif:
        assert getattr(tif, "n_frames", 1) == 2
    lg.save_png(letter.images[0], tmp_path / "a.png", letter.dpi)
    lg.save_jpeg(letter.images[0], tmp_path / "a.jpg", letter.dpi)
    for name in ("a.png", "a.jpg"):
        with Image.open(tmp_path / name) as img:
            assert round(img.info["dpi"][0]) == letter.dpi


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_born_digital_pdf_has_extractable_text(tmp_path: Path) -> None:
    for seed, lang in ((3, "fr"), (4, "de"), (5, "en")):
        opts = lg.Options(language=lang, clean=True, stamp=False, font="liberation-sans")
        letter = lg.make_letter(seed, opts, images=False)
        path = tmp_path / f"{lang}.pdf"
        lg.save_text_pdf(letter, path)
        text = _norm(subprocess.run(["pdftotext", str(path), "-"], check=True,
                                    capture_output=True, text=True).stdout)
        assert _norm(letter.truth["sender"]) in text
        assert _norm(letter.truth["reference"]) in text
        assert _norm(letter.truth["subject"]) in text


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_tesseract_reads_sender_and_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")
    letter = lg.make_letter(7, lg.Options(language="fr", dpi=200, rotate=0, skew=0.6,
                                          stamp=False))
    wanted = (letter.truth["sender"], letter.truth["reference"])
    # OCR only the band holding the letterhead and the reference block, to stay fast.
    ys = [op.y for op in letter.pages[0] if op.kind == "text" and any(w in op.text for w in wanted)]
    band = letter.images[0].crop((0, 0, letter.images[0].width,
                                  round((max(ys) + 40) * letter.dpi / 72)))
    text = _norm(pytesseract.image_to_string(band, lang="fra+eng+deu"))
    for value in wanted:
        assert _norm(value) in text, (value, text)
