import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_text

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


@pytest.fixture
def client(client_as):
    """A viewer's logged-in test client."""
    return client_as("viewer")


@pytest.fixture
def ingested(library, sample_dir):
    return {r.path.split("/")[-1]: r.id for r in ingest_paths(library, [sample_dir])}


def test_search_page_is_persian_rtl_and_keeps_the_query(client, ingested):
    page = client.get("/?q=اتوبوس")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html dir="rtl" lang="fa">' in html
    assert 'value="اتوبوس"' in html
    assert f'/d/{ingested["minutes.pdf"]}' in html
    assert ">اتوبوس</mark>" in html
    assert "Content-Security-Policy" in page.headers


def test_api_search_shape(client, ingested):
    data = client.get("/api/search?q=اتوبوس&limit=5").get_json()
    assert data["query"] == "اتوبوس" and data["page"] == 1 and data["total"] >= 1
    hit = data["hits"][0]
    assert {"id", "url", "title", "kind", "date", "organization", "number", "snippet", "score"} <= set(hit)
    assert hit["date"] == "1398-03-11"
    assert hit["organization"] == "سازمان حمل و نقل همگانی"
    assert client.get("/api/search?q=اتوبوس&limit=x").status_code == 400


def test_api_document_and_original(client, ingested, sample_dir):
    doc_id = ingested["waste.docx"]
    data = client.get(f"/api/documents/{doc_id}").get_json()
    assert {"id", "url", "title", "kind", "date", "organization", "number", "filename", "sha256", "pages",
            "text", "resolutions"} <= set(data)
    assert data["url"] == f"/d/{doc_id}" and data["filename"] == "waste.docx"
    assert data["organization"] == "سازمان مدیریت پسماند"
    assert [r["anchor"] for r in data["resolutions"]] == ["r1", "r2"]
    with client.get(f"/d/{doc_id}/original") as original:
        raw = (sample_dir / "waste.docx").read_bytes()
        assert original.data == raw and hashlib.sha256(original.data).hexdigest() == data["sha256"]
        assert "waste.docx" in original.headers["Content-Disposition"]
    page = client.get(f"/d/{doc_id}").get_data(as_text=True)
    assert 'id="r2"' in page and "تفکیک زباله" in page


def test_unknown_ids_are_404_json_or_persian_page(client, ingested):
    api = client.get("/api/documents/aaaaaaaaaaaa")
    assert api.status_code == 404 and "error" in api.get_json()
    page = client.get("/d/aaaaaaaaaaaa")
    assert page.status_code == 404 and "پیدا نشد" in page.get_data(as_text=True)
    assert client.get("/d/../../etc/passwd").status_code == 404
    real_id = client.get("/api/search?q=اتوبوس").get_json()["hits"][0]["id"]
    assert client.get(f"/api/documents/{real_id}").status_code == 200
    assert client.get(f"/api/documents/{real_id}%0A").status_code == 404  # fullmatch, not match
    assert client.get(f"/d/{real_id}%0A").status_code == 404
    with client.get("/d/aaaaaaaaaaaa/original") as missing:
        assert missing.status_code == 404


def test_malformed_queries_are_answered(client, ingested):
    for q in ['"', "-", "*", "kind:nonsense", "year:abc", "org:", '"اتوبوس', "((("]:
        response = client.get("/api/search?q=" + urllib.parse.quote(q))
        assert response.status_code in (200, 400), q
        assert response.is_json
        page = client.get("/?q=" + urllib.parse.quote(q))
        assert page.status_code in (200, 400)


def test_api_json_is_never_cached(client, ingested):
    for url in ["/api/search?q=اتوبوس", "/api/me", "/api/documents/aaaaaaaaaaaa"]:
        response = client.get(url)
        assert response.is_json and response.headers["Cache-Control"] == "no-store", url


def test_document_text_is_escaped(client, library, tmp_path):
    hostile = write_text(tmp_path / "x.txt", 'نامه <script>alert("x")</script> آزمایشی')
    [result] = ingest_paths(library, [hostile])
    html = client.get(f"/d/{result.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    search = client.get("/?q=آزمایشی").get_data(as_text=True)
    assert "<script>alert" not in search and "&lt;script&gt;" in search


def test_real_server_answers_search_and_documents(server, library, sample_dir):
    ingested = {r.path.split("/")[-1]: r.id for r in ingest_paths(library, [sample_dir])}
    url = server + "/api/search?q=" + urllib.parse.quote("كميسيون")
    with urllib.request.urlopen(url, timeout=30) as response:
        data = json.loads(response.read())
    assert [h["id"] for h in data["hits"]] == [ingested["circular.txt"]]
    with urllib.request.urlopen(server + "/d/" + ingested["minutes.pdf"], timeout=60) as page:
        assert page.headers["Server"] == "gunicorn"  # the production server, no version told
        assert "اتوبوس" in page.read().decode()
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(server + "/api/documents/aaaaaaaaaaaa", timeout=60)
    assert info.value.code == 404
    info.value.close()


def test_unexpected_errors_show_no_stack_trace(web_app, client_as):
    @web_app.get("/boom")
    def boom():
        raise RuntimeError("secret detail of the server")

    boom.access = "public"
    response = client_as("viewer").get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "خطای داخلی" in html
    assert "secret detail" not in html and "Traceback" not in html
