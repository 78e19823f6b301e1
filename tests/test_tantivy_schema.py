"""Records as Tantivy documents: the tokens handed to Tantivy are those our analyzers make."""
from bench.corpus import generate
from indexer.schema import text_fields
from indexer.search.tantivy_schema import RecordConverter

TRICKY = [
    "مصوبه هیأت‌مدیره و هیئت مدیره سازمان‌ها؛ مسئول و مسؤول، رأی و رای",
    "شماره ۱۲۳۴/ص/۹۸ مورخ ۱۳۹۸/۰۳/۱۱ و 1398-10-05 درباره اتوبوس های برقی که خریده می شود",
    "كرمان مصطفى علاقة نامۀ مدیـــریت مُصَوَّبه \u200fکرمان\u200e ﻛﺮﻣﺎﻥ",
    "تره بار جمع آوری نمی شود بزرگ ترین",
    "یک",
    "",
]


def test_one_pass_gives_the_tokens_of_the_three_analyzers():
    converter = RecordConverter()
    texts = TRICKY + [d.text for d in generate(15, seed=11)]
    for text in texts:
        fast = converter.text_tokens(text)
        for name in ("content", "exact", "shingles"):
            slow = converter.tokens(name, text)
            assert [(t.text, t.position) for t in fast[name]] == [(t.text, t.position) for t in slow], (name, text[:40])


def test_a_record_becomes_one_document_with_its_stored_fields():
    converter = RecordConverter()
    doc = converter.document({"key": "d:x", "doc_id": "x", "hit_type": "document", "date": "1398-03-11",
                              "organization": "", **text_fields("عنوان", "متن سند")}).to_dict()
    assert doc["key"] == ["d:x"] and doc["date_number"] == [13980311] and "organization" not in doc
