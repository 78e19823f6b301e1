"""PDF extraction: the text layer with its two repairs, the per-page decision to OCR, encryption."""
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter

from indexer.errors import EncryptedFile
from indexer.extract import extract
from indexer.extract.lexicon import repair_lam_alef, visual_order_share
from indexer.extract.pdf import _pdfium_texts, _pdftotext, ocr_reason, repair_ltr_runs
from scripts.docwriters import PERSIAN_FONT, write_pdf
from scripts.scanwriters import render_text, write_mixed_pdf

LAM_ALEF = "اطلاعات اسلامی لازم است بلافاصله کلاس‌ها تشکیل شود و علامت بزنید"
LOGICAL = ("صورتجلسه هیأت مدیره سازمان مدیریت پسماند در تاریخ امروز با حضور اعضا تشکیل شد "
           "و مصوبات زیر را برای اجرا به شهرداری ارسال کرد")


def write_sans_pdf(path, text):
    """Noto Sans Arabic: pdftotext and pypdfium2 read its lam-alef ligatures backwards."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("sans", "", str(PERSIAN_FONT.with_name("NotoSansArabic-Regular.ttf")))
    pdf.set_font("sans", size=13)
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="fas")
    pdf.add_page()
    pdf.multi_cell(0, 9, text, align="R")
    pdf.output(str(path))
    return path


def test_reversed_lam_alef_is_repaired(tmp_path):
    path = write_sans_pdf(tmp_path / "sans.pdf", LAM_ALEF)
    assert "اطالعات اسالمی الزم" in _pdftotext(path, 30)[0]  # the fault is real
    page = extract(path).pages[0]
    assert not page.ocr
    assert page.text == LAM_ALEF
    fallback = _pdfium_texts(path)[0]
    assert "اسالمی" in fallback
    assert repair_lam_alef(fallback).split() == LAM_ALEF.split()


def test_lam_alef_repair_leaves_known_words_alone():
    assert repair_lam_alef("اطالعات اسالمی الزم بالفاصله کالس") == "اطلاعات اسلامی لازم بلافاصله کلاس"
    # both readings are common words: kept as read
    assert repair_lam_alef("سالم و سلام، خالص، بال، الف، البته") == "سالم و سلام، خالص، بال، الف، البته"


def test_visual_order_sends_a_page_to_ocr_and_presentation_forms_are_repaired():
    visual = " ".join(word[::-1] for word in LOGICAL.split())
    assert visual_order_share(LOGICAL) < 0.1
    assert visual_order_share(visual) > 0.9
    assert ocr_reason(LOGICAL) is None
    assert ocr_reason(visual) == "visual order"
    legacy = "\ufeb3\ufe8e\ufeb0\ufee3\ufe8e\ufee5 " * 10  # سازمان in presentation forms
    assert ocr_reason(legacy) is None  # NFKC makes them base letters: nothing to read again
    assert ocr_reason("صفحه ۲") == "too little text"


def test_scanned_page_is_ocred_while_the_text_page_keeps_its_layer(tmp_path):
    scan = render_text("صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند\nمصوبه ۱: قرارداد جمع‌آوری پسماند تمدید شد.",
                       dpi=150)
    path = write_mixed_pdf(tmp_path / "mixed.pdf", LOGICAL, scan, dpi=150)
    first, second = extract(path).pages
    assert (first.ocr, first.ocr_confidence) == (False, None)
    assert first.text.replace("\n", " ") == LOGICAL
    assert second.ocr and 50 < second.ocr_confidence <= 100
    for word in ("صورتجلسه", "سازمان", "پسماند", "قرارداد", "تمدید"):
        assert word in second.text


def test_a_short_born_digital_page_keeps_its_exact_text(tmp_path):
    pages = extract(write_pdf(tmp_path / "short.pdf", [LOGICAL, "پایان"])).pages
    assert pages[1].text == "پایان" and not pages[1].ocr


def _encrypt(source, target, user_password):
    writer = PdfWriter()
    writer.append(PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def test_password_protected_pdf_says_it_needs_the_password(tmp_path):
    plain = write_pdf(tmp_path / "plain.pdf", LOGICAL)
    with pytest.raises(EncryptedFile) as info:
        extract(_encrypt(plain, tmp_path / "locked.pdf", "1234"))
    assert "رمز" in info.value.message_fa and "password" in str(info.value)
    # an owner password alone (printing/copying restrictions) does not stop reading
    opened = extract(_encrypt(plain, tmp_path / "restricted.pdf", ""))
    assert "سازمان مدیریت پسماند" in opened.pages[0].text


def test_dashes_at_the_edge_of_a_number_go_back_to_their_side():
    raw = "جلسه \u202a — ۲۷\u202cتاریخ\u202a — ۱۳۹۸/۰۳/۱۱ :\u202cشماره\u202a/۴۵۱ :\u202cص\u202a۹۸/\u202c"
    assert repair_ltr_runs(raw) == "جلسه ۲۷ — تاریخ: ۱۳۹۸/۰۳/۱۱ — شماره: ۴۵۱/ص/۹۸"


def test_numbers_apart_in_one_run_go_back_to_right_to_left_order(tmp_path):
    path = write_pdf(tmp_path / "sh.pdf", "سازمان مدیریت میادین\nش ۱۲۳۴ — ۹۸/۴/۲\nبه سازمان اموال و املاک")
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    assert "\u202a۹۸/۴/۲ — ۱۲۳۴\u202c" in raw.stdout.decode()  # the fault is real
    assert "ش ۱۲۳۴ — ۹۸/۴/۲" in extract(path).pages[0].text
    assert repair_ltr_runs("تلفن \u202a2806031 0261\u202c") == "تلفن 0261 2806031"
