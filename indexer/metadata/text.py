"""Views of a document's text that the metadata readers share.

- :func:`prepare`: the text with one spelling per letter (ي→ی, ك→ک, ۀ→ه), every digit ASCII, ZWNJ and
  bidi controls as spaces and runs of spaces collapsed per line: what the regular expressions read.
- :class:`FoldedText`: the words folded to their search form (:func:`indexer.search.persian.search_forms`,
  hamza carriers as alef) and glued together, so that «هیأت‌مدیره», «هيئت مديره» and «هیات مدیره» are
  one string; a match maps back to the line it came from.
"""
from __future__ import annotations

from collections.abc import Mapping

import re
from bisect import bisect_right
from functools import lru_cache

from indexer.search import persian

_LETTERS = persian.CharTable(str.maketrans({
    "ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "ـ": None, "\u200c": " ", "\u200d": None,
    "\u00a0": " ", "\ufeff": None,
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{c: None for c in persian.BIDI_CONTROLS},
}))
_SPACES = re.compile(r"[ \t]+")
_WORD = re.compile(r"\S+")
_PUNCT = "،,:؛;.()«»\"'[]{}!؟?—–-|/\\*"


def prepare(text: str) -> str:
    """The text as the readers' regular expressions see it (see the module docstring)."""
    text = _LETTERS(persian.clean_text(text))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


_ARABIC_LETTERS = persian.CharTable(str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u00a0": " ",
                                                   "\ufeff": None}))


def display(text: str) -> str:
    """The text as shown to people: Persian letters for Arabic ي/ك, spaces collapsed per line; digits,
    ZWNJ and ۀ are kept as written."""
    text = _ARABIC_LETTERS(persian.clean_text(text))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def significant_lines(text: str) -> list[str]:
    """The non-empty lines of a prepared text."""
    return [line for line in text.split("\n") if line.strip()]


_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "ئ": "ا", "ؤ": "و", "ء": None, "\u0654": None})


@lru_cache(maxsize=100_000)
def fold_word(word: str) -> str:
    """One word's search form, hamza carriers folded first (هیأت, هیئت, هیات → هیات)."""
    return persian.normalize_token(word.strip(_PUNCT).translate(_HAMZA))


def fold(text: str) -> str:
    """A phrase folded and glued: spaces, ZWNJ and punctuation do not count."""
    return "".join(fold_word(w) for w in _WORD.findall(text.replace("\u200c", " ")))


class FoldedOnUse(Mapping):
    """A word list (or a word → value table) whose words are folded the first time it is read.

    Folding loads hazm: a reader's word lists are folded when it first reads, not when it is imported,
    so that a process that only searches (and imports these modules through the Library) never loads
    hazm (see :mod:`indexer.search.wordmemo`).
    """

    def __init__(self, words, folder=fold):
        self._words = words
        self._folder = folder
        self._folded: dict | None = None

    def _table(self) -> dict:
        if self._folded is None:
            pairs = self._words.items() if isinstance(self._words, Mapping) else ((w, True) for w in self._words)
            self._folded = {self._folder(word): value for word, value in pairs}
        return self._folded

    def __getitem__(self, key):
        return self._table()[key]

    def __iter__(self):
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


class FoldedText:
    """A text folded and glued, with each folded character's line number kept."""

    def __init__(self, text: str):
        parts: list[str] = []
        self._starts: list[int] = []   # offset in the glued string where each word starts
        self._lines: list[int] = []    # line number of each word
        self.word_ends: list[int] = []
        offset = 0
        for number, line in enumerate(text.split("\n")):
            for m in _WORD.finditer(line):
                folded = fold_word(m.group())
                if not folded:
                    continue
                parts.append(folded)
                self._starts.append(offset)
                self._lines.append(number)
                offset += len(folded)
                self.word_ends.append(offset)
        self.glued = "".join(parts)

    def line_of(self, offset: int) -> int:
        """The line number of the word holding the glued offset."""
        index = bisect_right(self._starts, offset) - 1
        return self._lines[max(index, 0)] if self._lines else 0

    def at_word_start(self, offset: int) -> bool:
        index = bisect_right(self._starts, offset) - 1
        return index >= 0 and self._starts[index] == offset

    def find_all(self, needle: str) -> list[int]:
        """Glued offsets where ``needle`` (already folded) starts at a word's start and ends at a
        word's end."""
        found, start = [], 0
        ends = set(self.word_ends)
        while needle:
            pos = self.glued.find(needle, start)
            if pos < 0:
                break
            if self.at_word_start(pos) and pos + len(needle) in ends:
                found.append(pos)
            start = pos + 1
        return found
