"""Uploads from the browser or the API: each file lands in the inbox, and its progress is followed.

A file is written to a hidden name in the inbox (the watcher skips hidden names), fsynced, then
linked to its final name, which is the sender's file name made safe and unique; the sender's path
never reaches the filesystem. One small JSON record per upload, in ``<data_dir>/uploads/``, keeps
the name, size and SHA-256; the status is read from where the file is now:

- still in the inbox: ``queued``, or ``extracting`` once the ingest journal says the watcher took it
  (a transient failure being retried stays ``queued``, with its error);
- gone from the inbox, not yet in the catalog nor in failed/: ``extracting``;
- in the catalog (by SHA-256) and gone from the inbox: ``indexed`` once the journal no longer holds
  it open (between the catalog commit and the index commit it is still ``extracting``; ``duplicate``
  when the same bytes were archived before);
- in the failed folder: ``failed``, with the reason the ingest wrote beside it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
import unicodedata
from dataclasses import asdict, dataclass
from typing import BinaryIO

from archive import hash_file
from indexer import Library
from indexer.pipeline import (ARCHIVED, EXTRACTED, FAILING, RECEIVED, SKIPPED_SUFFIXES, FailedFolder, IngestJournal,
                              is_candidate)

TOKEN = re.compile(r"\A[0-9a-f]{24}\Z")
RECORDS = "uploads"
CHUNK = 1024 * 1024
MAX_STEM = 120
ALLOWED_MARKS = set(" ._-()[]\u200c")


def safe_filename(raw: str | None) -> str:
    """The last part of ``raw`` with anything but letters, digits, spaces and ``._-()[]`` and ZWNJ
    replaced, no leading dots, at most 120 characters before the extension. A name the inbox watcher
    would leave alone as a copy in progress (``x.pdf.part``, ``~$x.docx``) loses that mark: an upload
    is complete when it lands."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").split("/")[-1])
    name = "".join(c if c.isalnum() or c in ALLOWED_MARKS else "_" for c in name)
    name = " ".join(name.split()).strip(" .")
    while name and not is_candidate(name):
        for suffix in SKIPPED_SUFFIXES:
            if name.lower().endswith(suffix):
                name = name[:-len(suffix)]
        name = name.removeprefix("~$").strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = name, ""
    stem = stem[:MAX_STEM].strip(" .") or "upload"
    return f"{stem}.{suffix}" if suffix else stem


@dataclass
class Upload:
    token: str
    filename: str        # the name the file has in the inbox, and so in the archive
    size: int
    sha256: str
    user: str | None
    created: float
    existed: bool        # the same bytes were already archived when it was uploaded


class UploadTracker:
    """Puts uploaded files into the inbox and tells how far each one has got."""

    def __init__(self, library: Library):
        self.library = library
        self.inbox = library.config.inbox_dir
        self.failed = FailedFolder(library.config.failed_dir)
        self.records = library.config.data_dir / RECORDS

    def _unique_name(self, name: str, token: str) -> str:
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        candidates = [name, f"{stem} ({token[:8]}){dot}{suffix}", f"{stem} ({token}){dot}{suffix}"]
        for candidate in candidates:
            if not (self.inbox / candidate).exists() and not self.failed.holds(candidate):
                return candidate
        return candidates[-1]

    def receive(self, stream: BinaryIO, sent_name: str | None, user: str | None) -> Upload:
        """Write one uploaded file into the inbox and record it."""
        token = secrets.token_hex(12)
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.records.mkdir(parents=True, exist_ok=True)
        partial = self.inbox / f".upload-{token}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with open(partial, "xb") as out:
                while chunk := stream.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            while True:
                name = self._unique_name(safe_filename(sent_name), token)
                try:
                    os.link(partial, self.inbox / name)  # never replaces a file already there
                    break
                except FileExistsError:
                    continue
        finally:
            partial.unlink(missing_ok=True)
        sha = digest.hexdigest()
        with self.library.catalog.session() as session:
            existed = self.library.catalog.find_by_sha256(session, sha) is not None
        upload = Upload(token=token, filename=name, size=size, sha256=sha, user=user,
                        created=time.time(), existed=existed)
        record = self.records / f"{token}.json"
        tmp = record.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(upload), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, record)
        return upload

    def get(self, token: str) -> Upload | None:
        if not TOKEN.fullmatch(token or ""):
            return None
        try:
            return Upload(**json.loads((self.records / f"{token}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def recent(self, user: str | None, limit: int = 20) -> list[Upload]:
        """The latest uploads of ``user`` (of everyone when None), newest first."""
        if not self.records.is_dir():
            return []
        files = sorted(self.records.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        found = []
        for path in files:
            upload = self.get(path.stem)
            if upload and (user is None or upload.user == user):
                found.append(upload)
                if len(found) >= limit:
                    break
        return found

    def _failure_reason(self, upload: Upload) -> tuple[str, str] | None:
        """(Persian, English) reason when the file is in the failed folder."""
        for name in self.failed.copies_of(upload.filename):
            file, reason = self.failed.path / name, self.failed.reason(name)
            if reason is not None and file.is_file() and file.stat().st_size == upload.size:
                if upload.size > 10 * CHUNK or hash_file(file) == upload.sha256:
                    return reason
        return None

    def _journal_entry(self, upload: Upload):
        """The ingest journal's open entry for this file, when the watcher has taken it up."""
        return IngestJournal(self.library.catalog).open_entry(upload.filename)

    def status(self, upload: Upload) -> dict:
        """{"status", "id", "error", "error_en", "filename", "duplicate"} of one upload."""
        in_inbox = (self.inbox / upload.filename).exists()
        with self.library.catalog.session() as session:
            doc = self.library.catalog.find_by_sha256(session, upload.sha256)
            doc_id = doc.id if doc is not None else None
        result = {"status": "queued", "id": None, "error": None, "error_en": None,
                  "filename": upload.filename, "duplicate": upload.existed}
        if doc_id and not in_inbox:
            entry = self._journal_entry(upload)
            # the inbox copy is removed once the catalog holds the document, before the index commit
            waiting = entry is not None and entry.state == EXTRACTED
            result.update(status="extracting" if waiting else "indexed", id=None if waiting else doc_id)
        elif in_inbox:
            entry = self._journal_entry(upload)
            if entry is not None and entry.state in (RECEIVED, ARCHIVED, EXTRACTED):
                result.update(status="extracting")
            elif entry is not None and entry.state == FAILING:  # a transient failure, retried
                result.update(error=entry.error_fa, error_en=entry.error)
        else:
            reason = self._failure_reason(upload)
            if reason:
                result.update(status="failed", error=reason[0], error_en=reason[1])
            else:
                result.update(status="extracting")
        return result

