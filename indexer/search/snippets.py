"""Snippets: the passage of a text that best matches a query, with the matched words marked.

The text is cut from the catalog's copy (the index stores no text). Words are matched as the index
matched them: by search form, by stem, as one word gluing two query words (هیأت‌مدیره for «هیأت
مدیره»), or as two neighbouring words that glue into a query word («هیأت مدیره» for هیأتمدیره). Whole words are marked, never part of
one, so Persian letters keep their joined shapes; every piece of text is HTML-escaped before the
``<mark>`` tags are put around it.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from indexer.search import persian
from indexer.search.analysis import words_with_parts_analyzer
from indexer.search.query import QueryWord

MAX_SCAN_CHARS = 30_000   # a snippet is looked for in the beginning of very long texts only
SCAN_CHUNK_CHARS = 200    # ...a line (or this much of one) at a time, until a passage holds every
NEEDLE_CHARS = 3          # query word; a line is analyzed only if it holds the first letters of one
PATIENCE = 2              # ...or until this many pieces with matches found no window holding more words
                          # (a document lacking a query word would otherwise be read to the end)
ELLIPSIS = "…"

@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    word: int  # which query word it matches, for variety


def _words_in(text: str, analyses: persian.WordAnalyses) -> list[tuple[int, str, int, int]]:
    """(position, form, start, end) of each word form of ``text``, as indexed: a ZWNJ compound's
    parts too, so that «مدیره» marks هیأت‌مدیره."""
    analyzer = analyses.analyzers.get("snippets")
    if analyzer is None:
        analyzer = analyses.analyzers["snippets"] = words_with_parts_analyzer(analyses)
    return [(t.pos, t.text, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, mode="index")]


def find_matches(text: str, words: list[QueryWord], offset: int = 0,
                 analyses: persian.WordAnalyses = persian.PLAIN) -> list[_Span]:
    """The spans of ``text`` that the query words match, in order, not overlapping (shifted by
    ``offset`` characters); ``text`` is analyzed with ``analyses`` (the index's)."""
    forms = {f: i for i, w in enumerate(words) for f in w.forms}
    stems = {s: i for i, w in enumerate(words) for s in w.stems}
    glued = {a + b: i for i, (x, y) in enumerate(zip(words, words[1:])) for a in x.forms for b in y.forms}
    by_pos: dict[int, tuple[list[str], int, int]] = {}
    for pos, form, start, end in _words_in(text[:MAX_SCAN_CHARS], analyses):
        entry = by_pos.setdefault(pos, ([], start, end))
        entry[0].append(form)
    positions = sorted(by_pos)
    spans: list[_Span] = []
    i = 0
    while i < len(positions):
        forms_here, start, end = by_pos[positions[i]]
        hit = next((forms.get(f, glued.get(f)) for f in forms_here if f in forms or f in glued), None)
        if hit is None:
            hit = next((stems[s] for s in map(analyses.stem, forms_here) if s in stems), None)
        if hit is not None:
            spans.append(_Span(start + offset, end + offset, hit))
            i += 1
            continue
        nxt = by_pos.get(positions[i] + 1)
        split = nxt and next((forms[a + b] for a in forms_here for b in nxt[0] if a + b in forms), None)
        if split is not None:  # a query word written in two in the text
            spans.append(_Span(start + offset, nxt[2] + offset, split))
            i += 2
            continue
        i += 1
    return spans


def _pieces(text: str, limit: int):
    """(start, end) of the lines of ``text[:limit]``, long lines cut between words."""
    start = 0
    while start < limit:
        line_end = text.find("\n", start, limit)
        line_end = limit if line_end < 0 else line_end + 1
        while start < line_end:
            end = min(line_end, start + SCAN_CHUNK_CHARS)
            while end < line_end and not text[end].isspace():  # pieces end between words
                end += 1
            yield start, end
            start = end


def _snippet_spans(text: str, words: list[QueryWord], max_chars: int,
                   analyses: persian.WordAnalyses, scan_chars: int = MAX_SCAN_CHARS) -> list[_Span]:
    """The matches of the first pieces of ``text``, read until a passage of ``max_chars`` holds
    every query word (the snippet cannot get better), or ``scan_chars`` are read."""
    spans: list[_Span] = []
    if not words:
        return spans
    wanted = len(set({f: i for i, w in enumerate(words) for f in w.forms}.values()))  # a repeated word once
    # a piece without the beginning of any query word (letters folded) is not analyzed
    beginnings = {f[:NEEDLE_CHARS] for w in words for f in w.forms + w.stems if f}
    best, idle = 0, 0  # the most query words a window holds so far; pieces with matches since it grew
    for start, end in _pieces(text, min(len(text), scan_chars)):
        piece = text[start:end]
        folded = persian.scan_fold(piece)
        if not any(b in folded for b in beginnings):
            continue
        found = find_matches(piece, words, offset=start, analyses=analyses)
        if not found:
            continue
        spans += found
        first, last = _best_window(spans, max_chars)
        held = len({s.word for s in spans[first:last + 1]})
        if held >= wanted:
            break
        best, idle = (held, 0) if held > best else (best, idle + 1)
        if idle >= PATIENCE:
            break
    return spans


def _best_window(spans: list[_Span], max_chars: int) -> tuple[int, int]:
    """The run of spans within ``max_chars`` holding the most different query words."""
    best, best_range, j = (-1, -1), (0, 0), 0
    for i in range(len(spans)):
        while spans[j].start < spans[i].end - max_chars:
            j += 1
        window = spans[j:i + 1]
        score = (len({s.word for s in window}), len(window))
        if score > best:
            best, best_range = score, (j, i)
    return best_range


def _cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` back and ``end`` forward to whitespace, so no word is cut."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def make_snippet(text: str, words: list[QueryWord], max_chars: int = 240,
                 analyses: persian.WordAnalyses = persian.PLAIN) -> str:
    """An HTML snippet of ``text``: the best passage, escaped, with the matches in ``<mark>``.

    Without a match, the beginning of the text.
    """
    return snippet_with_start(text, words, max_chars, analyses)[0]


def snippet_with_start(text: str, words: list[QueryWord], max_chars: int = 240,
                       analyses: persian.WordAnalyses = persian.PLAIN,
                       scan_chars: int = MAX_SCAN_CHARS) -> tuple[str, int]:
    """:func:`make_snippet`, and where in ``text`` its first match starts (0 without a match);
    matches are looked for in the first ``scan_chars`` characters."""
    spans = _snippet_spans(text, words, max_chars, analyses, scan_chars)
    if not spans:
        start, end = _cut(text, 0, min(len(text), max_chars))
        return (escape(text[start:end].strip(), quote=False) + (f" {ELLIPSIS}" if end < len(text) else ""), 0)
    first, last = _best_window(spans, max_chars)
    chosen = spans[first:last + 1]
    room = max(0, max_chars - (chosen[-1].end - chosen[0].start))
    start, end = _cut(text, max(0, chosen[0].start - room // 2),
                      min(len(text), chosen[-1].end + room - room // 2))
    parts, at = [], start
    for span in chosen:
        parts.append(escape(text[at:span.start], quote=False))
        parts.append(f"<mark>{escape(text[span.start:span.end], quote=False)}</mark>")
        at = span.end
    parts.append(escape(text[at:end], quote=False))
    body = " ".join("".join(parts).split())
    return ((f"{ELLIPSIS} " if start > 0 else "") + body + (f" {ELLIPSIS}" if end < len(text) else ""),
            chosen[0].start)
