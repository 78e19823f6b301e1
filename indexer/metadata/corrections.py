"""Metadata in the catalog: what is read from the text, with clerks' corrections applied over it.

A correction is kept in its own table (``corrections``) and applied every time metadata is written
(:func:`assign_metadata`), so it survives reindexing (the index is rebuilt from the catalog), reading
the text again (:func:`indexer.pipeline.updates.refresh_metadata`) and extracting the original again
(:func:`indexer.pipeline.updates.reextract`).
Every change is written to ``correction_history``: who, when, the value before and after.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import (KINDS, Correction, CorrectionHistory, Document, Organization, Resolution, kind_named,
                     ResolutionReference)
from archive.models import utcnow
from indexer.search import persian
from indexer.metadata.decisions import anchors_for
from indexer.errors import CorrectionError
from indexer.metadata import Metadata, organization_in, parse_date, read_metadata

FIELDS = ("title", "kind", "date", "number", "meeting", "organization")


def _current(doc: Document, field: str) -> str | None:
    return doc.date_jalali if field == "date" else getattr(doc, field)


def normalize_value(field: str, value: str | None, organizations: tuple[Organization, ...]) -> str | None:
    """The stored form of a clerk's value; '' or None clears the field (not the title or kind).

    :raises CorrectionError: for an unknown field, kind or an impossible date.
    """
    if field not in FIELDS:
        raise CorrectionError(f"unknown field {field!r}; fields: {', '.join(FIELDS)}",
                              f"فیلد «{field}» شناخته نیست.")
    value = " ".join((value or "").split())
    if not value:
        if field in ("title", "kind"):
            raise CorrectionError(f"{field} cannot be empty", "عنوان و نوع سند نمی‌توانند خالی باشند.")
        return None
    if field == "kind":
        kind = kind_named(value)
        if kind is None:
            raise CorrectionError(f"unknown kind {value!r}; kinds: {', '.join(KINDS)}",
                                  f"نوع سند «{value}» شناخته نیست.")
        return kind
    if field == "date":
        parsed = parse_date(value)
        if parsed is None:
            raise CorrectionError(f"not a Jalali date: {value!r}", f"«{value}» تاریخ شمسی معتبری نیست.")
        return parsed.iso
    if field in ("number", "meeting"):
        return persian.digits_to_ascii(value).replace(" ", "")
    if field == "organization":
        return organization_in(value, organizations) or value
    return value[:500]


def _set(doc: Document, field: str, value: str | None) -> None:
    if field == "title":
        doc.title_source = "clerk"  # a title a clerk wrote weighs as a heading does
    if field == "date":
        parsed = parse_date(value) if value else None
        doc.date_jalali = parsed.iso if parsed else None
        doc.date_gregorian = parsed.gregorian() if parsed else None
    else:
        setattr(doc, field, value)


def assign_metadata(doc: Document, meta: Metadata, organizations: tuple[Organization, ...],
                    corrections: dict[str, str | None] | None = None) -> None:
    """Write what was read from the text into ``doc``, then the clerks' corrections over it.

    Resolutions are those of the corrected kind; their anchors follow :func:`anchors_for`. On a
    document already in a session, clear and flush its resolutions first (see :func:`reread`).
    """
    doc.title, doc.kind, doc.title_source = meta.title, meta.kind, meta.title_source
    doc.kind_reasons = json.dumps(meta.kind_reasons, ensure_ascii=False)
    doc.date_jalali, doc.date_gregorian = meta.date_jalali, meta.date_gregorian
    doc.number, doc.meeting, doc.organization = meta.number, meta.meeting, meta.organization
    doc.addressee = meta.addressee
    doc.organizations = json.dumps(meta.organizations, ensure_ascii=False)
    for field, value in (corrections or {}).items():
        _set(doc, field, value)
    doc.resolutions = _resolutions(meta.resolutions_for(doc.kind), doc.date_jalali)
    doc.references = [
        ResolutionReference(resolution_number=ref.resolution_number, meeting=ref.meeting,
                            organization=organization_in(ref.organization_text, organizations)
                            or doc.organization, text=ref.text, proposed_state=ref.proposed_state,
                            evidence=ref.evidence)
        for ref in meta.references]


def _resolutions(drafts: list, date_jalali: str | None) -> list[Resolution]:
    """Catalog rows for resolution drafts: anchors by :func:`anchors_for`, due dates read from the text."""
    anchors = anchors_for([d.number for d in drafts])
    return [Resolution(ordinal=i + 1, number=r.number, text=r.text, anchor=anchor, due=r.due(date_jalali))
            for i, (r, anchor) in enumerate(zip(drafts, anchors))]


def corrections_of(session: Session, doc_id: str) -> dict[str, str | None]:
    return {c.field: c.value for c in session.scalars(select(Correction).where(Correction.document_id == doc_id))}


def reread(session: Session, doc: Document, organizations: tuple[Organization, ...]) -> None:
    meta = read_metadata(doc.text, Path(doc.filename).stem, organizations)
    doc.resolutions = []
    doc.references = []
    session.flush()
    assign_metadata(doc, meta, organizations, corrections_of(session, doc.id))
    doc.updated_at = utcnow()  # its index records are stale from now until they are rewritten


def _reset_resolutions(session: Session, doc: Document, organizations: tuple[Organization, ...]) -> None:
    """The resolutions that a document of its (corrected) kind holds, read again from its text."""
    drafts = read_metadata(doc.text, Path(doc.filename).stem, organizations).resolutions_for(doc.kind)
    doc.resolutions = []
    session.flush()
    doc.resolutions = _resolutions(drafts, doc.date_jalali)


@dataclass(frozen=True)
class Change:
    field: str
    old_value: str | None
    new_value: str | None
    user: str
    at: datetime


def correct(session: Session, doc: Document, field: str, value: str | None, user: str,
            organizations: tuple[Organization, ...]) -> Change:
    """Set one field of a catalog document as a clerk says (in ``session``, not committed) and keep
    the change over what the text says, with its history.

    :raises CorrectionError: for an unknown field or an impossible value.
    """
    new = normalize_value(field, value, organizations)
    old = _current(doc, field)
    now = utcnow()
    session.merge(Correction(document_id=doc.id, field=field, value=new, user=user, at=now))
    session.add(CorrectionHistory(document_id=doc.id, field=field, old_value=old, new_value=new,
                                  user=user, at=now))
    _set(doc, field, new)
    if field == "kind":
        _reset_resolutions(session, doc, organizations)
    return Change(field, old, new, user, now)


def history(session: Session, doc_id: str) -> list[Change]:
    """The corrections made to a document, oldest first."""
    rows = session.scalars(select(CorrectionHistory).where(CorrectionHistory.document_id == doc_id)
                           .order_by(CorrectionHistory.id))
    return [Change(r.field, r.old_value, r.new_value, r.user, r.at) for r in rows]
