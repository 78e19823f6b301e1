"""search_web/proxies.py: X-Forwarded-For believed only from the trusted proxies, hop by hop."""
from dataclasses import replace

import pytest
from flask import Flask, jsonify, request

from archive import ConfigError
from archive.config import WebConfig
from search_web.proxies import TrustedProxyFix


def _seen(trusted, remote, forwarded=None, proto=None):
    app = Flask(__name__)

    @app.get("/")
    def who():
        return jsonify(addr=request.remote_addr, scheme=request.scheme)

    app.wsgi_app = TrustedProxyFix(app.wsgi_app, trusted)
    headers = {}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    if proto:
        headers["X-Forwarded-Proto"] = proto
    answer = app.test_client().get("/", headers=headers, environ_base={"REMOTE_ADDR": remote}).get_json()
    return answer["addr"], answer["scheme"]


def test_a_trusted_proxy_gives_the_client_address_and_scheme():
    assert _seen(("10.0.0.5",), "10.0.0.5", "192.168.7.20", "https") == ("192.168.7.20", "https")


def test_an_untrusted_peer_cannot_choose_its_address():
    assert _seen(("10.0.0.5",), "192.168.7.20", "1.2.3.4", "https") == ("192.168.7.20", "http")
    assert _seen((), "10.0.0.5", "1.2.3.4") == ("10.0.0.5", "http")


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address():
    # the client forged the first entry; proxy 10.0.1.9 added the real client; 10.0.0.5 is the peer
    assert _seen(("10.0.0.0/16",), "10.0.0.5", "6.6.6.6, 192.168.7.20, 10.0.1.9") == ("192.168.7.20", "http")


def test_trusted_proxies_are_checked_when_loaded():
    assert WebConfig(trusted_proxies=["10.0.0.5", "fd00::/8"]).trusted_proxies == ("10.0.0.5", "fd00::/8")
    with pytest.raises(ConfigError, match="not an address"):
        WebConfig(trusted_proxies=["proxy.local"])
    with pytest.raises(ConfigError, match="list"):
        WebConfig(trusted_proxies="10.0.0.5")


def test_the_login_throttle_counts_the_forwarded_address(library, web_users):
    from search_web import create_app
    from tests.conftest import csrf_from

    config = replace(library.config, web=replace(library.config.web, trusted_proxies=("127.0.0.1",)))
    app = create_app(config, library=library)
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "viewer", "password": "wrong-password", "csrf_token": token},
                headers={"X-Forwarded-For": "192.168.7.20"})
    from archive.throttle import LoginFailure

    with library.catalog.session() as session:
        keys = {row.key for row in session.query(LoginFailure)}
    assert keys == {"ip:192.168.7.20", "user:viewer"}
