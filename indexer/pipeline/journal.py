"""The ingest journal: where each inbox file stands on its way into the archive.

Every step is recorded before anything relies on it, so that after a crash (or ``kill -9``) at any
moment the next start knows, for every file, whether to finish it, retry it or leave it alone:

    received ─► archived ─► extracted ─► (inbox copy removed) ─► indexed
        │  (original fsynced)  (catalog committed)                (index committed)
        ├─► duplicate   the same bytes were already archived; the inbox copy is removed
        ├─► failing ─► failed   moved to failed/ beside its reason file
        └─► gone        the file left the inbox before it was archived (taken back by the clerk)

``path`` is the file's path relative to the inbox. An entry in an open state is taken up again when
the watcher sees the same path; the SHA-256 recorded at ``archived`` tells a resumed file (ours, to
finish and report as indexed) from a true duplicate.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from archive import Catalog
from archive.models import JournalEntry, utcnow

RECEIVED, ARCHIVED, EXTRACTED, INDEXED = "received", "archived", "extracted", "indexed"
DUPLICATE, FAILING, FAILED, GONE = "duplicate", "failing", "failed", "gone"
OPEN_STATES = (RECEIVED, ARCHIVED, EXTRACTED, FAILING)
IN_PROGRESS_STATES = (RECEIVED, ARCHIVED, EXTRACTED, FAILING)


def journal_path(relative: str) -> str:
    """A path (or a message naming one) as the journal keeps it: text even when a name's bytes are
    not UTF-8."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class JournalRecord:
    """A detached, read-only copy of one journal entry."""

    id: int
    path: str
    state: str
    sha256: str | None
    document_id: str | None
    attempts: int
    error: str | None
    error_fa: str | None
    failed_name: str | None
    updated_at: datetime

    @classmethod
    def of(cls, entry: JournalEntry) -> "JournalRecord":
        return cls(entry.id, entry.path, entry.state, entry.sha256, entry.document_id, entry.attempts,
                   entry.error, entry.error_fa, entry.failed_name, entry.updated_at)


class IngestJournal:
    """The journal table of one catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def open_entry(self, path: str) -> JournalRecord | None:
        """The newest entry of this inbox path that is not finished, if any."""
        with self.catalog.session() as session:
            entry = session.scalars(
                select(JournalEntry).where(JournalEntry.path == journal_path(path),
                                           JournalEntry.state.in_(OPEN_STATES))
                .order_by(JournalEntry.id.desc()).limit(1)).one_or_none()
            return JournalRecord.of(entry) if entry else None

    def begin(self, path: str, size: int, mtime_ns: int) -> JournalRecord:
        """The open entry of this path (taken up again after a crash), or a new ``received`` one."""
        found = self.open_entry(path)
        if found is not None:
            return found
        with self.catalog.session() as session:
            entry = JournalEntry(path=journal_path(path), size=size, mtime_ns=mtime_ns, state=RECEIVED,
                                 attempts=0)
            session.add(entry)
            session.flush()
            return JournalRecord.of(entry)

    def advance(self, entry_id: int, state: str, **fields) -> None:
        """Record the entry's new state (and sha256, document_id, error, error_fa, failed_name)."""
        fields = {k: journal_path(v) if isinstance(v, str) else v for k, v in fields.items()}
        with self.catalog.session() as session:
            session.execute(update(JournalEntry).where(JournalEntry.id == entry_id)
                            .values(state=state, updated_at=utcnow(), **fields))

    def advance_many(self, entry_ids: list[int], state: str) -> None:
        if not entry_ids:
            return
        with self.catalog.session() as session:
            session.execute(update(JournalEntry).where(JournalEntry.id.in_(entry_ids))
                            .values(state=state, updated_at=utcnow()))

    def count_attempt(self, entry_id: int, error: str | None, error_fa: str | None) -> int:
        """One more failed try of an entry that will be tried again; returns the tries so far."""
        with self.catalog.session() as session:
            entry = session.get(JournalEntry, entry_id)
            entry.attempts += 1
            entry.error, entry.error_fa = journal_path(error or ""), journal_path(error_fa or "")
            entry.updated_at = utcnow()
            return entry.attempts

    def entries(self, states: tuple[str, ...]) -> list[JournalRecord]:
        with self.catalog.session() as session:
            return [JournalRecord.of(e) for e in session.scalars(
                select(JournalEntry).where(JournalEntry.state.in_(states)).order_by(JournalEntry.id))]

    def recent_errors(self, limit: int = 10) -> list[JournalRecord]:
        """The newest entries that failed or are waiting to be tried again, newest first."""
        with self.catalog.session() as session:
            return [JournalRecord.of(e) for e in session.scalars(
                select(JournalEntry).where(JournalEntry.error.is_not(None))
                .order_by(JournalEntry.updated_at.desc(), JournalEntry.id.desc()).limit(limit))]

    def recent(self, limit: int = 20) -> list[JournalRecord]:
        """The newest entries, newest first: what the clerks' last files became."""
        with self.catalog.session() as session:
            return [JournalRecord.of(e) for e in session.scalars(
                select(JournalEntry).order_by(JournalEntry.id.desc()).limit(limit))]

    def counts(self) -> dict[str, int]:
        with self.catalog.session() as session:
            return dict(session.execute(select(JournalEntry.state, func.count())
                                        .group_by(JournalEntry.state)).all())


__all__ = ["ARCHIVED", "DUPLICATE", "EXTRACTED", "FAILED", "FAILING", "GONE", "INDEXED", "IN_PROGRESS_STATES",
           "IngestJournal", "JournalRecord", "OPEN_STATES", "RECEIVED", "journal_path"]
