"""Bulk import: ``bayegan ingest`` of a folder of thousands of files.

Several files are archived at a time (hash, store, extract, catalog): each file's text is extracted in
a child process (``indexer/extract/worker.py``, OCR included), so a few threads here (one more than
the children) keep both CPU cores busy while this process, the one index writer, commits every
``INDEX_BATCH`` documents. The catalog is the truth, so an import stopped at any point (Ctrl-C,
kill -9) is resumed by running it again: files already archived come back as duplicates at the cost
of a hash, and the index first catches up with every document the catalog holds and the index lacks.
"""
from __future__ import annotations

import logging
import os
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Iterable

from archive import Config
from archive.config import per_core
from indexer.extract.worker import readers_at_most, warm_up
from indexer.pipeline.ingest import IndexBatch, IngestResult, archive_path, iter_files
from indexer.pipeline.parts import Archive

log = logging.getLogger(__name__)
IN_FLIGHT_PER_WORKER = 4


def ingest_workers(config: Config, requested: int | None = None) -> int:
    """``requested``, else ``ingest.workers``; 0 means one worker per CPU core."""
    return per_core(requested if requested is not None else config.ingest.workers)


class _Progress:
    """A tqdm bar on stderr (files, rate, ETA), or nothing when not asked for."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", desc="ingest", dynamic_ncols=True, smoothing=0.1)

    def update(self, result: IngestResult) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def bulk_ingest(library: Archive, paths: Iterable[str | os.PathLike], *, workers: int | None = None,
                progress: bool = False, on_result: Callable[[IngestResult], None] | None = None,
                ) -> list[IngestResult]:
    """Archive and index files and folders in parallel, leaving the sources where they are.

    Results come in the order files finish. Two copies of the same bytes may be taken at once: one is
    archived and the other reported as its duplicate.
    """
    from indexer.pipeline.maintenance import catch_up_index

    count = ingest_workers(library.config, workers)
    warm_up(count)  # the extraction children start while the index catches up and the files are listed
    catch_up_index(library)
    files = [str(p) for p in iter_files(paths)]
    bar = _Progress(len(files), progress)
    results: list[IngestResult] = []
    batch = IndexBatch(library, background=True)

    def finish(result: IngestResult) -> None:
        batch.add(result)
        results.append(result)
        bar.update(result)
        if on_result:
            on_result(result)

    try:
        if count == 1:
            for path in files:
                finish(archive_path(library, path))
        else:
            _run_pool(library, files, count, finish)
    finally:
        try:
            batch.close()
        finally:
            bar.close()
    return results


def _run_pool(library: Archive, files: list[str], count: int,
              finish: Callable[[IngestResult], None]) -> None:
    # one thread more than children: while a thread stores its file and commits it to the catalog (two
    # fsyncs), the child that read it takes the next thread's file instead of waiting
    with readers_at_most(count), ThreadPoolExecutor(count + 1, thread_name_prefix="ingest") as pool:
        todo = iter(files)
        running: set[Future] = set()
        try:
            while True:
                while len(running) < count * IN_FLIGHT_PER_WORKER:
                    path = next(todo, None)
                    if path is None:
                        break
                    running.add(pool.submit(archive_path, library, path))
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    finish(future.result())
        except BaseException:
            for future in running:
                future.cancel()
            raise


__all__ = ["bulk_ingest", "ingest_workers"]
