""""Did you mean": a better spelling of a query, from the words the index holds.

Asked only when a query finds nothing or little. Each word of the query that the index does not
hold (or holds only once) is replaced by the most frequent indexed word within one or two edits
(two for long words), when one exists; the suggestion is the query with those words replaced.
"""
from __future__ import annotations

import re

from indexer.search import query as queries

RARE_DOC_FREQUENCY = 1   # a word found in at most this many records may be a typo


def _doc_frequency(searcher, form: str) -> int:
    return searcher.doc_frequency("exact", form) + searcher.doc_frequency("shingles", form)


def _better_form(searcher, corrector, word: queries.QueryWord) -> str | None:
    form = word.text
    if word.stop or not form.isalpha() or len(form) < 3:
        return None
    frequency = _doc_frequency(searcher, form)
    if frequency > RARE_DOC_FREQUENCY:
        return None
    maxdist = 2 if len(form) >= 6 else 1
    candidates = corrector.suggest(form, limit=5, maxdist=maxdist, prefix=1)
    scored = [(searcher.doc_frequency("exact", c), c) for c in candidates if c.isalpha()]
    scored = [(f, c) for f, c in scored if f > frequency]
    return max(scored)[1] if scored else None


def suggest(searcher, text: str, analyses=None) -> str | None:
    """The query ``text`` with its unknown words replaced by known ones, or None (words analyzed with
    ``analyses``, the index's :class:`~indexer.search.persian.WordAnalyses`)."""
    parsed = queries.parse(text)
    corrector = searcher.corrector("exact")
    suggestion, changed = text, False
    for raw in dict.fromkeys(parsed.words):
        words = queries.query_words(raw, analyses) if analyses else queries.query_words(raw)
        if len(words) != 1:
            continue
        better = _better_form(searcher, corrector, words[0])
        if better is not None:
            suggestion = re.sub(rf"(?<!\S){re.escape(raw)}(?!\S)", better, suggestion)
            changed = True
    return suggestion if changed else None
