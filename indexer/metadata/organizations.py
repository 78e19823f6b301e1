"""The organizations a document names, matched against the configured names and aliases.

Matching is done on the folded, glued text (:class:`FoldedText`), so «سازمان آتشنشانی»,
«سازمان آتش‌نشانی» and «سازمان آتش نشانی» are one name, and ي/ی, ك/ک, ۀ/ه, هیأت/هیئت meet.
For a letter, the sender («از:», the letterhead, the signature) and the addressee («به:», «… محترم
سازمان …») are told apart.
"""
from __future__ import annotations

from dataclasses import dataclass

from archive import Organization
from indexer.metadata.text import FoldedText, fold


@dataclass(frozen=True)
class OrgMatch:
    name: str      # the configured name
    offset: int    # glued offset of the match
    length: int
    line: int


class OrganizationMatcher:
    """Finds configured organizations in texts; built once per configuration."""

    def __init__(self, organizations: tuple[Organization, ...]):
        self._needles = sorted(
            {(fold(spelling), org.name) for org in organizations for spelling in (org.name, *org.aliases)
             if fold(spelling)},
            key=lambda item: -len(item[0]))

    def find(self, folded: FoldedText) -> list[OrgMatch]:
        """Every match, longest first at each place, without overlaps, in text order."""
        taken: list[tuple[int, int]] = []
        matches = []
        for needle, name in self._needles:
            for pos in folded.find_all(needle):
                end = pos + len(needle)
                if any(pos < t_end and t_start < end for t_start, t_end in taken):
                    continue
                taken.append((pos, end))
                matches.append(OrgMatch(name, pos, len(needle), folded.line_of(pos)))
        return sorted(matches, key=lambda m: m.offset)


_SENDER_LABELS = ("از", "فرستنده")
_ADDRESSEE_LABELS = ("به", "گیرنده")
_ADDRESSEE_WORDS = ("محترم", "ریاست", "جناب", "سرکار")
_SIGNATURE_WORDS = ("مدیرعامل", "مدیر عامل", "رئیس", "سرپرست", "دبیر")


def _name_alone(line: str, match: OrgMatch) -> bool:
    """The line says little more than the organization's name (a signature block's last line)."""
    return len(fold(line)) <= match.length + 4


def _label(line: str) -> str:
    head = line.split(":", 1)[0].strip() if ":" in line[:12] else ""
    return head


@dataclass
class Organizations:
    main: str | None = None
    addressee: str | None = None
    mentioned: tuple[str, ...] = ()
    reason: str | None = None


def read_organizations(lines: list[str], matcher: OrganizationMatcher, kind: str,
                       heading_line: int | None) -> Organizations:
    """The main organization (for a letter, its sender when the text shows it), the addressee of a
    letter and every organization mentioned, in order. ``lines`` are the prepared text's lines."""
    folded = FoldedText("\n".join(lines))
    matches = matcher.find(folded)
    mentioned = tuple(dict.fromkeys(m.name for m in matches))
    if not matches:
        return Organizations()
    by_line: dict[int, list[OrgMatch]] = {}
    for m in matches:
        by_line.setdefault(m.line, []).append(m)

    def first_on(line: int) -> str | None:
        return by_line[line][0].name if line in by_line else None

    if kind == "letter":
        sender = addressee = None
        sender_reason = ""
        head = range(min(len(lines), 14))
        for i in head:
            label = _label(lines[i])
            if label in _SENDER_LABELS and first_on(i):
                sender, sender_reason = first_on(i), f"sender after «{label}:»"
            elif label in _ADDRESSEE_LABELS and first_on(i) and addressee is None:
                addressee = first_on(i)
            elif addressee is None and first_on(i) and any(w in lines[i] for w in _ADDRESSEE_WORDS):
                addressee = first_on(i)
        if sender is None:
            for i in range(len(lines) - 1, max(len(lines) - 5, -1), -1):
                if first_on(i) and any(w in lines[i] for w in _SIGNATURE_WORDS) \
                        and not any(w in lines[i] for w in _ADDRESSEE_WORDS):
                    sender, sender_reason = first_on(i), "sender in the signature"
                    break
        if sender is None:  # a closing line that is an organization's name alone signs the letter
            fields = [i for i in head if _label(lines[i])]
            body_start = max(fields[-1] + 1 if fields else 0, 2)
            for i in range(len(lines) - 1, max(len(lines) - 5, body_start - 1), -1):
                if first_on(i) and _name_alone(lines[i], by_line[i][0]) and not _label(lines[i]) \
                        and not any(w in lines[i] for w in _ADDRESSEE_WORDS):
                    sender, sender_reason = first_on(i), "sender signing the letter"
                    break
        if sender is None:  # the letterhead: the first lines that are not fields (an e-mail's)
            unlabelled = [i for i in range(min(len(lines), 8)) if not _label(lines[i])][:3]
            for i in unlabelled:
                if first_on(i) and not any(w in lines[i] for w in _ADDRESSEE_WORDS):
                    sender, sender_reason = first_on(i), "sender in the letterhead"
                    break
        if sender or addressee:
            main = sender or addressee
            reason = sender_reason if sender else "the addressee (no sender named)"
            return Organizations(main, addressee if addressee != sender else None, mentioned,
                                 f"{reason}: {main}")
    if heading_line is not None and first_on(heading_line):
        return Organizations(first_on(heading_line), None, mentioned,
                             f"named in the heading: {first_on(heading_line)}")
    first = matches[0]
    return Organizations(first.name, None, mentioned, f"first named, line {first.line + 1}: {first.name}")
