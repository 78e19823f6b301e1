"""Images: PNG, JPEG with its EXIF orientation, multi-page TIFF, and decompression bombs refused."""
import struct
import zlib

import pytest
from PIL import Image

from indexer.errors import CorruptFile, DecompressionBomb
from indexer.extract import extract
from indexer.extract.detect import JPEG, PNG, TIFF
from scripts.scanwriters import render_text

pytestmark = pytest.mark.slow  # OCR with real Tesseract

FIRST = "نامه سازمان مدیریت پسماند\nموضوع: قرارداد جمع‌آوری زباله"
SECOND = "گزارش سازمان آتش‌نشانی\nعملیات امداد و نجات"


def _crop(image):
    """The top of the page, where the text is: small images keep the tests quick."""
    return image.crop((0, 0, image.width, image.height // 4))


def test_jpeg_photo_turned_by_its_exif_orientation_is_read_upright(tmp_path):
    upright = _crop(render_text(FIRST, dpi=100)).convert("RGB")
    stored = upright.rotate(90, expand=True)  # as a phone stores a page held sideways
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    path = tmp_path / "photo.jpg"
    stored.save(path, quality=90, exif=exif)
    result = extract(path)
    assert result.mime == JPEG
    (page,) = result.pages
    assert page.ocr and page.ocr_confidence > 50
    for word in ("سازمان", "پسماند", "قرارداد"):
        assert word in page.text


def test_multi_page_tiff_is_one_document_of_several_pages_and_png_one_page(tmp_path):
    first, second = (_crop(render_text(t, dpi=150)) for t in (FIRST, SECOND))
    tiff = tmp_path / "scan.tif"
    first.save(tiff, save_all=True, append_images=[second], compression="tiff_deflate")
    result = extract(tiff)
    assert result.mime == TIFF
    assert len(result.pages) == 2
    assert "پسماند" in result.pages[0].text and "پسماند" not in result.pages[1].text
    assert "آتش" in result.pages[1].text
    png = tmp_path / "page.png"
    second.save(png)
    assert extract(png).mime == PNG and "امداد" in extract(png).pages[0].text


def write_png_header(path, width, height):
    """A PNG that declares ``width``×``height`` pixels but holds almost nothing: a decompression bomb."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))
    return path


def test_huge_image_is_refused_before_decoding(tmp_path):
    with pytest.raises(DecompressionBomb) as info:
        extract(write_png_header(tmp_path / "bomb.png", 30000, 30000))
    assert "900,000,000 pixels" in str(info.value) and "تصویر" in info.value.message_fa


def test_truncated_image_is_damaged(tmp_path):
    good = tmp_path / "good.png"
    render_text(FIRST, dpi=100).save(good)
    broken = tmp_path / "broken.png"
    broken.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(CorruptFile) as info:
        extract(broken)
    assert "خراب" in info.value.message_fa
