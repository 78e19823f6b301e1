"""Login, logout, the current user and who may open what.

Roles: viewer reads, clerk also uploads, admin also sees the status page and manages users. Every view
declares its role with :func:`requires` (or :func:`public`); a test checks that none is left out. With
``web.anonymous_read`` a visitor who has not logged in is a viewer; clerk and admin pages always need a
login. Anonymous requests to /api/* answer 401 JSON, to pages a redirect to /login?next=<the page>.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from functools import wraps
from typing import Callable
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, g, redirect, render_template, request, session,
                   url_for)

from archive.users import ROLE_RANK, Accounts, User
from search_web.csrf import renew_token
from search_web.services import library

bp = Blueprint("auth", __name__)

ROLE_LABELS = {"viewer": "بیننده", "clerk": "کارمند", "admin": "مدیر"}


class LoginThrottle:
    """Counts failed logins per client address and per user name in a sliding window; after
    ``max_failures`` either one is refused until the window has passed. Memory only, per process."""

    def __init__(self, max_failures: int = 5, window_s: float = 300.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000):
        self.max_failures = max_failures
        self.window_s = window_s
        self.clock = clock
        self.max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()  # each server process serves requests from several threads

    def _recent(self, key: str) -> deque[float]:
        times = self._failures.get(key, deque())
        cutoff = self.clock() - self.window_s
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times

    def blocked(self, address: str, name: str) -> bool:
        with self._lock:
            return any(len(self._recent(k)) >= self.max_failures
                       for k in (f"ip:{address}", f"user:{name.lower()}"))

    def failed(self, address: str, name: str) -> None:
        with self._lock:
            if len(self._failures) >= self.max_keys:
                for key in list(self._failures):
                    self._recent(key)
            for key in (f"ip:{address}", f"user:{name.lower()}"):
                self._failures.setdefault(key, deque()).append(self.clock())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{name.lower()}", None)


def accounts() -> Accounts:
    return Accounts(library().catalog)


def current_user() -> User | None:
    """The logged-in user, read again on every request: removal or a new password ends sessions."""
    if "user" not in g:
        user = None
        name = session.get("user")
        if name:
            user = accounts().get(name)
            if user is None or session.get("since") != user.password_changed_at.isoformat():
                session.clear()
                user = None
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
    throttle: LoginThrottle = current_app.extensions["bayegan.login_throttle"]
    if throttle.blocked(_client_address(), name):
        return render_template("login.html", next_url=next_url, username=name,
                               error="تلاش‌های ناموفق زیاد بود؛ چند دقیقهٔ دیگر دوباره امتحان کنید."), 429
    user = accounts().authenticate(name, password) if name and password else None
    if user is None:
        throttle.failed(_client_address(), name)
        return render_template("login.html", next_url=next_url, username=name,
                               error="نام کاربری یا گذرواژه درست نیست."), 401
    throttle.succeeded(name)
    session.clear()
    session.permanent = True
    session["user"] = user.name
    session["since"] = user.password_changed_at.isoformat()
    renew_token()
    return redirect(next_url)


@bp.post("/logout")
@public
def logout():
    session.clear()
    renew_token()
    return redirect(url_for("auth.login"))


def register(app) -> None:
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["may"] = may
    app.jinja_env.filters["role_fa"] = lambda role: ROLE_LABELS.get(role, role)
