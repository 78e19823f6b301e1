"""Keeping an archive whole: index catch-up, ``bayegan check [--repair]``, backup and restore.

The catalog is the truth and the store holds the originals it names; the index is derived from the
catalog. So a check compares each original with its hash and the index with the catalog; a repair
rewrites the index records that differ; a backup is the catalog (SQLite's online backup API, a
consistent snapshot even while the watcher writes) and then the originals that snapshot names, which
were all fsynced before their catalog rows were committed and are never changed.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from archive import Document, hash_file
from archive.backup import BackupFolder, BackupReport, sqlite_path
from archive.errors import BackupError
from indexer.pipeline.failed import FailedFolder
from indexer.pipeline.indexing import index_documents, reindex
from indexer.pipeline.parts import Archive
from indexer.pipeline.records import version_of

log = logging.getLogger(__name__)
CATCH_UP_BATCH = 500
ORPHAN_AGE_S = 3600          # an original not in the catalog may be in flight for this long


def index_lexicon_ids(library: Archive) -> set[str]:
    """The document ids that have records in the index (fast: the ``doc_id`` field's terms)."""
    return library.index.indexed_ids() if library.index.exists() else set()


def catch_up_index(library: Archive) -> int:
    """Index every catalog document that the index lacks (after a crash between the catalog commit and
    the index commit, an interrupted bulk import, or a lost index). Returns how many were indexed."""
    missing = sorted(set(library.catalog.iter_ids()) - index_lexicon_ids(library))
    for start in range(0, len(missing), CATCH_UP_BATCH):
        index_documents(library, missing[start:start + CATCH_UP_BATCH])
    if missing:
        log.warning("indexed %d catalog documents the index lacked", len(missing))
    return len(missing)


def retry_failed(library: Archive, names: list[str] | None = None) -> list[str]:
    """Move failed files (all, or those named) back into the inbox (:meth:`FailedFolder.retry`)."""
    return FailedFolder(library.config.failed_dir).retry(library.config.inbox_dir, names)


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


def _index_counts(library: Archive) -> tuple[Counter, set[str], dict[str, str]]:
    """Document records per id, every id with any record, and each document record's version."""
    documents: Counter = Counter()
    any_record: set[str] = set()
    versions: dict[str, str] = {}
    if not library.index.exists():
        return documents, any_record, versions
    for doc_id, hit_type, version in library.index.records():
        any_record.add(doc_id)
        if hit_type == "document":
            documents[doc_id] += 1
            if version is not None:  # records written before versions were kept are not compared
                versions[doc_id] = version
    return documents, any_record, versions


def check(library: Archive, repair: bool = False) -> CheckReport:
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
    for path in library.store.stored():
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
        and versions[doc_id] != version_of(updated))
    if repair:
        rewrite = report.index_missing + report.index_duplicated + report.index_stale
        for start in range(0, len(rewrite), CATCH_UP_BATCH):
            index_documents(library, rewrite[start:start + CATCH_UP_BATCH])
        if report.index_extra:
            library.index.delete_documents(report.index_extra)
        report.repaired += [f"indexed {doc_id}" for doc_id in report.index_missing]
        report.repaired += [f"rewrote the duplicated records of {doc_id}" for doc_id in report.index_duplicated]
        report.repaired += [f"rewrote the stale records of {doc_id}" for doc_id in report.index_stale]
        report.repaired += [f"removed index records of unknown document {doc_id}" for doc_id in report.index_extra]
    return report


def backup(library: Archive, dest: Path) -> BackupReport:
    """Back up the catalog and the originals into ``dest`` (:class:`archive.backup.BackupFolder`).

    :raises BackupError: when the catalog is not SQLite or an original is damaged.
    """
    db = sqlite_path(library.config.database_url)
    library.catalog  # noqa: B018 - creates and migrates the catalog when it does not exist yet
    return BackupFolder(dest).write(db, library.store)


def restore(library: Archive, source: Path, force: bool = False) -> BackupReport:
    """Restore a backup made by :func:`backup` into this configuration's data folder, then rebuild the
    index. Refuses to replace a catalog that holds documents unless ``force``.

    :raises BackupError: when the folder is not a finished backup, an original in it is damaged, or
        the catalog is not empty and ``force`` is not given.
    """
    db = sqlite_path(library.config.database_url)
    folder = BackupFolder(source)
    folder.check_finished()
    if not force and library.catalog.count():
        raise BackupError("the catalog already holds documents; restore with --force to replace it",
                          "فهرست بایگانی خالی نیست؛ برای جایگزینی آن از --force استفاده کنید.")
    report = folder.restore_originals(library.store)
    library.close()
    folder.restore_catalog(db)
    reindex(library)  # also brings the restored catalog to the newest migration
    return report


__all__ = ["BackupReport", "CheckReport", "backup", "catch_up_index", "check", "index_lexicon_ids", "restore",
           "retry_failed"]
