"""Errors translated at the edge: JSON with a message under /api, a Persian page elsewhere.

Nothing of a stack trace reaches the user: unexpected errors are logged with their trace and
answered with a plain 500.
"""
from __future__ import annotations

import logging

from flask import jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from archive import DocumentNotFound
from archive import SavedSearchError, SavedSearchNotFound
from indexer import IndexUnavailable, QueryError, RegisterError, ResolutionNotFound

log = logging.getLogger(__name__)

MESSAGES_FA = {
    400: "درخواست نامعتبر است.",
    401: "برای این کار باید وارد شوید.",
    403: "اجازهٔ دسترسی به این صفحه را ندارید.",
    404: "سند یا صفحهٔ خواسته‌شده پیدا نشد.",
    405: "این روش درخواست پذیرفته نیست.",
    413: "حجم پرونده بیش از حد مجاز است.",
    429: "درخواست‌ها بیش از حد مجاز بود؛ کمی بعد دوباره امتحان کنید.",
    500: "خطای داخلی رخ داد؛ لطفاً دوباره تلاش کنید.",
}


def respond(status: int, message: str, message_fa: str):
    if request.path.startswith("/api/"):
        body = jsonify({"error": message, "message": message_fa, "status": status})
    else:
        body = render_template("error.html", status=status, message_fa=message_fa)
    return make_response(body, status)


def _too_many_parts() -> bool:
    """A 413 for a body within the size limit: the form had more parts than Flask's MAX_FORM_PARTS
    (or a text field over its memory limit), not a file too large."""
    from flask import current_app

    length, limit = request.content_length, current_app.config.get("MAX_CONTENT_LENGTH")
    return length is not None and limit is not None and length <= limit


def register(app) -> None:
    @app.errorhandler(DocumentNotFound)
    def not_found(exc):
        return respond(404, str(exc), MESSAGES_FA[404])

    @app.errorhandler(RegisterError)
    def register_refused(exc):
        return respond(404 if isinstance(exc, ResolutionNotFound) else 400, str(exc), exc.message_fa)

    @app.errorhandler(QueryError)
    def bad_query(exc):
        return respond(400, str(exc), exc.message_fa)

    @app.errorhandler(IndexUnavailable)
    def index_unavailable(exc):
        log.error("%s", exc)
        return respond(503, str(exc), exc.message_fa)

    @app.errorhandler(SavedSearchError)
    def saved_search_refused(exc):
        return respond(404 if isinstance(exc, SavedSearchNotFound) else 400, str(exc), exc.message_fa)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        code = exc.code or 500
        message_fa = getattr(exc, "message_fa", None) or MESSAGES_FA.get(code, exc.name)
        description = exc.description or exc.name
        if code == 413 and _too_many_parts():
            parts = app.config["MAX_FORM_PARTS"]
            description = (f"too many files or fields in one request (at most {parts}); "
                           "send them in several requests")
            message_fa = (f"شمار پرونده‌ها یا بخش‌های این درخواست بیش از حد مجاز ({parts}) است؛ "
                          "آن‌ها را در چند نوبت بفرستید.")
        response = respond(code, description, message_fa)
        retry_after = dict(exc.get_headers()).get("Retry-After")
        if retry_after:
            response.headers["Retry-After"] = retry_after
        if code == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unhandled error on %s", request.path)
        return respond(500, "internal error", MESSAGES_FA[500])
