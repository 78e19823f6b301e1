"""Backups of an archive: a folder holding a consistent copy of the SQLite catalog, the originals it
names (laid out as a :class:`DocumentStore` of their own) and a manifest written last, so that a
folder without its manifest is an unfinished backup. The index is not backed up: it is rebuilt from
the catalog after a restore.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from archive.crash import crash_point
from archive.errors import BackupError, DamagedOriginal
from archive.store import DocumentStore

BACKUP_DB = "catalog.sqlite3"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupReport:
    path: str
    documents: int
    copied: int      # originals copied now; the others were already there


def sqlite_path(database_url: str) -> Path:
    """The catalog's file. :raises BackupError: when the catalog is not SQLite."""
    if not database_url.startswith("sqlite:///"):
        raise BackupError("backup and restore work on a SQLite catalog only; use the database's own tools",
                          "پشتیبان‌گیری فقط برای فهرست SQLite ممکن است؛ از ابزار خود پایگاه داده استفاده کنید.")
    return Path(database_url.removeprefix("sqlite:///"))


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's online backup API (readers and the writer go on meanwhile)."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _shas(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT sha256 FROM documents ORDER BY sha256")]
    finally:
        conn.close()


def _copy(source: DocumentStore, target: DocumentStore, sha: str) -> None:
    try:
        target.put(source.path_for(sha), expected=sha)
    except DamagedOriginal as exc:
        raise BackupError(str(exc), f"اصل سند {sha[:12]} آسیب دیده است؛ «bayegan check» را اجرا کنید.") from exc


class BackupFolder:
    """One backup folder."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.originals = DocumentStore(self.path / "originals")

    def write(self, catalog_db: Path, store: DocumentStore) -> BackupReport:
        """Back up the catalog and its originals here (again into the same folder: only new originals
        are copied), while readers and writers go on.

        :raises BackupError: when an original is damaged.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / MANIFEST).unlink(missing_ok=True)  # without its manifest: an unfinished backup
        tmp = self.path / f".{BACKUP_DB}.partial"
        tmp.unlink(missing_ok=True)
        _copy_sqlite(catalog_db, tmp)
        os.replace(tmp, self.path / BACKUP_DB)
        crash_point("backup.catalog")
        shas = _shas(self.path / BACKUP_DB)
        copied = 0
        for sha in shas:
            if not self.originals.contains(sha):
                _copy(store, self.originals, sha)
                copied += 1
                crash_point("backup.original")
        manifest = {"created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "documents": len(shas)}
        (self.path / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        return BackupReport(str(self.path), len(shas), copied)

    def check_finished(self) -> None:
        """:raises BackupError: when the folder is not a finished backup."""
        if not (self.path / MANIFEST).is_file() or not (self.path / BACKUP_DB).is_file():
            raise BackupError(f"{self.path} is not a finished Bayegan backup", "این پوشه پشتیبان کامل بایگان نیست.")

    def restore_originals(self, store: DocumentStore) -> BackupReport:
        """Copy into ``store`` every original the backed-up catalog names that it lacks or holds
        damaged. Done before the catalog: the catalog never names an original that is not there."""
        self.check_finished()
        shas = _shas(self.path / BACKUP_DB)
        copied = 0
        for sha in shas:
            if not store.verify(sha):
                store.path_for(sha).unlink(missing_ok=True)
                _copy(self.originals, store, sha)
                copied += 1
        crash_point("restore.originals")
        return BackupReport(str(self.path), len(shas), copied)

    def restore_catalog(self, catalog_db: Path) -> None:
        """Replace the catalog file with the backed-up one (nothing may hold it open)."""
        _copy_sqlite(self.path / BACKUP_DB, catalog_db)
        crash_point("restore.catalog")
