"""The web UI and JSON API. ``create_app`` is the only way to build the app."""
from __future__ import annotations

from flask import Flask

from archive import Config, load_config
from indexer import Library


def create_app(config: Config | None = None, library: Library | None = None) -> Flask:
    """Build the Flask app for one configuration (loaded from the default place when not given)."""
    config = config or load_config()
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=config.web.max_upload_mb * 1024 * 1024,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    app.extensions["bayegan"] = library or Library(config)

    from search_web import api, errors, filters, views

    filters.register(app)
    errors.register(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'self'; frame-src 'self'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


__all__ = ["create_app"]
