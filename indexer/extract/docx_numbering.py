"""List labels of a Word document («مصوبه ۱»، «الف)»، «3.»), which are not text in DOCX at all.

Word stores a list's label as a pattern per level (``w:lvlText`` such as «مصوبه %1:») in
numbering.xml and counts the paragraphs that use it; this class replays that count in document
order. Bullets carry no numbering and give no label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ABJAD = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
_ALPHA = "أبتثجحخدذرزسشصضطظعغفقكلمنهوي"
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str
    text: str


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int, alphabet: str) -> str:
    return alphabet[(n - 1) % len(alphabet)] * ((n - 1) // len(alphabet) + 1)


def format_number(n: int, fmt: str, persian: bool) -> str:
    """A counter in the list's number format; ``persian`` turns decimal digits into Persian ones."""
    if fmt == "hindiNumbers":
        return str(n).translate(_ARABIC_DIGITS)
    if fmt == "arabicAbjad":
        return _letters(n, _ABJAD)
    if fmt == "arabicAlpha":
        return _letters(n, _ALPHA)
    if fmt == "lowerLetter":
        return _letters(n, "abcdefghijklmnopqrstuvwxyz")
    if fmt == "upperLetter":
        return _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    text = f"{n:02d}" if fmt == "decimalZero" else str(n)
    return text.translate(_PERSIAN_DIGITS) if persian else text


def _val(element, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(w("val")) if found is not None else None


class Numbering:
    """Replays Word's list counters; :meth:`label` is called for each paragraph in reading order."""

    def __init__(self, numbering=None, styles=None):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.style_numbering: dict[str, tuple[str | None, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root) -> None:
        for abstract in root.iter(w("abstractNum")):
            levels = {}
            for lvl in abstract.iter(w("lvl")):
                levels[int(lvl.get(w("ilvl"), "0"))] = Level(
                    int(_val(lvl, w("start")) or 1), _val(lvl, w("numFmt")) or "decimal",
                    _val(lvl, w("lvlText")) or "")
            self.abstract[abstract.get(w("abstractNumId"), "")] = levels
        for num in root.iter(w("num")):
            starts = {}
            for override in num.iter(w("lvlOverride")):
                start = _val(override, w("startOverride"))
                if start is not None:
                    starts[int(override.get(w("ilvl"), "0"))] = int(start)
            self.nums[num.get(w("numId"), "")] = (_val(num, w("abstractNumId")) or "", starts)

    def _read_styles(self, root) -> None:
        based_on, own = {}, {}
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"), "")
            based_on[sid] = _val(style, w("basedOn"))
            num_pr = style.find(f"{w('pPr')}/{w('numPr')}")
            if num_pr is not None:
                own[sid] = (_val(num_pr, w("numId")), int(_val(num_pr, w("ilvl")) or 0))
        for sid in based_on:
            seen, current = set(), sid
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based_on.get(current)
            if current in own:
                self.style_numbering[sid] = own[current]

    def _num_of(self, p) -> tuple[str | None, int]:
        ppr = p.find(w("pPr"))
        if ppr is None:
            return None, 0
        style_num, style_level = self.style_numbering.get(_val(ppr, w("pStyle")) or "", (None, 0))
        num_pr = ppr.find(w("numPr"))
        if num_pr is None:
            return style_num, style_level
        level = _val(num_pr, w("ilvl"))
        return _val(num_pr, w("numId")) or style_num, int(level) if level is not None else style_level

    def label(self, p, rtl: bool) -> str | None:
        """The label Word shows before paragraph ``p``, or None; advances the list's counter."""
        num_id, level = self._num_of(p)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        abstract_id, starts = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        this = levels.get(level)
        if this is None or this.fmt in ("bullet", "none"):
            return None
        counters = self.counters.setdefault(num_id, {})
        start = starts.get(level, this.start)
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        persian = rtl or bool(_ARABIC_LETTER.search(this.text))

        def value(match: re.Match) -> str:
            n = int(match.group(1)) - 1
            lvl = levels.get(n, Level(1, "decimal", ""))
            return format_number(counters.get(n, starts.get(n, lvl.start)), lvl.fmt, persian)

        return re.sub(r"%([1-9])", value, this.text).strip() or None


__all__ = ["Numbering", "format_number"]
