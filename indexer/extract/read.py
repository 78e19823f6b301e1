"""Reading a file: its type detected from the bytes, then the reader of that type, page by page."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from indexer.errors import EmptyFile, NoText, UnsupportedFormat
from indexer.extract.detect import DOCX, EMAIL, IMAGES, PDF, TEXT, detect_type
from indexer.extract.docx import extract_docx
from indexer.extract.email import extract_email
from indexer.extract.image import extract_image
from indexer.extract.pdf import extract_pdf
from indexer.extract.result import Extraction, PageText
from indexer.extract.text import extract_text
from indexer.search.persian import clean_text


# Each reader returns its pages (as PageText, or plain strings for text read directly), or a whole
# Extraction when the file carries metadata of its own.
EXTRACTORS: dict[str, Callable[[Path], list[PageText] | list[str] | Extraction]] = {
    PDF: extract_pdf,
    DOCX: extract_docx,
    TEXT: extract_text,
    EMAIL: extract_email,
    **{mime: extract_image for mime in IMAGES},
}


# Control characters no reader shows (NUL, escape...): a file of NUL bytes is no text, not 25 NULs.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _readable(text: str) -> str:
    return _CONTROL.sub("", clean_text(text).replace("\x0c", "\n")).strip()


def extract(path: str | Path) -> Extraction:
    """Detect the file's type and read the text of each page.

    :raises EmptyFile, UnsupportedFormat, CorruptFile, EncryptedFile, DecompressionBomb,
        ExtractionTimeout, NoText: each with a message a clerk can read.
    """
    path = Path(path)
    if path.stat().st_size == 0:
        raise EmptyFile()
    mime = detect_type(path)
    extractor = EXTRACTORS.get(mime or "")
    if extractor is None:
        raise UnsupportedFormat(f"unsupported file type: {mime or 'unknown'}",
                                f"قالب این پرونده ({mime or 'ناشناخته'}) پشتیبانی نمی‌شود.")
    read = extractor(path)
    result = read if isinstance(read, Extraction) else Extraction(mime, list(read))
    result.mime = mime
    result.pages = [PageText(_readable(p)) if isinstance(p, str)
                    else PageText(_readable(p.text), p.ocr, p.ocr_confidence, p.ocr_reason)
                    for p in result.pages]
    if not any(p.text for p in result.pages) and not result.attachments:
        raise NoText()
    return result
