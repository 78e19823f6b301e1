"""OCR: text brought to the size Tesseract reads best, `eng` only where Latin shows, confidence kept."""
from PIL import Image
import pytest

from indexer.extract.ocr import TARGET_LINE_PX, line_height, ocr_images, prepare_image
from scripts.scanwriters import render_text

pytestmark = pytest.mark.slow  # OCR with real Tesseract

TEXT = ("گزارش سازمان فناوری اطلاعات و ارتباطات\n"
        "سامانه GIS شهرداری در سال ۱۴۰۱ راه‌اندازی شد.")


def test_small_text_is_scaled_up_and_large_scans_down():
    small = render_text(TEXT, dpi=60)
    large = render_text(TEXT, dpi=400, noise=20, skew=1.5)
    for image in (small, large):
        assert abs(line_height(prepare_image(image)) - TARGET_LINE_PX) <= 0.25 * TARGET_LINE_PX
    assert prepare_image(small).width > 2 * small.width
    assert prepare_image(large).width < 0.7 * large.width
    assert line_height(Image.new("L", (500, 500), 255)) is None  # a blank page is left as it is
    assert prepare_image(Image.new("L", (500, 500), 255)).size == (500, 500)


def test_ocr_reads_a_small_photo_with_its_latin_word_and_confidence():
    (read,) = ocr_images([render_text(TEXT, dpi=70)])
    for word in ("گزارش", "سازمان", "اطلاعات", "شهرداری", "GIS"):
        assert word in read.text
    assert read.languages == "fas+eng"  # Latin was seen, so English was added
    assert 50 < read.confidence <= 100
