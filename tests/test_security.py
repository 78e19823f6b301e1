"""The hardening of issue 20 against a real `bayegan serve`: logout that logs out, a login throttle
shared by the workers and keyed on the account, query limits, uploads named like copies in progress."""
import json
import time
import urllib.parse

import pytest

from conftest import WEB_PASSWORDS, HttpClient, poll_until, serving, write_config
from indexer.search.query import MAX_QUERY_CHARS, MAX_QUERY_WILDCARDS, MAX_QUERY_WORDS

pytestmark = pytest.mark.both_engines  # each test on Whoosh and on Tantivy


def test_a_cookie_replayed_after_logout_gets_401(private_server):
    client = HttpClient(private_server)
    assert client.log_in("viewer", WEB_PASSWORDS["viewer"])[0] == 302
    status, me = client.json("/api/me")
    assert status == 200 and me["user"] == "viewer"
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.jar)
    assert client.post_form("/logout", {"csrf_token": me["csrf_token"]})[0] == 302
    replay = HttpClient(private_server, headers={"Cookie": cookie})
    status, _, body = replay.get("/api/me")
    assert status == 401 and json.loads(body)["error"]


def test_failures_on_one_account_do_not_stop_another_from_the_same_address(private_server):
    attacker = HttpClient(private_server)
    statuses = [attacker.log_in("viewer", f"wrong-{i}")[0] for i in range(20)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    colleague = HttpClient(private_server)
    assert colleague.log_in("clerk", WEB_PASSWORDS["clerk"])[0] == 302
    assert colleague.json("/api/me")[1]["user"] == "clerk"


def _tries_before_429(base: str) -> int:
    client = HttpClient(base)
    for tries in range(1, 30):
        if client.log_in("viewer", "wrong-password")[0] == 429:
            return tries - 1
    return 30


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_limit_is_the_same_with_one_worker_or_two(config, tmp_path, workers):
    config_file = write_config(tmp_path, web={"anonymous_read": False})
    import subprocess
    import sys
    from conftest import ROOT

    subprocess.run([sys.executable, "-m", "search_web.cli", "--config", str(config_file), "user", "add",
                    "viewer", "--role", "viewer"], input="viewer-pass-1\n", text=True, cwd=ROOT,
                   env={**__import__("os").environ, "BAYEGAN_DATA_DIR": str(config.data_dir)},
                   check=True, capture_output=True)
    with serving(config_file, config.data_dir, tmp_path / "server.log", args=("--workers", workers,
                                                                             "--threads", "1")) as base:
        assert _tries_before_429(base) == 5


def test_long_queries_get_400_in_persian_and_english_at_once(server):
    client = HttpClient(server)
    # Latin letters: a 2,000-word query of Persian letters is longer than gunicorn's request line (4094)
    for q in [" ".join(["a"] * 2000), " ".join(["a*"] * 500), "b" * (MAX_QUERY_CHARS + 1)]:
        started = time.monotonic()
        status, headers, body = client.get("/api/search?" + urllib.parse.urlencode({"q": q}))
        elapsed = time.monotonic() - started
        answer = json.loads(body)
        assert status == 400 and answer["error"].startswith("the query") and "عبارت جست‌وجو" in answer["message"]
        assert elapsed < 5, elapsed  # refused before any analysis; measured well under 0.1 s
        page_status, _, page = client.get("/?" + urllib.parse.urlencode({"q": q}))
        assert page_status == 400 and "عبارت جست‌وجو" in page.decode()
    limit = " ".join(["اتوبوس"] * MAX_QUERY_WORDS) + " " + " ".join(["بر*"] * MAX_QUERY_WILDCARDS)
    assert client.get("/api/search?" + urllib.parse.urlencode({"q": limit}))[0] == 400  # 72 words
    assert client.get("/api/search?" + urllib.parse.urlencode(
        {"q": " ".join(["اتوبوس", "برقی"] * (MAX_QUERY_WORDS // 2))}))[0] == 200


def test_an_upload_named_part_becomes_searchable(private_server):
    clerk = HttpClient(private_server)
    assert clerk.log_in("clerk", WEB_PASSWORDS["clerk"])[0] == 302
    token = clerk.json("/api/me")[1]["csrf_token"]
    text = "بخشنامه آزمایشی درباره واژه یگانه زرشکستان".encode()
    status, _, body = clerk.post_files("/api/documents", [("x.part", text), ("y.txt.crdownload", text + b"!")],
                                       headers={"X-CSRF-Token": token})
    items = json.loads(body)["items"]
    assert status == 202 and [i["filename"] for i in items] == ["x", "y.txt"]
    done = poll_until(lambda: all(clerk.json(i["status_url"])[1]["status"] == "indexed" for i in items))
    assert done, [clerk.json(i["status_url"])[1] for i in items]
    hits = clerk.json("/api/search?" + urllib.parse.urlencode({"q": "زرشکستان"}))[1]["hits"]
    assert len(hits) == 2
