"""A PDF page's text layer: repaired where the fault is known, judged on measurable signals.

Text layers written by others carry faults of their producers (measured on ../shared/real-docs):

- Acrobat Distiller and iText write Arabic *presentation forms* (one code per glyph shape) with
  Arabic ي/ك; XeLaTeX's fonts do too. NFKC turns them into base letters, and ي/ك are folded to ی/ک.
- The shapes themselves say which letters join: a piece ending in an initial or medial form is
  continued by the next piece only if that one starts with a medial or final form. Distiller breaks
  words with spurious spaces («ﮐ ﻪ» for «که»): such pieces are joined. A piece that should be
  continued but is followed by an isolated or initial form lost a glyph (XeLaTeX drops «گ»:
  «ﺩﺍﻧﺸ ﺎﻩ»); those losses are counted.
- Kashida (tatweel) is dropped, and so are runs of U+FFFD that InDesign writes for it; iText maps
  kashida glyphs to «س» (اسسستاندارد), removed where the word list says so; its lam-alef loses the
  alef (اطلعات), put back the same way. These two repairs are made only on a page where they fix
  three different words or more: one unknown name is not a font's fault.
- Base-letter text broken by a space (سع ی) is joined where the joined form is a common word and
  neither piece is a word at all.

Then :func:`judge_page` says why the repaired layer must not be trusted (the page is read by OCR),
or None: too little text, letters from a pre-Unicode font (Latin-1 letters where Persian should be),
characters outside the scripts a page uses, lost glyphs, few words found in the word list, letters
glued to digits inside words, or visual (reversed) order.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from indexer.extract.lexicon import visual_order_share, word_counts, word_standing
from indexer.extract.reasons import (FEW_KNOWN_WORDS, FOREIGN_CHARACTERS, IMPOSSIBLE_SEQUENCES, LATIN1_FONT,
                                     LOST_GLYPHS, NO_TEXT_LAYER, TOO_LITTLE_TEXT, VISUAL_ORDER)

MIN_LETTERS = 40                 # fewer letters than this on a page: read the page image too
MIN_KNOWN_SHARE = 0.70           # of the Persian words, found in the word list (mojibake: under 0.5)
MIN_WORDS_TO_JUDGE = 10
MAX_LATIN1_SHARE = 0.05          # of the letters: accented Latin letters where Persian should be
MAX_FOREIGN_SHARE = 0.02         # of the characters: outside Arabic, Latin and common punctuation
MAX_LOST_GLYPHS = 0.01           # of the words: a joining shape followed by a non-joining one
MAX_IMPOSSIBLE = 0.03            # of the words: a letter sequence Persian never writes
MIN_VISUAL_SHARE = 0.5
MIN_FONT_FAULTS = 3              # different words a kashida-«س» or alef repair must fix on a page
_COMMON = 1000                   # corpus count of a word common enough to join pieces into

_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]+")
_ARABIC_RUN = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06d5\u200c]+")
_TOKEN = re.compile(r"\S+")
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u0640": None})
_REPLACEMENT = re.compile("\ufffd+")
_CONTROLS = {ord(c): None for c in "\u0640\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"}
_PERSIAN_WORD = re.compile(r"^[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u200c]+$")
# Sequences Persian never writes: a letter glued to a digit inside a word, tanwin before a letter or
# at a word's start, a separate maddah (Persian writes آ), a letter thrice.
_IMPOSSIBLE = re.compile(r"[\u0621-\u064a\u067e-\u06d3][\u0660-\u0669\u06f0-\u06f9]|"
                         r"[\u0660-\u0669\u06f0-\u06f9][\u0621-\u064a\u067e-\u06d3]|"
                         r"[\u064b-\u064d][\u0621-\u064a\u067e-\u06d3]|\u0653|"
                         r"([\u0621-\u064a\u067e-\u06d3])\1\1")
_STANDALONE = frozenset("وآا")   # single letters that are words (و) or stand for one


def _joining(char: str) -> tuple[bool, bool]:
    """(joins to the previous letter, joins to the next) for a presentation form; base letters
    and anything else count as joining nothing, since nothing is known of them."""
    name = unicodedata.name(char, "")
    if name.endswith("MEDIAL FORM"):
        return True, True
    if name.endswith("INITIAL FORM"):
        return False, True
    if name.endswith("FINAL FORM"):
        return True, False
    return False, False


@dataclass
class Repair:
    """A page's repaired text and what the repairs saw."""

    text: str
    forms: int = 0          # presentation-form characters read
    joined: int = 0         # pieces joined because their shapes join
    lost_glyphs: int = 0    # places where a joining shape was followed by a non-joining one


def _join_shapes(line: str, repair: Repair) -> str:
    """Join pieces whose glyph shapes say they are one word; count the places where a glyph is lost."""
    pieces = line.split(" ")
    out: list[str] = []
    for piece in pieces:
        if out and out[-1] and piece:
            before, after = _joining(out[-1][-1]), _joining(piece[0])
            if before[1] and after[0]:
                out[-1] += piece
                repair.joined += 1
                continue
            if before[1] and len(out[-1]) >= 2 and _FORMS.match(piece[0]) and not after[0]:
                repair.lost_glyphs += 1
        out.append(piece)
    if out and len(out[-1]) >= 2 and _joining(out[-1][-1])[1]:
        repair.lost_glyphs += 1  # a line ending in a shape that joins forward
    return " ".join(out)


def _known(word: str) -> int:
    """The word list's count for a word (−1 when it is not listed)."""
    return word_counts().get(word, -1)


def _common(word: str) -> bool:
    """A listed word, or an inflection of one, common enough to repair a reading into."""
    standing, count = word_standing(word)
    return standing > 0 and count >= _COMMON


def _fix_word(word: str) -> str:
    """Kashida read as «س» (runs, or one inside a word) and lam-alef that lost its alef, where the
    word as read is not listed and the repaired one is common."""
    if len(word) < 3 or _known(word) >= 0 or "\u200c" in word:
        return word
    if "س" in word:
        candidates = [re.sub("س{2,}", "س", word), re.sub("س{2,}", "", word)]
        spots = [m.start() for m in re.finditer("س", word)][:4]
        candidates += [word[:i] + word[i + 1:] for i in spots]
        for candidate in candidates:
            if candidate != word and _common(candidate):
                return candidate
    if "ل" in word:
        for m in re.finditer("ل(?!ا)", word):
            candidate = word[: m.end()] + "ا" + word[m.end():]
            if word_standing(candidate)[0] > 0:  # the word list's counts of some common words are 0
                return candidate
    return word


def _join_by_lexicon(line: str) -> str:
    """Join two pieces neither of which is a word when together they make a common one."""
    tokens = line.split(" ")
    out: list[str] = []
    for token in tokens:
        if out and _PERSIAN_WORD.match(out[-1] or "-") and _PERSIAN_WORD.match(token or "-"):
            left, joined = out[-1], out[-1] + token
            short = min(len(left), len(token)) <= 2
            if (short and _known(left) < 1 and _known(token) < 1 and left not in _STANDALONE
                    and token not in _STANDALONE and _known(joined) >= _COMMON):
                out[-1] = joined
                continue
        out.append(token)
    return " ".join(out)


def drop_kashida(text: str) -> str:
    """Kashida and the U+FFFD runs written for it removed: before the lam-alef repair, which must see
    «سال», not «س��ال»."""
    return _REPLACEMENT.sub("", text.replace("\u0640", ""))


def repair_text_layer(text: str) -> Repair:
    """The page's text with the known faults of others' producers repaired (module docstring)."""
    repair = Repair(text)
    repair.forms = sum(len(m.group()) for m in _FORMS.finditer(text))
    text = _REPLACEMENT.sub("", text.translate(_CONTROLS))
    if repair.forms:
        text = "\n".join(_join_shapes(line, repair) for line in text.split("\n"))
        text = _FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = text.translate(_FOLD)
    fixes = {w: _fix_word(w) for w in set(_ARABIC_RUN.findall(text))}
    fixes = {w: f for w, f in fixes.items() if f != w}
    if len(fixes) >= MIN_FONT_FAULTS:  # a font that does this does it all over the page
        text = _ARABIC_RUN.sub(lambda m: fixes.get(m.group(), m.group()), text)
    repair.text = "\n".join(_join_by_lexicon(line) for line in text.split("\n"))
    return repair


def _foreign(char: str) -> bool:
    """A character no Persian or English page of ours shows as text."""
    code = ord(char)
    return not (code < 0x80 or 0x0600 <= code <= 0x06FF or 0x2000 <= code <= 0x206F
                or code in (0xA0, 0xAB, 0xBB, 0xB0, 0xD7, 0xF7, 0xAD, 0xA9, 0xAE, 0xB7)
                or char.isspace() or unicodedata.category(char) in ("Sm", "So", "Pd", "Ps", "Pe"))


def _latin1_letter(char: str) -> bool:
    return 0xC0 <= ord(char) <= 0x24F and char.isalpha()


def known_share(text: str) -> tuple[float, int]:
    """The share of Persian words (of 3 letters or more) the word list knows, and how many were judged."""
    counts = word_counts()
    words = [w for w in _ARABIC_RUN.findall(text) if len(w.replace("\u200c", "")) >= 3]
    if not words:
        return 1.0, 0
    known = 0
    for word in words:
        parts = [p for p in word.split("\u200c") if p]
        if all(p in counts or (len(p) > 3 and (p[:-1] in counts or p[:-2] in counts)) for p in parts):
            known += 1
    return known / len(words), len(words)


def judge_page(repair: Repair) -> str | None:
    """Why this page's repaired text layer is not to be trusted, or None when it is (the reasons are
    named in :mod:`indexer.extract.reasons`)."""
    text = repair.text
    # each distinct character judged once, counted as often as it occurs (a page has thousands of
    # characters and a hundred distinct ones: a Python test per character cost 1.4 ms a page)
    chars = Counter(text)
    letters = sum(n for c, n in chars.items() if c.isalpha())
    if not letters:
        return NO_TEXT_LAYER
    if letters < MIN_LETTERS:
        return TOO_LITTLE_TEXT
    latin1 = sum(n for c, n in chars.items() if _latin1_letter(c)) / letters
    if latin1 > MAX_LATIN1_SHARE:
        return f"{LATIN1_FONT} ({latin1:.0%} of letters): a pre-Unicode font"
    visible = sum(n for c, n in chars.items() if not c.isspace())
    foreign = sum(n for c, n in chars.items() if not c.isspace() and _foreign(c)) / visible
    if foreign > MAX_FOREIGN_SHARE:
        return f"{FOREIGN_CHARACTERS} ({foreign:.0%})"
    tokens = _TOKEN.findall(text)
    words = len(tokens)
    if repair.lost_glyphs > MAX_LOST_GLYPHS * max(words, 1) and repair.lost_glyphs >= 2:
        return f"{LOST_GLYPHS} ({repair.lost_glyphs} places)"
    odd = sum(1 for w in tokens if _IMPOSSIBLE.search(w))
    if odd > MAX_IMPOSSIBLE * words and odd >= 3:
        return f"{IMPOSSIBLE_SEQUENCES} (in {odd} words)"
    order = visual_order_share(text)
    if order is not None and order >= MIN_VISUAL_SHARE:
        return VISUAL_ORDER
    share, judged = known_share(text)
    if judged >= MIN_WORDS_TO_JUDGE and share < MIN_KNOWN_SHARE:
        return f"{FEW_KNOWN_WORDS} ({share:.0%} of {judged})"
    return None


__all__ = ["Repair", "drop_kashida", "repair_text_layer", "judge_page", "known_share", "MIN_LETTERS"]
