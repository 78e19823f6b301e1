"""A second look at the lines of a scanned page that carry a document's date or number.

Tesseract's `fas` model misreads a digit now and then (۴ as ۳, ۳ as ۲, a ۱ or a ۰ lost, a date cut
short), and one wrong digit costs a letter its date or its number. So the short lines that say
«تاریخ», «مورخ», «شماره», «ش» or «جلسه» are read again, each alone as one line (:mod:`indexer.extract.ocr`
reads it at three sizes and once binarized), and the reading kept is chosen without knowing the font:

1. a reading that cannot be is replaced: a line labelled as a date must hold a date that exists
   in the Jalali calendar (no month 13; «۱۲۹۷» for 1397 is no year of the archive's). Of the
   readings that can be, the one whose runs of digits the other readings hold most often is kept,
   then the one with more digits (Tesseract drops digits far more often than it invents them);
2. a reading that can be is kept unless more of the other readings agree on all their digits
   among themselves than with it, and their digits are no fewer than its own: a digit misread once
   is outvoted by the readings that read it right, and a line that reads worse alone (a short page
   measured wrong) cannot replace a fuller reading.

Nothing here knows a font or a document: a reading is only ever replaced by another reading of the
same line.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from indexer.metadata import parse_date

# a line that gives a date or a number: the label as a word of its own («صورتجلسه» is no «جلسه»)
_LABEL = re.compile(r"(?<![\w\u200c])(?:تاریخ|مورخه?|شماره|جلسه|ش)(?![\w\u200c])")
_DATE_LABEL = re.compile(r"(?<![\w\u200c])(?:تاریخ|مورخه?)(?![\w\u200c])")
_DIGITS = re.compile(r"[0-9۰-۹٠-٩]+")
_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
MAX_WORDS = 8        # longer lines are sentences, not a letter's header or signature
MAX_LINES = 8        # looked at again per page, at most


@dataclass(frozen=True)
class OcrLine:
    """One line of Tesseract's page reading (its TSV), with its box on the prepared image."""
    index: int        # among the page's lines, in Tesseract's order (that of its text output)
    text: str
    words: int
    box: tuple[int, int, int, int]   # left, top, right, bottom


def read_lines(tsv: str) -> list[OcrLine]:
    """The text lines of a Tesseract TSV, in order, each with its words and box."""
    words: dict[tuple[str, ...], list[tuple[int, int, int, int, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            left, top, width, height = (int(c) for c in cols[6:10])
            words.setdefault(tuple(cols[1:5]), []).append((left, top, left + width, top + height, cols[11]))
    return [OcrLine(i, " ".join(w[4] for w in ws), len(ws),
                    (min(w[0] for w in ws), min(w[1] for w in ws), max(w[2] for w in ws), max(w[3] for w in ws)))
            for i, ws in enumerate(words.values())]


def worth_a_second_look(line: OcrLine) -> bool:
    """A short line that labels a date or a number."""
    return line.words <= MAX_WORDS and bool(_LABEL.search(line.text))


def digit_runs(text: str) -> list[str]:
    return [run.translate(_ASCII) for run in _DIGITS.findall(text)]


def choose_reading(readings: list[str]) -> int:
    """The index of the reading to keep; ``readings[0]`` is the page's own (see the module docstring)."""
    dated = bool(_DATE_LABEL.search(readings[0]))
    runs = [tuple(digit_runs(r)) for r in readings]
    digits = [sum(len(run) for run in found) for found in runs]
    plausible = [not dated or parse_date(r) is not None for r in readings]
    if plausible[0]:
        agreeing = Counter(runs)  # readings whose digits are all the same
        rivals = [i for i in range(1, len(readings)) if plausible[i] and digits[i] >= digits[0]
                  and agreeing[runs[i]] > agreeing[runs[0]]]
        return max(rivals, key=lambda i: (agreeing[runs[i]], -i)) if rivals else 0
    holders = Counter(run for found in runs for run in set(found))
    candidates = [i for i in range(1, len(readings)) if plausible[i]]
    if not candidates:
        return 0
    return max(candidates, key=lambda i: (sum(holders[run] - 1 for run in runs[i]), digits[i], -i))


def look_again(text: str, tsv: str, read_again: Callable[[OcrLine], list[str]]) -> str:
    """The page's text with its labelled lines replaced by their best reading.

    ``read_again`` reads one line of the page again in several ways and returns the readings. The
    page's text lines must be those of the TSV, one for one; when they are not, the text is kept.
    """
    lines = read_lines(tsv)
    rows = text.split("\n")
    filled = [i for i, row in enumerate(rows) if row.strip()]
    if len(filled) != len(lines):
        return text
    for line in [line for line in lines if worth_a_second_look(line)][:MAX_LINES]:
        readings = [rows[filled[line.index]].strip(), *(r.strip() for r in read_again(line))]
        best = choose_reading(readings)
        if best:
            rows[filled[line.index]] = readings[best]
    return "\n".join(rows)


__all__ = ["OcrLine", "read_lines", "worth_a_second_look", "choose_reading", "look_again"]
