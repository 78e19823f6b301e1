"""The Whoosh index behind a narrow interface: add, delete, clear, search with snippets.

The index is disposable: the catalog holds everything needed to rebuild it (``bayegan reindex``).
Writes happen in ``with index.writer() as w:`` blocks, committed as a whole or not at all.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import threading
from itertools import islice
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from whoosh import query as Q
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import TermNotFound
from whoosh.writing import IndexWriter

from indexer.search import persian
from indexer.search import query as queries
from indexer.search import spelling
from indexer.search.schema import build_schema
from indexer.search.postings import DocumentRecords, FieldSets, doc_set, docs_among, reads_blocks
from indexer.search.snippets import MAX_SCAN_CHARS, snippet_with_start
from indexer.search.ranking import RANKING, Ranking
from indexer.search.weighting import BM25F

INDEX_NAME = "bayegan"
FACET_FIELDS = ("kind", "organization", "year", "state")
WRITER_LOCK_TIMEOUT_S = 120
FEW_HITS = 3  # fewer hits than this: try words one letter away and suggest a spelling
COUNT_LIMIT = 1000  # hits are counted up to this many where Whoosh did not count them itself
SUGGEST_TERMS = 100  # indexed words beginning with a typed prefix that are ranked by frequency
SIMILAR_TERMS = 12   # key terms of a document that "similar documents" look for
RESOLUTIONS_SHOWN = 3  # a hit's matching resolutions listed under it, the best first (the rest counted)
RESOLUTION_SCAN_CHARS = 500  # a resolution's snippet is looked for in its beginning (its title is shown too)


@dataclass(frozen=True)
class ResolutionHit:
    """One of a document hit's matching resolutions: its anchor in the document (``r3``), its number,
    title, snippet and score."""

    anchor: str
    number: str
    title: str
    snippet: str
    score: float


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
    page: int | None = None  # the page of the text holding the snippet (documents), 1-based
    # the document's resolutions that match the query, the best first (at most RESOLUTIONS_SHOWN)...
    resolutions: tuple[ResolutionHit, ...] = ()
    resolution_count: int = 0  # ...and how many match in all


@dataclass(frozen=True)
class SearchResults:
    """One page of a search. Every count is of documents: a document is listed once, its matching
    resolutions inside its hit."""

    query: str
    total: int  # documents
    page: int
    page_size: int
    hits: list[Hit]
    relaxed: bool  # true when no hit holds every word (function words aside)
    total_exact: bool = True  # False: there are more than ``total`` hits (not counted further)
    suggestion: str | None = None  # "did you mean", when the query found nothing or little
    # hits by kind, organization and Jalali year over the whole filtered result set, most first
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


SORTS = ("relevance", "newest", "oldest")
PAGE_BREAK = "\f"  # between pages in the texts ``load_texts`` gives: a snippet's page is counted by it


@dataclass(frozen=True)
class _Page:
    hits: list[tuple[int, float | None]]  # (document record, its best record's score)
    total: int  # documents
    exact: bool  # False: at least ``total`` (the count limit) hits, not counted further
    scores: dict[int, float] = field(default_factory=dict)  # the records scored (ranked by score)
    matched: set[int] | None = None  # every record the query matches, where that was read...
    matched_ranked: bool = False  # ...by the ranked query (which also matches titles), not by ``matching``
    shown: int = 1  # the page shown: the one asked for, or the last one when that is past the end

@dataclass(frozen=True)
class _Ranked:
    results: _Page
    built: queries.BuiltQuery | None  # the query that found them (None: filters alone)
    relaxed: bool
    suggestion: str | None = None


@dataclass(frozen=True)
class SearchFilters:
    """Filters chosen beside the typed query: kind, organization and a Jalali date range
    (``YYYY-MM-DD``, either end open)."""

    kind: str = ""
    organization: str = ""
    date_from: str = ""
    date_to: str = ""

    def __bool__(self) -> bool:
        return bool(self.kind or self.organization or self.date_from or self.date_to)

    def query(self) -> Q.Query | None:
        parts: list[Q.Query] = []
        if self.kind:
            parts.append(Q.Term("kind", self.kind))
        if self.organization:
            parts.append(Q.Term("organization", self.organization))
        if self.date_from or self.date_to:
            parts.append(Q.TermRange("date", self.date_from or "1300-01-01", self.date_to or "1499-12-30"))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Q.And(parts)


def _combine(*filters: Q.Query | None) -> Q.Query | None:
    present = [f for f in filters if f is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else Q.And(present)


class _RecordingCollector(TopCollector):
    """Whoosh's top-N collector that also keeps the number of every record it scores: where it scores
    every match (``computes_count``), the same walk tells which records match, and so which documents."""

    def __init__(self, limit: int):
        super().__init__(limit=limit)
        self.seen: set[int] = set()

    def _collect(self, global_docnum, score):
        self.seen.add(global_docnum)
        return super()._collect(global_docnum, score)


def _matches(searcher, query: Q.Query, allowed: set[int] | None) -> Iterator[int]:
    """The document numbers ``query`` matches among those ``allowed`` (None: all), lazily: a segment
    at a time, by its matcher's own walk. Whoosh's ``docs_for_query`` reads the matcher's
    ``all_ids()``, which for an intersection first builds the set of each side's ids: a caller stopping
    at the first match (:meth:`SearchIndex._relaxed`) or past the count limit paid for every match of
    the segment, on an index of one segment (after ``bayegan reindex``) every match in the archive."""
    for sub, offset in searcher.leaf_searchers():
        try:
            matcher = query.matcher(sub, sub.boolean_context())
        except TermNotFound:
            continue
        while matcher.is_active():
            record = matcher.id() + offset
            if allowed is None or record in allowed:
                yield record
            matcher.next()


_MARK = re.compile(r"<mark>(.*?)</mark>")


def _where(body: str, part: str, snippet: str) -> int:
    """Where in a document's ``body`` the first marked word of the ``snippet`` cut from ``part`` (a
    resolution's text, found in the body by its beginning) stands; the beginning of ``part`` when
    it cannot tell, 0 when ``part`` is not found. Its page is what the snippet's page link opens."""
    begins = max(0, body.find(part[:80]))
    marked = _MARK.search(snippet)
    at = body.find(html.unescape(marked.group(1)), begins) if marked else -1
    return at if at >= 0 else begins


def similar_hit(fields: dict, score: float) -> Hit:
    """A similar document's hit (no snippet), from its record's stored fields."""
    return Hit(key=fields["key"], doc_id=fields["doc_id"], hit_type="document", anchor=None,
               resolution_number=None, title=fields.get("title", ""), kind=fields.get("kind", "other"),
               date=fields.get("date") or None, organization=fields.get("organization") or None,
               number=fields.get("number") or None, snippet="", score=round(score, 4))


def make_hits(page: list[tuple[dict, float | None]], shown: list[list[tuple[dict, float]]], counts: list[int],
              marked: list, load_texts: Callable[[list[tuple[str, str | None]]], dict[str, str]] | None,
              analyses: persian.WordAnalyses) -> list[Hit]:
    """A page's hits, from each hit's stored fields and score, its best matching resolutions (stored
    fields, score; at most RESOLUTIONS_SHOWN) and how many match in all: each with the snippet of its
    text (from the catalog, by ``load_texts``) where the query's words are marked, for a document the
    page of the text it comes from, and its resolutions with theirs. A document listing matching
    resolutions has no snippet of its own: theirs are the passages, and its page is where the best
    one begins. Both engines build their hits here."""
    wanted = [(f["doc_id"], f.get("anchor") or None) for f, _ in page]
    wanted += [(f["doc_id"], f["anchor"]) for records in shown for f, _ in records]
    texts = load_texts(wanted) if load_texts and page else {}

    def snippet_of(fields: dict) -> tuple[str, int]:
        body = texts.get(fields["key"], "")
        scan = RESOLUTION_SCAN_CHARS if fields.get("anchor") else MAX_SCAN_CHARS
        return snippet_with_start(body, marked, analyses=analyses, scan_chars=scan) if body else ("", 0)

    hits = []
    for (fields, score), records, count in zip(page, shown, counts):
        body = texts.get(fields["key"], "")
        theirs = [(f, s, *snippet_of(f)) for f, s in records if f["doc_id"] == fields["doc_id"]]
        under = tuple(ResolutionHit(anchor=f["anchor"], number=f.get("resolution_number") or "",
                                    title=f.get("title", ""), snippet=snip, score=round(float(s), 4))
                      for f, s, snip, _ in theirs)
        if theirs:
            # its matching resolutions are listed under it, each with its snippet: those are the
            # passages (the document's own would repeat one, and cost a walk of its long text)
            best, _, best_snippet, _ = theirs[0]
            snippet, at = "", _where(body, texts.get(best["key"], ""), best_snippet)
        else:
            snippet, at = snippet_of(fields)
        hits.append(Hit(
            key=fields["key"], doc_id=fields["doc_id"], hit_type=fields["hit_type"],
            anchor=fields.get("anchor") or None,
            resolution_number=fields.get("resolution_number") or None,
            title=fields.get("title", ""), kind=fields.get("kind", "other"),
            date=fields.get("date") or None, organization=fields.get("organization") or None,
            number=fields.get("number") or None,
            snippet=snippet,
            score=round(float(score), 4) if isinstance(score, (int, float)) else 0.0,
            page=body.count(PAGE_BREAK, 0, at) + 1 if fields["hit_type"] == "document" else None,
            resolutions=under, resolution_count=count))
    return hits


class SearchIndex:
    """One Whoosh index in a folder, always opened with the schema built in code."""

    engine = "whoosh"
    prepare_text = None  # Whoosh analyzes records' texts itself, field by field, nothing ahead

    def __init__(self, path: str | os.PathLike, writer_memory_mb: int = 128, count_limit: int = COUNT_LIMIT,
                 analyses: persian.WordAnalyses | None = None, ranking: Ranking = RANKING):
        self.path = Path(path)
        self.analyses = analyses or persian.PLAIN  # how its words are analyzed, its memo with them
        self.writer_memory_mb = writer_memory_mb
        self.count_limit = count_limit
        self.ranking = ranking
        self.weighting = BM25F(B=ranking.bm25_b, K1=ranking.bm25_k1)
        self._ix = None
        self._local = threading.local()  # each thread's searcher, kept while the index is unchanged
        self._searchers: set = set()
        self._searchers_lock = threading.Lock()
        self._sets: FieldSets | None = None

    def _searcher(self):
        """This thread's searcher on the newest commit. Opening one reads every segment's header
        (a tenth of a second on a large index), so it is kept until a commit makes it stale."""
        current = getattr(self._local, "searcher", None)
        if current is not None and current.up_to_date():
            return current
        if current is not None:
            with self._searchers_lock:
                self._searchers.discard(current)
            current.close()
        current = self.ix.searcher(weighting=self.weighting)
        self._local.searcher = current
        with self._searchers_lock:
            self._searchers.add(current)
        return current

    @property
    def ix(self):
        if self._ix is None:
            self.path.mkdir(parents=True, exist_ok=True)
            schema = build_schema(self.analyses)
            # Without mmap: Whoosh copies a memory-mapped segment's postings into memory for every
            # reader it opens (300 MB a reader at 10,000 documents, one per web thread); read as
            # files, a reader opens in 10 ms and the page cache is shared.
            storage = FileStorage(str(self.path), supports_mmap=False)
            if self.exists():
                self._ix = storage.open_index(INDEX_NAME, schema=schema)
            else:
                self._ix = storage.create_index(schema, indexname=INDEX_NAME)
        return self._ix

    def exists(self) -> bool:
        """Whether the folder holds an index. Whoosh's own ``exists_in`` unpickles the schema saved in
        the index, which fails once an analyzer class has been renamed by an upgrade; the index is
        always opened with the schema built in code, so only its table of contents is looked for."""
        return any(self.path.glob(f"_{INDEX_NAME}_*.toc"))

    @contextmanager
    def writer(self) -> Iterator[IndexWriter]:
        """A writer committed when the block ends and cancelled when it raises."""
        with self.ix.writer(timeout=WRITER_LOCK_TIMEOUT_S, limitmb=self.writer_memory_mb) as w:
            yield w
        self.analyses.save()  # the words just indexed, for processes that only search

    @staticmethod
    def put_records(writer: IndexWriter, doc_id: str, records: Iterable[dict]) -> None:
        """Replace one document's records (itself and its resolutions) in the writer's batch, the
        document's first: a resolution record belongs to the document record before it
        (:class:`~indexer.search.postings.DocumentRecords`)."""
        writer.delete_by_term("doc_id", doc_id)
        for record in sorted(records, key=lambda r: r.get("hit_type") != "document"):
            writer.add_document(**record)

    def rebuild(self, records: Iterable[dict], documents: int | None = None) -> None:
        """Replace the whole index with these records, in one commit that drops every older segment
        (``CLEAR``): a search meanwhile sees the old index, then the new one, never a half. The writer
        spills its postings to disk past ``writer_memory_mb``; a failure (or a kill) leaves the old
        index as it was. (``documents``, how many the records are of, is for engines that use it.)"""
        from whoosh.writing import CLEAR

        writer = self.ix.writer(timeout=WRITER_LOCK_TIMEOUT_S, limitmb=self.writer_memory_mb)
        try:
            current = None  # the doc_id of the last document record written
            for record in records:
                if record.get("hit_type") == "document":
                    current = record["doc_id"]
                elif record["doc_id"] != current:
                    raise ValueError(f"record {record['key']} does not follow its document's record")
                writer.add_document(**record)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR)
        self.analyses.save()

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file()) if self.path.is_dir() else 0

    def indexed_ids(self) -> set[str]:
        """The ids of the documents with records in the index (the ``doc_id`` field's terms)."""
        with self.ix.searcher() as searcher:
            return {t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.lexicon("doc_id")}

    def records(self) -> Iterator[tuple[str, str, str | None]]:
        """(document id, ``document`` or ``resolution``, version or None) of every record: what
        ``bayegan check`` compares with the catalog."""
        with self.ix.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield fields["doc_id"], fields.get("hit_type", ""), fields.get("version")

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        """Remove these documents' records, in one commit."""
        with self.writer() as w:
            for doc_id in doc_ids:
                w.delete_by_term("doc_id", doc_id)

    def delete_document(self, doc_id: str) -> None:
        with self.writer() as w:
            w.delete_by_term("doc_id", doc_id)

    def clear(self) -> None:
        """Remove the whole index folder and start an empty one."""
        self.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.ix  # noqa: B018 - creates it

    def resolutions_matching(self, text: str) -> set[tuple[str, str]]:
        """(document id, anchor) of every resolution record holding every word of ``text`` (the search
        language, filters too), unranked: the decision register's search box.

        :raises QueryError: when the query cannot be understood.
        """
        built = queries.build(text, analyses=self.analyses, ranking=self.ranking)
        searcher = self._searcher()
        flt = _combine(built.filter, Q.Term("hit_type", "resolution"))
        wanted = built.matching if built.all_words is None else Q.And([built.all_words, built.matching])
        docs = self._all_matches(searcher, wanted, self._allowed(searcher, flt))
        return {(f["doc_id"], f["anchor"]) for f in map(searcher.stored_fields, docs)}

    def doc_count(self) -> int:
        with self.ix.searcher() as s:
            return s.doc_count()

    def indexed_count(self) -> int:
        """How many documents (not resolutions) the index holds: a walk of one posting list."""
        with self.ix.searcher() as s:
            return sum(1 for _ in s.document_numbers(hit_type="document"))

    def _field_sets(self, searcher) -> FieldSets:
        """The documents of each date, kind, organization and year, kept for the searchers of the
        newest commit (every thread's searcher of one generation numbers documents alike)."""
        generation = searcher.reader().generation()
        with self._searchers_lock:
            if self._sets is None or generation is None or self._sets.generation != generation:
                self._sets = FieldSets(generation, ("date",) + FACET_FIELDS)
            return self._sets

    def _documents(self, searcher) -> DocumentRecords:
        """Which document each record belongs to, kept with the field sets of this generation."""
        sets = self._field_sets(searcher)
        with self._searchers_lock:
            if sets.documents is None:
                sets.documents = DocumentRecords(searcher)
            return sets.documents

    def _allowed(self, searcher, flt: Q.Query | None) -> set[int] | None:
        """The documents a filter lets through, as a set (a date range from the kept dates)."""
        return None if flt is None else doc_set(searcher, flt, self._field_sets(searcher))

    def _all_matches(self, searcher, query: Q.Query, allowed: set[int] | None) -> set[int]:
        """Every document ``query`` matches among those ``allowed`` (see indexer.search.postings)."""
        docs = doc_set(searcher, query, self._field_sets(searcher))
        return docs & allowed if allowed is not None else docs

    def _facets(self, searcher, main: Q.Query, allowed: set[int] | None) -> tuple[dict[str, list[tuple[str, int]]], int]:
        """Documents found by kind, organization, Jalali year and follow-up state, over every hit of
        the query, not one page; and the number of documents found (this pass counts them all). A
        document is counted once, whether its own record or its resolutions matched; under a state,
        the documents with a matching resolution in that state."""
        records = self._all_matches(searcher, main, allowed)
        documents = self._documents(searcher)
        found = documents.owners(records)
        sets = self._field_sets(searcher)
        counts = {}
        for name in FACET_FIELDS:
            if name == "state":  # only resolution records hold a state
                by_value = {value: len(documents.owners(holders & records))
                            for value, holders in sets.values(searcher, name)}
            else:
                by_value = sets.counts(searcher, name, found)
            counts[name] = sorted(((v, n) for v, n in by_value.items() if n), key=lambda kc: (-kc[1], kc[0]))
        return counts, len(found)

    def close(self) -> None:
        with self._searchers_lock:
            searchers, self._searchers = self._searchers, set()
        for searcher in searchers:
            searcher.close()
        self._local = threading.local()
        self._sets = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def _relaxed(self, searcher, built: queries.BuiltQuery, results: "_Page", allowed: set[int] | None,
                 by_score: bool) -> bool:
        """Whether no hit holds every content word of the query. On page one of a ranking with the
        all-words bonus the top score tells; else a walk, unscored, to the first document that
        holds every word."""
        if results.total == 0 or built.all_words is None or built.every_hit_complete:
            return False
        if by_score and built.bonus:
            return (results.hits[0][1] or 0.0) < self.ranking.all_words_bonus
        return not any(_matches(searcher, built.all_words, allowed))

    def _page(self, searcher, ranked: Q.Query, matching: Q.Query, page: int, page_size: int,
              allowed: set[int] | None, order: str) -> "_Page":
        """One page of documents (document record, score) and the number of documents found. Ranked
        by score, a document by its best record (itself or one of its resolutions), or the unscored
        ``matching`` in date order (``order`` "newest" or "oldest"; "" ranks)."""
        if allowed is not None and not allowed:  # the filters let nothing through (Whoosh would ignore {})
            return _Page([], 0, True, shown=1)
        if order:
            return self._by_date(searcher, matching, page, page_size, allowed, newest=order == "newest")
        documents = self._documents(searcher)
        wanted = page * page_size
        limit = 2 * wanted  # a minutes file's resolutions take places among the top records...
        while True:
            collector = _RecordingCollector(limit)
            outer = collector if allowed is None else FilterCollector(collector, allow=allowed)
            searcher.search_with_collector(ranked, outer)
            results = outer.results()
            best: dict[int, float] = {}  # document record -> its best record's score, the best first
            for record, score in results.items():
                best.setdefault(documents.owner(record), score)
            every = results.scored_length() < limit  # Whoosh stopped short: every match was scored
            matched = collector.seen if collector.computes_count() else None  # every match, where walked
            if every or len(best) >= wanted or (matched is not None and len(documents.owners(matched)) == len(best)):
                break
            limit *= 4  # ...so many that fewer documents than a page's remain: read further
        exact, scores = True, dict(results.items())
        matched_ranked = matched is not None
        if every:
            total = len(best)
        elif matched is not None:
            total = len(documents.owners(matched))
        elif reads_blocks(matching):  # plain words: every match read as whole blocks, and counted
            matched = self._all_matches(searcher, matching, allowed)
            total = len(documents.owners(matched))
        else:  # count the documents of every match by a walk (a phrase's every match is costly)...
            total = self._count_documents(searcher, matching, allowed, documents)
            if total > self.count_limit:  # ...that stops one past the count limit
                total, exact = max(self.count_limit, len(best)), False
        last = max(1, -(-total // page_size))
        if page > last:  # past the end: the last page, as Whoosh's pages do
            return self._page(searcher, ranked, matching, last, page_size, allowed, order)
        chosen = list(best.items())[(page - 1) * page_size:wanted]
        return _Page(chosen, total, exact, scores, matched, matched_ranked, shown=page)

    def _count_documents(self, searcher, matching: Q.Query, allowed: set[int] | None,
                         documents: DocumentRecords) -> int:
        """How many documents ``matching`` finds, by a walk, unscored, that stops one past the count
        limit."""
        found: set[int] = set()
        for record in _matches(searcher, matching, allowed):
            found.add(documents.owner(record))
            if len(found) > self.count_limit:
                break
        return len(found)

    def _by_date(self, searcher, matching: Q.Query, page: int, page_size: int, allowed: set[int] | None,
                 newest: bool) -> "_Page":
        """One page of hits in date order, newest or oldest first, records without a date last. Every
        hit is found (by block reads) and counted, but only the dates from the chosen end down to the
        page's last hit are read: Whoosh's ``sortedby`` walked and sorted every hit, 0.6–0.9 s for the
        common two-word queries of the 10,000-document benchmark."""
        records = self._all_matches(searcher, matching, allowed)
        docs = self._documents(searcher).owners(records)
        page = min(page, max(1, -(-len(docs) // page_size)))
        ordered = self._field_sets(searcher).ordered(searcher, "date", docs, page * page_size, descending=newest)
        chosen = ordered[(page - 1) * page_size:]
        return _Page([(d, None) for d in chosen], len(docs), True, matched=records, shown=page)

    def common_words(self, built: queries.BuiltQuery) -> frozenset[str]:
        """The query's words found in more than ``ranking.common_share`` of the records."""
        return self._common_words(self._searcher(), built)

    def _common_words(self, searcher, built: queries.BuiltQuery) -> frozenset[str]:
        """The query's words (function words too) found in more than ``ranking.common_share`` of the
        records (by their stems)."""
        records = searcher.doc_count_all()
        if records < self.ranking.common_min_records:
            return frozenset()
        limit = self.ranking.common_share * records
        return frozenset(w.text for w in built.words if any(
            searcher.doc_frequency("content", s) > limit for s in w.stems))

    @staticmethod
    def _fuzzy_words(searcher, built: queries.BuiltQuery, everything: bool) -> frozenset[str]:
        """The words to widen to one letter away: those the index does not hold, or every content
        word when the query found little."""
        return frozenset(w.text for w in built.words if not w.stop and (everything or not any(
            searcher.doc_frequency(name, form) for name, form in
            [("exact", w.text), ("shingles", w.text)] + [("content", s) for s in w.stems])))

    def search(self, text: str, *, page: int = 1, page_size: int = 20,
               load_texts: Callable[[list[tuple[str, str | None]]], dict[str, str]] | None = None,
               facets: bool = False, filters: SearchFilters | None = None,
               sort: str = "relevance", named: tuple[tuple[str, str], ...] = ()) -> SearchResults:
        """Search and return one page of hits with highlighted snippets.

        ``load_texts`` receives (doc_id, anchor) pairs and returns the text of each by hit key, from
        the catalog, for the snippets. With ``facets``, every hit is also counted by kind,
        organization and Jalali year (a second pass over all the matches). ``filters`` narrow the
        hits; ``sort`` is one of :data:`SORTS`. An empty query with filters lists what they match.
        ``named``: the configured organizations the text names (see :func:`queries.build`).

        :raises QueryError: when the query cannot be understood (or is empty without filters).
        """
        filters = filters or SearchFilters()
        built = (queries.build(text, analyses=self.analyses, ranking=self.ranking, named=named)
                 if text.strip() or not filters else None)
        page = max(1, page)
        order = sort if sort in ("newest", "oldest") else ""
        searcher = self._searcher()
        if built is None:  # filters alone: list what they match
            flt = self._allowed(searcher, filters.query())
            matching: Q.Query = Q.Every()
            ranked = _Ranked(self._page(searcher, matching, matching, page, page_size, flt, order), None, False)
        else:
            flt = self._allowed(searcher, _combine(built.filter, filters.query()))
            ranked = self._rank(searcher, text, built, page, page_size, flt, order)
            matching = ranked.built.matching
        results = ranked.results
        counts: dict[str, list[tuple[str, int]]] = {}
        total, total_exact = results.total, results.exact
        if facets:
            counts, total = self._facets(searcher, matching, flt)
            total_exact = True
        marked = ranked.built.marked if ranked.built else []
        resolutions = (self._matching_resolutions(searcher, results, ranked.built.matching, flt)
                       if ranked.built else {})
        return SearchResults(query=text, total=total, page=results.shown if results.total else page,
                             page_size=page_size, hits=self._hits(searcher, results.hits, resolutions, marked, load_texts),
                             relaxed=ranked.relaxed, suggestion=ranked.suggestion, facets=counts,
                             total_exact=total_exact)

    def _matching_resolutions(self, searcher, results: "_Page", matching: Q.Query,
                              allowed: set[int] | None) -> dict[int, list[tuple[int, float]]]:
        """The resolution records of the page's documents that the query matches, each document's
        the best first: (record, score) by document record. The scores are the ranked pass's; a
        resolution matched below the records it read (or in a date order) scores 0 and comes after,
        in the document's order. Which match: those of the page's documents' resolutions (among the
        records that pass read, when it read them all) that ``matching`` matches, its matcher skipped
        from one to the next (reading every match cost a phrase more than its search; a second scored
        pass, more still), as on Tantivy."""
        documents = self._documents(searcher)
        heads = [h for h, _ in results.hits if documents.resolutions(h)]
        if not heads:
            return {}
        # only the page's documents' resolutions are asked about; a resolution is listed when it
        # holds the query's words (``matching``), not when only its title or a word's root scored it
        candidates = {r for head in heads for r in documents.resolutions(head)}
        if results.matched is not None and not results.matched_ranked:
            matched = results.matched  # read from ``matching`` itself
        else:
            if results.matched is not None:
                candidates &= results.matched
            matched = docs_among(searcher, matching, candidates)
            if allowed is not None:
                matched &= allowed
        found: dict[int, list[tuple[int, float]]] = {}
        for head in heads:
            theirs = [r for r in documents.resolutions(head) if r in matched]
            if theirs:
                found[head] = sorted(((r, results.scores.get(r, 0.0)) for r in theirs), key=lambda rs: -rs[1])
        return found

    def _rank(self, searcher, text: str, built: queries.BuiltQuery, page: int, page_size: int,
              flt: set[int] | None, order: str) -> "_Ranked":
        """One page of the query's hits. Words common in this index are looked up in fewer fields;
        when few hits hold every word, words one letter away are tried too (kept when they find more
        or complete hits), and a spelling is suggested."""
        common = self._common_words(searcher, built)
        if common:
            built = queries.build(text, common=common, analyses=self.analyses, ranking=self.ranking,
                                  named=built.named)
        results = self._page(searcher, built.ranked, built.matching, page, page_size, flt, order)
        by_score = page == 1 and not order
        relaxed = self._relaxed(searcher, built, results, flt, by_score)
        if not built.words or (results.total >= FEW_HITS and not relaxed):
            return _Ranked(results, built, relaxed)
        fuzzy = self._fuzzy_words(searcher, built, everything=results.total < FEW_HITS)
        if fuzzy:
            wider_query = queries.build(text, fuzzy=fuzzy, common=common, analyses=self.analyses,
                                        ranking=self.ranking, named=built.named)
            wider = self._page(searcher, wider_query.ranked, wider_query.matching, page, page_size, flt, order)
            wider_relaxed = self._relaxed(searcher, wider_query, wider, flt, by_score)
            if (wider.total, not wider_relaxed) > (results.total, not relaxed):
                results, built, relaxed = wider, wider_query, wider_relaxed
        return _Ranked(results, built, relaxed, spelling.suggest(searcher, text, self.analyses))

    def _hits(self, searcher, found: list[tuple[int, float | None]],
              resolutions: dict[int, list[tuple[int, float]]], marked: list,
              load_texts: Callable[[list[tuple[str, str | None]]], dict[str, str]] | None) -> list[Hit]:
        """The page's hits (see :func:`make_hits`), from their records' stored fields."""
        page = [(searcher.stored_fields(record), score) for record, score in found]
        shown = [[(searcher.stored_fields(r), s) for r, s in resolutions.get(record, [])[:RESOLUTIONS_SHOWN]]
                 for record, _ in found]
        counts = [len(resolutions.get(record, [])) for record, _ in found]
        return make_hits(page, shown, counts, marked, load_texts, self.analyses)

    def generation(self) -> int | None:
        """The generation of the newest commit (changes whenever the index does); None when empty."""
        return self._searcher().reader().generation()

    def suggest_words(self, prefix: str, limit: int) -> list[str]:
        """Indexed words (search forms) that begin with ``prefix``, the most frequent first."""
        if not prefix:
            return []
        reader = self._searcher().reader()
        terms = list(islice(reader.expand_prefix("exact", prefix), SUGGEST_TERMS))
        words = [t.decode("utf-8") if isinstance(t, bytes) else t for t in terms]
        ranked = sorted(words, key=lambda w: -reader.doc_frequency("exact", w))
        return [w for w in ranked if len(w) > 1][:limit]

    def more_like(self, doc_id: str, text: str, limit: int, exclude: frozenset[str] = frozenset()) -> list[Hit]:
        """Up to ``limit`` documents (not resolutions) like ``doc_id``, from the key terms of its
        stemmed ``text`` (Whoosh's ``more_like``: the text is the catalog's, the index stores none),
        leaving out the documents in ``exclude``."""
        searcher = self._searcher()
        docnum = searcher.document_number(key=f"d:{doc_id}")
        if docnum is None or not text.strip():
            return []
        allowed = doc_set(searcher, Q.Term("hit_type", "document"), self._field_sets(searcher))
        results = searcher.more_like(docnum, "content", text=text, top=limit + len(exclude) + 1,
                                     numterms=SIMILAR_TERMS, filter=allowed)
        hits = []
        for hit in results:
            fields = hit.fields()
            if fields["doc_id"] in exclude or fields["doc_id"] == doc_id:
                continue
            hits.append(similar_hit(fields, hit.score))
            if len(hits) == limit:
                break
        return hits

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
        only = Q.Or([Q.Term("doc_id", d) for d in among])
        if text.strip():
            built = queries.build(text, analyses=self.analyses, ranking=self.ranking)
            matching, flt = built.matching, _combine(built.filter, filters.query(), only)
        else:
            matching, flt = Q.Every(), _combine(filters.query(), only)
        docs = self._all_matches(searcher, matching, self._allowed(searcher, flt))
        return {searcher.stored_fields(d)["doc_id"] for d in docs}

