"""The query language managers type, turned into Whoosh queries.

Syntax: plain words (all must appear; when none match together, any may); ``"a quoted phrase"``;
``-word`` to exclude; ``prefix*``; filters ``kind:minutes``, ``org:پسماند``, ``year:1398``.
Every word goes through the same analyzers as the index, so orthography meets orthography.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from whoosh import query as Q

from indexer import persian
from indexer.analysis import exact_analyzer, stemming_analyzer
from indexer.errors import QueryError

_SYNTAX = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<field>[a-z]+):(?P<value>"[^"]*"|\S+)'
                     r'|(?P<word>[^\s"]+))')
FILTER_FIELDS = {"kind", "org", "year", "type"}
KIND_NAMES = {
    "minutes": "minutes", "صورتجلسه": "minutes", "resolution": "resolution", "مصوبه": "resolution",
    "letter": "letter", "نامه": "letter", "chart": "chart", "چارت": "chart", "report": "report",
    "گزارش": "report", "other": "other", "سایر": "other",
}

_stemmed = None
_exact = None


def _analyzers():
    global _stemmed, _exact
    if _stemmed is None:
        _stemmed, _exact = stemming_analyzer(), exact_analyzer()
    return _stemmed, _exact


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)       # free text, as typed
    phrases: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.prefixes)


def parse(text: str) -> ParsedQuery:
    """Split what the user typed into its parts. Never raises on odd input."""
    parsed = ParsedQuery()
    for m in _SYNTAX.finditer(text or ""):
        neg = bool(m.group("neg"))
        if m.group("phrase") is not None:
            phrase = m.group("phrase").strip()
            if phrase:
                (parsed.excluded if neg else parsed.phrases).append(phrase)
        elif m.group("field") and m.group("field") in FILTER_FIELDS:
            value = m.group("value").strip('"')
            parsed.filters.setdefault(m.group("field"), []).append(value)
        else:
            word = m.group("word") or m.group(0).lstrip("-")
            if neg:
                parsed.excluded.append(word)
            elif word.endswith("*") and len(word.rstrip("*")) >= 2:
                parsed.prefixes.append(word.rstrip("*"))
            else:
                word = word.strip("*")
                if word:
                    parsed.words.append(word)
    return parsed


def _positions(analyzer, text: str) -> list[list[str]]:
    """The analyzed forms of ``text`` grouped by position."""
    tokens = [(t.pos, t.text) for t in analyzer(text, positions=True, mode="query")]
    return [sorted({text for _, text in group}) for _, group in groupby(tokens, key=lambda x: x[0])]


def _any_term(fieldname: str, forms: list[str], boost: float = 1.0) -> Q.Query:
    terms = [Q.Term(fieldname, f, boost=boost) for f in forms]
    return terms[0] if len(terms) == 1 else Q.Or(terms)


def _word_query(stemmed_forms: list[str], exact_forms: list[str]) -> Q.Query:
    return Q.Or([_any_term("title", stemmed_forms, 2.0), _any_term("content", stemmed_forms),
                 _any_term("exact", exact_forms, 1.5)])


def _phrase_query(text: str) -> Q.Query | None:
    stemmed, exact = _analyzers()
    groups = _positions(exact, text)
    if not groups:
        return None
    if len(groups) == 1:
        return _any_term("exact", groups[0])
    if all(len(g) == 1 for g in groups):
        return Q.Phrase("exact", [g[0] for g in groups])
    return Q.Sequence([_any_term("exact", g) for g in groups])


def _words_queries(text: str) -> list[Q.Query]:
    """One clause per word; two neighbouring words may also match as one glued word, since a space
    typed for a ZWNJ (هیأت مدیره) must find هیأت‌مدیره, whose search form is glued."""
    stemmed, exact = _analyzers()
    s_groups = _positions(stemmed, text)
    e_groups = _positions(exact, text)
    if len(s_groups) != len(e_groups):
        e_groups = s_groups
    singles = [_word_query(s, e) for s, e in zip(s_groups, e_groups)]
    clauses, i = [], 0
    while i < len(singles):
        if i + 1 < len(singles):
            glued = sorted({a + b for a in e_groups[i] for b in e_groups[i + 1]})
            glued_stems = sorted({persian.stem(g) for g in glued})
            clauses.append(Q.Or([Q.And([singles[i], singles[i + 1]]),
                                 _word_query(glued_stems, glued)]))
            i += 2
        else:
            clauses.append(singles[i])
            i += 1
    return clauses


def _filter_query(name: str, values: list[str]) -> Q.Query:
    alternatives = []
    for value in values:
        if name in ("kind", "type"):
            kind = KIND_NAMES.get(value.lower(), KIND_NAMES.get(persian.normalize_token(value)))
            if kind is None:
                raise QueryError(f"unknown kind {value!r}", f"نوع سند «{value}» شناخته نیست.")
            alternatives.append(Q.Term("kind", kind))
        elif name == "year":
            year = persian.digits_to_ascii(value)
            if not year.isdigit():
                raise QueryError(f"year must be a number: {value!r}", f"سال باید عدد باشد: «{value}»")
            alternatives.append(Q.Term("year", str(int(year))))
        elif name == "org":
            forms = [g for group in _positions(_analyzers()[1], value) for g in group]
            if forms:
                alternatives.append(Q.And([Q.Term("org_terms", f) for f in forms]))
    if not alternatives:
        return Q.NullQuery
    return alternatives[0] if len(alternatives) == 1 else Q.Or(alternatives)


@dataclass
class BuiltQuery:
    strict: Q.Query          # every word must match
    loose: Q.Query | None    # any word may match; used when strict finds nothing
    filter: Q.Query | None
    text: str


def build(text: str) -> BuiltQuery:
    """Build the Whoosh queries for what the user typed.

    :raises QueryError: for an empty query or a filter with an impossible value.
    """
    parsed = parse(text)
    filters = [_filter_query(name, values) for name, values in parsed.filters.items()]
    required: list[Q.Query] = []
    words = _words_queries(" ".join(parsed.words)) if parsed.words else []
    for phrase in parsed.phrases:
        q = _phrase_query(phrase)
        if q is not None:
            required.append(q)
    for prefix in parsed.prefixes:
        form = persian.normalize_token(prefix)
        if form:
            required.append(Q.Or([Q.Prefix("exact", form), Q.Prefix("title", form)]))
    if not words and not required and not filters:
        raise QueryError("empty query", "عبارتی برای جست‌وجو وارد نشده است.")
    excluded = []
    for item in parsed.excluded:
        excluded.extend(_words_queries(item))
    strict: Q.Query = Q.And(words + required) if (words or required) else Q.Every()
    loose = Q.And([Q.Or(words)] + required) if len(words) > 1 else None
    if excluded:
        strict = Q.AndNot(strict, Q.Or(excluded))
        loose = Q.AndNot(loose, Q.Or(excluded)) if loose is not None else None
    flt = Q.And(filters) if len(filters) > 1 else (filters[0] if filters else None)
    return BuiltQuery(strict=strict, loose=loose, filter=flt, text=text)
