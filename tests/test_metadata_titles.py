"""Titles: the real heading, else the subject line, else the file name's phrase; never a paragraph."""
from pathlib import Path

from archive import load_config
from indexer.metadata import read_metadata
from indexer.metadata.titles import filename_phrase

ORGS = load_config(Path(__file__).resolve().parent.parent / "config.yaml", env={}).organizations


def meta(text: str, filename: str = "file"):
    return read_metadata(text, filename, ORGS)


def test_a_heading_set_on_two_lines_is_joined():
    text = ("دستورالعمل نگارش و\nتدوین پایان نامه!\nپردیس دانشکده های فنی دانشگاه تهران\n"
            "ویرایش اول، شهریور 1392\nپایان نامه باید در قطع کاغذ A4 تدوین شود و به صورت دورو چاپ گردد.")
    assert meta(text).title == "دستورالعمل نگارش و تدوین پایان نامه"


def test_emblem_codes_letterheads_and_cover_lines_are_skipped():
    cover = ("جسي ))(\nجمهوری اسلامی ایران\nINSO Islamic Republic of Iran استاندارد ملی ایران\n"
             "1 استاندارد ابران bo سازمان ۱\n2016 ۱۳۹۵\nدارای محتوای رنگی\n"
             "پرچم جمهوری اسلامی ایران - ویژگی‌ها و\nروش‌های آزمون\nپیش‌گفتار")
    assert meta(cover).title == "پرچم جمهوری اسلامی ایران - ویژگی‌ها و روش‌های آزمون"
    assert meta("بسمه تعالی\nINSO\nسازمان ملی استاندارد ایران\nدستور خط فارسی\nمقدمه").title == "دستور خط فارسی"


def test_running_headers_are_skipped_but_a_title_may_be_its_own():
    page = "معاونت آموزشی\nصفحه {n} از ۴۰\nمتن صفحه {n} در اینجا آمده است و ادامه دارد."
    pages = "\n".join(["گزارش عملکرد سال ۱۳۹۸ سازمان پسماند"] + [page.format(n=n) for n in range(1, 5)])
    assert meta(pages).title == "گزارش عملکرد سال ۱۳۹۸ سازمان پسماند"
    running = "\n".join(["دستور خط فارسی ۲", "نشانه‌ها و قواعد کلی"] + ["دستور خط فارسی ۲\nمتن است."] * 3)
    assert meta(running).title == "نشانه‌ها و قواعد کلی"


def test_a_paragraph_is_never_a_title():
    paragraph = ("وسیکسری در برابر حوادث ندارد. بکارهایی کودکانه که حادثه را سخت‌تر کند\n"
                 "و ناگوارتر و دشمن را خشمگین‌تر و روز سیاه بدبختی را تیره‌تر کند.")
    assert meta(paragraph, "R16_babak1953_p10_scan.jpg").title == "babak1953"
    letter = "شماره: ۱۲/ص\nموضوع: خرید مخزن\nبا سلام، احتراماً به استحضار می‌رساند که مخزن خریداری شد."
    assert meta(letter).title == "خرید مخزن"


def test_the_file_name_phrase_drops_codes_and_numbers():
    assert filename_phrase("R03_ut_thesis_directive_v2.pdf") == "ut thesis directive"
    assert filename_phrase("صورتجلسه_هیات_مدیره_1398-05-02_scan.pdf") == "صورتجلسه هیات مدیره"


def test_an_addressee_or_a_list_introduction_is_no_heading():
    letter = ("شورای اسلامی شهر کرمان\nشماره: ۵۵۱/ش/۱۴۰۱\nموضوع: مصوبه استفاده از پساب برای آبیاری فضای سبز\n"
              "شهردار محترم کرمان\nبه استحضار می‌رساند شورای اسلامی شهر در جلسه ۸۷ مقرر نمود.")
    read = meta(letter)
    assert (read.title, read.title_source) == ("مصوبه استفاده از پساب برای آبیاری فضای سبز", "subject")
    council = ("شورای اسلامی شهر کرمان\nمصوبه جلسه ۱۰۳ مورخ ۱۴۰۱/۰۹/۲۹\nموضوع: نام‌گذاری معابر و میادین\n"
               "به پیشنهاد کمیسیون فرهنگی و کمیته نام‌گذاری معابر شهرداری:\n۱- بلوار جدید به نام «بلوار آتش‌نشان» نام‌گذاری شد.")
    assert meta(council).title == "نام‌گذاری معابر و میادین"
    listed = "به پیشنهاد کمیسیون فرهنگی و کمیته نام‌گذاری معابر شهرداری:\n۱- بلوار جدید نام‌گذاری شد."
    assert meta(listed, "council-naming").title_source == "filename"


def test_a_subject_above_the_first_heading_names_the_letter_but_a_kind_heading_takes_it_after():
    above = "شماره: ۱۲/ص\nموضوع: خرید مخزن\nگزارش کارشناسی\nبا سلام، مخزن خریداری شد."
    assert meta(above).title == "خرید مخزن"
    circular = "بخشنامه\nشماره: ۱۲/ص\nموضوع: حذف مکاتبات کاغذی\nبا سلام، مکاتبات از این پس الکترونیکی است."
    read = meta(circular)
    assert (read.title, read.title_source) == ("بخشنامه: حذف مکاتبات کاغذی", "heading")


def test_an_appointment_order_without_heading_is_titled_by_its_formula():
    order = ("بسمه تعالی\nشماره: ۱۲۰۴/ح/۱۴۰۰\nتاریخ: ۱۴۰۰/۰۶/۳۰\nخانم مهندس زهرا افضلی‌پور\n"
             "نظر به تعهد و تخصص جنابعالی، به موجب این حکم به سمت مدیرعامل سازمان مدیریت پسماند شهرداری کرمان "
             "منصوب می‌شوید.\nشهردار کرمان")
    read = meta(order, "waste-ceo-order")
    assert (read.title, read.title_source) == ("حکم انتصاب مدیرعامل سازمان مدیریت پسماند شهرداری کرمان", "order")


def test_the_source_of_each_title_is_said():
    assert meta("گزارش عملکرد سال ۱۳۹۸ سازمان پسماند\nمتن گزارش در اینجا آمده است.").title_source == "heading"
    assert meta("متن بی‌عنوان که یک جمله کامل است و عنوانی ندارد.", "pnlu-p00001").title_source == "filename"
