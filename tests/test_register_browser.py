"""The decision register in a real browser (Debian's Chromium through Playwright) against a real
``bayegan serve``, on the demo archive with the follow-ups `make demo` applies: every state is on the
page; a clerk applies the one pending proposal with one click and the register, the API and the XLSX
export agree; a viewer sees no button and the API refuses them (403).

The screenshot of the register is saved as test-artifacts/register.png (docs/register.png is a copy).
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from indexer import register
from indexer.pipeline.ingest import ingest_paths
from scripts.make_demo import APPLIED_UNTIL, make_demo
from tests.test_browser import ARTIFACTS, _context, _log_in, browser  # noqa: F401  (the fixture)

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow


@pytest.fixture
def demo(library, tmp_path):
    results = ingest_paths(library, [make_demo(tmp_path / "demo")[0].parent])
    ids = {Path(r.path).name: r.id for r in results}
    register.apply_all_proposals(library, "دبیرخانه", until=APPLIED_UNTIL.replace("/", "-"))
    return ids


def test_clerk_applies_a_proposal_and_the_register_api_and_export_agree(private_server, demo, browser):  # noqa: F811
    base = private_server
    entry = f"{demo['minutes-green-12.pdf']}-r1"
    context = _context(browser, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(base + "/register")
    _log_in(page, "clerk")
    assert page.url == base + "/register"
    assert page.locator("html").get_attribute("dir") == "rtl"
    for state in register.STATES + ("overdue",):
        count = page.locator(f'ul.counts a[data-state="{state}"] .count').inner_text()
        assert count not in ("۰", ""), f"no {state} in the demo register"
    row = page.locator(f'tr[id="{entry}"]')
    assert row.locator(".followup > .state").inner_text() == "ابلاغ‌نشده"
    assert "به اتمام رسید" in row.locator(".proposal blockquote").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(ARTIFACTS / "register.png"), full_page=True)

    row.locator("form.apply button").click()           # the one click
    page.wait_for_load_state()
    row = page.locator(f'tr[id="{entry}"]')
    assert row.locator(".followup > .state").inner_text() == "انجام‌شده"
    assert row.locator(".proposal").count() == 0
    assert "وضعیت" in page.locator("p.flash.ok").inner_text()

    api = page.request.get(f"{base}/api/resolutions/{entry}").json()
    assert api["state"] == "done" and api["history"][-1]["user"] == "clerk"
    assert api["history"][-1]["evidence_document"]["id"] == demo["letter-green-done.pdf"]
    listed = page.request.get(f"{base}/api/resolutions?state=done").json()
    assert entry in [item["id"] for item in listed["items"]]
    xlsx = page.request.get(f"{base}/register/export?format=xlsx&state=done")
    rows = list(load_workbook(io.BytesIO(xlsx.body()))["مصوبات"].iter_rows(values_only=True))
    assert {r[0]: r[6] for r in rows[1:]}[entry] == "انجام‌شده"
    assert [r[0] for r in rows[1:]] == [item["id"] for item in listed["items"]]
    context.close()


def test_viewer_reads_the_register_but_cannot_change_a_state(private_server, demo, browser):  # noqa: F811
    base = private_server
    entry = f"{demo['minutes-green-12.pdf']}-r1"
    context = _context(browser)
    page = context.new_page()
    page.goto(base + "/register")
    _log_in(page, "viewer")
    assert page.locator(f'tr[id="{entry}"] .proposal').count() == 1
    assert page.locator("form.apply").count() == 0 and page.locator("details.change").count() == 0
    token = page.request.get(f"{base}/api/me").json()["csrf_token"]
    refused = page.request.post(f"{base}/api/resolutions/{entry}/state", data={"state": "done"},
                                headers={"X-CSRF-Token": token})
    assert refused.status == 403
    assert page.request.get(f"{base}/api/resolutions/{entry}").json()["state"] == "new"
    context.close()


def test_clerk_picks_a_due_date_with_the_jalali_picker(private_server, demo, browser):  # noqa: F811
    base = private_server
    entry = f"{demo['minutes-green-12.pdf']}-r1"
    context = _context(browser, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(base + "/register")
    _log_in(page, "clerk")
    row = page.locator(f'tr[id="{entry}"]')
    row.locator("details.change summary").click()
    due = row.locator("details.change input[name=due]")
    due.click()
    picker = page.locator("jdp-container")
    picker.locator(".jdp-years select").wait_for()
    picker.locator(".jdp-years select").select_option("1403")
    picker.locator(".jdp-months select").select_option("6")
    picker.locator("div.jdp-day:not(.not-in-month)").last.click()
    assert due.input_value() == "۱۴۰۳/۰۶/۳۱"             # Persian digits, as typed by hand
    row.locator("details.change select[name=state]").select_option("sent")
    row.locator("details.change button[type=submit]").click()
    page.wait_for_load_state()
    api = page.request.get(f"{base}/api/resolutions/{entry}").json()
    assert api["state"] == "sent" and api["due"] == "1403-06-31"
    context.close()
