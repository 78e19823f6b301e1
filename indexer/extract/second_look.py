"""A second look at the lines of a scanned page that carry a document's date or number.

Tesseract's `fas` model misreads a digit now and then (۴ as ۳, ۳ as ۲, a ۱ or a ۰ lost, a date cut
short), and one wrong digit costs a letter its date or its number. So the short lines that say
«تاریخ», «مورخ», «شماره», «ش» or «جلسه» are read again, each alone as one line: :mod:`indexer.extract.ocr`
reads it at three sizes and once binarized with the page's model, and, when those readings do not
all agree, once more with Tesseract's Arabic-script model, whose digits err unlike `fas`'s. The
reading kept is chosen without knowing the font.

Each run of digits of a reading counts the other readings that hold the same run: its
agreements. A reading is worth the agreements of its runs, so a digit misread once is outvoted by
the readings that read it right, and a run read once adds nothing.

1. a reading that cannot be is replaced by the plausible reading worth most (then the one with
   more digits: Tesseract drops digits far more often than it invents them). A reading cannot be
   when the line is labelled as a date and it holds no date that exists in the Jalali calendar
   (no month 13; «۱۲۹۷» for 1397 is no year of the archive's) or only one after this year
   («۱۳/۰۳/۷», 1413, for «۱۳۹۷/۰۳/۲۷»), or when its label stands at the end, after the digits
   (Tesseract set the right-to-left line left to right: «۹۸/۶۷۱ شماره:»);
2. a reading that can be is replaced only by a plausible one worth more, with no fewer digits,
   whose digits both models read: a line that reads worse alone (a short page measured wrong)
   cannot replace a fuller reading, nor can readings of one model that agree on a wrong digit.

The line kept has the slashes of its letter number put back where OCR read them as alef, as it
does where a font draws «/» upright («۲۳۰ اف» → «۲۳۰/ف»).

Nothing here knows a font or a document: a reading is only ever replaced by another reading of the
same line.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

import jdatetime

from indexer.metadata import parse_date

# a line that gives a date or a number: the label as a word of its own («صورتجلسه» is no «جلسه»);
# OCR often takes the dot of «خ» for that of «ذ», «ح» or «ج»
_DATE_WORD = r"(?:تاری[خذحج]|مورخه?)"
_LABEL = re.compile(rf"(?<![\w\u200c])(?:{_DATE_WORD}|شماره|جلسه|ش)(?![\w\u200c])")
_DATE_LABEL = re.compile(rf"(?<![\w\u200c]){_DATE_WORD}(?![\w\u200c])")
# a label at the end of its line after the digits: Tesseract set a right-to-left line left to right
_REVERSED = re.compile(rf"[0-9۰-۹٠-٩].*(?<![\w\u200c])(?:{_DATE_WORD}|شماره|جلسه|ش)\s*[:：]?[\s\u200e\u200f]*$")
_DIGITS = re.compile(r"[0-9۰-۹٠-٩]+")
# a slash between a number and its letter, read as alef where a font draws it upright: «۲۳۰ اف»
_SLASH_AS_ALEF = re.compile(r"(?<=[0-9۰-۹٠-٩])\s?ا(?=[\u0621-\u06cc][\u200e\u200f]*(?:$|\s*[/0-9۰-۹٠-٩]))")
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


def mend_slashes(reading: str) -> str:
    """The slashes of a letter number that OCR read as alef put back: «۶۱۰۲اپ» → «۶۱۰۲/پ»."""
    return _SLASH_AS_ALEF.sub("/", reading)


def digit_runs(text: str) -> list[str]:
    """The runs of digits of a text, in ASCII digits, in the order read."""
    return [run.translate(_ASCII) for run in _DIGITS.findall(text)]


def _plausible(reading: str, dated: bool, this_year: int) -> bool:
    if _REVERSED.search(reading):
        return False
    if not dated:
        return True
    found = parse_date(reading)
    return found is not None and found.year <= this_year


def _this_year() -> int:
    return jdatetime.date.today().year


def choose_reading(readings: list[str], this_year: int | None = None, models: list[int] | None = None) -> int:
    """The index of the reading to keep; ``readings[0]`` is the page's own (see the module docstring).
    ``models`` names the OCR model of each reading (the page's is 0); a date after ``this_year`` (the
    Jalali year today) cannot be a document's own."""
    year = this_year or _this_year()
    models = models or [0] * len(readings)
    dated = bool(_DATE_LABEL.search(readings[0]))
    runs = [digit_runs(r) for r in readings]
    digits = [sum(len(run) for run in found) for found in runs]
    holders = Counter(run for found in runs for run in set(found))
    agreements = [sum(holders[run] - 1 for run in found) for found in runs]
    plausible = [_plausible(r, dated, year) for r in readings]
    if plausible[0]:
        def read_by_two_models(i: int) -> bool:
            return len({models[j] for j in range(1, len(readings)) if runs[j] == runs[i]}) >= 2

        candidates = [i for i in range(1, len(readings)) if plausible[i] and digits[i] >= digits[0]
                      and agreements[i] > agreements[0] and read_by_two_models(i)]
    else:
        candidates = [i for i in range(1, len(readings)) if plausible[i]]
    if not candidates:
        return 0
    return max(candidates, key=lambda i: (agreements[i], digits[i], -i))


def settled(readings: list[str], this_year: int | None = None) -> bool:
    """True when the readings so far leave nothing to decide: the page's reading is plausible and
    every reading holds the same digits."""
    year = this_year or _this_year()
    dated = bool(_DATE_LABEL.search(readings[0]))
    return (_plausible(readings[0], dated, year)
            and len({tuple(digit_runs(r)) for r in readings}) == 1)


def look_again(text: str, tsv: str, read_again: Callable[[OcrLine], Iterable[list[str]]]) -> str:
    """The page's text with its labelled lines replaced by their best reading.

    ``read_again`` yields, for one line of the page, groups of new readings (one group per OCR
    model, the page's own first); the next group is asked for only while the readings so far are
    not :func:`settled`. The page's text lines must be those of the TSV, one for one; when they are
    not, the text is kept.
    """
    lines = read_lines(tsv)
    rows = text.split("\n")
    filled = [i for i, row in enumerate(rows) if row.strip()]
    if len(filled) != len(lines):
        return text
    this_year = _this_year()
    for line in [line for line in lines if worth_a_second_look(line)][:MAX_LINES]:
        readings, models = [rows[filled[line.index]].strip()], [0]
        for model, group in enumerate(read_again(line)):
            readings.extend(r.strip() for r in group)
            models.extend([model] * len(group))
            if settled(readings, this_year):
                break
        kept = mend_slashes(readings[choose_reading(readings, this_year, models)])
        if kept != readings[0]:
            rows[filled[line.index]] = kept
    return "\n".join(rows)


__all__ = ["OcrLine", "read_lines", "worth_a_second_look", "choose_reading", "settled", "mend_slashes",
           "look_again"]
