"""Access to the library the app was built with, and the JSON shapes of the API."""
from __future__ import annotations

import json
import re

from flask import abort, current_app, url_for

from archive import Document
from indexer import Hit, Library
from indexer.metadata import LinkedDocument, resolution_title
from indexer.search import Suggestion

DOC_ID = re.compile(r"\A[a-z2-7]{12}\Z")  # \Z, not $: "$" also matches before a final newline


def library() -> Library:
    return current_app.extensions["bayegan"]


def document_or_404(doc_id: str):
    """The document a URL names, or 404 for an id that cannot be one (DocumentNotFound: 404 too)."""
    if not DOC_ID.fullmatch(doc_id):
        abort(404)
    return library().document(doc_id)


def hit_json(hit: Hit) -> dict:
    """One document found, its matching resolutions inside it (each with its own ``url`` and anchor),
    the best first; ``resolution_count``: how many match in all."""
    url = url_for("views.document", doc_id=hit.doc_id)
    return {
        "id": hit.doc_id, "url": url + (f"#{hit.anchor}" if hit.anchor else ""), "title": hit.title,
        "kind": hit.kind, "date": hit.date, "organization": hit.organization, "number": hit.number,
        "snippet": hit.snippet, "score": hit.score, "type": hit.hit_type, "page": hit.page,
        "resolutions": [{"number": r.number, "anchor": r.anchor, "url": f"{url}#{r.anchor}", "title": r.title,
                         "snippet": r.snippet, "score": r.score} for r in hit.resolutions],
        "resolution_count": hit.resolution_count,
    }


def suggestion_json(item: Suggestion) -> dict:
    """{"text", "kind", "url"}: a title leads to its document (a resolution to its anchor), an
    organization to the search filtered by it; a word has no url (it completes the box)."""
    found = {"text": item.text, "kind": item.kind}
    if item.doc_id:
        found["url"] = url_for("views.document", doc_id=item.doc_id) + (f"#{item.anchor}" if item.anchor else "")
    elif item.organization:
        found["url"] = url_for("views.search", org=item.organization)
    return found


def similar_json(hit: Hit) -> dict:
    return {"id": hit.doc_id, "url": url_for("views.document", doc_id=hit.doc_id), "title": hit.title,
            "kind": hit.kind, "date": hit.date, "organization": hit.organization, "number": hit.number,
            "score": hit.score}


def facets_json(facets: dict[str, list[tuple[str, int]]]) -> dict:
    """{"kind": [{"value": "minutes", "count": 6}, …], "organization": […], "year": […]}"""
    return {name: [{"value": value, "count": count} for value, count in counts]
            for name, counts in facets.items()}


def _linked_json(doc: LinkedDocument, anchor: str | None = None) -> dict:
    url = url_for("views.document", doc_id=doc.id) + (f"#{anchor}" if anchor else "")
    return {"id": doc.id, "url": url, "title": doc.title, "kind": doc.kind, "date": doc.date,
            "number": doc.number}


def state_json(entry) -> dict:
    """A resolution's follow-up (an ``indexer.register.RegisterEntry``) as ``bayegan show`` and
    /api/documents/<id> give it."""
    return {"register_id": entry.id, "state": entry.state, "state_label": entry.state_label,
            "due": entry.due, "overdue": entry.overdue,
            "proposals": [{"state": p.state, "document_id": p.document.id, "evidence": p.evidence}
                          for p in entry.proposals]}


def document_json(doc: Document, children: list[Document], decisions: tuple | None = None,
                  register: dict | None = None) -> dict:
    """The API's document; ``decisions`` is :meth:`Library.decisions`: (references, followups);
    ``register`` the register entries of its resolutions by anchor
    (:func:`indexer.register.entries_of_document`)."""
    references, followups = decisions or ([], {})
    register = register or {}
    url = url_for("views.document", doc_id=doc.id)
    return {
        "id": doc.id, "url": url, "title": doc.title,
        "kind": doc.kind, "date": doc.date_jalali, "organization": doc.organization,
        "number": doc.number, "meeting": doc.meeting, "addressee": doc.addressee,
        "organizations": json.loads(doc.organizations or "[]"),
        "kind_reasons": json.loads(doc.kind_reasons) if doc.kind_reasons.startswith("[") else [],
        "filename": doc.filename, "sha256": doc.sha256, "mime": doc.mime,
        "size": doc.size, "pages": len(doc.pages), "text": doc.text,
        "page_texts": [{"number": p.number, "text": p.text, "ocr": p.ocr,
                        "ocr_confidence": p.ocr_confidence, "ocr_reason": p.ocr_reason}
                       for p in doc.pages],
        "resolutions": [{"number": r.number, "text": r.text, "anchor": r.anchor,
                         "url": f"{url}#{r.anchor}", "title": resolution_title(doc, r),
                         "meeting": doc.meeting, "date": doc.date_jalali, "organization": doc.organization,
                         "followups": [_linked_json(d) for d in followups.get(r.anchor, [])],
                         **(state_json(register[r.anchor]) if r.anchor in register else {})}
                        for r in doc.resolutions],
        "references": [{"text": ref.text, "resolution_number": ref.resolution_number,
                        "meeting": ref.meeting, "organization": ref.organization,
                        "resolution": ({**_linked_json(ref.target, ref.anchor), "anchor": ref.anchor,
                                        "resolution_title": ref.resolution_title} if ref.target else None)}
                       for ref in references],
        "parent": doc.parent_id,
        "attachments": [c.id for c in children],
    }
