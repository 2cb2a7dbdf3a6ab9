"""Field extraction: sender, date, references and more from a letter's OCR'd pages.

Importing this package loads nothing; build one `Extractor` per process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.extract.extractor import Extractor

__all__ = ["Extractor"]


def __getattr__(name: str) -> Any:
    # Lazy: importing spaCy costs about a second, which `courrier search` or `status`
    # (and the page reader in pipeline.extract.pdftext) should not pay.
    if name == "Extractor":
        from pipeline.extract.extractor import Extractor

        return Extractor
    raise AttributeError(name)
