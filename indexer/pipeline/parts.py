"""What the pipeline works on: one configured archive's parts.

:class:`indexer.Library` is the one implementation. The pipeline names only what it uses here, so it
stands below the Library and never imports it.
"""
from __future__ import annotations

from typing import Protocol

from archive import Catalog, Config, DocumentStore
from indexer.search.engines import SearchEngine
from indexer.search.persian import WordAnalyses


class Archive(Protocol):
    """The configuration, the originals, the catalog and the index of one archive."""

    config: Config
    store: DocumentStore
    index: SearchEngine  # Whoosh's or Tantivy's (search.engine)
    analyses: WordAnalyses  # how the index analyzes words, with its memo

    @property
    def catalog(self) -> Catalog: ...
