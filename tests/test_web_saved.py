"""Saved searches (archive/saved_searches.py, search_web/saved.py): per user in the catalog, the
count of documents added since each was last opened, /api/saved-searches with its CSRF rule, and
the search page's forms; /api/suggest; similar documents and the snippet's page."""
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from archive.saved_searches import SavedSearchError, SavedSearchNotFound, SavedSearches
from archive.users import Accounts
from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_pdf, write_text
from tests.conftest import csrf_from

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

DOCS = {
    "waste-1.txt": "صورتجلسه سازمان مدیریت پسماند\nجلسه ۱۲ تاریخ: ۱۳۹۸/۰۱/۱۵\n"
                   "مصوبه ۱: قرارداد جمع‌آوری پسماند و تفکیک زباله تمدید شد.",
    "waste-2.txt": "صورتجلسه سازمان مدیریت پسماند\nجلسه ۱۳ تاریخ: ۱۳۹۸/۰۲/۲۰\n"
                   "مصوبه ۱: طرح تفکیک زباله از مبدأ و جمع‌آوری پسماند در ده محله اجرا می‌شود.",
    "bus.txt": "صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\nجلسه ۲۷ تاریخ: ۱۳۹۸/۰۳/۱۱\n"
               "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.",
}


@pytest.fixture
def docs(library, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        write_text(folder / name, text)
    return {Path(r.path).name: r.id for r in ingest_paths(library, [folder])}


def _token(client) -> str:
    return client.get("/api/me").get_json()["csrf_token"]


def test_store_saves_replaces_lists_and_deletes_per_user(library, web_users):
    accounts, saved = Accounts(library.catalog), SavedSearches(library.catalog)
    viewer, clerk = accounts.get("viewer"), accounts.get("clerk")
    first = saved.save(viewer.id, "  مصوبات   پسماند ", {"q": "پسماند", "kind": "minutes", "sort": "relevance"})
    assert first.name == "مصوبات پسماند" and first.args == {"q": "پسماند", "kind": "minutes"}
    again = saved.save(viewer.id, "مصوبات پسماند", {"q": "زباله"})
    assert again.id == first.id and again.args == {"q": "زباله"}
    assert [s.name for s in saved.list(viewer.id)] == ["مصوبات پسماند"] and saved.list(clerk.id) == []
    with pytest.raises(SavedSearchNotFound):
        saved.delete(clerk.id, first.id)           # not someone else's
    with pytest.raises(SavedSearchError):
        saved.save(viewer.id, "", {"q": "x"})
    with pytest.raises(SavedSearchError):
        saved.save(viewer.id, "خالی", {"sort": "newest"})
    saved.delete(viewer.id, first.id)
    assert saved.list(viewer.id) == []
    saved.save(viewer.id, "a", {"q": "x"})
    accounts.remove("viewer")                      # a removed user's searches go with them
    with library.catalog.session() as session:
        assert session.execute(text("SELECT count(*) FROM saved_searches")).scalar() == 0


def test_count_new_counts_matching_documents_added_since(library, docs, tmp_path):
    assert library.count_new("پسماند", None, datetime.utcnow() - timedelta(days=1)) == 2
    assert library.count_new("پسماند", None, datetime.utcnow() + timedelta(seconds=1)) == 0
    write_text(tmp_path / "waste-3.txt", "نامه سازمان مدیریت پسماند\nتاریخ: ۱۴۰۲/۰۱/۱۰\nموضوع: تفکیک زباله")
    since = datetime.utcnow()  # after the fixture's documents were added, before this one
    ingest_paths(library, [tmp_path / "waste-3.txt"])
    assert library.count_new("زباله", None, since) == 1
    assert library.count_new("اتوبوس", None, since) == 0


def test_api_saved_searches_needs_csrf_and_answers_json(client_as, docs):
    viewer = client_as("viewer")
    body = {"name": "مصوبات پسماند", "query": {"q": "پسماند", "kind": "minutes"}}
    assert viewer.post("/api/saved-searches", json=body).status_code == 400     # no CSRF token
    response = viewer.post("/api/saved-searches", json=body, headers={"X-CSRF-Token": _token(viewer)})
    assert response.status_code == 201
    item = response.get_json()
    assert item["name"] == "مصوبات پسماند" and item["query"] == {"q": "پسماند", "kind": "minutes"}
    assert item["new"] == 0 and item["url"].startswith("/?") and f"saved={item['id']}" in item["url"]
    listed = viewer.get("/api/saved-searches").get_json()["saved_searches"]
    assert [s["id"] for s in listed] == [item["id"]] and set(listed[0]) == {
        "id", "name", "query", "url", "created_at", "opened_at", "new"}
    assert client_as("clerk").get("/api/saved-searches").get_json() == {"saved_searches": []}
    bad = viewer.post("/api/saved-searches", json={"name": "", "query": {"q": "x"}},
                      headers={"X-CSRF-Token": _token(viewer)})
    assert bad.status_code == 400 and bad.get_json()["message"]
    assert viewer.delete(f"/api/saved-searches/{item['id']}").status_code == 400   # no CSRF token
    assert viewer.delete(f"/api/saved-searches/{item['id']}",
                         headers={"X-CSRF-Token": _token(viewer)}).status_code == 204
    assert viewer.delete(f"/api/saved-searches/{item['id']}",
                         headers={"X-CSRF-Token": _token(viewer)}).status_code == 404
    assert client_as(None).get("/api/saved-searches").status_code == 401


def test_search_page_saves_lists_new_documents_and_marks_opened(client_as, library, docs, tmp_path):
    viewer = client_as("viewer")
    html = viewer.get("/?q=پسماند").get_data(as_text=True)
    response = viewer.post("/saved-searches", data={"csrf_token": csrf_from(html), "q": "پسماند",
                                                     "name": "مصوبات پسماند"})
    assert response.status_code == 302 and "saved=" in response.headers["Location"]
    page = viewer.get("/").get_data(as_text=True)
    assert "مصوبات پسماند" in page and "سند تازه" not in page
    write_text(tmp_path / "waste-3.txt", "نامه سازمان مدیریت پسماند\nتاریخ: ۱۴۰۲/۰۱/۱۰\nموضوع: پسماند")
    ingest_paths(library, [tmp_path / "waste-3.txt"])
    page = viewer.get("/").get_data(as_text=True)
    assert "۱ سند تازه" in page
    link = re.search(r'<a href="(/\?[^"]*saved=\d+)">مصوبات پسماند</a>', page).group(1).replace("&amp;", "&")
    opened = viewer.get(link).get_data(as_text=True)
    assert "سند تازه" not in opened                 # opening it marks it opened
    saved_id = re.search(r"saved=(\d+)", link).group(1)
    deleted = viewer.post(f"/saved-searches/{saved_id}/delete", data={"csrf_token": csrf_from(opened), "back": "/"})
    assert deleted.status_code == 302
    assert "مصوبات پسماند" not in viewer.get("/").get_data(as_text=True)


def test_api_suggest(client_as, docs):
    viewer = client_as("viewer")
    body = viewer.get("/api/suggest?q=" + "سازمان حمل".replace("ی", "ي")).get_json()
    assert body["query"] == "سازمان حمل".replace("ی", "ي")
    first = body["suggestions"][0]
    assert first["text"] == "سازمان حمل و نقل همگانی" and first["kind"] == "organization"
    assert first["url"].startswith("/?org=")
    title = next(s for s in body["suggestions"] if s["kind"] == "title")
    assert title == {"text": "صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی", "kind": "title",
                     "url": f"/d/{docs['bus.txt']}"}
    words = viewer.get("/api/suggest?q=تفکی").get_json()["suggestions"]
    assert {"text": "تفکیک", "kind": "word"} in words
    assert viewer.get("/api/suggest?q=").get_json() == {"query": "", "suggestions": []}
    assert client_as(None).get("/api/suggest?q=abc").status_code == 401


def test_similar_documents_on_the_document_page_and_api(client_as, docs):
    viewer = client_as("viewer")
    similar = viewer.get(f"/api/documents/{docs['waste-1.txt']}/similar").get_json()["similar"]
    assert similar[0]["id"] == docs["waste-2.txt"]
    assert set(similar[0]) == {"id", "url", "title", "kind", "date", "organization", "number", "score"}
    assert docs["waste-1.txt"] not in [s["id"] for s in similar]
    html = viewer.get(f"/d/{docs['waste-1.txt']}").get_data(as_text=True)
    assert "اسناد مشابه" in html and f'href="/d/{docs["waste-2.txt"]}"' in html


def test_similar_leaves_out_attachments_and_copies(library, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    text = "گزارش تفکیک زباله از مبدأ در محله‌های شهر\nتاریخ: ۱۳۹۹/۰۱/۰۱\nتفکیک زباله و پسماند خشک و تر"
    write_text(folder / "a.txt", text)
    write_text(folder / "a-copy.txt", text + "\n")     # other bytes, the same document
    write_text(folder / "b.txt", "گزارش پسماند خشک\nتاریخ: ۱۴۰۰/۰۱/۰۱\nتفکیک زباله در مدارس")
    ids = {Path(r.path).name: r.id for r in ingest_paths(library, [folder])}
    found = [h.doc_id for h in library.similar(ids["a.txt"])]
    assert found == [ids["b.txt"]]


def test_a_hit_links_to_the_page_of_its_snippet(client_as, library, tmp_path):
    pdf = write_pdf(tmp_path / "two-pages.pdf", ["صفحهٔ نخست گزارش", "خرید اتوبوس برقی در صفحهٔ دوم"])
    [result] = ingest_paths(library, [pdf])
    assert library.search("اتوبوس").hits[0].page == 2
    html = client_as("viewer").get("/?q=اتوبوس").get_data(as_text=True)
    assert f'href="/d/{result.id}/original#page=2"' in html
    assert client_as("viewer").get("/api/search?q=اتوبوس").get_json()["hits"][0]["page"] == 2
