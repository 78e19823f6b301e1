"""Metadata read from a document's text: title, kind, Jalali date, number, organization, resolutions.

This is the first, plain version; each rule keeps the reason it fired, so a clerk can see why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import jdatetime

from archive import Organization
from indexer import persian

_DIGITS = "0-9\u06f0-\u06f9\u0660-\u0669"
_DATE = re.compile(rf"(?<![{_DIGITS}])([{_DIGITS}]{{2,4}})\s*[/\-.]\s*([{_DIGITS}]{{1,2}})\s*[/\-.]\s*"
                   rf"([{_DIGITS}]{{1,2}})(?![{_DIGITS}])")
_NUMBER = re.compile(rf"شماره\s*(?:نامه)?\s*[:：]?\s*([{_DIGITS}]+(?:\s*/\s*[\w\u200c]+)*(?:\s*/\s*[{_DIGITS}]+)?)")
_MEETING = re.compile(rf"جلسه\s*(?:شماره\s*)?([{_DIGITS}]+)")
_RESOLUTION = re.compile(rf"^\s*مصوبه\s*(?:شماره\s*)?([{_DIGITS}]+)\s*[:：\-–.]?\s*", re.MULTILINE)

KIND_RULES = (
    ("chart", ("چارت سازمانی", "چارتسازمانی", "نمودار سازمانی")),
    ("minutes", ("صورتجلسه", "صورت جلسه", "صورت‌جلسه")),
    ("resolution", ("مصوبه شورای", "مصوبات شورای", "مصوبه هیات", "مصوبه هیأت")),
    ("letter", ("بخشنامه", "حکم انتصاب", "شماره نامه", "موضوع:", "با سلام", "احتراما", "احتراماً")),
    ("report", ("گزارش",)),
)


@dataclass
class ResolutionDraft:
    number: str
    text: str


@dataclass
class Metadata:
    title: str = ""
    kind: str = "other"
    kind_reasons: list[str] = field(default_factory=list)
    date_jalali: str | None = None
    date_gregorian: date | None = None
    number: str | None = None
    organization: str | None = None
    resolutions: list[ResolutionDraft] = field(default_factory=list)


def _fold(text: str) -> str:
    return " ".join(persian.normalize_token(w) for w in text.split())


def read_title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line) >= 3:
            return line[:200]
    return fallback


def read_kind(text: str) -> tuple[str, list[str]]:
    head = _fold(text[:3000])
    for kind, keywords in KIND_RULES:
        for keyword in keywords:
            if _fold(keyword) in head:
                return kind, [f"the text contains «{keyword}»"]
    return "other", []


def read_date(text: str) -> tuple[str | None, date | None]:
    """The first valid Jalali date in the text (years 1300–1499, two-digit years read as 13xx)."""
    for m in _DATE.finditer(text):
        y, mo, d = (int(persian.digits_to_ascii(g)) for g in m.groups())
        if y < 100:
            y += 1300
        if not 1300 <= y <= 1499:
            continue
        try:
            jd = jdatetime.date(y, mo, d)
        except ValueError:
            continue
        return f"{y:04d}-{mo:02d}-{d:02d}", jd.togregorian()
    return None, None


def read_number(text: str) -> str | None:
    m = _NUMBER.search(text[:3000])
    if m:
        return persian.digits_to_ascii(re.sub(r"\s+", "", m.group(1)))
    m = _MEETING.search(text[:3000])
    return persian.digits_to_ascii(m.group(1)) if m else None


def read_organization(text: str, organizations: tuple[Organization, ...]) -> str | None:
    folded = _fold(text[:5000])
    best: tuple[int, str] | None = None
    for org in organizations:
        for name in (org.name, *org.aliases):
            pos = folded.find(_fold(name))
            if pos >= 0 and (best is None or pos < best[0]):
                best = (pos, org.name)
    return best[1] if best else None


def read_resolutions(text: str) -> list[ResolutionDraft]:
    matches = list(_RESOLUTION.finditer(text))
    drafts = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[m.end():end].strip()
        if body:
            drafts.append(ResolutionDraft(number=persian.digits_to_ascii(m.group(1)), text=body))
    return drafts


def read_metadata(text: str, filename: str, organizations: tuple[Organization, ...]) -> Metadata:
    kind, reasons = read_kind(text)
    date_jalali, date_gregorian = read_date(text)
    return Metadata(
        title=read_title(text, filename), kind=kind, kind_reasons=reasons,
        date_jalali=date_jalali, date_gregorian=date_gregorian, number=read_number(text),
        organization=read_organization(text, organizations),
        resolutions=read_resolutions(text) if kind in ("minutes", "resolution") else [],
    )
