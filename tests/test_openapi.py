"""search_web/openapi.yaml holds to the app: every /api route is described, and real responses
(through the app, with an API token) match the description's schemas."""
import io
import re
import urllib.parse

import jsonschema
import pytest

from archive.tokens import ApiTokens
from indexer.pipeline.ingest import ingest_paths
from indexer.pipeline.watch import InboxWatcher
from search_web import openapi
from tests.conftest import TXT_TEXT

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy

SPEC = openapi.description()


def _flask_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_api_route_is_described(web_app):
    described = {(path, method) for path, item in SPEC["paths"].items() for method in item
                 if method in openapi.METHODS}
    served = set()
    for rule in web_app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                served.add((_flask_path(rule.rule), method.lower()))
    missing = served - described
    assert not missing, f"routes missing from search_web/openapi.yaml: {sorted(missing)}"
    assert not described - served, f"described but not served: {sorted(described - served)}"


def test_the_description_is_openapi_3_1_with_valid_schemas():
    assert SPEC["openapi"].startswith("3.1")
    for name, schema in SPEC["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
    for item in SPEC["paths"].values():
        for method in openapi.METHODS:
            if method in item:
                assert item[method]["responses"] and item[method]["summary"]


def _schema_for(path: str, method: str, status: int, content_type: str = "application/json"):
    responses = SPEC["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} answered {status}, not described"
    response = responses[str(status)]
    if "$ref" in response:
        response = openapi._resolve(SPEC, response)
    return response["content"][content_type]["schema"]


def check(response, path: str, method: str = "get"):
    """Validate a real response against the description; returns its JSON."""
    schema = _schema_for(path, method, response.status_code)
    body = response.get_json()
    jsonschema.Draft202012Validator({**schema, "components": SPEC["components"]}).validate(body)
    return body


@pytest.fixture
def archive(library, sample_dir):
    ingest_paths(library, sorted(sample_dir.iterdir()))
    return library


def _bearer(library, role):
    token, _ = ApiTokens(library.catalog).add(f"t-{role}", role)
    return {"Authorization": f"Bearer {token}"}


def test_real_responses_match_the_description(web_app, archive):
    client = web_app.test_client()
    clerk, viewer = _bearer(archive, "clerk"), _bearer(archive, "viewer")

    def get(url, headers=clerk):
        return client.get(url, headers=headers)

    found = check(get("/api/search?q=" + urllib.parse.quote("اتوبوس برقی")), "/api/search")
    assert found["hits"]
    check(get("/api/search?facets=1&q=" + urllib.parse.quote("صورتجلسه")), "/api/search")
    check(get("/api/search?sort=newest&kind=minutes&from=1390/01/01&q=" + urllib.parse.quote("مصوبه")),
          "/api/search")
    check(get("/api/search"), "/api/search")
    check(get("/api/search?q=" + urllib.parse.quote(" ".join(["a"] * 100))), "/api/search")
    check(get("/api/search?limit=x&q=a"), "/api/search")
    check(get("/api/search?q=a", headers={}), "/api/search")                      # 401
    doc = check(get(f"/api/documents/{found['hits'][0]['id']}"), "/api/documents/{doc_id}")
    assert doc["resolutions"]
    check(get("/api/documents/aaaaaaaaaaaa"), "/api/documents/{doc_id}")          # 404
    upload = client.post("/api/documents", headers=clerk, content_type="multipart/form-data",
                         data={"file": [(io.BytesIO(TXT_TEXT.encode() + b"!"), "circular2.txt")]})
    item = check(upload, "/api/documents", "post")["items"][0]
    check(get(item["status_url"]), "/api/uploads/{token}")
    InboxWatcher(archive).scan_once(wait_for_stable=False)
    assert check(get(item["status_url"]), "/api/uploads/{token}")["status"] == "indexed"
    check(get("/api/uploads/0123456789abcdef01234567"), "/api/uploads/{token}")   # 404
    check(get("/api/uploads/0123456789abcdef01234567", headers=viewer), "/api/uploads/{token}")  # 403
    check(client.post("/api/documents", headers=viewer), "/api/documents", "post")  # 403
    check(client.post("/api/documents", headers=clerk), "/api/documents", "post")   # 400
    check(get("/api/me"), "/api/me")
    check(get("/api/me", headers={"Authorization": "Bearer bgn_wrong"}), "/api/me")  # 401
    description = check(client.get("/api/openapi.json"), "/api/openapi.json")
    assert description == SPEC


def test_the_docs_page_lists_every_operation_without_a_login(web_app):
    page = web_app.test_client().get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for op in openapi.operations():
        assert f"{op['method']} {op['path']}" in html
    assert "<script>" not in html and "cdn" not in html.lower()
