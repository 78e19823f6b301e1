"""The search page managers expect, in Debian's Chromium through Playwright against a real
``bayegan serve``: the Jalali date picker, suggestions chosen by keyboard, similar documents, a
snippet's link to the original's page, and saved searches with their count of new documents.

Screenshots (picker, suggestions, document with similar documents, saved searches) are written to
test-artifacts/. No request leaves the server and no script is refused by the CSP.
"""
import re
import urllib.parse
from pathlib import Path

import pytest

from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_pdf, write_text
from tests.conftest import private_site
from tests.test_browser import ARTIFACTS, _context, _log_in, _watch_requests, browser  # noqa: F401

pytestmark = pytest.mark.slow  # on Whoosh: the page's JavaScript does not see the engine behind /api


def _write_archive(library) -> dict[str, str]:
    folder = library.config.data_dir.parent / "docs"
    folder.mkdir()
    write_pdf(folder / "bus-minutes.pdf", [
        "صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۷ تاریخ: ۱۳۹۸/۰۳/۱۱\n"
        "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.",
        "پیوست: فهرست خطوط شبانه و ساعات کار رانندگان"])
    write_text(folder / "waste-letter.txt", "بخشنامه سازمان مدیریت پسماند\nتاریخ: ۱۴۰۰/۰۵/۲۰\n"
                                           "موضوع: تفکیک زباله از مبدأ و جمع‌آوری پسماند با اتوبوس")
    write_text(folder / "waste-minutes.txt", "صورتجلسه سازمان مدیریت پسماند\nجلسه ۱۲ تاریخ: ۱۴۰۱/۰۱/۱۵\n"
                                            "مصوبه ۱: طرح تفکیک زباله از مبدأ و جمع‌آوری پسماند اجرا شود.\n"
                                            "مصوبه ۲: اجاره یک دستگاه اتوبوس برای کارگران تصویب شد.")
    return {Path(r.path).name: r.id for r in ingest_paths(library, [folder])}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The module's archive and server, shared: the tests read it, and the one document the saved-search
    test adds (۱۴۰۲) is outside every date range and query the others check."""
    with private_site(tmp_path_factory.mktemp("browser-page"), _write_archive) as shared:
        yield shared


@pytest.fixture
def session(site, browser):  # noqa: F811
    """A logged-in viewer's page, with the requests that leave the server and the console's CSP
    complaints collected."""
    context = _context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside, refused = [], []
    _watch_requests(page, site.base, outside)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(site.base + "/")
    _log_in(page, "viewer")
    yield page, outside, refused
    assert outside == [] and refused == []
    context.close()


def _go(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.wait_for_load_state()


def _pick(page, field: str, year: int, month: int, last_day: bool) -> None:
    page.click(f"input[name={field}]")
    picker = page.locator("jdp-container")
    picker.locator(".jdp-years select").wait_for()
    picker.locator(".jdp-years select").select_option(str(year))
    picker.locator(".jdp-months select").select_option(str(month))
    days = picker.locator("div.jdp-day:not(.not-in-month)")
    (days.last if last_day else days.first).click()


def test_date_picker_filters_the_results(site, session):
    page, _, _ = session
    _go(page, site.base, "/?q=" + urllib.parse.quote("اتوبوس"))
    assert page.locator("li.hit").count() >= 3
    page.click("details.filters summary")
    page.click("input[name=from]")
    page.locator("jdp-container .jdp-days").wait_for()
    page.wait_for_function("() => document.querySelector('jdp-container').getAnimations().length === 0")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "date-picker.png"))
    _pick(page, "from", 1400, 1, last_day=False)
    assert page.input_value("input[name=from]") == "۱۴۰۰/۰۱/۰۱"
    _pick(page, "to", 1400, 12, last_day=True)
    assert page.input_value("input[name=to]") == "۱۴۰۰/۱۲/۲۹"
    page.click("details.filters button[type=submit]")
    page.wait_for_load_state()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query["from"] == ["۱۴۰۰/۰۱/۰۱"] and query["to"] == ["۱۴۰۰/۱۲/۲۹"]
    titles = page.locator("li.hit a.title").all_inner_texts()
    assert len(titles) == 1 and "بخشنامه" in titles[0]
    # the picker opens on a filled field at its date, and typing by hand still works
    page.click("input[name=from]")
    assert page.locator("jdp-container .jdp-years select").input_value() == "1400"
    page.keyboard.press("Escape")
    page.fill("input[name=from]", "1401/01/01")
    page.fill("input[name=to]", "۱۴۰۱/۱۲/۲۹")
    page.click("details.filters button[type=submit]")
    page.wait_for_load_state()
    titles = page.locator("li.hit a.title").all_inner_texts()
    assert len(titles) >= 1 and all("پسماند" in t for t in titles)


def test_suggestions_are_chosen_by_keyboard(site, session):
    page, _, _ = session
    _go(page, site.base, "/")
    page.locator("#q").press_sequentially("سازمان حمل".replace("ی", "ي"))   # Arabic ye, as some keyboards type
    options = page.locator("#suggestions li[role=option]")
    options.first.wait_for()
    assert page.get_attribute("#q", "aria-expanded") == "true"
    assert options.first.inner_text().startswith("سازمان حمل و نقل همگانی")
    page.screenshot(path=str(ARTIFACTS / "suggestions.png"))
    texts = options.all_inner_texts()
    title = next(i for i, t in enumerate(texts) if t.startswith("صورتجلسه هیأت‌مدیره"))
    for _ in range(title + 1):
        page.keyboard.press("ArrowDown")
    assert options.nth(title).get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/d/[a-z2-7]{12}$"))
    assert page.url.endswith("/d/" + site.ids["bus-minutes.pdf"])
    # a word completes the box and searches
    _go(page, site.base, "/")
    page.locator("#q").press_sequentially("تفکی")
    page.locator("#suggestions li[data-kind=word]").first.wait_for()
    words = page.locator("#suggestions li[role=option]")
    index = [w.get_attribute("data-kind") for w in words.all()].index("word")
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q="))
    assert page.input_value("#q") == "تفکیک" and page.locator("li.hit").count() >= 2


def test_a_similar_document_opens(site, session):
    page, _, _ = session
    _go(page, site.base, "/d/" + site.ids["waste-minutes.txt"])
    assert page.locator("h2", has_text="اسناد مشابه").count() == 1
    letter = page.locator("ul.similar li", has_text="بخشنامه سازمان مدیریت پسماند")
    assert "نامه" in letter.locator(".kind").inner_text() and letter.locator(".date").inner_text() == "۱۴۰۰/۰۵/۲۰"
    assert letter.locator(".org").inner_text() == "سازمان مدیریت پسماند"
    page.locator("h2", has_text="اسناد مشابه").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "document-similar.png"))
    letter.locator("a").click()
    page.wait_for_url("**/d/" + site.ids["waste-letter.txt"])
    assert page.locator("article.document h1").inner_text() == "بخشنامه سازمان مدیریت پسماند"


def test_a_snippet_opens_the_original_at_its_page(site, session):
    page, _, _ = session
    _go(page, site.base, "/?q=" + urllib.parse.quote("رانندگان"))
    link = page.locator("li.hit a.at-page").first
    assert link.inner_text() == "صفحهٔ ۲ اصل سند"
    with page.expect_popup() as opened:
        link.click()
    original = opened.value
    original.wait_for_load_state()
    assert original.url.endswith(f"/d/{site.ids['bus-minutes.pdf']}/original#page=2")
    original.close()
    # the document page from the same hit: the text view scrolled to the first mark
    page.locator("li.hit a.title:not([href*='#'])").first.click()
    page.wait_for_load_state()
    page.wait_for_function("""() => { const r = document.querySelector('section.page mark').getBoundingClientRect();
                                     return r.top >= 0 && r.bottom <= window.innerHeight; }""")
    assert page.evaluate("window.scrollY") > 0


def test_saved_search_counts_new_documents(site, session, tmp_path):
    page, _, _ = session
    _go(page, site.base, "/?q=" + urllib.parse.quote("پسماند"))
    page.fill("form.save-search input[name=name]", "مصوبات پسماند")
    page.click("form.save-search button[type=submit]")
    page.wait_for_load_state()
    saved = page.locator("ul.saved-list li", has_text="مصوبات پسماند")
    assert saved.count() == 1 and saved.locator(".new-count").count() == 0
    write_text(tmp_path / "waste-new.txt", "نامه سازمان مدیریت پسماند\nتاریخ: ۱۴۰۲/۰۲/۰۲\n"
                                          "موضوع: گزارش ماهانه پسماند")
    ingest_paths(site.library, [tmp_path / "waste-new.txt"])
    _go(page, site.base, "/")
    assert saved.locator(".new-count").inner_text() == "۱ سند تازه"
    page.screenshot(path=str(ARTIFACTS / "saved-searches.png"))
    saved.locator("a").click()
    page.wait_for_load_state()
    assert page.input_value("#q") == "پسماند" and page.locator("li.hit").count() >= 3
    assert saved.locator(".new-count").count() == 0      # opened: nothing new since
    saved.locator("button", has_text="حذف").click()
    page.wait_for_load_state()
    assert page.locator("ul.saved-list li", has_text="مصوبات پسماند").count() == 0


def test_date_picker_on_a_phone(site, browser):  # noqa: F811
    context = _context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site.base + "/?q=" + urllib.parse.quote("اتوبوس"))
    _log_in(page, "viewer")
    page.tap("details.filters summary")
    page.tap("input[name=from]")
    picker = page.locator("jdp-container")
    picker.locator(".jdp-days").wait_for()
    page.wait_for_function("() => document.querySelector('jdp-container').getAnimations().length === 0")
    box = picker.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
    page.screenshot(path=str(ARTIFACTS / "date-picker-phone.png"))
    picker.locator("div.jdp-day:not(.not-in-month)").first.tap()
    assert re.fullmatch(r"[۰-۹]{4}/[۰-۹]{2}/۰۱", page.input_value("input[name=from]"))
    assert page.get_attribute("input[name=from]", "readonly") is None   # a date can still be typed
    context.close()
