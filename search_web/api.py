"""The JSON API under /api.

Anonymous requests answer 401 (unless ``web.anonymous_read`` lets them read). Scripts send an API
token (``Authorization: Bearer <token>``, made by ``bayegan token add``) and act with its role;
browsers and clients that log in with POST /login keep the session cookie, and their requests that
change something (POST /api/documents) also carry the session's CSRF token in the ``X-CSRF-Token``
header, which GET /api/me returns. The description of every route is ``openapi.yaml`` beside this
file, served at /api/openapi.json.
"""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, render_template, request, url_for

from indexer import SearchFilters, register

from search_web import openapi
from search_web.auth import current_user, public, requires
from search_web.csrf import csrf_token
from search_web.finder import SearchRequest
from search_web.services import (DOC_ID, document_or_404, document_json, facets_json, hit_json, library, similar_json,
                                 suggestion_json)
from search_web.uploads import UploadTracker

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.app_context_processor
def _decisions_helper() -> dict:
    """``decisions_of(doc_id)`` for the document page: (references, followups), as in the API."""
    return {"decisions_of": lambda doc_id: library().decisions(doc_id)}


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    try:
        value = int(raw) if raw.strip() else default
    except ValueError:
        abort(400, description=f"{name} must be a whole number")
    return max(low, min(high, value))


@bp.get("/search")
@requires("viewer")
def search():
    q = request.args.get("q", "").strip()
    lib = library()
    limit = _int_arg("limit", lib.config.search.page_size, 1, lib.config.search.max_page_size)
    page = _int_arg("page", 1, 1, 10_000)
    req = SearchRequest.from_args(request.args)  # the search page's filters: kind, org, from, to, sort
    if req.errors:
        abort(400, description="; ".join(req.errors))
    if not q and not req.has_filters:
        return jsonify({"query": "", "total": 0, "page": page, "hits": [], "facets": {}})
    filters = SearchFilters(kind=req.kind, organization=req.org, date_from=req.date_from,
                            date_to=req.date_to)
    # counting every hit by kind, organization and year is a second pass: only when asked
    facets = request.args.get("facets", "").lower() in ("1", "true", "yes")
    results = lib.search(q, page=page, page_size=limit, facets=facets, filters=filters, sort=req.sort)
    return jsonify({"query": results.query, "total": results.total, "total_exact": results.total_exact,
                    "page": results.page,
                    "relaxed": results.relaxed, "suggestion": results.suggestion,
                    "hits": [hit_json(h) for h in results.hits],
                    "facets": facets_json(results.facets)})


@bp.get("/documents/<doc_id>")
@requires("viewer")
def document(doc_id: str):
    doc, lib = document_or_404(doc_id), library()
    return jsonify(document_json(doc, lib.children(doc_id), lib.decisions(doc_id),
                                 register.entries_of_document(lib, doc_id)))


@bp.get("/suggest")
@requires("viewer")
def suggest():
    """{"query", "suggestions": [{"text", "kind": "organization"|"title"|"word", "url"?}]}, at most 8."""
    q = request.args.get("q", "")[:200]
    return jsonify({"query": q, "suggestions": [suggestion_json(s) for s in library().suggest(q)]})


@bp.get("/documents/<doc_id>/similar")
@requires("viewer")
def similar(doc_id: str):
    """{"similar": [{"id", "url", "title", "kind", "date", "organization", "number", "score"}]}, at most 5."""
    if not DOC_ID.match(doc_id):
        abort(404)
    return jsonify({"similar": [similar_json(h) for h in library().similar(doc_id)]})


@bp.post("/documents")
@requires("clerk")
def upload():
    """Multipart, one or more ``file`` fields → 202 {"items": [{"filename", "status_url"}]}."""
    files = [f for f in request.files.getlist("file") if f and f.filename]
    if not files:
        abort(400, description="send one or more files in multipart fields named 'file'")
    tracker = UploadTracker(library())
    items = []
    for f in files:
        upload = tracker.receive(f.stream, f.filename, current_user().name)
        items.append({"filename": upload.filename,
                      "status_url": url_for("api.upload_status", token=upload.token)})
    return jsonify({"items": items}), 202


@bp.get("/uploads/<token>")
@requires("clerk")
def upload_status(token: str):
    """{"status": "queued"|"extracting"|"indexed"|"failed", "id", "error", ...}"""
    tracker = UploadTracker(library())
    upload = tracker.get(token)
    if upload is None:
        abort(404)
    result = tracker.status(upload)
    if result["id"]:
        result["url"] = url_for("views.document", doc_id=result["id"])
    return jsonify(result)


@bp.get("/me")
@requires("viewer")
def me():
    user = current_user()
    token_client = g.get("bearer", False)  # a token request needs no CSRF token and gets no session
    return jsonify({"user": user.name if user else None, "role": user.role if user else None,
                    "csrf_token": None if token_client else csrf_token()})


@bp.get("/openapi.json")
@public
def openapi_json():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.description())


@bp.get("/docs")
@public
def docs():
    """The description as a readable page."""
    spec = openapi.description()
    return render_template("api_docs.html", info=spec["info"], operations=openapi.operations())
