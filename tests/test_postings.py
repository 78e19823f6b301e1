"""indexer.search.postings: unscored block reads give exactly Whoosh's own matches, deletions left out."""
from whoosh import query as Q
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from indexer.search.postings import FieldSets, doc_set

WORDS = "شهرداری مصوبه اتوبوس پارک بودجه قرارداد پسماند جلسه".split()


def _index(tmp_path):
    storage = FileStorage(str(tmp_path), supports_mmap=False)
    ix = storage.create_index(Schema(key=ID(stored=True), body=TEXT, kind=ID(stored=True),
                                     date=ID(stored=True, sortable=True)))
    for segment in range(3):  # three segments, then deletions in two of them
        with ix.writer() as w:
            for i in range(300):  # more than one block (128 postings) per list
                n = segment * 300 + i
                body = " ".join(WORDS[k] for k in range(len(WORDS)) if (n + 1) % (k + 2) == 0) or "سایر"
                date = "" if n % 50 == 0 else f"139{n % 6}-{1 + n % 12:02d}-{1 + n % 28:02d}"
                w.add_document(key=str(n), body=body, kind=("minutes", "letter", "report")[n % 3], date=date)
    with ix.writer() as w:
        for n in (5, 17, 301, 302, 650):
            w.delete_by_term("key", str(n))
    return ix


QUERIES = [
    Q.Term("body", "اتوبوس"),
    Q.Or([Q.Term("body", "پارک"), Q.Term("body", "بودجه"), Q.Term("body", "نیست")]),
    Q.And([Q.Term("body", "مصوبه"), Q.Or([Q.Term("body", "جلسه"), Q.Term("kind", "letter")])]),
    Q.AndNot(Q.Term("body", "مصوبه"), Q.Term("body", "پارک")),
    Q.Every(),
    Q.Phrase("body", ["شهرداری", "مصوبه"]),              # not a term: Whoosh's own walk
    Q.TermRange("date", "1392-01-01", "1393-12-30"),
]


def test_doc_set_matches_whoosh_and_field_sets_order_and_count(tmp_path):
    ix = _index(tmp_path)
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 3
        sets = FieldSets(searcher.reader().generation(), ("date", "kind"))
        for query in QUERIES:
            expected = set(searcher.docs_for_query(query))
            assert doc_set(searcher, query) == expected, query
            assert doc_set(searcher, query, sets) == expected, query
        assert len(doc_set(searcher, Q.Every())) == 900 - 5

        query = Q.Or([QUERIES[1], Q.Term("body", "سایر")])  # with records that have no date
        hits = doc_set(searcher, query)
        for descending in (True, False):
            ordered = sets.ordered(searcher, "date", hits, 40, descending)
            reference = searcher.search(query, limit=None, sortedby="date", reverse=descending)
            dated = [h.docnum for h in reference if h["date"]]
            key = [searcher.stored_fields(d)["date"] for d in ordered]
            assert key == [searcher.stored_fields(d)["date"] for d in dated[:40]]
        undated = [d for d in sets.ordered(searcher, "date", hits, len(hits), True) if not searcher.stored_fields(d)["date"]]
        assert undated and undated == sorted(undated)  # last, in index order
        assert sets.ordered(searcher, "date", hits, len(hits), True)[-len(undated):] == undated

        counts = sets.counts(searcher, "kind", hits)
        assert counts == {k: sum(1 for d in hits if searcher.stored_fields(d)["kind"] == k)
                          for k in ("minutes", "letter", "report")}
    ix.close()


def test_docs_among_agrees_with_every_match(tmp_path):
    """Which of some candidate records a query matches, by skipping, is what walking every match says;
    over several segments, for words, a phrase and a union."""
    from indexer.search import SearchIndex
    from indexer.search.postings import docs_among
    from indexer.search.schema import text_fields

    idx = SearchIndex(tmp_path / "ix")
    words = ["اتوبوس برقی", "خرید اتوبوس", "پارک شهر", "اتوبوس", "برقی خرید", "شهر"]
    for batch in range(3):  # three commits: three segments
        with idx.writer() as w:
            for i, text in enumerate(words):
                key = f"d:{batch}-{i}"
                w.add_document(key=key, doc_id=key, hit_type="document", **text_fields("", text))
    searcher = idx._searcher()
    everything = set(searcher.reader().all_doc_ids())
    queries = [Q.Term("exact", "اتوبوس"), Q.Phrase("exact", ["اتوبوس", "برقی"]),
               Q.Sequence([Q.Term("exact", "خرید"), Q.Term("exact", "اتوبوس")]),
               Q.Or([Q.Term("exact", "پارک"), Q.Term("exact", "خرید")])]
    for query in queries:
        matched = set(searcher.docs_for_query(query))
        for candidates in (everything, set(sorted(everything)[::3]), {max(everything)}, set()):
            assert docs_among(searcher, query, candidates) == matched & candidates
    idx.close()
