"""OCR of page images with Tesseract's Persian model.

- Text size matters more than dpi: each image is scaled so that its text lines are about as tall as
  12-point text at 200 dpi, where Tesseract's `fas` model reads best (large scans down, phone photos
  and small text up). Line height is measured from the ink profile of narrow vertical strips, which
  stays right on slightly skewed pages.
- `fas` alone reads Latin words as digits; a page whose first reading shows signs of Latin on more
  than 3% of its words is read again with `fas+eng` (60% slower, and a little worse on Persian), and
  the reading Tesseract is more confident of is kept.
- On a document's first pages, the short lines that give its date or number are read again, each
  alone, at three sizes and once binarized, and the plausible reading most readings agree on is
  kept (:mod:`indexer.extract.second_look`): one misread digit costs a letter its date or number.
- One Tesseract thread per process (OMP_THREAD_LIMIT=1: more threads are 10–20× slower here) and a
  pool of Tesseract worker processes, one per CPU, one page each, each page with a time limit. The
  pool's slots are threads that each wait on their ``tesseract`` process: the work is in the
  processes, and nothing is pickled.
"""
from __future__ import annotations

import functools
import math
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
from PIL import Image

from indexer.errors import ExtractionError, ExtractionTimeout
from indexer.extract.second_look import OcrLine, look_again

TARGET_LINE_PX = 28          # ink height of a text line (px) where Tesseract `fas` reads best
PAGE_TIMEOUT_S = 60
MAX_SIDE_PX = 6000
_STRIP_PX = 256
_MEASURE_SIDE_PX = 1400
# `fas` writes Persian digits and reads a Latin word as a jumble of ASCII and Persian signs (GIS→5آت):
# ASCII letters, or an ASCII digit touching a Persian letter, mean Latin was misread.
_LATIN_HINT = re.compile(r"[A-Za-z]|[0-9][\u0621-\u064a\u067e-\u06d3]|[\u0621-\u064a\u067e-\u06d3][0-9]")
LATIN_SHARE = 0.03          # of a page's words, before it is read again with `fas+eng`
LINE_SCALES = (1.0, 0.8, 1.3)   # a labelled line read again alone at these sizes of the prepared page
SECOND_LOOK_PAGES = 3           # the first pages, where a document gives its date and number
SECOND_MODEL = "Arabic"         # Tesseract's Arabic-script model (Debian's tesseract-ocr-script-arab)


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float | None     # Tesseract's mean word confidence, 0–100
    languages: str
    tsv: str = ""                # Tesseract's words with their boxes


def ocr_workers() -> int:
    """How many Tesseract processes run at once: one per CPU."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _gray(image: Image.Image) -> Image.Image:
    if image.mode == "L":
        return image
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(white, image)
    return image.convert("L")


def _otsu(pixels: np.ndarray) -> int:
    hist = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    return int(np.argmax(between))


def line_height(image: Image.Image) -> float | None:
    """The median height in pixels of the ink bands (text lines) of a page; None when no text shows."""
    gray = _gray(image)
    step = math.ceil(max(gray.size) / _MEASURE_SIDE_PX)  # a smaller copy measures as well, faster
    factor, small = (1 / step, gray.reduce(step)) if step > 1 else (1.0, gray)
    pixels = np.asarray(small)
    ink = pixels < _otsu(pixels)
    if ink.mean() > 0.5:  # white text on dark ground
        ink = ~ink
    heights: list[int] = []
    strip = max(64, min(_STRIP_PX, ink.shape[1] // 6))
    for left in range(0, ink.shape[1], strip):
        rows = ink[:, left:left + strip].sum(axis=1) > max(1, min(strip, ink.shape[1] - left) // 100)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.astype(np.int8), [0]))))
        runs = edges[1::2] - edges[0::2]
        heights.extend(int(r) for r in runs if r >= 3)
    if len(heights) < 2:
        return None
    return float(np.median(heights)) / factor


def prepare_image(image: Image.Image) -> Image.Image:
    """A grayscale page image whose text lines are about ``TARGET_LINE_PX`` high."""
    gray = _gray(image)
    height = line_height(gray)
    scale = TARGET_LINE_PX / height if height else 1.0
    scale = min(scale, MAX_SIDE_PX / max(gray.size))
    if 0.8 <= scale <= 1.25:
        return gray
    size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
    return gray.resize(size, Image.Resampling.LANCZOS if scale < 1 else Image.Resampling.BICUBIC)


def _mean_confidence(tsv: str) -> float | None:
    scores = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            conf = float(cols[10])
            if conf >= 0:
                scores.append(conf)
    return round(sum(scores) / len(scores), 1) if scores else None


def run_tesseract(image_path: Path, languages: str = "fas", timeout: float = PAGE_TIMEOUT_S,
                  psm: int = 3) -> OcrText:
    """Read one prepared page image with the ``tesseract`` command (``psm`` 7: one line).

    :raises ExtractionTimeout: when the page takes longer than ``timeout`` seconds.
    :raises ExtractionError: when Tesseract is missing or fails.
    """
    text, tsv = _tesseract(image_path, languages, timeout, psm, ("txt", "tsv"))
    return OcrText(text.strip(), _mean_confidence(tsv), languages, tsv)


def _tesseract(image_path: Path, languages: str, timeout: float, psm: int, outputs: tuple[str, ...]) -> list[str]:
    """Tesseract's raw outputs (txt, tsv…) for an image, or for a ``.list`` file of image paths."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise ExtractionError("tesseract is not installed (make install)", "نرم‌افزار OCR نصب نیست.")
    with tempfile.TemporaryDirectory(prefix="bayegan-ocr-") as tmp:
        base = Path(tmp) / "out"
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            proc = subprocess.run([exe, str(image_path), str(base), "-l", languages, "--psm", str(psm),
                                   *outputs], capture_output=True, timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ExtractionTimeout(f"OCR of a page took longer than {timeout:g} s",
                                    "خواندن نوری (OCR) یک صفحه بیش از زمان مجاز طول کشید.") from exc
        if proc.returncode != 0:
            raise ExtractionError(f"tesseract failed: {proc.stderr.decode(errors='replace')[-300:]}",
                                  "خواندن نوری (OCR) صفحه ممکن نشد.")
        return [base.with_suffix(f".{kind}").read_text(encoding="utf-8") for kind in outputs]


def has_latin(text: str) -> bool:
    """True when a `fas` reading suggests Latin text on the page (see ``_LATIN_HINT``)."""
    words = text.split()
    hinted = sum(1 for word in words if _LATIN_HINT.search(word))
    return hinted > 0 and hinted >= LATIN_SHARE * len(words)


def ocr_file(image_path: Path, timeout: float = PAGE_TIMEOUT_S, second_look: bool = True) -> OcrText:
    """Read a prepared image with `fas`, and again with `fas+eng` when Latin seems to be present
    (keeping the reading Tesseract is more confident of); then, if ``second_look``, look again at
    the lines that give a date or a number."""
    read = run_tesseract(image_path, "fas", timeout)
    if has_latin(read.text):
        second = run_tesseract(image_path, "fas+eng", timeout)
        if (second.confidence or 0) >= (read.confidence or 0):
            read = second
    if not second_look:
        return read
    with Image.open(image_path) as page, tempfile.TemporaryDirectory(prefix="bayegan-lines-") as tmp:
        page.load()

        def read_again(line: OcrLine) -> Iterator[list[str]]:
            paths = []
            for n, image in enumerate(line_images(page, line)):
                paths.append(Path(tmp) / f"line-{line.index}-{n}.pgm")
                image.save(paths[-1])
            yield read_line_images(paths, read.languages, timeout)
            if SECOND_MODEL in installed_models():
                yield read_line_images(paths, SECOND_MODEL, timeout)

        text = look_again(read.text, read.tsv, read_again)
    return replace(read, text=text) if text != read.text else read


def read_line_images(paths: list[Path], languages: str, timeout: float = PAGE_TIMEOUT_S) -> list[str]:
    """Each image read as one line of text, by one ``tesseract`` run over the list of them (the model
    is loaded once); [] when Tesseract does not give one text per image.

    :raises ExtractionTimeout: when the run takes longer than ``timeout`` seconds.
    :raises ExtractionError: when Tesseract fails.
    """
    listing = paths[0].with_name(paths[0].stem + ".list")
    listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    (text,) = _tesseract(listing, languages, timeout, 7, ("txt",))
    texts = text.split("\f")  # a form feed between two images' texts
    return [t.strip() for t in texts] if len(texts) == len(paths) else []


@functools.cache
def installed_models() -> frozenset[str]:
    """The Tesseract models installed (``tesseract --list-langs``)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False).stdout
    return frozenset(line.strip() for line in listed.splitlines()[1:] if line.strip())


def line_images(page: Image.Image, line: OcrLine) -> list[Image.Image]:
    """The line cut from the prepared page with a margin, at each of ``LINE_SCALES``, and binarized."""
    left, top, right, bottom = line.box
    height = max(1, bottom - top)
    crop = _gray(page).crop((max(0, left - height), max(0, top - height // 2),
                             min(page.width, right + height), min(page.height, bottom + height // 2)))
    images = [crop if scale == 1.0 else
              crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))),
                          Image.Resampling.LANCZOS)
              for scale in LINE_SCALES]
    pixels = np.asarray(crop)
    images.append(Image.fromarray(np.where(pixels < _otsu(pixels), 0, 255).astype(np.uint8)))
    return images


_page_done: Callable[[], None] | None = None


def report_pages_to(callback: Callable[[], None] | None) -> None:
    """Have ``callback`` called (from a pool thread) each time a page is read: the extraction worker
    uses it as a heartbeat, so a long scan is not taken for a file that hangs."""
    global _page_done
    _page_done = callback


def ocr_images(images: Iterable[Image.Image], workers: int | None = None,
               timeout: float = PAGE_TIMEOUT_S) -> list[OcrText]:
    """OCR page images in page order, at most ``workers`` Tesseract processes at a time.

    Images are taken one by one (a PDF's pages are rendered as the pool goes), scaled, written to a
    temporary folder and handed to the pool, so memory holds about one page per worker.

    :raises ExtractionTimeout: when a page takes longer than ``timeout`` seconds.
    """
    count = workers or ocr_workers()
    with tempfile.TemporaryDirectory(prefix="bayegan-pages-") as tmp, \
            ThreadPoolExecutor(max_workers=count) as pool:
        futures = []
        for i, image in enumerate(images):
            path = Path(tmp) / f"page-{i:05d}.pgm"  # uncompressed: writing PNG costs more than reading
            prepare_image(image).save(path)
            future = pool.submit(ocr_file, path, timeout, i < SECOND_LOOK_PAGES)
            if _page_done is not None:
                future.add_done_callback(lambda _f: _page_done())
            futures.append(future)
            pending = [f for f in futures if not f.done()]
            while len(pending) > 2 * count:  # render only a little ahead of the pool
                pending = list(wait(pending, return_when=FIRST_COMPLETED).not_done)
        return [f.result() for f in futures]


__all__ = ["OcrText", "line_height", "prepare_image", "run_tesseract", "ocr_file", "line_images", "read_line_images",
           "installed_models", "ocr_images",
           "ocr_workers", "has_latin", "report_pages_to", "TARGET_LINE_PX"]
