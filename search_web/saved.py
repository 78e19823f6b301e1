"""Saved searches on the search page and under /api/saved-searches: each signed-in user's named
searches, with how many documents a search finds among those added since the user last opened it.

    GET    /api/saved-searches        {"saved_searches": [item, …]}
    POST   /api/saved-searches        JSON {"name", "query": {"q", "kind", "org", "from", "to", "sort"}}
                                      → 201 item (a name the user already has is replaced)
    DELETE /api/saved-searches/<id>   → 204
    item: {"id", "name", "query": {…}, "url", "created_at", "opened_at", "new"}

The page's forms post to /saved-searches and /saved-searches/<id>/delete (CSRF field) and come
back; opening a saved search is following its ``url`` (``/?…&saved=<id>``), which marks it opened.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for

from archive import SavedSearch, SavedSearchError, SavedSearches
from indexer import QueryError
from search_web.auth import TokenClient, current_user, requires, safe_next
from search_web.finder import SearchRequest
from search_web.services import library

bp = Blueprint("saved", __name__)


def store() -> SavedSearches:
    return SavedSearches(library().catalog)


def _signed_in():
    user = current_user()
    if user is None:  # an anonymous reader (web.anonymous_read) has nothing saved
        abort(401)
    if isinstance(user, TokenClient):  # saved searches belong to people, not to scripts' tokens
        abort(403)
    return user


def count_new(saved: SavedSearch) -> int:
    """How many documents added since ``saved`` was last opened its search finds."""
    req = SearchRequest.from_args(saved.args)
    try:
        return library().count_new(req.q, req.filters, saved.opened_at)
    except QueryError:
        return 0


def saved_url(saved: SavedSearch) -> str:
    return url_for("views.search", **SearchRequest.from_args(saved.args).args(), saved=saved.id)


def saved_json(saved: SavedSearch, new: int | None = None) -> dict:
    return {"id": saved.id, "name": saved.name, "query": saved.args, "url": saved_url(saved),
            "created_at": saved.created_at.isoformat(timespec="seconds") + "Z",
            "opened_at": saved.opened_at.isoformat(timespec="seconds") + "Z",
            "new": count_new(saved) if new is None else new}


def for_page(opened_id: str | None) -> list[tuple[SavedSearch, str, int]]:
    """The current user's saved searches as (saved, url, new documents); the one being opened
    (``?saved=<id>``) is marked opened first. None for an anonymous reader."""
    user = current_user()
    if user is None:
        return []
    searches = store()
    if opened_id and opened_id.isdigit():
        try:
            searches.mark_opened(user.id, int(opened_id))
        except SavedSearchError:
            pass  # someone else's or deleted: the search itself still runs
    return [(s, saved_url(s), count_new(s)) for s in searches.list(user.id)]


@bp.get("/api/saved-searches")
@requires("viewer")
def list_saved():
    user = _signed_in()
    return jsonify({"saved_searches": [saved_json(s) for s in store().list(user.id)]})


@bp.post("/api/saved-searches")
@requires("viewer")
def save():
    user = _signed_in()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("query", {}), dict):
        abort(400, description='send JSON {"name": "…", "query": {"q": "…", …}}')
    saved = store().save(user.id, str(body.get("name") or ""), body.get("query") or {})
    return jsonify(saved_json(saved, new=0)), 201


@bp.delete("/api/saved-searches/<int:search_id>")
@requires("viewer")
def delete(search_id: int):
    user = _signed_in()
    store().delete(user.id, search_id)
    return "", 204


@bp.post("/saved-searches")
@requires("viewer")
def save_form():
    user = _signed_in()
    req = SearchRequest.from_args(request.form)
    try:
        saved = store().save(user.id, request.form.get("name", ""), req.args())
    except SavedSearchError as exc:
        flash(exc.message_fa, "error")
        return redirect(url_for("views.search", **req.args()))
    flash(f"جست‌وجو با نام «{saved.name}» ذخیره شد.", "ok")
    return redirect(saved_url(saved))


@bp.post("/saved-searches/<int:search_id>/delete")
@requires("viewer")
def delete_form(search_id: int):
    user = _signed_in()
    try:
        store().delete(user.id, search_id)
    except SavedSearchError as exc:
        flash(exc.message_fa, "error")
    return redirect(safe_next(request.form.get("back")))
