"""Keeping an archive whole: index catch-up, ``bayegan check [--repair]``, backup and restore.

The catalog is the truth and the store holds the originals it names; the index is derived from the
catalog. So a check compares each original with its hash and the index with the catalog; a repair
rewrites the index records that differ; a backup is the catalog (SQLite's online backup API, a
consistent snapshot even while the watcher writes) and then the originals that snapshot names, which
were all fsynced before their catalog rows were committed and are never changed.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from archive import Document
from archive.crash import crash_point
from archive.store import CHUNK, hash_file
from indexer.errors import BackupError
from indexer.library import Library

log = logging.getLogger(__name__)
CATCH_UP_BATCH = 500
ORPHAN_AGE_S = 3600          # an original not in the catalog may be in flight for this long
BACKUP_DB = "catalog.sqlite3"
MANIFEST = "manifest.json"


def index_lexicon_ids(library: Library) -> set[str]:
    """The document ids that have records in the index (fast: the ``doc_id`` field's terms)."""
    if not library.index.exists():
        return set()
    with library.index.ix.searcher() as searcher:
        return {t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.lexicon("doc_id")}


def catch_up_index(library: Library) -> int:
    """Index every catalog document that the index lacks (after a crash between the catalog commit and
    the index commit, an interrupted bulk import, or a lost index). Returns how many were indexed."""
    missing = sorted(set(library.catalog.iter_ids()) - index_lexicon_ids(library))
    for start in range(0, len(missing), CATCH_UP_BATCH):
        library.index_documents(missing[start:start + CATCH_UP_BATCH])
    if missing:
        log.warning("indexed %d catalog documents the index lacked", len(missing))
    return len(missing)


def retry_failed(library: Library, names: list[str] | None = None) -> list[str]:
    """Move failed files (all, or those named, by their name in the failed folder) back into the
    inbox, removing their reason files. Names are matched against the folder's listing, never used
    as paths. Returns the names moved."""
    failed, inbox = library.config.failed_dir, library.config.inbox_dir
    if not failed.is_dir():
        return []
    wanted = set(names) if names is not None else None
    inbox.mkdir(parents=True, exist_ok=True)
    moved = []
    for path in sorted(failed.iterdir()):
        if path.name.endswith(".reason.txt") or path.name.startswith(".") or not path.is_file():
            continue
        if wanted is not None and path.name not in wanted:
            continue
        target = inbox / path.name
        stem, suffix, n = target.stem, target.suffix, 1
        while target.exists():
            target = inbox / f"{stem} ({n}){suffix}"
            n += 1
        shutil.move(str(path), target)
        path.with_name(path.name + ".reason.txt").unlink(missing_ok=True)
        moved.append(path.name)
    return moved


@dataclass
class CheckReport:
    documents: int = 0
    originals_missing: list[str] = field(default_factory=list)   # document ids
    originals_damaged: list[str] = field(default_factory=list)   # document ids
    orphan_originals: list[str] = field(default_factory=list)    # sha256 of stored files no document names
    index_missing: list[str] = field(default_factory=list)
    index_extra: list[str] = field(default_factory=list)
    index_duplicated: list[str] = field(default_factory=list)
    index_stale: list[str] = field(default_factory=list)         # records older than their catalog row
    repaired: list[str] = field(default_factory=list)            # what --repair did, one line each

    @property
    def ok(self) -> bool:
        return not (self.originals_missing or self.originals_damaged or self.index_missing
                    or self.index_extra or self.index_duplicated or self.index_stale)


def _index_counts(library: Library) -> tuple[Counter, set[str], dict[str, str]]:
    """Document records per id, every id with any record, and each document record's version."""
    documents: Counter = Counter()
    any_record: set[str] = set()
    versions: dict[str, str] = {}
    if not library.index.exists():
        return documents, any_record, versions
    with library.index.ix.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            any_record.add(fields["doc_id"])
            if fields.get("hit_type") == "document":
                documents[fields["doc_id"]] += 1
                if "version" in fields:  # records written before versions were kept are not compared
                    versions[fields["doc_id"]] = fields["version"]
    return documents, any_record, versions


def _stored_files(root: Path):
    if root.is_dir():
        for sub in root.glob("??/??/*"):
            if sub.is_file():
                yield sub


def check(library: Library, repair: bool = False) -> CheckReport:
    """Verify every original against its hash and the index against the catalog.

    With ``repair``, the index records that differ are rewritten from the catalog, index records of
    unknown documents are deleted, and originals no document names (left by a crash before the catalog
    commit) are removed once older than an hour. A missing or damaged original cannot be repaired
    here: restore it from a backup.
    """
    report = CheckReport()
    with library.catalog.session() as session:
        rows = list(session.execute(select(Document.id, Document.sha256, Document.updated_at)))
    pairs = [(doc_id, sha) for doc_id, sha, _ in rows]
    report.documents = len(pairs)
    known = set()
    for doc_id, sha in pairs:
        known.add(sha)
        path = library.store.path_for(sha)
        if not path.is_file():
            report.originals_missing.append(doc_id)
        elif hash_file(path) != sha:
            report.originals_damaged.append(doc_id)
    now = time.time()
    for path in _stored_files(library.store.root):
        if path.name not in known:
            report.orphan_originals.append(path.name)
            if repair and now - path.stat().st_mtime > ORPHAN_AGE_S:
                path.unlink()
                report.repaired.append(f"removed orphan original {path.name}")
    documents, any_record, versions = _index_counts(library)
    ids = {doc_id for doc_id, _ in pairs}
    report.index_missing = sorted(ids - set(documents))
    report.index_extra = sorted(any_record - ids)
    report.index_duplicated = sorted(doc_id for doc_id, n in documents.items() if n > 1 and doc_id in ids)
    duplicated = set(report.index_duplicated)
    report.index_stale = sorted(
        doc_id for doc_id, _, updated in rows
        if doc_id in versions and doc_id not in duplicated
        and versions[doc_id] != (updated.isoformat() if updated else ""))
    if repair:
        rewrite = report.index_missing + report.index_duplicated + report.index_stale
        for start in range(0, len(rewrite), CATCH_UP_BATCH):
            library.index_documents(rewrite[start:start + CATCH_UP_BATCH])
        if report.index_extra:
            with library.index.writer() as writer:
                for doc_id in report.index_extra:
                    writer.delete_by_term("doc_id", doc_id)
        report.repaired += [f"indexed {doc_id}" for doc_id in report.index_missing]
        report.repaired += [f"rewrote the duplicated records of {doc_id}" for doc_id in report.index_duplicated]
        report.repaired += [f"rewrote the stale records of {doc_id}" for doc_id in report.index_stale]
        report.repaired += [f"removed index records of unknown document {doc_id}" for doc_id in report.index_extra]
    return report


def _sqlite_path(library: Library) -> Path:
    url = library.config.database_url
    if not url.startswith("sqlite:///"):
        raise BackupError("backup and restore work on a SQLite catalog only; use the database's own tools",
                          "پشتیبان‌گیری فقط برای فهرست SQLite ممکن است؛ از ابزار خود پایگاه داده استفاده کنید.")
    return Path(url.removeprefix("sqlite:///"))


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


def _copy_verified(source: Path, target: Path, sha: str) -> None:
    """Copy an original, checking its bytes against its name, fsynced, renamed into place."""
    import hashlib

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".partial-{target.name}")
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(tmp, "wb") as out:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != sha:
        tmp.unlink()
        raise BackupError(f"original {sha} is damaged; run `bayegan check`",
                          f"اصل سند {sha[:12]} آسیب دیده است؛ «bayegan check» را اجرا کنید.")
    os.replace(tmp, target)
    os.chmod(target, 0o444)


def _shas(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT sha256 FROM documents ORDER BY sha256")]
    finally:
        conn.close()


def _store_path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha[2:4] / sha


@dataclass(frozen=True)
class BackupReport:
    path: str
    documents: int
    copied: int      # originals copied now; the others were already in the backup folder


def backup(library: Library, dest: Path) -> BackupReport:
    """Back up the catalog and the originals into ``dest`` (again into the same folder: only new
    originals are copied). The index is not backed up: it is rebuilt after a restore.

    :raises BackupError: when the catalog is not SQLite or an original is damaged.
    """
    db = _sqlite_path(library)
    library.catalog  # noqa: B018 - creates and migrates the catalog when it does not exist yet
    dest.mkdir(parents=True, exist_ok=True)
    (dest / MANIFEST).unlink(missing_ok=True)  # a folder without its manifest is an unfinished backup
    tmp = dest / f".{BACKUP_DB}.partial"
    tmp.unlink(missing_ok=True)
    _copy_sqlite(db, tmp)
    os.replace(tmp, dest / BACKUP_DB)
    crash_point("backup.catalog")
    shas = _shas(dest / BACKUP_DB)
    copied = 0
    for sha in shas:
        target = _store_path(dest / "originals", sha)
        if not target.is_file():
            _copy_verified(library.store.path_for(sha), target, sha)
            copied += 1
            crash_point("backup.original")
    manifest = {"created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "documents": len(shas)}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BackupReport(str(dest), len(shas), copied)


def restore(library: Library, source: Path, force: bool = False) -> BackupReport:
    """Restore a backup made by :func:`backup` into this configuration's data folder, then rebuild the
    index. Refuses to replace a catalog that holds documents unless ``force``.

    :raises BackupError: when the folder is not a finished backup, an original in it is damaged, or
        the catalog is not empty and ``force`` is not given.
    """
    db = _sqlite_path(library)
    if not (source / MANIFEST).is_file() or not (source / BACKUP_DB).is_file():
        raise BackupError(f"{source} is not a finished Bayegan backup",
                          "این پوشه پشتیبان کامل بایگان نیست.")
    if not force and library.catalog.count():
        raise BackupError("the catalog already holds documents; restore with --force to replace it",
                          "فهرست بایگانی خالی نیست؛ برای جایگزینی آن از --force استفاده کنید.")
    shas = _shas(source / BACKUP_DB)
    copied = 0
    for sha in shas:  # originals first: the catalog never names an original that is not there
        target = library.store.path_for(sha)
        if not target.is_file() or hash_file(target) != sha:
            if target.exists():
                target.unlink()
            _copy_verified(_store_path(source / "originals", sha), target, sha)
            copied += 1
    crash_point("restore.originals")
    library.close()
    _copy_sqlite(source / BACKUP_DB, db)
    crash_point("restore.catalog")
    library.reindex()  # also brings the restored catalog to the newest migration
    return BackupReport(str(source), len(shas), copied)


__all__ = ["BackupReport", "CheckReport", "backup", "catch_up_index", "check", "index_lexicon_ids", "restore",
           "retry_failed"]
