"""The ingest pipeline: hash → store → extract → catalog → index.

``ingest_paths`` copies (never moves or deletes its sources); ``ingest_inbox_file`` removes an inbox
file only after its original is fsynced in the store and recorded in the catalog, and moves a file
that fails to the failed folder beside a reason file in Persian and English.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy.exc import IntegrityError

from archive import ArchiveError, Document, Page, Resolution, document_id_for, hash_file
from archive.crash import crash_point
from indexer.errors import EmptyFile, ExtractionTimeout, FileTooLarge, IndexerError
from indexer.extract import Attachment
from indexer.pipeline.failed import FailedFolder
from indexer.pipeline.indexing import index_documents
from indexer.pipeline.parts import Archive
from indexer.metadata.corrections import assign_metadata
from indexer.pipeline.reading import read_stored
from indexer.search import persian

log = logging.getLogger(__name__)
INDEX_BATCH = 50
MAX_BEHIND = 1000  # documents archived but not yet given to the index writer, at most (bulk ingest)


@dataclass
class IngestResult:
    path: str
    status: str                 # "indexed" | "duplicate" | "failed"
    id: str | None = None
    error: str | None = None    # English
    error_fa: str | None = None
    transient: bool = False     # worth trying again later (timeout, locked or unreadable file)

    def to_json(self) -> dict:
        return {"path": self.path, "status": self.status, "id": self.id, "error": self.error}


def _fail(path: Path, exc: Exception) -> IngestResult:
    if isinstance(exc, IndexerError):
        return IngestResult(str(path), "failed", error=str(exc), error_fa=exc.message_fa,
                            transient=isinstance(exc, ExtractionTimeout))
    if isinstance(exc, ArchiveError):
        return IngestResult(str(path), "failed", error=str(exc), error_fa="ذخیرهٔ پرونده در بایگانی ممکن نشد.",
                            transient=True)
    if isinstance(exc, OSError):
        return IngestResult(str(path), "failed", error=f"cannot read the file: {exc.strerror or exc}",
                            error_fa="پرونده خوانده نشد.", transient=not isinstance(exc, FileNotFoundError))
    raise exc


def archive_file(library: Archive, path: Path, original_name: str | None = None,
                 parent_id: str | None = None, *, overrides: dict[str, str] | None = None,
                 on_stored: Callable[[str], None] | None = None) -> IngestResult:
    """Hash, store, extract and catalog one file; the index is written by the caller in batches.

    ``overrides`` (organization, kind) replace what the text says; ``on_stored`` is told the SHA-256
    once the original is fsynced in the store, before it is extracted (the inbox journal records it).
    """
    try:
        size = path.stat().st_size
        if size == 0:
            raise EmptyFile()
        if size > library.config.ingest.max_file_mb * 1024 * 1024:
            raise FileTooLarge(f"file is larger than {library.config.ingest.max_file_mb} MB",
                               f"حجم پرونده از {library.config.ingest.max_file_mb} مگابایت بیشتر است.")
        sha = hash_file(path)
        with library.catalog.session() as session:
            known = library.catalog.find_by_sha256(session, sha)
            if known is not None:
                return IngestResult(str(path), "duplicate", id=known.id)
        sha = library.store.put(path)
        crash_point("ingest.stored")
        if on_stored is not None:
            on_stored(sha)
        stored = library.store.path_for(sha)
        name = original_name or path.name
        try:
            reading = read_stored(stored, name, library.config.organizations,
                                  timeout=library.config.ingest.extract_timeout_s,
                                  analyses=library.analyses, prepare_text=library.index.prepare_text)
        except Exception:
            with library.catalog.session() as session:
                if library.catalog.find_by_sha256(session, sha) is None:
                    stored.unlink(missing_ok=True)
            raise
        crash_point("ingest.extracted")
        extraction, meta = reading.extraction, reading.meta
        if overrides:
            apply_overrides(meta, overrides)
        doc = Document(
            id=document_id_for(sha), sha256=sha, filename=name, mime=extraction.mime, size=size,
            title=meta.title, kind=meta.kind, kind_reasons=json.dumps(meta.kind_reasons, ensure_ascii=False),
            date_jalali=meta.date_jalali, date_gregorian=meta.date_gregorian, number=meta.number,
            organization=meta.organization, parent_id=parent_id,
            pages=[Page(number=i + 1, text=p.text, ocr=p.ocr, ocr_confidence=p.ocr_confidence,
                        ocr_reason=p.ocr_reason)
                   for i, p in enumerate(extraction.pages)],
            resolutions=[Resolution(ordinal=i + 1, number=r.number, text=r.text)
                         for i, r in enumerate(meta.resolutions)],
        )
        assign_metadata(doc, meta, library.config.organizations)
        try:
            with library.catalog.session() as session:
                session.add(doc)
        except IntegrityError:
            with library.catalog.session() as session:
                known = library.catalog.find_by_sha256(session, sha)
            if known is None:
                raise
            return IngestResult(str(path), "duplicate", id=known.id)
        crash_point("ingest.cataloged")
        if extraction.attachments:
            archive_attachments(library, doc.id, extraction.attachments)
        return IngestResult(str(path), "indexed", id=doc.id)
    except (IndexerError, ArchiveError, OSError) as exc:
        return _fail(path, exc)


def archive_attachments(library: Archive, parent_id: str, attachments: list[Attachment]) -> list[IngestResult]:
    """Archive each attachment of an e-mail as a document of its own linked to the message, and index
    those archived (the message itself is indexed by the caller, like any file). An attachment that
    fails is logged: its bytes stay in the archived message."""
    results = []
    with tempfile.TemporaryDirectory(prefix="bayegan-attachments-") as tmp:
        for n, attachment in enumerate(attachments, 1):
            path = Path(tmp) / f"attachment-{n:03d}"  # the sender's file name never reaches the disk
            path.write_bytes(attachment.data)
            result = archive_file(library, path, original_name=attachment.filename, parent_id=parent_id)
            if result.status == "failed":
                log.warning("attachment %r of %s failed: %s", attachment.filename, parent_id, result.error)
            results.append(result)
    index_documents(library, [r.id for r in results if r.status == "indexed"])  # type: ignore[misc]
    return results


def apply_overrides(meta, overrides: dict[str, str]) -> None:
    """An inbox subfolder's rule (``ingest.folder_rules``) wins over what the text says."""
    for key in ("organization", "kind"):
        if overrides.get(key):
            setattr(meta, key, overrides[key])


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files named and files inside folders named (recursively, sorted, hidden files skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path


def archive_path(library: Archive, path: str | os.PathLike) -> IngestResult:
    """:func:`archive_file` for a path that may have gone since it was listed."""
    path = Path(path)
    if not path.exists():
        return IngestResult(str(path), "failed", error="no such file", error_fa="چنین پرونده‌ای وجود ندارد.")
    return archive_file(library, path)


class IndexBatch:
    """Documents archived but not yet indexed: written to the index ``INDEX_BATCH`` at a time, and the
    rest on :meth:`close`.

    ``background``: the batches are written by a thread of their own, one at a time, while the caller
    goes on archiving (a bulk import: the index's analysis is Python, and the extraction children work
    meanwhile; a batch waiting for the writer grows, up to ``MAX_BEHIND`` documents); that thread loads
    the analysis (hazm, seconds) before the first batch is full.
    A batch's error is raised by the next :meth:`flush` or by :meth:`close`.
    """

    def __init__(self, library: Archive, background: bool = False):
        self.library = library
        self.pending: list[str] = []
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="index") if background else None
        self._writing: Future | None = None
        if self._writer is not None and library.index.prepare_text is None:
            # Whoosh analyzes the records' text here: hazm is loaded before the first batch is full
            # (on an engine fed terms made ahead, the extraction children analyze, and hazm may
            # never be needed here: indexer.search.persian.SharedWords)
            self._writing = self._writer.submit(persian.preload)

    def add(self, result: IngestResult) -> None:
        if result.status != "indexed":
            return
        self.pending.append(result.id)  # type: ignore[arg-type]
        if len(self.pending) < INDEX_BATCH:
            return
        # in the background, archiving goes on while a batch is written (a Whoosh commit that merges
        # segments takes minutes in a large archive): the next batch grows until the writer is free,
        # up to MAX_BEHIND documents, how far the index may lag behind the catalog
        if self._writing is None or self._writing.done() or len(self.pending) >= MAX_BEHIND:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        if self._writer is None:
            self._write(pending)
            return
        self._wait()
        self._writing = self._writer.submit(self._write, pending)

    def close(self) -> None:
        """Write what is pending and wait for every batch."""
        try:
            self.flush()
            self._wait()
        finally:
            if self._writer is not None:
                self._writer.shutdown(wait=True)

    def _write(self, ids: list[str]) -> None:
        index_documents(self.library, ids)
        crash_point("bulk.batch")

    def _wait(self) -> None:
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()


def ingest_paths(library: Archive, paths: Iterable[str | os.PathLike],
                 on_result: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
    """Archive and index files and folders, leaving the sources where they are."""
    results: list[IngestResult] = []
    batch = IndexBatch(library)
    for path in iter_files(paths):
        result = archive_path(library, path)
        batch.add(result)
        results.append(result)
        if on_result:
            on_result(result)
    batch.close()
    return results


def move_to_failed(library: Archive, path: Path, result: IngestResult, target: Path | None = None) -> Path:
    """Move a failed inbox file into the failed folder beside its reason (:mod:`indexer.pipeline.failed`)."""
    return FailedFolder(library.config.failed_dir).put(path, result.error_fa or "", result.error or "", target)


def ingest_inbox_file(library: Archive, path: Path) -> IngestResult:
    """Archive and index one inbox file, then remove it from the inbox (or move it to failed/)."""
    result = archive_file(library, path)
    if result.status == "failed":
        move_to_failed(library, path, result)
        return result
    if result.status == "indexed":
        index_documents(library, [result.id])  # type: ignore[list-item]
    path.unlink()
    return result


__all__ = ["IngestResult", "apply_overrides", "archive_file", "ingest_paths",
           "ingest_inbox_file", "iter_files", "move_to_failed"]
