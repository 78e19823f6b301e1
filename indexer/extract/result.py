"""What an extractor returns: the text of each page, with how it was read, and what the file says of
itself (an e-mail's subject, date and attachments)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PageText:
    """One page's text; ``ocr`` when it was read from the page image, with Tesseract's mean word
    confidence (0–100) and, for a PDF page, why its text layer was not trusted (``ocr_reason``)."""

    text: str
    ocr: bool = False
    ocr_confidence: float | None = None
    ocr_reason: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file carried inside another (an e-mail's attachment), archived as its own document."""

    filename: str
    data: bytes


@dataclass
class Extraction:
    """The detected type, the pages, and the metadata the file itself carries (None when it has none)."""

    mime: str
    pages: list[PageText]
    title: str | None = None
    kind: str | None = None
    date: date | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


__all__ = ["PageText", "Attachment", "Extraction"]
