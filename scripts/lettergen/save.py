"""Writers: image-only PDF, multi-page TIFF, PNG, JPEG, and a born-digital PDF with text."""

from __future__ import annotations

import io
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

from .common import PAGE_H, PAGE_W, Op
from .letter import Letter


def _jpeg(img: Image.Image, dpi: int, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi), optimize=True)
    return buf.getvalue()


def save_pdf(images: list[Image.Image], path: Path, dpi: int, quality: int = 65) -> None:
    """Image-only PDF: one JPEG per page, page size from the DPI (img2pdf, no dates).

    img2pdf's internal writer is used because its pikepdf path compares version strings
    ("10.x" < "6.2") and then writes a random /ID, so outputs would differ run to run.
    """
    jpegs = [_jpeg(img, dpi, quality) for img in images]
    data = img2pdf.convert(jpegs, nodate=True, engine=img2pdf.Engine.internal)
    Path(path).write_bytes(data)


def save_tiff(images: list[Image.Image], path: Path, dpi: int, bilevel: bool = True) -> None:
    """Multi-page TIFF: 1-bit CCITT G4 like a B/W office scanner, or grayscale LZW."""
    if bilevel:
        pages = [img.point(lambda v: 255 if v > 150 else 0, mode="1") for img in images]
        compression = "group4"
    else:
        pages, compression = list(images), "tiff_lzw"
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi),
                  compression=compression)


def save_png(img: Image.Image, path: Path, dpi: int, levels: int = 16) -> None:
    """PNG; grays reduced to `levels` (a 4-bit palette when 16) to keep it small."""
    if levels < 256:
        step = 255 / (levels - 1)
        palette = [round(i * step) for i in range(levels) for _ in range(3)]
        pal = Image.new("P", (1, 1))
        pal.putpalette(palette)
        img = img.convert("RGB").quantize(palette=pal, dither=Image.Dither.NONE)
    img.save(path, "PNG", dpi=(dpi, dpi), optimize=True)


def save_jpeg(img: Image.Image, path: Path, dpi: int, quality: int = 70) -> None:
    Path(path).write_bytes(_jpeg(img, dpi, quality))


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252), non-ASCII bytes as octal escapes."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252", errors="replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out + b")")


def _content_stream(ops: list[Op]) -> bytes:
    """PDF drawing operators for one page (stamps are paper-only and are skipped)."""
    parts: list[bytes] = []
    for op in ops:
        gray = f"{op.gray / 255:.3f}"
        if op.kind == "text":
            font = "/F2" if op.bold else "/F1"
            parts.append(f"BT {gray} g {font} {op.size:.2f} Tf {op.x:.2f} {PAGE_H - op.y:.2f} Td "
                         .encode() + _pdf_string(op.text) + b" Tj ET")
        elif op.kind == "rect":
            paint = "f" if op.fill else "S"
            parts.append(f"{gray} g {gray} G {op.x:.2f} {PAGE_H - op.y - op.h:.2f} {op.w:.2f} "
                         f"{op.h:.2f} re {paint}".encode())
        elif op.kind == "path" and op.points:
            pts = [f"{op.points[i]:.2f} {PAGE_H - op.points[i + 1]:.2f}"
                   for i in range(0, len(op.points), 2)]
            path = f"{pts[0]} m " + " ".join(f"{p} l" for p in pts[1:])
            parts.append(f"{gray} G {op.h:.2f} w 1 J 1 j {path} S".encode())
    return b"\n".join(parts)


def save_text_pdf(letter: Letter, path: Path, title: str = "") -> None:
    """A born-digital PDF of the same layout: real text in standard Type1 fonts."""
    pdf = pikepdf.new()
    fonts = pikepdf.Dictionary({
        f"/F{i + 1}": pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/" + base), Encoding=pikepdf.Name.WinAnsiEncoding))
        for i, base in enumerate(letter.fonts.pdf)
    })
    for ops in letter.pages:
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, PAGE_W, PAGE_H],
            Resources=pikepdf.Dictionary(Font=fonts),
            Contents=pdf.make_stream(_content_stream(ops)))
        pdf.pages.append(pikepdf.Page(page))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title or letter.truth["subject"]
    pdf.docinfo["/Title"] = title or letter.truth["subject"]
    pdf.save(path, deterministic_id=True)
