"""Suggestions while a manager types: organization names and aliases, document and resolution titles,
and the index's own words, all matched on the same folded letters as search.

Names and titles are matched glued and folded (:func:`fold_glued`): Arabic ي/ك or Persian ی/ک,
hamza spellings, ZWNJ, a space or nothing between words all meet, so «سازمان حمل», «سازمان حمل» typed
with Arabic letters and «سازمانحمل» each find «سازمان حمل و نقل همگانی». A typed prefix matches at the
beginning of any word of a name or document title, and at the beginning of a resolution title
(«مصوبه ۲ جلسه ۲۷ …»: the rest repeats its minutes' title).

:class:`TitleList` keeps every title folded in one string, so a prefix is looked up by ``str.find``
(C speed) instead of a loop over the titles in Python; the library rebuilds it when the index changes.
Words come from the search engine's term list (:meth:`indexer.search.index.SearchIndex.suggest_words`).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from indexer.search import persian

LIMIT = 8                 # suggestions answered at most
MIN_PREFIX = 2            # folded characters typed before anything is suggested
SCAN_LIMIT = 500          # occurrences of a prefix looked at in the titles, at most
KINDS = ("organization", "title", "word")
_HAMZA_AS_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "ؤ": "ا", "ئ": "ا", "ء": None, "ٔ": None})
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Suggestion:
    """One suggestion: what to put in the box, of which kind, and where it leads (a document for a
    title, an anchor for a resolution, an organization's filter for an organization)."""

    text: str
    kind: str                       # "organization" | "title" | "word"
    doc_id: str | None = None
    anchor: str | None = None
    organization: str | None = None


def fold_words(text: str) -> list[str]:
    """The words of ``text`` folded as search folds letters (no hazm: cheap for every keystroke)."""
    folded = persian.scan_fold(unicodedata.normalize("NFKC", text or "").translate(_HAMZA_AS_ALEF))
    return _WORD.findall(folded)


def fold_glued(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` folded with its words glued, and where each word starts in the glued string."""
    starts, at = [], 0
    words = fold_words(text)
    for word in words:
        starts.append(at)
        at += len(word)
    return "".join(words), tuple(starts)


@dataclass(frozen=True)
class TitleEntry:
    text: str
    doc_id: str
    anchor: str | None = None   # a resolution's anchor: matched only at its beginning


class TitleList:
    """Every title folded and glued into one string, newest first, for prefix look-ups; a title
    shared by several documents is kept once, for the newest."""

    def __init__(self, entries: Iterable[TitleEntry]):
        self.entries: list[TitleEntry] = []
        self._offsets: list[int] = []
        self._starts: list[frozenset[int]] = []
        parts, at, seen = [], 0, set()
        for entry in entries:
            if entry.text in seen:  # many documents share a title: the newest one stands for them
                continue
            seen.add(entry.text)
            glued, starts = fold_glued(entry.text)
            if not glued:
                continue
            self.entries.append(entry)
            self._offsets.append(at)
            self._starts.append(frozenset(starts if entry.anchor is None else (0,)))
            parts.append(glued)
            at += len(glued) + 1
        self._text = "\n".join(parts)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, prefix: str, limit: int) -> list[TitleEntry]:
        """Up to ``limit`` entries of different text that ``prefix`` (folded, glued) begins a word
        of; those it begins first, then the newest."""
        if not prefix:
            return []
        first, inner = [], []
        at, looked = self._text.find(prefix), 0
        while at >= 0 and looked < SCAN_LIMIT and len(first) < limit:
            looked += 1
            i = bisect_right(self._offsets, at) - 1
            relative = at - self._offsets[i]
            entry = self.entries[i]
            if relative in self._starts[i]:
                (first if relative == 0 else inner).append(entry)
            at = self._text.find(prefix, at + 1)
        return (first + inner)[:limit]


@lru_cache(maxsize=4)
def _folded_organizations(organizations: tuple) -> tuple[tuple[str, tuple[tuple[str, tuple[int, ...]], ...]], ...]:
    """Each organization's name with its spellings (name and aliases) folded and glued."""
    return tuple((org.name, tuple(fold_glued(s) for s in (org.name, *org.aliases))) for org in organizations)


def match_organizations(organizations: tuple, prefix: str, limit: int) -> list[Suggestion]:
    """Organizations whose name or an alias has a word that ``prefix`` (folded, glued) begins; the
    name is suggested, whichever spelling matched."""
    found = []
    for name, spellings in _folded_organizations(tuple(organizations)):
        best = min((start for glued, starts in spellings for start in starts
                    if glued.startswith(prefix, start)), default=None)
        if best is not None:
            found.append((best, name))
    found.sort(key=lambda bn: bn[0] != 0)
    return [Suggestion(name, "organization", organization=name) for _, name in found[:limit]]


def merge(groups: dict[str, list[Suggestion]], limit: int = LIMIT) -> list[Suggestion]:
    """At most ``limit`` suggestions: a fair share of each kind in :data:`KINDS` order, the room a
    kind leaves given to the next ones."""
    share = max(1, limit // len(KINDS))
    chosen: list[Suggestion] = []
    for kind in KINDS:
        chosen += groups.get(kind, [])[:share]
    for kind in KINDS:
        for item in groups.get(kind, [])[share:]:
            if len(chosen) >= limit:
                break
            chosen.append(item)
    seen, result = set(), []
    for item in sorted(chosen, key=lambda s: KINDS.index(s.kind)):
        if item.text not in seen:
            seen.add(item.text)
            result.append(item)
    return result[:limit]
