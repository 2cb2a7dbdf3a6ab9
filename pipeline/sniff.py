"""What kind of file is this? Decided from its first bytes, never from its name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import EmptyFileError, UnsupportedFormatError

HEAD_BYTES = 2048


@dataclass(frozen=True)
class FileKind:
    kind: str  # pdf | image
    mime: str
    pdf_offset: int = 0  # bytes of junk before %PDF


IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)

REFUSED_MAGIC = (
    (b"MZ", "a Windows program (.exe)"),
    (b"\x7fELF", "a Linux program"),
    (b"PK\x03\x04", "a ZIP archive or an office document (.docx, .odt, ...)"),
    (b"\xd0\xcf\x11\xe0", "an old office document (.doc, .xls, .msg)"),
    (b"\xff\xfe", "a UTF-16 text file (a log or export from another program)"),
    (b"\xfe\xff", "a UTF-16 text file (a log or export from another program)"),
    (b"{\\rtf", "an RTF document"),
)


def sniff(path: Path) -> FileKind:
    """Classify the file; raise with a clear message when Courrier cannot take it."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        raise EmptyFileError("the file is empty (0 bytes)")
    pdf_at = head.find(b"%PDF-", 0, 1024)  # readers accept junk before the header
    if pdf_at >= 0:
        return FileKind("pdf", "application/pdf", pdf_at)
    for magic, mime in IMAGE_MAGIC:
        if head.startswith(magic):
            return FileKind("image", mime)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind("image", "image/webp")
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        raise UnsupportedFormatError(
            "this is a HEIC photo, which Courrier cannot read",
            hint="Export it as JPEG or PDF (or set the phone to 'Most compatible') and drop it "
            "again.",
        )
    for magic, what in REFUSED_MAGIC:
        if head.startswith(magic):
            raise UnsupportedFormatError(f"this is {what}, not a scan")
    if _looks_like_utf16(head):
        raise UnsupportedFormatError(
            "this is a UTF-16 text file (a log or export from another program), not a scan")
    if _looks_like_text(head):
        raise UnsupportedFormatError("this is a plain text file, not a scan")
    raise UnsupportedFormatError("the file is not a PDF, TIFF, PNG or JPEG scan")


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: a NUL in every other byte of mostly-ASCII text."""
    sample = head[:512]
    if len(sample) < 16:
        return False
    half = len(sample) // 2
    for start in (0, 1):
        text = sample[start::2]
        printable = sum(1 for b in text if 32 <= b < 127 or b in (9, 10, 13))
        if sample[1 - start::2].count(0) >= 0.9 * half and printable >= 0.8 * half:
            return True
    return False
