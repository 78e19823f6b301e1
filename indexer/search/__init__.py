"""Search: Persian analysis (hazm), the word memo, the Whoosh schema and the index behind the narrow
:class:`SearchIndex` interface, the query language, ranking, snippets, spelling and suggestions.

Nothing above this package knows that Whoosh is the engine.
"""
from indexer.search.index import PAGE_BREAK, SORTS, Hit, SearchFilters, SearchIndex, SearchResults
from indexer.search.persian import digits_to_ascii, preload, to_persian_digits
from indexer.search.query import build as build_query
from indexer.search.snippets import find_matches
from indexer.search.suggest import Suggestion

__all__ = ["Hit", "PAGE_BREAK", "SORTS", "SearchFilters", "SearchIndex", "SearchResults", "Suggestion",
           "build_query", "digits_to_ascii", "find_matches", "preload", "to_persian_digits"]
