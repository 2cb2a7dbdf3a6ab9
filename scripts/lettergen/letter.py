"""One generated letter: composed, laid out, rendered and "scanned" from a single seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from PIL import Image

from .common import Op, Options
from .compose import Content, compose
from .fonts import Fonts
from .layout import layout
from .render import render
from .scan import scan


@dataclass
class Letter:
    """A generated letter: page images, truth, and the layout they were drawn from."""

    seed: int
    truth: dict[str, Any]
    content: Content
    pages: list[list[Op]]
    fonts: Fonts
    dpi: int
    images: list[Image.Image]


def make_letter(seed: int, opts: Options | None = None, images: bool = True) -> Letter:
    """Compose, lay out and (unless `images` is False) render and "scan" one letter."""
    opts = opts or Options()
    rng = random.Random(seed)
    content = compose(rng, opts)
    pages, fonts = layout(content, rng, opts)
    dpi = opts.dpi or rng.choice([200, 200, 240, 300])
    skew = opts.skew if opts.skew is not None else (
        rng.uniform(-2.0, 2.0) if rng.random() < 0.85 else 0.0)
    turn = opts.rotate if opts.rotate is not None else (
        rng.choice([90, 180, 270]) if rng.random() < 0.05 else 0)
    turned_page = rng.randrange(len(pages))
    out: list[Image.Image] = []
    if images:
        for i, img in enumerate(render(pages, fonts, dpi)):
            if not opts.clean:
                img = scan(img, rng, dpi, skew + rng.uniform(-0.3, 0.3))
                if turn and i == turned_page:
                    img = img.rotate(turn, expand=True)
            out.append(img)
    return Letter(seed, content.truth, content, pages, fonts, dpi, out)
