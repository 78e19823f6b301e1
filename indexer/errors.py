"""Named errors of the indexer. Each carries a message a clerk can read, in Persian and English."""
from __future__ import annotations

from archive.errors import BackupError  # noqa: F401 -- raised by archive.backup; named here with the indexer's errors


class IndexerError(Exception):
    """Base class: ``str(exc)`` is English, ``exc.message_fa`` is Persian."""

    message_fa = "خطا در پردازش سند."

    def __init__(self, message: str | None = None, message_fa: str | None = None):
        super().__init__(message or self.__class__.__doc__.strip().splitlines()[0])
        if message_fa:
            self.message_fa = message_fa

    @property
    def reason(self) -> str:
        """Both languages, as written beside a failed file."""
        return f"{self.message_fa}\n{self}"


class ExtractionError(IndexerError):
    """The text could not be extracted from the file."""

    message_fa = "متن این پرونده استخراج نشد."


class EmptyFile(ExtractionError):
    """The file is empty (0 bytes)."""

    message_fa = "پرونده خالی است (۰ بایت)."


class FileTooLarge(ExtractionError):
    """The file is larger than the configured limit."""

    message_fa = "حجم پرونده از حد مجاز بیشتر است."


class UnsupportedFormat(ExtractionError):
    """The file's format is not supported."""

    message_fa = "قالب این پرونده پشتیبانی نمی‌شود."


class CorruptFile(ExtractionError):
    """The file is damaged and cannot be read."""

    message_fa = "پرونده خراب است و خوانده نمی‌شود."


class EncryptedFile(ExtractionError):
    """The PDF is protected by a password; send it without the password."""

    message_fa = "پرونده PDF رمز دارد؛ لطفاً نسخهٔ بدون رمز را بفرستید."


class ExtractionTimeout(ExtractionError):
    """Reading the file took longer than the time limit."""

    message_fa = "خواندن پرونده بیش از زمان مجاز طول کشید."


class NoText(ExtractionError):
    """No text was found in the file."""

    message_fa = "هیچ متنی در پرونده پیدا نشد."


class QueryError(IndexerError):
    """The search query could not be understood."""

    message_fa = "عبارت جست‌وجو نامفهوم است."


class IndexUnavailable(IndexerError):
    """The search index cannot be opened."""

    message_fa = ("نمایهٔ جست‌وجو با نسخهٔ دیگری از بایگان ساخته شده است و خوانده نمی‌شود؛ "
                  "مدیر سامانه باید فرمان bayegan reindex را اجرا کند.")


class CorrectionError(IndexerError):
    """The correction cannot be made: unknown field or impossible value."""

    message_fa = "این اصلاح ممکن نیست."


class DecompressionBomb(ExtractionError):
    """The file would unpack to an absurd size (a decompression or zip bomb)."""

    message_fa = "پرونده پس از بازشدن بیش از حد بزرگ می‌شود (احتمال بمب فشرده‌سازی)."


class RegisterError(IndexerError):
    """The follow-up state cannot be changed: unknown resolution, state, date or document."""

    message_fa = "تغییر وضعیت پیگیری ممکن نیست."


class ResolutionNotFound(RegisterError):
    """No archived minutes hold this resolution."""

    message_fa = "این مصوبه در بایگانی نیست."
