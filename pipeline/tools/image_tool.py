"""Turn scanned images (PNG, JPEG, TIFF, ...) into a PDF without losing pages or resolution."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import img2pdf
from PIL import Image, ImageSequence, UnidentifiedImageError

from pipeline.errors import DamagedFileError, TooLargeError, UnsupportedFormatError

A4_WIDTH_INCHES = 8.27
A4_HEIGHT_INCHES = 11.69
MIN_DPI, MAX_DPI = 70, 1200


def estimate_dpi(width_px: int, height_px: int) -> int:
    """Guess the scan resolution of an image that does not say it, assuming an A4 page."""
    short, long_ = sorted((width_px, height_px))
    estimate = max(short / A4_WIDTH_INCHES, long_ / A4_HEIGHT_INCHES)
    return int(min(MAX_DPI, max(MIN_DPI, round(estimate))))


def usable_dpi(image: Image.Image) -> int | None:
    """The image's own DPI when it is plausible (many tools write 1 or 72 by default)."""
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        x_dpi = float(dpi[0])
    except (TypeError, ValueError, IndexError):
        return None
    if x_dpi < MIN_DPI or x_dpi > MAX_DPI:
        return None
    # 72 dpi on an image wider than a letter at 150 dpi is a default, not a measurement.
    if round(x_dpi) in (72, 96) and image.width > A4_WIDTH_INCHES * 150:
        return None
    return round(x_dpi)


def _flatten(frame: Image.Image) -> Image.Image:
    """Drop alpha onto white and bring odd modes to ones PDF embeds losslessly."""
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if frame.mode in ("1", "L", "RGB"):
        return frame
    if frame.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return frame.convert("L")
    return frame.convert("RGB")


def image_to_pdf(source: Path, target: Path, max_mpixels: int, fallback_dpi: int) -> int:
    """Write every frame of `source` as one page of `target`; return the page count."""
    Image.MAX_IMAGE_PIXELS = max_mpixels * 1_000_000
    pages: list[bytes] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                for frame in ImageSequence.Iterator(image):
                    pages.append(_frame_png(frame, fallback_dpi))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLargeError(f"image too large: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise UnsupportedFormatError(f"not an image Courrier can read: {exc}") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise DamagedFileError(f"the image is damaged or truncated: {exc}") from exc
    if not pages:
        raise DamagedFileError("the image has no frames")
    try:
        target.write_bytes(img2pdf.convert(pages))
    except ValueError as exc:  # img2pdf: page size outside 3..14400 points
        raise UnsupportedFormatError(
            f"the image cannot be a scanned page ({exc})",
            hint="Scan the letter again (200-300 dpi, the whole page) and drop the new file.",
        ) from exc
    return len(pages)


def _frame_png(frame: Image.Image, fallback_dpi: int) -> bytes:
    """One frame as PNG bytes carrying a DPI that gives a real page size."""
    # A page-sized image without DPI is most likely an A4 scan; a small one (a cropped snippet,
    # a phone screenshot) gets the configured fallback so tesseract sees normal-sized text.
    dpi = usable_dpi(frame)
    if dpi is None:
        dpi = estimate_dpi(*frame.size) if min(frame.size) >= 1200 else fallback_dpi
    frame.load()
    buffer = io.BytesIO()
    _flatten(frame).save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
