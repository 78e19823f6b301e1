"""Access to the library the app was built with, and the JSON shapes of the API."""
from __future__ import annotations

import re

from flask import current_app, url_for

from archive import Document
from indexer import Hit, Library

DOC_ID = re.compile(r"^[a-z2-7]{12}$")


def library() -> Library:
    return current_app.extensions["bayegan"]


def hit_json(hit: Hit) -> dict:
    url = url_for("views.document", doc_id=hit.doc_id)
    return {
        "id": hit.doc_id, "url": url + (f"#{hit.anchor}" if hit.anchor else ""), "title": hit.title,
        "kind": hit.kind, "date": hit.date, "organization": hit.organization, "number": hit.number,
        "snippet": hit.snippet, "score": hit.score, "type": hit.hit_type,
        "resolution": ({"number": hit.resolution_number, "anchor": hit.anchor}
                       if hit.hit_type == "resolution" else None),
    }


def document_json(doc: Document, children: list[Document]) -> dict:
    return {
        "id": doc.id, "url": url_for("views.document", doc_id=doc.id), "title": doc.title,
        "kind": doc.kind, "date": doc.date_jalali, "organization": doc.organization,
        "number": doc.number, "filename": doc.filename, "sha256": doc.sha256, "mime": doc.mime,
        "size": doc.size, "pages": len(doc.pages), "text": doc.text,
        "page_texts": [{"number": p.number, "text": p.text, "ocr": p.ocr,
                        "ocr_confidence": p.ocr_confidence} for p in doc.pages],
        "resolutions": [{"number": r.number, "text": r.text, "anchor": r.anchor}
                        for r in doc.resolutions],
        "parent": doc.parent_id,
        "attachments": [c.id for c in children],
    }
