"""The indexer: extraction, metadata, Persian search and the ingest pipeline, behind one face.

:class:`Library` is the one object the web and the command line use: one configured archive (its
originals, catalog and index) with the reads and writes they need. The packages below it:
``extract`` (text from files), ``metadata`` (what the text says), ``search`` (Persian analysis and
the index), ``pipeline`` (files in, the journal, maintenance) and ``register`` (the decision register).
"""
from indexer.errors import (CorrectionError, ExtractionError, IndexerError, IndexUnavailable, QueryError,
                            RegisterError, ResolutionNotFound)
from indexer.library import IngestEvent, Library, Status
from indexer.search.index import SORTS, Hit, SearchFilters, SearchResults

__all__ = ["CorrectionError", "ExtractionError", "Hit", "IndexUnavailable", "IndexerError", "IngestEvent", "Library",
           "QueryError", "RegisterError", "ResolutionNotFound", "SORTS", "SearchFilters", "SearchResults", "Status"]
