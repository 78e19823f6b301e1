"""The UI in a real browser: Debian's Chromium driven by Playwright against a real ``bayegan serve``
(anonymous access off, the inbox watcher on, one user per role), one archive and server for the
module.

Screenshots of the search and document pages are saved under test-artifacts/ for a person to look at.
"""
import re
import urllib.parse
from pathlib import Path

import pytest

from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_docx, write_pdf, write_text
from tests.conftest import WEB_PASSWORDS, private_site

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
WAIT_MS = 60_000

pytestmark = pytest.mark.slow  # on Whoosh: the page's JavaScript does not see the engine behind /api


@pytest.fixture(scope="module")
def browser():
    """One Chromium for a module's tests; each test opens its own context (cookies, storage)."""
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _write_archive(library) -> dict[str, str]:
    folder = library.config.data_dir.parent / "docs"
    folder.mkdir()
    write_pdf(folder / "bus-minutes.pdf", [
        "صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۷ تاریخ: ۱۳۹۸/۰۳/۱۱\n"
        "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.\nمصوبه ۲: ساعات کار خطوط شبانه تمدید می‌شود.",
        "پیوست: فهرست خطوط اتوبوس شبانه"])
    write_text(folder / "waste-letter.txt", "بخشنامه سازمان مدیریت پسماند\nتاریخ: ۱۴۰۰/۰۵/۲۰\n"
                                           "موضوع: جابه‌جایی کارکنان با اتوبوس")
    write_text(folder / "waste-minutes.txt", "صورتجلسه سازمان مدیریت پسماند\nجلسه ۱۲ تاریخ: ۱۴۰۱/۰۱/۱۵\n"
                                            "مصوبه ۱: اجاره یک دستگاه اتوبوس برای کارگران تصویب شد.")
    return {Path(r.path).name: r.id for r in ingest_paths(library, [folder])}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The module's archive and server, shared: the upload adds a document no other test searches for,
    and the admin a user no other test logs in as."""
    with private_site(tmp_path_factory.mktemp("browser"), _write_archive) as shared:
        yield shared


def _context(browser, **options):
    context = browser.new_context(locale="fa-IR", **options)
    context.set_default_timeout(WAIT_MS)
    return context


def _log_in(page, role: str) -> None:
    assert "/login" in page.url
    page.fill("#username", role)
    page.fill("#password", WEB_PASSWORDS[role])
    page.click("section.login button[type=submit]")
    page.wait_for_load_state()


def _watch_requests(page, base: str, outside: list[str]) -> None:
    """Collects every network request that leaves the server (the PDF viewer's own
    chrome-extension:// files are the browser's, not the network's)."""
    page.on("request", lambda request: outside.append(request.url)
            if request.url.startswith(("http:", "https:", "ws:", "wss:")) and not request.url.startswith(base)
            else None)


def test_search_filter_open_copy_link_and_reopen(site, browser):
    base = site.base
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    context = _context(browser, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    _watch_requests(page, base, outside)

    page.goto(base + "/?q=" + urllib.parse.quote("اتوبوس"))
    page.screenshot(path=str(ARTIFACTS / "login.png"))
    _log_in(page, "viewer")
    assert urllib.parse.unquote(page.url) == base + "/?q=اتوبوس"
    assert page.input_value("#q") == "اتوبوس"
    assert page.locator("li.hit").count() >= 3
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Vazirmatn")
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    # filters: organization and a Jalali date range, by keyboard-friendly form fields
    page.click("details.filters summary")
    page.select_option("select[name=org]", "سازمان مدیریت پسماند")
    page.fill("input[name=from]", "۱۴۰۰/۰۱/۰۱")
    page.fill("input[name=to]", "۱۴۰۰/۱۲/۲۹")
    page.click("details.filters button[type=submit]")
    page.wait_for_load_state()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query["org"] == ["سازمان مدیریت پسماند"] and query["from"] == ["۱۴۰۰/۰۱/۰۱"]
    titles = page.locator("li.hit a.title").all_inner_texts()
    assert len(titles) == 1 and "پسماند" in titles[0]
    page.screenshot(path=str(ARTIFACTS / "search-filtered.png"), full_page=True)

    # the minutes once, its matching resolution listed under it with its anchor; open the document,
    # then copy its permanent link
    page.goto(base + "/?q=" + urllib.parse.quote("اتوبوس برقی"))
    doc_id = site.ids["bus-minutes.pdf"]
    hrefs = page.locator("li.hit a.title").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == len(set(hrefs)) and hrefs[0].startswith(f"/d/{doc_id}")
    resolution = page.locator("li.hit").first.locator("li.hit-resolution a").first  # the best first
    assert resolution.get_attribute("href").endswith("#r1") and resolution.inner_text().startswith("مصوبه ۱")
    page.locator("li.hit a.title").first.click()
    page.wait_for_load_state()
    assert f"/d/{doc_id}" in page.url
    assert page.locator("article.document h1").inner_text().startswith("صورتجلسه")
    assert page.locator("section.page mark").count() >= 1
    assert page.locator("object.original").get_attribute("data").endswith("#page=1")
    page.click("p.actions button.copy-link")
    page.wait_for_function("document.querySelector('.copied').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{base}/d/{doc_id}"
    page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=True)
    assert outside == []
    context.close()

    # the link, pasted in a fresh session: login first, then the document
    fresh = _context(browser)
    page = fresh.new_page()
    page.goto(copied)
    assert "/login?next=" in page.url
    _log_in(page, "viewer")
    assert page.url == copied
    assert page.locator("ol.resolutions li#r1").count() == 1
    fresh.close()


def test_phone_layout(site, browser):
    context = _context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site.base + "/?q=" + urllib.parse.quote("اتوبوس"))
    _log_in(page, "viewer")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-phone.png"), full_page=True)
    context.close()


def test_clerk_uploads_and_the_file_becomes_searchable(site, browser, tmp_path):
    base = site.base
    upload = write_docx(tmp_path / "گلخانه.docx", ["نامه سازمان سیما، منظر و فضای سبز شهری",
                                                   "موضوع: احداث گلخانه در بوستان مادر"])
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    context = _context(browser)
    page = context.new_page()
    page.goto(base + "/upload")
    _log_in(page, "clerk")
    assert page.url == base + "/upload"
    page.set_input_files("#file", [str(upload), str(empty)])
    indexed = page.locator("#upload-list tr", has_text="گلخانه.docx").locator(".state-indexed")
    indexed.wait_for()
    failed = page.locator("#upload-list tr", has_text="empty.pdf").locator(".state-failed")
    failed.wait_for()
    assert "خالی" in failed.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload.png"), full_page=True)
    page.goto(base + "/?q=" + urllib.parse.quote("گلخانه"))
    assert page.locator("li.hit a.title").first.inner_text().startswith("نامه سازمان سیما")
    context.close()


def test_viewer_cannot_reach_upload_or_admin(site, browser):
    context = _context(browser)
    page = context.new_page()
    page.goto(site.base + "/upload")
    _log_in(page, "viewer")
    assert re.search(r"اجازهٔ دسترسی", page.content())
    assert page.locator("nav.menu a", has_text="بارگذاری").count() == 0
    context.close()


def test_admin_sees_status_and_users(site, browser):
    (site.library.config.inbox_dir).mkdir(parents=True, exist_ok=True)
    context = _context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site.base + "/admin/status")
    _log_in(page, "admin")
    assert page.locator("h1").inner_text() == "وضعیت بایگان"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "status.png"), full_page=True)
    page.goto(site.base + "/admin/users")
    page.fill("form.add-user input[name=username]", "sara")
    page.fill("form.add-user input[name=password]", "sara-password-1")
    page.select_option("form.add-user select[name=role]", "clerk")
    page.click("form.add-user button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("td", has_text="sara").count() == 1
    page.screenshot(path=str(ARTIFACTS / "users.png"), full_page=True)
    context.close()
