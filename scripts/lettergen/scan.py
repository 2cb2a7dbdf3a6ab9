"""Scanner look for a clean page: toner and paper levels, blur, skew, noise, specks, shadow."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageFilter


def scan(img: Image.Image, rng: random.Random, dpi: int, skew: float) -> Image.Image:
    """Make a clean page look scanned: toner/paper levels, blur, skew, noise, specks, shadow."""
    nrng = np.random.default_rng(rng.getrandbits(63))
    ink, paper = rng.uniform(8, 45), rng.uniform(236, 252)
    arr = ink + (paper - ink) * (np.asarray(img, dtype=np.float32) / 255.0)
    img = Image.fromarray(arr.astype(np.uint8))
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.35, 0.85) * dpi / 300))
    if skew:
        img = img.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=round(paper))
    noise = nrng.standard_normal(img.size[::-1], dtype=np.float32) * rng.uniform(1.5, 4.0)
    arr = np.asarray(img, dtype=np.float32) + noise
    count = rng.randint(80, 900)
    ys, xs = nrng.integers(0, arr.shape[0] - 2, count), nrng.integers(0, arr.shape[1] - 2, count)
    dark = nrng.uniform(20, 140, count)
    arr[ys, xs] = dark
    arr[ys[: count // 3] + 1, xs[: count // 3]] = dark[: count // 3]
    if rng.random() < 0.3:  # scanner-lid shadow along one edge
        band = max(4, round(rng.uniform(0.02, 0.08) * dpi))
        ramp = np.linspace(0.55, 1.0, band, dtype=np.float32)
        if rng.random() < 0.5:
            arr[:, :band] *= ramp[None, :]
        else:
            arr[:band, :] *= ramp[:, None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
