"""Named errors of the archive package. Messages are safe to show to users."""


class ArchiveError(Exception):
    """Base class of every error the archive raises on purpose."""


class ConfigError(ArchiveError):
    """The configuration file is missing, unreadable or invalid."""


class DocumentNotFound(ArchiveError):
    """No document in the catalog has the requested id."""

    def __init__(self, doc_id: str):
        super().__init__(f"no document with id {doc_id!r}")
        self.doc_id = doc_id


class StoreError(ArchiveError):
    """The content-addressed store could not write or read an original."""


class DamagedOriginal(StoreError):
    """An original's bytes no longer hash to its name."""

    def __init__(self, sha256: str):
        super().__init__(f"original {sha256} is damaged; run `bayegan check`")
        self.sha256 = sha256


class BackupError(ArchiveError):
    """The backup or restore could not be done. ``str(exc)`` is English, ``exc.message_fa`` Persian."""

    def __init__(self, message: str, message_fa: str = "پشتیبان‌گیری یا بازگردانی انجام نشد."):
        super().__init__(message)
        self.message_fa = message_fa
