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
