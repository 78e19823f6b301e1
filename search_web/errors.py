"""Errors translated at the edge: JSON with a message under /api, a Persian page elsewhere."""
from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from archive import DocumentNotFound
from indexer import QueryError

log = logging.getLogger(__name__)

MESSAGES_FA = {
    400: "درخواست نامعتبر است.",
    403: "اجازهٔ دسترسی به این صفحه را ندارید.",
    404: "سند یا صفحهٔ خواسته‌شده پیدا نشد.",
    405: "این روش درخواست پذیرفته نیست.",
    413: "حجم پرونده بیش از حد مجاز است.",
    500: "خطای داخلی رخ داد؛ لطفاً دوباره تلاش کنید.",
}


def _respond(status: int, message: str, message_fa: str):
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "message": message_fa, "status": status}), status
    return render_template("error.html", status=status, message_fa=message_fa), status


def register(app) -> None:
    @app.errorhandler(DocumentNotFound)
    def not_found(exc):
        return _respond(404, str(exc), MESSAGES_FA[404])

    @app.errorhandler(QueryError)
    def bad_query(exc):
        return _respond(400, str(exc), exc.message_fa)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        code = exc.code or 500
        return _respond(code, exc.description or exc.name, MESSAGES_FA.get(code, exc.name))

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unhandled error on %s", request.path)
        return _respond(500, "internal error", MESSAGES_FA[500])
