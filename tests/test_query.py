"""The query language: parsing what a manager types, and the queries built from it."""
import pytest
from whoosh import query as Q

from indexer.errors import QueryError
from indexer.search.query import (MAX_QUERY_CHARS, MAX_QUERY_WILDCARDS, MAX_QUERY_WORDS, build, check_limits,
                           parse, query_words)


def test_parse_splits_words_phrases_exclusions_prefixes_and_filters():
    parsed = parse('خرید "اتوبوس برقی" -دیزل حمل* kind:صورتجلسه org:"حمل و نقل" year:۱۳۹۸')
    assert parsed.words == ["خرید"]
    assert parsed.phrases == ["اتوبوس برقی"]
    assert parsed.excluded == ["دیزل"]
    assert parsed.prefixes == ["حمل"]
    assert parsed.filters == {"kind": ["صورتجلسه"], "org": ["حمل و نقل"], "year": ["۱۳۹۸"]}


def test_unknown_field_is_a_plain_word():
    assert parse("http:example").words == ["http:example"]


def test_query_words_mark_function_words_and_fold_spellings():
    words = query_words("ساخت پارک در منطقه سه")
    assert [w.text for w in words] == ["ساخت", "پارک", "در", "منطقه", "سه"]
    assert [w.stop for w in words] == [False, False, True, False, True]
    assert "3" in words[-1].forms
    assert query_words("هیئت")[0].forms == ("هییت", "هیات")


def terms(q: Q.Query) -> set[tuple[str, str]]:
    return {(t.fieldname, t.text) for t in q.leaves() if isinstance(t, Q.Term)}


def test_words_are_ranked_with_glued_pairs_and_an_all_words_bonus():
    built = build("هیأت مدیره")
    assert ("shingles", "هیاتمدیره") in terms(built.ranked)
    assert ("exact", "هیاتمدیره") in terms(built.ranked)
    assert built.all_words is not None


def test_function_words_are_not_required():
    built = build("ساخت پارک در منطقه")
    required = terms(built.all_words)
    assert ("content", "پارک") in required and not {("content", "در"), ("exact", "در")} & required
    assert ("exact", "در") not in terms(built.ranked)  # alone it only costs time
    assert ("shingles", "درمنطقه") in terms(built.ranked)  # beside its neighbour it counts


def test_a_query_of_function_words_only_still_searches():
    assert build("از در").all_words is not None


def test_filters_and_errors():
    assert build("kind:minutes").filter == Q.Term("kind", "minutes")
    assert build("year:۱۳۹۸ اتوبوس").filter == Q.Term("year", "1398")
    with pytest.raises(QueryError):
        build("kind:unknown")
    with pytest.raises(QueryError):
        build("year:abc")
    with pytest.raises(QueryError):
        build('   "" -  ')


def test_fuzzy_is_added_only_for_the_named_words():
    plain = build("اتوبوس برقی")
    widened = build("اتوبوس برقی", fuzzy=frozenset({"اتوبوس"}))
    fuzzy = [q for q in widened.ranked.leaves() if isinstance(q, Q.FuzzyTerm)]
    assert not [q for q in plain.ranked.leaves() if isinstance(q, Q.FuzzyTerm)]
    assert [q.text for q in fuzzy] == ["اتوبوس"] * len(fuzzy) and fuzzy


@pytest.mark.parametrize("text, limit", [
    (" ".join(["ا"] * (MAX_QUERY_WORDS + 1)), "words"),
    (" ".join(["حمل*"] * (MAX_QUERY_WILDCARDS + 1)), "wildcards"),
    ("ب" * (MAX_QUERY_CHARS + 1), "characters"),
    (" ".join(["a"] * 2000), "characters"),
])
def test_queries_beyond_the_limits_are_refused_before_analysis(text, limit):
    with pytest.raises(QueryError, match=limit) as refused:
        build(text)
    assert "عبارت جست‌وجو" in refused.value.message_fa


def test_a_query_at_the_limits_is_built():
    words = ["اتوبوس", "برقی", "خرید", "جلسه"] * (MAX_QUERY_WORDS // 4)
    assert check_limits(" ".join(words)) and build(" ".join(words)).words
    assert build(" ".join(["حمل*"] * MAX_QUERY_WILDCARDS) + " اتوبوس").ranked is not None
