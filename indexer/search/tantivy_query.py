"""Bayegan's queries, as :func:`indexer.search.query.build` makes them, turned into Tantivy queries.

The query language is parsed and analyzed once, by our own code, into a small tree of Whoosh query
objects (terms, Or, And, AndNot, word sequences, fuzzy and prefix terms, date ranges, the all-words
bonus and the organization's constant score). That tree is the engine-neutral form of a query: Whoosh
runs it as it is, and this module rewrites it node by node for Tantivy, keeping every boost. Tantivy
scores each field with BM25, so a Whoosh field boost (the title's 3, a term-frequency multiplier
there) becomes a score multiplier.
"""
from __future__ import annotations

import re
from itertools import islice, product

import tantivy
from whoosh import query as Q

from indexer.search.query import BonusQuery
from indexer.search.tantivy_schema import DATES, date_number, number_field

# Whoosh multiplies the title's term frequencies by 3 (the schema's ``field_boost``); under BM25 that
# raises a title word's score about 1.6 times (tf 1 against 3, K1 1.2), the multiplier used here.
FIELD_BOOSTS = {"title": 1.6}
INDEX_OPTIONS = {"title": "freq", "content": "freq", "exact": "position", "shingles": "freq", "roots": "freq"}
MAX_PHRASE_VARIANTS = 16  # spellings of a phrase tried word by word, at most
LOWEST_DATE, HIGHEST_DATE = 13000101, 14991230


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


def _term(schema, fieldname: str, text: str) -> tantivy.Query:
    return tantivy.Query.term_query(schema, fieldname, text, index_option=INDEX_OPTIONS.get(fieldname, "basic"))


def _boolean(occur, queries: list[tantivy.Query]) -> tantivy.Query:
    if not queries:
        return tantivy.Query.empty_query()
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(occur, q) for q in queries])


def _sequence_words(sub: Q.Query) -> tuple[str, list[str]]:
    """The field and the spellings one position of a phrase allows (an exact term or an Or of them)."""
    if isinstance(sub, Q.Term):
        return sub.fieldname, [sub.text]
    if isinstance(sub, Q.Or) and sub.subqueries and all(isinstance(s, Q.Term) for s in sub.subqueries):
        return sub.subqueries[0].fieldname, [s.text for s in sub.subqueries]
    raise TypeError(f"cannot run {sub!r} inside a phrase on Tantivy")


def _date_range(schema, query: Q.TermRange) -> tantivy.Query:
    """A range of Jalali dates (``YYYY-MM-DD``) on the date's integer field, ends as Whoosh reads them."""
    low = date_number(query.start) if query.start else None
    high = date_number(query.end) if query.end else None
    low = LOWEST_DATE if low is None else low
    high = HIGHEST_DATE if high is None else high
    return tantivy.Query.range_query(schema, number_field(query.fieldname), tantivy.FieldType.Unsigned, low, high,
                                     include_lower=not query.startexcl, include_upper=not query.endexcl)


def translate(schema, query: Q.Query) -> tantivy.Query:
    """The Tantivy query for one node of Bayegan's query tree (and everything under it).

    :raises TypeError: for a kind of query Bayegan's builder does not make.
    """
    boost = getattr(query, "boost", 1.0)
    if isinstance(query, BonusQuery):
        return tantivy.Query.const_score_query(translate(schema, query.child), query.score)
    if isinstance(query, Q.ConstantScoreQuery):
        return tantivy.Query.const_score_query(translate(schema, query.child), query.score)
    if isinstance(query, Q.FuzzyTerm):  # before Term: a FuzzyTerm is one
        return _boosted(tantivy.Query.fuzzy_term_query(schema, query.fieldname, query.text,
                                                       distance=query.maxdist), boost)
    if isinstance(query, Q.Prefix):
        return _boosted(tantivy.Query.regex_query(schema, query.fieldname, re.escape(query.text) + ".*"), boost)
    if isinstance(query, Q.TermRange) and query.fieldname in DATES:
        return _date_range(schema, query)
    if isinstance(query, Q.Term):
        return _boosted(_term(schema, query.fieldname, query.text), boost * FIELD_BOOSTS.get(query.fieldname, 1.0))
    if isinstance(query, Q.Or):
        return _boosted(_boolean(tantivy.Occur.Should, [translate(schema, s) for s in query.subqueries]), boost)
    if isinstance(query, Q.And):
        return _boosted(_boolean(tantivy.Occur.Must, [translate(schema, s) for s in query.subqueries]), boost)
    if isinstance(query, Q.AndMaybe):
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, translate(schema, query.a)),
                                            (tantivy.Occur.Should, translate(schema, query.b))])
    if isinstance(query, Q.AndNot):
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, translate(schema, query.a)),
                                            (tantivy.Occur.MustNot, translate(schema, query.b))])
    if isinstance(query, Q.Sequence):
        positions = [_sequence_words(s) for s in query.subqueries]
        fieldname = positions[0][0]
        phrases = [tantivy.Query.phrase_query(schema, fieldname, list(words))
                   for words in islice(product(*(spellings for _, spellings in positions)), MAX_PHRASE_VARIANTS)]
        return _boosted(_boolean(tantivy.Occur.Should, phrases), boost)
    if isinstance(query, Q.Every):
        return tantivy.Query.all_query()
    if query is Q.NullQuery or isinstance(query, type(Q.NullQuery)):
        return tantivy.Query.empty_query()
    raise TypeError(f"cannot run {query!r} on Tantivy")


def only(query: tantivy.Query) -> tantivy.Query:
    """``query`` as a filter: what it matches, adding nothing to a score."""
    return tantivy.Query.const_score_query(query, 0.0)


def restrict(query: tantivy.Query, *filters: tantivy.Query | None) -> tantivy.Query:
    """``query`` limited to the records every filter matches; the filters add nothing to a score."""
    present = [f for f in filters if f is not None]
    if not present:
        return query
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query)] + [(tantivy.Occur.Must, only(f)) for f in present])


__all__ = ["only", "restrict", "translate"]
