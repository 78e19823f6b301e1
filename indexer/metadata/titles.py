"""A document's title: its real heading, else its «موضوع:» line, else a phrase of its file name; and
where it came from (:data:`TITLE_SOURCES`), which sets how much the title weighs in the ranking.

Documents written by others open with much that is not their title: «بسمه تعالی», the emblem's code
(«INSO», «AUT-CEIT-UG-PR-95-001V06»), running headers repeated on every page, page numbers, letter
fields. Those are skipped. The heading is the first short block that is not a sentence; a heading
set on two lines («دستورالعمل نگارش و» / «تدوین پایان نامه») is joined. A first block that is a
paragraph means the document has no heading: the subject line, then the file name, are used
instead, never the paragraph. An addressee («شهردار محترم کرمان», «جناب آقای …») is no heading, nor
a line introducing a list («به پیشنهاد کمیسیون …:»); a subject line above the first heading names a
letter better than what follows it. An appointment order without a heading is titled by its formula
(«به سمت مدیرعامل … منصوب می‌شوید» → «حکم انتصاب مدیرعامل …»).

The source: ``heading``, ``subject``, ``order`` (the formula) are the document's own words;
``filename`` is a guess a title's weight does not follow (see indexer.search.schema).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from pathlib import PurePath

from indexer.metadata.text import fold

MAX_HEADING_WORDS = 14
FULL_HEADING_WORDS = 4         # a heading this long is preferred to a shorter one before it
MAX_HEADING_LINES = 3
LOOK_LINES = 25
FIRST_LINES = 5
_PERSIAN = re.compile(r"[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]")
_DIGITS = re.compile(r"[\d۰-۹٠-٩]+")
_SUBJECT = re.compile(r"^\s*موضوع\s*[:：]\s*(.+)$")
_PAGE_NUMBER = re.compile(r"^\s*(صفحه|page)?\s*[\d۰-۹٠-٩]+(\s*(از|/|of)\s*[\d۰-۹٠-٩]+)?\s*$", re.I)
# a line that ends a sentence, or ends with a verb no heading ends with
_SENTENCE_END = re.compile(r"[.؟?]\s*$|\.\s+\S|(است|باشد|شود|گردد|می‌شود|نماید|کند|شد|گردید|دارد|بود)\s*[.:]?\s*$")
_LABEL = re.compile(r"^[^:：]{1,30}[:：]\s*\S")   # «چاپ سیزدهم: ۱۳۹۴», a label and its value
# letterheads: the state, the ministry, the organization issuing the document, not its title
_LETTERHEAD = re.compile(r"^\s*(جمهوری اسلامی|وزارت|دانشگاه|دانشکده|پردیس|سازمان|فرهنگستان|مؤسسه|موسسه|"
                         r"شهرداری|استانداری|پژوهشگاه|اداره کل|اداره|معاونت|مرکز|گروه|شورای|بنیاد|شرکت)")
# a heading's line that cannot end the heading: it ends with a joining word
_CONTINUES = re.compile(r"(\s|^)(و|در|از|به|با|برای|که|یا|بر|های|ی)\s*$")
# an addressee, not a heading: «جناب آقای …», «خانم مهندس …», «شهردار محترم کرمان»
_ADDRESSEE = re.compile(r"^\s*(جناب|سرکار|حضرت|خانم|آقای|آقا|دکتر|مهندس)(\s|$)|(^|\s)محترم(\s|$)")
_INTRODUCES = re.compile(r"[:：]\s*$")  # a line introducing what follows («به پیشنهاد …:»)
_APPOINTED = re.compile(r"به\s+سمت\s+(.{3,90}?)\s+(?:منصوب|انتخاب|تعیین|گمارده)")
MAX_ROLE_WORDS = 10
TITLE_SOURCES = ("heading", "subject", "order", "filename", "file", "clerk")
_FILENAME_NOISE = re.compile(r"^([A-Za-z]?\d+[A-Za-z]?|v\d+|final|scan|copy|pdf|docx?|r\d+)$", re.I)


def _running_key(line: str) -> str:
    return _DIGITS.sub("", fold(line))


def running_lines(lines: list[str]) -> set[str]:
    """Keys (folded, digits dropped) of lines that repeat three times or more: running headers and
    footers, with or without their page numbers."""
    counts = Counter(_running_key(line) for line in lines)
    return {key for key, n in counts.items() if n >= 3 and key}


def _running(line: str, index: int, running: set[str]) -> bool:
    """A running header or footer; one of the first lines without a page number is not (a title is
    often its own running header)."""
    return _running_key(line) in running and (index >= FIRST_LINES or bool(_DIGITS.search(line)))


def is_sentence(line: str) -> bool:
    """A line of running text rather than a heading."""
    return len(line.split()) > MAX_HEADING_WORDS or bool(_SENTENCE_END.search(line))


def _persian_line(line: str) -> bool:
    """Mostly Persian words (an emblem's code, a bilingual cover line or OCR noise is not)."""
    tokens = line.split()
    persian = [t for t in tokens if len(_PERSIAN.findall(t)) >= 2]
    return len(_PERSIAN.findall(line)) >= 4 and len(persian) * 3 >= 2 * len(tokens)


def _skipped(line: str, index: int, invocations: Collection[str], field, running: set[str]) -> bool:
    folded = fold(line)
    return (folded in invocations or len(folded) < 2 or _running(line, index, running) or bool(field.match(line))
            or bool(_LABEL.match(line)) or not _persian_line(line) or bool(_PAGE_NUMBER.match(line))
            or bool(_LETTERHEAD.match(line)) or bool(_ADDRESSEE.search(line)))


def _heading_at(lines: list[str], i: int, field) -> str:
    """The heading starting at line ``i``, with the lines that continue it."""
    heading = [lines[i].strip()]
    for nxt in lines[i + 1:i + MAX_HEADING_LINES]:
        joined = " ".join(heading + [nxt.strip()])
        lone_word = len(" ".join(heading).split()) == 1  # «دستورالعمل» over its subject
        if (not (_CONTINUES.search(heading[-1]) or lone_word) or is_sentence(nxt) or field.match(nxt)
                or _LABEL.match(nxt) or len(joined.split()) > MAX_HEADING_WORDS):
            break
        heading.append(nxt.strip())
    return " ".join(heading).rstrip(" :：!")


def read_heading(lines: list[str], invocations: Collection[str], field,
                 salutations: tuple[str, ...]) -> str | None:
    """The document's heading, its lines joined, or None when its first block is no heading."""
    found = _heading_line(lines, invocations, field, salutations)
    return found[0] if found else None


def _heading_line(lines: list[str], invocations: Collection[str], field,
                  salutations: tuple[str, ...]) -> tuple[str, int] | None:
    """The heading and the line it begins on: the first heading of four words or more among the
    short lines before the first sentence, else the first of them."""
    running = running_lines(lines)
    found: list[tuple[str, int]] = []
    i = 0
    while i < min(len(lines), LOOK_LINES):
        line = lines[i]
        folded = fold(line)
        if _skipped(line, i, invocations, field, running):
            i += 1
            continue
        if (any(folded.startswith(fold(s)) for s in salutations) or is_sentence(line)
                or (_INTRODUCES.search(line) and len(line.split()) >= FULL_HEADING_WORDS)):
            break
        heading = _heading_at(lines, i, field)
        if len(heading.split()) >= FULL_HEADING_WORDS:
            return heading, i
        found.append((heading, i))
        i += max(1, len(heading.split("\n")))
    return found[0] if found else None


def subject_line(lines: list[str]) -> str:
    """The text of the «موضوع:» line, if the head has one."""
    found = _subject_at(lines)
    return found[0] if found else ""


def _subject_at(lines: list[str]) -> tuple[str, int] | None:
    for i, line in enumerate(lines[:LOOK_LINES]):
        m = _SUBJECT.match(line)
        if m and m.group(1).strip():
            return m.group(1).strip(), i
    return None


def order_title(lines: list[str]) -> str:
    """«حکم انتصاب <role>» when the head holds an appointment's formula (به سمت … منصوب), else ''."""
    m = _APPOINTED.search(" ".join(lines[:LOOK_LINES]))
    if not m:
        return ""
    return "حکم انتصاب " + " ".join(m.group(1).split()[:MAX_ROLE_WORDS])


def filename_phrase(filename: str) -> str:
    """The first meaningful phrase of a file name: its words without codes, numbers and extension."""
    stem = PurePath(filename).stem
    words = [w for w in re.split(r"[\s_\-.+]+", stem) if w and not _FILENAME_NOISE.match(w)]
    return " ".join(words[:8]) or stem


def read_title(lines: list[str], filename: str, invocations: Collection[str], field,
               salutations: tuple[str, ...]) -> tuple[str, str]:
    """(title, source): the heading (with the subject when the heading is only a kind, «بخشنامه:
    …»; the subject alone when it stands above the heading), else the subject, else an appointment
    order's formula, else the file name's phrase."""
    found = _heading_line(lines, invocations, field, salutations)
    subject = _subject_at(lines)
    if found and subject:
        (heading, at), (text, subject_at) = found, subject
        if subject_at < at:
            return text[:200], "subject"
        if len(heading.split()) <= 3:
            return f"{heading}: {text}"[:200], "heading"
    if found:
        return found[0][:200], "heading"
    if subject:
        return subject[0][:200], "subject"
    order = order_title(lines)
    if order:
        return order[:200], "order"
    return filename_phrase(filename)[:200], "filename"


__all__ = ["TITLE_SOURCES", "read_title", "read_heading", "order_title", "subject_line", "filename_phrase", "running_lines", "is_sentence"]
