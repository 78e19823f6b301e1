"""What a referring text says became of a resolution, and a resolution's due date (pure text)."""
from __future__ import annotations

import pytest

from indexer.metadata.followups import read_due, read_state
from indexer.metadata.resolutions import read_references
from indexer.metadata.text import prepare


def proposed(text: str, decision: bool = False) -> list[tuple[str, str, str | None]]:
    return [(r.resolution_number, r.meeting, r.proposed_state) for r in read_references(prepare(text), decision)]


@pytest.mark.parametrize("text, state", [
    ("بازگشت به مصوبه ۳ جلسه ۲۲، واگذاری زمین‌ها انجام شد.", "done"),
    ("پیرو مصوبه شماره ۲ جلسه ۲۷ هیأت‌مدیره، قرارداد خرید اتوبوس منعقد گردید.", "done"),
    ("عطف به مصوبه ۱ جلسه ۱۲، احداث پارک به اتمام رسید.", "done"),
    ("در اجرای مصوبه ۴ جلسه ۹ اقدامات لازم صورت پذیرفت.", "done"),
    ("بازگشت به مصوبه ۲ جلسه ۴۵، طرح تفکیک زباله در دست اقدام می‌باشد.", "in_progress"),
    ("پیرو مصوبه ۲ جلسه ۴۵ موضوع در حال پیگیری است.", "in_progress"),
    ("عطف به مصوبه ۳ جلسه ۴۵، بررسی‌ها انجام شد و خرید در دست اقدام است.", "in_progress"),
    ("بازگشت به مصوبه ۵ جلسه ۱۰، اجرای طرح به دلیل کمبود اعتبار متوقف شد.", "stopped"),
    ("در خصوص مصوبه ۵ جلسه ۱۰ به استحضار می‌رساند موضوع منتفی است.", "stopped"),
    ("به پیوست تصویر مصوبه ۳ جلسه ۸ جهت اجرا ابلاغ می‌گردد.", "sent"),
    ("بازگشت به مصوبه ۳ جلسه ۲۲، گزارش واگذاری به پیوست ارسال میشود.", None),
    ("بازگشت به مصوبه ۴ جلسه ۲۷، گزارش ایمنی هنوز تهیه نشده است.", None),
    ("پیرو مصوبه ۴ جلسه ۲۷، خواهشمند است دستور فرمایید اقدام لازم انجام شود.", None),
    ("پیرو مصوبه ۱ جلسه ۳، در حال حاضر اعتباری برای آن پیش‌بینی نشده است.", None),
])
def test_a_letter_proposes_what_it_says(text, state):
    (found,) = proposed(text)
    assert found[2] == state


def test_a_later_resolution_that_replaces_an_earlier_one_supersedes_it():
    minutes = ("صورتجلسه\nمصوبه ۱: مصوبه ۱ جلسه ۲۷ لغو و افزایش نرخ به سال آینده موکول می‌شود.\n"
               "مصوبه ۲: در اجرای مصوبه ۲ جلسه ۲۷ قرارداد خرید اتوبوس امضا شد.\n"
               "مصوبه ۳: اصلاحیه مصوبه ۴ جلسه ۲۷ به شرح پیوست تصویب شد.")
    assert proposed(minutes, decision=True) == [("1", "27", "superseded"), ("2", "27", "done"),
                                                ("4", "27", "superseded")]


def test_the_evidence_is_the_sentence_and_a_wrapped_pdf_line_does_not_cut_it():
    (ref,) = read_references(prepare("بسمه تعالی\nموضوع: اتوبوس\nپیرو مصوبه ۲ جلسه ۲۷، عقد قرارداد\n"
                                     "با برنده مناقصه در دست اقدام می‌باشد. با تشکر"))
    assert ref.proposed_state == "in_progress"
    assert ref.evidence.startswith("پیرو مصوبه 2 جلسه 27") and ref.evidence.endswith("در دست اقدام می باشد")
    assert "موضوع" not in ref.evidence


def test_each_reference_takes_the_sentences_up_to_the_next_one():
    text = ("بازگشت به مصوبه ۱ جلسه ۵ خرید انجام شد. همچنین در خصوص مصوبه ۲ جلسه ۵ کار در حال اجرا است.")
    assert proposed(text) == [("1", "5", "done"), ("2", "5", "in_progress")]


def test_read_state_says_nothing_of_plain_text():
    assert read_state("گزارش عملکرد شش ماهه شنیده شد") is None


@pytest.mark.parametrize("text, meeting, due", [
    ("ارزیابی زمین حداکثر تا تاریخ ۱۳۹۸/۰۶/۳۱ انجام شود", "1398-02-04", "1398-06-31"),
    ("گزارش تا ۱۵ شهریور ۱۳۹۸ ارائه شود", None, "1398-06-15"),
    ("سازمان ظرف یک ماه گزارش را ارائه کند", "1398-03-11", "1398-04-11"),
    ("سازمان ظرف ۲ هفته اقدام کند", "1398-12-25", "1399-01-10"),
    ("سازمان ظرف سه ماه اقدام کند", None, None),
    ("خرید اتوبوس تصویب شد", "1398-03-11", None),
])
def test_due_dates(text, meeting, due):
    assert read_due(prepare(text), meeting) == due
