"""The font families a letter may use, located on disk, with matching standard PDF fonts."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageFont

FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/opentype/urw-base35",
             "/usr/share/fonts/truetype/dejavu")
# family: (regular file, bold file, PDF base font regular, bold); the first four are metric
# clones of the standard 14 fonts, so born-digital PDFs keep the scanned layout.
FONTS = {
    "liberation-sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "Helvetica"),
    "liberation-serif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "Times"),
    "nimbus-sans": ("NimbusSans-Regular.otf", "NimbusSans-Bold.otf", "Helvetica"),
    "nimbus-roman": ("NimbusRoman-Regular.otf", "NimbusRoman-Bold.otf", "Times"),
    "nimbus-mono": ("NimbusMonoPS-Regular.otf", "NimbusMonoPS-Bold.otf", "Courier"),
    "dejavu-sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "Helvetica"),
    "dejavu-serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "Times"),
}
PDF_BOLD = {"Helvetica": "Helvetica-Bold", "Times": "Times-Bold", "Courier": "Courier-Bold"}
PDF_REGULAR = {"Helvetica": "Helvetica", "Times": "Times-Roman", "Courier": "Courier"}


class Fonts:
    """A regular/bold TrueType/OpenType pair, with the matching standard PDF font names."""

    def __init__(self, family: str) -> None:
        regular, bold, base = FONTS[family]
        self.family = family
        self.paths = (_find_font(regular), _find_font(bold))
        self.pdf = (PDF_REGULAR[base], PDF_BOLD[base])
        self._cache: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}

    def font(self, px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        key = (max(px, 4), bold)
        if key not in self._cache:
            self._cache[key] = ImageFont.truetype(self.paths[int(bold)], key[0])
        return self._cache[key]

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return float(self.font(200, bold).getlength(text)) * size / 200


def _find_font(name: str) -> str:
    for folder in FONT_DIRS:
        if (Path(folder) / name).exists():
            return str(Path(folder) / name)
    raise FileNotFoundError(f"font {name} not found in {FONT_DIRS}")
