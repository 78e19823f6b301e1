"""The Persian analyzers: a regex tokenizer and a chain of small Whoosh filters.

The same analyzer runs at index and at query time. Filters keep only their settings; the hazm objects
they rely on live in :mod:`indexer.persian` and are built on first use, so pickling the schema into the
index stores no heavy state.
"""
from __future__ import annotations

from whoosh.analysis import Filter, RegexTokenizer, StemFilter

from indexer import persian

# A word: letters, digits, marks and ZWNJ/ZWJ/tatweel; joined by / - or . between digits or letters
# so that letter numbers (۱۲۳۴/ص/۹۸) and dates stay one token (their parts are added by a filter).
_WORD = r"[\w\u064b-\u065f\u0670\u200c\u200d\u0640]+"
TOKEN_PATTERN = rf"{_WORD}(?:[/\-]{_WORD})*(?:\.\d+)?"


class PersianNormalizeFilter(Filter):
    """Folds every token to its search forms with :func:`indexer.persian.search_forms`; a word with
    two forms (hamza) yields both at the same position."""

    def __call__(self, tokens):
        for t in tokens:
            for form in persian.search_forms(t.text):
                t.text = form
                yield t


class IdentifierPartsFilter(Filter):
    """After a compound identifier such as ``1234/ص/98`` or ``1398-03-11``, adds each of its parts at
    the same position, so it is found whole and by its parts."""

    def __init__(self, separators: str = "/-"):
        self.separators = separators

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if not any(sep in text for sep in self.separators):
                yield t
                continue
            yield t
            parts = [text]
            for sep in self.separators:
                parts = [p for piece in parts for p in piece.split(sep)]
            original_text = text
            for part in parts:
                if part and part != original_text:
                    t.text = part
                    t.removestops = False
                    yield t
            t.text = original_text


class AffixJoinFilter(Filter):
    """Joins a verb prefix or plural/comparative suffix typed as a separate word to its neighbour
    (می شود → میشود, سازمان ها → سازمانها), as if the ZWNJ had been typed."""

    def __init__(self, prefixes=("می", "نمی"), suffixes=("ها", "های", "هایی", "تر", "ترین")):
        self.prefixes = frozenset(prefixes)
        self.suffixes = frozenset(suffixes)

    def __call__(self, tokens):
        pending = None  # a copy of the previous token, not yet yielded
        shift = 0  # positions removed by joins so far, so that phrases still line up
        for t in tokens:
            if pending is not None:
                if pending.text in self.prefixes or t.text in self.suffixes:
                    pending.text += t.text
                    if hasattr(t, "endchar"):
                        pending.endchar = t.endchar
                    shift += 1
                    yield pending
                    pending = None
                    continue
                yield pending
            pending = t.copy()
            if hasattr(pending, "pos"):
                pending.pos -= shift
        if pending is not None:
            yield pending


def exact_analyzer():
    """Words folded to their search form, not stemmed: exact words and phrases."""
    return (RegexTokenizer(TOKEN_PATTERN) | PersianNormalizeFilter() | AffixJoinFilter()
            | IdentifierPartsFilter())


def stemming_analyzer():
    """As :func:`exact_analyzer`, then reduced to stems: inflected forms meet."""
    return exact_analyzer() | StemFilter(stemfn=persian.stem, cachesize=0)
