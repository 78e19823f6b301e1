"""Scanned pages and photos: PNG, JPEG and TIFF (a multi-page TIFF is one document of several pages).

The EXIF orientation is honoured (phones store a page upright only in that tag); an image that
would unpack to more than ``MAX_PIXELS`` pixels is refused before it is decoded.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Iterator

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from indexer.errors import CorruptFile, DecompressionBomb
from indexer.extract.ocr import ocr_images
from indexer.extract.reasons import IMAGE_FILE
from indexer.extract.result import PageText

MAX_PIXELS = 80_000_000   # an A3 page at 600 dpi is 70 million
MAX_FRAMES = 2000


def _bomb(pixels: int, size: str = "") -> DecompressionBomb:
    return DecompressionBomb(
        f"image {size}of {pixels:,} pixels is larger than the limit of {MAX_PIXELS:,} pixels"
        " (a decompression bomb?)",
        f"تصویر {size}با {pixels:,} پیکسل از حد مجاز ({MAX_PIXELS:,} پیکسل) بزرگ‌تر است"
        " (احتمال بمب فشرده‌سازی).")


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _bomb(width * height, f"{width}×{height} ")


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    for n, frame in enumerate(ImageSequence.Iterator(image)):
        if n >= MAX_FRAMES:
            raise CorruptFile(f"image has more than {MAX_FRAMES} pages", "تعداد صفحه‌های تصویر بیش از حد است.")
        _check_size(frame)
        upright = ImageOps.exif_transpose(frame)
        yield upright if upright is not frame else frame.copy()


def open_image(path: Path) -> Image.Image:
    """Open an image without decoding it, refusing decompression bombs.

    :raises DecompressionBomb: when the image is too large.
    :raises CorruptFile: when it is damaged.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        # Pillow refuses before we see the image; its message holds the pixel count
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise _bomb(int(found.group(1)) if found else MAX_PIXELS + 1) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise CorruptFile(f"damaged image: {exc}", "پروندهٔ تصویر خراب است.") from exc
    try:
        _check_size(image)
    except DecompressionBomb:
        image.close()
        raise
    return image


def extract_image(path: Path) -> list[PageText]:
    """OCR of each page (frame) of the image.

    :raises DecompressionBomb, CorruptFile: see :func:`open_image`; CorruptFile also for a
        truncated image.
    """
    with open_image(path) as image:
        try:
            read = ocr_images(_frames(image))
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise CorruptFile(f"damaged image: {exc}", "پروندهٔ تصویر خراب یا ناقص است.") from exc
    return [PageText(r.text, ocr=True, ocr_confidence=r.confidence, ocr_reason=IMAGE_FILE)
            for r in read]


__all__ = ["extract_image", "open_image", "MAX_PIXELS"]
