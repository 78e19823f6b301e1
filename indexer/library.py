"""The library: one configured archive (store, catalog, index) and the reads the UI and CLI need."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import select

from archive import Catalog, Config, Document, DocumentStore, Page, Resolution
from indexer.errors import IndexUnavailable
from indexer.metadata import corrections
from indexer.metadata.decisions import followups, resolution_title, resolve_references
from indexer.pipeline import indexing
from indexer.pipeline.failed import FailedFile, FailedFolder
from indexer.pipeline.journal import IN_PROGRESS_STATES, IngestJournal
from indexer.search import engines, persian, suggest
from indexer.search.organizations import OrganizationNames
from indexer.search.index import PAGE_BREAK, Hit, SearchFilters, SearchIndex, SearchResults
from indexer.search.suggest import TitleEntry, TitleList

log = logging.getLogger(__name__)
STATUS_LIST = 20
SIMILAR_TEXT_CHARS = 20_000  # the beginning of a document's text that its key terms are taken from
SIMILAR_SPARE = 3  # similar documents asked beyond the limit, for the duplicates left out
SIMILAR_KEPT = 512  # documents whose similar documents are kept (until the index changes)
WORD_MEMO = "words.sqlite3"  # the memo of word analyses (indexer.search.wordmemo), a cache beside the catalog


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
    engine: str = "whoosh"      # the search engine in use (search.engine)
    index_bytes: int = 0        # the size of its index on disk
    advice: str = ""            # what to do about the engine at this size (English)...
    advice_fa: str = ""         # ...and in Persian; empty when nothing


class Library:
    """Everything Bayegan keeps for one configuration. Cheap to build; opens things on first use."""

    def __init__(self, config: Config):
        self.config = config
        self.store = DocumentStore(config.originals_dir)
        self._catalog: Catalog | None = None
        # how words are analyzed for this archive's index, with their memo beside the catalog
        self.analyses = persian.WordAnalyses(config.data_dir / WORD_MEMO)
        self.index = engines.open_index(config, self.analyses)  # Whoosh or Tantivy (search.engine)
        # the organizations a query names (indexer/search/organizations.py)
        self.organization_names = OrganizationNames((o.name, o.aliases) for o in config.organizations)
        self._cache_lock = threading.Lock()
        self._title_list = None  # (index generation, TitleList) for suggestions
        self._similar: dict[tuple, list[Hit]] = {}  # (doc id, limit, index generation) → similar documents

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
                texts[key] = texts[key] + "\n" + PAGE_BREAK + page.text if key in texts else page.text
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
        named = self.organization_names.named(text)
        return self.index.search(text, page=page, page_size=max(1, size), load_texts=self._load_texts,
                                 facets=facets, filters=filters, sort=sort, named=named)

    def index_documents(self, doc_ids: list[str]) -> int:
        """(Re)write the index records of these documents from the catalog, in one commit."""
        return indexing.index_documents(self, doc_ids)

    def reindex(self) -> int:
        """Rebuild the whole index from the catalog; searches see the old index until the new one is
        committed. Returns the number of documents indexed."""
        return indexing.reindex(self)

    def build_index(self, engine: str) -> int:
        """Build ``engine``'s index of the whole catalog in its own folder, beside the live index
        (which keeps answering meanwhile): the first half of switching engines, the config file
        naming it being the second. Returns the number of documents indexed."""
        index = engines.open_index(self.config, self.analyses, engine=engine)
        try:
            return indexing.reindex(self, index=index)
        finally:
            index.close()

    def status(self) -> Status:
        journal = IngestJournal(self.catalog)
        failed = FailedFolder(self.config.failed_dir)
        documents = self.catalog.count()
        advice, advice_fa = engines.advice(self.index.engine, documents)
        try:
            indexed = self.index.indexed_count() if self.index.exists() else 0
        except IndexUnavailable as exc:  # another version's index: the reindex it needs is the advice
            indexed, advice, advice_fa = 0, str(exc), exc.message_fa
        return Status(documents=documents,
                      indexed=indexed,
                      inbox=_count_files(self.config.inbox_dir),
                      failed=failed.count(),
                      in_progress=sum(n for state, n in journal.counts().items() if state in IN_PROGRESS_STATES),
                      failed_files=tuple(failed.files(STATUS_LIST)),
                      last_errors=tuple(_event(e) for e in journal.recent_errors(STATUS_LIST)),
                      recent=tuple(_event(e) for e in journal.recent(STATUS_LIST)),
                      engine=self.index.engine, index_bytes=self.index.size_bytes(),
                      advice=advice, advice_fa=advice_fa)

    def correct_document(self, doc_id: str, field: str, value: str | None, user: str):
        """A clerk's correction of one field (title, kind, date, number, meeting, organization); kept
        over what the text says through reindexing and re-extraction, with its history.

        :raises DocumentNotFound: when the id is unknown.
        :raises CorrectionError: for an unknown field or an impossible value.
        """
        from indexer.pipeline import updates  # the extraction stack, loaded when needed

        return updates.correct_document(self, doc_id, field, value, user)

    def correction_history(self, doc_id: str):
        with self.catalog.session() as session:
            return corrections.history(session, doc_id)

    def refresh_metadata(self, doc_ids: list[str]) -> int:
        """Read metadata again from the catalog's text, corrections applied over it, and reindex."""
        from indexer.pipeline import updates  # the extraction stack, loaded when needed

        return updates.refresh_metadata(self, doc_ids)

    def reread_all(self) -> int:
        """Read every document's metadata again from its text, corrections applied over it; the index
        is not rewritten (call :meth:`reindex` after). Returns the number of documents read."""
        from indexer.pipeline import updates

        return updates.reread_all(self)

    def reextract(self, doc_ids: list[str]) -> int:
        """Extract the originals again, read their metadata, corrections applied over it, reindex.

        :raises DocumentNotFound: when an id is unknown.
        :raises ExtractionError: when an original cannot be read.
        """
        from indexer.pipeline import updates  # the extraction stack, loaded when needed

        return updates.reextract(self, doc_ids)

    def decisions(self, doc_id: str):
        """The references a document makes to resolutions (resolved when archived) and, by
        resolution anchor, the documents that followed each of its resolutions up.

        :raises DocumentNotFound: when the id is unknown.
        """
        with self.catalog.session() as session:
            doc = self.catalog.get(session, doc_id)
            return resolve_references(session, doc), followups(session, doc)

    def suggest(self, typed: str, limit: int = 8) -> list:
        """Up to ``limit`` suggestions (:class:`indexer.search.suggest.Suggestion`) for what is being typed:
        organizations (names and aliases), document and resolution titles, and indexed words
        completing the last word typed, folded as search folds."""
        glued, _ = suggest.fold_glued(typed)
        if len(glued) < suggest.MIN_PREFIX:
            return []
        groups = {"organization": suggest.match_organizations(self.config.organizations, glued, limit)}
        if self.index.exists():
            groups["title"] = [suggest.Suggestion(e.text, "title", doc_id=e.doc_id, anchor=e.anchor)
                               for e in self._titles().find(glued, limit)]
            typed_words = typed.split()
            last = suggest.fold_words(typed_words[-1]) if typed_words and not typed[-1].isspace() else []
            if len(last) == 1 and len(last[0]) >= suggest.MIN_PREFIX:
                head = typed[:len(typed) - len(typed_words[-1])]  # the words before, as typed
                groups["word"] = [suggest.Suggestion(head + word, "word")
                                  for word in self.index.suggest_words(last[0], limit + 1) if word != last[0]]
        return suggest.merge(groups, limit)

    def _titles(self):
        """Every document and resolution title, newest first, kept until the index changes."""
        from types import SimpleNamespace


        generation = self.index.generation()
        with self._cache_lock:
            kept = self._title_list
            if kept is not None and kept[0] == generation:
                return kept[1]
        with self.catalog.session() as session:
            docs = {row.id: row for row in session.execute(
                select(Document.id, Document.title, Document.meeting, Document.organization)
                .order_by(Document.date_jalali.desc().nulls_last(), Document.added_at.desc()))}
            resolutions = session.execute(select(Resolution.document_id, Resolution.number, Resolution.anchor)
                                          .order_by(Resolution.document_id, Resolution.ordinal)).all()
        by_doc: dict[str, list] = {}
        for res in resolutions:
            by_doc.setdefault(res.document_id, []).append(res)
        entries = [TitleEntry(doc.title, doc.id) for doc in docs.values() if doc.title]
        for doc in docs.values():
            for res in by_doc.get(doc.id, ()):
                title = resolution_title(SimpleNamespace(title=doc.title, meeting=doc.meeting,
                                                         organization=doc.organization), res)
                entries.append(TitleEntry(title, doc.id, res.anchor))
        titles = TitleList(entries)
        with self._cache_lock:
            self._title_list = (generation, titles)
        return titles

    def similar(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Up to ``limit`` documents like this one (the engine's more-like-this over its stemmed
        text), leaving out its own attachments, the message it is attached to and that message's
        other attachments, and its duplicates (another copy: the same title and date).

        :raises DocumentNotFound: when the id is unknown.
        """
        if not self.index.exists():
            return []
        key = (doc_id, limit, self.index.generation())
        with self._cache_lock:
            if key in self._similar:
                return self._similar[key]
        doc = self.document(doc_id)
        family = {c.id for c in self.children(doc_id)}
        if doc.parent_id:
            family |= {doc.parent_id} | {c.id for c in self.children(doc.parent_id)}
        hits = self.index.more_like(doc_id, doc.text[:SIMILAR_TEXT_CHARS], limit + SIMILAR_SPARE,
                                    exclude=frozenset(family))
        same = (doc.title, doc.date_jalali)
        found = [h for h in hits if (h.title, h.date) != same][:limit]
        with self._cache_lock:  # a more-like-this search costs 0.1 s at 10,000 documents: kept per commit
            if len(self._similar) >= SIMILAR_KEPT or any(k[2] != key[2] for k in self._similar):
                self._similar.clear()
            self._similar[key] = found
        return found

    def count_new(self, text: str, filters: SearchFilters | None, since) -> int:
        """How many documents added after ``since`` (a naive UTC datetime) a search finds.

        :raises QueryError: when the query cannot be understood.
        """
        with self.catalog.session() as session:
            new = list(session.scalars(select(Document.id).where(Document.added_at > since)))
        if not new or not self.index.exists():
            return 0
        return len(self.index.matching_documents(text, filters, new))

    def mime_types(self, doc_ids: list[str]) -> dict[str, str]:
        """The detected type of each of these documents' originals."""
        with self.catalog.session() as session:
            return dict(session.execute(select(Document.id, Document.mime)
                                        .where(Document.id.in_(sorted(set(doc_ids))))).all())

    def close(self) -> None:
        self.index.close()
        self.analyses.close()
        if self._catalog is not None:
            self._catalog.dispose()
            self._catalog = None


def _count_files(folder) -> int:
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _event(entry) -> IngestEvent:
    return IngestEvent(entry.path, entry.state, entry.document_id, entry.attempts, entry.error,
                       entry.error_fa, entry.updated_at.isoformat(timespec="seconds"))
