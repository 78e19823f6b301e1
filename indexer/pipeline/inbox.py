"""One inbox file into the archive, recorded step by step in the ingest journal.

:class:`InboxProcessor` holds the decisions: resume or duplicate, retry later or give up, when the inbox
copy may go. The watcher (``indexer/pipeline/watch.py``) only decides *when* a file is ready and calls it.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Callable

from archive import document_id_for
from archive.crash import crash_point
from archive.config import FolderRule
from indexer.pipeline.failed import FailedFolder
from indexer.pipeline.ingest import INDEX_BATCH, IngestResult, archive_file, move_to_failed
from indexer.pipeline.journal import (ARCHIVED, DUPLICATE, EXTRACTED, FAILED, FAILING, GONE, INDEXED, OPEN_STATES,
                             IngestJournal, journal_path)
from indexer.pipeline.indexing import index_documents
from indexer.pipeline.parts import Archive

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and after how long a transient failure is tried again: waits double from ``backoff_s``."""

    retries: int
    backoff_s: float

    def delay(self, attempts: int) -> float | None:
        """The wait before the next try after ``attempts`` failed tries, or None to give up."""
        if attempts > self.retries:
            return None
        return self.backoff_s * 2 ** (attempts - 1)


def folder_overrides(relative: PurePosixPath, rules: tuple[FolderRule, ...]) -> dict[str, str]:
    """The organization and kind that the file's inbox subfolders give it; an inner folder wins."""
    found: dict[str, str] = {}
    by_name = {rule.folder.casefold(): rule for rule in rules}
    for part in relative.parent.parts:
        rule = by_name.get(part.casefold())
        if rule is not None:
            found.update({k: v for k, v in (("organization", rule.organization), ("kind", rule.kind)) if v})
    return found


class InboxProcessor:
    """Takes inbox files one by one; their index records are written in batches by :meth:`flush`."""

    def __init__(self, library: Archive, clock: Callable[[], float] = time.monotonic):
        self.library = library
        self.inbox = library.config.inbox_dir
        self.journal = IngestJournal(library.catalog)
        self.policy = RetryPolicy(library.config.ingest.retries, library.config.ingest.retry_backoff_s)
        self.clock = clock
        self._not_before: dict[str, float] = {}
        self._to_index: list[tuple[int, IngestResult]] = []

    def waiting(self, relative: str) -> bool:
        """True while a file is waiting for its next try after a transient failure."""
        return self._not_before.get(relative, 0.0) > self.clock()

    def take(self, path: Path) -> IngestResult | None:
        """Archive one inbox file. Returns its result when final now (duplicate, failed); an archived
        file's result comes from the next :meth:`flush`; None when it will be tried again.

        An unexpected error (a bug, a full disk) is logged and the file waits before it is tried
        again, so one file can neither stop the watcher nor keep it busy.
        """
        relative = path.relative_to(self.inbox).as_posix()
        try:
            return self._take(path, relative)
        except Exception:
            log.exception("%s: unexpected error; trying again later", journal_path(relative))
            self._not_before[relative] = self.clock() + self.policy.backoff_s
            return None

    def _take(self, path: Path, relative: str) -> IngestResult | None:
        try:
            st = path.lstat()
        except FileNotFoundError:
            return None
        entry = self.journal.begin(relative, st.st_size, st.st_mtime_ns)
        if not path.is_file() or path.is_symlink():
            result = IngestResult(str(path), "failed", error="not a regular file",
                                  error_fa="این مورد پرونده‌ای معمولی نیست (پیوند یا دستگاه).")
        else:
            result = archive_file(
                self.library, path, overrides=folder_overrides(PurePosixPath(relative),
                                                               self.library.config.ingest.folder_rules),
                on_stored=lambda sha: self.journal.advance(entry.id, ARCHIVED, sha256=sha))
        if result.status == "duplicate" and entry.sha256 and document_id_for(entry.sha256) == result.id:
            result = replace(result, status="indexed")  # ours: archived before a crash, now finished
        if result.status == "indexed":
            self.journal.advance(entry.id, EXTRACTED, document_id=result.id, error=None, error_fa=None)
            path.unlink(missing_ok=True)
            crash_point("inbox.removed")
            self._not_before.pop(relative, None)
            self._to_index.append((entry.id, result))
            return None
        if result.status == "duplicate":
            self.journal.advance(entry.id, DUPLICATE, document_id=result.id)
            path.unlink(missing_ok=True)
            self._not_before.pop(relative, None)
            return result
        if result.transient:
            attempts = self.journal.count_attempt(entry.id, result.error, result.error_fa)
            delay = self.policy.delay(attempts)
            if delay is not None:
                log.warning("%s: %s; trying again in %.0f s", relative, result.error, delay)
                self._not_before[relative] = self.clock() + delay
                return None
        self._not_before.pop(relative, None)
        target = FailedFolder(self.library.config.failed_dir).target_for(path.name)
        self.journal.advance(entry.id, FAILING, failed_name=target.name, error=result.error,
                             error_fa=result.error_fa)
        crash_point("inbox.failing")
        move_to_failed(self.library, path, result, target)
        crash_point("inbox.failed_moved")
        self.journal.advance(entry.id, FAILED)
        return result

    @property
    def pending(self) -> int:
        return len(self._to_index)

    def flush(self) -> list[IngestResult]:
        """Write the archived files' index records in one commit, then record them as indexed."""
        if not self._to_index:
            return []
        batch, self._to_index = self._to_index, []
        try:
            index_documents(self.library, [r.id for _, r in batch])  # type: ignore[misc]
        except BaseException:
            self._to_index = batch + self._to_index
            raise
        self.journal.advance_many([entry_id for entry_id, _ in batch], INDEXED)
        return [r for _, r in batch]

    def take_and_flush(self, path: Path) -> list[IngestResult]:
        result = self.take(path)
        done = [result] if result is not None else []
        if self.pending >= INDEX_BATCH:
            done += self.flush()
        return done

    def recover(self) -> list[IngestResult]:
        """After a start (perhaps after a crash): finish what the journal shows unfinished.

        Files still in the inbox are left to the next scan (their open entries are taken up again);
        archived files whose inbox copy is gone are indexed; files half moved to failed/ are recorded.
        """
        for entry in self.journal.entries(OPEN_STATES):
            path = self.inbox / entry.path
            if path.exists() or path.is_symlink():
                continue
            if entry.state == EXTRACTED and entry.document_id:
                self._to_index.append((entry.id, IngestResult(str(path), "indexed", id=entry.document_id)))
            elif entry.state == FAILING and entry.failed_name and \
                    FailedFolder(self.library.config.failed_dir).holds(entry.failed_name):
                self.journal.advance(entry.id, FAILED)
            else:
                log.warning("%s left the inbox before it was archived", entry.path)
                self.journal.advance(entry.id, GONE)
        return self.flush()


__all__ = ["InboxProcessor", "RetryPolicy", "folder_overrides"]
