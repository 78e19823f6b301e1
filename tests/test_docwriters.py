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


def test_a_pdf_or_scan_can_be_set_in_another_font(tmp_path):
    from pypdf import PdfReader

    from scripts.docwriters import write_pdf

    kufi = "/usr/share/fonts/truetype/noto/NotoKufiArabic-Regular.ttf"

    def fonts(path):
        resources = PdfReader(path).pages[0]["/Resources"]["/Font"]
        return {str(resources[name].get_object()["/BaseFont"]) for name in resources}

    assert any("NotoNaskhArabic" in f for f in fonts(write_pdf(tmp_path / "naskh.pdf", LINES)))
    assert not any("NotoKufiArabic" in f for f in fonts(tmp_path / "naskh.pdf"))
    assert any("NotoKufiArabic" in f for f in fonts(write_pdf(tmp_path / "kufi.pdf", LINES, font=kufi)))
    naskh, other = render_text(LINES, dpi=100), render_text(LINES, dpi=100, font=kufi)
    assert naskh.size == other.size and naskh.tobytes() != other.tobytes()
