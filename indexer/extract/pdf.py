"""PDFs: the text layer where it can be trusted, OCR of the page image where it cannot.

pypdf opens the file (page count, encryption, damage); the text comes from poppler's ``pdftotext``,
the only extractor that keeps Persian word order and ZWNJ (see docs/extraction.md),
with pypdfium2 as the fallback when pdftotext fails. Repairs: the bidi runs around numbers and
Latin, the reversed lam-alef ligature, then the faults of others' producers (presentation forms,
spurious spaces, kashida, lost alefs: :mod:`indexer.extract.textlayer`). Each page is then judged
on its own (too little text, a pre-Unicode font, mojibake, lost glyphs, visual order: see
:func:`~indexer.extract.textlayer.judge_page`) and a page that fails is rendered with pypdfium2 and
read by Tesseract instead, keeping the reason.
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
from indexer.extract.columns import column_regions, looks_like_columns, read_region
from indexer.extract.lexicon import repair_lam_alef
from indexer.extract.ocr import ocr_images
from indexer.extract.pdf_images import page_images
from indexer.extract.reasons import NO_TEXT_LAYER, TOO_LITTLE_TEXT
from indexer.extract.result import PageText
from indexer.extract.textlayer import drop_kashida, judge_page, repair_text_layer

log = logging.getLogger(__name__)


# pdftotext wraps numbers and Latin runs in LRE … PDF, with the spaces and punctuation at the run's
# edges in visual order: «تاریخ‪ ۱۳۹۸/۰۳/۱۱ :‬» for «تاریخ: ۱۳۹۸/۰۳/۱۱ ».
_LTR_RUN = re.compile("\u202a([^\u202a\u202c]*)\u202c")
_EDGE = re.compile(r"^([\s:/.,،؛٪%()\-–—]*)(.*?)([\s:/.,،؛٪%()\-–—]*)$", re.DOTALL)


def repair_ltr_runs(text: str) -> str:
    """Put the edge characters of each embedded left-to-right run back in logical order, and numbers
    that stand apart inside one run."""
    def fix(match: re.Match) -> str:
        lead, core, trail = _EDGE.match(match.group(1)).groups()
        if not any(c.isalpha() for c in core) and " " in core.strip():
            # numbers apart (by spaces or «—») are runs of their own in a right-to-left line, shown
            # right to left; pdftotext gives them in visual order: «۹۸/۴/۲ — ۱۲۳۴» for «۱۲۳۴ — ۹۸/۴/۲»
            core = " ".join(reversed(core.split()))
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


def _pdfium_texts(path: Path) -> list[str]:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise CorruptFile(f"damaged PDF: {exc}", "پرونده PDF خراب یا ناقص است.") from exc
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def ocr_reason(text: str) -> str | None:
    """Why a page's text layer (as pdftotext reads it) should not be trusted, or None when it can be."""
    return judge_page(repair_text_layer(repair_lam_alef(drop_kashida(text))))


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def _columns_in_order(path: Path, texts: list[str], timeout: float) -> list[str]:
    """Pages set in columns read again column by column (see :mod:`indexer.extract.columns`)."""
    candidates = [i for i, text in enumerate(texts) if looks_like_columns(text)]
    if not candidates or shutil.which("pdftotext") is None:
        return texts
    import pypdfium2

    texts = list(texts)
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return texts
    try:
        for i in candidates:
            regions = column_regions(pdf[i])
            if regions:
                log.info("%s page %d is read as %d regions", path.name, i + 1, len(regions))
                texts[i] = repair_ltr_runs("\n\n".join(read_region(path, i, r, timeout) for r in regions))
    except subprocess.TimeoutExpired as exc:
        raise ExtractionTimeout() from exc
    finally:
        pdf.close()
    return texts


def extract_pdf(path: Path, timeout: float = 120) -> list[PageText]:
    """The text of each page, from the text layer or, page by page where it fails, from OCR.

    :raises EncryptedFile: for a password-protected PDF.
    :raises CorruptFile: for a damaged one.
    :raises ExtractionTimeout: when pdftotext or the OCR of a page exceeds its time limit.
    """
    reader = _open(path)
    count = len(reader.pages)
    texts = _pdftotext(path, timeout)
    if texts is None:
        texts = _pdfium_texts(path)
    if len(texts) < count:
        texts += [""] * (count - len(texts))
    texts = texts[:count] if count else texts
    texts = _columns_in_order(path, texts, timeout)
    repairs = [repair_text_layer(repair_lam_alef(drop_kashida(t))) for t in texts]
    texts = [r.text for r in repairs]
    pages = [PageText(t) for t in texts]
    to_read = {}
    for i, repair in enumerate(repairs):
        reason = judge_page(repair)
        if reason:
            log.info("%s page %d goes to OCR: %s", path.name, i + 1, reason)
            to_read[i] = reason
    if to_read:
        numbers = sorted(to_read)
        for i, read in zip(numbers, ocr_images(page_images(path, numbers))):
            short = to_read[i] in (TOO_LITTLE_TEXT, NO_TEXT_LAYER)
            if short and _letters(read.text) <= _letters(texts[i]):
                continue  # a short page that really is short: its text layer is exact
            pages[i] = PageText(read.text, ocr=True, ocr_confidence=read.confidence, ocr_reason=to_read[i])
    return pages
