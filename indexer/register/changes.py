"""Changing a resolution's follow-up state: by a clerk's choice, or by applying what a referring document
proposes. Nothing changes a state but these functions, each called for one named user; every change is
kept in ``resolution_state_history`` (who, when, from what, to what, the document that justifies it).

The state is stored under the minutes' id and the resolution's anchor (``resolution_states``), apart
from the resolutions read from the text, so it survives ``bayegan reindex`` and re-extraction the way a
metadata correction does. The minutes are reindexed after a change: the index carries each
resolution's state and due date for ``state:`` searches and the state facet.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from archive import Document, Resolution, ResolutionState, ResolutionStateChange
from archive.crash import crash_point
from archive.models import utcnow
from indexer.errors import RegisterError, ResolutionNotFound
from indexer.metadata import parse_date
from indexer.states import STATE_LABELS, STATES
from indexer.register.entries import read_entries
from indexer.register.model import RegisterEntry, parse_entry_id

if TYPE_CHECKING:
    from indexer.library import Library

UNCHANGED = object()
NOTE_LIMIT = 2000


def _state_of(value: str) -> str:
    value = (value or "").strip()
    for state, label in STATE_LABELS.items():
        if value in (state, label, label.replace("\u200c", " "), label.replace("\u200c", "")):
            return state
    raise RegisterError(f"unknown state {value!r}; states: {', '.join(STATES)}",
                        f"وضعیت «{value}» شناخته نیست.")


def _due_of(value: str | None) -> str | None:
    if not (value or "").strip():
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise RegisterError(f"not a Jalali date: {value!r}", f"«{value}» تاریخ شمسی معتبری نیست.")
    return parsed.iso


def entry(library: "Library", entry_id: str, today: str | None = None) -> RegisterEntry:
    """One resolution's entry.

    :raises RegisterError: when the id names no resolution of archived minutes.
    """
    doc_id, anchor = parse_entry_id(entry_id)
    with library.catalog.session() as session:
        for found in read_entries(session, today, doc_ids=[doc_id]):
            if found.anchor == anchor:
                return found
    raise ResolutionNotFound(f"no resolution {entry_id}")


def entries_of_document(library: "Library", doc_id: str, today: str | None = None) -> dict[str, RegisterEntry]:
    """The register entries of one document's resolutions, by anchor (none for a letter)."""
    with library.catalog.session() as session:
        return {e.anchor: e for e in read_entries(session, today, doc_ids=[doc_id])}


def set_state(library: "Library", entry_id: str, state: str, user: str, note: str = "",
              evidence_document: str | None = None, due=UNCHANGED, organization=UNCHANGED,
              today: str | None = None) -> RegisterEntry:
    """Set a resolution's follow-up state (a code or its Persian label), optionally its due date
    (Jalali; '' clears it) and responsible organization, citing the document that justifies it.

    :raises RegisterError: for an unknown resolution, state, date or evidence document.
    """
    new_state = _state_of(state)
    doc_id, anchor = parse_entry_id(entry_id)
    new_due = UNCHANGED if due is UNCHANGED else _due_of(due)
    with library.catalog.session() as session:
        known = session.scalar(select(Resolution.id).where(Resolution.document_id == doc_id,
                                                            Resolution.anchor == anchor))
        if known is None:
            raise ResolutionNotFound(f"no resolution {entry_id}")
        if evidence_document and session.get(Document, evidence_document) is None:
            raise RegisterError(f"no document {evidence_document}", "سند پشتوانه در بایگانی نیست.")
        stored = session.get(ResolutionState, (doc_id, anchor))
        old_state = stored.state if stored else "new"
        if stored is None:
            stored = ResolutionState(document_id=doc_id, anchor=anchor)
            session.add(stored)
        now = utcnow()
        stored.state, stored.user, stored.at = new_state, user, now
        stored.note = (note or "")[:NOTE_LIMIT]
        stored.evidence_document_id = evidence_document or None
        if new_due is not UNCHANGED:
            stored.due = new_due
        if organization is not UNCHANGED:
            stored.organization = (organization or "").strip() or None
        session.add(ResolutionStateChange(
            document_id=doc_id, anchor=anchor, old_state=old_state, new_state=new_state,
            due=stored.due, evidence_document_id=evidence_document or None,
            note=stored.note, user=user, at=now))
        # the document's index records carry the state: they are stale until rewritten below
        session.get(Document, doc_id).updated_at = now
    crash_point("register.committed")
    library.index_documents([doc_id])
    return entry(library, entry_id, today)


def apply_proposal(library: "Library", entry_id: str, document_id: str, user: str,
                   today: str | None = None) -> RegisterEntry:
    """Apply the state that ``document_id`` proposes for the resolution: one click of a clerk.

    :raises RegisterError: when that document proposes nothing (any more) for it.
    """
    current = entry(library, entry_id, today)
    for proposal in current.proposals:
        if proposal.document.id == document_id:
            return set_state(library, entry_id, proposal.state, user, note=proposal.evidence,
                             evidence_document=document_id, today=today)
    raise RegisterError(f"document {document_id} proposes nothing for {entry_id}",
                        "این سند پیشنهادی برای این مصوبه ندارد.")


def apply_all_proposals(library: "Library", user: str, until: str | None = None,
                        today: str | None = None) -> list[tuple[str, str, str]]:
    """Apply every pending proposal (of documents dated up to ``until``, Jalali, when given), oldest
    document first, as ``user``: the clerk's «apply all». Returns (entry id, state, document id)."""
    applied = []
    while True:
        with library.catalog.session() as session:
            pending = [(e.id, p) for e in read_entries(session, today) for p in e.proposals
                       if until is None or (p.document.date or "") <= until]
        if not pending:
            return applied
        entry_id, proposal = min(pending, key=lambda ep: (ep[1].document.date or "", ep[1].document.id))
        set_state(library, entry_id, proposal.state, user, note=proposal.evidence,
                  evidence_document=proposal.document.id, today=today)
        applied.append((entry_id, proposal.state, proposal.document.id))
