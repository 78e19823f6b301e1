"""A title weighs as much as Bayegan trusts it: a heading, a subject line, an order's formula or a
clerk's title is ranked as a title; a phrase of the file name is shown but weighs nothing more than a
word of the text. Real files ingested into a real catalog and index."""
from __future__ import annotations

import pytest

from sqlalchemy import select

from archive import Document
from indexer.metadata.decisions import resolution_title
from indexer.pipeline.updates import correct_document
from conftest import ingest_texts

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

BODY = "متن این سند درباره برنامه‌های سال آینده است و {word} یک بار در آن آمده است."


def _sources(library) -> dict[str, tuple[str, str]]:
    with library.catalog.session() as session:
        return {d.filename: (d.title, d.title_source) for d in session.scalars(select(Document))}


def test_a_file_names_phrase_is_shown_but_not_ranked_as_a_title(library, tmp_path):
    ids = ingest_texts(library, tmp_path / "in", {
        # its file name holds the word; its text, one long sentence, has no heading
        "گلخانه.txt": BODY.format(word="کشت"),
        # a heading holding the word, a body without it
        "b.txt": "گلخانه شهرداری\n\n" + BODY.format(word="کشت"),
        # the word twice in its text, no heading
        "c.txt": "این سند که عنوانی ندارد از گلخانه شهرداری و برنامه گلخانه برای سال آینده سخن می‌گوید.",
    })
    sources = _sources(library)
    assert sources["گلخانه.txt"] == ("گلخانه", "filename")
    assert sources["b.txt"] == ("گلخانه شهرداری", "heading")
    hits = library.search("گلخانه").hits
    order = [h.doc_id for h in hits]
    assert order[-1] == ids["گلخانه.txt"]  # a real heading, or the word twice in the text, beat a file name
    assert hits[order.index(ids["گلخانه.txt"])].title == "گلخانه"      # the phrase is still what the hit shows


def test_a_clerks_title_weighs_as_a_heading(library, tmp_path):
    ids = ingest_texts(library, tmp_path / "in", {
        "scan-0041.txt": BODY.format(word="کشت"),
        "c.txt": "این سند که عنوانی ندارد از گلخانه شهرداری و برنامه گلخانه برای سال آینده سخن می‌گوید.",
    })
    before = library.search("گلخانه").hits
    assert [h.doc_id for h in before] == [ids["c.txt"]]
    correct_document(library, ids["scan-0041.txt"], "title", "گلخانه شهرداری", user="clerk")
    assert _sources(library)["scan-0041.txt"] == ("گلخانه شهرداری", "clerk")
    after = library.search("گلخانه").hits
    assert ids["scan-0041.txt"] in [h.doc_id for h in after]  # found by the title a clerk gave it


def test_a_resolution_title_names_its_meeting_once(library, tmp_path):
    ingest_texts(library, tmp_path / "in", {"m.txt": "صورتجلسه جلسه ۳۳ هیأت‌مدیره سازمان مدیریت پسماند\n"
                                                 "تاریخ: ۱۴۰۰/۰۱/۱۵\nمصوبه ۱: خرید ماشین جاروب تصویب شد.\n"
                                                 "مصوبه ۲: گزارش مالی تصویب شد."})
    with library.catalog.session() as session:
        doc = session.scalars(select(Document)).one()
        titles = [resolution_title(doc, r) for r in doc.resolutions]
    assert titles[0] == "مصوبه ۱ جلسه ۳۳ هیأت‌مدیره سازمان مدیریت پسماند"
    assert all(t.count("جلسه") == 1 for t in titles)
