"""Resolutions, references and facets through the web: /api/search, /api/documents/<id>, /d/<id>."""
from __future__ import annotations

import pytest

from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_docx, write_pdf, write_text
from tests.test_resolutions import LETTER, MINUTES_22, MINUTES_27

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


@pytest.fixture
def archived(library, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_pdf(folder / "minutes-27.pdf", MINUTES_27)
    write_docx(folder / "minutes-22.docx", MINUTES_22.splitlines())
    write_text(folder / "letter.txt", LETTER)
    return {r.path.rsplit("/", 1)[1]: r.id for r in ingest_paths(library, [folder])}


@pytest.fixture
def client(client_as):
    return client_as("viewer")


def test_search_returns_the_resolution_with_its_anchor_inside_its_document(client, archived):
    data = client.get("/api/search?q=خرید اتوبوس&facets=1").get_json()
    hit, minutes = data["hits"][0], archived["minutes-27.pdf"]
    assert hit["type"] == "document" and hit["url"] == f"/d/{minutes}" and "resolution" not in hit
    resolution = hit["resolutions"][0]
    assert resolution["url"] == f"/d/{minutes}#r2" and (resolution["number"], resolution["anchor"]) == ("2", "r2")
    assert resolution["title"].startswith("مصوبه ۲ جلسه ۲۷") and "<mark>" in resolution["snippet"]
    assert hit["resolution_count"] == len(hit["resolutions"])
    assert [h["id"] for h in data["hits"]].count(minutes) == 1
    assert {"kind", "organization", "year", "state"} == set(data["facets"])
    assert {"value": "minutes", "count": data["total"]} in data["facets"]["kind"]
    assert data["total"] == len({h["id"] for h in data["hits"]})  # documents, not records
    assert client.get("/api/search?q=").get_json()["facets"] == {}
    assert client.get("/api/search?q=خرید اتوبوس").get_json()["facets"] == {}  # counted only when asked


def test_document_api_has_resolutions_and_their_followups(client, archived):
    minutes = client.get(f"/api/documents/{archived['minutes-22.docx']}").get_json()
    assert minutes["meeting"] == "22" and minutes["kind"] == "minutes"
    third = minutes["resolutions"][2]
    assert {"number", "text", "anchor"} <= set(third)
    assert third["anchor"] == "r3" and third["url"].endswith("#r3") and third["date"] == "1398-02-04"
    assert [f["id"] for f in third["followups"]] == [archived["letter.txt"]]
    assert minutes["resolutions"][0]["followups"] == []
    letter = client.get(f"/api/documents/{archived['letter.txt']}").get_json()
    (ref,) = letter["references"]
    assert ref["resolution_number"] == "3" and ref["meeting"] == "22"
    assert ref["resolution"]["url"] == f"/d/{archived['minutes-22.docx']}#r3"
    assert letter["kind_reasons"] and letter["organization"] == "سازمان اموال و املاک"


def test_document_page_shows_anchors_followups_and_references(client, archived):
    page = client.get(f"/d/{archived['minutes-22.docx']}").get_data(as_text=True)
    assert 'id="r3"' in page and f'/d/{archived["letter.txt"]}' in page
    letter = client.get(f"/d/{archived['letter.txt']}").get_data(as_text=True)
    assert f'/d/{archived["minutes-22.docx"]}#r3' in letter
