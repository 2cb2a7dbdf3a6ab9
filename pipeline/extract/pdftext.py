"""Read a PDF's text layer as `Page`/`Word` objects, via `pdftotext -bbox-layout`.

pdftotext (poppler) writes XHTML: `<page width height>` > `<flow>` > `<block>` > `<line>` >
`<word xMin yMin xMax yMax>`; coordinates are PDF points from the page's top-left corner.
The page text is rebuilt from those words (one line per `<line>`, a blank line between blocks)
so that every word's offset in `Page.text` is known exactly.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline.document import Page, Word
from pipeline.errors import DamagedFileError, MissingDependencyError

_TIMEOUT_SECONDS = 120


def _local(tag: str) -> str:
    """Tag name without its XML namespace."""
    return tag.rsplit("}", 1)[-1]


def _float(element: ET.Element, name: str) -> float:
    try:
        return float(element.get(name, "0"))
    except ValueError:
        return 0.0


def parse_bbox_xhtml(xhtml: str) -> list[Page]:
    """Build pages from pdftotext's `-bbox-layout` output."""
    try:
        root = ET.fromstring(xhtml)
    except ET.ParseError as exc:
        raise DamagedFileError(f"pdftotext wrote unreadable XHTML: {exc}") from exc
    pages: list[Page] = []
    for page_el in root.iter():
        if _local(page_el.tag) != "page":
            continue
        pages.append(_parse_page(page_el, len(pages) + 1))
    return pages


def _parse_page(page_el: ET.Element, number: int) -> Page:
    words: list[Word] = []
    blocks_text: list[str] = []
    block_no = line_no = 0
    for block_el in page_el.iter():
        if _local(block_el.tag) != "block":
            continue
        block_no += 1
        lines_text: list[str] = []
        for line_el in block_el:
            if _local(line_el.tag) != "line":
                continue
            line_no += 1
            line_words = []
            for word_el in line_el:
                text = (word_el.text or "").strip()
                if _local(word_el.tag) != "word" or not text:
                    continue
                line_words.append(text)
                words.append(Word(
                    text=text,
                    x0=_float(word_el, "xMin"), y0=_float(word_el, "yMin"),
                    x1=_float(word_el, "xMax"), y1=_float(word_el, "yMax"),
                    block=block_no, line=line_no,
                ))
            if line_words:
                lines_text.append(" ".join(line_words))
        if lines_text:
            blocks_text.append("\n".join(lines_text))
    return Page(
        number=number,
        width=_float(page_el, "width"),
        height=_float(page_el, "height"),
        text="\n\n".join(blocks_text),
        words=words,
    )


def read_pages(pdf_path: Path) -> list[Page]:
    """Text and word boxes of every page of `pdf_path` (its existing text layer)."""
    try:
        result = subprocess.run(
            ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf_path), "-"],
            capture_output=True, timeout=_TIMEOUT_SECONDS, check=False,
        )
    except FileNotFoundError as exc:
        raise MissingDependencyError("pdftotext (poppler-utils) is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise DamagedFileError(f"pdftotext took over {_TIMEOUT_SECONDS} s on {pdf_path}") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise DamagedFileError(f"pdftotext failed on {pdf_path}: {message}")
    return parse_bbox_xhtml(result.stdout.decode("utf-8", "replace"))
