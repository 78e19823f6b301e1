"""API tokens (archive/tokens.py and the Bearer check in search_web/auth.py): made by the CLI, kept
hashed, acting with their role on /api without CSRF, refused when wrong, revoked or expired."""
import io
import json
import subprocess
import sys

import urllib.parse
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from archive.throttle import ADDRESS_FREE, LoginThrottle
from archive.tokens import ApiTokens, TokenError, parse_duration
from indexer.cli import cli
from indexer.pipeline.watch import InboxWatcher
from tests.conftest import ROOT, TXT_TEXT, WEB_PASSWORDS, HttpClient, poll_until, serving, write_config

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _upload(client, token: str, name: str = "circular.txt", content: bytes = TXT_TEXT.encode()):
    return client.post("/api/documents", data={"file": [(io.BytesIO(content), name)]},
                       content_type="multipart/form-data", headers=_bearer(token))


def test_tokens_are_kept_hashed(library):
    token, record = ApiTokens(library.catalog).add("scanner", "clerk")
    assert token.startswith("bgn_") and len(token) > 40
    with library.catalog.engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(text("SELECT * FROM api_tokens"))]
    assert len(rows) == 1 and not any(token in str(value) for value in rows[0])
    assert record.token_hash in rows[0]


def test_a_clerk_token_uploads_without_csrf_and_the_file_becomes_searchable(web_app, library):
    token, _ = ApiTokens(library.catalog).add("scanner", "clerk")
    client = web_app.test_client()
    response = _upload(client, token)
    assert response.status_code == 202, response.get_data(as_text=True)
    status_url = response.get_json()["items"][0]["status_url"]
    InboxWatcher(library).scan_once(wait_for_stable=False)
    done = client.get(status_url, headers=_bearer(token)).get_json()
    assert done["status"] == "indexed"
    hits = client.get("/api/search?q=" + urllib.parse.quote("صورتجلسات کمیسیون"), headers=_bearer(token))
    assert done["id"] in {h["id"] for h in hits.get_json()["hits"]}
    me = client.get("/api/me", headers=_bearer(token)).get_json()
    assert me == {"user": "token:scanner", "role": "clerk", "csrf_token": None}
    assert "Set-Cookie" not in client.get("/api/me", headers=_bearer(token)).headers


def test_a_viewer_token_reads_but_may_not_upload(web_app, library):
    token, _ = ApiTokens(library.catalog).add("portal", "viewer")
    client = web_app.test_client()
    assert client.get("/api/search?q=x", headers=_bearer(token)).status_code == 200
    refused = _upload(client, token)
    assert refused.status_code == 403 and refused.get_json()["error"]


def test_wrong_revoked_and_expired_tokens_get_401(web_app, library):
    tokens = ApiTokens(library.catalog)
    revoked, _ = tokens.add("old-scanner", "clerk")
    tokens.revoke("old-scanner")
    expired, record = tokens.add("temp", "viewer", timedelta(minutes=5))
    with library.catalog.engine.begin() as connection:
        connection.execute(text("UPDATE api_tokens SET expires_at = created_at WHERE name = 'temp'"))
    client = web_app.test_client()
    for token in [revoked, expired, "bgn_" + "x" * 43, "not-a-token", ""]:
        response = client.get("/api/search?q=x", headers=_bearer(token))
        assert response.status_code == 401 and response.get_json()["error"], token
    with pytest.raises(TokenError):
        tokens.revoke("old-scanner")


def test_wrong_tokens_count_against_the_login_throttle(web_app, library):
    client = web_app.test_client()
    statuses = [client.get("/api/search?q=x", headers=_bearer(f"bgn_wrong{i}")).status_code
                for i in range(ADDRESS_FREE + 2)]
    assert statuses[:ADDRESS_FREE] == [401] * ADDRESS_FREE and statuses[-1] == 429
    good, _ = ApiTokens(library.catalog).add("later", "viewer")
    waiting = client.get("/api/search?q=x", headers=_bearer(good))
    assert waiting.status_code == 429 and int(waiting.headers["Retry-After"]) > 0
    assert LoginThrottle(library.catalog).wait_s("127.0.0.1") > 0


def test_a_cookie_post_without_csrf_is_still_refused(client_as, library):
    clerk = client_as("clerk")
    response = clerk.post("/api/documents", data={"file": [(io.BytesIO(b"x"), "a.txt")]},
                          content_type="multipart/form-data")
    assert response.status_code == 400
    token, _ = ApiTokens(library.catalog).add("scanner", "clerk")  # a bearer on a page is ignored
    page = clerk.post("/upload", data={"file": [(io.BytesIO(b"x"), "a.txt")]},
                      content_type="multipart/form-data", headers=_bearer(token))
    assert page.status_code == 400


def test_the_admin_page_lists_and_revokes_tokens(client_as, library):
    ApiTokens(library.catalog).add("scanner", "clerk")
    admin = client_as("admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "scanner" in page and "ابطال" in page
    token = admin.get("/api/me").get_json()["csrf_token"]
    response = admin.post("/admin/users", data={"csrf_token": token, "action": "revoke_token",
                                                "token": "scanner"})
    assert response.status_code == 302 and ApiTokens(library.catalog).list() == []
    again = admin.post("/admin/users", data={"csrf_token": token, "action": "revoke_token", "token": "scanner"})
    assert again.status_code == 400


def test_durations():
    assert parse_duration("90d") == timedelta(days=90) and parse_duration("12h") == timedelta(hours=12)
    for bad in ["", "0d", "90", "1y", "-3d", "9999999d"]:
        with pytest.raises(TokenError):
            parse_duration(bad)


@pytest.fixture
def run(config):
    def invoke(*args):
        return CliRunner().invoke(cli, ["--config", str(ROOT / "config.yaml"), *args], obj={},
                                  env={"BAYEGAN_DATA_DIR": str(config.data_dir)})
    return invoke


def test_token_commands(run, library):
    added = run("token", "add", "scanner", "--role", "clerk", "--expires", "90d")
    assert added.exit_code == 0, added.output
    secret = added.output.splitlines()[0]
    assert secret.startswith("bgn_") and ApiTokens(library.catalog).verify(secret).role == "clerk"
    assert run("token", "add", "scanner", "--role", "clerk").exit_code == 1
    assert run("token", "add", "x y", "--role", "clerk").exit_code == 1
    assert run("token", "add", "other", "--role", "clerk", "--expires", "soon").exit_code == 1
    listed = json.loads(run("token", "list", "--json").output)
    assert [(t["name"], t["role"]) for t in listed] == [("scanner", "clerk")]
    assert listed[0]["expires"] and listed[0]["last_used"]
    assert secret not in run("token", "list").output
    assert run("token", "revoke", "scanner").exit_code == 0
    assert ApiTokens(library.catalog).verify(secret) is None
    assert run("token", "revoke", "scanner").exit_code == 1


def test_a_real_server_takes_a_token_upload_and_never_logs_the_token(config, tmp_path):
    config_file = write_config(tmp_path, web={"anonymous_read": False},
                               ingest={"poll_interval_s": 0.3, "stable_seconds": 0.3})
    env = {"BAYEGAN_DATA_DIR": str(config.data_dir), "PATH": "/usr/bin:/bin"}
    made = subprocess.run([sys.executable, "-m", "search_web.cli", "--config", str(config_file), "token", "add",
                           "scanner", "--role", "clerk"], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    token = made.stdout.strip()
    log = tmp_path / "server.log"
    with serving(config_file, config.data_dir, log, watch=True) as base:
        client = HttpClient(base, headers=_bearer(token))
        status, _, body = client.post_files("/api/documents", [("circular.txt", TXT_TEXT.encode())])
        assert status == 202
        status_url = json.loads(body)["items"][0]["status_url"]
        assert poll_until(lambda: client.json(status_url)[1]["status"] == "indexed", 90)
        assert HttpClient(base, headers=_bearer(token + "x")).get("/api/me")[0] == 401
    assert token not in log.read_text(errors="replace")
