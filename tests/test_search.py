"""Search on a real index of each engine: every spelling pair of issue 4 in both directions, and ranking."""
from itertools import permutations

import pytest

from tests.conftest import SEARCH_ENGINES

from whoosh import query as Q
from whoosh.analysis import RegexTokenizer
from whoosh.matching import WrappingMatcher

from indexer.search.engines import make_index
from indexer.search.index import SearchIndex
from indexer.search.ranking import Ranking
from indexer.search.schema import text_fields

# Each group: spellings of one word (or compound) that must find each other, both ways.
GROUPS = {
    "yeh": ["مديريت", "مدیریت"],
    "alef-maqsura": ["مصطفى", "مصطفی"],
    "kaf": ["كرمان", "کرمان"],
    "teh-marbuta": ["علاقة", "علاقه"],
    "ezafe": ["نامۀ", "نامهٔ", "نامه‌ی", "نامه"],
    "tatweel": ["مدیـــریت", "مدیریت"],
    "diacritics": ["مُصَوَّبه", "مصوبه"],
    "presentation-forms": ["ﻛﺮﻣﺎﻥ", "کرمان"],
    "bidi-controls": ["\u200fکرمان\u200e", "کرمان"],
    "hamza-hey'at": ["هیأت", "هیئت"],
    "hamza-mas'ul": ["مسئول", "مسؤول"],
    "hamza-ra'y": ["رأی", "رای"],
    "hamza-mo'assese": ["مؤسسه", "موسسه"],
    "zwnj-mishavad": ["می‌شود", "میشود", "می شود"],
    "zwnj-hey'at-modire": ["هیأت‌مدیره", "هیأتمدیره", "هیأت مدیره"],
    "zwnj-jam'avari": ["جمع‌آوری", "جمعآوری", "جمع آوری"],
    "zwnj-tarebar": ["تره‌بار", "ترهبار", "تره بار"],
    "plural-ha": ["سازمان‌ها", "سازمانها", "سازمان"],
    "plural-an": ["مدیران", "مدیر"],
    "plural-at": ["مصوبات", "مصوبه"],
    "plural-haye": ["اتوبوس‌های", "اتوبوس"],
    "digits": ["۱۳۹۸", "١٣٩٨", "1398"],
}
PAIRS = [(group, a, b) for group, spellings in GROUPS.items() for a, b in permutations(spellings, 2)]
FILLER = "این متن آزمایشی برای جست‌وجو است و واژهٔ مورد نظر در میان آن آمده است"


def key(group: str, spelling: str) -> str:
    return f"{group}:{GROUPS[group].index(spelling)}"


pytestmark = pytest.mark.both_engines


@pytest.fixture(scope="module", params=SEARCH_ENGINES)
def pairs_index(tmp_path_factory, request):
    """One index of each engine holding, for every group, one document per spelling."""
    index = make_index(request.param, tmp_path_factory.mktemp("pairs") / "index")
    with index.writer() as w:
        for group, spellings in GROUPS.items():
            for spelling in spellings:
                text = f"{FILLER} {spelling} پایان"
                w.add_document(key=key(group, spelling), doc_id=key(group, spelling), hit_type="document",
                               **text_fields("سند", text))
    yield index
    index.close()


@pytest.mark.parametrize("group, typed, written", PAIRS, ids=[f"{g}:{a}→{b}" for g, a, b in PAIRS])
def test_query_finds_every_spelling(pairs_index, group, typed, written):
    hits = [h.doc_id for h in pairs_index.search(typed, page_size=50).hits]
    assert key(group, written) in hits, hits


def build(tmp_path, docs: dict[str, tuple[str, str]], engine: str = "whoosh", **settings) -> SearchIndex:
    index = make_index(engine, tmp_path / "index", **settings)
    with index.writer() as w:
        for doc_id, (title, text) in docs.items():
            w.add_document(key=doc_id, doc_id=doc_id, hit_type="document", **text_fields(title, text))
    return index


def ids(index: SearchIndex, query: str) -> list[str]:
    return [h.doc_id for h in index.search(query).hits]


@pytest.fixture
def archive(tmp_path, engine):
    index = build(tmp_path, engine=engine, docs={
        "glued": ("صورتجلسه", "مصوبه هیأت‌مدیره سازمان دربارهٔ بودجه سال ۱۳۹۸ و گزارش حسابرس"),
        "spaced": ("صورتجلسه", "مصوبه هیئت مدیره سازمان دربارهٔ بودجه سال ۱۳۹۸ و گزارش حسابرس"),
        "scattered": ("صورتجلسه", "مدیره مدرسه گزارش داد که هیأت بازرسی از بودجه سال ۱۳۹۸ ایراد گرفت"),
        "park": ("صورتجلسه شورا", "ساخت پارک منطقه ۳ با اعتبار شهرداری تصویب شد"),
        "letter": ("نامه", "شماره ۱۲۳۴/ص/۹۸ مورخ ۱۳۹۸/۰۳/۱۱ دربارهٔ خرید اتوبوس"),
        "market": ("بازار", "ساماندهی میدان تره بار مرکزی شهر"),
    })
    yield index
    index.close()


def test_glued_query_does_not_match_scattered_parts(archive):
    assert set(ids(archive, "هیأتمدیره")) == {"glued", "spaced"}
    assert set(ids(archive, "هیأت‌مدیره")) == {"glued", "spaced"}


def test_one_part_of_a_compound_finds_it(tmp_path, engine):
    """A ZWNJ compound's parts are indexed beside it, at its position: «مدیره» finds هیأت‌مدیره and
    «توپ» به‌توپ‌بستن; the compound typed glued still needs its parts together. (Word pairs are not
    made of parts: a quoted part and the next word do not find it.)"""
    index = build(tmp_path, engine=engine, docs={
        "board": ("صورتجلسه", "جلسه هیأت‌مدیره سازمان فاوا برگزار شد"),
        "cannon": ("گزارش", "طرح به‌توپ‌بستن بودجه در شورا"),
        "scattered": ("نامه", "مدرسه هیأت بازرسی و کتابخانه سازمان"),
    })
    assert ids(index, "مدیره") == ["board"]
    assert ids(index, "توپ") == ["cannon"]
    assert sorted(ids(index, "هیئت")) == ["board", "scattered"]
    assert ids(index, "مدیره سازمان")[0] == "board"
    assert ids(index, "هیأتمدیره") == ids(index, "هیأت‌مدیره") == ["board"]
    index.close()


def test_a_compound_with_a_zwnj_weighs_as_much_as_with_a_space(tmp_path, engine):
    """Its parts count as the words, so the compound found glued adds no more than a pair: a short
    minutes of another board does not outrank the one holding every word of «هیئت مدیره سیما منظر»."""
    index = build(tmp_path, engine=engine, docs={
        "other": ("صورتجلسه هیئت‌مدیره سازمان فاوا", "صورتجلسه هیئت‌مدیره سازمان فاوا جلسه پنجم"),
        "asked": ("صورتجلسه هیئت مدیره سازمان سیما منظر و فضای سبز",
                  ("صورتجلسه هیئت مدیره سازمان سیما، منظر و فضای سبز شهری جلسه ۲۲ مصوبه آبیاری قطره‌ای بلوار "
                   "و واگذاری غرفه‌ها و کافه پارک از طریق مزایده عمومی برای مدت دو سال و کاشت نهال درختان")),
    })
    assert ids(index, "هیئت مدیره سیما منظر") == ["asked", "other"]
    index.close()


def test_a_word_of_the_same_root_ranks_higher_but_finds_nothing_alone(tmp_path, engine):
    """The roots field (a word's first four letters) scores the documents the query's words found:
    آلوده beside آلودگی lifts a document, آلوده alone does not make one a hit."""
    index = build(tmp_path, engine=engine, docs={
        "one": ("سند", "آلودگی هوای شهر و خودروهای فرسوده"),
        "both": ("سند", "آلودگی هوای شهر و خودروهای آلوده"),
        "root_only": ("سند", "خودروهای آلوده در شهر"),
    })
    assert ids(index, "آلودگی") == ["both", "one"]
    assert index.search("آلودگی").total == 2
    index.close()


def test_question_words_are_function_words(tmp_path, engine):
    """A question typed without its mark («کارگردان این فیلم کیست») asks for the documents holding
    its subject, not the word کیست: question words hazm's list lacks are function words too."""
    index = build(tmp_path, engine=engine, docs={
        "answer": ("سند", "کارگردان فیلم بهشت حتما همین است ایلیا سلیمان است"),
        "question": ("سند", "این فیلم کیست و چیست"),
    })
    results = index.search("کارگردان این فیلم کیست")
    assert results.hits[0].doc_id == "answer" and not results.relaxed
    index.close()


def test_an_excluded_word_excludes_the_first_candidate_too(tmp_path, engine):
    """Whoosh's AndNot let the first document of «گزارش» through when the excluded «اتوبوس» had an
    earlier document: records in this order made «گزارش -اتوبوس» list the bus report."""
    index = build(tmp_path, engine=engine, docs={
        "buses": ("نامه", "خرید اتوبوس"),
        "bus-report": ("نامه", "گزارش اتوبوس‌های خط ۵"),
        "report": ("نامه", "گزارش مالی سال"),
    })
    try:
        for sort in ("relevance", "newest"):
            results = index.search("گزارش -اتوبوس", sort=sort)
            assert [h.doc_id for h in results.hits] == ["report"] and results.total == 1
    finally:
        index.close()


def test_nouns_and_adjectives_of_hazms_stop_list_are_content_words(tmp_path, engine):
    """hazm's list holds رشد، نشست، تغییر، عالی beside از and که: a manager asking for «نشست هیأت
    مدیره» wants the minutes of a meeting first, not every page that names the board; «از» stays a
    function word."""
    index = build(tmp_path, engine=engine, docs={
        "meeting": ("سند", "نشست هیأت مدیره سازمان پسماند برگزار شد"),
        "board": ("سند", "هیأت مدیره هیأت مدیره سازمان هیأت مدیره پسماند"),
    })
    results = index.search("نشست هیأت مدیره")
    assert results.hits[0].doc_id == "meeting" and not results.relaxed
    results = index.search("از هیأت مدیره")
    assert {h.doc_id for h in results.hits} == {"meeting", "board"} and not results.relaxed
    index.close()


def test_a_short_page_is_the_top_of_a_long_one(tmp_path, engine):
    """Whoosh's AndMaybe pruned by quality bounds that do not hold for our unions and dropped the best
    hits from a short page; the roots clause's own matcher (query.ScoredAlso) must not."""
    import random

    rng = random.Random(7)
    words = ["آلودگی", "آلوده", "هوا", "شهر", "خودرو", "بودجه", "پارک", "پارکینگ", "ساخت", "سازمان",
             "سازمانی", "مدیریت", "مدیر", "انتخاب", "انتخابات", "شورا", "قرارداد", "قرار"]
    docs = {f"d{i}": ("سند", " ".join(rng.choice(words) for _ in range(rng.randint(3, 40)))) for i in range(120)}
    index = build(tmp_path, engine=engine, docs=docs)
    for query in ("آلودگی شهر", "مدیریت سازمان", "انتخابات شورا", "پارک", "ساخت پارکینگ قرارداد"):
        whole = [(h.doc_id, round(h.score, 6)) for h in index.search(query, page_size=100).hits]
        for size in (1, 3, 10):
            assert [(h.doc_id, round(h.score, 6)) for h in index.search(query, page_size=size).hits] == whole[:size]
    index.close()


def test_spaced_query_ranks_adjacent_and_glued_above_scattered(archive):
    found = ids(archive, "هیأت مدیره")
    assert set(found[:2]) == {"glued", "spaced"} and found[2] == "scattered"


def test_two_word_phrase_uses_adjacency_or_glue(archive):
    assert set(ids(archive, '"هیئت مدیره"')) == {"glued", "spaced"}
    assert ids(archive, '"میدان تره"') == ["market"]
    assert set(ids(archive, '"گزارش حسابرس"')) == {"glued", "spaced"}
    assert ids(archive, '"هیأت بازرسی از بودجه"') == ["scattered"]


def test_stopwords_and_number_words_do_not_make_a_query_fail(archive):
    results = archive.search("ساخت پارک در منطقه سه")
    assert results.hits[0].doc_id == "park" and not results.relaxed


def test_letter_number_found_whole_and_by_parts(archive):
    for query in ["۱۲۳۴/ص/۹۸", "1234/ص/98", "۱۲۳۴", '"۱۲۳۴/ص/۹۸"']:
        assert ids(archive, query) == ["letter"], query


def test_all_words_rank_above_some(tmp_path, engine):
    index = build(tmp_path, engine=engine, docs={
        "some": ("سند", "اتوبوس اتوبوس اتوبوس برای خطوط شهری"),
        "all": ("سند", "اتوبوس برای خطوط شهری که برقی است"),
    })
    results = index.search("اتوبوس برقی")
    assert [h.doc_id for h in results.hits] == ["all", "some"] and not results.relaxed
    index.close()


def test_relaxed_when_no_document_holds_every_word(archive):
    results = archive.search("بودجه فضانورد")
    assert results.relaxed and results.total >= 1


def test_phrase_and_proximity_rank_above_scattered_words(tmp_path, engine):
    index = build(tmp_path, engine=engine, docs={
        "scattered": ("سند", "خرید تجهیزات برای ناوگان که اتوبوس ندارد ولی برقی است"),
        "adjacent": ("سند", "تجهیزات برای ناوگان که اتوبوس برقی دارد و خرید نیست"),
    })
    assert ids(index, "اتوبوس برقی") == ["adjacent", "scattered"]
    assert ids(index, '"اتوبوس برقی"') == ["adjacent"]
    index.close()


def test_title_ranks_above_text(tmp_path, engine):
    index = build(tmp_path, engine=engine, docs={
        "text": ("گزارش", "در این جلسه دربارهٔ پسماند شهری گفت‌وگو شد و نتیجه‌ای نداشت"),
        "title": ("پسماند", "در این جلسه دربارهٔ موضوع شهری گفت‌وگو شد و نتیجه‌ای نداشت"),
    })
    assert ids(index, "پسماند") == ["title", "text"]
    index.close()


def test_excluded_word_and_prefix(archive):
    assert "glued" not in ids(archive, "بودجه -حسابرس")
    assert set(ids(archive, "حساب*")) == {"glued", "spaced"}


def test_fuzzy_fallback_finds_a_word_misread_by_one_letter(tmp_path, engine):
    index = build(tmp_path, engine=engine, docs={"ocr": ("سند", "قرارداد خرید اتوبوص برقی برای ناوگان")})
    assert ids(index, "اتوبوس") == ["ocr"]
    index.close()


def test_no_fuzzy_matches_when_exact_matching_finds_enough(tmp_path, engine):
    docs = {f"exact{i}": ("سند", f"خرید اتوبوس شماره {i}") for i in range(3)}
    index = build(tmp_path, engine=engine, docs={**docs, "ocr": ("سند", "خرید اتوبوص برقی")})
    assert sorted(ids(index, "اتوبوس")) == ["exact0", "exact1", "exact2"]
    index.close()


def test_did_you_mean_when_little_is_found(tmp_path, engine):
    docs = {f"d{i}": ("سند", f"قرارداد جمع‌آوری پسماند منطقه {i}") for i in range(3)}
    index = build(tmp_path, engine=engine, docs=docs)
    assert index.search("پسمند قرارداد").suggestion == "پسماند قرارداد"
    assert index.search("پسماند").suggestion is None
    index.close()


@pytest.mark.parametrize("query", ['"', "-", "*", "**", '"بی پایان', "kind:", "org:", ":::", "((", "-\"\""])
def test_odd_queries_are_answered(archive, query):
    from indexer.errors import QueryError

    try:
        archive.search(query)
    except QueryError as e:
        assert e.message_fa


class RetiredTokenizer(RegexTokenizer):
    """An analyzer class that a later release no longer has."""


def test_an_index_written_with_a_retired_analyzer_class_still_opens(tmp_path):
    """Whoosh saves the schema, analyzers pickled, in the index; after an upgrade renames an analyzer
    class the saved schema cannot be unpickled. The index is opened with the schema of the code."""
    import sys

    from whoosh import index as windex
    from whoosh.fields import TEXT, Schema

    from indexer.search.index import INDEX_NAME

    windex.create_in(str(tmp_path), Schema(title=TEXT(analyzer=RetiredTokenizer())), indexname=INDEX_NAME)
    module = sys.modules[__name__]
    retired = module.RetiredTokenizer
    del module.RetiredTokenizer
    try:
        index = SearchIndex(tmp_path)
        assert index.exists() and index.doc_count() == 0
        assert SearchIndex(tmp_path / "none").exists() is False
    finally:
        module.RetiredTokenizer = retired


@pytest.mark.parametrize("query", ["هیأت مدیره", "هیأتمدیره", "ساخت پارک در منطقه سه", "بودجه سال",
                                   '"تره بار"', "بودجه -گزارش", "از در", "۱۲۳۴/ص/۹۸", "مدیر*"])
def test_sorting_by_date_finds_what_relevance_finds(archive, query):
    """A date-sorted search runs a cheaper, unscored query: it must match the same documents."""
    by_relevance = {h.key for h in archive.search(query, page_size=50).hits}
    assert archive.search(query, page_size=1).total == len(by_relevance)  # counted apart from page one
    assert archive.search(query, page_size=1, sort="newest").total == len(by_relevance)
    assert {h.key for h in archive.search(query, page_size=50, sort="newest").hits} == by_relevance
    assert {h.key for h in archive.search(query, page_size=50, sort="oldest").hits} == by_relevance


def test_a_common_word_is_looked_up_in_the_stemmed_text_only(tmp_path, engine):
    from indexer.search import query as queries

    docs = {f"d{i}": ("گزارش", f"شهرداری کرمان گزارش شماره {i} را فرستاد") for i in range(8)}
    docs["bus"] = ("نامه", "شهرداری کرمان خرید اتوبوس برقی را تصویب کرد")
    index = build(tmp_path, engine=engine, docs=docs, ranking=Ranking(common_min_records=1))  # 5,000 in use
    common = index.common_words(queries.build("شهرداری اتوبوس"))
    assert common == {"شهرداری"}
    built = queries.build("شهرداری اتوبوس", common=common)
    fields = {t.fieldname for t in built.ranked.leaves() if getattr(t, "text", None) == "شهرداری"}
    assert "content" in fields and not fields & {"title", "exact"}  # shingles: the all-words bonus
    assert ids(index, "شهرداری اتوبوس")[0] == "bus"
    assert len(ids(index, "شهرداری")) == 9
    index.close()


def test_quoted_words_are_marked_in_snippets(tmp_path, engine):
    index = build(tmp_path, engine=engine, docs={"market": ("بازار", "ساماندهی میدان تره بار مرکزی شهر")})
    texts = {"market": "ساماندهی میدان تره بار مرکزی شهر"}
    hits = index.search('"میدان تره بار"', load_texts=lambda wanted: {k: texts[k] for k, _ in wanted}).hits
    assert hits and hits[0].snippet == "ساماندهی <mark>میدان</mark> <mark>تره</mark> <mark>بار</mark> مرکزی شهر"
    index.close()


def test_a_kept_searcher_sees_every_new_commit(tmp_path, engine):
    import threading

    index = build(tmp_path, engine=engine, docs={"one": ("نامه", "خرید اتوبوس برقی")})
    assert ids(index, "اتوبوس") == ["one"]
    with index.writer() as w:
        w.add_document(key="two", doc_id="two", hit_type="document", **text_fields("نامه", "تعمیر اتوبوس"))
    assert sorted(ids(index, "اتوبوس")) == ["one", "two"]
    seen = []
    worker = threading.Thread(target=lambda: seen.extend(ids(index, "اتوبوس")))
    worker.start()
    worker.join()
    assert sorted(seen) == ["one", "two"]
    if engine == "whoosh":
        assert index.ix.storage.supports_mmap is False  # mmap'd segments are copied into every reader
    with index.writer() as w:
        w.delete_by_term("doc_id", "one")
    assert ids(index, "اتوبوس") == ["two"]
    index.close()


@pytest.mark.parametrize("phrase", ['"میدان تره‌بار"', '"میدان تره بار"', '"ساماندهی میدان تره‌بار مرکزی"',
                                    '"ساماندهی میدان تره بار مرکزی"'])
def test_quoted_phrases_meet_compounds_however_written(tmp_path, phrase, engine):
    index = build(tmp_path, engine=engine, docs={
        "spaced": ("بازار", "ساماندهی میدان تره بار مرکزی شهر"),
        "zwnj": ("بازار", "ساماندهی میدان تره‌بار مرکزی شهر"),
        "glued": ("بازار", "ساماندهی میدان ترهبار مرکزی شهر"),
        "apart": ("بازار", "میدان مرکزی شهر و بازار تره و بار"),
    })
    assert set(ids(index, phrase)) == {"spaced", "zwnj", "glued"}
    # typed glued without a ZWNJ, a phrase cannot tell where to split: it finds it written as one word
    assert set(ids(index, '"میدان ترهبار"')) == {"zwnj", "glued"}
    index.close()


@pytest.mark.parametrize("query", ["هیأت مدیره", "بودجه حسابرس", "اتوبوس پارک", "پارک منطقه سه",
                                   "مدرسه حسابرس بودجه", "تره بار شهر"])
def test_relaxed_told_by_the_top_score_agrees_with_the_probe(archive, query):
    by_score = archive.search(query, page_size=1)           # page one, ranked: the top score tells
    probed = archive.search(query, page_size=1, page=2)     # any other page: the probe walks
    sorted_probe = archive.search(query, page_size=1, sort="newest")
    assert by_score.relaxed == probed.relaxed == sorted_probe.relaxed


def test_documents_are_counted_by_the_ranked_walk_itself(tmp_path, engine):
    """The ranked pass scores every match (Bayegan's BM25F skips no blocks), so it counts the
    documents exactly, well past the count limit, without the facets' second pass."""
    index = build(tmp_path, engine=engine, docs={f"d{i}": ("گزارش", f"گزارش شماره {i} دربارهٔ اتوبوس") for i in range(12)},
                  count_limit=5)  # 1,000 in use: it bounds only a walk of a weighting that skips blocks
    counted = index.search("اتوبوس", page_size=3)
    assert (counted.total, counted.total_exact) == (12, True) and len(counted.hits) == 3
    assert len(index.search("اتوبوس", page_size=3, page=4).hits) == 3
    assert index.search("اتوبوس", page_size=3, facets=True).total == 12
    index.close()


def test_a_whole_date_or_letter_number_is_not_searched_by_its_parts(tmp_path, engine):
    index = build(tmp_path, engine=engine, docs={
        "dated": ("نامه", "تاریخ ۱۳۹۸/۱۰/۰۵ دربارهٔ پارک"),
        "parts": ("نامه", "بند ۱۰ از مادهٔ ۰۵ سال ۱۳۹۸"),
        "other": ("نامه", "شماره ۱۲۳۴/ص/۹۸"),
    })
    for typed in ["۱۳۹۸/۱۰/۰۵", "1398-10-05", "1398/10/05"]:
        assert ids(index, typed) == ["dated"], typed
    assert set(ids(index, "۱۳۹۸")) == {"dated", "parts"}  # a part still finds the whole
    index.close()


_READ: list[int] = []  # the ids _CountingTerm's matchers gave through all_ids


class _CountingTerm(Q.Term):
    """A Whoosh term whose matcher counts the ids read through ``all_ids`` (Whoosh's class, not ours)."""

    def matcher(self, searcher, context=None):
        inner = super().matcher(searcher, context)
        read = _READ

        class Counting(WrappingMatcher):
            def all_ids(self):
                for i in self.child.all_ids():
                    read.append(i)
                    yield i

        return Counting(inner)


def test_a_walk_to_the_first_match_reads_no_more(tmp_path):
    """Whoosh's docs_for_query read every id of an intersection before the first (its all_ids builds
    a set of each side), so the probe for a document holding every word walked a one-segment index
    (one `bayegan reindex` makes) to its end; the walk is the matcher's own, stopping where it stops."""
    from indexer.search.index import _matches

    index = build(tmp_path, docs={f"d{i}": ("نامه", "خرید اتوبوس برقی") for i in range(100)})
    searcher = index.ix.searcher()
    try:
        assert len(searcher.leaf_searchers()) == 1
        _READ.clear()
        both = Q.And([_CountingTerm("exact", "خرید"), _CountingTerm("exact", "اتوبوس")])
        first = next(_matches(searcher, both, None))
        assert first == 0 and len(_READ) < 10, len(_READ)
        assert sum(1 for _ in _matches(searcher, both, {5, 7})) == 2
    finally:
        searcher.close()
        index.close()
