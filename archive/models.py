"""The catalog's tables, as SQLAlchemy 2 declarative models.

The catalog is the truth: every original's metadata and its extracted text per page live here,
so the Whoosh index can always be rebuilt from it. Schema changes go through ``archive/migrations``.
"""
from __future__ import annotations

import base64
from datetime import date, datetime, timezone

from sqlalchemy import (BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

KINDS = ("minutes", "resolution", "letter", "chart", "report", "other")
# The Persian words clerks and searchers use for each kind (circulars and appointments are letters).
KIND_WORDS = {"صورتجلسه": "minutes", "مصوبه": "resolution", "نامه": "letter", "بخشنامه": "letter",
              "حکم": "letter", "چارت": "chart", "گزارش": "report", "سایر": "other"}


def kind_named(word: str) -> str | None:
    """The kind a word names: its English name (``minutes``) or a Persian word for it (صورت‌جلسه)."""
    word = word.strip()
    if word.lower() in KINDS:
        return word.lower()
    return KIND_WORDS.get(word.replace("\u200c", "").replace(" ", ""))
ID_LENGTH = 12


def document_id_for(sha256: str) -> str:
    """The permanent short id of a document: the first 60 bits of its SHA-256, base32, lower case.

    Derived from the bytes alone, so it is the same after any reindex or rebuild.
    """
    raw = base64.b32encode(bytes.fromhex(sha256)).decode("ascii").lower()
    return raw[:ID_LENGTH]


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    filename: Mapped[str] = mapped_column(String(512))
    mime: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    # heading | subject | order | file | clerk | filename (indexer/metadata/titles.py); a file name's
    # phrase is shown but not weighed as a title
    title_source: Mapped[str] = mapped_column(String(16), default="heading", server_default="heading")
    kind: Mapped[str] = mapped_column(String(32), default="other", index=True)
    kind_reasons: Mapped[str] = mapped_column(Text, default="")
    date_jalali: Mapped[str | None] = mapped_column(String(10), index=True)
    date_gregorian: Mapped[date | None] = mapped_column(Date)
    number: Mapped[str | None] = mapped_column(String(128))
    organization: Mapped[str | None] = mapped_column(String(256), index=True)
    meeting: Mapped[str | None] = mapped_column(String(32), index=True)      # meeting number, "27"
    addressee: Mapped[str | None] = mapped_column(String(256))               # a letter's addressee
    organizations: Mapped[str] = mapped_column(Text, default="[]")           # JSON: every one named
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    pages: Mapped[list["Page"]] = relationship(
        back_populates="document", order_by="Page.number", cascade="all, delete-orphan")
    resolutions: Mapped[list["Resolution"]] = relationship(
        back_populates="document", order_by="Resolution.ordinal", cascade="all, delete-orphan")
    references: Mapped[list["ResolutionReference"]] = relationship(
        order_by="ResolutionReference.id", cascade="all, delete-orphan")
    # the follow-up states of its resolutions (by anchor): kept apart from ``resolutions``, which are
    # read again from the text on every re-extraction
    resolution_states: Mapped[list["ResolutionState"]] = relationship(viewonly=True, lazy="selectin")

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


class Page(Base):
    __tablename__ = "pages"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    ocr_reason: Mapped[str | None] = mapped_column(Text)  # why OCR: indexer/extract/reasons.py

    document: Mapped[Document] = relationship(back_populates="pages")


class Resolution(Base):
    """One numbered resolution (مصوبه) of a minutes document."""

    __tablename__ = "resolutions"
    __table_args__ = (UniqueConstraint("document_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship(back_populates="resolutions")

    # "r2" for resolution 2 when the numbers are plain distinct digits, else "r<ordinal>"
    anchor: Mapped[str] = mapped_column(
        String(16), default=lambda ctx: f"r{ctx.get_current_parameters()['ordinal']}")
    due: Mapped[str | None] = mapped_column(String(10))   # Jalali YYYY-MM-DD read from the text


class Correction(Base):
    """A clerk's value for one field of a document; applied over whatever is read from the text,
    so it survives reindexing and re-extraction. ``value`` None clears the field."""

    __tablename__ = "corrections"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CorrectionHistory(Base):
    """Every change a clerk made: who, when, the field, the value before and after."""

    __tablename__ = "correction_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ResolutionReference(Base):
    """A document's reference to a resolution («بازگشت به مصوبه ۳ جلسه ۲۲»), resolved when read, so a
    letter filed before its minutes is linked once they arrive."""

    __tablename__ = "resolution_references"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    resolution_number: Mapped[str] = mapped_column(String(32))
    meeting: Mapped[str | None] = mapped_column(String(32), index=True)
    organization: Mapped[str | None] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text, default="")
    # what the referring text says became of the resolution (indexer.metadata.followups), and the sentence
    proposed_state: Mapped[str | None] = mapped_column(String(16))
    evidence: Mapped[str | None] = mapped_column(Text)


class ResolutionState(Base):
    """The follow-up state of one resolution, set by a clerk: keyed by the minutes and the
    resolution's anchor, so it survives reindexing and re-extraction (which rebuild ``resolutions``)."""

    __tablename__ = "resolution_states"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             primary_key=True)
    anchor: Mapped[str] = mapped_column(String(16), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    due: Mapped[str | None] = mapped_column(String(10))            # Jalali YYYY-MM-DD, a clerk's
    organization: Mapped[str | None] = mapped_column(String(256))  # responsible, when not the minutes'
    evidence_document_id: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ResolutionStateChange(Base):
    """Every change of a resolution's follow-up: who, when, from what, to what, and the document
    that justifies it."""

    __tablename__ = "resolution_state_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    anchor: Mapped[str] = mapped_column(String(16))
    old_state: Mapped[str] = mapped_column(String(16))
    new_state: Mapped[str] = mapped_column(String(16))
    due: Mapped[str | None] = mapped_column(String(10))
    evidence_document_id: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class JournalEntry(Base):
    """One inbox file on its way into the archive: received → archived → extracted → indexed → done
    (or duplicate, failed, gone). Written before each step's effect is relied on, so a restart after a
    crash knows where every file stood. ``path`` is relative to the inbox."""

    __tablename__ = "ingest_journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(String(1024), index=True)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    mtime_ns: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[str] = mapped_column(String(16), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    document_id: Mapped[str | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    error_fa: Mapped[str | None] = mapped_column(Text)
    failed_name: Mapped[str | None] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
