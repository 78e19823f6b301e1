"""The Whoosh index behind a narrow interface: add, delete, clear, search with snippets.

The index is disposable: the catalog holds everything needed to rebuild it (``bayegan reindex``).
Writes happen in ``with index.writer() as w:`` blocks, committed as a whole or not at all.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from whoosh import highlight, index as windex
from whoosh.writing import IndexWriter

from archive import Document
from indexer import query as queries
from indexer.schema import build_schema

INDEX_NAME = "bayegan"
WRITER_LOCK_TIMEOUT_S = 120


@dataclass(frozen=True)
class Hit:
    key: str
    doc_id: str
    hit_type: str
    anchor: str | None
    resolution_number: str | None
    title: str
    kind: str
    date: str | None
    organization: str | None
    number: str | None
    snippet: str
    score: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    page: int
    page_size: int
    hits: list[Hit]
    relaxed: bool  # true when no document held every word and any word was accepted


def document_records(doc: Document) -> list[dict]:
    """The index records of one catalog document: the document itself and each resolution."""
    year = doc.date_jalali[:4] if doc.date_jalali else None
    common = {
        "doc_id": doc.id, "kind": doc.kind, "organization": doc.organization or "",
        "org_terms": doc.organization or "", "number": doc.number or "",
        "number_terms": doc.number or "", "date": doc.date_jalali or "", "filename": doc.filename,
    }
    if year is not None:
        common["year"] = year
    text = doc.text
    records = [{**common, "key": f"d:{doc.id}", "hit_type": "document", "anchor": "",
                "resolution_number": "", "title": doc.title, "content": text, "exact": text}]
    for res in doc.resolutions:
        records.append({**common, "key": f"r:{doc.id}:{res.ordinal}", "hit_type": "resolution",
                        "anchor": res.anchor, "resolution_number": res.number,
                        "title": doc.title, "content": res.text, "exact": res.text})
    return records


class SearchIndex:
    """One Whoosh index in a folder, always opened with the schema built in code."""

    def __init__(self, path: str | os.PathLike, writer_memory_mb: int = 128):
        self.path = Path(path)
        self.writer_memory_mb = writer_memory_mb
        self._ix = None

    @property
    def ix(self):
        if self._ix is None:
            self.path.mkdir(parents=True, exist_ok=True)
            schema = build_schema()
            if windex.exists_in(str(self.path), indexname=INDEX_NAME):
                self._ix = windex.open_dir(str(self.path), indexname=INDEX_NAME, schema=schema)
            else:
                self._ix = windex.create_in(str(self.path), schema, indexname=INDEX_NAME)
        return self._ix

    def exists(self) -> bool:
        return windex.exists_in(str(self.path), indexname=INDEX_NAME)

    @contextmanager
    def writer(self) -> Iterator[IndexWriter]:
        """A writer committed when the block ends and cancelled when it raises."""
        with self.ix.writer(timeout=WRITER_LOCK_TIMEOUT_S, limitmb=self.writer_memory_mb) as w:
            yield w

    @staticmethod
    def put_document(writer: IndexWriter, doc: Document) -> None:
        """Add or replace a document and its resolutions in the writer's batch."""
        writer.delete_by_term("doc_id", doc.id)
        for record in document_records(doc):
            writer.add_document(**record)

    def add_documents(self, docs: Iterable[Document]) -> int:
        count = 0
        with self.writer() as w:
            for doc in docs:
                self.put_document(w, doc)
                count += 1
        return count

    def delete_document(self, doc_id: str) -> None:
        with self.writer() as w:
            w.delete_by_term("doc_id", doc_id)

    def clear(self) -> None:
        """Remove the whole index folder and start an empty one."""
        self.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.ix  # noqa: B018 - creates it

    def doc_count(self) -> int:
        with self.ix.searcher() as s:
            return s.doc_count()

    def indexed_doc_ids(self) -> set[str]:
        with self.ix.searcher() as s:
            return {f["doc_id"] for f in s.all_stored_fields() if f.get("hit_type") == "document"}

    def close(self) -> None:
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def search(self, text: str, *, page: int = 1, page_size: int = 20,
               load_texts: Callable[[list[tuple[str, str | None]]], dict[str, str]] | None = None,
               ) -> SearchResults:
        """Search and return one page of hits with highlighted snippets.

        ``load_texts`` receives (doc_id, anchor) pairs and returns the text of each by hit key, from
        the catalog, for the snippets.

        :raises QueryError: when the query cannot be understood.
        """
        built = queries.build(text)
        page = max(1, page)
        with self.ix.searcher() as searcher:
            relaxed = False
            results = searcher.search_page(built.strict, page, pagelen=page_size,
                                           filter=built.filter, terms=True)
            if results.total == 0 and built.loose is not None:
                results = searcher.search_page(built.loose, page, pagelen=page_size,
                                               filter=built.filter, terms=True)
                relaxed = True
            results.results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
            results.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
            stored = [hit.fields() for hit in results]
            texts = load_texts([(f["doc_id"], f.get("anchor") or None) for f in stored]) \
                if load_texts else {}
            hits = []
            for hit, fields in zip(results, stored):
                body = texts.get(fields["key"], "")
                snippet = ""
                if body:
                    snippet = (hit.highlights("content", text=body, top=2)
                               or hit.highlights("exact", text=body, top=2))
                    if not snippet:
                        snippet = highlight.htmlescape(body[:200], quote=False)
                hits.append(Hit(
                    key=fields["key"], doc_id=fields["doc_id"], hit_type=fields["hit_type"],
                    anchor=fields.get("anchor") or None,
                    resolution_number=fields.get("resolution_number") or None,
                    title=fields.get("title", ""), kind=fields.get("kind", "other"),
                    date=fields.get("date") or None, organization=fields.get("organization") or None,
                    number=fields.get("number") or None, snippet=snippet,
                    score=round(float(hit.score or 0.0), 4)))
            return SearchResults(query=text, total=results.total, page=page, page_size=page_size,
                                 hits=hits, relaxed=relaxed)
