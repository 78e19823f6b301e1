import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.analysis import (
    exact_analyzer,
    root_analyzer,
    shingle_analyzer,
    stemming_analyzer,
    text_terms,
    words_with_parts_analyzer,
)
from indexer.search.schema import build_schema


def forms(analyzer, text):
    return [t.text for t in analyzer(text)]


def same(a: str, b: str) -> bool:
    """Both are one word and share a search form (a query ORs the forms of each word)."""
    ta = [(t.text, t.pos) for t in exact_analyzer()(a, positions=True)]
    tb = [(t.text, t.pos) for t in exact_analyzer()(b, positions=True)]
    one_word = len({p for _, p in ta}) == 1 == len({p for _, p in tb})
    return one_word and bool({t for t, _ in ta} & {t for t, _ in tb})


@pytest.mark.parametrize("a, b", [
    ("كرمان", "کرمان"), ("مديريت", "مدیریت"), ("مصطفى", "مصطفی"), ("زمينة", "زمینه"), ("زمینۀ", "زمینه"),
    ("مدیـــران", "مدیران"), ("مُدیر", "مدیر"), ("\u200fکرمان\u200e", "کرمان"), ("ﻛﺮﻣﺎﻥ", "کرمان"),
    ("۱۳۹۸", "1398"), ("١٣٩٨", "1398"), ("هیأت‌مدیره", "هیأتمدیره"), ("می‌شود", "میشود"),
    ("می شود", "میشود"), ("سازمان ها", "سازمان‌ها"), ("هیأت", "هیئت"), ("مسئول", "مسؤول"),
    ("رأی", "رای"), ("مؤسسه", "موسسه"), ("هیئت", "هیات"),
])
def test_orthographic_variants_meet(a, b):
    assert forms(exact_analyzer(), a) and same(a, b), (forms(exact_analyzer(), a), forms(exact_analyzer(), b))


@pytest.mark.parametrize("inflected, base", [
    ("سازمان‌ها", "سازمان"), ("سازمانها", "سازمان"), ("مدیران", "مدیر"), ("اتوبوس‌های", "اتوبوس"),
])
def test_stemming_meets_inflections(inflected, base):
    assert forms(stemming_analyzer(), inflected) == forms(stemming_analyzer(), base)


@pytest.mark.parametrize("word", ["کرمان", "ساخت", "پارک"])
def test_known_words_are_not_cut(word):
    assert forms(stemming_analyzer(), word) == forms(exact_analyzer(), word)


def test_letter_number_is_found_whole_and_by_parts():
    tokens = [(t.text, t.pos) for t in exact_analyzer()("شماره ۱۲۳۴/ص/۹۸ مورخ", positions=True)]
    assert [text for text, pos in tokens if pos == 1] == ["1234/ص/98", "1234", "ص", "98"]
    assert tokens[-1] == ("مورخ", 2)


def test_positions_stay_consecutive_after_joins():
    tokens = [(t.text, t.pos) for t in exact_analyzer()("سازمان ها می شود کرمان", positions=True)]
    assert tokens == [("سازمانها", 0), ("میشود", 1), ("کرمان", 2)]


def test_character_offsets_point_into_the_original_text():
    text = "نامهٔ هیأت‌مدیره كرمان"
    spans = [text[t.startchar:t.endchar] for t in exact_analyzer()(text, chars=True)]
    assert spans == ["نامهٔ", "هیأت‌مدیره", "كرمان"]


def test_analyzers_and_schema_pickle():
    for analyzer in (exact_analyzer(), stemming_analyzer()):
        clone = pickle.loads(pickle.dumps(analyzer))
        assert forms(clone, "سازمان‌های كرمان") == forms(analyzer, "سازمان‌های كرمان")
    schema = pickle.loads(pickle.dumps(build_schema()))
    assert "content" in schema.names()


@pytest.mark.parametrize("a, b", [("نامه‌ی", "نامه"), ("نامهٔ", "نامه"), ("نامۀ", "نامه")])
def test_ezafe_spellings_meet(a, b):
    assert same(a, b)


@pytest.mark.parametrize("inflected, base", [
    ("مصوبات", "مصوبه"), ("جلسات", "جلسه"), ("اقدامات", "اقدام"), ("پارک‌ها", "پارک"), ("پارکهای", "پارک"),
])
def test_plurals_of_known_words_are_cut(inflected, base):
    assert forms(stemming_analyzer(), inflected) == forms(stemming_analyzer(), base)


def test_plural_looking_known_words_stay_whole():
    assert forms(stemming_analyzer(), "تنها") == ["تنها"]


def test_number_words_also_get_their_digits():
    assert [(t.text, t.pos) for t in exact_analyzer()("منطقه سه", positions=True)] == [
        ("منطقه", 0), ("سه", 1), ("3", 1)]


def test_shingles_glue_neighbouring_words_at_the_first_position():
    tokens = [(t.text, t.pos) for t in shingle_analyzer()("هیئت مدیره تره بار", positions=True)]
    assert tokens == [("هییتمدیره", 0), ("هیاتمدیره", 0), ("مدیرهتره", 1), ("ترهبار", 2)]
    assert [t.text for t in shingle_analyzer()("کرمان")] == []
    clone = pickle.loads(pickle.dumps(shingle_analyzer()))
    assert [t.text for t in clone("تره بار")] == ["ترهبار"]


@pytest.mark.parametrize("text", [
    "صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی، مصوبه ۱: خرید اتوبوس‌های برقی تصویب شد.",
    "نامه شماره ۱۲۳۴/ص/۹۸ مورخ 1398-03-11 دربارهٔ هيئت مديره و مسئول/مسؤول می شود و سازمان ها",
    "رأی رای مؤسسه موسسه ١٣٩٨ 1398 ۱۳۹۸ كرمان ﻛﺮﻣﺎﻥ تره بار جمع آوری",
    "هیئت‌مدیره به‌توپ‌بستن کتاب‌ها می‌شود مؤسسه‌ی‌فرهنگی ۱۲‌ام جمع‌آوری‌شده",
    "",
])
def test_one_pass_gives_what_the_four_analyzers_give(text):
    """text_terms (what Tantivy is fed) reads the four text fields off one analysis: the same terms
    at the same positions as the analyzers Whoosh runs, field by field."""
    from indexer.search import persian

    def of(analyzer):
        return [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index")]

    terms = text_terms(persian.PLAIN, text)
    assert terms["exact"] == of(exact_analyzer())
    assert terms["content"] == of(stemming_analyzer())
    assert terms["shingles"] == of(shingle_analyzer())
    assert terms["roots"] == of(root_analyzer())


def test_a_compounds_parts_are_indexed_at_its_position():
    """A ZWNJ compound is indexed glued and, at the same position in the stemmed field, as its parts
    (all their forms), so that one part alone finds it; affixes (‌ها، می‌) are no parts. The exact
    field, which phrases walk, and the query side keep the compound whole (a glued query does not
    match the parts scattered)."""
    def indexed(analyzer, text):
        return [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index")]

    assert indexed(words_with_parts_analyzer(), "هیئت‌مدیره سازمان") == [
        ("هییتمدیره", 0), ("هییت", 0), ("هیات", 0), ("مدیره", 0), ("هیاتمدیره", 0), ("سازمان", 1)]
    assert indexed(words_with_parts_analyzer(), "به‌توپ‌بستن") == [("بهتوپبستن", 0), ("به", 0), ("توپ", 0),
                                                                  ("بستن", 0)]
    assert indexed(words_with_parts_analyzer(), "کتاب‌ها می‌شود نامه‌ی") == [("کتابها", 0), ("میشود", 1),
                                                                            ("نامه", 2)]
    assert [t.text for t in stemming_analyzer()("جمع‌آوری‌ها", mode="index")] == ["جمعاوری", "جمع", "اوری"]
    assert indexed(exact_analyzer(), "هیئت‌مدیره سازمان") == [("هییتمدیره", 0), ("هیاتمدیره", 0), ("سازمان", 1)]
    assert forms(words_with_parts_analyzer(), "هیأت‌مدیره") == ["هیاتمدیره"]
    assert forms(stemming_analyzer(), "هیأت‌مدیره") == ["هیاتمدیره"]
    assert [t.text for t in root_analyzer()("هیأت‌مدیره", mode="index")] == ["هیات"]


def test_roots_join_derivations_and_leave_numbers_out():
    """The roots field holds each word's first four letters, so derivations no stemmer joins meet
    (آلوده and آلودگی, انتخاب and انتخابات); numbers and letter numbers are not cut."""
    def roots(text):
        return [t.text for t in root_analyzer()(text)]

    assert roots("آلودگی") == roots("آلوده") == ["الود"]
    assert roots("انتخابات") == roots("انتخاب") == ["انتخ"]
    assert roots("سد") == ["سد"]
    assert roots("نامه ۱۲۳۴/ص/۹۸ سال 1398") == ["نامه", "ص", "سال"]


_CHAIN_TEXTS = [
    "صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی، مصوبه ۱: خرید اتوبوس‌های برقی تصویب شد.",
    "نامه شماره ۱۲۳۴/ص/۹۸ مورخ 1398-03-11 دربارهٔ هيئت مديره و مسئول/مسؤول می شود و سازمان ها",
    "می هیأت ها نمی ها تر ترین می می سه 12.5 ۱۲-/-۳ -- / ء ـــ هیئت‌ها مؤسسه های",
    "رأی رای مؤسسه موسسه ١٣٩٨ 1398 ۱۳۹۸ كرمان ﻛﺮﻣﺎﻥ تره بار جمع آوری نامه‌ی ده بیست",
]


def _chain_words(text: str, start_pos: int = 0, start_char: int = 0):
    from indexer.search import persian
    from indexer.search.analysis import _folding_chain

    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in _folding_chain(persian.PLAIN)(text, positions=True, chars=True, start_pos=start_pos,
                                                   start_char=start_char)]


@pytest.mark.parametrize("text", _CHAIN_TEXTS)
def test_folded_words_are_what_the_filter_chain_gives(text):
    """folded_words computes the folding chain on tuples (indexing's hot path): same forms, positions
    and offsets as the Whoosh filters, also from a later start."""
    from indexer.search import persian
    from indexer.search.analysis import folded_words

    assert folded_words(persian.PLAIN, text) == _chain_words(text)
    assert folded_words(persian.PLAIN, text, 7, 100) == _chain_words(text, 7, 100)


def test_folded_words_match_the_chain_on_real_documents():
    from pathlib import Path

    from indexer.search import persian
    from indexer.search.analysis import folded_words

    real = Path(__file__).resolve().parents[2] / "shared" / "real-docs"
    texts = sorted(real.glob("*.gt.txt"))
    if not texts:
        pytest.skip("../shared/real-docs is not here")
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert folded_words(persian.PLAIN, text) == _chain_words(text), path.name


@given(st.lists(st.sampled_from(["می", "نمی", "ها", "های", "هایی", "تر", "ترین", "هیأت", "مؤسسه", "سازمان",
                                 "۱۲۳۴/ص/۹۸", "1398-03-11", "-", "/", "ء", "ده", "نامه‌ی", "\u200c", "A/b",
                                 "x-", "رأی", "كرمان"]), max_size=12))
@settings(max_examples=300, deadline=None)
def test_folded_words_equal_the_chain_on_any_sequence(words):
    from indexer.search import persian
    from indexer.search.analysis import folded_words

    text = " ".join(words)
    assert folded_words(persian.PLAIN, text, 3, 5) == _chain_words(text, 3, 5)
