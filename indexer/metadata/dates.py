"""Jalali dates: «تاریخ: ۱۳۹۸/۰۳/۱۱», «۱۵ اردیبهشت ۱۳۹۷», «۲۸ فروردین ۹۸», 1396/8/20, in any digits.

Every candidate is checked against the calendar (jdatetime): month 13, «۱۳۹۸/۱۲/۳۰» (1398 is not a
leap year) or «۱۳۹۷/۰۷/۳۱» are rejected. The document's own date is the labelled one («تاریخ:»,
«مورخ») near its head, before any other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import jdatetime

from indexer.metadata.numbers import words_to_int
from indexer.metadata.text import prepare

MONTHS = {"فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5, "شهریور": 6,
          "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"(?<![\d/])(\d{2,4})\s*([/\-.])\s*(\d{1,2})\s*\2\s*(\d{1,4})(?![\d/])")
_WORDED = re.compile(rf"(?<!\d)(?:(\d{{1,2}})|(?<![\u0621-\u06cc])([\u0621-\u06cc]+(?:\s+و\s+[\u0621-\u06cc]+)?))\s*"
                     rf"(?:ام\s+)?({_MONTH_NAMES})(?:\s*ماه)?(?:\s+سال)?\s*(\d{{4}}|\d{{2}})(?!\d)")
# What every worded date holds from its month on: a text without it has none, and is not scanned
# word by word for one (the scan tries _WORDED at each word's start: most of find_dates' time)
_MONTH_AND_YEAR = re.compile(rf"(?:{_MONTH_NAMES})(?:\s*ماه)?(?:\s+سال)?\s*\d{{2}}")
_LABEL = re.compile(r"(تاریخ(?:\s+(?:جلسه|تصویب|نامه|صدور|ابلاغ|تنظیم|گزارش))?\s*[:：]?|مورخه?\s*[:：]?)\s*$")
HEAD_LINES = 8
# a date that belongs to the letter this one answers or follows, not to this one
_REFERENCE = re.compile(r"(?:بازگشت به|پیرو|عطف به|در پاسخ به)\s+(?:نامه|مکاتبه|لایحه)[^\n]*$")


@dataclass(frozen=True)
class JalaliDate:
    year: int
    month: int
    day: int

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def gregorian(self) -> date:
        return jdatetime.date(self.year, self.month, self.day).togregorian()


def _year(raw: str) -> int | None:
    year = int(raw)
    if len(raw) == 2:
        return 1300 + year if year >= 50 else 1400 + year
    if len(raw) == 4 and 1300 <= year <= 1499:
        return year
    return None


def make_date(year: int | None, month: int, day: int) -> JalaliDate | None:
    """A Jalali date if it exists in the calendar, else None."""
    if year is None:
        return None
    try:
        jdatetime.date(year, month, day)
    except ValueError:
        return None
    return JalaliDate(year, month, day)


def _numeric(m: re.Match) -> JalaliDate | None:
    first, _, middle, last = m.groups()
    if len(first) in (2, 4) and len(last) <= 2:           # year/month/day
        return make_date(_year(first), int(middle), int(last))
    if len(last) == 4 and len(first) <= 2:                 # day/month/year
        return make_date(_year(last), int(middle), int(first))
    return None


def _worded(m: re.Match) -> JalaliDate | None:
    day_digits, day_words, month, year = m.groups()
    if day_digits:
        day = int(day_digits)
    else:
        words = day_words.split()
        read = words_to_int(words)
        if not read or read[1] != len(words):
            return None
        day = read[0]
    return make_date(_year(year), MONTHS[month], day)


@dataclass(frozen=True)
class DateCandidate:
    date: JalaliDate
    rank: int         # 0 labelled in the head, 1 labelled, 2 unlabelled in the head, 3 anywhere,
                      # 4 another letter's (a reference)
    offset: int
    reason: str


def find_dates(prepared: str) -> list[DateCandidate]:
    """Every valid date of a prepared text, best first."""
    head_end = 0
    for _ in range(HEAD_LINES):
        nxt = prepared.find("\n", head_end + 1)
        if nxt < 0:
            head_end = len(prepared)
            break
        head_end = nxt
    found = []
    patterns = [(_NUMERIC, _numeric)]
    if _MONTH_AND_YEAR.search(prepared):
        patterns.append((_WORDED, _worded))
    for pattern, read in patterns:
        for m in pattern.finditer(prepared):
            jd = read(m)
            if jd is None:
                continue
            line_start = prepared.rfind("\n", 0, m.start()) + 1
            label = _LABEL.search(prepared[max(line_start, m.start() - 30):m.start()])
            in_head = m.start() <= head_end
            rank = (0 if in_head else 1) if label else (2 if in_head else 3)
            how = f"labelled «{label.group(1).strip()}»" if label else "unlabelled"
            if _REFERENCE.search(prepared[max(line_start, m.start() - 60):m.start()]):
                rank, how = 4, "another letter's"  # «بازگشت به نامه شماره ۲۲۱۵ مورخ ۹۸/۶/۱۰»
            found.append(DateCandidate(jd, rank, m.start(), f"{how} date «{m.group(0).strip()}»"))
    return sorted(found, key=lambda c: (c.rank, c.offset))


def read_date(text: str) -> tuple[JalaliDate | None, str | None]:
    """The document's date and the reason it was chosen (the text need not be prepared)."""
    found = find_dates(prepare(text))
    return (found[0].date, found[0].reason) if found else (None, None)


def parse_date(value: str) -> JalaliDate | None:
    """One date typed by a person (a correction): «1398/3/11», «۱۳۹۸-۰۳-۱۱», «۱۱ خرداد ۱۳۹۸»."""
    found = find_dates(prepare(value.strip()))
    return found[0].date if found else None
