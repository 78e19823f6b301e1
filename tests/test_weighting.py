"""indexer.search.weighting: BM25F with cached field lengths scores exactly as Whoosh's own BM25F
would with BM25's inverse document frequency."""
import math

from whoosh import query as Q, scoring
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from indexer.search.weighting import BM25F

WORDS = "شهرداری مصوبه اتوبوس پارک بودجه قرارداد پسماند هیأت مدیره جلسه".split()


def _index(tmp_path):
    storage = FileStorage(str(tmp_path), supports_mmap=False)
    ix = storage.create_index(Schema(key=ID(stored=True), body=TEXT, title=TEXT))
    for segment in range(3):  # three commits: three segments, lengths cached per segment
        with ix.writer() as w:
            for i in range(40):
                n = segment * 40 + i
                words = [WORDS[(n * k) % len(WORDS)] for k in range(1, 3 + n % 17)]
                w.add_document(key=str(n), body=" ".join(words * (1 + n % 5)), title=WORDS[n % len(WORDS)])
    with ix.writer() as w:  # a deletion leaves the segment's lengths as they were
        w.delete_by_term("key", "7")
    return ix


class _StockLengths(scoring.BM25F):
    """Whoosh's own BM25F (each length read from the segment at each posting) with our idf: what
    the cache must score exactly."""

    idf = BM25F.idf


def test_scores_equal_whoosh_bm25f_over_several_segments(tmp_path):
    ix = _index(tmp_path)
    assert len(ix._segments()) >= 2
    with ix.searcher(weighting=_StockLengths(B=0.9, K1=2.0)) as stock, \
            ix.searcher(weighting=BM25F(B=0.9, K1=2.0)) as cached:
        _compare(stock, cached)
    ix.close()


def _compare(stock, cached):
    compared = 0
    for word in WORDS:
        for query in (Q.Term("body", word), Q.Term("title", word, boost=3.0),
                      Q.Or([Q.Term("body", word), Q.Term("title", word)])):
            expected = [(h["key"], round(h.score, 9)) for h in stock.search(query, limit=None)]
            got = [(h["key"], round(h.score, 9)) for h in cached.search(query, limit=None)]
            assert got == expected
            compared += len(got)
    assert compared > 200
    assert "7" not in {h["key"] for h in cached.search(Q.Every(), limit=None)}


def test_idf_is_bm25s_own_over_the_whole_index(tmp_path):
    """log(1 + (N - n + 0.5) / (n + 0.5)) as Lucene and Tantivy compute it (Whoosh's own,
    log(N / (n + 1)) + 1, weighs a word in every record 1), with N and n of every segment."""
    ix = _index(tmp_path)
    weighting = BM25F(B=0.9, K1=2.0)
    with ix.searcher(weighting=weighting) as searcher:
        records = searcher.doc_count_all()
        assert records == 120  # deleted records count until a merge, as in Whoosh's own statistics
        for word in WORDS:
            n = searcher.doc_frequency("body", word)
            assert 0 < n <= records
            assert weighting.idf(searcher, "body", word) == \
                math.log(1 + (records - n + 0.5) / (n + 0.5))
        common = max(WORDS, key=lambda w: searcher.doc_frequency("body", w))
        assert searcher.doc_frequency("body", common) > records / 2
        assert weighting.idf(searcher, "body", common) < 0.7 < scoring.BM25F().idf(searcher, "body", common)
    ix.close()
