"""The Tantivy engine behind the same interface as :class:`indexer.index.SearchIndex`.

Chosen with ``search.engine: tantivy`` for large archives (docs/scaling.md). What the user typed is
parsed, analyzed and ranked the way the Whoosh engine does it (:mod:`indexer.query` builds the query,
:mod:`indexer.search.tantivy_query` rewrites it); Tantivy walks and scores the postings in native
code. Snippets are ours, cut from the catalog's text.

Crash safety is Tantivy's commit: a writer's documents become visible all at once when it commits
(the new ``meta.json`` replaces the old one); a writer killed before that leaves the last commit as
it was, and its lock (an OS file lock) goes with its process. One writer at a time: a second one
waits for the lock, as Whoosh's does.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

import tantivy
from whoosh import query as Q

from archive import Document
from indexer import persian, query as queries, spelling
from indexer.errors import IndexerError
from indexer.index import (COUNT_LIMIT, FACET_FIELDS, FEW_HITS, WRITER_LOCK_TIMEOUT_S, SearchFilters,
                           SearchResults, _combine, document_records, make_hits)
from indexer.schema import RESOLUTION_BOOST
from indexer.search.tantivy_query import restrict, translate
from indexer.search.tantivy_schema import RecordConverter, build_schema

MIN_HEAP_MB = 50     # Tantivy wants at least 15 MB a writer thread
FACET_SIZE = 10_000  # values counted per facet, at most
RERANK_EXTRA = 20    # hits ranked beyond the page, so the resolution boost can lift one into it
# Whoosh multiplies a resolution record's term frequencies by RESOLUTION_BOOST; under BM25 that
# raises its score about this much, applied here to the ranked hits' word scores.
RESOLUTION_SCORE = 1 + (RESOLUTION_BOOST - 1) * 0.4


class _Writer:
    """A batch of additions and deletions on a Tantivy writer, with Whoosh's method names, so the
    code that fills a batch (``SearchIndex.put_document``) serves both engines."""

    def __init__(self, writer, converter: RecordConverter):
        self._writer = writer
        self._converter = converter

    def add_document(self, **record) -> None:
        self._writer.add_document(self._converter.document(record))

    def delete_by_term(self, fieldname: str, text: str) -> None:
        self._writer.delete_documents_by_term(fieldname, text)

    def delete_all(self) -> None:
        self._writer.delete_all_documents()


class _Corrector:
    """The spellings in one field within an edit distance of a word, from the term dictionary."""

    def __init__(self, searcher, fieldname: str):
        self.searcher = searcher
        self.fieldname = fieldname

    def suggest(self, text: str, limit: int = 5, maxdist: int = 1, prefix: int = 0) -> list[str]:
        scored = []
        for term, frequency in self.searcher.terms_with_prefix(self.fieldname, text[:prefix]):
            if term != text and abs(len(term) - len(text)) <= maxdist:
                distance = _edit_distance(text, term, maxdist)
                if distance <= maxdist:
                    scored.append((distance, -frequency, term))
        return [term for _, _, term in sorted(scored)[:limit]]


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, cut short once it passes ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class _Lexicon:
    """The term statistics :mod:`indexer.spelling` and the query builder ask for, with Whoosh's names."""

    def __init__(self, searcher):
        self.searcher = searcher

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.searcher.doc_freq(fieldname, text)

    def doc_count_all(self) -> int:
        return self.searcher.num_docs

    def corrector(self, fieldname: str) -> _Corrector:
        return _Corrector(self.searcher, fieldname)


class TantivySearchIndex:
    """One Tantivy index in a folder, always opened with the schema built in code. ``count_limit`` is
    accepted for the Whoosh engine's signature: Tantivy counts every hit."""

    engine = "tantivy"

    def __init__(self, path: str | os.PathLike, writer_memory_mb: int = 128, count_limit: int = COUNT_LIMIT,
                 common_min_records: int = queries.COMMON_MIN_RECORDS):
        self.path = Path(path)
        self.writer_memory_mb = writer_memory_mb
        self.count_limit = count_limit
        self.common_min_records = common_min_records
        self.schema = build_schema()
        self._ix = None
        self._seen = None  # the stat of meta.json the reader last loaded
        self._lock = threading.Lock()

    @property
    def ix(self) -> tantivy.Index:
        with self._lock:
            if self._ix is None:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ix = tantivy.Index(self.schema, path=str(self.path), reuse=True)
                self._ix.config_reader("Manual", 0)
                self._seen = None
            return self._ix

    def exists(self) -> bool:
        return (self.path / "meta.json").is_file()

    def _searcher(self):
        """A searcher on the newest commit: the reader is reloaded when ``meta.json`` changed (a
        commit, by this process or another), which one stat tells."""
        ix = self.ix
        try:
            st = (self.path / "meta.json").stat()
            seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            seen = None
        with self._lock:
            if seen != self._seen:
                ix.reload()
                self._seen = seen
        return ix.searcher()

    def _open_writer(self):
        deadline = time.monotonic() + WRITER_LOCK_TIMEOUT_S
        heap = max(MIN_HEAP_MB, self.writer_memory_mb) * 1_000_000
        while True:
            try:
                return self.ix.writer(heap_size=heap, num_threads=1)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise IndexerError(f"the index writer is busy: {exc}",
                                       "نمایه در دست نوشتن است؛ کمی بعد دوباره تلاش کنید.") from exc
                time.sleep(0.1)

    @contextmanager
    def writer(self) -> Iterator[_Writer]:
        """A writer committed when the block ends and rolled back when it raises."""
        writer = self._open_writer()
        try:
            yield _Writer(writer, RecordConverter())
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()
            raise
        writer.commit()
        writer.wait_merging_threads()
        persian.save_analyses()

    @staticmethod
    def put_document(writer: _Writer, doc: Document) -> None:
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
        self.delete_documents([doc_id])

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        with self.writer() as w:
            for doc_id in doc_ids:
                w.delete_by_term("doc_id", doc_id)

    def rebuild(self, records: Iterable[dict]) -> None:
        """Replace every record with ``records`` in one commit: searches see the old index until then."""
        with self.writer() as w:
            w.delete_all()
            for record in records:
                w.add_document(**record)

    def clear(self) -> None:
        self.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.ix  # noqa: B018 - creates it

    def close(self) -> None:
        with self._lock:
            self._ix = None
            self._seen = None

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.glob("*") if p.is_file()) if self.path.is_dir() else 0

    def doc_count(self) -> int:
        return self._searcher().num_docs

    def record_counts(self) -> tuple[Counter, set[str]]:
        """The number of document records of each document id, and every id with any record."""
        if not self.exists():
            return Counter(), set()
        s = self._searcher()
        documents = Counter(dict(s.terms_with_prefix("doc_id", "", filter_query=tantivy.Query.term_query(
            self.schema, "hit_type", "document"))))
        return documents, {term for term, _ in s.terms_with_prefix("doc_id", "", filter_query=tantivy.Query.all_query())}

    def doc_ids(self) -> set[str]:
        return self.record_counts()[1]

    def indexed_count(self) -> int:
        return self._count(self._searcher(), tantivy.Query.term_query(self.schema, "hit_type", "document"))

    @staticmethod
    def _count(searcher, query) -> int:
        return searcher.search(query, 1, count=True).count

    def _translate(self, query: Q.Query | None):
        return None if query is None else translate(self.schema, query)

    def _stored(self, searcher, address) -> dict:
        return {name: values[0] for name, values in searcher.doc(address).to_dict().items() if values}

    def _page(self, searcher, ranked, matching, page: int, page_size: int, flt, order: str,
              bonus: bool) -> tuple[list[tuple[dict, float | None]], int]:
        """One page of hits (stored fields, score) and the number of every hit."""
        if order:
            query = restrict(matching, flt)
            total = self._count(searcher, query)
            page = min(page, max(1, -(-total // page_size)))
            found = searcher.search(query, page_size, count=False, order_by_field="date_number",
                                    offset=(page - 1) * page_size,
                                    order=tantivy.Order.Desc if order == "newest" else tantivy.Order.Asc)
            return [(self._stored(searcher, a), None) for _, a in found.hits], total
        query = restrict(ranked, flt)
        found = searcher.search(query, page * page_size + RERANK_EXTRA, count=True)
        total = found.count
        last = max(1, -(-total // page_size))
        page = min(page, last)
        ranked_hits = self._rerank(searcher, found.hits, bonus)
        chosen = ranked_hits[(page - 1) * page_size:page * page_size]
        return [(fields, score) for score, _, fields in chosen], total

    def _rerank(self, searcher, hits: list, bonus: bool) -> list:
        """The hits with each resolution's word score raised by ``RESOLUTION_SCORE`` (Whoosh boosts
        a resolution record when indexing it), best first, ties in index order as Tantivy gave them."""
        out = []
        for i, (score, address) in enumerate(hits):
            fields = self._stored(searcher, address)
            if fields.get("hit_type") == "resolution":
                base = queries.ALL_WORDS_BONUS if bonus and score >= queries.ALL_WORDS_BONUS else 0.0
                score = base + (score - base) * RESOLUTION_SCORE
            out.append((-score, i, (score, address, fields)))
        return [hit for _, _, hit in sorted(out)]

    def common_words(self, built: queries.BuiltQuery) -> frozenset[str]:
        """The query's words found in more than ``COMMON_SHARE`` of the records (see :func:`indexer.query.word_query`)."""
        return self._common_words(_Lexicon(self._searcher()), built)

    def _common_words(self, lexicon: _Lexicon, built: queries.BuiltQuery) -> frozenset[str]:
        records = lexicon.doc_count_all()
        if records < self.common_min_records:
            return frozenset()
        limit = queries.COMMON_SHARE * records
        return frozenset(w.text for w in built.words if any(
            lexicon.doc_frequency("content", s) > limit for s in w.stems))

    @staticmethod
    def _fuzzy_words(lexicon: _Lexicon, built: queries.BuiltQuery, everything: bool) -> frozenset[str]:
        return frozenset(w.text for w in built.words if not w.stop and (everything or not any(
            lexicon.doc_frequency(name, form) for name, form in
            [("exact", w.text), ("shingles", w.text)] + [("content", s) for s in w.stems])))

    def _relaxed(self, searcher, built: queries.BuiltQuery, hits, total: int, flt, by_score: bool) -> bool:
        if total == 0 or built.all_words is None or built.every_hit_complete:
            return False
        if by_score and built.bonus:
            return (hits[0][1] or 0.0) < queries.ALL_WORDS_BONUS
        return self._count(searcher, restrict(self._translate(built.all_words), flt)) == 0

    def _facets(self, searcher, query) -> tuple[dict[str, list[tuple[str, int]]], int]:
        found = searcher.aggregate(query, {name: {"terms": {"field": name, "size": FACET_SIZE}}
                                           for name in FACET_FIELDS})
        counts = {name: sorted(((b["key"], int(b["doc_count"])) for b in found.get(name, {}).get("buckets", [])),
                               key=lambda kc: (-kc[1], kc[0])) for name in FACET_FIELDS}
        return counts, self._count(searcher, query)

    def search(self, text: str, *, page: int = 1, page_size: int = 20,
               load_texts: Callable[[list[tuple[str, str | None]]], dict[str, str]] | None = None,
               facets: bool = False, filters: SearchFilters | None = None,
               sort: str = "relevance") -> SearchResults:
        """As :meth:`indexer.index.SearchIndex.search`.

        :raises QueryError: when the query cannot be understood (or is empty without filters).
        """
        filters = filters or SearchFilters()
        built = queries.build(text) if text.strip() or not filters else None
        page = max(1, page)
        order = sort if sort in ("newest", "oldest") else ""
        searcher = self._searcher()
        lexicon = _Lexicon(searcher)
        if built is None:
            flt = self._translate(filters.query())
            main = tantivy.Query.all_query()
            hits, total = self._page(searcher, main, main, page, page_size, flt, order, False)
            relaxed, suggestion, matching = False, None, main
        else:
            flt = self._translate(_combine(built.filter, filters.query()))
            common = self._common_words(lexicon, built)
            if common:
                built = queries.build(text, common=common)
            by_score = page == 1 and not order
            hits, total = self._page(searcher, self._translate(built.ranked), self._translate(built.matching),
                                     page, page_size, flt, order, built.bonus)
            relaxed = self._relaxed(searcher, built, hits, total, flt, by_score)
            suggestion = None
            if built.words and (total < FEW_HITS or relaxed):
                fuzzy = self._fuzzy_words(lexicon, built, everything=total < FEW_HITS)
                if fuzzy:
                    wider_query = queries.build(text, fuzzy=fuzzy, common=common)
                    wider_hits, wider_total = self._page(
                        searcher, self._translate(wider_query.ranked), self._translate(wider_query.matching),
                        page, page_size, flt, order, wider_query.bonus)
                    wider_relaxed = self._relaxed(searcher, wider_query, wider_hits, wider_total, flt, by_score)
                    if (wider_total, not wider_relaxed) > (total, not relaxed):
                        hits, total, built, relaxed = wider_hits, wider_total, wider_query, wider_relaxed
                suggestion = spelling.suggest(lexicon, text)
            matching = self._translate(built.matching)
        counts: dict[str, list[tuple[str, int]]] = {}
        if facets:
            counts, total = self._facets(searcher, restrict(matching, flt))
        return SearchResults(query=text, total=total, page=page, page_size=page_size,
                             hits=make_hits(hits, load_texts, built.marked if built else []),
                             relaxed=relaxed, suggestion=suggestion, facets=counts, total_exact=True)
