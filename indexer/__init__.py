"""The indexer: extraction, Persian analysis, the Whoosh index and the ingest pipeline."""
from indexer.errors import ExtractionError, IndexerError, QueryError
from indexer.search.index import SORTS, Hit, SearchFilters, SearchResults
from indexer.library import Library, Status

__all__ = ["ExtractionError", "Hit", "IndexerError", "Library", "QueryError", "SORTS", "SearchFilters",
           "SearchResults", "Status"]
