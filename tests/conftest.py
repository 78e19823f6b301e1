"""Shared fixtures: a fresh data folder, a library on a real SQLite file and Whoosh index, and real
PDF, DOCX and text files built in tmp_path."""
from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive import load_config
from indexer import Library
from scripts.docwriters import write_docx, write_pdf, write_text

ROOT = Path(__file__).resolve().parent.parent

PDF_TEXT = ("صورتجلسه هیأت‌مدیره سازمان حمل و نقل همگانی\n"
            "جلسه ۲۷ تاریخ: ۱۳۹۸/۰۳/۱۱ شماره: ۱۲۳۴/ص/۹۸\n"
            "مصوبه ۱: خرید بیست دستگاه اتوبوس برقی تصویب شد.\n"
            "مصوبه ۲: ساعات کار خطوط شبانه تمدید می‌شود.")
DOCX_LINES = ["صورتجلسه هیأت‌مدیره سازمان مدیریت پسماند",
              "مصوبه ۱: قرارداد جمع‌آوری پسماند تمدید شد.",
              "مصوبه ۲: طرح تفکیک زباله از مبدأ در ده محله اجرا می‌شود."]
TXT_TEXT = ("بخشنامه به کلیه سازمان‌ها\nموضوع: ارسال صورتجلسات\n"
            "صورتجلسات کمیسیون معاملات باید یک هفته پس از جلسه ارسال شود.")


SEARCH_ENGINES = ("whoosh", "tantivy")


def pytest_generate_tests(metafunc):
    """In a module marked ``both_engines`` every test that uses the ``engine`` fixture (through
    ``config``, ``library``, a server...) runs once on each search engine."""
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine", SEARCH_ENGINES, indirect=True)


# The longest modules (measured with --durations) first: pytest-xdist (``--dist worksteal`` in the
# Makefile) gives each worker a run of consecutive tests and lets a worker that runs out take half of
# another's remaining ones, so the long tests start at once and short ones fill the end, instead of
# one worker finishing a three-minute test alone.
LONGEST_FIRST = ("test_crash.py", "test_crash_ingest.py", "test_watch_process.py", "test_api_fuzz.py",
                 "test_crash_points.py", "test_register_browser.py", "test_browser_page.py", "test_browser.py",
                 "test_tokens.py", "test_security.py")
SERVER_FIXTURES = {"server", "private_server"}


def _cost_rank(item) -> int:
    """0..len(LONGEST_FIRST)-1 for the listed modules, then tests starting a server or marked slow,
    then the rest."""
    name = item.path.name
    if name in LONGEST_FIRST:
        return LONGEST_FIRST.index(name)
    if item.get_closest_marker("slow") or SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
        return len(LONGEST_FIRST)
    return len(LONGEST_FIRST) + 1


def pytest_collection_modifyitems(items):
    items.sort(key=_cost_rank)  # stable: a module's tests stay together and in order


@pytest.fixture
def engine(request, monkeypatch) -> str:
    """The search engine of the test: each in turn in a ``both_engines`` module, else Whoosh. It is set
    in the environment (``BAYEGAN_SEARCH_ENGINE``), so the servers and commands the test starts use it."""
    name = getattr(request, "param", "whoosh")
    monkeypatch.setenv("BAYEGAN_SEARCH_ENGINE", name)
    return name


def engine_env() -> dict[str, str]:
    """An environment holding only the test's search engine (set by the ``engine`` fixture): for
    configs loaded in the test's own process beside the commands it runs."""
    return {"BAYEGAN_SEARCH_ENGINE": os.environ.get("BAYEGAN_SEARCH_ENGINE", "whoosh")}


@pytest.fixture
def config(tmp_path: Path, engine: str):
    """The default config.yaml (organizations included) with its data folder in tmp_path, on the
    test's search engine."""
    data = tmp_path / "data"
    return load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(data), "BAYEGAN_SEARCH_ENGINE": engine})


@pytest.fixture
def library(config):
    lib = Library(config)
    yield lib
    lib.close()


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A folder holding one Persian PDF, one DOCX and one TXT."""
    folder = tmp_path / "samples"
    folder.mkdir()
    write_pdf(folder / "minutes.pdf", PDF_TEXT)
    write_docx(folder / "waste.docx", DOCX_LINES)
    write_text(folder / "circular.txt", TXT_TEXT)
    return folder


def write_files(folder: Path, files: dict) -> Path:
    """Real files in a new ``folder``: a name ending .docx gets a DOCX of its lines, .pdf a PDF of its
    text, anything else a UTF-8 text file."""
    folder.mkdir()
    for name, text in files.items():
        path = folder / name
        if name.endswith(".docx"):
            write_docx(path, text)
        elif name.endswith(".pdf"):
            write_pdf(path, text)
        else:
            write_text(path, text)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(folder: Path, web: dict | None = None, ingest: dict | None = None) -> Path:
    """The project's config.yaml with some ``web`` and ``ingest`` keys changed, written in ``folder``."""
    import yaml

    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    # one server process (each loads the app and hazm, seconds of CPU); a test of several says so
    raw["web"] = {**(raw.get("web") or {}), "workers": 1, **(web or {})}
    raw["ingest"] = {**(raw.get("ingest") or {}), **(ingest or {})}
    path = folder / "config-test.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


SERVER_START_S = 120   # generous: a loaded 2-core machine starts gunicorn and its workers slowly
SERVER_STOP_S = 60     # gunicorn's graceful timeout is 30 s



def poll_until(condition, deadline_s: float = 90.0, every_s: float = 0.3):
    """The first true value of ``condition()`` within the deadline (None when there is none): the one
    way tests wait for something another process does."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every_s)
    return None

def ingest_texts(library, folder: Path, files: dict[str, str]) -> dict[str, str]:
    """Write ``files`` (name → text) as UTF-8 text files in ``folder``, ingest them, and give each file
    name's document id; every file must be indexed."""
    from indexer.pipeline.ingest import ingest_paths

    folder.mkdir()
    for name, text in files.items():
        write_text(folder / name, text)
    results = ingest_paths(library, [folder])
    assert all(r.status == "indexed" for r in results), [r.error for r in results]
    return {r.path.rsplit("/", 1)[1]: r.id for r in results}


@contextmanager
def serving(config_file: Path, data_dir: Path, log_path: Path, watch: bool = False, args: tuple[str, ...] = (),
            on_ready=None):
    """Runs ``bayegan serve [ARGS]`` on a free port until the block ends; gives its base URL
    (``on_ready`` first receives the server's process)."""
    port = free_port()
    env = {**os.environ, "BAYEGAN_DATA_DIR": str(data_dir)}
    log = open(log_path, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "search_web.cli", "--config", str(config_file),
                             "serve", "--port", str(port), *args] + ([] if watch else ["--no-watch"]),
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    def answering():
        if proc.poll() is not None:
            return "stopped"
        try:
            with urllib.request.urlopen(base + "/login", timeout=2) as response:
                response.read()
            return "up"
        except OSError:
            return None

    try:
        if poll_until(answering, SERVER_START_S, every_s=0.2) != "up":
            proc.kill()
            raise RuntimeError(log_path.read_text())
        if on_ready is not None:
            on_ready(proc)
        yield base
    finally:
        if proc.poll() is None:
            proc.terminate()  # gunicorn lets requests in flight (and kept-alive ones) finish first
            try:
                proc.wait(timeout=SERVER_STOP_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


@pytest.fixture
def server(config, tmp_path):
    """A real ``bayegan serve`` (gunicorn) on a free port, open to anonymous readers
    (``web.anonymous_read: true``); yields its base URL."""
    config_file = write_config(tmp_path, web={"anonymous_read": True})
    with serving(config_file, config.data_dir, tmp_path / "server.log") as base:
        yield base




def _serve_privately(folder: Path, data_dir: Path):
    """``bayegan serve`` as installed: anonymous access off, the inbox watcher on (quick)."""
    config_file = write_config(folder, web={"anonymous_read": False},
                               ingest={"poll_interval_s": 0.3, "stable_seconds": 0.3})
    return serving(config_file, data_dir, folder / "server.log", watch=True)


@pytest.fixture
def private_server(config, tmp_path):
    """``bayegan serve`` as installed: anonymous access off, the inbox watcher on (quick), and one
    user per role (name = role, password in WEB_PASSWORDS) in its catalog (``bayegan user add`` has
    its own test in test_auth.py)."""
    from archive import Catalog

    catalog = Catalog(config.database_url)
    add_users(catalog)
    catalog.engine.dispose()
    with _serve_privately(tmp_path, config.data_dir) as base:
        yield base


@dataclass(frozen=True)
class Site:
    base: str                 # the server's URL
    library: Library          # the same data folder, in the test's process
    ids: dict[str, str]       # what the module's ``prepare`` returned: file name -> document id


@contextmanager
def private_site(folder: Path, prepare):
    """A Whoosh archive in ``folder`` holding what ``prepare(library)`` ingests (it returns file name ->
    document id) and one user per role, served like ``private_server``: one server for the tests of a
    module that read the same archive (the browser modules: a worker that runs several of them in a
    row starts the server and the browser once)."""
    config = load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(folder / "data"),
                                                     "BAYEGAN_SEARCH_ENGINE": "whoosh"})
    library = Library(config)
    try:
        ids = prepare(library)
        add_users(library.catalog)
        with _serve_privately(folder, config.data_dir) as base:
            yield Site(base, library, ids)
    finally:
        library.close()


# --- the web app through Flask's test client, with one user per role -----------------------------

WEB_PASSWORDS = {"viewer": "viewer-pass-1", "clerk": "clerk-pass-22", "admin": "admin-pass-333"}


def csrf_from(html: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(client, name: str, password: str, next_url: str | None = None):
    """GET /login for the form's token, then POST it; returns the POST's response."""
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data = {"username": name, "password": password, "csrf_token": token}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login", data=data)


@functools.cache
def _password_hash(password: str) -> str:
    """One argon2 hash of each test password per test process, made as archive/users.py makes them: a
    hash costs 0.1–0.3 s of CPU, and most web tests make three users (``Accounts.add`` itself is
    tested in test_auth.py)."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def add_users(catalog) -> dict[str, str]:
    """Users named viewer, clerk and admin in ``catalog``, each with that role (passwords in
    WEB_PASSWORDS)."""
    from archive.users import User

    with catalog.session() as session:
        for role, password in WEB_PASSWORDS.items():
            session.add(User(name=role, role=role, password_hash=_password_hash(password)))
    return dict(WEB_PASSWORDS)


@pytest.fixture
def web_users(library):
    """Users named viewer, clerk and admin, each with that role (passwords in WEB_PASSWORDS)."""
    return add_users(library.catalog)


@pytest.fixture
def web_app(library):
    from search_web import create_app

    app = create_app(library.config, library=library)
    app.testing = True
    return app


@pytest.fixture
def client_as(web_app, web_users):
    """client_as("clerk"): a test client logged in with that role; client_as(None): anonymous."""
    def make(role: str | None):
        client = web_app.test_client()
        if role is not None:
            response = log_in(client, role, web_users[role])
            assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return make


def pytest_terminal_summary(terminalreporter):
    """Says where the browser tests left their screenshots, so CI's log shows it."""
    shots = ROOT / "test-artifacts"
    if shots.is_dir() and any(shots.glob("*.png")):
        terminalreporter.write_line(f"UI screenshots (search, document, upload, phone): {shots}")


# --- a small HTTP client for the real server: cookies kept, errors returned not raised ------------

class HttpClient:
    """urllib with a cookie jar; every call returns (status, headers, body bytes)."""

    def __init__(self, base: str, headers: dict | None = None):
        import http.cookiejar

        self.base = base
        self.headers = dict(headers or {})
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 60):
        import urllib.error

        req = urllib.request.Request(self.base + path, data=body, method=method,
                                     headers={**self.headers, **(headers or {})})
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def json(self, path: str, **kw):
        import json

        status, _, body = self.get(path, **kw)
        return status, json.loads(body)

    def post_form(self, path: str, fields: dict):
        import urllib.parse

        return self.request("POST", path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_files(self, path: str, files: list[tuple[str, bytes]], headers: dict | None = None):
        body, content_type = multipart_body(files)
        return self.request("POST", path, body, {"Content-Type": content_type, **(headers or {})})

    def log_in(self, name: str, password: str):
        _, _, page = self.get("/login")
        token = csrf_from(page.decode())
        return self.post_form("/login", {"username": name, "password": password, "csrf_token": token})


def multipart_body(files: list[tuple[str, bytes]], field: str = "file") -> tuple[bytes, str]:
    """A multipart/form-data body of ``files`` (name, bytes), and its Content-Type."""
    import secrets

    boundary = secrets.token_hex(16)
    parts = []
    for name, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                     f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                     + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
