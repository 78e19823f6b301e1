"""The library: one configured archive (store, catalog, index) and the reads the UI and CLI need."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive import Catalog, Config, Document, DocumentStore, Page, Resolution
from indexer import persian
from indexer.index import SearchFilters, SearchResults
from indexer.search import open_index

log = logging.getLogger(__name__)
REINDEX_BATCH = 200
STATUS_LIST = 20
WORD_MEMO = "words.sqlite3"  # the memo of word analyses (indexer.wordmemo), a cache beside the catalog


@dataclass(frozen=True)
class FailedFile:
    """A file in the failed folder with its reason (Persian, English)."""

    name: str
    reason_fa: str
    reason: str


@dataclass(frozen=True)
class IngestEvent:
    """One inbox file's last recorded state, from the ingest journal (newest first in Status)."""

    path: str
    state: str                  # received archived extracted indexed duplicate failing failed gone
    document_id: str | None     # for a duplicate: the document already holding these bytes
    attempts: int
    error: str | None
    error_fa: str | None
    at: str                     # ISO time, UTC


@dataclass(frozen=True)
class Status:
    documents: int
    indexed: int
    inbox: int                  # files waiting in the inbox (the queue)
    failed: int
    in_progress: int = 0        # inbox files taken but not yet indexed (journal)
    failed_files: tuple[FailedFile, ...] = ()      # newest first, at most STATUS_LIST
    last_errors: tuple[IngestEvent, ...] = ()      # failures and retries, newest first
    recent: tuple[IngestEvent, ...] = ()           # the last files taken, newest first
    engine: str = "whoosh"                         # the search engine in use (search.engine)
    index_bytes: int = 0                           # the size of its index folder
    engine_advice: str = ""                        # when to switch engines (indexer.search.switch), or ""
    engine_advice_fa: str = ""


class Library:
    """Everything Bayegan keeps for one configuration. Cheap to build; opens things on first use."""

    def __init__(self, config: Config):
        self.config = config
        self.store = DocumentStore(config.originals_dir)
        self._catalog: Catalog | None = None
        self.index = open_index(config)
        persian.keep_analyses(config.data_dir / WORD_MEMO)

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog(self.config.database_url)
        return self._catalog

    def document(self, doc_id: str) -> Document:
        """A document with its pages and resolutions, detached from the session.

        :raises DocumentNotFound: when the id is unknown.
        """
        with self.catalog.session() as session:
            doc = self.catalog.get(session, doc_id)
            session.expunge_all()
            return doc

    def children(self, doc_id: str) -> list[Document]:
        with self.catalog.session() as session:
            docs = list(session.scalars(select(Document).where(Document.parent_id == doc_id)))
            session.expunge_all()
            return docs

    def _load_texts(self, wanted: list[tuple[str, str | None]]) -> dict[str, str]:
        ids = sorted({doc_id for doc_id, _ in wanted})
        texts: dict[str, str] = {}
        with self.catalog.session() as session:
            for page in session.scalars(select(Page).where(Page.document_id.in_(ids))
                                        .order_by(Page.document_id, Page.number)):
                key = f"d:{page.document_id}"
                texts[key] = texts[key] + "\n\n" + page.text if key in texts else page.text
            for res in session.scalars(select(Resolution).where(Resolution.document_id.in_(ids))):
                texts[f"r:{res.document_id}:{res.ordinal}"] = res.text
        return texts

    def search(self, text: str, page: int = 1, page_size: int | None = None,
               facets: bool = False, filters: SearchFilters | None = None,
               sort: str = "relevance") -> SearchResults:
        """Search the index; snippets are cut from the catalog's text. ``facets``: count every hit by
        kind, organization and Jalali year (``SearchResults.facets``); ``filters`` and ``sort`` as in
        :meth:`SearchIndex.search`.

        :raises QueryError: when the query cannot be understood.
        """
        size = min(page_size or self.config.search.page_size, self.config.search.max_page_size)
        return self.index.search(text, page=page, page_size=max(1, size), load_texts=self._load_texts,
                                 facets=facets, filters=filters, sort=sort)

    def index_documents(self, doc_ids: list[str]) -> int:
        """(Re)write the index records of these documents from the catalog, in one commit."""
        doc_ids = list(dict.fromkeys(doc_ids))  # an id twice in one writer would be two records
        if not doc_ids:
            return 0
        with self.catalog.session() as session, self.index.writer() as writer:
            for start in range(0, len(doc_ids), REINDEX_BATCH):
                batch = doc_ids[start:start + REINDEX_BATCH]
                docs = session.scalars(
                    select(Document).where(Document.id.in_(batch))
                    .options(selectinload(Document.pages), selectinload(Document.resolutions)))
                for doc in docs:
                    self.index.put_document(writer, doc)
                session.expunge_all()
        return len(doc_ids)

    def reindex(self, engine: str | None = None) -> int:
        """Rebuild the whole index of ``engine`` (default: the configured one) from the catalog, in one
        commit: a search meanwhile sees the old index, then the new one, never a half. Memory stays
        bounded: documents are read ``REINDEX_BATCH`` at a time, and the writer spills past
        ``search.writer_memory_mb``. Returns the number of documents indexed."""
        index = self.index if engine in (None, self.index.engine) else open_index(self.config, engine)
        ids = self.catalog.iter_ids()
        try:
            index.rebuild(self._records(ids))
        finally:
            if index is not self.index:
                index.close()
        log.info("reindexed %d documents (%s)", len(ids), index.engine)
        return len(ids)

    def _records(self, ids: list[str]):
        from indexer.index import document_records

        for start in range(0, len(ids), REINDEX_BATCH):
            with self.catalog.session() as session:
                for doc in session.scalars(
                        select(Document).where(Document.id.in_(ids[start:start + REINDEX_BATCH]))
                        .options(selectinload(Document.pages), selectinload(Document.resolutions))):
                    yield from document_records(doc)
                session.expunge_all()

    def status(self) -> Status:
        def count_files(folder):
            if not folder.is_dir():
                return 0
            return sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".reason.txt")
                       and not p.name.startswith("."))

        from indexer.journal import IN_PROGRESS_STATES, IngestJournal

        from indexer.search.switch import advice, advice_fa

        journal = IngestJournal(self.catalog)
        documents = self.catalog.count()
        return Status(documents=documents,
                      indexed=self.index.indexed_count() if self.index.exists() else 0,
                      inbox=count_files(self.config.inbox_dir),
                      failed=count_files(self.config.failed_dir),
                      in_progress=sum(n for state, n in journal.counts().items() if state in IN_PROGRESS_STATES),
                      failed_files=tuple(self._failed_files()),
                      last_errors=tuple(_event(e) for e in journal.recent_errors(STATUS_LIST)),
                      recent=tuple(_event(e) for e in journal.recent(STATUS_LIST)),
                      engine=self.index.engine, index_bytes=self.index.size_bytes(),
                      engine_advice=advice(self.config, documents), engine_advice_fa=advice_fa(self.config, documents))

    def _failed_files(self) -> list[FailedFile]:
        folder = self.config.failed_dir
        if not folder.is_dir():
            return []
        files = [p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".reason.txt")
                 and not p.name.startswith(".")]
        files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        found = []
        for path in files[:STATUS_LIST]:
            try:
                lines = path.with_name(path.name + ".reason.txt").read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                lines = []
            name = os.fsencode(path.name).decode("utf-8", "backslashreplace")  # a name that is not UTF-8
            found.append(FailedFile(name, lines[0] if lines else "", lines[1] if len(lines) > 1 else ""))
        return found

    def correct_document(self, doc_id: str, field: str, value: str | None, user: str):
        """A clerk's correction of one field (title, kind, date, number, meeting, organization); kept
        over what the text says through reindexing and re-extraction, with its history.

        :raises DocumentNotFound: when the id is unknown.
        :raises CorrectionError: for an unknown field or an impossible value.
        """
        from indexer.corrections import correct_document

        return correct_document(self, doc_id, field, value, user)

    def correction_history(self, doc_id: str):
        from indexer.corrections import history

        return history(self, doc_id)

    def refresh_metadata(self, doc_ids: list[str]) -> int:
        """Read metadata again from the catalog's text, corrections applied over it, and reindex."""
        from indexer.corrections import refresh_metadata

        return refresh_metadata(self, doc_ids)

    def reextract(self, doc_ids: list[str]) -> int:
        """Extract the originals again, read their metadata, corrections applied over it, reindex.

        :raises DocumentNotFound: when an id is unknown.
        :raises ExtractionError: when an original cannot be read.
        """
        from indexer.corrections import reextract

        return reextract(self, doc_ids)

    def decisions(self, doc_id: str):
        """The references a document makes to resolutions (resolved when archived) and, by
        resolution anchor, the documents that followed each of its resolutions up.

        :raises DocumentNotFound: when the id is unknown.
        """
        from indexer.decisions import followups, resolve_references

        with self.catalog.session() as session:
            doc = self.catalog.get(session, doc_id)
            return resolve_references(session, doc), followups(session, doc)

    def close(self) -> None:
        self.index.close()
        if self._catalog is not None:
            self._catalog.dispose()
            self._catalog = None


def _event(entry) -> IngestEvent:
    return IngestEvent(entry.path, entry.state, entry.document_id, entry.attempts, entry.error,
                       entry.error_fa, entry.updated_at.isoformat(timespec="seconds"))
