"""Reading the register from the catalog: every resolution of the minutes, its state, the documents that
refer to it and what they propose, in one pass of a few queries (not one per resolution).

A reference is linked to a resolution the way :func:`indexer.metadata.decisions.followups` links it: the same
meeting and resolution number, organizations agreeing when both are known.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import jdatetime
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import Document, Resolution, ResolutionReference, ResolutionState, ResolutionStateChange
from indexer.metadata.decisions import LinkedDocument, resolution_title
from indexer.metadata import RESOLUTION_KINDS
from indexer.states import OPEN
from indexer.register.model import (Proposal, Register, RegisterEntry, RegisterFilters, StateChange,
                                    SummaryRow, worth_proposing)


def today_jalali() -> str:
    return jdatetime.date.today().strftime("%Y-%m-%d")


def _linked(session: Session, ids: set[str]) -> dict[str, LinkedDocument]:
    if not ids:
        return {}
    return {d.id: LinkedDocument.of(d) for d in session.scalars(select(Document).where(Document.id.in_(ids)))}


def _references(session: Session) -> dict[tuple[str, str], list[tuple[ResolutionReference, Document]]]:
    """Every reference that names its meeting, by (meeting, resolution number), oldest document first."""
    by_key: dict[tuple[str, str], list] = defaultdict(list)
    rows = session.execute(
        select(ResolutionReference, Document).join(Document, Document.id == ResolutionReference.document_id)
        .where(ResolutionReference.meeting.is_not(None))
        .order_by(Document.date_jalali, Document.id, ResolutionReference.id))
    for ref, citing in rows:
        by_key[(ref.meeting, ref.resolution_number)].append((ref, citing))
    return by_key


def _org_agrees(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def read_entries(session: Session, today: str | None = None,
                 doc_ids: list[str] | None = None) -> list[RegisterEntry]:
    """Every resolution of minutes (or only of ``doc_ids``), newest meeting first. ``today`` (Jalali
    ``YYYY-MM-DD``) decides what is overdue."""
    today = today or today_jalali()
    query = (select(Resolution, Document).join(Document, Document.id == Resolution.document_id)
             .where(Document.kind.in_(RESOLUTION_KINDS))
             .order_by(Document.date_jalali.desc(), Document.id, Resolution.ordinal))
    if doc_ids is not None:
        query = query.where(Document.id.in_(doc_ids))
    rows = session.execute(query).all()
    wanted = list({doc.id for _, doc in rows})
    states = {(s.document_id, s.anchor): s for s in session.scalars(
        select(ResolutionState).where(ResolutionState.document_id.in_(wanted)))}
    changes: dict[tuple[str, str], list[ResolutionStateChange]] = defaultdict(list)
    for change in session.scalars(select(ResolutionStateChange).where(
            ResolutionStateChange.document_id.in_(wanted)).order_by(ResolutionStateChange.id)):
        changes[(change.document_id, change.anchor)].append(change)
    references = _references(session)
    evidence = _linked(session, {c.evidence_document_id for cs in changes.values() for c in cs
                                 if c.evidence_document_id})
    entries = []
    for res, doc in rows:
        key = (doc.id, res.anchor)
        stored = states.get(key)
        state = stored.state if stored else "new"
        history = tuple(StateChange(c.old_state, c.new_state, c.user, c.at, c.note,
                                    evidence.get(c.evidence_document_id), c.due) for c in changes[key])
        applied = {(c.evidence_document_id, c.new_state) for c in changes[key]}
        citing = [(ref, other) for ref, other in references.get((doc.meeting, res.number), [])
                  if doc.meeting and other.id != doc.id and _org_agrees(ref.organization, doc.organization)]
        followups = tuple(dict.fromkeys(LinkedDocument.of(other) for _, other in citing))
        proposals = tuple(
            Proposal(ref.proposed_state, ref.evidence or "", LinkedDocument.of(other))
            for ref, other in citing
            if ref.proposed_state and worth_proposing(ref.proposed_state, state)
            and (other.id, ref.proposed_state) not in applied)
        due = (stored.due if stored and stored.due else None) or res.due
        entries.append(RegisterEntry(
            document_id=doc.id, anchor=res.anchor, number=res.number, meeting=doc.meeting,
            date=doc.date_jalali, organization=(stored.organization if stored and stored.organization
                                                else doc.organization),
            title=resolution_title(doc, res), text=res.text, state=state, due=due,
            overdue=bool(due and due < today and state in OPEN), proposals=proposals, history=history,
            followups=followups))
    return entries


def count_states(entries: list[RegisterEntry]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[entry.state] += 1
        counts["overdue"] += entry.overdue
    counts["all"] = len(entries)
    return dict(counts)


def summarize(entries: list[RegisterEntry]) -> list[SummaryRow]:
    """Per organization and year: resolutions passed, done, in progress, stopped, overdue."""
    rows: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in entries:
        counts = rows[(entry.organization or "—", entry.year or "—")]
        counts["passed"] += 1
        if entry.state in ("done", "in_progress", "stopped"):
            counts[entry.state] += 1
        counts["overdue"] += entry.overdue
    return [SummaryRow(org, year, **counts) for (org, year), counts in
            sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1]))]


def meeting_years(session: Session) -> list[str]:
    """The Jalali years of the minutes that hold resolutions, newest first (the page's year filter)."""
    dates = session.scalars(select(Document.date_jalali).distinct().join(
        Resolution, Resolution.document_id == Document.id).where(Document.date_jalali.is_not(None)))
    return sorted({d[:4] for d in dates}, reverse=True)


def read_register(session: Session, filters: RegisterFilters, matching: set[tuple[str, str]] | None = None,
                  today: str | None = None) -> Register:
    """The entries ``filters`` admit (and, when given, whose (document id, anchor) is ``matching``:
    the hits of the filter's query). The counts per state and the summary are those of the entries
    admitted whatever their state, so that they read as the tabs of the state filter."""
    any_state = replace(filters, state="", overdue=False)
    base = [e for e in read_entries(session, today) if any_state.admits(e)
            and (matching is None or (e.document_id, e.anchor) in matching)]
    return Register([e for e in base if filters.admits(e)], count_states(base), summarize(base))
