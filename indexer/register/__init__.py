"""The decision register: every resolution's follow-up, from the board's decision to the letter that
closes it (states, proposals from referring documents, overdue, history, summary, export).

The states: new (ابلاغ‌نشده), sent (ابلاغ‌شده), in_progress (در دست اقدام), done (انجام‌شده), stopped
(متوقف), superseded (جایگزین‌شده); an open one (new, sent, in progress) past its due date is overdue.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from indexer.states import FINISHED, OPEN, OVERDUE, OVERDUE_LABEL, STATE_LABELS, STATES
from indexer.register.changes import (apply_all_proposals, apply_proposal, entries_of_document, entry,
                                      set_state)
from indexer.register.entries import meeting_years, read_register, today_jalali
from indexer.register.export import CSV_MIME, FORMATS, XLSX_MIME, export_register, to_csv, to_xlsx
from indexer.register.model import (Proposal, Register, RegisterEntry, RegisterFilters, StateChange,
                                    SummaryRow, entry_id, parse_entry_id)

if TYPE_CHECKING:
    from indexer.library import Library


def years(library: "Library") -> list[str]:
    """The Jalali years of the meetings in the register, newest first."""
    with library.catalog.session() as session:
        return meeting_years(session)


def load_register(library: "Library", filters: RegisterFilters, today: str | None = None) -> Register:
    """The register as ``filters`` choose it; a query (``filters.q``) in the search language keeps the
    resolutions whose own record it finds.

    :raises QueryError: when the query cannot be understood.
    """
    matching = None
    if filters.q.strip():
        matching = library.index.resolutions_matching(filters.q)
    with library.catalog.session() as session:
        return read_register(session, filters, matching, today)


__all__ = ["CSV_MIME", "FINISHED", "FORMATS", "OPEN", "OVERDUE", "OVERDUE_LABEL", "Proposal", "Register",
           "RegisterEntry", "RegisterFilters", "STATES", "STATE_LABELS", "StateChange", "SummaryRow",
           "XLSX_MIME", "apply_all_proposals", "apply_proposal", "entries_of_document", "entry", "entry_id",
           "export_register",
           "load_register", "parse_entry_id", "years", "set_state", "to_csv", "to_xlsx", "today_jalali"]
