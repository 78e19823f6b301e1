"""Resolutions as decisions: their anchors and titles, the references letters make to them, and the
letters that followed each one up.

References are stored as written (resolution number, meeting number, organization) and resolved when
read, so a letter filed before its minutes is linked as soon as the minutes are archived, and a
clerk's correction of a meeting number or organization takes effect at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session

from archive import Document, Resolution, ResolutionReference

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_MINUTES_WORDS = ("صورتجلسه", "صورت جلسه", "صورت‌جلسه", "مصوبات", "متن مصوبات")


def anchors_for(numbers: list[str]) -> list[str]:
    """The anchors of a document's resolutions: ``r<number>`` when every number is plain digits and
    none repeats (so /d/<id>#r2 is resolution 2), else ``r<ordinal>`` for all."""
    if numbers and all(n.isdigit() for n in numbers) and len(set(numbers)) == len(numbers):
        return [f"r{int(n)}" for n in numbers]
    return [f"r{i + 1}" for i in range(len(numbers))]


def resolution_title(doc: Document, res: Resolution) -> str:
    """«مصوبه ۲ جلسه ۲۷ هیأت‌مدیره سازمان حمل و نقل همگانی»: a resolution named for a reader."""
    body = (doc.title or "").strip()
    for word in _MINUTES_WORDS:
        if body.startswith(word):
            body = body[len(word):].strip(" :-–—،")
            break
    parts = [f"مصوبه {res.number}"]
    if doc.meeting and "جلسه" not in body:  # the title names its meeting already (جلسه ۳۳، سی و سومین جلسه)
        parts.append(f"جلسه {doc.meeting}")
    if body:
        parts.append(body)
    elif doc.organization:
        parts.append(doc.organization)
    return " ".join(parts).translate(_PERSIAN_DIGITS)


@dataclass(frozen=True)
class LinkedDocument:
    id: str
    title: str
    kind: str
    date: str | None
    number: str | None

    @classmethod
    def of(cls, doc: Document) -> "LinkedDocument":
        return cls(doc.id, doc.title, doc.kind, doc.date_jalali, doc.number)


@dataclass(frozen=True)
class ResolvedReference:
    text: str
    resolution_number: str
    meeting: str | None
    organization: str | None
    target: LinkedDocument | None     # the minutes holding the resolution, when archived
    anchor: str | None                # the resolution's anchor in it
    resolution_title: str | None


def _org_matches(wanted: str | None, column):
    """Organizations agree when either is unknown or both are the same."""
    return true() if wanted is None else or_(column.is_(None), column == wanted)


def resolve_references(session: Session, doc: Document) -> list[ResolvedReference]:
    """The references ``doc`` makes, each with the resolution it points to when that is archived."""
    resolved = []
    for ref in doc.references:
        target = None
        if ref.meeting:
            target = session.execute(
                select(Document, Resolution).join(Resolution, Resolution.document_id == Document.id)
                .where(Document.meeting == ref.meeting, Resolution.number == ref.resolution_number,
                       Document.id != doc.id, _org_matches(ref.organization, Document.organization))
                .order_by(Document.date_jalali, Document.id).limit(1)).first()
        if target is None:
            resolved.append(ResolvedReference(ref.text, ref.resolution_number, ref.meeting,
                                              ref.organization, None, None, None))
        else:
            minutes, res = target
            resolved.append(ResolvedReference(ref.text, ref.resolution_number, ref.meeting,
                                              ref.organization, LinkedDocument.of(minutes), res.anchor,
                                              resolution_title(minutes, res)))
    return resolved


def followups(session: Session, doc: Document) -> dict[str, list[LinkedDocument]]:
    """The documents that refer to each of ``doc``'s resolutions, by the resolution's anchor."""
    if not doc.meeting or not doc.resolutions:
        return {}
    by_number = {r.number: r.anchor for r in doc.resolutions}
    org = doc.organization
    rows = session.execute(
        select(ResolutionReference, Document).join(Document, Document.id == ResolutionReference.document_id)
        .where(ResolutionReference.meeting == doc.meeting, Document.id != doc.id,
               ResolutionReference.resolution_number.in_(list(by_number)),
               _org_matches(org, ResolutionReference.organization))
        .order_by(Document.date_jalali, Document.id)).all()
    result: dict[str, list[LinkedDocument]] = {}
    for ref, citing in rows:
        linked = result.setdefault(by_number[ref.resolution_number], [])
        if all(d.id != citing.id for d in linked):
            linked.append(LinkedDocument.of(citing))
    return result
