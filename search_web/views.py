"""The HTML pages: search, document, original."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file
from markupsafe import Markup

from search_web.services import DOC_ID, library

bp = Blueprint("views", __name__)


@bp.get("/")
def search():
    q = request.args.get("q", "").strip()
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    results = library().search(q, page=page) if q else None
    hits = []
    if results:
        hits = [(h, Markup(h.snippet)) for h in results.hits]  # the highlighter escaped the text
    pages = 0
    if results and results.total:
        pages = (results.total + results.page_size - 1) // results.page_size
    return render_template("search.html", q=q, results=results, hits=hits, page=page, pages=pages)


@bp.get("/d/<doc_id>")
def document(doc_id: str):
    if not DOC_ID.match(doc_id):
        abort(404)
    lib = library()
    doc = lib.document(doc_id)
    parent = lib.document(doc.parent_id) if doc.parent_id else None
    return render_template("document.html", doc=doc, parent=parent, children=lib.children(doc_id),
                           q=request.args.get("q", ""))


@bp.get("/d/<doc_id>/original")
def original(doc_id: str):
    if not DOC_ID.match(doc_id):
        abort(404)
    lib = library()
    doc = lib.document(doc_id)
    path = lib.store.path_for(doc.sha256)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=doc.mime, download_name=doc.filename,
                     as_attachment=request.args.get("download") == "1", conditional=True,
                     etag=doc.sha256, max_age=3600)
