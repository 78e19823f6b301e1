"""Judging extracted Persian text with a word list: the lam-alef repair and the visual-order test.

The word list (with frequencies) is hazm's; it is loaded once per process, lazily, because it costs
about two seconds the first time (the extraction worker's server process loads it before forking its
children; it is then kept folded on disk, :mod:`indexer.tablecache`).

- pdftotext and pypdfium2 read the lam-alef ligature backwards in many fonts (اسلامی→اسالمی,
  لازم→الزم). A word holding «ال» is swapped back to «لا» when the swapped word is common and the
  word as read is unknown or a hundred times rarer; سلام/سالم, both common, stay as they are.
- Text in visual order (each word reversed) is recognised by how many of its words are known only
  reversed: measured ≤ 0.06 on logical text and ≥ 0.94 on visual text, so 0.5 separates them.
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

from indexer.search import hazmparts
from indexer.tablecache import cached_table, version_of

_PIECE = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06d5]+")
_LOOKUP_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ـ": None,
                              **{chr(c): None for c in range(0x064B, 0x0653)}})
_SUFFIXES = ("هایی", "های", "ها", "ای", "ی", "ات", "ان", "ش", "م", "ت", "ند")
_LIGATURE_SWAP_RATIO = 100
_MIN_WORDS_FOR_ORDER = 8


@lru_cache(maxsize=1)
def word_counts() -> dict[str, int]:
    """hazm's Persian word list as {word: corpus count} (derived once per machine: :mod:`indexer.tablecache`)."""
    return cached_table("word-counts", version_of(__file__), _count_words)


def _count_words() -> dict[str, int]:
    hazm = hazmparts.load()

    counts: dict[str, int] = {}
    for word, count, _tags in hazm.words_list():
        word = word.translate(_LOOKUP_FOLD)
        counts[word] = max(count, counts.get(word, 0))
    return counts


def _standing(word: str) -> tuple[int, int]:
    """(2, count) for a listed word, (1, count of its stem) for an inflection of one, else (0, 0)."""
    counts = word_counts()
    if word in counts:
        return 2, counts[word]
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and stem in counts:
            return 1, counts[stem]
    return 0, 0


def word_standing(word: str) -> tuple[int, int]:
    """(2, count) for a listed word, (1, count of its stem) for an inflection of one, else (0, 0);
    Arabic ي/ك and tatweel are folded first."""
    return _standing(word.translate(_LOOKUP_FOLD))


def _better(candidate: tuple[int, int], current: tuple[int, int]) -> bool:
    """A listed word beats an inflection beats an unknown; between equals, a 100 times commoner one."""
    if candidate[0] != current[0]:
        return candidate[0] > current[0]
    return candidate[0] > 0 and candidate[1] >= _LIGATURE_SWAP_RATIO * max(current[1], 1)


def _is_known(word: str) -> bool:
    return word.translate(_LOOKUP_FOLD) in word_counts()


def _repair_piece(piece: str) -> str:
    if "ال" not in piece:
        return piece
    folded = piece.translate(_LOOKUP_FOLD)
    if len(folded) != len(piece):
        return piece
    best, standing = piece, _standing(folded)
    spots = [m.start() for m in re.finditer("ال", folded)][:4]
    for size in range(1, len(spots) + 1):
        for chosen in itertools.combinations(spots, size):
            chars = list(piece)
            for i in chosen:
                chars[i], chars[i + 1] = "ل", "ا"
            candidate = "".join(chars)
            candidate_standing = _standing(candidate.translate(_LOOKUP_FOLD))
            if _better(candidate_standing, standing):
                best, standing = candidate, candidate_standing
    return best


def repair_lam_alef(text: str) -> str:
    """Swap reversed lam-alef ligatures («ال» read for «لا») back where the word list says so."""
    return _PIECE.sub(lambda m: _repair_piece(m.group(0)), text)


def visual_order_share(text: str) -> float | None:
    """Among words known one way only, the share known only reversed; None when too few to judge."""
    forward = backward = 0
    for piece in _PIECE.findall(text):
        if len(piece) < 3:
            continue
        ahead, reverse = _is_known(piece), _is_known(piece[::-1])
        if ahead and not reverse:
            forward += 1
        elif reverse and not ahead:
            backward += 1
    if forward + backward < _MIN_WORDS_FOR_ORDER:
        return None
    return backward / (forward + backward)


def presentation_form_share(text: str) -> float:
    """The share of Arabic-script letters written as presentation forms (legacy "reshaped" text)."""
    forms = sum(1 for c in text if "\ufb50" <= c <= "\ufdff" or "\ufe70" <= c <= "\ufefc")
    letters = forms + sum(1 for c in text if "\u0600" <= c <= "\u06ff")
    return forms / letters if letters else 0.0


__all__ = ["word_counts", "word_standing", "repair_lam_alef", "visual_order_share", "presentation_form_share"]
