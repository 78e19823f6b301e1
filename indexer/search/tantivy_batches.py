"""A whole-index rebuild on Tantivy analyzes its records on every core.

Tantivy indexes in native code; what a rebuild costs is our Persian analysis, in Python, about nine
tenths of it (docs/scaling.md). So a large rebuild hands batches of records to worker processes (one a
core, started fresh: ``spawn``, nothing inherited from the writer's threads), each with the archive's
word memo, which return each record's :class:`~indexer.search.tantivy_schema.Analyzed` values; this
process turns them into Tantivy documents, in the records' order, with at most a few batches in flight
(memory stays bounded). Each worker adds the words it analyzed to the memo after each batch (SQLite
in WAL mode takes the writers one at a time), so searches afterwards find them analyzed.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Iterable, Iterator

import tantivy

from indexer.search import persian
from indexer.search.tantivy_schema import Analyzed, RecordConverter

BATCH = 64               # records sent to a worker at a time
IN_FLIGHT_PER_WORKER = 3
PARALLEL_FROM = 2000     # documents: below, starting the workers costs more than they save

_converter: RecordConverter | None = None  # a worker's


def _start(memo_path: str | None) -> None:
    global _converter
    _converter = RecordConverter(persian.WordAnalyses(memo_path) if memo_path else None)


def _analyze(records: list[dict]) -> list[Analyzed]:
    done = [_converter.analyzed(record) for record in records]
    _converter.analyses.save()
    return done


def workers_for(documents: int | None) -> int:
    """How many worker processes a rebuild of this many documents uses (0: none, this process)."""
    cores = os.cpu_count() or 1
    return cores if documents is not None and documents >= PARALLEL_FROM and cores > 1 else 0


def documents(records: Iterable[dict], analyses: persian.WordAnalyses, workers: int) -> Iterator[tantivy.Document]:
    """The Tantivy documents of ``records``, in order, analyzed by ``workers`` processes (0: here)."""
    if not workers:
        converter = RecordConverter(analyses)
        yield from map(converter.document, records)
        return
    memo = analyses.memo.path if analyses.memo is not None else None
    records = iter(records)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                             initargs=(str(memo) if memo else None,)) as pool:
        pending: deque = deque()
        while True:
            while len(pending) < workers * IN_FLIGHT_PER_WORKER:
                batch = list(islice(records, BATCH))
                if not batch:
                    break
                pending.append(pool.submit(_analyze, batch))
            if not pending:
                return
            for analyzed in pending.popleft().result():
                yield analyzed.document()


__all__ = ["PARALLEL_FROM", "documents", "workers_for"]
