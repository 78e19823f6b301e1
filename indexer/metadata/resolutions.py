"""Numbered resolutions in minutes, and references to resolutions in letters.

Resolutions are found, in this order of trust:
1. lines starting with «مصوبه ۱:», «مصوبه شماره ۱ -», «مصوبه یک:», «مصوبه اول:»;
2. numbered lines («۱-», «۱.», «۱)») after a «مصوبات:» or «تصمیمات:» line;
3. «بند الف:», «الف)» lines;
4. otherwise the last run of numbered lines that counts 1, 2, 3… (an agenda or a list of those present
   comes before the decisions), outside the sections of those present and the agenda.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.metadata.followups import read_due
from indexer.metadata.numbers import words_to_int
from indexer.metadata.text import prepare

_NUMBER_WORD = r"[\u0621-\u06cc]+(?:\s+و\s+[\u0621-\u06cc]+)*"
_EXPLICIT = re.compile(rf"^\s*(?:مصوبه|مصوبۀ)(?:[\s\u200c]*ی(?=[\s\d]))?(?:\s+شماره)?\s*(?P<num>\d+|{_NUMBER_WORD})\s*"
                       rf"(?:[:：\-–—.)]\s*|\s+(?=\S))", re.MULTILINE)
_NUMBERED = re.compile(r"^\s*(?:بند\s+)?(?P<num>\d{1,2})\s*[-–—.):]\s*", re.MULTILINE)
_LETTERS = ("الف", "ب", "ج", "د", "ه", "و", "ز", "ح", "ط", "ی")
_LETTERED = re.compile(r"^\s*(?:بند\s+)?(?P<num>الف|ب|ج|د|ه|و|ز|ح|ط|ی)\s*[-–—.):]\s*", re.MULTILINE)
_DECISIONS_HEADER = re.compile(r"^\s*(?:مصوبات|تصمیمات|تصمیمات متخذه|نتایج جلسه|موارد مصوب)"
                               r"(?:\s+جلسه)?\s*[:：]?\s*$", re.MULTILINE)
_SECTION_HEADER = re.compile(r"^\s*(?:حاضرین|حاضران|غایبین|غائبین|دستور[\s\u200c]*جلسه|اعضای حاضر|"
                             r"مدعوین)\b", re.MULTILINE)
_END = re.compile(r"^\s*(?:امضا|امضای|محل امضا|رونوشت|اعضای هیأت|اعضای هیات|اعضای هيأت|"
                  r"جلسه (?:با ذکر صلوات|در ساعت)|ختم جلسه)", re.MULTILINE)


@dataclass
class ResolutionDraft:
    number: str
    text: str
    # (the meeting date it was read against, the due date read): read ahead in the extraction child
    # (Metadata.read_dues), so that cataloging the document does not read its text again
    due_read: tuple[str | None, str | None] | None = None

    def due(self, meeting_date: str | None) -> str | None:
        """The date this resolution is due (:func:`indexer.metadata.followups.read_due`)."""
        if self.due_read is not None and self.due_read[0] == meeting_date:
            return self.due_read[1]
        return read_due(prepare(self.text), meeting_date)


def _number_of(raw: str) -> str | None:
    raw = raw.strip()
    if raw.isdigit():
        return str(int(raw))
    if raw == "ا":  # OCR's reading of ۱ where a font draws it as a bare stroke: «مصوبه ا:»
        return "1"
    read = words_to_int(raw.split())
    if read and read[1] == len(raw.split()):
        return str(read[0])
    return raw if raw in _LETTERS else None


def _cut(text: str, starts: list[tuple[int, int, str]]) -> list[ResolutionDraft]:
    """Bodies between markers (start, body start, number); the last ends at a signature block."""
    drafts = []
    for i, (_, body_start, number) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        body = text[body_start:end]
        stop = _END.search(body) or (_SECTION_HEADER.search(body) if i + 1 == len(starts) else None)
        if stop:
            body = body[:stop.start()]
        body = " ".join(body.split())
        if body:
            drafts.append(ResolutionDraft(number=number, text=body))
    return drafts


def _explicit(text: str) -> list[tuple[int, int, str]]:
    found = []
    for m in _EXPLICIT.finditer(text):
        number = _number_of(m.group("num"))
        if number is not None:
            found.append((m.start(), m.end(), number))
    return found


def _runs(matches: list[re.Match], numbers: list[str]) -> list[list[tuple[int, int, str]]]:
    """Runs of markers counting from the first of ``numbers`` on, each in order."""
    runs: list[list[tuple[int, int, str]]] = []
    for m in matches:
        value = str(int(m.group("num"))) if m.group("num").isdigit() else m.group("num")
        if value == numbers[0]:
            runs.append([(m.start(), m.end(), value)])
        elif runs and len(runs[-1]) < len(numbers) and value == numbers[len(runs[-1])]:
            runs[-1].append((m.start(), m.end(), value))
    return runs


def _outside_sections(text: str, matches: list[re.Match]) -> list[re.Match]:
    """Markers not inside the section of those present or the agenda (which ends at a blank-less
    line that is not numbered, or at a decisions header)."""
    sections = []
    for header in _SECTION_HEADER.finditer(text):
        end = len(text)
        nxt = _DECISIONS_HEADER.search(text, header.end())
        if nxt:
            end = nxt.start()
        else:
            for line in re.finditer(r"^.*$", text[header.end():], re.MULTILINE):
                if line.start() > 0 and line.group().strip() and not _NUMBERED.match(line.group()):
                    end = header.end() + line.start()
                    break
        sections.append((header.start(), end))
    return [m for m in matches if not any(s <= m.start() < e for s, e in sections)]


def has_explicit_resolutions(text: str) -> bool:
    """Whether lines start with «مصوبه ۱:»-like markers (numbered lines alone may be any list)."""
    return bool(_explicit(text))


def read_resolutions(text: str) -> list[ResolutionDraft]:
    """The numbered resolutions of a prepared text (see the module docstring)."""
    explicit = _explicit(text)
    if explicit:
        return _cut(text, explicit)
    header = _DECISIONS_HEADER.search(text)
    digits = [str(i) for i in range(1, 100)]
    if header:
        after = [m for m in _NUMBERED.finditer(text, header.end())]
        runs = _runs(after, digits) or _runs(list(_LETTERED.finditer(text, header.end())), list(_LETTERS))
        if runs:
            return _cut(text, runs[0])
    lettered = _runs(_outside_sections(text, list(_LETTERED.finditer(text))), list(_LETTERS))
    if lettered and len(lettered[-1]) >= 2:
        return _cut(text, lettered[-1])
    runs = _runs(_outside_sections(text, list(_NUMBERED.finditer(text))), digits)
    if runs:
        return _cut(text, runs[-1])
    return []


@dataclass
class ReferenceDraft:
    resolution_number: str
    meeting: str | None
    organization_text: str     # the words after the reference, where an organization may be named
    text: str                  # the reference as written
    proposed_state: str | None = None   # what the text says became of it (indexer.metadata.followups)
    evidence: str | None = None         # the sentence that says so


_REFERENCE = re.compile(
    r"(?:(?P<verb>بازگشت به|پیرو|عطف به|در اجرای|در اجراي|به استناد|در خصوص|درخصوص|موضوع|جایگزین|"
    r"در اصلاح|اصلاح|اصلاحیه|لغو|در تکمیل|با عنایت به|با توجه به)\s+)?"
    r"(?:بند\s+\S+\s+)?(?:مصوبه|مصوبۀ)(?:[\s\u200c]*ی(?=[\s\d]))?(?:\s+شماره)?\s*(?P<num>\d+|[\u0621-\u06cc]+)"
    r"(?P<meeting>\s*[،,]?\s*(?:از\s+)?(?:صورت\s*جلسه|جلسه|نشست)(?:\s+شماره)?\s*(?P<mnum>\d+|"
    rf"{_NUMBER_WORD}))?")
_SENTENCE_START = re.compile(r"[.!؟?؛]")


def _sentence_start(text: str, offset: int) -> int:
    """Where the sentence holding ``offset`` starts: after a full stop, or at its line (the lines
    above a letter's first sentence are its heading)."""
    starts = [m.end() for m in _SENTENCE_START.finditer(text, 0, offset)]
    return max(starts[-1] if starts else 0, text.rfind("\n", 0, offset) + 1)


def read_references(text: str, decision: bool = False) -> list[ReferenceDraft]:
    """References to resolutions of a meeting («بازگشت به مصوبه شماره ۳ جلسه ۲۲ هیأت‌مدیره …»), each
    with the state the text proposes for it (see :mod:`indexer.metadata.followups`). ``decision``:
    the text is minutes or a resolution, whose references may supersede. Without a verb before it, a
    reference must name its meeting and, in minutes, not start a line (that is one of its own)."""
    from indexer.metadata.followups import read_state

    matches = []
    for m in _REFERENCE.finditer(text):
        at_line_start = m.start() == 0 or text[m.start() - 1] == "\n"
        if m.group("verb") is None and (not m.group("mnum") or (decision and at_line_start)):
            continue
        number = _number_of(m.group("num"))
        if number is None or not number.isdigit():
            continue
        matches.append((m, number))
    found = []
    for i, (m, number) in enumerate(matches):
        meeting = None
        if m.group("mnum"):
            words = m.group("mnum").split()
            read = words_to_int(words)
            meeting = str(read[0]) if read else None
        tail = text[m.end():m.end() + 120].split("\n")[0]
        end = matches[i + 1][0].start() if i + 1 < len(matches) else len(text)
        said = read_state(text[_sentence_start(text, m.start()):max(end, m.end())], decision)
        found.append(ReferenceDraft(number, meeting, tail, " ".join(m.group(0).split()),
                                    said.state if said else None, said.sentence if said else None))
    return found


__all__ = ["ReferenceDraft", "ResolutionDraft", "read_references", "read_resolutions"]
