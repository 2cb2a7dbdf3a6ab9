"""Reading pdftotext's -bbox-layout output into Page/Word, and rows from word boxes."""

from __future__ import annotations

from pipeline.extract.layout import page_rows
from pipeline.extract.pdftext import parse_bbox_xhtml

XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title></title></head><body><doc>
<page width="595.0" height="842.0"><flow>
 <block xMin="60" yMin="100" xMax="150" yMax="110">
  <line xMin="60" yMin="100" xMax="150" yMax="110">
   <word xMin="60" yMin="100" xMax="110" yMax="110">Rechnungsnr.</word>
  </line>
 </block>
 <block xMin="300" yMin="100" xMax="350" yMax="110">
  <line xMin="300" yMin="100" xMax="350" yMax="110">
   <word xMin="300" yMin="100" xMax="350" yMax="110">30064443</word>
  </line>
 </block>
 <block xMin="60" yMin="130" xMax="200" yMax="140">
  <line xMin="60" yMin="130" xMax="200" yMax="140">
   <word xMin="60" yMin="130" xMax="90" yMax="140">Lyon,</word>
   <word xMin="93" yMin="130" xMax="100" yMax="140">le</word>
   <word xMin="103" yMin="130" xMax="108" yMax="140">3</word>
  </line>
 </block>
</flow></page>
<page width="595.0" height="842.0"></page>
</doc></body></html>"""


def test_pages_words_and_text() -> None:
    pages = parse_bbox_xhtml(XHTML)
    assert [p.number for p in pages] == [1, 2]
    first = pages[0]
    assert (first.width, first.height) == (595.0, 842.0)
    assert first.text == "Rechnungsnr.\n\n30064443\n\nLyon, le 3"
    assert [w.text for w in first.words] == ["Rechnungsnr.", "30064443", "Lyon,", "le", "3"]
    assert first.words[1].x0 == 300.0 and first.words[1].block == 2
    assert pages[1].text == "" and pages[1].words == []


def test_rows_join_blocks_on_one_line_and_map_offsets() -> None:
    page = parse_bbox_xhtml(XHTML)[0]
    rows = page_rows(page)
    assert [r.text for r in rows] == ["Rechnungsnr.   30064443", "Lyon, le 3"]
    assert [c.text for c in rows[0].cells] == ["Rechnungsnr.", "30064443"]
    start, end = rows[0].span(15, 23)
    assert start is not None and end is not None
    assert page.text[start:end] == "30064443"


def test_rows_from_plain_text_without_words() -> None:
    from pipeline.document import Page

    page = Page(number=1, width=0.0, height=0.0, text="A  B\n\nRéf.      X-1\n")
    rows = page_rows(page)
    assert [r.text for r in rows] == ["A  B", "Réf.      X-1"]
    assert [c.text for c in rows[1].cells] == ["Réf.", "X-1"]
    assert rows[1].span(10, 13) == (16, 19)
