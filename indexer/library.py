"""The library: one configured archive (store, catalog, index) and the reads the UI and CLI need."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive import Catalog, Config, Document, DocumentStore, Page, Resolution
from indexer.index import SearchIndex, SearchResults

log = logging.getLogger(__name__)
REINDEX_BATCH = 200


@dataclass(frozen=True)
class Status:
    documents: int
    indexed: int
    inbox: int
    failed: int


class Library:
    """Everything Bayegan keeps for one configuration. Cheap to build; opens things on first use."""

    def __init__(self, config: Config):
        self.config = config
        self.store = DocumentStore(config.originals_dir)
        self._catalog: Catalog | None = None
        self.index = SearchIndex(config.index_dir, config.search.writer_memory_mb)

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

    def search(self, text: str, page: int = 1, page_size: int | None = None) -> SearchResults:
        """Search the index; snippets are cut from the catalog's text.

        :raises QueryError: when the query cannot be understood.
        """
        size = min(page_size or self.config.search.page_size, self.config.search.max_page_size)
        return self.index.search(text, page=page, page_size=max(1, size), load_texts=self._load_texts)

    def index_documents(self, doc_ids: list[str]) -> int:
        """(Re)write the index records of these documents from the catalog, in one commit."""
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

    def reindex(self) -> int:
        """Rebuild the whole index from the catalog. Returns the number of documents indexed."""
        self.index.clear()
        ids = self.catalog.iter_ids()
        for start in range(0, len(ids), REINDEX_BATCH * 5):
            self.index_documents(ids[start:start + REINDEX_BATCH * 5])
        log.info("reindexed %d documents", len(ids))
        return len(ids)

    def status(self) -> Status:
        def count_files(folder):
            if not folder.is_dir():
                return 0
            return sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".reason.txt")
                       and not p.name.startswith("."))

        return Status(documents=self.catalog.count(),
                      indexed=len(self.index.indexed_doc_ids()) if self.index.exists() else 0,
                      inbox=count_files(self.config.inbox_dir),
                      failed=count_files(self.config.failed_dir))

    def close(self) -> None:
        self.index.close()
        if self._catalog is not None:
            self._catalog.dispose()
            self._catalog = None
