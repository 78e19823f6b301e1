"""Accounts, login, roles, CSRF, the login rate limit and the session cookie, through the test client."""
import json
import os
import stat
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.users import AccountError, Accounts, UserExists, UserNotFound
from indexer.cli import cli
from search_web import create_app
from archive.sessions import WebSessions
from archive.throttle import LoginThrottle
from search_web.auth import safe_next
from tests.conftest import csrf_from, log_in

ROOT = Path(__file__).resolve().parent.parent

# Every route with a method and the least role it needs.
ROUTES = [
    ("GET", "/", "viewer"),
    ("GET", "/?q=اتوبوس", "viewer"),
    ("GET", "/d/aaaaaaaaaaaa", "viewer"),
    ("GET", "/d/aaaaaaaaaaaa/original", "viewer"),
    ("GET", "/api/search?q=اتوبوس", "viewer"),
    ("GET", "/api/documents/aaaaaaaaaaaa", "viewer"),
    ("GET", "/api/me", "viewer"),
    ("GET", "/upload", "clerk"),
    ("POST", "/upload", "clerk"),
    ("POST", "/api/documents", "clerk"),
    ("GET", "/api/uploads/0123456789abcdef01234567", "clerk"),
    ("GET", "/admin/users", "admin"),
    ("POST", "/admin/users", "admin"),
    ("GET", "/admin/status", "admin"),
]
RANK = {None: -1, "viewer": 0, "clerk": 1, "admin": 2}


def _request(client, method, url):
    if method == "GET":
        return client.get(url)
    client.get("/login")  # gives an anonymous visitor a session and its CSRF token
    with client.session_transaction() as session:
        token = session.get("csrf")
    return client.post(url, data={"csrf_token": token or "none", "action": "none"})


@pytest.mark.parametrize("role", [None, "viewer", "clerk", "admin"])
def test_every_route_for_every_role(client_as, role):
    client = client_as(role)
    for method, url, needs in ROUTES:
        response = _request(client, method, url)
        allowed = RANK[role] >= RANK[needs]
        if allowed:
            assert response.status_code not in (302, 401, 403), (role, method, url)
        elif role is None and url.startswith("/api/"):
            assert response.status_code == 401 and response.get_json()["error"], (method, url)
        elif role is None:
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login?next="), url
        else:
            assert response.status_code == 403, (role, method, url)
            assert "اجازهٔ دسترسی" in response.get_data(as_text=True) or response.is_json


def test_every_view_declares_its_access(web_app):
    for rule in web_app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = web_app.view_functions[rule.endpoint]
        assert getattr(view, "access", None) in ("public", "viewer", "clerk", "admin"), rule.rule


@pytest.fixture
def open_app(library, web_users):
    """The app with ``web.anonymous_read: true``."""
    from dataclasses import replace

    config = replace(library.config, web=replace(library.config.web, anonymous_read=True))
    app = create_app(config, library=library)
    app.testing = True
    return app


def test_anonymous_read_lets_visitors_read_but_not_upload_or_manage(open_app):
    client = open_app.test_client()
    assert client.get("/?q=اتوبوس").status_code == 200
    assert client.get("/api/search?q=اتوبوس").status_code == 200
    assert client.get("/api/me").get_json()["user"] is None
    assert client.get("/upload").headers["Location"].startswith("/login?next=")
    assert client.get("/admin/users").headers["Location"].startswith("/login?next=")
    assert client.get("/api/uploads/0123456789abcdef01234567").status_code == 401
    token = client.get("/api/me").get_json()["csrf_token"]
    assert client.post("/api/documents", headers={"X-CSRF-Token": token}).status_code == 401


def test_link_from_email_goes_to_login_and_back(client_as, web_users):
    client = client_as(None)
    target = "/?q=%D8%A7%D8%AA%D9%88%D8%A8%D9%88%D8%B3&kind=minutes"
    first = client.get(target)
    assert first.status_code == 302
    login_url = first.headers["Location"]
    page = client.get(login_url).get_data(as_text=True)
    assert 'name="next" value="/?q=' in page and "kind=minutes" in page
    response = log_in(client, "viewer", web_users["viewer"], next_url="/?q=اتوبوس&kind=minutes")
    assert response.status_code == 302
    assert urllib.parse.unquote(response.headers["Location"]) == "/?q=اتوبوس&kind=minutes"
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)", "evil", "/ok\r\nSet-Cookie: x=1", ""])
def test_next_must_be_a_local_path(target, web_app):
    with web_app.test_request_context():
        assert safe_next(target) == "/"


def test_wrong_password_unknown_user_and_logout(client_as, web_users, web_app):
    client = web_app.test_client()
    wrong = log_in(client, "viewer", "not-the-password")
    assert wrong.status_code == 401 and "درست نیست" in wrong.get_data(as_text=True)
    assert log_in(client, "nobody", "whatever-pass").status_code == 401
    assert client.get("/").status_code == 302
    client = client_as("clerk")
    assert client.get("/upload").status_code == 200
    token = csrf_from(client.get("/upload").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/upload").status_code == 302


def test_forms_without_csrf_token_are_refused(client_as, web_users, web_app):
    client = web_app.test_client()
    client.get("/login")
    refused = client.post("/login", data={"username": "viewer", "password": web_users["viewer"]})
    assert refused.status_code == 400 and "اعتبار فرم" in refused.get_data(as_text=True)
    admin = client_as("admin")
    response = admin.post("/admin/users", data={"action": "add", "username": "mallory", "role": "admin",
                                                "password": "long-enough-1", "csrf_token": "forged"})
    assert response.status_code == 400
    assert admin.post("/logout").status_code == 400
    assert admin.post("/api/documents", headers={"X-CSRF-Token": "forged"}).status_code == 400
    assert Accounts(web_app.extensions["bayegan"].catalog).get("mallory") is None


def test_login_is_throttled_per_account_not_per_address(web_users, web_app):
    client = web_app.test_client()
    for _ in range(5):
        assert log_in(client, "viewer", "wrong-password").status_code == 401
    blocked = log_in(client, "viewer", web_users["viewer"])  # right, but within the wait
    assert blocked.status_code == 429 and "ثانیهٔ دیگر" in blocked.get_data(as_text=True)
    assert 1 <= int(blocked.headers["Retry-After"]) <= 30
    # another account from the same address is not held up by the first one's failures
    assert log_in(web_app.test_client(), "clerk", web_users["clerk"]).status_code == 302


def test_throttle_grows_delays_and_forgets(library):
    from datetime import datetime, timedelta

    now = [datetime(2026, 12, 1, 12, 0)]
    throttle = LoginThrottle(library.catalog, clock=lambda: now[0])
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        throttle.failed(address, "Ali")
    assert throttle.wait_s("10.0.0.9", "ali") == 0          # four failures are free
    throttle.failed("10.0.0.5", "ali")
    assert throttle.wait_s("10.0.0.9", "ALI") == 30         # the fifth: 30 s, from any address
    assert throttle.wait_s("10.0.0.5", "reza") == 0         # the address alone is far from its limit
    now[0] += timedelta(seconds=31)
    assert throttle.wait_s("10.0.0.9", "ali") == 0          # a delay, not a block
    throttle.failed("10.0.0.5", "ali")
    assert throttle.wait_s("10.0.0.9", "ali") == 60         # each failure doubles it
    for _ in range(20):
        throttle.failed("10.0.0.5", "ali")
    assert throttle.wait_s("10.0.0.9", "ali") == 15 * 60    # up to fifteen minutes
    assert throttle.unlock("ali") and throttle.wait_s("10.0.0.9", "ali") == 0
    for name in [f"user{i}" for i in range(30)]:            # many names from one address
        throttle.failed("10.0.0.7", name)
    assert throttle.wait_s("10.0.0.7", "someone") == 30
    assert throttle.wait_s("10.0.0.8", "someone") == 0
    now[0] += timedelta(hours=2)
    throttle.failed("10.0.0.7", "user1")                    # old failures are forgotten
    assert throttle.wait_s("10.0.0.7", "user1") == 0


def test_session_cookie_is_httponly_and_secure_over_https(web_users, web_app):
    client = web_app.test_client()
    plain = client.get("/login")
    cookie = plain.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = web_app.test_client().get("/login", base_url="https://archive.example")
    assert "Secure" in secure.headers["Set-Cookie"]


def test_password_change_role_change_and_removal_end_sessions(client_as, library):
    client = client_as("viewer")
    assert client.get("/").status_code == 200
    Accounts(library.catalog).set_password("viewer", "a-new-password")
    assert client.get("/").status_code == 302
    client = client_as("clerk")
    Accounts(library.catalog).set_role("clerk", "viewer")
    assert client.get("/").status_code == 302
    client = client_as("admin")
    Accounts(library.catalog).remove("admin")
    assert client.get("/").status_code == 302


def test_a_cookie_saved_before_logout_is_worth_nothing_after(client_as, web_app):
    client = client_as("clerk")
    saved = client.get_cookie("bayegan_session").value
    token = client.get("/api/me").get_json()["csrf_token"]
    assert client.post("/logout", headers={"X-CSRF-Token": token}).status_code == 302
    replay = web_app.test_client()
    replay.set_cookie("bayegan_session", saved)
    assert replay.get("/api/me").status_code == 401


def test_log_out_everywhere(client_as, web_users, web_app, library):
    phone, desk = client_as("viewer"), client_as("viewer")
    assert WebSessions(library.catalog).count("viewer") == 2
    admin = client_as("admin")
    token = admin.get("/api/me").get_json()["csrf_token"]
    assert admin.post("/admin/users", data={"csrf_token": token, "action": "logout",
                                            "username": "viewer"}).status_code == 302
    assert phone.get("/api/me").status_code == 401 and desk.get("/api/me").status_code == 401
    assert admin.get("/api/me").status_code == 200


def test_accounts_hash_with_argon2_and_check_their_input(library):
    accounts = Accounts(library.catalog)
    user = accounts.add("ali.r", "clerk", "correct horse")
    assert user.password_hash.startswith("$argon2id$") and "correct horse" not in user.password_hash
    assert accounts.authenticate("ali.r", "correct horse").role == "clerk"
    assert accounts.authenticate("ali.r", "wrong horse") is None
    assert accounts.authenticate("nobody", "correct horse") is None
    with pytest.raises(UserExists):
        accounts.add("ali.r", "viewer", "another password")
    with pytest.raises(AccountError, match="role"):
        accounts.add("reza", "boss", "long password")
    with pytest.raises(AccountError, match="at least"):
        accounts.add("reza", "viewer", "short")
    with pytest.raises(AccountError, match="user names"):
        accounts.add("../etc", "viewer", "long password")
    with pytest.raises(UserNotFound):
        accounts.remove("reza")


def test_admin_page_manages_users(client_as, library):
    admin = client_as("admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    token = csrf_from(page)
    assert "viewer" in page and "clerk" in page

    def post(**data):
        return admin.post("/admin/users", data={"csrf_token": token, **data})

    assert post(action="add", username="sara", role="clerk", password="sara-password").status_code == 302
    assert Accounts(library.catalog).get("sara").role == "clerk"
    assert post(action="role", username="sara", role="viewer").status_code == 302
    assert Accounts(library.catalog).get("sara").role == "viewer"
    assert post(action="password", username="sara", password="another-pass").status_code == 302
    assert Accounts(library.catalog).authenticate("sara", "another-pass") is not None
    refused = post(action="remove", username="admin")
    assert refused.status_code == 400 and "خودتان" in refused.get_data(as_text=True)
    assert post(action="role", username="admin", role="viewer").status_code == 400
    assert post(action="add", username="sara", role="clerk", password="sara-password").status_code == 400
    assert post(action="remove", username="sara").status_code == 302
    assert Accounts(library.catalog).get("sara") is None


def test_secret_key_is_generated_once_with_mode_0600(library):
    create_app(library.config, library=library)
    path = library.config.data_dir / "secret_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    key = path.read_text()
    app = create_app(library.config, library=library)
    assert path.read_text() == key and app.secret_key == key.strip()


@pytest.fixture
def run(config):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, ["--config", str(ROOT / "config.yaml"), *args], obj={},
                             env={"BAYEGAN_DATA_DIR": str(config.data_dir)}, input=input)
    return invoke


def test_user_commands(run, library):
    added = run("user", "add", "maryam", "--role", "clerk", input="maryam-password\n")
    assert added.exit_code == 0, added.output
    assert Accounts(library.catalog).authenticate("maryam", "maryam-password").role == "clerk"
    assert run("user", "add", "maryam", "--role", "clerk", input="maryam-password\n").exit_code == 1
    assert run("user", "add", "x", "--role", "boss", input="whatever-pass\n").exit_code == 2
    short = run("user", "add", "kamal", "--role", "viewer", input="short\n")
    assert short.exit_code == 1 and "گذرواژه" in short.output
    assert run("user", "passwd", "maryam", input="new-password-1\n").exit_code == 0
    assert Accounts(library.catalog).authenticate("maryam", "new-password-1") is not None
    assert run("user", "passwd", "nobody", input="new-password-1\n").exit_code == 1
    listed = json.loads(run("user", "list", "--json").output)
    assert listed == [{"name": "maryam", "role": "clerk"}]
    assert "maryam" in run("user", "list").output
    assert run("user", "remove", "maryam").exit_code == 0
    assert run("user", "remove", "maryam").exit_code == 1
    assert run("user", "list", "--json").output.strip() == "[]"


def test_user_unlock_and_logout_commands(run, library, web_users, web_app):
    throttle = LoginThrottle(library.catalog)
    for _ in range(6):
        throttle.failed("10.1.1.1", "clerk")
    assert throttle.wait_s("10.1.1.2", "clerk") > 0
    unlocked = run("user", "unlock", "clerk")
    assert unlocked.exit_code == 0 and "unlocked clerk" in unlocked.output
    assert throttle.wait_s("10.1.1.2", "clerk") == 0
    assert "no failed logins" in run("user", "unlock", "clerk").output
    client = web_app.test_client()
    assert log_in(client, "clerk", web_users["clerk"]).status_code == 302
    ended = run("user", "logout", "clerk")
    assert ended.exit_code == 0 and "ended 1 session" in ended.output
    assert client.get("/api/me").status_code == 401
    assert run("user", "logout", "nobody").exit_code == 1
