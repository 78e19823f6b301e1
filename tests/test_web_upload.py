"""Uploads through the API and the page: into the inbox under a safe name, then followed by the real
inbox watcher to indexed or failed; the size limit; the status page."""
import io
from dataclasses import replace

import pytest
from werkzeug.test import EnvironBuilder

from indexer.pipeline.watch import InboxWatcher
from scripts.docwriters import write_docx
from search_web import create_app
from search_web.uploads import safe_filename
from tests.conftest import DOCX_LINES, TXT_TEXT, csrf_from, log_in, multipart_body

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


@pytest.fixture
def clerk(client_as):
    return client_as("clerk")


def _token(client) -> str:
    return client.get("/api/me").get_json()["csrf_token"]


def _post(client, files: list[tuple[bytes, str]]):
    data = {"file": [(io.BytesIO(content), name) for content, name in files]}
    return client.post("/api/documents", data=data, content_type="multipart/form-data",
                       headers={"X-CSRF-Token": _token(client)})


def _process_inbox(library):
    InboxWatcher(library).scan_once(wait_for_stable=False)


def test_upload_api_then_the_watcher_indexes_it(clerk, library, tmp_path):
    docx = write_docx(tmp_path / "waste.docx", DOCX_LINES).read_bytes()
    response = _post(clerk, [(docx, "waste.docx"), (TXT_TEXT.encode(), "بخشنامه ارسال.txt")])
    assert response.status_code == 202
    items = response.get_json()["items"]
    assert [i["filename"] for i in items] == ["waste.docx", "بخشنامه ارسال.txt"]
    assert sorted(p.name for p in library.config.inbox_dir.iterdir()) == ["waste.docx", "بخشنامه ارسال.txt"]
    first = clerk.get(items[0]["status_url"]).get_json()
    assert first["status"] == "queued" and first["id"] is None and first["error"] is None
    _process_inbox(library)
    done = [clerk.get(i["status_url"]).get_json() for i in items]
    assert [d["status"] for d in done] == ["indexed", "indexed"]
    assert all(d["id"] and d["url"] == f"/d/{d['id']}" for d in done)
    hits = clerk.get("/api/search?q=تفکیک زباله").get_json()["hits"]
    assert done[0]["id"] in {h["id"] for h in hits}
    again = _post(clerk, [(docx, "copy of waste.docx")]).get_json()["items"][0]
    _process_inbox(library)
    dup = clerk.get(again["status_url"]).get_json()
    assert dup["status"] == "indexed" and dup["duplicate"] and dup["id"] == done[0]["id"]


def test_a_file_the_watcher_has_taken_is_extracting(clerk, library):
    from indexer.pipeline.journal import IngestJournal

    item = _post(clerk, [(TXT_TEXT.encode(), "circular.txt")]).get_json()["items"][0]
    assert clerk.get(item["status_url"]).get_json()["status"] == "queued"
    st = (library.config.inbox_dir / "circular.txt").stat()
    IngestJournal(library.catalog).begin("circular.txt", st.st_size, st.st_mtime_ns)  # as the watcher does
    assert clerk.get(item["status_url"]).get_json()["status"] == "extracting"
    _process_inbox(library)
    assert clerk.get(item["status_url"]).get_json()["status"] == "indexed"


def test_an_archived_file_is_indexed_only_once_the_index_holds_it(clerk, library):
    """The inbox copy goes once the catalog holds the document, before the batch's index commit: the
    upload must not say «indexed» (and send the clerk to a search) before the search can find it."""
    from indexer.pipeline.inbox import InboxProcessor

    item = _post(clerk, [(TXT_TEXT.encode(), "circular.txt")]).get_json()["items"][0]
    processor = InboxProcessor(library)
    assert processor.take(library.config.inbox_dir / "circular.txt") is None
    assert not (library.config.inbox_dir / "circular.txt").exists() and processor.pending == 1
    waiting = clerk.get(item["status_url"]).get_json()
    assert waiting["status"] == "extracting" and waiting["id"] is None
    processor.flush()
    done = clerk.get(item["status_url"]).get_json()
    assert done["status"] == "indexed"
    hits = clerk.get("/api/search?q=بخشنامه").get_json()["hits"]
    assert done["id"] in {h["id"] for h in hits}


def test_a_file_that_cannot_be_read_fails_with_its_reason(clerk, library):
    items = _post(clerk, [(b"", "empty.pdf"), (b"%PDF-1.4 not really a pdf", "broken.pdf")]).get_json()["items"]
    _process_inbox(library)
    empty, broken = (clerk.get(i["status_url"]).get_json() for i in items)
    assert empty["status"] == "failed" and "خالی" in empty["error"] and empty["error_en"]
    assert broken["status"] == "failed" and broken["error"]


def test_sent_names_never_reach_the_filesystem(clerk, library):
    names = ["../../etc/passwd", "..\\..\\boot.ini", ".hidden.txt", "a/b/c.txt", "<script>.txt",
             "x" * 400 + ".txt", "", "نامه\u200cها؟.txt"]
    response = _post(clerk, [(f"متن {i}".encode(), name) for i, name in enumerate(names) if name])
    assert response.status_code == 202
    stored = [i["filename"] for i in response.get_json()["items"]]
    assert stored[:5] == ["passwd", "boot.ini", "hidden.txt", "c.txt", "_script_.txt"]
    assert stored[5] == "x" * 120 + ".txt" and stored[6] == "نامه\u200cها_.txt"
    inbox = library.config.inbox_dir
    assert sorted(p.name for p in inbox.iterdir()) == sorted(stored)  # nothing outside, nothing hidden
    same = _post(clerk, [(b"other bytes", "passwd")]).get_json()["items"][0]["filename"]
    assert same.startswith("passwd (") and (inbox / "passwd").read_bytes() == "متن 0".encode()


@pytest.mark.parametrize("raw, safe", [("report.final.PDF", "report.final.PDF"), ("...", "upload"),
                                       ("C:\\Users\\ali\\نامه.docx", "نامه.docx"), (None, "upload"),
                                       ("x.part", "x"), ("report.pdf.crdownload", "report.pdf"),
                                       ("a.TMP", "a"), ("b.docx.partial", "b.docx"), ("~$c.docx", "__c.docx"),
                                       (".part", "part"), ("d.tmp.part", "d")])
def test_safe_filename(raw, safe):
    assert safe_filename(raw) == safe


def test_upload_page_without_script_and_its_list(clerk, library):
    page = clerk.get("/upload").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file" multiple' in page
    response = clerk.post("/upload", data={"csrf_token": csrf_from(page),
                                           "file": [(io.BytesIO(TXT_TEXT.encode()), "circular.txt")]},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    listed = clerk.get("/upload").get_data(as_text=True)
    assert "circular.txt" in listed and "در صف" in listed and 'data-status-url="/api/uploads/' in listed
    _process_inbox(library)
    assert "نمایه شد" in clerk.get("/upload").get_data(as_text=True)


def test_upload_size_limit(library, web_users):
    config = replace(library.config, web=replace(library.config.web, max_upload_mb=1))
    app = create_app(config, library=library)
    client = app.test_client()
    log_in(client, "clerk", web_users["clerk"])
    builder = EnvironBuilder(path="/api/documents", method="POST", headers={"X-CSRF-Token": _token(client)},
                             data={"file": (io.BytesIO(b"x" * (2 * 1024 * 1024)), "big.txt")})
    environ = builder.get_environ()
    try:  # the builder spools the large body to a temporary file, closed here
        response = client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 413 and response.get_json()["message"]
    assert not any(library.config.inbox_dir.glob("*")) if library.config.inbox_dir.exists() else True


# werkzeug's form parser stops at the 1,001st part and leaves the parts it had spooled to the collector
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_too_many_files_in_one_upload_says_so(clerk, library):
    body, content_type = multipart_body([(f"{i}.txt", b"x") for i in range(1001)])
    response = clerk.post("/api/documents", data=body, content_type=content_type,
                          headers={"X-CSRF-Token": _token(clerk)})
    answer = response.get_json()
    assert response.status_code == 413 and "too many files" in answer["error"]
    assert "شمار پرونده‌ها" in answer["message"]


def test_unknown_upload_tokens_are_404(clerk):
    assert clerk.get("/api/uploads/0123456789abcdef01234567").status_code == 404
    assert clerk.get("/api/uploads/..%2F..%2Fsecret_key").status_code == 404


def test_status_page_shows_queue_failures_and_figures(client_as, library, engine):
    clerk = client_as("clerk")
    _post(clerk, [(b"", "empty.docx")])
    _process_inbox(library)
    _post(clerk, [(TXT_TEXT.encode(), "waiting.txt")])
    page = client_as("admin").get("/admin/status").get_data(as_text=True)
    assert "waiting.txt" in page and "empty.docx" in page and "خالی" in page
    assert "سندهای بایگانی" in page and "سندهای نمایه‌شده" in page
    assert f'موتور جست‌وجو</dt><dd dir="ltr">{engine}</dd>' in page  # the engine in use
    assert library.status().engine == engine and not library.status().advice
