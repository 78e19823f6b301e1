"""One hit per document: a minutes file and its resolutions are one hit, the matching resolutions inside
it; totals, facets, pages and the date orders count documents. Real files ingested into a real catalog
and index, the search page through Flask, /api/search through a real `bayegan serve`, the CLI."""
from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from conftest import ROOT, serving, write_config, write_files
from indexer.cli import cli
from indexer.pipeline.ingest import ingest_paths

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

# three minutes files, each with several resolutions about buses, among letters that mention buses once
MINUTES = {
    "minutes-27.docx": ["صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی", "جلسه ۲۷ — تاریخ: ۱۳۹۸/۰۳/۱۱",
                        "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.",
                        "مصوبه ۲: تعمیر اتوبوس‌های فرسوده به پیمانکار سپرده شد.",
                        "مصوبه ۳: بلیت الکترونیکی اتوبوس در همه خطوط راه‌اندازی شود.",
                        "مصوبه ۴: ایستگاه‌های اتوبوس میدان آزادی بازسازی شود.",
                        "مصوبه ۵: گزارش مالی سال ۱۳۹۷ تصویب شد."],
    "minutes-28.pdf": ("صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۸ — تاریخ: ۱۳۹۹/۰۴/۰۲\n"
                       "مصوبه ۱: خرید ده دستگاه اتوبوس گازسوز تصویب شد.\n"
                       "مصوبه ۲: رنگ اتوبوس‌ها سبز شود.\n"
                       "مصوبه ۳: ساعات کار کارکنان تغییر نکرد."),
    "minutes-12.txt": ("صورتجلسه سازمان مدیریت پسماند\nجلسه ۱۲ تاریخ: ۱۴۰۰/۰۱/۱۵\n"
                       "مصوبه ۱: اجاره یک دستگاه اتوبوس برای کارگران تصویب شد.\n"
                       "مصوبه ۲: اتوبوس کارگران <b>در شیفت شب</b> هم کار کند."),
}
LETTERS = {f"letter-{i}.txt": (f"نامه سازمان حمل و نقل همگانی\nتاریخ: ۱۳۹{i}/۰۲/۰۱\n"
                               f"موضوع: گزارش شماره {i}\nبا سلام، گزارش اتوبوس شماره {i} پیوست است.")
           for i in range(5, 9)}


def _write(folder):
    return write_files(folder, {**MINUTES, **LETTERS})


@pytest.fixture
def archived(library, tmp_path):
    results = ingest_paths(library, [_write(tmp_path / "in")])
    assert all(r.status == "indexed" for r in results)
    return {r.path.rsplit("/", 1)[1]: r.id for r in results}


def _every_page(library, query, page_size, **options):
    """Every page of a search, walked with the page size."""
    first = library.search(query, page_size=page_size, **options)
    pages = [first]
    for number in range(2, -(-first.total // page_size) + 1):
        pages.append(library.search(query, page=number, page_size=page_size, **options))
    return pages


def test_a_minutes_file_with_several_matching_resolutions_is_one_hit(library, archived):
    results = library.search("اتوبوس", page_size=20, facets=True)
    ids = [h.doc_id for h in results.hits]
    assert len(ids) == len(set(ids)) == results.total == 7  # three minutes, four letters
    minutes = next(h for h in results.hits if h.doc_id == archived["minutes-27.docx"])
    assert minutes.hit_type == "document" and minutes.anchor is None
    # its four bus resolutions match: the best three shown, all four counted; the fifth does not match
    assert minutes.resolution_count == 4 and len(minutes.resolutions) == 3
    assert {r.anchor for r in minutes.resolutions} < {"r1", "r2", "r3", "r4"}
    assert [r.score for r in minutes.resolutions] == sorted((r.score for r in minutes.resolutions), reverse=True)
    assert all("<mark>" in r.snippet for r in minutes.resolutions)
    assert minutes.score >= minutes.resolutions[0].score  # a document ranks by its best record


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_pages_never_repeat_a_document_and_count_documents(library, archived, sort):
    pages = _every_page(library, "اتوبوس", 2, sort=sort)
    seen = [h.doc_id for p in pages for h in p.hits]
    assert len(seen) == len(set(seen)) == 7
    assert {p.total for p in pages} == {7} and [len(p.hits) for p in pages] == [2, 2, 2, 1]
    if sort != "relevance":  # minutes and letters alike in date order, the minutes carrying their resolutions
        dates = [h.date for p in pages for h in p.hits]
        assert dates == sorted(dates, reverse=sort == "newest")
        assert any(h.resolutions for p in pages for h in p.hits)


def test_facets_count_documents_whichever_record_matched(library, archived):
    results = library.search("اتوبوس", page_size=1, facets=True)
    assert results.total == 7 and len(results.hits) == 1
    assert dict(results.facets["kind"]) == {"minutes": 3, "letter": 4}
    assert sum(n for _, n in results.facets["year"]) == 7
    assert dict(results.facets["organization"]) == {"سازمان حمل و نقل همگانی": 6, "سازمان مدیریت پسماند": 1}
    # a follow-up state is a resolution's: the documents with a matching resolution in it, once each
    assert dict(results.facets["state"]) == {"new": 3}
    # the count without facets agrees
    assert library.search("اتوبوس", page_size=1).total == 7


def test_a_query_only_resolutions_hold_finds_their_document(library, archived):
    """``state:`` is held by resolution records only: the document is listed, its resolutions inside."""
    results = library.search("state:new گازسوز", facets=True)
    [hit] = results.hits
    assert hit.doc_id == archived["minutes-28.pdf"] and hit.title.startswith("صورتجلسه")
    assert [r.anchor for r in hit.resolutions] == ["r1"] and results.total == 1


def test_filters_alone_list_documents_without_resolutions(library, archived):
    results = library.search("", filters=__import__("indexer").SearchFilters(kind="minutes"), page_size=10)
    assert sorted(h.doc_id for h in results.hits) == sorted(archived[n] for n in MINUTES)
    assert results.total == 3 and all(not h.resolutions for h in results.hits)


def test_a_corrected_document_keeps_its_resolutions_inside_it(library, archived):
    """Rewriting one document's records (a correction) moves them in the index; the others stay whole."""
    library.correct_document(archived["minutes-12.txt"], "meeting", "۱۳", "clerk")
    library.reindex()
    library.correct_document(archived["minutes-27.docx"], "meeting", "۳۰", "clerk")
    results = library.search("اتوبوس", page_size=20)
    by_id = {h.doc_id: h for h in results.hits}
    assert len(results.hits) == len(by_id) == 7
    for name in MINUTES:
        hit = by_id[archived[name]]
        assert hit.resolutions and all(r.title.startswith("مصوبه") for r in hit.resolutions)
    assert by_id[archived["minutes-12.txt"]].resolutions[0].title.startswith("مصوبه ۱ جلسه ۱۳")


def test_the_page_lists_the_document_once_with_its_resolution_links(client_as, archived):
    client = client_as("viewer")
    html = client.get("/?q=" + urllib.parse.quote("اتوبوس")).get_data(as_text=True)
    doc = archived["minutes-28.pdf"]
    titles = re.findall(r'<a class="title" href="/d/([a-z2-7]{12})', html)
    assert len(titles) == len(set(titles)) == 7
    assert re.search(rf'href="/d/{doc}\?q=[^"#]*#r1"', html) and re.search(rf'href="/d/{doc}\?q=[^"#]*#r2"', html)
    assert "&lt;b&gt;در شیفت شب&lt;/b&gt;" in html and "<b>" not in html  # a resolution's snippet is escaped
    assert "۷ نتیجه" in html
    assert "و ۱ مصوبهٔ دیگر در این سند" in html  # minutes 27: four match, three shown


def test_the_api_keeps_each_resolution_url_inside_its_document(config, archived, tmp_path):
    config_file = write_config(tmp_path, web={"anonymous_read": True})
    with serving(config_file, config.data_dir, tmp_path / "server.log") as base:
        def get(**params):
            url = f"{base}/api/search?" + urllib.parse.urlencode(params)
            with urllib.request.urlopen(url, timeout=30) as response:
                return json.loads(response.read())

        data = get(q="اتوبوس", limit=3, facets=1)
        pages = [data] + [get(q="اتوبوس", limit=3, page=n) for n in (2, 3)]
    ids = [h["id"] for p in pages for h in p["hits"]]
    assert len(ids) == len(set(ids)) == data["total"] == 7
    assert sum(f["count"] for f in data["facets"]["kind"]) == 7
    hit = next(h for p in pages for h in p["hits"] if h["id"] == archived["minutes-28.pdf"])
    assert hit["type"] == "document" and hit["url"] == f"/d/{hit['id']}"
    assert {(r["anchor"], r["url"]) for r in hit["resolutions"]} == {
        ("r1", f"/d/{hit['id']}#r1"), ("r2", f"/d/{hit['id']}#r2")}
    assert hit["resolution_count"] == 2 and all(r["snippet"] and r["title"] for r in hit["resolutions"])


def test_the_cli_prints_resolutions_indented_under_their_document(config, archived):
    result = CliRunner().invoke(cli, ["--config", str(ROOT / "config.yaml"), "search", "--limit", "20", "اتوبوس"],
                                obj={}, env={"BAYEGAN_DATA_DIR": str(config.data_dir)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "7 documents"
    doc = archived["minutes-28.pdf"]
    at = next(i for i, line in enumerate(lines) if line.startswith(doc + " "))
    assert {lines[at + 1].split()[0], lines[at + 2].split()[0]} == {f"{doc}#r1", f"{doc}#r2"}
    assert sum(1 for line in lines if line.startswith(doc)) == 1
    assert "    (+1 more resolutions)" in lines


def test_an_archive_without_resolutions_counts_the_same_on_every_page(library, tmp_path):
    """Letters and circulars only (no resolution records: Tantivy counts the documents as it ranks
    them on the first page, and counts them apart on the others): the same total on page 1 as on
    page 2, and as many documents as hold a word of the query."""
    files = {f"letter-{i:02}.txt": f"نامه شماره {i}\nموضوع: گزارش اتوبوس\nبا سلام، گزارش {'اتوبوس' if i % 3 else 'تاکسی'} "
                                   f"خط {i} پیوست است." for i in range(30)}
    files["other.txt"] = "بخشنامه درباره ساعات کار کارکنان"
    results = ingest_paths(library, [write_files(tmp_path / "letters", files)])
    assert all(r.status == "indexed" for r in results)
    for query, expected in (("اتوبوس", 30), ("اتوبوس تاکسی", 30), ("تاکسی", 10), ("کارکنان", 1)):
        first = library.search(query, page=1, page_size=4)
        second = library.search(query, page=2, page_size=4)
        assert first.total == second.total == expected, query
        assert len(first.hits) == min(4, expected)
        if expected > 4:  # a page past the end shows the last one
            assert not {h.doc_id for h in first.hits} & {h.doc_id for h in second.hits}, query
