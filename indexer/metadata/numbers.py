"""Numbers in Persian documents: numbers written in words, letter numbers and meeting numbers.

Numbers in words are read here rather than with a package: hazm 0.10 has no such reader, and the two
PyPI packages that do (persian-tools 0.0.11, unmaintained since 2023, and ghnum 1.1.3) both read
«سومین», «اولین» and «بیست و سومین» wrongly (0, 0 and 20), which are the commonest meeting ordinals.
"""
from __future__ import annotations

import re
from functools import lru_cache

from indexer.metadata.text import prepare


@lru_cache(maxsize=100_000)
def fold_word(word: str) -> str:
    """A number word's spelling without Arabic letters, ZWNJ or punctuation. hazm's normalizer is not
    used here: it rewrites some number words as digits («ده» → «10») but not others."""
    return prepare(word).replace(" ", "").strip("،,:؛;.()«»\"'[]!؟?—–-")

_UNITS = {
    "صفر": 0, "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "شیش": 6, "هفت": 7, "هشت": 8,
    "نه": 9, "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14, "پانزده": 15,
    "پونزده": 15, "شانزده": 16, "هفده": 17, "هیفده": 17, "هجده": 18, "هیجده": 18, "نوزده": 19,
    "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90,
    "صد": 100, "یکصد": 100, "دویست": 200, "سیصد": 300, "چهارصد": 400, "پانصد": 500, "ششصد": 600,
    "هفتصد": 700, "هشتصد": 800, "نهصد": 900,
}
_SCALES = {"هزار": 1000, "میلیون": 1_000_000}
# Ordinals whose stem is not the cardinal with «م» added.
_ORDINALS = {"اول": 1, "اولین": 1, "نخست": 1, "نخستین": 1, "یکم": 1, "یکمین": 1, "سوم": 3, "سومین": 3,
             "سیام": 30, "سی‌ام": 30, "سیامین": 30}
_FOLDED_UNITS = {fold_word(k): v for k, v in _UNITS.items()}
_FOLDED_ORDINALS = {fold_word(k): v for k, v in _ORDINALS.items()}
_FOLDED_SCALES = {fold_word(k): v for k, v in _SCALES.items()}
_AND = "و"


def word_value(word: str) -> int | None:
    """The value of one number word, cardinal or ordinal (پنج, پنجم, پنجمین, سوم…), else None."""
    folded = fold_word(word)
    if not folded:
        return None
    if folded.isdigit():
        return int(folded)
    if folded in _FOLDED_UNITS:
        return _FOLDED_UNITS[folded]
    if folded in _FOLDED_ORDINALS:
        return _FOLDED_ORDINALS[folded]
    for suffix in ("امین", "مین", "ام", "م"):
        if folded.endswith(suffix) and folded[:-len(suffix)] in _FOLDED_UNITS:
            return _FOLDED_UNITS[folded[:-len(suffix)]]
    return None


def is_ordinal(word: str) -> bool:
    folded = fold_word(word)
    return folded in _FOLDED_ORDINALS or (
        word_value(word) is not None and not folded.isdigit() and folded not in _FOLDED_UNITS)


def words_to_int(words: list[str]) -> tuple[int, int] | None:
    """Read a number from the start of ``words`` («چهل و پنجمین», «یکصد و دوازده», «۴۵»).

    Returns (value, words used), or None when the first word is not a number. Reading stops after an
    ordinal word (the ordinal ends the number) or at the first word that is not part of a number.
    """
    total, chunk, used, expect_number = 0, 0, 0, True
    for i, word in enumerate(words):
        folded = fold_word(word)
        if not expect_number and folded == _AND:
            expect_number = True
            continue
        if folded in _FOLDED_SCALES and used:
            total += max(chunk, 1) * _FOLDED_SCALES[folded]
            chunk, used, expect_number = 0, i + 1, False
            continue
        if folded.endswith(tuple(fold_word(s) + "م" for s in _SCALES)) and used:
            scale = _FOLDED_SCALES.get(folded.removesuffix("مین").removesuffix("م"))
            if scale:
                return total + max(chunk, 1) * scale, i + 1
        value = word_value(word) if expect_number else None
        if value is None:
            break
        if folded.isdigit() and used:
            break
        chunk += value
        used = i + 1
        expect_number = False
        if is_ordinal(word) or folded.isdigit():
            break
    if not used:
        return None
    return total + chunk, used


_LETTER_NUMBER = re.compile(
    r"(?:^|(?<=[\s|—–\-]))(?:شماره|ش\.?)(?:\s+(?:نامه|ثبت|دبیرخانه|صادره|وارده))?\s*(?P<colon>[:：])?\s*"
    r"(?P<value>\d+(?:\s*[/\-]\s*(?:\d+|[\u0621-\u06cc]{1,4}))+|\d{2,})(?![\w/])",
    re.MULTILINE)
_BEFORE_NUMBER = re.compile(r"(?:مصوبه|جلسه|نامه|ایستگاه|بند|ماده|پلاک|قرارداد|اتاق|منطقه)\s*$")


_OWN_PAPER = re.compile(r"^\s*(?:نامه|بخشنامه|لایحه|حکم|ابلاغیه|دعوتنامه)\s*$")
# «لایحه شماره ۱۲۸/ش» inside a sentence: the number of the paper the document is, unless it answers
# or follows another one («بازگشت به نامه شماره …»)
_INLINE_NUMBER = re.compile(r"(?:لایحه|بخشنامه|ابلاغیه|دعوتنامه|نامه)\s+شماره\s*[:：]?\s*"
                            r"(?P<value>\d+(?:\s*/\s*(?:\d+|[\u0621-\u06cc]{1,4}))+|\d{2,})(?![\w/])")
_REFERENCE = re.compile(r"(?:بازگشت|پیرو|عطف|در پاسخ|در اجرای|طی|به استناد|ضمن ارسال)[^\n]{0,20}$")


def read_inline_number(text: str) -> tuple[str, str] | None:
    """A paper's number named inside a sentence («لایحه شماره ۱۲۸/ش»), not a reference to another."""
    for m in _INLINE_NUMBER.finditer(text):
        if _REFERENCE.search(text[max(0, m.start() - 40):m.start()]):
            continue
        value = re.sub(r"\s+", "", m.group("value"))
        return value, f"number named inline «{m.group(0).strip()}»"
    return None


def read_letter_number(text: str) -> tuple[str, str] | None:
    """A labelled letter number («شماره: ۱۲۳۴/ص/۹۸») in a prepared text, and its reason.

    The label must end with a colon or start its line; «مصوبه شماره ۳» or «ایستگاه شماره ۱۲» are not
    the document's number.
    """
    for m in _LETTER_NUMBER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start:m.start()]
        own = _OWN_PAPER.match(before)  # «نامه شماره ۴۸۸/س مورخ …» opening its line
        if _BEFORE_NUMBER.search(before) and not own:
            continue
        if not m.group("colon") and before.strip() and not own:
            continue
        value = re.sub(r"\s+", "", m.group("value")).replace("-", "/")
        return value, f"labelled number «{m.group(0).strip()}»"
    return None


_MEETING_WORDS = ("جلسه", "نشست", "اجلاسیه")
_WORDS = re.compile(r"[^\s:،,.؛()«»\-–—]+")


def _ordinal_before(words: list[str], folded: list[str], end: int) -> tuple[int, int] | None:
    """The ordinal number in words ending just before ``end`` («چهل و پنجمین» جلسه): (value, start)."""
    if end == 0 or not is_ordinal(words[end - 1]):
        return None
    start = end - 1
    while start > 0 and (folded[start - 1] == "و" or
                         (word_value(words[start - 1]) is not None and not folded[start - 1].isdigit())):
        start -= 1
    while start < end and folded[start] == "و":
        start += 1
    read = words_to_int(words[start:end])
    if read and read[1] == end - start and read[0] > 0:
        return read[0], start
    return None


def read_meeting_number(text: str) -> tuple[str, str] | None:
    """The meeting number of a prepared text: «جلسه ۴۵», «جلسه شماره ۴۵», «جلسه چهل و پنجم»,
    «چهل و پنجمین جلسه», «صورتجلسه شماره ۴۵», with its reason."""
    words = [m.group() for m in _WORDS.finditer(text)]
    folded = [fold_word(w) for w in words]
    meeting = {fold_word(w) for w in _MEETING_WORDS}
    for i, word in enumerate(folded):
        glued_minutes = word == "صورتجلسه"
        if word not in meeting and not glued_minutes:
            continue
        after = words[i + 1:i + 8]
        labelled = bool(after) and fold_word(after[0]) == "شماره"
        if after and fold_word(after[0]) in ("شماره", "ی"):
            after = after[1:]
        before = _ordinal_before(words, folded, i) if not glued_minutes else None
        if before:
            return str(before[0]), f"meeting number in words «{' '.join(words[before[1]:i + 1])}»"
        read = words_to_int(after) if (labelled or not glued_minutes) else None
        if read and 0 < read[0] < 10_000 and not _is_month(after[read[1]:read[1] + 1]):
            return str(read[0]), f"meeting number after «{words[i]}»"
    return None


def _is_month(words: list[str]) -> bool:
    """Whether the word is a Jalali month's name (a day then a month is a date, not a meeting)."""
    return bool(words) and fold_word(words[0]) in _MONTHS


_MONTHS = {fold_word(m) for m in ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "امرداد", "شهریور",
                                  "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")}
