"""The search engines behind one interface: Whoosh (the default) and Tantivy (for large archives).

``open_index(config)`` gives the index of the engine ``search.engine`` names; both engines offer the
same methods (``writer``/``put_document``, ``add_documents``, ``delete_documents``, ``rebuild``,
``search``, ``doc_ids``, ``record_counts``, ``indexed_count``, ``size_bytes``, ``exists``,
``close``), and nothing above them asks which one runs. Each engine keeps its own folder (see
:func:`index_dir`), so ``bayegan reindex --engine`` builds one beside the other (docs/scaling.md).
"""
from __future__ import annotations

from pathlib import Path

from archive import Config

ENGINES = ("whoosh", "tantivy")


def index_dir(config: Config, engine: str) -> Path:
    """The folder of ``engine``'s index: ``index_dir`` for Whoosh, ``index_dir`` + ``-tantivy`` beside it."""
    return config.index_dir if engine == "whoosh" else config.index_dir.with_name(config.index_dir.name + "-tantivy")


def engine_class(engine: str):
    """The index class of ``engine`` (``SearchIndex`` for Whoosh, ``TantivySearchIndex``)."""
    if engine == "tantivy":
        from indexer.search.tantivy_index import TantivySearchIndex

        return TantivySearchIndex
    from indexer.index import SearchIndex

    return SearchIndex


def open_index(config: Config, engine: str | None = None):
    """The (lazily opened) index of ``engine``, by default the configured one."""
    engine = engine or config.search.engine
    return engine_class(engine)(index_dir(config, engine), config.search.writer_memory_mb)


__all__ = ["ENGINES", "engine_class", "index_dir", "open_index"]
