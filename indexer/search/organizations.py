"""The configured organizations a search query names, by name or alias, however it is typed.

«سازمان فاوا», «سازمان آتشنشانی», «سازمان آتش‌نشانی» and «سازمان آتش نشانی» name theirs: the query and
the names are compared as their words glued, each word's letters folded as the search forms fold them
(:func:`persian.scan_fold`: ي/ی, ک/ك, ۀ, هیأت/هیئت, digits; spaces and ZWNJ do not count). That folding
needs no hazm, so a search of indexed words still loads nothing but the index's word memo.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.search import persian

_WORD = re.compile(r"\S+")
_PUNCT = "،,:؛;.()«»\"'[]{}!؟?—–-|/\\*"


class OrganizationNames:
    """Finds the configured organizations named in query texts; one per archive (config)."""

    def __init__(self, organizations: Iterable[tuple[str, Iterable[str]]]):
        self._spellings = [(name, (name, *aliases)) for name, aliases in organizations]
        self._needles: list[tuple[str, str]] | None = None  # (glued search forms, name), longest first

    def _words(self, text: str) -> list[tuple[str, str]]:
        """(word as typed, its search form) of each word that does not fold away."""
        words = [(m.group(), persian.scan_fold(m.group().strip(_PUNCT)).replace("\u200c", ""))
                 for m in _WORD.finditer(text)]
        return [(word, form) for word, form in words if form]

    def needles(self) -> list[tuple[str, str]]:
        if self._needles is None:
            needles = {("".join(f for _, f in self._words(s)), name)
                       for name, spellings in self._spellings for s in spellings}
            self._needles = sorted((n for n in needles if n[0]), key=lambda item: -len(item[0]))
        return self._needles

    def named(self, text: str) -> tuple[tuple[str, str], ...]:
        """Each organization ``text`` names, as (configured name, the words of ``text`` naming it), in
        text order; the longest name wins where two overlap."""
        if not self._spellings or not text.strip():
            return ()
        words = self._words(text)
        starts, ends, offset = [], [], 0
        for _, form in words:
            starts.append(offset)
            offset += len(form)
            ends.append(offset)
        glued = "".join(form for _, form in words)
        taken: list[tuple[int, int, str]] = []
        for needle, name in self.needles():
            at = glued.find(needle)
            while at >= 0:
                end = at + len(needle)
                if at in starts and end in ends and not any(at < e and s < end for s, e, _ in taken):
                    taken.append((at, end, name))
                at = glued.find(needle, at + 1)
        return tuple((name, " ".join(w for (w, _), s in zip(words, starts) if at <= s < end))
                     for at, end, name in sorted(taken))


__all__ = ["OrganizationNames"]
