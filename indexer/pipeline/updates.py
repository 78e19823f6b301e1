"""Changes to archived documents: a clerk's correction, the metadata read again from the text, the
original extracted again. Each ends by rewriting the documents' index records."""
from __future__ import annotations


from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive import Document, Page
from archive.crash import crash_point
from archive.models import utcnow
from indexer.metadata.corrections import Change, assign_metadata, correct, corrections_of, reread
from indexer.pipeline.indexing import index_documents
from indexer.pipeline.reading import read_stored
from indexer.pipeline.parts import Archive


def correct_document(archive: Archive, doc_id: str, field: str, value: str | None, user: str) -> Change:
    """Set one field of a document as a clerk says, keep the change in the history, and reindex.

    :raises DocumentNotFound: when the id is unknown.
    :raises CorrectionError: for an unknown field or an impossible value.
    """
    with archive.catalog.session() as session:
        change = correct(session, archive.catalog.get(session, doc_id), field, value, user,
                         archive.config.organizations)
    crash_point("correction.committed")
    index_documents(archive, [doc_id])
    return change


def refresh_metadata(archive: Archive, doc_ids: list[str]) -> int:
    """Read the metadata of these documents again from their text in the catalog (after a new
    extraction, or better rules), apply the corrections, and reindex them. What only the file said of
    itself (an e-mail's Subject) is read from the text like the rest."""
    with archive.catalog.session() as session:
        for doc in session.scalars(select(Document).where(Document.id.in_(doc_ids)).options(
                selectinload(Document.pages), selectinload(Document.resolutions),
                selectinload(Document.references))):
            reread(session, doc, archive.config.organizations)
    return index_documents(archive, doc_ids)


def reread_all(archive: Archive, batch: int = 200) -> int:
    """Read every document's metadata again from the catalog's text (the rules of this version: titles
    and where they came from, kinds, dates, resolutions), the clerks' corrections over it, a batch of
    documents a commit. The index is left as it is: rebuild it after (``bayegan reindex --reread``).
    Returns the number of documents read."""
    with archive.catalog.session() as session:
        ids = list(session.scalars(select(Document.id).order_by(Document.added_at)))
    for start in range(0, len(ids), batch):
        with archive.catalog.session() as session:
            for doc in session.scalars(select(Document).where(Document.id.in_(ids[start:start + batch])).options(
                    selectinload(Document.pages), selectinload(Document.resolutions),
                    selectinload(Document.references))):
                reread(session, doc, archive.config.organizations)
    return len(ids)


def reextract(archive: Archive, doc_ids: list[str]) -> int:
    """Extract the stored originals again (a better OCR, a repaired extractor), replace their pages,
    read their metadata again with the corrections applied over it, and reindex them.

    :raises DocumentNotFound: when an id is unknown.
    :raises ExtractionError: when an original cannot be read (nothing is changed for it).
    """
    organizations = archive.config.organizations
    for doc_id in doc_ids:
        with archive.catalog.session() as session:
            doc = archive.catalog.get(session, doc_id)
            sha, name = doc.sha256, doc.filename
        reading = read_stored(archive.store.path_for(sha), name, organizations,
                              timeout=archive.config.ingest.extract_timeout_s)
        extraction, meta = reading.extraction, reading.meta
        with archive.catalog.session() as session:
            doc = archive.catalog.get(session, doc_id)
            doc.pages, doc.resolutions, doc.references = [], [], []
            session.flush()
            doc.pages = [Page(number=i + 1, text=p.text, ocr=p.ocr, ocr_confidence=p.ocr_confidence,
                              ocr_reason=p.ocr_reason)
                         for i, p in enumerate(extraction.pages)]
            assign_metadata(doc, meta, organizations, corrections_of(session, doc_id))
            doc.updated_at = utcnow()
    return index_documents(archive, doc_ids)
