"""The session cookie: signed with a key kept in the data folder, marked Secure over HTTPS."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import request
from flask.sessions import SecureCookieSessionInterface

from archive import Config

SECRET_FILE = "secret_key"


def secret_key(config: Config) -> str:
    """``web.secret_key``, else the key in ``<data_dir>/secret_key``, created once (mode 0600)."""
    if config.web.secret_key:
        return config.web.secret_key
    path = Path(config.data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
        raise RuntimeError(f"{path} holds no usable key; remove it to generate a new one") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return key


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie gets the Secure flag whenever the request came over HTTPS
    (behind a proxy, werkzeug's ProxyFix makes ``request.is_secure`` see the original scheme)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure
