"""indexer.search.weighting: BM25F with cached field lengths scores exactly as Whoosh's own BM25F."""
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


def test_scores_equal_whoosh_bm25f_over_several_segments(tmp_path):
    ix = _index(tmp_path)
    assert len(ix._segments()) >= 2
    with ix.searcher(weighting=scoring.BM25F(B=0.9, K1=2.0)) as stock, \
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
