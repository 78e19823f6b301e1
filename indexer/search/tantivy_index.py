"""The Tantivy engine behind the interface of :class:`indexer.search.index.SearchIndex`.

Chosen with ``search.engine: tantivy`` for large archives (docs/scaling.md). What the user typed is
parsed, analyzed and weighed by the same code as on Whoosh (:func:`indexer.search.query.build` makes the
query tree, :mod:`indexer.search.tantivy_query` rewrites it); Tantivy walks and scores the postings in
native code. Hits are built by the same :func:`indexer.search.index.make_hits`, snippets cut from the
catalog's text.

One hit per document, as on Whoosh: the records (a document and each of its resolutions) are ranked,
and a document takes the place of its best record. Counts, facets and the date order are of documents:
the documents a query finds are those whose own record matches, and those of a matching resolution
whose own record does not (found from the resolutions' ``doc_id`` fast field, see
:meth:`TantivySearchIndex._documents_query`).

Crash safety is Tantivy's commit: a writer's records become visible all at once when it commits (a new
``meta.json`` replaces the old one); a writer killed before that leaves the last commit as it was, and
its lock (an OS file lock) goes with its process. One writer at a time: a second one waits for the
lock, as Whoosh's does.
"""
from __future__ import annotations

import json
import logging
import math
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
from rapidfuzz import process as fuzzy
from rapidfuzz.distance import Levenshtein

from indexer.errors import IndexerError, IndexUnavailable
from indexer.search import persian
from indexer.search import query as queries
from indexer.search import spelling, tantivy_batches
from indexer.search.index import (COUNT_LIMIT, FACET_FIELDS, FEW_HITS, RESOLUTIONS_SHOWN, SIMILAR_TERMS,
                                  SUGGEST_TERMS, WRITER_LOCK_TIMEOUT_S, Hit, SearchFilters, SearchResults,
                                  _combine, make_hits, similar_hit)
from indexer.search.ranking import RANKING, Ranking
from indexer.search.schema import RESOLUTION_BOOST
from indexer.search.tantivy_bm25 import TANTIVY_B, TANTIVY_K1, rescored
from indexer.search.tantivy_query import only, restrict, translate
from indexer.search.tantivy_schema import (SHOWN_TITLE, RecordConverter, build_schema, number_field, text_values,
                                            register_tokenizers)


log = logging.getLogger(__name__)

MIN_HEAP_MB = 50         # Tantivy wants at least 15 MB a writer thread
FACET_SIZE = 10_000      # values counted per facet, at most
MAX_BUCKETS = 60_000     # document ids read from one aggregation (Tantivy refuses past 65,000)
RESOLUTIONS_READ = 200   # the page's matching resolutions read in one search (more: a second one)
RESCORE_WINDOW = 20      # records scored again with Bayegan's BM25 parameters (indexer/search/tantivy_bm25.py)
RERANK_EXTRA = 20        # records ranked beyond the page, so a resolution's boost can lift one into it
# Whoosh multiplies a resolution record's term frequencies by RESOLUTION_BOOST; under BM25 that raises
# its word score about this much, applied here to the ranked records' word scores.
RESOLUTION_SCORE = 1 + (RESOLUTION_BOOST - 1) * 0.6
LOCK_RETRY_S = 0.1


class _Batch:
    """A batch of additions and deletions on a Tantivy writer, with Whoosh's method names, so the code
    that fills a batch (``indexer.pipeline.indexing``) serves both engines."""

    def __init__(self, writer, converter: RecordConverter):
        self._writer = writer
        self._converter = converter

    def add_document(self, **record) -> None:
        self._writer.add_document(self._converter.document(record))

    def add(self, doc: tantivy.Document) -> None:
        """A record already converted (a rebuild's, see :mod:`indexer.search.tantivy_batches`)."""
        self._writer.add_document(doc)

    def delete_by_term(self, fieldname: str, text: str) -> None:
        self._writer.delete_documents_by_term(fieldname, text)

    def delete_all(self) -> None:
        self._writer.delete_all_documents()


def _in_order(records: Iterable[dict]) -> Iterator[dict]:
    """``records``, checked to come document first, then its resolutions."""
    current = None
    for record in records:
        if record.get("hit_type") == "document":
            current = record["doc_id"]
        elif record["doc_id"] != current:
            raise ValueError(f"record {record['key']} does not follow its document's record")
        yield record


class _Lexicon:
    """The term statistics :mod:`indexer.search.spelling` asks a searcher for, with Whoosh's names."""

    def __init__(self, searcher):
        self.searcher = searcher

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.searcher.doc_freq(fieldname, text)

    def doc_count_all(self) -> int:
        return self.searcher.num_docs

    def corrector(self, fieldname: str) -> "_Corrector":
        return _Corrector(self.searcher, fieldname)


class _Corrector:
    """Whoosh's corrector's one call: the indexed words within ``maxdist`` edits of a word that begin
    with its first ``prefix`` letters, the nearest (then the most frequent) first."""

    def __init__(self, searcher, fieldname: str):
        self.searcher = searcher
        self.fieldname = fieldname

    def suggest(self, text: str, limit: int = 5, maxdist: int = 1, prefix: int = 0) -> list[str]:
        words = [term for term, count in self.searcher.terms_with_prefix(self.fieldname, text[:prefix])
                 if count and term != text and abs(len(term) - len(text)) <= maxdist]
        near = fuzzy.extract(text, words, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=limit)
        return [word for word, _, _ in sorted(near, key=lambda m: (m[1], m[2]))]


class TantivySearchIndex:
    """One Tantivy index in a folder, always opened with the schema built in code. ``count_limit`` is
    accepted for the Whoosh engine's signature: Tantivy counts every hit."""

    engine = "tantivy"
    prepare_text = staticmethod(text_values)  # records' texts may be analyzed ahead (indexer.search.prepared)

    def __init__(self, path: str | os.PathLike, writer_memory_mb: int = 128, count_limit: int = COUNT_LIMIT,
                 analyses: persian.WordAnalyses | None = None, ranking: Ranking = RANKING):
        self.path = Path(path)
        self.analyses = analyses or persian.PLAIN
        self.writer_memory_mb = writer_memory_mb
        self.count_limit = count_limit
        self.ranking = ranking
        self.schema = build_schema()
        self._ix: tantivy.Index | None = None
        self._seen = None        # the stat of meta.json the reader last loaded
        self._generation = None  # and the opstamp it holds
        self._lock = threading.Lock()
        self._documents = only(self._term("hit_type", "document"))
        self._resolutions = only(self._term("hit_type", "resolution"))

    # -- opening -------------------------------------------------------------------------------

    @property
    def ix(self) -> tantivy.Index:
        with self._lock:
            if self._ix is None:
                self.path.mkdir(parents=True, exist_ok=True)
                try:
                    self._ix = tantivy.Index(self.schema, path=str(self.path), reuse=True)
                except ValueError as exc:
                    if "schema does not match" not in str(exc):
                        raise
                    raise IndexUnavailable(f"the Tantivy index in {self.path} was built by another version of "
                                           "Bayegan (another schema): run `bayegan reindex`") from exc
                register_tokenizers(self._ix)
                self._ix.config_reader("Manual", 0)
                self._seen = None
            return self._ix

    def exists(self) -> bool:
        return (self.path / "meta.json").is_file()

    def _meta_stat(self):
        try:
            st = (self.path / "meta.json").stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _searcher(self):
        """A searcher on the newest commit: the reader is reloaded when ``meta.json`` changed (a
        commit, by this process or another), which one stat tells."""
        ix = self.ix
        seen = self._meta_stat()
        with self._lock:
            if seen != self._seen:
                ix.reload()
                self._seen = seen
                self._generation = None
        return ix.searcher()

    def generation(self) -> int | None:
        """The newest commit's opstamp (changes whenever the index does); None when empty."""
        self._searcher()
        with self._lock:
            if self._generation is None and self._seen is not None:
                try:
                    self._generation = json.loads((self.path / "meta.json").read_text())["opstamp"]
                except (OSError, ValueError, KeyError):
                    return None
            return self._generation

    def close(self) -> None:
        with self._lock:
            self._ix = None
            self._seen = None
            self._generation = None

    def clear(self) -> None:
        """Remove the whole index folder and start an empty one."""
        self.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.ix  # noqa: B018 - creates it

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file()) if self.path.is_dir() else 0

    # -- writing -------------------------------------------------------------------------------

    def _open_writer(self):
        """The index's one writer, waiting up to WRITER_LOCK_TIMEOUT_S for another process's."""
        deadline = time.monotonic() + WRITER_LOCK_TIMEOUT_S
        heap = max(MIN_HEAP_MB, self.writer_memory_mb) * 1_000_000
        while True:
            try:
                return self.ix.writer(heap_size=heap, num_threads=1)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise IndexerError(f"the index writer is busy: {exc}",
                                       "نمایه در دست نوشتن است؛ کمی بعد دوباره تلاش کنید.") from exc
                time.sleep(LOCK_RETRY_S)

    @contextmanager
    def writer(self) -> Iterator[_Batch]:
        """A writer committed when the block ends and rolled back when it raises."""
        writer = self._open_writer()
        try:
            yield _Batch(writer, RecordConverter(self.analyses))
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()
            raise
        writer.commit()
        writer.wait_merging_threads()
        self.analyses.save()  # the words just indexed, for processes that only search

    @staticmethod
    def put_records(writer: _Batch, doc_id: str, records: Iterable[dict]) -> None:
        """Replace one document's records (itself and its resolutions) in the writer's batch."""
        writer.delete_by_term("doc_id", doc_id)
        for record in sorted(records, key=lambda r: r.get("hit_type") != "document"):
            writer.add_document(**record)

    def rebuild(self, records: Iterable[dict], documents: int | None = None) -> None:
        """Replace every record with ``records`` in one commit: searches see the old index until then,
        and a failure (or a kill) leaves it as it was. An index of another version's schema, which
        nothing can read, is removed first. ``documents``: how many the records are of; a large
        rebuild analyzes them on every core (:mod:`indexer.search.tantivy_batches`)."""
        try:
            self.ix  # noqa: B018 - opens it
        except IndexUnavailable:
            log.warning("removing the unreadable index in %s before rebuilding it", self.path)
            self.clear()
        with self.writer() as w:
            w.delete_all()
            for doc in tantivy_batches.documents(_in_order(records), self.analyses,
                                                 tantivy_batches.workers_for(documents)):
                w.add(doc)

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        with self.writer() as w:
            for doc_id in doc_ids:
                w.delete_by_term("doc_id", doc_id)

    def delete_document(self, doc_id: str) -> None:
        self.delete_documents([doc_id])

    # -- reading -------------------------------------------------------------------------------

    def _term(self, fieldname: str, text: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, fieldname, text)

    def _translate(self, query: Q.Query | None) -> tantivy.Query | None:
        return None if query is None else translate(self.schema, query)

    @staticmethod
    def _count(searcher, query: tantivy.Query) -> int:
        return searcher.search(query, 1, count=True).count

    @staticmethod
    def _stored(searcher, address) -> dict:
        fields = {name: values[0] for name, values in searcher.doc(address).to_dict().items() if values}
        fields["title"] = fields.pop(SHOWN_TITLE, "")
        return fields

    def _doc_ids(self, searcher, query: tantivy.Query) -> set[str]:
        """The document ids of the records ``query`` matches (at most MAX_BUCKETS)."""
        found = searcher.aggregate(query, {"ids": {"terms": {"field": "doc_id", "size": MAX_BUCKETS}}})
        return {b["key"] for b in found["ids"]["buckets"]}

    def indexed_ids(self) -> set[str]:
        """The ids of the documents with records in the index."""
        if not self.exists():
            return set()
        searcher = self._searcher()
        return {term for term, count in searcher.terms_with_prefix("doc_id", "", filter_query=tantivy.Query.all_query())
                if count}

    def records(self) -> Iterator[tuple[str, str, str | None]]:
        """(document id, ``document`` or ``resolution``, version or None) of every record: what
        ``bayegan check`` compares with the catalog."""
        searcher = self._searcher()
        if not searcher.num_docs:
            return
        for _, address in searcher.search(tantivy.Query.all_query(), searcher.num_docs, count=False).hits:
            fields = self._stored(searcher, address)
            yield fields["doc_id"], fields.get("hit_type", ""), fields.get("version")

    def doc_count(self) -> int:
        return self._searcher().num_docs

    def indexed_count(self) -> int:
        """How many documents (not resolutions) the index holds."""
        return self._count(self._searcher(), self._term("hit_type", "document"))

    def suggest_words(self, prefix: str, limit: int) -> list[str]:
        """Indexed words (search forms) that begin with ``prefix``, the most frequent first."""
        if not prefix:
            return []
        found = self._searcher().terms_with_prefix("exact", prefix, limit=SUGGEST_TERMS)
        return [w for w, count in found if count and len(w) > 1][:limit]

    # -- documents found -----------------------------------------------------------------------

    def _documents_query(self, searcher, matching: tantivy.Query) -> tantivy.Query:
        """The document records of the documents that ``matching`` (records, filters applied) finds:
        those whose own record matches, and those with a matching resolution whose own record does
        not. Unscored: for counts, facets and the date order."""
        resolutions = restrict(matching, self._resolutions)
        own = restrict(matching, self._documents)
        if not self._has_resolutions(searcher) or not self._count(searcher, resolutions):
            return own
        through = self._doc_ids(searcher, resolutions)
        also = self._doc_ids(searcher, restrict(own, self._id_set(through)))
        rest = sorted(through - also)
        if not rest:
            return own
        return tantivy.Query.boolean_query([
            (tantivy.Occur.Must, self._documents),
            (tantivy.Occur.Must, tantivy.Query.boolean_query([(tantivy.Occur.Should, only(matching)),
                                                              (tantivy.Occur.Should, self._id_set(rest))]))])

    @staticmethod
    def _has_resolutions(searcher) -> bool:
        """Whether the index holds any resolution record (a term lookup: a flat archive has none)."""
        return searcher.doc_freq("hit_type", "resolution") > 0

    def _id_set(self, ids: Iterable[str]) -> tantivy.Query:
        return only(tantivy.Query.term_set_query(self.schema, "doc_id", sorted(ids)))

    def _facets(self, searcher, documents: tantivy.Query, matching: tantivy.Query) -> dict[str, list[tuple[str, int]]]:
        """Documents found by kind, organization and Jalali year (from their document records), and
        under each follow-up state the documents with a matching resolution in that state."""
        plain = [name for name in FACET_FIELDS if name != "state"]
        found = searcher.aggregate(documents, {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in plain})
        counts = {name: {b["key"]: int(b["doc_count"]) for b in found.get(name, {}).get("buckets", [])}
                  for name in plain}
        if "state" in FACET_FIELDS:
            states = searcher.aggregate(restrict(matching, self._resolutions), {"state": {
                "terms": {"field": "state", "size": 100},
                "aggs": {"ids": {"terms": {"field": "doc_id", "size": MAX_BUCKETS}}}}})
            counts["state"] = {b["key"]: len(b["ids"]["buckets"]) for b in states.get("state", {}).get("buckets", [])}
        return {name: sorted(((v, n) for v, n in counts[name].items() if n), key=lambda kc: (-kc[1], kc[0]))
                for name in FACET_FIELDS}

    # -- ranking -------------------------------------------------------------------------------

    def _rescored(self, score: float, fields: dict, bonus: bool) -> float:
        """A record's score with a resolution's boost (see RESOLUTION_SCORE) on its word score."""
        if fields.get("hit_type") != "resolution":
            return score
        base = self.ranking.all_words_bonus if bonus and score >= self.ranking.all_words_bonus else 0.0
        return base + (score - base) * RESOLUTION_SCORE

    def _bm25(self, searcher, ranked: tantivy.Query, hits) -> list[tuple[bool, float, object]]:
        """(outside the window, score, address) of records in Tantivy's order: the first
        ``RESCORE_WINDOW`` scored again for ``ranked`` with the Ranking's BM25 k1 and b
        (:mod:`indexer.search.tantivy_bm25`), the rest with Tantivy's score, to follow them."""
        k1, b = self.ranking.bm25_k1, self.ranking.bm25_b
        window = RESCORE_WINDOW if (k1, b) != (TANTIVY_K1, TANTIVY_B) else 0
        return [(i >= window, rescored(ranked, searcher, address, k1, b) if i < window else score, address)
                for i, (score, address) in enumerate(hits)]

    def _ranked_documents(self, searcher, ranked: tantivy.Query, wanted: int, bonus: bool,
                          count: bool = False) -> tuple[list[tuple[str, float, dict]], int | None]:
        """The best ``wanted`` documents (doc id, best record's score, that record's fields) of a
        ranking of records, a document by its best record; with ``count``, the number of records
        ``ranked`` matches (else None)."""
        limit = 2 * wanted + RERANK_EXTRA
        total = None
        while True:
            found = searcher.search(ranked, limit, count=count and total is None)
            hits = found.hits
            if count and total is None:
                total = found.count
            scored = []
            for i, (outside, score, address) in enumerate(self._bm25(searcher, ranked, hits)):
                fields = self._stored(searcher, address)
                scored.append((outside, -self._rescored(score, fields, bonus), i, fields))
            scored.sort(key=lambda s: s[:3])
            best: dict[str, tuple[float, dict]] = {}
            for _, negative, _, fields in scored:
                best.setdefault(fields["doc_id"], (-negative, fields))
            if len(hits) < limit or len(best) >= wanted + RERANK_EXTRA // 2:
                return [(doc_id, score, fields) for doc_id, (score, fields) in best.items()][:wanted], total
            limit *= 4

    def _document_fields(self, searcher, doc_ids: list[str]) -> dict[str, dict]:
        """The stored fields of these documents' own records."""
        if not doc_ids:
            return {}
        query = tantivy.Query.term_set_query(self.schema, "key", [f"d:{d}" for d in doc_ids])
        found = searcher.search(query, len(doc_ids), count=False).hits
        return {f["doc_id"]: f for f in (self._stored(searcher, a) for _, a in found)}

    def _page(self, searcher, ranked: tantivy.Query, matching: tantivy.Query, page: int, page_size: int,
              order: str, bonus: bool) -> tuple[list[tuple[dict, float | None]], int, int, tantivy.Query]:
        """One page of documents (document record's fields, score), the number of documents found,
        the page shown (past the end: the last) and the query of the documents found."""
        documents = self._documents_query(searcher, matching)
        if not order and page == 1 and not self._has_resolutions(searcher):
            # every record is a document's own (a flat archive): the ranking counts the documents
            # found as it ranks them (``ranked`` matches what ``matching`` does), no count of its own
            best, total = self._ranked_documents(searcher, ranked, page_size, bonus, count=True)
            return self._heads(searcher, best), total or 0, page, documents
        total = self._count(searcher, documents)
        if not total:
            return [], 0, page, documents
        page = min(page, max(1, -(-total // page_size)))
        if order:
            found = searcher.search(documents, page_size, count=False, order_by_field=number_field("date"),
                                    offset=(page - 1) * page_size,
                                    order=tantivy.Order.Desc if order == "newest" else tantivy.Order.Asc)
            return [(self._stored(searcher, a), None) for _, a in found.hits], total, page, documents
        best = self._ranked_documents(searcher, ranked, page * page_size, bonus)[0][(page - 1) * page_size:]
        return self._heads(searcher, best), total, page, documents

    def _heads(self, searcher, best: list[tuple[str, float, dict]]) -> list[tuple[dict, float | None]]:
        """(document record's fields, score) of ranked documents, a document ranked by a resolution
        given its own record."""
        heads = self._document_fields(searcher, [d for d, _, f in best if f.get("hit_type") != "document"])
        return [(fields if fields.get("hit_type") == "document" else heads.get(doc_id, fields), score)
                for doc_id, score, fields in best]

    def _matching_resolutions(self, searcher, hits: list[tuple[dict, float | None]], ranked: tantivy.Query,
                              matching: tantivy.Query, bonus: bool) -> dict[str, list[tuple[dict, float]]]:
        """The page's documents' resolution records that the query matches, each document's the best
        first: (fields, score) by document id."""
        doc_ids = [fields["doc_id"] for fields, _ in hits]
        if not doc_ids or not self._has_resolutions(searcher):
            return {}
        query = restrict(ranked, only(matching), self._resolutions, self._id_set(doc_ids))
        limit = RESOLUTIONS_READ
        while True:
            result = searcher.search(query, limit, count=True)
            if result.count <= limit:
                break
            limit = result.count
        found: dict[str, list[tuple[dict, float]]] = {}
        for _, score, address in self._bm25(searcher, ranked, result.hits):
            fields = self._stored(searcher, address)
            found.setdefault(fields["doc_id"], []).append((fields, self._rescored(score, fields, bonus)))
        for records in found.values():
            records.sort(key=lambda fs: -fs[1])
        return found

    def common_words(self, built: queries.BuiltQuery) -> frozenset[str]:
        """The query's words found in more than ``ranking.common_share`` of the records."""
        return self._common_words(_Lexicon(self._searcher()), built)

    def _common_words(self, lexicon: _Lexicon, built: queries.BuiltQuery) -> frozenset[str]:
        records = lexicon.doc_count_all()
        if records < self.ranking.common_min_records:
            return frozenset()
        limit = self.ranking.common_share * records
        return frozenset(w.text for w in built.words if any(
            lexicon.doc_frequency("content", s) > limit for s in w.stems))

    @staticmethod
    def _fuzzy_words(lexicon: _Lexicon, built: queries.BuiltQuery, everything: bool) -> frozenset[str]:
        return frozenset(w.text for w in built.words if not w.stop and (everything or not any(
            lexicon.doc_frequency(name, form) for name, form in
            [("exact", w.text), ("shingles", w.text)] + [("content", s) for s in w.stems])))

    def _relaxed(self, searcher, built: queries.BuiltQuery, hits, total: int, flt, by_score: bool) -> bool:
        """Whether no hit holds every content word of the query (as on Whoosh)."""
        if total == 0 or built.all_words is None or built.every_hit_complete:
            return False
        if by_score and built.bonus:
            return (hits[0][1] or 0.0) < self.ranking.all_words_bonus
        return self._count(searcher, restrict(self._translate(built.all_words), flt)) == 0

    def _run(self, searcher, built: queries.BuiltQuery, flt, page: int, page_size: int, order: str):
        ranked = restrict(self._translate(built.ranked), flt)
        matching = restrict(self._translate(built.matching), flt)
        hits, total, page, documents = self._page(searcher, ranked, matching, page, page_size, order, built.bonus)
        return hits, total, page, documents, ranked, matching

    def search(self, text: str, *, page: int = 1, page_size: int = 20,
               load_texts: Callable[[list[tuple[str, str | None]]], dict[str, str]] | None = None,
               facets: bool = False, filters: SearchFilters | None = None,
               sort: str = "relevance", named: tuple[tuple[str, str], ...] = ()) -> SearchResults:
        """As :meth:`indexer.search.index.SearchIndex.search`.

        :raises QueryError: when the query cannot be understood (or is empty without filters).
        """
        filters = filters or SearchFilters()
        built = (queries.build(text, analyses=self.analyses, ranking=self.ranking, named=named)
                 if text.strip() or not filters else None)
        page = max(1, page)
        order = sort if sort in ("newest", "oldest") else ""
        searcher = self._searcher()
        lexicon = _Lexicon(searcher)
        relaxed, suggestion = False, None
        if built is None:  # filters alone: list what they match
            flt = self._translate(filters.query())
            everything = restrict(tantivy.Query.all_query(), flt)
            hits, total, page, documents = self._page(searcher, everything, everything, page, page_size, order, False)
            matching = everything
        else:
            flt = self._translate(_combine(built.filter, filters.query()))
            common = self._common_words(lexicon, built)
            if common:
                built = queries.build(text, common=common, analyses=self.analyses, ranking=self.ranking,
                                      named=built.named)
            by_score = page == 1 and not order
            hits, total, page, documents, ranked, matching = self._run(searcher, built, flt, page, page_size, order)
            relaxed = self._relaxed(searcher, built, hits, total, flt, by_score)
            if built.words and (total < FEW_HITS or relaxed):
                fuzzy = self._fuzzy_words(lexicon, built, everything=total < FEW_HITS)
                if fuzzy:
                    wider = queries.build(text, fuzzy=fuzzy, common=common, analyses=self.analyses,
                                          ranking=self.ranking, named=built.named)
                    found = self._run(searcher, wider, flt, page, page_size, order)
                    wider_relaxed = self._relaxed(searcher, wider, found[0], found[1], flt, by_score)
                    if (found[1], not wider_relaxed) > (total, not relaxed):
                        hits, total, page, documents, ranked, matching = found
                        built, relaxed = wider, wider_relaxed
                suggestion = spelling.suggest(lexicon, text, self.analyses)
        counts: dict[str, list[tuple[str, int]]] = {}
        if facets:
            counts = self._facets(searcher, documents, matching)
        resolutions = (self._matching_resolutions(searcher, hits, ranked, matching, built.bonus)
                       if built is not None else {})
        shown = [resolutions.get(fields["doc_id"], [])[:RESOLUTIONS_SHOWN] for fields, _ in hits]
        numbers = [len(resolutions.get(fields["doc_id"], [])) for fields, _ in hits]
        return SearchResults(query=text, total=total, page=page, page_size=page_size,
                             hits=make_hits(hits, shown, numbers, built.marked if built else [], load_texts,
                                            self.analyses),
                             relaxed=relaxed, suggestion=suggestion, facets=counts, total_exact=True)

    def resolutions_matching(self, text: str) -> set[tuple[str, str]]:
        """(document id, anchor) of every resolution record holding every word of ``text`` (the search
        language, filters too), unranked: the decision register's search box.

        :raises QueryError: when the query cannot be understood.
        """
        built = queries.build(text, analyses=self.analyses, ranking=self.ranking)
        searcher = self._searcher()
        wanted = built.matching if built.all_words is None else Q.And([built.all_words, built.matching])
        query = restrict(self._translate(wanted), self._translate(built.filter), self._resolutions)
        count = self._count(searcher, query)
        if not count:
            return set()
        return {(f["doc_id"], f["anchor"]) for f in (self._stored(searcher, a)
                                                      for _, a in searcher.search(query, count, count=False).hits)}

    def matching_documents(self, text: str, filters: SearchFilters | None, among: Iterable[str]) -> set[str]:
        """The ids, of those in ``among``, of the documents that a search for ``text`` with
        ``filters`` finds (through the document or one of its resolutions).

        :raises QueryError: when the query cannot be understood.
        """
        among = sorted(set(among))
        if not among:
            return set()
        filters = filters or SearchFilters()
        searcher = self._searcher()
        if text.strip():
            built = queries.build(text, analyses=self.analyses, ranking=self.ranking)
            matching, flt = self._translate(built.matching), self._translate(_combine(built.filter, filters.query()))
        else:
            matching, flt = tantivy.Query.all_query(), self._translate(filters.query())
        return self._doc_ids(searcher, restrict(matching, flt, self._id_set(among)))

    def more_like(self, doc_id: str, text: str, limit: int, exclude: frozenset[str] = frozenset()) -> list[Hit]:
        """Up to ``limit`` documents (not resolutions) like ``doc_id``, from the key terms of its
        stemmed ``text`` (by tf·idf, as Whoosh's ``more_like`` picks them), leaving out those in
        ``exclude``."""
        searcher = self._searcher()
        if not text.strip() or not self._count(searcher, self._term("key", f"d:{doc_id}")):
            return []
        terms = self._key_terms(searcher, text)
        if not terms:
            return []
        likeness = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.boost_query(
                tantivy.Query.term_query(self.schema, "content", term, index_option="freq"), weight))
            for term, weight in terms])
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, likeness), (tantivy.Occur.Must, self._documents),
                                             (tantivy.Occur.MustNot, self._term("doc_id", doc_id))])
        hits = []
        for score, address in searcher.search(query, limit + len(exclude) + 1, count=False).hits:
            fields = self._stored(searcher, address)
            if fields["doc_id"] in exclude or fields["doc_id"] == doc_id:
                continue
            hits.append(similar_hit(fields, score))
            if len(hits) == limit:
                break
        return hits

    def _key_terms(self, searcher, text: str) -> list[tuple[str, float]]:
        """The SIMILAR_TERMS stems of ``text`` that tell it most (tf·idf), each with its weight (the
        best 1)."""
        converter = RecordConverter(self.analyses)
        counts = Counter(term for term, _ in converter.terms("content", text))
        records = max(1, searcher.num_docs)
        scored = []
        for term, tf in counts.items():
            if len(term) < 2 or self.analyses.is_stopword(term):
                continue
            df = searcher.doc_freq("content", term)
            if df:
                scored.append((tf * math.log(1 + records / df), term))
        scored.sort(reverse=True)
        top = scored[:SIMILAR_TERMS]
        return [(term, weight / top[0][0]) for weight, term in top] if top else []


__all__ = ["TantivySearchIndex"]
