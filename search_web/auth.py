"""Login, logout, the current user and who may open what.

Roles: viewer reads, clerk also uploads, admin also sees the status page and manages users. Every view
declares its role with :func:`requires` (or :func:`public`); a test checks that none is left out. With
``web.anonymous_read`` a visitor who has not logged in is a viewer; clerk and admin pages always need a
login. Anonymous requests to /api/* answer 401 JSON, to pages a redirect to /login?next=<the page>.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, g, redirect, render_template, request, session,
                   url_for)

from werkzeug.exceptions import TooManyRequests, Unauthorized

from archive import ROLE_RANK, Accounts, ApiTokens, LoginThrottle, User, WebSessions
from search_web.csrf import renew_token
from search_web.services import library

bp = Blueprint("auth", __name__)

ROLE_LABELS = {"viewer": "بیننده", "clerk": "کارمند", "admin": "مدیر"}


def accounts() -> Accounts:
    return Accounts(library().catalog)


def web_sessions() -> WebSessions:
    return WebSessions(library().catalog)


def throttle() -> LoginThrottle:
    return LoginThrottle(library().catalog)


@dataclass(frozen=True)
class TokenClient:
    """Who acts on a request that carries an API token: the token's name and role."""

    name: str
    role: str

    def may(self, role: str) -> bool:
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header on an /api request, else None."""
    if not request.path.startswith("/api/"):
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def authenticate_token():
    """Before each request: an /api request with a bearer token acts as that token (and needs no CSRF
    token); a wrong, revoked or expired one is answered 401 and counted by the login throttle."""
    token = bearer_token()
    if token is None:
        return None
    g.bearer = True
    wait = throttle().wait_s(_client_address())
    if wait > 0:
        raise TooManyRequests(retry_after=math.ceil(wait))
    record = ApiTokens(library().catalog).verify(token)
    if record is None:
        throttle().failed(_client_address())
        raise Unauthorized("invalid, revoked or expired API token")
    g.user = TokenClient(name=f"token:{record.name}", role=record.role)
    return None


def current_user() -> User | TokenClient | None:
    """The logged-in user, looked up on every request through the server-side session: logout, a new
    password, a new role, removal or "log out everywhere" end it at once."""
    if "user" not in g:
        user = None
        sid = session.get("sid")
        if sid:
            name = web_sessions().user_of(sid)
            user = accounts().get(name) if name else None
            if user is None:
                session.clear()
        g.user = user
    return g.user


def anonymous_read() -> bool:
    return current_app.extensions["bayegan.config"].web.anonymous_read


def may(role: str) -> bool:
    """True when the current visitor (logged in or not) may open pages that need ``role``."""
    user = current_user()
    if user is None:
        return role == "viewer" and anonymous_read()
    return user.may(role)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the search page."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("views.search")
    if any(ord(c) < 32 for c in target):
        return url_for("views.search")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("views.search")
    return target


def _deny():
    if current_user() is None:
        if request.path.startswith("/api/"):
            abort(401)
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=target))
    abort(403)


def requires(role: str):
    """Decorator: the view needs a visitor who may act as ``role``."""
    if role not in ROLE_RANK:
        raise ValueError(role)

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not may(role):
                return _deny()
            return view(*args, **kwargs)

        guarded.access = role
        return guarded
    return decorate


def public(view):
    """Decorator: the view is open to everyone (the login page)."""
    view.access = "public"
    return view


def _client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(next_url)
        return render_template("login.html", next_url=next_url, error=None, username="")
    name = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    wait = throttle().wait_s(_client_address(), name)
    if wait > 0:
        seconds = math.ceil(wait)
        page = render_template("login.html", next_url=next_url, username=name,
                               error=f"تلاش‌های ناموفق زیاد بود؛ {seconds} ثانیهٔ دیگر دوباره امتحان کنید.")
        return page, 429, {"Retry-After": str(seconds)}
    user = accounts().authenticate(name, password) if name and password else None
    if user is None:
        throttle().failed(_client_address(), name)
        return render_template("login.html", next_url=next_url, username=name,
                               error="نام کاربری یا گذرواژه درست نیست."), 401
    throttle().succeeded(name)
    web_sessions().end(session.get("sid"))
    session.clear()
    session.permanent = True
    session["sid"] = web_sessions().start(user.name)
    renew_token()
    return redirect(next_url)


@bp.post("/logout")
@public
def logout():
    web_sessions().end(session.get("sid"))
    session.clear()
    renew_token()
    return redirect(url_for("auth.login"))


def register(app) -> None:
    """Registered before the CSRF check, which lets token requests through."""
    app.before_request(authenticate_token)
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["may"] = may
    app.jinja_env.filters["role_fa"] = lambda role: ROLE_LABELS.get(role, role)
