"""Does a file's content look complete? Cheap structural checks per format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageSequence


@dataclass
class Wholeness:
    complete: bool
    units: int | None  # pages or frames, when counted
    reason: str = ""
    units_final: bool = False  # True when the count cannot change (single-image formats)


def _tail(path: Path, size: int = 2048) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        length = handle.tell()
        handle.seek(max(0, length - size))
        return handle.read()


def _head(path: Path, size: int = 1024) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def check_whole(path: Path) -> Wholeness:
    """Structural completeness; unknown formats count as complete (the pipeline judges them)."""
    head = _head(path)
    try:
        if b"%PDF-" in head:
            return _pdf(path)
        if head.startswith(b"\x89PNG"):
            ok = b"IEND" in _tail(path, 64)
            return Wholeness(ok, 1, "" if ok else "PNG has no end marker yet", True)
        if head.startswith(b"\xff\xd8\xff"):
            ok = _tail(path, 64).rstrip(b"\x00").endswith(b"\xff\xd9")
            return Wholeness(ok, 1, "" if ok else "JPEG has no end marker yet", True)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return _tiff(path)
    except OSError as exc:
        return Wholeness(False, None, f"cannot read the file yet: {exc}")
    return Wholeness(True, None)


def pdf_has_end(path: Path) -> bool:
    """%%EOF near the end, ignoring padding some scanners and copiers append."""
    return b"%%EOF" in _tail(path, 65536).rstrip(b"\x00\r\n\t \x1a")[-1024:]


def _pdf(path: Path) -> Wholeness:
    if not pdf_has_end(path):
        return Wholeness(False, None, "PDF has no %%EOF marker yet (still being written?)")
    try:
        # Through a stream: pikepdf cannot take a path whose name is not valid UTF-8.
        with open(path, "rb") as stream, pikepdf.open(stream) as pdf:
            return Wholeness(True, len(pdf.pages))
    except pikepdf.PasswordError:
        return Wholeness(True, None)  # complete but encrypted: the pipeline explains
    except (pikepdf.PdfError, ValueError, TypeError, RecursionError):
        # Has an end marker but does not parse: damaged rather than incomplete.
        return Wholeness(True, None, "PDF does not parse")


def _tiff(path: Path) -> Wholeness:
    try:
        with Image.open(path) as image:
            frames = 0
            for frame in ImageSequence.Iterator(image):
                frame.load()
                frames += 1
    except Image.DecompressionBombError:
        return Wholeness(True, None, "image too large")  # the pipeline refuses it clearly
    except (OSError, SyntaxError, ValueError) as exc:
        return Wholeness(False, None, f"TIFF does not decode to its end yet: {exc}")
    return Wholeness(True, frames)
