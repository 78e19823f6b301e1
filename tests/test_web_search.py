"""The search page and the document page through the test client: filters, facets, sort, pages,
"did you mean", highlighting, the original inline, the permanent link; the font and no external URL."""
import re
import urllib.parse
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_pdf, write_text
from search_web import create_app
from search_web.finder import SearchRequest, parse_jalali
from tests.conftest import log_in

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

ROOT = Path(__file__).resolve().parent.parent

DOCS = {
    "bus.txt": "صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۷ تاریخ: ۱۳۹۸/۰۳/۱۱\n"
               "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.\nمصوبه ۲: ساعات کار خطوط شبانه تمدید می‌شود.",
    "waste-letter.txt": "بخشنامه سازمان مدیریت پسماند\nتاریخ: ۱۴۰۰/۰۵/۲۰\nموضوع: جابه‌جایی کارکنان با اتوبوس",
    "waste-minutes.txt": "صورتجلسه سازمان مدیریت پسماند\nجلسه ۱۲ تاریخ: ۱۴۰۱/۰۱/۱۵\n"
                         "مصوبه ۱: اجاره یک دستگاه اتوبوس برای کارگران تصویب شد.",
    "fire.txt": "گزارش سازمان آتش‌نشانی و خدمات ایمنی\nتاریخ: ۱۳۹۹/۰۷/۰۱\nعملیات مهار آتش در بازار.",
}


@pytest.fixture
def docs(library, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        write_text(folder / name, text)
    return {Path(r.path).name: r.id for r in ingest_paths(library, [folder])}


@pytest.fixture
def viewer(client_as):
    return client_as("viewer")


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _doc_links(html: str) -> list[str]:
    return re.findall(r'class="title" href="/d/([a-z2-7]{12})', html)


def test_results_show_metadata_snippet_and_resolution_title(viewer, docs):
    html = _html(viewer, "/?q=اتوبوس")
    assert 'value="اتوبوس"' in html
    assert set(_doc_links(html)) == {docs["bus.txt"], docs["waste-letter.txt"], docs["waste-minutes.txt"]}
    assert "مصوبه ۱ جلسه ۲۷" in html
    assert f'/d/{docs["bus.txt"]}?q=%D8%A7%D8%AA%D9%88%D8%A8%D9%88%D8%B3#r1' in html
    assert "۱۳۹۸/۰۳/۱۱" in html and "سازمان حمل و نقل همگانی" in html and "صورتجلسه" in html
    assert "<mark>اتوبوس</mark>" in html or ">اتوبوس</mark>" in html


def test_filters_by_kind_organization_and_jalali_dates(viewer, docs):
    by_org = _html(viewer, "/?q=اتوبوس&org=" + urllib.parse.quote("سازمان مدیریت پسماند"))
    assert set(_doc_links(by_org)) == {docs["waste-letter.txt"], docs["waste-minutes.txt"]}
    by_kind = _html(viewer, "/?q=اتوبوس&kind=letter")
    assert set(_doc_links(by_kind)) == {docs["waste-letter.txt"]}
    by_dates = _html(viewer, "/?q=اتوبوس&from=۱۳۹۹/۰۱/۰۱&to=1400/12/29")
    assert set(_doc_links(by_dates)) == {docs["waste-letter.txt"]}
    assert 'value="۱۳۹۹/۰۱/۰۱"' in by_dates  # the form keeps the dates, in Persian digits
    only_filters = _html(viewer, "/?kind=report")
    assert set(_doc_links(only_filters)) == {docs["fire.txt"]}


def test_facet_counts_link_to_narrower_searches(viewer, docs):
    """Each facet's count is the number of hits its link finds."""
    html = _html(viewer, "/?q=اتوبوس")
    facets = html[html.index('class="facets"'):html.index('class="hits-section"')]
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a> <span class="count">([^<]+)</span>', facets)
    labels = {label for _, label, _ in links}
    assert {"صورتجلسه", "نامه", "سازمان مدیریت پسماند", "سازمان حمل و نقل همگانی", "۱۴۰۰"} <= labels
    assert "گزارش" not in labels and "سازمان آتش‌نشانی و خدمات ایمنی" not in labels
    to_ascii = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    for href, label, count in links:
        narrower = _html(viewer, href.replace("&amp;", "&"))
        assert f"{count} نتیجه" in narrower, (label, count)
        assert len(re.findall(r'<li class="hit">', narrower)) == int(count.translate(to_ascii))
    year = next(href for href, label, _ in links if label == "۱۴۰۰").replace("&amp;", "&")
    assert set(_doc_links(_html(viewer, year))) == {docs["waste-letter.txt"]}


def test_sort_by_date_and_pages(library, docs, web_users):
    config = replace(library.config, search=replace(library.config.search, page_size=2))
    app = create_app(config, library=library)
    client = app.test_client()
    log_in(client, "viewer", web_users["viewer"])
    newest = _html(client, "/?q=اتوبوس&sort=newest")
    assert _doc_links(newest)[0] == docs["waste-minutes.txt"]
    assert 'rel="next" href="/?q=' in newest and "sort=newest" in newest and "page=2" in newest
    oldest = _html(client, "/?q=اتوبوس&sort=oldest")
    assert _doc_links(oldest)[0] == docs["bus.txt"]
    second = _html(client, "/?q=اتوبوس&sort=oldest&page=2")
    assert 'rel="prev"' in second and not set(_doc_links(second)) & set(_doc_links(oldest))


def test_empty_result_says_what_to_try_and_offers_a_spelling(viewer, docs):
    html = _html(viewer, "/?q=" + urllib.parse.quote("اتوبوسسس"))
    assert "۰ نتیجه" in html or "منظورتان" in html
    html = _html(viewer, "/?q=" + urllib.parse.quote("زیردریایی") + "&kind=letter")
    assert "سندی پیدا نشد" in html and "واژه‌های کمتر" in html and "بدون پالایه‌ها" in html


def test_bad_dates_and_queries_are_explained(viewer, docs):
    page = viewer.get("/?q=اتوبوس&from=1399/13/40")
    assert page.status_code == 200
    assert "درست نیست" in page.get_data(as_text=True)
    bad = viewer.get("/?q=" + urllib.parse.quote("kind:nonsense"))
    assert bad.status_code == 400 and "شناخته نیست" in bad.get_data(as_text=True)


@pytest.mark.parametrize("text, expected", [("۱۴۰۲/۷/۵", "1402-07-05"), ("1399-12-30", "1399-12-30"),
                                            ("", "")])
def test_parse_jalali(text, expected):
    assert parse_jalali(text) == expected


@pytest.mark.parametrize("text", ["1398-12-30", "1402/13/01", "14020101", "2024/01/01", "abc"])
def test_parse_jalali_refuses(text):
    with pytest.raises(ValueError, match="درست نیست"):
        parse_jalali(text)


def test_every_search_is_a_url():
    req = SearchRequest.from_args({"q": "خرید", "kind": "minutes", "org": "سازمان", "from": "۱۳۹۸/۱/۱",
                                   "sort": "newest", "page": "3", "junk": "x"})
    assert req.args() == {"q": "خرید", "kind": "minutes", "org": "سازمان", "from": "1398/01/01",
                          "sort": "newest", "page": "3"}
    assert SearchRequest.from_args(req.args()) == req
    assert SearchRequest.from_args({"kind": "<script>", "sort": "x", "page": "-4"}).args() == {}


def test_document_page_highlights_the_search_and_links_resolutions(viewer, docs):
    doc_id = docs["bus.txt"]
    html = _html(viewer, f"/d/{doc_id}?q=" + urllib.parse.quote("اتوبوس‌ها"))
    assert re.search(r"<mark[^>]*>اتوبوس</mark>", html)
    assert 'id="r1"' in html and 'href="#r2"' in html
    assert f'data-url="http://localhost/d/{doc_id}"' in html and "کپی پیوند" in html
    assert f'data-url="http://localhost/d/{doc_id}#r2"' in html
    assert "۱۱ خرداد ۱۳۹۸" in html
    spaced = _html(viewer, f"/d/{doc_id}?q=" + urllib.parse.quote("هيات مديره"))
    assert "<mark>هیأت‌مدیره</mark>" in spaced  # typed with Arabic letters and a space for the ZWNJ
    plain = _html(viewer, f"/d/{doc_id}")
    assert "<mark" not in plain


def test_pdf_original_is_shown_inline_at_the_matching_page(viewer, library, tmp_path):
    pdf = write_pdf(tmp_path / "two-pages.pdf", ["صفحهٔ نخست گزارش", "خرید اتوبوس برقی در صفحهٔ دوم"])
    [result] = ingest_paths(library, [pdf])
    html = _html(viewer, f"/d/{result.id}?q=اتوبوس")
    assert f'<object class="original" data="/d/{result.id}/original#page=2" type="application/pdf"' in html
    with viewer.get(f"/d/{result.id}/original") as original:
        assert original.mimetype == "application/pdf" and "inline" in original.headers["Content-Disposition"]
    with viewer.get(f"/d/{result.id}/original?download=1") as download:
        assert "attachment" in download.headers["Content-Disposition"]


def test_pages_carry_no_inline_script_and_no_external_url(viewer, docs):
    html = _html(viewer, "/?q=اتوبوس") + _html(viewer, f"/d/{docs['bus.txt']}")
    picker = '<script src="/static/vendor/jalalidatepicker/jalalidatepicker.min.js" defer>'
    # both pages load the date picker (the search filters; the register's due dates on a document page)
    assert re.findall(r"<script[^>]*>", html) == [picker, '<script src="/static/app.js" defer>'] * 2
    assert " on" + "click=" not in html and "javascript:" not in html
    for path in (ROOT / "search_web").rglob("*"):
        # vendored files name the SVG namespace (never fetched); the browser tests watch requests
        if path.suffix in (".html", ".css", ".js") and "vendor" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), path
    csp = viewer.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_vazirmatn_is_served_locally(viewer):
    with viewer.get("/static/style.css") as response:
        css = response.get_data(as_text=True)
    assert 'url("vendor/vazirmatn/Vazirmatn-Regular.woff2")' in css
    with viewer.get("/static/vendor/vazirmatn/Vazirmatn-Regular.woff2") as font:
        assert font.status_code == 200 and font.data[:4] == b"wOF2"




def test_api_search_takes_the_page_filters_and_sort(viewer, docs):
    everything = viewer.get("/api/search?q=اتوبوس").get_json()
    minutes = viewer.get("/api/search?q=اتوبوس&kind=minutes").get_json()
    assert 0 < minutes["total"] < everything["total"]
    assert {h["kind"] for h in minutes["hits"]} == {"minutes"}
    org = viewer.get("/api/search?q=اتوبوس&org=" + urllib.parse.quote("سازمان مدیریت پسماند")).get_json()
    assert {h["id"] for h in org["hits"]} == {docs["waste-letter.txt"], docs["waste-minutes.txt"]}
    dated = viewer.get("/api/search?from=1400/01/01&to=1401/12/29").get_json()
    assert dated["hits"] and all(h["date"][:4] in ("1400", "1401") for h in dated["hits"])
    assert docs["fire.txt"] not in {h["id"] for h in dated["hits"]}
    newest = viewer.get("/api/search?q=اتوبوس&sort=newest").get_json()
    dates = [h["date"] for h in newest["hits"]]
    assert dates == sorted(dates, reverse=True) and dates[0].startswith("1401")
    assert viewer.get("/api/search?q=اتوبوس&from=1398/13/40").status_code == 400
