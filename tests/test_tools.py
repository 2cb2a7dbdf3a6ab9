"""Unit tests of the thin tool wrappers on real files made in the test."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pipeline.errors import DamagedFileError, TooLargeError
from pipeline.tools.font_tool import embed_standard_fonts
from pipeline.tools.image_tool import estimate_dpi, image_to_pdf
from pipeline.tools.pdf_tool import inspect_pdf, pdftotext_pages


def text_pdf(path: Path, text: str, font: str = "Helvetica") -> None:
    """A one-page born-digital PDF naming a standard font without embedding it."""
    pdf = pikepdf.new()
    font_dict = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
        BaseFont=pikepdf.Name("/" + font), Encoding=pikepdf.Name.WinAnsiEncoding))
    content = b"BT /F1 14 Tf 72 720 Td (" + text.encode("cp1252") + b") Tj ET"
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font_dict)),
        Contents=pdf.make_stream(content))
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)


def test_standard_fonts_are_embedded_and_text_is_unchanged(tmp_path: Path) -> None:
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    text_pdf(source, "Référence: AB-2024-0173 – été\xa0100 €")
    assert embed_standard_fonts(source, target) == ["Helvetica"]
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True).stdout
    assert "Helvetica" in fonts and " yes " in fonts.splitlines()[2]
    assert pdftotext_pages(target)[0].strip() == pdftotext_pages(source)[0].strip()
    with pikepdf.open(target) as pdf:
        widths = pdf.pages[0].Resources.Font.F1.Widths
        assert int(widths[ord("A") - 32]) == 667  # Helvetica's 'A' from the URW AFM


def test_embedding_nothing_writes_nothing(tmp_path: Path) -> None:
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    text_pdf(source, "x", font="SomeCustomFont")
    assert embed_standard_fonts(source, target) == []
    assert not target.exists()


def test_inspect_pdf_counts_text_per_page(tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    text_pdf(source, "A born-digital letter with enough text to count.")
    facts = inspect_pdf(source)
    assert facts.pages == 1 and facts.has_text and not facts.signed and not facts.encrypted


def test_inspect_pdf_refuses_garbage(tmp_path: Path) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(DamagedFileError) as info:
        inspect_pdf(path)
    assert str(tmp_path) not in info.value.message  # no internal paths in user messages


def test_estimate_dpi_from_a4_page() -> None:
    assert estimate_dpi(2480, 3508) == 300
    assert estimate_dpi(1654, 2339) == 200
    assert estimate_dpi(3508, 2480) == 300  # landscape


def test_multipage_tiff_with_alpha_keeps_every_page(tmp_path: Path) -> None:
    frames = [Image.new("RGBA", (1240, 1754), (255, 255, 255, 0)) for _ in range(3)]
    source = tmp_path / "scan.tif"
    frames[0].save(source, save_all=True, append_images=frames[1:], dpi=(150, 150))
    target = tmp_path / "scan.pdf"
    assert image_to_pdf(source, target, max_mpixels=250, fallback_dpi=300) == 3
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) == 3
        width_points = float(pdf.pages[0].MediaBox[2])
    assert round(width_points) == round(1240 / 150 * 72)  # the scan's own DPI is kept


def test_image_without_dpi_gets_an_a4_estimate(tmp_path: Path) -> None:
    source = tmp_path / "scan.png"
    Image.new("L", (2480, 3508), 255).save(source)  # no DPI written
    target = tmp_path / "scan.pdf"
    image_to_pdf(source, target, max_mpixels=250, fallback_dpi=300)
    with pikepdf.open(target) as pdf:
        assert round(float(pdf.pages[0].MediaBox[2])) == 595  # A4 width in points


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "bomb.png"
    Image.new("1", (12000, 12000)).save(source)
    with pytest.raises(TooLargeError):
        image_to_pdf(source, tmp_path / "out.pdf", max_mpixels=100, fallback_dpi=300)


def test_empty_info_is_detected_and_cleaned(tmp_path: Path) -> None:
    # Debian 12's Ghostscript 10.0.0 fails PDF/A rendering on an empty /Info dictionary
    # (img2pdf writes one), so the OCR stage works on a cleaned copy.
    from pipeline.tools.pdf_tool import clean_copy

    source, cleaned = tmp_path / "in.pdf", tmp_path / "clean.pdf"
    text_pdf(source, "x")
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        pdf.trailer["/Info"] = pdf.make_indirect(pikepdf.Dictionary())
        pdf.save(source)
    assert inspect_pdf(source).empty_info
    clean_copy(source, cleaned)
    assert not inspect_pdf(cleaned).empty_info
