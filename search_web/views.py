"""The HTML pages: search, document, original, upload."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, redirect, render_template, request, send_file,
                   url_for)
from markupsafe import Markup

from indexer import QueryError, register
from search_web import saved
from search_web.auth import current_user, requires
from search_web.finder import SearchRequest, find
from search_web.marking import first_marked_page, mark_text, query_words
from search_web.services import document_or_404, library
from search_web.uploads import UploadTracker

bp = Blueprint("views", __name__)

INLINE_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}


def _organizations() -> list[str]:
    return [org.name for org in library().config.organizations]


@bp.get("/")
@requires("viewer")
def search():
    req = SearchRequest.from_args(request.args)
    found, error = None, None
    if not req.is_empty:
        try:
            found = find(library(), req, page_size=current_app.extensions["bayegan.config"].search.page_size)
        except QueryError as exc:
            error = exc.message_fa
    # snippets are escaped by the highlighter; a document's matching resolutions are listed under it
    hits = [(h, Markup(h.snippet), [(r, Markup(r.snippet)) for r in h.resolutions])
            for h in found.hits] if found else []
    pdfs = {i for i, mime in library().mime_types([h.doc_id for h, _, _ in hits]).items()
            if mime == "application/pdf"} if hits else set()
    return render_template("search.html", req=req, found=found, hits=hits, error=error, pdfs=pdfs,
                           organizations=_organizations(),
                           saved_searches=saved.for_page(request.args.get("saved"))), 400 if error else 200


@bp.get("/d/<doc_id>")
@requires("viewer")
def document(doc_id: str):
    doc, lib = document_or_404(doc_id), library()
    parent = lib.document(doc.parent_id) if doc.parent_id else None
    q = request.args.get("q", "").strip()[:500]
    words = query_words(q, lib.analyses)
    pages = [mark_text(p.text, words, lib.analyses) for p in doc.pages]
    resolutions = [(r, mark_text(r.text, words, lib.analyses)) for r in doc.resolutions]
    inline = ("pdf" if doc.mime == "application/pdf"
              else "image" if doc.mime in INLINE_IMAGES else None)
    return render_template("document.html", doc=doc, parent=parent, children=lib.children(doc_id),
                           similar=lib.similar(doc_id),
                           q=q, pages=pages, resolutions=resolutions, inline=inline,
                           register=register.entries_of_document(lib, doc_id),
                           start_page=first_marked_page(pages) if words else 1)


@bp.get("/d/<doc_id>/original")
@requires("viewer")
def original(doc_id: str):
    doc, lib = document_or_404(doc_id), library()
    path = lib.store.path_for(doc.sha256)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=doc.mime, download_name=doc.filename,
                         as_attachment=request.args.get("download") == "1", conditional=True,
                         etag=doc.sha256, max_age=3600)
    if doc.mime != "application/pdf":  # Chromium's PDF viewer does not run in a sandboxed document
        response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/upload", methods=["GET", "POST"])
@requires("clerk")
def upload():
    tracker = UploadTracker(library())
    user = current_user()
    if request.method == "POST":
        files = [f for f in request.files.getlist("file") if f and f.filename]
        if not files:
            return render_template("upload.html", uploads=[], error="پرونده‌ای انتخاب نشده است."), 400
        for f in files:
            tracker.receive(f.stream, f.filename, user.name)
        return redirect(url_for("views.upload"))
    uploads = [(u, tracker.status(u)) for u in tracker.recent(user.name)]
    return render_template("upload.html", uploads=uploads, error=None)
