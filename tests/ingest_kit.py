"""Helpers for the ingest, watcher, crash and check tests: real files made on the spot."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import img2pdf
import pikepdf
from PIL import Image, ImageDraw, ImageFont

from pipeline.document import Extraction, Page

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


class FakeExtractor:
    """Stands in for the real extractor where the fields do not matter (it loads spaCy)."""

    def extract(self, pages: list[Page]) -> Extraction:
        return Extraction()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def letter_lines(label: str, page: int = 1) -> list[str]:
    return [f"ACME Fournitures {label}", "12 rue des Lilas, 75011 Paris",
            f"Paris, le {1 + page % 27} mars 2024", f"Objet : Facture FAC-2024-{label}",
            f"Page {page}: veuillez trouver ci-joint notre facture {label}."]


def scan_image(label: str, page: int = 1, size: tuple[int, int] = (1240, 560),
               mode: str = "L") -> Image.Image:
    """A small 150 dpi 'scan' with a few lines of text: OCR takes about two seconds."""
    font = ImageFont.truetype(FONT, 28)
    image = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(letter_lines(label, page)):
        draw.text((70, 50 + row * 48), line, fill="black", font=font)
    return image


def write_scan_png(path: Path, label: str) -> Path:
    scan_image(label).save(path, dpi=(150, 150))
    return path


def scan_pdf_bytes(label: str, pages: int = 1) -> bytes:
    """An image-only PDF (needs OCR), one small scan per page."""
    images = []
    for page in range(1, pages + 1):
        buffer = io.BytesIO()
        scan_image(label, page).save(buffer, format="PNG", dpi=(150, 150))
        images.append(buffer.getvalue())
    return bytes(img2pdf.convert(images))


def born_digital_pdf(path: Path, label: str, pages: int = 1) -> Path:
    """A PDF with a real text layer (Helvetica): OCRmyPDF's fast skip-text path."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Name.WinAnsiEncoding))
    for page in range(1, pages + 1):
        ops = ["BT /F1 12 Tf 72 760 Td 16 TL"]
        for line in letter_lines(label, page):
            ops.append(f"({_pdf_escape(line)}) Tj T*")
        ops.append("ET")
        content = pdf.make_stream("\n".join(ops).encode("cp1252"))
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Contents=content,
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))))
    pdf.save(path)
    return path


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def error_json(failed_file: Path) -> dict[str, Any]:
    return dict(json.loads(failed_file.with_name(failed_file.name + ".error.json").read_text(
        encoding="utf-8")))


def originals_hashes(config: Any) -> set[str]:
    return {sha256(p) for p in config.paths.originals.rglob("*") if p.is_file()}


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
