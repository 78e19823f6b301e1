"""Writing the index from the catalog: some documents (one commit), or all of them (a rebuild)."""
from __future__ import annotations

import logging
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive import Document
from archive.crash import crash_point
from indexer.pipeline.parts import Archive
from indexer.pipeline.records import document_records
from indexer.search.engines import SearchEngine

log = logging.getLogger(__name__)
BATCH = 200  # catalog documents read at a time: memory stays bounded however large the archive


def _loaded(ids: list[str]):
    return (select(Document).where(Document.id.in_(ids))
            .options(selectinload(Document.pages), selectinload(Document.resolutions)))


def index_documents(archive: Archive, doc_ids: list[str]) -> int:
    """(Re)write the index records of these documents from the catalog, in one commit."""
    doc_ids = list(dict.fromkeys(doc_ids))  # an id twice in one writer would be two records
    if not doc_ids:
        return 0
    with archive.catalog.session() as session, archive.index.writer() as writer:
        for start in range(0, len(doc_ids), BATCH):
            for doc in session.scalars(_loaded(doc_ids[start:start + BATCH])):
                archive.index.put_records(writer, doc.id, document_records(doc))
            session.expunge_all()
        crash_point("index.before_commit")
    crash_point("index.after_commit")
    return len(doc_ids)


def reindex(archive: Archive, index: SearchEngine | None = None) -> int:
    """Rebuild the whole index from the catalog (:meth:`SearchIndex.rebuild`: searches see the old
    index until the new one is committed); ``index``: another engine's index of the same archive
    (see ``bayegan reindex --engine``). Returns the number of documents indexed."""
    ids = archive.catalog.iter_ids()

    def records() -> Iterator[dict]:
        for start in range(0, len(ids), BATCH):
            with archive.catalog.session() as session:
                for doc in session.scalars(_loaded(ids[start:start + BATCH])):
                    yield from document_records(doc)
                session.expunge_all()
            crash_point("reindex.batch")

    (index or archive.index).rebuild(records(), documents=len(ids))
    log.info("reindexed %d documents", len(ids))
    return len(ids)
