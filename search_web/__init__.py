"""The web UI and JSON API. ``create_app`` is the only way to build the app."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from archive import Config
    from indexer import Library

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'self'; frame-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'")


def create_app(config: Config | None = None, library: Library | None = None) -> Flask:
    """Build the Flask app for one configuration (loaded from the default place when not given)."""
    # imported here: the command line (search_web.cli) starts without Flask or the archive's modules
    from flask import Flask, request

    from archive import SESSION_LIFETIME, load_config
    from indexer import Library

    from search_web import admin, api, auth, csrf, errors, filters, register, saved, session, views
    from search_web.proxies import TrustedProxyFix

    config = config or load_config()
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=config.web.max_upload_mb * 1024 * 1024,
        SECRET_KEY=session.secret_key(config),
        SESSION_COOKIE_NAME="bayegan_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,  # the cookie lives as long as its server-side session
        PROPAGATE_EXCEPTIONS=False,
        TRAP_HTTP_EXCEPTIONS=False,
    )
    app.json.ensure_ascii = False
    app.session_interface = session.HttpsAwareSessionInterface()
    app.extensions["bayegan"] = library or Library(config)
    app.extensions["bayegan.config"] = config

    if config.web.trusted_proxies:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, config.web.trusted_proxies)
    filters.register(app)
    errors.register(app)
    auth.register(app)      # API tokens are read before the CSRF check, which they skip
    csrf.register(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(register.bp)
    app.register_blueprint(saved.bp)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html" or request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


__all__ = ["create_app"]
