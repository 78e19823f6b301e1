"""Text extraction: ``extract(path) -> pages of text``, chosen by the type detected from the bytes."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from indexer.errors import EmptyFile, NoText, UnsupportedFormat
from indexer.extract.detect import DOCX, PDF, TEXT, detect_type
from indexer.extract.docx import extract_docx
from indexer.extract.pdf import extract_pdf
from indexer.extract.text import extract_text
from indexer.persian import clean_text

EXTRACTORS: dict[str, Callable[[Path], list[str]]] = {
    PDF: extract_pdf,
    DOCX: extract_docx,
    TEXT: extract_text,
}


def extract(path: str | Path) -> tuple[str, list[str]]:
    """Detect the file's type and return it with the text of each page.

    :raises EmptyFile, UnsupportedFormat, CorruptFile, EncryptedFile, ExtractionTimeout, NoText:
        each with a message a clerk can read.
    """
    path = Path(path)
    if path.stat().st_size == 0:
        raise EmptyFile()
    mime = detect_type(path)
    extractor = EXTRACTORS.get(mime or "")
    if extractor is None:
        raise UnsupportedFormat(f"unsupported file type: {mime or 'unknown'}",
                                f"قالب این پرونده ({mime or 'ناشناخته'}) پشتیبانی نمی‌شود.")
    pages = [clean_text(p).strip() for p in extractor(path)]
    if not any(pages):
        raise NoText()
    return mime, pages


__all__ = ["extract", "detect_type", "EXTRACTORS"]
