"""Pages set in columns are read column by column, right to left; one-column pages and tables are not."""
import pypdfium2
from fpdf import FPDF

from indexer.extract import extract
from indexer.extract.columns import column_regions
from indexer.extract.pdf import _pdftotext
from scripts.docwriters import PERSIAN_FONT

COLUMNS = [
    "ستون اول درباره نوسازی ناوگان اتوبوسرانی شهر است و خرید اتوبوس برقی را شرح می‌دهد " * 4,
    "ستون دوم درباره تفکیک پسماند از مبدأ در محله‌های شهر است و هزینه آن را می‌گوید " * 4,
    "ستون سوم درباره ساخت پارک محله‌ای در منطقه سه است و زمان آغاز کار را می‌گوید " * 4,
]
HEADLINE = "گزارش ویژه شهر"


def _pdf(path, columns, headline=None, table=False):
    pdf = FPDF(format="A4")
    pdf.add_font("naskh", "", str(PERSIAN_FONT))
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")
    pdf.add_page()
    top = 20
    if headline:
        pdf.set_font("naskh", size=28)
        pdf.set_xy(10, 15)
        pdf.cell(190, 16, headline, align="C")
        top = 45
    pdf.set_font("naskh", size=11)
    width, gap = 58, 8
    for i, text in enumerate(columns):  # the first column is the rightmost
        x = 200 - (i + 1) * width - i * gap
        pdf.set_xy(x, top)
        if table:
            for n in range(14):
                pdf.set_x(x)
                pdf.cell(width / 3, 8, f"خانه {n}", align="R", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(width, 7, text, align="J")
    pdf.output(str(path))
    return path


def test_three_columns_are_read_one_after_another_right_to_left(tmp_path):
    path = _pdf(tmp_path / "columns.pdf", COLUMNS, HEADLINE)
    assert "ستون اول" in _pdftotext(path, 30)[0]
    text = extract(path).pages[0].text.replace("\n", " ")
    first, second, third = (text.index(f"ستون {w}") for w in ("اول", "دوم", "سوم"))
    assert text.index(HEADLINE) < first < second < third
    # each column reads through, not interleaved line by line with its neighbours
    assert "آن را می‌گوید ستون دوم" in text or text.count("ستون دوم") == 4
    between = text[first:second]
    assert "ستون دوم" not in between and "ستون سوم" not in between


def test_a_one_column_page_and_a_table_are_not_cut(tmp_path):
    one = _pdf(tmp_path / "one.pdf", [" ".join(COLUMNS)])
    with pypdfium2.PdfDocument(str(one)) as pdf:
        assert column_regions(pdf[0]) is None
    table = _pdf(tmp_path / "table.pdf", COLUMNS, table=True)
    with pypdfium2.PdfDocument(str(table)) as pdf:
        assert column_regions(pdf[0]) is None


def test_the_real_three_column_magazine_page_reads_column_by_column():
    from pathlib import Path

    import pytest

    path = next((Path(__file__).resolve().parents[2] / "shared" / "real-docs").glob("R07_*.pdf"), None)
    if path is None:
        pytest.skip("../shared/real-docs is not here")
    text = " ".join(extract(path).pages[0].text.split())
    assert text.startswith("قلم معلی و پدیدآورنده‌اش")  # the headline first
    assert "قلم معلی که در سال 1378 به قول امروزی‌ها رونمایی شد" in text
    assert "\ufffd" not in text and "اس��ت" not in text
