"""The decision register on the web: the /register page (filters, counts, organization × year summary),
its XLSX and CSV export, the clerk's state changes (one click applies a proposal), and the JSON API
(``GET /api/resolutions``, ``POST /api/resolutions/<id>/state``). Viewers read; clerks and admins change.
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for

from indexer import register
from indexer import RegisterError
from search_web.auth import current_user, requires, safe_next
from search_web.services import library

bp = Blueprint("register", __name__)
PAGE_SIZE = 50
API_PAGE_SIZE = 100


def _filters(args) -> register.RegisterFilters:
    """The register's filters from a query string; an impossible value is a 400 with its message."""
    overdue = args.get("overdue", "").lower() in ("1", "true", "yes", "on")
    return register.RegisterFilters(org=args.get("org", "").strip()[:256], year=args.get("year", "").strip()[:4],
                                    state=args.get("state", "").strip(), overdue=overdue,
                                    q=args.get("q", "").strip()[:500])


def _page(args, size: int, total: int) -> int:
    try:
        page = int(args.get("page", "1"))
    except ValueError:
        page = 1
    return max(1, min(page, max(1, -(-total // size))))


def _linked_json(doc) -> dict | None:
    if doc is None:
        return None
    return {"id": doc.id, "url": url_for("views.document", doc_id=doc.id), "title": doc.title, "date": doc.date}


def entry_json(entry: register.RegisterEntry) -> dict:
    """One resolution of the register, as the API gives it."""
    return {
        "id": entry.id, "url": url_for("views.document", doc_id=entry.document_id) + f"#{entry.anchor}",
        "document_id": entry.document_id, "anchor": entry.anchor, "number": entry.number,
        "meeting": entry.meeting, "date": entry.date, "organization": entry.organization,
        "title": entry.title, "text": entry.text, "state": entry.state, "state_label": entry.state_label,
        "due": entry.due, "overdue": entry.overdue, "last_followup": _linked_json(entry.last_followup),
        "proposals": [{"state": p.state, "state_label": p.label, "evidence": p.evidence,
                       "document_id": p.document.id,
                       "document_url": url_for("views.document", doc_id=p.document.id),
                       "document_title": p.document.title, "document_date": p.document.date}
                      for p in entry.proposals],
        "history": [{"from": c.old_state, "to": c.new_state, "user": c.user,
                     "at": c.at.isoformat(timespec="seconds") + "Z", "note": c.note, "due": c.due,
                     "evidence_document": _linked_json(c.evidence_document)} for c in entry.history],
    }


@bp.get("/register")
@requires("viewer")
def page():
    filters = _filters(request.args)
    found = register.load_register(library(), filters)
    number = _page(request.args, PAGE_SIZE, len(found.entries))
    shown = found.entries[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
    years = register.years(library())
    args = {"org": filters.org, "year": filters.year, "state": filters.state, "q": filters.q,
            "overdue": "1" if filters.overdue else ""}
    return render_template("register.html", filters=filters, found=found, entries=shown, page=number,
                           args={k: v for k, v in args.items() if v},
                           pages=max(1, -(-len(found.entries) // PAGE_SIZE)), years=years,
                           organizations=[o.name for o in library().config.organizations],
                           states=register.STATES, labels=register.STATE_LABELS)


@bp.get("/register/export")
@requires("viewer")
def export():
    """?format=xlsx|csv (&table=summary for the summary as CSV), with the page's filters."""
    fmt = request.args.get("format", "xlsx")
    if fmt not in register.FORMATS:
        raise RegisterError(f"unknown format {fmt!r}", f"قالب «{fmt}» پشتیبانی نمی‌شود.")
    found = register.load_register(library(), _filters(request.args))
    base = request.host_url.rstrip("/")
    summary = request.args.get("table") == "summary"
    if fmt == "xlsx":
        body, mime = register.to_xlsx(found, base_url=base), register.XLSX_MIME
    else:
        body, mime = register.to_csv(found, summary=summary, base_url=base), register.CSV_MIME
    name = f"register{'-summary' if summary and fmt == 'csv' else ''}.{fmt}"
    return Response(body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/register/<entry_id>/state")
@requires("clerk")
def change(entry_id: str):
    """The page's forms: ``proposal`` (a document id: apply what it proposes) or ``state`` (with
    ``note`` and ``due``). Back to ``next``."""
    back = safe_next(request.form.get("next") or url_for("register.page"))
    user = current_user().name
    try:
        if request.form.get("proposal"):
            done = register.apply_proposal(library(), entry_id, request.form["proposal"], user)
        else:
            done = register.set_state(library(), entry_id, request.form.get("state", ""), user,
                                      note=request.form.get("note", ""), due=request.form.get("due", ""),
                                      evidence_document=request.form.get("evidence_document") or None)
        flash(f"وضعیت {done.title}: {done.state_label}", "ok")
    except RegisterError as exc:
        flash(exc.message_fa, "error")
    return redirect(back)


@bp.get("/api/resolutions")
@requires("viewer")
def api_list():
    """?org=&year=&state=&overdue=1&q=&page= → {total, page, page_size, counts, summary, items}."""
    found = register.load_register(library(), _filters(request.args))
    number = _page(request.args, API_PAGE_SIZE, len(found.entries))
    items = found.entries[(number - 1) * API_PAGE_SIZE:number * API_PAGE_SIZE]
    return jsonify({"total": len(found.entries), "page": number, "page_size": API_PAGE_SIZE,
                    "counts": found.counts,
                    "summary": [vars(row) for row in found.summary],
                    "items": [entry_json(e) for e in items]})


@bp.get("/api/resolutions/<entry_id>")
@requires("viewer")
def api_one(entry_id: str):
    return jsonify(entry_json(register.entry(library(), entry_id)))


@bp.post("/api/resolutions/<entry_id>/state")
@requires("clerk")
def api_change(entry_id: str):
    """JSON {state, note, evidence_document, due, organization} → the resolution as GET gives it."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("state"), str):
        raise RegisterError("send a JSON object with a 'state'", "وضعیت تازه فرستاده نشده است.")
    optional = {key: body[key] for key in ("due", "organization") if key in body}
    if any(v is not None and not isinstance(v, str) for v in [body.get("evidence_document"), *optional.values()]):
        raise RegisterError("evidence_document, due and organization are strings", "مقدارها باید متن باشند.")
    done = register.set_state(library(), entry_id, body["state"], current_user().name,
                              note=str(body.get("note") or ""),
                              evidence_document=body.get("evidence_document") or None, **optional)
    return jsonify(entry_json(done))
