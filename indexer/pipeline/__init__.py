"""The ingest pipeline: files in (ingest, the inbox and its watcher, bulk import), the ingest journal
that makes every step survive a crash, the failed folder, and keeping the index in step with the
catalog (indexing, check, repair, reindex, backup and restore).

It works on an :class:`~indexer.pipeline.parts.Archive` (the Library is the one) and never imports
the Library itself.
"""
from indexer.pipeline.failed import FailedFile, FailedFolder
from indexer.pipeline.journal import ARCHIVED, EXTRACTED, FAILING, IN_PROGRESS_STATES, RECEIVED, IngestJournal
from indexer.pipeline.watch import SKIPPED_SUFFIXES, is_candidate

__all__ = ["ARCHIVED", "EXTRACTED", "FAILING", "FailedFile", "FailedFolder", "IN_PROGRESS_STATES",
           "IngestJournal", "RECEIVED", "SKIPPED_SUFFIXES", "is_candidate"]
