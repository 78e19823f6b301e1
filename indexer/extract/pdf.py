"""PDFs with a text layer.

pypdf opens the file (page count, encryption, damage); the text comes from poppler's ``pdftotext``,
the only extractor that keeps Persian word order and ZWNJ (see the README's notes on extraction),
with pypdfium2 as the fallback when pdftotext fails.
"""
from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
from pypdf.errors import FileNotDecryptedError, PdfReadError

from indexer.errors import CorruptFile, EncryptedFile, ExtractionTimeout

log = logging.getLogger(__name__)

# pdftotext wraps numbers and Latin runs in LRE … PDF, with the spaces and punctuation at the run's
# edges in visual order: «تاریخ‪ ۱۳۹۸/۰۳/۱۱ :‬» for «تاریخ: ۱۳۹۸/۰۳/۱۱ ».
_LTR_RUN = re.compile("\u202a([^\u202a\u202c]*)\u202c")
_EDGE = re.compile(r"^([\s:/.,،؛٪%()\-]*)(.*?)([\s:/.,،؛٪%()\-]*)$", re.DOTALL)


def repair_ltr_runs(text: str) -> str:
    """Put the edge characters of each embedded left-to-right run back in logical order."""
    def fix(match: re.Match) -> str:
        lead, core, trail = _EDGE.match(match.group(1)).groups()
        return trail[::-1] + core + lead[::-1]

    return _LTR_RUN.sub(fix, text)


def _open(path: Path) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise EncryptedFile()
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise EncryptedFile() from exc
        len(reader.pages)
        return reader
    except EncryptedFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:
        raise CorruptFile(f"damaged PDF: {exc}", "پرونده PDF خراب یا ناقص است.") from exc


def _pdftotext(path: Path, timeout: float) -> list[str] | None:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    try:
        proc = subprocess.run([exe, "-enc", "UTF-8", "-q", str(path), "-"], capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExtractionTimeout() from exc
    if proc.returncode != 0:
        log.warning("pdftotext failed on %s with code %s", path, proc.returncode)
        return None
    pages = repair_ltr_runs(proc.stdout.decode("utf-8", errors="replace")).split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()
    return pages


def _pdfium(path: Path) -> list[str]:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise CorruptFile(f"damaged PDF: {exc}", "پرونده PDF خراب یا ناقص است.") from exc
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def extract_pdf(path: Path, timeout: float = 120) -> list[str]:
    """The text of each page.

    :raises EncryptedFile: for a password-protected PDF.
    :raises CorruptFile: for a damaged one.
    :raises ExtractionTimeout: when pdftotext exceeds ``timeout`` seconds.
    """
    reader = _open(path)
    count = len(reader.pages)
    pages = _pdftotext(path, timeout)
    if pages is None:
        pages = _pdfium(path)
    if len(pages) < count:
        pages += [""] * (count - len(pages))
    return pages[:count] if count else pages
