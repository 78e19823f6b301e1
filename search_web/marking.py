"""Marks the searched words in a document's text, for a reader arriving from a search (?q=).

The words are found the way the index finds them: through the stemming analyzer, so a search for
«اتوبوس‌ها» marks «اتوبوس» and Arabic ي/ك meet Persian ی/ک. The text is HTML-escaped here.
"""
from __future__ import annotations

from markupsafe import Markup, escape
from whoosh import highlight

from indexer import query as queries
from indexer.analysis import stemming_analyzer

_analyzer = None


def _stemmer():
    global _analyzer
    if _analyzer is None:
        _analyzer = stemming_analyzer()
    return _analyzer


def query_terms(q: str) -> frozenset[str]:
    """The analyzed forms of the words, phrases and prefixes of a query (not of its exclusions)."""
    parsed = queries.parse(q or "")
    text = " ".join(parsed.words + parsed.phrases + parsed.prefixes)
    if not text.strip():
        return frozenset()
    return frozenset(t.text for t in _stemmer()(text, mode="query"))


def mark_text(text: str, terms: frozenset[str]) -> Markup:
    """``text`` escaped, with each word whose form is in ``terms`` inside <mark>."""
    if not terms or not text:
        return escape(text)
    marked = highlight.highlight(
        text, terms, _stemmer(), highlight.WholeFragmenter(charlimit=None),
        highlight.HtmlFormatter(tagname="mark", between=""), top=1, minscore=1)
    return Markup(marked) if marked else escape(text)  # the formatter escaped the text


def first_marked_page(pages: list[Markup]) -> int:
    """The 1-based number of the first page with a mark, else 1."""
    for number, html in enumerate(pages, start=1):
        if "<mark" in html:
            return number
    return 1
