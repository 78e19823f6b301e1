"""What a referring document says became of a resolution, and by when a resolution is due.

A letter that refers to a resolution («بازگشت به مصوبه ۳ جلسه ۲۲») may say the action was done («انجام
شد», «اجرا گردید», «به اتمام رسید»), is under way («در دست اقدام», «در حال پیگیری»), was stopped
(«متوقف», «لغو», «منتفی») or was communicated («ابلاغ می‌گردد»); a later resolution that replaces,
amends or cancels an earlier one («جایگزین», «اصلاح», «لغو») supersedes it. The first sentence after
the reference (up to the next reference) that says one of these is the evidence, and its state is
proposed to a clerk, never applied.

A wrong proposal costs a clerk's trust (bench/register.py measures precision first), so:
- a sentence that says two things at once proposes the more cautious one (stopped over under way over
  done over sent: «بررسی‌ها انجام شد و اجرا در دست اقدام است» is under way);
- negated verbs («انجام نشد», «اجرا نگردیده») and wishes or orders («انجام شود», «اجرا گردد») say
  nothing;
- «در حال حاضر» (at present) is not «در حال ...» (in the course of).

Every function reads *prepared* text (:func:`indexer.metadata.text.prepare`): one spelling per
letter, ASCII digits, ZWNJ as a space.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import jdatetime

from indexer.metadata.dates import find_dates, make_date
from indexer.metadata.numbers import words_to_int

from indexer.states import FINISHED, OPEN, OVERDUE, OVERDUE_LABEL, STATE_LABELS, STATES  # noqa: F401

_DONE = re.compile(
    r"\b(?:انجام|اجرا|اجرایی|اجرائی|عملیاتی|تکمیل|محقق|منعقد|امضا|پرداخت|خریداری|تحویل|واگذار|نصب|تمدید|"
    r"افتتاح|برگزار|تامین|صادر|تهیه|ابلاغ\s+و\s+اجرا)\s+(?:شد|شده|شدند|گردید|گردیده|گردیدند)\b"
    r"|\b(?:به\s+(?:اتمام|پایان|انجام|بهره\s*برداری|نتیجه|تصویب)\s+رسید(?:ه)?)\b"
    r"|\b(?:خاتمه|پایان|تحقق)\s+(?:یافت|یافته)\b"
    r"|\b(?:انجام|صورت)\s+(?:گرفت|گرفته|پذیرفت|پذیرفته)\b"
    r"|\bاقدام\s+(?:لازم|لازمه|مقتضی)\s+(?:به\s+عمل\s+آمد|معمول\s+(?:شد|گردید))\b"
    r"|\bبه\s+طور\s+کامل\s+اجرا\b")
_IN_PROGRESS = re.compile(
    r"\bدر\s+دست\s+(?:اقدام|اجرا|پیگیری|انجام|بررسی|تهیه|ساخت|احداث)\b"
    r"|\bدر\s+حال\s+(?:پیگیری|انجام|اجرا|تکمیل|ساخت|تهیه|بررسی|اقدام|نصب|احداث|برگزاری|مذاکره|"
    r"عملیاتی|تدوین|خرید|آماده\s+سازی)\b"
    r"|\b(?:آغاز|شروع)\s+(?:شده|شد|گردیده|گردید)\b"
    r"|\bپیشرفت\s+(?:فیزیکی\s+)?(?:\d+|[\u0621-\u06cc]+)\s+درصد"
    r"|\b\d+\s+درصد\s+پیشرفت"
    r"|\bادامه\s+دارد\b"
    r"|\bپیگیری\s+(?:می\s*شود|میشود|می\s*گردد|ادامه\s+دارد)\b"
    r"|\bمراحل\s+(?:پایانی|اجرایی|اولیه)\s+")
_STOPPED = re.compile(
    r"\bمتوقف\b|\bمنتفی\b|\bمعلق\s+(?:شد|گردید|شده|است)\b|\bبه\s+حالت\s+تعلیق\b|\bتعلیق\s+(?:شد|گردید)\b"
    r"|\bلغو\s+(?:شد|شده|گردید|گردیده|می\s*شود|می\s*گردد)\b|\bکان\s+لم\s+یکن\b"
    r"|\bاز\s+دستور\s+کار\s+(?:سازمان\s+)?خارج\b|\bامکان\s+(?:اجرای?|انجام)\s+(?:آن\s+)?(?:وجود\s+)?ندارد\b"
    r"|\bقابل\s+(?:اجرا|انجام)\s+نیست\b")
_SUPERSEDES = re.compile(
    r"\bجایگزین\b|\bاصلاح\b|\bاصلاحیه\b|\bلغو\b|\bملغی\b|\bملغا\b|\bمنسوخ\b|\bکان\s+لم\s+یکن\b")
_SENT = re.compile(
    r"\bابلاغ\s+(?:شد|شده|گردید|گردیده|می\s*شود|می\s*گردد)\b|\bجهت\s+(?:اجرا|اقدام)\s+(?:ارسال|ابلاغ)\b"
    r"|\bبه\s+منظور\s+اجرا\s+ابلاغ\b|\bبه\s+پیوست\s+ابلاغ\b")
# negated or unfulfilled forms that, in a sentence, take back any proposal of done
_NEGATED = re.compile(
    r"\b(?:انجام|اجرا|تکمیل|محقق|منعقد|پرداخت|خریداری|تحویل|نصب|اقدامی?)\s+(?:ن|نمی\s*)(?:شد|شده|گردید|گردیده|"
    r"شود|گردد|رسیده|گرفته|پذیرفته|کرده)\b|\bهنوز\b|\bتاکنون\s+(?:اقدامی|هیچ)\b|\bبه\s+(?:اتمام|پایان)\s+نرسیده\b"
    r"|\bبلاتکلیف\b|\bمعطل\b")
# a sentence that only asks or orders («خواهشمند است ... انجام شود»)
_REQUEST = re.compile(r"\bخواهشمند\b|\bمقتضی\s+است\b|\bدستور\s+فرمایید\b|\bمقرر\s+شد\b|\bمقرر\s+گردید\b")
_SENTENCE_END = re.compile(r"[.!؟?؛]+|\n\s*\n")  # a line break alone may be a PDF's wrapping


@dataclass(frozen=True)
class StateEvidence:
    state: str
    sentence: str


def _sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCE_END.split(text) if s.strip()]


def state_of_sentence(sentence: str, decision: bool = False) -> str | None:
    """The state one sentence says, or None. ``decision``: the sentence is part of a resolution
    (minutes), where replacing, amending or cancelling supersedes."""
    if decision and _SUPERSEDES.search(sentence):
        return "superseded"
    if _STOPPED.search(sentence):
        return "stopped"
    if _IN_PROGRESS.search(sentence):
        return "in_progress"
    negated = _NEGATED.search(sentence)
    if _DONE.search(sentence) and not negated and not _REQUEST.search(sentence):
        return "done"
    if _SENT.search(sentence) and not negated:
        return "sent"
    return None


def read_state(region: str, decision: bool = False) -> StateEvidence | None:
    """The first sentence of ``region`` (the text from a reference to the next one) that says a
    state. In minutes (``decision``) only the reference's own line counts: the next line is another
    resolution."""
    if decision:
        region = region.split("\n", 1)[0]
    for sentence in _sentences(region):
        state = state_of_sentence(sentence, decision)
        if state is not None:
            return StateEvidence(state, " ".join(sentence.split()))
    return None


_DUE_DATE = re.compile(r"(?:حداکثر\s+)?(?:تا\s+(?:تاریخ\s+|پایان\s+|قبل\s+از\s+)?|مهلت(?:\s+اجرا)?\s*[:：]?\s*|"
                       r"حداکثر\s+(?:تا\s+)?|پیش\s+از\s+)$")
_WITHIN = re.compile(r"(?:ظرف|طی|حداکثر\s+ظرف|ظرف\s+مدت|حداکثر\s+طی)\s+(?:مدت\s+)?"
                     r"(?P<n>\d+|[\u0621-\u06cc]+(?:\s+و\s+[\u0621-\u06cc]+)?)\s+(?P<unit>روز|هفته|ماه)")


def read_due(prepared: str, meeting_date: str | None) -> str | None:
    """The date a resolution is due (Jalali ``YYYY-MM-DD``): a date introduced by «تا», «تا تاریخ»,
    «مهلت» or «حداکثر», or «ظرف N روز/هفته/ماه» counted from the meeting's date."""
    for found in find_dates(prepared):
        if _DUE_DATE.search(prepared[max(0, found.offset - 24):found.offset]):
            return found.date.iso
    m = _WITHIN.search(prepared)
    if m and meeting_date:
        words = m.group("n").split()
        read = (int(words[0]), 1) if words[0].isdigit() else words_to_int(words)
        if not read:
            return None
        n = read[0]
        year, month, day = (int(x) for x in meeting_date.split("-"))
        start = jdatetime.date(year, month, day)
        if m.group("unit") == "ماه":
            month0 = month - 1 + n
            due = make_date(year + month0 // 12, month0 % 12 + 1, min(day, 29))
            return due.iso if due else None
        days = n * (7 if m.group("unit") == "هفته" else 1)
        return (start + jdatetime.timedelta(days=days)).strftime("%Y-%m-%d")
    return None


__all__ = ["FINISHED", "OPEN", "OVERDUE", "OVERDUE_LABEL", "STATES", "STATE_LABELS", "StateEvidence", "read_due",
           "read_state", "state_of_sentence"]
