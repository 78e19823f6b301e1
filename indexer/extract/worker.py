"""Extraction in separate processes with a time limit, each process reading file after file.

A hostile file (a PDF whose content never ends, a file that crashes a C library) must cost one
failed file, never the batch or the server. Files are read in child processes that lead their own
process groups, so when the time limit passes the child and its Tesseract processes are killed together,
and the next file gets a new child. The limit is on silence, not on the whole file: the child reports
each page it has read by OCR, and each report starts the time limit again, so a 500-page scan is read
to its end while a file that makes no progress is stopped.

A child reads up to ``MAX_FILES`` files, one at a time, then is replaced: starting one per file cost
~40 ms of fork and exit, a third of what reading a small file costs. It is replaced sooner when it
grew past ``MAX_RSS_MB`` or a reader failed with an unexpected error in it (its state is suspect), and
it ends by itself after ``IDLE_SECONDS`` without a file (a server keeps no idle readers for long).
Each child's temporary files live in a folder of its own, removed when the child ends, however it ends
(a child killed in the middle of OCR leaves no page images behind).

Children are forked from a forkserver that has already imported the extractors and loaded the Persian
word list (two seconds), and the modules the program's main module imports: multiprocessing runs the
main module again in each child, which cost a second a file when the forkserver lacked them (``bayegan
ingest`` imported Flask in every child).
"""
from __future__ import annotations

import atexit
import gc
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import types
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, TypeVar

from indexer.errors import CorruptFile, ExtractionError, ExtractionTimeout, IndexerError
from indexer.extract.result import Extraction
from indexer.logsetup import configure_logging, current_level

log = logging.getLogger(__name__)
MAX_FILES = 200          # files a child reads before it is replaced
MAX_RSS_MB = 1024        # a child that grew past this is replaced after its file
IDLE_SECONDS = 60.0      # a child with nothing to read for this long ends
_PRELOAD = ["indexer.extract.preload"]
_context = None
T = TypeVar("T")


def preload_in_children(*modules: str) -> None:
    """Have the forkserver import ``modules`` too (a reader passed to :func:`extract_in_worker` and what
    it needs warm); to be called before the first extraction, as a module's import does."""
    if _context is not None:
        log.warning("the extraction forkserver has started already; %s will be imported by each child", modules)
    _PRELOAD.extend(m for m in modules if m not in _PRELOAD)


def reader_modules() -> list[str]:
    """The modules the forkserver imports for the readers (besides the main module's, see
    :func:`main_imports`): the extractors' and those named by :func:`preload_in_children`."""
    return list(_PRELOAD)


def _ctx():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(_PRELOAD + main_imports())
    return _context


# A main module started with ``-m`` is among what the forkserver imports (main_imports), and
# multiprocessing runs it again by name in each child it prepares: runpy warns that it finds the module
# imported already. Expected here; set when the forkserver imports this module, inherited by its children.
warnings.filterwarnings("ignore", message=r"'[\w.]+' found in sys\.modules after import of package",
                        category=RuntimeWarning, module="runpy")


def main_imports() -> list[str]:
    """The modules a child imports again when multiprocessing prepares it: the main module when it was
    started with ``-m`` (none for a package's ``__main__``, which multiprocessing leaves alone), else
    the modules a main script took its names from (``bayegan``'s ``from search_web.cli import main``)."""
    main = sys.modules.get("__main__")
    if main is None:
        return []
    name = getattr(getattr(main, "__spec__", None), "name", None)
    if name is not None:
        return [] if name == "__main__" or name.endswith(".__main__") else [name]
    modules = set()
    for key, value in vars(main).items():
        if key.startswith("__"):
            continue
        module = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        if isinstance(module, str) and module not in ("__main__", "builtins") and module in sys.modules:
            modules.add(module)
    return sorted(modules)


# ---- the child ---------------------------------------------------------------------------------------

def _rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _serve(conn, tmp: str, idle: float, max_files: int, max_rss_mb: float, log_level: int) -> None:
    """Read the files the parent sends, one at a time: ``(seq, path, reader)`` in; ``(seq, "taken")``,
    then ``(seq, "page")`` per page read by OCR, then ``(seq, status, (payload, retiring))`` out."""
    os.setpgrp()
    configure_logging(log_level)
    # What the forkserver loaded (the extractors, hazm's tables: over 100,000 objects) lives as long as
    # this child: frozen, the collector stops scanning it at each full collection (a quarter of this
    # child's collection time; Python's gc docs advise it for forked children; an O(1) list splice)
    gc.freeze()
    try:
        os.mkdir(tmp, 0o700)  # made here, not by the parent: a parent gone before this never leaves it
    except OSError:
        return  # the parent sees the child gone before it took a file (_Gone) and starts another
    tempfile.tempdir = tmp
    os.environ["TMPDIR"] = tmp
    from indexer.extract import ocr
    from indexer.extract.read import extract

    lock = threading.Lock()
    current = 0  # the file being read; a pool thread's late page report of an earlier one is dropped

    def send(seq: int, status: str, payload=None) -> None:
        with lock:
            if seq == current:
                conn.send((seq, status, payload))

    try:
        for done in range(1, max_files + 1):
            if not conn.poll(idle):
                break
            request = conn.recv()
            if request is None:
                break
            seq, path, reader = request
            with lock:
                current = seq
            send(seq, "taken")
            ocr.report_pages_to(lambda seq=seq: send(seq, "page"))
            try:
                status, payload = "ok", (reader or extract)(path)
            except IndexerError as exc:
                status, payload = "error", exc
            except Exception as exc:  # a reader's bug must reach the parent as a failed file, with its cause
                status, payload = "crash", f"{type(exc).__name__}: {exc}"
            retiring = status == "crash" or done == max_files or _rss_mb() > max_rss_mb
            send(seq, status, (payload, retiring))
            with lock:
                current = 0
            if retiring:
                break
    except (EOFError, OSError):  # the parent went away
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- the parent --------------------------------------------------------------------------------------

class _Gone(Exception):
    """The child ended before it took the file (it had been idle too long): not the file's fault."""


class _Reader:
    """One child process and its end of the pipe, used by one thread at a time."""

    def __init__(self, ctx):
        # the child makes this folder (a random name: nobody can make it first on purpose) and removes it
        # when it ends; so does end(), for a child killed
        self.tmp = os.path.join(tempfile.gettempdir(), f"bayegan-extract-{uuid.uuid4().hex}")
        self.conn, theirs = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, name="bayegan-extract", daemon=True,
                                args=(theirs, self.tmp, IDLE_SECONDS, MAX_FILES, MAX_RSS_MB, current_level()))
        self.proc.start()
        theirs.close()
        self.seq = 0
        self.idle_since = time.monotonic()
        self.usable = True

    def read(self, path: str, reader, timeout: float):
        try:
            return self._read(path, reader, timeout)
        except (_Gone, IndexerError):
            raise
        except BaseException:  # Ctrl-C or a bug here: the child may be mid-file, never hand it out again
            self.kill()
            raise

    def _read(self, path: str, reader, timeout: float):
        self.seq += 1
        try:
            self.conn.send((self.seq, path, reader))
        except OSError as exc:
            self.end()
            raise _Gone() from exc
        taken = False
        while True:
            if not self.conn.poll(timeout):
                self.kill()
                raise ExtractionTimeout(f"reading the file took longer than {timeout:g} s",
                                        f"خواندن پرونده بیش از {timeout:g} ثانیه طول کشید و متوقف شد.")
            try:
                seq, status, payload = self.conn.recv()
            except (EOFError, OSError) as exc:
                self.end()
                if not taken:
                    raise _Gone() from exc
                raise CorruptFile(f"the reader stopped on this file (exit code {self.proc.exitcode})",
                                  "خواندن پرونده با خطا متوقف شد؛ پرونده احتمالاً خراب است.") from exc
            if seq != self.seq or status == "page":
                continue
            if status == "taken":
                taken = True
                continue
            payload, retiring = payload
            if retiring:
                self.end()
            self.idle_since = time.monotonic()
            return status, payload

    def kill(self) -> None:
        """Kill the child with its Tesseract processes (its process group)."""
        self._signal()
        self.end()

    def end(self) -> None:
        """Let the child go (it ends when its pipe closes) and remove its temporary folder."""
        self.usable = False
        self.conn.close()
        self.proc.join(10)
        if self.proc.is_alive():
            self._signal()
            self.proc.join(10)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _signal(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.proc.kill()


class _Readers:
    """The idle children of this process, handed to one caller at a time. A caller finding none waits
    for a child being started ahead (:func:`warm_up`) rather than starting one more, and, while a limit
    is set (:func:`readers_at_most`), for a child to come back once that many are alive."""

    def __init__(self):
        self.pid = os.getpid()
        self.idle: list[_Reader] = []
        self.lock = threading.Condition()
        self.coming = 0  # children being started ahead
        self.alive = 0   # children started and not yet ended (idle, reading, or coming)
        self.limit: int | None = None
        self.waiting = 0  # callers waiting for a child

    def take(self) -> _Reader:
        stale = []
        with self.lock:
            while True:
                reader = None
                while self.idle:
                    candidate = self.idle.pop()
                    if candidate.proc.is_alive() and time.monotonic() - candidate.idle_since < IDLE_SECONDS / 2:
                        reader = candidate
                        break
                    stale.append(candidate)
                    self.alive -= 1
                if reader is not None:
                    break
                if self.coming == 0 and (self.limit is None or self.alive < self.limit):
                    self.alive += 1  # the caller starts one below, outside the lock
                    break
                self.waiting += 1
                try:
                    self.lock.wait()
                finally:
                    self.waiting -= 1
        for old in stale:
            old.end()
        if reader is not None:
            return reader
        try:
            return _Reader(_ctx())
        except BaseException:
            self._ended()
            raise

    def give(self, reader: _Reader) -> None:
        if reader.usable:
            with self.lock:
                self.idle.append(reader)
                self.lock.notify()
        else:
            self._ended()

    def _ended(self) -> None:
        """A child handed out is gone: a caller waiting under the limit may start another."""
        with self.lock:
            self.alive -= 1
            self.lock.notify()

    def expect(self, count: int) -> None:
        """Say that ``count`` children will be started ahead (by :meth:`start_ahead`)."""
        with self.lock:
            self.coming += count
            self.alive += count

    def start_ahead(self, count: int) -> None:
        """Start the ``count`` children announced by :meth:`expect`, one after the other."""
        for started in range(count):
            try:
                reader = _Reader(_ctx())
            except Exception:  # a reader that cannot start here will fail its first file, with a reason
                log.warning("extraction children could not be started ahead", exc_info=True)
                with self.lock:
                    self.coming -= count - started
                    self.alive -= count - started
                    self.lock.notify_all()
                return
            with self.lock:
                self.coming -= 1
                self.idle.append(reader)
                self.lock.notify()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
            self.alive -= len(idle)
        for reader in idle:
            reader.end()


_readers: _Readers | None = None
_readers_lock = threading.Lock()


def _pool() -> _Readers:
    global _readers
    with _readers_lock:
        if _readers is None or _readers.pid != os.getpid():  # a forked process starts its own
            _readers = _Readers()
            atexit.register(_readers.close)
        return _readers


def extract_in_worker(path: str | Path, timeout: float = 120,
                      reader: Callable[[str], T] | None = None) -> Extraction | T:
    """:func:`indexer.extract.extract` in a child process, killed when ``timeout`` seconds pass
    without a result or a page read. ``reader`` (picklable, its module preloaded with
    :func:`preload_in_children`) replaces ``extract`` there: it extracts and reads more of the file
    in the child, off the calling process.

    :raises ExtractionTimeout: when the file makes no progress for ``timeout`` seconds.
    :raises CorruptFile: when the reader crashes on the file.
    :raises IndexerError: any error the extraction raised, as it was raised.
    """
    readers = _pool()
    for attempt in range(3):
        child = readers.take()
        try:
            status, payload = child.read(str(path), reader, timeout)
            break
        except _Gone:
            if attempt == 2:
                raise ExtractionError("the reading process ended before it took the file",
                                      "فرایند خواندن پرونده پیش از خواندن آن بسته شد؛ دوباره بفرستید.") from None
        finally:
            readers.give(child)
    if status == "ok":
        return payload
    if status == "error":
        raise payload
    log.error("extraction of %s crashed: %s", path, payload)
    raise ExtractionError(f"the reader failed on this file: {payload}", "خواندن پرونده با خطا متوقف شد.")


def warm_up(readers: int) -> None:
    """Start the forkserver and ``readers`` children now, on a thread of their own, so that their
    start-up (hazm's import, the word lists: seconds) overlaps the caller's own; a bulk import calls it
    before it lists its files."""
    pool = _pool()
    pool.expect(readers)  # now: a caller that takes a child before they are up waits for one of them
    threading.Thread(target=pool.start_ahead, args=(readers,), name="extract-warm-up", daemon=True).start()


@contextmanager
def readers_at_most(count: int):
    """While inside, at most ``count`` children read at once: a caller finding them all busy waits for
    one instead of starting another. A bulk import runs a thread more than it has children, so that
    a child never waits while its thread stores a file and commits it to the catalog."""
    pool = _pool()
    with pool.lock:
        before, pool.limit = pool.limit, count
    try:
        yield
    finally:
        with pool.lock:
            pool.limit = before
            pool.lock.notify_all()


def close_readers() -> None:
    """End this process's idle extraction children now (they also end after ``IDLE_SECONDS``)."""
    if _readers is not None and _readers.pid == os.getpid():
        _readers.close()


__all__ = ["IDLE_SECONDS", "MAX_FILES", "MAX_RSS_MB", "close_readers", "extract_in_worker", "main_imports",
           "preload_in_children", "reader_modules", "readers_at_most", "warm_up"]
