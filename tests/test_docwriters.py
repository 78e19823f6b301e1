"""The writers of test and bench documents (scripts/docwriters.py, scripts/scanwriters.py) draw
Persian as a Persian office prints it."""
import pytest

from indexer.extract.ocr import ocr_images
from scripts.scanwriters import render_text

LINES = "تاریخ: ۱۳۹۷/۰۴/۱۶\nشماره: ۶۷۴/س"


@pytest.mark.slow  # OCR with real Tesseract
def test_a_scan_shows_the_persian_shapes_of_four_six_and_seven():
    # Debian's Noto Naskh draws ۴ ۶ ۷ in their Urdu and Arabic shapes unless its `locl` is off;
    # Tesseract's Persian model then reads them as ۲ and ۳
    (read,) = ocr_images([render_text(LINES, dpi=300, noise=10, skew=0.6)])
    assert "۱۳۹۷/۰۴/۱۶" in read.text
    assert "۶۷۴" in read.text
