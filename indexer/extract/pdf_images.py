"""The images of PDF pages for OCR.

A scanned page is usually one image covering the page: its own pixels are taken (a JPEG decoded at a
reduced scale straight from its DCT coefficients, or any other image decoded as stored), which is
three to five times cheaper than rendering the page. Any other page is rendered by pypdfium2 at about
200 dpi. Either way the OCR step then scales the image to the text size Tesseract reads best.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Iterator

from PIL import Image

from indexer.errors import CorruptFile
from indexer.extract.ocr import MAX_SIDE_PX

log = logging.getLogger(__name__)
RENDER_DPI = 200
MIN_DRAFT_DPI = 150      # a JPEG is decoded at 1/2, 1/4 or 1/8 scale only while it keeps this much
MIN_COVER = 0.9          # the share of the page a lone image must cover to stand for the page


def _scanned_image(page) -> Image.Image | None:
    """The page's lone image when the page is nothing else (a scan), else None."""
    import pypdfium2.raw as pdfium_c

    if page.get_rotation() % 360:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    a, b, c, d, _e, _f = image.get_matrix().get()
    width, height = page.get_size()
    if b or c or a <= 0 or d <= 0 or a * d < MIN_COVER * width * height:
        return None  # turned, mirrored or small: rendering places it right
    if image.get_filters() == ["DCTDecode"]:
        picture = Image.open(io.BytesIO(bytes(image.get_data(decode_simple=False))))
        if picture.mode not in ("L", "RGB"):
            return None  # CMYK JPEGs in PDFs are often stored inverted
        dpi = picture.width / (width / 72)
        factor = 1
        while factor < 8 and dpi / (factor * 2) >= MIN_DRAFT_DPI - 1:  # 299.99 dpi is 300
            factor *= 2
        picture.draft("L", (picture.width // factor, picture.height // factor))
        return picture.convert("L")
    return image.get_bitmap(render=False).to_pil()


def page_images(path: Path, numbers: list[int]) -> Iterator[Image.Image]:
    """The images of the given pages (0-based), one at a time.

    :raises CorruptFile: when pypdfium2 cannot open the file.
    """
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise CorruptFile(f"damaged PDF: {exc}", "پرونده PDF خراب یا ناقص است.") from exc
    try:
        for number in numbers:
            page = pdf[number]
            try:
                picture = _scanned_image(page)
            except (pypdfium2.PdfiumError, OSError, ValueError, SyntaxError) as exc:
                log.info("page %d: taking its image failed (%s); rendering it", number + 1, exc)
                picture = None
            if picture is None:
                width, height = page.get_size()
                scale = min(RENDER_DPI / 72, MAX_SIDE_PX / max(width, height, 1))
                try:
                    picture = page.render(scale=scale, grayscale=True).to_pil()
                except pypdfium2.PdfiumError as exc:
                    raise CorruptFile(f"damaged PDF page {number + 1}: {exc}",
                                      "صفحه‌ای از پرونده PDF خراب است.") from exc
            yield picture
    finally:
        pdf.close()


__all__ = ["page_images", "RENDER_DPI"]
