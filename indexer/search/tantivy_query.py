"""Bayegan's queries, as :mod:`indexer.query` builds them, turned into Tantivy queries.

The query language is parsed and analyzed once, by our own code, into a small tree of Whoosh query
objects (terms, Or, And, AndNot, word sequences, fuzzy and prefix terms, a date range, the all-words
bonus). That tree is the engine-neutral form of a query: Whoosh runs it as it is, and this module
rewrites it node by node for Tantivy, keeping every boost. Tantivy scores each field with BM25, so a
Whoosh field boost (the title's 3, a term-frequency multiplier there) becomes a score multiplier.
"""
from __future__ import annotations

import re
from itertools import islice, product

import tantivy
from whoosh import query as Q

from indexer.query import BonusQuery

# Whoosh multiplies the title's term frequencies by 3 (schema ``field_boost``); under BM25 with
# K1 = 2 that raises a title word's score about 1.8 times, which is the multiplier used here.
FIELD_BOOSTS = {"title": 1.8}
POSITIONS = {"title", "content", "exact"}       # fields indexed with positions
MAX_PHRASE_VARIANTS = 16                       # spellings of a phrase tried word by word, at most


def date_number(value: str) -> int | None:
    """A Jalali ``YYYY-MM-DD`` as the integer YYYYMMDD the date range and sort use."""
    digits = value.replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else None


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


def _term(schema, fieldname: str, text: str) -> tantivy.Query:
    option = "freq" if fieldname in POSITIONS or fieldname == "shingles" else "basic"
    return tantivy.Query.term_query(schema, fieldname, text, index_option=option)


def _boolean(occur, queries: list[tantivy.Query]) -> tantivy.Query:
    if not queries:
        return tantivy.Query.empty_query()
    if len(queries) == 1 and occur is not tantivy.Occur.MustNot:
        return queries[0]
    return tantivy.Query.boolean_query([(occur, q) for q in queries])


def _sequence_words(sub: Q.Query) -> list[str]:
    """The spellings one position of a phrase allows (an exact term or an Or of them)."""
    if isinstance(sub, Q.Term):
        return [sub.text]
    if isinstance(sub, Q.Or) and all(isinstance(s, Q.Term) for s in sub.subqueries):
        return [s.text for s in sub.subqueries]
    raise TypeError(f"cannot run {sub!r} inside a phrase on Tantivy")


def translate(schema, query: Q.Query) -> tantivy.Query:
    """The Tantivy query for one node of Bayegan's query tree (and everything under it).

    :raises TypeError: for a kind of query Bayegan's builder does not make.
    """
    boost = getattr(query, "boost", 1.0)
    if isinstance(query, BonusQuery):
        return tantivy.Query.const_score_query(translate(schema, query.child), query.score)
    if isinstance(query, Q.Term):
        return _boosted(_term(schema, query.fieldname, query.text),
                        boost * FIELD_BOOSTS.get(query.fieldname, 1.0))
    if isinstance(query, Q.Or):
        return _boosted(_boolean(tantivy.Occur.Should, [translate(schema, s) for s in query.subqueries]), boost)
    if isinstance(query, Q.And):
        return _boosted(_boolean(tantivy.Occur.Must, [translate(schema, s) for s in query.subqueries]), boost)
    if isinstance(query, Q.AndNot):
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, translate(schema, query.a)),
                                            (tantivy.Occur.MustNot, translate(schema, query.b))])
    if isinstance(query, Q.Sequence):
        positions = [_sequence_words(s) for s in query.subqueries]
        phrases = [tantivy.Query.phrase_query(schema, query.subqueries[0].fieldname
                                              if isinstance(query.subqueries[0], Q.Term)
                                              else query.subqueries[0].subqueries[0].fieldname, list(words))
                   for words in islice(product(*positions), MAX_PHRASE_VARIANTS)]
        return _boosted(_boolean(tantivy.Occur.Should, phrases), boost)
    if isinstance(query, Q.FuzzyTerm):
        return _boosted(tantivy.Query.fuzzy_term_query(schema, query.fieldname, query.text,
                                                       distance=query.maxdist), boost)
    if isinstance(query, Q.Prefix):
        return _boosted(tantivy.Query.regex_query(schema, query.fieldname, re.escape(query.text) + ".*"), boost)
    if isinstance(query, Q.TermRange) and query.fieldname == "date":
        low = date_number(query.start) if query.start else None
        high = date_number(query.end) if query.end else None
        if low is None and high is None:
            return tantivy.Query.exists_query("date_number")
        return tantivy.Query.range_query(schema, "date_number", tantivy.FieldType.Unsigned, low, high)
    if isinstance(query, Q.Every):
        return tantivy.Query.all_query()
    if query is Q.NullQuery:
        return tantivy.Query.empty_query()
    if isinstance(query, Q.WrappingQuery):
        return translate(schema, query.child)
    raise TypeError(f"cannot run {query!r} on Tantivy")


def restrict(query: tantivy.Query, *filters: tantivy.Query | None) -> tantivy.Query:
    """``query`` limited to the documents every filter matches; the filters add nothing to a score."""
    present = [f for f in filters if f is not None]
    if not present:
        return query
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query)] + [
        (tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in present])
