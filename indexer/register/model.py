"""The decision register's records: one entry per resolution, with its follow-up state, the states the
documents referring to it propose, and the history of its changes.

An entry's id is ``<document id>-<anchor>`` («k3x7…-r3»): the minutes and the resolution's anchor, both
stable across reindexing and re-extraction, as is the state stored under them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from indexer.metadata.decisions import LinkedDocument
from indexer.errors import RegisterError
from indexer.states import FINISHED, OPEN, OVERDUE, STATE_LABELS, STATES

_ENTRY_ID = re.compile(r"^(?P<doc>[a-z2-7]{12})-(?P<anchor>r\d{1,4})$")
RANK = {"new": 0, "sent": 1, "in_progress": 2, "done": 3, "stopped": 3, "superseded": 3}


def entry_id(doc_id: str, anchor: str) -> str:
    return f"{doc_id}-{anchor}"


def parse_entry_id(value: str) -> tuple[str, str]:
    """(document id, anchor) of an entry id.

    :raises RegisterError: when it is not one.
    """
    m = _ENTRY_ID.match(value or "")
    if m is None:
        raise RegisterError(f"not a resolution id: {value!r}", "شناسهٔ مصوبه درست نیست.")
    return m.group("doc"), m.group("anchor")


def worth_proposing(proposed: str, current: str) -> bool:
    """A proposal is shown when it moves the follow-up on («in progress» after «sent»), or changes how a
    finished one ended («superseded» after «done»); never back («in progress» after «done»)."""
    if proposed == current:
        return False
    return RANK[proposed] > RANK[current] or (RANK[proposed] == RANK[current] == 3)


@dataclass(frozen=True)
class Proposal:
    """A state a referring document proposes, with the sentence that says it."""

    state: str
    evidence: str
    document: LinkedDocument

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class StateChange:
    old_state: str
    new_state: str
    user: str
    at: datetime
    note: str = ""
    evidence_document: LinkedDocument | None = None
    due: str | None = None


@dataclass(frozen=True)
class RegisterEntry:
    """One resolution in the register."""

    document_id: str
    anchor: str
    number: str
    meeting: str | None
    date: str | None              # the meeting's Jalali date
    organization: str | None      # responsible: a clerk's choice, else the minutes' organization
    title: str                    # «مصوبه ۲ جلسه ۲۷ هیأت‌مدیره …»
    text: str
    state: str
    due: str | None               # Jalali YYYY-MM-DD: a clerk's, else read from the text
    overdue: bool
    proposals: tuple[Proposal, ...] = ()
    history: tuple[StateChange, ...] = ()
    followups: tuple[LinkedDocument, ...] = ()   # the documents referring to it, oldest first

    @property
    def id(self) -> str:
        return entry_id(self.document_id, self.anchor)

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def last_followup(self) -> LinkedDocument | None:
        return self.followups[-1] if self.followups else None


@dataclass(frozen=True)
class RegisterFilters:
    """What the register shows: an organization, a Jalali year, a state (or ``overdue``), overdue only,
    and a query in the search language (``q``)."""

    org: str = ""
    year: str = ""
    state: str = ""
    overdue: bool = False
    q: str = ""

    def __post_init__(self):
        if self.state and self.state not in STATES and self.state != OVERDUE:
            raise RegisterError(f"unknown state {self.state!r}; states: {', '.join(STATES)}, overdue",
                                f"وضعیت «{self.state}» شناخته نیست.")
        if self.year and not self.year.isdigit():
            raise RegisterError(f"year must be a number: {self.year!r}", "سال باید عدد باشد.")

    def admits(self, entry: RegisterEntry) -> bool:
        if self.org and entry.organization != self.org:
            return False
        if self.year and entry.year != str(int(self.year)):
            return False
        if self.state == OVERDUE or self.overdue:
            if not entry.overdue:
                return False
        if self.state and self.state != OVERDUE and entry.state != self.state:
            return False
        return True


@dataclass(frozen=True)
class SummaryRow:
    """One organization's year, as in the secretariat's report."""

    organization: str
    year: str
    passed: int = 0
    done: int = 0
    in_progress: int = 0
    stopped: int = 0
    overdue: int = 0


@dataclass
class Register:
    """The entries a filter admits, their counts per state and the organization × year summary."""

    entries: list[RegisterEntry]
    counts: dict[str, int] = field(default_factory=dict)      # state (and "overdue") → entries
    summary: list[SummaryRow] = field(default_factory=list)


__all__ = ["FINISHED", "OPEN", "Proposal", "Register", "RegisterEntry", "RegisterFilters", "StateChange",
           "SummaryRow", "entry_id", "parse_entry_id", "worth_proposing"]
