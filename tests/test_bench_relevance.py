"""The relevance bench's product path on a tiny set: 20 documents written as files, taken in by the real
``bayegan ingest``, searched with the /api/search code; archive ids map back to corpus ids and each
document counts once however many of its hits (a minutes file and its resolutions) come back."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.relevance import average_precision, document_ranks, evaluate, shows_a_document_twice
from bench.relevance_engines import FoldedWhooshEngine, ProductEngine, ServerEngine, WhooshEngine
from bench.relevance_sets import load_public

MINUTES = ("صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند شهرداری کرمان\n"
           "جلسه ۳۱ — تاریخ: ۱۴۰۱/۰۹/۱۲ — شماره: ۴۴۱/ص/۱۴۰۱\n"
           "مصوبه ۱: قرارداد کارخانه کمپوست برای یک سال دیگر تمدید شد.\n"
           "مصوبه ۲: خرید دستگاه بی‌خطرساز پسماند بیمارستانی برای کارخانه کمپوست تصویب شد.\n"
           "مصوبه ۳: طرح تفکیک پسماند از مبدأ و کمپوست خانگی در ده محله اجرا شود.")
TOPICS = ["کاشت نهال در کمربند سبز شمالی شهر", "نرخ کرایه تاکسی در سال آینده", "ساعت کاری ادارات در تابستان",
          "آموزش آتش‌نشانان داوطلب در محلات", "پارکینگ طبقاتی میدان آزادی", "بازارچه هفتگی میوه و تره‌بار",
          "تعرفه خدمات آرامستان", "همایش پیاده‌روی خانوادگی", "نام‌گذاری بلوار جدید", "رضایت مسافران اتوبوس",
          "امنیت شبکه و تغییر گذرواژه‌ها", "بودجه سالانه شهرداری", "عوارض نوسازی و پرداخت الکترونیک",
          "آبیاری فضای سبز با پساب", "خط ویژه اتوبوس", "قطع درختان چنار خیابان"]


def tiny_data(folder: Path) -> Path:
    """A BEIR-style set of 20 documents (one minutes file, one pair of identical files) and 3 queries."""
    docs = [{"_id": "t-minutes", "title": "", "text": MINUTES}]
    docs += [{"_id": f"t-{i:02d}", "title": topic, "text": f"این نامه درباره {topic} است و به سازمان‌های "
              f"شهرداری ابلاغ می‌شود. شماره {i + 100} موضوع {topic}."} for i, topic in enumerate(TOPICS)]
    docs += [{"_id": "t-copy-a", "title": "گزارش لایروبی قنات", "text": "قنات قدیمی شهر لایروبی شد."},
             {"_id": "t-copy-b", "title": "گزارش لایروبی قنات", "text": "قنات قدیمی شهر لایروبی شد."},
             {"_id": "t-kerman", "title": "", "text": "گزارش بازدید از کارخانه آجر در حاشیه شهر."}]
    queries = [("q1", "کارخانه کمپوست", {"t-minutes"}), ("q2", "لایروبی قنات", {"t-copy-a", "t-copy-b"}),
               ("q3", "کرایه تاکسی", {"t-01"})]
    target = folder / "tiny"
    target.mkdir(parents=True)
    (target / "corpus.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                                         encoding="utf-8")
    (target / "queries.jsonl").write_text("".join(json.dumps({"_id": q, "text": t}, ensure_ascii=False) + "\n"
                                                  for q, t, _ in queries), encoding="utf-8")
    (target / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\n" + "".join(
        f"{q}\t{d}\t1\n" for q, _, rel in queries for d in sorted(rel)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("relevance")
    return load_public(tiny_data(root / "data"), sets=["tiny"]), root / "work"


def test_document_ranks_count_each_document_once():
    hits = [("a",), ("b",), ("a",), ("c", "d")]
    assert document_ranks(hits) == {"a": 1, "b": 2, "c": 4, "d": 4}
    assert shows_a_document_twice(hits) and not shows_a_document_twice(hits[1:])
    assert average_precision(document_ranks(hits), {"b", "d"}) == pytest.approx((1 / 2 + 2 / 4) / 2)


class FixedHits:
    """Hits as an engine returns them, fixed: for the metrics' arithmetic."""

    def __init__(self, hits):
        self.hits = hits

    def search(self, text, depth):
        return self.hits[:depth]


def test_map_among_the_sets_own_documents_leaves_the_other_sets_hits_out():
    hits = [("other-1",), ("a",), ("y",), ("other-2",), ("b",)]  # other sets' documents, unjudged here
    metrics = evaluate(FixedHits(hits), [("q", "متن")], {"q": {"a", "b"}}, 10, own=frozenset({"a", "b", "y"}))
    assert metrics["map"] == pytest.approx((1 / 2 + 2 / 5) / 2)
    assert metrics["own_map"] == pytest.approx((1 / 1 + 2 / 3) / 2)  # a, y, b
    assert evaluate(FixedHits(hits), [("q", "متن")], {"q": {"a", "b"}}, 10)["own_map"] is None


def test_product_path_maps_archive_ids_back_to_corpus_ids(tiny, tmp_path):
    collection, _ = tiny
    work = tmp_path / "work"  # its own: the module's shared folder may have been ingested by a test before
    engine = ProductEngine()
    assert engine.prepare(collection, work) is not None  # ingested now
    try:
        archive = engine.archive
        assert archive.failed == []
        held = [cid for ids in archive.ids.values() for cid in ids]
        assert sorted(held) == sorted(d["_id"] for d in collection.corpus)  # every file, each once
        assert ["t-copy-a", "t-copy-b"] in [sorted(ids) for ids in archive.ids.values()]  # same bytes: one document
        assert len(archive.ids) == len(collection.corpus) - 1

        hits = engine.search("کارخانه کمپوست", 10)
        assert all(not cid.startswith("?") for ids in hits for cid in ids)
        assert [ids for ids in hits if ids == ("t-minutes",)] == [("t-minutes",)], "one hit for the minutes"
        assert document_ranks(hits)["t-minutes"] == 1

        metrics = evaluate(engine, collection.queries["tiny"], collection.qrels, 10)
        assert metrics["mrr"] == 1.0 and metrics["recall"] == 1.0
        assert metrics["dup_pages"] == 0  # its resolutions are inside the minutes' hit; identical files are one
    finally:
        engine.close()
    again = ProductEngine()
    assert again.prepare(collection, work) is None  # the kept archive is reused
    again.close()


def test_plain_whoosh_on_the_same_set(tiny):
    collection, work = tiny
    engine = WhooshEngine()
    engine.prepare(collection, work)
    try:
        metrics = evaluate(engine, collection.queries["tiny"], collection.qrels, 10)
    finally:
        engine.close()
    assert metrics["dup_pages"] == 0 and metrics["recall"] == 1.0


def test_folded_plain_whoosh_reads_arabic_letters_as_persian(tiny):
    """Typed with Arabic ي and ك, «کرایه تاکسی» finds its document only where the letters are folded:
    the footing plain Whoosh is compared on beside Bayegan."""
    collection, work = tiny
    arabic = "كرايه تاكسي"
    found = {}
    for engine in (WhooshEngine(), FoldedWhooshEngine()):
        engine.prepare(collection, work)
        try:
            found[engine.name] = [ids[0] for ids in engine.search(arabic, 10)]
        finally:
            engine.close()
    assert found["whoosh"] == []
    assert found["whoosh-folded"][0] == "t-01"


@pytest.mark.slow
def test_server_answers_as_the_code_in_process(tiny):
    collection, work = tiny
    local, remote = ProductEngine(), ServerEngine()
    local.prepare(collection, work)
    try:
        remote.prepare(collection, work)
        try:
            for _, text in collection.queries["tiny"]:
                assert remote.search(text, 10) == local.search(text, 10)
        finally:
            remote.close()
    finally:
        local.close()
