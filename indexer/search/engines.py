"""The search engines behind one interface, and which one an archive's configuration names.

Whoosh (:class:`indexer.search.index.SearchIndex`, the default) and Tantivy
(:class:`indexer.search.tantivy_index.TantivySearchIndex`, for large archives) take the same records
and answer the same calls: add, replace, delete, clear, search with the query language, filters,
facets, sort and paging, spelling suggestions and the records ``bayegan check`` compares. Nothing above
this module knows which one runs. Each keeps its index in its own folder (Tantivy's beside Whoosh's),
so that switching builds the other one while the live one keeps answering (``bayegan reindex
--engine``, :mod:`indexer.pipeline.switch`).
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

from archive import Config
from archive.config import ENGINES
from indexer.search import persian
from indexer.search.ranking import RANKING, Ranking

TANTIVY_SUFFIX = "-tantivy"
# docs/scaling.md: past about this many documents Whoosh's p95 through the server passes the targets
# (150 ms a word, 300 ms a phrase) and a reindex takes most of an hour; Tantivy stays far below them.
SWITCH_AT_DOCUMENTS = 10_000


class SearchEngine(Protocol):
    """What every engine's index answers: the narrow interface everything above this package uses.
    Records are the dicts of :func:`indexer.pipeline.records.document_records`; hits, filters and
    results the classes of :mod:`indexer.search.index`."""

    engine: str  # "whoosh" or "tantivy"
    # what an extraction child may make ahead of records' texts for this engine (indexer.search.prepared):
    # a picklable function (WordAnalyses, text) -> what the engine takes, or None
    prepare_text: Callable[[persian.WordAnalyses, str], Any] | None
    path: Path

    def exists(self) -> bool: ...
    def writer(self) -> AbstractContextManager[Any]: ...  # a batch: add_document(**record), delete_by_term
    @staticmethod
    def put_records(writer: Any, doc_id: str, records: Iterable[dict]) -> None: ...
    def rebuild(self, records: Iterable[dict], documents: int | None = None) -> None: ...
    def delete_documents(self, doc_ids: Iterable[str]) -> None: ...
    def delete_document(self, doc_id: str) -> None: ...
    def clear(self) -> None: ...
    def close(self) -> None: ...
    def search(self, text: str, *, page: int = 1, page_size: int = 20,
               load_texts: Callable[[list[tuple[str, str | None]]], dict[str, str]] | None = None,
               facets: bool = False, filters: Any = None, sort: str = "relevance",
               named: tuple[tuple[str, str], ...] = ()) -> Any: ...
    def resolutions_matching(self, text: str) -> set[tuple[str, str]]: ...
    def matching_documents(self, text: str, filters: Any, among: Iterable[str]) -> set[str]: ...
    def more_like(self, doc_id: str, text: str, limit: int, exclude: frozenset[str] = frozenset()) -> list: ...
    def suggest_words(self, prefix: str, limit: int) -> list[str]: ...
    def generation(self) -> int | None: ...
    def indexed_ids(self) -> set[str]: ...
    def records(self) -> Iterator[tuple[str, str, str | None]]: ...
    def doc_count(self) -> int: ...
    def indexed_count(self) -> int: ...
    def size_bytes(self) -> int: ...


def advice(engine: str, documents: int) -> tuple[str, str]:
    """What to do about the engine at this size (English, Persian), or empty strings."""
    if engine == "whoosh" and documents > SWITCH_AT_DOCUMENTS:
        return (f"{documents:,} documents: past {SWITCH_AT_DOCUMENTS:,}, Whoosh answers slowly; switch with "
                "`bayegan reindex --engine tantivy` (docs/scaling.md)",
                f"بایگانی از {persian.to_persian_digits(f'{SWITCH_AT_DOCUMENTS:,}')} سند گذشته است و جست‌وجو با "
                "Whoosh کند می‌شود؛ با فرمان bayegan reindex --engine tantivy به Tantivy بروید.")
    return "", ""


def index_dir(config: Config, engine: str | None = None) -> Path:
    """The folder of ``engine``'s index (default: the configured engine): ``index_dir`` for Whoosh,
    ``<index_dir>-tantivy`` beside it for Tantivy."""
    engine = engine or config.search.engine
    return config.index_dir if engine == "whoosh" else config.index_dir.with_name(config.index_dir.name + TANTIVY_SUFFIX)


def open_index(config: Config, analyses: persian.WordAnalyses | None = None, engine: str | None = None,
               ranking: Ranking = RANKING) -> SearchEngine:
    """The index of ``engine`` (default: the configured one) for this archive; opened on first use."""
    engine = engine or config.search.engine
    if engine not in ENGINES:
        raise ValueError(f"unknown search engine {engine!r}")
    return make_index(engine, index_dir(config, engine), config.search.writer_memory_mb, analyses, ranking)


def make_index(engine: str, path: Path, writer_memory_mb: int = 128, analyses: persian.WordAnalyses | None = None,
               ranking: Ranking = RANKING, **settings) -> SearchEngine:
    """An index of ``engine`` in the folder ``path`` (``settings``: the engines' other keywords)."""
    if engine == "tantivy":
        from indexer.search.tantivy_index import TantivySearchIndex

        return TantivySearchIndex(path, writer_memory_mb, analyses=analyses, ranking=ranking, **settings)
    from indexer.search.index import SearchIndex

    return SearchIndex(path, writer_memory_mb, analyses=analyses, ranking=ranking, **settings)


__all__ = ["ENGINES", "SWITCH_AT_DOCUMENTS", "SearchEngine", "advice", "index_dir", "make_index", "open_index"]
