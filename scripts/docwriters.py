"""Writers of real PDF, DOCX and text files from Persian text, for the demo documents and the tests.

PDFs are set with fpdf2 and HarfBuzz shaping in a Persian-capable font; DOCX with python-docx,
right-to-left; text files in the encoding asked for.
"""
from __future__ import annotations

from pathlib import Path

NOTO = Path("/usr/share/fonts/truetype/noto")
PERSIAN_FONT = NOTO / "NotoNaskhArabic-Regular.ttf"
LATIN_FONT = NOTO / "NotoSans-Regular.ttf"  # digits' slashes and Latin words: Naskh has no such glyphs
# Debian's Noto Naskh applies its `locl` feature whatever the language, and that turns the Persian
# ۴ ۶ ۷ into their Urdu and Arabic shapes (notofonts/noto-fonts#2085), which no Persian office prints
# and Tesseract's `fas` reads as ۲ ۳. Off, the Persian shapes stay; no other glyph changes.
SHAPING_FEATURES = {"locl": False}


def persian_font() -> str:
    if not PERSIAN_FONT.is_file() or not LATIN_FONT.is_file():
        raise FileNotFoundError("Noto fonts missing: install Debian's fonts-noto-core (make install)")
    return str(PERSIAN_FONT)


def write_pdf(path: str | Path, pages: list[str] | str, font: str | Path | None = None) -> Path:
    """A born-digital PDF with one page per item of ``pages`` (or one page for a string), set in
    Noto Naskh or in the TrueType ``font`` given."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("persian", "", str(font) if font else persian_font())
    pdf.add_font("latin", "", str(LATIN_FONT))
    pdf.set_font("persian", size=13)
    pdf.set_fallback_fonts(["latin"])
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas",
                         features=SHAPING_FEATURES)
    for page in [pages] if isinstance(pages, str) else pages:
        pdf.add_page()
        for line in page.splitlines():
            if line.strip():
                pdf.multi_cell(0, 9, line, align="R", new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(5)
    path = Path(path)
    pdf.output(str(path))
    return path


def write_docx(path: str | Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    """A DOCX of right-to-left paragraphs and, optionally, a table after them."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement

    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        bidi = OxmlElement("w:bidi")
        paragraph._p.get_or_add_pPr().append(bidi)
        for run in paragraph.runs:
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(r) for r in table))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        grid._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
    path = Path(path)
    document.save(str(path))
    return path


# Windows-1256 has no Persian yeh, heh with yeh or Persian digits: files made on Persian Windows hold
# Arabic yeh and ASCII digits instead, as written here.
_CP1256_SPELLING = str.maketrans({"ی": "ي", "ۀ": "ه", **{chr(0x06F0 + i): str(i) for i in range(10)}})


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """A plain text file; ``encoding`` may be utf-8, utf-8-sig, utf-16 or cp1256."""
    path = Path(path)
    if encoding == "cp1256":
        text = text.translate(_CP1256_SPELLING)
    path.write_bytes(text.encode(encoding))
    return path
