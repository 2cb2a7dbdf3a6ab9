"""Field extraction: sender, date, references and more from a letter's OCR'd pages.

Importing this package loads nothing; build one `Extractor` per process.
"""

from __future__ import annotations

from pipeline.extract.extractor import Extractor

__all__ = ["Extractor"]
