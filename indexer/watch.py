"""The inbox watcher: takes a file only once it has stopped changing, then ingests it.

The decision "is this file stable" lives in :class:`FileStabilityTracker`, which is given the clock,
so it is tested without threads or sleeps; :class:`InboxWatcher` is the thin loop around it.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from indexer.ingest import IngestResult, ingest_inbox_file
from indexer.library import Library

log = logging.getLogger(__name__)


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


class FileStabilityTracker:
    """Remembers each file's size and mtime; a file is stable once both have not changed for
    ``stable_seconds`` by the given clock."""

    def __init__(self, stable_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.stable_seconds = stable_seconds
        self.clock = clock
        self._seen: dict[Path, _Seen] = {}

    def observe(self, path: Path, size: int, mtime_ns: int) -> bool:
        """Record what the file looks like now; True when it is stable."""
        now = self.clock()
        seen = self._seen.get(path)
        if seen is None or seen.size != size or seen.mtime_ns != mtime_ns:
            self._seen[path] = _Seen(size, mtime_ns, now)
            return self.stable_seconds <= 0
        return now - seen.since >= self.stable_seconds

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    def prune(self, present: set[Path]) -> None:
        for path in list(self._seen):
            if path not in present:
                del self._seen[path]


def _readable(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            fh.read(1)
        return True
    except OSError:
        return False


class InboxWatcher:
    """Polls the inbox and ingests each stable file."""

    def __init__(self, library: Library, clock: Callable[[], float] = time.monotonic,
                 on_result: Callable[[IngestResult], None] | None = None):
        self.library = library
        self.inbox = library.config.inbox_dir
        self.tracker = FileStabilityTracker(library.config.ingest.stable_seconds, clock)
        self.on_result = on_result
        self._stop = threading.Event()

    def _candidates(self) -> list[Path]:
        found = []
        for root, dirs, files in os.walk(self.inbox):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
        return found

    def scan_once(self, wait_for_stable: bool = True) -> list[IngestResult]:
        """One pass over the inbox: ingest every file that is stable (or every file, when not waiting)."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        results = []
        files = self._candidates()
        self.tracker.prune(set(files))
        for path in files:
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            stable = self.tracker.observe(path, st.st_size, st.st_mtime_ns)
            if (wait_for_stable and not stable) or not _readable(path):
                continue
            result = ingest_inbox_file(self.library, path)
            self.tracker.forget(path)
            log.info("%s: %s %s", path.name, result.status, result.id or result.error)
            results.append(result)
            if self.on_result:
                self.on_result(result)
        return results

    def run_once(self) -> list[IngestResult]:
        """Process what is in the inbox now, waiting for files still being written."""
        results = self.scan_once(wait_for_stable=False) if self.tracker.stable_seconds <= 0 else []
        deadline = time.monotonic() + 10 * max(self.tracker.stable_seconds, 1)
        while self._candidates() and time.monotonic() < deadline:
            results += self.scan_once()
            time.sleep(min(0.5, self.library.config.ingest.poll_interval_s))
        return results

    def run_forever(self) -> None:
        log.info("watching %s", self.inbox)
        while not self._stop.is_set():
            try:
                self.scan_once()
            except Exception:  # the watcher must never stop; the error is logged with its trace
                log.exception("inbox pass failed")
            self._stop.wait(self.library.config.ingest.poll_interval_s)

    def stop(self) -> None:
        self._stop.set()
