"""The title and the kind of a document, read from its head first.

The heading (the first line that is not an invocation such as «بسمه تعالی» nor a labelled field such
as «شماره:») decides when it names a kind: «حکم انتصاب» is a letter even when its body cites «مصوبه
هیأت‌مدیره». Without such a heading, the letter's fields and salutation, then the body's marks of
minutes, decide. Every decision keeps its reasons, in English, for the clerk.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.metadata import titles
from indexer.metadata.text import FoldedOnUse, FoldedText, fold

_INVOCATIONS = FoldedOnUse((
    "بسمه تعالی", "بسمه‌تعالی", "باسمه تعالی", "بسم الله الرحمن الرحیم", "به نام خدا",
    "به نام خداوند", "بنام خدا", "هو", "هوالحق"))
_FIELD = re.compile(r"^\s*(شماره|تاریخ|پیوست|از|به|موضوع|گیرنده|فرستنده|ساعت|محل|طبقه بندی|فوری)"
                    r"(?:\s+\S+)?\s*[:：]")
_SALUTATIONS = ("با سلام", "باسلام", "سلام علیکم", "احتراما", "احتراماً", "جناب آقای", "سرکار خانم",
                "جناب آقاي", "ریاست محترم", "مدیرعامل محترم", "مدیر عامل محترم")

# Words that name a kind in a heading; the one nearest the heading's start wins.
HEADING_WORDS = (
    ("minutes", ("صورتجلسه", "صورت جلسه", "صورتجلسات", "خلاصه مذاکرات", "مشروح مذاکرات")),
    ("resolution", ("مصوبه", "مصوبات", "متن مصوبه", "تصویب نامه", "تصویبنامه")),
    ("chart", ("چارت سازمانی", "چارت", "نمودار سازمانی", "ساختار سازمانی", "شرایط احراز",
               "تشکیلات")),
    ("letter", ("بخشنامه", "حکم", "ابلاغ", "نامه", "دستورالعمل", "اطلاعیه", "دعوتنامه")),
    ("report", ("گزارش", "گزارشات")),
)
_MINUTES_MARKS = ("حاضرین", "حاضران", "غایبین", "غائبین", "دستور جلسه", "اعضای حاضر", "ختم جلسه")


@dataclass
class Head:
    lines: list[str]          # the prepared text's non-empty lines
    heading: int | None       # index of the heading line
    fields_first: bool        # labelled fields (شماره:, تاریخ:) come before any heading


def read_head(lines: list[str]) -> Head:
    fields_first = False
    for i, line in enumerate(lines[:12]):
        folded = fold(line)
        if folded in _INVOCATIONS or len(folded) < 2:
            continue
        if _FIELD.match(line):
            fields_first = True
            continue
        if any(folded.startswith(fold(s)) for s in _SALUTATIONS):
            return Head(lines, None, fields_first)
        return Head(lines, i, fields_first)
    return Head(lines, None, fields_first)


def read_title(head: Head, fallback: str) -> tuple[str, str]:
    """The title and its source (see :mod:`indexer.metadata.titles`); ``fallback`` is the file name."""
    return titles.read_title(head.lines, fallback, _INVOCATIONS, _FIELD, _SALUTATIONS)


def _heading_kind(heading: str) -> tuple[str, str] | None:
    folded = FoldedText(heading)
    best: tuple[int, str, str] | None = None
    for kind, words in HEADING_WORDS:
        for word in words:
            found = folded.find_all(fold(word))
            pos = found[0] if found else -1
            if pos >= 0 and (best is None or pos < best[0] or (pos == best[0] and len(word) > len(best[2]))):
                best = (pos, kind, word)
    return (best[1], best[2]) if best else None


def read_kind(head: Head, resolution_count: int, explicit: bool = False) -> tuple[str, list[str]]:
    """The kind and the reasons for it. ``resolution_count``: numbered resolutions found in the text;
    ``explicit``: some are marked «مصوبه ۱:» (a numbered list alone may be a contract's clauses)."""
    reasons: list[str] = []
    body = fold(" ".join(head.lines[:40]))
    if head.heading is not None:
        heading = head.lines[head.heading]
        found = _heading_kind(heading)
        if found:
            kind, word = found
            reasons.append(f"the heading «{heading[:80]}» names «{word}»")
            if kind == "resolution" and fold(word) == fold("مصوبات") and resolution_count >= 2:
                reasons.append(f"«مصوبات» heading over {resolution_count} numbered resolutions: minutes")
                kind = "minutes"
            return kind, reasons
    if head.fields_first:
        reasons.append("letter fields (شماره:/تاریخ:/موضوع:) before any heading")
        return "letter", reasons
    salutation = next((s for s in _SALUTATIONS if fold(s) in body), None)
    if salutation:
        return "letter", [f"the text holds the salutation «{salutation}»"]
    mark = next((m for m in _MINUTES_MARKS if fold(m) in body), None)
    if mark and resolution_count:
        return "minutes", [f"the text holds «{mark}» and {resolution_count} numbered resolutions"]
    if explicit and resolution_count >= 2:
        return "minutes", [f"{resolution_count} resolutions marked «مصوبه»"]
    if fold("شورای اسلامی شهر") in body and fold("تصویب") in body:
        return "resolution", ["the city council approves something in the text"]
    if fold("گزارش") in fold(" ".join(head.lines[:3])):
        return "report", ["«گزارش» in the first lines"]
    return "other", ["no sign of a kind"]
