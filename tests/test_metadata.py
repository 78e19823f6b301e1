"""The metadata readers on Persian text: kind from the heading, Jalali dates, numbers (in words too),
organizations (sender and addressee), with the reasons kept."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive import load_config
from indexer.metadata import parse_date, read_metadata, words_to_int
from indexer.metadata.dates import read_date
from indexer.metadata.numbers import read_letter_number, read_meeting_number
from indexer.metadata.text import prepare

ROOT = Path(__file__).resolve().parent.parent
ORGS = load_config(ROOT / "config.yaml", env={}).organizations


def meta(text: str):
    return read_metadata(text, "file", ORGS)


@pytest.mark.parametrize("words, value", [
    ("چهل و پنجمین", 45), ("سومین", 3), ("اولین", 1), ("نخستین", 1), ("بیست و سومین", 23),
    ("یکصد و دوازدهمین", 112), ("سی‌امین", 30), ("دهمین", 10), ("دو هزار و پانصد", 2500),
    ("یک میلیون و دویست هزار", 1_200_000), ("پنج", 5), ("۴۵", 45), ("دوازدهم", 12),
])
def test_numbers_in_words(words, value):
    assert words_to_int(words.replace("\u200c", " ").split())[0] == value


def test_a_word_that_is_not_a_number_reads_nothing():
    assert words_to_int(["هیأت", "مدیره"]) is None


@pytest.mark.parametrize("text, meeting", [
    ("جلسه ۲۷ — تاریخ: ۱۳۹۸/۰۳/۱۱", "27"), ("چهل و پنجمین جلسه هیأت‌مدیره", "45"),
    ("جلسه شماره ٤٥", "45"), ("جلسه چهل و پنجم هیات مدیره", "45"), ("صورتجلسه شماره ۱۲", "12"),
    ("صد و بیست و سومین جلسه رسمی شورا", "123"), ("دستور جلسه: خرید", None),
    ("جلسه مورخ ۱۳۹۸/۰۲/۰۱", None), ("سی و یکمین جلسه — ۲۸ فروردین ۹۸", "31"),
    ("جلسه ۲۸ فروردین ۹۸", None),
])
def test_meeting_numbers(text, meeting):
    found = read_meeting_number(prepare(text))
    assert (found[0] if found else None) == meeting


@pytest.mark.parametrize("text, number", [
    ("شماره: ۱۲۳۴/ه/۹۸", "1234/ه/98"), ("شماره : ١٢٣٤/ص/٩٨", "1234/ص/98"),
    ("شماره ۱۲۳۴-ص-۹۸", "1234/ص/98"), ("شماره نامه: 5521/98", "5521/98"),
    ("ایستگاه شماره ۱۲ ساخته شد", None), ("مصوبه شماره ۳: خرید", None),
])
def test_letter_numbers_need_a_label(text, number):
    found = read_letter_number(prepare(text))
    assert (found[0] if found else None) == number


@pytest.mark.parametrize("text, iso", [
    ("تاریخ: ۱۳۹۸/۰۳/۱۱", "1398-03-11"), ("جلسه ۴۵ مورخ ۱۵ اردیبهشت ۱۳۹۷", "1397-02-15"),
    ("۲۸ فروردین ۹۸", "1398-01-28"), ("در 1396/8/20 گفته شد", "1396-08-20"),
    ("تاريخ: ١٣٩٨/٠٣/١١", "1398-03-11"), ("پانزدهم اردیبهشت‌ماه ۱۳۹۷", "1397-02-15"),
    ("۱۱/۰۳/۱۳۹۸", "1398-03-11"), ("تاریخ: ۱۳۹۹/۱۲/۳۰", "1399-12-30"),
])
def test_jalali_dates_in_any_digits(text, iso):
    found, reason = read_date(text)
    assert found.iso == iso and reason


@pytest.mark.parametrize("text", ["تاریخ: ۱۳۹۸/۱۲/۳۰", "۱۳۹۸/۱۳/۰۱", "۱۳۹۷/۰۷/۳۱", "۳۲ تیر ۱۳۹۸",
                                  "شماره: ۱۲۳۴/ص/۹۸", "2019/05/12"])
def test_impossible_dates_are_rejected(text):
    assert read_date(text) == (None, None)


def test_the_labelled_date_wins_over_an_earlier_one():
    text = "گزارش عملکرد سال ۱۳۹۷ که در ۱۳۹۷/۱۲/۲۸ جمع شد\nتاریخ: ۱۳۹۸/۰۱/۲۰\nمتن گزارش"
    m = meta(text)
    assert m.date_jalali == "1398-01-20" and m.date_gregorian == date(2019, 4, 9)
    assert any("«تاریخ:»" in r for r in m.kind_reasons)


def test_parse_date_reads_what_a_clerk_types():
    assert parse_date("1398/3/11").iso == "1398-03-11"
    assert parse_date("۱۱ خرداد ۱۳۹۸").iso == "1398-03-11"
    assert parse_date("1398/12/30") is None


def test_minutes_heading_decides_and_the_meeting_is_the_number():
    m = meta("صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۷ — تاریخ: ۱۳۹۸/۰۳/۱۱ — شماره: ۴۵۱/ص/۹۸\n"
             "مصوبه ۱: خرید اتوبوس تصویب شد.\nمصوبه ۲: ساعات کار تمدید شد.")
    assert (m.kind, m.number, m.meeting) == ("minutes", "27", "27")
    assert m.organization == "سازمان حمل و نقل همگانی"
    assert any("heading" in r for r in m.kind_reasons)


def test_an_appointment_order_citing_a_board_resolution_is_a_letter():
    m = meta("حکم انتصاب\nشماره: ۲۲۱۰/ح/۹۸\nتاریخ: ۱۳۹۸/۰۷/۰۱\nجناب آقای محمد رضایی\n"
             "به استناد مصوبه هیأت‌مدیره سازمان فناوری اطلاعات و ارتباطات به عنوان مدیرعامل منصوب می‌شوید.")
    assert m.kind == "letter" and m.number == "2210/ح/98"
    assert m.organization == "سازمان فناوری اطلاعات و ارتباطات"
    assert m.resolutions == [] and m.references == []


@pytest.mark.parametrize("heading, kind", [
    ("مصوبه شورای اسلامی شهر کرمان", "resolution"), ("بخشنامه", "letter"),
    ("چارت سازمانی سازمان مدیریت پسماند", "chart"), ("گزارش عملکرد سازمان آتش‌نشانی", "report"),
    ("برنامه عملیاتی سال ۱۳۹۸", "other"), ("صورت‌جلسه کمیسیون معاملات", "minutes"),
])
def test_kind_from_the_heading(heading, kind):
    assert meta(f"بسمه تعالی\n{heading}\nمتن سند در اینجا آمده است.").kind == kind


def test_a_letter_without_heading_is_known_by_its_fields():
    m = meta("بسمه‌تعالی\nشماره: ۷۷/پ/۹۶\nتاریخ: ۱۳۹۶/۰۲/۰۲\nپیوست: ندارد\nموضوع: خرید مخزن\n"
             "مدیرعامل محترم سازمان مدیریت پسماند\nبا سلام، احتراماً ...\nمدیرعامل سازمان اموال و املاک")
    assert m.kind == "letter" and m.title == "خرید مخزن"
    assert m.organization == "سازمان اموال و املاک" and m.addressee == "سازمان مدیریت پسماند"
    assert m.organizations == ["سازمان مدیریت پسماند", "سازمان اموال و املاک"]


def test_organizations_match_whatever_the_orthography():
    for spelling in ("سازمان آتشنشانی", "سازمان آتش نشانی", "سازمان آتش‌نشانی", "سازمان آتش‌نشاني"):
        assert meta(f"گزارش عملکرد {spelling}").organization == "سازمان آتش‌نشانی و خدمات ایمنی"
    assert meta("صورتجلسه هيئت مديره سازمان مديريت پسماند").organization == "سازمان مدیریت پسماند"
    assert meta("صورتجلسه هیأتمدیرۀ سازمان املاک").organization == "سازمان اموال و املاک"


def test_the_heading_organization_wins_over_one_in_the_body():
    m = meta("صورتجلسه هیأت‌مدیره سازمان سیما، منظر و فضای سبز شهری\n"
             "مصوبه ۱: ساخت پارک با همکاری سازمان عمران و بازآفرینی فضای شهری تصویب شد.")
    assert m.organization == "سازمان سیما، منظر و فضای سبز شهری"
    assert "سازمان عمران و بازآفرینی فضای شهری" in m.organizations


def test_numbers_in_other_offices_styles():
    assert meta("ش.۸۹۰/ت\nتاریخ ۱۳۹۷/۰۹/۱۸\nسازمان حمل و نقل همگانی\nبا سلام؛ درخواست می‌شود.").number == "890/ت"
    assert meta("سازمان سرمایه‌گذاری و مشارکت‌های مردمی\nنامه شماره ۴۸۸/س مورخ ۱۵ اردیبهشت ۹۷\n"
                "جناب آقای مدیرعامل\nبا سلام؛ طرح مشارکت ارسال می‌شود.").number == "488/س"
    bill = meta("ریاست محترم شورای اسلامی شهر کرمان\nبا سلام؛ لایحه شماره ۱۲۸/ش مورخ ۱۳۹۹/۰۳/۲۰ درباره "
                "نرخ کرایه تقدیم می‌شود.\nسازمان مدیریت حمل و نقل بار و مسافر")
    assert (bill.number, bill.date_jalali) == ("128/ش", "1399-03-20")


def test_a_referenced_letter_lends_neither_its_number_nor_its_date():
    m = meta("مدیرعامل محترم سازمان عمران و بازآفرینی فضای شهری\nبا سلام؛ بازگشت به نامه شماره ۲۲۱۵/ع "
             "مورخ ۹۸/۶/۱۰ قرارداد امضا شد.\nسازمان اموال و املاک\n۱۳۹۸/۰۶/۲۴")
    assert (m.number, m.date_jalali) == (None, "1398-06-24")
    assert (m.organization, m.addressee) == ("سازمان اموال و املاک", "سازمان عمران و بازآفرینی فضای شهری")


def test_the_signing_organization_is_the_sender_and_the_two_digit_year_is_read():
    m = meta("باسمه تعالی\nش: ۵۵۱/ع/۹۸\nت: ۹۸/۱۱/۳\nریاست محترم سازمان عمران و بازآفرینی فضای شهری\n"
             "سلام علیکم؛ گزارش پیشرفت به پیوست ارسال می‌گردد.\nسازمان سیما، منظر و فضای سبز شهری")
    assert (m.kind, m.date_jalali, m.number) == ("letter", "1398-11-03", "551/ع/98")
    assert m.organization == "سازمان سیما، منظر و فضای سبز شهری"
