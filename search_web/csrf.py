"""CSRF protection: every POST, PUT, PATCH and DELETE carries the session's token.

Forms send it as the ``csrf_token`` field; scripts and API clients send it in the ``X-CSRF-Token``
header (pages carry it in ``<meta name="csrf-token">``; ``GET /api/me`` returns it). The token is
random per session and compared in constant time. Requests authenticated by an API token
(``Authorization: Bearer``, see :mod:`search_web.auth`) need none: no browser sends that header on
its own.
"""
from __future__ import annotations

import hmac
import secrets

from flask import g, request, session
from werkzeug.exceptions import BadRequest

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class CsrfFailed(BadRequest):
    description = "missing or wrong CSRF token"
    message_fa = "اعتبار فرم تمام شده است؛ صفحه را دوباره باز کنید و دوباره بفرستید."


def csrf_token() -> str:
    """The session's token, created on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def renew_token() -> str:
    """A fresh token, after login or logout."""
    session.pop(SESSION_KEY, None)
    return csrf_token()


def is_valid(sent: str | None) -> bool:
    expected = session.get(SESSION_KEY)
    return bool(expected and sent) and hmac.compare_digest(str(expected), str(sent))


def register(app) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def check_csrf():
        if request.method not in UNSAFE_METHODS or g.get("bearer"):
            return None  # a request with an API token carries no cookie an attacker could borrow
        sent = request.headers.get(HEADER)
        if sent is None and request.mimetype in ("application/x-www-form-urlencoded",
                                                 "multipart/form-data"):
            sent = request.form.get(FIELD)
        if not is_valid(sent):
            raise CsrfFailed()
        return None
