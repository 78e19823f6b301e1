"""The JSON API under /api."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from search_web.services import DOC_ID, document_json, hit_json, library

bp = Blueprint("api", __name__, url_prefix="/api")


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    try:
        value = int(raw) if raw.strip() else default
    except ValueError:
        abort(400, description=f"{name} must be a whole number")
    return max(low, min(high, value))


@bp.get("/search")
def search():
    q = request.args.get("q", "").strip()
    lib = library()
    limit = _int_arg("limit", lib.config.search.page_size, 1, lib.config.search.max_page_size)
    page = _int_arg("page", 1, 1, 10_000)
    if not q:
        return jsonify({"query": "", "total": 0, "page": page, "hits": []})
    results = lib.search(q, page=page, page_size=limit)
    return jsonify({"query": results.query, "total": results.total, "page": results.page,
                    "relaxed": results.relaxed, "hits": [hit_json(h) for h in results.hits]})


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    if not DOC_ID.match(doc_id):
        abort(404)
    lib = library()
    doc = lib.document(doc_id)
    return jsonify(document_json(doc, lib.children(doc_id)))
