"""Extraction in a separate process with a time limit.

A hostile file (a PDF whose content never ends, a file that crashes a C library) must cost one
failed file, never the batch or the server. Each file is read in a child process that leads its own
process group, so when the time limit passes the child and its Tesseract processes are killed together.
The limit is on silence, not on the whole file: the child reports each page it has read by OCR, and
each report starts the time limit again, so a 500-page scan is read to its end while a file that
makes no progress is stopped.

Children are forked from a forkserver that has already imported the extractors and loaded the Persian
word list (two seconds), and the modules the program's main module imports: multiprocessing runs the
main module again in each child, which cost a second a file when the forkserver lacked them (``bayegan
ingest`` imported Flask in every child), so each file pays only for a fork.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import types
from pathlib import Path
from typing import Callable, TypeVar

from indexer.errors import CorruptFile, ExtractionError, ExtractionTimeout, IndexerError
from indexer.extract.result import Extraction

log = logging.getLogger(__name__)
_PRELOAD = ["indexer.extract.preload"]
_context = None
T = TypeVar("T")


def preload_in_children(*modules: str) -> None:
    """Have the forkserver import ``modules`` too (a reader passed to :func:`extract_in_worker` and what
    it needs warm); to be called before the first extraction, as a module's import does."""
    if _context is not None:
        log.warning("the extraction forkserver has started already; %s will be imported by each child", modules)
    _PRELOAD.extend(m for m in modules if m not in _PRELOAD)


def _ctx():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(_PRELOAD + main_imports())
    return _context


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


def _child(conn, path: str, reader) -> None:
    os.setpgrp()
    from indexer.extract import ocr
    from indexer.extract.read import extract

    lock = threading.Lock()

    def send(message, last: bool = False) -> None:  # pool threads report pages as the answer goes
        with lock:
            if not conn.closed:
                try:
                    conn.send(message)
                finally:
                    if last:
                        conn.close()

    ocr.report_pages_to(lambda: send(("page", None)))
    try:
        answer = ("ok", (reader or extract)(path))
    except IndexerError as exc:
        answer = ("error", exc)
    except Exception as exc:  # a reader's bug must reach the parent as a failed file, with its cause
        answer = ("crash", f"{type(exc).__name__}: {exc}")
    send(answer, last=True)


def _kill(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.join(10)


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
    ctx = _ctx()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, str(path), reader), name="bayegan-extract")
    proc.start()
    sender.close()
    try:
        status = "page"
        while status == "page":
            if not receiver.poll(timeout):
                _kill(proc)
                raise ExtractionTimeout(f"reading the file took longer than {timeout:g} s",
                                        f"خواندن پرونده بیش از {timeout:g} ثانیه طول کشید و متوقف شد.")
            try:
                status, payload = receiver.recv()
            except (EOFError, OSError) as exc:
                proc.join(10)
                raise CorruptFile(f"the reader stopped on this file (exit code {proc.exitcode})",
                                  "خواندن پرونده با خطا متوقف شد؛ پرونده احتمالاً خراب است.") from exc
    finally:
        receiver.close()
        if proc.is_alive():
            proc.join(10)
        if proc.is_alive():
            _kill(proc)
    if status == "ok":
        return payload
    if status == "error":
        raise payload
    log.error("extraction of %s crashed: %s", path, payload)
    raise ExtractionError(f"the reader failed on this file: {payload}", "خواندن پرونده با خطا متوقف شد.")


__all__ = ["extract_in_worker", "main_imports", "preload_in_children"]
