"""Marks the searched words in a document's text, for a reader arriving from a search (?q=).

The words are matched as the index matched them (:func:`indexer.search.snippets.find_matches`: by search
form, by stem, and a word written glued or in two), so a search for «اتوبوس‌ها» marks «اتوبوس» and
«هیأت مدیره» marks «هیأت‌مدیره». The text is HTML-escaped here; only the ``<mark>`` tags are ours.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from indexer import QueryError
from indexer.search import build_query, find_matches


def query_words(q: str, analyses=None) -> list:
    """The content words of a query, quoted ones included (function words and exclusions aside); none
    for a bad query. ``analyses``: the Library's (``Library.analyses``), as its index analyzes."""
    if not (q or "").strip():
        return []
    try:
        built = build_query(q, analyses=analyses) if analyses else build_query(q)
    except QueryError:
        return []
    return [w for w in built.marked if not w.stop]


def mark_text(text: str, words: list, analyses=None) -> Markup:
    """``text`` escaped, with each match of ``words`` inside <mark> (``analyses`` as for query_words)."""
    if not words or not text:
        return escape(text)
    parts, at = [], 0
    for span in (find_matches(text, words, analyses=analyses) if analyses else find_matches(text, words)):
        parts.append(escape(text[at:span.start]))
        parts.append(Markup("<mark>") + escape(text[span.start:span.end]) + Markup("</mark>"))
        at = span.end
    parts.append(escape(text[at:]))
    return Markup("").join(parts)


def first_marked_page(pages: list[Markup]) -> int:
    """The 1-based number of the first page with a mark, else 1."""
    for number, html in enumerate(pages, start=1):
        if "<mark>" in html:
            return number
    return 1
