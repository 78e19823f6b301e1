"""Metadata read from a document's text: title, kind, Jalali date, number, meeting, organizations,
numbered resolutions and references to resolutions.

Each reader keeps the reason it decided, so a clerk can see why (``Metadata.kind_reasons``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from archive import Organization
from indexer.metadata.dates import JalaliDate, parse_date, read_date
from indexer.metadata.kinds import read_head, read_kind, read_title
from indexer.metadata.numbers import (read_inline_number, read_letter_number, read_meeting_number,
                                      words_to_int)
from indexer.metadata.organizations import OrganizationMatcher, read_organizations
from indexer.metadata.resolutions import (ReferenceDraft, ResolutionDraft, has_explicit_resolutions,
                                          read_references, read_resolutions)
from indexer.metadata.decisions import LinkedDocument, resolution_title
from indexer.metadata.text import FoldedText, display, prepare, significant_lines

RESOLUTION_KINDS = ("minutes", "resolution")
HEAD_CHARS = 8000  # where the document's own date is looked for


@dataclass
class Metadata:
    title: str = ""
    title_source: str = "heading"  # indexer.metadata.titles.TITLE_SOURCES
    kind: str = "other"
    kind_reasons: list[str] = field(default_factory=list)
    date_jalali: str | None = None
    date_gregorian: date | None = None
    number: str | None = None
    meeting: str | None = None
    organization: str | None = None
    addressee: str | None = None
    organizations: list[str] = field(default_factory=list)
    resolutions: list[ResolutionDraft] = field(default_factory=list)
    references: list[ReferenceDraft] = field(default_factory=list)
    candidates: list[ResolutionDraft] = field(default_factory=list)  # numbered items, whatever the kind

    def resolutions_for(self, kind: str) -> list[ResolutionDraft]:
        """The resolutions a document of ``kind`` holds (a corrected kind may differ from the read one)."""
        return list(self.candidates) if kind in RESOLUTION_KINDS else []

    def read_dues(self) -> None:
        """Read now when each resolution is due, against the document's date (the extraction child does
        it: :meth:`ResolutionDraft.due` then costs nothing unless a clerk's date differs)."""
        for draft in self.resolutions_for(self.kind):
            draft.due_read = (self.date_jalali, draft.due(self.date_jalali))


@lru_cache(maxsize=8)
def matcher_for(organizations: tuple[Organization, ...]) -> OrganizationMatcher:
    return OrganizationMatcher(organizations)


def read_metadata(text: str, filename: str, organizations: tuple[Organization, ...]) -> Metadata:
    """Everything Bayegan reads from one document's text (see the module docstring)."""
    lines = significant_lines(display(text))
    prepared = prepare("\n".join(lines))
    plain = prepared.split("\n")
    head = read_head(lines)
    candidates = read_resolutions("\n".join(lines))
    kind, reasons = read_kind(head, len(candidates), has_explicit_resolutions("\n".join(lines)))
    jalali, date_reason = read_date(prepared[:HEAD_CHARS])
    if date_reason:
        reasons.append(date_reason)
    head_text = "\n".join(plain[:10])
    meeting = read_meeting_number(head_text) if kind in RESOLUTION_KINDS else None
    letter_number = (read_letter_number(head_text) or read_letter_number("\n".join(plain[-4:]))
                     or (read_inline_number(prepared[:HEAD_CHARS]) if kind not in RESOLUTION_KINDS else None))
    if kind == "minutes" and meeting:
        number, number_reason = meeting
    else:
        number, number_reason = letter_number or meeting or (None, None)
    if number_reason:
        reasons.append(number_reason)
    # the head and the signature name the organizations; a long body is not read through
    org_lines = lines if len(lines) <= 80 else lines[:60] + lines[-20:]
    orgs = read_organizations(org_lines, matcher_for(organizations), kind, head.heading)
    if orgs.reason:
        reasons.append(orgs.reason)
    title, title_source = read_title(head, filename)
    return Metadata(
        title=title, title_source=title_source, kind=kind, kind_reasons=reasons,
        date_jalali=jalali.iso if jalali else None, date_gregorian=jalali.gregorian() if jalali else None,
        number=number, meeting=meeting[0] if meeting else None, organization=orgs.main,
        addressee=orgs.addressee, organizations=list(orgs.mentioned),
        resolutions=candidates if kind in RESOLUTION_KINDS else [],
        references=read_references(prepared, decision=kind in RESOLUTION_KINDS),
        candidates=candidates,
    )


def organization_in(text: str, organizations: tuple[Organization, ...]) -> str | None:
    """The first configured organization named in ``text``, if any."""
    found = matcher_for(organizations).find(FoldedText(prepare(text)))
    return found[0].name if found else None


__all__ = ["JalaliDate", "LinkedDocument", "Metadata", "ReferenceDraft", "ResolutionDraft", "matcher_for",
           "resolution_title",
           "organization_in", "parse_date", "read_metadata", "words_to_int"]
