"""Drawing a page's ops with Pillow: clean grayscale images, stamps turned on their own layer."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw

from .common import PAGE_H, PAGE_W, Op
from .fonts import Fonts


def _draw_stamp(img: Image.Image, op: Op, fonts: Fonts, scale: float) -> None:
    """A boxed two-line stamp drawn on its own layer, turned, and darkened onto the page."""
    font = fonts.font(round(op.size * scale), True)
    pad, lead = round(6 * scale), round(op.size * 1.4 * scale)
    w = max(int(font.getlength(line)) for line in op.lines) + 2 * pad
    layer = Image.new("L", (w, lead * len(op.lines) + 2 * pad), 255)
    draw = ImageDraw.Draw(layer)
    draw.rectangle([0, 0, layer.width - 1, layer.height - 1], outline=op.gray,
                   width=max(2, round(1.6 * scale)))
    for i, line in enumerate(op.lines):
        draw.text((layer.width / 2, pad + lead * (i + 0.8)), line, font=font, fill=op.gray,
                  anchor="ms")
    layer = layer.rotate(op.w, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    x, y = round(op.x * scale - layer.width / 2), round(op.y * scale - layer.height / 2)
    box = (x, y, x + layer.width, y + layer.height)
    img.paste(ImageChops.darker(img.crop(box), layer), box)


def render(pages: list[list[Op]], fonts: Fonts, dpi: int) -> list[Image.Image]:
    """Clean grayscale page images at `dpi` (white paper, black ink)."""
    scale = dpi / 72
    out = []
    for ops in pages:
        img = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 255)
        draw = ImageDraw.Draw(img)
        for op in ops:
            if op.kind == "text":
                draw.text((op.x * scale, op.y * scale), op.text, fill=op.gray, anchor="ls",
                          font=fonts.font(round(op.size * scale), op.bold))
            elif op.kind == "rect":
                box = [op.x * scale, op.y * scale, (op.x + op.w) * scale, (op.y + op.h) * scale]
                draw.rectangle(box, fill=op.gray if op.fill else None, outline=op.gray,
                               width=max(1, round(scale)))
            elif op.kind == "path":
                draw.line([v * scale for v in op.points], fill=op.gray,
                          width=max(1, round(op.h * scale)), joint="curve")
            elif op.kind == "stamp":
                _draw_stamp(img, op, fonts, scale)
        out.append(img)
    return out
