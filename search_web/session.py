"""The session cookie: signed with a key kept in the data folder, marked Secure over HTTPS."""
from __future__ import annotations

import os
import secrets
import tempfile
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
    if not path.exists():
        # written whole to a temporary file, then linked into place: server workers starting together
        # agree on one key, and none reads a half-written file
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    key = path.read_text(encoding="ascii").strip()
    if len(key) >= 32:
        return key
    raise RuntimeError(f"{path} holds no usable key; remove it to generate a new one")


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie gets the Secure flag whenever the request came over HTTPS
    (behind a proxy, werkzeug's ProxyFix makes ``request.is_secure`` see the original scheme)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure
