"""Snippets: the best passage, escaped, with whole words marked."""
import re

from indexer.search.query import query_words
from indexer.search.snippets import ELLIPSIS, make_snippet


def snippet(text: str, query: str, **kwargs) -> str:
    return make_snippet(text, query_words(query), **kwargs)


def test_matches_are_marked_whatever_the_spelling():
    text = "صورتجلسه هيئت‌مديره سازمان‌ها دربارهٔ ۱۳۹۸"
    assert snippet(text, "هیأتمدیره سازمان 1398") == (
        "صورتجلسه <mark>هيئت‌مديره</mark> <mark>سازمان‌ها</mark> دربارهٔ <mark>۱۳۹۸</mark>")


def test_a_query_word_written_in_two_is_marked_whole():
    assert snippet("قرارداد جمع آوری پسماند", "جمع‌آوری") == "قرارداد <mark>جمع آوری</mark> پسماند"


def test_a_part_of_a_compound_marks_the_whole_compound():
    text = "صورتجلسه هیأت‌مدیره سازمان و طرح به‌توپ‌بستن بودجه"
    assert snippet(text, "مدیره") == "صورتجلسه <mark>هیأت‌مدیره</mark> سازمان و طرح به‌توپ‌بستن بودجه"
    assert snippet(text, "توپ") == "صورتجلسه هیأت‌مدیره سازمان و طرح <mark>به‌توپ‌بستن</mark> بودجه"


def test_text_is_escaped_before_marking():
    out = snippet('<script>alert("x")</script> مصوبه & <b>پارک</b>', "پارک")
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and "&amp;" in out and "<mark>پارک</mark>" in out


def test_the_best_passage_is_chosen_and_cut_at_word_boundaries():
    filler = " ".join(["واژه‌ای بی‌ربط"] * 200)
    text = f"{filler} خرید اتوبوس برقی برای ناوگان {filler} اتوبوس {filler}"
    out = snippet(text, "اتوبوس برقی", max_chars=120)
    assert "<mark>اتوبوس</mark> <mark>برقی</mark>" in out
    assert out.startswith(ELLIPSIS + " ") and out.endswith(" " + ELLIPSIS)
    plain = re.sub(r"</?mark>", "", out).strip(ELLIPSIS + " ")
    assert all(word in text.split() for word in plain.split())
    assert len(plain) <= 160


def test_marks_never_split_a_word_in_right_to_left_text():
    text = "سازمان‌های تابعه شهرداری کرمان و هیأت‌مدیرهٔ آنها"
    out = snippet(text, "سازمان هیأت‌مدیره")
    for m in re.finditer(r"<mark>(.*?)</mark>", out):
        before, after = out[:m.start()], out[m.end():]
        assert (not before or before[-1] == " ") and (not after or after[0] == " "), out
    assert "<mark>سازمان‌های</mark>" in out and "<mark>هیأت‌مدیرهٔ</mark>" in out


def test_without_a_match_the_beginning_is_shown():
    assert snippet("متن کوتاه بدون واژه", "اتوبوس") == "متن کوتاه بدون واژه"
    long = "آغاز " + "متن " * 200
    out = snippet(long, "اتوبوس", max_chars=40)
    assert out.startswith("آغاز") and out.endswith(ELLIPSIS)


def test_long_texts_are_read_until_a_passage_holds_every_word():
    filler = " ".join(["واژه‌ای بی‌ربط"] * 800)  # about 11,000 characters
    text = f"اتوبوس در آغاز {filler} خرید اتوبوس برقی {filler}"
    out = snippet(text, "اتوبوس برقی")
    assert "<mark>اتوبوس</mark> <mark>برقی</mark>" in out  # beyond the first pieces read
    assert snippet(f"اتوبوس برقی {filler} {filler} {filler} برقی", "اتوبوس برقی").startswith(
        "<mark>اتوبوس</mark> <mark>برقی</mark>")


def test_the_scan_fold_is_the_two_folds_in_one_pass():
    """``scan_fold`` (one translation table) folds as the search forms' two tables in turn do."""
    import unicodedata

    from indexer.search import persian

    def two_passes(text: str) -> str:
        return unicodedata.normalize("NFKC", text).translate(persian._FOLD).translate(persian._HAMZA_ON_SEAT).lower()

    every = "".join(chr(c) for c in {*persian._FOLD, *persian._HAMZA_ON_SEAT})
    samples = [every, every[::-1], "هيأت مديرهٔ مؤسسه‌ي كرمان، مسئول ۱۴۰۲/۰۳/۱۵ و ٤٥ ABC ﻻ"]
    for text in samples:
        assert persian.scan_fold(text) == two_passes(text)
    assert persian.scan_fold("هيأت") == "هیات" and persian.scan_fold("۱۴۰۲") == "1402"


def test_a_char_table_applies_as_str_translate_does():
    """Each table applied by a regular expression (:class:`persian.CharTable`) gives what
    ``str.translate`` gives with the same table, on every character it maps, among others."""
    from indexer.metadata import text as metadata_text
    from indexer.search import persian

    for table in (persian._INVISIBLE, persian._SCAN_FOLD_TABLE, metadata_text._LETTERS, metadata_text._ARABIC_LETTERS):
        every = "".join(table.to)
        reference = str.maketrans(table.to)
        for sample in (every, "هيأت\u200cمديره " + every[::-1] + " ۱۴۰۲\u200f/٤٥ ABC", "بدون تغییر", ""):
            assert table(sample) == sample.translate(reference)
    assert metadata_text.prepare("هيئت\u200cمديرة ۱۲") == "هیئت مدیره 12"
    assert metadata_text.display("هيئت\u200cمديرة ۱۲") == "هیئت\u200cمدیرة ۱۲"
