"""Bayegan's query tree rewritten for Tantivy, checked on a real Tantivy index."""
import pytest
from whoosh import query as Q

from indexer import query as queries
from indexer.schema import text_fields
from indexer.search.tantivy_index import TantivySearchIndex, _edit_distance
from indexer.search.tantivy_query import date_number, translate


@pytest.fixture
def index(tmp_path):
    index = TantivySearchIndex(tmp_path / "index")
    with index.writer() as w:
        for doc_id, date, text in [("a", "1398-03-11", "خرید اتوبوس برقی"), ("b", "1399-01-05", "تعمیر اتوبوس"),
                                   ("c", "", "پارک شهر")]:
            w.add_document(key=doc_id, doc_id=doc_id, hit_type="document", date=date, **text_fields("", text))
    yield index
    index.close()


def found(index, query) -> set[str]:
    searcher = index._searcher()
    return {index._stored(searcher, a)["doc_id"] for _, a in searcher.search(translate(index.schema, query), 10).hits}


def test_every_kind_of_node_the_builder_makes(index):
    assert found(index, Q.Term("exact", "اتوبوس")) == {"a", "b"}
    assert found(index, Q.And([Q.Term("exact", "اتوبوس"), Q.Term("exact", "برقی")])) == {"a"}
    assert found(index, Q.AndNot(Q.Term("exact", "اتوبوس"), Q.Term("exact", "برقی"))) == {"b"}
    assert found(index, Q.Sequence([Q.Term("exact", "اتوبوس"), Q.Term("exact", "برقی")])) == {"a"}
    assert found(index, Q.Sequence([Q.Term("exact", "برقی"), Q.Term("exact", "اتوبوس")])) == set()
    assert found(index, Q.FuzzyTerm("exact", "اتوبوص", maxdist=1)) == {"a", "b"}
    assert found(index, Q.Prefix("exact", "اتو")) == {"a", "b"}
    assert found(index, Q.TermRange("date", "1398-01-01", "1398-12-29")) == {"a"}
    assert found(index, Q.TermRange("date", "1398-06-01", None)) == {"b"}
    assert found(index, Q.Every()) == {"a", "b", "c"}
    assert found(index, Q.NullQuery) == set()
    assert found(index, queries.BonusQuery(Q.Term("exact", "پارک"), 5.0)) == {"c"}


def test_the_all_words_bonus_is_a_constant_score(index):
    searcher = index._searcher()
    hits = searcher.search(translate(index.schema, queries.BonusQuery(Q.Term("exact", "اتوبوس"), 7.0)), 10).hits
    assert [score for score, _ in hits] == [7.0, 7.0]


def test_an_unknown_node_is_refused(index):
    with pytest.raises(TypeError):
        translate(index.schema, Q.Variations("exact", "اتوبوس"))


def test_dates_become_sortable_numbers():
    assert date_number("1398-03-11") == 13980311
    assert date_number("") is None and date_number("1398") is None


def test_edit_distance_stops_past_its_limit():
    assert _edit_distance("پسمند", "پسماند", 2) == 1
    assert _edit_distance("اتوبوس", "پارک", 1) == 2
