"""Writers of scanned-looking pages (images and image-only PDFs) from Persian text, for the tests and
the extraction benchmark: the text is set as a born-digital PDF page (scripts.docwriters), rendered
at the dpi asked for, then optionally skewed, blurred and sprinkled with noise like a paper scan."""
from __future__ import annotations

import io
from pathlib import Path

from scripts.docwriters import write_pdf


def render_text(text: str, dpi: int = 300, noise: float = 0.0, skew: float = 0.0, seed: int = 0,
                tmp_dir: str | Path | None = None, font: str | Path | None = None):
    """A grayscale PIL image of ``text`` set on an A4 page (in Noto Naskh, or the TrueType ``font``);
    ``noise`` is the grain's standard deviation (0–255), ``skew`` degrees of rotation."""
    import tempfile

    import numpy as np
    import pypdfium2
    from PIL import Image, ImageFilter

    with tempfile.TemporaryDirectory(dir=tmp_dir) as tmp:
        pdf = pypdfium2.PdfDocument(str(write_pdf(Path(tmp) / "page.pdf", text, font)))
        try:
            image = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        finally:
            pdf.close()
    if skew:
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if noise:
        rng = np.random.default_rng(seed)
        pixels = np.asarray(image).astype(np.float32) + rng.normal(0, noise, (image.height, image.width))
        speckle = rng.random(pixels.shape)
        pixels[speckle < 0.002] = 0
        pixels[speckle > 0.998] = 255
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    return image


def write_scanned_pdf(path: str | Path, images: list, dpi: int = 300) -> Path:
    """An image-only PDF (no text layer), one page per image, as a scanner makes it."""
    path = Path(path)
    first, *rest = [im.convert("L") for im in images]
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return path


def write_mixed_pdf(path: str | Path, text: str, image, dpi: int = 300) -> Path:
    """A PDF whose first page has a text layer (``text``) and whose second page is only an image."""
    from pypdf import PdfReader, PdfWriter

    from scripts.docwriters import write_pdf as write_text_pdf

    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PDF", resolution=dpi)
    path = Path(path)
    write_text_pdf(path, text)
    writer = PdfWriter()
    writer.append(PdfReader(path))
    writer.append(PdfReader(io.BytesIO(buffer.getvalue())))
    with open(path, "wb") as fh:
        writer.write(fh)
    return path
