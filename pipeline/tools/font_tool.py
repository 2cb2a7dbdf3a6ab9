"""Embed the standard 14 PDF fonts that a born-digital PDF names without embedding them.

PDF/A requires every font to be embedded. Many generated letters and invoices use Times,
Helvetica or Courier without embedding them, and Debian 12's Ghostscript (the only tool that
would embed them for OCRmyPDF) is on OCRmyPDF's list of versions that corrupt text. The URW
base 35 fonts shipped with Ghostscript are metric-compatible clones: embedding them (with
widths from their AFM files) leaves every glyph where it was and makes the file PDF/A-able.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pikepdf
from fontTools import afmLib, t1Lib
from fontTools.agl import UV2AGL

URW_DIR = Path("/usr/share/fonts/type1/urw-base35")
STANDARD_14 = {
    "Times-Roman": "NimbusRoman-Regular", "Times-Bold": "NimbusRoman-Bold",
    "Times-Italic": "NimbusRoman-Italic", "Times-BoldItalic": "NimbusRoman-BoldItalic",
    "Helvetica": "NimbusSans-Regular", "Helvetica-Bold": "NimbusSans-Bold",
    "Helvetica-Oblique": "NimbusSans-Italic", "Helvetica-BoldOblique": "NimbusSans-BoldItalic",
    "Courier": "NimbusMonoPS-Regular", "Courier-Bold": "NimbusMonoPS-Bold",
    "Courier-Oblique": "NimbusMonoPS-Italic", "Courier-BoldOblique": "NimbusMonoPS-BoldItalic",
    "Symbol": "StandardSymbolsPS", "ZapfDingbats": "D050000L",
}


@dataclass
class _UrwFont:
    afm: afmLib.AFM
    segments: tuple[bytes, bytes, bytes]  # cleartext, binary encrypted part, trailer


def _load(name: str, font_dir: Path) -> _UrwFont | None:
    stem = STANDARD_14.get(name)
    if stem is None or not (font_dir / f"{stem}.t1").exists():
        return None
    data = t1Lib.readOther(str(font_dir / f"{stem}.t1"))  # PFA: eexec part de-hexed
    chunks = [chunk for _, chunk in t1Lib.findEncryptedChunks(data)]
    clear, binary, trailer = chunks[0], chunks[1], b"".join(chunks[2:])
    return _UrwFont(afmLib.AFM(str(font_dir / f"{stem}.afm")), (clear, binary, trailer))


# WinAnsiEncoding's own names for two codes that Unicode names differently (PDF 1.7, D.2).
WIN_ANSI_SPECIAL = {160: "space", 173: "hyphen"}


def _glyph_for_code(code: int, encoding: str) -> str | None:
    if encoding == "/WinAnsiEncoding" and code in WIN_ANSI_SPECIAL:
        return WIN_ANSI_SPECIAL[code]
    if encoding == "/WinAnsiEncoding":
        char = bytes([code]).decode("cp1252", "ignore")
    elif encoding == "/MacRomanEncoding":
        char = bytes([code]).decode("mac_roman", "ignore")
    else:  # StandardEncoding and fonts without /Encoding: ASCII is what matters here
        char = chr(code) if 32 <= code < 127 else ""
    return UV2AGL.get(ord(char)) if char else None


def _widths(font: _UrwFont, encoding: str) -> list[int]:
    widths = []
    for code in range(32, 256):
        glyph = _glyph_for_code(code, encoding)
        widths.append(font.afm[glyph][1] if glyph and font.afm.has_char(glyph) else 0)
    return widths


def _embed(pdf: pikepdf.Pdf, font_dict: pikepdf.Dictionary, font: _UrwFont) -> None:
    clear, binary, trailer = font.segments
    stream = pikepdf.Stream(pdf, clear + binary + trailer)
    stream["/Length1"], stream["/Length2"], stream["/Length3"] = (
        len(clear), len(binary), len(trailer))
    bbox = list(font.afm.FontBBox)
    is_symbolic = str(font_dict.get("/BaseFont")) in ("/Symbol", "/ZapfDingbats")
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=font_dict["/BaseFont"],
        Flags=4 if is_symbolic else 32, FontBBox=bbox,
        ItalicAngle=Decimal(str(font.afm.ItalicAngle)),
        Ascent=bbox[3], Descent=bbox[1],
        CapHeight=getattr(font.afm, "CapHeight", bbox[3]) or bbox[3], StemV=80,
        FontFile=pdf.make_indirect(stream),
    )
    font_dict["/FontDescriptor"] = pdf.make_indirect(descriptor)
    if "/Widths" not in font_dict:
        encoding = str(font_dict.get("/Encoding", "/StandardEncoding"))
        font_dict["/FirstChar"], font_dict["/LastChar"] = 32, 255
        font_dict["/Widths"] = _widths(font, encoding)


def embed_standard_fonts(source: Path, target: Path, font_dir: Path = URW_DIR) -> list[str]:
    """Write `target` with the standard 14 fonts embedded; return the names embedded."""
    embedded: list[str] = []
    cache: dict[str, _UrwFont | None] = {}
    with pikepdf.open(source) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") != "/Type1" or "/FontDescriptor" in obj:
                continue
            name = str(obj.get("/BaseFont", ""))[1:]
            if name not in cache:
                cache[name] = _load(name, font_dir)
            font = cache[name]
            if font is not None:
                _embed(pdf, obj, font)
                embedded.append(name)
        if embedded:
            pdf.save(target)
    return sorted(set(embedded))
