"""The inbox watcher: takes a file only once it has stopped changing, then ingests it.

The decision "is this file stable" lives in :class:`FileStabilityTracker`, which is given the clock,
so it is tested without threads or sleeps; what happens to a taken file is decided by
:class:`~indexer.pipeline.inbox.InboxProcessor`. :class:`InboxWatcher` is the thin loop around both: a scan of
the inbox every ``ingest.poll_interval_s`` (the only way to see files on a network share), woken
early by inotify events through watchdog when ``ingest.watch_mode`` is ``inotify``.
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from archive import hash_file
from indexer.pipeline.inbox import InboxProcessor
from indexer.pipeline.ingest import INDEX_BATCH, IngestResult
from indexer.pipeline.parts import Archive

log = logging.getLogger(__name__)
IDLE_WAIT_S = 30          # inotify mode, nothing pending: the safety rescan
SKIPPED_PREFIXES = (".", "~$")                       # hidden files, Office owner files
SKIPPED_SUFFIXES = (".part", ".partial", ".crdownload", ".tmp")  # copies still in progress


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

    @property
    def tracking(self) -> int:
        """How many files are being watched until they are stable."""
        return len(self._seen)

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    def prune(self, present: set[Path]) -> None:
        for path in list(self._seen):
            if path not in present:
                del self._seen[path]


def is_ready(path: Path) -> bool:
    """True when the file can be opened and read, and no other process holds a lock on it
    (a copy still being written by a client that locks, as Windows clients over SMB do)."""
    try:
        with open(path, "rb") as fh:
            fh.read(1)
            for lock, unlock in ((fcntl.flock, fcntl.flock), (fcntl.lockf, fcntl.lockf)):
                lock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                unlock(fh.fileno(), fcntl.LOCK_UN)
        return True
    except OSError:
        return False


def is_candidate(name: str) -> bool:
    """Files the inbox ignores: hidden, Office owner files, downloads and copies still in progress."""
    return not name.startswith(SKIPPED_PREFIXES) and not name.lower().endswith(SKIPPED_SUFFIXES)


def _distinct_contents(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files that may be archived at the same time (their bytes differ), and the copies of those,
    archived after them: two threads must not store, extract and maybe discard the same original."""
    seen: set[str] = set()
    together, after = [], []
    for path in paths:
        try:
            sha = "" if path.is_symlink() else hash_file(path)
        except OSError:
            sha = ""
        (after if sha and sha in seen else together).append(path)
        seen.add(sha)
    return together, after


class InboxWatcher:
    """Scans the inbox and ingests each stable file."""

    def __init__(self, library: Archive, clock: Callable[[], float] = time.monotonic,
                 on_result: Callable[[IngestResult], None] | None = None):
        self.library = library
        self.inbox = library.config.inbox_dir
        self.tracker = FileStabilityTracker(library.config.ingest.stable_seconds, clock)
        self.processor = InboxProcessor(library, clock)
        self.on_result = on_result
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._recovered = False
        self.threads = max(1, library.config.ingest.workers or os.cpu_count() or 1)

    def _candidates(self) -> list[Path]:
        found = []
        for root, dirs, files in os.walk(self.inbox):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(root) / f for f in sorted(files) if is_candidate(f))
        return found

    def _report(self, results: list[IngestResult]) -> list[IngestResult]:
        for result in results:
            log.info("%s: %s %s", result.path, result.status, result.id or result.error)
            if self.on_result:
                self.on_result(result)
        return results

    def recover(self) -> list[IngestResult]:
        """Finish what a previous run left unfinished (see :meth:`InboxProcessor.recover`), then index
        every catalog document the index lacks."""
        from indexer.pipeline.maintenance import catch_up_index

        results = self._report(self.processor.recover())
        catch_up_index(self.library)
        self._recovered = True
        return results

    def scan_once(self, wait_for_stable: bool = True) -> list[IngestResult]:
        """One pass over the inbox: ingest every file that is stable (or every file, when not waiting)."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        results = [] if self._recovered else self.recover()
        files = self._candidates()
        self.tracker.prune(set(files))
        ready = []
        for path in files:
            try:
                st = path.lstat()
            except FileNotFoundError:
                continue
            stable = self.tracker.observe(path, st.st_size, st.st_mtime_ns)
            if wait_for_stable and not stable:
                continue
            if self.processor.waiting(path.relative_to(self.inbox).as_posix()):
                continue
            if not path.is_symlink() and not is_ready(path):
                continue
            self.tracker.forget(path)
            ready.append(path)
        # extraction runs in child processes, so a few files at a time overlap their waits; each batch
        # is then indexed in one commit
        with ThreadPoolExecutor(self.threads, thread_name_prefix="inbox") as pool:
            for start in range(0, len(ready), INDEX_BATCH):
                if self._stop.is_set():
                    break
                together, after = _distinct_contents(ready[start:start + INDEX_BATCH])
                taken = list(pool.map(self.processor.take, together)) + [self.processor.take(p) for p in after]
                results += self._report([r for r in taken if r is not None])
                results += self._report(self.processor.flush())
        results += self._report(self.processor.flush())
        return results

    def run_once(self) -> list[IngestResult]:
        """Process what is in the inbox now, waiting for files still being written: it gives up once
        a while (ten times ``stable_seconds``, at least 10 s) has passed without a file leaving the
        inbox, never while files are leaving it (a large inbox on a busy machine is processed to its
        end; a file that keeps failing for a passing cause does not keep it waiting)."""
        results = self.scan_once(wait_for_stable=False) if self.tracker.stable_seconds <= 0 else []
        patience = 10 * max(self.tracker.stable_seconds, 1)
        deadline = time.monotonic() + patience
        while self._candidates() and time.monotonic() < deadline:
            taken = self.scan_once()
            if any(not r.transient for r in taken):  # files left the inbox: archived or moved to failed
                deadline = time.monotonic() + patience
            results += taken
            time.sleep(min(0.5, self.library.config.ingest.poll_interval_s))
        return results

    def _start_observer(self):
        """A watchdog inotify observer that wakes the loop on any change, or None in polling mode."""
        if self.library.config.ingest.watch_mode != "inotify":
            return None
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        wake = self._wake

        class _WakeOnChange(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                wake.set()

        observer = Observer()
        try:
            observer.schedule(_WakeOnChange(), str(self.inbox), recursive=True)
            observer.start()
        except OSError as exc:  # inotify watches exhausted, or a file system without inotify
            log.warning("inotify unavailable (%s); polling %s", exc, self.inbox)
            return None
        return observer

    def run_forever(self) -> None:
        """Watch until :meth:`stop`; one watcher per data folder (a lock file keeps a second one waiting)."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        lock = open(self.library.config.data_dir / ".watcher.lock", "a+b")
        try:
            while not self._stop.is_set():
                try:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    log.warning("another watcher is running on %s; waiting", self.inbox)
                    self._stop.wait(max(self.library.config.ingest.poll_interval_s, 1))
            observer = self._start_observer()
            log.info("watching %s (%s)", self.inbox, "inotify" if observer else "polling")
            try:
                self._loop(observer is not None)
            finally:
                if observer is not None:
                    observer.stop()
                    observer.join()
        finally:
            lock.close()

    def _loop(self, notified: bool) -> None:
        poll = self.library.config.ingest.poll_interval_s
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.scan_once()
            except Exception:  # the watcher must never stop; the error is logged with its trace
                log.exception("inbox pass failed")
            idle = notified and not self.tracker.tracking and not self.processor.pending
            if self._wake.wait(IDLE_WAIT_S if idle else poll):
                self._stop.wait(min(poll, 0.5))  # a copy in progress sends many events: scan at most twice a second

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
