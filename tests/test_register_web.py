"""The decision register on the web: /register, its export, the clerk's forms, GET /api/resolutions and
POST /api/resolutions/<id>/state, the state in /api/documents/<id> and the search page's state facet."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.register_docs import ingest_register_files

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


@pytest.fixture
def archived(library, tmp_path):
    return ingest_register_files(library, tmp_path / "in")


def token(client) -> str:
    return client.get("/api/me").get_json()["csrf_token"]


def test_api_lists_the_register_with_proposals_and_filters(client_as, archived):
    viewer = client_as("viewer")
    data = viewer.get("/api/resolutions").get_json()
    assert data["total"] == 9 and data["page"] == 1 and data["counts"]["new"] == 9
    item = next(i for i in data["items"] if i["id"] == f"{archived['minutes-22.docx']}-r3")
    assert item["url"] == f"/d/{archived['minutes-22.docx']}#r3" and item["meeting"] == "22"
    assert item["date"] == "1398-02-04" and item["organization"] == "سازمان اموال و املاک"
    assert item["state"] == "new" and item["history"] == []
    (proposal,) = item["proposals"]
    assert proposal["state"] == "done" and proposal["document_url"] == f"/d/{archived['letter-done.docx']}"
    assert "انجام شد" in proposal["evidence"]
    assert {i["id"] for i in viewer.get("/api/resolutions?overdue=1").get_json()["items"]} == {
        f"{archived['minutes-22.docx']}-r2", f"{archived['minutes-27.pdf']}-r4"}
    assert viewer.get("/api/resolutions?org=سازمان اموال و املاک&year=1398").get_json()["total"] == 3
    assert viewer.get("/api/resolutions?q=اتوبوس برقی").get_json()["total"] == 1
    refused = viewer.get("/api/resolutions?state=maybe")
    assert refused.status_code == 400 and refused.get_json()["message"]


def test_a_viewer_cannot_change_a_state_and_a_clerk_can(client_as, archived):
    entry = f"{archived['minutes-27.pdf']}-r2"
    body = {"state": "in_progress", "note": "مناقصه برگزار شد", "evidence_document": archived["letter-progress.pdf"]}
    viewer = client_as("viewer")
    assert viewer.post(f"/api/resolutions/{entry}/state", json=body,
                       headers={"X-CSRF-Token": token(viewer)}).status_code == 403
    assert client_as(None).post(f"/api/resolutions/{entry}/state", json=body).status_code in (400, 401)
    clerk = client_as("clerk")
    assert clerk.post(f"/api/resolutions/{entry}/state", json=body).status_code == 400   # no CSRF token
    changed = clerk.post(f"/api/resolutions/{entry}/state", json=body, headers={"X-CSRF-Token": token(clerk)})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    record = changed.get_json()
    assert record["state"] == "in_progress" and record["proposals"] == []
    (change,) = record["history"]
    assert change["from"] == "new" and change["to"] == "in_progress" and change["user"] == "clerk"
    assert change["evidence_document"]["id"] == archived["letter-progress.pdf"]
    assert viewer.get(f"/api/resolutions/{entry}").get_json() == record
    headers = {"X-CSRF-Token": token(clerk)}
    assert clerk.post(f"/api/resolutions/{entry}/state", json={"state": "maybe"}, headers=headers).status_code == 400
    assert clerk.post(f"/api/resolutions/{archived['minutes-27.pdf']}-r9/state", json=body,
                      headers=headers).status_code == 404
    assert clerk.post(f"/api/resolutions/{entry}/state", data="x", headers=headers).status_code == 400


def test_the_register_page_applies_a_proposal_with_one_form_and_shows_the_summary(client_as, archived):
    from tests.conftest import csrf_from

    clerk = client_as("clerk")
    page = clerk.get("/register").get_data(as_text=True)
    assert 'dir="rtl"' in page and "دفتر مصوبات" in page and "خلاصه به تفکیک سازمان و سال" in page
    assert f'href="/d/{archived["minutes-22.docx"]}#r3"' in page
    assert f'name="proposal" value="{archived["letter-done.docx"]}"' in page
    entry = f"{archived['minutes-22.docx']}-r3"
    response = clerk.post(f"/register/{entry}/state", data={
        "csrf_token": csrf_from(page), "proposal": archived["letter-done.docx"], "next": f"/register#{entry}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/register#{entry}")
    done = clerk.get("/register?state=done").get_data(as_text=True)
    assert f'id="{entry}"' in done and "انجام‌شده" in done and done.count('class="entry ') == 1
    viewer = client_as("viewer")
    viewer_page = viewer.get("/register").get_data(as_text=True)
    assert 'name="proposal"' not in viewer_page and "تغییر وضعیت" not in viewer_page
    assert viewer.post(f"/register/{entry}/state", data={
        "csrf_token": csrf_from(viewer_page), "state": "new"}).status_code == 403


def test_export_from_the_page_agrees_with_the_api(client_as, archived):
    viewer = client_as("viewer")
    xlsx = viewer.get("/register/export?format=xlsx&org=سازمان حمل و نقل همگانی")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(xlsx.data))["مصوبات"].iter_rows(values_only=True))[1:]
    api = viewer.get("/api/resolutions?org=سازمان حمل و نقل همگانی").get_json()["items"]
    assert [r[0] for r in rows] == [i["id"] for i in api]
    assert all(r[11].startswith("http://localhost/d/") for r in rows)
    csv_body = viewer.get("/register/export?format=csv&table=summary").data
    assert csv_body.startswith(b"\xef\xbb\xbf") and "سازمان اموال و املاک" in csv_body.decode("utf-8-sig")
    assert viewer.get("/register/export?format=pdf").status_code == 400


def test_documents_carry_their_resolutions_state_and_the_search_has_a_state_facet(client_as, archived):
    viewer = client_as("viewer")
    doc = viewer.get(f"/api/documents/{archived['minutes-27.pdf']}").get_json()
    states = {r["anchor"]: r for r in doc["resolutions"]}
    assert states["r3"]["state"] == "new" and states["r3"]["proposals"][0]["state"] == "stopped"
    assert states["r4"]["overdue"] and states["r4"]["register_id"] == f"{archived['minutes-27.pdf']}-r4"
    page = viewer.get(f"/d/{archived['minutes-27.pdf']}").get_data(as_text=True)
    assert "ابلاغ‌نشده" in page and "پیشنهاد:" in page and "متوقف" in page
    found = viewer.get("/api/search?q=اتوبوس&facets=1").get_json()
    # the documents with a matching resolution in the state: minutes 27 once, however many of its match
    with_new = [h for h in found["hits"] if h["resolutions"]]
    assert {"value": "new", "count": len(with_new)} in found["facets"]["state"] and len(with_new) == 1
    search = viewer.get("/?q=اتوبوس").get_data(as_text=True)
    assert "وضعیت پیگیری مصوبه" in search and "+state:new" in search
    assert viewer.get("/?q=state:overdue").status_code == 200
